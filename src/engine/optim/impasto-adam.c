/* impasto-adam.c
 *
 * Adam over the image's pixels, following TensorFlow 1's AdamOptimizer (the write-up's), with
 * epsilon added to sqrt(v) after folding the bias correction into the step size.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "impasto-adam.h"
#include "impasto-memory.h"

ImpastoStatus
impasto_adam_init (ImpastoAdam *adam, size_t n)
{
  memset (adam, 0, sizeof *adam);
  adam->beta1 = 0.9;
  adam->beta2 = 0.999;
  adam->epsilon = 1e-8;
  adam->n = n;
  adam->m = impasto_alloc_floats (n);
  adam->v = impasto_alloc_floats (n);
  if (adam->m == NULL || adam->v == NULL)
    {
      impasto_adam_clear (adam);
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  return IMPASTO_STATUS_OK;
}

void
impasto_adam_clear (ImpastoAdam *adam)
{
  impasto_free_buffer (adam->m);
  impasto_free_buffer (adam->v);
  adam->m = adam->v = NULL;
  adam->n = 0;
  adam->t = 0;
}

void
impasto_adam_step (ImpastoAdam *adam, float *x, const float *grad, double learning_rate)
{
  const float b1 = (float) adam->beta1;
  const float b2 = (float) adam->beta2;
  const float eps = (float) adam->epsilon;
  float lr_t;

  adam->t++;
  lr_t = (float) (learning_rate * sqrt (1.0 - pow (adam->beta2, (double) adam->t))
                  / (1.0 - pow (adam->beta1, (double) adam->t)));

  for (size_t i = 0; i < adam->n; i++)
    {
      float g = grad[i];
      float m = b1 * adam->m[i] + (1.0f - b1) * g;
      float v = b2 * adam->v[i] + (1.0f - b2) * g * g;

      adam->m[i] = m;
      adam->v[i] = v;
      x[i] -= lr_t * m / (sqrtf (v) + eps);
    }
}

void
impasto_adam_import (ImpastoAdam *adam, const float *m, const float *v, long t)
{
  /* The bias-corrected moments of a real run satisfy |m^| <= sqrt(v^) (Cauchy-Schwarz), so a
   * step moves no pixel by more than about the learning rate. Resampled moments need not: where
   * v dipped to 0 and m did not, m / (sqrt(v) + eps) would be enormous. So v is raised to at
   * least the smallest value consistent with m: m^2 (1 - beta2^t) / (1 - beta1^t)^2. */
  double floor_scale = t > 0 ? (1.0 - pow (adam->beta2, (double) t))
                               / ((1.0 - pow (adam->beta1, (double) t))
                                  * (1.0 - pow (adam->beta1, (double) t)))
                             : 0.0;

  for (size_t i = 0; i < adam->n; i++)
    {
      float mi = isfinite (m[i]) ? m[i] : 0.0f;
      float vi = isfinite (v[i]) && v[i] > 0.0f ? v[i] : 0.0f;
      float least = (float) (floor_scale * (double) mi * (double) mi);

      adam->m[i] = mi;
      adam->v[i] = vi > least ? vi : least;
    }
  adam->t = t > 0 ? t : 0;
}
