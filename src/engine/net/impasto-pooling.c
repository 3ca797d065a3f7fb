/* impasto-pooling.c
 *
 * 2x2 stride-2 max and average pooling with floor output size, forward and backward. Backward
 * finds the max again from the forward's input instead of storing indices; ties go to the first
 * element in row-major order, as in the forward. impasto_pooling_backward() adds, in plain loops,
 * and is the reference for impasto_pooling_backward_store() and (followed by
 * impasto_relu_backward()) for impasto_pooling_backward_relu_store(), which the network runs.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define POOLING_X86 1
#else
#define POOLING_X86 0
#endif

#include "impasto-cpu.h"
#include "impasto-pooling.h"

static bool avx512_allowed = true;

void
impasto_pooling_allow_avx512 (bool allow)
{
  __atomic_store_n (&avx512_allowed, allow, __ATOMIC_RELAXED);
}

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

#if POOLING_X86
#define AVX512 __attribute__ ((target ("avx512f")))

/* One pair of rows of backward_store() for max pooling with AVX-512, 8 windows (16 columns) a
 * step, with the same picks: a window's gradient goes to the first of its elements a, b (row 0),
 * d, e (row 1) that equals its max, and with @relu nowhere when the max is not above 0. Within a
 * vector, even lanes hold a window's left column and odd lanes its right one, so the picks are
 * bit operations on comparison masks. Writes d0 and d1 over columns 0 .. 2 ow - 1. */
AVX512 static inline __attribute__ ((always_inline)) void
rows_max_avx512 (float *d0, float *d1, const float *r0, const float *r1, const float *gy, int ow,
                 const bool relu)
{
  const __m512i pairs = _mm512_set_epi32 (7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);

  for (int x = 0; x < ow; x += 8)
    {
      int n = ow - x < 8 ? ow - x : 8;
      __mmask16 cols = (__mmask16) ((1u << (2 * n)) - 1);
      __m512 a = _mm512_maskz_loadu_ps (cols, r0 + 2 * x);
      __m512 b = _mm512_maskz_loadu_ps (cols, r1 + 2 * x);
      /* The window's max in both of its lanes: across the pair, then across the rows. */
      __m512 m = _mm512_max_ps (_mm512_max_ps (a, _mm512_permute_ps (a, 0xb1)),
                                _mm512_max_ps (b, _mm512_permute_ps (b, 0xb1)));
      __m512 g = _mm512_permutexvar_ps (pairs,
                                        _mm512_maskz_loadu_ps ((__mmask16) ((1u << n) - 1),
                                                               gy + x));
      unsigned e0 = _mm512_cmp_ps_mask (a, m, _CMP_EQ_OQ);
      unsigned e1 = _mm512_cmp_ps_mask (b, m, _CMP_EQ_OQ);
      /* The first equal one: a right lane loses to its left one, row 1 to row 0. */
      unsigned p0 = e0 & ~((e0 & 0x5555u) << 1);
      unsigned row0 = (e0 | (e0 >> 1)) & 0x5555u;
      unsigned p1 = e1 & ~((e1 & 0x5555u) << 1) & ~(row0 | (row0 << 1));

      if (relu)
        {
          unsigned positive = _mm512_cmp_ps_mask (m, _mm512_setzero_ps (), _CMP_GT_OQ);

          p0 &= positive;
          p1 &= positive;
        }
      _mm512_mask_storeu_ps (d0 + 2 * x, cols, _mm512_maskz_mov_ps ((__mmask16) p0, g));
      _mm512_mask_storeu_ps (d1 + 2 * x, cols, _mm512_maskz_mov_ps ((__mmask16) p1, g));
    }
}

AVX512 static void
rows_max_avx512_plain (float *d0, float *d1, const float *r0, const float *r1, const float *gy,
                       int ow)
{
  rows_max_avx512 (d0, d1, r0, r1, gy, ow, false);
}

AVX512 static void
rows_max_avx512_relu (float *d0, float *d1, const float *r0, const float *r1, const float *gy,
                      int ow)
{
  rows_max_avx512 (d0, d1, r0, r1, gy, ow, true);
}

static bool
use_avx512 (void)
{
  return impasto_cpu_has_avx512 () && __atomic_load_n (&avx512_allowed, __ATOMIC_RELAXED);
}
#endif

/* impasto_pooling_backward_store(), and with @relu its _relu_ variant; @relu is a constant after
 * inlining. */
static inline __attribute__ ((always_inline)) void
backward_store (float *dinp,
                const float *dout,
                const float *inp,
                int channels,
                int height,
                int width,
                ImpastoPoolMode mode,
                const bool relu)
{
  const int oh = height / 2;
  const int ow = width / 2;
#if POOLING_X86
  const bool simd = mode == IMPASTO_POOL_MAX && use_avx512 ();
#else
  const bool simd = false;
#endif

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

#if POOLING_X86
          if (simd)
            {
              if (relu)
                rows_max_avx512_relu (d0, d1, r0, r1, gy, ow);
              else
                rows_max_avx512_plain (d0, d1, r0, r1, gy, ow);
            }
#endif
          for (int x = 0; x < ow && !simd; x++)
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
                  m = pick_e ? e : m;
                  pick_d = pick_d && !pick_e;
                  pick_b = pick_b && !pick_d && !pick_e;
                  /* Through the ReLU whose output inp is: the element picked is the max, so it
                   * passes the ReLU's mask exactly when the max is above 0. */
                  grad = relu && !(m > 0.0f) ? 0.0f : grad;
                  d0[2 * x] = !pick_b && !pick_d && !pick_e ? grad : 0.0f;
                  d0[2 * x + 1] = pick_b ? grad : 0.0f;
                  d1[2 * x] = pick_d ? grad : 0.0f;
                  d1[2 * x + 1] = pick_e ? grad : 0.0f;
                }
              else
                {
                  float q = 0.25f * grad;

                  d0[2 * x] = !relu || r0[2 * x] > 0.0f ? q : 0.0f;
                  d0[2 * x + 1] = !relu || r0[2 * x + 1] > 0.0f ? q : 0.0f;
                  d1[2 * x] = !relu || r1[2 * x] > 0.0f ? q : 0.0f;
                  d1[2 * x + 1] = !relu || r1[2 * x + 1] > 0.0f ? q : 0.0f;
                }
            }
          if (width % 2 != 0)
            d0[width - 1] = d1[width - 1] = 0.0f;
        }
      if (height % 2 != 0)
        memset (dplane + (size_t) (height - 1) * width, 0, (size_t) width * sizeof (float));
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
  backward_store (dinp, dout, inp, channels, height, width, mode, false);
}

void
impasto_pooling_backward_relu_store (float *dinp,
                                     const float *dout,
                                     const float *inp,
                                     int channels,
                                     int height,
                                     int width,
                                     ImpastoPoolMode mode)
{
  backward_store (dinp, dout, inp, channels, height, width, mode, true);
}
