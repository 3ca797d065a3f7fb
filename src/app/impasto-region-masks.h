/* impasto-region-masks.h
 *
 * The painted regions of a picture (issue 15), without any widget: up to IMPASTO_MAX_REGIONS
 * masks of 8-bit values (0 out, 255 in) at one size (the photo's, at most
 * IMPASTO_REGION_MASKS_MAX_SIDE on its longest side), each with the painting it gets (an index
 * into the window's painting list, or IMPASTO_REGION_KEEP_PHOTO) and a weight.
 *
 * Masks are painted with strokes of a soft round brush: a stroke is a sequence of dabs of one
 * radius and softness (the outer share of the radius over which the brush fades out), joined so
 * that a fast pointer leaves no gaps. Within a stroke the brush covers each pixel by the most of
 * its dabs there (no build-up where dabs overlap); the brush raises the mask towards 255 by that
 * cover, the eraser lowers it towards 0. Each stroke is one step of undo and redo, kept as the
 * bytes of the changed rectangle before and after; the oldest steps are dropped beyond
 * IMPASTO_REGION_MASKS_UNDO_BYTES. Adding a region keeps the history; removing one, loading
 * masks or a new size clears it.
 *
 * `width`, `height`, `n-regions`, `can-undo` and `can-redo` are notified. `changed` names a
 * region (0-based) whose mask, painting or weight changed, or that went (its index is then at or
 * above `n-regions`); it is not emitted for each dab, only when a stroke ends. Masks are saved
 * one greyscale PNG per region and loaded from any pictures (impasto-mask.h, as the CLI reads
 * them: luminance times alpha, white = in), resized to the masks' size.
 *
 * This file does not draw, take pointer input or talk to a run: the window and its overlay do.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "impasto-region-guides.h"
#include "impasto-session.h"

G_BEGIN_DECLS

/* The masks' longest side at most: the engine resamples them to each size of a run anyway. */
#define IMPASTO_REGION_MASKS_MAX_SIDE 1024
/* The undo history's bytes at most (each stroke keeps its rectangle twice). */
#define IMPASTO_REGION_MASKS_UNDO_BYTES (48 * 1024 * 1024)

typedef enum
{
  IMPASTO_BRUSH_PAINT,
  IMPASTO_BRUSH_ERASE,
} ImpastoBrushMode;

#define IMPASTO_TYPE_REGION_MASKS (impasto_region_masks_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoRegionMasks, impasto_region_masks, IMPASTO, REGION_MASKS, GObject)

ImpastoRegionMasks *impasto_region_masks_new            (void);
/* The masks' size for a photo of @photo_width × @photo_height: its own, or fitted within
 * IMPASTO_REGION_MASKS_MAX_SIDE. */
void                impasto_region_masks_plan_size      (int  photo_width,
                                                         int  photo_height,
                                                         int *width,
                                                         int *height);
/* The masks are resampled to @width × @height (both 0: none yet); the history is cleared. */
void                impasto_region_masks_set_size       (ImpastoRegionMasks *self,
                                                         int                 width,
                                                         int                 height);
int                 impasto_region_masks_get_width      (ImpastoRegionMasks *self);
int                 impasto_region_masks_get_height     (ImpastoRegionMasks *self);
int                 impasto_region_masks_get_n_regions  (ImpastoRegionMasks *self);
/* A new empty region at the end, for @painting with weight 1; returns its index, or -1 when
 * there are IMPASTO_MAX_REGIONS already or no size yet. */
int                 impasto_region_masks_add            (ImpastoRegionMasks *self,
                                                         int                 painting);
/* Removes region @index; those after it move down one. */
void                impasto_region_masks_remove         (ImpastoRegionMasks *self,
                                                         int                 index);
/* Region @index's mask: height rows of width bytes. */
const guint8       *impasto_region_masks_get_mask       (ImpastoRegionMasks *self,
                                                         int                 index);
/* Whether any of region @index's pixels is in. */
gboolean            impasto_region_masks_covers         (ImpastoRegionMasks *self,
                                                         int                 index);
int                 impasto_region_masks_get_painting   (ImpastoRegionMasks *self,
                                                         int                 index);
/* A painting's index, or IMPASTO_REGION_KEEP_PHOTO. */
void                impasto_region_masks_set_painting   (ImpastoRegionMasks *self,
                                                         int                 index,
                                                         int                 painting);
double              impasto_region_masks_get_weight     (ImpastoRegionMasks *self,
                                                         int                 index);
/* > 0 and finite. */
void                impasto_region_masks_set_weight     (ImpastoRegionMasks *self,
                                                         int                 index,
                                                         double              weight);

/* The alpha of a dab of @radius and @softness (0 hard .. 1 fading from the centre) at @distance
 * from its centre: 1 inside radius × (1 - softness), 0 from the radius on, smooth between. */
double              impasto_region_masks_brush_alpha    (double radius,
                                                         double softness,
                                                         double distance);
/* A stroke on region @index: @radius in mask pixels (> 0), @softness 0 .. 1. */
void                impasto_region_masks_begin_stroke   (ImpastoRegionMasks *self,
                                                         int                 index,
                                                         ImpastoBrushMode    mode,
                                                         double              radius,
                                                         double              softness);
/* A dab at (@x, @y) in mask pixels (pixel centres at +0.5), with dabs between it and the last
 * one of the stroke. */
void                impasto_region_masks_add_dab        (ImpastoRegionMasks *self,
                                                         double              x,
                                                         double              y);
/* Ends the stroke: one step of undo if it changed anything, and `changed`. */
void                impasto_region_masks_end_stroke     (ImpastoRegionMasks *self);
gboolean            impasto_region_masks_in_stroke      (ImpastoRegionMasks *self);

gboolean            impasto_region_masks_can_undo       (ImpastoRegionMasks *self);
gboolean            impasto_region_masks_can_redo       (ImpastoRegionMasks *self);
void                impasto_region_masks_undo           (ImpastoRegionMasks *self);
void                impasto_region_masks_redo           (ImpastoRegionMasks *self);
/* What the history keeps, in bytes. */
gsize               impasto_region_masks_get_history_bytes (ImpastoRegionMasks *self);

/* The file region @index is saved as in a folder: "region-1.png" for 0. */
char               *impasto_region_masks_file_name      (int index);
/* Writes each region's mask into @folder (impasto_region_masks_file_name()); stops at the first
 * failure. Returns how many were written, or -1 on an error. */
int                 impasto_region_masks_save           (ImpastoRegionMasks  *self,
                                                         const char          *folder,
                                                         GError             **error);
/* The pictures at @paths (1 .. IMPASTO_MAX_REGIONS, in that order) become the regions, each
 * resized to the masks' size (its luminance times its alpha is the mask: impasto_mask_load());
 * region i keeps its painting and weight when it had one (new ones get painting 0, weight 1). Any
 * file that cannot be read as a picture is an error naming it, and then nothing changes. */
gboolean            impasto_region_masks_load           (ImpastoRegionMasks  *self,
                                                         const char * const  *paths,
                                                         int                  n_paths,
                                                         GError             **error);

G_END_DECLS
