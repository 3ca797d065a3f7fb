/* test-app-support.h
 *
 * Helpers shared by the window tests: the tiny random VGG19 of tests/engine/test-net.h wrapped
 * as an ImpastoModel, generated test pictures written as PNG files, running the application
 * with --start on them, and a main-loop wait with a deadline. Header-only; each test
 * binary gets its own copy.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "impasto-model.h"
#include "impasto-run-estimate.h"
#include "impasto-weights.h"
#include "test-net.h"

/* This computer's speed as if it had been measured, so that a window with a model does not
 * measure it on a thread of its own: a test program that ends while that thread still runs would
 * end the process under it. Window tests call it first; the calibration has a test of its own
 * (test-window-canvas), which waits for it. */
static inline void
test_app_seed_speed (void)
{
  for (ImpastoOptimizer o = IMPASTO_OPTIMIZER_ADAM; o <= IMPASTO_OPTIMIZER_LBFGS; o++)
    if (impasto_run_speed_lookup (NULL, o, 0) == 0.0)
      impasto_run_speed_record (NULL, o, 0, 0.01, NULL);
}

/* The first label under @widget (depth first) whose text contains @text, or NULL. */
static inline GtkLabel *
test_app_find_label (GtkWidget  *widget,
                     const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = test_app_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget under @widget (depth first) that activates @action, or NULL. */
static inline GtkWidget *
test_app_find_actionable (GtkWidget  *widget,
                          const char *action)
{
  if (GTK_IS_ACTIONABLE (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_app_find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The engine tests' tiny random VGG19, wrapped as the app's model object. */
static inline ImpastoModel *
test_app_model_new (void)
{
  return impasto_model_new_for_weights (test_net_new (), "tiny test network");
}

/* A smooth, structured RGB picture; @phase makes the photo and the painting differ. */
static inline GdkPixbuf *
test_app_picture_new (int    width,
                      int    height,
                      double phase)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        pixels[y * stride + 3 * x + c] =
          (guint8) CLAMP (127.5 + 110.0 * sin (phase + 0.23 * x * (c + 1) + 0.17 * y * (3 - c)),
                          0, 255);
  return pixbuf;
}

/* Writes the picture as PNG into @dir and returns the path. */
static inline char *
test_app_write_picture (const char *dir,
                        const char *name,
                        int         width,
                        int         height,
                        double      phase)
{
  g_autoptr(GdkPixbuf) pixbuf = test_app_picture_new (width, height, phase);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

/* A new temporary folder (*@dir) with a 48×40 photo.png (*@content) and a 40×40 painting.png
 * (*@style) in it: the pictures the window tests paint with. */
static inline void
test_app_make_pictures (char **dir,
                        char **content,
                        char **style)
{
  g_autoptr(GError) error = NULL;

  *dir = g_dir_make_tmp ("impasto-test-XXXXXX", &error);
  g_assert_no_error (error);
  *content = test_app_write_picture (*dir, "photo.png", 48, 40, 0.0);
  *style = test_app_write_picture (*dir, "painting.png", 40, 40, 2.1);
}

/* Runs @app as `impasto --start CONTENT STYLE`, as a person starting a run from the command
 * line does; returns g_application_run()'s exit status. */
static inline int
test_app_run_start (GApplication *app,
                    const char   *content,
                    const char   *style)
{
  char *argv[] = { (char *) "impasto", (char *) "--start", (char *) content, (char *) style, NULL };

  return g_application_run (app, G_N_ELEMENTS (argv) - 1, argv);
}

typedef gboolean (*TestAppCondition) (gpointer data);

/* Runs the default main context until @condition holds; fails the test after @seconds. */
static inline void
test_app_wait_until (TestAppCondition  condition,
                     gpointer          data,
                     double            seconds,
                     const char       *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %.1f s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* Runs the default main context for @seconds. */
static inline void
test_app_spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}
