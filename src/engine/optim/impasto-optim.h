/* impasto-optim.h
 *
 * The two optimisers over a flat float vector (the image's pixels): Adam (Kingma & Ba), the
 * write-up's choice, and L-BFGS with a backtracking line search, the paper's. Both work in
 * buffers planned by the caller or allocated once at creation; a step never allocates.
 * Reductions run in double so that a 3-megapixel image does not lose the small terms.
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
  size_t n;
  float *m;       /* (n) first moment */
  float *v;       /* (n) second moment */
} ImpastoAdam;

/* Allocates the moments. */
ImpastoStatus impasto_adam_init (ImpastoAdam *adam, size_t n);
void impasto_adam_clear (ImpastoAdam *adam);

/* TensorFlow 1's AdamOptimizer: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), then
 * x -= lr_t * m / (sqrt(v) + eps) (epsilon outside the bias correction). */
void impasto_adam_step (ImpastoAdam *adam, float *x, const float *grad, double learning_rate);

/* Evaluates the loss at @x and writes its gradient to @grad. */
typedef ImpastoStatus (*ImpastoEvalFunc) (void *data, const float *x, float *grad, double *loss);

typedef struct _ImpastoLbfgs ImpastoLbfgs;

/* @history pairs are kept (10 is usual). */
ImpastoStatus impasto_lbfgs_new (ImpastoLbfgs **out, size_t n, int history);
void impasto_lbfgs_free (ImpastoLbfgs *lbfgs);

/* Forgets the curvature pairs, e.g. after the loss function changed. */
void impasto_lbfgs_reset (ImpastoLbfgs *lbfgs);

/* One iteration from @x, whose loss @loss and gradient @grad the caller has already evaluated.
 * On return x, loss and grad describe the accepted point, whose loss is never higher than the
 * one it started from. @learning_rate scales the first trial step (1.0 is the usual choice).
 * Returns IMPASTO_STATUS_OK, an @eval error (the point is then the last accepted one), or
 * IMPASTO_STATUS_NUMERIC if no step along any direction lowered the loss (a minimum, for float). */
ImpastoStatus impasto_lbfgs_step (ImpastoLbfgs *lbfgs,
                                  float *x,
                                  double *loss,
                                  float *grad,
                                  double learning_rate,
                                  ImpastoEvalFunc eval,
                                  void *data);
