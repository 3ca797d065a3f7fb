/* test-style-cache.c
 *
 * Paintings' targets kept across sessions (impasto-style-cache.h), on a tiny random VGG19: a
 * second session of the same size with the same paintings runs no forward pass over them and has
 * exactly the targets and the pictures of a session without the cache; a painting with one value
 * changed, another picture size or other style layers are computed anew; the painting used least
 * recently makes room; and two ladders (two photos of a batch) share every size's targets, the
 * second painting bit for bit what it paints alone.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <string.h>

#include "impasto-ladder.h"
#include "impasto-session.h"
#include "impasto-style-cache.h"
#include "test-net.h"

#define W 40
#define H 32
#define STEPS 4

typedef struct
{
  ImpastoWeights *weights;
  float *content_a;
  float *content_b;
  float *painting_a;   /* 48 × 36 */
  float *painting_b;   /* 24 × 36 */
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
  ImpastoStyleCache *cache;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->weights = test_net_new ();
  f->content_a = test_net_picture (W, H, 0.0);
  f->content_b = test_net_picture (W, H, 0.7);
  f->painting_a = test_net_picture (48, 36, 2.5);
  f->painting_b = test_net_picture (24, 36, 1.0);
  f->paintings[0] = (ImpastoPainting) { f->painting_a, 48, 36, 1.0, false };
  f->paintings[1] = (ImpastoPainting) { f->painting_b, 24, 36, 1.0, false };
  impasto_session_config_init_default (&f->config);
  impasto_session_params_init_default (&f->params);
  f->config.width = W;
  f->config.height = H;
  f->config.content_rgb = f->content_a;
  f->config.paintings = f->paintings;
  f->config.n_paintings = 2;
  f->config.seed = 7;
  g_assert_cmpint (impasto_style_cache_new (&f->cache, 4), ==, IMPASTO_STATUS_OK);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  impasto_style_cache_free (f->cache);
  g_free (f->content_a);
  g_free (f->content_b);
  g_free (f->painting_a);
  g_free (f->painting_b);
  impasto_weights_free (f->weights);
}

static ImpastoSession *
new_session (Fixture *f, ImpastoStyleCache *cache)
{
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoSessionConfig config = f->config;

  config.style_cache = cache;
  if (impasto_session_new (&session, f->weights, &config, &f->params, NULL, NULL, &error)
      != IMPASTO_STATUS_OK)
    g_error ("session: %s", error.message);
  return session;
}

static void
assert_identical_targets (const ImpastoGramSet *a, const ImpastoGramSet *b)
{
  for (int l = 0; l < IMPASTO_VGG19_N_CONVS; l++)
    {
      g_assert_cmpint (a->channels[l], ==, b->channels[l]);
      if (a->grams[l] != NULL)
        g_assert_cmpmem (a->grams[l], (gsize) a->channels[l] * a->channels[l] * sizeof (float),
                         b->grams[l], (gsize) b->channels[l] * b->channels[l] * sizeof (float));
    }
}

/* STEPS Adam steps; the picture after them. */
static float *
paint (ImpastoSession *session)
{
  ImpastoEngineError error = { 0 };
  float *rgb = g_new (float, (gsize) W * H * 3);

  for (int i = 0; i < STEPS; i++)
    g_assert_cmpint (impasto_session_step (session, NULL, &error), ==, IMPASTO_STATUS_OK);
  impasto_session_copy_rgb (session, rgb);
  return rgb;
}

static void
test_second_session (Fixture *f, gconstpointer data)
{
  ImpastoSession *first;
  ImpastoSession *second;
  ImpastoSession *alone;
  g_autofree float *with_cache = NULL;
  g_autofree float *without = NULL;

  first = new_session (f, f->cache);
  g_assert_cmpint (impasto_session_get_painting_passes (first), ==, 2);
  g_assert_cmpint (impasto_style_cache_get_misses (f->cache), ==, 2);
  g_assert_cmpint (impasto_style_cache_get_hits (f->cache), ==, 0);
  g_assert_cmpuint (impasto_style_cache_get_bytes (f->cache), >,
                    (48 * 36 + 24 * 36) * 3 * sizeof (float));
  impasto_session_free (first);

  /* The next photo of the same size. */
  f->config.content_rgb = f->content_b;
  second = new_session (f, f->cache);
  g_assert_cmpint (impasto_session_get_painting_passes (second), ==, 0);
  g_assert_cmpint (impasto_style_cache_get_hits (f->cache), ==, 2);
  alone = new_session (f, NULL);
  g_assert_cmpint (impasto_session_get_painting_passes (alone), ==, 2);
  assert_identical_targets (impasto_session_get_style_targets (second),
                            impasto_session_get_style_targets (alone));

  with_cache = paint (second);
  without = paint (alone);
  g_assert_cmpmem (with_cache, (gsize) W * H * 3 * sizeof (float),
                   without, (gsize) W * H * 3 * sizeof (float));
  impasto_session_free (second);
  impasto_session_free (alone);
}

static void
test_changes_miss (Fixture *f, gconstpointer data)
{
  ImpastoSession *session;
  ImpastoSession *alone;
  float saved;

  impasto_session_free (new_session (f, f->cache));

  /* One value of one painting (as a photo's colours would change it): that painting anew. */
  saved = f->painting_b[100];
  f->painting_b[100] += 1.0f;
  session = new_session (f, f->cache);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 1);
  alone = new_session (f, NULL);
  assert_identical_targets (impasto_session_get_style_targets (session),
                            impasto_session_get_style_targets (alone));
  impasto_session_free (session);
  impasto_session_free (alone);
  f->painting_b[100] = saved;

  /* Another picture size: both anew. */
  f->config.width = W + 8;
  f->content_a = g_renew (float, f->content_a, (gsize) (W + 8) * H * 3);
  memset (f->content_a, 0, (gsize) (W + 8) * H * 3 * sizeof (float));
  f->config.content_rgb = f->content_a;
  session = new_session (f, f->cache);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 2);
  impasto_session_free (session);
  f->config.width = W;

  /* Other style layers: anew. */
  f->params.style_layers[impasto_vgg19_conv_index ("conv5_1")] = 0.0f;
  session = new_session (f, f->cache);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 2);
  impasto_session_free (session);

  /* Another brush size for one painting: that one anew. */
  f->params.style_layers[impasto_vgg19_conv_index ("conv5_1")] = 0.2f;
  f->paintings[0].scale = 0.5;
  session = new_session (f, f->cache);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 1);
  impasto_session_free (session);
}

static void
test_least_recent_goes (Fixture *f, gconstpointer data)
{
  ImpastoStyleCache *small = NULL;
  ImpastoSession *session;

  /* Room for one painting: the two of this session take turns. */
  g_assert_cmpint (impasto_style_cache_new (&small, 1), ==, IMPASTO_STATUS_OK);
  impasto_session_free (new_session (f, small));
  session = new_session (f, small);
  /* Each painting drops the other before it is looked up again: both anew. */
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 2);
  impasto_session_free (session);

  f->config.n_paintings = 1;
  /* One painting: kept from one session to the next. */
  impasto_session_free (new_session (f, small));
  session = new_session (f, small);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, 0);
  impasto_session_free (session);
  impasto_style_cache_free (small);

  g_assert_cmpint (impasto_style_cache_new (&small, 0), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_null (small);
}

static ImpastoLadder *
new_ladder (Fixture *f, const float *content, ImpastoStyleCache *cache)
{
  ImpastoLadder *ladder = NULL;
  ImpastoLadderConfig ladder_config;
  ImpastoEngineError error = { 0 };
  ImpastoSessionConfig config = f->config;

  config.width = 64;
  config.height = 48;
  config.content_rgb = content;
  config.style_cache = cache;
  impasto_ladder_config_init_default (&ladder_config);
  ladder_config.min_side = 32;
  impasto_ladder_config_set_budgets (&ladder_config, 2);
  if (impasto_ladder_new (&ladder, f->weights, &ladder_config, &config, &f->params, NULL, NULL,
                          &error) != IMPASTO_STATUS_OK)
    g_error ("ladder: %s", error.message);
  return ladder;
}

/* Up the whole ladder; the picture at the final size. */
static float *
climb (ImpastoLadder *ladder)
{
  ImpastoEngineError error = { 0 };
  float *rgb = g_new (float, (gsize) 64 * 48 * 3);

  for (;;)
    {
      if (impasto_ladder_size_done (ladder))
        {
          if (impasto_ladder_done (ladder))
            break;
          g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
          continue;
        }
      g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
    }
  impasto_ladder_copy_rgb (ladder, rgb);
  return rgb;
}

static void
test_ladders (Fixture *f, gconstpointer data)
{
  g_autofree float *photo_a = test_net_picture (64, 48, 0.0);
  g_autofree float *photo_b = test_net_picture (64, 48, 0.9);
  g_autofree float *with_cache = NULL;
  g_autofree float *without = NULL;
  ImpastoLadder *first;
  ImpastoLadder *second;
  ImpastoLadder *alone;

  first = new_ladder (f, photo_a, f->cache);
  g_free (climb (first));
  g_assert_cmpint (impasto_ladder_get_n_sizes (first), ==, 3);
  /* Two paintings at three sizes. */
  g_assert_cmpint (impasto_ladder_get_painting_passes (first), ==, 6);
  impasto_ladder_free (first);

  /* The next photo: both paintings at every size from the cache. */
  second = new_ladder (f, photo_b, f->cache);
  with_cache = climb (second);
  g_assert_cmpint (impasto_ladder_get_painting_passes (second), ==, 0);
  g_assert_cmpint (impasto_style_cache_get_hits (f->cache), ==, 6);

  alone = new_ladder (f, photo_b, NULL);
  without = climb (alone);
  g_assert_cmpint (impasto_ladder_get_painting_passes (alone), ==, 6);
  g_assert_cmpmem (with_cache, (gsize) 64 * 48 * 3 * sizeof (float),
                   without, (gsize) 64 * 48 * 3 * sizeof (float));
  impasto_ladder_free (second);
  impasto_ladder_free (alone);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/style-cache/second-session", Fixture, NULL, fixture_set_up, test_second_session,
              fixture_tear_down);
  g_test_add ("/style-cache/changes-miss", Fixture, NULL, fixture_set_up, test_changes_miss,
              fixture_tear_down);
  g_test_add ("/style-cache/least-recent-goes", Fixture, NULL, fixture_set_up,
              test_least_recent_goes, fixture_tear_down);
  g_test_add ("/style-cache/ladders", Fixture, NULL, fixture_set_up, test_ladders,
              fixture_tear_down);

  return g_test_run ();
}
