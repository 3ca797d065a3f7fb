/* test-window-ladder.c
 *
 * The window painting coarse to fine, with the whole application under Xvfb and a tiny random
 * VGG19 whose filters the application transforms once, for every run (the 48 × 40 photo at
 * 40 px with a smallest side of 16: sizes 20 × 17, 28 × 23 and 40 × 33). A preview (its size set as dconf would, 30 px: the 28 × 23 size) climbs to its size
 * and rests there: the status says "Size 2 of 3 · 28 × 23" and "Preview Ready", Paint Full Size
 * is the suggested button and Pause is gone; a new β is painted at once at that size by the
 * same run; a change that needs new targets (the seed) starts again at the smallest size; and
 * Paint Full Size carries that run on from the preview to the full size, no new start, and the
 * status ends at "Size 3 of 3 · 40 × 33".
 *
 * Each run has its own cache folder; the body runs from an idle inside g_application_run(), as in
 * test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-ladder"

#include "config.h"

#include <string.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

static TestWindowRun test;

typedef struct
{
  ImpastoJob *job;
  int iteration;
} Until;

static gboolean
previewed_after (gpointer data)
{
  Until *until = data;

  return until->job != NULL && impasto_job_get_state (until->job) == IMPASTO_JOB_PREVIEWED
         && impasto_job_get_iteration (until->job) > until->iteration;
}

static gboolean
finished (gpointer data)
{
  return impasto_job_get_state (data) == IMPASTO_JOB_FINISHED;
}

static gboolean
new_job_shows (gpointer data)
{
  ImpastoWindow *window = test.window;

  return window->job != NULL && window->job != data && impasto_job_get_iteration (window->job) >= 0;
}

static gboolean
has_filters (gpointer data)
{
  return impasto_model_get_filters (data) != NULL;
}

static const char *
subtitle (ImpastoWindow *window)
{
  return adw_window_title_get_subtitle (window->window_title);
}

static void
check_resting (ImpastoWindow *window)
{
  g_assert_cmpstr (gtk_label_get_label (window->iteration_label), ==, "Size 2 of 3 · 28 × 23");
  g_assert_cmpstr (subtitle (window), ==, "Preview Ready");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->full_size_button)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->full_size_button),
                                           "suggested-action"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->pause_button)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->stop_button)));
  /* Nothing left to wait for. */
  g_assert_cmpstr (strstr (gtk_label_get_label (window->time_label), "left"), ==, NULL);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (window->progress_bar), ==, 1.0);
  /* The canvas keeps the picture's full size, the preview resampled up. */
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (impasto_canvas_view_get_paintable (window->canvas)),
                   ==, 40);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (impasto_canvas_view_get_paintable (window->canvas)),
                   ==, 33);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.window;
  g_autoptr(GFile) photo = g_file_new_for_path (test.content);
  g_autoptr(GFile) painting = g_file_new_for_path (test.style);
  Until until = { NULL, 0 };
  ImpastoJob *preview_job = NULL;
  const ImpastoJobRecord *records;
  guint n;

  /* The application has the model's filters made on a thread: runs read them. */
  test_app_wait_until (has_filters, test.model, 30, "the model's filters");

  /* An image well's loading is asynchronous: Start waits for both. */
  impasto_window_open (window, photo, painting);
  impasto_window_start_when_ready (window);
  test_app_wait_until ((TestAppCondition) new_job_shows, NULL, 60, "the run to start");
  g_assert_cmpint (impasto_job_get_n_scales (window->job), ==, 3);
  g_assert_true (impasto_job_is_preview (window->job));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->full_size_button)));

  /* The preview climbs to its size and rests. */
  until.job = window->job;
  test_app_wait_until (previewed_after, &until, 60, "the preview");
  check_resting (window);
  /* It began at the smallest size (the status may have skipped it: frames are the newest). */
  records = impasto_job_get_history (window->job, &n);
  g_assert_cmpint (records[0].scale, ==, 0);
  g_assert_cmpint (records[1].scale, ==, 0);

  /* A new β: the same run paints it at the preview's size, and rests again. */
  until.iteration = impasto_job_get_iteration (window->job);
  g_object_set (window->params, "beta", 5000.0, NULL);
  test_app_wait_until (previewed_after, &until, 60, "the new β painted");
  g_assert_true (window->job == until.job);
  records = impasto_job_get_history (window->job, &n);
  g_assert_cmpfloat (records[n - 1].beta, ==, 5000.0);
  g_assert_cmpint (records[n - 1].scale, ==, 1);
  check_resting (window);

  /* The seed needs new targets: asked (a picture would be lost), then the smallest size again. */
  g_set_weak_pointer (&preview_job, window->job);
  g_object_set (window->params, "seed", 7, NULL);
  g_assert_nonnull (window->restart_dialog);
  adw_message_dialog_response (window->restart_dialog, "restart");
  gtk_window_destroy (GTK_WINDOW (window->restart_dialog));
  test_app_wait_until ((TestAppCondition) new_job_shows, preview_job, 60, "the new start");
  records = impasto_job_get_history (window->job, &n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpint (records[0].iteration, ==, 0);
  g_assert_cmpint (records[0].scale, ==, 0);
  g_assert_cmpint (records[0].width, ==, 20);
  until.job = window->job;
  until.iteration = 0;
  test_app_wait_until (previewed_after, &until, 60, "the second preview");
  check_resting (window);

  /* Paint Full Size: the same run goes on from the preview to the full size. */
  until.iteration = impasto_job_get_iteration (window->job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paint-full-size", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->full_size_button)));
  test_app_wait_until (finished, until.job, 60, "the full size");
  g_assert_true (window->job == until.job);
  records = impasto_job_get_history (window->job, &n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (records[i].iteration, ==, (int) i);
  g_assert_cmpint (records[n - 1].scale, ==, 2);
  g_assert_cmpint (impasto_job_get_iteration (window->job), >, until.iteration);
  g_assert_cmpstr (gtk_label_get_label (window->iteration_label), ==, "Size 3 of 3 · 40 × 33");
  g_assert_cmpstr (subtitle (window), ==, "Finished");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->full_size_button)));

  /* Gone without a question: this test keeps nothing. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.window);
  gtk_window_destroy (GTK_WINDOW (window));
  test.body_done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_window_ladder (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test);

  g_settings_set_int (settings, "size", 40);
  g_settings_set_int (settings, "min-size", 16);
  g_settings_set_int (settings, "preview-size", 30);
  g_settings_set_int (settings, "iterations", 40);
  g_settings_set_string (settings, "content-uri", "");
  g_settings_set_string (settings, "style-uri", "");

  test_window_run (&test, test_body, TEST_WINDOW_OPEN_NOTHING);
  g_assert_null (test.window);

  test_window_run_clear (&test);
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
  g_test_add_func ("/window-ladder/preview-and-full-size", test_window_ladder);
  status = g_test_run ();

  test_window_cache_remove (cache);
  return status;
}
