/* test-window-history.c
 *
 * The window's run keeps its history on disk, and nothing is lost to a crash, with the whole
 * application under Xvfb and a tiny random VGG19. A run writes snapshots into a folder under the
 * cache; starting again (the old painting discarded) removes that folder, and closing the
 * window removes the new run's. Then a child process running the application mid-run is killed
 * with SIGKILL; the next start asks "Restore the Last Painting?", and Restore loads the photo and
 * painting and continues the run from the newest snapshot's iteration, in the same folder, which
 * closing the window then removes.
 *
 * The test bodies run from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-history"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "impasto-application.h"
#include "impasto-window-private.h"
#include "test-app-support.h"

/* The parent and the child make the same tiny network from the same seed (test-job-history.c). */
#define SEED "R02S6b1f2e3a4c5d69788796a5b4c3d2e1f0"

typedef struct
{
  ImpastoApplication *app;
  ImpastoWindow *window;
  char *dir;
  char *content;
  char *style;
  GSourceFunc body;
  int iteration;         /* the snapshot the restored run continues from */
  gboolean body_done;
} Test;

static Test test;

static char *
runs_folder (void)
{
  return impasto_job_dup_runs_folder ();
}

/* The run folders in the cache. */
static guint
count_runs (void)
{
  g_autofree char *runs = runs_folder ();
  g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* What an earlier, failed run of this test left in its own cache. */
static void
clear_runs (void)
{
  g_autofree char *runs = runs_folder ();
  g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = g_build_filename (runs, name, NULL);
      g_autoptr(GDir) inner = g_dir_open (folder, 0, NULL);
      const char *file;

      while (inner != NULL && (file = g_dir_read_name (inner)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, file, NULL);

          g_unlink (path);
        }
      g_rmdir (folder);
    }
}

static gboolean
job_has_snapshots (gpointer data)
{
  ImpastoJob *job = test.window->job;
  g_autoptr(GArray) snapshots = NULL;

  /* And a frame shown: a painting that closing asks about. */
  if (job == NULL || job == data || impasto_job_get_pixels (job, NULL, NULL, NULL) == NULL)
    return FALSE;
  snapshots = impasto_job_dup_snapshots (job);
  return snapshots->len >= 2;
}

static gboolean
job_stopped (gpointer data)
{
  return impasto_job_get_state (data) == IMPASTO_JOB_STOPPED;
}

static gboolean
job_painting_past (gpointer data)
{
  ImpastoJob *job = test.window->job;

  return job != NULL && impasto_job_get_state (job) == IMPASTO_JOB_RUNNING
         && impasto_job_get_iteration (job) > GPOINTER_TO_INT (data);
}

static void
answer (AdwMessageDialog *dialog,
        const char       *heading,
        const char       *response)
{
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
close_window (ImpastoWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.window);
  gtk_window_close (GTK_WINDOW (window));
  answer (window->save_dialog, "Save the Painting?", "discard");
}

static gboolean
discard_body (gpointer data)
{
  ImpastoWindow *window = test.window;
  g_autofree char *first = NULL;
  ImpastoJob *previous;

  test_app_wait_until (job_has_snapshots, NULL, 60, "the run's snapshots");
  previous = window->job;
  first = g_strdup (impasto_job_get_run_folder (previous));
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_runs (), ==, 1);

  /* Stopped (its folder stays: the painting is still there), then started again with the
   * painting discarded: the old run's folder goes, the new one has its own. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_stopped, previous, 60, "the run to stop");
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_DIR));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  answer (window->save_dialog, "Save the Painting?", "discard");
  test_app_wait_until (job_has_snapshots, previous, 60, "the new run's snapshots");
  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (impasto_job_get_run_folder (window->job), G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_runs (), ==, 1);

  /* Closed, the painting discarded: nothing is kept. */
  close_window (window);
  g_assert_cmpuint (count_runs (), ==, 0);
  test.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
restore_body (gpointer data)
{
  ImpastoWindow *window = test.window;
  const ImpastoJobRecord *records;
  g_autofree char *photo = NULL;
  guint n_records;
  GFile *file;

  /* Offered on start, nothing painting yet. */
  g_assert_null (window->job);
  answer (window->restore_dialog, "Restore the Last Painting?", "restore");
  test_app_wait_until (job_painting_past, GINT_TO_POINTER (test.iteration + 2), 60,
                       "the restored run to paint");

  /* The photo and painting of the killed run, and its run continued from the snapshot. */
  file = impasto_image_well_get_file (window->content_well);
  g_assert_nonnull (file);
  photo = g_file_get_path (file);
  g_assert_cmpstr (photo, ==, test.content);
  records = impasto_job_get_history (window->job, &n_records);
  g_assert_cmpuint (n_records, >=, 3);
  g_assert_cmpint (records[0].iteration, ==, test.iteration);
  g_assert_cmpint (records[1].iteration, ==, test.iteration + 1);
  g_assert_cmpuint (count_runs (), ==, 1);

  close_window (window);
  g_assert_cmpuint (count_runs (), ==, 0);
  test.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    Test           *t)
{
  if (IMPASTO_IS_WINDOW (window) && t->window == NULL)
    {
      t->window = IMPASTO_WINDOW (window);
      if (t->body != NULL)
        g_idle_add (t->body, NULL);
    }
}

/* Makes the application with the tiny network (first thing in the test, for the same network in
 * parent and child) and the settings of a long run at 32 pixels. */
static void
app_new (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  g_autoptr(ImpastoModel) model = test_app_model_new ();

  g_settings_set_int (settings, "size", 32);
  g_settings_set_int (settings, "iterations", 100000);
  test.window = NULL;
  test.body_done = FALSE;
  test.app = impasto_application_new ("org.impasto.Impasto.Test", G_APPLICATION_NON_UNIQUE);
  impasto_application_set_model (test.app, model);
  g_signal_connect (test.app, "window-added", G_CALLBACK (on_window_added_cb), &test);
}

static void
test_discard (void)
{
  app_new ();
  test_app_make_pictures (&test.dir, &test.content, &test.style);
  test.body = discard_body;
  g_assert_cmpint (test_app_run_start (G_APPLICATION (test.app), test.content, test.style), ==,
                   0);
  g_assert_true (test.body_done);
  g_assert_null (test.window);
  g_clear_object (&test.app);
}

static const char *child_args[2];

/* The child: the application painting the pictures it is given, until it is killed. */
static void
test_child (void)
{
  app_new ();
  test.body = NULL;
  test_app_run_start (G_APPLICATION (test.app), child_args[0], child_args[1]);
}

static void
test_restore_after_kill (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *runs = runs_folder ();
  g_autoptr(GError) error = NULL;
  char *argv[] = { self_path, (char *) "--child", NULL, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  char *no_files[] = { (char *) "impasto", NULL };
  GPid pid;
  int status;

  app_new ();
  test.body = restore_body;
  if (test.dir == NULL)
    test_app_make_pictures (&test.dir, &test.content, &test.style);
  g_assert_cmpuint (count_runs (), ==, 0);
  argv[2] = test.content;
  argv[3] = test.style;
  g_assert_true (g_spawn_async (NULL, argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);

  /* Killed mid-run, once it has kept the snapshot after iteration 10 or later. */
  test.iteration = 0;
  while (test.iteration < 10)
    {
      g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);
      const char *name;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *ini = g_build_filename (runs, name, "run.ini", NULL);
          g_autoptr(GKeyFile) info = g_key_file_new ();

          if (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL))
            test.iteration = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
        }
    }
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_assert_cmpuint (count_runs (), ==, 1);
  /* The newest snapshot it left (it went on painting while we looked). */
  {
    g_autoptr(GKeyFile) info = NULL;
    g_autofree char *folder = _impasto_window_find_lost_run (&info);

    g_assert_nonnull (folder);
    test.iteration = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
    g_assert_cmpint (test.iteration, >=, 10);
  }

  g_assert_cmpint (g_application_run (G_APPLICATION (test.app), 1, no_files), ==, 0);
  g_assert_true (test.body_done);
  g_assert_null (test.window);
  g_clear_object (&test.app);

  g_unlink (test.content);
  g_unlink (test.style);
  g_rmdir (test.dir);
  g_clear_pointer (&test.content, g_free);
  g_clear_pointer (&test.style, g_free);
  g_clear_pointer (&test.dir, g_free);
}

int
main (int   argc,
      char *argv[])
{
  /* The arguments with the seed first; freed at the end (LeakSanitizer). */
  g_autofree char **all = NULL;
  char *args[] = { argv[0], (char *) "--seed=" SEED, NULL };
  char **fixed = args;
  int n_fixed = 2;

  /* The same seed in parent and child, whatever else is given. */
  if (argc == 4 && strcmp (argv[1], "--child") == 0)
    {
      child_args[0] = argv[2];
      child_args[1] = argv[3];
      g_test_init (&n_fixed, &fixed, NULL);
      test_app_seed_speed ();
      g_test_add_func ("/window-history/child", test_child);
      return g_test_run ();
    }
  {
    all = g_new0 (char *, argc + 2);

    all[0] = argv[0];
    all[1] = (char *) "--seed=" SEED;
    for (int i = 1; i < argc; i++)
      all[i + 1] = argv[i];
    argc++;
    argv = all;
  }
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();
  clear_runs ();

  g_test_add_func ("/window-history/discard", test_discard);
  g_test_add_func ("/window-history/restore-after-kill", test_restore_after_kill);
  return g_test_run ();
}
