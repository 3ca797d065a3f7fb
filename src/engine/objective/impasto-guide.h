/* impasto-guide.h
 *
 * A region's mask carried down to one layer of VGG19 (Gatys et al. 2017, §4): the guide of conv
 * @index holds, for each of its neurons, how much the neuron belongs to the region. With
 * IMPASTO_GUIDE_INSIDE it is the smallest mask value over the neuron's receptive field (for a
 * 0/1 mask: 1 exactly when the field lies inside the region, the erosion of the paper's "inside"
 * guides); with IMPASTO_GUIDE_ALL the largest (1 when the field overlaps the region at all). The
 * field is clipped to the picture: padding belongs to no region. A guide is then normalised to
 * unit root mean square, so that a region's Gram matrix is of the size of a whole picture's.
 *
 * The guided Gram matrix is G = (F ∘ T)(F ∘ T)^T and its loss the usual one
 * (impasto-style-loss.h) on the guided features; its gradient with respect to F is the usual
 * gradient formula applied to F ∘ T² (impasto_guide_features() with power 2). Naive references
 * sit beside the fast versions.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-parallel.h"

typedef enum
{
  IMPASTO_GUIDE_INSIDE,  /* neurons whose receptive field lies inside the region */
  IMPASTO_GUIDE_ALL,     /* neurons whose receptive field overlaps the region */
} ImpastoGuideMode;

/* Floats of scratch impasto_guide_at_layer() needs for a @height x @width mask at conv @index. */
size_t impasto_guide_scratch_floats (int index, int height, int width);

/* @guide (h, w) of conv @index (impasto_vgg19_conv_size() of @height x @width) from @mask
 * (@height, @width), not normalised. Separable: a min (max) over each row's window, then over
 * each column's. */
void impasto_guide_at_layer (float *guide,
                             float *scratch,
                             const float *mask,
                             int height,
                             int width,
                             int index,
                             ImpastoGuideMode mode);

/* The same by looking at every pixel of every neuron's field. */
void impasto_guide_at_layer_naive (float *guide,
                                   const float *mask,
                                   int height,
                                   int width,
                                   int index,
                                   ImpastoGuideMode mode);

/* Scales @guide (@n values, >= 0) to unit root mean square. Returns false, leaving it all 0,
 * when it has no value above 1e-6 (the region has no neuron at that layer). */
bool impasto_guide_normalise (float *guide, size_t n);

/* out (C, M) = feat (C, M) ∘ guide (M)^@power, @power 1 or 2. */
void impasto_guide_features (float *out,
                             const float *feat,
                             const float *guide,
                             size_t channels,
                             size_t positions,
                             int power);

/* The positions where @guide (@m values) is not 0, into @positions (room for @m); returns how
 * many. A region's Gram matrix only needs its features there. */
size_t impasto_guide_positions (uint32_t *positions, const float *guide, size_t m);

/* out (C, n) = feat (C, M) ∘ guide^@power at the @n @positions only (@power 1 or 2), spread over
 * @pool's threads by channel (NULL: the caller alone). The Gram matrix of @out is that of
 * feat ∘ guide, as the other positions add nothing to it. */
void impasto_guide_gather (float *out,
                           const float *feat,
                           const float *guide,
                           const uint32_t *positions,
                           size_t n,
                           size_t channels,
                           size_t m,
                           int power,
                           ImpastoParallel *pool);

/* dfeat (C, M) += compact (C, n) at the @n @positions, by channel over @pool's threads. */
void impasto_guide_scatter_add (float *dfeat,
                                const float *compact,
                                const uint32_t *positions,
                                size_t n,
                                size_t channels,
                                size_t m,
                                ImpastoParallel *pool);

/* The guided style loss 1/(4 M^2 N^2) Σ (G - A)^2 with G = (F ∘ T)(F ∘ T)^T, straight from the
 * definition, and, into @dfeat if not NULL, += @scale × its gradient. */
double impasto_guided_style_loss_naive (float *dfeat,
                                        const float *feat,
                                        const float *guide,
                                        const float *target_gram,
                                        size_t channels,
                                        size_t positions,
                                        double scale);
