/* impasto-winograd.c
 *
 * Winograd F(4x4, 3x3) convolution, forward and backward-to-input, over a persistent pool.
 *
 * Transforms (Lavin & Gray 2015, interpolation points 0, 1, -1, 2, -2, infinity):
 *
 *   B^T = | 4  0 -5  0  1  0 |    G = |  1/4     0     0  |    A^T = | 1  1  1  1  1  0 |
 *         | 0 -4 -4  1  1  0 |        | -1/6  -1/6  -1/6  |          | 0  1 -1  2 -2  0 |
 *         | 0  4 -4 -1  1  0 |        | -1/6   1/6  -1/6  |          | 0  1  1  4  4  0 |
 *         | 0 -2 -1  2  1  0 |        |  1/24  1/12  1/6  |          | 0  1 -1  8 -8  1 |
 *         | 0  2 -1 -2  1  0 |        |  1/24 -1/12  1/6  |
 *         | 0  4  0 -5  0  1 |        |   0     0     1   |
 *
 * A 4x4 block of outputs at (4 ty, 4 tx) is A^T [(G g G^T) . (B^T d B)] A, where d is the 6x6
 * input window whose corner is at (4 ty - 1, 4 tx - 1) (pad 1; zeros outside the image) and "."
 * the elementwise product. Summed over input channels, the 36 elementwise products become 36
 * matrix products M_xi (Cout, tiles) = U_xi (Cout, Cin) V_xi (Cin, tiles). Tiles that run past
 * the right or bottom edge read zeros and write only their pixels inside the image.
 *
 * Backward to the input. dinp[ci] = sum_co dout[co] (*) w[co][ci], a true convolution ("(*)"),
 * which is a cross-correlation with the filter rotated by 180 degrees. We do not rotate the
 * filters: with R the 180-degree rotation of a plane, x (*) g = R (corr (R x, g)), because
 * corr (R x, g)[H-1-y][W-1-x] = sum g[a][b] x[y+1-a][x+1-b]. So the backward pass gathers its
 * tiles from dout read rotated (pixel (y, x) of the tile grid is dout[H-1-y][W-1-x]), runs the
 * forward's transforms with the forward's U_xi transposed, M_xi (Cin, tiles) = U_xi^T V_xi, and
 * writes (adds) its 4x4 outputs rotated back. No second filter set (the transformed filters of
 * VGG19 up to conv5_2 take 234 MiB already); rotating g in the Winograd domain would not be a
 * mere permutation with these points (reversing g maps the point 2 to 1/2), the rotated read is
 * free.
 *
 * Blocks and threads. The tiles (row-major over the tile grid) are cut into blocks of
 * block_tiles, a multiple of PANEL; a task is one block, or one block and a range of output
 * channels when there are too few blocks to keep every thread busy (the deep, small layers). A
 * task runs on its thread's own workspace: input transform of its block -> 36 products -> output
 * transform, so V (36, K, N) and M (36, Mc, N) stay in the caches of the core that made them
 * (N: the block's tiles rounded up to PANEL, K: channels read, Mc: channels written). Tasks are
 * handed out by impasto_parallel_for(). Our micro-kernel sums every output in the same order
 * whatever the plan, so its results do not depend on the number of threads (OpenBLAS may block
 * blocks of other widths differently).
 *
 * Layouts in the workspace: the products on our micro-kernel (and its naive reference) keep each
 * (channels, PANEL tiles) panel contiguous, [xi][panel][channel][PANEL]; for BLAS each xi is a
 * plain row-major (channels, N) matrix. Both are addressed as
 * xi * s_xi + panel * s_panel + channel * s_channel + tile % PANEL, with s_xi one cache line more
 * than the matrix so that the 36 vectors a transform stores do not share one L1 set.
 *
 * Transforms run 16 tiles at a time in GCC vector types (one AVX-512 register each). With AVX-512
 * a row of 16 tiles is read with masked loads (no special cases at the image's edges) and
 * de-interleaved with permutes; the baseline x86-64 code gathers pixel by pixel. Both ask for the
 * next channels' rows ahead of time: the planes are read a few hundred bytes at a time, a plane
 * apart. The output transform adds the bias and, if asked, applies the ReLU as it stores.
 *
 * The micro-kernel: MR (8) output channels x PANEL (32) tiles of accumulators in 16 registers,
 * one row of V loaded and MR elements of U broadcast per step along K, in KC-long passes.
 *
 * BLAS threading. The BLAS products call cblas_sgemm from every pool thread at once, each on its
 * own block: BLAS must be single-threaded then (a multi-threaded OpenBLAS next to our threads
 * oversubscribes the cores), which is impasto_set_threads()'s job, not this file's. The AVX-512
 * path calls no BLAS at all.
 *
 * Not here: a second, rotated filter set; strides or other kernel sizes; weight gradients;
 * choosing thread counts; anything allocated after the caller's plan.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cblas.h>
#include <immintrin.h>

#include "impasto-status.h"
#include "impasto-winograd.h"

#define N_XI 36        /* 6 x 6 transformed taps */
#define LANES 16       /* tiles per vector */
#define PANEL_VECS 2   /* vectors of tiles per micro-kernel panel */
#define PANEL (LANES * PANEL_VECS)
#define MR 8           /* output channels per micro-kernel call */
#define KC 256         /* input channels per micro-kernel call: a (KC, PANEL) panel fits L1 */
/* Extra floats between the 36 matrices of V and of M: one cache line, so that the 36 vectors a
 * transform writes or reads at once, K * N floats apart (often a multiple of 4 KiB), do not all
 * fall into the same L1 set. */
#define XI_PAD 16
#define PREFETCH_CHANNELS 2   /* how far ahead the input transform asks for its rows */

/* Per thread, V + M, in floats. With our micro-kernel 1 Mi floats (4 MiB): blocks of 224 tiles
 * at 64 -> 64 channels, whose V and M stay in the core's 2 MiB L2 and the shared L3, down to the
 * minimum of one PANEL (32 tiles, 4.5 MiB) at 512 -> 512. Larger blocks use each U_xi, streamed
 * from memory, for more tiles, but lose the caches: of 0.5, 1, 2.4 and 4.8 Mi, 1 Mi was fastest
 * on the 2-core AVX-512 machine. OpenBLAS packs its operands on every call and wants wider
 * products: 4 Mi floats (16 MiB), 896 tiles at 64 channels, 96 at 512 (best of 1, 4, 8, 16 Mi). */
#define BLOCK_BUDGET_FLOATS ((size_t) 1 << 20)
#define BLOCK_BUDGET_FLOATS_BLAS ((size_t) 4 << 20)

/* Functions compiled for AVX-512F, called only when the CPU has it; the rest of the file (and of
 * the engine) stays baseline x86-64. */
#define AVX512 __attribute__ ((target ("avx512f")))

typedef float vf16 __attribute__ ((vector_size (64), may_alias));

static ImpastoWinogradPath selected_path = IMPASTO_WINOGRAD_AUTO;

static bool
cpu_has_avx512 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx512f");
}

static ImpastoWinogradPath
resolve_path (ImpastoWinogradPath path)
{
  if (path == IMPASTO_WINOGRAD_AUTO)
    return cpu_has_avx512 () ? IMPASTO_WINOGRAD_AVX512 : IMPASTO_WINOGRAD_BASELINE;
  if ((path == IMPASTO_WINOGRAD_AVX512 || path == IMPASTO_WINOGRAD_AVX512_BLAS)
      && !cpu_has_avx512 ())
    return IMPASTO_WINOGRAD_BASELINE;
  return path;
}

ImpastoWinogradPath
impasto_winograd_set_path (ImpastoWinogradPath path)
{
  selected_path = resolve_path (path);
  return selected_path;
}

static ImpastoWinogradPath
current_path (void)
{
  return selected_path == IMPASTO_WINOGRAD_AUTO ? resolve_path (IMPASTO_WINOGRAD_AUTO)
                                                : selected_path;
}

const char *
impasto_winograd_path_name (void)
{
  switch (current_path ())
    {
    case IMPASTO_WINOGRAD_AVX512:
      return "avx512";
    case IMPASTO_WINOGRAD_AVX512_BLAS:
      return "avx512+blas";
    case IMPASTO_WINOGRAD_NAIVE:
      return "naive";
    default:
      return "baseline+blas";
    }
}

static size_t
align_up (size_t n, size_t to)
{
  return (n + to - 1) / to * to;
}

/* ---- Filters ------------------------------------------------------------------------------ */

size_t
impasto_winograd_filter_floats (int in_channels, int out_channels)
{
  return (size_t) N_XI * (size_t) out_channels * (size_t) in_channels;
}

/* out (6) = G g (3), in double. */
static inline void
filter_1d (double *out, const double *g)
{
  out[0] = g[0] / 4.0;
  out[1] = -(g[0] + g[1] + g[2]) / 6.0;
  out[2] = -(g[0] - g[1] + g[2]) / 6.0;
  out[3] = g[0] / 24.0 + g[1] / 12.0 + g[2] / 6.0;
  out[4] = g[0] / 24.0 - g[1] / 12.0 + g[2] / 6.0;
  out[5] = g[2];
}

/* Filters transformed per chunk: written out as 36 runs of PREPARE_CHUNK floats, not 36 single
 * floats a whole U_xi apart (a power-of-two distance for most layers, which puts all 36 in one
 * L1 set: 3x slower). */
#define PREPARE_CHUNK 64

void
impasto_winograd_prepare (float *u, const float *weight, int in_channels, int out_channels)
{
  const size_t plane = (size_t) out_channels * in_channels;
  float chunk[N_XI][PREPARE_CHUNK];

  IMPASTO_CHECK (in_channels > 0 && out_channels > 0);
  for (size_t f0 = 0; f0 < plane; f0 += PREPARE_CHUNK)
    {
      size_t nf = plane - f0 < PREPARE_CHUNK ? plane - f0 : PREPARE_CHUNK;

      for (size_t f = 0; f < nf; f++)
        {
          const float *g = weight + (f0 + f) * 9;   /* (3, 3) */
          double rows[3][6], col[3], t[6];

          /* rows[a] = G g[a][:], then G applied down each column of those. */
          for (int a = 0; a < 3; a++)
            {
              double in[3] = { g[a * 3 + 0], g[a * 3 + 1], g[a * 3 + 2] };
              filter_1d (rows[a], in);
            }
          for (int j = 0; j < 6; j++)
            {
              for (int a = 0; a < 3; a++)
                col[a] = rows[a][j];
              filter_1d (t, col);
              for (int i = 0; i < 6; i++)
                chunk[i * 6 + j][f] = (float) t[i];
            }
        }
      for (int xi = 0; xi < N_XI; xi++)
        memcpy (u + (size_t) xi * plane + f0, chunk[xi], nf * sizeof (float));
    }
}

/* ---- Plan --------------------------------------------------------------------------------- */

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

static bool
path_uses_blas (ImpastoWinogradPath path)
{
  return path == IMPASTO_WINOGRAD_AVX512_BLAS || path == IMPASTO_WINOGRAD_BASELINE;
}

static size_t
path_budget (ImpastoWinogradPath path)
{
  return path_uses_blas (path) ? BLOCK_BUDGET_FLOATS_BLAS : BLOCK_BUDGET_FLOATS;
}

static int
gcd (int a, int b)
{
  while (b != 0)
    {
      int t = a % b;
      a = b;
      b = t;
    }
  return a;
}

static Plan
make_plan (const ImpastoConvDims *dims, int n_threads, bool backward, size_t budget)
{
  Plan p = { 0 };
  size_t per_tile, tb, share;

  if (n_threads < 1)
    n_threads = 1;
  p.in_channels = dims->in_channels;
  p.out_channels = dims->out_channels;
  p.k_channels = backward ? dims->out_channels : dims->in_channels;
  p.m_channels = backward ? dims->in_channels : dims->out_channels;
  p.height = dims->height;
  p.width = dims->width;
  p.tiles_x = (dims->width + 3) / 4;
  p.tiles = p.tiles_x * ((dims->height + 3) / 4);

  /* Symmetric in Cin and Cout so that forward and backward agree on the block size. */
  per_tile = (size_t) N_XI * ((size_t) dims->in_channels + dims->out_channels);
  tb = budget / per_tile / PANEL * PANEL;
  if (tb < PANEL)
    tb = PANEL;
  share = align_up (((size_t) p.tiles + n_threads - 1) / n_threads, PANEL);
  if (tb > share)
    tb = share;
  p.n_blocks = (int) (((size_t) p.tiles + tb - 1) / tb);
  /* Even blocks: the last one is not a sliver. */
  p.block_tiles = (int) align_up (((size_t) p.tiles + p.n_blocks - 1) / p.n_blocks, PANEL);

  p.split = p.m_channels;
  p.n_splits = 1;
  if (n_threads > 1 && p.n_blocks % n_threads != 0 && p.n_blocks < 4 * n_threads)
    {
      int want = n_threads / gcd (p.n_blocks, n_threads);

      p.split = (int) align_up (((size_t) p.m_channels + want - 1) / want, MR);
      p.n_splits = (p.m_channels + p.split - 1) / p.split;
    }

  p.v_floats = (size_t) N_XI * ((size_t) p.k_channels * p.block_tiles + XI_PAD);
  p.thread_floats = p.v_floats + (size_t) N_XI * ((size_t) p.split * p.block_tiles + XI_PAD);
  return p;
}

size_t
impasto_winograd_scratch_floats (const ImpastoConvDims *dims, int n_threads)
{
  size_t budget = path_budget (current_path ());
  Plan f = make_plan (dims, n_threads, false, budget);
  Plan b = make_plan (dims, n_threads, true, budget);

  if (n_threads < 1)
    n_threads = 1;
  return (size_t) n_threads * (f.thread_floats > b.thread_floats ? f.thread_floats
                                                                 : b.thread_floats);
}

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

/* d (6, 6) = B^T d B, in place: v[6 i + j] is transformed tap (i, j). */
static inline __attribute__ ((always_inline)) void
input_transform (vf16 *d)
{
  for (int r = 0; r < 6; r++)
    input_1d (d + r * 6, 1);
  for (int j = 0; j < 6; j++)
    input_1d (d + j, 6);
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

/* ---- Gather and scatter ------------------------------------------------------------------- */

/* d (36, 16): the 6x6 windows of the 16 tiles t0 .. t0 + 15 of @plane (H, W), zero outside the
 * image and for tiles past the last; rotated: read the plane rotated by 180 degrees. */
static inline __attribute__ ((always_inline)) void
gather (float *d, const float *plane, const Plan *p, int t0, const bool rotated)
{
  const int h = p->height, w = p->width;
  const int step = rotated ? -1 : 1;
  int ty = t0 / p->tiles_x;
  int tx = t0 % p->tiles_x;

  for (int l = 0; l < LANES; l++)
    {
      /* Pixel (r, k) of the window is plane[y0 + step * r][x0 + step * k]. */
      int y0 = rotated ? h - 4 * ty : 4 * ty - 1;
      int x0 = rotated ? w - 4 * tx : 4 * tx - 1;
      int ylo = rotated ? y0 - 5 : y0;
      int xlo = rotated ? x0 - 5 : x0;

      if (t0 + l >= p->tiles)
        {
          for (int i = 0; i < 36; i++)
            d[i * LANES + l] = 0.0f;
        }
      else if (ylo >= 0 && ylo + 5 < h && xlo >= 0 && xlo + 5 < w)
        {
          for (int r = 0; r < 6; r++)
            {
              const float *row = plane + (size_t) (y0 + step * r) * w + x0;

              for (int k = 0; k < 6; k++)
                d[(r * 6 + k) * LANES + l] = row[step * k];
            }
        }
      else
        {
          for (int r = 0; r < 6; r++)
            {
              int y = y0 + step * r;

              for (int k = 0; k < 6; k++)
                {
                  int x = x0 + step * k;

                  d[(r * 6 + k) * LANES + l] = (y >= 0 && y < h && x >= 0 && x < w)
                                               ? plane[(size_t) y * w + x] : 0.0f;
                }
            }
        }
      if (++tx == p->tiles_x)
        {
          tx = 0;
          ty++;
        }
    }
}

/* What the output transform does with its pixels. */
typedef enum
{
  OUT_STORE,        /* forward: out = y + bias */
  OUT_STORE_RELU,   /* forward: out = max (y + bias, 0) */
  OUT_ADD_ROTATED,  /* backward: out += y, the tile grid read rotated by 180 degrees */
} OutMode;

/* plane (H, W) = y (16 outputs, 16 tiles) as @mode says; only the pixels of tiles
 * t0 .. t0 + 15 that lie inside the image; rotated as in gather(). */
static inline __attribute__ ((always_inline)) void
scatter (float *plane, const float *y, const Plan *p, int t0, float bias, const OutMode mode)
{
  const bool rotated = mode == OUT_ADD_ROTATED;
  const int h = p->height, w = p->width;
  const int step = rotated ? -1 : 1;
  int ty = t0 / p->tiles_x;
  int tx = t0 % p->tiles_x;

  for (int l = 0; l < LANES && t0 + l < p->tiles; l++)
    {
      /* Output (i, j) of the tile is plane[y0 + step * i][x0 + step * j]. */
      int y0 = rotated ? h - 1 - 4 * ty : 4 * ty;
      int x0 = rotated ? w - 1 - 4 * tx : 4 * tx;
      int rows = h - 4 * ty < 4 ? h - 4 * ty : 4;
      int cols = w - 4 * tx < 4 ? w - 4 * tx : 4;

      for (int i = 0; i < rows; i++)
        {
          float *row = plane + (size_t) (y0 + step * i) * w + x0;

          for (int j = 0; j < cols; j++)
            {
              float v = y[(i * 4 + j) * LANES + l];

              if (mode == OUT_ADD_ROTATED)
                row[step * j] += v;
              else if (mode == OUT_STORE_RELU)
                row[step * j] = v + bias > 0.0f ? v + bias : 0.0f;
              else
                row[step * j] = v + bias;
            }
        }
      if (++tx == p->tiles_x)
        {
          tx = 0;
          ty++;
        }
    }
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

/* ---- One task's phases -------------------------------------------------------------------- */

typedef struct
{
  size_t xi;
  size_t panel;
  size_t channel;
} Strides;

/* v (36, K, N) from channels 0 .. K - 1 of in (K, H, W), tiles t0 .. t0 + n - 1. */
static inline __attribute__ ((always_inline)) void
input_phase_body (float *v, const Strides *s, const float *in, const Plan *p, int t0, int n,
                  const bool rotated)
{
  const size_t plane = (size_t) p->height * p->width;
  vf16 d[36];

  for (int c = 0; c < p->k_channels; c++)
    for (int g = 0; g < n; g += LANES)
      {
        float *dst = v + (size_t) (g / PANEL) * s->panel + (size_t) c * s->channel + g % PANEL;

        if (c + PREFETCH_CHANNELS < p->k_channels)
          prefetch_windows (in + (size_t) (c + PREFETCH_CHANNELS) * plane, p, t0 + g, rotated);
        gather ((float *) d, in + (size_t) c * plane, p, t0 + g, rotated);
        input_transform (d);
        for (int i = 0; i < 36; i++)
          *(vf16 *) (dst + i * s->xi) = d[i];
      }
}

/* Channels m0 .. m0 + mc - 1 of out (M, H, W) from m (36, mc, N). */
static inline __attribute__ ((always_inline)) void
output_phase_body (float *out, const float *m, const Strides *s, const float *bias,
                   const Plan *p, int t0, int n, int m0, int mc, const OutMode mode)
{
  const size_t plane = (size_t) p->height * p->width;
  vf16 x[36], y[16];

  for (int c = 0; c < mc; c++)
    for (int g = 0; g < n; g += LANES)
      {
        const float *src = m + (size_t) (g / PANEL) * s->panel + (size_t) c * s->channel
                           + g % PANEL;

        if (c + PREFETCH_CHANNELS < mc)
          prefetch_outputs (out + (size_t) (m0 + c + PREFETCH_CHANNELS) * plane, p, t0 + g,
                            mode == OUT_ADD_ROTATED);
        for (int i = 0; i < 36; i++)
          x[i] = *(const vf16 *) (src + i * s->xi);
        output_transform (y, x);
        scatter (out + (size_t) (m0 + c) * plane, (const float *) y, p, t0 + g,
                 bias != NULL ? bias[m0 + c] : 0.0f, mode);
      }
}

/* The bodies instantiated with constant flags, so that the per-pixel tests fold away. */
static void
input_phase_generic (float *v, const Strides *s, const float *in, const Plan *p, int t0, int n,
                     bool rotated)
{
  if (rotated)
    input_phase_body (v, s, in, p, t0, n, true);
  else
    input_phase_body (v, s, in, p, t0, n, false);
}

static void
output_phase_generic (float *out, const float *m, const Strides *s, const float *bias,
                      const Plan *p, int t0, int n, int m0, int mc, OutMode mode)
{
  switch (mode)
    {
    case OUT_ADD_ROTATED:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_ADD_ROTATED);
      break;
    case OUT_STORE_RELU:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE_RELU);
      break;
    default:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE);
      break;
    }
}

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

/* d (36) = B^T d B of the windows gather() would make. @rotated is a constant after inlining. */
AVX512 static inline __attribute__ ((always_inline)) void
gather_transform_avx512 (__m512 *d, const float *plane, const Plan *p, int t0,
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
          __mmask16 lanes = bits (seg[i].l, seg[i].l + seg[i].len);
          __m512 x[5], q[6];

          if (y < 0 || y >= h)
            continue;
#pragma GCC unroll 5
          for (int v = 0; v < 5; v++)
            {
              if (rotated)
                x[v] = reverse16 (_mm512_maskz_loadu_ps (load_mask[i][v], row + xb - 16 * v - 15));
              else
                x[v] = _mm512_maskz_loadu_ps (load_mask[i][v], row + xb + 16 * v);
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
input_phase_avx512_body (float *v, const Strides *s, const float *in, const Plan *p, int t0,
                         int n, const bool rotated)
{
  const size_t plane = (size_t) p->height * p->width;

  for (int c = 0; c < p->k_channels; c++)
    for (int g = 0; g < n; g += LANES)
      {
        float *dst = v + (size_t) (g / PANEL) * s->panel + (size_t) c * s->channel + g % PANEL;
        __m512 d[36];

        if (c + PREFETCH_CHANNELS < p->k_channels)
          prefetch_windows (in + (size_t) (c + PREFETCH_CHANNELS) * plane, p, t0 + g, rotated);
        gather_transform_avx512 (d, in + (size_t) c * plane, p, t0 + g, rotated);
#pragma GCC unroll 36
        for (int i = 0; i < 36; i++)
          _mm512_store_ps (dst + i * s->xi, d[i]);
      }
}

AVX512 static void
input_phase_avx512 (float *v, const Strides *s, const float *in, const Plan *p, int t0, int n,
                    bool rotated)
{
  if (rotated)
    input_phase_avx512_body (v, s, in, p, t0, n, true);
  else
    input_phase_avx512_body (v, s, in, p, t0, n, false);
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

AVX512 static void
output_phase_avx512 (float *out, const float *m, const Strides *s, const float *bias,
                     const Plan *p, int t0, int n, int m0, int mc, OutMode mode)
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

/* ---- The 36 products on packed panels ------------------------------------------------------ */

/* c (mr, PANEL) (+)= a (mr, kc) b (kc, PANEL), where a[i][k] = a[i * ars + k * acs]. The
 * reference for the micro-kernel below, in the same order of summation over k. */
static void
micro_naive (float *c, const float *a, size_t ars, size_t acs, const float *b, int kc, int mr,
             bool accumulate)
{
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < PANEL; j++)
      {
        float sum = accumulate ? c[i * PANEL + j] : 0.0f;

        for (int k = 0; k < kc; k++)
          sum += a[i * ars + k * acs] * b[k * PANEL + j];
        c[i * PANEL + j] = sum;
      }
}

/* The same with AVX-512: MR x PANEL accumulators in registers, b's row loaded once per k, a's
 * elements broadcast. @mr, @ars and @acs are constants after inlining. */
AVX512 static inline __attribute__ ((always_inline)) void
micro_avx512_body (float *c, const float *a, size_t ars, size_t acs, const float *b, int kc,
                   const int mr, bool accumulate)
{
  __m512 acc[MR][PANEL_VECS];

#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 4
    for (int v = 0; v < PANEL_VECS; v++)
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
      for (int v = 0; v < PANEL_VECS; v++)
        bv[v] = _mm512_load_ps (b + (size_t) k * PANEL + v * LANES);
#pragma GCC unroll 8
      for (int i = 0; i < mr; i++)
        {
          __m512 av = _mm512_set1_ps (a[i * ars + k * acs]);
#pragma GCC unroll 4
          for (int v = 0; v < PANEL_VECS; v++)
            acc[i][v] = _mm512_fmadd_ps (av, bv[v], acc[i][v]);
        }
    }

#pragma GCC unroll 8
  for (int i = 0; i < mr; i++)
#pragma GCC unroll 4
    for (int v = 0; v < PANEL_VECS; v++)
      _mm512_store_ps (c + i * PANEL + v * LANES, acc[i][v]);
}

/* MR = 8 rows, and 7 .. 1 for the last rows of an odd channel count. */
#define MICRO_CASES(ARS, ACS) \
  switch (mr) \
    { \
    case 8: micro_avx512_body (c, a, ARS, ACS, b, kc, 8, accumulate); break; \
    case 7: micro_avx512_body (c, a, ARS, ACS, b, kc, 7, accumulate); break; \
    case 6: micro_avx512_body (c, a, ARS, ACS, b, kc, 6, accumulate); break; \
    case 5: micro_avx512_body (c, a, ARS, ACS, b, kc, 5, accumulate); break; \
    case 4: micro_avx512_body (c, a, ARS, ACS, b, kc, 4, accumulate); break; \
    case 3: micro_avx512_body (c, a, ARS, ACS, b, kc, 3, accumulate); break; \
    case 2: micro_avx512_body (c, a, ARS, ACS, b, kc, 2, accumulate); break; \
    default: micro_avx512_body (c, a, ARS, ACS, b, kc, 1, accumulate); break; \
    }

/* Forward: a[i][k] = U_xi[m0 + i][k0 + k], rows @ars apart, contiguous along k. */
AVX512 static void
micro_avx512_rows (float *c, const float *a, size_t ars, const float *b, int kc, int mr,
                   bool accumulate)
{
  MICRO_CASES (ars, 1)
}

/* Backward: a[i][k] = U_xi[k0 + k][m0 + i], contiguous along i, rows of U @acs apart. */
AVX512 static void
micro_avx512_cols (float *c, const float *a, size_t acs, const float *b, int kc, int mr,
                   bool accumulate)
{
  MICRO_CASES (1, acs)
}

/* m (36, mc, N) = U_xi (or U_xi^T) v (36, K, N) on packed panels, channels m0 .. m0 + mc - 1. */
static void
products_packed (float *m, const Strides *ms, const float *v, const Strides *vs, const float *u,
                 const Plan *p, int n, int m0, int mc, bool backward, bool naive)
{
  const size_t u_xi = (size_t) p->in_channels * p->out_channels;
  /* Element (i, k) of the product's left matrix is U_xi at i * ars + k * acs. */
  const size_t ars = backward ? 1 : (size_t) p->in_channels;
  const size_t acs = backward ? (size_t) p->in_channels : 1;
  const int k_total = p->k_channels;

  for (int xi = 0; xi < N_XI; xi++)
    for (int k0 = 0; k0 < k_total; k0 += KC)
      {
        int kc = k_total - k0 < KC ? k_total - k0 : KC;

        for (int panel = 0; panel < n / PANEL; panel++)
          {
            const float *b = v + xi * vs->xi + panel * vs->panel + (size_t) k0 * vs->channel;

            for (int i0 = 0; i0 < mc; i0 += MR)
              {
                int mr = mc - i0 < MR ? mc - i0 : MR;
                const float *a = u + xi * u_xi + (size_t) (m0 + i0) * ars + (size_t) k0 * acs;
                float *c = m + xi * ms->xi + panel * ms->panel + (size_t) i0 * ms->channel;

                if (naive)
                  micro_naive (c, a, ars, acs, b, kc, mr, k0 > 0);
                else if (backward)
                  micro_avx512_cols (c, a, acs, b, kc, mr, k0 > 0);
                else
                  micro_avx512_rows (c, a, ars, b, kc, mr, k0 > 0);
              }
          }
      }
}

/* The same with single-threaded BLAS on plain row-major matrices (channels, N). */
static void
products_blas (float *m, const Strides *ms, const float *v, const Strides *vs, const float *u,
               const Plan *p, int n, int m0, int mc, bool backward)
{
  const size_t u_xi = (size_t) p->in_channels * p->out_channels;

  for (int xi = 0; xi < N_XI; xi++)
    {
      const float *a = u + xi * u_xi + (backward ? (size_t) m0 : (size_t) m0 * p->in_channels);

      /* forward: M (mc, n) = U_xi[m0:] (mc, Cin) V (Cin, n);
       * backward: M (mc, n) = (U_xi[:, m0:])^T (mc, Cout) V (Cout, n). */
      cblas_sgemm (CblasRowMajor, backward ? CblasTrans : CblasNoTrans, CblasNoTrans,
                   mc, n, p->k_channels,
                   1.0f, a, p->in_channels,
                   v + xi * vs->xi, (int) vs->channel,
                   0.0f, m + xi * ms->xi, (int) ms->channel);
    }
}

/* ---- Tasks -------------------------------------------------------------------------------- */

typedef struct
{
  const Plan *plan;
  float *out;          /* (M, H, W): forward out, backward dinp */
  const float *in;     /* (K, H, W): forward inp, backward dout */
  const float *u;      /* (36, Cout, Cin) */
  const float *bias;   /* (M) or NULL */
  float *scratch;      /* n_threads x plan->thread_floats */
  bool backward;
  OutMode mode;
  bool avx512;         /* transforms compiled for AVX-512 */
  bool blas;           /* products: BLAS, else our micro-kernel ... */
  bool naive;          /* ... or its naive reference */
} Job;

static void
run_task (int task, int thread, void *data)
{
  const Job *job = data;
  const Plan *p = job->plan;
  int block = task / p->n_splits;
  int m0 = (task % p->n_splits) * p->split;
  int mc = p->m_channels - m0 < p->split ? p->m_channels - m0 : p->split;
  int t0 = block * p->block_tiles;
  int count = p->tiles - t0 < p->block_tiles ? p->tiles - t0 : p->block_tiles;
  int n = (int) align_up ((size_t) count, PANEL);   /* tiles past the last are zeros */
  float *v = job->scratch + (size_t) thread * p->thread_floats;   /* (36, K, n) */
  float *m = v + p->v_floats;                                      /* (36, mc, n) */
  bool blas = job->blas;
  Strides vs, ms;

  vs.xi = (size_t) p->k_channels * n + XI_PAD;
  ms.xi = (size_t) mc * n + XI_PAD;
  if (blas)
    {
      vs.panel = ms.panel = PANEL;
      vs.channel = ms.channel = (size_t) n;
    }
  else
    {
      vs.panel = (size_t) p->k_channels * PANEL;
      ms.panel = (size_t) mc * PANEL;
      vs.channel = ms.channel = PANEL;
    }

  if (job->avx512)
    input_phase_avx512 (v, &vs, job->in, p, t0, n, job->backward);
  else
    input_phase_generic (v, &vs, job->in, p, t0, n, job->backward);

  if (blas)
    products_blas (m, &ms, v, &vs, job->u, p, n, m0, mc, job->backward);
  else
    products_packed (m, &ms, v, &vs, job->u, p, n, m0, mc, job->backward,
                     job->naive);

  if (job->avx512)
    output_phase_avx512 (job->out, m, &ms, job->bias, p, t0, n, m0, mc, job->mode);
  else
    output_phase_generic (job->out, m, &ms, job->bias, p, t0, n, m0, mc, job->mode);
}

static void
run (float *out, const float *in, const float *u, const float *bias, const ImpastoConvDims *dims,
     float *scratch, ImpastoParallel *pool, OutMode mode)
{
  const bool backward = mode == OUT_ADD_ROTATED;
  ImpastoWinogradPath path = current_path ();
  Plan plan;
  Job job;

  IMPASTO_CHECK (dims->height > 0 && dims->width > 0);
  IMPASTO_CHECK (dims->in_channels > 0 && dims->out_channels > 0);
  IMPASTO_CHECK (((uintptr_t) scratch % 64) == 0);

  plan = make_plan (dims, impasto_parallel_get_n_threads (pool), backward, path_budget (path));
  job = (Job) {
    .plan = &plan,
    .out = out,
    .in = in,
    .u = u,
    .bias = bias,
    .scratch = scratch,
    .backward = backward,
    .mode = mode,
    .avx512 = path == IMPASTO_WINOGRAD_AVX512 || path == IMPASTO_WINOGRAD_AVX512_BLAS,
    .blas = path_uses_blas (path),
    .naive = path == IMPASTO_WINOGRAD_NAIVE,
  };
  impasto_parallel_for (pool, plan.n_blocks * plan.n_splits, run_task, &job);
}

void
impasto_winograd_forward (float *out,
                          const float *inp,
                          const float *u,
                          const float *bias,
                          const ImpastoConvDims *dims,
                          float *scratch,
                          ImpastoParallel *pool)
{
  run (out, inp, u, bias, dims, scratch, pool, OUT_STORE);
}

void
impasto_winograd_forward_relu (float *out,
                               const float *inp,
                               const float *u,
                               const float *bias,
                               const ImpastoConvDims *dims,
                               float *scratch,
                               ImpastoParallel *pool)
{
  run (out, inp, u, bias, dims, scratch, pool, OUT_STORE_RELU);
}

void
impasto_winograd_backward (float *dinp,
                           const float *dout,
                           const float *u,
                           const ImpastoConvDims *dims,
                           float *scratch,
                           ImpastoParallel *pool)
{
  run (dinp, dout, u, NULL, dims, scratch, pool, OUT_ADD_ROTATED);
}
