/* impasto-region-overlay.c
 *
 * Draws the regions' masks over the canvas and turns drags into strokes (see
 * impasto-region-overlay.h). The masks become one RGBA texture, each pixel the colours of the
 * regions it is in, mixed by how much it is in each, as opaque as it is in the region it is most
 * in; the texture is made again only after the masks changed (each dab of a stroke, a stroke's
 * end, undo), at the next frame. Over the canvas it follows the canvas's zoom and pan
 * (impasto_region_overlay_set_view()), and passes Ctrl+scroll on to it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-region-overlay"

#include "config.h"

#include <math.h>

#include "impasto-region-overlay.h"

struct _ImpastoRegionOverlay
{
  GtkWidget parent_instance;

  ImpastoRegionMasks *masks;
  ImpastoCanvasView *view;   /* whose zoom and pan it follows while it is shown; weak */
  int region;                /* painted by drags; -1 none */
  gboolean erase;
  double brush_size;         /* diameter, mask pixels */
  double softness;
  double opacity;

  GdkTexture *texture;       /* the masks coloured; NULL when out of date */
  gboolean pointer_in;
  double pointer_x;
  double pointer_y;
  gboolean stroking;         /* a drag of ours is a stroke under way */
  double drag_x;
  double drag_y;
};

enum {
  PROP_0,
  PROP_MASKS,
  PROP_REGION,
  PROP_ERASE,
  PROP_BRUSH_SIZE,
  PROP_SOFTNESS,
  PROP_OPACITY,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoRegionOverlay, impasto_region_overlay, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* GNOME's palette: blue, green, yellow, orange, red, purple, brown, teal. */
static const guint32 region_colors[IMPASTO_MAX_REGIONS] = {
  0x3584e4, 0x33d17a, 0xf6d32d, 0xff7800, 0xe01b24, 0x9141ac, 0x986a44, 0x2190a4,
};

void
impasto_region_color (int      index,
                      GdkRGBA *color)
{
  guint32 rgb;

  g_return_if_fail (index >= 0 && index < IMPASTO_MAX_REGIONS);
  g_return_if_fail (color != NULL);

  rgb = region_colors[index];
  color->red = ((rgb >> 16) & 0xff) / 255.0f;
  color->green = ((rgb >> 8) & 0xff) / 255.0f;
  color->blue = (rgb & 0xff) / 255.0f;
  color->alpha = 1.0f;
}

static void
impasto_region_overlay_invalidate (ImpastoRegionOverlay *self)
{
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_masks_changed_cb (ImpastoRegionOverlay *self)
{
  impasto_region_overlay_invalidate (self);
}

/* The masks coloured: straight RGBA rows. NULL without regions. */
static GdkTexture *
impasto_region_overlay_build_texture (ImpastoRegionOverlay *self)
{
  int width = impasto_region_masks_get_width (self->masks);
  int height = impasto_region_masks_get_height (self->masks);
  int n = impasto_region_masks_get_n_regions (self->masks);
  const guint8 *masks[IMPASTO_MAX_REGIONS];
  g_autoptr(GBytes) bytes = NULL;
  gsize pixels = (gsize) width * height;
  guint8 *rgba;

  if (n == 0 || pixels == 0)
    return NULL;
  for (int i = 0; i < n; i++)
    masks[i] = impasto_region_masks_get_mask (self->masks, i);
  rgba = g_malloc (pixels * 4);
  for (gsize p = 0; p < pixels; p++)
    {
      guint r = 0, g = 0, b = 0, sum = 0, most = 0;

      for (int i = 0; i < n; i++)
        {
          guint v = masks[i][p];

          r += ((region_colors[i] >> 16) & 0xff) * v;
          g += ((region_colors[i] >> 8) & 0xff) * v;
          b += (region_colors[i] & 0xff) * v;
          sum += v;
          most = MAX (most, v);
        }
      if (sum == 0)
        {
          rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = rgba[4 * p + 3] = 0;
          continue;
        }
      rgba[4 * p] = (guint8) (r / sum);
      rgba[4 * p + 1] = (guint8) (g / sum);
      rgba[4 * p + 2] = (guint8) (b / sum);
      rgba[4 * p + 3] = (guint8) most;
    }
  bytes = g_bytes_new_take (rgba, pixels * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
}

gboolean
impasto_region_overlay_get_picture_rect (ImpastoRegionOverlay *self,
                                         graphene_rect_t      *rect)
{
  double area_width;
  double area_height;
  double scale;
  int width;
  int height;

  g_return_val_if_fail (IMPASTO_IS_REGION_OVERLAY (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  if (self->masks == NULL)
    return FALSE;

  /* Over the zoomed canvas: where the canvas draws its picture. */
  if (self->view != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->view))
      && impasto_canvas_view_get_picture_rect (self->view, rect))
    {
      graphene_point_t origin;

      if (!gtk_widget_compute_point (GTK_WIDGET (self->view), GTK_WIDGET (self), &rect->origin,
                                     &origin))
        return FALSE;
      rect->origin = origin;
      return TRUE;
    }

  width = impasto_region_masks_get_width (self->masks);
  height = impasto_region_masks_get_height (self->masks);
  area_width = gtk_widget_get_width (GTK_WIDGET (self)) - 2.0 * IMPASTO_REGION_OVERLAY_MARGIN;
  area_height = gtk_widget_get_height (GTK_WIDGET (self)) - 2.0 * IMPASTO_REGION_OVERLAY_MARGIN;
  if (width <= 0 || height <= 0 || area_width <= 0.0 || area_height <= 0.0)
    return FALSE;
  scale = MIN (area_width / width, area_height / height);
  graphene_rect_init (rect,
                      IMPASTO_REGION_OVERLAY_MARGIN + (area_width - width * scale) / 2.0,
                      IMPASTO_REGION_OVERLAY_MARGIN + (area_height - height * scale) / 2.0,
                      width * scale, height * scale);
  return TRUE;
}

/* Mask pixels per widget pixel, and the mask point under (@x, @y). */
static gboolean
impasto_region_overlay_to_mask (ImpastoRegionOverlay *self,
                                double                x,
                                double                y,
                                double               *mask_x,
                                double               *mask_y,
                                double               *scale)
{
  graphene_rect_t rect;

  if (!impasto_region_overlay_get_picture_rect (self, &rect))
    return FALSE;
  *scale = impasto_region_masks_get_width (self->masks) / rect.size.width;
  *mask_x = (x - rect.origin.x) * *scale;
  *mask_y = (y - rect.origin.y) * *scale;
  return TRUE;
}

static void
impasto_region_overlay_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  ImpastoRegionOverlay *self = IMPASTO_REGION_OVERLAY (widget);
  graphene_rect_t rect;

  if (!impasto_region_overlay_get_picture_rect (self, &rect))
    return;
  if (self->texture == NULL)
    self->texture = impasto_region_overlay_build_texture (self);
  if (self->texture != NULL)
    {
      gtk_snapshot_push_opacity (snapshot, self->opacity);
      gtk_snapshot_append_texture (snapshot, self->texture, &rect);
      gtk_snapshot_pop (snapshot);
    }

  /* The brush under the pointer: a dark and a light ring, seen on any picture. */
  if (self->pointer_in && self->region >= 0)
    {
      double radius = MAX (1.0, self->brush_size / 2.0 * rect.size.width
                                / impasto_region_masks_get_width (self->masks));
      GdkRGBA dark = { 0, 0, 0, 0.7f };
      GdkRGBA light = { 1, 1, 1, 0.9f };

      for (int k = 0; k < 2; k++)
        {
          double r = radius + k;
          GskRoundedRect ring;
          float widths[4] = { 1, 1, 1, 1 };
          GdkRGBA colors[4];

          for (int side = 0; side < 4; side++)
            colors[side] = k == 0 ? light : dark;
          gsk_rounded_rect_init_from_rect (&ring,
                                           &GRAPHENE_RECT_INIT (self->pointer_x - r,
                                                                self->pointer_y - r,
                                                                2 * r, 2 * r),
                                           r);
          gtk_snapshot_append_border (snapshot, &ring, widths, colors);
        }
    }
}

/* Strokes -------------------------------------------------------------------------------------- */

static gboolean
impasto_region_overlay_begin (ImpastoRegionOverlay *self,
                              double                x,
                              double                y)
{
  double mask_x;
  double mask_y;
  double scale;

  if (self->masks == NULL || self->region < 0
      || self->region >= impasto_region_masks_get_n_regions (self->masks)
      || !impasto_region_overlay_to_mask (self, x, y, &mask_x, &mask_y, &scale))
    return FALSE;
  impasto_region_masks_begin_stroke (self->masks, self->region,
                                     self->erase ? IMPASTO_BRUSH_ERASE : IMPASTO_BRUSH_PAINT,
                                     MAX (0.5, self->brush_size / 2.0), self->softness);
  impasto_region_masks_add_dab (self->masks, mask_x, mask_y);
  impasto_region_overlay_invalidate (self);
  return TRUE;
}

static void
impasto_region_overlay_continue (ImpastoRegionOverlay *self,
                                 double                x,
                                 double                y)
{
  double mask_x;
  double mask_y;
  double scale;

  if (!impasto_region_masks_in_stroke (self->masks)
      || !impasto_region_overlay_to_mask (self, x, y, &mask_x, &mask_y, &scale))
    return;
  impasto_region_masks_add_dab (self->masks, mask_x, mask_y);
  impasto_region_overlay_invalidate (self);
}

static void
impasto_region_overlay_end (ImpastoRegionOverlay *self)
{
  if (self->masks != NULL && impasto_region_masks_in_stroke (self->masks))
    impasto_region_masks_end_stroke (self->masks);
}

void
impasto_region_overlay_stroke (ImpastoRegionOverlay   *self,
                               const graphene_point_t *points,
                               int                     n_points)
{
  g_return_if_fail (IMPASTO_IS_REGION_OVERLAY (self));
  g_return_if_fail (points != NULL && n_points > 0);

  if (!impasto_region_overlay_begin (self, points[0].x, points[0].y))
    return;
  for (int i = 1; i < n_points; i++)
    impasto_region_overlay_continue (self, points[i].x, points[i].y);
  impasto_region_overlay_end (self);
}

static void
on_drag_begin_cb (GtkGestureDrag       *gesture,
                  double                x,
                  double                y,
                  ImpastoRegionOverlay *self)
{
  self->drag_x = x;
  self->drag_y = y;
  self->stroking = impasto_region_overlay_begin (self, x, y);
  if (self->stroking)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
on_drag_update_cb (GtkGestureDrag       *gesture,
                   double                offset_x,
                   double                offset_y,
                   ImpastoRegionOverlay *self)
{
  if (!self->stroking)
    return;
  self->pointer_x = self->drag_x + offset_x;
  self->pointer_y = self->drag_y + offset_y;
  impasto_region_overlay_continue (self, self->pointer_x, self->pointer_y);
}

static void
on_drag_end_cb (GtkGestureDrag       *gesture,
                double                offset_x,
                double                offset_y,
                ImpastoRegionOverlay *self)
{
  if (!self->stroking)
    return;
  self->stroking = FALSE;
  impasto_region_overlay_end (self);
}

static void
on_motion_cb (GtkEventControllerMotion *motion,
              double                    x,
              double                    y,
              ImpastoRegionOverlay     *self)
{
  self->pointer_in = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave_cb (GtkEventControllerMotion *motion,
             ImpastoRegionOverlay     *self)
{
  self->pointer_in = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Ctrl+scroll zooms the canvas under the regions, and a plain scroll moves a zoomed one, as on
 * the canvas itself. */
static gboolean
on_scroll_cb (GtkEventControllerScroll *scroll,
              double                    dx,
              double                    dy,
              ImpastoRegionOverlay     *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  graphene_point_t at;

  if (self->view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self->view))
      || !gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->view),
                                    &GRAPHENE_POINT_INIT (self->pointer_x, self->pointer_y),
                                    &at))
    return FALSE;
  if (state & GDK_CONTROL_MASK)
    {
      impasto_canvas_view_zoom_at (self->view,
                                   pow (IMPASTO_CANVAS_VIEW_ZOOM_STEP, -CLAMP (dy, -4, 4)),
                                   at.x, at.y);
      return TRUE;
    }
  if (impasto_canvas_view_get_fit (self->view))
    return FALSE;
  impasto_canvas_view_pan (self->view, -dx * 48.0, -dy * 48.0);
  return TRUE;
}

static void
on_view_notify_cb (ImpastoRegionOverlay *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
impasto_region_overlay_set_view (ImpastoRegionOverlay *self,
                                 ImpastoCanvasView    *view)
{
  g_return_if_fail (IMPASTO_IS_REGION_OVERLAY (self));
  g_return_if_fail (view == NULL || IMPASTO_IS_CANVAS_VIEW (view));

  if (self->view == view)
    return;
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
    }
  self->view = view;
  if (view != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
      g_signal_connect_swapped (view, "notify", G_CALLBACK (on_view_notify_cb), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Object --------------------------------------------------------------------------------------- */

void
impasto_region_overlay_set_masks (ImpastoRegionOverlay *self,
                                  ImpastoRegionMasks   *masks)
{
  g_return_if_fail (IMPASTO_IS_REGION_OVERLAY (self));
  g_return_if_fail (masks == NULL || IMPASTO_IS_REGION_MASKS (masks));

  if (self->masks == masks)
    return;
  if (self->masks != NULL)
    g_signal_handlers_disconnect_by_data (self->masks, self);
  g_set_object (&self->masks, masks);
  if (masks != NULL)
    {
      g_signal_connect_swapped (masks, "changed", G_CALLBACK (on_masks_changed_cb), self);
      g_signal_connect_swapped (masks, "notify::n-regions", G_CALLBACK (on_masks_changed_cb),
                                self);
    }
  impasto_region_overlay_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASKS]);
}

static void
impasto_region_overlay_dispose (GObject *object)
{
  ImpastoRegionOverlay *self = (ImpastoRegionOverlay *) object;

  impasto_region_overlay_set_masks (self, NULL);
  impasto_region_overlay_set_view (self, NULL);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (impasto_region_overlay_parent_class)->dispose (object);
}

static void
impasto_region_overlay_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ImpastoRegionOverlay *self = IMPASTO_REGION_OVERLAY (object);

  switch (prop_id)
    {
    case PROP_MASKS:
      g_value_set_object (value, self->masks);
      break;

    case PROP_REGION:
      g_value_set_int (value, self->region);
      break;

    case PROP_ERASE:
      g_value_set_boolean (value, self->erase);
      break;

    case PROP_BRUSH_SIZE:
      g_value_set_double (value, self->brush_size);
      break;

    case PROP_SOFTNESS:
      g_value_set_double (value, self->softness);
      break;

    case PROP_OPACITY:
      g_value_set_double (value, self->opacity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_region_overlay_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  ImpastoRegionOverlay *self = IMPASTO_REGION_OVERLAY (object);

  switch (prop_id)
    {
    case PROP_MASKS:
      impasto_region_overlay_set_masks (self, g_value_get_object (value));
      return;

    case PROP_REGION:
      self->region = g_value_get_int (value);
      break;

    case PROP_ERASE:
      self->erase = g_value_get_boolean (value);
      break;

    case PROP_BRUSH_SIZE:
      self->brush_size = g_value_get_double (value);
      break;

    case PROP_SOFTNESS:
      self->softness = g_value_get_double (value);
      break;

    case PROP_OPACITY:
      self->opacity = g_value_get_double (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
impasto_region_overlay_class_init (ImpastoRegionOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = impasto_region_overlay_dispose;
  object_class->get_property = impasto_region_overlay_get_property;
  object_class->set_property = impasto_region_overlay_set_property;
  widget_class->snapshot = impasto_region_overlay_snapshot;

  properties[PROP_MASKS] =
    g_param_spec_object ("masks", NULL, NULL, IMPASTO_TYPE_REGION_MASKS, flags);
  properties[PROP_REGION] =
    g_param_spec_int ("region", NULL, NULL, -1, IMPASTO_MAX_REGIONS - 1, -1, flags);
  properties[PROP_ERASE] = g_param_spec_boolean ("erase", NULL, NULL, FALSE, flags);
  properties[PROP_BRUSH_SIZE] =
    g_param_spec_double ("brush-size", NULL, NULL, 1.0, 1000.0, 48.0, flags);
  properties[PROP_SOFTNESS] = g_param_spec_double ("softness", NULL, NULL, 0.0, 1.0, 0.5, flags);
  properties[PROP_OPACITY] = g_param_spec_double ("opacity", NULL, NULL, 0.0, 1.0, 0.5, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "region-overlay");
}

static void
impasto_region_overlay_init (ImpastoRegionOverlay *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  self->region = -1;
  self->brush_size = 48.0;
  self->softness = 0.5;
  self->opacity = 0.5;

  /* Mouse, touch and pen alike. */
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
}

GtkWidget *
impasto_region_overlay_new (void)
{
  return g_object_new (IMPASTO_TYPE_REGION_OVERLAY, NULL);
}
