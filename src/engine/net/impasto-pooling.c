/* impasto-pooling.c
 *
 * 2x2 stride-2 max and average pooling with floor output size, forward and backward. Backward
 * finds the max again from the forward's input instead of storing indices; ties go to the first
 * element in row-major order, as in the forward.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stddef.h>

#include "impasto-pooling.h"

void
impasto_pooling_forward (float *out,
                      const float *inp,
                      int channels,
                      int height,
                      int width,
                      ImpastoPoolMode mode)
{
  const int oh = height / 2;
  const int ow = width / 2;

  for (int c = 0; c < channels; c++)
    {
      const float *plane = inp + (size_t) c * height * width;
      float *o = out + (size_t) c * oh * ow;

      for (int y = 0; y < oh; y++)
        {
          const float *r0 = plane + (size_t) (2 * y) * width;
          const float *r1 = r0 + width;

          for (int x = 0; x < ow; x++)
            {
              float a = r0[2 * x], b = r0[2 * x + 1], d = r1[2 * x], e = r1[2 * x + 1];

              if (mode == IMPASTO_POOL_MAX)
                {
                  float m = a;
                  if (b > m) m = b;
                  if (d > m) m = d;
                  if (e > m) m = e;
                  o[(size_t) y * ow + x] = m;
                }
              else
                o[(size_t) y * ow + x] = 0.25f * ((a + b) + (d + e));
            }
        }
    }
}

void
impasto_pooling_backward (float *dinp,
                       const float *dout,
                       const float *inp,
                       int channels,
                       int height,
                       int width,
                       ImpastoPoolMode mode)
{
  const int oh = height / 2;
  const int ow = width / 2;

  for (int c = 0; c < channels; c++)
    {
      const float *plane = inp + (size_t) c * height * width;
      float *dplane = dinp + (size_t) c * height * width;
      const float *g = dout + (size_t) c * oh * ow;

      for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
          {
            size_t i00 = (size_t) (2 * y) * width + 2 * x;
            size_t idx[4] = { i00, i00 + 1, i00 + width, i00 + width + 1 };
            float grad = g[(size_t) y * ow + x];

            if (mode == IMPASTO_POOL_MAX)
              {
                size_t best = idx[0];
                for (int k = 1; k < 4; k++)
                  if (plane[idx[k]] > plane[best])
                    best = idx[k];
                dplane[best] += grad;
              }
            else
              for (int k = 0; k < 4; k++)
                dplane[idx[k]] += 0.25f * grad;
          }
    }
}
