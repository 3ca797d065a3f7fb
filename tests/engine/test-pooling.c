/* test-pool.c
 *
 * Max and average pooling: floor output sizes on odd inputs, values by hand, the backward as the
 * exact adjoint of the forward (away from ties for max), gradient routing to the maximum, and the
 * network's backwards (impasto_pooling_backward_store(), and _relu_store() with the ReLU's mask
 * folded in) against their references.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>

#include "impasto-pooling.h"
#include "impasto-relu.h"

static void
test_values_by_hand (void)
{
  /* One 3x5 plane: the last row and column are dropped (floor). */
  const float inp[15] = {
    1, 5, 2, 0, 9,
    3, 4, 8, 1, 9,
    9, 9, 9, 9, 9,
  };
  float out[2];
  float dinp[15] = { 0 };
  const float dout[2] = { 10, 20 };

  impasto_pooling_forward (out, inp, 1, 3, 5, IMPASTO_POOL_MAX);
  g_assert_cmpfloat (out[0], ==, 5);
  g_assert_cmpfloat (out[1], ==, 8);
  impasto_pooling_forward (out, inp, 1, 3, 5, IMPASTO_POOL_AVG);
  g_assert_cmpfloat (out[0], ==, 13.0f / 4);
  g_assert_cmpfloat (out[1], ==, 11.0f / 4);

  impasto_pooling_backward (dinp, dout, inp, 1, 3, 5, IMPASTO_POOL_MAX);
  g_assert_cmpfloat (dinp[1], ==, 10);
  g_assert_cmpfloat (dinp[7], ==, 20);
  for (int i = 0; i < 15; i++)
    if (i != 1 && i != 7)
      g_assert_cmpfloat (dinp[i], ==, 0);
}

static void
check_adjoint (ImpastoPoolMode mode)
{
  const int c = 3, h = 7, w = 10, oh = h / 2, ow = w / 2;
  float inp[3 * 7 * 10], dinp[3 * 7 * 10] = { 0 }, out[3 * 3 * 5], dout[3 * 3 * 5];
  double lhs = 0, rhs = 0;

  /* Distinct values: no ties, so max pooling is linear around this point. */
  for (int i = 0; i < c * h * w; i++)
    inp[i] = (float) ((i * 37) % 211) + (float) g_test_rand_double_range (0, 0.5);
  for (int i = 0; i < c * oh * ow; i++)
    dout[i] = (float) g_test_rand_double_range (-1, 1);

  impasto_pooling_forward (out, inp, c, h, w, mode);
  impasto_pooling_backward (dinp, dout, inp, c, h, w, mode);
  for (int i = 0; i < c * oh * ow; i++)
    lhs += (double) out[i] * dout[i];
  for (int i = 0; i < c * h * w; i++)
    rhs += (double) inp[i] * dinp[i];
  g_assert_cmpfloat_with_epsilon (lhs, rhs, 1e-3 * fabs (lhs));
}

static void
test_adjoint_max (void)
{
  check_adjoint (IMPASTO_POOL_MAX);
}

static void
test_adjoint_avg (void)
{
  check_adjoint (IMPASTO_POOL_AVG);
}

/* impasto_pooling_backward_store() against impasto_pooling_backward() into a zeroed buffer, its
 * reference (with @relu, _relu_store() against the same followed by impasto_relu_backward()): on
 * values with many ties (a few levels, 0 among them, as a ReLU's output has), odd and even sizes,
 * into a buffer full of NaN (every element must be written). */
static void
check_store_matches (ImpastoPoolMode mode, gboolean relu)
{
  /* Widths past 16 and 32 for the AVX-512 rows (8 windows a step, and a part step). */
  static const int sizes[][2] = { { 1, 1 }, { 2, 2 }, { 3, 5 }, { 6, 4 }, { 7, 9 }, { 16, 16 },
                                  { 4, 35 }, { 5, 70 }, { 2, 48 } };

  for (guint s = 0; s < 2 * G_N_ELEMENTS (sizes); s++)
    {
      /* Each size twice: the portable loops, then AVX-512 where the CPU has it. */
      const gboolean simd = s >= G_N_ELEMENTS (sizes);
      const int c = 3, h = sizes[s % G_N_ELEMENTS (sizes)][0];
      const int w = sizes[s % G_N_ELEMENTS (sizes)][1];
      const int n = c * h * w, on = c * (h / 2) * (w / 2);
      float *inp = g_new (float, n), *want = g_new0 (float, n), *got = g_new (float, n);
      float *dout = g_new (float, on > 0 ? on : 1);

      for (int i = 0; i < n; i++)
        {
          /* Ties in most windows; no negatives through a ReLU. */
          inp[i] = (float) g_test_rand_int_range (relu ? 0 : -1, 3);
          got[i] = NAN;
        }
      for (int i = 0; i < on; i++)
        dout[i] = (float) g_test_rand_double_range (-1, 1);
      impasto_pooling_backward (want, dout, inp, c, h, w, mode);
      impasto_pooling_allow_avx512 (simd);
      if (relu)
        {
          impasto_relu_backward (want, inp, (size_t) n);
          impasto_pooling_backward_relu_store (got, dout, inp, c, h, w, mode);
        }
      else
        impasto_pooling_backward_store (got, dout, inp, c, h, w, mode);
      impasto_pooling_allow_avx512 (TRUE);
      for (int i = 0; i < n; i++)
        if (!(got[i] == want[i]))
          g_error ("%dx%d mode %d relu %d simd %d: element %d: got %g, want %g", h, w,
                   (int) mode, relu, simd, i, got[i], want[i]);
      g_free (inp); g_free (want); g_free (got); g_free (dout);
    }
}

static void
test_store_matches_max (void)
{
  check_store_matches (IMPASTO_POOL_MAX, FALSE);
}

static void
test_store_matches_avg (void)
{
  check_store_matches (IMPASTO_POOL_AVG, FALSE);
}

static void
test_relu_store_matches_max (void)
{
  check_store_matches (IMPASTO_POOL_MAX, TRUE);
}

static void
test_relu_store_matches_avg (void)
{
  check_store_matches (IMPASTO_POOL_AVG, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pool/values-by-hand", test_values_by_hand);
  g_test_add_func ("/pool/adjoint-max", test_adjoint_max);
  g_test_add_func ("/pool/adjoint-avg", test_adjoint_avg);
  g_test_add_func ("/pool/store-matches-max", test_store_matches_max);
  g_test_add_func ("/pool/store-matches-avg", test_store_matches_avg);
  g_test_add_func ("/pool/relu-store-matches-max", test_relu_store_matches_max);
  g_test_add_func ("/pool/relu-store-matches-avg", test_relu_store_matches_avg);
  return g_test_run ();
}
