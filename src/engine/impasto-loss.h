/* impasto-loss.h
 *
 * The method's losses with the write-up's normalisation, each returning its value and adding its
 * scaled gradient into a buffer:
 *
 *   content, per layer:  E = 1/(2MN) * sum (X - P)^2
 *   style,   per layer:  E = 1/(4 M^2 N^2) * sum (G - A)^2,  G = F F^T (N x N)
 *   total variation:     E = 1/(C H W) * sum over pixels of (x[i+1,j]-x[i,j])^2 + (x[i,j+1]-x[i,j])^2
 *
 * with M = H*W positions and N channels of the layer. Features are (N, M) = (C, H*W) row-major,
 * so the Gram matrix is F F^T. The caller applies layer weights, the division by the number of
 * layers and alpha/beta/gamma through @scale: the gradient added is scale * dE. Naive references
 * sit beside the BLAS versions for the tests.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

/* Returns E; if @dfeat is not NULL, dfeat (N, M) += scale * (X - P) / (M N). */
double impasto_content_loss (float *dfeat,
                             const float *feat,
                             const float *target,
                             size_t channels,
                             size_t positions,
                             double scale);

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

double impasto_style_loss_naive (float *dfeat,
                                 const float *feat,
                                 const float *target_gram,
                                 size_t channels,
                                 size_t positions,
                                 double scale);

/* Returns E for @image (C, H, W); if @dimage is not NULL, dimage += scale * dE. */
double impasto_tv_loss (float *dimage,
                        const float *image,
                        int channels,
                        int height,
                        int width,
                        double scale);
