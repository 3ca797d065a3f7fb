/* impasto-tiled-objective.h
 *
 * The objective of a picture evaluated tile by tile (impasto-tile-grid.h), in the memory of one
 * tile's network: the same losses and gradient as ImpastoObjective's on the whole picture, up to
 * the order of float additions. A style layer's Gram matrix is a sum over positions, so a first
 * pass runs each tile forward and adds the Gram matrices of the neurons it owns (and their content
 * loss); a second pass runs each tile forward again and backward, seeding each loss layer's
 * gradient at the owned neurons from the whole picture's Gram matrices, and adds the gradient of
 * the tile's whole window into the picture's. Every neuron is owned by one tile and sees its whole
 * receptive field in that tile's window, so the sum is exact. Each iteration costs two forward
 * passes and one backward pass over the windows, which overlap by twice the halo.
 *
 * The targets are the whole picture's: content features at the picture's size (filled by
 * impasto_tiled_objective_compute_content()) and a Gram set (filled by the caller, e.g. by
 * impasto_tiled_gram_set_compute() on a painting of the picture's size). It does not step the
 * picture, nor decide when to tile (the caller plans the grid), nor paint regions.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-content-targets.h"
#include "impasto-gram-set.h"
#include "impasto-objective.h"
#include "impasto-tile-grid.h"
#include "impasto-vgg19.h"

typedef struct _ImpastoTiledObjective ImpastoTiledObjective;

/* Bytes an objective over @grid allocates (its network of one window with @filters' transformed
 * filters not counted, the targets, the tile buffers). */
size_t impasto_tiled_objective_estimate_bytes (const ImpastoWeights *weights,
                                               const ImpastoTileGrid *grid,
                                               int deepest,
                                               const bool *content_layers,
                                               const bool *style_layers);

/* A network of @grid's window size reading @filters (which must reach @deepest, the deepest layer
 * of the losses, and outlive the objective), and targets left zero. */
ImpastoStatus impasto_tiled_objective_new (ImpastoTiledObjective **out,
                                           const ImpastoWeights *weights,
                                           const ImpastoVgg19Filters *filters,
                                           const ImpastoTileGrid *grid,
                                           int deepest,
                                           ImpastoPoolMode pool,
                                           const bool *content_layers,
                                           const bool *style_layers,
                                           ImpastoEngineError *error);
void impasto_tiled_objective_free (ImpastoTiledObjective *objective);

ImpastoContentTargets *
impasto_tiled_objective_get_content_targets (ImpastoTiledObjective *objective);
ImpastoGramSet *impasto_tiled_objective_get_style_targets (ImpastoTiledObjective *objective);

/* The content targets from @image (3, H, W) at the picture's size (pixels minus the mean pixel):
 * each tile's owned features. */
ImpastoStatus impasto_tiled_objective_compute_content (ImpastoTiledObjective *objective,
                                                       const float *image,
                                                       ImpastoShouldStop should_stop,
                                                       void *should_stop_data);

/* @set (planned for the objective's style layers) = the Gram matrices of @image (3, H, W) at the
 * picture's size, accumulated tile by tile. */
ImpastoStatus impasto_tiled_gram_set_compute (ImpastoTiledObjective *objective,
                                              ImpastoGramSet *set,
                                              const float *image,
                                              ImpastoShouldStop should_stop,
                                              void *should_stop_data);

/* As impasto_objective_evaluate(): the losses of @x (3, H, W) and their gradient into @grad
 * (overwritten). Never allocates. */
ImpastoStatus impasto_tiled_objective_evaluate (ImpastoTiledObjective *objective,
                                                const ImpastoObjectiveWeights *weights,
                                                const float *x,
                                                float *grad,
                                                ImpastoLosses *losses,
                                                ImpastoShouldStop should_stop,
                                                void *should_stop_data);
