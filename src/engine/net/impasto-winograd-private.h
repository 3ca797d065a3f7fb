/* impasto-winograd-private.h
 *
 * What impasto-winograd.c and its x86 kernels (impasto-winograd-x86.c) share: the blocking
 * constants, the plan of one pass, the workspace strides, the transforms on 16-tile vectors (GCC
 * vector types, portable) and the prefetches. The AVX-512 entry points exist on x86 only
 * (IMPASTO_WINOGRAD_X86); elsewhere the portable path is the only one. Nothing here is for
 * callers outside the Winograd convolution.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-winograd.h"

#define N_XI 36        /* 6 x 6 transformed taps */
#define LANES 16       /* tiles per vector */
#define PANEL_VECS 2   /* vectors of tiles per micro-kernel panel */
#define PANEL (LANES * PANEL_VECS)
#define MR 8           /* output channels per micro-kernel call */
#define KC 256         /* input channels per micro-kernel call: a (KC, PANEL) panel fits L1 */
#define KC_AVX2 128    /* the same for the AVX2 kernel: 16 KiB of b, half of a 32 KiB L1 (256:
                        * 7-20% slower backward on the 512-channel layers of a Zen with no
                        * AVX-512) */
/* Extra floats between the 36 matrices of V and of M: one cache line, so that the 36 vectors a
 * transform writes or reads at once, K * N floats apart (often a multiple of 4 KiB), do not all
 * fall into the same L1 set. */
#define XI_PAD 16
#define PREFETCH_CHANNELS 2   /* how far ahead the input transform asks for its rows */

typedef float vf16 __attribute__ ((vector_size (64), may_alias));

typedef struct
{
  /* The GEMM view of one pass: K channels read, M channels written. Forward: (Cin, Cout);
   * backward: (Cout, Cin). */
  int k_channels;
  int m_channels;
  int in_channels;    /* Cin of the layer: the row stride of U_xi */
  int out_channels;   /* Cout of the layer */
  int height;
  int width;
  int tiles_x;
  int tiles;
  int block_tiles;    /* a multiple of PANEL */
  int n_blocks;
  int split;          /* output channels per task */
  int n_splits;
  size_t v_floats;    /* per thread: V (36, K, block_tiles), each xi XI_PAD apart */
  size_t thread_floats;
} Plan;

/* What the output transform does with its pixels. */
typedef enum
{
  OUT_STORE,        /* forward: out = y + bias */
  OUT_STORE_RELU,   /* forward: out = max (y + bias, 0) */
  OUT_ADD_ROTATED,  /* backward: out += y, the tile grid read rotated by 180 degrees */
} OutMode;

typedef struct
{
  size_t xi;
  size_t panel;
  size_t channel;
} Strides;

/* ---- Transforms (16 tiles per vector) ------------------------------------------------------ */

/* x[0], x[s], ..., x[5 s] (6) = B^T x (6), in place. */
static inline __attribute__ ((always_inline)) void
input_1d (vf16 *x, int s)
{
  vf16 x0 = x[0], x1 = x[s], x2 = x[2 * s], x3 = x[3 * s], x4 = x[4 * s], x5 = x[5 * s];
  vf16 a = x4 - 4.0f * x2;
  vf16 b = x3 - 4.0f * x1;
  vf16 c = x4 - x2;
  vf16 e = 2.0f * (x3 - x1);

  x[0] = 4.0f * x0 - 5.0f * x2 + x4;
  x[s] = a + b;
  x[2 * s] = a - b;
  x[3 * s] = c + e;
  x[4 * s] = c - e;
  x[5 * s] = 4.0f * x1 - 5.0f * x3 + x5;
}

/* y[0], y[ys], y[2 ys], y[3 ys] (4) = A^T (m[0], m[ms], ..., m[5 ms]) (6). */
static inline __attribute__ ((always_inline)) void
output_1d (vf16 *y, int ys, const vf16 *m, int ms)
{
  vf16 s = m[ms] + m[2 * ms];
  vf16 t = m[ms] - m[2 * ms];
  vf16 p = m[3 * ms] + m[4 * ms];
  vf16 q = m[3 * ms] - m[4 * ms];

  y[0] = m[0] + s + p;
  y[ys] = t + 2.0f * q;
  y[2 * ys] = s + 4.0f * p;
  y[3 * ys] = t + 8.0f * q + m[5 * ms];
}

/* y (4, 4) = A^T m (6, 6) A. */
static inline __attribute__ ((always_inline)) void
output_transform (vf16 *y, const vf16 *m)
{
  vf16 f[6 * 4];   /* (6, 4): A applied along each row of m */

  for (int a = 0; a < 6; a++)
    output_1d (f + a * 4, 1, m + a * 6, 1);
  for (int j = 0; j < 4; j++)
    output_1d (y + j, 4, f + j, 4);
}

/* Asks for the rows gather() will read for tiles t0 .. t0 + 15 (those of the first row of tiles
 * among them): the planes are read a few hundred bytes at a time, 1 MiB
 * apart, too scattered for the hardware prefetcher. */
static inline __attribute__ ((always_inline)) void
prefetch_windows (const float *plane, const Plan *p, int t0, const bool rotated)
{
  const int h = p->height, w = p->width;
  int ty = t0 / p->tiles_x, tx = t0 % p->tiles_x;
  int x0 = rotated ? w - 4 * tx - 65 : 4 * tx - 1;
  int x1 = x0 + 66;

  x0 = x0 < 0 ? 0 : x0;
  x1 = x1 > w ? w : x1;
  for (int r = 0; r < 6; r++)
    {
      int y = rotated ? h - 4 * ty - r : 4 * ty - 1 + r;
      const char *row = (const char *) (plane + (ptrdiff_t) y * w);

      if (y < 0 || y >= h)
        continue;
      for (int x = x0 * 4 & ~63; x < x1 * 4; x += 64)
        __builtin_prefetch (row + x, 0, 3);
    }
}

/* The same for the rows scatter() will write. */
static inline __attribute__ ((always_inline)) void
prefetch_outputs (float *plane, const Plan *p, int t0, const bool rotated)
{
  const int h = p->height, w = p->width;
  int ty = t0 / p->tiles_x, tx = t0 % p->tiles_x;
  int x0 = rotated ? w - 4 * tx - 64 : 4 * tx;
  int x1 = x0 + 64;

  x0 = x0 < 0 ? 0 : x0;
  x1 = x1 > w ? w : x1;
  for (int i = 0; i < 4; i++)
    {
      int y = rotated ? h - 1 - 4 * ty - i : 4 * ty + i;
      char *row = (char *) (plane + (ptrdiff_t) y * w);

      if (y < 0 || y >= h)
        continue;
      for (int x = x0 * 4 & ~63; x < x1 * 4; x += 64)
        __builtin_prefetch (row + x, 1, 3);
    }
}

/* ---- The AVX-512 kernels (impasto-winograd-x86.c) ------------------------------------------ */

#if defined(__x86_64__) || defined(__i386__)
#define IMPASTO_WINOGRAD_X86 1


/* input_phase_generic() and output_phase_generic() of impasto-winograd.c with AVX-512 gathers
 * and scatters; @relu (backward only, or NULL) masks the input as there. */
void _impasto_winograd_input_phase_avx512 (float *v, const Strides *s, const float *in,
                                           const float *relu, const Plan *p, int t0, int n,
                                           bool rotated);
void _impasto_winograd_output_phase_avx512 (float *out, const float *m, const Strides *s,
                                            const float *bias, const Plan *p, int t0, int n,
                                            int m0, int mc, OutMode mode);

/* The micro-kernel, c (mr, PANEL) (+)= a (mr, kc) b (kc, PANEL), as micro_naive() in
 * impasto-winograd.c: forward, a's rows @ars apart and contiguous along k; backward, contiguous
 * along i and its rows @acs apart. With @nc (the live tiles) 16 or fewer, on the panel's first
 * 16 columns only (the others of c are left as they are), else on all of them. */
void _impasto_winograd_micro_avx512_rows (float *c, const float *a, size_t ars, const float *b,
                                          int kc, int mr, int nc, bool accumulate);
void _impasto_winograd_micro_avx512_cols (float *c, const float *a, size_t acs, const float *b,
                                          int kc, int mr, int nc, bool accumulate);
/* The same with AVX2 and FMA, for CPUs without AVX-512, on the panel's first @nc columns only
 * (the live tiles; the others of c are left as they are). */
void _impasto_winograd_micro_avx2_rows (float *c, const float *a, size_t ars, const float *b,
                                        int kc, int mr, int nc, bool accumulate);
void _impasto_winograd_micro_avx2_cols (float *c, const float *a, size_t acs, const float *b,
                                        int kc, int mr, int nc, bool accumulate);
#else
#define IMPASTO_WINOGRAD_X86 0
#endif
