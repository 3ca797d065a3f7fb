/* test-loss.c
 *
 * The losses: values by hand on tiny inputs (pinning the write-up's normalisation), the ssyrk
 * Gram and the sgemm style gradient against their naive references, and every gradient against
 * central finite differences computed in double from the loss values.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-content-loss.h"
#include "impasto-style-loss.h"
#include "impasto-tv-loss.h"
#include "impasto-memory.h"
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
test_content_by_hand (void)
{
  /* N = 2 channels, M = 2 positions: E = (1 / (2 * 4)) * (1 + 4 + 0 + 9) = 14 / 8. */
  const float x[4] = { 1, 2, 3, 4 };
  const float p[4] = { 0, 0, 3, 1 };
  float d[4] = { 0 };
  double e = impasto_content_loss (d, x, p, 2, 2, 2.0);

  g_assert_cmpfloat_with_epsilon (e, 14.0 / 8.0, 1e-12);
  /* d = scale * (X - P) / (M N) = 2 * (1, 2, 0, 3) / 4 */
  g_assert_cmpfloat (d[0], ==, 0.5f);
  g_assert_cmpfloat (d[1], ==, 1.0f);
  g_assert_cmpfloat (d[2], ==, 0.0f);
  g_assert_cmpfloat (d[3], ==, 1.5f);

  /* The gradient alone adds the same again. */
  impasto_content_loss_backward (d, x, p, 2, 2, 2.0);
  g_assert_cmpfloat (d[0], ==, 1.0f);
  g_assert_cmpfloat (d[1], ==, 2.0f);
  g_assert_cmpfloat (d[2], ==, 0.0f);
  g_assert_cmpfloat (d[3], ==, 3.0f);
}

static void
test_style_by_hand (void)
{
  /* F = [[1, 2], [0, 1]]: G = [[5, 2], [2, 1]]; A = 0: sum G^2 = 34; M = N = 2:
   * E = 34 / (4 * 4 * 4). */
  const float f[4] = { 1, 2, 0, 1 };
  const float a[4] = { 0, 0, 0, 0 };
  float g[4];
  double e = impasto_style_loss (NULL, g, f, a, 2, 2, 1.0);

  g_assert_cmpfloat_with_epsilon (e, 34.0 / 64.0, 1e-9);
  impasto_gram (g, f, 2, 2);
  g_assert_cmpfloat (g[0], ==, 5);
  g_assert_cmpfloat (g[1], ==, 2);
  g_assert_cmpfloat (g[2], ==, 2);
  g_assert_cmpfloat (g[3], ==, 1);
}

static void
test_gram_matches_naive (void)
{
  const size_t n = 37, m = 301;
  float *f = random_floats (n * m, -1, 2);
  float *fast = g_new (float, n * n);
  float *slow = g_new (float, n * n);

  impasto_gram (fast, f, n, m);
  impasto_gram_naive (slow, f, n, m);
  for (size_t i = 0; i < n * n; i++)
    g_assert_cmpfloat_with_epsilon (fast[i], slow[i], 1e-4 * (1 + fabs (slow[i])));
  g_free (f); g_free (fast); g_free (slow);
}

static void
test_style_matches_naive (void)
{
  const size_t n = 9, m = 53;
  float *f = random_floats (n * m, 0, 2);
  float *other = random_floats (n * m, 0, 2);
  float *a = g_new (float, n * n);
  float *scratch = g_new (float, n * n);
  float *dfast = g_new0 (float, n * m);
  float *dslow = g_new0 (float, n * m);
  double efast, eslow;

  impasto_gram_naive (a, other, n, m);
  efast = impasto_style_loss (dfast, scratch, f, a, n, m, 3.0);
  eslow = impasto_style_loss_naive (dslow, f, a, n, m, 3.0);
  g_assert_cmpfloat_with_epsilon (efast, eslow, 1e-5 * eslow);
  for (size_t i = 0; i < n * m; i++)
    g_assert_cmpfloat_with_epsilon (dfast[i], dslow[i], 1e-4 * (1e-3 + fabs (dslow[i])));
  g_free (f); g_free (other); g_free (a); g_free (scratch); g_free (dfast); g_free (dslow);
}

/* The threaded Gram matrix, style loss and style gradient against the single-threaded ones, for
 * 1, 2 and 3 threads and position counts that split unevenly, split into an empty last slice, or
 * are too short to split (the gradient is then split by rows where there are enough). */
static void
test_threaded_matches_serial (void)
{
  const size_t channels[] = { 5, 33, 100 };   /* 100 x 40: split by rows */
  const size_t positions[] = { 100, 2049, 5007, 3 * 1024 + 16, 40 };

  for (int threads = 1; threads <= 3; threads++)
    {
      ImpastoParallel *pool = impasto_parallel_new (threads);

      for (gsize a = 0; a < G_N_ELEMENTS (channels); a++)
        for (gsize b = 0; b < G_N_ELEMENTS (positions); b++)
          {
            size_t n = channels[a], m = positions[b];
            float *f = random_floats (n * m, 0, 1);
            float *other = random_floats (n * m, 0, 1);
            float *target = g_new (float, n * n);
            float *serial = g_new (float, n * n);
            float *threaded = g_new (float, n * n);
            float *scratch = g_new (float, impasto_gram_threaded_scratch_floats (n, threads) + 1);
            float *dserial = g_new0 (float, n * m);
            float *dthreaded = g_new0 (float, n * m);
            double eserial, ethreaded;

            impasto_gram (serial, f, n, m);
            impasto_gram_threaded (threaded, scratch, f, n, m, pool);
            for (size_t i = 0; i < n * n; i++)
              g_assert_cmpfloat_with_epsilon (threaded[i], serial[i], 1e-5 * (1 + fabs (serial[i])));

            impasto_gram (target, other, n, m);
            eserial = impasto_style_loss (dserial, serial, f, target, n, m, 2.5);
            ethreaded = impasto_style_loss_threaded (threaded, scratch, f, target, n, m, pool);
            impasto_style_loss_backward_threaded (dthreaded, threaded, f, n, m, 2.5, pool);
            g_assert_cmpfloat_with_epsilon (ethreaded, eserial, 1e-4 * eserial);
            for (size_t i = 0; i < n * m; i++)
              g_assert_cmpfloat_with_epsilon (dthreaded[i], dserial[i],
                                              1e-3 * (1e-6 + fabs (dserial[i])));

            g_free (f); g_free (other); g_free (target); g_free (serial); g_free (threaded);
            g_free (scratch); g_free (dserial); g_free (dthreaded);
          }
      impasto_parallel_free (pool);
    }
}

/* Checks an analytic gradient of f at x against central differences on every element. */
typedef double (*LossFunc) (float *d, const float *x, gpointer data);

static void
check_gradient (LossFunc f, float *x, size_t n, gpointer data, double h)
{
  float *d = g_new0 (float, n);
  double scale = 0;

  f (d, x, data);
  for (size_t i = 0; i < n; i++)
    scale = MAX (scale, fabs (d[i]));
  for (size_t i = 0; i < n; i++)
    {
      float keep = x[i];
      double up, down, numeric;

      x[i] = keep + (float) h;
      up = f (NULL, x, data);
      x[i] = keep - (float) h;
      down = f (NULL, x, data);
      x[i] = keep;
      numeric = (up - down) / (2 * h);
      if (fabs (numeric - d[i]) > 2e-3 * scale + 1e-3 * fabs (numeric))
        g_error ("element %zu: analytic %.9g, numeric %.9g", i, d[i], numeric);
    }
  g_free (d);
}

typedef struct
{
  const float *target;
  float *scratch;
  size_t n, m;
} LossData;

static double
content_func (float *d, const float *x, gpointer p)
{
  LossData *data = p;
  return 0.7 * impasto_content_loss (d, x, data->target, data->n, data->m, 0.7);
}

static double
style_func (float *d, const float *x, gpointer p)
{
  LossData *data = p;
  return 2.0 * impasto_style_loss (d, data->scratch, x, data->target, data->n, data->m, 2.0);
}

static double
tv_func (float *d, const float *x, gpointer p)
{
  LossData *data = p;
  return 1.5 * impasto_tv_loss (d, x, 3, (int) data->n, (int) data->m, 1.5);
}

static void
test_gradients_by_finite_differences (void)
{
  const size_t n = 4, m = 15;
  float *x = random_floats (n * m, 0, 3);
  float *t = random_floats (n * m, 0, 3);
  float *gram = g_new (float, n * n);
  float *scratch = g_new (float, n * n);
  float *image = random_floats (3 * 5 * 7, -100, 100);
  LossData data = { t, scratch, n, m };
  LossData tv = { NULL, NULL, 5, 7 };

  check_gradient (content_func, x, n * m, &data, 1e-2);
  impasto_gram_naive (gram, t, n, m);
  data.target = gram;
  check_gradient (style_func, x, n * m, &data, 1e-2);
  check_gradient (tv_func, image, 3 * 5 * 7, &tv, 1e-1);
  g_free (x); g_free (t); g_free (gram); g_free (scratch); g_free (image);
}

static void
test_tv_by_hand (void)
{
  /* One channel 2x2 [[0, 1], [3, 7]]: right diffs 1, 4; down diffs 3, 6: (1+16+9+36)/4. */
  const float x[4] = { 0, 1, 3, 7 };
  g_assert_cmpfloat_with_epsilon (impasto_tv_loss (NULL, x, 1, 2, 2, 1.0), 62.0 / 4.0, 1e-9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add_func ("/loss/content-by-hand", test_content_by_hand);
  g_test_add_func ("/loss/style-by-hand", test_style_by_hand);
  g_test_add_func ("/loss/tv-by-hand", test_tv_by_hand);
  g_test_add_func ("/loss/gram-matches-naive", test_gram_matches_naive);
  g_test_add_func ("/loss/style-matches-naive", test_style_matches_naive);
  g_test_add_func ("/loss/threaded-matches-serial", test_threaded_matches_serial);
  g_test_add_func ("/loss/gradients-by-finite-differences", test_gradients_by_finite_differences);
  return g_test_run ();
}
