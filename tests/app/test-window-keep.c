/* test-window-keep.c
 *
 * Save Run… and Open Run…, with the whole application under Xvfb and a tiny random VGG19 (the
 * 48 × 40 photo at 40 px, smallest side 16: three sizes), Adam, 40 iterations. A run paints to
 * its end and is saved into a new folder (through the function the file chooser calls): it holds
 * every snapshot the run keeps with its picture, copies of the photo and the painting, the
 * records (read back bit for bit) and a run.ini that is not running and names the newest
 * snapshot. Saving into a folder that is not empty is refused and leaves it as it was. With the
 * original photo and painting deleted, opening a folder without run.ini, or one whose newest
 * snapshot is missing, is refused with a toast and the painting stays; opening the saved run
 * asks "Save the Painting?", then continues from its newest snapshot in a new run folder under
 * the cache: its timeline lists the same snapshots, its history is the original's (losses bit
 * for bit) and its picture the original's, and Continue From Here at a snapshot of the smallest
 * size paints the same picture again. Last, a long run is saved while it paints (run.ini names the
 * newest snapshot in the folder and the records go up to it, as the run's), and that folder is
 * opened while the run still paints: the run stops, and the opened one goes on from the snapshot
 * with the run's losses. Once the window is closed, the saved folder is as it was and no run
 * folder is left in the cache.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-keep"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  char *saved;               /* the folder the run is saved in */
  GHashTable *saved_files;   /* its files' names → their checksums, once saved */
} Test;

static Test test;

static gboolean
finished (gpointer data)
{
  ImpastoJob *job = test.run.window->job;

  return job != NULL && job != data && impasto_job_get_state (job) == IMPASTO_JOB_FINISHED;
}

static gboolean
toast_shown (gpointer data)
{
  return test_app_find_label (GTK_WIDGET (test.run.window), data) != NULL;
}

/* The names of the files in @folder, each with the SHA-256 of its contents. */
static GHashTable *
folder_checksums (const char *folder)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_hash_table_insert (files, g_strdup (name),
                           g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                        (const guchar *) contents, length));
    }
  return files;
}

static void
assert_same_files (GHashTable *a,
                   GHashTable *b)
{
  GHashTableIter iter;
  gpointer name, checksum;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &name, &checksum))
    g_assert_cmpstr (g_hash_table_lookup (b, name), ==, checksum);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  gsize nx, ny;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

/* The records' run: iterations, sizes and losses alike, bit for bit (the milliseconds and the
 * parameter serials are the run's own). */
static void
assert_same_records (const ImpastoJobRecord *a,
                     guint                   n_a,
                     const ImpastoJobRecord *b,
                     guint                   n_b)
{
  g_assert_cmpuint (n_a, ==, n_b);
  for (guint i = 0; i < n_a; i++)
    {
      g_assert_cmpint (a[i].iteration, ==, b[i].iteration);
      g_assert_cmpint (a[i].scale, ==, b[i].scale);
      g_assert_cmpint (a[i].width, ==, b[i].width);
      g_assert_cmpint (a[i].height, ==, b[i].height);
      g_assert_cmpmem (&a[i].losses, sizeof a[i].losses, &b[i].losses, sizeof b[i].losses);
    }
}

/* Whether @name is enabled, asked as GtkActionable asks: a throwaway button's sensitivity. */
static gboolean
action_enabled (ImpastoWindow *window,
                const char    *name)
{
  g_autoptr(GtkWidget) button = g_object_ref_sink (gtk_button_new ());
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), name);
  gtk_widget_set_parent (button, GTK_WIDGET (window->canvas_stack));
  enabled = gtk_widget_get_sensitive (button);
  gtk_widget_unparent (button);
  return enabled;
}

/* Save Run… into a new folder: everything the run needs, nothing of its originals. */
static void
check_save (ImpastoWindow *window)
{
  ImpastoJob *job = window->job;
  g_autoptr(GArray) kept = impasto_job_dup_snapshots (job);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = g_build_filename (test.saved, "run.ini", NULL);
  g_autofree char *history = g_build_filename (test.saved, "history.tsv", NULL);
  g_autofree char *photo = g_build_filename (test.saved, "photo.png", NULL);
  g_autofree char *painting = g_build_filename (test.saved, "painting-1.png", NULL);
  g_autofree char *name = NULL;
  g_auto(GStrv) paintings = NULL;
  const ImpastoJobSnapshot *newest;
  const ImpastoJobRecord *original;
  guint n_original;

  g_assert_true (action_enabled (window, "win.save-run"));
  g_assert_true (action_enabled (window, "win.open-run"));
  _impasto_window_save_run_to (window, test.saved);
  test_app_wait_until (toast_shown, (gpointer) "Run saved to", 60, "the run to be saved");
  g_assert_true (g_file_test (test.saved, G_FILE_TEST_IS_DIR));

  /* Every snapshot the run keeps, with its picture. */
  g_assert_cmpuint (kept->len, >=, 4);
  for (guint i = 0; i < kept->len; i++)
    {
      const ImpastoJobSnapshot *snapshot = &g_array_index (kept, ImpastoJobSnapshot, i);
      g_autofree char *base = g_path_get_basename (snapshot->path);
      g_autofree char *picture = g_path_get_basename (snapshot->picture);
      g_autofree char *copy = g_build_filename (test.saved, base, NULL);
      g_autofree char *picture_copy = g_build_filename (test.saved, picture, NULL);

      g_assert_true (same_file (snapshot->path, copy));
      g_assert_true (same_file (snapshot->picture, picture_copy));
    }

  /* The photo and the painting, copied. */
  g_assert_true (same_file (test.run.content, photo));
  g_assert_true (same_file (test.run.style, painting));

  /* The records, bit for bit. */
  records = impasto_job_read_records (history, &error);
  g_assert_no_error (error);
  original = impasto_job_get_history (job, &n_original);
  g_assert_cmpuint (records->len, ==, n_original);
  for (guint i = 0; i < n_original; i++)
    {
      const ImpastoJobRecord *record = &g_array_index (records, ImpastoJobRecord, i);

      assert_same_records (&original[i], 1, record, 1);
      g_assert_cmpmem (&original[i].alpha, sizeof (double), &record->alpha, sizeof (double));
      g_assert_cmpmem (&original[i].beta, sizeof (double), &record->beta, sizeof (double));
      g_assert_cmpmem (&original[i].tv, sizeof (double), &record->tv, sizeof (double));
      g_assert_cmpmem (&original[i].learning_rate, sizeof (double), &record->learning_rate,
                       sizeof (double));
      g_assert_cmpmem (&original[i].ms, sizeof (double), &record->ms, sizeof (double));
    }

  /* run.ini: not running, its pictures by the copies' names, the newest snapshot. */
  g_assert_true (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL));
  g_assert_false (g_key_file_get_boolean (info, "run", "running", NULL));
  g_assert_false (g_key_file_has_key (info, "run", "pid", NULL));
  g_assert_true (g_key_file_has_group (info, "Impasto"));
  name = g_key_file_get_string (info, "run", "photo", NULL);
  g_assert_cmpstr (name, ==, "photo.png");
  paintings = g_key_file_get_string_list (info, "run", "paintings", NULL, NULL);
  g_assert_cmpuint (g_strv_length (paintings), ==, 1);
  g_assert_cmpstr (paintings[0], ==, "painting-1.png");
  newest = &g_array_index (kept, ImpastoJobSnapshot, kept->len - 1);
  g_clear_pointer (&name, g_free);
  name = g_key_file_get_string (info, "snapshot", "name", NULL);
  {
    g_autofree char *base = g_path_get_basename (newest->path);

    g_assert_cmpstr (name, ==, base);
  }
  g_assert_cmpint (g_key_file_get_integer (info, "snapshot", "iteration", NULL), ==,
                   newest->iteration);
  g_assert_cmpint (newest->iteration, ==, original[n_original - 1].iteration);

  test.saved_files = folder_checksums (test.saved);
}

/* Save Run… into a folder with a file in it: refused, and the file is all there is. */
static void
check_save_refused (ImpastoWindow *window)
{
  g_autofree char *full = g_build_filename (test.run.dir, "full", NULL);
  g_autofree char *file = g_build_filename (full, "mine.txt", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  g_assert_cmpint (g_mkdir (full, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "mine", -1, NULL));
  _impasto_window_save_run_to (window, full);
  test_app_wait_until (toast_shown, (gpointer) "is not empty", 30, "the refusal");
  g_assert_true (toast_shown ((gpointer) "Cannot save the run"));

  dir = g_dir_open (full, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpstr (name, ==, "mine.txt");
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
  /* Nor anything beside it (no temporary folder left). */
  g_clear_pointer (&dir, g_dir_close);
  dir = g_dir_open (test.run.dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (name[0] == '.');
  g_unlink (file);
  g_rmdir (full);
}

/* Opening @folder is refused with a toast saying @why; nothing changes. */
static void
check_open_refused (ImpastoWindow *window,
                    const char    *folder,
                    const char    *why)
{
  ImpastoJob *job = window->job;
  GBytes *pixels = impasto_job_get_pixels (job, NULL, NULL, NULL);

  g_assert_false (_impasto_window_open_run_from (window, folder));
  test_app_wait_until (toast_shown, (gpointer) why, 10, "the refusal to open");
  g_assert_null (window->save_dialog);
  g_assert_null (window->open_run_folder);
  g_assert_null (window->opening_run);
  g_assert_false (window->open_run_pending);
  g_assert_true (window->job == job);
  g_assert_true (impasto_job_get_pixels (job, NULL, NULL, NULL) == pixels);
  g_assert_true (impasto_canvas_view_get_paintable (window->canvas)
                 == GDK_PAINTABLE (impasto_job_get_texture (job)));
}

static void
check_open_refusals (ImpastoWindow *window)
{
  g_autofree char *bare = g_build_filename (test.run.dir, "bare", NULL);
  g_autofree char *broken = g_build_filename (test.run.dir, "broken", NULL);
  g_autofree char *bare_file = g_build_filename (bare, "photo.png", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *ini = g_build_filename (test.saved, "run.ini", NULL);
  g_autofree char *newest = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* No run.ini. */
  g_assert_cmpint (g_mkdir (bare, 0700), ==, 0);
  g_assert_true (g_file_set_contents (bare_file, "not a run", -1, NULL));
  check_open_refused (window, bare, "has no readable run.ini");
  g_unlink (bare_file);
  g_rmdir (bare);

  /* A copy of the saved run without its newest snapshot. */
  g_assert_true (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL));
  newest = g_key_file_get_string (info, "snapshot", "name", NULL);
  g_assert_cmpint (g_mkdir (broken, 0700), ==, 0);
  dir = g_dir_open (test.saved, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_strcmp0 (name, newest) != 0)
      {
        g_autofree char *from = g_build_filename (test.saved, name, NULL);
        g_autofree char *to = g_build_filename (broken, name, NULL);
        g_autofree char *contents = NULL;
        gsize length;

        g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
        g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
      }
  check_open_refused (window, broken, "is missing");
  impasto_job_remove_run_folder (broken);
}

static void
answer_save_question (ImpastoWindow *window)
{
  g_assert_nonnull (window->save_dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (window->save_dialog), ==, "Save the Painting?");
  adw_message_dialog_response (window->save_dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (window->save_dialog));
}

/* Open Run… of the saved run: the original run again, from its newest snapshot. */
static void
check_open (ImpastoWindow *window)
{
  ImpastoJob *original = g_object_ref (window->job);
  g_autoptr(GArray) kept = impasto_job_dup_snapshots (original);
  g_autoptr(GArray) opened_kept = NULL;
  g_autofree char *runs = impasto_job_dup_runs_folder ();
  const ImpastoJobRecord *a, *b;
  guint n_a, n_b;
  const char *folder;

  g_assert_true (_impasto_window_open_run_from (window, test.saved));
  answer_save_question (window);
  test_app_wait_until (finished, original, 120, "the opened run to finish");

  g_assert_true (window->job != original);
  g_assert_cmpint (impasto_job_get_start_iteration (window->job), ==,
                   g_array_index (kept, ImpastoJobSnapshot, kept->len - 1).iteration);
  folder = impasto_job_get_run_folder (window->job);
  g_assert_true (g_str_has_prefix (folder, runs));
  g_assert_false (window->resume_opened);

  /* The same snapshots on the timeline. */
  opened_kept = impasto_job_dup_snapshots (window->job);
  g_assert_cmpuint (impasto_timeline_get_n_snapshots (window->timeline), ==, kept->len);
  g_assert_cmpuint (opened_kept->len, ==, kept->len);
  for (guint i = 0; i < kept->len; i++)
    {
      g_assert_cmpint (impasto_timeline_get_snapshot (window->timeline, i)->iteration, ==,
                       g_array_index (kept, ImpastoJobSnapshot, i).iteration);
      g_assert_true (g_str_has_prefix (g_array_index (opened_kept, ImpastoJobSnapshot, i).path,
                                       folder));
    }

  /* The same history, and the same picture. */
  a = impasto_job_get_history (original, &n_a);
  b = impasto_job_get_history (window->job, &n_b);
  assert_same_records (a, n_a, b, n_b);
  g_assert_true (g_bytes_equal (impasto_job_get_pixels (original, NULL, NULL, NULL),
                                impasto_job_get_pixels (window->job, NULL, NULL, NULL)));
  g_assert_true (impasto_canvas_view_get_paintable (window->canvas)
                 == GDK_PAINTABLE (impasto_job_get_texture (window->job)));
  g_object_unref (original);
}

/* Continue From Here in the opened run, at a snapshot of the smallest size: the same picture. */
static void
check_continue (ImpastoWindow *window)
{
  ImpastoJob *opened = g_object_ref (window->job);
  const ImpastoJobSnapshot *found = NULL;

  for (guint i = 0; i < impasto_timeline_get_n_snapshots (window->timeline); i++)
    if (impasto_timeline_get_snapshot (window->timeline, i)->scale == 0)
      found = impasto_timeline_get_snapshot (window->timeline, i);
  g_assert_nonnull (found);
  impasto_timeline_set_selected (window->timeline, found->iteration);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-here", NULL);
  answer_save_question (window);
  test_app_wait_until (finished, opened, 120, "the branch of the opened run to finish");
  g_assert_true (g_bytes_equal (impasto_job_get_pixels (opened, NULL, NULL, NULL),
                                impasto_job_get_pixels (window->job, NULL, NULL, NULL)));
  g_object_unref (opened);
}

typedef struct
{
  ImpastoJob *not;   /* another job than this one */
  int iteration;     /* which has painted this many iterations */
} Painted;

static gboolean
painted (gpointer data)
{
  const Painted *wanted = data;
  ImpastoJob *job = test.run.window->job;

  return job != NULL && job != wanted->not && impasto_job_is_active (job)
         && impasto_job_get_iteration (job) >= wanted->iteration;
}

static gboolean
is_folder (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_DIR);
}

static gboolean
stopped (gpointer data)
{
  return !impasto_job_is_active (data);
}

/* Save Run… while the run paints: what is on disk at that moment, whole. Then Open Run… of it
 * while the run still paints: the run stops, and the saved one goes on from its snapshot as the
 * run did. */
/* The first iteration the window's run painted with @beta, or -1. */
static int
first_with_beta (ImpastoJob *job,
                 double      beta)
{
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (job, &n);

  for (guint i = 0; i < n; i++)
    if (records[i].beta == beta)
      return records[i].iteration;
  return -1;
}

static gboolean
painting_with_beta (gpointer data)
{
  return first_with_beta (test.run.window->job, *(double *) data) >= 0;
}

/* The window's run keeps a snapshot after iteration @data, and the main thread has its record
 * (Save Run saves the snapshots up to the newest record it has). */
static gboolean
kept_after (gpointer data)
{
  ImpastoJob *job = test.run.window->job;
  g_autoptr(GArray) kept = impasto_job_dup_snapshots (job);
  const ImpastoJobRecord *records;
  guint n;

  records = impasto_job_get_history (job, &n);
  for (guint i = 0; i < kept->len; i++)
    {
      int iteration = g_array_index (kept, ImpastoJobSnapshot, i).iteration;

      if (iteration >= GPOINTER_TO_INT (data) && n > 0 && records[n - 1].iteration >= iteration)
        return TRUE;
    }
  return FALSE;
}

static void
check_while_painting (ImpastoWindow *window)
{
  g_autofree char *mid = g_build_filename (test.run.dir, "mid run", NULL);
  g_autofree char *ini = g_build_filename (mid, "run.ini", NULL);
  g_autofree char *history = g_build_filename (mid, "history.tsv", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *newest = NULL;
  ImpastoJob *running;
  const ImpastoJobRecord *a, *b;
  guint n_a, n_b;
  int k, newest_iteration;
  Painted wanted = { window->job, 25 };
  double beta, steered, opened_beta;
  int steered_at;

  /* A long run, started anew. */
  g_object_set (window->params, "iterations", 3000, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer_save_question (window);
  test_app_wait_until (painted, &wanted, 60, "the long run to paint");
  running = g_object_ref (window->job);

  /* β changed while it paints, and a snapshot kept after the first step that used it: run.ini
   * still has the β the run started with, the snapshot the one it paints with. */
  g_object_get (window->params, "beta", &beta, NULL);
  steered = beta * 3.0;
  g_object_set (window->params, "beta", steered, NULL);
  test_app_wait_until (painting_with_beta, &steered, 60, "the run to paint with the new β");
  steered_at = first_with_beta (running, steered);
  test_app_wait_until (kept_after, GINT_TO_POINTER (steered_at), 60,
                       "a snapshot after the new β");

  _impasto_window_save_run_to (window, mid);
  /* Its toast waits behind the refusals' (they stay until dismissed): the folder, renamed into
   * place once whole. */
  test_app_wait_until (is_folder, mid, 60, "the painting run to be saved");
  g_assert_true (impasto_job_is_active (running));

  /* Whole: run.ini names the newest snapshot there, and the records go up to it. */
  g_assert_true (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL));
  g_assert_false (g_key_file_get_boolean (info, "run", "running", NULL));
  name = g_key_file_get_string (info, "snapshot", "name", NULL);
  k = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
  newest = impasto_job_find_newest_snapshot (mid, &newest_iteration);
  g_assert_cmpstr (name, ==, newest);
  g_assert_cmpint (k, ==, newest_iteration);
  g_assert_cmpint (k, >=, steered_at);
  g_assert_cmpfloat (g_key_file_get_double (info, "Impasto", "beta", NULL), ==, beta);
  records = impasto_job_read_records (history, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (records, ImpastoJobRecord, records->len - 1).iteration, ==, k);
  a = impasto_job_get_history (running, &n_a);
  g_assert_cmpuint (n_a, >=, records->len);
  assert_same_records (a, records->len, (const ImpastoJobRecord *) (gpointer) records->data,
                       records->len);

  /* Opened while the run paints: asked, stopped, and continued from k as the run went on. */
  wanted = (Painted) { NULL, k + 5 };
  test_app_wait_until (painted, &wanted, 60, "the long run to paint past the snapshot");
  g_assert_true (_impasto_window_open_run_from (window, mid));
  answer_save_question (window);
  wanted = (Painted) { running, k + 5 };
  test_app_wait_until (painted, &wanted, 60, "the opened run to paint");
  g_assert_false (impasto_job_is_active (running));
  g_assert_cmpint (impasto_job_get_start_iteration (window->job), ==, k);
  /* Opening set run.ini's β (the start's), then the snapshot's, which the run paints with. */
  g_object_get (window->params, "beta", &opened_beta, NULL);
  g_assert_cmpfloat (opened_beta, ==, steered);
  impasto_job_stop (window->job);
  test_app_wait_until (stopped, window->job, 30, "the opened run to stop");
  a = impasto_job_get_history (running, &n_a);
  b = impasto_job_get_history (window->job, &n_b);
  g_assert_cmpuint (n_a, >, records->len + 4);
  g_assert_cmpuint (n_b, >, records->len + 4);
  assert_same_records (a, MIN (n_a, n_b), b, MIN (n_a, n_b));
  g_object_unref (running);
  impasto_job_remove_run_folder (mid);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  test_window_wait_mapped (&test.run);
  test_app_wait_until (finished, NULL, 120, "the run to finish");

  check_save (window);
  check_save_refused (window);

  /* The saved run needs nothing of the originals. */
  g_assert_cmpint (g_unlink (test.run.content), ==, 0);
  g_assert_cmpint (g_unlink (test.run.style), ==, 0);

  check_open_refusals (window);
  check_open (window);
  check_continue (window);
  check_while_painting (window);

  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_keep (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test.run);
  test.saved = g_build_filename (test.run.dir, "saved run", NULL);
  g_settings_set_int (settings, "size", 40);
  g_settings_set_int (settings, "min-size", 16);
  g_settings_set_int (settings, "preview-size", 0);
  g_settings_set_int (settings, "iterations", 40);
  g_settings_set_string (settings, "optimizer", "adam");

  test_window_run (&test.run, test_body, TEST_WINDOW_START);

  /* Closed: the saved folder is as it was, and no run folder is left in the cache. */
  {
    g_autoptr(GHashTable) now = folder_checksums (test.saved);

    assert_same_files (test.saved_files, now);
  }
  test_window_assert_no_runs ();

  g_clear_pointer (&test.saved_files, g_hash_table_unref);
  g_clear_pointer (&test.saved, g_free);
  test_window_run_clear (&test.run);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything asks GLib where the cache is. */
  char *cache = test_window_cache_new ();
  int status;

  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();
  g_test_add_func ("/window-keep/save-and-open", test_window_keep);
  status = g_test_run ();

  test_window_cache_remove (cache);
  return status;
}
