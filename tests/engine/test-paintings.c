/* test-paintings.c
 *
 * Several paintings in one session, on a tiny random VGG19: the size each painting is seen at
 * (brush size, aspect, no upscaling unless asked, the 16-pixel floor), the blend of their Gram
 * matrices (weights 1, 0 are the first painting alone; the same painting twice at 0.5, 0.5 is
 * the painting once: same loss trajectory), a painting's Gram matrices scaled to the picture's
 * number of positions, a weight moved mid-run used at the next step with no new forward pass over
 * the paintings, a new brush size recomputing that painting only, the ladder carrying the list to
 * every size, and the messages for bad values.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-ladder.h"
#include "impasto-session.h"
#include "impasto-style-loss.h"
#include "test-net.h"

#define W 40
#define H 32
#define STEPS 6

static void
test_plan_size (void)
{
  int w, h;

  /* Longest side = scale × the picture's longest, aspect kept. */
  impasto_painting_plan_size (200, 100, 64, 48, 1.0, false, &w, &h);
  g_assert_cmpint (w, ==, 64);
  g_assert_cmpint (h, ==, 32);
  impasto_painting_plan_size (100, 200, 64, 48, 0.5, false, &w, &h);
  g_assert_cmpint (w, ==, 16);
  g_assert_cmpint (h, ==, 32);
  /* Not past its own pixels unless asked. */
  impasto_painting_plan_size (30, 20, 64, 48, 1.0, false, &w, &h);
  g_assert_cmpint (w, ==, 30);
  g_assert_cmpint (h, ==, 20);
  impasto_painting_plan_size (30, 20, 64, 48, 1.0, true, &w, &h);
  g_assert_cmpint (w, ==, 64);
  g_assert_cmpint (h, ==, 43);
  /* The shorter side raised to the 16 pixels VGG19 needs, the longer in proportion. */
  impasto_painting_plan_size (400, 100, 64, 48, 0.5, false, &w, &h);
  g_assert_cmpint (w, ==, 64);
  g_assert_cmpint (h, ==, 16);
  impasto_painting_plan_size (100, 400, 64, 48, 0.25, false, &w, &h);
  g_assert_cmpint (w, ==, 16);
  g_assert_cmpint (h, ==, 64);
  /* The same size as the picture for the old single painting. */
  impasto_painting_plan_size (W, H, W, H, 1.0, false, &w, &h);
  g_assert_cmpint (w, ==, W);
  g_assert_cmpint (h, ==, H);
}

typedef struct
{
  ImpastoWeights *weights;
  float *content;
  float *painting_a;   /* 48 × 36: seen at 40 × 30 */
  float *painting_b;   /* 24 × 36: seen at its own size */
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->weights = test_net_new ();
  f->content = test_net_picture (W, H, 0.0);
  f->painting_a = test_net_picture (48, 36, 2.5);
  f->painting_b = test_net_picture (24, 36, 1.0);
  f->paintings[0] = (ImpastoPainting) { f->painting_a, 48, 36, 1.0, false };
  f->paintings[1] = (ImpastoPainting) { f->painting_b, 24, 36, 1.0, false };
  impasto_session_config_init_default (&f->config);
  impasto_session_params_init_default (&f->params);
  f->config.width = W;
  f->config.height = H;
  f->config.content_rgb = f->content;
  f->config.paintings = f->paintings;
  f->config.n_paintings = 2;
  f->config.seed = 7;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_free (f->content);
  g_free (f->painting_a);
  g_free (f->painting_b);
  impasto_weights_free (f->weights);
}

static ImpastoSession *
new_session (Fixture *f)
{
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL, &error)
      != IMPASTO_STATUS_OK)
    g_error ("session: %s", error.message);
  return session;
}

/* The total loss after each of STEPS Adam steps. */
static void
trajectory (Fixture *f, double *losses)
{
  ImpastoSession *session = new_session (f);

  for (int i = 0; i < STEPS; i++)
    {
      ImpastoLosses l;

      g_assert_cmpint (impasto_session_step (session, &l, NULL), ==, IMPASTO_STATUS_OK);
      losses[i] = l.total;
    }
  impasto_session_free (session);
}

static void
assert_same_targets (const ImpastoGramSet *a, const ImpastoGramSet *b, double tolerance)
{
  for (int l = 0; l < IMPASTO_VGG19_N_CONVS; l++)
    {
      size_t nn = (size_t) a->channels[l] * a->channels[l];

      g_assert_cmpint (a->channels[l], ==, b->channels[l]);
      for (size_t k = 0; k < nn; k++)
        g_assert_cmpfloat_with_epsilon (a->grams[l][k], b->grams[l][k],
                                        tolerance * (1.0 + fabs (b->grams[l][k])));
    }
}

/* Weights 1, 0: the first painting's trajectory exactly (0 + 1 × G is G in floats). */
static void
test_weight_zero_is_alone (Fixture *f, gconstpointer data)
{
  double blended[STEPS], alone[STEPS];

  f->params.painting_weights[0] = 1.0f;
  f->params.painting_weights[1] = 0.0f;
  trajectory (f, blended);
  f->config.n_paintings = 1;
  f->params.painting_weights[1] = 1.0f;
  trajectory (f, alone);
  for (int i = 0; i < STEPS; i++)
    g_assert_cmpfloat (blended[i], ==, alone[i]);
  g_assert_cmpfloat (alone[STEPS - 1], <, alone[0]);
}

/* The same painting twice at 0.5, 0.5 is the painting once (0.5 G + 0.5 G is G in floats). */
static void
test_same_painting_twice (Fixture *f, gconstpointer data)
{
  double twice[STEPS], once[STEPS];

  f->paintings[1] = f->paintings[0];
  f->params.painting_weights[0] = 0.5f;
  f->params.painting_weights[1] = 0.5f;
  trajectory (f, twice);
  f->config.n_paintings = 1;
  f->params.painting_weights[0] = 1.0f;
  trajectory (f, once);
  for (int i = 0; i < STEPS; i++)
    g_assert_cmpfloat (twice[i], ==, once[i]);
}

/* A painting of another size: its Gram matrices times M / M_painting at each layer, computed here
 * straight from a net of its size. Painting B is seen at its own 24 × 36. */
static void
test_gram_scaled_to_picture (Fixture *f, gconstpointer data)
{
  ImpastoSession *session;
  ImpastoVgg19 *net = NULL;
  float *planes = g_new (float, 3 * 24 * 36);
  const ImpastoGramSet *targets;

  f->params.painting_weights[0] = 0.0f;
  session = new_session (f);
  targets = impasto_session_get_style_targets (session);

  g_assert_cmpint (impasto_vgg19_new (&net, f->weights, 36, 24, impasto_vgg19_conv_index ("conv5_1"),
                                      IMPASTO_POOL_MAX, NULL), ==, IMPASTO_STATUS_OK);
  for (int p = 0; p < 24 * 36; p++)
    for (int c = 0; c < 3; c++)
      planes[c * 24 * 36 + p] = f->painting_b[p * 3 + c] - f->weights->mean_pixel[c];
  g_assert_cmpint (impasto_vgg19_forward (net, planes, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int l = 0; l < IMPASTO_VGG19_N_CONVS; l++)
    {
      int c, h, w, hp, wp;
      const float *feat;
      g_autofree float *gram = NULL;

      if (f->params.style_layers[l] <= 0.0f)
        continue;
      feat = impasto_vgg19_features (net, l, &c, &hp, &wp);
      impasto_vgg19_conv_size (l, H, W, &h, &w);
      gram = g_new (float, c * c);
      impasto_gram_naive (gram, feat, c, (size_t) hp * wp);
      g_assert_cmpint (targets->channels[l], ==, c);
      for (int k = 0; k < c * c; k++)
        {
          double want = gram[k] * ((double) h * w) / ((double) hp * wp);

          /* float sums of a few hundred products: 1e-4 relative */
          g_assert_cmpfloat_with_epsilon (targets->grams[l][k], want, 1e-4 * (1.0 + fabs (want)));
        }
    }
  impasto_vgg19_free (net);
  g_free (planes);
  impasto_session_free (session);
}

/* A weight moved between steps: the next step's loss is that of the new blend, with no forward
 * pass over the paintings (two at creation, none after). */
static void
test_weight_moved_live (Fixture *f, gconstpointer data)
{
  ImpastoSession *session = new_session (f), *fresh;
  ImpastoSessionParams moved = f->params;
  ImpastoLosses before, after, want;

  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 2);
  g_assert_cmpint (impasto_session_step (session, &before, NULL), ==, IMPASTO_STATUS_OK);
  moved.painting_weights[0] = 0.2f;
  moved.painting_weights[1] = 0.8f;
  g_assert_cmpint (impasto_session_set_params (session, &moved, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_evaluate (session, &after, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 2);
  g_assert_cmpfloat (after.style, !=, before.style);

  /* The blend is the one a session made with those weights has. */
  f->params = moved;
  fresh = new_session (f);
  assert_same_targets (impasto_session_get_style_targets (session),
                       impasto_session_get_style_targets (fresh), 1e-6);
  impasto_session_free (fresh);

  /* All at 0 is refused, and nothing changes. */
  moved.painting_weights[0] = moved.painting_weights[1] = 0.0f;
  g_assert_cmpint (impasto_session_set_params (session, &moved, NULL), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (impasto_session_evaluate (session, &want, NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpfloat (want.total, ==, after.total);
  impasto_session_free (session);
}

/* A new brush size for one painting: one forward pass (that painting's), and the targets a
 * session created with that brush size has. */
static void
test_brush_size_live (Fixture *f, gconstpointer data)
{
  ImpastoSession *session = new_session (f), *fresh;
  ImpastoPainting smaller = f->paintings[0];
  ImpastoEngineError error = { 0 };

  g_assert_cmpint (impasto_session_step (session, NULL, NULL), ==, IMPASTO_STATUS_OK);
  smaller.scale = 0.5;
  g_assert_cmpint (impasto_session_set_painting (session, 0, &smaller, &error), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 3);
  f->paintings[0] = smaller;
  fresh = new_session (f);
  assert_same_targets (impasto_session_get_style_targets (session),
                       impasto_session_get_style_targets (fresh), 1e-6);
  g_assert_cmpint (impasto_session_step (session, NULL, NULL), ==, IMPASTO_STATUS_OK);

  /* Bad values keep what it had. */
  smaller.scale = 0.0;
  g_assert_cmpint (impasto_session_set_painting (session, 0, &smaller, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "brush size of painting 1"));
  impasto_engine_error_clear (&error);
  g_assert_cmpint (impasto_session_set_painting (session, 2, &smaller, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  impasto_engine_error_clear (&error);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 3);
  impasto_session_free (fresh);
  impasto_session_free (session);
}

static void
test_bad_values (Fixture *f, gconstpointer data)
{
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };

  f->paintings[1].scale = NAN;
  g_assert_cmpint (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL,
                                        &error), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "painting 2"));
  impasto_engine_error_clear (&error);
  f->paintings[1].scale = 1.0;
  f->paintings[1].upscale = true;
  f->paintings[1].scale = 1e6;
  g_assert_cmpint (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL,
                                        &error), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "over the limit"));
  impasto_engine_error_clear (&error);
  f->paintings[1].scale = 1.0;
  f->params.painting_weights[0] = f->params.painting_weights[1] = 0.0f;
  g_assert_cmpint (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL,
                                        &error), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "all 0"));
  impasto_engine_error_clear (&error);
  f->params.painting_weights[0] = -1.0f;
  g_assert_cmpint (impasto_session_params_validate (&f->params, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "weight of painting 1"));
  impasto_engine_error_clear (&error);
  f->params.painting_weights[0] = 1.0f;
  f->config.n_paintings = IMPASTO_MAX_PAINTINGS + 1;
  g_assert_cmpint (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL,
                                        &error), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  impasto_engine_error_clear (&error);
  g_assert_null (session);
}

/* The ladder hands the list to every size; a brush size set mid-run holds at the sizes after. */
static void
test_ladder_carries_paintings (Fixture *f, gconstpointer data)
{
  ImpastoLadderConfig ladder_config;
  ImpastoLadder *ladder = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoPainting painting;
  ImpastoSession *fresh;

  f->config.width = 64;
  f->config.height = 48;
  g_free (f->content);
  f->content = test_net_picture (64, 48, 0.0);
  f->config.content_rgb = f->content;
  impasto_ladder_config_init_default (&ladder_config);
  ladder_config.min_side = 32;
  impasto_ladder_config_set_budgets (&ladder_config, 2);
  g_assert_cmpint (impasto_ladder_new (&ladder, f->weights, &ladder_config, &f->config,
                                       &f->params, NULL, NULL, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_n_sizes (ladder), ==, 3);
  g_assert_cmpint (impasto_ladder_get_painting_passes (ladder), ==, 2);

  impasto_ladder_get_painting (ladder, 1, &painting);
  painting.scale = 0.5;
  g_assert_cmpint (impasto_ladder_set_painting (ladder, 1, &painting, &error), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_painting_passes (ladder), ==, 3);
  g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_ladder_get_painting_passes (ladder), ==, 7);

  /* The final size's targets: those of a session of that size with brush size 0.5. */
  f->paintings[1].scale = 0.5;
  fresh = new_session (f);
  assert_same_targets (impasto_session_get_style_targets (impasto_ladder_get_session (ladder)),
                       impasto_session_get_style_targets (fresh), 1e-6);
  impasto_session_free (fresh);
  impasto_ladder_free (ladder);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/paintings/plan-size", test_plan_size);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/paintings/weight-zero-is-alone", test_weight_zero_is_alone);
  ADD ("/paintings/same-painting-twice", test_same_painting_twice);
  ADD ("/paintings/gram-scaled-to-picture", test_gram_scaled_to_picture);
  ADD ("/paintings/weight-moved-live", test_weight_moved_live);
  ADD ("/paintings/brush-size-live", test_brush_size_live);
  ADD ("/paintings/bad-values", test_bad_values);
  ADD ("/paintings/ladder-carries-paintings", test_ladder_carries_paintings);
#undef ADD
  return g_test_run ();
}
