/* impasto-style-loss.c
 *
 * Gram matrices and the style loss of one layer, E = 1/(4 M^2 N^2) * sum (G - A)^2, and its
 * gradient; see impasto-style-loss.h. Gram matrices use ssyrk (half the multiply-adds of a GEMM);
 * the style gradient (G - A) F is one sgemm. Sums are accumulated in double. The naive references
 * sit beside the BLAS versions. The _threaded versions split the positions (columns of F) over the
 * engine's threads, each calling single-threaded OpenBLAS on its own slice; the style gradient of
 * a layer with too few positions to split and more channels than positions is split by its rows
 * instead.
 *
 * It does not hold target Gram matrices (impasto-gram-set.c does) nor weigh layers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <cblas.h>
#include <string.h>

#include "impasto-style-loss.h"

/* Slices start on 16-float (64-byte) boundaries. */
#define SLICE_ALIGN 16
/* The widest style-gradient product of one BLAS call: impasto_winograd_warm_blas() makes calls
 * of this width. */
#define BACKWARD_COLUMNS ((size_t) 4096)

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

/* The [begin, end) positions of slice @t of @n over @positions. */
static void
slice (size_t positions, int t, int n, size_t *begin, size_t *end)
{
  size_t step = (positions + (size_t) n - 1) / (size_t) n;

  step = (step + SLICE_ALIGN - 1) / SLICE_ALIGN * SLICE_ALIGN;
  *begin = (size_t) t * step < positions ? (size_t) t * step : positions;
  *end = *begin + step < positions ? *begin + step : positions;
}

static int
slices_for (size_t positions, ImpastoParallel *pool)
{
  int n = impasto_parallel_get_n_threads (pool);

  /* Below a few thousand positions a product is too short to be worth splitting. */
  while (n > 1 && positions / (size_t) n < 1024)
    n--;
  return n;
}

size_t
impasto_gram_threaded_scratch_floats (size_t channels, int n_threads)
{
  return (n_threads > 1 ? (size_t) (n_threads - 1) : 0) * channels * channels;
}

typedef struct
{
  float *gram;
  float *scratch;
  float *dfeat;
  const float *diff;
  const float *feat;
  size_t channels;
  size_t positions;
  int n;
  float scale;
} LossSlices;

static void
gram_slice (int t, int thread, void *data)
{
  const LossSlices *l = data;
  float *dst = t == 0 ? l->gram : l->scratch + (size_t) (t - 1) * l->channels * l->channels;
  size_t begin, end;

  slice (l->positions, t, l->n, &begin, &end);
  if (end == begin)
    {
      memset (dst, 0, l->channels * l->channels * sizeof (float));
      return;
    }
  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, (int) l->channels, (int) (end - begin),
               1.0f, l->feat + begin, (int) l->positions, 0.0f, dst, (int) l->channels);
}

void
impasto_gram_threaded (float *gram,
                       float *scratch,
                       const float *feat,
                       size_t channels,
                       size_t positions,
                       ImpastoParallel *pool)
{
  LossSlices l = { gram, scratch, NULL, NULL, feat, channels, positions,
                   slices_for (positions, pool), 0.0f };
  const size_t nn = channels * channels;

  impasto_parallel_for (pool, l.n, gram_slice, &l);
  for (int t = 1; t < l.n; t++)
    {
      const float *partial = scratch + (size_t) (t - 1) * nn;

      for (size_t i = 0; i < channels; i++)
        for (size_t j = i; j < channels; j++)
          gram[i * channels + j] += partial[i * channels + j];
    }
  for (size_t i = 0; i < channels; i++)
    for (size_t j = i + 1; j < channels; j++)
      gram[j * channels + i] = gram[i * channels + j];
}

double
impasto_style_loss_threaded (float *gram_diff,
                             float *scratch,
                             const float *feat,
                             const float *target_gram,
                             size_t channels,
                             size_t positions,
                             ImpastoParallel *pool)
{
  const size_t nn = channels * channels;
  const double m = (double) positions;
  const double n = (double) channels;
  double sum = 0.0;

  impasto_gram_threaded (gram_diff, scratch, feat, channels, positions, pool);
  for (size_t i = 0; i < nn; i++)
    {
      float d = gram_diff[i] - target_gram[i];
      gram_diff[i] = d;
      sum += (double) d * d;
    }
  return sum / (4.0 * m * m * n * n);
}

static void
style_backward_slice (int t, int thread, void *data)
{
  const LossSlices *l = data;
  size_t begin, end;

  slice (l->positions, t, l->n, &begin, &end);
  /* At most BACKWARD_COLUMNS positions a call: a wider one would pack into pages of OpenBLAS's
   * buffer that impasto_winograd_warm_blas() did not touch, page faults in the iteration loop.
   * OpenBLAS blocks the inner dimension (the channels) the same whatever the width. */
  for (size_t b = begin; b < end; b += BACKWARD_COLUMNS)
    {
      size_t e = end - b < BACKWARD_COLUMNS ? end : b + BACKWARD_COLUMNS;

      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                   (int) l->channels, (int) (e - b), (int) l->channels,
                   l->scale, l->diff, (int) l->channels,
                   l->feat + b, (int) l->positions,
                   1.0f, l->dfeat + b, (int) l->positions);
    }
}

/* Rows (channels) slice @t of the gradient, over all positions: for layers with too few
 * positions to split them (at 128x128, conv4_1 and conv5_1), so that the threads still share the
 * product. */
static void
style_backward_rows (int t, int thread, void *data)
{
  const LossSlices *l = data;
  size_t begin, end;

  slice (l->channels, t, l->n, &begin, &end);
  if (end > begin)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                 (int) (end - begin), (int) l->positions, (int) l->channels,
                 l->scale, l->diff + begin * l->channels, (int) l->channels,
                 l->feat, (int) l->positions,
                 1.0f, l->dfeat + begin * l->positions, (int) l->positions);
}

void
impasto_style_loss_backward_threaded (float *dfeat,
                                      const float *gram_diff,
                                      const float *feat,
                                      size_t channels,
                                      size_t positions,
                                      double scale,
                                      ImpastoParallel *pool)
{
  const double m = (double) positions;
  const double n = (double) channels;
  LossSlices l = { NULL, NULL, dfeat, gram_diff, feat, channels, positions,
                   slices_for (positions, pool), (float) (scale / (m * m * n * n)) };
  int threads = impasto_parallel_get_n_threads (pool);

  /* Measured at 2 threads: 512 channels x 256 positions 1.41 -> 0.80 ms, x 64 0.39 -> 0.29 ms;
   * 256 x 1024 1.42 -> 1.49 ms, so only where the rows outnumber the positions. */
  if (l.n < threads && channels >= (size_t) threads * 2 * SLICE_ALIGN && positions < channels)
    {
      l.n = threads;
      impasto_parallel_for (pool, l.n, style_backward_rows, &l);
    }
  else
    impasto_parallel_for (pool, l.n, style_backward_slice, &l);
}
