/* test-window-hardening.c
 *
 * The whole application under Xvfb with a tiny random VGG19, when saving goes wrong: a save into
 * a folder that has been removed shows an error that stays (naming the problem), and the picture
 * and the run's state are kept, so a second save elsewhere works; then the window is closed in
 * the middle of a save (the save thread still writing): nothing crashes or complains, the file is
 * complete (the atomic save leaves no temporary file), and window and job are freed.
 *
 * The test body runs from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-hardening"

#include "config.h"

#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  ImpastoJob *job;           /* weak */
} Test;

static Test test;

static gboolean
job_running (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL && impasto_job_get_state (window->job) == IMPASTO_JOB_RUNNING
         && impasto_job_get_iteration (window->job) >= 2;
}

static gboolean
job_stopped (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL && impasto_job_get_state (window->job) == IMPASTO_JOB_STOPPED;
}

/* A label anywhere under @widget whose text contains @text. */
static gboolean
error_shown (gpointer data)
{
  return test_app_find_label (GTK_WIDGET (test.run.window), "The picture was not saved") != NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;
  g_autofree char *gone = g_build_filename (test.run.dir, "gone", NULL);
  g_autofree char *gone_path = g_build_filename (gone, "painting.png", NULL);
  g_autofree char *kept_path = g_build_filename (test.run.dir, "kept.png", NULL);
  g_autofree char *last_path = g_build_filename (test.run.dir, "last.png", NULL);
  GtkLabel *label;
  int width = 0;
  int height = 0;

  test_app_wait_until (job_running, window, 60, "the run to paint");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_stopped, window, 30, "the run to stop");
  g_assert_nonnull (impasto_job_get_pixels (window->job, &width, &height, NULL));

  /* The folder was there when the file chooser answered, and is gone now. */
  g_assert_cmpint (g_mkdir (gone, 0755), ==, 0);
  g_assert_cmpint (g_rmdir (gone), ==, 0);
  _impasto_window_save_to (window, gone_path);
  test_app_wait_until (error_shown, NULL, 30, "the error about the save");
  label = test_app_find_label (GTK_WIDGET (window), "The picture was not saved");
  g_assert_nonnull (strstr (gtk_label_get_label (label), "painting.png"));
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));

  /* Nothing lost: the picture is still there and saves elsewhere. */
  g_assert_true (job_stopped (window));
  g_assert_nonnull (impasto_canvas_view_get_paintable (window->canvas));
  _impasto_window_save_to (window, kept_path);
  test_app_wait_until (file_exists, kept_path, 30, "the second save");

  /* Closed while a save is under way. */
  g_set_weak_pointer (&test.job, window->job);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.run.window);
  _impasto_window_save_to (window, last_path);
  gtk_window_close (GTK_WINDOW (window));
  test.run.body_done = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_window_saves (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  g_autoptr(GError) error = NULL;
  const char *names[] = { "kept.png", "last.png" };

  test_window_run_init (&test.run);

  g_settings_set_int (settings, "size", 32);
  g_settings_set_int (settings, "iterations", 100000);

  test_window_run (&test.run, test_body, TEST_WINDOW_START);
  g_assert_null (test.job);
  g_assert_null (test.run.window);

  /* Both saves are complete pictures; the photo, the painting and they are all there is. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (test.run.dir, names[i], NULL);
      g_autoptr(GdkPixbuf) saved = gdk_pixbuf_new_from_file (path, &error);

      g_assert_no_error (error);
      g_assert_cmpint (MAX (gdk_pixbuf_get_width (saved), gdk_pixbuf_get_height (saved)), ==,
                       32);
      g_unlink (path);
    }
  g_assert_cmpuint (count_entries (test.run.dir), ==, 2);

  test_window_run_clear (&test.run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window-hardening/saves", test_window_saves);

  return g_test_run ();
}
