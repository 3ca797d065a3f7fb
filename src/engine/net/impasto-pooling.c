/* impasto-pooling.c
 *
 * 2x2 stride-2 max and average pooling with floor output size, forward and backward. Backward
 * finds the max again from the forward's input instead of storing indices; ties go to the first
 * element in row-major order, as in the forward. impasto_pooling_backward() adds, in plain loops,
 * and is the reference for impasto_pooling_backward_store(), which the network runs.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

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

void
impasto_pooling_backward_store (float *dinp,
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
        {
          const float *r0 = plane + (size_t) (2 * y) * width;
          const float *r1 = r0 + width;
          float *d0 = dplane + (size_t) (2 * y) * width;
          float *d1 = d0 + width;
          const float *gy = g + (size_t) y * ow;

          for (int x = 0; x < ow; x++)
            {
              float grad = gy[x];

              if (mode == IMPASTO_POOL_MAX)
                {
                  float a = r0[2 * x], b = r0[2 * x + 1], d = r1[2 * x], e = r1[2 * x + 1];
                  /* The first of the maxima in row-major order, as the forward's comparisons. */
                  bool pick_b = b > a;
                  float m = pick_b ? b : a;
                  bool pick_d = d > m;
                  bool pick_e;

                  m = pick_d ? d : m;
                  pick_e = e > m;
                  pick_d = pick_d && !pick_e;
                  pick_b = pick_b && !pick_d && !pick_e;
                  d0[2 * x] = !pick_b && !pick_d && !pick_e ? grad : 0.0f;
                  d0[2 * x + 1] = pick_b ? grad : 0.0f;
                  d1[2 * x] = pick_d ? grad : 0.0f;
                  d1[2 * x + 1] = pick_e ? grad : 0.0f;
                }
              else
                {
                  float q = 0.25f * grad;

                  d0[2 * x] = q;
                  d0[2 * x + 1] = q;
                  d1[2 * x] = q;
                  d1[2 * x + 1] = q;
                }
            }
          if (width % 2 != 0)
            d0[width - 1] = d1[width - 1] = 0.0f;
        }
      if (height % 2 != 0)
        memset (dplane + (size_t) (height - 1) * width, 0, (size_t) width * sizeof (float));
    }
}
