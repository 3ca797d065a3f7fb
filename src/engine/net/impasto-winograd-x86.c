/* impasto-winograd-x86.c
 *
 * The Winograd convolution's AVX-512 kernels: gathers and scatters of 16 tiles with masked loads
 * and stores, the input and output phases built on them, and the packed micro-kernel. Compiled
 * for AVX-512F function by function (the rest of the engine stays baseline x86-64) and called
 * only when the CPU has it; see impasto-winograd.c for the algorithm, the layouts and the
 * dispatch. On other architectures this file is empty and impasto-winograd.c runs its portable
 * path.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#if defined(__x86_64__) || defined(__i386__)

#include <stdint.h>

#include <immintrin.h>

#include "impasto-winograd-private.h"

/* Functions compiled for AVX-512F, called only when the CPU has it. */
#define AVX512 __attribute__ ((target ("avx512f")))

/* ---- Gather and scatter with AVX-512 ------------------------------------------------------- */

/* The same as gather() and scatter(), a row of 16 tiles at a time. The 16 tiles of a vector are
 * cut into segments of tiles that lie in one row of tiles; for each of the 6 (or 4) pixel rows a
 * segment touches, the 66 (64) pixels under it are read (written) with masked loads (stores),
 * which neither fault nor touch anything outside the image, and the stride-4 lanes are
 * (de)interleaved with two-source permutes. Read rotated, a row is loaded backwards and each
 * vector reversed. */

/* Bits lo .. hi - 1 (clamped to 0 .. 16). */
static inline __attribute__ ((always_inline)) __mmask16
bits (int lo, int hi)
{
  lo = lo < 0 ? 0 : lo;
  hi = hi > 16 ? 16 : hi;
  return hi <= lo ? 0 : (__mmask16) (((1u << (hi - lo)) - 1) << lo);
}

AVX512 static inline __attribute__ ((always_inline)) __m512
reverse16 (__m512 x)
{
  return _mm512_permutexvar_ps (_mm512_set_epi32 (0, 1, 2, 3, 4, 5, 6, 7,
                                                  8, 9, 10, 11, 12, 13, 14, 15), x);
}

/* q[k][l] = buf[4 l + k] for k = 0 .. 5, where buf (80) is x[0] .. x[4]. */
AVX512 static inline __attribute__ ((always_inline)) void
deinterleave6 (__m512 *q, const __m512 *x)
{
  const __m512i even = _mm512_set_epi32 (29, 25, 21, 17, 13, 9, 5, 1, 28, 24, 20, 16, 12, 8, 4, 0);
  const __m512i odd = _mm512_set_epi32 (31, 27, 23, 19, 15, 11, 7, 3, 30, 26, 22, 18, 14, 10, 6, 2);
  __m512 a01 = _mm512_permutex2var_ps (x[0], even, x[1]);   /* q0[0..7], q1[0..7] */
  __m512 a23 = _mm512_permutex2var_ps (x[0], odd, x[1]);    /* q2[0..7], q3[0..7] */
  __m512 b01 = _mm512_permutex2var_ps (x[2], even, x[3]);   /* q0[8..15], q1[8..15] */
  __m512 b23 = _mm512_permutex2var_ps (x[2], odd, x[3]);
  __m512i tail = _mm512_castps_si512 (x[4]);                 /* buf[64], buf[65] */

  q[0] = _mm512_shuffle_f32x4 (a01, b01, 0x44);
  q[1] = _mm512_shuffle_f32x4 (a01, b01, 0xee);
  q[2] = _mm512_shuffle_f32x4 (a23, b23, 0x44);
  q[3] = _mm512_shuffle_f32x4 (a23, b23, 0xee);
  /* q4[l] = q0[l + 1], q5[l] = q1[l + 1]; their last lanes are buf[64] and buf[65]. */
  q[4] = _mm512_castsi512_ps (_mm512_alignr_epi32 (tail, _mm512_castps_si512 (q[0]), 1));
  q[5] = _mm512_castsi512_ps (_mm512_alignr_epi32 (_mm512_alignr_epi32 (tail, tail, 1),
                                                   _mm512_castps_si512 (q[1]), 1));
}

/* z (64) = the interleave of y[0] .. y[3]: z[4 l + j] = y[j][l]. The inverse of the above. */
AVX512 static inline __attribute__ ((always_inline)) void
interleave4 (__m512 *z, const __m512 *y)
{
  const __m512i lo = _mm512_set_epi32 (27, 19, 11, 3, 26, 18, 10, 2, 25, 17, 9, 1, 24, 16, 8, 0);
  const __m512i hi = _mm512_set_epi32 (31, 23, 15, 7, 30, 22, 14, 6, 29, 21, 13, 5, 28, 20, 12, 4);
  __m512 a01 = _mm512_shuffle_f32x4 (y[0], y[1], 0x44);   /* y0[0..7], y1[0..7] */
  __m512 b01 = _mm512_shuffle_f32x4 (y[0], y[1], 0xee);   /* y0[8..15], y1[8..15] */
  __m512 a23 = _mm512_shuffle_f32x4 (y[2], y[3], 0x44);
  __m512 b23 = _mm512_shuffle_f32x4 (y[2], y[3], 0xee);

  z[0] = _mm512_permutex2var_ps (a01, lo, a23);
  z[1] = _mm512_permutex2var_ps (a01, hi, a23);
  z[2] = _mm512_permutex2var_ps (b01, lo, b23);
  z[3] = _mm512_permutex2var_ps (b01, hi, b23);
}

/* The tiles t0 .. t0 + 15 cut at the ends of rows of tiles: segment i covers lanes
 * l[i] .. l[i] + len[i] - 1, tiles (ty[i], tx[i]) onwards. Returns the number of segments. */
typedef struct
{
  int l, len, ty, tx;
} Segment;

static inline __attribute__ ((always_inline)) int
segments (Segment *seg, const Plan *p, int t0)
{
  int n = 0, l = 0, t = t0;

  while (l < LANES && t < p->tiles)
    {
      int tx = t % p->tiles_x;
      int len = LANES - l;

      if (len > p->tiles_x - tx)
        len = p->tiles_x - tx;
      if (len > p->tiles - t)
        len = p->tiles - t;
      seg[n++] = (Segment) { l, len, t / p->tiles_x, tx };
      l += len;
      t += len;
    }
  return n;
}

/* d (36) = B^T d B of the windows gather() would make. With @relu (a plane of the same size, or
 * NULL), a pixel counts only where @relu is above 0, as in gather(): its rows are read with the
 * same masked loads, so the ReLU's mask costs no pass of its own. @rotated and whether @relu is
 * NULL are constants after inlining. */
AVX512 static inline __attribute__ ((always_inline)) void
gather_transform_avx512 (__m512 *d, const float *plane, const float *relu, const Plan *p, int t0,
                         const bool rotated)
{
  const int h = p->height, w = p->width;
  Segment seg[LANES];
  __mmask16 load_mask[LANES][5];
  int n_seg = segments (seg, p, t0);

  /* Which of the 80 floats a row load reads: buf[i] is pixel xb + i, or xb - i rotated, where
   * xb belongs to the virtual tile whose lane would be 0; vector v holds buf[16 v ..], of the
   * last only buf[64] and buf[65] are used. Loaded rotated, vector v comes from xb - 16 v - 15
   * forwards and is reversed. */
  for (int i = 0; i < n_seg; i++)
    {
      int xb = rotated ? w - 4 * (seg[i].tx - seg[i].l) : 4 * (seg[i].tx - seg[i].l) - 1;

      for (int v = 0; v < 5; v++)
        {
          int need = v < 4 ? 16 : 2;
          int x0 = rotated ? xb - 16 * v - 15 : xb + 16 * v;

          load_mask[i][v] = bits (-x0, w - x0)
                            & (rotated ? bits (16 - need, 16) : bits (0, need));
        }
    }

  for (int r = 0; r < 6; r++)
    {
      __m512 row_v[6];

      for (int k = 0; k < 6; k++)
        row_v[k] = _mm512_setzero_ps ();
      for (int i = 0; i < n_seg; i++)
        {
          int y = rotated ? h - 4 * seg[i].ty - r : 4 * seg[i].ty - 1 + r;
          int xb = rotated ? w - 4 * (seg[i].tx - seg[i].l) : 4 * (seg[i].tx - seg[i].l) - 1;
          const float *row = plane + (ptrdiff_t) y * w;
          const float *relu_row = relu != NULL ? relu + (ptrdiff_t) y * w : NULL;
          __mmask16 lanes = bits (seg[i].l, seg[i].l + seg[i].len);
          __m512 x[5], q[6];

          if (y < 0 || y >= h)
            continue;
#pragma GCC unroll 5
          for (int v = 0; v < 5; v++)
            {
              ptrdiff_t at = rotated ? xb - 16 * v - 15 : xb + 16 * v;
              __mmask16 live = load_mask[i][v];

              if (relu_row != NULL)
                live = _mm512_mask_cmp_ps_mask (live, _mm512_maskz_loadu_ps (live, relu_row + at),
                                                _mm512_setzero_ps (), _CMP_GT_OQ);
              x[v] = _mm512_maskz_loadu_ps (live, row + at);
              if (rotated)
                x[v] = reverse16 (x[v]);
            }
          deinterleave6 (q, x);
#pragma GCC unroll 6
          for (int k = 0; k < 6; k++)
            row_v[k] = _mm512_mask_blend_ps (lanes, row_v[k], q[k]);
        }
      input_1d ((vf16 *) row_v, 1);
#pragma GCC unroll 6
      for (int k = 0; k < 6; k++)
        d[r * 6 + k] = row_v[k];
    }
#pragma GCC unroll 6
  for (int j = 0; j < 6; j++)
    input_1d ((vf16 *) d + j, 6);
}

/* As scatter(): y (16 outputs) of the tiles t0 .. t0 + 15 into plane (H, W). @mode is a
 * constant after inlining. */
AVX512 static inline __attribute__ ((always_inline)) void
scatter_avx512 (float *plane, const __m512 *y, const Plan *p, int t0, float bias,
                const OutMode mode)
{
  const bool rotated = mode == OUT_ADD_ROTATED;
  const int h = p->height, w = p->width;
  const __m512 b = _mm512_set1_ps (bias);
  Segment seg[LANES];
  int n_seg = segments (seg, p, t0);
  __m512 z[4][4];

  for (int i = 0; i < 4; i++)
    interleave4 (z[i], y + i * 4);

  for (int s = 0; s < n_seg; s++)
    {
      /* Pixel x of z[i][0] (z[i][v][e] goes to xb + 16 v + e, or to xb - 16 v - e rotated),
       * and the pixels of the segment's tiles, lo .. hi - 1. */
      int xb = rotated ? w - 1 - 4 * (seg[s].tx - seg[s].l) : 4 * (seg[s].tx - seg[s].l);
      int lo = rotated ? w - 4 * (seg[s].tx + seg[s].len) : 4 * seg[s].tx;
      int hi = rotated ? w - 4 * seg[s].tx : 4 * (seg[s].tx + seg[s].len);
      __mmask16 m[4];

      lo = lo < 0 ? 0 : lo;
      hi = hi > w ? w : hi;
      for (int v = 0; v < 4; v++)
        {
          int x0 = rotated ? xb - 16 * v - 15 : xb + 16 * v;
          m[v] = bits (lo - x0, hi - x0);
        }

      for (int i = 0; i < 4; i++)
        {
          int yy = rotated ? h - 1 - 4 * seg[s].ty - i : 4 * seg[s].ty + i;
          float *row = plane + (ptrdiff_t) yy * w;

          if (yy < 0 || yy >= h)
            continue;
#pragma GCC unroll 4
          for (int v = 0; v < 4; v++)
            {
              float *dst = row + (rotated ? xb - 16 * v - 15 : xb + 16 * v);
              __m512 val = rotated ? reverse16 (z[i][v]) : z[i][v];

              if (m[v] == 0)
                continue;
              if (mode == OUT_ADD_ROTATED)
                val = _mm512_add_ps (val, _mm512_maskz_loadu_ps (m[v], dst));
              else if (mode == OUT_STORE_RELU)
                val = _mm512_max_ps (_mm512_add_ps (val, b), _mm512_setzero_ps ());
              else
                val = _mm512_add_ps (val, b);
              _mm512_mask_storeu_ps (dst, m[v], val);
            }
        }
    }
}

AVX512 static inline __attribute__ ((always_inline)) void
input_phase_avx512_body (float *v, const Strides *s, const float *in, const float *relu,
                         const Plan *p, int t0, int n, const bool rotated)
{
  const size_t plane = (size_t) p->height * p->width;

  for (int c = 0; c < p->k_channels; c++)
    for (int g = 0; g < n; g += LANES)
      {
        float *dst = v + (size_t) (g / PANEL) * s->panel + (size_t) c * s->channel + g % PANEL;
        __m512 d[36];

        if (c + PREFETCH_CHANNELS < p->k_channels)
          prefetch_windows (in + (size_t) (c + PREFETCH_CHANNELS) * plane, p, t0 + g, rotated);
        gather_transform_avx512 (d, in + (size_t) c * plane,
                                 relu != NULL ? relu + (size_t) c * plane : NULL, p, t0 + g,
                                 rotated);
#pragma GCC unroll 36
        for (int i = 0; i < 36; i++)
          _mm512_store_ps (dst + i * s->xi, d[i]);
      }
}

AVX512 void
_impasto_winograd_input_phase_avx512 (float *v, const Strides *s, const float *in,
                                      const float *relu, const Plan *p, int t0, int n,
                                      bool rotated)
{
  if (rotated && relu != NULL)
    input_phase_avx512_body (v, s, in, relu, p, t0, n, true);
  else if (rotated)
    input_phase_avx512_body (v, s, in, NULL, p, t0, n, true);
  else
    input_phase_avx512_body (v, s, in, NULL, p, t0, n, false);
}

AVX512 static inline __attribute__ ((always_inline)) void
output_phase_avx512_body (float *out, const float *m, const Strides *s, const float *bias,
                          const Plan *p, int t0, int n, int m0, int mc, const OutMode mode)
{
  const size_t plane = (size_t) p->height * p->width;

  for (int c = 0; c < mc; c++)
    for (int g = 0; g < n; g += LANES)
      {
        const float *src = m + (size_t) (g / PANEL) * s->panel + (size_t) c * s->channel
                           + g % PANEL;
        __m512 x[36], y[16];

        if (c + PREFETCH_CHANNELS < mc)
          prefetch_outputs (out + (size_t) (m0 + c + PREFETCH_CHANNELS) * plane, p, t0 + g,
                            mode == OUT_ADD_ROTATED);
#pragma GCC unroll 36
        for (int i = 0; i < 36; i++)
          x[i] = _mm512_load_ps (src + i * s->xi);
        output_transform ((vf16 *) y, (const vf16 *) x);
        scatter_avx512 (out + (size_t) (m0 + c) * plane, y, p, t0 + g,
                        bias != NULL ? bias[m0 + c] : 0.0f, mode);
      }
}

AVX512 void
_impasto_winograd_output_phase_avx512 (float *out, const float *m, const Strides *s,
                                       const float *bias, const Plan *p, int t0, int n, int m0,
                                       int mc, OutMode mode)
{
  switch (mode)
    {
    case OUT_ADD_ROTATED:
      output_phase_avx512_body (out, m, s, bias, p, t0, n, m0, mc, OUT_ADD_ROTATED);
      break;
    case OUT_STORE_RELU:
      output_phase_avx512_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE_RELU);
      break;
    default:
      output_phase_avx512_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE);
      break;
    }
}

/* The same with AVX-512: MR x PANEL accumulators in registers, b's row loaded once per k, a's
 * elements broadcast; with @vecs 1, the panel's first 16 columns only (its live tiles when they
 * are 16 or fewer: the deep layers at small sizes have 4 or 16 tiles in all, a panel holds 32;
 * the other columns of c are left as they are). @mr, @vecs, @ars and @acs are constants after
 * inlining. */
AVX512 static inline __attribute__ ((always_inline)) void
micro_avx512_body (float *c, const float *a, size_t ars, size_t acs, const float *b, int kc,
                   const int mr, const int vecs, bool accumulate)
{
  __m512 acc[MR][PANEL_VECS];

#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 4
    for (int v = 0; v < vecs; v++)
      acc[i][v] = accumulate ? _mm512_load_ps (c + i * PANEL + v * LANES) : _mm512_setzero_ps ();

  for (int k = 0; k < kc; k++)
    {
      __m512 bv[PANEL_VECS];

      /* Forward, U's rows are MR separate streams @ars apart: ask for each one 8 lines ahead
       * (measured: 10-15% on the 512-channel layers; the backward's rows need no help). */
      if (acs == 1 && (k & 15) == 0)
        {
#pragma GCC unroll 8
          for (int i = 0; i < mr; i++)
            __builtin_prefetch (a + i * ars + k + 128, 0, 3);
        }
#pragma GCC unroll 4
      for (int v = 0; v < vecs; v++)
        bv[v] = _mm512_load_ps (b + (size_t) k * PANEL + v * LANES);
#pragma GCC unroll 8
      for (int i = 0; i < mr; i++)
        {
          __m512 av = _mm512_set1_ps (a[i * ars + k * acs]);
#pragma GCC unroll 4
          for (int v = 0; v < vecs; v++)
            acc[i][v] = _mm512_fmadd_ps (av, bv[v], acc[i][v]);
        }
    }

#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 4
    for (int v = 0; v < vecs; v++)
      _mm512_store_ps (c + i * PANEL + v * LANES, acc[i][v]);
}

/* MR = 8 rows, and 7 .. 1 for the last rows of an odd channel count. */
#define MICRO_CASES_VECS(ARS, ACS, VECS) \
  switch (mr) \
    { \
    case 8: micro_avx512_body (c, a, ARS, ACS, b, kc, 8, VECS, accumulate); break; \
    case 7: micro_avx512_body (c, a, ARS, ACS, b, kc, 7, VECS, accumulate); break; \
    case 6: micro_avx512_body (c, a, ARS, ACS, b, kc, 6, VECS, accumulate); break; \
    case 5: micro_avx512_body (c, a, ARS, ACS, b, kc, 5, VECS, accumulate); break; \
    case 4: micro_avx512_body (c, a, ARS, ACS, b, kc, 4, VECS, accumulate); break; \
    case 3: micro_avx512_body (c, a, ARS, ACS, b, kc, 3, VECS, accumulate); break; \
    case 2: micro_avx512_body (c, a, ARS, ACS, b, kc, 2, VECS, accumulate); break; \
    default: micro_avx512_body (c, a, ARS, ACS, b, kc, 1, VECS, accumulate); break; \
    }
#define MICRO_CASES(ARS, ACS) \
  if (nc <= LANES) \
    MICRO_CASES_VECS (ARS, ACS, 1) \
  else \
    MICRO_CASES_VECS (ARS, ACS, PANEL_VECS)

/* Forward: a[i][k] = U_xi[m0 + i][k0 + k], rows @ars apart, contiguous along k. */
AVX512 void
_impasto_winograd_micro_avx512_rows (float *c, const float *a, size_t ars, const float *b, int kc,
                                     int mr, int nc, bool accumulate)
{
  MICRO_CASES (ars, 1)
}

/* Backward: a[i][k] = U_xi[k0 + k][m0 + i], contiguous along i, rows of U @acs apart. */
AVX512 void
_impasto_winograd_micro_avx512_cols (float *c, const float *a, size_t acs, const float *b, int kc,
                                     int mr, int nc, bool accumulate)
{
  MICRO_CASES (1, acs)
}

/* ---- The micro-kernel with AVX2 and FMA ---------------------------------------------------- */

#define AVX2 __attribute__ ((target ("avx2,fma")))
#define AVX2_ROWS 4   /* rows per pass: 4 x 16 columns, 8 accumulators and 2 of b in registers */

/* c (mr, 16) (+)= a (mr, kc) b (kc, 16) for mr <= AVX2_ROWS, where c's and b's rows are PANEL
 * apart (one half of a panel): the AVX-512 kernel's loop with half its width, in the same order
 * of summation over k. */
AVX2 static inline __attribute__ ((always_inline)) void
micro_avx2_body (float *c, const float *a, size_t ars, size_t acs, const float *b, int kc,
                 const int mr, bool accumulate)
{
  __m256 acc[AVX2_ROWS][2];

#pragma GCC unroll 4
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 2
    for (int v = 0; v < 2; v++)
      acc[i][v] = accumulate ? _mm256_load_ps (c + i * PANEL + v * 8) : _mm256_setzero_ps ();

  for (int k = 0; k < kc; k++)
    {
      __m256 b0 = _mm256_load_ps (b + (size_t) k * PANEL);
      __m256 b1 = _mm256_load_ps (b + (size_t) k * PANEL + 8);

#pragma GCC unroll 4
      for (int i = 0; i < mr; i++)
        {
          __m256 av = _mm256_broadcast_ss (a + i * ars + k * acs);

          acc[i][0] = _mm256_fmadd_ps (av, b0, acc[i][0]);
          acc[i][1] = _mm256_fmadd_ps (av, b1, acc[i][1]);
        }
    }

#pragma GCC unroll 4
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 2
    for (int v = 0; v < 2; v++)
      _mm256_store_ps (c + i * PANEL + v * 8, acc[i][v]);
}

/* c (mr, 8) (+)= a (mr, kc) b (kc, 8) for mr <= MR, c's and b's rows PANEL apart: the last live
 * tiles of a panel when they are 8 or fewer (the deep layers at small sizes have 4 or 16 tiles in
 * all, a panel holds 32), in the same order of summation over k. */
AVX2 static inline __attribute__ ((always_inline)) void
micro_avx2_body8 (float *c, const float *a, size_t ars, size_t acs, const float *b, int kc,
                  const int mr, bool accumulate)
{
  __m256 acc[MR];

#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
    acc[i] = accumulate ? _mm256_load_ps (c + i * PANEL) : _mm256_setzero_ps ();

  for (int k = 0; k < kc; k++)
    {
      __m256 b0 = _mm256_load_ps (b + (size_t) k * PANEL);

#pragma GCC unroll 8
      for (int i = 0; i < mr; i++)
        acc[i] = _mm256_fmadd_ps (_mm256_broadcast_ss (a + i * ars + k * acs), b0, acc[i]);
    }

#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
    _mm256_store_ps (c + i * PANEL, acc[i]);
}

/* The panel's live columns 0 .. nc - 1 (nc > 0; the others are tiles past the last, whose
 * columns of c are left as they are): each half of 16 columns with a live one, AVX2_ROWS rows at
 * a time, or its first 8 columns alone, all mr rows at once, when the rest are not live. */
#define MICRO_AVX2(ARS, ACS) \
  for (int half = 0; half * 16 < nc; half++) \
    { \
      const float *bh = b + half * 16; \
 \
      if (nc - half * 16 <= 8) \
        { \
          float *ch = c + half * 16; \
 \
          switch (mr) \
            { \
            case 8: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 8, accumulate); break; \
            case 7: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 7, accumulate); break; \
            case 6: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 6, accumulate); break; \
            case 5: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 5, accumulate); break; \
            case 4: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 4, accumulate); break; \
            case 3: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 3, accumulate); break; \
            case 2: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 2, accumulate); break; \
            default: micro_avx2_body8 (ch, a, ARS, ACS, bh, kc, 1, accumulate); break; \
            } \
          continue; \
        } \
      for (int i0 = 0; i0 < mr; i0 += AVX2_ROWS) \
        { \
          float *ch = c + i0 * PANEL + half * 16; \
          const float *ah = a + (size_t) i0 * (ARS); \
 \
          switch (mr - i0 < AVX2_ROWS ? mr - i0 : AVX2_ROWS) \
            { \
            case 4: micro_avx2_body (ch, ah, ARS, ACS, bh, kc, 4, accumulate); break; \
            case 3: micro_avx2_body (ch, ah, ARS, ACS, bh, kc, 3, accumulate); break; \
            case 2: micro_avx2_body (ch, ah, ARS, ACS, bh, kc, 2, accumulate); break; \
            default: micro_avx2_body (ch, ah, ARS, ACS, bh, kc, 1, accumulate); break; \
            } \
        } \
    }

AVX2 void
_impasto_winograd_micro_avx2_rows (float *c, const float *a, size_t ars, const float *b, int kc,
                                   int mr, int nc, bool accumulate)
{
  MICRO_AVX2 (ars, 1)
}

/* Backward, a's rows are @acs apart (a whole row of U_xi): its mr x kc elements are first copied
 * into one contiguous run, k-major and MR apart, which the passes over the panel's halves and
 * rows then read from L1, instead of reading kc lines @acs apart from L2 each time (measured:
 * the backward kernel had taken a third more time than the forward's on the same products). */
AVX2 void
_impasto_winograd_micro_avx2_cols (float *c, const float *u, size_t acs, const float *b, int kc,
                                   int mr, int nc, bool accumulate)
{
  float packed[KC_AVX2 * MR] __attribute__ ((aligned (32)));   /* kc <= KC_AVX2 */
  const float *a = packed;

  if (mr == MR)
    for (int k = 0; k < kc; k++)
      _mm256_store_ps (packed + k * MR, _mm256_loadu_ps (u + (size_t) k * acs));
  else
    for (int k = 0; k < kc; k++)
      for (int i = 0; i < mr; i++)
        packed[k * MR + i] = u[(size_t) k * acs + i];
  MICRO_AVX2 (1, MR)
}

#endif /* x86 */
