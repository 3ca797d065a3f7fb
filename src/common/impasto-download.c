/* impasto-download.c
 *
 * The download (see impasto-download.h). One worker thread per run does everything that blocks:
 * hashing a resumed prefix, the HTTP exchange on a SoupSession it creates and frees itself,
 * writing, the final MD5 check and the rename. It reports progress through an ImpastoLatestSlot
 * (newest numbers only, one idle at a time on the caller's main context), whose idle copies them
 * into the object's properties; numbers may be skipped, the worker never waits for the main
 * thread.
 *
 * The .part is written with plain POSIX calls so that a full disk is recognised by its errno. It
 * is kept on every failure except a checksum mismatch (the bytes are wrong, so resuming them
 * would be wrong too) and a .part that does not start like a MATLAB file.
 *
 * This file does not read the model or import it into the cache.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-download"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "impasto-file-io.h"
#include "impasto-download.h"
#include "impasto-latest-slot.h"
#include "impasto-model-path.h"

#define CHUNK_SIZE         (256 * 1024)
#define PROGRESS_INTERVAL  (G_USEC_PER_SEC / 10)
#define RATE_WINDOW        (5 * G_USEC_PER_SEC)
#define N_RATE_SAMPLES     64
#define IO_TIMEOUT_SECONDS 60
/* Give up after this many fresh starts within one run (a server that keeps changing its mind). */
#define MAX_ATTEMPTS       3

/* The first bytes of a MATLAB 5 (and 7, 7.3) file: "MATLAB 5.0 MAT-file, ...". */
#define MAT_MAGIC          "MATLAB "
#define MAT_MAGIC_TAIL     " MAT-file"
#define MAT_HEADER_CHECKED 20

struct _ImpastoDownload
{
  GObject parent_instance;

  /* Set at construction, read by the worker. */
  char *url;
  char *path;
  char *part_path;
  char **md5s;

  /* Main-thread state behind the properties. */
  gboolean running;
  guint64 bytes_done;
  guint64 bytes_total;
  guint64 resumed_from;
  double rate;
  double seconds_left;
  char *md5;
  gboolean was_present;

  /* Shared with the worker: its progress, to the context where the run was started. */
  ImpastoLatestSlot *progress; /* of Progress; NULL between runs */
  GMutex lock;              /* guards network_cause, written by the worker */
  GError *network_cause;    /* the system's error behind the last network failure */
};

/* The numbers the worker reports. */
typedef struct
{
  guint64 done;
  guint64 total;
  guint64 resumed;
  double rate;
  double left;
} Progress;

enum {
  PROP_0,
  PROP_URL,
  PROP_PATH,
  PROP_MD5S,
  PROP_RUNNING,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_RESUMED_FROM,
  PROP_RATE,
  PROP_SECONDS_LEFT,
  PROP_MD5,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoDownload, impasto_download, G_TYPE_OBJECT)
G_DEFINE_QUARK (impasto-download-error-quark, impasto_download_error)

static GParamSpec *properties[N_PROPS];

static const char * const known_md5s[] = {
  IMPASTO_DOWNLOAD_MD5_NEWER,
  IMPASTO_DOWNLOAD_MD5_OLDER,
  NULL
};

const char *
impasto_download_published_name (const char *md5)
{
  if (g_strcmp0 (md5, IMPASTO_DOWNLOAD_MD5_NEWER) == 0)
    return _("MatConvNet's newer published file");
  if (g_strcmp0 (md5, IMPASTO_DOWNLOAD_MD5_OLDER) == 0)
    return _("MatConvNet's older published file");
  return NULL;
}

/* What the worker hands back. */
typedef struct
{
  char *md5;
  gboolean was_present;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->md5);
  g_free (outcome);
}

/* The worker's own bookkeeping. */
typedef struct
{
  ImpastoDownload *self;
  GCancellable *cancellable;
  GChecksum *checksum;   /* of every byte in the .part so far */
  guint64 done;          /* bytes in the .part */
  guint64 total;         /* 0: unknown */
  guint64 resumed;
  gint64 last_post;
  gint64 sample_time[N_RATE_SAMPLES];
  guint64 sample_bytes[N_RATE_SAMPLES];
  guint n_samples;
  guint next_sample;
  guint64 fetched;       /* bytes received in this run */
} Worker;

typedef enum
{
  ATTEMPT_DONE,
  ATTEMPT_FAILED,
  ATTEMPT_RESTART,       /* delete the .part and fetch from the start */
} Attempt;

/* Helpers ------------------------------------------------------------------------------------ */

static gboolean
md5_is_expected (const ImpastoDownload *self,
                 const char            *md5)
{
  return md5 != NULL && g_strv_contains ((const char * const *) self->md5s, md5);
}

static char *
display_path (const char *path)
{
  return g_filename_display_name (path);
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
format_seconds (double seconds)
{
  guint64 s = (guint64) (seconds + 0.5);

  if (seconds < 59.0)
    /* Translators: time left, in seconds (rounded up: never "0 s"). */
    return g_strdup_printf (_("%u s"), (guint) seconds + 1);
  if (s < 3600)
    /* Translators: time left, minutes and seconds. */
    return g_strdup_printf (_("%u min %02u s"), (guint) (s / 60), (guint) (s % 60));
  /* Translators: time left, hours and minutes. */
  return g_strdup_printf (_("%u h %02u min"), (guint) (s / 3600), (guint) (s / 60 % 60));
}

static gboolean
looks_like_mat (const guint8 *data,
                gsize         size)
{
  const char *text = (const char *) data;
  gsize magic = strlen (MAT_MAGIC);

  if (size < MAT_HEADER_CHECKED)
    return FALSE;
  /* "MATLAB 5.0 MAT-file": the version digits vary (7.3 files say so too). */
  return memcmp (text, MAT_MAGIC, magic) == 0
         && g_strstr_len (text, MAT_HEADER_CHECKED, MAT_MAGIC_TAIL) != NULL;
}

/* The first bytes, printable, for a message about a file that is not the model. */
static char *
describe_start (const guint8 *data,
                gsize         size)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < size && text->len < 40; i++)
    {
      guint8 c = data[i];

      if (c == '\n' || c == '\r' || c == '\t')
        c = ' ';
      if (c < 0x20 || c > 0x7e)
        c = '?';
      g_string_append_c (text, (char) c);
    }
  g_strstrip (text->str);
  if (size > 40)
    g_string_append (text, "…");
  return g_string_free (text, FALSE);
}

static gboolean
set_write_error (GError     **error,
                 int          saved_errno,
                 const char  *part_path,
                 guint64      done)
{
  g_autofree char *name = display_path (part_path);
  g_autofree char *size = format_size (done);

  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_DISK_FULL,
                 /* Translators: size saved so far, then the file. */
                 _("The disk is full. %s were saved in “%s”; free some space and try again, and "
                   "the download goes on from there."),
                 size, name);
  else
    g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_IO,
                 _("Cannot write “%s”: %s"), name, g_strerror (saved_errno));
  return FALSE;
}

/* Progress ----------------------------------------------------------------------------------- */

/* On the main context, from the progress slot. */
static void
impasto_download_apply_progress (gpointer  value,
                                 GArray   *records,
                                 gpointer  user_data)
{
  ImpastoDownload *self = user_data;
  const Progress *progress = value;
  guint64 done = progress->done;
  guint64 total = progress->total;
  guint64 resumed = progress->resumed;
  double rate = progress->rate;
  double left = progress->left;

  g_assert (IMPASTO_IS_DOWNLOAD (self));

  g_object_freeze_notify (G_OBJECT (self));
#define UPDATE(field, value, prop) \
  if (self->field != (value)) \
    { \
      self->field = (value); \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
    }
  UPDATE (bytes_total, total, PROP_BYTES_TOTAL);
  UPDATE (resumed_from, resumed, PROP_RESUMED_FROM);
  UPDATE (rate, rate, PROP_RATE);
  UPDATE (seconds_left, left, PROP_SECONDS_LEFT);
  UPDATE (bytes_done, done, PROP_BYTES_DONE);
#undef UPDATE
  g_object_thaw_notify (G_OBJECT (self));
}

static double
worker_rate (Worker *w,
             gint64  now)
{
  guint oldest;
  gint64 elapsed;

  w->sample_time[w->next_sample] = now;
  w->sample_bytes[w->next_sample] = w->fetched;
  w->next_sample = (w->next_sample + 1) % N_RATE_SAMPLES;
  if (w->n_samples < N_RATE_SAMPLES)
    w->n_samples++;

  /* Forget what is older than the window, keeping two samples at least. */
  oldest = (w->next_sample + N_RATE_SAMPLES - w->n_samples) % N_RATE_SAMPLES;
  while (w->n_samples > 2 && now - w->sample_time[oldest] > RATE_WINDOW)
    {
      oldest = (oldest + 1) % N_RATE_SAMPLES;
      w->n_samples--;
    }

  elapsed = now - w->sample_time[oldest];
  if (elapsed < G_USEC_PER_SEC / 2)
    return 0.0;
  return (double) (w->fetched - w->sample_bytes[oldest]) * G_USEC_PER_SEC / (double) elapsed;
}

/* Called by the worker after every chunk; passes the numbers on at most every 100 ms. */
static void
worker_post (Worker   *w,
             gboolean  force)
{
  ImpastoDownload *self = w->self;
  gint64 now = g_get_monotonic_time ();
  Progress *progress;
  double rate;
  double left = -1.0;

  if (!force && now - w->last_post < PROGRESS_INTERVAL)
    return;
  w->last_post = now;

  rate = worker_rate (w, now);
  if (rate > 0.0 && w->total > 0 && w->total >= w->done)
    left = (double) (w->total - w->done) / rate;

  progress = g_new (Progress, 1);
  progress->done = w->done;
  progress->total = w->total;
  progress->resumed = w->resumed;
  progress->rate = rate;
  progress->left = left;
  impasto_latest_slot_push (self->progress, progress);
}

/* The worker -------------------------------------------------------------------------------- */

/* The MD5 of the file at @path (all of it), or NULL with @error set. */
static char *
md5_of_file (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok;
  int saved_errno;

  ok = fd >= 0 && impasto_checksum_fd (checksum, fd, cancellable, NULL);
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (!ok)
    {
      g_autofree char *name = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      name = display_path (path);
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_IO,
                   _("Cannot read “%s”: %s"), name, g_strerror (saved_errno));
      return NULL;
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* Reads an existing .part into the running checksum. Returns its size, 0 if there is none or it
 * cannot be resumed (then it is deleted), or -1 with @error set. */
static gint64
worker_read_part (Worker  *w,
                  GError **error)
{
  const char *part_path = w->self->part_path;
  ImpastoChecksumRead part = { 0 };
  GStatBuf st;
  gboolean ok;
  int saved_errno;
  int fd;

  if (g_stat (part_path, &st) != 0 || st.st_size <= 0 || !S_ISREG (st.st_mode))
    return 0;

  fd = g_open (part_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return 0;

  ok = impasto_checksum_fd (w->checksum, fd, w->cancellable, &part);
  saved_errno = errno;
  close (fd);
  if (!ok)
    {
      g_autofree char *name = NULL;

      if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
        return -1;
      name = display_path (part_path);
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_IO,
                   _("Cannot read “%s”: %s"), name, g_strerror (saved_errno));
      return -1;
    }

  if (!looks_like_mat (part.head, part.head_len))
    {
      /* Not the start of a model (a leftover from something else): start over. */
      g_debug ("%s does not start like a MATLAB file; downloading from the start", part_path);
      g_unlink (part_path);
      g_checksum_reset (w->checksum);
      return 0;
    }
  return (gint64) part.size;
}

/* Fails early when the folder cannot hold what is left to fetch. */
static gboolean
worker_check_space (Worker   *w,
                    guint64   needed,
                    GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (w->self->part_path);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFileInfo) info = NULL;
  guint64 free_bytes;

  info = g_file_query_filesystem_info (folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return TRUE;

  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  if (free_bytes >= needed)
    return TRUE;

  {
    g_autofree char *need_text = format_size (needed);
    g_autofree char *free_text = format_size (free_bytes);
    g_autofree char *name = display_path (dir);

    g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_DISK_FULL,
                 /* Translators: size needed, size free, then the folder. */
                 _("Not enough disk space: the download needs %s more, but only %s are free in "
                   "“%s”. Free some space and try again."),
                 need_text, free_text, name);
  }
  return FALSE;
}

static gboolean
worker_verify_and_rename (Worker   *w,
                          Outcome  *outcome,
                          GError  **error)
{
  ImpastoDownload *self = w->self;
  const char *md5 = g_checksum_get_string (w->checksum);

  if (!md5_is_expected (self, md5))
    {
      g_autofree char *expected = g_strjoinv (", ", self->md5s);
      g_autofree char *size = format_size (w->done);

      g_unlink (self->part_path);
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_CHECKSUM,
                   /* Translators: size, the MD5 found, then the expected ones. */
                   _("The downloaded file (%s) is not the expected one: its MD5 is %s, which is "
                     "not among the expected sums (%s). It was deleted. The server may have sent "
                     "something else; try again later, or another address."),
                   size, md5, expected);
      return FALSE;
    }

  if (g_rename (self->part_path, self->path) != 0)
    {
      int saved_errno = errno;
      g_autofree char *name = display_path (self->path);

      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_IO,
                   _("Cannot move the download to “%s”: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }

  outcome->md5 = g_strdup (md5);
  return TRUE;
}

static Attempt
worker_fail_network (Worker      *w,
                     GError      *cause,
                     GError     **error)
{
  g_autofree char *done = format_size (w->done);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return ATTEMPT_FAILED;
    }

  g_mutex_lock (&w->self->lock);
  g_clear_error (&w->self->network_cause);
  w->self->network_cause = g_error_copy (cause);
  g_mutex_unlock (&w->self->lock);

  if (w->done > 0)
    g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK,
                 /* Translators: size saved, then the network's error message. */
                 _("The download stopped after %s: %s. Try again to go on from there."),
                 done, cause->message);
  else
    g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK,
                 _("The download failed: %s"), cause->message);
  g_error_free (cause);
  return ATTEMPT_FAILED;
}

/* One HTTP exchange: resumes the .part from w->done (0: from the start). */
static Attempt
worker_attempt (Worker       *w,
                SoupSession  *session,
                Outcome      *outcome,
                GError      **error)
{
  ImpastoDownload *self = w->self;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree guint8 *buffer = NULL;
  g_autofree char *url_text = NULL;
  SoupMessageHeaders *headers;
  GError *local_error = NULL;
  const char *content_type;
  guint64 offset = w->done;
  guint status;
  gsize head_len = 0;
  int fd = -1;
  int saved_errno = 0;

  message = soup_message_new (SOUP_METHOD_GET, self->url);
  if (message == NULL)
    {
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_INVALID,
                   _("“%s” is not a web address"), self->url);
      return ATTEMPT_FAILED;
    }
  if (offset > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (message),
                                    (goffset) offset, -1);

  stream = soup_session_send (session, message, w->cancellable, &local_error);
  if (stream == NULL)
    return worker_fail_network (w, local_error, error);

  status = soup_message_get_status (message);
  headers = soup_message_get_response_headers (message);
  url_text = g_uri_to_string (soup_message_get_uri (message));

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && offset > 0)
    {
      /* The .part may hold the whole file already (the connection dropped just before the end). */
      g_input_stream_close (stream, NULL, NULL);
      w->total = offset;
      worker_post (w, TRUE);
      if (md5_is_expected (self, g_checksum_get_string (w->checksum)))
        return worker_verify_and_rename (w, outcome, error) ? ATTEMPT_DONE : ATTEMPT_FAILED;
      return ATTEMPT_RESTART;
    }

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      const char *reason = soup_message_get_reason_phrase (message);

      g_input_stream_close (stream, NULL, NULL);
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_HTTP,
                   /* Translators: status code, its reason, then the address. */
                   _("The server answered “%u %s” for %s"),
                   status, reason != NULL ? reason : "", url_text);
      return ATTEMPT_FAILED;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type != NULL
      && (g_ascii_strcasecmp (content_type, "text/html") == 0
          || g_ascii_strcasecmp (content_type, "application/xhtml+xml") == 0))
    {
      g_input_stream_close (stream, NULL, NULL);
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NOT_A_MODEL,
                   _("%s answered with a web page, not the model file. If it is a mirror’s "
                     "download page, give the address of the file itself."),
                   url_text);
      return ATTEMPT_FAILED;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start = 0;
      goffset end = 0;
      goffset total = 0;

      if (!soup_message_headers_get_content_range (headers, &start, &end, &total)
          || (guint64) start != offset)
        {
          /* Not the range we asked for: fetch it all again. */
          g_input_stream_close (stream, NULL, NULL);
          return ATTEMPT_RESTART;
        }
      w->total = total > 0 ? (guint64) total : 0;
    }
  else
    {
      goffset length = 0;

      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        length = soup_message_headers_get_content_length (headers);
      if (offset > 0)
        {
          /* The server ignored the range and sends everything: start the file again. */
          g_debug ("%s ignored the range request; downloading from the start", url_text);
          offset = 0;
          w->done = 0;
          w->resumed = 0;
          g_checksum_reset (w->checksum);
        }
      w->total = length > 0 ? (guint64) length : 0;
    }

  if (w->total > 0 && w->total > w->done && !worker_check_space (w, w->total - w->done, error))
    {
      g_input_stream_close (stream, NULL, NULL);
      return ATTEMPT_FAILED;
    }
  worker_post (w, TRUE);

  buffer = g_malloc (CHUNK_SIZE);
  for (;;)
    {
      gssize n;

      /* From the start, hold the first bytes back until they show a MATLAB file: nothing that is
       * not one ever reaches the disk. */
      if (offset == 0 && fd < 0)
        n = g_input_stream_read (stream, buffer + head_len, CHUNK_SIZE - head_len,
                                 w->cancellable, &local_error);
      else
        n = g_input_stream_read (stream, buffer, CHUNK_SIZE, w->cancellable, &local_error);

      if (n < 0)
        {
          if (fd >= 0)
            close (fd);
          g_input_stream_close (stream, NULL, NULL);
          return worker_fail_network (w, local_error, error);
        }

      if (fd < 0)
        {
          gsize size;

          if (offset == 0)
            {
              head_len += (gsize) n;
              if (n > 0 && head_len < MAT_HEADER_CHECKED)
                continue;
              if (!looks_like_mat (buffer, head_len))
                {
                  g_autofree char *start = describe_start (buffer, head_len);

                  g_input_stream_close (stream, NULL, NULL);
                  g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NOT_A_MODEL,
                               /* Translators: the address, then the first characters received. */
                               _("%s did not send a MATLAB file (it begins with “%s”), so it is "
                                 "not the model. Nothing was kept."),
                               url_text, start);
                  return ATTEMPT_FAILED;
                }
              fd = g_open (self->part_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
              size = head_len;
            }
          else
            {
              fd = g_open (self->part_path, O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
              size = (gsize) n;
            }

          if (fd < 0)
            {
              saved_errno = errno;
              g_input_stream_close (stream, NULL, NULL);
              set_write_error (error, saved_errno, self->part_path, w->done);
              return ATTEMPT_FAILED;
            }
          n = (gssize) size;
        }

      if (n == 0)
        break;

      if (!impasto_write_all (fd, buffer, (gsize) n))
        {
          saved_errno = errno;
          close (fd);
          g_input_stream_close (stream, NULL, NULL);
          set_write_error (error, saved_errno, self->part_path, w->done);
          return ATTEMPT_FAILED;
        }
      g_checksum_update (w->checksum, buffer, n);
      w->done += (guint64) n;
      w->fetched += (guint64) n;
      worker_post (w, FALSE);
    }

  g_input_stream_close (stream, NULL, NULL);

  if (fdatasync (fd) != 0 && errno != EINVAL)
    saved_errno = errno;
  if (close (fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  if (saved_errno != 0)
    {
      set_write_error (error, saved_errno, self->part_path, w->done);
      return ATTEMPT_FAILED;
    }

  worker_post (w, TRUE);

  if (w->total > 0 && w->done < w->total)
    {
      g_autofree char *done = format_size (w->done);
      g_autofree char *total = format_size (w->total);

      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK,
                   _("The server closed the connection after %s of %s. Try again to go on from "
                     "there."),
                   done, total);
      return ATTEMPT_FAILED;
    }

  return worker_verify_and_rename (w, outcome, error) ? ATTEMPT_DONE : ATTEMPT_FAILED;
}

static gboolean
worker_run (Worker   *w,
            Outcome  *outcome,
            GError  **error)
{
  ImpastoDownload *self = w->self;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  gint64 resumed;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *name = display_path (dir);

      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_IO,
                   _("Cannot create the folder “%s”: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }

  /* Already there and right: nothing to fetch. A file that is there but wrong stays until a
   * verified download replaces it. */
  if (g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *md5 = md5_of_file (self->path, w->cancellable, NULL);

      if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
        return FALSE;
      if (md5_is_expected (self, md5))
        {
          GStatBuf st;

          if (g_stat (self->path, &st) == 0)
            w->done = w->total = (guint64) st.st_size;
          worker_post (w, TRUE);
          outcome->md5 = g_steal_pointer (&md5);
          outcome->was_present = TRUE;
          return TRUE;
        }
    }

  resumed = worker_read_part (w, error);
  if (resumed < 0)
    return FALSE;
  w->done = w->resumed = (guint64) resumed;
  worker_post (w, TRUE);

  session = soup_session_new_with_options ("user-agent", "Impasto/" PACKAGE_VERSION " ",
                                           "timeout", IO_TIMEOUT_SECONDS,
                                           NULL);
  /* The file is fetched byte for byte: no gzip, so that ranges mean what they say. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      switch (worker_attempt (w, session, outcome, error))
        {
        case ATTEMPT_DONE:
          return TRUE;

        case ATTEMPT_FAILED:
          return FALSE;

        case ATTEMPT_RESTART:
          g_debug ("cannot resume %s; downloading it from the start", self->part_path);
          g_unlink (self->part_path);
          g_checksum_reset (w->checksum);
          w->done = w->resumed = 0;
          worker_post (w, TRUE);
          break;
        }
    }

  g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK,
               _("The server did not send the file consistently; try again later."));
  return FALSE;
}

static void
impasto_download_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  Worker w = { 0 };
  Outcome *outcome = g_new0 (Outcome, 1);
  GError *error = NULL;
  gboolean ok;

  w.self = source_object;
  w.cancellable = cancellable;
  w.checksum = g_checksum_new (G_CHECKSUM_MD5);
  w.last_post = G_MININT64;

  ok = worker_run (&w, outcome, &error);
  /* The last numbers, so that "n bytes are kept" is right after a failure too. */
  worker_post (&w, TRUE);

  if (ok)
    g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
  else
    {
      outcome_free (outcome);
      g_task_return_error (task, error);
    }

  g_checksum_free (w.checksum);
}

/* Back on the caller's context: the last numbers first, then the caller's callback. */
static void
impasto_download_thread_done_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  ImpastoDownload *self = IMPASTO_DOWNLOAD (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  Outcome *outcome;

  impasto_latest_slot_flush (self->progress);
  impasto_latest_slot_close (self->progress);
  g_clear_pointer (&self->progress, impasto_latest_slot_unref);

  outcome = g_task_propagate_pointer (G_TASK (result), &error);

  g_object_freeze_notify (G_OBJECT (self));
  if (outcome != NULL)
    {
      g_free (self->md5);
      self->md5 = g_steal_pointer (&outcome->md5);
      self->was_present = outcome->was_present;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MD5]);
      outcome_free (outcome);
    }
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));

  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

/* The object ------------------------------------------------------------------------------- */

static void
impasto_download_finalize (GObject *object)
{
  ImpastoDownload *self = (ImpastoDownload *) object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->part_path, g_free);
  g_clear_pointer (&self->md5s, g_strfreev);
  g_clear_pointer (&self->md5, g_free);
  g_clear_pointer (&self->progress, impasto_latest_slot_unref);
  g_clear_error (&self->network_cause);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (impasto_download_parent_class)->finalize (object);
}

static void
impasto_download_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ImpastoDownload *self = IMPASTO_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_MD5S:
      g_value_set_boxed (value, self->md5s);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;

    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;

    case PROP_RESUMED_FROM:
      g_value_set_uint64 (value, self->resumed_from);
      break;

    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;

    case PROP_SECONDS_LEFT:
      g_value_set_double (value, self->seconds_left);
      break;

    case PROP_MD5:
      g_value_set_string (value, self->md5);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_download_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ImpastoDownload *self = IMPASTO_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;

    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_MD5S:
      self->md5s = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_download_constructed (GObject *object)
{
  ImpastoDownload *self = (ImpastoDownload *) object;

  G_OBJECT_CLASS (impasto_download_parent_class)->constructed (object);

  if (self->url == NULL)
    self->url = g_strdup (IMPASTO_DOWNLOAD_DEFAULT_URL);
  if (self->path == NULL)
    self->path = impasto_download_default_path ();
  if (self->md5s == NULL || self->md5s[0] == NULL)
    {
      g_clear_pointer (&self->md5s, g_strfreev);
      self->md5s = g_strdupv ((char **) known_md5s);
    }
  for (guint i = 0; self->md5s[i] != NULL; i++)
    {
      char *lower = g_ascii_strdown (self->md5s[i], -1);

      g_free (self->md5s[i]);
      self->md5s[i] = lower;
    }
  self->part_path = g_strconcat (self->path, ".part", NULL);
}

static void
impasto_download_class_init (ImpastoDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = impasto_download_constructed;
  object_class->finalize = impasto_download_finalize;
  object_class->get_property = impasto_download_get_property;
  object_class->set_property = impasto_download_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MD5S] =
    g_param_spec_boxed ("md5s", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RESUMED_FROM] =
    g_param_spec_uint64 ("resumed-from", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SECONDS_LEFT] =
    g_param_spec_double ("seconds-left", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MD5] =
    g_param_spec_string ("md5", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
impasto_download_init (ImpastoDownload *self)
{
  self->seconds_left = -1.0;
  g_mutex_init (&self->lock);
}

/* Public API -------------------------------------------------------------------------------- */

char *
impasto_download_resolve_url (const char *explicit_url,
                              const char *settings_url)
{
  const char *env = g_getenv (IMPASTO_DOWNLOAD_URL_ENV);

  if (explicit_url != NULL && explicit_url[0] != '\0')
    return g_strdup (explicit_url);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (settings_url != NULL && settings_url[0] != '\0')
    return g_strdup (settings_url);
  return g_strdup (IMPASTO_DOWNLOAD_DEFAULT_URL);
}

gboolean
impasto_download_check_url (const char  *url,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || host == NULL || host[0] == '\0')
    {
      g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_INVALID,
                   _("“%s” is not an http:// or https:// address"), url);
      return FALSE;
    }
  return TRUE;
}

char **
impasto_download_parse_md5s (const char  *text,
                             GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  if (text == NULL || text[0] == '\0')
    return g_strdupv ((char **) known_md5s);

  parts = g_strsplit_set (text, ", \t\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];
      gboolean hex = strlen (part) == 32;

      if (part[0] == '\0')
        continue;
      for (guint j = 0; hex && part[j] != '\0'; j++)
        hex = g_ascii_isxdigit (part[j]);
      if (!hex)
        {
          g_set_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_INVALID,
                       _("“%s” is not an MD5 sum (32 hexadecimal digits)"), part);
          return NULL;
        }
      {
        g_autofree char *lower = g_ascii_strdown (part, -1);

        g_strv_builder_add (builder, lower);
      }
      n++;
    }

  if (n == 0)
    return g_strdupv ((char **) known_md5s);
  return g_strv_builder_end (builder);
}

char *
impasto_download_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
}

ImpastoDownload *
impasto_download_new (const char         *url,
                      const char         *path,
                      const char * const *md5s)
{
  return g_object_new (IMPASTO_TYPE_DOWNLOAD,
                       "url", url,
                       "path", path,
                       "md5s", md5s,
                       NULL);
}

const char *
impasto_download_get_url (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), NULL);

  return self->url;
}

const char *
impasto_download_get_path (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), NULL);

  return self->path;
}

const char *
impasto_download_get_part_path (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), NULL);

  return self->part_path;
}

const char * const *
impasto_download_get_md5s (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), NULL);

  return (const char * const *) self->md5s;
}

gboolean
impasto_download_get_running (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), FALSE);

  return self->running;
}

guint64
impasto_download_get_bytes_done (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), 0);

  return self->bytes_done;
}

guint64
impasto_download_get_bytes_total (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), 0);

  return self->bytes_total;
}

guint64
impasto_download_get_resumed_from (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), 0);

  return self->resumed_from;
}

double
impasto_download_get_rate (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), 0.0);

  return self->rate;
}

double
impasto_download_get_seconds_left (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), -1.0);

  return self->seconds_left;
}

const char *
impasto_download_get_md5 (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), NULL);

  return self->md5;
}

gboolean
impasto_download_get_was_present (ImpastoDownload *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), FALSE);

  return self->was_present;
}

void
impasto_download_run_async (ImpastoDownload     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (IMPASTO_IS_DOWNLOAD (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->running);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, impasto_download_run_async);
  /* The outcome is what happened: a cancel that comes after the rename does not undo it. */
  g_task_set_check_cancellable (outer, FALSE);

  if (!impasto_download_check_url (self->url, &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  self->progress = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, g_free, 0,
                                            impasto_download_apply_progress, self);
  impasto_latest_slot_set_name (self->progress, "[impasto] download progress");
  impasto_latest_slot_watch_object (self->progress, self);
  self->running = TRUE;
  g_clear_pointer (&self->md5, g_free);
  g_mutex_lock (&self->lock);
  g_clear_error (&self->network_cause);
  g_mutex_unlock (&self->lock);
  self->was_present = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  inner = g_task_new (self, cancellable, impasto_download_thread_done_cb,
                      g_steal_pointer (&outer));
  g_task_set_source_tag (inner, impasto_download_thread);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_run_in_thread (inner, impasto_download_thread);
}

gboolean
impasto_download_run_finish (ImpastoDownload  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == impasto_download_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
impasto_download_format_progress (guint64 done,
                                  guint64 total,
                                  double  rate,
                                  double  seconds_left)
{
  g_autofree char *done_text = format_size (done);
  GString *text = g_string_new (NULL);

  if (total > 0)
    {
      g_autofree char *total_text = format_size (total);

      /* Translators: bytes done, then the whole size, e.g. "12.3 MiB of 510.1 MiB". */
      g_string_append_printf (text, _("%s of %s"), done_text, total_text);
    }
  else
    {
      g_string_append (text, done_text);
    }

  if (rate > 0.0)
    {
      g_autofree char *rate_text = format_size ((guint64) rate);

      /* Translators: a transfer rate, e.g. "4.2 MiB/s". */
      g_string_append_printf (text, _(" · %s/s"), rate_text);
    }

  if (seconds_left >= 0.0)
    {
      g_autofree char *left_text = format_seconds (seconds_left);

      /* Translators: time left, e.g. "2 min 05 s left". */
      g_string_append_printf (text, _(" · %s left"), left_text);
    }

  return g_string_free (text, FALSE);
}

const GError *
impasto_download_get_network_cause (ImpastoDownload *self)
{
  const GError *cause;

  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD (self), NULL);

  g_mutex_lock (&self->lock);
  cause = self->network_cause;
  g_mutex_unlock (&self->lock);
  return cause;
}
