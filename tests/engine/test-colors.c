/* test-colors.c
 *
 * The colour math of impasto-colors.h against plain references written here: the names and their
 * parsing; luminance and its match of mean and deviation; the chroma swap (YIQ I and Q taken from
 * the photo, Y kept, and a round trip exact to one float step); the mean-and-covariance match on
 * random correlated pictures, an almost grey and an exactly grey painting (where eps decides);
 * the statistics on a picture worked by hand; the Jacobi square roots against Denman-Beavers.
 *
 * All pictures are on the 0..255 scale. Tolerances are said where they are asserted.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-colors.h"

/* The forward YIQ matrix, written out again so the test does not trust the module's copy. */
static const double yiq[9] = {
  0.299, 0.587, 0.114,
  0.596, -0.274, -0.322,
  0.211, -0.523, 0.312,
};

/* ---- small 3x3 helpers, double, row-major ---- */

static void
mat_mul (const double *a, const double *b, double *out)
{
  double r[9];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        r[i * 3 + j] = 0.0;
        for (int k = 0; k < 3; k++)
          r[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
      }
  memcpy (out, r, sizeof r);
}

/* Gauss-Jordan with partial pivoting in long double: backward stable, so good to about
 * cond * 5e-20 even for the nearly singular covariances of a grey painting (condition ~1e9),
 * where an adjugate's determinant would cancel away. */
static void
mat_inverse (const double *m, double *out)
{
  long double a[3][6];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        a[i][j] = m[i * 3 + j];
        a[i][j + 3] = i == j ? 1.0L : 0.0L;
      }
  for (int col = 0; col < 3; col++)
    {
      int pivot = col;

      for (int r = col + 1; r < 3; r++)
        if (fabsl (a[r][col]) > fabsl (a[pivot][col]))
          pivot = r;
      g_assert_cmpfloat ((double) a[pivot][col], !=, 0.0);
      for (int j = 0; j < 6; j++)
        {
          long double t = a[col][j];

          a[col][j] = a[pivot][j];
          a[pivot][j] = t;
        }
      for (int j = 5; j >= col; j--)
        a[col][j] /= a[col][col];
      for (int r = 0; r < 3; r++)
        if (r != col)
          {
            long double f = a[r][col];

            for (int j = col; j < 6; j++)
              a[r][j] -= f * a[col][j];
          }
    }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      out[i * 3 + j] = (double) a[i][j + 3];
}

static double
max_abs (const double *m)
{
  double worst = 0.0;

  for (int k = 0; k < 9; k++)
    worst = MAX (worst, fabs (m[k]));
  return worst;
}

/* The square root of the SPD @m by the Denman-Beavers iteration (Y -> m^(1/2), Z -> m^(-1/2)),
 * on m / s with s its mean diagonal so the iteration starts near 1: the naive reference. */
static void
denman_beavers (const double *m, double *root)
{
  double s = (m[0] + m[4] + m[8]) / 3.0;
  double y[9], z[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };

  for (int k = 0; k < 9; k++)
    y[k] = m[k] / s;
  for (int iter = 0; iter < 100; iter++)
    {
      double yi[9], zi[9], change = 0.0;

      mat_inverse (y, yi);
      mat_inverse (z, zi);
      for (int k = 0; k < 9; k++)
        {
          double next = 0.5 * (y[k] + zi[k]);

          change = MAX (change, fabs (next - y[k]));
          y[k] = next;
          z[k] = 0.5 * (z[k] + yi[k]);
        }
      if (change < 1e-15)
        break;
    }
  for (int k = 0; k < 9; k++)
    root[k] = y[k] * sqrt (s);
}

/* ---- pictures ---- */

/* (n, 3): each pixel mix * u + offset, u uniform in [0, 1)^3, so the covariance is
 * mix mix^T / 12: correlated, full rank for a random mix. */
static float *
correlated_picture (size_t n, const double *mix, const double *offset)
{
  float *p = g_new (float, n * 3);

  for (size_t i = 0; i < n; i++)
    {
      double u[3] = { g_test_rand_double (), g_test_rand_double (), g_test_rand_double () };

      for (int c = 0; c < 3; c++)
        p[i * 3 + c] = (float) (mix[c * 3] * u[0] + mix[c * 3 + 1] * u[1] + mix[c * 3 + 2] * u[2]
                                + offset[c]);
    }
  return p;
}

/* A random correlated picture with values roughly inside 0..255: an ordinary picture, whose
 * mix is drawn again while it is nearly singular (|det| below 5% of the product of its row
 * lengths), so that its least colour variance is not far below eps * 1e3 times its largest. */
static float *
random_picture (size_t n)
{
  double mix[9], offset[3], det, rows;

  do
    {
      for (int k = 0; k < 9; k++)
        mix[k] = g_test_rand_double_range (-90.0, 90.0);
      det = mix[0] * (mix[4] * mix[8] - mix[5] * mix[7])
            - mix[1] * (mix[3] * mix[8] - mix[5] * mix[6])
            + mix[2] * (mix[3] * mix[7] - mix[4] * mix[6]);
      rows = 1.0;
      for (int c = 0; c < 3; c++)
        rows *= sqrt (mix[c * 3] * mix[c * 3] + mix[c * 3 + 1] * mix[c * 3 + 1]
                      + mix[c * 3 + 2] * mix[c * 3 + 2]);
    }
  while (fabs (det) < 0.05 * rows);
  for (int c = 0; c < 3; c++)
    offset[c] = g_test_rand_double_range (60.0, 190.0) - 0.5 * (mix[c * 3] + mix[c * 3 + 1]
                                                                 + mix[c * 3 + 2]);
  return correlated_picture (n, mix, offset);
}

/* Mean and population covariance, two passes in long double: the test's own. */
static void
naive_statistics (const float *rgb, size_t n, double *mean, double *cov)
{
  for (int c = 0; c < 3; c++)
    {
      long double sum = 0.0L;

      for (size_t i = 0; i < n; i++)
        sum += rgb[i * 3 + c];
      mean[c] = (double) (sum / n);
    }
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++)
      {
        long double sum = 0.0L;

        for (size_t i = 0; i < n; i++)
          sum += ((long double) rgb[i * 3 + a] - mean[a])
                 * ((long double) rgb[i * 3 + b] - mean[b]);
        cov[a * 3 + b] = (double) (sum / n);
      }
}

static double
yiq_of (const float *p, int row)
{
  return yiq[row * 3] * p[0] + yiq[row * 3 + 1] * p[1] + yiq[row * 3 + 2] * p[2];
}

/* Mean and population standard deviation of the luminance of a picture. */
static void
luminance_mean_std (const float *rgb, size_t n, double *mean, double *std)
{
  double sum = 0.0, squares = 0.0;

  for (size_t i = 0; i < n; i++)
    sum += yiq_of (rgb + i * 3, 0);
  *mean = sum / n;
  for (size_t i = 0; i < n; i++)
    squares += (yiq_of (rgb + i * 3, 0) - *mean) * (yiq_of (rgb + i * 3, 0) - *mean);
  *std = sqrt (squares / n);
}

/* ---- names ---- */

static void
test_strings (void)
{
  const char *expected[] = { "none", "luminance", "histogram", "swap" };
  const char *rejected[] = { "Luminance ", "luminance ", " luminance", "LUMINANCE", "Luminance",
                             "", "lum", "luminance\n", "original", "histogram2" };
  ImpastoColors colors;

  for (int k = IMPASTO_COLORS_NONE; k <= IMPASTO_COLORS_SWAP; k++)
    {
      g_assert_cmpstr (impasto_colors_to_string ((ImpastoColors) k), ==, expected[k]);
      colors = IMPASTO_COLORS_SWAP - k;
      g_assert_true (impasto_colors_from_string (expected[k], &colors));
      g_assert_cmpint (colors, ==, k);
      /* @colors may be NULL: only the check */
      g_assert_true (impasto_colors_from_string (expected[k], NULL));
    }
  g_assert_null (impasto_colors_to_string ((ImpastoColors) (IMPASTO_COLORS_SWAP + 1)));
  g_assert_null (impasto_colors_to_string ((ImpastoColors) -1));

  /* rejected names leave @colors alone */
  for (guint k = 0; k < G_N_ELEMENTS (rejected); k++)
    {
      colors = IMPASTO_COLORS_HISTOGRAM;
      g_assert_false (impasto_colors_from_string (rejected[k], &colors));
      g_assert_cmpint (colors, ==, IMPASTO_COLORS_HISTOGRAM);
      g_assert_false (impasto_colors_from_string (rejected[k], NULL));
    }
  colors = IMPASTO_COLORS_HISTOGRAM;
  g_assert_false (impasto_colors_from_string (NULL, &colors));
  g_assert_cmpint (colors, ==, IMPASTO_COLORS_HISTOGRAM);
  g_assert_false (impasto_colors_from_string (NULL, NULL));
}

/* ---- luminance, §5.1 ---- */

static void
test_luminance (void)
{
  const size_t n = 500, n_ref = 777;
  g_autofree float *picture = random_picture (n);
  g_autofree float *original = g_memdup2 (picture, n * 3 * sizeof (float));
  g_autofree float *reference = random_picture (n_ref);
  double mu_c, sigma_c, mu, sigma;

  impasto_colors_to_luminance (picture, n);
  for (size_t i = 0; i < n; i++)
    {
      double y = yiq_of (original + i * 3, 0);

      g_assert_cmpfloat (picture[i * 3], ==, picture[i * 3 + 1]);
      g_assert_cmpfloat (picture[i * 3], ==, picture[i * 3 + 2]);
      /* the formula, to float round-off: half a float step of |y| (2^-24 relative), doubled */
      g_assert_cmpfloat (fabs (picture[i * 3] - y), <=, ldexp (fabs (y), -23) + 1e-30);
    }

  /* The grey picture gets the reference's luminance mean and standard deviation: within 1e-3
   * absolute on the 0..255 scale (float round-off of the result is ~1e-5). */
  luminance_mean_std (reference, n_ref, &mu_c, &sigma_c);
  impasto_colors_match_luminance (picture, n, reference, n_ref);
  luminance_mean_std (picture, n, &mu, &sigma);
  g_test_message ("luminance: mean %.6f vs %.6f, std %.6f vs %.6f", mu, mu_c, sigma, sigma_c);
  g_assert_cmpfloat (fabs (mu - mu_c), <=, 1e-3);
  g_assert_cmpfloat (fabs (sigma - sigma_c), <=, 1e-3);
  for (size_t i = 0; i < n; i++)
    {
      g_assert_cmpfloat (picture[i * 3], ==, picture[i * 3 + 1]);
      g_assert_cmpfloat (picture[i * 3], ==, picture[i * 3 + 2]);
    }
  /* It is the affine map y' = (y - mu_s) sigma_c / sigma_s + mu_c, not just any map with those
   * moments: the order of the pixels is kept (ranks equal). */
  for (size_t i = 1; i < n; i++)
    {
      double before = yiq_of (original + i * 3, 0) - yiq_of (original + (i - 1) * 3, 0);
      double after = (double) picture[i * 3] - picture[(i - 1) * 3];

      if (fabs (before) > 1e-3)
        g_assert_cmpint (before > 0, ==, after > 0);
    }
}

static void
test_luminance_constant (void)
{
  const size_t n = 64, n_ref = 300;
  g_autofree float *picture = g_new (float, n * 3);
  g_autofree float *reference = random_picture (n_ref);
  double mu_c, sigma_c;

  for (size_t i = 0; i < n * 3; i++)
    picture[i] = 77.7f;
  luminance_mean_std (reference, n_ref, &mu_c, &sigma_c);
  impasto_colors_match_luminance (picture, n, reference, n_ref);
  /* sigma_s == 0: every pixel is the reference's mean (1e-3 absolute), none is NaN */
  for (size_t i = 0; i < n * 3; i++)
    g_assert_cmpfloat (fabs (picture[i] - mu_c), <=, 1e-3);
}

/* ---- the chroma swap ---- */

static void
check_keep_chroma (const float *input, const float *photo, size_t n)
{
  g_autofree float *result = g_memdup2 (input, n * 3 * sizeof (float));
  double worst = 0.0;

  impasto_colors_keep_chroma (result, photo, n);
  for (size_t i = 0; i < n; i++)
    {
      const float *r = result + i * 3;
      double dy = fabs (yiq_of (r, 0) - yiq_of (input + i * 3, 0));
      double di = fabs (yiq_of (r, 1) - yiq_of (photo + i * 3, 1));
      double dq = fabs (yiq_of (r, 2) - yiq_of (photo + i * 3, 2));

      /* Y kept, I and Q the photo's: 1e-3 absolute on the 0..255 scale (float round-off of the
       * result, ~1e-5, is what is left) */
      g_assert_cmpfloat (dy, <=, 1e-3);
      g_assert_cmpfloat (di, <=, 1e-3);
      g_assert_cmpfloat (dq, <=, 1e-3);
      worst = MAX (worst, MAX (dy, MAX (di, dq)));
    }
  g_test_message ("keep_chroma: worst YIQ error %g", worst);
}

static void
test_keep_chroma (void)
{
  const size_t n = 1000;
  g_autofree float *input = random_picture (n);
  g_autofree float *photo = random_picture (n);
  g_autofree float *grey = g_new (float, n * 3);
  g_autofree float *round_trip = g_memdup2 (photo, n * 3 * sizeof (float));

  check_keep_chroma (input, photo, n);

  for (size_t i = 0; i < n; i++)
    grey[i * 3] = grey[i * 3 + 1] = grey[i * 3 + 2] = (float) g_test_rand_double_range (0.0, 255.0);
  check_keep_chroma (grey, photo, n);
  /* a grey photo: the result is the input's luminance, grey */
  check_keep_chroma (photo, grey, n);

  /* Round trip: the photo's luminance and the photo's chroma is the photo, to one float step
   * (the inverse is exact in double; only the final rounding to float is left). A 3-digit
   * inverse would miss by ~1e-2. */
  impasto_colors_keep_chroma (round_trip, photo, n);
  for (size_t i = 0; i < n * 3; i++)
    {
      g_assert_cmpfloat (round_trip[i], >=, nextafterf (photo[i], -INFINITY));
      g_assert_cmpfloat (round_trip[i], <=, nextafterf (photo[i], INFINITY));
    }
}

/* ---- the mean-and-covariance match, §5.2 ---- */

/* What the map gives in exact arithmetic (see IMPASTO_COLORS_EPSILON): A cov_s A^T =
 * C - eps C^(1/2) S^(-1) C^(1/2), C = cov_c + eps I, S = cov_s + eps I; square root by
 * Denman-Beavers, inverse by the adjugate. */
static void
predicted_covariance (const double *cov_s, const double *cov_c, double *out)
{
  double c[9], s[9], c_root[9], s_inverse[9], t[9];

  memcpy (c, cov_c, sizeof c);
  memcpy (s, cov_s, sizeof s);
  for (int k = 0; k < 3; k++)
    {
      c[k * 4] += IMPASTO_COLORS_EPSILON;
      s[k * 4] += IMPASTO_COLORS_EPSILON;
    }
  denman_beavers (c, c_root);
  mat_inverse (s, s_inverse);
  mat_mul (c_root, s_inverse, t);
  mat_mul (t, c_root, t);
  for (int k = 0; k < 9; k++)
    out[k] = c[k] - IMPASTO_COLORS_EPSILON * t[k];
}

/* Recolours @painting to @photo and returns the worst covariance error relative to the photo's
 * largest variance (the scale of the tolerances below). Asserts the mean (1e-3 absolute, 0..255
 * scale) and the covariance predicted with eps (1e-5 of that scale: the eigenvalues near eps of
 * an almost grey painting are known to ~3e-7 relative in double). @match asks for the photo's
 * covariance itself, within 1e-3 of that scale. */
static double
check_histogram (float *painting, size_t n, const float *photo, size_t n_ref, gboolean match)
{
  double mu_s[3], cov_s[9], mu_c[3], cov_c[9], mu_r[3], cov_r[9], predicted[9];
  double scale, worst = 0.0, worst_predicted = 0.0;

  naive_statistics (painting, n, mu_s, cov_s);
  naive_statistics (photo, n_ref, mu_c, cov_c);
  predicted_covariance (cov_s, cov_c, predicted);
  scale = MAX (cov_c[0], MAX (cov_c[4], cov_c[8]));

  impasto_colors_match_histogram (painting, n, photo, n_ref);
  for (size_t i = 0; i < n * 3; i++)
    g_assert_true (isfinite (painting[i]));
  naive_statistics (painting, n, mu_r, cov_r);

  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat (fabs (mu_r[c] - mu_c[c]), <=, 1e-3);
  for (int k = 0; k < 9; k++)
    {
      worst = MAX (worst, fabs (cov_r[k] - cov_c[k]) / scale);
      worst_predicted = MAX (worst_predicted, fabs (cov_r[k] - predicted[k]) / scale);
      g_assert_cmpfloat (fabs (cov_r[k] - predicted[k]), <=, 1e-5 * scale);
      if (match)
        g_assert_cmpfloat (fabs (cov_r[k] - cov_c[k]), <=, 1e-3 * scale);
    }
  g_test_message ("histogram: worst error against the prediction %g of the largest variance",
                  worst_predicted);
  return worst;
}

static void
test_histogram_random (void)
{
  const size_t sizes[][2] = { { 300, 2000 }, { 2500, 400 }, { 1000, 1000 }, { 700, 3000 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      size_t n = sizes[k][0], n_ref = sizes[k][1];
      g_autofree float *painting = random_picture (n);
      g_autofree float *photo = random_picture (n_ref);
      double worst = check_histogram (painting, n, photo, n_ref, TRUE);

      g_test_message ("histogram %zu <- %zu: worst covariance error %g of the largest variance",
                      n, n_ref, worst);
    }
}

/* An almost grey painting: grey g (uniform 0..255) plus chroma noise of amplitude @noise. */
static float *
almost_grey_picture (size_t n, double noise)
{
  float *p = g_new (float, n * 3);

  for (size_t i = 0; i < n; i++)
    {
      double g = g_test_rand_double_range (0.0, 255.0);

      for (int c = 0; c < 3; c++)
        p[i * 3 + c] = (float) (g + noise * g_test_rand_double_range (-1.0, 1.0));
    }
  return p;
}

/* Where the painting has (almost) no variance in a colour direction, eps bounds the gain of
 * Sigma_s^(-1/2) there at eps^(-1/2) and the recoloured covariance falls short of the photo's by
 * about eps lambda_c / (lambda_s + eps) along it: predicted exactly, asserted at 1e-5. */
static void
test_histogram_near_singular (void)
{
  const size_t n = 1500, n_ref = 1200;
  g_autofree float *photo = random_picture (n_ref);
  double worst;

  /* Noise of half an 8-bit step: chroma variance 1/12 ~ 0.08 >> eps, so the photo's covariance
   * is still reached: short by about eps / 0.08 ~ 1e-4 of the photo's variances, inside 1e-3. */
  {
    g_autofree float *painting = almost_grey_picture (n, 0.5);

    worst = check_histogram (painting, n, photo, n_ref, TRUE);
    g_test_message ("grey + 0.5 noise: worst covariance error %g", worst);
  }

  /* Noise of 0.003: chroma variance 3e-6, below eps, so eps rules: the colour directions get a
   * gain of at most ~1/sqrt(eps) and the photo's chroma variance is mostly not reached. The
   * result is finite, has the photo's mean, and the predicted covariance. */
  {
    g_autofree float *painting = almost_grey_picture (n, 0.003);

    worst = check_histogram (painting, n, photo, n_ref, FALSE);
    g_test_message ("grey + 0.003 noise: worst covariance error %g", worst);
    g_assert_cmpfloat (worst, >, 1e-2);  /* eps did matter: the bound above is not idle */
  }

  /* Exactly grey: Sigma_s has rank 1 (its null directions would need an infinite gain); the
   * result stays on a line (grey in, a line of colours out), finite, with the photo's mean. */
  {
    g_autofree float *painting = almost_grey_picture (n, 0.0);

    check_histogram (painting, n, photo, n_ref, FALSE);
  }
}

/* ---- statistics by hand ---- */

static void
test_statistics (void)
{
  /* Four pixels: R = 0, 2, 4, 6 (mean 3, var 5); G = 2 R; B = 10 - R. */
  const float rgb[] = { 0, 0, 10, 2, 4, 8, 4, 8, 6, 6, 12, 4 };
  const double cov_expected[9] = { 5, 10, -5, 10, 20, -10, -5, -10, 5 };
  float constant[30];
  double mean[3], cov[9];

  impasto_colors_statistics (rgb, 4, mean, cov);
  g_assert_cmpfloat (mean[0], ==, 3.0);
  g_assert_cmpfloat (mean[1], ==, 6.0);
  g_assert_cmpfloat (mean[2], ==, 7.0);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (cov[k], ==, cov_expected[k]);

  /* a constant picture: covariance exactly 0 */
  for (int i = 0; i < 10; i++)
    {
      constant[i * 3] = 0.1f;
      constant[i * 3 + 1] = 254.7f;
      constant[i * 3 + 2] = 33.3f;
    }
  impasto_colors_statistics (constant, 10, mean, cov);
  g_assert_cmpfloat (mean[0], ==, (double) 0.1f);
  g_assert_cmpfloat (mean[1], ==, (double) 254.7f);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (cov[k], ==, 0.0);

  /* no pixels: zeros */
  impasto_colors_statistics (NULL, 0, mean, cov);
  for (int k = 0; k < 3; k++)
    g_assert_cmpfloat (mean[k], ==, 0.0);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (cov[k], ==, 0.0);
}

/* ---- square roots ---- */

/* root root == m (1e-9 of max |m|), root inverse_root == I (1e-9 absolute; the matrices here
 * have condition numbers below ~1e3), root == Denman-Beavers (1e-9 of max |root|). */
static void
check_sym_sqrt (const double *m)
{
  double root[9], inverse_root[9], product[9], reference[9];
  double scale = max_abs (m);

  impasto_colors_sym_sqrt (m, root, inverse_root);
  mat_mul (root, root, product);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (fabs (product[k] - m[k]), <=, 1e-9 * scale);
  mat_mul (root, inverse_root, product);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (fabs (product[k] - (k % 4 == 0 ? 1.0 : 0.0)), <=, 1e-9);
  /* symmetric */
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      g_assert_cmpfloat (fabs (root[i * 3 + j] - root[j * 3 + i]), <=, 1e-12 * max_abs (root));

  denman_beavers (m, reference);
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (fabs (root[k] - reference[k]), <=, 1e-9 * max_abs (reference));
}

static void
test_sym_sqrt (void)
{
  const double diagonal[9] = { 4, 0, 0, 0, 9, 0, 0, 0, 1e-2 };
  const double repeated[9] = { 5, 1, 1, 1, 5, 1, 1, 1, 5 }; /* eigenvalues 7, 4, 4 */
  const double scales[] = { 1e-3, 1.0, 3e3, 6e4 };

  check_sym_sqrt (diagonal);
  check_sym_sqrt (repeated);
  for (int trial = 0; trial < 40; trial++)
    {
      double b[9], m[9], scale = scales[trial % G_N_ELEMENTS (scales)];

      /* m = B B^T + 0.05 tr(B B^T) I / 3: SPD, condition below ~1e2 */
      for (int k = 0; k < 9; k++)
        b[k] = g_test_rand_double_range (-1.0, 1.0);
      for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
          {
            m[i * 3 + j] = 0.0;
            for (int k = 0; k < 3; k++)
              m[i * 3 + j] += b[i * 3 + k] * b[j * 3 + k];
          }
      {
        double shift = 0.05 * (m[0] + m[4] + m[8]) / 3.0;

        for (int k = 0; k < 3; k++)
          m[k * 4] += shift;
      }
      for (int k = 0; k < 9; k++)
        m[k] *= scale;
      check_sym_sqrt (m);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/colors/strings", test_strings);
  g_test_add_func ("/colors/luminance", test_luminance);
  g_test_add_func ("/colors/luminance-constant", test_luminance_constant);
  g_test_add_func ("/colors/keep-chroma", test_keep_chroma);
  g_test_add_func ("/colors/histogram-random", test_histogram_random);
  g_test_add_func ("/colors/histogram-near-singular", test_histogram_near_singular);
  g_test_add_func ("/colors/statistics", test_statistics);
  g_test_add_func ("/colors/sym-sqrt", test_sym_sqrt);
  return g_test_run ();
}
