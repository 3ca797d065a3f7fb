/* test-objective.c
 *
 * The objective's parts on a tiny random VGG19 at 32x32: a Gram set computed from a picture holds
 * exactly the Gram matrices of its features; scaling, adding scaled sets and adding features
 * combine them linearly (what blending paintings and accumulating tiles build on); content
 * targets are the features; the objective counts a weighted layer without a target as off and
 * says which weights it has targets for.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-memory.h"
#include "impasto-objective.h"
#include "impasto-style-loss.h"
#include "impasto-threads.h"
#include "test-net.h"

#define W 32
#define H 32
#define N_CONVS IMPASTO_VGG19_N_CONVS

typedef struct
{
  ImpastoWeights *weights;
  ImpastoVgg19 *net;
  float *image;    /* (3, H, W) */
  float *other;    /* (3, H, W) */
} Fixture;

static float *
planes (double phase)
{
  float *rgb = test_net_picture (W, H, phase);
  float *x = g_new (float, 3 * W * H);

  for (size_t p = 0; p < (size_t) W * H; p++)
    for (int c = 0; c < 3; c++)
      x[c * W * H + p] = rgb[p * 3 + c] - 120.0f;
  g_free (rgb);
  return x;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  ImpastoEngineError error = { 0 };

  f->weights = test_net_new ();
  if (impasto_vgg19_new (&f->net, f->weights, H, W, N_CONVS - 1, IMPASTO_POOL_MAX, &error))
    g_error ("net: %s", error.message);
  f->image = planes (0.0);
  f->other = planes (2.5);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  impasto_vgg19_free (f->net);
  impasto_weights_free (f->weights);
  g_free (f->image);
  g_free (f->other);
}

static void
assert_close (const float *got, const float *want, size_t n, double atol, double rtol)
{
  for (size_t i = 0; i < n; i++)
    if (!(fabs ((double) got[i] - want[i]) <= atol + rtol * fabs (want[i])))
      g_error ("element %zu: got %.9g, want %.9g", i, got[i], want[i]);
}

static void
test_gram_set (Fixture *f, gconstpointer data)
{
  bool layers[N_CONVS] = { false };
  ImpastoGramSet set, other, sum;

  layers[0] = layers[4] = layers[12] = true;
  g_assert_cmpint (impasto_gram_set_init (&set, f->weights, layers), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_gram_set_init (&other, f->weights, layers), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_gram_set_init (&sum, f->weights, layers), ==, IMPASTO_STATUS_OK);
  g_assert_cmpuint (impasto_gram_set_floats (f->weights, layers), >=, 4 * 4 + 6 * 6 + 8 * 8);
  for (int i = 0; i < N_CONVS; i++)
    {
      g_assert_cmpint (impasto_gram_set_has_layer (&set, i), ==, layers[i]);
      g_assert_cmpint (set.channels[i], ==, layers[i] ? f->weights->convs[i].out_channels : 0);
    }
  g_assert_false (impasto_gram_set_has_layer (&set, -1));
  g_assert_false (impasto_gram_set_has_layer (&set, N_CONVS));

  /* Computed: the Gram matrices of the features, bit for bit. */
  g_assert_cmpint (impasto_gram_set_compute (&other, f->net, f->other, NULL, NULL), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_gram_set_compute (&set, f->net, f->image, NULL, NULL), ==,
                   IMPASTO_STATUS_OK);
  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        int c, h, w;
        const float *feat = impasto_vgg19_features (f->net, i, &c, &h, &w);
        float *want = g_new (float, (size_t) c * c);

        impasto_gram (want, feat, (size_t) c, (size_t) h * w);
        g_assert_cmpmem (set.grams[i], (size_t) c * c * sizeof (float), want,
                         (size_t) c * c * sizeof (float));
        g_free (want);
      }

  /* sum = 0.25 * set + 0.75 * other, by scaling and adding scaled sets; and again by adding
   * features (the net still holds the image's). */
  impasto_gram_set_add_scaled (&sum, &set, 1.0);
  impasto_gram_set_scale (&sum, 0.25);
  impasto_gram_set_add_scaled (&sum, &other, 0.75);
  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        size_t nn = (size_t) set.channels[i] * set.channels[i];
        float *want = g_new (float, nn);

        for (size_t k = 0; k < nn; k++)
          want[k] = (float) (0.25 * set.grams[i][k] + 0.75 * other.grams[i][k]);
        assert_close (sum.grams[i], want, nn, 1e-3, 1e-5);
        g_free (want);
      }

  impasto_gram_set_scale (&other, 0.75);
  impasto_gram_set_add_features (&other, f->net, 0.25);
  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        size_t nn = (size_t) set.channels[i] * set.channels[i];

        assert_close (other.grams[i], sum.grams[i], nn, 1e-3, 1e-5);
        /* Still symmetric. */
        for (int r = 0; r < set.channels[i]; r++)
          for (int k = 0; k < set.channels[i]; k++)
            g_assert_cmpfloat (other.grams[i][r * set.channels[i] + k], ==,
                               other.grams[i][k * set.channels[i] + r]);
      }

  impasto_gram_set_clear (&set);
  impasto_gram_set_clear (&other);
  impasto_gram_set_clear (&sum);
  g_assert_null (set.block);
}

static void
test_content_targets (Fixture *f, gconstpointer data)
{
  bool layers[N_CONVS] = { false };
  ImpastoContentTargets targets;

  layers[9] = layers[13] = true;
  g_assert_cmpint (impasto_content_targets_init (&targets, f->weights, H, W, layers), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_content_targets_compute (&targets, f->net, f->image, NULL, NULL), ==,
                   IMPASTO_STATUS_OK);
  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        int c, h, w;
        const float *feat = impasto_vgg19_features (f->net, i, &c, &h, &w);

        g_assert_cmpmem (targets.features[i], (size_t) c * h * w * sizeof (float), feat,
                         (size_t) c * h * w * sizeof (float));
      }
    else
      g_assert_null (targets.features[i]);
  impasto_content_targets_clear (&targets);
}

static void
test_targets_and_weights (Fixture *f, gconstpointer data)
{
  bool content[N_CONVS] = { false }, style[N_CONVS] = { false };
  ImpastoObjectiveWeights w = { .alpha = 1.0, .beta = 100.0, .tv = 0.5 };
  ImpastoObjectiveWeights extra;
  ImpastoObjective *objective = NULL;
  ImpastoLosses a, b;
  float *grad_a = impasto_alloc_floats (3 * W * H);
  float *grad_b = impasto_alloc_floats (3 * W * H);

  content[9] = true;
  style[0] = style[2] = true;
  w.content_layers[9] = 1.0f;
  w.style_layers[0] = 0.5f;
  w.style_layers[2] = 0.5f;
  g_assert_cmpuint (impasto_objective_estimate_bytes (f->weights, H, W, content, style), >,
                    (size_t) 8 * 4 * 4 * sizeof (float));
  g_assert_cmpint (impasto_objective_new (&objective, f->weights, f->net, H, W, content, style),
                   ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_content_targets_compute (impasto_objective_get_content_targets (objective),
                                                    f->net, f->other, NULL, NULL),
                   ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_gram_set_compute (impasto_objective_get_style_targets (objective),
                                             f->net, f->other, NULL, NULL),
                   ==, IMPASTO_STATUS_OK);
  g_assert_true (impasto_objective_has_targets (objective, &w));

  /* A weight on a layer without a target: the objective says so and counts the layer as off. */
  extra = w;
  extra.style_layers[4] = 3.0f;
  g_assert_false (impasto_objective_has_targets (objective, &extra));
  extra = w;
  extra.content_layers[13] = 1.0f;
  g_assert_false (impasto_objective_has_targets (objective, &extra));
  g_assert_cmpint (impasto_objective_evaluate (objective, &w, f->image, grad_a, &a, NULL, NULL),
                   ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_objective_evaluate (objective, &extra, f->image, grad_b, &b, NULL,
                                               NULL),
                   ==, IMPASTO_STATUS_OK);
  g_assert_cmpfloat (a.total, ==, b.total);
  g_assert_cmpfloat (a.content, >, 0.0);
  g_assert_cmpfloat (a.style, >, 0.0);
  g_assert_cmpfloat (a.tv_term, >, 0.0);
  g_assert_cmpfloat_with_epsilon (a.total, a.content + 100.0 * a.style + 0.5 * a.tv_term,
                                  1e-9 * a.total);
  g_assert_cmpmem (grad_a, 3 * W * H * sizeof (float), grad_b, 3 * W * H * sizeof (float));

  /* A picture that is not finite is refused before the network runs. */
  f->image[17] = NAN;
  g_assert_cmpint (impasto_objective_evaluate (objective, &w, f->image, grad_a, &a, NULL, NULL),
                   ==, IMPASTO_STATUS_NUMERIC);

  impasto_objective_free (objective);
  impasto_free_buffer (grad_a);
  impasto_free_buffer (grad_b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/objective/gram-set", test_gram_set);
  ADD ("/objective/content-targets", test_content_targets);
  ADD ("/objective/targets-and-weights", test_targets_and_weights);
#undef ADD
  return g_test_run ();
}
