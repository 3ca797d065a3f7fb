/* impasto-style-loss.h
 *
 * Gram matrices and the style loss of one layer with the write-up's normalisation:
 *
 *   E = 1/(4 M^2 N^2) * sum (G - A)^2,  G = F F^T (N x N)
 *
 * with M = H*W positions and N channels of the layer. Features are (N, M) = (C, H*W) row-major,
 * so the Gram matrix is F F^T. The caller applies layer weights, the division by the number of
 * layers and beta through @scale: the gradient added is scale * dE. Naive references sit beside
 * the BLAS versions for the tests. The target Gram matrices A live in an ImpastoGramSet
 * (impasto-gram-set.h), not here.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#include "impasto-parallel.h"

/* gram (N, N), full symmetric = feat (N, M) feat^T. */
void impasto_gram (float *gram, const float *feat, size_t channels, size_t positions);
void impasto_gram_naive (float *gram, const float *feat, size_t channels, size_t positions);

/* Returns E; @gram_scratch holds N*N floats and is left holding G - A. If @dfeat is not NULL,
 * dfeat (N, M) += scale * (G - A) F / (M^2 N^2). */
double impasto_style_loss (float *dfeat,
                           float *gram_scratch,
                           const float *feat,
                           const float *target_gram,
                           size_t channels,
                           size_t positions,
                           double scale);

/* The gradient part alone, later: dfeat (N, M) += scale * gram_diff F / (M^2 N^2), with
 * @gram_diff (N, N) = G - A as impasto_style_loss() left it in its scratch. */
void impasto_style_loss_backward (float *dfeat,
                                  const float *gram_diff,
                                  const float *feat,
                                  size_t channels,
                                  size_t positions,
                                  double scale);

/* The same products spread over @pool's threads (NULL: the caller alone), for the session's
 * iterations, where the Gram matrices and the style gradients are about a fifth of the work.
 * impasto_gram_threaded() splits the positions, each thread computing a partial Gram matrix
 * (thread 0 into @gram, the others into @scratch), then adds them up; @scratch holds
 * impasto_gram_threaded_scratch_floats() floats. impasto_style_loss_threaded() returns E and
 * leaves G - A in @gram_diff, computing no gradient; impasto_style_loss_backward_threaded() adds
 * the gradient later, splitting the positions. Equal to the single-threaded versions up to the
 * order of float additions. */
size_t impasto_gram_threaded_scratch_floats (size_t channels, int n_threads);
void impasto_gram_threaded (float *gram,
                            float *scratch,
                            const float *feat,
                            size_t channels,
                            size_t positions,
                            ImpastoParallel *pool);
double impasto_style_loss_threaded (float *gram_diff,
                                    float *scratch,
                                    const float *feat,
                                    const float *target_gram,
                                    size_t channels,
                                    size_t positions,
                                    ImpastoParallel *pool);
void impasto_style_loss_backward_threaded (float *dfeat,
                                           const float *gram_diff,
                                           const float *feat,
                                           size_t channels,
                                           size_t positions,
                                           double scale,
                                           ImpastoParallel *pool);

double impasto_style_loss_naive (float *dfeat,
                                 const float *feat,
                                 const float *target_gram,
                                 size_t channels,
                                 size_t positions,
                                 double scale);
