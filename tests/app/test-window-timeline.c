/* test-window-timeline.c
 *
 * The timeline under the canvas and Continue From Here, with the whole application under Xvfb
 * and a tiny random VGG19 (the 48 × 40 photo at 40 px, smallest side 16: three sizes), Adam.
 * A run paints to its end; the timeline lists the snapshots it kept. Choosing one (a press on its
 * mark, the arrow keys, Home, Alt+Left) shows its picture on the canvas instead of the newest,
 * with the bar saying which; the newest picture comes back with End, Escape, a drag to the right
 * edge and Back to Newest; Save writes the snapshot shown, and the newest painting stays unsaved;
 * the snapshot shown takes the photo's colours when they are laid over.
 * Then Continue From Here at a snapshot taken at the smallest size, with
 * nothing changed: the branch starts at that iteration, its history before it is the original's,
 * and every step after it (across the size steps) gives the original's losses bit for bit and
 * the same final picture; the original's folder is gone and the branch's holds the snapshots up
 * to that one. Continuing again with β ten times larger paints the next step with it. Last,
 * continuing after the size was changed (a setting the snapshot cannot continue with) fails with
 * a toast, and the run it was made from comes back, its folder and picture untouched; and Stop
 * pressed while a running run stops for a branch continues nothing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-timeline"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  guint paints;
} Test;

static Test test;

static gboolean
finished (gpointer data)
{
  ImpastoJob *job = test.run.window->job;

  return job != NULL && job != data && impasto_job_get_state (job) == IMPASTO_JOB_FINISHED;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Test          *t)
{
  t->paints++;
}

/* Two frames drawn, so that the timeline's plot has laid out its axes. */
static gboolean
painted_twice (gpointer data)
{
  return test.paints >= GPOINTER_TO_UINT (data) + 2;
}

static void
settle (void)
{
  gtk_widget_queue_draw (GTK_WIDGET (test.run.window->timeline));
  test_app_wait_until (painted_twice, GUINT_TO_POINTER (test.paints), 10, "the window drawn");
}

static gboolean
send_key (ImpastoTimeline *timeline,
          guint            keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (timeline));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0,
                               &handled);
    }
  return handled;
}

/* A drag's start at @x and its move by @dx, as the timeline's drag gesture reports them. */
static void
send_drag (ImpastoTimeline *timeline,
           double           x,
           double           dx)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (timeline));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_GESTURE_DRAG (controller))
        continue;
      g_signal_emit_by_name (controller, "drag-begin", x, 20.0);
      if (dx != 0.0)
        g_signal_emit_by_name (controller, "drag-update", dx, 0.0);
    }
}

static double
mark_x (ImpastoTimeline *timeline,
        int              iteration)
{
  double x, top, bottom;

  g_assert_true (impasto_loss_plot_get_iteration_x (impasto_timeline_get_plot (timeline),
                                                    iteration, &x, &top, &bottom));
  return x;
}

static gboolean
textures_equal (GdkTexture *a,
                GdkTexture *b)
{
  int width = gdk_texture_get_width (a);
  int height = gdk_texture_get_height (a);
  g_autofree guchar *x = g_malloc ((gsize) width * height * 4);
  g_autofree guchar *y = g_malloc ((gsize) width * height * 4);

  if (gdk_texture_get_width (b) != width || gdk_texture_get_height (b) != height)
    return FALSE;
  gdk_texture_download (a, x, (gsize) width * 4);
  gdk_texture_download (b, y, (gsize) width * 4);
  return memcmp (x, y, (gsize) width * height * 4) == 0;
}

/* The canvas shows @texture's pixels. */
static void
assert_canvas_shows (ImpastoWindow *window,
                     GdkTexture    *texture)
{
  GdkPaintable *shown = impasto_canvas_view_get_paintable (window->canvas);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *a = g_malloc ((gsize) width * height * 4);
  g_autofree guchar *b = g_malloc ((gsize) width * height * 4);

  g_assert_true (GDK_IS_TEXTURE (shown));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (shown)), ==, width);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (shown)), ==, height);
  gdk_texture_download (texture, a, (gsize) width * 4);
  gdk_texture_download (GDK_TEXTURE (shown), b, (gsize) width * 4);
  g_assert_cmpmem (a, (gsize) width * height * 4, b, (gsize) width * height * 4);
}

static void
assert_shows_snapshot (ImpastoWindow *window,
                       int            iteration)
{
  const ImpastoJobSnapshot *snapshot;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup_printf ("Snapshot after iteration %d", iteration);

  g_assert_cmpint (impasto_timeline_get_selected (window->timeline), ==, iteration);
  snapshot = impasto_timeline_get_selected_snapshot (window->timeline);
  g_assert_nonnull (snapshot);
  g_assert_cmpint (snapshot->iteration, ==, iteration);
  texture = impasto_job_load_snapshot_texture (window->job, snapshot, &error);
  g_assert_no_error (error);
  assert_canvas_shows (window, texture);
  g_assert_true (gtk_revealer_get_reveal_child (window->snapshot_revealer));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->snapshot_label), label));
  g_assert_true (gtk_widget_get_sensitive (
    test_app_find_actionable (GTK_WIDGET (window), "win.continue-from-here")));
}

static void
assert_shows_newest (ImpastoWindow *window)
{
  g_assert_cmpint (impasto_timeline_get_selected (window->timeline), ==, -1);
  g_assert_true (impasto_canvas_view_get_paintable (window->canvas)
                 == GDK_PAINTABLE (impasto_job_get_texture (window->job)));
  g_assert_false (gtk_revealer_get_reveal_child (window->snapshot_revealer));
  g_assert_false (gtk_widget_get_sensitive (
    test_app_find_actionable (GTK_WIDGET (window), "win.continue-from-here")));
}

/* Choosing on the timeline, in every way there is. */
static void
check_choosing (ImpastoWindow *window)
{
  ImpastoTimeline *timeline = window->timeline;
  g_autoptr(GArray) kept = impasto_job_dup_snapshots (window->job);
  guint n = impasto_timeline_get_n_snapshots (timeline);
  int first, newest, middle;

  /* The timeline lists what the job keeps. */
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (n, ==, kept->len);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (impasto_timeline_get_snapshot (timeline, i)->iteration, ==,
                       g_array_index (kept, ImpastoJobSnapshot, i).iteration);
      g_assert_nonnull (g_array_index (kept, ImpastoJobSnapshot, i).picture);
    }
  first = impasto_timeline_get_snapshot (timeline, 0)->iteration;
  newest = impasto_timeline_get_snapshot (timeline, n - 1)->iteration;
  middle = impasto_timeline_get_snapshot (timeline, n / 2)->iteration;
  assert_shows_newest (window);

  /* The keys: Left from the newest picture is the newest snapshot, then the one before. */
  g_assert_true (send_key (timeline, GDK_KEY_Left));
  assert_shows_snapshot (window, newest);
  g_assert_true (send_key (timeline, GDK_KEY_Left));
  assert_shows_snapshot (window, impasto_timeline_get_snapshot (timeline, n - 2)->iteration);
  g_assert_true (send_key (timeline, GDK_KEY_Home));
  assert_shows_snapshot (window, first);
  g_assert_true (send_key (timeline, GDK_KEY_Escape));
  assert_shows_newest (window);
  g_assert_false (send_key (timeline, GDK_KEY_Escape));   /* nothing to leave: passed on */

  /* Alt+Left and Alt+Right (the window's actions), End. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-back", NULL);
  assert_shows_snapshot (window, newest);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-forward", NULL);
  assert_shows_newest (window);
  g_assert_true (send_key (timeline, GDK_KEY_Home));
  g_assert_true (send_key (timeline, GDK_KEY_End));
  assert_shows_newest (window);

  /* A press on a mark, and a drag from it to the right edge. */
  settle ();
  send_drag (timeline, mark_x (timeline, middle) + 1.0, 0.0);
  assert_shows_snapshot (window, middle);
  send_drag (timeline, mark_x (timeline, middle), gtk_widget_get_width (GTK_WIDGET (timeline)));
  assert_shows_newest (window);

  /* Back to Newest. */
  impasto_timeline_set_selected (timeline, first);
  assert_shows_snapshot (window, first);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-newest", NULL);
  assert_shows_newest (window);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* Save while a snapshot is shown writes its picture, and the newest painting stays unsaved. */
static void
check_save_snapshot (ImpastoWindow *window)
{
  const ImpastoJobSnapshot *snapshot;
  g_autofree char *path = g_build_filename (test.run.dir, "snapshot.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (_impasto_window_has_unsaved_painting (window));
  impasto_timeline_set_selected (window->timeline,
                                 impasto_timeline_get_snapshot (window->timeline, 1)->iteration);
  snapshot = impasto_timeline_get_selected_snapshot (window->timeline);
  texture = impasto_job_load_snapshot_texture (window->job, snapshot, &error);
  g_assert_no_error (error);
  _impasto_window_save_to (window, path);
  test_app_wait_until (file_exists, path, 30, "the snapshot's picture saved");
  /* Renamed into place once written; the toast follows on the main loop. */
  test_app_spin (0.2);
  saved = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  assert_canvas_shows (window, saved);
  assert_canvas_shows (window, texture);
  g_assert_true (_impasto_window_has_unsaved_painting (window));
  g_unlink (path);

  /* The photo's colours laid over, and back: the snapshot shown follows, as the newest would. */
  g_object_set (window->params, "preserve-colors", IMPASTO_COLORS_SWAP, NULL);
  {
    g_autoptr(GdkTexture) swapped = impasto_job_load_snapshot_texture (window->job, snapshot,
                                                                        &error);

    g_assert_no_error (error);
    g_assert_false (textures_equal (swapped, texture));
    assert_canvas_shows (window, swapped);
  }
  g_object_set (window->params, "preserve-colors", IMPASTO_COLORS_NONE, NULL);
  assert_canvas_shows (window, texture);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.timeline-newest", NULL);
}

/* The newest snapshot taken at the smallest size. */
static const ImpastoJobSnapshot *
smallest_size_snapshot (ImpastoTimeline *timeline)
{
  const ImpastoJobSnapshot *found = NULL;

  for (guint i = 0; i < impasto_timeline_get_n_snapshots (timeline); i++)
    if (impasto_timeline_get_snapshot (timeline, i)->scale == 0)
      found = impasto_timeline_get_snapshot (timeline, i);
  g_assert_nonnull (found);
  return found;
}

static void
answer_save_question (ImpastoWindow *window)
{
  g_assert_nonnull (window->save_dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (window->save_dialog), ==, "Save the Painting?");
  adw_message_dialog_response (window->save_dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (window->save_dialog));
}

static const ImpastoJobRecord *
find_record (const ImpastoJobRecord *records,
             guint                   n,
             int                     iteration)
{
  for (guint i = 0; i < n; i++)
    if (records[i].iteration == iteration)
      return &records[i];
  return NULL;
}

/* Continue From Here with nothing changed: the original run, step for step. */
static ImpastoJob *
check_continue_unchanged (ImpastoWindow *window)
{
  ImpastoJob *original = window->job;
  g_autofree char *original_folder = g_strdup (impasto_job_get_run_folder (original));
  const ImpastoJobSnapshot *snapshot = smallest_size_snapshot (window->timeline);
  int k = snapshot->iteration;
  const ImpastoJobRecord *a, *b;
  guint n_a, n_b, after = 0;
  GBytes *pixels_a, *pixels_b;
  g_autoptr(GArray) kept = NULL;

  g_object_ref (original);
  impasto_timeline_set_selected (window->timeline, k);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-here", NULL);
  answer_save_question (window);
  test_app_wait_until (finished, original, 120, "the branch to finish");

  g_assert_true (window->job != original);
  g_assert_null (window->branch_parent);
  g_assert_cmpint (impasto_job_get_start_iteration (window->job), ==, k);
  g_assert_false (g_file_test (original_folder, G_FILE_TEST_EXISTS));
  assert_shows_newest (window);

  a = impasto_job_get_history (original, &n_a);
  b = impasto_job_get_history (window->job, &n_b);
  g_assert_cmpint (b[0].iteration, ==, 0);
  for (guint i = 0; i < n_b; i++)
    {
      const ImpastoJobRecord *same = find_record (a, n_a, b[i].iteration);

      g_assert (same != NULL);
      g_assert_cmpint (same->scale, ==, b[i].scale);
      if (b[i].iteration <= k)
        continue;
      g_assert_cmpmem (&same->losses, sizeof same->losses, &b[i].losses, sizeof b[i].losses);
      after++;
    }
  g_assert_cmpint (b[n_b - 1].iteration, ==, a[n_a - 1].iteration);
  g_assert_cmpint (b[n_b - 1].scale, >, 0);           /* across the size steps */
  g_assert_cmpuint (after, >=, 10);
  pixels_a = impasto_job_get_pixels (original, NULL, NULL, NULL);
  pixels_b = impasto_job_get_pixels (window->job, NULL, NULL, NULL);
  g_assert_true (g_bytes_equal (pixels_a, pixels_b));

  /* The branch's folder holds the snapshots up to k, shared with the original, and its own. */
  kept = impasto_job_dup_snapshots (window->job);
  g_assert_cmpint (g_array_index (kept, ImpastoJobSnapshot, 0).iteration, <=, k);
  g_object_unref (original);
  return window->job;
}

/* Continue From Here with β ten times larger: the next step paints with it. */
static void
check_continue_with_beta (ImpastoWindow *window)
{
  ImpastoJob *original = window->job;
  const ImpastoJobSnapshot *snapshot = smallest_size_snapshot (window->timeline);
  int k = snapshot->iteration;
  double beta;
  const ImpastoJobRecord *a, *b, *step_a, *step_b;
  guint n_a, n_b;

  g_object_ref (original);
  impasto_timeline_set_selected (window->timeline, k);
  g_object_get (window->params, "beta", &beta, NULL);
  beta *= 10.0;
  g_object_set (window->params, "beta", beta, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-here", NULL);
  answer_save_question (window);
  test_app_wait_until (finished, original, 120, "the branch with a new β to finish");

  a = impasto_job_get_history (original, &n_a);
  b = impasto_job_get_history (window->job, &n_b);
  step_a = find_record (a, n_a, k + 1);
  step_b = find_record (b, n_b, k + 1);
  g_assert (step_a != NULL);
  g_assert (step_b != NULL);
  g_assert_cmpfloat_with_epsilon (step_b->beta, beta, beta * 1e-6);
  g_assert_cmpfloat (step_a->beta, !=, step_b->beta);
  g_assert_cmpfloat (step_a->losses.total, !=, step_b->losses.total);
  g_object_unref (original);
}

/* A branch that cannot continue (another size) fails, and the run it was made from stays. */
static void
check_continue_refused (ImpastoWindow *window)
{
  ImpastoJob *original = g_object_ref (window->job);
  g_autofree char *folder = g_strdup (impasto_job_get_run_folder (original));
  GBytes *pixels = impasto_job_get_pixels (original, NULL, NULL, NULL);

  impasto_timeline_set_selected (window->timeline,
                                 smallest_size_snapshot (window->timeline)->iteration);
  g_object_set (window->params, "size", 36, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-here", NULL);
  answer_save_question (window);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    /* The branch starts, is refused, and the original comes back. */
    while (window->job != original || window->branch_parent != NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (500);
      }
  }
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_true (impasto_job_get_pixels (original, NULL, NULL, NULL) == pixels);
  g_assert_true (impasto_canvas_view_get_paintable (window->canvas)
                 == GDK_PAINTABLE (impasto_job_get_texture (original)));
  g_object_unref (original);
}

static gboolean
has_snapshots (gpointer data)
{
  ImpastoWindow *window = data;
  g_autoptr(GArray) kept = NULL;

  if (window->job == NULL || !impasto_job_is_active (window->job))
    return FALSE;
  /* And a painting on the main thread (the worker's snapshots can come before its first frame
   * does, seen under ThreadSanitizer): only then does the window ask to save it. */
  if (impasto_job_get_pixels (window->job, NULL, NULL, NULL) == NULL)
    return FALSE;
  kept = impasto_job_dup_snapshots (window->job);
  return kept->len >= 3;
}

static gboolean
not_active (gpointer data)
{
  return !impasto_job_is_active (data);
}

/* Continue From Here while a run paints, then Stop before it has stopped: nothing is continued,
 * the branch's folder goes, and the stopped run stays. */
static void
check_branch_stopped (ImpastoWindow *window)
{
  ImpastoJob *running;
  g_autofree char *folder = NULL;

  g_object_set (window->params, "size", 40, "iterations", 100000, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer_save_question (window);
  test_app_wait_until (has_snapshots, window, 60, "a long run's snapshots");
  running = g_object_ref (window->job);
  impasto_timeline_refresh (window->timeline);
  impasto_timeline_set_selected (window->timeline,
                                 impasto_timeline_get_snapshot (window->timeline, 1)->iteration);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.continue-from-here", NULL);
  answer_save_question (window);
  g_assert_true (window->branching);
  folder = g_strdup (window->resume_folder);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_false (window->branching);
  g_assert_null (window->resume_snapshot);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  test_app_wait_until (not_active, running, 60, "the run to stop");
  test_app_spin (0.2);
  g_assert_true (window->job == running);
  g_assert_null (window->branch_parent);
  g_assert_true (g_file_test (impasto_job_get_run_folder (running), G_FILE_TEST_IS_DIR));
  g_object_unref (running);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  test_window_wait_mapped (&test.run);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), &test);
  test_app_wait_until (finished, NULL, 120, "the run to finish");
  settle ();

  check_choosing (window);
  check_save_snapshot (window);
  check_continue_unchanged (window);
  check_continue_with_beta (window);
  check_continue_refused (window);
  check_branch_stopped (window);

  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_timeline (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test.run);
  g_settings_set_int (settings, "size", 40);
  g_settings_set_int (settings, "min-size", 16);
  g_settings_set_int (settings, "preview-size", 0);
  g_settings_set_int (settings, "iterations", 40);
  g_settings_set_string (settings, "optimizer", "adam");

  test_window_run (&test.run, test_body, TEST_WINDOW_START);

  /* Closed: no run's folder is left behind, neither a branch's nor one it was made from. */
  test_window_assert_no_runs ();

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
  g_test_add_func ("/window-timeline/choose-and-continue", test_window_timeline);
  status = g_test_run ();

  test_window_cache_remove (cache);
  return status;
}
