/* impasto-resample.c
 *
 * Separable bicubic resampling (Keys, a = -0.5), horizontal pass into the caller's scratch, then
 * vertical pass, each output pixel's taps weighted and normalised on the fly (no tables, so no
 * allocation), and the naive 2-D twin that the tests compare it with.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "impasto-resample.h"

#define TAPS_MAX 64  /* support 2 * scale on each side; scale is capped below */

/* Keys' cubic convolution kernel, a = -0.5. */
static double
keys (double x)
{
  const double a = -0.5;

  x = fabs (x);
  if (x < 1.0)
    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  if (x < 2.0)
    return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
  return 0.0;
}

/* The taps of output index @i along an axis of @in -> @out samples: the first input index
 * (unclamped) in @first, normalised weights in @w; returns their count. */
static int
taps (int i, int in, int out, int *first, double *w)
{
  double ratio = (double) in / out;
  double stretch = ratio > 1.0 ? ratio : 1.0;
  double centre = (i + 0.5) * ratio - 0.5;
  double support = 2.0 * stretch;
  int lo = (int) ceil (centre - support);
  int hi = (int) floor (centre + support);
  int count = 0;
  double sum = 0.0;

  if (hi - lo + 1 > TAPS_MAX)
    {
      /* Shrinking more than about 15x: the kernel is cut to its middle (never met in practice,
       * the ladder's steps are about 1.4x). */
      int excess = hi - lo + 1 - TAPS_MAX;

      lo += excess / 2;
      hi = lo + TAPS_MAX - 1;
    }
  for (int j = lo; j <= hi; j++)
    {
      w[count] = keys ((j - centre) / stretch);
      sum += w[count];
      count++;
    }
  for (int k = 0; k < count; k++)
    w[k] /= sum;
  *first = lo;
  return count;
}

static inline int
clamp_index (int j, int n)
{
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

size_t
impasto_resample_scratch_floats (int src_height, int dst_width, int channels)
{
  return (size_t) src_height * dst_width * channels;
}

void
impasto_resample (float       *dst,
                  float       *scratch,
                  const float *src,
                  int          src_width,
                  int          src_height,
                  int          dst_width,
                  int          dst_height,
                  int          channels)
{
  double w[TAPS_MAX];
  double acc[16];
  int first;
  int count;

  /* Horizontal: scratch (src_height, dst_width, channels). */
  for (int x = 0; x < dst_width; x++)
    {
      count = taps (x, src_width, dst_width, &first, w);
      for (int y = 0; y < src_height; y++)
        {
          const float *row = src + (size_t) y * src_width * channels;

          for (int c0 = 0; c0 < channels; c0 += 16)
            {
              int cn = channels - c0 < 16 ? channels - c0 : 16;

              for (int c = 0; c < cn; c++)
                acc[c] = 0.0;
              for (int k = 0; k < count; k++)
                {
                  const float *p = row + (size_t) clamp_index (first + k, src_width) * channels
                                   + c0;

                  for (int c = 0; c < cn; c++)
                    acc[c] += w[k] * p[c];
                }
              for (int c = 0; c < cn; c++)
                scratch[((size_t) y * dst_width + x) * channels + c0 + c] = (float) acc[c];
            }
        }
    }

  /* Vertical: dst (dst_height, dst_width, channels). */
  for (int y = 0; y < dst_height; y++)
    {
      size_t row_floats = (size_t) dst_width * channels;
      float *out = dst + (size_t) y * row_floats;

      count = taps (y, src_height, dst_height, &first, w);
      for (size_t i = 0; i < row_floats; i++)
        {
          double sum = 0.0;

          for (int k = 0; k < count; k++)
            sum += w[k] * scratch[(size_t) clamp_index (first + k, src_height) * row_floats + i];
          out[i] = (float) sum;
        }
    }
}

void
impasto_resample_naive (float       *dst,
                        const float *src,
                        int          src_width,
                        int          src_height,
                        int          dst_width,
                        int          dst_height,
                        int          channels)
{
  double wx[TAPS_MAX], wy[TAPS_MAX];
  int fx, fy, nx, ny;

  for (int y = 0; y < dst_height; y++)
    {
      ny = taps (y, src_height, dst_height, &fy, wy);
      for (int x = 0; x < dst_width; x++)
        {
          nx = taps (x, src_width, dst_width, &fx, wx);
          for (int c = 0; c < channels; c++)
            {
              double sum = 0.0;

              for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                  sum += wy[j] * wx[i]
                         * src[((size_t) clamp_index (fy + j, src_height) * src_width
                                + clamp_index (fx + i, src_width)) * channels + c];
              dst[((size_t) y * dst_width + x) * channels + c] = (float) sum;
            }
        }
    }
}
