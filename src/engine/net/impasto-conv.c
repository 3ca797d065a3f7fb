/* impasto-conv.c
 *
 * 3x3 convolution (pad 1, stride 1, cross-correlation) forward and backward-to-input by the
 * definition: plain loops, the reference the Winograd convolution (impasto-winograd.c) and the
 * tests are held to. Weight gradients are not computed: VGG19's weights are fixed here.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-conv.h"

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
