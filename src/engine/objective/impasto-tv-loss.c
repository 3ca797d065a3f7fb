/* impasto-tv-loss.c
 *
 * The total-variation loss of an image, E = 1/(C H W) * sum of squared differences between
 * neighbours down and across, and its gradient; see impasto-tv-loss.h. One pass over the pixels,
 * the sum in double; it is its own reference (the tests hold it to finite differences).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stddef.h>

#include "impasto-tv-loss.h"

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
