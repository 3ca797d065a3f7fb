/* impasto-gram-set.h
 *
 * Style targets: for each style layer of VGG19, the Gram matrix A = F F^T (N, N) of a painting's
 * features at that layer. A set is planned for the layers that are on (the others hold nothing)
 * and filled from a network that has run forward on a painting. Sets of the same layers combine
 * linearly: scaling and adding scaled sets is how several paintings are blended with weights, and
 * adding the Gram matrices of more features into a set is how pieces of one picture (tiles,
 * regions) are accumulated.
 *
 * It does not compute losses (impasto-style-loss.h) nor run the network beyond the one forward
 * pass impasto_gram_set_compute() asks for; it holds no reference to the network.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-status.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef struct
{
  int channels[IMPASTO_VGG19_N_CONVS];   /* N of each layer in the set; 0: not in the set */
  float *grams[IMPASTO_VGG19_N_CONVS];   /* (N, N) full symmetric, or NULL */
  float *block;                          /* one allocation for all of them */
} ImpastoGramSet;

/* Floats a set of @layers (a layer is in the set where layers[i] is true) holds. */
size_t impasto_gram_set_floats (const ImpastoWeights *weights, const bool *layers);

/* Allocates the matrices of @layers (IMPASTO_VGG19_N_CONVS flags), zeroed. */
ImpastoStatus impasto_gram_set_init (ImpastoGramSet *set,
                                     const ImpastoWeights *weights,
                                     const bool *layers);
void impasto_gram_set_clear (ImpastoGramSet *set);

bool impasto_gram_set_has_layer (const ImpastoGramSet *set, int index);

/* Runs @net forward on @image (3, H, W) (pixels minus the mean pixel, the size @net was planned
 * for) and sets each layer's matrix to the Gram matrix of the features there. @net must reach the
 * deepest layer of the set. Returns IMPASTO_STATUS_CANCELLED if @should_stop (may be NULL) said
 * so; the set is then incomplete. */
ImpastoStatus impasto_gram_set_compute (ImpastoGramSet *set,
                                        ImpastoVgg19 *net,
                                        const float *image,
                                        ImpastoShouldStop should_stop,
                                        void *should_stop_data);

/* Sets each layer's matrix to the Gram matrix of @net's current features (after a forward
 * pass); what impasto_gram_set_compute() does after its forward pass. */
void impasto_gram_set_from_features (ImpastoGramSet *set, const ImpastoVgg19 *net);

/* Adds @weight times the Gram matrices of @net's current features to the set's. */
void impasto_gram_set_add_features (ImpastoGramSet *set, const ImpastoVgg19 *net, double weight);

/* Every matrix *= @factor. */
void impasto_gram_set_scale (ImpastoGramSet *set, double factor);

/* set += @weight * @other; both hold the same layers of the same network. */
void impasto_gram_set_add_scaled (ImpastoGramSet *set, const ImpastoGramSet *other, double weight);
