/* impasto-content-loss.c
 *
 * The content loss of one layer, E = 1/(2MN) * sum (X - P)^2, and its gradient; see
 * impasto-content-loss.h. A plain loop is both the fast version and its own reference: the sum
 * runs in double, the gradient is one pass.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-content-loss.h"

double
impasto_content_loss (float *dfeat,
                      const float *feat,
                      const float *target,
                      size_t channels,
                      size_t positions,
                      double scale)
{
  const size_t n = channels * positions;
  const double mn = (double) channels * (double) positions;
  double sum = 0.0;

  for (size_t i = 0; i < n; i++)
    {
      float d = feat[i] - target[i];
      sum += (double) d * d;
    }
  if (dfeat != NULL)
    impasto_content_loss_backward (dfeat, feat, target, channels, positions, scale);
  return sum / (2.0 * mn);
}

void
impasto_content_loss_backward (float *dfeat,
                               const float *feat,
                               const float *target,
                               size_t channels,
                               size_t positions,
                               double scale)
{
  const size_t n = channels * positions;
  const float g = (float) (scale / ((double) channels * (double) positions));

  for (size_t i = 0; i < n; i++)
    dfeat[i] += g * (feat[i] - target[i]);
}
