/* impasto-region-overlay.h
 *
 * The painted regions drawn over the canvas, each in its own colour (impasto_region_color()) at
 * `opacity`, and painted with the pointer: a drag (mouse, touch or pen) is one stroke of the
 * brush (`mode`, `brush-size` as a diameter in mask pixels, `softness`) on region `region`.
 * The masks are drawn where the canvas view (impasto_region_overlay_set_view()) draws its
 * picture, zoomed and panned with it, while that view is shown; otherwise they are fitted into the
 * widget as a fitted picture is (contain, 12 px margins). Either way a stroke lands where the
 * picture is under it; a circle shows the brush under the pointer. Ctrl+scroll over the overlay
 * zooms the view, and a plain scroll moves a zoomed one.
 *
 * The masks and their strokes are an ImpastoRegionMasks; this widget only draws them and turns
 * drags into strokes. It does not choose regions or paintings (the window does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-canvas-view.h"
#include "impasto-region-masks.h"

G_BEGIN_DECLS

/* The margin the canvas keeps around its picture (impasto-window.ui). */
#define IMPASTO_REGION_OVERLAY_MARGIN IMPASTO_CANVAS_VIEW_MARGIN

/* Region @index's colour (opaque), the same in the overlay and the region list. */
void impasto_region_color (int      index,
                           GdkRGBA *color);

#define IMPASTO_TYPE_REGION_OVERLAY (impasto_region_overlay_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoRegionOverlay, impasto_region_overlay, IMPASTO, REGION_OVERLAY,
                      GtkWidget)

GtkWidget *impasto_region_overlay_new              (void);
void       impasto_region_overlay_set_masks        (ImpastoRegionOverlay *self,
                                                    ImpastoRegionMasks   *masks);
/* The canvas whose picture the masks are drawn over (NULL: none; not referenced). */
void       impasto_region_overlay_set_view         (ImpastoRegionOverlay *self,
                                                    ImpastoCanvasView    *view);
/* Where the masks are drawn in the widget, for its size now; FALSE when there are none. */
gboolean   impasto_region_overlay_get_picture_rect (ImpastoRegionOverlay *self,
                                                    graphene_rect_t      *rect);
/* One stroke through @n_points points in widget coordinates (what a drag does). */
void       impasto_region_overlay_stroke           (ImpastoRegionOverlay   *self,
                                                    const graphene_point_t *points,
                                                    int                     n_points);

G_END_DECLS
