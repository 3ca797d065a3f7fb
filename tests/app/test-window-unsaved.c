/* test-window-unsaved.c
 *
 * No painting lost without asking, with the whole application under Xvfb and a tiny random
 * VGG19: Start after a finished run with an unsaved painting asks "Save the Painting?"; Cancel
 * does nothing; Save opens the file chooser and goes on only once the file is written (a
 * cancelled chooser goes nowhere, a chosen file is written and then the new run starts); Start
 * after a stopped run, answered Discard, starts at once; a saved painting is not asked about
 * until a newer frame arrives; and closing the window mid-run, answered Save, writes the
 * painting and then closes, freeing window and job.
 *
 * The file chooser is answered the way its response does, with a file or none. The test body runs from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-unsaved"

#include "config.h"

#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  ImpastoJob *job;           /* weak */
  ImpastoJob *previous;      /* weak: the run a new one replaces */
  int saved_at;              /* the iteration of the frame saved while paused */
} Test;

static Test test;

static gboolean
job_in_state (gpointer data)
{
  ImpastoJobState state = GPOINTER_TO_INT (data);

  return test.run.window->job != NULL && impasto_job_get_state (test.run.window->job) == state;
}

static gboolean
new_run_painting (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  return window->job != NULL && window->job != test.previous
         && impasto_job_get_state (window->job) == IMPASTO_JOB_RUNNING
         && impasto_job_get_iteration (window->job) >= 2;
}

static gboolean
newer_frame (gpointer data)
{
  return impasto_job_get_iteration (test.run.window->job) > test.saved_at;
}

static gboolean
save_finished (gpointer data)
{
  return ((ImpastoWindow *) data)->saving_pixels == NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* As a click on one of the question's buttons does: the answer, and the dialog closes. */
static void
answer (ImpastoWindow *window,
        const char    *response)
{
  AdwMessageDialog *dialog = window->save_dialog;

  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save the Painting?");
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (window->save_dialog);
}

/* The file chooser, answered with @path (or cancelled when NULL) as its response does. */
static void
choose_file (ImpastoWindow *window,
             const char    *path)
{
  g_autoptr(GFile) file = path != NULL ? g_file_new_for_path (path) : NULL;

  g_assert_nonnull (window->chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (window->chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  _impasto_window_save_chosen (window, file);
  g_assert_null (window->chooser);
}

static void
check_saved_picture (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) saved = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (MAX (gdk_pixbuf_get_width (saved), gdk_pixbuf_get_height (saved)), ==, 32);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;
  g_autofree char *first_path = g_build_filename (test.run.dir, "first.png", NULL);
  g_autofree char *last_path = g_build_filename (test.run.dir, "last.png", NULL);
  g_autofree char *bad_path = g_build_filename (test.run.dir, "no-such-folder", "bad.png", NULL);
  ImpastoJob *finished;

  /* A short run finishes with a painting nobody saved. */
  test_app_wait_until (job_in_state, GINT_TO_POINTER (IMPASTO_JOB_FINISHED), 60,
                       "the run to finish");
  finished = window->job;
  g_assert_true (_impasto_window_has_unsaved_painting (window));

  /* Start asks first; Cancel does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (window->job == finished);
  answer (window, "cancel");
  test_app_spin (0.2);
  g_assert_true (window->job == finished);
  g_assert_cmpint (impasto_job_get_state (finished), ==, IMPASTO_JOB_FINISHED);
  g_assert_null (window->chooser);

  /* Save, and the chooser cancelled: nothing is written and nothing starts. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer (window, "save");
  choose_file (window, NULL);
  test_app_spin (0.2);
  g_assert_true (window->job == finished);
  g_assert_true (_impasto_window_has_unsaved_painting (window));
  g_assert_cmpint (window->after_save, ==, IMPASTO_AFTER_SAVE_NONE);

  /* Save with a file: written, then the new run starts. */
  g_object_set (window->params, "iterations", 100000, NULL);
  g_set_weak_pointer (&test.previous, finished);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer (window, "save");
  g_assert_true (window->job == finished);
  choose_file (window, first_path);
  test_app_wait_until (file_exists, first_path, 30, "the painting to be saved");
  test_app_wait_until (new_run_painting, NULL, 60, "the new run after saving");
  check_saved_picture (first_path);

  /* Start while this very painting is being written: no question; the new run starts once
   * the file is written. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_in_state, GINT_TO_POINTER (IMPASTO_JOB_STOPPED), 30,
                       "the run to stop");
  g_set_weak_pointer (&test.previous, window->job);
  _impasto_window_save_to (window, first_path);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_null (window->save_dialog);
  test_app_wait_until (new_run_painting, NULL, 60, "the new run once the painting is written");
  check_saved_picture (first_path);

  /* Stopped unsaved: Discard starts again at once. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_in_state, GINT_TO_POINTER (IMPASTO_JOB_STOPPED), 30,
                       "the run to stop");
  g_set_weak_pointer (&test.previous, window->job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  g_assert_true (window->job == test.previous);
  answer (window, "discard");
  test_app_wait_until (new_run_painting, NULL, 60, "the new run after discarding");

  /* A saved painting goes without a question, until the next frame. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL);
  test_app_wait_until (job_in_state, GINT_TO_POINTER (IMPASTO_JOB_PAUSED), 30, "the pause");
  test_app_spin (0.3);
  g_assert_true (_impasto_window_has_unsaved_painting (window));
  /* A save that fails leaves the painting unsaved. */
  _impasto_window_save_to (window, bad_path);
  test_app_wait_until (save_finished, window, 30, "the failing save");
  g_assert_true (_impasto_window_has_unsaved_painting (window));
  /* Being written is not saved yet; written, it is. */
  _impasto_window_save_to (window, first_path);
  g_assert_true (_impasto_window_has_unsaved_painting (window));
  test_app_wait_until (save_finished, window, 30, "the save");
  g_assert_false (_impasto_window_has_unsaved_painting (window));
  test.saved_at = impasto_job_get_iteration (window->job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume", NULL);
  test_app_wait_until (newer_frame, NULL, 30, "a frame newer than the saved one");
  g_assert_true (_impasto_window_has_unsaved_painting (window));

  /* Closing mid-run asks; Save writes the painting, then the window closes. */
  g_set_weak_pointer (&test.job, window->job);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.run.window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (test.run.window);
  answer (window, "save");
  g_assert_nonnull (test.run.window);
  choose_file (window, last_path);
  test.run.body_done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_window_unsaved (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  const char *names[] = { "first.png", "last.png" };

  test_window_run_init (&test.run);

  g_settings_set_int (settings, "size", 32);
  g_settings_set_int (settings, "iterations", 6);

  test_window_run (&test.run, test_body, TEST_WINDOW_START);
  /* Closed once the painting was written: the worker returned, nothing is left behind. */
  g_assert_null (test.job);
  g_assert_null (test.run.window);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (test.run.dir, names[i], NULL);

      check_saved_picture (path);
      g_unlink (path);
    }

  test_window_run_clear (&test.run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window-unsaved/ask", test_window_unsaved);

  return g_test_run ();
}
