/* impasto-canvas-view.h
 *
 * The canvas: the painting (`paintable`, replaced about ten times a second while a run paints)
 * drawn fitted into the widget or zoomed and panned, and compared with the photo (`photo`, drawn
 * into the same place whatever its own size). The zoom and pan are the widget's own state, kept
 * while the paintable is replaced: a new frame of the same size changes nothing, one of another
 * size keeps the zoom it is seen at. `fit` fits the picture into the widget (with a margin) and
 * follows the widget's size; any other zoom is `zoom` widget pixels per picture pixel, from the
 * fitted size (or 100 % if smaller) up to IMPASTO_CANVAS_VIEW_MAX_ZOOM.
 *
 * Gestures, as in GNOME Image Viewer: Ctrl+scroll and pinch zoom about the pointer, dragging pans
 * a zoomed picture; when focused, the arrow keys pan, and holding Space or backslash shows the
 * photo. `split` shows the photo left of a vertical line and the painting right of it; the line
 * (`split-position`, a fraction of the widget's width) is dragged, or moved with Shift+arrows.
 * `show-photo` shows the photo in place of the painting (what holding a key or a button does).
 *
 * It does not know about runs, actions or shortcuts; the window binds those to it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The margin kept around a fitted picture. */
#define IMPASTO_CANVAS_VIEW_MARGIN 12
#define IMPASTO_CANVAS_VIEW_MAX_ZOOM 32.0
/* One step of zooming in or out (keys, buttons, a wheel's notch). */
#define IMPASTO_CANVAS_VIEW_ZOOM_STEP 1.25

#define IMPASTO_TYPE_CANVAS_VIEW (impasto_canvas_view_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoCanvasView, impasto_canvas_view, IMPASTO, CANVAS_VIEW, GtkWidget)

GtkWidget    *impasto_canvas_view_new                (void);
void          impasto_canvas_view_set_paintable      (ImpastoCanvasView *self,
                                                      GdkPaintable      *paintable);
GdkPaintable *impasto_canvas_view_get_paintable      (ImpastoCanvasView *self);
void          impasto_canvas_view_set_photo          (ImpastoCanvasView *self,
                                                      GdkPaintable      *photo);
/* Widget pixels per picture pixel now (fitted or not); 0 without a picture or a size. */
double        impasto_canvas_view_get_zoom           (ImpastoCanvasView *self);
/* Zooms to @zoom about the widget's centre (clamped; at or below the fitted size: fit). */
void          impasto_canvas_view_set_zoom           (ImpastoCanvasView *self,
                                                      double             zoom);
/* Zooms by @factor keeping the picture point under (@x, @y) (widget coordinates) in place. */
void          impasto_canvas_view_zoom_at            (ImpastoCanvasView *self,
                                                      double             factor,
                                                      double             x,
                                                      double             y);
gboolean      impasto_canvas_view_get_fit            (ImpastoCanvasView *self);
void          impasto_canvas_view_set_fit            (ImpastoCanvasView *self,
                                                      gboolean           fit);
/* Moves a zoomed picture by (@dx, @dy) widget pixels (clamped to its edges). */
void          impasto_canvas_view_pan                (ImpastoCanvasView *self,
                                                      double             dx,
                                                      double             dy);
/* Where the picture is drawn, in widget coordinates (beyond the widget when zoomed); FALSE
 * without a picture or a size. */
gboolean      impasto_canvas_view_get_picture_rect   (ImpastoCanvasView *self,
                                                      graphene_rect_t   *rect);
gboolean      impasto_canvas_view_get_split          (ImpastoCanvasView *self);
void          impasto_canvas_view_set_split          (ImpastoCanvasView *self,
                                                      gboolean           split);
double        impasto_canvas_view_get_split_position (ImpastoCanvasView *self);
void          impasto_canvas_view_set_split_position (ImpastoCanvasView *self,
                                                      double             position);
gboolean      impasto_canvas_view_get_show_photo     (ImpastoCanvasView *self);
void          impasto_canvas_view_set_show_photo     (ImpastoCanvasView *self,
                                                      gboolean           show_photo);

G_END_DECLS
