/* test-download-page.c
 *
 * The whole application under Xvfb with no model anywhere ($XDG_DATA_HOME is an empty folder) and
 * the model-url / model-md5 settings pointing at a loopback HTTP server started by the test
 * (tests/support/test-download-server.c) that serves a tiny VGG19 .mat. The window shows the "no
 * model" page with Download and the network's origin and licence; a web page instead of the file
 * is a message on the page; Download shows progress with bytes, rate and time left; Cancel keeps
 * the .part and puts no model in place; a cut connection is a message with Retry, and Retry
 * resumes with a Range request; once the file is in place the application loads it and the page
 * goes away. The About window opens with the network's credits.
 *
 * IMPASTO_TEST_SCREENSHOTS=FOLDER saves the page at each step as PNG, for looking at it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-download-page"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "impasto-application.h"
#include "impasto-download-page.h"
#include "impasto-model-path.h"
#include "impasto-window-private.h"
#include "test-app-support.h"
#include "test-download-server.h"

typedef struct
{
  ImpastoApplication *app;
  ImpastoWindow *window;
  ImpastoDownloadPage *page;
  TestDownloadServer *server;
  GBytes *mat;
  char *mat_md5;
  char *home;
  char *model;   /* where the download lands */
  char *part;
  gboolean body_done;
} Test;

static Test test;

static void
screenshot (const char *name)
{
  const char *folder = g_getenv ("IMPASTO_TEST_SCREENSHOTS");
  GtkWidget *widget = GTK_WIDGET (test.window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int w;
  int h;

  if (folder == NULL)
    return;
  /* Past the stack's crossfade. */
  test_app_spin (0.6);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_strdup_printf ("%s/download-%s.png", folder, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static GtkWidget *
child (const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (test.page),
                                                    IMPASTO_TYPE_DOWNLOAD_PAGE, name));
}

static void
click (const char *name)
{
  GtkWidget *button = child (name);

  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
in_state (gpointer data)
{
  return (int) impasto_download_page_get_state (test.page) == GPOINTER_TO_INT (data);
}

static void
wait_state (ImpastoDownloadPageState state,
            const char              *what)
{
  test_app_wait_until (in_state, GINT_TO_POINTER (state), 30, what);
}

static gboolean
progress_shown (gpointer data)
{
  const char *label = gtk_label_get_label (GTK_LABEL (child ("progress_label")));

  return gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (child ("progress_bar"))) > 0.0
         && strstr (label, "/s") != NULL && strstr (label, " left") != NULL;
}

static guint64
size_of (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

static gboolean
model_ready (gpointer data)
{
  return impasto_application_get_model_status (test.app) == IMPASTO_MODEL_STATUS_READY;
}

static void
set_url (const char *path)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  g_autofree char *url = test_download_server_url (test.server, path);

  g_settings_set_string (settings, "model-url", url);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.window;
  guint64 size = g_bytes_get_size (test.mat);
  const char *label;
  guint64 kept;
  guint64 cut;
  TestDownloadRequest request;

  /* The "no model" page, with Download next to Choose File… and the credits. */
  test_app_spin (0.2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "no-model");
  test.page = window->download_page;
  g_assert_true (IMPASTO_IS_DOWNLOAD_PAGE (test.page));
  g_assert_cmpint (impasto_download_page_get_state (test.page), ==, IMPASTO_DOWNLOAD_PAGE_OFFER);
  g_assert_true (g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (child ("download_button"))),
                                   "_Download (≈510 MB)"));
  /* The text once the markup is parsed: the links are links, not tags. */
  label = gtk_label_get_text (GTK_LABEL (child ("credits_label")));
  g_assert_nonnull (strstr (label, "Visual Geometry Group"));
  g_assert_nonnull (strstr (label, "VGG project page"));
  g_assert_nonnull (strstr (label, "CC BY 4.0"));
  g_assert_null (strstr (label, "href"));
  screenshot ("offer");
  {
    int minimum = 0;

    /* It fits the narrowest window (the window test checks 360 px on the painting page). */
    gtk_widget_measure (GTK_WIDGET (test.page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                        NULL, NULL);
    g_assert_cmpint (minimum, <=, 320);
  }

  /* A web page instead of the file: a message on the page, nothing kept. */
  set_url ("/page.html");
  click ("download_button");
  wait_state (IMPASTO_DOWNLOAD_PAGE_FAILED, "the HTML answer to be refused");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child ("error_label"))),
                            "web page"));
  g_assert_false (g_file_test (test.part, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (test.model, G_FILE_TEST_EXISTS));
  screenshot ("html");

  /* Nobody answers: the page says so in a person's words, not the system's, which wait under
   * Details; and the message is not a selectable label that takes the focus. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

    g_settings_set_string (settings, "model-url", "http://127.0.0.1:1/model.mat");
  }
  click ("retry_button");
  wait_state (IMPASTO_DOWNLOAD_PAGE_FAILED, "the refused connection");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child ("error_label"))), ==,
                   "The download server is not answering");
  g_assert_false (gtk_label_get_selectable (GTK_LABEL (child ("error_label"))));
  g_assert_true (gtk_widget_get_visible (child ("details_expander")));
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (child ("details_expander"))));
  g_test_message ("details: %s", gtk_label_get_label (GTK_LABEL (child ("details_label"))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child ("details_label"))), !=, "");
  g_assert_true (gtk_widget_has_focus (child ("retry_button")));
  g_assert_cmpuint (test_download_server_get_n_requests (test.server), ==, 1);
  screenshot ("refused");

  /* The real thing, slowly: progress with bytes, rate and time left; then Cancel. */
  set_url ("/model.mat");
  test_download_server_set_pace (test.server, 512, 20000);
  click ("retry_button");
  wait_state (IMPASTO_DOWNLOAD_PAGE_RUNNING, "the download to start");
  test_app_wait_until (progress_shown, NULL, 30, "the progress with a rate and a time left");
  g_test_message ("progress: %s", gtk_label_get_label (GTK_LABEL (child ("progress_label"))));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child ("progress_label"))), " of "));
  screenshot ("running");

  click ("cancel_button");
  wait_state (IMPASTO_DOWNLOAD_PAGE_OFFER, "the cancel");
  kept = size_of (test.part);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <, size);
  g_assert_false (g_file_test (test.model, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_get_visible (child ("note_label")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "no-model");
  screenshot ("cancelled");

  /* Resume, but the connection breaks again: the message and Retry. */
  test_download_server_set_pace (test.server, 0, 0);
  cut = (size - kept) / 2;
  test_download_server_cut_next (test.server, cut);
  click ("download_button");
  wait_state (IMPASTO_DOWNLOAD_PAGE_FAILED, "the cut connection");
  g_test_message ("error: %s", gtk_label_get_label (GTK_LABEL (child ("error_label"))));
  g_assert_cmpuint (size_of (test.part), ==, kept + cut);
  g_assert_false (g_file_test (test.model, G_FILE_TEST_EXISTS));
  screenshot ("failed");

  /* Retry goes on from there, and the model loads. */
  click ("retry_button");
  test_app_wait_until (model_ready, NULL, 60, "the downloaded model to load");
  g_assert_cmpint (impasto_download_page_get_state (test.page), ==, IMPASTO_DOWNLOAD_PAGE_DONE);
  g_assert_false (g_file_test (test.part, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (test.model, G_FILE_TEST_IS_REGULAR));
  test_app_spin (0.3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "painting");
  screenshot ("loaded");

  /* html, model (cut by the cancel), resume (cut by the server), resume to the end. */
  g_assert_cmpuint (test_download_server_get_n_requests (test.server), ==, 4);
  test_download_server_get_request (test.server, 2, &request);
  g_assert_cmpint (request.range_start, ==, (gint64) kept);
  g_assert_cmpuint (request.status, ==, 206);
  test_download_request_clear (&request);
  test_download_server_get_request (test.server, 3, &request);
  g_assert_cmpint (request.range_start, ==, (gint64) (kept + cut));
  g_assert_cmpuint (request.status, ==, 206);
  g_assert_cmpuint (request.bytes_sent, ==, size - kept - cut);
  test_download_request_clear (&request);

  /* The About window credits the network and quotes its terms. */
  g_action_group_activate_action (G_ACTION_GROUP (test.app), "about", NULL);
  test_app_spin (0.3);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *about = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_ABOUT_WINDOW (toplevel))
          about = toplevel;
      }
    g_assert_nonnull (about);
    gtk_window_destroy (about);
  }

  gtk_window_close (GTK_WINDOW (window));
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
      g_idle_add (test_body, NULL);
    }
}

static void
test_download_page (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  char *argv[] = { (char *) "impasto", NULL };
  int status;

  g_settings_set_string (settings, "model-path", "");
  g_settings_set_string (settings, "model-md5", test.mat_md5);

  test.app = impasto_application_new ("org.impasto.Impasto.TestDownload",
                                      G_APPLICATION_NON_UNIQUE);
  g_signal_connect (test.app, "window-added", G_CALLBACK (on_window_added_cb), &test);
  status = g_application_run (G_APPLICATION (test.app), 1, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (test.body_done);
  g_clear_object (&test.app);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child_path = g_build_filename (path, name, NULL);

        remove_tree (child_path);
      }
  if (g_rmdir (path) != 0)
    g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autofree char *cache_home = NULL;
  int status;

  /* Before anything reads them: no model anywhere, and a cache of our own. */
  test.home = g_dir_make_tmp ("impasto-test-download-XXXXXX", NULL);
  g_assert_nonnull (test.home);
  data_home = g_build_filename (test.home, "data", NULL);
  cache_home = g_build_filename (test.home, "cache", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_unsetenv (IMPASTO_MODEL_ENV);
  g_unsetenv (IMPASTO_DOWNLOAD_URL_ENV);
  test_download_unset_proxies ();
  test.model = g_build_filename (data_home, "impasto", IMPASTO_MODEL_FILE_NAME, NULL);
  test.part = g_strconcat (test.model, ".part", NULL);

  g_test_init (&argc, &argv, NULL);
  test.mat = test_download_tiny_mat ();
  test.mat_md5 = test_download_md5 (test.mat);
  test.server = test_download_server_new (test.mat);

  g_test_add_func ("/download-page/app", test_download_page);
  status = g_test_run ();

  test_download_server_free (test.server);
  g_bytes_unref (test.mat);
  g_free (test.mat_md5);
  remove_tree (test.home);
  g_free (test.home);
  g_free (test.model);
  g_free (test.part);
  return status;
}
