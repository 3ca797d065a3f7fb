/* test-open.c
 *
 * "Open With": the desktop entry is D-Bus activatable, so a file manager hands pictures to the
 * running (or starting) application through GApplication's open(), not its command line. The
 * first file must become the photo and the second the painting; one file replaces only the
 * photo, in the window already open; a third file is left out with a note. Runs the real
 * ImpastoApplication under Xvfb, calling g_application_open() from inside g_application_run() as
 * the D-Bus Open call would, and waits for the image wells to have loaded.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-open"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "impasto-application.h"
#include "impasto-image-well.h"
#include "impasto-window-private.h"

typedef struct
{
  ImpastoApplication *app;
  char *dir;
  GFile *files[3];
  gboolean done;
} Test;

static GFile *
write_picture (const char *dir,
               const char *name,
               guint32     rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 48, 32);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gboolean
well_has (ImpastoImageWell *well,
          GFile            *file)
{
  GFile *loaded = impasto_image_well_get_file (well);

  return loaded != NULL && g_file_equal (loaded, file)
         && impasto_image_well_get_pixbuf (well) != NULL;
}

static void
wait_for (ImpastoImageWell *well,
          GFile            *file)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!well_has (well, file))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s to load", g_file_peek_path (file));
      g_main_context_iteration (NULL, TRUE);
    }
}

static ImpastoWindow *
only_window (Test *t)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (t->app));
  guint n = 0;
  ImpastoWindow *found = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (IMPASTO_IS_WINDOW (l->data))
      {
        found = l->data;
        n++;
      }
  g_assert_cmpuint (n, ==, 1);
  return found;
}

static gboolean
test_body (gpointer data)
{
  Test *t = data;
  ImpastoWindow *window;
  g_autoptr(GFile) third = NULL;

  /* Two files with no window open (run() made one for its empty command line; close it):
   * a new window, photo then painting. */
  gtk_window_destroy (GTK_WINDOW (only_window (t)));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (t->app)));
  g_application_open (G_APPLICATION (t->app), t->files, 2, "");
  window = only_window (t);
  wait_for (window->content_well, t->files[0]);
  wait_for (window->style_well, t->files[1]);
  g_test_message ("two files: a new window with the photo and the painting");

  /* One file while the window is open: the same window, only the photo changes. */
  g_application_open (G_APPLICATION (t->app), &t->files[2], 1, "");
  g_assert_true (only_window (t) == window);
  wait_for (window->content_well, t->files[2]);
  g_assert_true (well_has (window->style_well, t->files[1]));
  g_test_message ("one file: the photo replaced, the painting kept");

  /* Three files: the first two are used, the third left out (with a note, not a crash). */
  g_application_open (G_APPLICATION (t->app), t->files, 3, "");
  g_assert_true (only_window (t) == window);
  wait_for (window->content_well, t->files[0]);
  g_assert_true (well_has (window->style_well, t->files[1]));
  g_test_message ("three files: the first two opened");

  t->done = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (t->app));
  return G_SOURCE_REMOVE;
}

static void
on_startup_cb (GApplication *app,
               Test         *t)
{
  /* The body runs once the application is up, as a D-Bus Open call would arrive. */
  g_idle_add (test_body, t);
  g_application_hold (app);
}

static void
test_open (void)
{
  Test t = { 0 };
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "test-open", NULL };
  int status;

  t.dir = g_dir_make_tmp ("impasto-test-open-XXXXXX", &error);
  g_assert_no_error (error);
  t.files[0] = write_picture (t.dir, "photo.png", 0x3584e4ff);
  t.files[1] = write_picture (t.dir, "painting.png", 0xf6d32dff);
  t.files[2] = write_picture (t.dir, "another-photo.png", 0xe01b24ff);

  t.app = impasto_application_new ("org.impasto.Impasto.TestOpen", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (t.app, "startup", G_CALLBACK (on_startup_cb), &t);
  status = g_application_run (G_APPLICATION (t.app), 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (t.done);

  g_clear_object (&t.app);
  for (guint i = 0; i < G_N_ELEMENTS (t.files); i++)
    {
      g_file_delete (t.files[i], NULL, NULL);
      g_clear_object (&t.files[i]);
    }
  g_rmdir (t.dir);
  g_free (t.dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/desktop/open", test_open);
  return g_test_run ();
}
