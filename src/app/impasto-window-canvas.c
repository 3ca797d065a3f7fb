/* impasto-window-canvas.c
 *
 * The window's canvas controls: the win.canvas-* actions (zoom in and out, fit, 100 %, the fit
 * and 100 % toggle, the comparison split) and their shortcuts, the zoom buttons' label and which
 * of them are enabled, the button held down to see the photo, and the region overlay following
 * the canvas's zoom. The zoom, pan and comparison themselves are the canvas view's
 * (impasto-canvas-view.c); this file only connects the window's controls to it. It calls no
 * other of the window's files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-canvas"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "impasto-window-private.h"

static void
impasto_window_zoom_by (ImpastoWindow *self,
                        double         factor)
{
  double zoom = impasto_canvas_view_get_zoom (self->canvas);

  if (zoom > 0.0)
    impasto_canvas_view_set_zoom (self->canvas, zoom * factor);
}

static void
impasto_window_canvas_zoom_in_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  impasto_window_zoom_by (IMPASTO_WINDOW (widget), IMPASTO_CANVAS_VIEW_ZOOM_STEP);
}

static void
impasto_window_canvas_zoom_out_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  impasto_window_zoom_by (IMPASTO_WINDOW (widget), 1.0 / IMPASTO_CANVAS_VIEW_ZOOM_STEP);
}

static void
impasto_window_canvas_zoom_fit_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  impasto_canvas_view_set_fit (IMPASTO_WINDOW (widget)->canvas, TRUE);
}

static void
impasto_window_canvas_zoom_original_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  impasto_canvas_view_set_zoom (IMPASTO_WINDOW (widget)->canvas, 1.0);
}

/* The zoom label's button: fitted goes to 100 %, anything else back to fitted. */
static void
impasto_window_canvas_zoom_toggle_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (impasto_canvas_view_get_fit (self->canvas))
    impasto_canvas_view_set_zoom (self->canvas, 1.0);
  else
    impasto_canvas_view_set_fit (self->canvas, TRUE);
}

static void
impasto_window_canvas_compare_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  impasto_canvas_view_set_split (self->canvas, !impasto_canvas_view_get_split (self->canvas));
}

void
_impasto_window_class_canvas_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const guint zoom_in_keys[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
  static const guint zoom_out_keys[] = { GDK_KEY_minus, GDK_KEY_KP_Subtract };

  gtk_widget_class_install_action (widget_class, "win.canvas-zoom-in", NULL,
                                   impasto_window_canvas_zoom_in_action);
  gtk_widget_class_install_action (widget_class, "win.canvas-zoom-out", NULL,
                                   impasto_window_canvas_zoom_out_action);
  gtk_widget_class_install_action (widget_class, "win.canvas-zoom-fit", NULL,
                                   impasto_window_canvas_zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "win.canvas-zoom-original", NULL,
                                   impasto_window_canvas_zoom_original_action);
  gtk_widget_class_install_action (widget_class, "win.canvas-zoom-toggle", NULL,
                                   impasto_window_canvas_zoom_toggle_action);
  gtk_widget_class_install_action (widget_class, "win.canvas-compare", NULL,
                                   impasto_window_canvas_compare_action);

  /* Ctrl+plus as typed on most layouts (with or without Shift), and on the keypad. */
  for (guint i = 0; i < G_N_ELEMENTS (zoom_in_keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, zoom_in_keys[i], GDK_CONTROL_MASK,
                                           "win.canvas-zoom-in", NULL);
      gtk_widget_class_add_binding_action (widget_class, zoom_in_keys[i],
                                           GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                           "win.canvas-zoom-in", NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (zoom_out_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_out_keys[i], GDK_CONTROL_MASK,
                                         "win.canvas-zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.canvas-zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "win.canvas-zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.canvas-zoom-original", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_CONTROL_MASK,
                                       "win.canvas-zoom-original", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.canvas-compare", NULL);
}

/* The zoom label, and what can be done: zooming needs a painting on the canvas, comparing the
 * photo too. */
static void
impasto_window_update_canvas_controls (ImpastoWindow *self)
{
  gboolean painting = g_strcmp0 (gtk_stack_get_visible_child_name (self->canvas_stack),
                                 "canvas") == 0
                      && impasto_canvas_view_get_paintable (self->canvas) != NULL;
  gboolean photo = painting && impasto_image_well_get_pixbuf (self->content_well) != NULL;
  double zoom = impasto_canvas_view_get_zoom (self->canvas);
  g_autofree char *label = NULL;

  /* Translators: the canvas's zoom, in percent: "150 %". */
  label = g_strdup_printf (_("%d %%"), (int) lround (zoom * 100.0));
  gtk_label_set_label (self->zoom_label, label);
  gtk_widget_set_visible (self->canvas_controls, painting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.canvas-zoom-in",
                                 painting && zoom < IMPASTO_CANVAS_VIEW_MAX_ZOOM);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.canvas-zoom-out",
                                 painting && !impasto_canvas_view_get_fit (self->canvas));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.canvas-zoom-fit", painting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.canvas-zoom-original", painting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.canvas-zoom-toggle", painting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.canvas-compare", photo);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), photo);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_button), photo);
  if (!photo)
    {
      impasto_canvas_view_set_split (self->canvas, FALSE);
      impasto_canvas_view_set_show_photo (self->canvas, FALSE);
    }
}

static void
on_hold_pressed_cb (GtkGestureClick *click,
                    int              n_press,
                    double           x,
                    double           y,
                    ImpastoWindow   *self)
{
  impasto_canvas_view_set_show_photo (self->canvas, TRUE);
}

static void
on_hold_released_cb (ImpastoWindow *self)
{
  impasto_canvas_view_set_show_photo (self->canvas, FALSE);
}

void
_impasto_window_canvas_init (ImpastoWindow *self)
{
  g_autoptr(GListModel) controllers =
    gtk_widget_observe_controllers (GTK_WIDGET (self->hold_button));

  /* The button's own click gesture says when it is pressed and let go (a gesture of ours beside
   * it would be cancelled as soon as the button claims the press). */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_GESTURE_CLICK (controller))
        continue;
      g_signal_connect_object (controller, "pressed", G_CALLBACK (on_hold_pressed_cb), self, 0);
      g_signal_connect_object (controller, "released", G_CALLBACK (on_hold_released_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (controller, "cancel", G_CALLBACK (on_hold_released_cb), self,
                               G_CONNECT_SWAPPED);
    }

  impasto_region_overlay_set_view (self->region_overlay, self->canvas);

  g_signal_connect_object (self->canvas, "notify::zoom",
                           G_CALLBACK (impasto_window_update_canvas_controls), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::fit",
                           G_CALLBACK (impasto_window_update_canvas_controls), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::paintable",
                           G_CALLBACK (impasto_window_update_canvas_controls), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::photo",
                           G_CALLBACK (impasto_window_update_canvas_controls), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas_stack, "notify::visible-child-name",
                           G_CALLBACK (impasto_window_update_canvas_controls), self,
                           G_CONNECT_SWAPPED);
  impasto_window_update_canvas_controls (self);
}
