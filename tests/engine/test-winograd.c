/* test-winograd.c
 *
 * The Winograd F(4x4, 3x3) convolution against the naive definition (impasto-conv.c, which sums
 * in double), forward (plain and with the fused ReLU) and backward, on every path this machine
 * can run (AVX-512 transforms with our micro-kernel or with BLAS, baseline transforms with BLAS
 * or with the micro-kernel's naive reference) and pools of 1 to 4 threads, on shapes with partial
 * tiles at the right and bottom edges (1x1, 1xN, Nx1, 37x29, 150x113), channel counts that are
 * not multiples of the micro-kernel's 8 rows, more input channels than one micro-kernel pass
 * (300), plans with several blocks and with output channels split between threads, and blocks
 * whose last panel of 32 tiles has 1, 6, 9, 16 or 20 tiles (the AVX2 kernel and the naive
 * reference skip the others).
 *
 * Tolerance: |got - want| <= atol + rtol |want| with atol = 4e-5 sqrt(9 K) and rtol = 1e-5, where
 * K is the number of channels summed (Cin forward, Cout backward) and inputs and weights are
 * uniform in [-1, 1] (outputs ~ sqrt(9 K) / 3). The transforms have entries up to 8 (A^T) and
 * 5 (B^T), so the Winograd-domain sums are ~10x larger than the pixels they make and the result
 * carries about two decimal digits less than the direct sum: measured max errors are
 * 0.4e-5 .. 1.8e-5 sqrt(9 K) (the larger for K = 512), against ~1e-7 sqrt(9 K) for im2col.
 * The fused ReLU gives exactly max (forward, 0). Also: the backward is the exact adjoint of the
 * forward and adds into its output; 1, 2, 3 and 4 threads agree (bit for bit on our kernels);
 * forward and backward allocate nothing (mallinfo2); and on VGG-like data (ReLU'd inputs,
 * He-initialised weights) the error relative to the largest output is in the expected
 * 1e-6 .. 2e-5 range.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <malloc.h>
#include <math.h>

#include <cblas.h>

#include "impasto-conv.h"
#include "impasto-parallel.h"
#include "impasto-memory.h"
#include "impasto-relu.h"
#include "impasto-winograd.h"

#define MAX_THREADS 4

static ImpastoParallel *pools[MAX_THREADS + 1];   /* pools[n]: n threads */

static float *
random_floats (size_t n, double lo, double hi)
{
  float *v = g_new (float, n);

  for (size_t i = 0; i < n; i++)
    v[i] = (float) g_test_rand_double_range (lo, hi);
  return v;
}

static double
dot (const float *a, const float *b, size_t n)
{
  double s = 0;

  for (size_t i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

static void
assert_close (const float *got, const float *want, size_t n, double atol, double rtol,
              const char *what)
{
  for (size_t i = 0; i < n; i++)
    if (!(fabs ((double) got[i] - want[i]) <= atol + rtol * fabs (want[i])))
      g_error ("%s: element %zu: got %.9g, want %.9g (atol %.3g, rtol %.3g)", what, i, got[i],
               want[i], atol, rtol);
}

static double
atol_for (int summed_channels)
{
  return 4e-5 * sqrt (9.0 * summed_channels);
}

#define RTOL 1e-5

/* Every pair of these channel counts on the small sizes below. */
static const int channel_counts[] = { 1, 3, 4, 64, 65 };

/* (H, W): single pixels, rows, columns, one whole tile, partial tiles on both edges. */
static const int small_sizes[][2] = { { 1, 1 }, { 1, 7 }, { 5, 1 }, { 4, 4 }, { 7, 9 }, { 2, 3 } };

/* (Cin, Cout, H, W) */
static const ImpastoConvDims larger_shapes[] = {
  { 1, 1, 37, 29 },
  { 3, 64, 37, 29 },
  { 64, 3, 37, 29 },
  { 4, 65, 37, 29 },
  { 65, 4, 37, 29 },
  { 65, 65, 37, 29 },
  { 300, 8, 9, 11 },     /* K > KC: the micro-kernel accumulates over two passes */
  { 8, 300, 9, 11 },     /* ... and backward */
  { 64, 64, 64, 64 },
  { 65, 64, 16, 20 },    /* 20 tiles: a panel's second half has 4 live tiles of 16 */
  { 64, 65, 8, 32 },     /* 16 tiles: a panel's second half has none */
  { 3, 64, 150, 113 },
  { 64, 65, 150, 113 },  /* several blocks */
};

static ImpastoConvDims shapes[G_N_ELEMENTS (channel_counts) * G_N_ELEMENTS (channel_counts)
                              * G_N_ELEMENTS (small_sizes) + G_N_ELEMENTS (larger_shapes)];
static guint n_shapes;

static void
make_shapes (void)
{
  for (guint z = 0; z < G_N_ELEMENTS (small_sizes); z++)
    for (guint i = 0; i < G_N_ELEMENTS (channel_counts); i++)
      for (guint o = 0; o < G_N_ELEMENTS (channel_counts); o++)
        shapes[n_shapes++] = (ImpastoConvDims) { channel_counts[i], channel_counts[o],
                                                 small_sizes[z][0], small_sizes[z][1] };
  for (guint l = 0; l < G_N_ELEMENTS (larger_shapes); l++)
    shapes[n_shapes++] = larger_shapes[l];
}

static const ImpastoWinogradPath paths[] = {
  IMPASTO_WINOGRAD_AVX512,
  IMPASTO_WINOGRAD_AVX512_BLAS,
  IMPASTO_WINOGRAD_BASELINE,
  IMPASTO_WINOGRAD_AVX2,
  IMPASTO_WINOGRAD_AVX2_BLAS,
  IMPASTO_WINOGRAD_NAIVE,
};

static float *
alloc_scratch (const ImpastoConvDims *d, int n_threads)
{
  float *scratch = impasto_alloc_floats (impasto_winograd_scratch_floats (d, n_threads));

  g_assert_nonnull (scratch);
  return scratch;
}

static float *
prepare (const float *w, const ImpastoConvDims *d)
{
  float *u = impasto_alloc_floats (impasto_winograd_filter_floats (d->in_channels,
                                                                   d->out_channels));

  g_assert_nonnull (u);
  impasto_winograd_prepare (u, w, d->in_channels, d->out_channels);
  return u;
}

static gboolean
is_large (const ImpastoConvDims *d)
{
  return (size_t) d->height * d->width > 2000;
}

static void
test_forward_matches_naive (void)
{
  for (guint s = 0; s < n_shapes; s++)
    {
      const ImpastoConvDims *d = &shapes[s];
      size_t in_n = (size_t) d->in_channels * d->height * d->width;
      size_t out_n = (size_t) d->out_channels * d->height * d->width;
      float *inp = random_floats (in_n, -1, 1);
      float *w = random_floats ((size_t) d->out_channels * d->in_channels * 9, -1, 1);
      float *b = random_floats ((size_t) d->out_channels, -1, 1);
      float *want = g_new0 (float, out_n);
      float *got = g_new (float, out_n);
      float *relu = g_new (float, out_n);
      float *u = prepare (w, d);

      impasto_conv2d_forward_naive (want, inp, w, b, d);
      for (guint g = 0; g < G_N_ELEMENTS (paths); g++)
        {
          if (impasto_winograd_set_path (paths[g]) != paths[g] && s == 0)
            g_test_message ("path %d is not available here: tested as %s", (int) paths[g],
                            impasto_winograd_path_name ());
          for (int t = 1; t <= MAX_THREADS; t++)
            {
              float *scratch;
              char *what;

              /* The big shapes on 1 and 2 threads only: they are slow under the naive GEMM. */
              if (is_large (d) && t > 2)
                continue;
              scratch = alloc_scratch (d, t);
              what = g_strdup_printf ("forward %d->%d %dx%d %s %d threads", d->in_channels,
                                      d->out_channels, d->height, d->width,
                                      impasto_winograd_path_name (), t);
              for (size_t i = 0; i < out_n; i++)
                got[i] = NAN;
              impasto_winograd_forward (got, inp, u, b, d, scratch, pools[t]);
              assert_close (got, want, out_n, atol_for (d->in_channels), RTOL, what);

              /* Fused ReLU: exactly max (forward, 0). */
              impasto_winograd_forward_relu (relu, inp, u, b, d, scratch, pools[t]);
              for (size_t i = 0; i < out_n; i++)
                got[i] = got[i] > 0.0f ? got[i] : 0.0f;
              assert_close (relu, got, out_n, 0.0, 0.0, what);
              g_free (what);
              impasto_free_buffer (scratch);
            }
        }
      impasto_winograd_set_path (IMPASTO_WINOGRAD_AUTO);
      impasto_free_buffer (u);
      g_free (inp); g_free (w); g_free (b); g_free (want); g_free (got); g_free (relu);
    }
}

static void
test_backward_matches_naive_and_adjoint (void)
{
  for (guint s = 0; s < n_shapes; s++)
    {
      const ImpastoConvDims *d = &shapes[s];
      size_t in_n = (size_t) d->in_channels * d->height * d->width;
      size_t out_n = (size_t) d->out_channels * d->height * d->width;
      float *x = random_floats (in_n, -1, 1);
      float *y = random_floats (out_n, -1, 1);
      float *w = random_floats ((size_t) d->out_channels * d->in_channels * 9, -1, 1);
      float *zero_bias = g_new0 (float, d->out_channels);
      float *conv_x = g_new0 (float, out_n);
      float *start = random_floats (in_n, -1, 1);   /* backward adds: start from something */
      float *want = g_memdup2 (start, in_n * sizeof (float));
      float *got = g_new (float, in_n);
      float *u = prepare (w, d);

      impasto_conv2d_backward_naive (want, y, w, d);
      impasto_conv2d_forward_naive (conv_x, x, w, zero_bias, d);
      for (guint g = 0; g < G_N_ELEMENTS (paths); g++)
        {
          impasto_winograd_set_path (paths[g]);
          for (int t = 1; t <= MAX_THREADS; t++)
            {
              float *scratch;
              char *what;
              double lhs, rhs;

              if (is_large (d) && t > 2)
                continue;
              scratch = alloc_scratch (d, t);
              what = g_strdup_printf ("backward %d->%d %dx%d %s %d threads", d->in_channels,
                                      d->out_channels, d->height, d->width,
                                      impasto_winograd_path_name (), t);
              memcpy (got, start, in_n * sizeof (float));
              impasto_winograd_backward (got, y, u, d, scratch, pools[t]);
              assert_close (got, want, in_n, atol_for (d->out_channels), RTOL, what);

              /* <conv(x), y> = <x, conv^T y>, with conv^T y = got - start. */
              for (size_t i = 0; i < in_n; i++)
                got[i] -= start[i];
              lhs = dot (conv_x, y, out_n);
              rhs = dot (x, got, in_n);
              if (!(fabs (lhs - rhs) <= atol_for (d->out_channels) * sqrt ((double) in_n)))
                g_error ("%s: <conv x, y> = %.9g but <x, conv^T y> = %.9g", what, lhs, rhs);
              g_free (what);
              impasto_free_buffer (scratch);
            }
        }
      impasto_winograd_set_path (IMPASTO_WINOGRAD_AUTO);
      impasto_free_buffer (u);
      g_free (x); g_free (y); g_free (w); g_free (zero_bias); g_free (conv_x);
      g_free (start); g_free (want); g_free (got);
    }
}

/* A single tap at (ky, kx) = (0, 1) reads the pixel one row above: pins the orientation, and the
 * backward of a single tap moves the gradient one row down. Not exact in floats: G has 1/6 and
 * 1/24 in it. */
static void
test_tap_orientation (void)
{
  ImpastoConvDims d = { 1, 1, 3, 3 };
  float inp[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  float w[9] = { 0, 1, 0, 0, 0, 0, 0, 0, 0 };
  float bias[1] = { 0.5f };
  float out[9], want[9] = { 0.5f, 0.5f, 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f };
  float dinp[9] = { 0 }, want_dinp[9] = { 4, 5, 6, 7, 8, 9, 0, 0, 0 };
  float *scratch = alloc_scratch (&d, 2);
  float *u = prepare (w, &d);

  impasto_winograd_forward (out, inp, u, bias, &d, scratch, pools[2]);
  assert_close (out, want, 9, 2e-5, 0, "forward");
  impasto_winograd_backward (dinp, inp, u, &d, scratch, pools[2]);
  assert_close (dinp, want_dinp, 9, 2e-5, 0, "backward");
  impasto_free_buffer (scratch);
  impasto_free_buffer (u);
}

/* 1, 2, 3 and 4 threads give the same result, on plans with different blocks and splits. */
/* The backward through a ReLU with its mask applied as the input phase reads dout equals the
 * ReLU's backward (impasto_relu_backward()) followed by the plain backward, float for float, on
 * every path and thread count: the masked gathers read the same values or zeros. */
static void
test_backward_relu_fused (void)
{
  for (guint s = 0; s < n_shapes; s++)
    {
      const ImpastoConvDims *d = &shapes[s];
      size_t in_n = (size_t) d->in_channels * d->height * d->width;
      size_t out_n = (size_t) d->out_channels * d->height * d->width;
      float *dout = random_floats (out_n, -1, 1);
      float *relu = random_floats (out_n, -1, 1);
      float *w = random_floats ((size_t) d->out_channels * d->in_channels * 9, -1, 1);
      float *masked = g_new (float, out_n);
      float *scratch_dout = g_new (float, out_n);
      float *want = g_new (float, in_n);
      float *got = g_new (float, in_n);
      float *u = prepare (w, d);

      /* A ReLU's output: zero where the pre-activation was negative. */
      for (size_t i = 0; i < out_n; i++)
        relu[i] = relu[i] > 0.0f ? relu[i] : 0.0f;
      memcpy (masked, dout, out_n * sizeof (float));
      impasto_relu_backward (masked, relu, out_n);
      for (guint g = 0; g < G_N_ELEMENTS (paths); g++)
        {
          impasto_winograd_set_path (paths[g]);
          for (int t = 1; t <= 2; t++)
            {
              float *scratch = alloc_scratch (d, t);

              memset (want, 0, in_n * sizeof (float));
              impasto_winograd_backward (want, masked, u, d, scratch, pools[t]);
              memcpy (scratch_dout, dout, out_n * sizeof (float));
              memset (got, 0, in_n * sizeof (float));
              impasto_winograd_backward_relu (got, scratch_dout, relu, u, d, scratch, pools[t]);
              if (memcmp (got, want, in_n * sizeof (float)) != 0)
                g_error ("backward through the ReLU %d->%d %dx%d %s %d threads: not the masked "
                         "backward", d->in_channels, d->out_channels, d->height, d->width,
                         impasto_winograd_path_name (), t);
              if (memcmp (scratch_dout, dout, out_n * sizeof (float)) != 0)
                g_error ("backward through the ReLU %d->%d %dx%d %s %d threads: dout changed",
                         d->in_channels, d->out_channels, d->height, d->width,
                         impasto_winograd_path_name (), t);
              impasto_free_buffer (scratch);
            }
        }
      impasto_winograd_set_path (IMPASTO_WINOGRAD_AUTO);
      impasto_free_buffer (u);
      g_free (dout);
      g_free (relu);
      g_free (w);
      g_free (masked);
      g_free (scratch_dout);
      g_free (want);
      g_free (got);
    }
}

static void
test_threads_agree (void)
{
  ImpastoConvDims d = { 72, 40, 45, 70 };
  size_t in_n = (size_t) d.in_channels * d.height * d.width;
  size_t out_n = (size_t) d.out_channels * d.height * d.width;
  float *inp = random_floats (in_n, -1, 1);
  float *dout = random_floats (out_n, -1, 1);
  float *w = random_floats ((size_t) d.out_channels * d.in_channels * 9, -1, 1);
  float *b = random_floats ((size_t) d.out_channels, -1, 1);
  float *u = prepare (w, &d);
  float *out1 = g_new (float, out_n), *out = g_new (float, out_n);
  float *dinp1 = g_new0 (float, in_n), *dinp = g_new0 (float, in_n);

  for (guint g = 0; g < G_N_ELEMENTS (paths); g++)
    {
      impasto_winograd_set_path (paths[g]);
      for (int t = 1; t <= MAX_THREADS; t++)
        {
          float *scratch = alloc_scratch (&d, t);
          float *o = t == 1 ? out1 : out;
          float *di = t == 1 ? dinp1 : dinp;

          memset (di, 0, in_n * sizeof (float));
          impasto_winograd_forward (o, inp, u, b, &d, scratch, pools[t]);
          impasto_winograd_backward (di, dout, u, &d, scratch, pools[t]);
          if (t > 1)
            {
              /* Our kernels sum in the same order on every plan: identical floats. OpenBLAS
               * picks its blocking by matrix size, so blocks of other widths round differently:
               * the naive comparison's tolerance there. */
              ImpastoWinogradPath used = impasto_winograd_set_path (paths[g]);
              gboolean blas = used == IMPASTO_WINOGRAD_AVX512_BLAS
                              || used == IMPASTO_WINOGRAD_BASELINE
                              || used == IMPASTO_WINOGRAD_AVX2_BLAS;
              double ftol = blas ? atol_for (d.in_channels) : 0.0;
              double btol = blas ? atol_for (d.out_channels) : 0.0;

              assert_close (out, out1, out_n, ftol, blas ? RTOL : 0.0, "forward, threads");
              assert_close (dinp, dinp1, in_n, btol, blas ? RTOL : 0.0, "backward, threads");
            }
          impasto_free_buffer (scratch);
        }
    }
  impasto_winograd_set_path (IMPASTO_WINOGRAD_AUTO);
  impasto_free_buffer (u);
  g_free (inp); g_free (dout); g_free (w); g_free (b);
  g_free (out1); g_free (out); g_free (dinp1); g_free (dinp);
}

/* Neither forward nor backward calls malloc: the heap's in-use bytes do not move. */
static void
test_no_allocation (void)
{
  ImpastoConvDims d = { 32, 48, 61, 67 };
  size_t in_n = (size_t) d.in_channels * d.height * d.width;
  size_t out_n = (size_t) d.out_channels * d.height * d.width;
  float *inp = random_floats (in_n, -1, 1);
  float *dout = random_floats (out_n, -1, 1);
  float *w = random_floats ((size_t) d.out_channels * d.in_channels * 9, -1, 1);
  float *b = random_floats ((size_t) d.out_channels, -1, 1);
  float *u = prepare (w, &d);
  float *out = g_new (float, out_n), *dinp = g_new0 (float, in_n);

  for (guint g = 0; g < G_N_ELEMENTS (paths); g++)
    {
      struct mallinfo2 before, after;
      float *scratch;

      impasto_winograd_set_path (paths[g]);
      scratch = alloc_scratch (&d, 2);
      /* Warm up: the first BLAS call may set up BLAS's own buffers. */
      impasto_winograd_forward (out, inp, u, b, &d, scratch, pools[2]);
      impasto_winograd_backward (dinp, dout, u, &d, scratch, pools[2]);

      before = mallinfo2 ();
      for (int i = 0; i < 3; i++)
        {
          impasto_winograd_forward (out, inp, u, b, &d, scratch, pools[2]);
          impasto_winograd_backward (dinp, dout, u, &d, scratch, pools[2]);
        }
      after = mallinfo2 ();
      g_assert_cmpuint (after.uordblks, ==, before.uordblks);
      g_assert_cmpuint (after.hblkhd, ==, before.hblkhd);
      impasto_free_buffer (scratch);
    }
  impasto_winograd_set_path (IMPASTO_WINOGRAD_AUTO);
  impasto_free_buffer (u);
  g_free (inp); g_free (dout); g_free (w); g_free (b); g_free (out); g_free (dinp);
}

/* VGG-like data: inputs >= 0 as after a ReLU, weights with He's scale. The error relative to the
 * largest output, against the double-precision sum, on the default path. */
static void
test_accuracy_vgg_like (void)
{
  static const ImpastoConvDims layers[] = {
    { 3, 64, 64, 64 }, { 64, 64, 64, 64 }, { 128, 128, 32, 32 }, { 256, 256, 16, 16 },
    { 512, 512, 8, 8 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (layers); s++)
    {
      const ImpastoConvDims *d = &layers[s];
      size_t in_n = (size_t) d->in_channels * d->height * d->width;
      size_t out_n = (size_t) d->out_channels * d->height * d->width;
      double scale = sqrt (2.0 / (9.0 * d->in_channels)) * sqrt (3.0);
      float *inp = random_floats (in_n, 0, 1);
      float *dout = random_floats (out_n, -1, 1);
      float *w = random_floats ((size_t) d->out_channels * d->in_channels * 9, -scale, scale);
      float *b = g_new0 (float, d->out_channels);
      float *want = g_new0 (float, out_n), *got = g_new (float, out_n);
      float *dwant = g_new0 (float, in_n), *dgot = g_new0 (float, in_n);
      float *scratch = alloc_scratch (d, 2);
      float *u = prepare (w, d);
      double fbig = 0, ferr = 0, bbig = 0, berr = 0;

      impasto_conv2d_forward_naive (want, inp, w, b, d);
      impasto_conv2d_backward_naive (dwant, dout, w, d);
      impasto_winograd_forward (got, inp, u, b, d, scratch, pools[2]);
      impasto_winograd_backward (dgot, dout, u, d, scratch, pools[2]);
      for (size_t i = 0; i < out_n; i++)
        {
          fbig = fmax (fbig, fabs (want[i]));
          ferr = fmax (ferr, fabs ((double) got[i] - want[i]));
        }
      for (size_t i = 0; i < in_n; i++)
        {
          bbig = fmax (bbig, fabs (dwant[i]));
          berr = fmax (berr, fabs ((double) dgot[i] - dwant[i]));
        }
      g_test_message ("%3d -> %3d at %dx%d (%s): max error / max |out|: forward %.2e, "
                      "backward %.2e", d->in_channels, d->out_channels, d->height, d->width,
                      impasto_winograd_path_name (), ferr / fbig, berr / bbig);
      g_assert_cmpfloat (ferr / fbig, <, 3e-5);
      g_assert_cmpfloat (berr / bbig, <, 3e-5);

      impasto_free_buffer (scratch);
      impasto_free_buffer (u);
      g_free (inp); g_free (dout); g_free (w); g_free (b); g_free (want); g_free (got);
      g_free (dwant); g_free (dgot);
    }
}

/* Every task number is run exactly once, whatever the pool's size. */
static void
count_task (int task, int thread, void *data)
{
  int *hits = data;

  g_assert_cmpint (thread, >=, 0);
  g_assert_cmpint (thread, <, MAX_THREADS);
  __atomic_fetch_add (&hits[task], 1, __ATOMIC_RELAXED);
}

static void
test_parallel_for (void)
{
  int hits[1000];

  for (int t = 1; t <= MAX_THREADS; t++)
    for (int n = 0; n <= 1000; n = n * 3 + 1)
      for (int repeat = 0; repeat < 3; repeat++)
        {
          memset (hits, 0, sizeof hits);
          impasto_parallel_for (pools[t], n, count_task, hits);
          for (int i = 0; i < n; i++)
            g_assert_cmpint (hits[i], ==, 1);
        }
  g_assert_cmpint (impasto_parallel_get_n_threads (NULL), ==, 1);
  g_assert_cmpint (impasto_parallel_get_n_threads (pools[3]), ==, 3);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_shapes ();
  /* The pools' threads call BLAS concurrently: BLAS itself runs on one thread. */
  openblas_set_num_threads (1);
  pools[0] = NULL;
  for (int t = 1; t <= MAX_THREADS; t++)
    {
      pools[t] = impasto_parallel_new (t);
      g_assert_nonnull (pools[t]);
    }

  g_test_add_func ("/winograd/parallel-for", test_parallel_for);
  g_test_add_func ("/winograd/tap-orientation", test_tap_orientation);
  g_test_add_func ("/winograd/forward-matches-naive", test_forward_matches_naive);
  g_test_add_func ("/winograd/backward-matches-naive-and-adjoint",
                   test_backward_matches_naive_and_adjoint);
  g_test_add_func ("/winograd/backward-relu-fused", test_backward_relu_fused);
  g_test_add_func ("/winograd/threads-agree", test_threads_agree);
  g_test_add_func ("/winograd/no-allocation", test_no_allocation);
  g_test_add_func ("/winograd/accuracy-vgg-like", test_accuracy_vgg_like);
  status = g_test_run ();

  for (int t = 1; t <= MAX_THREADS; t++)
    impasto_parallel_free (pools[t]);
  return status;
}
