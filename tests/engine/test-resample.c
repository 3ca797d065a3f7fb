/* test-resample.c
 *
 * The bicubic resampler against its naive 2-D twin (up, down, one and three channels), and the
 * exact cases: a constant picture stays constant, the same size is the identity, and the Keys
 * kernel's values at the sample points of a 2x enlargement.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-resample.h"

static float *
random_picture (int width, int height, int channels)
{
  float *p = g_new (float, (size_t) width * height * channels);

  for (size_t i = 0; i < (size_t) width * height * channels; i++)
    p[i] = (float) g_test_rand_double_range (-50.0, 300.0);
  return p;
}

static void
check_against_naive (int sw, int sh, int dw, int dh, int channels)
{
  g_autofree float *src = random_picture (sw, sh, channels);
  g_autofree float *fast = g_new (float, (size_t) dw * dh * channels);
  g_autofree float *naive = g_new (float, (size_t) dw * dh * channels);
  g_autofree float *scratch = g_new (float, impasto_resample_scratch_floats (sh, dw, channels));
  double worst = 0.0;

  impasto_resample (fast, scratch, src, sw, sh, dw, dh, channels);
  impasto_resample_naive (naive, src, sw, sh, dw, dh, channels);
  for (size_t i = 0; i < (size_t) dw * dh * channels; i++)
    {
      double err = fabs ((double) fast[i] - naive[i]);

      worst = MAX (worst, err);
      g_assert_cmpfloat (err, <=, 1e-4 + 1e-5 * fabs (naive[i]));
    }
  g_test_message ("%dx%d -> %dx%d x%d: worst %g", sw, sh, dw, dh, channels, worst);
}

static void
test_naive (void)
{
  check_against_naive (13, 11, 29, 23, 3);   /* up */
  check_against_naive (29, 23, 9, 7, 3);     /* down, more than 3x */
  check_against_naive (20, 20, 28, 14, 1);   /* up one way, down the other */
  check_against_naive (1, 5, 4, 2, 3);       /* one-pixel wide */
}

static void
test_constant (void)
{
  const int sizes[][4] = { { 17, 9, 40, 31 }, { 40, 31, 6, 5 }, { 8, 8, 8, 8 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int sw = sizes[k][0], sh = sizes[k][1], dw = sizes[k][2], dh = sizes[k][3];
      g_autofree float *src = g_new (float, (size_t) sw * sh * 3);
      g_autofree float *dst = g_new (float, (size_t) dw * dh * 3);
      g_autofree float *scratch = g_new (float, impasto_resample_scratch_floats (sh, dw, 3));

      for (size_t i = 0; i < (size_t) sw * sh; i++)
        {
          src[i * 3] = 37.25f;
          src[i * 3 + 1] = -3.1f;
          src[i * 3 + 2] = 254.9f;
        }
      impasto_resample (dst, scratch, src, sw, sh, dw, dh, 3);
      for (size_t i = 0; i < (size_t) dw * dh; i++)
        {
          g_assert_cmpfloat (dst[i * 3], ==, 37.25f);
          g_assert_cmpfloat (dst[i * 3 + 1], ==, -3.1f);
          g_assert_cmpfloat (dst[i * 3 + 2], ==, 254.9f);
        }
    }
}

static void
test_identity (void)
{
  g_autofree float *src = random_picture (23, 17, 3);
  g_autofree float *dst = g_new (float, 23 * 17 * 3);
  g_autofree float *naive = g_new (float, 23 * 17 * 3);
  g_autofree float *scratch = g_new (float, impasto_resample_scratch_floats (17, 23, 3));

  impasto_resample (dst, scratch, src, 23, 17, 23, 17, 3);
  g_assert_cmpmem (dst, 23 * 17 * 3 * sizeof (float), src, 23 * 17 * 3 * sizeof (float));
  impasto_resample_naive (naive, src, 23, 17, 23, 17, 3);
  g_assert_cmpmem (naive, 23 * 17 * 3 * sizeof (float), src, 23 * 17 * 3 * sizeof (float));
}

/* A single bright pixel in the middle of a row, enlarged 2x along x: output pixel centres sit at
 * input positions -0.25, 0.25, 0.75, ... so the values are Keys' kernel at 0.25, 0.75, 1.25,
 * 1.75 (no normalisation needed: the weights sum to 1 there). */
static void
test_kernel_values (void)
{
  float src[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
  float dst[16];
  float scratch[16];
  /* a = -0.5: k(x) = 1.5|x|^3 - 2.5|x|^2 + 1 (|x| < 1), -0.5|x|^3 + 2.5|x|^2 - 4|x| + 2. */
  const double k025 = 1.5 * 0.015625 - 2.5 * 0.0625 + 1.0;
  const double k075 = 1.5 * 0.421875 - 2.5 * 0.5625 + 1.0;
  const double k125 = -0.5 * 1.953125 + 2.5 * 1.5625 - 4.0 * 1.25 + 2.0;
  const double k175 = -0.5 * 5.359375 + 2.5 * 3.0625 - 4.0 * 1.75 + 2.0;

  impasto_resample (dst, scratch, src, 8, 1, 16, 1, 1);
  /* Input 3 sits between outputs 6 (3 - 0.25) and 7 (3 + 0.25). */
  g_assert_cmpfloat_with_epsilon (dst[6], k025, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[7], k025, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[5], k075, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[8], k075, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[4], k125, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[9], k125, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[3], k175, 1e-6);
  g_assert_cmpfloat_with_epsilon (dst[10], k175, 1e-6);
  g_assert_cmpfloat (dst[2], ==, 0.0f);
  g_assert_cmpfloat (dst[11], ==, 0.0f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/resample/naive", test_naive);
  g_test_add_func ("/resample/constant", test_constant);
  g_test_add_func ("/resample/identity", test_identity);
  g_test_add_func ("/resample/kernel-values", test_kernel_values);
  return g_test_run ();
}
