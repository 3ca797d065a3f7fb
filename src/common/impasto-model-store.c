/* impasto-model-store.c
 *
 * From a model path to ready weights: map a cache file, answer a .mat from its cache when the
 * cache belongs to it, else read the .mat (impasto_weights_load(): the engine's streaming reader,
 * matio where it declines) and write the cache (see the header).
 *
 * While the .mat is read, two helpers run beside it: a thread that computes the .mat's MD5 (the
 * reader inflates on one core; the MD5 reads the same file, mostly from the page cache, on the
 * other), and a progress poller. The readers have no progress callback, so progress is the
 * largest read offset of any descriptor this process has open on the .mat other than the MD5's
 * (found through /proc/self/fd by device and inode, and read from /proc/self/fdinfo) over the file
 * size. Where /proc is missing there is simply no progress until the end.
 *
 * The streaming reader stops after conv5_4 and so never checks the compressed stream's Adler-32:
 * a file that is not one of the published ones (by MD5) and whose MD5 the caller did not vouch
 * for gets its whole compressed data checked (impasto_mat_check) before its weights are used.
 *
 * After an import the freshly written cache is mapped and used instead of the malloc'd copy: the
 * same bits (tested), and pages the kernel can give back once the engine has transformed them.
 *
 * This file does not search for models and does not download them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-model-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "impasto-error.h"
#include "impasto-file-io.h"
#include "impasto-download.h"
#include "impasto-mat-check.h"
#include "impasto-model-store.h"


#define PROGRESS_INTERVAL_US (100 * 1000)
#define FINGERPRINT_SPAN (1 << 20)

char *
impasto_model_store_cache_path (const char *mat_path)
{
  g_autofree char *absolute = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *base = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *file_name = NULL;
  char *dot;

  g_return_val_if_fail (mat_path != NULL, NULL);

  absolute = g_canonicalize_filename (mat_path, NULL);
  canonical = realpath (absolute, NULL);
  if (canonical == NULL)
    canonical = g_strdup (absolute);
  base = g_path_get_basename (canonical);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  digest[16] = '\0';
  file_name = g_strdup_printf ("%s-%s.impasto", base, digest);
  return g_build_filename (g_get_user_cache_dir (), "impasto", file_name, NULL);
}

/* A checksum of the first and last MiB of the open file @fd of @size bytes (all of it when
 * smaller): cheap, and enough to tell two different .mat files of equal size and mtime apart. */
static uint64_t
fingerprint (int      fd,
             uint64_t size)
{
  const size_t span = FINGERPRINT_SPAN;
  g_autofree guint8 *buffer = g_malloc (2 * span);
  size_t head = (size_t) MIN (size, (uint64_t) span);
  size_t tail = size > span ? (size_t) MIN (size - span, (uint64_t) span) : 0;
  ssize_t n1 = pread (fd, buffer, head, 0);
  ssize_t n2 = tail > 0 ? pread (fd, buffer + head, tail, (off_t) (size - tail)) : 0;

  if (n1 < 0 || n2 < 0)
    return 0;
  return impasto_weights_cache_checksum (buffer, (size_t) n1 + (size_t) n2);
}

/* The identity of the .mat at @path as the cache records it; FALSE with @error if it cannot be
 * read. @known_md5 (may be NULL) is used as the MD5. */
static gboolean
source_identity (ImpastoModelSource  *source,
                 const char          *path,
                 const char          *known_md5,
                 struct stat         *st,
                 GError             **error)
{
  g_autofree char *base = NULL;
  int fd;

  memset (source, 0, sizeof *source);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, st) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      if (fd >= 0)
        close (fd);
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE,
                   _("Cannot read the model %s: %s"), display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st->st_mode))
    {
      g_autofree char *display = g_filename_display_name (path);

      close (fd);
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE,
                   _("The model %s is not a file"), display);
      return FALSE;
    }
  source->fingerprint = fingerprint (fd, (uint64_t) st->st_size);
  close (fd);
  source->size = (uint64_t) st->st_size;
  source->mtime_sec = (int64_t) st->st_mtim.tv_sec;
  source->mtime_nsec = (int64_t) st->st_mtim.tv_nsec;
  base = g_path_get_basename (path);
  g_strlcpy (source->name, base, sizeof source->name);

  if (known_md5 != NULL && strlen (known_md5) == 32)
    {
      for (int i = 0; i < 16; i++)
        {
          int hi = g_ascii_xdigit_value (known_md5[2 * i]);
          int lo = g_ascii_xdigit_value (known_md5[2 * i + 1]);

          if (hi < 0 || lo < 0)
            return TRUE;
          source->md5[i] = (uint8_t) (hi * 16 + lo);
        }
      source->has_md5 = TRUE;
    }
  return TRUE;
}

gboolean
impasto_model_store_source_identity (const char          *path,
                                     const char          *known_md5,
                                     ImpastoModelSource  *source,
                                     GError             **error)
{
  struct stat st;

  g_return_val_if_fail (path != NULL && source != NULL, FALSE);
  return source_identity (source, path, known_md5, &st, error);
}

const char *
impasto_model_store_stale_reason (const ImpastoModelSource *cached,
                                  const ImpastoModelSource *source)
{
  if (cached->size != source->size)
    return N_("it was made from a file of another size");
  if (cached->mtime_sec != source->mtime_sec || cached->mtime_nsec != source->mtime_nsec)
    return N_("the model file has changed since it was made");
  if (cached->fingerprint != source->fingerprint)
    return N_("it was made from another file");
  if (cached->has_md5 && source->has_md5 && memcmp (cached->md5, source->md5, 16) != 0)
    return N_("it was made from a file with another MD5");
  return NULL;
}

/* The MD5 thread. */
typedef struct
{
  char *path;
  int fd;                 /* ours, so the progress poller can tell it from the reader's */
  gboolean ok;
  guint8 digest[16];
} Md5Job;

static gpointer
md5_thread (gpointer data)
{
  Md5Job *job = data;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  gsize length = sizeof job->digest;

  if (!impasto_checksum_fd (checksum, job->fd, NULL, NULL))
    return NULL;
  g_checksum_get_digest (checksum, job->digest, &length);
  job->ok = TRUE;
  return NULL;
}

/* The whole-file check, run beside the reader and stopped early when the MD5 shows a published
 * file (see read_mat). */
typedef struct
{
  const char *path;
  gint stop;              /* atomic */
  ImpastoStatus status;
  ImpastoEngineError error;
} CheckJob;

static bool
check_should_stop (void *data)
{
  CheckJob *job = data;

  return g_atomic_int_get (&job->stop) != 0;
}

static gpointer
check_thread (gpointer data)
{
  CheckJob *job = data;

  job->status = impasto_mat_check_cancellable (job->path, check_should_stop, job, &job->error);
  return NULL;
}

/* The progress poller. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
  dev_t dev;
  ino_t ino;
  int skip_fd;              /* the MD5 thread's descriptor */
  uint64_t size;
  ImpastoModelProgressFunc progress;
  gpointer progress_data;
} Poller;

/* The largest read offset of any descriptor of this process open on the .mat, except the MD5's. */
static uint64_t
reader_offset (Poller *poller)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  uint64_t best = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *info_path = NULL;
      g_autofree char *info = NULL;
      struct stat st;
      const char *pos;
      int fd = atoi (name);

      if (fd == poller->skip_fd || stat (link, &st) != 0 || st.st_dev != poller->dev
          || st.st_ino != poller->ino)
        continue;
      info_path = g_strdup_printf ("/proc/self/fdinfo/%s", name);
      if (!g_file_get_contents (info_path, &info, NULL, NULL))
        continue;
      pos = strstr (info, "pos:");
      if (pos != NULL)
        best = MAX (best, g_ascii_strtoull (pos + 4, NULL, 10));
    }
  return best;
}

static gpointer
poller_thread (gpointer data)
{
  Poller *poller = data;
  double reported = 0.0;

  g_mutex_lock (&poller->lock);
  while (!poller->done)
    {
      gint64 until = g_get_monotonic_time () + PROGRESS_INTERVAL_US;
      double fraction;

      g_cond_wait_until (&poller->cond, &poller->lock, until);
      if (poller->done)
        break;
      g_mutex_unlock (&poller->lock);
      /* Kept below 1 until the load is really done. */
      fraction = MIN (0.95, 0.95 * (double) reader_offset (poller) / (double) MAX (poller->size, 1));
      if (fraction > reported)
        {
          reported = fraction;
          poller->progress (fraction, poller->progress_data);
        }
      g_mutex_lock (&poller->lock);
    }
  g_mutex_unlock (&poller->lock);
  return NULL;
}

/* TRUE when @source's MD5 is that of one of MatConvNet's published files. */
static gboolean
is_published (const ImpastoModelSource *source)
{
  char hex[33];

  if (!source->has_md5)
    return FALSE;
  impasto_md5_hex (source->md5, hex);
  return impasto_download_published_name (hex) != NULL;
}

/* Reads the .mat (impasto_weights_load: the streaming reader, matio where it declines) and
 * fills @source->md5 (when it was not known) alongside. */
static ImpastoWeights *
read_mat (const char                *path,
          ImpastoModelSource        *source,
          const struct stat         *st,
          ImpastoModelProgressFunc   progress,
          gpointer                   progress_data,
          GError                   **error)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeights *weights = NULL;
  GThread *md5 = NULL, *poll = NULL;
  Md5Job md5_job = { 0 };
  Poller poller = { 0 };
  CheckJob check_job = { 0 };
  GThread *check = NULL;
  ImpastoStatus status;

  md5_job.fd = -1;
  if (!source->has_md5)
    {
      md5_job.fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (md5_job.fd >= 0)
        md5 = g_thread_new ("impasto-md5", md5_thread, &md5_job);
      /* Started now rather than after the MD5, so that for a file that turns out not to be a
       * published one the check has mostly run by then. */
      check_job.path = path;
      check = g_thread_new ("impasto-mat-check", check_thread, &check_job);
    }
  if (progress != NULL)
    {
      g_mutex_init (&poller.lock);
      g_cond_init (&poller.cond);
      poller.dev = st->st_dev;
      poller.ino = st->st_ino;
      poller.skip_fd = md5_job.fd;
      poller.size = source->size;
      poller.progress = progress;
      poller.progress_data = progress_data;
      poll = g_thread_new ("impasto-progress", poller_thread, &poller);
    }

  status = impasto_weights_load (&weights, path, &engine_error);

  if (md5 != NULL)
    {
      g_thread_join (md5);
      if (md5_job.ok)
        {
          memcpy (source->md5, md5_job.digest, 16);
          source->has_md5 = TRUE;
        }
    }
  if (md5_job.fd >= 0)
    close (md5_job.fd);

  /* The streaming reader stops after conv5_4, so it never reaches the end of the compressed
   * stream and its Adler-32: damage in the deflate data that still decodes would pass unseen.
   * A published file (by its MD5) or one whose MD5 the caller verified is known to be whole;
   * any other file has all of its compressed data checked before its weights are trusted. */
  if (check != NULL)
    {
      gboolean needed = status == IMPASTO_STATUS_OK && !is_published (source);

      if (!needed)
        g_atomic_int_set (&check_job.stop, 1);
      g_thread_join (check);
      if (needed && check_job.status != IMPASTO_STATUS_OK)
        {
          status = check_job.status;
          engine_error = check_job.error;
          g_clear_pointer (&weights, impasto_weights_free);
        }
    }

  if (poll != NULL)
    {
      g_mutex_lock (&poller.lock);
      poller.done = TRUE;
      g_cond_signal (&poller.cond);
      g_mutex_unlock (&poller.lock);
      g_thread_join (poll);
      g_mutex_clear (&poller.lock);
      g_cond_clear (&poller.cond);
    }

  if (status != IMPASTO_STATUS_OK)
    {
      impasto_error_set_from_engine (error, status, &engine_error);
      return NULL;
    }
  if (progress != NULL)
    progress (1.0, progress_data);
  return weights;
}

/* Creates the folder of @path; FALSE with @error when it cannot. */
static gboolean
make_parent (const char  *path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE,
                   _("Cannot create the folder %s: %s"), display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Writes the cache for @weights to @output; FALSE with @error on failure. */
static gboolean
write_cache (const ImpastoWeights     *weights,
             const ImpastoModelSource *source,
             const char               *output,
             GError                  **error)
{
  ImpastoEngineError engine_error = { 0 };

  if (!make_parent (output, error))
    return FALSE;
  if (impasto_weights_cache_write (weights, source, output, &engine_error) != IMPASTO_STATUS_OK)
    {
      impasto_error_set_from_engine (error, engine_error.status, &engine_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
impasto_model_store_is_model_file (const char *path)
{
  char head[IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE];
  ssize_t n;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  n = read (fd, head, sizeof head);
  close (fd);
  return n > 0 && impasto_weights_cache_has_magic (head, (size_t) n);
}

/* The cache for a .mat whose identity is @source, if there is one and it is sound; NULL (after a
 * message in the log when a cache was there but unusable) otherwise. */
static ImpastoWeights *
try_cache (const char               *cache_path,
           const ImpastoModelSource *source)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeightsCacheInfo info;
  ImpastoWeights *weights = NULL;
  const char *reason;

  if (!g_file_test (cache_path, G_FILE_TEST_EXISTS))
    return NULL;
  if (impasto_weights_cache_read_info (&info, cache_path, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_message ("Model cache %s is unusable (%s); rebuilding it", cache_path,
                 engine_error.message);
      return NULL;
    }
  reason = impasto_model_store_stale_reason (&info.source, source);
  if (reason != NULL)
    {
      g_message ("Model cache %s is out of date (%s); rebuilding it", cache_path, reason);
      return NULL;
    }
  if (impasto_weights_cache_map (&weights, NULL, cache_path, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_message ("Model cache %s is unusable (%s); rebuilding it", cache_path,
                 engine_error.message);
      return NULL;
    }
  return weights;
}

/* Maps the cache just written at @cache_path in place of @weights, which are freed; keeps
 * @weights if the mapping fails for any reason. */
static ImpastoWeights *
swap_for_mapping (ImpastoWeights *weights,
                  const char     *cache_path,
                  const char     *source_path)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeights *mapped = NULL;

  if (impasto_weights_cache_map (&mapped, NULL, cache_path, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_message ("Model cache %s cannot be read back (%s); using the weights read from the .mat",
                 cache_path, engine_error.message);
      return weights;
    }
  free (mapped->source_path);
  mapped->source_path = g_strdup (source_path);
  impasto_weights_free (weights);
  return mapped;
}

ImpastoWeights *
impasto_model_store_load (const char                *path,
                          const char                *known_md5,
                          ImpastoModelProgressFunc   progress,
                          gpointer                   progress_data,
                          ImpastoModelOrigin        *origin,
                          GError                   **error)
{
  g_autofree char *cache_path = NULL;
  g_autoptr(GError) cache_error = NULL;
  ImpastoModelSource source;
  ImpastoWeights *weights;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A model file is its own identity: no fingerprint of it is needed. */
  if (impasto_model_store_is_model_file (path))
    {
      ImpastoEngineError engine_error = { 0 };

      weights = NULL;
      if (impasto_weights_cache_map (&weights, NULL, path, &engine_error) != IMPASTO_STATUS_OK)
        {
          impasto_error_set_from_engine (error, engine_error.status, &engine_error);
          return NULL;
        }
      if (origin != NULL)
        *origin = IMPASTO_MODEL_ORIGIN_CACHE_FILE;
      return weights;
    }

  if (!source_identity (&source, path, known_md5, &st, error))
    return NULL;
  cache_path = impasto_model_store_cache_path (path);
  weights = try_cache (cache_path, &source);
  if (weights != NULL)
    {
      free (weights->source_path);
      weights->source_path = g_strdup (path);
      if (origin != NULL)
        *origin = IMPASTO_MODEL_ORIGIN_CACHED;
      return weights;
    }

  weights = read_mat (path, &source, &st, progress, progress_data, error);
  if (weights == NULL)
    return NULL;
  if (origin != NULL)
    *origin = IMPASTO_MODEL_ORIGIN_IMPORTED;

  if (!write_cache (weights, &source, cache_path, &cache_error))
    {
      g_warning ("Could not write the model cache, so the next start will read the .mat "
                 "again: %s", cache_error->message);
      return weights;
    }
  return swap_for_mapping (weights, cache_path, path);
}

char *
impasto_model_store_import (const char                *mat_path,
                            const char                *output,
                            const char                *known_md5,
                            ImpastoModelProgressFunc   progress,
                            gpointer                   progress_data,
                            GError                   **error)
{
  g_autofree char *target = NULL;
  ImpastoModelSource source;
  ImpastoWeights *weights;
  struct stat st;
  gboolean written;

  g_return_val_if_fail (mat_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (impasto_model_store_is_model_file (mat_path))
    {
      g_autofree char *display = g_filename_display_name (mat_path);

      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_BAD_MODEL,
                   _("%s is already an Impasto model file; import reads MatConvNet .mat files"),
                   display);
      return NULL;
    }
  if (!source_identity (&source, mat_path, known_md5, &st, error))
    return NULL;

  target = output != NULL ? g_strdup (output) : impasto_model_store_cache_path (mat_path);
  weights = read_mat (mat_path, &source, &st, progress, progress_data, error);
  if (weights == NULL)
    return NULL;
  written = write_cache (weights, &source, target, error);
  impasto_weights_free (weights);
  return written ? g_steal_pointer (&target) : NULL;
}
