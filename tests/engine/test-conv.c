/* test-conv.c
 *
 * The banded im2col + sgemm convolution (the tests' reference in tools/) against the naive
 * definition, forward and backward,
 * on shapes that exercise band edges (heights that do not divide into bands, one-pixel-wide
 * images, many channels); the backward against the exact adjoint identity
 * <conv(x), y> = <x, conv^T(y)>; ReLU forward and backward.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>

#include "impasto-conv-im2col.h"
#include "impasto-memory.h"
#include "impasto-relu.h"
#include "impasto-threads.h"

static float *
random_floats (size_t n, double lo, double hi)
{
  float *v = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    v[i] = (float) g_test_rand_double_range (lo, hi);
  return v;
}

static void
assert_close (const float *got, const float *want, size_t n, double atol, double rtol)
{
  for (size_t i = 0; i < n; i++)
    if (!(fabs ((double) got[i] - want[i]) <= atol + rtol * fabs (want[i])))
      g_error ("element %zu: got %.9g, want %.9g", i, got[i], want[i]);
}

static const ImpastoConvDims shapes[] = {
  { 3, 4, 5, 7 },
  { 1, 1, 1, 1 },
  { 2, 3, 1, 9 },
  { 5, 2, 9, 1 },
  { 64, 8, 37, 29 },    /* more than one band: 64 * 9 * 29 floats per row */
  { 200, 16, 40, 50 },  /* many short bands */
};

static void
test_forward_matches_naive (void)
{
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const ImpastoConvDims *d = &shapes[s];
      size_t in_n = (size_t) d->in_channels * d->height * d->width;
      size_t out_n = (size_t) d->out_channels * d->height * d->width;
      float *inp = random_floats (in_n, -1, 1);
      float *w = random_floats ((size_t) d->out_channels * d->in_channels * 9, -1, 1);
      float *b = random_floats ((size_t) d->out_channels, -1, 1);
      float *fast = g_new0 (float, out_n);
      float *slow = g_new0 (float, out_n);
      float *scratch = impasto_alloc_floats (impasto_conv_im2col_scratch_floats (d));

      impasto_conv_im2col_forward (fast, inp, w, b, d, scratch);
      impasto_conv2d_forward_naive (slow, inp, w, b, d);
      assert_close (fast, slow, out_n, 1e-4 * sqrt (d->in_channels * 9.0), 1e-5);

      impasto_free_buffer (scratch);
      g_free (inp); g_free (w); g_free (b); g_free (fast); g_free (slow);
    }
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
test_backward_matches_naive_and_adjoint (void)
{
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const ImpastoConvDims *d = &shapes[s];
      size_t in_n = (size_t) d->in_channels * d->height * d->width;
      size_t out_n = (size_t) d->out_channels * d->height * d->width;
      float *x = random_floats (in_n, -1, 1);
      float *y = random_floats (out_n, -1, 1);
      float *w = random_floats ((size_t) d->out_channels * d->in_channels * 9, -1, 1);
      float *zero_bias = g_new0 (float, d->out_channels);
      float *conv_x = g_new0 (float, out_n);
      float *fast = random_floats (in_n, -1, 1);  /* backward adds: start from something */
      float *slow = g_memdup2 (fast, in_n * sizeof (float));
      float *start = g_memdup2 (fast, in_n * sizeof (float));
      float *scratch = impasto_alloc_floats (impasto_conv_im2col_scratch_floats (d));
      double lhs, rhs;

      impasto_conv_im2col_backward (fast, y, w, d, scratch);
      impasto_conv2d_backward_naive (slow, y, w, d);
      assert_close (fast, slow, in_n, 1e-4 * sqrt (d->out_channels * 9.0), 1e-5);

      /* <conv(x), y> = <x, conv^T y>, with conv^T y = fast - start. */
      impasto_conv2d_forward_naive (conv_x, x, w, zero_bias, d);
      for (size_t i = 0; i < in_n; i++)
        slow[i] -= start[i];
      lhs = dot (conv_x, y, out_n);
      rhs = dot (x, slow, in_n);
      g_assert_cmpfloat_with_epsilon (lhs, rhs, 1e-4 * (1.0 + fabs (lhs)));

      impasto_free_buffer (scratch);
      g_free (x); g_free (y); g_free (w); g_free (zero_bias); g_free (conv_x);
      g_free (fast); g_free (slow); g_free (start);
    }
}

/* A single tap at (ky, kx) = (0, 1) reads the pixel one row above: pins the orientation. */
static void
test_tap_orientation (void)
{
  ImpastoConvDims d = { 1, 1, 3, 3 };
  float inp[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  float w[9] = { 0, 1, 0, 0, 0, 0, 0, 0, 0 };
  float bias[1] = { 0.5f };
  float out[9], want[9] = { 0.5f, 0.5f, 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f };
  float *scratch = impasto_alloc_floats (impasto_conv_im2col_scratch_floats (&d));

  impasto_conv_im2col_forward (out, inp, w, bias, &d, scratch);
  assert_close (out, want, 9, 0, 0);
  impasto_conv2d_forward_naive (out, inp, w, bias, &d);
  assert_close (out, want, 9, 0, 0);
  impasto_free_buffer (scratch);
}

static void
test_relu (void)
{
  float x[5] = { -2, -0.0f, 0, 0.5f, 3 };
  float dx[5] = { 1, 1, 1, 1, 1 };
  float want_x[5] = { 0, 0, 0, 0.5f, 3 };
  float want_dx[5] = { 0, 0, 0, 1, 1 };

  impasto_relu_forward (x, 5);
  assert_close (x, want_x, 5, 0, 0);
  impasto_relu_backward (dx, x, 5);
  assert_close (dx, want_dx, 5, 0, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add_func ("/conv/forward-matches-naive", test_forward_matches_naive);
  g_test_add_func ("/conv/backward-matches-naive-and-adjoint",
                   test_backward_matches_naive_and_adjoint);
  g_test_add_func ("/conv/tap-orientation", test_tap_orientation);
  g_test_add_func ("/conv/relu", test_relu);
  return g_test_run ();
}
