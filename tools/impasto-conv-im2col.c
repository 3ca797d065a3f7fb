/* impasto-conv-im2col.c
 *
 * 3x3 convolution (pad 1, stride 1, cross-correlation) forward and backward-to-input by im2col
 * and sgemm: the engine's convolution before Winograd, kept only as a second, independent fast
 * reference for the tests (tests/engine/test-conv.c holds it to the naive definition) and as the
 * baseline impasto-convbench compares Winograd with. The product does not use it.
 *
 * The image is processed in bands of rows. For each band, im2col writes the (Cin * 9, rows * W)
 * column matrix into a scratch buffer bounded by SCRATCH_BUDGET_FLOATS, so it stays in cache and
 * the whole-image im2col (576 MiB at conv1_2 for a 512x512 input) is never needed; one sgemm then
 * produces the band's (Cout, rows * W) outputs in place. Backward runs the same bands with the
 * transposed filter matrix and scatters the columns back (col2im).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <cblas.h>

#include "impasto-conv-im2col.h"
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
impasto_conv_im2col_scratch_floats (const ImpastoConvDims *dims)
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
impasto_conv_im2col_forward (float *out,
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
impasto_conv_im2col_backward (float *dinp,
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
