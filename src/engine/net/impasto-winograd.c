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
 * (N: the block's tiles rounded up to PANEL, K: channels read, Mc: channels written). The
 * transforms and products of our kernels, AVX-512, AVX2 and the naive reference (not the BLAS
 * paths), skip the vectors of tiles past the block's last, which would only make outputs that are
 * not stored: at 128x128 the deep layers have 16 (conv4) and 4 (conv5) tiles in all, a panel 32.
 * Tasks are handed out by impasto_parallel_for(). Our micro-kernel sums every output in the same order
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
 * de-interleaved with permutes (impasto-winograd-x86.c, x86 only, chosen at run time when the CPU
 * has AVX-512F); the portable code here gathers pixel by pixel. Both ask for the
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
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <cblas.h>

#include "impasto-cpu.h"
#include "impasto-memory.h"
#include "impasto-status.h"
#include "impasto-winograd-private.h"

#if IMPASTO_WINOGRAD_X86
#include <immintrin.h>
#endif

/* Per thread, V + M, in floats. With our micro-kernel 1 Mi floats (4 MiB): blocks of 224 tiles
 * at 64 -> 64 channels, whose V and M stay in the core's 2 MiB L2 and the shared L3, down to the
 * minimum of one PANEL (32 tiles, 4.5 MiB) at 512 -> 512. Larger blocks use each U_xi, streamed
 * from memory, for more tiles, but lose the caches: of 0.5, 1, 2.4 and 4.8 Mi, 1 Mi was fastest
 * on the 2-core AVX-512 machine. OpenBLAS packs its operands on every call and wants wider
 * products: 4 Mi floats (16 MiB), 896 tiles at 64 channels, 96 at 512 (best of 1, 4, 8, 16 Mi). */
#define BLOCK_BUDGET_FLOATS ((size_t) 1 << 20)
#define BLOCK_BUDGET_FLOATS_BLAS ((size_t) 4 << 20)

static ImpastoWinogradPath selected_path = IMPASTO_WINOGRAD_AUTO;

static ImpastoWinogradPath
resolve_path (ImpastoWinogradPath path)
{
  if (path == IMPASTO_WINOGRAD_AUTO)
    return impasto_cpu_has_avx512 () ? IMPASTO_WINOGRAD_AVX512
           : impasto_cpu_has_avx2_fma () ? IMPASTO_WINOGRAD_AVX2 : IMPASTO_WINOGRAD_BASELINE;
  if ((path == IMPASTO_WINOGRAD_AVX512 || path == IMPASTO_WINOGRAD_AVX512_BLAS)
      && !impasto_cpu_has_avx512 ())
    return IMPASTO_WINOGRAD_BASELINE;
  if ((path == IMPASTO_WINOGRAD_AVX2 || path == IMPASTO_WINOGRAD_AVX2_BLAS)
      && !impasto_cpu_has_avx2_fma ())
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
    case IMPASTO_WINOGRAD_AVX2:
      return "avx2";
    case IMPASTO_WINOGRAD_AVX2_BLAS:
      return "avx2+blas";
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

static bool
path_uses_blas (ImpastoWinogradPath path)
{
  return path == IMPASTO_WINOGRAD_AVX512_BLAS || path == IMPASTO_WINOGRAD_BASELINE
         || path == IMPASTO_WINOGRAD_AVX2_BLAS;
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
  /* As many blocks as a multiple of the threads, where that is more than one block, so that
   * every thread gets the same number of whole blocks: splitting a block's output channels
   * between threads instead (below) makes each transform its input again. */
  if (p.n_blocks > 1 && p.n_blocks % n_threads != 0)
    p.n_blocks += n_threads - p.n_blocks % n_threads;
  /* Even blocks: the last one is not a sliver. */
  p.block_tiles = (int) align_up (((size_t) p.tiles + p.n_blocks - 1) / p.n_blocks, PANEL);
  p.n_blocks = (int) (((size_t) p.tiles + p.block_tiles - 1) / p.block_tiles);

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

/* d (6, 6) = B^T d B, in place: v[6 i + j] is transformed tap (i, j). */
static inline __attribute__ ((always_inline)) void
input_transform (vf16 *d)
{
  for (int r = 0; r < 6; r++)
    input_1d (d + r * 6, 1);
  for (int j = 0; j < 6; j++)
    input_1d (d + j, 6);
}

/* ---- Gather and scatter ------------------------------------------------------------------- */

/* Lane @l of d (36, 16): the 6x6 window of tile @t (row @ty, column @tx of the tile grid) of
 * @plane (H, W), zero outside the image and for a tile past the last; rotated: read the plane
 * rotated by 180 degrees. With @relu (a plane of the same size, or NULL), a pixel counts only
 * where @relu is above 0: the gradient through the ReLU whose output @relu is. */
static inline __attribute__ ((always_inline)) void
gather_lane (float *d, const float *plane, const float *relu, const Plan *p, int t, int ty,
             int tx, int l, const bool rotated)
{
  const int h = p->height, w = p->width;
  const int step = rotated ? -1 : 1;
  /* Pixel (r, k) of the window is plane[y0 + step * r][x0 + step * k]. */
  int y0 = rotated ? h - 4 * ty : 4 * ty - 1;
  int x0 = rotated ? w - 4 * tx : 4 * tx - 1;
  int ylo = rotated ? y0 - 5 : y0;
  int xlo = rotated ? x0 - 5 : x0;

  if (t >= p->tiles)
    {
      for (int i = 0; i < 36; i++)
        d[i * LANES + l] = 0.0f;
    }
  else if (ylo >= 0 && ylo + 5 < h && xlo >= 0 && xlo + 5 < w)
    {
      for (int r = 0; r < 6; r++)
        {
          size_t at = (size_t) (y0 + step * r) * w + x0;
          const float *row = plane + at;

          for (int k = 0; k < 6; k++)
            d[(r * 6 + k) * LANES + l] = relu == NULL || relu[at + step * k] > 0.0f
                                         ? row[step * k] : 0.0f;
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

              d[(r * 6 + k) * LANES + l] =
                (y >= 0 && y < h && x >= 0 && x < w
                 && (relu == NULL || relu[(size_t) y * w + x] > 0.0f))
                ? plane[(size_t) y * w + x] : 0.0f;
            }
        }
    }
}

/* d (36, 16): the 6x6 windows of the 16 tiles t0 .. t0 + 15 of @plane (H, W), as gather_lane()
 * says for each. */
static inline __attribute__ ((always_inline)) void
gather (float *d, const float *plane, const float *relu, const Plan *p, int t0,
        const bool rotated)
{
  int ty = t0 / p->tiles_x;
  int tx = t0 % p->tiles_x;

  for (int l = 0; l < LANES; l++)
    {
      gather_lane (d, plane, relu, p, t0 + l, ty, tx, l, rotated);
      if (++tx == p->tiles_x)
        {
          tx = 0;
          ty++;
        }
    }
}

/* Lane @l of y (16 outputs, 16 tiles) into @plane (H, W) as @mode says: the pixels of tile @t
 * (row @ty, column @tx) that lie inside the image; rotated as in gather_lane(). */
static inline __attribute__ ((always_inline)) void
scatter_lane (float *plane, const float *y, const Plan *p, int ty, int tx, int l, float bias,
              const OutMode mode)
{
  const bool rotated = mode == OUT_ADD_ROTATED;
  const int h = p->height, w = p->width;
  const int step = rotated ? -1 : 1;
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
}

/* plane (H, W) = y (16 outputs, 16 tiles) as @mode says, for the tiles t0 .. t0 + 15 that exist
 * (scatter_lane()). */
static inline __attribute__ ((always_inline)) void
scatter (float *plane, const float *y, const Plan *p, int t0, float bias, const OutMode mode)
{
  int ty = t0 / p->tiles_x;
  int tx = t0 % p->tiles_x;

  for (int l = 0; l < LANES && t0 + l < p->tiles; l++)
    {
      scatter_lane (plane, y, p, ty, tx, l, bias, mode);
      if (++tx == p->tiles_x)
        {
          tx = 0;
          ty++;
        }
    }
}

#if IMPASTO_WINOGRAD_X86
/* The same with AVX (128-bit) loads and stores, four tiles at a time where the four lie in one
 * row of tiles and wholly inside the image (their windows, their outputs), lane by lane
 * elsewhere. Compiled only into the AVX2 phases below. */
#define AVX2 __attribute__ ((target ("avx2,fma")))

/* Whether tiles t .. t + 3 (the first at row @ty, column @tx) lie in one row of tiles and their
 * windows wholly inside the image. */
static inline __attribute__ ((always_inline)) bool
quad_windows_inside (const Plan *p, int t, int ty, int tx, const bool rotated)
{
  const int h = p->height, w = p->width;
  int ylo = rotated ? h - 4 * ty - 5 : 4 * ty - 1;
  int xlo = rotated ? w - 4 * (tx + 3) - 5 : 4 * tx - 1;
  int xhi = rotated ? w - 4 * tx : 4 * (tx + 3) + 4;

  return t + 3 < p->tiles && tx + 3 < p->tiles_x && ylo >= 0 && ylo + 5 < h && xlo >= 0
         && xhi < w;
}

/* Two floats at @p (any alignment) in the low half, zeros above. */
AVX2 static inline __attribute__ ((always_inline)) __m128
load2 (const float *p)
{
  return _mm_castsi128_ps (_mm_loadu_si64 (p));
}

AVX2 static inline __attribute__ ((always_inline)) void
gather_avx2 (float *d, const float *plane, const float *relu, const Plan *p, int t0,
             const bool rotated)
{
  const int h = p->height, w = p->width;
  int ty = t0 / p->tiles_x;
  int tx = t0 % p->tiles_x;

  for (int l = 0; l < LANES; l += 4)
    {
      if (quad_windows_inside (p, t0 + l, ty, tx, rotated))
        {
          for (int r = 0; r < 6; r++)
            {
              __m128 a[4], c[4], lo, hi;

              for (int q = 0; q < 4; q++)
                {
                  /* Tile q's window row: k = 0 .. 3 in a[q], k = 4, 5 in c[q]. Rotated, the
                   * row is read backwards: its pixels x0 - k. */
                  size_t at = rotated ? (size_t) (h - 4 * ty - r) * w + w - 4 * (tx + q)
                                      : (size_t) (4 * ty - 1 + r) * w + 4 * (tx + q) - 1;
                  const float *row = plane + at;

                  if (rotated)
                    {
                      a[q] = _mm_loadu_ps (row - 3);
                      c[q] = load2 (row - 5);
                      if (relu != NULL)
                        {
                          const __m128 zero = _mm_setzero_ps ();

                          a[q] = _mm_and_ps (a[q], _mm_cmpgt_ps (_mm_loadu_ps (relu + at - 3),
                                                                 zero));
                          c[q] = _mm_and_ps (c[q], _mm_cmpgt_ps (
                            load2 (relu + at - 5),
                            zero));
                        }
                      a[q] = _mm_shuffle_ps (a[q], a[q], _MM_SHUFFLE (0, 1, 2, 3));
                      c[q] = _mm_shuffle_ps (c[q], c[q], _MM_SHUFFLE (3, 2, 0, 1));
                    }
                  else
                    {
                      a[q] = _mm_loadu_ps (row);
                      c[q] = load2 (row + 4);
                      if (relu != NULL)
                        {
                          const __m128 zero = _mm_setzero_ps ();

                          a[q] = _mm_and_ps (a[q], _mm_cmpgt_ps (_mm_loadu_ps (relu + at),
                                                                 zero));
                          c[q] = _mm_and_ps (c[q], _mm_cmpgt_ps (
                            load2 (relu + at + 4),
                            zero));
                        }
                    }
                }
              _MM_TRANSPOSE4_PS (a[0], a[1], a[2], a[3]);
              lo = _mm_unpacklo_ps (c[0], c[1]);   /* (k4 of 0, k4 of 1, k5 of 0, k5 of 1) */
              hi = _mm_unpacklo_ps (c[2], c[3]);
              for (int k = 0; k < 4; k++)
                _mm_store_ps (d + (r * 6 + k) * LANES + l, a[k]);
              _mm_store_ps (d + (r * 6 + 4) * LANES + l, _mm_movelh_ps (lo, hi));
              _mm_store_ps (d + (r * 6 + 5) * LANES + l, _mm_movehl_ps (hi, lo));
            }
          tx += 4;
          if (tx == p->tiles_x)
            {
              tx = 0;
              ty++;
            }
          continue;
        }
      for (int q = 0; q < 4; q++)
        {
          gather_lane (d, plane, relu, p, t0 + l + q, ty, tx, l + q, rotated);
          if (++tx == p->tiles_x)
            {
              tx = 0;
              ty++;
            }
        }
    }
}

AVX2 static inline __attribute__ ((always_inline)) void
scatter_avx2 (float *plane, const float *y, const Plan *p, int t0, float bias,
              const OutMode mode)
{
  const bool rotated = mode == OUT_ADD_ROTATED;
  const int h = p->height, w = p->width;
  const __m128 b = _mm_set1_ps (bias);
  const __m128 zero = _mm_setzero_ps ();
  int ty = t0 / p->tiles_x;
  int tx = t0 % p->tiles_x;

  for (int l = 0; l < LANES && t0 + l < p->tiles; l += 4)
    {
      /* Four whole tiles (4 x 4 outputs each inside the image) in one row of tiles. */
      if (t0 + l + 3 < p->tiles && tx + 3 < p->tiles_x && 4 * ty + 4 <= h
          && 4 * (tx + 3) + 4 <= w)
        {
          for (int i = 0; i < 4; i++)
            {
              __m128 v[4];

              for (int j = 0; j < 4; j++)
                v[j] = _mm_load_ps (y + (i * 4 + j) * LANES + l);
              _MM_TRANSPOSE4_PS (v[0], v[1], v[2], v[3]);   /* v[q]: tile q's row i */
              for (int q = 0; q < 4; q++)
                {
                  if (rotated)
                    {
                      float *at = plane + (size_t) (h - 1 - 4 * ty - i) * w + w - 4 * (tx + q)
                                  - 4;

                      _mm_storeu_ps (at, _mm_add_ps (_mm_loadu_ps (at),
                                                     _mm_shuffle_ps (v[q], v[q],
                                                                     _MM_SHUFFLE (0, 1, 2, 3))));
                    }
                  else
                    {
                      float *at = plane + (size_t) (4 * ty + i) * w + 4 * (tx + q);
                      __m128 out = _mm_add_ps (v[q], b);

                      if (mode == OUT_STORE_RELU)
                        out = _mm_max_ps (out, zero);
                      _mm_storeu_ps (at, out);
                    }
                }
            }
          tx += 4;
          if (tx == p->tiles_x)
            {
              tx = 0;
              ty++;
            }
          continue;
        }
      for (int q = 0; q < 4 && t0 + l + q < p->tiles; q++)
        {
          scatter_lane (plane, y, p, ty, tx, l + q, bias, mode);
          if (++tx == p->tiles_x)
            {
              tx = 0;
              ty++;
            }
        }
    }
}
#endif

/* ---- One task's phases -------------------------------------------------------------------- */

typedef void (*GatherFn) (float *d, const float *plane, const float *relu, const Plan *p,
                          int t0, bool rotated);
typedef void (*ScatterFn) (float *plane, const float *y, const Plan *p, int t0, float bias,
                           OutMode mode);

/* v (36, K, N) from channels 0 .. K - 1 of in (K, H, W), tiles t0 .. t0 + n - 1, each 16 tiles
 * read by @gather_fn (a constant where this is inlined, so the call is direct); with @relu
 * (K, H, W), masked by it (gather_lane()). */
static inline __attribute__ ((always_inline)) void
input_phase_body (float *v, const Strides *s, const float *in, const float *relu, const Plan *p,
                  int t0, int n, const bool rotated, const GatherFn gather_fn)
{
  const size_t plane = (size_t) p->height * p->width;
  vf16 d[36];

  for (int c = 0; c < p->k_channels; c++)
    for (int g = 0; g < n; g += LANES)
      {
        float *dst = v + (size_t) (g / PANEL) * s->panel + (size_t) c * s->channel + g % PANEL;

        if (c + PREFETCH_CHANNELS < p->k_channels)
          prefetch_windows (in + (size_t) (c + PREFETCH_CHANNELS) * plane, p, t0 + g, rotated);
        gather_fn ((float *) d, in + (size_t) c * plane,
                   relu != NULL ? relu + (size_t) c * plane : NULL, p, t0 + g, rotated);
        input_transform (d);
        for (int i = 0; i < 36; i++)
          *(vf16 *) (dst + i * s->xi) = d[i];
      }
}

/* Channels m0 .. m0 + mc - 1 of out (M, H, W) from m (36, mc, N), written by @scatter_fn. */
static inline __attribute__ ((always_inline)) void
output_phase_body (float *out, const float *m, const Strides *s, const float *bias,
                   const Plan *p, int t0, int n, int m0, int mc, const OutMode mode,
                   const ScatterFn scatter_fn)
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
        scatter_fn (out + (size_t) (m0 + c) * plane, (const float *) y, p, t0 + g,
                    bias != NULL ? bias[m0 + c] : 0.0f, mode);
      }
}

/* The bodies instantiated with constant flags, so that the per-pixel tests fold away. */
static void
input_phase_generic (float *v, const Strides *s, const float *in, const float *relu,
                     const Plan *p, int t0, int n, bool rotated)
{
  /* The ReLU mask comes with the backward pass only. */
  if (rotated && relu != NULL)
    input_phase_body (v, s, in, relu, p, t0, n, true, gather);
  else if (rotated)
    input_phase_body (v, s, in, NULL, p, t0, n, true, gather);
  else
    input_phase_body (v, s, in, NULL, p, t0, n, false, gather);
}

static void
output_phase_generic (float *out, const float *m, const Strides *s, const float *bias,
                      const Plan *p, int t0, int n, int m0, int mc, OutMode mode)
{
  switch (mode)
    {
    case OUT_ADD_ROTATED:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_ADD_ROTATED,
                         scatter);
      break;
    case OUT_STORE_RELU:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE_RELU,
                         scatter);
      break;
    default:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE,
                         scatter);
      break;
    }
}

#if IMPASTO_WINOGRAD_X86
/* The same bodies compiled for AVX2 and FMA (GCC inlines the portable helpers into them), called
 * only when the CPU has both: a 16-float vector is two registers instead of four, and the
 * transforms' multiply-adds fuse. The portable instantiations above are their reference. */

AVX2 static void
input_phase_avx2 (float *v, const Strides *s, const float *in, const float *relu,
                  const Plan *p, int t0, int n, bool rotated)
{
  if (rotated && relu != NULL)
    input_phase_body (v, s, in, relu, p, t0, n, true, gather_avx2);
  else if (rotated)
    input_phase_body (v, s, in, NULL, p, t0, n, true, gather_avx2);
  else
    input_phase_body (v, s, in, NULL, p, t0, n, false, gather_avx2);
}

AVX2 static void
output_phase_avx2 (float *out, const float *m, const Strides *s, const float *bias,
                   const Plan *p, int t0, int n, int m0, int mc, OutMode mode)
{
  switch (mode)
    {
    case OUT_ADD_ROTATED:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_ADD_ROTATED,
                         scatter_avx2);
      break;
    case OUT_STORE_RELU:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE_RELU,
                         scatter_avx2);
      break;
    default:
      output_phase_body (out, m, s, bias, p, t0, n, m0, mc, OUT_STORE,
                         scatter_avx2);
      break;
    }
}
#endif

/* ---- The 36 products on packed panels ------------------------------------------------------ */

/* c (mr, PANEL) (+)= a (mr, kc) b (kc, PANEL), where a[i][k] = a[i * ars + k * acs], in columns
 * 0 .. nc - 1 (the live tiles; the others are left as they are). The reference for the
 * micro-kernel below, in the same order of summation over k. */
static void
micro_naive (float *c, const float *a, size_t ars, size_t acs, const float *b, int kc, int mr,
             int nc, bool accumulate)
{
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nc; j++)
      {
        float sum = accumulate ? c[i * PANEL + j] : 0.0f;

        for (int k = 0; k < kc; k++)
          sum += a[i * ars + k * acs] * b[k * PANEL + j];
        c[i * PANEL + j] = sum;
      }
}

/* m (36, mc, N) = U_xi (or U_xi^T) v (36, K, N) on packed panels, channels m0 .. m0 + mc - 1;
 * in the first @count columns only (the block's tiles: at small sizes the deep layers have 4 or
 * 16 tiles, a panel 32), or as many more as the kernel's width (16 columns for AVX-512 and
 * AVX2's narrow case) takes. */
static void
products_packed (float *m, const Strides *ms, const float *v, const Strides *vs, const float *u,
                 const Plan *p, int n, int count, int m0, int mc, bool backward, bool naive,
                 bool avx2)
{
  const size_t u_xi = (size_t) p->in_channels * p->out_channels;
  /* Element (i, k) of the product's left matrix is U_xi at i * ars + k * acs. */
  const size_t ars = backward ? 1 : (size_t) p->in_channels;
  const size_t acs = backward ? (size_t) p->in_channels : 1;
  const int k_total = p->k_channels;
  const int k_step = avx2 ? KC_AVX2 : KC;

  for (int xi = 0; xi < N_XI; xi++)
    for (int k0 = 0; k0 < k_total; k0 += k_step)
      {
        int kc = k_total - k0 < k_step ? k_total - k0 : k_step;

        for (int panel = 0; panel < n / PANEL; panel++)
          {
            const float *b = v + xi * vs->xi + panel * vs->panel + (size_t) k0 * vs->channel;
            int nc = count - panel * PANEL < PANEL ? count - panel * PANEL : PANEL;

            for (int i0 = 0; i0 < mc; i0 += MR)
              {
                int mr = mc - i0 < MR ? mc - i0 : MR;
                const float *a = u + xi * u_xi + (size_t) (m0 + i0) * ars + (size_t) k0 * acs;
                float *c = m + xi * ms->xi + panel * ms->panel + (size_t) i0 * ms->channel;

                if (naive)
                  micro_naive (c, a, ars, acs, b, kc, mr, nc, k0 > 0);
#if IMPASTO_WINOGRAD_X86
                else if (avx2 && backward)
                  _impasto_winograd_micro_avx2_cols (c, a, acs, b, kc, mr, nc, k0 > 0);
                else if (avx2)
                  _impasto_winograd_micro_avx2_rows (c, a, ars, b, kc, mr, nc, k0 > 0);
                else if (backward)
                  _impasto_winograd_micro_avx512_cols (c, a, acs, b, kc, mr, nc, k0 > 0);
                else
                  _impasto_winograd_micro_avx512_rows (c, a, ars, b, kc, mr, nc, k0 > 0);
#else
                else
                  /* never chosen: no AVX-512 */
                  micro_naive (c, a, ars, acs, b, kc, mr, nc, k0 > 0);
#endif
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
  const float *relu;   /* backward: (K, H, W), the output of the ReLU dout went through (its
                        * mask applied in the input phase), or NULL */
  const float *u;      /* (36, Cout, Cin) */
  const float *bias;   /* (M) or NULL */
  float *scratch;      /* n_threads x plan->thread_floats */
  bool backward;
  OutMode mode;
  bool avx512;         /* transforms compiled for AVX-512 */
  bool avx2;           /* the portable transforms compiled for AVX2 and FMA */
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
  /* Our kernels skip the vectors of tiles past the last: the transforms and the products on
   * them would only make outputs that are not stored. */
  int live = job->blas ? n : (int) align_up ((size_t) count, LANES);
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

#if IMPASTO_WINOGRAD_X86
  if (job->avx512)
    _impasto_winograd_input_phase_avx512 (v, &vs, job->in, job->relu, p, t0, live,
                                          job->backward);
  else if (job->avx2)
    input_phase_avx2 (v, &vs, job->in, job->relu, p, t0, live, job->backward);
  else
#endif
    input_phase_generic (v, &vs, job->in, job->relu, p, t0, live, job->backward);

  if (blas)
    products_blas (m, &ms, v, &vs, job->u, p, n, m0, mc, job->backward);
  else
    products_packed (m, &ms, v, &vs, job->u, p, n, count, m0, mc, job->backward,
                     job->naive, job->avx2);

#if IMPASTO_WINOGRAD_X86
  if (job->avx512)
    _impasto_winograd_output_phase_avx512 (job->out, m, &ms, job->bias, p, t0, live, m0, mc,
                                           job->mode);
  else if (job->avx2)
    output_phase_avx2 (job->out, m, &ms, job->bias, p, t0, live, m0, mc, job->mode);
  else
#endif
    output_phase_generic (job->out, m, &ms, job->bias, p, t0, live, m0, mc, job->mode);
}

static void
run (float *out, const float *in, const float *relu, const float *u, const float *bias,
     const ImpastoConvDims *dims, float *scratch, ImpastoParallel *pool, OutMode mode)
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
    .avx2 = path == IMPASTO_WINOGRAD_AVX2 || path == IMPASTO_WINOGRAD_AVX2_BLAS,
    .blas = path_uses_blas (path),
    .naive = path == IMPASTO_WINOGRAD_NAIVE,
  };
  job.relu = relu;
  impasto_parallel_for (pool, plan.n_blocks * plan.n_splits, run_task, &job);
}

/* ---- OpenBLAS's buffers ------------------------------------------------------------------ */

/* OpenBLAS packs its operands into buffers from a pool of its own, mapped once and touched as
 * far as each call needs: a thread gets the first free one, so which buffer a call packs into
 * depends on how many threads are inside OpenBLAS at that moment. In steady state a larger call
 * that happens to run beside another for the first time touches pages of the second buffer that
 * no call had touched: page faults in the iteration loop, for many iterations. Calls on every
 * thread at once, larger than any the run makes in each dimension (the convolutions' products:
 * up to 512 channels, blocks of at most 4096 tiles; the Gram matrices' long inner dimension; the
 * style gradients, at most 4096 positions a call), touch every buffer a run can use as far as it
 * can use it, once per process. The style losses call OpenBLAS on every path, so this runs on
 * the paths whose convolutions do not as well. Each dimension is cut to what the network can
 * ask for (its widest layer's channels, its largest layer's positions): VGG19 at any size the
 * ladder paints asks for all of it, a small test network for a small part (under valgrind the
 * whole warm-up took minutes). */
static const int warm_shapes[2][3] = {   /* M, N, K */
  { 512, 4096, 512 },                    /* channels, tiles or positions, channels */
  { 128, 4096, 2048 },                   /* channels, positions, positions */
};
#define WARM_A_FLOATS ((size_t) 512 * 2048)   /* the larger of M x K */
#define WARM_B_FLOATS ((size_t) 2048 * 4096)  /* of K x N */
#define WARM_C_FLOATS ((size_t) 512 * 4096)   /* of M x N */

typedef struct
{
  const float *a;
  const float *b;
  float *c;        /* WARM_C_FLOATS per thread */
  int shapes[2][3];
} WarmTask;

static void
warm_task (int task, int thread, void *data)
{
  const WarmTask *t = data;
  const int *shape = t->shapes[task % 2];

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, shape[0], shape[1], shape[2], 1.0f,
               t->a, shape[2], t->b, shape[1], 0.0f, t->c + (size_t) thread * WARM_C_FLOATS,
               shape[1]);
}

static int
at_most (int limit, size_t want)
{
  return want < (size_t) limit ? (int) (want > 0 ? want : 1) : limit;
}

void
impasto_winograd_warm_blas (ImpastoParallel *pool, int channels, size_t positions)
{
  /* The threads and the capped channels and positions the warm-up ran with so far, together
   * (one warm-up at a time: networks made at once on other threads wait for it). */
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static int warmed_threads, warmed_channels, warmed_positions;
  int n = impasto_parallel_get_n_threads (pool);
  WarmTask task = { 0 };
  float *a, *b, *c;

  /* No shape reaches past 512 channels or 4096 positions: a larger network warms nothing more
   * (the ladder makes one for every size, a painting larger than the picture one of its own). */
  channels = at_most (warm_shapes[0][0], (size_t) channels);
  positions = (size_t) at_most (warm_shapes[0][1], positions);
  pthread_mutex_lock (&lock);
  if (warmed_threads >= n && warmed_channels >= channels
      && (size_t) warmed_positions >= positions)
    {
      pthread_mutex_unlock (&lock);
      return;
    }
  /* Channels and positions as far as any warm-up reached or this network needs, on this pool's
   * threads: what is marked warmed below is what ran. */
  channels = channels > warmed_channels ? channels : warmed_channels;
  positions = positions > (size_t) warmed_positions ? positions : (size_t) warmed_positions;
  task.shapes[0][0] = at_most (warm_shapes[0][0], (size_t) channels);
  task.shapes[0][1] = at_most (warm_shapes[0][1], positions);
  task.shapes[0][2] = at_most (warm_shapes[0][2], (size_t) channels);
  task.shapes[1][0] = at_most (warm_shapes[1][0], (size_t) channels);
  task.shapes[1][1] = at_most (warm_shapes[1][1], positions);
  task.shapes[1][2] = at_most (warm_shapes[1][2], positions);
  a = impasto_alloc_floats (WARM_A_FLOATS);
  b = impasto_alloc_floats (WARM_B_FLOATS);
  c = impasto_alloc_floats ((size_t) n * WARM_C_FLOATS);
  if (a != NULL && b != NULL && c != NULL)
    {
      memset (a, 0, WARM_A_FLOATS * sizeof (float));
      memset (b, 0, WARM_B_FLOATS * sizeof (float));
      task.a = a;
      task.b = b;
      task.c = c;
      /* Several rounds of both shapes, so that the threads are inside OpenBLAS together. */
      impasto_parallel_for (pool, 8 * n, warm_task, &task);
      warmed_threads = n;
      warmed_channels = channels;
      warmed_positions = (int) positions;
    }
  pthread_mutex_unlock (&lock);
  impasto_free_buffer (a);
  impasto_free_buffer (b);
  impasto_free_buffer (c);
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
  run (out, inp, NULL, u, bias, dims, scratch, pool, OUT_STORE);
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
  run (out, inp, NULL, u, bias, dims, scratch, pool, OUT_STORE_RELU);
}

void
impasto_winograd_backward (float *dinp,
                           const float *dout,
                           const float *u,
                           const ImpastoConvDims *dims,
                           float *scratch,
                           ImpastoParallel *pool)
{
  run (dinp, dout, NULL, u, NULL, dims, scratch, pool, OUT_ADD_ROTATED);
}

void
impasto_winograd_backward_relu (float *dinp,
                                const float *dout,
                                const float *relu,
                                const float *u,
                                const ImpastoConvDims *dims,
                                float *scratch,
                                ImpastoParallel *pool)
{
  run (dinp, dout, relu, u, NULL, dims, scratch, pool, OUT_ADD_ROTATED);
}