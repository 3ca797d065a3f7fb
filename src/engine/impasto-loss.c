/* impasto-loss.c
 *
 * Content, style (Gram) and total-variation losses with the write-up's normalisation; see
 * impasto-loss.h for the formulas. Gram matrices use ssyrk (half the multiply-adds of a GEMM);
 * the style gradient (G - A) F is one sgemm. Sums are accumulated in double.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <cblas.h>

#include "impasto-loss.h"

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
  const float g = (float) (scale / mn);
  double sum = 0.0;

  for (size_t i = 0; i < n; i++)
    {
      float d = feat[i] - target[i];
      sum += (double) d * d;
      if (dfeat != NULL)
        dfeat[i] += g * d;
    }
  return sum / (2.0 * mn);
}

void
impasto_gram (float *gram, const float *feat, size_t channels, size_t positions)
{
  const size_t n = channels;

  /* Upper triangle of G = F F^T, then mirrored so callers see a full matrix. */
  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, (int) n, (int) positions,
               1.0f, feat, (int) positions, 0.0f, gram, (int) n);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      gram[j * n + i] = gram[i * n + j];
}

void
impasto_gram_naive (float *gram, const float *feat, size_t channels, size_t positions)
{
  for (size_t i = 0; i < channels; i++)
    for (size_t j = 0; j < channels; j++)
      {
        double sum = 0.0;
        for (size_t p = 0; p < positions; p++)
          sum += (double) feat[i * positions + p] * feat[j * positions + p];
        gram[i * channels + j] = (float) sum;
      }
}

double
impasto_style_loss (float *dfeat,
                    float *gram_scratch,
                    const float *feat,
                    const float *target_gram,
                    size_t channels,
                    size_t positions,
                    double scale)
{
  const size_t nn = channels * channels;
  const double m = (double) positions;
  const double n = (double) channels;
  double sum = 0.0;

  impasto_gram (gram_scratch, feat, channels, positions);
  for (size_t i = 0; i < nn; i++)
    {
      float d = gram_scratch[i] - target_gram[i];
      gram_scratch[i] = d;
      sum += (double) d * d;
    }

  if (dfeat != NULL)
    impasto_style_loss_backward (dfeat, gram_scratch, feat, channels, positions, scale);

  return sum / (4.0 * m * m * n * n);
}

void
impasto_style_loss_backward (float *dfeat,
                             const float *gram_diff,
                             const float *feat,
                             size_t channels,
                             size_t positions,
                             double scale)
{
  const double m = (double) positions;
  const double n = (double) channels;

  /* dE/dF = 4 (G - A) F / (4 M^2 N^2), G - A symmetric. */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               (int) channels, (int) positions, (int) channels,
               (float) (scale / (m * m * n * n)), gram_diff, (int) channels,
               feat, (int) positions,
               1.0f, dfeat, (int) positions);
}

double
impasto_style_loss_naive (float *dfeat,
                          const float *feat,
                          const float *target_gram,
                          size_t channels,
                          size_t positions,
                          double scale)
{
  const double m = (double) positions;
  const double n = (double) channels;
  double sum = 0.0;

  for (size_t i = 0; i < channels; i++)
    for (size_t j = 0; j < channels; j++)
      {
        double g = 0.0, d;
        for (size_t p = 0; p < positions; p++)
          g += (double) feat[i * positions + p] * feat[j * positions + p];
        d = g - target_gram[i * channels + j];
        sum += d * d;
        if (dfeat != NULL)
          for (size_t p = 0; p < positions; p++)
            dfeat[i * positions + p] += (float) (scale * d * feat[j * positions + p] / (m * m * n * n));
      }
  return sum / (4.0 * m * m * n * n);
}

double
impasto_tv_loss (float *dimage,
                 const float *image,
                 int channels,
                 int height,
                 int width,
                 double scale)
{
  const double count = (double) channels * height * width;
  const float g = (float) (2.0 * scale / count);
  double sum = 0.0;

  for (int c = 0; c < channels; c++)
    {
      const float *x = image + (size_t) c * height * width;
      float *dx = dimage != NULL ? dimage + (size_t) c * height * width : NULL;

      for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
          {
            size_t p = (size_t) i * width + j;

            if (i + 1 < height)
              {
                float d = x[p + width] - x[p];
                sum += (double) d * d;
                if (dx != NULL)
                  {
                    dx[p + width] += g * d;
                    dx[p] -= g * d;
                  }
              }
            if (j + 1 < width)
              {
                float d = x[p + 1] - x[p];
                sum += (double) d * d;
                if (dx != NULL)
                  {
                    dx[p + 1] += g * d;
                    dx[p] -= g * d;
                  }
              }
          }
    }
  return sum / count;
}
