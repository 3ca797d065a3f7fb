/* test-session.c
 *
 * The session API on a tiny random VGG19 at 32x32: defaults, validation, iteration-0 losses,
 * the loss falling under Adam and never rising under L-BFGS, live parameter changes taking effect
 * at the next step without new targets, a layer switched on asking for a restart, cancellation
 * with a consistent session after it, NaN protection, two coexisting sessions giving identical
 * results, 8-bit copies, and no allocation inside the iteration loop.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <malloc.h>
#include <math.h>
#include <string.h>

#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-session.h"
#include "test-net.h"

#define W 32
#define H 32

/* The one rule for "needs new targets": a layer switched on that was off, and nothing else. */
static void
test_need_restart (void)
{
  ImpastoSessionParams running, wanted;
  ImpastoEngineError error = { 0 };

  impasto_session_params_init_default (&running);
  wanted = running;
  g_assert_false (impasto_session_params_need_restart (&running, &wanted, &error));
  g_assert_cmpint (error.status, ==, IMPASTO_STATUS_OK);

  /* Other weights, the learning rate, a layer switched off: no new targets. */
  wanted.alpha = 7.0;
  wanted.beta = 0.0;
  wanted.tv = 3.0;
  wanted.learning_rate = 0.1;
  wanted.style_layers[impasto_vgg19_conv_index ("conv1_1")] = 0.0f;
  wanted.content_layers[impasto_vgg19_conv_index ("conv4_2")] = 2.0f;
  g_assert_false (impasto_session_params_need_restart (&running, &wanted, NULL));

  /* A style layer, then a content layer, that were off. */
  wanted.style_layers[impasto_vgg19_conv_index ("conv3_2")] = 0.1f;
  g_assert_true (impasto_session_params_need_restart (&running, &wanted, &error));
  g_assert_cmpint (error.status, ==, IMPASTO_STATUS_NEEDS_RESTART);
  g_assert_nonnull (strstr (error.message, "style layer conv3_2"));
  wanted = running;
  wanted.content_layers[impasto_vgg19_conv_index ("conv1_1")] = 0.1f;
  g_assert_true (impasto_session_params_need_restart (&running, &wanted, NULL));

  /* Back the other way the same layer is only switched off. */
  g_assert_false (impasto_session_params_need_restart (&wanted, &running, NULL));
}

typedef struct
{
  ImpastoWeights *weights;
  float *content;
  float *style;
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->weights = test_net_new ();
  f->content = test_net_picture (W, H, 0.0);
  f->style = test_net_picture (W, H, 2.5);
  impasto_session_config_init_default (&f->config);
  impasto_session_params_init_default (&f->params);
  f->config.width = W;
  f->config.height = H;
  f->config.content_rgb = f->content;
  f->config.style_rgb = f->style;
  f->config.seed = 42;
  /* The tiny net's features are small: a larger rate makes visible progress in few steps. */
  f->params.learning_rate = 2.0;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  impasto_weights_free (f->weights);
  g_free (f->content);
  g_free (f->style);
}

static ImpastoSession *
new_session (Fixture *f)
{
  ImpastoSession *t = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_session_new (&t, f->weights, &f->config, &f->params, NULL, NULL, &error))
    g_error ("session: %s", error.message);
  return t;
}

static void
test_defaults (void)
{
  ImpastoSessionParams p;
  ImpastoSessionConfig c;

  impasto_session_params_init_default (&p);
  impasto_session_config_init_default (&c);
  g_assert_cmpfloat (p.alpha, ==, 1.0);
  g_assert_cmpfloat (p.beta, ==, 500.0);
  g_assert_cmpfloat (p.tv, ==, 0.0);
  g_assert_cmpfloat (p.learning_rate, ==, 1.0);
  g_assert_cmpfloat (p.content_layers[9], ==, 0.5f);
  g_assert_cmpfloat (p.content_layers[13], ==, 0.5f);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      gboolean style_default = i == 0 || i == 2 || i == 4 || i == 8 || i == 12;
      g_assert_cmpfloat (p.style_layers[i], ==, style_default ? 0.2f : 0.0f);
      if (i != 9 && i != 13)
        g_assert_cmpfloat (p.content_layers[i], ==, 0.0f);
    }
  g_assert_cmpint (c.init, ==, IMPASTO_INIT_NOISE);
  g_assert_cmpfloat (c.noise_ratio, ==, 0.5);
  g_assert_cmpint (c.optimizer, ==, IMPASTO_OPTIMIZER_ADAM);
  g_assert_cmpint (c.pool, ==, IMPASTO_POOL_MAX);
}

static void
test_validation (Fixture *f, gconstpointer data)
{
  ImpastoSession *t = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoSessionParams p = f->params;
  ImpastoSessionConfig c = f->config;

  p.beta = NAN;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &p, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "β"));
  p = f->params;
  p.style_layers[2] = -1;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &p, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "conv2_1"));
  p = f->params;
  memset (p.content_layers, 0, sizeof p.content_layers);
  memset (p.style_layers, 0, sizeof p.style_layers);
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &p, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  p = f->params;
  p.learning_rate = 0;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &p, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  c.width = 8;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &f->params, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  c = f->config;
  c.init = IMPASTO_INIT_IMAGE;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &f->params, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  c = f->config;
  c.noise_ratio = 1.5;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &c, &f->params, NULL, NULL, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_null (t);
}

static void
test_adam_loss_falls (Fixture *f, gconstpointer data)
{
  ImpastoSession *t = new_session (f);
  ImpastoLosses first, l;

  g_assert_cmpint (impasto_session_evaluate (t, &first, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_iteration (t), ==, 0);
  g_assert_cmpfloat (first.total, >, 0);
  g_assert_cmpfloat_with_epsilon (first.total, first.content + 500 * first.style,
                                  1e-9 * first.total);
  for (int k = 0; k < 150; k++)
    g_assert_cmpint (impasto_session_step (t, &l, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_iteration (t), ==, 150);
  g_test_message ("loss %g -> %g", first.total, l.total);
  g_assert_cmpfloat (l.total, <, 0.5 * first.total);
  impasto_session_free (t);
}

static void
test_lbfgs_never_rises (Fixture *f, gconstpointer data)
{
  ImpastoSession *t;
  ImpastoLosses l;
  double first, before;

  f->config.optimizer = IMPASTO_OPTIMIZER_LBFGS;
  f->params.learning_rate = 1.0;
  t = new_session (f);
  impasto_session_evaluate (t, &l, NULL);
  first = before = l.total;
  for (int k = 0; k < 30; k++)
    {
      g_assert_cmpint (impasto_session_step (t, &l, NULL), ==, IMPASTO_STATUS_OK);
      g_test_message ("L-BFGS %d: %g", k + 1, l.total);
      g_assert_cmpfloat (l.total, <=, before);
      before = l.total;
    }
  /* Progress varies a lot with the random net; monotonic descent is the point. */
  g_assert_cmpfloat (l.total, <, 0.9 * first);
  impasto_session_free (t);
}

static void
test_live_params (Fixture *f, gconstpointer data)
{
  ImpastoSession *t = new_session (f);
  ImpastoSessionParams p = f->params;
  ImpastoLosses l, again;
  ImpastoEngineError error = { 0 };

  for (int k = 0; k < 3; k++)
    impasto_session_step (t, &l, NULL);

  /* beta changes: the very next evaluation uses it, with the same unweighted terms. */
  p.beta = 5.0;
  g_assert_cmpint (impasto_session_set_params (t, &p, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_evaluate (t, &again, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpfloat_with_epsilon (again.style, l.style, 1e-12 + 1e-9 * l.style);
  g_assert_cmpfloat_with_epsilon (again.total, again.content + 5.0 * again.style,
                                  1e-9 * again.total);
  g_assert_cmpint (impasto_session_step (t, &l, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpfloat_with_epsilon (l.total, l.content + 5.0 * l.style, 1e-9 * l.total);

  /* A layer's weight to 0 and back: its target is still there. */
  p.style_layers[0] = 0.0f;
  g_assert_cmpint (impasto_session_set_params (t, &p, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_step (t, NULL, NULL), ==, IMPASTO_STATUS_OK);
  p.style_layers[0] = 1.0f;
  g_assert_cmpint (impasto_session_set_params (t, &p, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_step (t, NULL, NULL), ==, IMPASTO_STATUS_OK);

  /* Switching on a layer that had no target needs a new session; nothing changes. */
  p.style_layers[1] = 0.3f;
  g_assert_cmpint (impasto_session_set_params (t, &p, &error), ==, IMPASTO_STATUS_NEEDS_RESTART);
  g_assert_nonnull (strstr (error.message, "conv1_2"));
  g_assert_cmpint (impasto_session_step (t, NULL, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_iteration (t), ==, 7);
  impasto_session_free (t);
}

typedef struct
{
  int calls;
  int stop_after;
} StopCounter;

static bool
stop_after (void *data)
{
  StopCounter *s = data;
  return ++s->calls > s->stop_after;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  StopCounter stop = { 0, G_MAXINT };
  ImpastoSession *t = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoLosses l;

  g_assert_cmpint (impasto_session_new (&t, f->weights, &f->config, &f->params, stop_after,
                                         &stop, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_step (t, &l, NULL), ==, IMPASTO_STATUS_OK);
  /* Stop in the middle of the next step's passes. */
  stop.calls = 0;
  stop.stop_after = 5;
  g_assert_cmpint (impasto_session_step (t, &l, &error), ==, IMPASTO_STATUS_CANCELLED);
  stop.stop_after = G_MAXINT;
  g_assert_cmpint (impasto_session_step (t, &l, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_true (isfinite (l.total));
  impasto_session_free (t);

  /* Cancelled while the targets are computed: no session. */
  stop.calls = 0;
  stop.stop_after = 3;
  t = NULL;
  g_assert_cmpint (impasto_session_new (&t, f->weights, &f->config, &f->params, stop_after,
                                         &stop, &error), ==, IMPASTO_STATUS_CANCELLED);
  g_assert_null (t);
}

static void
test_numeric_blowup (Fixture *f, gconstpointer data)
{
  ImpastoSession *t;
  ImpastoEngineError error = { 0 };
  ImpastoStatus status = IMPASTO_STATUS_OK;
  float *rgb = g_new (float, W * H * 3);

  f->params.learning_rate = 1e38;
  t = new_session (f);
  for (int k = 0; k < 5 && status == IMPASTO_STATUS_OK; k++)
    status = impasto_session_step (t, NULL, &error);
  g_assert_cmpint (status, ==, IMPASTO_STATUS_NUMERIC);
  g_assert_nonnull (strstr (error.message, "learning rate"));
  impasto_session_copy_rgb (t, rgb);
  for (int i = 0; i < W * H * 3; i++)
    g_assert_true (isfinite (rgb[i]));
  g_free (rgb);
  impasto_session_free (t);
}

static void
test_two_sessions_agree (Fixture *f, gconstpointer data)
{
  ImpastoSession *a = new_session (f);
  ImpastoSession *b = new_session (f);
  float *ra = g_new (float, W * H * 3), *rb = g_new (float, W * H * 3);
  ImpastoLosses la, lb;

  for (int k = 0; k < 4; k++)
    {
      impasto_session_step (a, &la, NULL);
      impasto_session_step (b, &lb, NULL);
      g_assert_cmpfloat (la.total, ==, lb.total);
    }
  impasto_session_copy_rgb (a, ra);
  impasto_session_copy_rgb (b, rb);
  g_assert_cmpmem (ra, W * H * 3 * sizeof (float), rb, W * H * 3 * sizeof (float));
  impasto_session_free (a);
  impasto_session_free (b);
  g_free (ra);
  g_free (rb);
}

static void
test_initial_images (Fixture *f, gconstpointer data)
{
  float *rgb = g_new (float, W * H * 3);
  guint8 *rgb8 = g_new (guint8, (W * 3 + 5) * H);
  ImpastoSession *t;

  f->config.init = IMPASTO_INIT_CONTENT;
  t = new_session (f);
  impasto_session_copy_rgb (t, rgb);
  for (int i = 0; i < W * H * 3; i++)
    g_assert_cmpfloat_with_epsilon (rgb[i], f->content[i], 1e-3);
  /* 8-bit copies clamp and round; the stride is honoured. */
  impasto_session_copy_rgb8 (t, rgb8, W * 3 + 5);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W * 3; x++)
      {
        float v = f->content[y * W * 3 + x];
        int want = v <= 0 ? 0 : v >= 255 ? 255 : (int) lrintf (v);
        g_assert_cmpint (abs (rgb8[y * (W * 3 + 5) + x] - want), <=, 1);
      }
  impasto_session_free (t);

  /* The noise mix: 0.5 * uniform(-20, 20) + 0.5 * content, reproducible by seed. */
  f->config.init = IMPASTO_INIT_NOISE;
  t = new_session (f);
  impasto_session_copy_rgb (t, rgb);
  for (int i = 0; i < W * H * 3; i++)
    g_assert_cmpfloat (fabs (rgb[i] - 0.5 * f->content[i]), <=, 10.0 + 1e-3);
  impasto_session_free (t);

  f->config.init = IMPASTO_INIT_STYLE;
  t = new_session (f);
  impasto_session_copy_rgb (t, rgb);
  for (int i = 0; i < W * H * 3; i++)
    g_assert_cmpfloat_with_epsilon (rgb[i], f->style[i], 1e-3);
  impasto_session_free (t);
  g_free (rgb);
  g_free (rgb8);
}

static void
test_loop_does_not_allocate (Fixture *f, gconstpointer data)
{
  ImpastoSession *t = new_session (f);
  struct mallinfo2 before, after;

  /* Warm up: BLAS sets up its buffers on first use. */
  impasto_session_step (t, NULL, NULL);
  impasto_session_step (t, NULL, NULL);
  before = mallinfo2 ();
  for (int k = 0; k < 10; k++)
    impasto_session_step (t, NULL, NULL);
  after = mallinfo2 ();
  g_assert_cmpuint (after.uordblks, ==, before.uordblks);
  g_assert_cmpuint (after.hblkhd, ==, before.hblkhd);
  impasto_session_free (t);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add_func ("/session/defaults", test_defaults);
  ADD ("/session/validation", test_validation);
  g_test_add_func ("/session/need-restart", test_need_restart);
  ADD ("/session/adam-loss-falls", test_adam_loss_falls);
  ADD ("/session/lbfgs-never-rises", test_lbfgs_never_rises);
  ADD ("/session/live-params", test_live_params);
  ADD ("/session/cancel", test_cancel);
  ADD ("/session/numeric-blowup", test_numeric_blowup);
  ADD ("/session/two-sessions-agree", test_two_sessions_agree);
  ADD ("/session/initial-images", test_initial_images);
  ADD ("/session/loop-does-not-allocate", test_loop_does_not_allocate);
  return g_test_run ();
}
