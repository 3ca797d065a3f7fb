/* impasto-conv-im2col.h
 *
 * The banded im2col + sgemm 3x3 convolution: a reference for the tests and the baseline of
 * impasto-convbench, not part of the product (which convolves with Winograd, impasto-winograd.h).
 * Same conventions as impasto-conv.h: pad 1, stride 1, cross-correlation, only the gradient with
 * respect to the input.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#include "impasto-conv.h"

/* Floats of scratch the convolution wants for these dims (a band of im2col columns). */
size_t impasto_conv_im2col_scratch_floats (const ImpastoConvDims *dims);

/* out (Cout, H, W) = conv(inp (Cin, H, W), weight (Cout, Cin, 3, 3)) + bias (Cout). */
void impasto_conv_im2col_forward (float *out,
                                  const float *inp,
                                  const float *weight,
                                  const float *bias,
                                  const ImpastoConvDims *dims,
                                  float *scratch);

/* dinp (Cin, H, W) += d(conv)/d(inp)^T dout (Cout, H, W). */
void impasto_conv_im2col_backward (float *dinp,
                                   const float *dout,
                                   const float *weight,
                                   const ImpastoConvDims *dims,
                                   float *scratch);
