/* impasto-relu.h
 *
 * The rectified linear unit of VGG19, in place. The forward convolution applies it as it stores
 * (impasto_winograd_forward_relu()); the backward pass masks the gradient with it here.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

/* In place: x = max(x, 0). */
void impasto_relu_forward (float *x, size_t n);

/* In place: dx = (out > 0) ? dx : 0, where @out is the ReLU's output. */
void impasto_relu_backward (float *dx, const float *out, size_t n);
