/* impasto-model-store.c
 *
 * From a model path to ready weights: map a cache file, answer a .mat from its cache when the
 * cache belongs to it, else read the .mat (impasto_weights_load_with_options(): the engine's
 * reader, matio where it declines) and write the cache (see the header).
 *
 * The .mat is read once. Its MD5, when the caller does not know it, is computed on a second
 * thread from the very bytes the reader reads (handed over through the reader's input callback),
 * and progress is the reader's own count of bytes read over the file size. A file whose MD5 the
 * caller vouches for (after a verified download) is read only as far as its weights; any other
 * is checked whole in that same pass, every compressed variable to the end of its zlib stream
 * (the Adler-32), before its weights are used. (The store used to read such a file twice, the
 * reader up to conv5_4 and a whole-file check beside it, stopping the check when the MD5 turned
 * out to be a published file's; with one pass there is nothing left to stop.)

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
#include "impasto-model-store.h"

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

/* The MD5 thread: the reader hands it the .mat's bytes as it reads them (md5_input, on the
 * reading thread), in MD5_BUFFERS buffers used in turn and handed over under a mutex, so that the
 * file is read once and its MD5 is computed on the other core. */
#define MD5_CHUNK (1u << 20)
#define MD5_BUFFERS 4

typedef struct
{
  GMutex lock;
  GCond cond;
  guint64 filled;         /* buffers handed to the thread so far (under lock) */
  guint64 consumed;       /* buffers the thread is done with (under lock) */
  gboolean done;          /* no more buffers will come (under lock) */
  guint8 *data[MD5_BUFFERS];    /* (MD5_CHUNK) each */
  gsize size[MD5_BUFFERS];      /* bytes in each; written by whoever holds the buffer */
  gsize used;             /* bytes in the reader's current buffer, data[filled % MD5_BUFFERS] */
  gboolean holding;       /* the reader has waited for its current buffer to be free */
  guint64 bytes;          /* bytes handed over */
  guint8 digest[16];
} Md5Job;

static gpointer
md5_thread (gpointer data)
{
  Md5Job *job = data;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  gsize length = sizeof job->digest;

  for (;;)
    {
      guint64 next;

      g_mutex_lock (&job->lock);
      while (job->consumed == job->filled && !job->done)
        g_cond_wait (&job->cond, &job->lock);
      if (job->consumed == job->filled)
        {
          g_mutex_unlock (&job->lock);
          break;
        }
      next = job->consumed;
      g_mutex_unlock (&job->lock);

      g_checksum_update (checksum, job->data[next % MD5_BUFFERS], job->size[next % MD5_BUFFERS]);

      g_mutex_lock (&job->lock);
      job->consumed++;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->lock);
    }
  g_checksum_get_digest (checksum, job->digest, &length);
  return NULL;
}

/* Hands the reader's current buffer to the thread. */
static void
md5_hand_over (Md5Job *job)
{
  g_mutex_lock (&job->lock);
  job->size[job->filled % MD5_BUFFERS] = job->used;
  job->filled++;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  job->used = 0;
  job->holding = FALSE;
}

static void
md5_input (const void *bytes,
           size_t      size,
           void       *data)
{
  Md5Job *job = data;
  const guint8 *p = bytes;

  job->bytes += size;
  while (size > 0)
    {
      gsize k;

      if (!job->holding)
        {
          /* Wait until the thread is done with the buffer that comes next. */
          g_mutex_lock (&job->lock);
          while (job->filled - job->consumed == MD5_BUFFERS)
            g_cond_wait (&job->cond, &job->lock);
          g_mutex_unlock (&job->lock);
          job->holding = TRUE;
        }
      k = MIN (size, MD5_CHUNK - job->used);
      memcpy (job->data[job->filled % MD5_BUFFERS] + job->used, p, k);
      job->used += k;
      p += k;
      size -= k;
      if (job->used == MD5_CHUNK)
        md5_hand_over (job);
    }
}

static GThread *
md5_start (Md5Job *job)
{
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  for (int i = 0; i < MD5_BUFFERS; i++)
    job->data[i] = g_malloc (MD5_CHUNK);
  return g_thread_new ("impasto-md5", md5_thread, job);
}

/* Hands over the last bytes, waits for the digest and frees the buffers. */
static void
md5_finish (Md5Job   *job,
            GThread  *thread)
{
  if (job->used > 0)
    md5_hand_over (job);
  g_mutex_lock (&job->lock);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  g_thread_join (thread);
  for (int i = 0; i < MD5_BUFFERS; i++)
    g_free (job->data[i]);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
}

/* The reader's progress in bytes as the store's 0..1, kept below 1 until the load is done. */
typedef struct
{
  ImpastoModelProgressFunc progress;
  gpointer progress_data;
  double reported;
} Progress;

static bool
on_progress (uint64_t  done,
             uint64_t  total,
             void     *data)
{
  Progress *p = data;
  double fraction = MIN (0.95, 0.95 * (double) done / (double) MAX (total, 1));

  if (fraction >= p->reported + 0.001)
    {
      p->reported = fraction;
      p->progress (fraction, p->progress_data);
    }
  return true;
}

/* Reads the .mat (impasto_weights_load_with_options: the engine's reader, matio where it
 * declines) and fills @source->md5 (when it was not known) from the same pass. A file whose MD5
 * the caller vouches for (@source->has_md5: a verified download) is read only as far as its
 * weights; any other is read and checked whole, its compressed data to the end of every zlib
 * stream (Adler-32), in that one pass. */
static ImpastoWeights *
read_mat (const char                *path,
          ImpastoModelSource        *source,
          ImpastoModelProgressFunc   progress,
          gpointer                   progress_data,
          GError                   **error)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeightsLoadOptions options = { .reader = IMPASTO_WEIGHTS_READER_AUTO };
  ImpastoWeights *weights = NULL;
  Progress reported = { progress, progress_data, 0.0 };
  Md5Job md5_job = { 0 };
  GThread *md5 = NULL;
  ImpastoStatus status;

  if (progress != NULL)
    {
      options.progress = on_progress;
      options.progress_data = &reported;
    }
  if (!source->has_md5)
    {
      options.check_whole_file = TRUE;
      options.input = md5_input;
      options.input_data = &md5_job;
      md5 = md5_start (&md5_job);
    }

  status = impasto_weights_load_with_options (&weights, path, &options, &engine_error);

  if (md5 != NULL)
    {
      md5_finish (&md5_job, md5);
      if (md5_job.bytes == source->size)
        {
          memcpy (source->md5, md5_job.digest, 16);
          source->has_md5 = TRUE;
        }
      else if (status == IMPASTO_STATUS_OK)
        {
          /* Read by matio alone (a v7.3 file): the MD5 from a pass of its own. */
          g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
          gsize length = 16;
          int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

          if (fd >= 0 && impasto_checksum_fd (checksum, fd, NULL, NULL))
            {
              g_checksum_get_digest (checksum, source->md5, &length);
              source->has_md5 = TRUE;
            }
          if (fd >= 0)
            close (fd);
        }
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

char *
impasto_model_store_get_md5 (const char *path)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeightsCacheInfo info;
  g_autofree char *cache_path = NULL;
  ImpastoModelSource source;
  char hex[33];
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  if (impasto_model_store_is_model_file (path))
    {
      if (impasto_weights_cache_read_info (&info, path, &engine_error) != IMPASTO_STATUS_OK)
        return NULL;
    }
  else
    {
      cache_path = impasto_model_store_cache_path (path);
      if (!source_identity (&source, path, NULL, &st, NULL)
          || impasto_weights_cache_read_info (&info, cache_path, &engine_error)
             != IMPASTO_STATUS_OK
          || impasto_model_store_stale_reason (&info.source, &source) != NULL)
        return NULL;
    }
  if (!info.source.has_md5)
    return NULL;
  impasto_md5_hex (info.source.md5, hex);
  return g_strdup (hex);
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

  weights = read_mat (path, &source, progress, progress_data, error);
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
  weights = read_mat (mat_path, &source, progress, progress_data, error);
  if (weights == NULL)
    return NULL;
  written = write_cache (weights, &source, target, error);
  impasto_weights_free (weights);
  return written ? g_steal_pointer (&target) : NULL;
}
