/* test-model.c
 *
 * The application without a usable model:
 * - `impasto --model MISSING` shows the status page, which says in a sentence what is needed,
 *   keeps where it looked in a row that expands, and offers "Choose Model File…";
 * - a file that is not a VGG19 model (loaded on a worker thread, as "Choose Model File…" does)
 *   says so in plain words;
 * - a real (tiny) .mat is imported with the progress bar in the header shown and a toast, and
 *   loads from its cache the second time;
 * - the MD5 of a verified download reaches the model store;
 * - once a model arrives the window switches to painting by itself;
 * - the shortcuts window opens.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-model"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "impasto-model-store.h"

#include "impasto-application.h"
#include "impasto-vgg19-mat.h"
#include "impasto-window-private.h"
#include "test-app-support.h"

static ImpastoWindow *window;
static char *dir;
static double highest_progress = -1.0;
static gboolean progress_bar_seen;

static gboolean
model_failed (gpointer data)
{
  return impasto_application_get_model_status (data) == IMPASTO_MODEL_STATUS_FAILED;
}

static gboolean
model_not_loading (gpointer data)
{
  return impasto_application_get_model_status (data) != IMPASTO_MODEL_STATUS_LOADING;
}

static gboolean
model_ready (gpointer data)
{
  return impasto_application_get_model_status (data) == IMPASTO_MODEL_STATUS_READY;
}

static void
on_model_progress_cb (ImpastoApplication *app)
{
  highest_progress = MAX (highest_progress, impasto_application_get_model_progress (app));
  progress_bar_seen |= gtk_widget_get_visible (GTK_WIDGET (window->model_progress));
}

/* Loads the tiny .mat at @path; returns whether it was imported (not from the cache). */
static gboolean
load_mat (ImpastoApplication *app,
          const char         *path)
{
  ImpastoModel *model;

  highest_progress = -1.0;
  progress_bar_seen = FALSE;
  impasto_application_load_model (app, path);
  test_app_wait_until (model_ready, app, 60, "the .mat to load");
  g_assert_cmpfloat (impasto_application_get_model_progress (app), ==, -1.0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->model_progress)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "painting");
  model = impasto_application_get_model (app);
  g_assert_cmpstr (impasto_model_get_path (model), ==, path);
  return impasto_model_get_imported (model);
}

static gboolean
has_shortcuts_window (gpointer data)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean found = FALSE;

  for (const GList *l = toplevels; l != NULL; l = l->next)
    found |= GTK_IS_SHORTCUTS_WINDOW (l->data) && gtk_widget_get_visible (l->data);
  g_list_free (toplevels);
  return found;
}

/* A tiny .mat, not a published one, whose `layers` variable has a broken Adler-32 that the
 * streaming reader (which stops at fc6) cannot see; its MD5 goes to @md5. Only the store's
 * whole-file check finds the damage, and that check is skipped for an MD5 the caller vouches for
 * (a verified download). */
static char *
write_damage_unseen_by_reader (char **md5)
{
  g_autofree char *path = g_build_filename (dir, "downloaded.mat", NULL);
  g_autofree guint8 *bytes = NULL;
  ImpastoVgg19MatOptions options;
  char write_error[256] = "";
  gsize size;
  gsize offset = 128;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.fc_channels[0] = 1024;   /* fc6 over 1 MiB, as in the real file */
  g_assert_true (impasto_vgg19_mat_write (path, &options, NULL, write_error,
                                          sizeof write_error));
  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));
  while (offset + 8 <= size)
    {
      ImpastoWeights *weights = NULL;
      ImpastoEngineError engine_error = { 0 };
      guint32 length;

      memcpy (&length, bytes + offset + 4, 4);
      g_assert_cmpuint (offset + 8 + length, <=, size);
      /* The variable's last byte is the last byte of its zlib stream's Adler-32. */
      bytes[offset + 8 + length - 1] ^= 0x5a;
      g_assert_true (g_file_set_contents (path, (char *) bytes, (gssize) size, NULL));
      if (impasto_weights_load_with_reader (&weights, path, IMPASTO_WEIGHTS_READER_FAST,
                                            &engine_error) == IMPASTO_STATUS_OK)
        {
          impasto_weights_free (weights);
          *md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, bytes, size);
          return g_steal_pointer (&path);
        }
      bytes[offset + 8 + length - 1] ^= 0x5a;
      offset += 8 + length;
    }
  g_error ("no damage that the streaming reader cannot see");
}

static gboolean
test_body (gpointer data)
{
  ImpastoApplication *app = IMPASTO_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autofree char *bad = g_build_filename (dir, "not-a-model.mat", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoModel) model = NULL;
  const char *message;

  /* --model named nothing: the page says what was looked for, and how to get the model. */
  g_assert_cmpint (impasto_application_get_model_status (app), ==, IMPASTO_MODEL_STATUS_MISSING);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "no-model");
  g_assert_cmpstr (adw_status_page_get_title (window->no_model_page), ==, "No Model Found");
  message = adw_status_page_get_description (window->no_model_page);
  g_assert_nonnull (strstr (message, "Download it once"));
  g_assert_true (gtk_widget_get_visible (window->model_details));
  message = gtk_label_get_text (window->model_details_label);
  g_assert_nonnull (strstr (message, "no-such-model.mat"));

  /* A file that is not a network. */
  g_file_set_contents (bad, "MATLAB 5.0 MAT-file, but not really", -1, &error);
  g_assert_no_error (error);
  impasto_application_load_model (app, bad);
  g_assert_cmpint (impasto_application_get_model_status (app), ==, IMPASTO_MODEL_STATUS_LOADING);
  test_app_wait_until (model_failed, app, 30, "the bad model to fail");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "no-model");
  g_assert_cmpstr (adw_status_page_get_title (window->no_model_page), ==,
                   "The Model Cannot Be Used");
  message = adw_status_page_get_description (window->no_model_page);
  g_assert_nonnull (strstr (message, "not-a-model.mat"));
  g_assert_false (gtk_widget_get_visible (window->model_details));
  g_unlink (bad);

  /* A real .mat: imported once with progress, then answered from the cache. */
  {
    g_autofree char *mat = g_build_filename (dir, "tiny.mat", NULL);
    g_autofree char *cache = NULL;
    ImpastoVgg19MatOptions options;
    char write_error[256] = "";

    impasto_vgg19_mat_options_init_tiny (&options);
    g_assert_true (impasto_vgg19_mat_write (mat, &options, NULL, write_error,
                                            sizeof write_error));
    cache = impasto_model_store_cache_path (mat);
    g_unlink (cache);
    g_signal_connect (app, "notify::model-progress", G_CALLBACK (on_model_progress_cb), NULL);

    g_assert_true (load_mat (app, mat));
    g_assert_cmpfloat (highest_progress, ==, 1.0);
    g_assert_true (progress_bar_seen);
    g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));

    g_assert_false (load_mat (app, mat));
    g_assert_cmpfloat (highest_progress, ==, -1.0);
    g_assert_false (progress_bar_seen);

    g_signal_handlers_disconnect_by_func (app, on_model_progress_cb, NULL);
    g_unlink (cache);
    g_unlink (mat);
  }

  /* A download's verified MD5 reaches the store: the file is trusted without the whole-file
   * check, which a plain load runs and which refuses it. */
  {
    g_autofree char *md5 = NULL;
    g_autofree char *mat = write_damage_unseen_by_reader (&md5);
    g_autofree char *cache = impasto_model_store_cache_path (mat);

    ImpastoModel *before = impasto_application_get_model (app);

    /* Refused; the window keeps the model it had. */
    impasto_application_load_model (app, mat);
    test_app_wait_until (model_not_loading, app, 60, "the damaged .mat to be refused");
    g_assert_cmpint (impasto_application_get_model_status (app), ==, IMPASTO_MODEL_STATUS_READY);
    g_assert_true (impasto_application_get_model (app) == before);
    g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

    impasto_application_load_downloaded_model (app, mat, md5);
    test_app_wait_until (model_ready, app, 60, "the downloaded .mat to load");
    g_assert_cmpstr (impasto_model_get_path (impasto_application_get_model (app)), ==, mat);
    g_assert_true (impasto_model_get_imported (impasto_application_get_model (app)));
    g_unlink (cache);
    g_unlink (mat);
  }

  /* A model arrives: painting. */
  model = test_app_model_new ();
  impasto_application_set_model (app, model);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "painting");
  g_assert_true (window->model == model);

  /* Ctrl+? has a shortcuts window to show. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  test_app_wait_until (has_shortcuts_window, NULL, 10, "the shortcuts window");

  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *added)
{
  if (IMPASTO_IS_WINDOW (added) && window == NULL)
    {
      window = IMPASTO_WINDOW (added);
      g_idle_add (test_body, NULL);
    }
}

static void
test_no_model (void)
{
  g_autoptr(ImpastoApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  char *argv[4];

  g_unsetenv ("IMPASTO_MODEL");
  dir = g_dir_make_tmp ("impasto-model-XXXXXX", &error);
  g_assert_no_error (error);
  missing = g_build_filename (dir, "no-such-model.mat", NULL);

  app = impasto_application_new ("org.impasto.Impasto.Test", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);

  argv[0] = (char *) "impasto";
  argv[1] = (char *) "--model";
  argv[2] = missing;
  argv[3] = NULL;
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
  g_assert_nonnull (window);

  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/model/missing-and-bad", test_no_model);

  return g_test_run ();
}
