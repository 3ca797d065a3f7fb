/* test-ladder.c
 *
 * The ladder of sizes on a tiny random VGG19: the sizes rule; one size reproducing a direct
 * session bit for bit (losses and picture); at each size the loss equal to that of a flat
 * session of that size built from the resized pictures and the same start; Adam's moments
 * carried to the next size equal to a naive resize of the old ones, scaled by the ratio of the
 * pixel counts (v by its square, kept >= 0 and consistent with m; t carried);
 * the convergence stop (early with a tolerance, the whole budget with 0); the preview size and
 * continuing from it; restarting at the smallest size; the copy at the final size; no
 * allocation between two moves.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <malloc.h>
#include <math.h>
#include <string.h>

#include "impasto-adam.h"
#include "impasto-ladder.h"
#include "impasto-resample.h"
#include "impasto-threads.h"
#include "test-net.h"

/* 40 x 30: sides 40, round(40 / sqrt 2) = 28 (x 21), 20 (x 15: below 16, so not on it). */
#define W 40
#define H 30

typedef struct
{
  ImpastoWeights *weights;
  float *content;
  float *style;
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
  ImpastoLadderConfig ladder;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->weights = test_net_new ();
  f->content = test_net_picture (W, H, 0.0);
  f->style = test_net_picture (W, H, 2.5);
  impasto_session_config_init_default (&f->config);
  impasto_session_params_init_default (&f->params);
  impasto_ladder_config_init_default (&f->ladder);
  f->config.width = W;
  f->config.height = H;
  f->config.content_rgb = f->content;
  f->config.style_rgb = f->style;
  f->config.seed = 11;
  f->ladder.min_side = 16;
  f->ladder.iterations = 4;
  f->ladder.middle_iterations = 5;
  f->ladder.first_iterations = 6;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  impasto_weights_free (f->weights);
  g_free (f->content);
  g_free (f->style);
}

static void
test_sizes (void)
{
  int w[IMPASTO_LADDER_MAX_SIZES], h[IMPASTO_LADDER_MAX_SIZES];
  const int square[] = { 128, 181, 256, 362, 512 };
  const int wide_w[] = { 128, 181, 256, 362, 512, 724, 1024 };
  const int wide_h[] = { 96, 136, 192, 272, 384, 543, 768 };
  int n;

  n = impasto_ladder_plan_sizes (512, 512, 128, IMPASTO_LADDER_MAX_SIZES, w, h);
  g_assert_cmpint (n, ==, G_N_ELEMENTS (square));
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (w[i], ==, square[i]);
      g_assert_cmpint (h[i], ==, square[i]);
    }

  n = impasto_ladder_plan_sizes (1024, 768, 128, IMPASTO_LADDER_MAX_SIZES, w, h);
  g_assert_cmpint (n, ==, G_N_ELEMENTS (wide_w));
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (w[i], ==, wide_w[i]);
      g_assert_cmpint (h[i], ==, wide_h[i]);
    }
  /* Portrait: the same rule on the height. */
  n = impasto_ladder_plan_sizes (768, 1024, 128, IMPASTO_LADDER_MAX_SIZES, w, h);
  g_assert_cmpint (n, ==, G_N_ELEMENTS (wide_w));
  g_assert_cmpint (w[0], ==, 96);
  g_assert_cmpint (h[0], ==, 128);

  /* At most max_sizes, the largest ones. */
  n = impasto_ladder_plan_sizes (512, 512, 128, 2, w, h);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (w[0], ==, 362);
  g_assert_cmpint (w[1], ==, 512);

  /* One size: max_sizes 1, or a final size below the smallest. */
  g_assert_cmpint (impasto_ladder_plan_sizes (512, 384, 128, 1, w, h), ==, 1);
  g_assert_cmpint (w[0], ==, 512);
  g_assert_cmpint (h[0], ==, 384);
  g_assert_cmpint (impasto_ladder_plan_sizes (100, 60, 128, 24, w, h), ==, 1);
  g_assert_cmpint (w[0], ==, 100);

  /* The network's minimum bounds the short side: 200 x 20 has nothing below it. */
  g_assert_cmpint (impasto_ladder_plan_sizes (200, 20, 16, 24, w, h), ==, 1);
  g_assert_cmpint (impasto_ladder_plan_sizes (W, H, 16, 24, w, h), ==, 2);
  g_assert_cmpint (w[0], ==, 28);
  g_assert_cmpint (h[0], ==, 21);

  /* Out of range. */
  g_assert_cmpint (impasto_ladder_plan_sizes (512, 512, 128, 0, w, h), ==, 0);
  g_assert_cmpint (impasto_ladder_plan_sizes (512, 512, 128, IMPASTO_LADDER_MAX_SIZES + 1, w, h),
                   ==, 0);
}

/* The budgets follow from the final size's: a twentieth between, a tenth at the smallest,
 * rounded up (so never 0 while the final size has any). */
static void
test_budgets (Fixture *f, gconstpointer data)
{
  ImpastoLadderConfig config;
  ImpastoLadder *ladder = NULL;
  ImpastoEngineError error = { 0 };
  const int final[] = { 1000, 41, 21, 3, 1, 0 };
  const int middle[] = { 50, 3, 2, 1, 1, 0 };
  const int first[] = { 100, 5, 3, 1, 1, 0 };

  impasto_ladder_config_init_default (&config);
  g_assert_cmpint (config.iterations, ==, 1000);
  g_assert_cmpint (config.middle_iterations, ==, 50);
  g_assert_cmpint (config.first_iterations, ==, 100);
  for (guint i = 0; i < G_N_ELEMENTS (final); i++)
    {
      impasto_ladder_config_set_budgets (&config, final[i]);
      g_assert_cmpint (config.iterations, ==, final[i]);
      g_assert_cmpint (config.middle_iterations, ==, middle[i]);
      g_assert_cmpint (config.first_iterations, ==, first[i]);
    }

  /* Three sizes of a 64 x 48 picture down to 32: 32 x 24, 45 x 34, 64 x 48. */
  {
    g_autofree float *content = test_net_picture (64, 48, 0.0);
    g_autofree float *style = test_net_picture (64, 48, 1.0);
    ImpastoSessionConfig session_config = f->config;

    session_config.width = 64;
    session_config.height = 48;
    session_config.content_rgb = content;
    session_config.style_rgb = style;
    config.min_side = 32;
    config.max_sizes = IMPASTO_LADDER_MAX_SIZES;
    impasto_ladder_config_set_budgets (&config, 41);
    g_assert_cmpint (impasto_ladder_new (&ladder, f->weights, &config, &session_config,
                                         &f->params, NULL, NULL, &error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_ladder_get_n_sizes (ladder), ==, 3);
    g_assert_cmpint (impasto_ladder_get_budget (ladder, 0), ==, 5);
    g_assert_cmpint (impasto_ladder_get_budget (ladder, 1), ==, 3);
    g_assert_cmpint (impasto_ladder_get_budget (ladder, 2), ==, 41);
    impasto_ladder_free (ladder);
  }
}

static void
test_validate (void)
{
  ImpastoLadderConfig config;
  ImpastoEngineError error = { 0 };

  impasto_ladder_config_init_default (&config);
  g_assert_cmpint (impasto_ladder_config_validate (&config, &error), ==, IMPASTO_STATUS_OK);
  config.tolerance = NAN;
  g_assert_cmpint (impasto_ladder_config_validate (&config, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "tolerance"));
  config.tolerance = -0.1;
  g_assert_cmpint (impasto_ladder_config_validate (&config, NULL), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  impasto_ladder_config_init_default (&config);
  config.min_side = 15;
  g_assert_cmpint (impasto_ladder_config_validate (&config, NULL), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  impasto_ladder_config_init_default (&config);
  config.max_sizes = 0;
  g_assert_cmpint (impasto_ladder_config_validate (&config, NULL), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  impasto_ladder_config_init_default (&config);
  config.window = 0;
  g_assert_cmpint (impasto_ladder_config_validate (&config, NULL), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
}

static ImpastoLadder *
new_ladder (Fixture *f)
{
  ImpastoLadder *ladder = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_ladder_new (&ladder, f->weights, &f->ladder, &f->config, &f->params, NULL, NULL,
                          &error) != IMPASTO_STATUS_OK)
    g_error ("ladder: %s", error.message);
  return ladder;
}

static ImpastoSession *
new_session (Fixture *f, const ImpastoSessionConfig *config)
{
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_session_new (&session, f->weights, config, &f->params, NULL, NULL, &error)
      != IMPASTO_STATUS_OK)
    g_error ("session: %s", error.message);
  return session;
}

static void
assert_same_losses (const ImpastoLosses *a, const ImpastoLosses *b)
{
  g_assert_cmpfloat (a->total, ==, b->total);
  g_assert_cmpfloat (a->content, ==, b->content);
  g_assert_cmpfloat (a->style, ==, b->style);
  g_assert_cmpfloat (a->tv_term, ==, b->tv_term);
}

/* One size is the flat run: the same losses and the same picture, bit for bit, for Adam and
 * L-BFGS, whether max_sizes is 1 or the final size is below the smallest. */
static void
test_one_size_is_flat (Fixture *f, gconstpointer data)
{
  for (int pass = 0; pass < 3; pass++)
    {
      ImpastoLadder *ladder;
      ImpastoSession *session;
      ImpastoLosses a, b;
      ImpastoEngineError error = { 0 };
      g_autofree float *x = g_new (float, W * H * 3);
      g_autofree float *y = g_new (float, W * H * 3);

      f->config.optimizer = pass == 2 ? IMPASTO_OPTIMIZER_LBFGS : IMPASTO_OPTIMIZER_ADAM;
      f->ladder.max_sizes = pass == 0 ? 1 : IMPASTO_LADDER_MAX_SIZES;
      f->ladder.min_side = pass == 0 ? 16 : 64;
      f->ladder.iterations = 5;
      ladder = new_ladder (f);
      session = new_session (f, &f->config);
      g_assert_cmpint (impasto_ladder_get_n_sizes (ladder), ==, 1);
      g_assert_cmpint (impasto_ladder_get_budget (ladder, 0), ==, 5);

      g_assert_cmpint (impasto_ladder_evaluate (ladder, &a, &error), ==, IMPASTO_STATUS_OK);
      g_assert_cmpint (impasto_session_evaluate (session, &b, &error), ==, IMPASTO_STATUS_OK);
      assert_same_losses (&a, &b);
      while (!impasto_ladder_done (ladder))
        {
          g_assert_cmpint (impasto_ladder_step (ladder, &a, &error), ==, IMPASTO_STATUS_OK);
          g_assert_cmpint (impasto_session_step (session, &b, &error), ==, IMPASTO_STATUS_OK);
          assert_same_losses (&a, &b);
        }
      g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 5);
      impasto_ladder_copy_rgb (ladder, x);
      impasto_session_copy_rgb (session, y);
      g_assert_cmpmem (x, W * H * 3 * sizeof (float), y, W * H * 3 * sizeof (float));
      impasto_ladder_copy_rgb_final (ladder, x);
      g_assert_cmpmem (x, W * H * 3 * sizeof (float), y, W * H * 3 * sizeof (float));

      impasto_session_free (session);
      impasto_ladder_free (ladder);
    }
}

static float *
resized (const float *rgb, int sw, int sh, int dw, int dh)
{
  float *out = g_new (float, (size_t) dw * dh * 3);
  g_autofree float *scratch = g_new (float, impasto_resample_scratch_floats (sh, dw, 3));

  impasto_resample (out, scratch, rgb, sw, sh, dw, dh, 3);
  return out;
}

/* At each size the ladder's loss is that of a flat session of that size: pictures resized from
 * the final size, the same start (the config's at the smallest size, the previous result
 * resized at the next), targets computed anew. */
static void
test_each_size_is_flat (Fixture *f, gconstpointer data)
{
  ImpastoLadder *ladder;
  ImpastoEngineError error = { 0 };
  ImpastoLosses a, b;
  int w0, h0, w1, h1;

  f->config.optimizer = GPOINTER_TO_INT (data);
  ladder = new_ladder (f);
  g_assert_cmpint (impasto_ladder_get_n_sizes (ladder), ==, 2);
  impasto_ladder_get_size (ladder, 0, &w0, &h0);
  impasto_ladder_get_size (ladder, 1, &w1, &h1);
  g_assert_cmpint (w0, ==, 28);
  g_assert_cmpint (h0, ==, 21);
  g_assert_cmpint (w1, ==, W);
  g_assert_cmpint (h1, ==, H);
  g_assert_cmpint (impasto_ladder_get_budget (ladder, 0), ==, 6);
  g_assert_cmpint (impasto_ladder_get_budget (ladder, 1), ==, 4);

  /* The smallest size, from the noise start of the same seed. */
  {
    g_autofree float *content = resized (f->content, W, H, w0, h0);
    g_autofree float *style = resized (f->style, W, H, w0, h0);
    ImpastoSessionConfig config = f->config;
    ImpastoSession *flat;

    config.width = w0;
    config.height = h0;
    config.content_rgb = content;
    config.style_rgb = style;
    flat = new_session (f, &config);
    g_assert_cmpint (impasto_ladder_evaluate (ladder, &a, &error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_session_evaluate (flat, &b, &error), ==, IMPASTO_STATUS_OK);
    assert_same_losses (&a, &b);
    impasto_session_free (flat);
  }

  for (int i = 0; !impasto_ladder_size_done (ladder); i++)
    g_assert_cmpint (impasto_ladder_step (ladder, &a, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 6);
  g_assert_false (impasto_ladder_done (ladder));

  /* The next size, from the result resized. */
  {
    g_autofree float *result = g_new (float, (size_t) w0 * h0 * 3);
    g_autofree float *start = NULL;
    g_autofree float *content = resized (f->content, W, H, w1, h1);
    g_autofree float *style = resized (f->style, W, H, w1, h1);
    ImpastoSessionConfig config = f->config;
    ImpastoSession *flat;

    impasto_ladder_copy_rgb (ladder, result);
    start = resized (result, w0, h0, w1, h1);
    g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_ladder_get_scale (ladder), ==, 1);
    g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 0);

    config.content_rgb = content;   /* at the final size: W x H, the caller's own */
    config.style_rgb = style;
    config.init = IMPASTO_INIT_IMAGE;
    config.init_rgb = start;
    flat = new_session (f, &config);
    g_assert_cmpint (impasto_ladder_evaluate (ladder, &a, &error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_session_evaluate (flat, &b, &error), ==, IMPASTO_STATUS_OK);
    assert_same_losses (&a, &b);
    impasto_session_free (flat);
  }

  /* The carried state helps rather than throws the picture away: the size's loss falls (a
   * resampled v near 0 once made Adam's first step enormous). */
  b = a;
  while (!impasto_ladder_done (ladder))
    {
      g_assert_cmpint (impasto_ladder_step (ladder, &a, &error), ==, IMPASTO_STATUS_OK);
      g_test_message ("size 1: %g", a.total);
    }
  g_assert_cmpfloat (a.total, <, b.total);
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 4);
  g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  impasto_ladder_free (ladder);
}

/* Adam's moments at the next size are the old ones resized (compared with the naive twin) and
 * scaled as the gradients scale, v never negative, and t carried. */
static void
test_adam_carried (Fixture *f, gconstpointer data)
{
  ImpastoLadder *ladder = new_ladder (f);
  ImpastoEngineError error = { 0 };
  const float *m, *v;
  long t;
  int w0, h0;
  size_t plane0, plane1 = (size_t) W * H;
  double ratio;
  g_autofree float *old_m = NULL;
  g_autofree float *old_v = NULL;
  g_autofree float *want = g_new (float, plane1);

  impasto_ladder_get_size (ladder, 0, &w0, &h0);
  plane0 = (size_t) w0 * h0;
  ratio = (double) plane0 / plane1;
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_adam_state (impasto_ladder_get_session (ladder), &m, &v,
                                                   &t), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (t, ==, 5);
  old_m = g_memdup2 (m, 3 * plane0 * sizeof (float));
  old_v = g_memdup2 (v, 3 * plane0 * sizeof (float));

  g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_adam_state (impasto_ladder_get_session (ladder), &m, &v,
                                                   &t), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (t, ==, 5);
  for (int c = 0; c < 3; c++)
    {
      /* Tolerance: float rounding of sums whose terms are as large as the plane's largest. */
      float m_scale = 0.0f, v_scale = 0.0f;

      for (size_t i = 0; i < plane0; i++)
        {
          m_scale = MAX (m_scale, fabsf (old_m[c * plane0 + i]));
          v_scale = MAX (v_scale, fabsf (old_v[c * plane0 + i]));
        }
      g_assert_cmpfloat (m_scale, >, 0.0f);
      /* Resized, then scaled as the gradients scale: by the ratio of the pixel counts (m) and
       * its square (v). */
      impasto_resample_naive (want, old_m + c * plane0, w0, h0, W, H, 1);
      for (size_t i = 0; i < plane1; i++)
        g_assert_cmpfloat (fabs (m[c * plane1 + i] - want[i] * ratio), <=,
                           1e-5 * m_scale * ratio);
      impasto_resample_naive (want, old_v + c * plane0, w0, h0, W, H, 1);
      for (size_t i = 0; i < plane1; i++)
        {
          /* v at least 0 and at least the least consistent with m (t = 5). */
          double mi = m[c * plane1 + i];
          double least = mi * mi * (1.0 - pow (0.999, 5)) / pow (1.0 - pow (0.9, 5), 2);
          double expected = MAX (MAX (want[i] * ratio * ratio, 0.0), least);

          g_assert_cmpfloat (v[c * plane1 + i], >=, 0.0f);
          g_assert_cmpfloat (v[c * plane1 + i], >=, (float) least);
          g_assert_cmpfloat (fabs (v[c * plane1 + i] - expected), <=,
                             1e-5 * v_scale * ratio * ratio + 1e-6 * expected);
        }
    }
  /* The next step goes on from there: t counts on. */
  g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_adam_state (impasto_ladder_get_session (ladder), &m, &v,
                                                   &t), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (t, ==, 6);
  impasto_ladder_free (ladder);

  /* The import itself: non-finite values become 0, negative v 0, and v at least
   * m^2 (1 - 0.999^t) / (1 - 0.9^t)^2; then a step moves no pixel by more than the learning
   * rate, even where v was 0. */
  {
    ImpastoAdam adam;
    const float in_m[5] = { 1e-3f, -2e-3f, NAN, 0.0f, 1e-3f };
    const float in_v[5] = { 0.5f, -0.25f, 1.0f, INFINITY, 0.0f };
    const double least = (1.0 - pow (0.999, 9)) / pow (1.0 - pow (0.9, 9), 2);
    float x[5] = { 0 };
    const float g[5] = { 0 };

    g_assert_cmpint (impasto_adam_init (&adam, 5), ==, IMPASTO_STATUS_OK);
    impasto_adam_import (&adam, in_m, in_v, 9);
    g_assert_cmpint (adam.t, ==, 9);
    g_assert_cmpfloat (adam.m[0], ==, 1e-3f);
    g_assert_cmpfloat (adam.m[1], ==, -2e-3f);
    g_assert_cmpfloat (adam.m[2], ==, 0.0f);
    g_assert_cmpfloat (adam.v[0], ==, 0.5f);
    g_assert_cmpfloat_with_epsilon (adam.v[1], 4e-6 * least, 1e-6 * 4e-6 * least);
    g_assert_cmpfloat (adam.v[2], ==, 1.0f);
    g_assert_cmpfloat (adam.v[3], ==, 0.0f);
    g_assert_cmpfloat_with_epsilon (adam.v[4], 1e-6 * least, 1e-6 * 1e-6 * least);
    impasto_adam_step (&adam, x, g, 1.0);
    for (int i = 0; i < 5; i++)
      g_assert_cmpfloat (fabsf (x[i]), <=, 1.0f);
    impasto_adam_clear (&adam);
  }

  /* An L-BFGS session has no moments to give or take. */
  {
    ImpastoSession *session;

    f->config.optimizer = IMPASTO_OPTIMIZER_LBFGS;
    session = new_session (f, &f->config);
    g_assert_cmpint (impasto_session_get_adam_state (session, &m, &v, &t), ==,
                     IMPASTO_STATUS_INVALID_ARGUMENT);
    g_assert_null (m);
    g_assert_cmpint (impasto_session_import_adam_state (session, old_m, old_v, 3), ==,
                     IMPASTO_STATUS_INVALID_ARGUMENT);
    impasto_session_free (session);
  }
}

/* With 0 the size runs its whole budget; with a tolerance it stops at the first step where the
 * loss's relative change over the window is below it, which the run without one predicts (same
 * seed, same steps). The tolerance is taken from that run (half again the change at step 100),
 * so that it does not depend on how fast the random tiny net happens to converge. */
static void
test_convergence (Fixture *f, gconstpointer data)
{
  ImpastoEngineError error = { 0 };
  const int window = 3;
  g_autofree double *flat = NULL;
  int expected = -1;

  f->ladder.max_sizes = 1;
  f->ladder.iterations = 200;
  f->ladder.window = window;
  flat = g_new (double, f->ladder.iterations + 1);
  for (int pass = 0; pass < 2; pass++)
    {
      ImpastoLadder *ladder;
      g_autofree double *losses = g_new (double, f->ladder.iterations + 1);
      ImpastoLosses l;
      int steps = 0;

      if (pass == 0)
        f->ladder.tolerance = 0.0;
      else
        {
          f->ladder.tolerance = 1.5 * fabs (flat[100] - flat[100 - window])
                                / fabs (flat[100 - window]);
          for (int k = window; k <= f->ladder.iterations && expected < 0; k++)
            if (fabs (flat[k] - flat[k - window]) < f->ladder.tolerance * fabs (flat[k - window]))
              expected = k;
          g_assert_cmpint (expected, >=, window);
          g_assert_cmpint (expected, <=, 100);
        }
      ladder = new_ladder (f);
      g_assert_cmpint (impasto_ladder_evaluate (ladder, &l, &error), ==, IMPASTO_STATUS_OK);
      losses[0] = l.total;
      while (!impasto_ladder_done (ladder))
        {
          g_assert_cmpint (impasto_ladder_step (ladder, &l, &error), ==, IMPASTO_STATUS_OK);
          losses[++steps] = l.total;
        }
      g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, steps);
      g_test_message ("tolerance %g: %d steps", f->ladder.tolerance, steps);
      if (pass == 0)
        {
          g_assert_cmpint (steps, ==, f->ladder.iterations);
          memcpy (flat, losses, (f->ladder.iterations + 1) * sizeof (double));
        }
      else
        {
          g_assert_cmpint (steps, ==, expected);
          for (int k = 0; k <= steps; k++)
            g_assert_cmpfloat (losses[k], ==, flat[k]);
        }
      impasto_ladder_free (ladder);
    }
}

/* A preview stops at a lower size; raising the last size continues up from there, without a
 * restart; restart goes back to the smallest size and its first losses. */
static void
test_preview_and_restart (Fixture *f, gconstpointer data)
{
  ImpastoLadder *ladder = new_ladder (f);
  ImpastoEngineError error = { 0 };
  ImpastoLosses first, l;
  int w0, h0;

  g_assert_cmpint (impasto_ladder_get_last_scale (ladder), ==, 1);
  /* A preview of at most 30 px is the 28 x 21 size; 40 px and more the final one; below the
   * smallest, the smallest. */
  g_assert_cmpint (impasto_ladder_find_scale (ladder, 30), ==, 0);
  g_assert_cmpint (impasto_ladder_find_scale (ladder, 39), ==, 0);
  g_assert_cmpint (impasto_ladder_find_scale (ladder, 40), ==, 1);
  g_assert_cmpint (impasto_ladder_find_scale (ladder, 4000), ==, 1);
  g_assert_cmpint (impasto_ladder_find_scale (ladder, 10), ==, 0);
  impasto_ladder_set_last_scale (ladder, impasto_ladder_find_scale (ladder, 30));
  g_assert_cmpint (impasto_ladder_evaluate (ladder, &first, &error), ==, IMPASTO_STATUS_OK);
  while (!impasto_ladder_done (ladder))
    g_assert_cmpint (impasto_ladder_step (ladder, &l, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_scale (ladder), ==, 0);
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 6);

  /* The copy at the final size is the preview resized. */
  {
    g_autofree float *small = NULL;
    g_autofree float *want = NULL;
    g_autofree float *got = g_new (float, W * H * 3);

    impasto_ladder_get_size (ladder, 0, &w0, &h0);
    small = g_new (float, (size_t) w0 * h0 * 3);
    impasto_ladder_copy_rgb (ladder, small);
    want = resized (small, w0, h0, W, H);
    impasto_ladder_copy_rgb_final (ladder, got);
    g_assert_cmpmem (got, W * H * 3 * sizeof (float), want, W * H * 3 * sizeof (float));
  }

  /* Paint full size: continue. */
  impasto_ladder_set_last_scale (ladder, 99);
  g_assert_cmpint (impasto_ladder_get_last_scale (ladder), ==, 1);
  g_assert_false (impasto_ladder_done (ladder));
  g_assert_true (impasto_ladder_size_done (ladder));
  g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_scale (ladder), ==, 1);
  g_assert_cmpint (impasto_session_get_iteration (impasto_ladder_get_session (ladder)), ==, 0);
  g_assert_cmpint (impasto_ladder_step (ladder, &l, &error), ==, IMPASTO_STATUS_OK);

  /* A parameter change holds for this size and the ones to come. */
  f->params.beta = 100.0;
  g_assert_cmpint (impasto_ladder_set_params (ladder, &f->params, &error), ==,
                   IMPASTO_STATUS_OK);
  f->params.style_layers[impasto_vgg19_conv_index ("conv3_2")] = 0.3f;
  g_assert_cmpint (impasto_ladder_set_params (ladder, &f->params, &error), ==,
                   IMPASTO_STATUS_NEEDS_RESTART);

  /* Restart: the smallest size again, with the layer switched on. */
  g_assert_cmpint (impasto_ladder_restart (ladder, &f->params, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_scale (ladder), ==, 0);
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 0);
  {
    ImpastoLadder *fresh = new_ladder (f);
    ImpastoLosses want;

    g_assert_cmpint (impasto_ladder_evaluate (ladder, &l, &error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_ladder_evaluate (fresh, &want, &error), ==, IMPASTO_STATUS_OK);
    assert_same_losses (&l, &want);
    g_assert_cmpfloat (l.total, !=, first.total);
    impasto_ladder_free (fresh);
  }
  impasto_ladder_free (ladder);
}

/* The window's preview: a size that has spent its budget is given it again when new values
 * come (impasto_ladder_renew_budget()), new iterations change the budgets while it runs, the
 * work left counts the sizes above in proportion to their pixels, and the 8-bit copy at the final
 * size is the float copy clamped and rounded (the session's own copy at the final size). */
static void
test_renew_and_work_left (Fixture *f, gconstpointer data)
{
  ImpastoLadder *ladder = new_ladder (f);
  ImpastoEngineError error = { 0 };
  int w0, h0, w1, h1;
  double pixels_ratio;

  impasto_ladder_get_size (ladder, 0, &w0, &h0);
  impasto_ladder_get_size (ladder, 1, &w1, &h1);
  pixels_ratio = ((double) w1 * h1) / ((double) w0 * h0);

  /* Budgets 6 (smallest) and 4 (final): all of it left at the start. */
  g_assert_cmpfloat_with_epsilon (impasto_ladder_get_work_left (ladder), 6 + 4 * pixels_ratio,
                                  1e-9);
  impasto_ladder_set_last_scale (ladder, 0);
  g_assert_cmpfloat_with_epsilon (impasto_ladder_get_work_left (ladder), 6, 1e-9);
  for (int k = 0; k < 6; k++)
    g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
  g_assert_true (impasto_ladder_done (ladder));
  g_assert_cmpint (impasto_ladder_get_budget_steps (ladder), ==, 6);
  g_assert_cmpfloat (impasto_ladder_get_work_left (ladder), ==, 0.0);

  /* New values at a finished preview: its whole budget again, counted from here. */
  impasto_ladder_renew_budget (ladder);
  g_assert_false (impasto_ladder_done (ladder));
  g_assert_cmpint (impasto_ladder_get_budget_steps (ladder), ==, 0);
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 6);
  g_assert_cmpfloat_with_epsilon (impasto_ladder_get_work_left (ladder), 6, 1e-9);
  for (int k = 0; k < 6; k++)
    g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
  g_assert_true (impasto_ladder_done (ladder));
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 12);

  /* More iterations: the rule's budgets (ceil(N / 10) at the smallest), so the size goes on. */
  impasto_ladder_set_iterations (ladder, 200);
  g_assert_cmpint (impasto_ladder_get_budget (ladder, 0), ==, 20);
  g_assert_cmpint (impasto_ladder_get_budget (ladder, 1), ==, 200);
  g_assert_false (impasto_ladder_done (ladder));
  g_assert_cmpfloat_with_epsilon (impasto_ladder_get_work_left (ladder), 20 - 6, 1e-9);
  impasto_ladder_set_last_scale (ladder, 1);
  g_assert_cmpfloat_with_epsilon (impasto_ladder_get_work_left (ladder),
                                  20 - 6 + 200 * pixels_ratio, 1e-9);

  /* The 8-bit copy, below the final size and at it. */
  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree float *floats = g_new (float, W * H * 3);
      g_autofree float *scratch = g_new (float, W * H * 3);
      g_autofree guint8 *got = g_new0 (guint8, (W * 3 + 5) * H);
      g_autofree guint8 *want = g_new0 (guint8, (W * 3 + 5) * H);

      impasto_ladder_copy_rgb_final (ladder, floats);
      for (int y = 0; y < H; y++)
        for (int i = 0; i < W * 3; i++)
          {
            float v = floats[y * W * 3 + i];

            want[y * (W * 3 + 5) + i] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : (guint8) lrintf (v);
          }
      impasto_ladder_copy_rgb8_final (ladder, scratch, got, W * 3 + 5);
      g_assert_cmpmem (got, (W * 3 + 5) * H, want, (W * 3 + 5) * H);
      if (pass == 1)
        {
          impasto_session_copy_rgb8 (impasto_ladder_get_session (ladder), want, W * 3 + 5);
          g_assert_cmpmem (got, (W * 3 + 5) * H, want, (W * 3 + 5) * H);
        }
      if (pass == 0)
        {
          while (!impasto_ladder_size_done (ladder))
            g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
          g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
          g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
        }
    }

  /* The plan the window's time estimate uses. */
  {
    int widths[] = { 10, 20, 40 }, heights[] = { 10, 20, 40 };
    ImpastoLadderConfig config = f->ladder;   /* 6 / 5 / 4 */

    g_assert_cmpfloat_with_epsilon (
      impasto_ladder_plan_work_left (&config, 3, widths, heights, 0, 2, 2), 4 + 5 * 4 + 4 * 16,
      1e-9);
    g_assert_cmpfloat_with_epsilon (
      impasto_ladder_plan_work_left (&config, 3, widths, heights, 1, 9, 1), 0, 1e-9);
    g_assert_cmpint (impasto_ladder_config_get_budget (&config, 3, 0), ==, 6);
    g_assert_cmpint (impasto_ladder_config_get_budget (&config, 3, 1), ==, 5);
    g_assert_cmpint (impasto_ladder_config_get_budget (&config, 3, 2), ==, 4);
    g_assert_cmpint (impasto_ladder_config_get_budget (&config, 1, 0), ==, 4);
  }
  impasto_ladder_free (ladder);
}

/* Memory is planned per size: the steps between two moves allocate nothing, at the smallest
 * size and after a move. */
static void
test_steps_do_not_allocate (Fixture *f, gconstpointer data)
{
  ImpastoLadder *ladder;
  struct mallinfo2 before, after;

  f->ladder.first_iterations = 20;
  f->ladder.iterations = 20;
  f->ladder.tolerance = 1e-9;   /* the window's bookkeeping runs too */
  f->ladder.window = 3;
  ladder = new_ladder (f);
  for (int pass = 0; pass < 2; pass++)
    {
      /* Warm up: BLAS sets up its buffers on first use. */
      impasto_ladder_step (ladder, NULL, NULL);
      impasto_ladder_step (ladder, NULL, NULL);
      before = mallinfo2 ();
      for (int k = 0; k < 8; k++)
        impasto_ladder_step (ladder, NULL, NULL);
      after = mallinfo2 ();
      g_assert_cmpuint (after.uordblks, ==, before.uordblks);
      g_assert_cmpuint (after.hblkhd, ==, before.hblkhd);
      if (pass == 0)
        g_assert_cmpint (impasto_ladder_advance (ladder, NULL), ==, IMPASTO_STATUS_OK);
    }
  impasto_ladder_free (ladder);
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add_func ("/ladder/sizes", test_sizes);
  g_test_add_func ("/ladder/validate", test_validate);
  ADD ("/ladder/budgets", test_budgets, NULL);
  ADD ("/ladder/one-size-is-flat", test_one_size_is_flat, NULL);
  ADD ("/ladder/each-size-is-flat/adam", test_each_size_is_flat,
       GINT_TO_POINTER (IMPASTO_OPTIMIZER_ADAM));
  ADD ("/ladder/each-size-is-flat/lbfgs", test_each_size_is_flat,
       GINT_TO_POINTER (IMPASTO_OPTIMIZER_LBFGS));
  ADD ("/ladder/adam-carried", test_adam_carried, NULL);
  ADD ("/ladder/convergence", test_convergence, NULL);
  ADD ("/ladder/preview-and-restart", test_preview_and_restart, NULL);
  ADD ("/ladder/renew-and-work-left", test_renew_and_work_left, NULL);
  ADD ("/ladder/steps-do-not-allocate", test_steps_do_not_allocate, NULL);
  return g_test_run ();
}
