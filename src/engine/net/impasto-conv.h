/* impasto-conv.h
 *
 * 3x3 convolution, pad 1, stride 1, as cross-correlation (MatConvNet's convention), and ReLU.
 * The fast path lowers row bands of the image with im2col into a bounded scratch and multiplies
 * with sgemm; the naive versions beside it are the reference the tests compare against.
 * Only the gradient with respect to the input is computed: the network's weights are fixed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

typedef struct
{
  int in_channels;  /* Cin */
  int out_channels; /* Cout */
  int height;       /* H, same for input and output */
  int width;        /* W */
} ImpastoConvDims;

/* Floats of scratch the fast kernels want for these dims (a band of im2col columns). */
size_t impasto_conv2d_scratch_floats (const ImpastoConvDims *dims);

/* out (Cout, H, W) = conv(inp (Cin, H, W), weight (Cout, Cin, 3, 3)) + bias (Cout). */
void impasto_conv2d_forward (float *out,
                             const float *inp,
                             const float *weight,
                             const float *bias,
                             const ImpastoConvDims *dims,
                             float *scratch);

void impasto_conv2d_forward_naive (float *out,
                                   const float *inp,
                                   const float *weight,
                                   const float *bias,
                                   const ImpastoConvDims *dims);

/* dinp (Cin, H, W) += d(conv)/d(inp)^T dout (Cout, H, W). */
void impasto_conv2d_backward (float *dinp,
                              const float *dout,
                              const float *weight,
                              const ImpastoConvDims *dims,
                              float *scratch);

void impasto_conv2d_backward_naive (float *dinp,
                                    const float *dout,
                                    const float *weight,
                                    const ImpastoConvDims *dims);

/* In place: x = max(x, 0). */
void impasto_relu_forward (float *x, size_t n);

/* In place: dx = (out > 0) ? dx : 0, where @out is the ReLU's output. */
void impasto_relu_backward (float *dx, const float *out, size_t n);
