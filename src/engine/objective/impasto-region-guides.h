/* impasto-region-guides.h
 *
 * The guides of a picture's regions at every style layer: up to IMPASTO_MAX_REGIONS regions, each
 * a mask at the picture's size, plus the default region (IMPASTO_REGION_DEFAULT), which is what
 * the regions leave: 1 - the largest mask value at each pixel. A region's guides are recomputed
 * when its mask is set, and the default region's with them; the others' are left alone.
 *
 * It knows nothing of paintings or losses: the objective pairs each region's guides with its
 * target (impasto-objective.h). All memory is planned at creation; setting a mask allocates
 * nothing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-guide.h"
#include "impasto-status.h"
#include "impasto-weights.h"

/* Regions a picture has at most, besides the default one. */
#define IMPASTO_MAX_REGIONS 8
/* The default region's slot. */
#define IMPASTO_REGION_DEFAULT IMPASTO_MAX_REGIONS
/* The default region's guides made with IMPASTO_GUIDE_ALL whatever the mode: where no region
 * has a neuron at a layer (a small region in a picture at a coarse size, "inside" guides), the
 * objective falls back on these. */
#define IMPASTO_REGION_DEFAULT_ALL (IMPASTO_MAX_REGIONS + 1)

typedef struct _ImpastoRegionGuides ImpastoRegionGuides;

/* Bytes guides for @style_layers (IMPASTO_VGG19_N_CONVS flags) of a @height x @width picture
 * take. */
size_t impasto_region_guides_estimate_bytes (const ImpastoWeights *weights,
                                             int height,
                                             int width,
                                             const bool *style_layers);

/* No region at first: the default region is the whole picture. */
ImpastoStatus impasto_region_guides_new (ImpastoRegionGuides **out,
                                         const ImpastoWeights *weights,
                                         int height,
                                         int width,
                                         const bool *style_layers,
                                         ImpastoGuideMode mode);
void impasto_region_guides_free (ImpastoRegionGuides *guides);

/* Region @slot (0 .. IMPASTO_MAX_REGIONS - 1) gets @mask ((H, W), 0..1, copied; values outside
 * are clamped), or none (NULL). Recomputes its guides and the default region's. */
void impasto_region_guides_set_mask (ImpastoRegionGuides *guides, int slot, const float *mask);

/* Region @slot's mask (H, W) (0 .. IMPASTO_REGION_DEFAULT_ALL), or NULL when it has none. */
const float *impasto_region_guides_get_mask (const ImpastoRegionGuides *guides, int slot);

/* Whether region @slot covers any pixel (its mask has a value above 1e-6). */
bool impasto_region_guides_covers (const ImpastoRegionGuides *guides, int slot);

/* The guide of region @slot at style layer @index, (h, w) at unit root mean square, or NULL when
 * the region has no neuron there (or the layer is not a style layer). */
const float *impasto_region_guides_get (const ImpastoRegionGuides *guides, int slot, int index);

/* The positions where region @slot's guide at style layer @index is not 0 (ascending), their
 * count in @n; NULL and 0 where the guide is NULL. */
const uint32_t *impasto_region_guides_get_positions (const ImpastoRegionGuides *guides,
                                                     int slot,
                                                     int index,
                                                     size_t *n);

/* The mean square of region @slot's guide at style layer @index before it was normalised (0
 * where it is absent): how much of the layer the region holds, its share's weight. */
double impasto_region_guides_get_mass (const ImpastoRegionGuides *guides, int slot, int index);

/* How many times region @slot's guides have been computed. */
int impasto_region_guides_get_passes (const ImpastoRegionGuides *guides, int slot);
