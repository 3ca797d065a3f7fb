/* impasto-relu.c
 *
 * The ReLU forward and backward, in place; see impasto-relu.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-relu.h"

void
impasto_relu_forward (float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
impasto_relu_backward (float *dx, const float *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dx[i] = out[i] > 0.0f ? dx[i] : 0.0f;
}
