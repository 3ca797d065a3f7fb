/* impasto-tv-loss.h
 *
 * The total-variation loss of an image with the write-up's normalisation:
 *
 *   E = 1/(C H W) * sum over pixels of (x[i+1,j]-x[i,j])^2 + (x[i,j+1]-x[i,j])^2
 *
 * The caller applies gamma through @scale: the gradient added is scale * dE.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Returns E for @image (C, H, W); if @dimage is not NULL, dimage += scale * dE. */
double impasto_tv_loss (float *dimage,
                        const float *image,
                        int channels,
                        int height,
                        int width,
                        double scale);
