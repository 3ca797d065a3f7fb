/* test-window-zoom.c
 *
 * The canvas's zoom, pan and comparison while a run paints, with real X events (XTest): Ctrl+=
 * (Ctrl+plus) zooms in and the zoom label follows; new frames replacing the picture change
 * neither zoom nor pan; a drag pans a zoomed picture by what the pointer moved; the regions drawn
 * over it follow; Ctrl+scroll zooms about the pointer; Ctrl+0 fits again, Ctrl+1 shows 100 %.
 * Compare: Ctrl+D shows the photo left of the line and the painting right of it (a rendered
 * frame checked pixel by pixel), the line follows a drag and Shift+Left; holding backslash on
 * the canvas, or the Hold button, shows the photo in place of the painting, and letting go shows
 * the painting again. Once the run is stopped, the window is 360 px wide with the zoom buttons
 * fitting over the canvas; then it is closed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-zoom"

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
  guint frames;
} Test;

static Test test;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Test          *t)
{
  t->paints++;
}

static void
on_paintable_cb (Test *t)
{
  t->frames++;
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

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (xdisplay (), gdk_x11_surface_get_xid (surface),
                         DefaultRootWindow (xdisplay ()), (int) (point.x + surface_x),
                         (int) (point.y + surface_y), root_x, root_y, &child);
}

static void
settle (void)
{
  XSync (xdisplay (), False);
  test_app_spin (0.15);
  wait_for_paint ();
}

static void
move_to (GtkWidget *widget,
         double     x,
         double     y)
{
  int root_x, root_y;

  to_root (widget, x, y, &root_x, &root_y);
  XTestFakeMotionEvent (xdisplay (), -1, root_x, root_y, CurrentTime);
  XSync (xdisplay (), False);
  test_app_spin (0.03);
}

/* A drag with button 1 on @widget from (@x, @y) by (@dx, @dy), in eight moves. */
static void
drag (GtkWidget *widget,
      double     x,
      double     y,
      double     dx,
      double     dy)
{
  move_to (widget, x, y);
  XTestFakeButtonEvent (xdisplay (), 1, True, CurrentTime);
  for (int i = 1; i <= 8; i++)
    move_to (widget, x + dx * i / 8.0, y + dy * i / 8.0);
  XTestFakeButtonEvent (xdisplay (), 1, False, CurrentTime);
  settle ();
}

/* A key (with @modifier held, or NoSymbol) pressed and, if @release, released. */
static void
key (KeySym   modifier,
     KeySym   keysym,
     gboolean press,
     gboolean release)
{
  Display *display = xdisplay ();
  KeyCode code = XKeysymToKeycode (display, keysym);
  KeyCode mod = modifier != NoSymbol ? XKeysymToKeycode (display, modifier) : 0;

  if (mod != 0)
    XTestFakeKeyEvent (display, mod, True, CurrentTime);
  if (press)
    XTestFakeKeyEvent (display, code, True, CurrentTime);
  if (release)
    XTestFakeKeyEvent (display, code, False, CurrentTime);
  if (mod != 0)
    XTestFakeKeyEvent (display, mod, False, CurrentTime);
  settle ();
}

static gboolean
frames_arrived (gpointer data)
{
  return test.frames >= GPOINTER_TO_UINT (data);
}

/* The canvas as drawn now, with @x, @y's pixel read back (RGB). */
static void
rendered_pixel (double  x,
                double  y,
                guint8  rgb[3])
{
  GtkWidget *canvas = GTK_WIDGET (test.run.window->canvas);
  int width = gtk_widget_get_width (canvas);
  int height = gtk_widget_get_height (canvas);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (canvas);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (canvas));
  guint8 *p;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width,
                                                                              height));
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  /* Cairo's ARGB32: B, G, R, A in memory. */
  p = pixels + ((gsize) y * width + (gsize) x) * 4;
  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

static gboolean
is_red (const guint8 rgb[3])
{
  return rgb[0] > 230 && rgb[1] < 25 && rgb[2] < 25;
}

/* A 48 × 40 photo in one colour: whatever the run paints, it is told apart. */
static GdkTexture *
red_photo (void)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgb = g_malloc (48 * 40 * 3);

  for (int i = 0; i < 48 * 40; i++)
    {
      rgb[3 * i] = 255;
      rgb[3 * i + 1] = 0;
      rgb[3 * i + 2] = 0;
    }
  bytes = g_bytes_new_take (rgb, 48 * 40 * 3);
  return gdk_memory_texture_new (48, 40, GDK_MEMORY_R8G8B8, bytes, 48 * 3);
}

static gboolean
frame_shown (gpointer data)
{
  ImpastoWindow *window = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (window->canvas_stack), "canvas") == 0
         && impasto_canvas_view_get_paintable (window->canvas) != NULL
         && test.frames >= 2;
}

static void
check_zoom_and_pan (ImpastoWindow *window)
{
  ImpastoCanvasView *canvas = window->canvas;
  GtkWidget *widget = GTK_WIDGET (canvas);
  double fitted = impasto_canvas_view_get_zoom (canvas);
  g_autofree char *fitted_label = g_strdup (gtk_label_get_label (window->zoom_label));
  graphene_rect_t before;
  graphene_rect_t after;
  double zoom;
  double cx, cy;
  guint frames;

  g_assert_true (impasto_canvas_view_get_fit (canvas));
  g_assert_true (gtk_widget_get_visible (window->canvas_controls));
  g_assert_cmpfloat (fitted, >, 1.0);   /* 48 × 40 in a window-sized canvas */

  /* Ctrl+= (the key plus is on) four times: zoomed, the label says so. */
  for (int i = 0; i < 4; i++)
    key (XK_Control_L, XK_equal, TRUE, TRUE);
  zoom = impasto_canvas_view_get_zoom (canvas);
  g_assert_false (impasto_canvas_view_get_fit (canvas));
  g_assert_cmpfloat_with_epsilon (zoom, fitted * pow (IMPASTO_CANVAS_VIEW_ZOOM_STEP, 4), 1e-6);
  g_assert_cmpstr (gtk_label_get_label (window->zoom_label), !=, fitted_label);

  /* New frames replace the picture: the zoom and the pan stay. */
  g_object_get (canvas, "center-x", &cx, "center-y", &cy, NULL);
  frames = test.frames;
  test_app_wait_until (frames_arrived, GUINT_TO_POINTER (frames + 3), 30, "three more frames");
  g_assert_cmpfloat (impasto_canvas_view_get_zoom (canvas), ==, zoom);
  g_assert_cmpfloat (impasto_canvas_view_get_show_photo (canvas), ==, FALSE);
  {
    double cx2, cy2;

    g_object_get (canvas, "center-x", &cx2, "center-y", &cy2, NULL);
    g_assert_cmpfloat (cx2, ==, cx);
    g_assert_cmpfloat (cy2, ==, cy);
  }

  /* A drag pans by what the pointer moved (the picture overflows the canvas both ways). */
  g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &before));
  g_assert_cmpfloat (before.size.width, >, gtk_widget_get_width (widget));
  g_assert_cmpfloat (before.size.height, >, gtk_widget_get_height (widget));
  drag (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0,
        40, 24);
  g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &after));
  g_assert_cmpfloat (fabs (after.origin.x - before.origin.x - 40), <=, 2);
  g_assert_cmpfloat (fabs (after.origin.y - before.origin.y - 24), <=, 2);
  g_assert_cmpfloat (after.size.width, ==, before.size.width);

  /* The regions are drawn where the zoomed picture is (the canvas narrower now, beside the
   * regions' panel). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-mode", NULL);
  test_app_spin (0.5);
  settle ();
  {
    graphene_rect_t overlay;
    graphene_point_t origin;

    g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &after));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->region_overlay)));
    g_assert_true (impasto_region_overlay_get_picture_rect (window->region_overlay, &overlay));
    g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window->region_overlay),
                                             &after.origin, &origin));
    g_assert_cmpfloat (fabs (overlay.origin.x - origin.x), <, 0.01);
    g_assert_cmpfloat (fabs (overlay.origin.y - origin.y), <, 0.01);
    g_assert_cmpfloat (fabs (overlay.size.width - after.size.width), <, 0.01);
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-mode", NULL);
  settle ();

  /* Ctrl+0 fits again, centred; Ctrl+1 is 100 %. */
  key (XK_Control_L, XK_0, TRUE, TRUE);
  g_assert_true (impasto_canvas_view_get_fit (canvas));
  g_assert_cmpfloat_with_epsilon (impasto_canvas_view_get_zoom (canvas), fitted, 1e-9);
  g_assert_cmpstr (gtk_label_get_label (window->zoom_label), ==, fitted_label);
  g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &after));
  g_assert_cmpfloat (fabs (after.origin.x + after.size.width / 2
                           - gtk_widget_get_width (widget) / 2.0), <, 0.01);
  key (XK_Control_L, XK_1, TRUE, TRUE);
  g_assert_cmpfloat (impasto_canvas_view_get_zoom (canvas), ==, 1.0);
  g_assert_cmpstr (gtk_label_get_label (window->zoom_label), ==, "100 %");
  key (XK_Control_L, XK_0, TRUE, TRUE);

  /* Ctrl+scroll (the wheel up, button 4) zooms in about the pointer: the picture point under
   * it stays there, up and down (the picture overflows the canvas that way; across, it is
   * still held to the canvas's edges). */
  for (int i = 0; i < 3; i++)
    key (XK_Control_L, XK_equal, TRUE, TRUE);
  zoom = impasto_canvas_view_get_zoom (canvas);
  {
    double x = gtk_widget_get_width (widget) * 0.45;
    double y = gtk_widget_get_height (widget) * 0.45;
    double py;

    g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &before));
    py = (y - before.origin.y) / before.size.height;
    move_to (widget, x, y);
    XTestFakeKeyEvent (xdisplay (), XKeysymToKeycode (xdisplay (), XK_Control_L), True,
                       CurrentTime);
    XTestFakeButtonEvent (xdisplay (), 4, True, CurrentTime);
    XTestFakeButtonEvent (xdisplay (), 4, False, CurrentTime);
    XTestFakeKeyEvent (xdisplay (), XKeysymToKeycode (xdisplay (), XK_Control_L), False,
                       CurrentTime);
    settle ();
    g_assert_cmpfloat (impasto_canvas_view_get_zoom (canvas), >, zoom * 1.1 - 1e-9);
    g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &after));
    g_assert_cmpfloat (fabs (after.origin.y + py * after.size.height - (int) y), <=, 1.5);
  }
  key (XK_Control_L, XK_0, TRUE, TRUE);
  g_assert_true (impasto_canvas_view_get_fit (canvas));
}

static void
check_compare (ImpastoWindow *window)
{
  ImpastoCanvasView *canvas = window->canvas;
  GtkWidget *widget = GTK_WIDGET (canvas);
  g_autoptr(GdkTexture) red = red_photo ();
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  graphene_rect_t rect;
  guint8 rgb[3];

  impasto_canvas_view_set_photo (canvas, GDK_PAINTABLE (red));
  g_assert_true (impasto_canvas_view_get_picture_rect (canvas, &rect));

  /* Ctrl+D: the photo left of the line, the painting right of it. */
  g_assert_false (impasto_canvas_view_get_split (canvas));
  key (XK_Control_L, XK_d, TRUE, TRUE);
  g_assert_true (impasto_canvas_view_get_split (canvas));
  g_assert_true (gtk_toggle_button_get_active (window->compare_button));
  rendered_pixel (width * 0.5 - rect.size.width * 0.3, height / 2, rgb);
  g_assert_true (is_red (rgb));
  rendered_pixel (width * 0.5 + rect.size.width * 0.3, height / 2, rgb);
  g_assert_false (is_red (rgb));

  /* The line follows a drag, and Shift+Left with the canvas focused. */
  drag (widget, width / 2, height / 4, -width / 4, 0);
  g_assert_cmpfloat (fabs (impasto_canvas_view_get_split_position (canvas) - 0.25), <, 0.02);
  rendered_pixel (width * 0.3, height / 2, rgb);
  g_assert_false (is_red (rgb));
  g_assert_true (gtk_widget_has_focus (widget));
  key (XK_Shift_L, XK_Left, TRUE, TRUE);
  g_assert_cmpfloat (fabs (impasto_canvas_view_get_split_position (canvas) - 0.20), <, 0.02);
  key (XK_Control_L, XK_d, TRUE, TRUE);
  g_assert_false (impasto_canvas_view_get_split (canvas));

  /* Backslash held on the canvas: the photo in place of the painting, until let go. */
  rendered_pixel (width / 2, height / 2, rgb);
  g_assert_false (is_red (rgb));
  key (NoSymbol, XK_backslash, TRUE, FALSE);
  g_assert_true (impasto_canvas_view_get_show_photo (canvas));
  rendered_pixel (width / 2, height / 2, rgb);
  g_assert_true (is_red (rgb));
  key (NoSymbol, XK_backslash, FALSE, TRUE);
  g_assert_false (impasto_canvas_view_get_show_photo (canvas));

  /* The Hold button likewise, held with the mouse. */
  {
    GtkWidget *hold = GTK_WIDGET (window->hold_button);

    move_to (hold, gtk_widget_get_width (hold) / 2.0, gtk_widget_get_height (hold) / 2.0);
    XTestFakeButtonEvent (xdisplay (), 1, True, CurrentTime);
    settle ();
    g_assert_true (impasto_canvas_view_get_show_photo (canvas));
    rendered_pixel (width / 2, height / 2, rgb);
    g_assert_true (is_red (rgb));
    XTestFakeButtonEvent (xdisplay (), 1, False, CurrentTime);
    settle ();
    g_assert_false (impasto_canvas_view_get_show_photo (canvas));
  }
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
  int minimum;

  /* As test-window does: once the controls have folded and the header has shed its labels,
   * ask again, as a window manager would while the border is dragged. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  test_app_wait_until (narrow_header, window, 30, "the controls to fold");
  gtk_window_set_default_size (GTK_WINDOW (window), 361, 640);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  test_app_wait_until (at_most_360, window, 30, "the window to be 360 px wide");
  settle ();
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (window->canvas_controls), <=,
                   gtk_widget_get_width (GTK_WIDGET (window->canvas)));
}

static gboolean
job_stopped (gpointer data)
{
  ImpastoWindow *window = data;

  return !impasto_job_is_active (window->job);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  test_window_wait_mapped (&test.run);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), &test);
  g_signal_connect_swapped (window->canvas, "notify::paintable", G_CALLBACK (on_paintable_cb),
                            &test);
  test_app_wait_until (frame_shown, window, 60, "frames on the canvas");
  /* Hide the controls, as a narrow window does, for a wide canvas. */
  adw_flap_set_reveal_flap (window->flap, FALSE);
  settle ();

  check_zoom_and_pan (window);
  check_compare (window);

  /* Stopped, as test-window looks at the narrow window (while a run paints, the header's
   * buttons alone are a few pixels wider than 360). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_stopped, window, 30, "the run to stop");
  check_narrow (window);
  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_zoom (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test.run);
  /* Small and long: the run goes on, frames arriving, while the test looks. */
  g_settings_set_int (settings, "size", 48);
  g_settings_set_int (settings, "iterations", 100000);

  test_window_run (&test.run, test_body, TEST_WINDOW_START);

  test_window_run_clear (&test.run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window/zoom", test_window_zoom);

  return g_test_run ();
}
