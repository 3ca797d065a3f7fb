/* test-window-regions-drag.c
 *
 * The Regions mode with a real mouse (XTest events through the X server and GTK's gestures), no
 * run: a drag across the canvas is one stroke of the selected region, where the picture is under
 * the pointer (the middle row painted, the top row not), one step of undo; Ctrl+Z, pressed on the
 * keyboard, undoes it, and Ctrl+Shift+Z redoes it; with the eraser a second drag takes it away.
 * Each step waits for the frame clock's after-paint, so that events go to what is on screen.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-regions-drag"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  guint paints;
} Test;

static Test test;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Test          *t)
{
  t->paints++;
}

static void
wait_for_paint (void)
{
  guint paints = test.paints;

  while (test.paints < paints + 2)
    {
      gtk_widget_queue_draw (GTK_WIDGET (test.run.window));
      g_main_context_iteration (NULL, TRUE);
    }
}

static Display *
xdisplay (void)
{
  return gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (test.run.window)));
}

/* The root window's point at (@x, @y) of @widget. */
static void
to_root (GtkWidget *widget,
         double     x,
         double     y,
         int       *root_x,
         int       *root_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_point_t point;
  double surface_x, surface_y;
  Window child;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (xdisplay (), gdk_x11_surface_get_xid (surface),
                         DefaultRootWindow (xdisplay ()), (int) (point.x + surface_x),
                         (int) (point.y + surface_y), root_x, root_y, &child);
}

/* A drag with button 1 across the picture at @y_share of its height, in eight moves. */
static void
drag_across (double y_share)
{
  GtkWidget *overlay = GTK_WIDGET (test.run.window->region_overlay);
  graphene_rect_t rect;
  int x;
  int y;

  g_assert_true (impasto_region_overlay_get_picture_rect (test.run.window->region_overlay, &rect));
  for (int i = 0; i <= 8; i++)
    {
      to_root (overlay, rect.origin.x + rect.size.width * (0.1 + 0.1 * i),
               rect.origin.y + rect.size.height * y_share, &x, &y);
      XTestFakeMotionEvent (xdisplay (), -1, x, y, CurrentTime);
      if (i == 0)
        XTestFakeButtonEvent (xdisplay (), 1, True, CurrentTime);
      XSync (xdisplay (), False);
      test_app_spin (0.03);
    }
  XTestFakeButtonEvent (xdisplay (), 1, False, CurrentTime);
  XSync (xdisplay (), False);
  test_app_spin (0.2);
  wait_for_paint ();
}

/* Ctrl (+ Shift) + Z on the keyboard. */
static void
press_ctrl_z (gboolean shift)
{
  Display *display = xdisplay ();
  KeyCode control = XKeysymToKeycode (display, XK_Control_L);
  KeyCode shift_key = XKeysymToKeycode (display, XK_Shift_L);
  KeyCode z = XKeysymToKeycode (display, XK_z);

  XTestFakeKeyEvent (display, control, True, CurrentTime);
  if (shift)
    XTestFakeKeyEvent (display, shift_key, True, CurrentTime);
  XTestFakeKeyEvent (display, z, True, CurrentTime);
  XTestFakeKeyEvent (display, z, False, CurrentTime);
  if (shift)
    XTestFakeKeyEvent (display, shift_key, False, CurrentTime);
  XTestFakeKeyEvent (display, control, False, CurrentTime);
  XSync (display, False);
  test_app_spin (0.2);
  wait_for_paint ();
}

static guint8
at (int x,
    int y)
{
  ImpastoRegionMasks *masks = test.run.window->region_masks;

  return impasto_region_masks_get_mask (masks, 0)[y * impasto_region_masks_get_width (masks) + x];
}

static gboolean
pictures_loaded (gpointer data)
{
  ImpastoWindow *window = data;

  return impasto_image_well_get_pixbuf (window->content_well) != NULL
         && impasto_image_well_get_pixbuf (window->style_well) != NULL;
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;
  ImpastoRegionMasks *masks;
  gsize n = 48 * 40;
  g_autofree guint8 *painted = NULL;

  test_window_wait_mapped (&test.run);
  masks = window->region_masks;
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), &test);
  test_app_wait_until (pictures_loaded, window, 30, "the pictures");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-mode", NULL);
  g_object_set (window->region_panel, "brush-size", 6.0, "softness", 0.0, NULL);
  wait_for_paint ();
  wait_for_paint ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->region_overlay)));
  g_assert_false (impasto_region_masks_covers (masks, 0));

  /* A drag: one stroke along the middle row. */
  drag_across (0.5);
  g_assert_false (impasto_region_masks_in_stroke (masks));
  g_assert_cmpint (at (24, 20), ==, 255);
  g_assert_cmpint (at (24, 1), ==, 0);
  g_assert_true (impasto_region_masks_can_undo (masks));
  painted = g_memdup2 (impasto_region_masks_get_mask (masks, 0), n);

  /* Undone and redone from the keyboard, the focus on the panel's slider or nowhere. */
  press_ctrl_z (FALSE);
  g_assert_false (impasto_region_masks_covers (masks, 0));
  press_ctrl_z (TRUE);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, painted, n);

  /* The eraser takes the stroke away again. */
  g_object_set (window->region_panel, "erase", TRUE, "brush-size", 12.0, NULL);
  drag_across (0.5);
  g_assert_cmpint (at (24, 20), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_regions_drag (void)
{

  test_window_run_init (&test.run);

  test_window_run (&test.run, test_body, TEST_WINDOW_OPEN_PICTURES);

  test_window_run_clear (&test.run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window/regions-drag", test_window_regions_drag);

  return g_test_run ();
}
