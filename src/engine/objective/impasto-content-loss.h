/* impasto-content-loss.h
 *
 * The content loss of one layer with the write-up's normalisation:
 *
 *   E = 1/(2MN) * sum (X - P)^2
 *
 * with M = H*W positions and N channels of the layer; features are (N, M) = (C, H*W) row-major.
 * The caller applies layer weights, the division by the number of layers and alpha through
 * @scale: the gradient added is scale * dE. It keeps no targets (impasto-content-targets.h does).
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

/* The gradient part alone: dfeat (N, M) += scale * (X - P) / (M N). For the objective, which takes
 * the value during its forward pass and adds the gradient when the backward pass reaches the
 * layer. */
void impasto_content_loss_backward (float *dfeat,
                                    const float *feat,
                                    const float *target,
                                    size_t channels,
                                    size_t positions,
                                    double scale);
