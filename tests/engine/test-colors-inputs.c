/* test-colors-inputs.c
 *
 * What each colour choice does to a run's inputs (impasto-colors-inputs.h): luminance makes the
 * photo and the paintings grey, each painting with the photo's luminance mean and deviation
 * (taken from the photo in colour); histogram gives each painting the photo's mean and
 * covariance and leaves the photo alone; none and swap change nothing; which choices keep the
 * photo's chroma and which need new targets; the 8-bit picture with the photo's chroma is
 * clamped and rounded.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-colors-inputs.h"

#define N_PHOTO 600
#define N_A 400
#define N_B 250

static float *
picture (size_t n, double r, double g, double b)
{
  float *rgb = g_new (float, n * 3);

  for (size_t p = 0; p < n; p++)
    {
      double t = g_test_rand_double_range (-1, 1), u = g_test_rand_double_range (-1, 1);

      rgb[p * 3 + 0] = (float) (r + 40 * t + 10 * u);
      rgb[p * 3 + 1] = (float) (g + 20 * t - 25 * u);
      rgb[p * 3 + 2] = (float) (b - 30 * t + 5 * u);
    }
  return rgb;
}

static double
luminance_mean (const float *rgb, size_t n, double *deviation)
{
  double sum = 0, sum2 = 0;

  for (size_t p = 0; p < n; p++)
    {
      double y = 0.299 * rgb[p * 3] + 0.587 * rgb[p * 3 + 1] + 0.114 * rgb[p * 3 + 2];

      sum += y;
      sum2 += y * y;
    }
  *deviation = sqrt (sum2 / n - (sum / n) * (sum / n));
  return sum / n;
}

static void
test_luminance (void)
{
  g_autofree float *photo = picture (N_PHOTO, 120, 100, 80);
  g_autofree float *original = g_memdup2 (photo, N_PHOTO * 3 * sizeof (float));
  g_autofree float *a = picture (N_A, 60, 150, 200);
  g_autofree float *b = picture (N_B, 200, 40, 90);
  float *paintings[] = { a, b };
  size_t pixels[] = { N_A, N_B };
  double sd_photo, mean_photo = luminance_mean (original, N_PHOTO, &sd_photo);

  impasto_colors_prepare_inputs (IMPASTO_COLORS_LUMINANCE, photo, N_PHOTO, paintings, pixels, 2);
  for (int i = 0; i < 3; i++)
    {
      const float *rgb = i == 0 ? photo : paintings[i - 1];
      size_t n = i == 0 ? N_PHOTO : pixels[i - 1];
      double sd, mean = luminance_mean (rgb, n, &sd);

      for (size_t p = 0; p < n; p++)
        {
          g_assert_cmpfloat (rgb[p * 3], ==, rgb[p * 3 + 1]);
          g_assert_cmpfloat (rgb[p * 3], ==, rgb[p * 3 + 2]);
        }
      /* The paintings matched to the photo in colour; the photo keeps its own luminance. */
      g_assert_cmpfloat_with_epsilon (mean, mean_photo, 1e-3);
      g_assert_cmpfloat_with_epsilon (sd, sd_photo, 1e-3);
    }
}

static void
test_histogram (void)
{
  g_autofree float *photo = picture (N_PHOTO, 120, 100, 80);
  g_autofree float *original = g_memdup2 (photo, N_PHOTO * 3 * sizeof (float));
  g_autofree float *a = picture (N_A, 60, 150, 200);
  float *paintings[] = { a };
  size_t pixels[] = { N_A };
  double mean_photo[3], cov_photo[9], mean[3], cov[9];

  impasto_colors_prepare_inputs (IMPASTO_COLORS_HISTOGRAM, photo, N_PHOTO, paintings, pixels, 1);
  g_assert_cmpmem (photo, N_PHOTO * 3 * sizeof (float), original, N_PHOTO * 3 * sizeof (float));
  impasto_colors_statistics (photo, N_PHOTO, mean_photo, cov_photo);
  impasto_colors_statistics (a, N_A, mean, cov);
  for (int k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (mean[k], mean_photo[k], 1e-3);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat_with_epsilon (cov[k], cov_photo[k], 1e-3 * cov_photo[0]);
}

static void
test_unchanged (void)
{
  for (int c = 0; c < 2; c++)
    {
      ImpastoColors colors = c == 0 ? IMPASTO_COLORS_NONE : IMPASTO_COLORS_SWAP;
      g_autofree float *photo = picture (N_PHOTO, 120, 100, 80);
      g_autofree float *a = picture (N_A, 60, 150, 200);
      g_autofree float *photo_copy = g_memdup2 (photo, N_PHOTO * 3 * sizeof (float));
      g_autofree float *a_copy = g_memdup2 (a, N_A * 3 * sizeof (float));
      float *paintings[] = { a };
      size_t pixels[] = { N_A };

      impasto_colors_prepare_inputs (colors, photo, N_PHOTO, paintings, pixels, 1);
      g_assert_cmpmem (photo, N_PHOTO * 3 * sizeof (float), photo_copy,
                       N_PHOTO * 3 * sizeof (float));
      g_assert_cmpmem (a, N_A * 3 * sizeof (float), a_copy, N_A * 3 * sizeof (float));
    }
  g_assert_false (impasto_colors_changes_inputs (IMPASTO_COLORS_NONE));
  g_assert_true (impasto_colors_changes_inputs (IMPASTO_COLORS_LUMINANCE));
  g_assert_true (impasto_colors_changes_inputs (IMPASTO_COLORS_HISTOGRAM));
  g_assert_false (impasto_colors_changes_inputs (IMPASTO_COLORS_SWAP));
  g_assert_false (impasto_colors_keeps_photo_chroma (IMPASTO_COLORS_NONE));
  g_assert_true (impasto_colors_keeps_photo_chroma (IMPASTO_COLORS_LUMINANCE));
  g_assert_false (impasto_colors_keeps_photo_chroma (IMPASTO_COLORS_HISTOGRAM));
  g_assert_true (impasto_colors_keeps_photo_chroma (IMPASTO_COLORS_SWAP));
}

/* The 8-bit picture: the float result clamped and rounded, value for value. */
static void
test_rgb8 (void)
{
  float rgb[] = { 300.0f, 128.4f, -12.0f, 10.5f, 10.49f, 254.6f };
  float photo[] = { 128.0f, 128.0f, 128.0f, 128.0f, 128.0f, 128.0f };
  float want[6];
  uint8_t out[6];

  memcpy (want, rgb, sizeof rgb);
  impasto_colors_keep_chroma (want, photo, 2);
  impasto_colors_keep_chroma_rgb8 (rgb, photo, 2, out);
  for (int k = 0; k < 6; k++)
    {
      long r = lrintf (want[k]);

      g_assert_cmpint (out[k], ==, r < 0 ? 0 : r > 255 ? 255 : r);
    }
  /* A grey photo: the result is grey at the input's luminance. */
  g_assert_cmpint (out[0], ==, out[1]);
  g_assert_cmpint (out[3], ==, out[5]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/colors-inputs/luminance", test_luminance);
  g_test_add_func ("/colors-inputs/histogram", test_histogram);
  g_test_add_func ("/colors-inputs/unchanged", test_unchanged);
  g_test_add_func ("/colors-inputs/rgb8", test_rgb8);
  return g_test_run ();
}
