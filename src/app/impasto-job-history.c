/* impasto-job-history.c
 *
 * A job's history on disk: while the run paints, its worker writes engine snapshots
 * (impasto-ladder-snapshot.h) into the run folder, `snapshot-000120.impasto-snapshot` after the
 * 120th iteration, each written atomically by the engine. The schedule takes the first iterations
 * often and then spaces them out (after 1, 2, 5, 10, 20, 50, 100, ... iterations, where a run's
 * look changes most, and once more when it finishes), and at least every
 * IMPASTO_JOB_SNAPSHOT_INTERVAL_S seconds, so that a crash loses at most a minute of painting
 * while the writes (12.6 MB at 512 × 512 with Adam, 69 MB with L-BFGS) cost well under 1% of
 * that minute. The history is bounded: at most IMPASTO_JOB_MAX_SNAPSHOTS snapshots and
 * IMPASTO_JOB_MAX_SNAPSHOT_BYTES bytes (their pictures counted); beyond either, the snapshot
 * whose neighbours are closest together goes (never the first nor the newest), which keeps a
 * spread over the whole run. The newest is always kept, even alone beyond the bytes: it
 * is what continues the run. After each snapshot the folder's run.ini (the caller's GKeyFile,
 * with the newest snapshot's name, iteration and losses) is rewritten atomically, after the new
 * snapshot and before any old one is removed, so that it always names a file that exists.
 *
 * Beside each snapshot lies its picture, `snapshot-000120.png`: the picture after that iteration
 * at the final size, as painted (without the photo's chroma, which the window applies as the
 * colours say when it shows it), an RGB PNG written atomically with little compression (several
 * times faster than the default level; a small share of the snapshot's bytes, which the bounds
 * count). The worker allocates it only when a snapshot is due. A picture that cannot be written
 * leaves its snapshot without one, and says so once.
 *
 * A run is branched (impasto_job_branch_run_folder()) by a new folder that holds the snapshots up
 * to where it branches, hard links to the old run's files where the file system allows: the job
 * continued there takes them over as its own, with the losses and sizes of the old run's records,
 * and the old run's folder can then go. A run continued from a snapshot in its own folder writes
 * run.ini as soon as it has read it, so that the folder can be restored from the start.
 *
 * A run saved for later (the window's Save Run…) keeps its records beside the snapshots as text
 * (impasto_job_write_records(), read back bit for bit), for the run that continues it.
 *
 * The main thread reads the list of snapshots (under @history_mutex) and deletes the folder when
 * the run is discarded; the worker then writes nothing more and removes whatever it was writing
 * at that moment. This file does not decide when a run is discarded, restored or branched (the
 * window does), nor does it hold the photo and paintings: run.ini names them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-job"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "impasto-file-io.h"
#include "impasto-job-private.h"
#include "impasto-ladder-snapshot.h"
#include "impasto-snapshot-format.h"

#define SNAPSHOT_PREFIX "snapshot-"
#define SNAPSHOT_SUFFIX ".impasto-snapshot"
#define PICTURE_SUFFIX ".png"

static void
snapshot_clear (gpointer data)
{
  ImpastoJobSnapshot *snapshot = data;

  g_clear_pointer (&snapshot->path, g_free);
  g_clear_pointer (&snapshot->picture, g_free);
}

/* The iteration of a snapshot's file name (`snapshot-000120.impasto-snapshot`), or 0 for any
 * other name (a temporary file, run.ini, a picture). */
static int
snapshot_name_iteration (const char *name)
{
  const char *digits;
  char *end = NULL;
  guint64 iteration;

  if (!g_str_has_prefix (name, SNAPSHOT_PREFIX))
    return 0;
  digits = name + strlen (SNAPSHOT_PREFIX);
  if (!g_ascii_isdigit (*digits))
    return 0;
  iteration = g_ascii_strtoull (digits, &end, 10);
  if (end == NULL || strcmp (end, SNAPSHOT_SUFFIX) != 0 || iteration > G_MAXINT)
    return 0;
  return (int) iteration;
}

/* The name of the picture beside the snapshot after @iteration. */
static char *
picture_name (int iteration)
{
  return g_strdup_printf (SNAPSHOT_PREFIX "%06d" PICTURE_SUFFIX, iteration);
}

void
_impasto_job_history_init (ImpastoJob *self)
{
  g_mutex_init (&self->history_mutex);
  self->snapshots = g_array_new (FALSE, TRUE, sizeof (ImpastoJobSnapshot));
  g_array_set_clear_func (self->snapshots, snapshot_clear);
}

void
_impasto_job_history_clear (ImpastoJob *self)
{
  g_clear_pointer (&self->snapshots, g_array_unref);
  g_clear_pointer (&self->run_folder, g_free);
  g_clear_pointer (&self->run_info, g_key_file_unref);
  g_clear_pointer (&self->resume_snapshot, g_free);
  g_mutex_clear (&self->history_mutex);
}

static int
compare_snapshots (gconstpointer a,
                   gconstpointer b)
{
  const ImpastoJobSnapshot *x = a;
  const ImpastoJobSnapshot *y = b;

  return (x->iteration > y->iteration) - (x->iteration < y->iteration);
}

/* The record of @iteration among @records (in order of iteration), or NULL. */
static const ImpastoJobRecord *
find_record (const ImpastoJobRecord *records,
             guint                   n_records,
             int                     iteration)
{
  guint low = 0;
  guint high = n_records;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (records[mid].iteration < iteration)
        low = mid + 1;
      else
        high = mid;
    }
  return low < n_records && records[low].iteration == iteration ? &records[low] : NULL;
}

void
_impasto_job_history_adopt (ImpastoJob             *self,
                            const ImpastoJobRecord *records,
                            guint                   n_records)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (self->run_folder == NULL || self->resume_snapshot == NULL)
    return;
  dir = g_dir_open (self->run_folder, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      ImpastoJobSnapshot snapshot = { 0 };
      const ImpastoJobRecord *record;
      g_autofree char *picture = NULL;
      GStatBuf st;
      int iteration = snapshot_name_iteration (name);

      if (iteration == 0 || iteration > self->resume_iteration)
        continue;
      record = find_record (records, n_records, iteration);
      snapshot.iteration = iteration;
      snapshot.scale = record != NULL ? record->scale : -1;
      snapshot.loss = record != NULL ? record->losses.total : NAN;
      snapshot.path = g_build_filename (self->run_folder, name, NULL);
      snapshot.bytes = g_stat (snapshot.path, &st) == 0 ? (guint64) st.st_size : 0;
      picture = picture_name (iteration);
      snapshot.picture = g_build_filename (self->run_folder, picture, NULL);
      if (g_stat (snapshot.picture, &st) == 0 && S_ISREG (st.st_mode))
        snapshot.bytes += (guint64) st.st_size;
      else
        g_clear_pointer (&snapshot.picture, g_free);
      g_array_append_val (self->snapshots, snapshot);
    }
  g_array_sort (self->snapshots, compare_snapshots);
}

char *
impasto_job_dup_runs_folder (void)
{
  return g_build_filename (g_get_user_cache_dir (), "impasto", "runs", NULL);
}

gboolean
impasto_job_snapshot_due (int    steps,
                          double seconds)
{
  int decade = 1;

  if (steps <= 0)
    return FALSE;
  if (seconds >= IMPASTO_JOB_SNAPSHOT_INTERVAL_S)
    return TRUE;
  while (decade <= steps / 10)
    decade *= 10;
  return steps == decade || steps == 2 * decade || steps == 5 * decade;
}

int
impasto_job_snapshot_to_drop (const int *iterations,
                              int        n)
{
  int best = -1;
  int best_gap = G_MAXINT;

  for (int i = 1; i < n - 1; i++)
    {
      int gap = iterations[i + 1] - iterations[i - 1];

      if (gap < best_gap)
        {
          best = i;
          best_gap = gap;
        }
    }
  return best;
}

/* Removes every file in @folder and the folder (what is there is ours: snapshots, run.ini and
 * their temporary files). Any thread; what is already gone is no error. @busy_ok: the worker may
 * be writing into it at this moment (a file made after the listing keeps the folder); it removes
 * the folder itself once it has written, so that is no error either. */
static void
remove_folder_full (const char *folder,
                    gboolean    busy_ok)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);

        if (g_unlink (path) != 0 && errno != ENOENT)
          g_warning ("Could not remove %s: %s", path, g_strerror (errno));
      }
  if (g_rmdir (folder) != 0 && errno != ENOENT)
    {
      if (busy_ok && errno == ENOTEMPTY)
        g_debug ("%s is being written; the worker removes it when it has written", folder);
      else
        g_warning ("Could not remove %s: %s", folder, g_strerror (errno));
    }
}

static void
remove_folder (const char *folder)
{
  remove_folder_full (folder, FALSE);
}

/* Worker: whether the run was discarded; if so, removes what is left of its folder. */
static gboolean
history_discarded (ImpastoJob *self)
{
  gboolean discarded;

  g_mutex_lock (&self->history_mutex);
  discarded = self->discarded;
  g_mutex_unlock (&self->history_mutex);
  if (discarded)
    remove_folder (self->run_folder);
  return discarded;
}

static void
history_warn (ImpastoJob  *self,
              char       **warning,
              const char  *message)
{
  if (self->snapshot_failed)
    return;
  self->snapshot_failed = TRUE;
  g_free (*warning);
  *warning = g_strdup_printf (_("The run's history is not kept: %s"), message);
}

/* Worker: run.ini, naming @snapshot. */
static gboolean
history_write_info (ImpastoJob                *self,
                    const ImpastoJobSnapshot  *snapshot,
                    const ImpastoLosses       *losses,
                    GError                   **error)
{
  g_autofree char *name = g_path_get_basename (snapshot->path);
  g_autofree char *path = g_build_filename (self->run_folder, "run.ini", NULL);
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_string (self->run_info, "snapshot", "name", name);
  g_key_file_set_integer (self->run_info, "snapshot", "iteration", snapshot->iteration);
  g_key_file_set_integer (self->run_info, "snapshot", "scale", snapshot->scale);
  g_key_file_set_double (self->run_info, "snapshot", "loss", losses->total);
  g_key_file_set_double (self->run_info, "snapshot", "content-loss", losses->content);
  g_key_file_set_double (self->run_info, "snapshot", "style-loss", losses->style);
  g_key_file_set_double (self->run_info, "snapshot", "tv-loss", losses->tv_term);
  data = g_key_file_to_data (self->run_info, &length, NULL);
  return g_file_set_contents (path, data, (gssize) length, error);
}

gboolean
_impasto_job_history_due (ImpastoJob *self,
                          int         steps,
                          gboolean    force)
{
  gint64 now;

  if (self->run_folder == NULL || self->snapshot_failed)
    return FALSE;
  if (force)
    {
      gboolean written;

      /* The newest kept already is of these very steps (a finished run just written). */
      g_mutex_lock (&self->history_mutex);
      written = self->snapshots->len > 0
                && g_array_index (self->snapshots, ImpastoJobSnapshot,
                                  self->snapshots->len - 1).iteration == steps;
      g_mutex_unlock (&self->history_mutex);
      return !written;
    }
  now = g_get_monotonic_time ();
  return impasto_job_snapshot_due (steps, 0.0)
         || (self->last_snapshot != 0
             && (now - self->last_snapshot) / (double) G_USEC_PER_SEC >= self->snapshot_interval);
}

/* Worker: @rgb (@height rows of @width × 3 bytes) as the PNG @path, atomically (a temporary file
 * beside it, renamed over it; removed on failure); its size into *@bytes. */
static gboolean
history_write_picture (const char    *path,
                       const guint8  *rgb,
                       int            width,
                       int            height,
                       guint64       *bytes,
                       GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *temp_name = g_strdup_printf (".%s.XXXXXX", name);
  g_autofree char *temp = g_build_filename (folder, temp_name, NULL);
  g_autofree gchar *data = NULL;
  gsize size = 0;
  int saved_errno;
  int fd;

  pixbuf = gdk_pixbuf_new_from_data (rgb, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                     width * 3, NULL, NULL);
  /* Level 1: at 512 × 512 with some texture about 20 ms against the default level's 120 ms, for
   * 15% more bytes. */
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", error, "compression", "1", NULL))
    return FALSE;
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", temp,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (!impasto_write_all (fd, (const guint8 *) data, size) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      goto fail;
    }
  if (close (fd) != 0 || g_rename (temp, path) != 0)
    {
      saved_errno = errno;
      goto fail;
    }
  *bytes = size;
  return TRUE;

fail:
  g_unlink (temp);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

void
_impasto_job_history_write (ImpastoJob          *self,
                            ImpastoLadder       *ladder,
                            int                  steps,
                            const ImpastoLosses *losses,
                            const guint8        *rgb,
                            int                  width,
                            int                  height,
                            char               **warning)
{
  ImpastoEngineError engine_error = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  ImpastoJobSnapshot snapshot = { 0 };
  g_autofree char *name = NULL;
  g_autofree char *picture = NULL;
  GStatBuf st;
  guint64 total = 0;
  guint64 picture_bytes = 0;

  if (self->run_folder == NULL || self->snapshot_failed)
    return;
  if (history_discarded (self))
    return;
  self->last_snapshot = g_get_monotonic_time ();

  if (g_mkdir_with_parents (self->run_folder, 0700) != 0)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", self->run_folder,
                                                  g_strerror (errno));

      history_warn (self, warning, message);
      return;
    }
  name = g_strdup_printf (SNAPSHOT_PREFIX "%06d" SNAPSHOT_SUFFIX, steps);
  snapshot.path = g_build_filename (self->run_folder, name, NULL);
  snapshot.iteration = steps;
  snapshot.scale = impasto_ladder_get_scale (ladder);
  snapshot.loss = losses->total;
  if (impasto_ladder_snapshot_write (ladder, snapshot.path, &engine_error) != IMPASTO_STATUS_OK)
    {
      history_warn (self, warning, engine_error.message);
      impasto_engine_error_clear (&engine_error);
      g_free (snapshot.path);
      history_discarded (self);
      return;
    }
  snapshot.bytes = g_stat (snapshot.path, &st) == 0 ? (guint64) st.st_size : 0;

  /* Its picture; without it, the snapshot still continues the run. */
  picture = picture_name (steps);
  snapshot.picture = g_build_filename (self->run_folder, picture, NULL);
  if (rgb == NULL)
    g_set_error_literal (&error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, _("out of memory"));
  if (rgb == NULL
      || !history_write_picture (snapshot.picture, rgb, width, height, &picture_bytes, &error))
    {
      if (!self->picture_failed)
        {
          self->picture_failed = TRUE;
          g_free (*warning);
          *warning = g_strdup_printf (_("Snapshots of the run are kept without their "
                                        "pictures: %s"), error->message);
        }
      g_clear_error (&error);
      g_clear_pointer (&snapshot.picture, g_free);
    }
  snapshot.bytes += picture_bytes;

  if (!history_write_info (self, &snapshot, losses, &error))
    history_warn (self, warning, error->message);

  /* Into the list, and out of it what goes beyond the bounds. */
  g_mutex_lock (&self->history_mutex);
  if (!self->discarded)
    {
      ImpastoJobSnapshot *kept;

      /* A continued run may come back over iterations it kept already (the same name). */
      for (guint i = 0; i < self->snapshots->len; i++)
        if (g_array_index (self->snapshots, ImpastoJobSnapshot, i).iteration >= steps)
          {
            g_array_set_size (self->snapshots, i);
            break;
          }
      g_array_append_val (self->snapshots, snapshot);
      snapshot.path = NULL;
      snapshot.picture = NULL;
      kept = (ImpastoJobSnapshot *) (gpointer) self->snapshots->data;
      for (guint i = 0; i < self->snapshots->len; i++)
        total += kept[i].bytes;
      while (self->snapshots->len > 1
             && ((int) self->snapshots->len > self->max_snapshots
                 || total > self->max_snapshot_bytes))
        {
          int iterations[IMPASTO_JOB_MAX_SNAPSHOTS * 2];
          int n = MIN ((int) self->snapshots->len, (int) G_N_ELEMENTS (iterations));
          int drop;

          kept = (ImpastoJobSnapshot *) (gpointer) self->snapshots->data;
          for (int i = 0; i < n; i++)
            iterations[i] = kept[i].iteration;
          /* Two left (the first and the newest) and still too many bytes: the first goes. */
          drop = n < 3 ? 0 : impasto_job_snapshot_to_drop (iterations, n);
          total -= kept[drop].bytes;
          g_ptr_array_add (dropped, g_steal_pointer (&kept[drop].path));
          if (kept[drop].picture != NULL)
            g_ptr_array_add (dropped, g_steal_pointer (&kept[drop].picture));
          g_array_remove_index (self->snapshots, (guint) drop);
        }
    }
  g_mutex_unlock (&self->history_mutex);
  g_free (snapshot.path);
  g_free (snapshot.picture);

  for (guint i = 0; i < dropped->len; i++)
    g_unlink (g_ptr_array_index (dropped, i));
  history_discarded (self);
}

void
_impasto_job_history_resumed (ImpastoJob     *self,
                              ImpastoLadder  *ladder,
                              char          **warning)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dirname = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *ours = NULL;
  ImpastoJobSnapshot snapshot = { 0 };

  /* The time between snapshots counts from here: a run continued at 600 iterations would
   * otherwise keep none until its 1000th. */
  self->last_snapshot = g_get_monotonic_time ();
  if (self->run_folder == NULL || self->resume_snapshot == NULL || self->snapshot_failed)
    return;
  /* run.ini names the snapshot in its own folder only. */
  dirname = g_path_get_dirname (self->resume_snapshot);
  folder = g_canonicalize_filename (dirname, NULL);
  ours = g_canonicalize_filename (self->run_folder, NULL);
  if (strcmp (folder, ours) != 0 || history_discarded (self))
    return;
  snapshot.iteration = self->resume_iteration;
  snapshot.scale = impasto_ladder_get_scale (ladder);
  snapshot.path = self->resume_snapshot;
  if (!history_write_info (self, &snapshot, &self->resume_losses, &error))
    history_warn (self, warning, error->message);
  history_discarded (self);
}

void
_impasto_job_history_finish (ImpastoJob *self)
{
  if (self->run_folder != NULL)
    history_discarded (self);
}

GArray *
impasto_job_dup_snapshots (ImpastoJob *self)
{
  GArray *copy;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  copy = g_array_new (FALSE, TRUE, sizeof (ImpastoJobSnapshot));
  g_array_set_clear_func (copy, snapshot_clear);
  g_mutex_lock (&self->history_mutex);
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      ImpastoJobSnapshot snapshot = g_array_index (self->snapshots, ImpastoJobSnapshot, i);

      snapshot.path = g_strdup (snapshot.path);
      snapshot.picture = g_strdup (snapshot.picture);
      g_array_append_val (copy, snapshot);
    }
  g_mutex_unlock (&self->history_mutex);
  return copy;
}

int
impasto_job_get_start_iteration (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->resume_snapshot != NULL ? self->resume_iteration : 0;
}

const char *
impasto_job_get_run_folder (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->run_folder;
}

gboolean
impasto_job_read_snapshot_params (const char            *path,
                                  ImpastoSessionParams  *params,
                                  GError               **error)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoSnapshot *snapshot;
  ImpastoStatus status;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  /* The header alone (a snapshot may be gigabytes); on the heap, as the description holds a few
   * hundred pointers. */
  snapshot = g_new0 (ImpastoSnapshot, 1);
  status = impasto_snapshot_load_header (snapshot, path, &engine_error);
  if (status == IMPASTO_STATUS_OK)
    *params = snapshot->params;
  else
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, engine_error.message);
      impasto_engine_error_clear (&engine_error);
    }
  g_free (snapshot);
  return status == IMPASTO_STATUS_OK;
}

void
impasto_job_remove_run_folder (const char *folder)
{
  g_return_if_fail (folder != NULL);

  remove_folder (folder);
}

void
impasto_job_delete_run_folder (ImpastoJob *self)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  if (self->run_folder == NULL)
    return;
  g_mutex_lock (&self->history_mutex);
  self->discarded = TRUE;
  g_array_set_size (self->snapshots, 0);
  g_mutex_unlock (&self->history_mutex);
  remove_folder_full (self->run_folder, TRUE);
}

/* Makes @folder and the parents it lacks (0700), adding each one made to @made, parents first. */
static gboolean
branch_make_folder (const char  *folder,
                    GPtrArray   *made,
                    GError     **error)
{
  g_autofree char *parent = NULL;
  int saved_errno;

  if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    return TRUE;
  parent = g_path_get_dirname (folder);
  if (strcmp (parent, folder) != 0 && !branch_make_folder (parent, made, error))
    return FALSE;
  if (g_mkdir (folder, 0700) != 0)
    {
      g_autofree char *display = g_filename_display_name (folder);

      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not make the folder %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  g_ptr_array_add (made, g_strdup (folder));
  return TRUE;
}

/* @from as @to: a hard link, or a copy where there can be none (another file system); *@put
 * FALSE (and no error) when @from is gone meanwhile (a snapshot its run dropped). */
static gboolean
branch_put_file (const char  *from,
                 const char  *to,
                 gboolean    *put,
                 GError     **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) destination = NULL;

  *put = TRUE;
  if (link (from, to) == 0)
    return TRUE;
  if (errno == ENOENT && !g_file_test (from, G_FILE_TEST_EXISTS))
    {
      *put = FALSE;
      return TRUE;
    }
  source = g_file_new_for_path (from);
  destination = g_file_new_for_path (to);
  if (g_file_copy (source, destination, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, error))
    return TRUE;
  g_unlink (to);
  return FALSE;
}

gboolean
impasto_job_branch_run_folder (const char  *from_folder,
                               const char  *to_folder,
                               int          iteration,
                               GError     **error)
{
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean ok = TRUE;

  g_return_val_if_fail (from_folder != NULL, FALSE);
  g_return_val_if_fail (to_folder != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* What goes over: each snapshot up to @iteration, and its picture if it has one. */
  dir = g_dir_open (from_folder, 0, &local_error);
  if (dir == NULL)
    {
      g_autofree char *display = g_filename_display_name (from_folder);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("Could not read the run's folder %s: %s"), display, local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      int snapshot_iteration = snapshot_name_iteration (name);
      g_autofree char *picture = NULL;
      g_autofree char *picture_path = NULL;

      if (snapshot_iteration == 0 || snapshot_iteration > iteration)
        continue;
      g_ptr_array_add (names, g_strdup (name));
      picture = picture_name (snapshot_iteration);
      picture_path = g_build_filename (from_folder, picture, NULL);
      if (g_file_test (picture_path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_steal_pointer (&picture));
    }

  if (!branch_make_folder (to_folder, folders, error))
    ok = FALSE;
  else if (folders->len == 0)
    {
      /* A folder that was there already: only an empty one, so that nothing else mixes in. */
      g_autoptr(GDir) existing = g_dir_open (to_folder, 0, NULL);

      if (existing != NULL && g_dir_read_name (existing) != NULL)
        {
          g_autofree char *display = g_filename_display_name (to_folder);

          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       _("Could not branch the run into %s: the folder is not empty"), display);
          return FALSE;
        }
    }
  for (guint i = 0; ok && i < names->len; i++)
    {
      g_autofree char *from = g_build_filename (from_folder, names->pdata[i], NULL);
      g_autofree char *to = g_build_filename (to_folder, names->pdata[i], NULL);
      gboolean put;

      if (branch_put_file (from, to, &put, &local_error))
        {
          if (put)
            g_ptr_array_add (made, g_steal_pointer (&to));
        }
      else
        {
          g_autofree char *display = g_filename_display_name (from);
          g_autofree char *display_folder = g_filename_display_name (to_folder);

          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       _("Could not put %s into %s: %s"), display, display_folder,
                       local_error->message);
          ok = FALSE;
        }
    }
  if (ok)
    return TRUE;

  /* Nothing of it is left: the files, then the folders made, deepest first. */
  for (guint i = made->len; i > 0; i--)
    g_unlink (made->pdata[i - 1]);
  for (guint i = folders->len; i > 0; i--)
    g_rmdir (folders->pdata[i - 1]);
  return FALSE;
}

char *
impasto_job_find_newest_snapshot (const char *folder,
                                  int        *iteration)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *newest = NULL;
  const char *name;
  int best = 0;

  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (iteration != NULL, NULL);

  *iteration = 0;
  dir = g_dir_open (folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      int found = snapshot_name_iteration (name);

      if (found > best)
        {
          best = found;
          g_free (newest);
          newest = g_strdup (name);
        }
    }
  *iteration = best;
  return g_steal_pointer (&newest);
}

/* A run's records as text ----------------------------------------------------------------- */

#define RECORDS_HEADER "# iteration\tscale\twidth\theight\talpha\tbeta\ttv\tlearning-rate\t" \
                       "loss\tcontent-loss\tstyle-loss\ttv-loss\tms"
#define RECORDS_FIELDS 13

/* @value with 17 significant digits (round trip), in the C locale. */
static void
append_double (GString *text,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (text, '\t');
  g_string_append (text, g_ascii_formatd (buffer, sizeof buffer, "%.17g", value));
}

gboolean
impasto_job_write_records (const char              *path,
                           const ImpastoJobRecord  *records,
                           guint                    n_records,
                           GError                 **error)
{
  g_autoptr(GString) text = g_string_new (RECORDS_HEADER "\n");

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (records != NULL || n_records == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_records; i++)
    {
      const ImpastoJobRecord *record = &records[i];

      g_string_append_printf (text, "%d\t%d\t%d\t%d", record->iteration, record->scale,
                              record->width, record->height);
      append_double (text, record->alpha);
      append_double (text, record->beta);
      append_double (text, record->tv);
      append_double (text, record->learning_rate);
      append_double (text, record->losses.total);
      append_double (text, record->losses.content);
      append_double (text, record->losses.style);
      append_double (text, record->losses.tv_term);
      append_double (text, record->ms);
      g_string_append_c (text, '\n');
    }
  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

static gboolean
parse_int (const char *field,
           int         min,
           int        *value)
{
  gint64 number;

  if (!g_ascii_string_to_signed (field, 10, min, G_MAXINT, &number, NULL))
    return FALSE;
  *value = (int) number;
  return TRUE;
}

static gboolean
parse_double (const char *field,
              double     *value)
{
  char *end = NULL;

  if (*field == '\0')
    return FALSE;
  *value = g_ascii_strtod (field, &end);
  return end != NULL && *end == '\0';
}

GArray *
impasto_job_read_records (const char  *path,
                          GError     **error)
{
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (ImpastoJobRecord));
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint line_number = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      g_auto(GStrv) fields = NULL;
      ImpastoJobRecord record = { 0 };
      gboolean ok;

      line_number++;
      if (**line == '\0' || **line == '#')
        continue;
      fields = g_strsplit (*line, "\t", -1);
      ok = g_strv_length (fields) == RECORDS_FIELDS
           && parse_int (fields[0], 0, &record.iteration)
           && parse_int (fields[1], 0, &record.scale)
           && parse_int (fields[2], 1, &record.width)
           && parse_int (fields[3], 1, &record.height)
           && parse_double (fields[4], &record.alpha)
           && parse_double (fields[5], &record.beta)
           && parse_double (fields[6], &record.tv)
           && parse_double (fields[7], &record.learning_rate)
           && parse_double (fields[8], &record.losses.total)
           && parse_double (fields[9], &record.losses.content)
           && parse_double (fields[10], &record.losses.style)
           && parse_double (fields[11], &record.losses.tv_term)
           && parse_double (fields[12], &record.ms);
      if (ok && records->len > 0
          && record.iteration <= g_array_index (records, ImpastoJobRecord,
                                                records->len - 1).iteration)
        ok = FALSE;
      if (!ok)
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("%s, line %u: not a record of the run"), display, line_number);
          return NULL;
        }
      g_array_append_val (records, record);
    }
  return g_steal_pointer (&records);
}
