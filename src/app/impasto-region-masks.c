/* impasto-region-masks.c
 *
 * The painted regions' masks, strokes, undo and files (see impasto-region-masks.h). A stroke
 * keeps, from its first dab to its end, a copy of its region's mask as it was and the brush's
 * cover of each pixel (the most of its dabs there); every dab recomputes the pixels under it
 * from those two, so the order and overlap of dabs within a stroke do not matter. The stroke's
 * undo step is the rectangle it touched, before and after.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-region-masks"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "impasto-image.h"
#include "impasto-mask.h"
#include "impasto-region-masks.h"

typedef struct
{
  guint8 *mask;       /* (height, width) */
  int painting;
  double weight;
} Region;

/* One stroke's change: region @index's rectangle before and after. */
typedef struct
{
  int index;
  int x;
  int y;
  int width;
  int height;
  guint8 *before;     /* (height, width) */
  guint8 *after;
} Step;

typedef struct
{
  int index;
  ImpastoBrushMode mode;
  double radius;
  double softness;
  guint8 *before;     /* the whole mask at the stroke's start */
  guint8 *cover;      /* (height, width): the most of the dabs at each pixel, 0 .. 255 */
  int x0, y0, x1, y1; /* touched, [x0, x1) × [y0, y1); empty while x1 <= x0 */
  gboolean has_last;
  double last_x;
  double last_y;
} Stroke;

struct _ImpastoRegionMasks
{
  GObject parent_instance;

  int width;
  int height;
  Region regions[IMPASTO_MAX_REGIONS];
  int n_regions;
  Stroke *stroke;     /* NULL between strokes */
  GPtrArray *undo;    /* of Step, oldest first */
  GPtrArray *redo;    /* of Step, the next to redo last */
  gsize history_bytes;
};

enum {
  PROP_0,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_N_REGIONS,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (ImpastoRegionMasks, impasto_region_masks, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gsize
step_bytes (const Step *step)
{
  return 2 * (gsize) step->width * step->height + sizeof (Step);
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->before);
  g_free (step->after);
  g_free (step);
}

static void
stroke_free (Stroke *stroke)
{
  g_free (stroke->before);
  g_free (stroke->cover);
  g_free (stroke);
}

static void
impasto_region_masks_emit_changed (ImpastoRegionMasks *self,
                                   int                 index)
{
  g_signal_emit (self, signals[CHANGED], 0, index);
}

/* Notifies can-undo and can-redo when they changed since @could_undo, @could_redo. */
static void
impasto_region_masks_notify_history (ImpastoRegionMasks *self,
                                     gboolean            could_undo,
                                     gboolean            could_redo)
{
  if (could_undo != impasto_region_masks_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != impasto_region_masks_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
impasto_region_masks_clear_history (ImpastoRegionMasks *self)
{
  gboolean could_undo = impasto_region_masks_can_undo (self);
  gboolean could_redo = impasto_region_masks_can_redo (self);

  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->history_bytes = 0;
  impasto_region_masks_notify_history (self, could_undo, could_redo);
}

/* A stroke under way is ended (kept, as one step) before anything else changes the masks. */
static void
impasto_region_masks_finish_stroke (ImpastoRegionMasks *self)
{
  if (self->stroke != NULL)
    impasto_region_masks_end_stroke (self);
}

static void
impasto_region_masks_dispose (GObject *object)
{
  ImpastoRegionMasks *self = (ImpastoRegionMasks *) object;

  g_clear_pointer (&self->stroke, stroke_free);

  G_OBJECT_CLASS (impasto_region_masks_parent_class)->dispose (object);
}

static void
impasto_region_masks_finalize (GObject *object)
{
  ImpastoRegionMasks *self = (ImpastoRegionMasks *) object;

  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    g_clear_pointer (&self->regions[i].mask, g_free);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);

  G_OBJECT_CLASS (impasto_region_masks_parent_class)->finalize (object);
}

static void
impasto_region_masks_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImpastoRegionMasks *self = IMPASTO_REGION_MASKS (object);

  switch (prop_id)
    {
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;

    case PROP_N_REGIONS:
      g_value_set_int (value, self->n_regions);
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, impasto_region_masks_can_undo (self));
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, impasto_region_masks_can_redo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_region_masks_class_init (ImpastoRegionMasksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = impasto_region_masks_dispose;
  object_class->finalize = impasto_region_masks_finalize;
  object_class->get_property = impasto_region_masks_get_property;

  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_N_REGIONS] =
    g_param_spec_int ("n-regions", NULL, NULL, 0, IMPASTO_MAX_REGIONS, 0, flags);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
impasto_region_masks_init (ImpastoRegionMasks *self)
{
  self->undo = g_ptr_array_new_with_free_func (step_free);
  self->redo = g_ptr_array_new_with_free_func (step_free);
}

ImpastoRegionMasks *
impasto_region_masks_new (void)
{
  return g_object_new (IMPASTO_TYPE_REGION_MASKS, NULL);
}

void
impasto_region_masks_plan_size (int  photo_width,
                                int  photo_height,
                                int *width,
                                int *height)
{
  g_return_if_fail (photo_width > 0 && photo_height > 0);
  g_return_if_fail (width != NULL && height != NULL);

  if (MAX (photo_width, photo_height) > IMPASTO_REGION_MASKS_MAX_SIDE)
    impasto_image_fit_size (photo_width, photo_height, IMPASTO_REGION_MASKS_MAX_SIDE, width,
                            height);
  else
    {
      *width = photo_width;
      *height = photo_height;
    }
}

/* @mask (@from_width × @from_height) resampled to @width × @height (bilinear); a new buffer. */
static guint8 *
resample_mask (const guint8 *mask,
               int           from_width,
               int           from_height,
               int           width,
               int           height)
{
  guint8 *out = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    {
      double fy = CLAMP ((y + 0.5) * from_height / height - 0.5, 0.0, from_height - 1.0);
      int y0 = (int) fy;
      int y1 = MIN (y0 + 1, from_height - 1);
      double ty = fy - y0;

      for (int x = 0; x < width; x++)
        {
          double fx = CLAMP ((x + 0.5) * from_width / width - 0.5, 0.0, from_width - 1.0);
          int x0 = (int) fx;
          int x1 = MIN (x0 + 1, from_width - 1);
          double tx = fx - x0;
          double top = mask[(gsize) y0 * from_width + x0] * (1.0 - tx)
                       + mask[(gsize) y0 * from_width + x1] * tx;
          double bottom = mask[(gsize) y1 * from_width + x0] * (1.0 - tx)
                          + mask[(gsize) y1 * from_width + x1] * tx;

          out[(gsize) y * width + x] = (guint8) lround (top * (1.0 - ty) + bottom * ty);
        }
    }
  return out;
}

void
impasto_region_masks_set_size (ImpastoRegionMasks *self,
                               int                 width,
                               int                 height)
{
  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail ((width > 0 && height > 0) || (width == 0 && height == 0));

  if (width == self->width && height == self->height)
    return;
  impasto_region_masks_finish_stroke (self);
  for (int i = 0; i < self->n_regions; i++)
    {
      guint8 *mask = NULL;

      if (width > 0 && self->width > 0)
        mask = resample_mask (self->regions[i].mask, self->width, self->height, width, height);
      else if (width > 0)
        mask = g_malloc0 ((gsize) width * height);
      g_free (self->regions[i].mask);
      self->regions[i].mask = mask;
    }
  self->width = width;
  self->height = height;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
  impasto_region_masks_clear_history (self);
  if (width == 0)
    {
      int n = self->n_regions;

      /* No picture, no regions. */
      self->n_regions = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REGIONS]);
      for (int i = 0; i < n; i++)
        impasto_region_masks_emit_changed (self, i);
      return;
    }
  for (int i = 0; i < self->n_regions; i++)
    impasto_region_masks_emit_changed (self, i);
}

int
impasto_region_masks_get_width (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), 0);

  return self->width;
}

int
impasto_region_masks_get_height (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), 0);

  return self->height;
}

int
impasto_region_masks_get_n_regions (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), 0);

  return self->n_regions;
}

int
impasto_region_masks_add (ImpastoRegionMasks *self,
                          int                 painting)
{
  int index;

  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), -1);
  g_return_val_if_fail (painting >= IMPASTO_REGION_KEEP_PHOTO, -1);

  if (self->n_regions >= IMPASTO_MAX_REGIONS || self->width == 0)
    return -1;
  impasto_region_masks_finish_stroke (self);
  index = self->n_regions++;
  self->regions[index].mask = g_malloc0 ((gsize) self->width * self->height);
  self->regions[index].painting = painting;
  self->regions[index].weight = 1.0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REGIONS]);
  impasto_region_masks_emit_changed (self, index);
  return index;
}

void
impasto_region_masks_remove (ImpastoRegionMasks *self,
                             int                 index)
{
  int n;

  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail (index >= 0 && index < self->n_regions);

  impasto_region_masks_finish_stroke (self);
  n = self->n_regions;
  g_free (self->regions[index].mask);
  memmove (&self->regions[index], &self->regions[index + 1],
           (gsize) (n - index - 1) * sizeof (Region));
  memset (&self->regions[n - 1], 0, sizeof (Region));
  self->n_regions--;
  /* The steps name regions by index. */
  impasto_region_masks_clear_history (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REGIONS]);
  for (int i = index; i < n; i++)
    impasto_region_masks_emit_changed (self, i);
}

const guint8 *
impasto_region_masks_get_mask (ImpastoRegionMasks *self,
                               int                 index)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), NULL);
  g_return_val_if_fail (index >= 0 && index < self->n_regions, NULL);

  return self->regions[index].mask;
}

gboolean
impasto_region_masks_covers (ImpastoRegionMasks *self,
                             int                 index)
{
  const guint8 *mask;
  gsize n;

  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), FALSE);
  g_return_val_if_fail (index >= 0 && index < self->n_regions, FALSE);

  mask = self->regions[index].mask;
  n = (gsize) self->width * self->height;
  for (gsize i = 0; i < n; i++)
    if (mask[i] != 0)
      return TRUE;
  return FALSE;
}

int
impasto_region_masks_get_painting (ImpastoRegionMasks *self,
                                   int                 index)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), IMPASTO_REGION_KEEP_PHOTO);
  g_return_val_if_fail (index >= 0 && index < self->n_regions, IMPASTO_REGION_KEEP_PHOTO);

  return self->regions[index].painting;
}

void
impasto_region_masks_set_painting (ImpastoRegionMasks *self,
                                   int                 index,
                                   int                 painting)
{
  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail (index >= 0 && index < self->n_regions);
  g_return_if_fail (painting >= IMPASTO_REGION_KEEP_PHOTO);

  if (self->regions[index].painting == painting)
    return;
  self->regions[index].painting = painting;
  impasto_region_masks_emit_changed (self, index);
}

double
impasto_region_masks_get_weight (ImpastoRegionMasks *self,
                                 int                 index)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), 1.0);
  g_return_val_if_fail (index >= 0 && index < self->n_regions, 1.0);

  return self->regions[index].weight;
}

void
impasto_region_masks_set_weight (ImpastoRegionMasks *self,
                                 int                 index,
                                 double              weight)
{
  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail (index >= 0 && index < self->n_regions);
  g_return_if_fail (isfinite (weight) && weight > 0.0);

  if (self->regions[index].weight == weight)
    return;
  self->regions[index].weight = weight;
  impasto_region_masks_emit_changed (self, index);
}

/* Strokes ------------------------------------------------------------------------------------ */

double
impasto_region_masks_brush_alpha (double radius,
                                  double softness,
                                  double distance)
{
  double inner = radius * (1.0 - CLAMP (softness, 0.0, 1.0));
  double t;

  if (distance >= radius)
    return 0.0;
  if (distance <= inner)
    return 1.0;
  t = (radius - distance) / (radius - inner);
  return t * t * (3.0 - 2.0 * t);
}

void
impasto_region_masks_begin_stroke (ImpastoRegionMasks *self,
                                   int                 index,
                                   ImpastoBrushMode    mode,
                                   double              radius,
                                   double              softness)
{
  Stroke *stroke;
  gsize n;

  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail (index >= 0 && index < self->n_regions);
  g_return_if_fail (mode == IMPASTO_BRUSH_PAINT || mode == IMPASTO_BRUSH_ERASE);
  g_return_if_fail (isfinite (radius) && radius > 0.0);
  g_return_if_fail (isfinite (softness));

  impasto_region_masks_finish_stroke (self);
  n = (gsize) self->width * self->height;
  stroke = g_new0 (Stroke, 1);
  stroke->index = index;
  stroke->mode = mode;
  stroke->radius = radius;
  stroke->softness = CLAMP (softness, 0.0, 1.0);
  stroke->before = g_memdup2 (self->regions[index].mask, n);
  stroke->cover = g_malloc0 (n);
  self->stroke = stroke;
}

/* One dab of the stroke at (@cx, @cy): the cover under it rises, those pixels are recomputed. */
static void
impasto_region_masks_dab (ImpastoRegionMasks *self,
                          double              cx,
                          double              cy)
{
  Stroke *stroke = self->stroke;
  guint8 *mask = self->regions[stroke->index].mask;
  double r = stroke->radius;
  int x0 = MAX (0, (int) floor (cx - r));
  int y0 = MAX (0, (int) floor (cy - r));
  int x1 = MIN (self->width, (int) ceil (cx + r) + 1);
  int y1 = MIN (self->height, (int) ceil (cy + r) + 1);

  if (x0 >= x1 || y0 >= y1)
    return;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        gsize i = (gsize) y * self->width + x;
        double d = hypot (x + 0.5 - cx, y + 0.5 - cy);
        int a = (int) lround (255.0 * impasto_region_masks_brush_alpha (r, stroke->softness, d));
        int before = stroke->before[i];

        if (a <= stroke->cover[i])
          continue;
        stroke->cover[i] = (guint8) a;
        if (stroke->mode == IMPASTO_BRUSH_PAINT)
          mask[i] = (guint8) (before + ((255 - before) * a + 127) / 255);
        else
          mask[i] = (guint8) ((before * (255 - a) + 127) / 255);
      }
  if (stroke->x1 <= stroke->x0)
    {
      stroke->x0 = x0;
      stroke->y0 = y0;
      stroke->x1 = x1;
      stroke->y1 = y1;
    }
  else
    {
      stroke->x0 = MIN (stroke->x0, x0);
      stroke->y0 = MIN (stroke->y0, y0);
      stroke->x1 = MAX (stroke->x1, x1);
      stroke->y1 = MAX (stroke->y1, y1);
    }
}

void
impasto_region_masks_add_dab (ImpastoRegionMasks *self,
                              double              x,
                              double              y)
{
  Stroke *stroke;

  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail (self->stroke != NULL);
  g_return_if_fail (isfinite (x) && isfinite (y));

  stroke = self->stroke;
  if (stroke->has_last)
    {
      /* Dabs a quarter of the radius apart (at most half a pixel) from the last one. */
      double spacing = MAX (0.5, stroke->radius / 4.0);
      double length = hypot (x - stroke->last_x, y - stroke->last_y);
      int n = (int) MIN (ceil (length / spacing), 100000.0);

      for (int k = 1; k < n; k++)
        impasto_region_masks_dab (self, stroke->last_x + (x - stroke->last_x) * k / n,
                                  stroke->last_y + (y - stroke->last_y) * k / n);
    }
  impasto_region_masks_dab (self, x, y);
  stroke->has_last = TRUE;
  stroke->last_x = x;
  stroke->last_y = y;
}

/* @step's rectangle of region @index from @mask. */
static guint8 *
copy_rect (const guint8 *mask,
           int           mask_width,
           int           x,
           int           y,
           int           width,
           int           height)
{
  guint8 *out = g_malloc ((gsize) width * height);

  for (int row = 0; row < height; row++)
    memcpy (out + (gsize) row * width, mask + (gsize) (y + row) * mask_width + x, width);
  return out;
}

static void
paste_rect (guint8       *mask,
            int           mask_width,
            const Step   *step,
            const guint8 *bytes)
{
  for (int row = 0; row < step->height; row++)
    memcpy (mask + (gsize) (step->y + row) * mask_width + step->x,
            bytes + (gsize) row * step->width, step->width);
}

/* The undo history's oldest steps go while it holds more than it may (the newest stays). */
static void
impasto_region_masks_trim_history (ImpastoRegionMasks *self)
{
  while (self->history_bytes > IMPASTO_REGION_MASKS_UNDO_BYTES && self->undo->len > 1)
    {
      self->history_bytes -= step_bytes (g_ptr_array_index (self->undo, 0));
      g_ptr_array_remove_index (self->undo, 0);
    }
}

void
impasto_region_masks_end_stroke (ImpastoRegionMasks *self)
{
  Stroke *stroke;
  Step *step;
  gboolean could_undo;
  gboolean could_redo;
  int index;

  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));
  g_return_if_fail (self->stroke != NULL);

  stroke = g_steal_pointer (&self->stroke);
  index = stroke->index;
  if (stroke->x1 <= stroke->x0)
    {
      stroke_free (stroke);
      return;
    }

  step = g_new0 (Step, 1);
  step->index = index;
  step->x = stroke->x0;
  step->y = stroke->y0;
  step->width = stroke->x1 - stroke->x0;
  step->height = stroke->y1 - stroke->y0;
  step->before = copy_rect (stroke->before, self->width, step->x, step->y, step->width,
                            step->height);
  step->after = copy_rect (self->regions[index].mask, self->width, step->x, step->y, step->width,
                           step->height);
  stroke_free (stroke);
  if (memcmp (step->before, step->after, (gsize) step->width * step->height) == 0)
    {
      /* Painted where it was all in already, or erased where nothing was. */
      step_free (step);
      return;
    }

  could_undo = impasto_region_masks_can_undo (self);
  could_redo = impasto_region_masks_can_redo (self);
  for (guint i = 0; i < self->redo->len; i++)
    self->history_bytes -= step_bytes (g_ptr_array_index (self->redo, i));
  g_ptr_array_set_size (self->redo, 0);
  g_ptr_array_add (self->undo, step);
  self->history_bytes += step_bytes (step);
  impasto_region_masks_trim_history (self);
  impasto_region_masks_notify_history (self, could_undo, could_redo);
  impasto_region_masks_emit_changed (self, index);
}

gboolean
impasto_region_masks_in_stroke (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), FALSE);

  return self->stroke != NULL;
}

gboolean
impasto_region_masks_can_undo (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), FALSE);

  return self->undo->len > 0;
}

gboolean
impasto_region_masks_can_redo (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), FALSE);

  return self->redo->len > 0;
}

/* Moves the newest step of @from to @to, putting back its @before (undo) or after bytes. */
static void
impasto_region_masks_move_step (ImpastoRegionMasks *self,
                                GPtrArray          *from,
                                GPtrArray          *to,
                                gboolean            before)
{
  gboolean could_undo = impasto_region_masks_can_undo (self);
  gboolean could_redo = impasto_region_masks_can_redo (self);
  Step *step;

  impasto_region_masks_finish_stroke (self);
  if (from->len == 0)
    return;
  step = g_ptr_array_steal_index (from, from->len - 1);
  g_assert (step->index < self->n_regions);
  paste_rect (self->regions[step->index].mask, self->width, step,
              before ? step->before : step->after);
  g_ptr_array_add (to, step);
  impasto_region_masks_notify_history (self, could_undo, could_redo);
  impasto_region_masks_emit_changed (self, step->index);
}

void
impasto_region_masks_undo (ImpastoRegionMasks *self)
{
  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));

  impasto_region_masks_move_step (self, self->undo, self->redo, TRUE);
}

void
impasto_region_masks_redo (ImpastoRegionMasks *self)
{
  g_return_if_fail (IMPASTO_IS_REGION_MASKS (self));

  impasto_region_masks_move_step (self, self->redo, self->undo, FALSE);
}

gsize
impasto_region_masks_get_history_bytes (ImpastoRegionMasks *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), 0);

  return self->history_bytes;
}

/* Files -------------------------------------------------------------------------------------- */

char *
impasto_region_masks_file_name (int index)
{
  g_return_val_if_fail (index >= 0 && index < IMPASTO_MAX_REGIONS, NULL);

  return g_strdup_printf ("region-%d.png", index + 1);
}

int
impasto_region_masks_save (ImpastoRegionMasks  *self,
                           const char          *folder,
                           GError             **error)
{
  g_autofree float *floats = NULL;
  gsize n;

  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), -1);
  g_return_val_if_fail (folder != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  impasto_region_masks_finish_stroke (self);
  n = (gsize) self->width * self->height;
  floats = g_try_new (float, MAX (n, 1));
  if (floats == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to save the region masks"));
      return -1;
    }
  for (int i = 0; i < self->n_regions; i++)
    {
      g_autofree char *name = impasto_region_masks_file_name (i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      for (gsize p = 0; p < n; p++)
        floats[p] = self->regions[i].mask[p] / 255.0f;

      if (!impasto_mask_save (floats, self->width, self->height, path, error))
        return -1;
    }
  return self->n_regions;
}

/* The picture at @path as a mask of @width × @height (impasto_mask_load(): its luminance times its
 * alpha, white = in), resampled. NULL with @error set. */
static guint8 *
load_mask (const char  *path,
           int          width,
           int          height,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_basename (path);
  g_autofree float *values = NULL;
  g_autofree guint8 *bytes = NULL;
  int file_width;
  int file_height;
  gsize n;

  values = impasto_mask_load (path, &file_width, &file_height, &local_error);
  if (values == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("“%s” cannot be read as a mask: %s"), display, local_error->message);
      return NULL;
    }
  n = (gsize) file_width * file_height;
  bytes = g_try_malloc (n);
  if (bytes == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory to read “%s” as a mask"), display);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    bytes[i] = (guint8) lrintf (CLAMP (values[i], 0.0f, 1.0f) * 255.0f);
  if (file_width == width && file_height == height)
    return g_steal_pointer (&bytes);
  return resample_mask (bytes, file_width, file_height, width, height);
}

gboolean
impasto_region_masks_load (ImpastoRegionMasks  *self,
                           const char * const  *paths,
                           int                  n_paths,
                           GError             **error)
{
  guint8 *masks[IMPASTO_MAX_REGIONS] = { NULL };
  int n_before;

  g_return_val_if_fail (IMPASTO_IS_REGION_MASKS (self), FALSE);
  g_return_val_if_fail (paths != NULL || n_paths == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->width == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Choose a photo before loading region masks"));
      return FALSE;
    }
  if (n_paths < 1 || n_paths > IMPASTO_MAX_REGIONS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Choose from 1 to %d mask files"), IMPASTO_MAX_REGIONS);
      return FALSE;
    }
  for (int i = 0; i < n_paths; i++)
    {
      masks[i] = load_mask (paths[i], self->width, self->height, error);
      if (masks[i] == NULL)
        {
          for (int j = 0; j < i; j++)
            g_free (masks[j]);
          return FALSE;
        }
    }

  impasto_region_masks_finish_stroke (self);
  n_before = self->n_regions;
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    {
      g_free (self->regions[i].mask);
      self->regions[i].mask = masks[i];
      if (i >= n_before)
        {
          self->regions[i].painting = 0;
          self->regions[i].weight = 1.0;
        }
    }
  self->n_regions = n_paths;
  impasto_region_masks_clear_history (self);
  if (n_before != n_paths)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REGIONS]);
  for (int i = 0; i < MAX (n_before, n_paths); i++)
    impasto_region_masks_emit_changed (self, i);
  return TRUE;
}
