/* test-window-support.h
 *
 * The scaffolding the window tests share: the pictures and the tiny network of
 * test-app-support.h, the application made and run on them with the test's body running from an
 * idle once the first ImpastoWindow appears, the checks that the body ran and the application
 * ended well, and the clean-up afterwards; a wait for the window to be mapped with a frame clock
 * (for tests that send real events or count frames); and a private cache folder for main().
 *
 * It sets no setting and makes no check of a test's own: each test keeps those, between
 * test_window_run_init() and test_window_run() (settings) and between test_window_run() and
 * test_window_run_clear() (what the run left). Tests that need two applications in one test or a
 * child process (test-window-history.c) make their own. Header-only; each test binary gets its
 * own copy.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-application.h"
#include "impasto-window.h"
#include "test-app-support.h"

/* What the application is given on its command line. */
typedef enum
{
  TEST_WINDOW_OPEN_NOTHING,   /* impasto */
  TEST_WINDOW_OPEN_PICTURES,  /* impasto PHOTO PAINTING */
  TEST_WINDOW_START,          /* impasto --start PHOTO PAINTING */
} TestWindowOpen;

typedef struct
{
  ImpastoApplication *app;
  ImpastoModel *model;        /* the tiny network */
  ImpastoWindow *window;      /* the first window; a test may make it a weak pointer */
  char *dir;                  /* a temporary folder with the two pictures */
  char *content;              /* dir/photo.png, 48 × 40 */
  char *style;                /* dir/painting.png, 40 × 40 */
  GSourceFunc body;
  gboolean body_done;         /* set by the body as it ends */
} TestWindowRun;

/* Removes @path, and what is in it if it is a folder (never following a link). */
static inline void
test_window_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      test_window_remove_tree (child);
    }
  g_remove (path);
}

/* The pictures (test_app_make_pictures()) and the tiny network. */
static inline void
test_window_run_init (TestWindowRun *run)
{
  run->model = test_app_model_new ();
  test_app_make_pictures (&run->dir, &run->content, &run->style);
}

static inline void
test_window_on_window_added_cb (GtkApplication *app,
                                GtkWindow      *window,
                                TestWindowRun  *run)
{
  if (IMPASTO_IS_WINDOW (window) && run->window == NULL)
    {
      run->window = IMPASTO_WINDOW (window);
      g_idle_add (run->body, NULL);
    }
}

/* Makes the application with the tiny network and runs it as @open says; @body runs from an
 * idle once the first window is there, and must set run->body_done. Fails the test unless the
 * application ended with status 0 and the body ran to its end. */
static inline void
test_window_run (TestWindowRun  *run,
                 GSourceFunc     body,
                 TestWindowOpen  open)
{
  char *argv[] = { (char *) "impasto", run->content, run->style, NULL };
  int status;

  g_assert_nonnull (run->model);
  run->body = body;
  run->body_done = FALSE;
  run->app = impasto_application_new ("org.impasto.Impasto.Test", G_APPLICATION_NON_UNIQUE);
  impasto_application_set_model (run->app, run->model);
  g_signal_connect (run->app, "window-added", G_CALLBACK (test_window_on_window_added_cb), run);

  switch (open)
    {
    case TEST_WINDOW_OPEN_NOTHING:
      status = g_application_run (G_APPLICATION (run->app), 1, argv);
      break;
    case TEST_WINDOW_OPEN_PICTURES:
      status = g_application_run (G_APPLICATION (run->app), 3, argv);
      break;
    case TEST_WINDOW_START:
    default:
      status = test_app_run_start (G_APPLICATION (run->app), run->content, run->style);
      break;
    }

  g_assert_cmpint (status, ==, 0);
  g_assert_true (run->body_done);
}

/* Frees the application and the network, removes the folder with the pictures and whatever the
 * test left in it. */
static inline void
test_window_run_clear (TestWindowRun *run)
{
  g_clear_object (&run->app);
  g_clear_object (&run->model);
  if (run->dir != NULL)
    test_window_remove_tree (run->dir);
  g_clear_pointer (&run->content, g_free);
  g_clear_pointer (&run->style, g_free);
  g_clear_pointer (&run->dir, g_free);
}

static inline gboolean
test_window_mapped (gpointer data)
{
  TestWindowRun *run = data;

  return run->window != NULL && gtk_widget_get_mapped (GTK_WIDGET (run->window))
         && gtk_widget_get_frame_clock (GTK_WIDGET (run->window)) != NULL;
}

/* Waits (30 s at most) until the window is mapped and has a frame clock: real X events reach
 * it, and frames are drawn. */
static inline void
test_window_wait_mapped (TestWindowRun *run)
{
  test_app_wait_until (test_window_mapped, run, 30, "the window");
}

/* A new temporary folder made this process's XDG_CACHE_HOME, so that what the application
 * keeps in its cache (this computer's speed, the runs' folders) starts empty. Call first in
 * main(), before anything asks GLib where the cache is; test_window_cache_remove() at the end. */
static inline char *
test_window_cache_new (void)
{
  char *cache = g_dir_make_tmp ("impasto-cache-XXXXXX", NULL);

  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  return cache;
}

/* No run's history folder is left in the cache (the windows closed removed theirs). */
static inline void
test_window_assert_no_runs (void)
{
  g_autofree char *runs = impasto_job_dup_runs_folder ();
  g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);

  g_assert_true (dir == NULL || g_dir_read_name (dir) == NULL);
  g_rmdir (runs);
}

/* Removes the folder of test_window_cache_new() with what the application put in it, and frees
 * @cache. */
static inline void
test_window_cache_remove (char *cache)
{
  test_window_remove_tree (cache);
  g_free (cache);
}
