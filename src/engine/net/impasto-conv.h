/* impasto-conv.h
 *
 * 3x3 convolution, pad 1, stride 1, as cross-correlation (MatConvNet's convention): its sizes and
 * its definition in plain loops, the naive reference beside the fast Winograd convolution
 * (impasto-winograd.h). Only the gradient with respect to the input is computed: the network's
 * weights are fixed. The banded im2col + sgemm version the engine used before Winograd is a
 * tests' reference now, in tools/impasto-conv-im2col.h.
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

void impasto_conv2d_forward_naive (float *out,
                                   const float *inp,
                                   const float *weight,
                                   const float *bias,
                                   const ImpastoConvDims *dims);

void impasto_conv2d_backward_naive (float *dinp,
                                    const float *dout,
                                    const float *weight,
                                    const ImpastoConvDims *dims);
