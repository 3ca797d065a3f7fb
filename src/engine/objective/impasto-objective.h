/* impasto-objective.h
 *
 * The objective of a painting: alpha times the content loss against the photograph's features,
 * plus beta times the style loss against the painting's Gram matrices, plus gamma times the total
 * variation, each layer's loss weighted and divided by the number of layers on. The objective
 * owns its targets (ImpastoContentTargets, and an ImpastoGramSet for the style) and evaluates the
 * loss and its gradient of a picture through a network it is given: forward, the losses, the
 * loss gradients seeded into the backward pass layer by layer, backward.
 *
 * It does not own the network, step the picture (the optimisers do) or decide when targets must
 * be recomputed (the session does). Targets are filled by the caller through
 * impasto_objective_get_content_targets() and impasto_objective_get_style_targets(), so that
 * other sources of targets (several paintings, regions, tiles) fill the same types.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-content-targets.h"
#include "impasto-gram-set.h"
#include "impasto-region-guides.h"
#include "impasto-status.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef struct _ImpastoObjective ImpastoObjective;

/* How much each term counts. A layer weight of 0 means "off". */
typedef struct
{
  double alpha;                                  /* content weight */
  double beta;                                   /* style weight */
  double tv;                                     /* total-variation weight gamma */
  float content_layers[IMPASTO_VGG19_N_CONVS];
  float style_layers[IMPASTO_VGG19_N_CONVS];
} ImpastoObjectiveWeights;

typedef struct
{
  double total;    /* alpha * content + beta * style + tv * tv_term */
  double content;  /* unweighted: sum over layers of w * E_l, divided by the number of layers */
  double style;    /* likewise */
  double tv_term;  /* unweighted TV */
} ImpastoLosses;

/* Bytes an objective with targets at these layers (IMPASTO_VGG19_N_CONVS flags each) holds. */
size_t impasto_objective_estimate_bytes (const ImpastoWeights *weights,
                                         int height,
                                         int width,
                                         const bool *content_layers,
                                         const bool *style_layers);

/* Plans the targets of @content_layers and @style_layers (left zero) for pictures of @net's
 * size, @height x @width. @net must outlive the objective and reach the deepest layer. */
ImpastoStatus impasto_objective_new (ImpastoObjective **out,
                                     const ImpastoWeights *weights,
                                     ImpastoVgg19 *net,
                                     int height,
                                     int width,
                                     const bool *content_layers,
                                     const bool *style_layers);
void impasto_objective_free (ImpastoObjective *objective);

ImpastoContentTargets *impasto_objective_get_content_targets (ImpastoObjective *objective);
ImpastoGramSet *impasto_objective_get_style_targets (ImpastoObjective *objective);

/* Painted regions (Gatys et al. 2017, §4). Without them the style loss of a layer is the Gram loss
 * of the whole picture against the style targets. With them it is Σ s_r E_r over the regions that
 * have a target and a guide at that layer (some neuron there; impasto-guide.h), E_r the Gram loss
 * of the features guided by region r's guide against r's target, the shares s_r in proportion to
 * w_r times the mass of r's guide there (its mean square before normalisation), so that a pixel's
 * style is as strong as in the whole picture's loss whatever its region's size; the default
 * region's target is the objective's own style targets, with weight 1. A region without a target
 * (keep the photo) adds no style where it is. Where no region has a neuron at a layer, the default
 * region's guides made with IMPASTO_GUIDE_ALL stand in. */

/* Bytes impasto_objective_enable_regions() allocates for a @height x @width picture. */
size_t impasto_objective_regions_estimate_bytes (const ImpastoWeights *weights,
                                                 int height,
                                                 int width,
                                                 const bool *style_layers);

/* Plans the regions' guides and scratch (once; later calls do nothing). The regions start empty:
 * the loss is unchanged until a region gets a mask. */
ImpastoStatus impasto_objective_enable_regions (ImpastoObjective *objective, ImpastoGuideMode mode);

/* The regions' guides, to set masks through; NULL before impasto_objective_enable_regions(). */
ImpastoRegionGuides *impasto_objective_get_region_guides (ImpastoObjective *objective);

/* Region @slot (0 .. IMPASTO_MAX_REGIONS - 1) compares its guided Gram matrices with @target (a
 * set of the objective's style layers that must outlive its use; NULL: keep the photo), weighted
 * by @weight (> 0). */
void impasto_objective_set_region_target (ImpastoObjective *objective,
                                          int slot,
                                          const ImpastoGramSet *target,
                                          double weight);

/* Whether the objective has targets at every layer @weights switches on. */
bool impasto_objective_has_targets (const ImpastoObjective *objective,
                                    const ImpastoObjectiveWeights *weights);

/* The losses of @x (3, H, W) (pixels minus the mean pixel) and, into @grad (3, H, W), their
 * gradient (overwritten). Layers @weights switches on that have no target count as off.
 * Returns IMPASTO_STATUS_NUMERIC if @x, the loss or the gradient is not finite, and
 * IMPASTO_STATUS_CANCELLED if @should_stop (may be NULL) said so. Never allocates. */
ImpastoStatus impasto_objective_evaluate (ImpastoObjective *objective,
                                          const ImpastoObjectiveWeights *weights,
                                          const float *x,
                                          float *grad,
                                          ImpastoLosses *losses,
                                          ImpastoShouldStop should_stop,
                                          void *should_stop_data);
