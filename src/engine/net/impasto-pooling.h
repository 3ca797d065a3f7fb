/* impasto-pooling.h
 *
 * 2x2 stride-2 pooling over (C, H, W) planes, max or average, output floor(H/2) x floor(W/2):
 * a last odd row or column is dropped and gets no gradient. Backward needs the forward's input
 * (to find the max again) and adds into its gradient buffer.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>

typedef enum
{
  IMPASTO_POOL_MAX,
  IMPASTO_POOL_AVG,
} ImpastoPoolMode;

/* out (C, H/2, W/2) = pool(inp (C, H, W)). */
void impasto_pooling_forward (float *out,
                           const float *inp,
                           int channels,
                           int height,
                           int width,
                           ImpastoPoolMode mode);

/* dinp (C, H, W) += pool^T dout (C, H/2, W/2). For max, ties go to the first element in
 * row-major order, the one the forward picked. */
void impasto_pooling_backward (float *dinp,
                            const float *dout,
                            const float *inp,
                            int channels,
                            int height,
                            int width,
                            ImpastoPoolMode mode);

/* dinp (C, H, W) = pool^T dout (C, H/2, W/2), written without reading dinp (0 where no window
 * sends a gradient: the other three of a max window, a dropped last row or column): the same
 * values as impasto_pooling_backward() into a zeroed buffer, without the zeroing pass, and
 * without branches on the data (the max's position is chosen by selects), for an @inp without
 * NaN (the network's are a ReLU's outputs, which never are: its forward maps NaN to 0); with a
 * NaN in a window the AVX-512 rows may route its gradient elsewhere. */
void impasto_pooling_backward_store (float *dinp,
                                     const float *dout,
                                     const float *inp,
                                     int channels,
                                     int height,
                                     int width,
                                     ImpastoPoolMode mode);

/* The same followed by the backward of the ReLU whose output @inp is: dinp = (pool^T dout) where
 * @inp > 0, else 0; the same values as impasto_pooling_backward_store() then
 * impasto_relu_backward() (@inp as the ReLU's output), in one pass. */
void impasto_pooling_backward_relu_store (float *dinp,
                                          const float *dout,
                                          const float *inp,
                                          int channels,
                                          int height,
                                          int width,
                                          ImpastoPoolMode mode);

/* Whether the backwards above may use AVX-512 where the CPU has it (the default); false runs
 * their portable loops on any CPU, for the tests that compare the two. */
void impasto_pooling_allow_avx512 (bool allow);
