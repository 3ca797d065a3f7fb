/* test-window.c
 *
 * The whole application under Xvfb with a tiny random VGG19 and two generated pictures:
 * `impasto --start PHOTO PAINTING` starts a run by itself; at least two frames reach the canvas;
 * β moved on its slider mid-run is what the engine uses at the next iteration; pause stops the
 * iterations and resume continues them; stop keeps the picture, which saves as a PNG; a change
 * that needs new targets asks first (naming it) and then restarts with it; after "Keep Painting"
 * the changes that wait for a new start are listed in a notice whose Start Again asks about the
 * painting and then restarts; the layout fits 360 px and folds the controls; and closing the
 * window mid-run asks first (Cancel keeps it), and after Discard stops the worker and frees
 * window and job.
 *
 * The test body runs from an idle inside g_application_run(), iterating the main loop itself
 * while it waits, as a person's clicks would arrive.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window"

#include "config.h"

#include <string.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  ImpastoJob *job;           /* weak */
  guint n_paintables;
} Test;

static Test test;

static void
on_paintable_cb (ImpastoCanvasView *canvas,
                 GParamSpec        *pspec,
                 Test              *t)
{
  if (impasto_canvas_view_get_paintable (canvas) != NULL)
    t->n_paintables++;
}

static gboolean
has_frames (gpointer data)
{
  Test *t = data;

  return t->run.window->job != NULL && t->n_paintables >= 2;
}

static gboolean
job_running (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL && impasto_job_get_state (window->job) == IMPASTO_JOB_RUNNING;
}

static gboolean
job_stopped (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL && impasto_job_get_state (window->job) == IMPASTO_JOB_STOPPED;
}

typedef struct
{
  ImpastoJob *job;
  int iteration;
} Until;

static gboolean
history_reached (gpointer data)
{
  Until *until = data;
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (until->job, &n);

  return n > 0 && records[n - 1].iteration >= until->iteration;
}

static gboolean
shown_reached (gpointer data)
{
  Until *until = data;

  return impasto_job_get_iteration (until->job) >= until->iteration;
}

static gboolean
worker_reached (gpointer data)
{
  Until *until = data;

  return impasto_job_get_worker_iteration (until->job) >= until->iteration;
}

static gboolean
action_enabled (ImpastoWindow *window,
                const char    *name)
{
  /* gtk_widget_activate_action() does nothing for a disabled action; see whether it is on by
   * asking the action muxer through GtkActionable's way: a throwaway button. */
  g_autoptr(GtkWidget) button = g_object_ref_sink (gtk_button_new ());
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), name);
  gtk_widget_set_parent (button, GTK_WIDGET (window->canvas_stack));
  enabled = gtk_widget_get_sensitive (button);
  gtk_widget_unparent (button);
  return enabled;
}

static void
check_live_beta (ImpastoWindow *window)
{
  ImpastoJob *job = window->job;
  const ImpastoJobRecord *records;
  const ImpastoJobRecord *first = NULL;
  Until until = { job, 0 };
  int before;
  guint n;

  /* Moving the slider: the row, the parameters and the running job follow. */
  before = impasto_job_get_worker_iteration (job);
  impasto_log_scale_row_set_value (window->beta_row, 30000.0);
  g_assert_cmpfloat (impasto_log_scale_row_get_value (window->beta_row), ==, 30000.0);
  {
    double beta;

    g_object_get (window->params, "beta", &beta, NULL);
    g_assert_cmpfloat (beta, ==, 30000.0);
  }

  until.iteration = before + 3;
  test_app_wait_until (history_reached, &until, 30, "iterations after moving β");

  records = impasto_job_get_history (job, &n);
  for (guint i = 0; i < n; i++)
    {
      if (records[i].iteration <= before)
        g_assert_cmpfloat (records[i].beta, !=, 30000.0);
      if (first == NULL && records[i].beta == 30000.0)
        first = &records[i];
    }
  g_assert_nonnull (first);
  /* Used from the iteration after the one under way when the slider moved. */
  g_assert_cmpint (first->iteration, >, before);
  g_assert_cmpint (impasto_job_get_params_set_at (job, first->params_serial), >=, before);
  g_assert_cmpint (first->iteration, <=,
                   impasto_job_get_params_set_at (job, first->params_serial) + 2);
  g_assert_cmpfloat (first->losses.style, >, 0.0);
  g_assert_cmpfloat_with_epsilon (first->losses.total,
                                  first->alpha * first->losses.content
                                  + 30000.0 * first->losses.style
                                  + first->tv * first->losses.tv_term,
                                  1e-9 * first->losses.total);
  /* The same run went on: no restart for a live change. */
  g_assert_true (window->job == job);

  /* The plot marks where the change was first used. */
  {
    guint n_steers;
    const int *steers = impasto_loss_plot_get_steers (window->loss_plot, &n_steers);
    gboolean marked = FALSE;

    for (guint i = 0; i < n_steers; i++)
      marked |= steers[i] == first->iteration;
    g_assert_true (marked);
  }
}

static void
check_pause_resume (ImpastoWindow *window)
{
  ImpastoJob *job = window->job;
  Until until = { job, 0 };
  guint paintables;
  int paused_at;

  g_assert_true (action_enabled (window, "win.pause"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_PAUSED);
  g_assert_true (action_enabled (window, "win.resume"));
  g_assert_false (action_enabled (window, "win.pause"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (window->pause_button)), ==,
                   "win.resume");
  /* Resume is the one primary button: no disabled Start beside it. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->start_button)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->pause_button)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->pause_button),
                                           "suggested-action"));

  test_app_spin (0.3);
  paused_at = impasto_job_get_worker_iteration (job);
  paintables = test.n_paintables;
  test_app_spin (0.6);
  g_assert_cmpint (impasto_job_get_worker_iteration (job), ==, paused_at);
  g_assert_cmpint (impasto_job_get_iteration (job), ==, paused_at);
  g_assert_cmpuint (test.n_paintables, ==, paintables);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume", NULL);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_RUNNING);
  until.iteration = paused_at + 5;
  test_app_wait_until (worker_reached, &until, 30, "iterations after resuming");
  test_app_wait_until (has_frames, &test, 1, "frames");
}

static void
check_stop_and_save (ImpastoWindow *window)
{
  g_autofree char *path = g_build_filename (test.run.dir, "saved.png", NULL);
  g_autoptr(GdkPixbuf) saved = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;
  gint64 deadline;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_stopped, window, 30, "the run to stop");
  g_assert_true (action_enabled (window, "win.start"));
  g_assert_true (action_enabled (window, "win.save"));
  g_assert_false (action_enabled (window, "win.stop"));
  g_assert_nonnull (impasto_canvas_view_get_paintable (window->canvas));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->canvas_stack), ==, "canvas");

  _impasto_window_save_to (window, path);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  test_app_spin (0.1);

  saved = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  impasto_job_get_pixels (window->job, &width, &height, NULL);
  g_assert_cmpint (gdk_pixbuf_get_width (saved), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (saved), ==, height);
  g_assert_cmpint (MAX (width, height), ==, 32);

  /* Stopped: Start is back, Pause and Stop go; the Saved toast offers Show in Files. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->start_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->pause_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->stop_button)));
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *uri = g_file_get_uri (file);
    GtkWidget *button = NULL;

    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (button == NULL && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        button = test_app_find_actionable (GTK_WIDGET (window), "win.show-in-files");
      }
    g_assert_nonnull (button);
    g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value
                                           (GTK_ACTIONABLE (button)), NULL), ==, uri);
  }
}

static gboolean
restarted_with_avg (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL && window->job != test.job
         && impasto_job_get_config (window->job)->pool == IMPASTO_POOL_AVG
         && impasto_job_get_iteration (window->job) >= 1;
}

static void
check_restart (ImpastoWindow *window)
{
  Until until = { NULL, 3 };

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  test_app_wait_until (job_running, window, 30, "a new run");
  until.job = window->job;
  test_app_wait_until (worker_reached, &until, 30, "three iterations");
  test_app_wait_until (shown_reached, &until, 30, "three iterations shown");

  /* Pooling needs new targets, and a picture would be lost: ask. */
  g_set_weak_pointer (&test.job, window->job);
  adw_combo_row_set_selected (window->pool_row, IMPASTO_POOL_AVG);
  g_assert_nonnull (window->restart_dialog);
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (window->restart_dialog),
                                   "Changing the pooling needs a new start."));
  g_assert_true (window->job == test.job);
  g_assert_true (impasto_job_is_active (window->job));

  /* As a click on "Start Again" does: the answer, and the dialog closes. */
  adw_message_dialog_response (window->restart_dialog, "restart");
  gtk_window_destroy (GTK_WINDOW (window->restart_dialog));
  g_assert_null (window->restart_dialog);
  test_app_wait_until (restarted_with_avg, window, 30, "the run to restart with average pooling");
  g_assert_true (impasto_job_is_active (window->job));
}

static gboolean
job_has_beta (gpointer data)
{
  Until *until = data;
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (until->job, &n);

  return n > 0 && records[n - 1].beta == until->iteration;
}

static gboolean
no_dialog (gpointer data)
{
  return ((ImpastoWindow *) data)->restart_dialog == NULL;
}

static gboolean
restarted_with_seed (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL && window->job != test.job
         && impasto_job_get_config (window->job)->seed == 77
         && impasto_job_get_iteration (window->job) >= 1;
}

/* The notice's button. */
static GtkWidget *
pending_start_button (ImpastoWindow *window)
{
  GtkWidget *box = gtk_revealer_get_child (window->pending_revealer);

  return gtk_widget_get_last_child (box);
}

static void
check_keep_painting (ImpastoWindow *window)
{
  ImpastoJob *job = window->job;
  int conv1_2 = impasto_vgg19_conv_index ("conv1_2");
  Until until = { job, 700 };

  /* Switching a style layer on needs new targets; keep painting instead. */
  g_assert_true (impasto_job_is_active (job));
  gtk_switch_set_active (window->layer_rows[IMPASTO_LAYER_STYLE][conv1_2].toggle, TRUE);
  g_assert_cmpfloat (impasto_params_get_layer_weight (window->params, IMPASTO_LAYER_STYLE,
                                                      conv1_2), >, 0.0);
  g_assert_nonnull (window->restart_dialog);
  /* Closing the dialog (Escape) is "keep". */
  gtk_window_close (GTK_WINDOW (window->restart_dialog));
  test_app_wait_until (no_dialog, window, 10, "the dialog to close");
  g_assert_true (window->job == job);

  /* The change that was not used stays in view, with a way to use it. */
  g_assert_true (gtk_revealer_get_reveal_child (window->pending_revealer));
  g_assert_nonnull (strstr (gtk_label_get_label (window->pending_label), "Style Layers"));

  /* Later slider moves still steer this run, without asking again. */
  g_object_set (window->params, "beta", 700.0, NULL);
  g_assert_null (window->restart_dialog);
  test_app_wait_until (job_has_beta, &until, 30, "β = 700 in the kept run");
  g_assert_true (window->job == job);
  g_assert_true (impasto_job_is_active (job));

  /* Another change that needs a new start is not asked about again: it joins the notice. */
  g_object_set (window->params, "seed", 77, NULL);
  g_assert_null (window->restart_dialog);
  g_assert_null (window->save_dialog);
  g_assert_true (window->job == job);
  g_assert_true (impasto_job_is_active (job));
  g_assert_true (gtk_revealer_get_reveal_child (window->pending_revealer));
  g_assert_nonnull (strstr (gtk_label_get_label (window->pending_label), "Style Layers"));
  g_assert_nonnull (strstr (gtk_label_get_label (window->pending_label), "Seed"));
  g_assert_cmpuint (impasto_job_get_config (job)->seed, !=, 77);

  /* Start Again: the painting so far would be lost, so it asks; Discard starts the new run
   * with the waiting changes, and the notice goes. */
  g_set_weak_pointer (&test.job, job);
  g_signal_emit_by_name (pending_start_button (window), "clicked");
  g_assert_nonnull (window->save_dialog);
  g_assert_true (window->job == job);
  adw_message_dialog_response (window->save_dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (window->save_dialog));
  test_app_wait_until (restarted_with_seed, window, 30, "the run to restart with seed 77");
  g_assert_false (gtk_revealer_get_reveal_child (window->pending_revealer));
  g_assert_cmpfloat (impasto_job_get_initial_params (window->job)->style_layers[conv1_2], >,
                     0.0f);
}

static gboolean
narrow_header (gpointer data)
{
  ImpastoWindow *window = data;

  return adw_flap_get_folded (window->flap)
         && !gtk_widget_get_visible (GTK_WIDGET (window->start_label))
         && !gtk_widget_get_visible (GTK_WIDGET (window->save_button));
}

static gboolean
at_most_360 (gpointer data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (data));

  return width > 0 && width <= 360;
}

static void
check_narrow (ImpastoWindow *window)
{
  int minimum, natural;

  /* Everything fits a 360 px wide window, and the controls fold into an overlay. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  test_app_wait_until (narrow_header, window, 30, "the controls to fold");
  /* As a window manager would while the border is dragged: ask again once the controls have
   * folded and the header has shed its labels. */
  gtk_window_set_default_size (GTK_WINDOW (window), 361, 640);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  test_app_wait_until (at_most_360, window, 30, "the window to be 360 px wide");
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                      NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_true (adw_flap_get_folded (window->flap));
  g_assert_false (adw_flap_get_reveal_flap (window->flap));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-controls", NULL);
  g_assert_true (adw_flap_get_reveal_flap (window->flap));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-controls", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  test_app_spin (0.3);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  g_assert_nonnull (window);
  g_signal_connect (window->canvas, "notify::paintable", G_CALLBACK (on_paintable_cb), &test);

  /* --start: the run begins once both pictures are decoded. */
  test_app_wait_until (has_frames, &test, 60, "two frames on the canvas");
  g_assert_cmpint (impasto_job_get_state (window->job), ==, IMPASTO_JOB_RUNNING);
  g_assert_true (impasto_canvas_view_get_paintable (window->canvas)
                 == GDK_PAINTABLE (impasto_job_get_texture (window->job)));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->iteration_label), "Iteration "));
  g_assert_cmpstr (gtk_label_get_label (window->loss_label), !=, "");

  check_live_beta (window);
  check_pause_resume (window);
  check_stop_and_save (window);
  check_narrow (window);
  check_restart (window);
  check_keep_painting (window);

  /* Close mid-run: the painting would be lost, so the window asks first; Cancel keeps window
   * and run. */
  g_assert_true (impasto_job_is_active (window->job));
  g_set_weak_pointer (&test.job, window->job);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.run.window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window->save_dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  adw_message_dialog_response (window->save_dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (window->save_dialog));
  test_app_spin (0.1);
  g_assert_nonnull (test.run.window);
  g_assert_true (impasto_job_is_active (window->job));

  /* Discard: the worker is stopped, and the application ends once it has returned. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window->save_dialog);
  adw_message_dialog_response (window->save_dialog, "discard");
  test.run.body_done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_run (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test.run);

  /* Small and long, so that the run is still going whenever the test looks. */
  g_settings_set_int (settings, "size", 32);
  g_settings_set_int (settings, "iterations", 100000);
  g_settings_set_double (settings, "tv", 0.25);

  test_window_run (&test.run, test_body, TEST_WINDOW_START);
  /* The worker returned, the job and the window are gone: nothing left behind. */
  g_assert_null (test.job);
  g_assert_null (test.run.window);

  /* What the person chose persists. */
  g_assert_cmpfloat (g_settings_get_double (settings, "beta"), ==, 700.0);
  g_assert_cmpint (g_settings_get_enum (settings, "pool"), ==, IMPASTO_POOL_AVG);
  {
    g_autofree char *uri = g_settings_get_string (settings, "content-uri");
    g_autoptr(GFile) file = g_file_new_for_path (test.run.content);
    g_autofree char *expected = g_file_get_uri (file);

    g_assert_cmpstr (uri, ==, expected);
  }

  test_window_run_clear (&test.run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window/run", test_run);

  return g_test_run ();
}
