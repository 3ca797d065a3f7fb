/* test-window-canvas.c
 *
 * The window before and as a run starts, with the whole application under Xvfb and a tiny random
 * VGG19: the canvas says which picture is missing (both, the photo, the painting) and the status
 * line agrees; with both chosen it shows the photo and "Press Start to paint"; while the run
 * prepares it still shows the photo, saying so, until the first frame replaces it. And the time
 * estimate: it follows this computer's stored speed (and moves when a run refines it), and with
 * a corrupt store the window measures the speed itself, stores it and then estimates from it.
 *
 * Each run has its own cache folder, so that the stored speed is this test's alone. The test
 * body runs from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-canvas"

#include "config.h"

#include <string.h>

#include "impasto-image.h"
#include "impasto-run-estimate.h"
#include "impasto-window-private.h"
#include "test-window-support.h"

#define ITERATIONS 1000

static TestWindowRun test;

static gboolean
well_has_picture (gpointer data)
{
  return impasto_image_well_get_pixbuf (data) != NULL && !impasto_image_well_get_loading (data);
}

static void
open_and_wait (ImpastoWindow *window,
               gboolean       photo)
{
  g_autoptr(GFile) file = g_file_new_for_path (photo ? test.content : test.style);
  ImpastoImageWell *well = photo ? window->content_well : window->style_well;

  impasto_window_open (window, photo ? file : NULL, photo ? NULL : file);
  test_app_wait_until (well_has_picture, well, 30, "the picture to load");
}

static void
assert_missing (ImpastoWindow *window,
                const char    *title,
                const char    *status)
{
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->canvas_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (window->empty_page), ==, title);
  g_assert_cmpstr (gtk_label_get_label (window->iteration_label), ==, status);
}

/* The seconds of one iteration the window would estimate from speed @rate at its size. */
static double
seconds_for_rate (ImpastoWindow *window,
                  double         rate)
{
  GdkPixbuf *photo = impasto_image_well_get_pixbuf (window->content_well);
  ImpastoSessionParams params;
  int width, height;

  impasto_image_fit_size (gdk_pixbuf_get_width (photo), gdk_pixbuf_get_height (photo),
                          impasto_params_get_size (window->params), &width, &height);
  impasto_params_get_transfer_params (window->params, &params);
  return rate * impasto_run_estimate_gflop (impasto_model_get_weights (test.model),
                                            impasto_run_estimate_deepest_layer (&params),
                                            width, height);
}

static const char *
size_subtitle (ImpastoWindow *window)
{
  return adw_action_row_get_subtitle (window->size_row);
}

static gboolean
estimated (gpointer data)
{
  return strstr (size_subtitle (data), "to paint, estimated") != NULL;
}

static gboolean
shows_frame (gpointer data)
{
  ImpastoWindow *window = data;

  return g_str_equal (gtk_stack_get_visible_child_name (window->canvas_stack), "canvas");
}

static void
check_estimate (ImpastoWindow *window)
{
  double rate = impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0);
  double seconds = seconds_for_rate (window, 1.0);  /* = the size's GFLOP */

  /* The speed main() stored: 0.6 s an iteration, so about 10 min for the 1000. */
  g_assert_cmpfloat_with_epsilon (rate * seconds, 0.6, 1e-9);
  g_assert_nonnull (strstr (size_subtitle (window), "about 10 min to paint"));
  g_assert_nonnull (strstr (size_subtitle (window), "(600 ms an iteration at full size)"));
  g_assert_null (window->calibration);

  /* A run measured twice that: half way there, 15 minutes. */
  g_assert_cmpfloat (impasto_run_speed_record_run (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 1.2, seconds,
                                                   NULL), >, 0.0);
  g_object_notify (G_OBJECT (window->params), "iterations");
  g_assert_nonnull (strstr (size_subtitle (window), "about 15 min to paint"));
  g_assert_nonnull (strstr (size_subtitle (window), "(900 ms an iteration at full size)"));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
check_calibration (void)
{
  g_autofree char *path = impasto_run_speed_default_path ();
  g_autoptr(GError) error = NULL;
  ImpastoWindow *second;

  /* A store that cannot be read: a new window measures this computer, keeps the measure and
   * estimates from it. */
  g_file_set_contents (path, "\x01\x02 not a key file [", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.0);

  second = impasto_window_new (test.app);
  g_object_add_weak_pointer (G_OBJECT (second), (gpointer *) &second);
  gtk_window_present (GTK_WINDOW (second));
  g_assert_nonnull (second->calibration);
  g_assert_nonnull (strstr (size_subtitle (second), "measuring this computer's speed"));
  test_app_wait_until (estimated, second, 60, "the estimate from the calibration");
  g_assert_null (second->calibration);
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), >, 0.0);

  /* The same window says which picture is missing when only the photo is there. */
  open_and_wait (second, TRUE);
  assert_missing (second, "Choose a Painting", "Choose a painting");

  gtk_window_close (GTK_WINDOW (second));
  test_app_wait_until (pointer_cleared, &second, 10, "the second window to go");
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.window;

  /* Nothing chosen. */
  assert_missing (window, "Choose a Photo and a Painting", "Choose a photo and a painting");

  /* Only the painting. */
  open_and_wait (window, FALSE);
  assert_missing (window, "Choose a Photo", "Choose a photo");

  /* Both: the photo, and what comes next. */
  open_and_wait (window, TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->canvas_stack), ==, "photo");
  g_assert_nonnull (gtk_picture_get_paintable (window->photo_picture));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (
                     gtk_picture_get_paintable (window->photo_picture)), ==, 48);
  g_assert_cmpstr (gtk_label_get_label (window->photo_label), ==, "Press Start to paint");
  g_assert_cmpstr (gtk_label_get_label (window->iteration_label), ==, "Press Start to paint");
  g_assert_null (impasto_canvas_view_get_paintable (window->canvas));

  check_estimate (window);
  check_calibration ();

  /* Preparing: still the photo, saying what happens, until the first frame. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_nonnull (window->job);
  g_assert_cmpint (impasto_job_get_state (window->job), ==, IMPASTO_JOB_PREPARING);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->canvas_stack), ==, "photo");
  g_assert_cmpstr (gtk_label_get_label (window->photo_label), ==, "Looking at the pictures…");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->photo_spinner)));
  g_assert_cmpstr (gtk_label_get_label (window->iteration_label), ==, "Preparing…");
  test_app_wait_until (shows_frame, window, 60, "the first frame");
  g_assert_nonnull (impasto_canvas_view_get_paintable (window->canvas));

  /* Gone without a question: this test keeps nothing. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.window);
  gtk_window_destroy (GTK_WINDOW (window));
  test.body_done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_window_canvas (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test);

  g_settings_set_int (settings, "size", 32);
  g_settings_set_int (settings, "iterations", ITERATIONS);
  g_settings_set_string (settings, "content-uri", "");
  g_settings_set_string (settings, "style-uri", "");

  /* This computer's speed as stored: 0.6 s an iteration for the tiny network at 32 × 27. */
  {
    g_autoptr(GdkPixbuf) photo = gdk_pixbuf_new_from_file (test.content, NULL);
    ImpastoSessionParams params;
    int width, height;
    double gflop;

    impasto_session_params_init_default (&params);
    impasto_image_fit_size (gdk_pixbuf_get_width (photo), gdk_pixbuf_get_height (photo), 32,
                            &width, &height);
    gflop = impasto_run_estimate_gflop (impasto_model_get_weights (test.model),
                                        impasto_run_estimate_deepest_layer (&params),
                                        width, height);
    g_assert_cmpfloat (impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 0.6 / gflop,
                                                 NULL), >, 0.0);
  }

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
  g_test_add_func ("/window-canvas/states", test_window_canvas);
  status = g_test_run ();

  test_window_cache_remove (cache);
  return status;
}
