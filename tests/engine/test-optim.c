/* test-optim.c
 *
 * Adam and L-BFGS on functions with known minima: a badly scaled quadratic and the Rosenbrock
 * function. Adam's first steps are checked by hand against TensorFlow's update rule; L-BFGS must
 * never raise the loss and must reach the minimum. Its history read back and pushed into a new
 * one continues it bit for bit, and a pair it rejects leaves a full history alone.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-adam.h"
#include "impasto-lbfgs.h"

static void
test_adam_first_step_by_hand (void)
{
  ImpastoAdam adam;
  float x[2] = { 1.0f, -3.0f };
  const float g[2] = { 0.5f, -2.0f };

  g_assert_cmpint (impasto_adam_init (&adam, 2), ==, IMPASTO_STATUS_OK);
  /* t = 1: m = 0.1 g, v = 0.001 g^2, lr_t = sqrt(0.001) / 0.1: step = lr_t m / (sqrt v + eps)
   * = sign(g) * lr (up to eps). */
  impasto_adam_step (&adam, x, g, 2.0);
  g_assert_cmpfloat_with_epsilon (x[0], 1.0 - 2.0, 1e-4); /* 1 - 0.999f is inexact */
  g_assert_cmpfloat_with_epsilon (x[1], -3.0 + 2.0, 1e-4);
  g_assert_cmpint (adam.t, ==, 1);
  impasto_adam_clear (&adam);
}

/* f = sum_i c_i (x_i - i)^2 with c_i from 1 to 1000: minimum 0 at x_i = i. */
static ImpastoStatus
quadratic (void *data, const float *x, float *grad, double *loss)
{
  const int n = GPOINTER_TO_INT (data);
  double f = 0;

  for (int i = 0; i < n; i++)
    {
      double c = pow (1000.0, (double) i / (n - 1));
      double d = x[i] - i;
      f += c * d * d;
      grad[i] = (float) (2 * c * d);
    }
  *loss = f;
  return IMPASTO_STATUS_OK;
}

static void
test_adam_quadratic (void)
{
  const int n = 8;
  ImpastoAdam adam;
  float x[8] = { 0 }, g[8];
  double f;

  impasto_adam_init (&adam, n);
  for (int k = 0; k < 3000; k++)
    {
      quadratic (GINT_TO_POINTER (n), x, g, &f);
      impasto_adam_step (&adam, x, g, k < 2000 ? 0.1 : 0.01);
    }
  quadratic (GINT_TO_POINTER (n), x, g, &f);
  g_assert_cmpfloat (f, <, 1e-3);
  impasto_adam_clear (&adam);
}

static ImpastoStatus
rosenbrock (void *data, const float *x, float *grad, double *loss)
{
  double a = x[0], b = x[1];

  *loss = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
  grad[0] = (float) (-2 * (1 - a) - 400 * a * (b - a * a));
  grad[1] = (float) (200 * (b - a * a));
  return IMPASTO_STATUS_OK;
}

static void
run_lbfgs (ImpastoEvalFunc f, gpointer data, float *x, size_t n, int iterations,
           double *final_loss)
{
  ImpastoLbfgs *lbfgs;
  float *g = g_new (float, n);
  double loss;

  g_assert_cmpint (impasto_lbfgs_new (&lbfgs, n, 10), ==, IMPASTO_STATUS_OK);
  f (data, x, g, &loss);
  for (int k = 0; k < iterations; k++)
    {
      double before = loss;
      g_assert_cmpint (impasto_lbfgs_step (lbfgs, x, &loss, g, 1.0, f, data), ==, IMPASTO_STATUS_OK);
      g_assert_cmpfloat (loss, <=, before);
    }
  *final_loss = loss;
  impasto_lbfgs_free (lbfgs);
  g_free (g);
}

static void
test_lbfgs_rosenbrock (void)
{
  float x[2] = { -1.2f, 1.0f };
  double loss;

  run_lbfgs (rosenbrock, NULL, x, 2, 200, &loss);
  g_assert_cmpfloat (loss, <, 1e-6);
  g_assert_cmpfloat_with_epsilon (x[0], 1.0, 1e-2);
  g_assert_cmpfloat_with_epsilon (x[1], 1.0, 2e-2);
}

static void
test_lbfgs_quadratic (void)
{
  float x[8] = { 0 };
  double loss;

  run_lbfgs (quadratic, GINT_TO_POINTER (8), x, 8, 100, &loss);
  g_assert_cmpfloat (loss, <, 1e-6);
}

/* At the minimum no step lowers the loss: the point stays put and OK comes back. */
static void
test_lbfgs_stays_at_minimum (void)
{
  float x[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  double loss;

  run_lbfgs (quadratic, GINT_TO_POINTER (8), x, 8, 5, &loss);
  g_assert_cmpfloat (loss, ==, 0.0);
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat (x[i], ==, i);
}

/* Concave: the loss falls along any direction away from 0, and every pair a step makes has
 * s^T y = -|s|^2 < 0, so it is rejected. */
static ImpastoStatus
eval_concave (void *data, const float *x, float *grad, double *loss)
{
  *loss = -0.5 * ((double) x[0] * x[0] + (double) x[1] * x[1]);
  grad[0] = -x[0];
  grad[1] = -x[1];
  return IMPASTO_STATUS_OK;
}

static void
test_lbfgs_rejected_pair (void)
{
  ImpastoLbfgs *lbfgs;
  const float s0[2] = { 1.0f, 0.0f }, s1[2] = { 0.0f, 1.0f };
  const float *s, *y;
  float x[2] = { 1.0f, 2.0f }, g[2];
  double loss, rho;

  g_assert_cmpint (impasto_lbfgs_new (&lbfgs, 2, 2), ==, IMPASTO_STATUS_OK);
  impasto_lbfgs_push_pair (lbfgs, s0, s0, 1.0);
  impasto_lbfgs_push_pair (lbfgs, s1, s1, 1.0);
  g_assert_cmpint (impasto_lbfgs_get_n_pairs (lbfgs), ==, 2);
  eval_concave (NULL, x, g, &loss);
  g_assert_cmpint (impasto_lbfgs_step (lbfgs, x, &loss, g, 1.0, eval_concave, NULL), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpfloat (loss, <, -2.5);
  /* The history is full and the step's pair was rejected: the pairs are what they were. */
  g_assert_cmpint (impasto_lbfgs_get_n_pairs (lbfgs), ==, 2);
  impasto_lbfgs_get_pair (lbfgs, 0, &s, &y, &rho);
  g_assert_cmpmem (s, sizeof s0, s0, sizeof s0);
  g_assert_cmpmem (y, sizeof s0, s0, sizeof s0);
  impasto_lbfgs_get_pair (lbfgs, 1, &s, &y, &rho);
  g_assert_cmpmem (s, sizeof s1, s1, sizeof s1);
  g_assert_cmpfloat (rho, ==, 1.0);
  impasto_lbfgs_free (lbfgs);
}

/* A history read pair by pair (oldest first) and pushed into a new L-BFGS, after its ring has
 * wrapped, gives the same next steps bit for bit. */
static void
test_lbfgs_history_copied (void)
{
  ImpastoLbfgs *a, *b;
  float xa[2] = { -1.2f, 1.0f }, ga[2], xb[2], gb[2];
  double la, lb;

  g_assert_cmpint (impasto_lbfgs_new (&a, 2, 3), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_lbfgs_new (&b, 2, 3), ==, IMPASTO_STATUS_OK);
  rosenbrock (NULL, xa, ga, &la);
  for (int i = 0; i < 7; i++)
    g_assert_cmpint (impasto_lbfgs_step (a, xa, &la, ga, 1.0, rosenbrock, NULL), ==,
                     IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_lbfgs_get_n_pairs (a), ==, 3);
  for (int k = 0; k < impasto_lbfgs_get_n_pairs (a); k++)
    {
      const float *s, *y;
      double rho;

      impasto_lbfgs_get_pair (a, k, &s, &y, &rho);
      impasto_lbfgs_push_pair (b, s, y, rho);
    }
  memcpy (xb, xa, sizeof xa);
  memcpy (gb, ga, sizeof ga);
  lb = la;
  for (int i = 0; i < 5; i++)
    {
      g_assert_cmpint (impasto_lbfgs_step (a, xa, &la, ga, 1.0, rosenbrock, NULL), ==,
                       IMPASTO_STATUS_OK);
      g_assert_cmpint (impasto_lbfgs_step (b, xb, &lb, gb, 1.0, rosenbrock, NULL), ==,
                       IMPASTO_STATUS_OK);
      g_assert_cmpfloat (la, ==, lb);
      g_assert_cmpmem (xa, sizeof xa, xb, sizeof xb);
    }
  impasto_lbfgs_free (a);
  impasto_lbfgs_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/optim/adam-first-step-by-hand", test_adam_first_step_by_hand);
  g_test_add_func ("/optim/adam-quadratic", test_adam_quadratic);
  g_test_add_func ("/optim/lbfgs-rosenbrock", test_lbfgs_rosenbrock);
  g_test_add_func ("/optim/lbfgs-quadratic", test_lbfgs_quadratic);
  g_test_add_func ("/optim/lbfgs-stays-at-minimum", test_lbfgs_stays_at_minimum);
  g_test_add_func ("/optim/lbfgs-rejected-pair", test_lbfgs_rejected_pair);
  g_test_add_func ("/optim/lbfgs-history-copied", test_lbfgs_history_copied);
  return g_test_run ();
}
