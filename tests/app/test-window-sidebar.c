/* test-window-sidebar.c
 *
 * The window's sidebar and narrow layout under Xvfb, with the tiny random VGG19 and two generated
 * pictures (no run): a real mouse-wheel event (XTest) over a slider and over a spin button in the
 * scrolled sidebar scrolls the sidebar and leaves the value alone, while the same wheel over a
 * focused slider moves it; a slider row is one Tab stop; the window's narrowest width is at most
 * 360 px with the title shown and Save reachable; and Reset to Defaults puts the controls back,
 * with Undo bringing the person's values back.
 *
 * Each step waits for the frame clock's after-paint, so that events go to what is on screen.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-sidebar"

#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

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

static gboolean
painted_since (gpointer data)
{
  guint *since = data;

  return test.paints >= *since + 2;
}

/* Two paints after now: the layout asked for before this call is on screen. */
static void
wait_for_paint_at (int line)
{
  guint since = test.paints;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gint64 next = 0;

  while (!painted_since (&since))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for the window to be painted (line %d; %u paints, "
                 "mapped %d)", line, test.paints,
                 gtk_widget_get_mapped (GTK_WIDGET (test.run.window)));
      if (g_get_monotonic_time () > next)
        {
          gtk_widget_queue_draw (GTK_WIDGET (test.run.window));
          next = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}
#define wait_for_paint() wait_for_paint_at (__LINE__)

static GtkScrolledWindow *
sidebar (ImpastoWindow *window)
{
  return GTK_SCROLLED_WINDOW (adw_flap_get_flap (window->flap));
}

static double
sidebar_offset (ImpastoWindow *window)
{
  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (sidebar (window)));
}

/* One notch of a real mouse wheel (down) over the middle of @widget, as the X server sends it. */
static void
wheel_over (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  GdkDisplay *display = gtk_widget_get_display (widget);
  Display *xdisplay;
  Window child;
  graphene_point_t point;
  double surface_x, surface_y;
  int root_x, root_y;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget)
                                                                 / 2.0,
                                                                 gtk_widget_get_height (widget)
                                                                 / 2.0),
                                           &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (xdisplay, gdk_x11_surface_get_xid (surface),
                         DefaultRootWindow (xdisplay), (int) (point.x + surface_x),
                         (int) (point.y + surface_y), &root_x, &root_y, &child);

  XTestFakeMotionEvent (xdisplay, -1, root_x, root_y, CurrentTime);
  XSync (xdisplay, False);
  test_app_spin (0.1);
  XTestFakeButtonEvent (xdisplay, 5, True, CurrentTime);
  XTestFakeButtonEvent (xdisplay, 5, False, CurrentTime);
  XSync (xdisplay, False);
  test_app_spin (0.4);
  wait_for_paint ();
}

/* Scrolls the sidebar so that @widget is 100 px below its top (or as near as it goes): its place
 * in the scrolled content, not in the viewport, which moves as it scrolls. */
static void
scroll_to (ImpastoWindow *window,
           GtkWidget     *widget)
{
  GtkWidget *viewport = gtk_scrolled_window_get_child (sidebar (window));
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, gtk_viewport_get_child (GTK_VIEWPORT (viewport)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (sidebar (window)),
                            MAX (point.y - 100.0, 0.0));
}

static void
check_wheel (ImpastoWindow *window)
{
  GtkWidget *scale = GTK_WIDGET (impasto_log_scale_row_get_scale (window->alpha_row));
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (sidebar (window));
  double alpha = impasto_log_scale_row_get_value (window->alpha_row);
  double size = gtk_spin_button_get_value (window->size_spin);
  double offset;

  /* Wide enough for the sidebar beside the canvas, short enough for the sidebar to scroll. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 520);
  wait_for_paint ();
  g_assert_false (adw_flap_get_folded (window->flap));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size
                     (vadjustment), >, 200.0);
  /* The pictures come first: α may be further down than the window is high. */
  scroll_to (window, scale);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  wait_for_paint ();

  /* Over the slider of α, not focused: the sidebar scrolls, α stays. */
  offset = sidebar_offset (window);
  wheel_over (scale);
  g_assert_cmpfloat (sidebar_offset (window), >, offset);
  g_assert_cmpfloat (impasto_log_scale_row_get_value (window->alpha_row), ==, alpha);
  g_assert_cmpfloat (g_settings_get_double (window->settings, "alpha"), ==, alpha);

  /* Over the size's spin button, scrolled into view: the same. */
  scroll_to (window, GTK_WIDGET (window->size_spin));
  wait_for_paint ();
  offset = sidebar_offset (window);
  wheel_over (GTK_WIDGET (window->size_spin));
  g_assert_cmpfloat (sidebar_offset (window), >, offset);
  g_assert_cmpfloat (gtk_spin_button_get_value (window->size_spin), ==, size);

  /* Focused (its entry, as after a click or Tab), the slider takes the wheel: the event did
   * reach it, and only the focus decides. */
  gtk_widget_grab_focus (GTK_WIDGET (impasto_log_scale_row_get_entry (window->alpha_row)));
  /* The sidebar scrolls the focus into view, animated: let it finish before scrolling. */
  test_app_spin (0.5);
  scroll_to (window, scale);
  wait_for_paint ();
  offset = sidebar_offset (window);
  wheel_over (scale);
  g_assert_cmpfloat (impasto_log_scale_row_get_value (window->alpha_row), !=, alpha);
  g_assert_cmpfloat (sidebar_offset (window), ==, offset);
  impasto_log_scale_row_set_value (window->alpha_row, alpha);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
}

static void
check_tab_stops (ImpastoWindow *window)
{
  GtkWidget *alpha_entry = GTK_WIDGET (impasto_log_scale_row_get_entry (window->alpha_row));
  GtkWidget *beta_entry = GTK_WIDGET (impasto_log_scale_row_get_entry (window->beta_row));
  GtkWidget *focus;

  /* From α's entry, one Tab lands in β's: neither the row nor its slider is a stop. Back
   * again, Shift+Tab lands in α's entry, not on its row. */
  gtk_widget_grab_focus (alpha_entry);
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (focus == alpha_entry || gtk_widget_is_ancestor (focus, alpha_entry));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (focus == beta_entry || gtk_widget_is_ancestor (focus, beta_entry));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_BACKWARD));
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (focus == alpha_entry || gtk_widget_is_ancestor (focus, alpha_entry));
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (impasto_log_scale_row_get_scale
                                                        (window->alpha_row))));
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
}


static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;
      const char *link;
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_get_next (links, &link, &linked))
        {
          gboolean found = menu_has_action (linked, action);

          g_object_unref (linked);
          if (found)
            return TRUE;
        }
    }
  return FALSE;
}

/* A widget the person can see and reach: visible up to the window, and inside its width. */
static gboolean
reachable (GtkWidget *widget,
           GtkWidget *window)
{
  graphene_rect_t bounds;

  return gtk_widget_is_visible (widget) && gtk_widget_get_mapped (widget)
         && gtk_widget_compute_bounds (widget, window, &bounds)
         && bounds.size.width > 0 && bounds.origin.x >= 0
         && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (window) + 0.5;
}

static GtkWidget *
find_menu_button (GtkWidget  *widget,
                  const char *action)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget))
      && menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), action)
      && gtk_widget_is_visible (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
at_most_360 (gpointer data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (data));

  return width > 0 && width <= 360;
}

static void
check_narrow_at (ImpastoWindow *window,
                 const char    *layout)
{
  GtkWidget *widget = GTK_WIDGET (window);
  GtkWidget *menu_button;
  int minimum, natural;

  g_test_message ("decoration layout %s", layout);
  g_object_set (gtk_widget_get_settings (widget), "gtk-decoration-layout", layout, NULL);

  /* Wide, with the controls beside the canvas: what the window manager is told is the narrowest
   * the window can be, before anything folded. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  wait_for_paint ();
  g_assert_false (adw_flap_get_folded (window->flap));
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("narrowest window, asked when wide: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  wait_for_paint ();
  /* As a window manager would while the border is dragged: ask again once laid out. */
  gtk_window_set_default_size (GTK_WINDOW (window), 361, 640);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  test_app_wait_until (at_most_360, window, 30, "the window to be 360 px wide");
  wait_for_paint ();

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("narrowest window: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_true (adw_flap_get_folded (window->flap));

  /* The title is there, and Save is reachable: its button, or the main menu that has it. */
  g_assert_true (reachable (GTK_WIDGET (window->window_title), widget));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->window_title)), >=, 40);
  menu_button = find_menu_button (widget, "win.save");
  g_assert_true (reachable (GTK_WIDGET (window->save_button), widget)
                 || (menu_button != NULL && reachable (menu_button, widget)));
  /* So is Start, and the controls' button. */
  g_assert_true (reachable (GTK_WIDGET (window->start_button), widget));
}

static void
check_narrow (ImpastoWindow *window)
{
  g_autofree char *layout = NULL;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (window)), "gtk-decoration-layout", &layout,
                NULL);
  check_narrow_at (window, "menu:close");
  /* With every title button a window manager can show. */
  check_narrow_at (window, "icon,menu:minimize,maximize,close");
  g_object_set (gtk_widget_get_settings (GTK_WIDGET (window)), "gtk-decoration-layout", layout,
                NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  wait_for_paint ();
}


static gboolean
undo_shown (gpointer data)
{
  return test_app_find_actionable (GTK_WIDGET (test.run.window), "win.undo-reset-controls") != NULL;
}

static void
check_reset (ImpastoWindow *window)
{
  GSettings *settings = window->settings;
  GtkWidget *undo;

  /* The person's values, one per kind of control, as the controls set them. */
  g_object_set (window->params, "alpha", 7.0, "size", 96, "pool", IMPASTO_POOL_AVG,
                "save-folder", test.run.dir, NULL);
  g_assert_cmpfloat (g_settings_get_double (settings, "alpha"), ==, 7.0);
  g_assert_false (_impasto_window_controls_are_default (window));
  g_assert_cmpfloat (impasto_log_scale_row_get_value (window->alpha_row), ==, 7.0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-controls", NULL);
  g_assert_true (_impasto_window_controls_are_default (window));
  /* The controls show the defaults... */
  {
    g_autoptr(GVariant) alpha = g_settings_get_default_value (settings, "alpha");

    g_assert_cmpfloat (impasto_log_scale_row_get_value (window->alpha_row), ==,
                       g_variant_get_double (alpha));
  }
  g_assert_cmpint (adw_combo_row_get_selected (window->pool_row), ==, IMPASTO_POOL_MAX);
  /* ...and what is not a control stays. */
  {
    g_autofree char *uri = g_settings_get_string (settings, "content-uri");

    g_assert_cmpstr (uri, !=, "");
  }

  /* Undo brings the person's values back. */
  test_app_wait_until (undo_shown, NULL, 10, "the Undo button");
  wait_for_paint ();
  undo = test_app_find_actionable (GTK_WIDGET (window), "win.undo-reset-controls");
  g_signal_emit_by_name (undo, "clicked");
  g_assert_cmpfloat (g_settings_get_double (settings, "alpha"), ==, 7.0);
  g_assert_cmpint (g_settings_get_int (settings, "size"), ==, 96);
  g_assert_cmpint (g_settings_get_enum (settings, "pool"), ==, IMPASTO_POOL_AVG);
  {
    g_autofree char *folder = g_settings_get_string (settings, "save-folder");

    g_assert_cmpstr (folder, ==, test.run.dir);
  }
  g_assert_cmpfloat (impasto_log_scale_row_get_value (window->alpha_row), ==, 7.0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (window->size_spin), ==, 96);
}

static gboolean
pasted_toast_shown (gpointer data)
{
  return test_app_find_label (GTK_WIDGET (test.run.window), data) != NULL;
}

static gboolean
content_loaded (gpointer data)
{
  ImpastoWindow *window = data;

  return !impasto_image_well_get_loading (window->content_well)
         && impasto_image_well_get_pixbuf (window->content_well) != NULL
         && gdk_pixbuf_get_width (impasto_image_well_get_pixbuf (window->content_well)) == 20;
}

static void
check_paste (ImpastoWindow *window)
{
  g_autoptr(GdkPixbuf) pixbuf = test_app_picture_new (20, 16, 0.5);
  g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);

  /* Both wells are full and neither has the focus: the photo is replaced, and a toast says so. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (window)), texture);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  test_app_wait_until (pasted_toast_shown, (gpointer) "Pasted as the photo", 10,
                       "the toast naming the well");
  test_app_wait_until (content_loaded, window, 10, "the pasted photo");
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  test_window_wait_mapped (&test.run);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), &test);
  wait_for_paint ();

  check_wheel (window);
  check_tab_stops (window);
  check_narrow (window);
  check_reset (window);
  check_paste (window);

  gtk_window_close (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_sidebar (void)
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

  g_test_add_func ("/window/sidebar", test_window_sidebar);

  return g_test_run ();
}
