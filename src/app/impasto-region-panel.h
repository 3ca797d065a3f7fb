/* impasto-region-panel.h
 *
 * The Regions mode's controls (impasto-region-panel.ui): the brush (`erase`, `brush-size` as a
 * diameter in mask pixels, `softness`), the overlay's `opacity`, and the list of an
 * ImpastoRegionMasks' regions, each row with its colour, the painting it gets (one of the
 * `n-paintings` paintings of the list, or the photo kept), its weight and a remove button; the
 * selected row is `region`, the one the brush paints. Add Region adds one (up to
 * IMPASTO_MAX_REGIONS, for the paintings in turn) and selects it. Undo, redo, loading and saving
 * are buttons for the window's win.regions-* actions.
 *
 * It changes the masks' regions, paintings and weights only; strokes come from the overlay.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-region-masks.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_REGION_PANEL (impasto_region_panel_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoRegionPanel, impasto_region_panel, IMPASTO, REGION_PANEL, GtkWidget)

GtkWidget *impasto_region_panel_new          (void);
void       impasto_region_panel_set_masks    (ImpastoRegionPanel *self,
                                              ImpastoRegionMasks *masks);
/* The selected region, -1 none. */
int        impasto_region_panel_get_region   (ImpastoRegionPanel *self);
void       impasto_region_panel_set_region   (ImpastoRegionPanel *self,
                                              int                 region);
/* Adds a region and selects it; FALSE when there can be no more. The regions take the paintings
 * in turn: the first the first painting, the second the second (or the first again when there is
 * only one), and so on. */
gboolean   impasto_region_panel_add_region   (ImpastoRegionPanel *self);

G_END_DECLS
