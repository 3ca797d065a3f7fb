/* impasto-adam.h
 *
 * Adam (Kingma & Ba), the write-up's optimiser, over a flat float vector: the picture's pixels
 * (3, H, W). Its state is the step count t and two moments m and v laid out like the picture:
 * plain buffers that a caller moving to another picture size can resample into the moments of a
 * new ImpastoAdam (impasto_adam_init() at the new size, then t copied over). This file does not
 * resample. A step never allocates.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#include "impasto-status.h"

typedef struct
{
  double beta1;   /* 0.9 */
  double beta2;   /* 0.999 */
  double epsilon; /* 1e-8 */
  long t;         /* steps taken */
  size_t n;       /* 3 * H * W */
  float *m;       /* (3, H, W) first moment, in the picture's layout */
  float *v;       /* (3, H, W) second moment, likewise */
} ImpastoAdam;

/* Allocates the moments. */
ImpastoStatus impasto_adam_init (ImpastoAdam *adam, size_t n);
void impasto_adam_clear (ImpastoAdam *adam);

/* TensorFlow 1's AdamOptimizer: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), then
 * x -= lr_t * m / (sqrt(v) + eps) (epsilon outside the bias correction). */
void impasto_adam_step (ImpastoAdam *adam, float *x, const float *grad, double learning_rate);

/* Takes over moments brought from another size (already resampled to adam->n values) and the
 * step count @t. Resampled moments can break what Adam's own satisfy: a second moment can dip
 * below zero near sharp edges, or to nothing where the first moment did not, and the next step
 * would then divide by almost nothing. So a value that is not finite becomes 0, and v is raised
 * to at least m^2 (1 - beta2^t) / (1 - beta1^t)^2 (so at least 0): the bias-corrected |m| is then
 * at most sqrt(v), as in a real run, and no pixel moves by more than the learning rate. */
void impasto_adam_import (ImpastoAdam *adam, const float *m, const float *v, long t);
