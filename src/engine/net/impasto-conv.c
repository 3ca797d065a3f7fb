/* impasto-conv.c
 *
 * 3x3 convolution (pad 1, stride 1, cross-correlation) forward and backward-to-input, and ReLU.
 *
 * Fast path: the image is processed in bands of rows. For each band, im2col writes the
 * (Cin * 9, rows * W) column matrix into a scratch buffer bounded by SCRATCH_BUDGET_FLOATS, so it
 * stays in cache and the whole-image im2col (576 MiB at conv1_2 for a 512x512 input) is never
 * needed; one sgemm then produces the band's (Cout, rows * W) outputs in place. Backward runs the
 * same bands with the transposed filter matrix and scatters the columns back (col2im).
 *
 * The naive versions are the definition the tests hold the fast path to. Weight gradients are not
 * computed: VGG19's weights are fixed here.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <cblas.h>

#include "impasto-conv.h"
#include "impasto-status.h"

/* 2 Mi floats = 8 MiB of columns per band: large enough for an efficient GEMM (N >= a few
 * thousand), small enough to stay mostly in the last-level cache. */
#define SCRATCH_BUDGET_FLOATS ((size_t) 2 << 20)

static int
band_rows (const ImpastoConvDims *dims)
{
  size_t per_row = (size_t) dims->in_channels * 9 * (size_t) dims->width;
  size_t rows = SCRATCH_BUDGET_FLOATS / (per_row ? per_row : 1);

  if (rows < 1)
    rows = 1;
  if (rows > (size_t) dims->height)
    rows = (size_t) dims->height;
  return (int) rows;
}

size_t
impasto_conv2d_scratch_floats (const ImpastoConvDims *dims)
{
  return (size_t) dims->in_channels * 9 * (size_t) band_rows (dims) * (size_t) dims->width;
}

/* col (Cin * 9, (r1 - r0) * W) from inp (Cin, H, W), rows r0 .. r1 - 1 of the output. */
static void
im2col_band (float *col, const float *inp, const ImpastoConvDims *dims, int r0, int r1)
{
  const int h = dims->height;
  const int w = dims->width;
  const size_t plane = (size_t) h * w;
  const size_t band = (size_t) (r1 - r0) * w;

  for (int ci = 0; ci < dims->in_channels; ci++)
    for (int ky = 0; ky < 3; ky++)
      for (int kx = 0; kx < 3; kx++)
        {
          float *dst = col + ((size_t) ci * 9 + ky * 3 + kx) * band;

          for (int r = r0; r < r1; r++, dst += w)
            {
              int sr = r + ky - 1;
              const float *src;

              if (sr < 0 || sr >= h)
                {
                  memset (dst, 0, (size_t) w * sizeof (float));
                  continue;
                }
              src = inp + (size_t) ci * plane + (size_t) sr * w;
              /* dst[x] = src[x + kx - 1], zero outside the row. */
              if (kx == 0)
                {
                  dst[0] = 0.0f;
                  memcpy (dst + 1, src, (size_t) (w - 1) * sizeof (float));
                }
              else if (kx == 1)
                memcpy (dst, src, (size_t) w * sizeof (float));
              else
                {
                  memcpy (dst, src + 1, (size_t) (w - 1) * sizeof (float));
                  dst[w - 1] = 0.0f;
                }
            }
        }
}

/* dinp (Cin, H, W) += the scatter of col (Cin * 9, (r1 - r0) * W). */
static void
col2im_band (float *dinp, const float *col, const ImpastoConvDims *dims, int r0, int r1)
{
  const int h = dims->height;
  const int w = dims->width;
  const size_t plane = (size_t) h * w;
  const size_t band = (size_t) (r1 - r0) * w;

  for (int ci = 0; ci < dims->in_channels; ci++)
    for (int ky = 0; ky < 3; ky++)
      for (int kx = 0; kx < 3; kx++)
        {
          const float *src = col + ((size_t) ci * 9 + ky * 3 + kx) * band;

          for (int r = r0; r < r1; r++, src += w)
            {
              int dr = r + ky - 1;
              float *dst;

              if (dr < 0 || dr >= h)
                continue;
              dst = dinp + (size_t) ci * plane + (size_t) dr * w;
              /* dst[x + kx - 1] += src[x] for x where that index is inside the row. */
              if (kx == 0)
                for (int x = 1; x < w; x++)
                  dst[x - 1] += src[x];
              else if (kx == 1)
                for (int x = 0; x < w; x++)
                  dst[x] += src[x];
              else
                for (int x = 0; x < w - 1; x++)
                  dst[x + 1] += src[x];
            }
        }
}

void
impasto_conv2d_forward (float *out,
                        const float *inp,
                        const float *weight,
                        const float *bias,
                        const ImpastoConvDims *dims,
                        float *scratch)
{
  const int rows = band_rows (dims);
  const int k = dims->in_channels * 9;
  const size_t plane = (size_t) dims->height * dims->width;

  IMPASTO_CHECK (dims->height > 0 && dims->width > 0);
  IMPASTO_CHECK (dims->in_channels > 0 && dims->out_channels > 0);

  for (int co = 0; co < dims->out_channels; co++)
    {
      float *o = out + (size_t) co * plane;
      for (size_t p = 0; p < plane; p++)
        o[p] = bias[co];
    }

  for (int r0 = 0; r0 < dims->height; r0 += rows)
    {
      int r1 = r0 + rows < dims->height ? r0 + rows : dims->height;
      int n = (r1 - r0) * dims->width;

      im2col_band (scratch, inp, dims, r0, r1);
      /* out[:, band] (Cout, n) += weight (Cout, K) x col (K, n) */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                   dims->out_channels, n, k,
                   1.0f, weight, k,
                   scratch, n,
                   1.0f, out + (size_t) r0 * dims->width, (int) plane);
    }
}

void
impasto_conv2d_backward (float *dinp,
                         const float *dout,
                         const float *weight,
                         const ImpastoConvDims *dims,
                         float *scratch)
{
  const int rows = band_rows (dims);
  const int k = dims->in_channels * 9;
  const size_t plane = (size_t) dims->height * dims->width;

  IMPASTO_CHECK (dims->height > 0 && dims->width > 0);

  for (int r0 = 0; r0 < dims->height; r0 += rows)
    {
      int r1 = r0 + rows < dims->height ? r0 + rows : dims->height;
      int n = (r1 - r0) * dims->width;

      /* dcol (K, n) = weight^T (K, Cout) x dout[:, band] (Cout, n) */
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
                   k, n, dims->out_channels,
                   1.0f, weight, k,
                   dout + (size_t) r0 * dims->width, (int) plane,
                   0.0f, scratch, n);
      col2im_band (dinp, scratch, dims, r0, r1);
    }
}

void
impasto_conv2d_forward_naive (float *out,
                              const float *inp,
                              const float *weight,
                              const float *bias,
                              const ImpastoConvDims *dims)
{
  const int h = dims->height;
  const int w = dims->width;

  for (int co = 0; co < dims->out_channels; co++)
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          double sum = bias[co];

          for (int ci = 0; ci < dims->in_channels; ci++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++)
                {
                  int sy = y + ky - 1;
                  int sx = x + kx - 1;

                  if (sy < 0 || sy >= h || sx < 0 || sx >= w)
                    continue;
                  sum += (double) weight[(((size_t) co * dims->in_channels + ci) * 3 + ky) * 3 + kx]
                         * inp[((size_t) ci * h + sy) * w + sx];
                }
          out[((size_t) co * h + y) * w + x] = (float) sum;
        }
}

void
impasto_conv2d_backward_naive (float *dinp,
                               const float *dout,
                               const float *weight,
                               const ImpastoConvDims *dims)
{
  const int h = dims->height;
  const int w = dims->width;

  for (int ci = 0; ci < dims->in_channels; ci++)
    for (int sy = 0; sy < h; sy++)
      for (int sx = 0; sx < w; sx++)
        {
          double sum = 0.0;

          /* Every output (co, y, x) that read inp (ci, sy, sx) through tap (ky, kx). */
          for (int co = 0; co < dims->out_channels; co++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++)
                {
                  int y = sy - ky + 1;
                  int x = sx - kx + 1;

                  if (y < 0 || y >= h || x < 0 || x >= w)
                    continue;
                  sum += (double) weight[(((size_t) co * dims->in_channels + ci) * 3 + ky) * 3 + kx]
                         * dout[((size_t) co * h + y) * w + x];
                }
          dinp[((size_t) ci * h + sy) * w + sx] += (float) sum;
        }
}

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
