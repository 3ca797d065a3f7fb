/* impasto-canvas-view.c
 *
 * The canvas's zoom, pan and comparison (see impasto-canvas-view.h). The state is a fit flag, a
 * zoom and the picture point at the widget's centre as a fraction of the picture's size; the
 * rectangle the picture is drawn into follows from them and the widget's size at every frame,
 * clamped so that a zoomed picture never leaves empty space on a side it covers. Pictures are
 * drawn with gdk_paintable_snapshot() (nearest-neighbour above 200 % where GTK 4.10 allows it).
 * It does not scale or copy pixels itself.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-canvas-view"

#include "config.h"

#include <math.h>

#include "impasto-canvas-view.h"

/* How near the split line a press grabs it, in widget pixels. */
#define SPLIT_GRAB 16.0
/* Widget pixels panned by a wheel's notch or an arrow key's press. */
#define SCROLL_PAN 48.0
/* The split line moved by Shift+arrow, as a fraction of the width. */
#define SPLIT_STEP 0.05

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_SPLIT,
} DragMode;

struct _ImpastoCanvasView
{
  GtkWidget parent_instance;

  GdkPaintable *paintable;
  GdkPaintable *photo;
  int picture_width;       /* the paintable's size last seen, to keep the zoom across sizes */
  int picture_height;

  gboolean fit;
  double zoom;             /* when not fitted: widget pixels per picture pixel */
  double center_x;         /* the picture point at the widget's centre, 0 .. 1 */
  double center_y;

  gboolean split;
  double split_position;   /* 0 .. 1 of the width */
  gboolean show_photo;

  DragMode drag;
  double drag_x;
  double drag_y;
  double drag_center_x;
  double drag_center_y;
  double pinch_zoom;       /* the zoom when the pinch began */
  double pointer_x;
  double pointer_y;
  double fitted_zoom;      /* the fitted zoom last said */
  guint zoom_idle;         /* says a fitted zoom that the widget's new size changed */
};

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_PHOTO,
  PROP_ZOOM,
  PROP_FIT,
  PROP_SPLIT,
  PROP_SPLIT_POSITION,
  PROP_SHOW_PHOTO,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoCanvasView, impasto_canvas_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* Geometry ------------------------------------------------------------------------------------- */

static gboolean
picture_size (ImpastoCanvasView *self,
              double            *width,
              double            *height)
{
  if (self->paintable == NULL)
    return FALSE;
  *width = gdk_paintable_get_intrinsic_width (self->paintable);
  *height = gdk_paintable_get_intrinsic_height (self->paintable);
  return *width > 0 && *height > 0;
}

/* The zoom that fits the picture into the widget within the margin. */
static double
fit_zoom (ImpastoCanvasView *self)
{
  double width;
  double height;
  double area_width = gtk_widget_get_width (GTK_WIDGET (self)) - 2.0 * IMPASTO_CANVAS_VIEW_MARGIN;
  double area_height = gtk_widget_get_height (GTK_WIDGET (self))
                       - 2.0 * IMPASTO_CANVAS_VIEW_MARGIN;

  if (!picture_size (self, &width, &height))
    return 0.0;
  return MAX (MIN (MAX (area_width, 1.0) / width, MAX (area_height, 1.0) / height), 1e-4);
}

double
impasto_canvas_view_get_zoom (ImpastoCanvasView *self)
{
  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), 0.0);

  return self->fit ? fit_zoom (self) : self->zoom;
}

/* @center (0 .. 1) kept where the picture, @extent widget pixels long, covers @length. */
static double
clamp_center (double center,
              double extent,
              double length)
{
  double half;

  if (extent <= length)
    return 0.5;
  half = length / 2.0 / extent;
  return CLAMP (center, half, 1.0 - half);
}

gboolean
impasto_canvas_view_get_picture_rect (ImpastoCanvasView *self,
                                      graphene_rect_t   *rect)
{
  double width;
  double height;
  double zoom;
  double widget_width = gtk_widget_get_width (GTK_WIDGET (self));
  double widget_height = gtk_widget_get_height (GTK_WIDGET (self));
  double cx;
  double cy;

  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  zoom = impasto_canvas_view_get_zoom (self);
  if (!picture_size (self, &width, &height) || zoom <= 0.0 || widget_width <= 0
      || widget_height <= 0)
    return FALSE;
  cx = clamp_center (self->center_x, width * zoom, widget_width);
  cy = clamp_center (self->center_y, height * zoom, widget_height);
  graphene_rect_init (rect, widget_width / 2.0 - cx * width * zoom,
                      widget_height / 2.0 - cy * height * zoom, width * zoom, height * zoom);
  return TRUE;
}

/* Sets the centre (clamped) and says so. */
static void
set_center (ImpastoCanvasView *self,
            double             cx,
            double             cy)
{
  double width;
  double height;
  double zoom = impasto_canvas_view_get_zoom (self);

  if (picture_size (self, &width, &height) && zoom > 0.0)
    {
      cx = clamp_center (cx, width * zoom, gtk_widget_get_width (GTK_WIDGET (self)));
      cy = clamp_center (cy, height * zoom, gtk_widget_get_height (GTK_WIDGET (self)));
    }
  if (cx != self->center_x)
    {
      self->center_x = cx;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
    }
  if (cy != self->center_y)
    {
      self->center_y = cy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_cursor (ImpastoCanvasView *self)
{
  const char *name = NULL;

  if (self->drag == DRAG_PAN)
    name = "grabbing";
  else if (self->drag == DRAG_SPLIT
           || (self->split && fabs (self->pointer_x - self->split_position
                                    * gtk_widget_get_width (GTK_WIDGET (self))) <= SPLIT_GRAB))
    name = "col-resize";
  else if (!self->fit)
    name = "grab";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/* The zoom becomes @zoom (clamped: from the fitted size, or 100 % if smaller, up to the
 * largest; the fitted size itself is fit), the centre left as it is. */
static void
apply_zoom (ImpastoCanvasView *self,
            double             zoom)
{
  double fitted = fit_zoom (self);
  gboolean fit;
  double old = impasto_canvas_view_get_zoom (self);

  if (fitted <= 0.0)
    return;
  zoom = CLAMP (zoom, MIN (fitted, 1.0), MAX (IMPASTO_CANVAS_VIEW_MAX_ZOOM, fitted));
  fit = fabs (zoom - fitted) <= 1e-6 * fitted;
  if (fit != self->fit)
    {
      self->fit = fit;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
    }
  if (!fit)
    self->zoom = zoom;
  if (impasto_canvas_view_get_zoom (self) != old)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
impasto_canvas_view_zoom_at (ImpastoCanvasView *self,
                             double             factor,
                             double             x,
                             double             y)
{
  graphene_rect_t rect;
  double px;
  double py;

  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));
  g_return_if_fail (factor > 0.0);

  if (!impasto_canvas_view_get_picture_rect (self, &rect))
    return;
  /* The picture point under (x, y), as a fraction, stays under it. */
  px = (x - rect.origin.x) / rect.size.width;
  py = (y - rect.origin.y) / rect.size.height;
  apply_zoom (self, impasto_canvas_view_get_zoom (self) * factor);
  if (!impasto_canvas_view_get_picture_rect (self, &rect))
    return;
  set_center (self, px + (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - x) / rect.size.width,
              py + (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - y) / rect.size.height);
}

void
impasto_canvas_view_set_zoom (ImpastoCanvasView *self,
                              double             zoom)
{
  double current;

  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));
  g_return_if_fail (zoom > 0.0);

  current = impasto_canvas_view_get_zoom (self);
  if (current <= 0.0)
    return;
  impasto_canvas_view_zoom_at (self, zoom / current, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

gboolean
impasto_canvas_view_get_fit (ImpastoCanvasView *self)
{
  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), FALSE);

  return self->fit;
}

void
impasto_canvas_view_set_fit (ImpastoCanvasView *self,
                             gboolean           fit)
{
  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));

  fit = !!fit;
  if (fit == self->fit)
    return;
  if (!fit)
    {
      /* Unfitted at the size it is seen at. */
      self->zoom = fit_zoom (self) > 0.0 ? fit_zoom (self) : 1.0;
      self->fit = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
      update_cursor (self);
      return;
    }
  self->fit = TRUE;
  set_center (self, 0.5, 0.5);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  update_cursor (self);
}

void
impasto_canvas_view_pan (ImpastoCanvasView *self,
                         double             dx,
                         double             dy)
{
  graphene_rect_t rect;

  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));

  if (!impasto_canvas_view_get_picture_rect (self, &rect))
    return;
  /* From the centre in force (clamped), so that panning back starts at once. */
  set_center (self,
              (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - rect.origin.x - dx)
              / rect.size.width,
              (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - rect.origin.y - dy)
              / rect.size.height);
}

static gboolean
notify_fitted_zoom_cb (gpointer data)
{
  ImpastoCanvasView *self = data;

  self->zoom_idle = 0;
  self->fitted_zoom = fit_zoom (self);
  if (self->fit)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  return G_SOURCE_REMOVE;
}

/* A fitted picture's zoom follows the widget's size: said after the layout, not during it. */
static void
impasto_canvas_view_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  ImpastoCanvasView *self = IMPASTO_CANVAS_VIEW (widget);

  if (self->fit && fit_zoom (self) != self->fitted_zoom && self->zoom_idle == 0)
    self->zoom_idle = g_idle_add (notify_fitted_zoom_cb, self);
}

/* Drawing -------------------------------------------------------------------------------------- */

static void
snapshot_picture (GtkSnapshot           *snapshot,
                  GdkPaintable          *paintable,
                  const graphene_rect_t *rect,
                  double                 zoom)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  /* Pixels seen as pixels when zoomed in far. */
  if (GDK_IS_TEXTURE (paintable) && zoom >= 2.0)
    {
      gtk_snapshot_append_scaled_texture (snapshot, GDK_TEXTURE (paintable),
                                          GSK_SCALING_FILTER_NEAREST, rect);
      return;
    }
#endif
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect->origin.x, rect->origin.y));
  gdk_paintable_snapshot (paintable, snapshot, rect->size.width, rect->size.height);
  gtk_snapshot_restore (snapshot);
}

/* The split line: light with dark edges, seen on any picture, and a round grip. */
static void
snapshot_split_line (GtkSnapshot *snapshot,
                     double       x,
                     double       height)
{
  GdkRGBA dark = { 0, 0, 0, 0.6f };
  GdkRGBA light = { 1, 1, 1, 0.95f };
  float widths[4] = { 2, 2, 2, 2 };
  GdkRGBA edges[4] = { dark, dark, dark, dark };
  GskRoundedRect grip;
  double r = 10.0;

  gtk_snapshot_append_color (snapshot, &dark, &GRAPHENE_RECT_INIT (x - 2, 0, 4, height));
  gtk_snapshot_append_color (snapshot, &light, &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));
  gsk_rounded_rect_init_from_rect (&grip, &GRAPHENE_RECT_INIT (x - r, height / 2 - r, 2 * r,
                                                               2 * r), r);
  gtk_snapshot_push_rounded_clip (snapshot, &grip);
  gtk_snapshot_append_color (snapshot, &light, &grip.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &grip, widths, edges);
}

static void
impasto_canvas_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  ImpastoCanvasView *self = IMPASTO_CANVAS_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double zoom = impasto_canvas_view_get_zoom (self);
  graphene_rect_t rect;

  if (!impasto_canvas_view_get_picture_rect (self, &rect))
    return;
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->photo != NULL && self->show_photo)
    snapshot_picture (snapshot, self->photo, &rect, zoom);
  else if (self->photo != NULL && self->split)
    {
      double x = round (self->split_position * width);

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, x, height));
      snapshot_picture (snapshot, self->photo, &rect, zoom);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x, 0, width - x, height));
      snapshot_picture (snapshot, self->paintable, &rect, zoom);
      gtk_snapshot_pop (snapshot);
      snapshot_split_line (snapshot, x, height);
    }
  else
    snapshot_picture (snapshot, self->paintable, &rect, zoom);
  gtk_snapshot_pop (snapshot);
}

/* Input ---------------------------------------------------------------------------------------- */

static gboolean
on_scroll_cb (GtkEventControllerScroll *scroll,
              double                    dx,
              double                    dy,
              ImpastoCanvasView        *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));

  if (state & GDK_CONTROL_MASK)
    {
      impasto_canvas_view_zoom_at (self, pow (IMPASTO_CANVAS_VIEW_ZOOM_STEP, -CLAMP (dy, -4, 4)),
                                   self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (self->fit)
    return FALSE;
  /* A zoomed picture scrolls under the wheel, sideways with Shift. */
  if (state & GDK_SHIFT_MASK)
    impasto_canvas_view_pan (self, -dy * SCROLL_PAN, -dx * SCROLL_PAN);
  else
    impasto_canvas_view_pan (self, -dx * SCROLL_PAN, -dy * SCROLL_PAN);
  return TRUE;
}

static void
on_pinch_begin_cb (GtkGesture        *gesture,
                   GdkEventSequence  *sequence,
                   ImpastoCanvasView *self)
{
  self->pinch_zoom = impasto_canvas_view_get_zoom (self);
}

static void
on_pinch_scale_changed_cb (GtkGestureZoom    *gesture,
                           double             scale,
                           ImpastoCanvasView *self)
{
  double x;
  double y;
  double zoom = impasto_canvas_view_get_zoom (self);

  if (zoom <= 0.0 || self->pinch_zoom <= 0.0
      || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  impasto_canvas_view_zoom_at (self, self->pinch_zoom * scale / zoom, x, y);
}

static void
on_drag_begin_cb (GtkGestureDrag    *gesture,
                  double             x,
                  double             y,
                  ImpastoCanvasView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  if (self->split && self->photo != NULL
      && fabs (x - self->split_position * gtk_widget_get_width (GTK_WIDGET (self))) <= SPLIT_GRAB)
    self->drag = DRAG_SPLIT;
  else if (!self->fit)
    {
      graphene_rect_t rect;

      self->drag = DRAG_PAN;
      impasto_canvas_view_get_picture_rect (self, &rect);
      self->drag_center_x = (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - rect.origin.x)
                            / rect.size.width;
      self->drag_center_y = (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - rect.origin.y)
                            / rect.size.height;
    }
  else
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  update_cursor (self);
}

static void
on_drag_update_cb (GtkGestureDrag    *gesture,
                   double             offset_x,
                   double             offset_y,
                   ImpastoCanvasView *self)
{
  graphene_rect_t rect;

  if (self->drag == DRAG_SPLIT)
    impasto_canvas_view_set_split_position (self, (self->drag_x + offset_x)
                                                  / gtk_widget_get_width (GTK_WIDGET (self)));
  else if (self->drag == DRAG_PAN && impasto_canvas_view_get_picture_rect (self, &rect))
    set_center (self, self->drag_center_x - offset_x / rect.size.width,
                self->drag_center_y - offset_y / rect.size.height);
}

static void
on_drag_end_cb (GtkGestureDrag    *gesture,
                double             offset_x,
                double             offset_y,
                ImpastoCanvasView *self)
{
  self->drag = DRAG_NONE;
  update_cursor (self);
}

static void
on_motion_cb (GtkEventControllerMotion *motion,
              double                    x,
              double                    y,
              ImpastoCanvasView        *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  update_cursor (self);
}

static gboolean
is_hold_key (guint keyval)
{
  return keyval == GDK_KEY_space || keyval == GDK_KEY_backslash;
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *key,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   ImpastoCanvasView     *self)
{
  double dx = 0;
  double dy = 0;

  state &= GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK | GDK_SUPER_MASK;
  if (is_hold_key (keyval) && state == 0)
    {
      impasto_canvas_view_set_show_photo (self, TRUE);
      return TRUE;
    }
  if (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left)
    dx = -1;
  else if (keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right)
    dx = 1;
  else if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    dy = -1;
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    dy = 1;
  else
    return FALSE;

  if (state == GDK_SHIFT_MASK && self->split && dx != 0)
    {
      impasto_canvas_view_set_split_position (self, self->split_position + dx * SPLIT_STEP);
      return TRUE;
    }
  if (state == 0 && !self->fit)
    {
      /* The arrow looks further that way: the picture moves the other way. */
      impasto_canvas_view_pan (self, -dx * SCROLL_PAN, -dy * SCROLL_PAN);
      return TRUE;
    }
  return FALSE;
}

static void
on_key_released_cb (GtkEventControllerKey *key,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    ImpastoCanvasView     *self)
{
  if (is_hold_key (keyval))
    impasto_canvas_view_set_show_photo (self, FALSE);
}

static void
on_focus_leave_cb (GtkEventControllerFocus *focus,
                   ImpastoCanvasView       *self)
{
  /* A key held while the focus went elsewhere is never seen released here. */
  impasto_canvas_view_set_show_photo (self, FALSE);
}

/* Properties ----------------------------------------------------------------------------------- */

static void
on_paintable_invalidate_cb (ImpastoCanvasView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
connect_paintable (ImpastoCanvasView *self,
                   GdkPaintable      *paintable)
{
  /* Textures never change; other paintables may. */
  if (paintable != NULL && !GDK_IS_TEXTURE (paintable))
    {
      g_signal_connect_swapped (paintable, "invalidate-contents",
                                G_CALLBACK (on_paintable_invalidate_cb), self);
      g_signal_connect_swapped (paintable, "invalidate-size",
                                G_CALLBACK (on_paintable_invalidate_cb), self);
    }
}

static void
disconnect_paintable (ImpastoCanvasView *self,
                      GdkPaintable      *paintable)
{
  if (paintable != NULL)
    g_signal_handlers_disconnect_by_data (paintable, self);
}

void
impasto_canvas_view_set_paintable (ImpastoCanvasView *self,
                                   GdkPaintable      *paintable)
{
  int width;
  int height;

  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));
  g_return_if_fail (paintable == NULL || GDK_IS_PAINTABLE (paintable));

  if (self->paintable == paintable)
    return;
  disconnect_paintable (self, self->paintable);
  g_set_object (&self->paintable, paintable);
  connect_paintable (self, paintable);

  /* A picture of another size is seen at the same size on the screen, not at the same zoom:
   * the zoom changes by the ratio of the sizes. The same size changes nothing. */
  if (paintable != NULL)
    {
      width = gdk_paintable_get_intrinsic_width (paintable);
      height = gdk_paintable_get_intrinsic_height (paintable);
      if (!self->fit && self->picture_width > 0 && width > 0 && width != self->picture_width)
        {
          self->zoom *= (double) self->picture_width / width;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
        }
      if (width > 0 && height > 0)
        {
          self->picture_width = width;
          self->picture_height = height;
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

GdkPaintable *
impasto_canvas_view_get_paintable (ImpastoCanvasView *self)
{
  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), NULL);

  return self->paintable;
}

void
impasto_canvas_view_set_photo (ImpastoCanvasView *self,
                               GdkPaintable      *photo)
{
  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));
  g_return_if_fail (photo == NULL || GDK_IS_PAINTABLE (photo));

  if (self->photo == photo)
    return;
  disconnect_paintable (self, self->photo);
  g_set_object (&self->photo, photo);
  connect_paintable (self, photo);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHOTO]);
}

gboolean
impasto_canvas_view_get_split (ImpastoCanvasView *self)
{
  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), FALSE);

  return self->split;
}

void
impasto_canvas_view_set_split (ImpastoCanvasView *self,
                               gboolean           split)
{
  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));

  split = !!split;
  if (split == self->split)
    return;
  self->split = split;
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPLIT]);
}

double
impasto_canvas_view_get_split_position (ImpastoCanvasView *self)
{
  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), 0.5);

  return self->split_position;
}

void
impasto_canvas_view_set_split_position (ImpastoCanvasView *self,
                                        double             position)
{
  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));

  position = CLAMP (position, 0.0, 1.0);
  if (position == self->split_position)
    return;
  self->split_position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPLIT_POSITION]);
}

gboolean
impasto_canvas_view_get_show_photo (ImpastoCanvasView *self)
{
  g_return_val_if_fail (IMPASTO_IS_CANVAS_VIEW (self), FALSE);

  return self->show_photo;
}

void
impasto_canvas_view_set_show_photo (ImpastoCanvasView *self,
                                    gboolean           show_photo)
{
  g_return_if_fail (IMPASTO_IS_CANVAS_VIEW (self));

  show_photo = !!show_photo;
  if (show_photo == self->show_photo)
    return;
  self->show_photo = show_photo;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_PHOTO]);
}

static void
impasto_canvas_view_dispose (GObject *object)
{
  ImpastoCanvasView *self = (ImpastoCanvasView *) object;

  impasto_canvas_view_set_paintable (self, NULL);
  impasto_canvas_view_set_photo (self, NULL);
  g_clear_handle_id (&self->zoom_idle, g_source_remove);

  G_OBJECT_CLASS (impasto_canvas_view_parent_class)->dispose (object);
}

static void
impasto_canvas_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ImpastoCanvasView *self = IMPASTO_CANVAS_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;

    case PROP_PHOTO:
      g_value_set_object (value, self->photo);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, impasto_canvas_view_get_zoom (self));
      break;

    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;

    case PROP_SPLIT:
      g_value_set_boolean (value, self->split);
      break;

    case PROP_SPLIT_POSITION:
      g_value_set_double (value, self->split_position);
      break;

    case PROP_SHOW_PHOTO:
      g_value_set_boolean (value, self->show_photo);
      break;

    case PROP_CENTER_X:
      g_value_set_double (value, self->center_x);
      break;

    case PROP_CENTER_Y:
      g_value_set_double (value, self->center_y);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_canvas_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ImpastoCanvasView *self = IMPASTO_CANVAS_VIEW (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      impasto_canvas_view_set_paintable (self, g_value_get_object (value));
      break;

    case PROP_PHOTO:
      impasto_canvas_view_set_photo (self, g_value_get_object (value));
      break;

    case PROP_ZOOM:
      impasto_canvas_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_FIT:
      impasto_canvas_view_set_fit (self, g_value_get_boolean (value));
      break;

    case PROP_SPLIT:
      impasto_canvas_view_set_split (self, g_value_get_boolean (value));
      break;

    case PROP_SPLIT_POSITION:
      impasto_canvas_view_set_split_position (self, g_value_get_double (value));
      break;

    case PROP_SHOW_PHOTO:
      impasto_canvas_view_set_show_photo (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_canvas_view_class_init (ImpastoCanvasViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = impasto_canvas_view_dispose;
  object_class->get_property = impasto_canvas_view_get_property;
  object_class->set_property = impasto_canvas_view_set_property;
  widget_class->snapshot = impasto_canvas_view_snapshot;
  widget_class->size_allocate = impasto_canvas_view_size_allocate;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE, flags);
  properties[PROP_PHOTO] = g_param_spec_object ("photo", NULL, NULL, GDK_TYPE_PAINTABLE, flags);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_FIT] = g_param_spec_boolean ("fit", NULL, NULL, TRUE, flags);
  properties[PROP_SPLIT] = g_param_spec_boolean ("split", NULL, NULL, FALSE, flags);
  properties[PROP_SPLIT_POSITION] =
    g_param_spec_double ("split-position", NULL, NULL, 0.0, 1.0, 0.5, flags);
  properties[PROP_SHOW_PHOTO] = g_param_spec_boolean ("show-photo", NULL, NULL, FALSE, flags);
  properties[PROP_CENTER_X] = g_param_spec_double ("center-x", NULL, NULL, 0.0, 1.0, 0.5,
                                                   read_only);
  properties[PROP_CENTER_Y] = g_param_spec_double ("center-y", NULL, NULL, 0.0, 1.0, 0.5,
                                                   read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "canvas-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
impasto_canvas_view_init (ImpastoCanvasView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->fit = TRUE;
  self->zoom = 1.0;
  self->center_x = 0.5;
  self->center_y = 0.5;
  self->split_position = 0.5;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (widget, scroll);

  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (pinch));

  /* Mouse, touch and pen alike. */
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (widget, motion);

  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  g_signal_connect (key, "key-released", G_CALLBACK (on_key_released_cb), self);
  gtk_widget_add_controller (widget, key);

  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
  gtk_widget_add_controller (widget, focus);
}

GtkWidget *
impasto_canvas_view_new (void)
{
  return g_object_new (IMPASTO_TYPE_CANVAS_VIEW, NULL);
}
