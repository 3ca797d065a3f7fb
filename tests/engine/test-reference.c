/* test-reference.c
 *
 * The engine against PyTorch: tools/make-reference.py builds a tiny VGG19 (the real topology with
 * 4..8 channels) with random weights and writes, in float64 math, the features of all 16 convs,
 * the losses and the image gradient at an init image and a 10-step Adam trajectory, for max
 * pooling (tests/data/reference-tiny-max.bin) and for average pooling with other loss parameters
 * (tests/data/reference-tiny-avg.bin). Here the engine recomputes each of them in float32 and
 * must agree within tolerances set at roughly ten times what a float32 PyTorch run of the same
 * math drifts from the float64 reference (the script prints those figures when it runs). Every
 * check reports its observed error with g_test_message, so `--verbose` or the TAP log shows how
 * much headroom is left.
 *
 * This file reads the dumps only (through reference-dump.h); it never needs PyTorch. It does not
 * test the L-BFGS optimiser (test-optim.c does) nor real VGG19 weights.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "reference-dump.h"
#include "impasto-content-loss.h"
#include "impasto-style-loss.h"
#include "impasto-tv-loss.h"
#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-session.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

#define REF_N_STEPS 10

/* Tolerances; see the file comment. The float32-vs-float64 figures the script reports for these
 * dumps are about 1e-6 (features, relative to the layer's max), 7e-7 (losses), 2e-6 of max|g| and
 * NMSE 5e-12 (gradient), 4e-6 (trajectory losses) and 1.5e-4 (final image), and the engine showed
 * the same when this test was written. Putting Adam's epsilon after the bias correction instead
 * of TensorFlow's way moves the final image by 0.9 (max dump) and 0.1 (avg dump). */
#define FEATURE_ATOL_OF_MAX 1e-5  /* atol = this * max|ref| of the layer */
#define FEATURE_RTOL 1e-5
#define LOSS_RTOL 1e-5
#define GRAD_ATOL_OF_MAX 1e-4     /* atol = this * max|g| */
#define GRAD_RTOL 1e-4
#define GRAD_NMSE 1e-8
#define TRAJECTORY_LOSS_RTOL 1e-4
#define FINAL_IMAGE_ATOL 1e-2     /* on the 0..255 scale */
#define FINAL_IMAGE_RTOL 0.0

typedef struct
{
  GHashTable *records; /* name -> RefRecord */

  /* What every case needs, taken from the records. */
  int height;
  int width;
  ImpastoPoolMode pool;
  int channels[IMPASTO_VGG19_N_CONVS + 1];
  const float *mean;         /* (3) */
  const float *content_rgb;  /* (H, W, 3) */
  const float *style_rgb;    /* (H, W, 3) */
  const float *init_rgb;     /* (H, W, 3) */
  ImpastoSessionParams params;
  ImpastoWeights *weights;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer user_data)
{
  const char *file = user_data;
  int rgb_dims[3];

  fixture->records = ref_load (file);
  fixture->height = ref_int (fixture->records, "height");
  fixture->width = ref_int (fixture->records, "width");
  fixture->weights = ref_weights_new (fixture->records, &fixture->pool, fixture->channels);
  fixture->mean = ref_floats (fixture->records, "mean_pixel", 1, (const int[]) { 3 });

  rgb_dims[0] = fixture->height;
  rgb_dims[1] = fixture->width;
  rgb_dims[2] = 3;
  fixture->content_rgb = ref_floats (fixture->records, "content_rgb", 3, rgb_dims);
  fixture->style_rgb = ref_floats (fixture->records, "style_rgb", 3, rgb_dims);
  fixture->init_rgb = ref_floats (fixture->records, "init_rgb", 3, rgb_dims);
  ref_params_load (fixture->records, &fixture->params);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer user_data)
{
  g_clear_pointer (&fixture->weights, impasto_weights_free);
  g_clear_pointer (&fixture->records, g_hash_table_unref);
}

static int
deepest_layer (const ImpastoSessionParams *params)
{
  int deepest = -1;

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (params->content_layers[i] != 0 || params->style_layers[i] != 0)
      deepest = i;
  return deepest;
}

static ImpastoSession *
new_session (const Fixture *fixture)
{
  ImpastoSessionConfig config;
  ImpastoSession *session = NULL;
  ImpastoEngineError error;

  impasto_session_config_init_default (&config);
  config.width = fixture->width;
  config.height = fixture->height;
  config.content_rgb = fixture->content_rgb;
  config.style_rgb = fixture->style_rgb;
  config.init_rgb = fixture->init_rgb;
  config.init = IMPASTO_INIT_IMAGE;
  config.pool = fixture->pool;
  config.optimizer = IMPASTO_OPTIMIZER_ADAM;

  impasto_engine_error_clear (&error);
  if (impasto_session_new (&session, fixture->weights, &config, &fixture->params, NULL, NULL,
                            &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_new: %s", error.message);
  return session;
}

/* (a) The ReLU output of every conv for the content image. */
static void
test_features (Fixture *fixture, gconstpointer user_data)
{
  int height = fixture->height, width = fixture->width;
  g_autofree float *image = ref_rgb_to_chw (fixture->content_rgb, height, width, fixture->mean);
  ImpastoVgg19 *net = NULL;
  ImpastoEngineError error;

  impasto_engine_error_clear (&error);
  if (impasto_vgg19_new (&net, fixture->weights, height, width, IMPASTO_VGG19_N_CONVS - 1,
                         fixture->pool, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_vgg19_new: %s", error.message);
  g_assert_cmpint (impasto_vgg19_forward (net, image, NULL, NULL), ==, IMPASTO_STATUS_OK);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *conv = impasto_vgg19_conv_name (i);
      g_autofree char *name = g_strdup_printf ("features.%s", conv);
      int c = 0, h = 0, w = 0;
      const float *got = impasto_vgg19_features (net, i, &c, &h, &w);
      const float *ref = ref_floats (fixture->records, name, 3, (const int[]) { c, h, w });
      size_t n = (size_t) c * (size_t) h * (size_t) w;
      double ref_max = 0;

      g_assert_cmpint (c, ==, fixture->channels[i + 1]);
      for (size_t k = 0; k < n; k++)
        ref_max = MAX (ref_max, fabs (ref[k]));
      ref_check_close (name, got, ref, n, FEATURE_ATOL_OF_MAX * ref_max, FEATURE_RTOL, 0);
    }
  impasto_vgg19_free (net);
}

/* (b) The session's losses at the init image. */
static void
test_losses (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);
  size_t n = (size_t) fixture->height * (size_t) fixture->width * 3;
  g_autofree float *rgb = g_new (float, n);
  const double ref[4] = {
    ref_double (fixture->records, "loss.total"),
    ref_double (fixture->records, "loss.content"),
    ref_double (fixture->records, "loss.style"),
    ref_double (fixture->records, "loss.tv"),
  };
  ImpastoLosses losses;
  ImpastoEngineError error;

  /* The session may keep the image mean-subtracted: allow the round trip's float rounding. */
  impasto_session_copy_rgb (session, rgb);
  ref_check_close ("image before any step", rgb, fixture->init_rgb, n, 1e-4, 0, 0);
  g_assert_cmpint (impasto_session_get_iteration (session), ==, 0);

  impasto_engine_error_clear (&error);
  if (impasto_session_evaluate (session, &losses, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_evaluate: %s", error.message);
  ref_check_losses ("evaluate", &losses, ref, LOSS_RTOL);
  impasto_session_free (session);
}

/* (c) The gradient of the total loss with respect to the image, assembled from the public
 * pieces (net, losses) the way the session does: content targets from the content image's
 * features, style Grams from the style image's, each layer's dE scaled by its weight, the
 * division by the number of active layers and alpha or beta, plus gamma * dTV. */
static void
test_gradient (Fixture *fixture, gconstpointer user_data)
{
  const ImpastoSessionParams *p = &fixture->params;
  int height = fixture->height, width = fixture->width;
  size_t hw = (size_t) height * (size_t) width;
  int deepest = deepest_layer (p);
  g_autofree float *content = ref_rgb_to_chw (fixture->content_rgb, height, width, fixture->mean);
  g_autofree float *style = ref_rgb_to_chw (fixture->style_rgb, height, width, fixture->mean);
  g_autofree float *image = ref_rgb_to_chw (fixture->init_rgb, height, width, fixture->mean);
  g_autofree float *raw = ref_rgb_to_chw (fixture->init_rgb, height, width, NULL);
  g_autofree float *dimage = g_new0 (float, 3 * hw);
  g_autofree float *grad_rgb = NULL;
  float *targets[IMPASTO_VGG19_N_CONVS] = { NULL };
  float *grams[IMPASTO_VGG19_N_CONVS] = { NULL };
  float *dfeat[IMPASTO_VGG19_N_CONVS] = { NULL };
  const float *ref_grad;
  double content_loss = 0, style_loss = 0, tv_loss, total, gmax = 0;
  int n_content = 0, n_style = 0;
  ImpastoVgg19 *net = NULL;
  ImpastoEngineError error;

  g_assert_cmpint (deepest, >=, 0);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      n_content += p->content_layers[i] != 0;
      n_style += p->style_layers[i] != 0;
    }
  g_assert_cmpint (n_content, >, 0);
  g_assert_cmpint (n_style, >, 0);

  impasto_engine_error_clear (&error);
  if (impasto_vgg19_new (&net, fixture->weights, height, width, deepest, fixture->pool,
                         &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_vgg19_new: %s", error.message);

  /* Targets. */
  g_assert_cmpint (impasto_vgg19_forward (net, content, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i <= deepest; i++)
    if (p->content_layers[i] != 0)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
        targets[i] = g_memdup2 (f, (size_t) c * h * w * sizeof (float));
      }
  g_assert_cmpint (impasto_vgg19_forward (net, style, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i <= deepest; i++)
    if (p->style_layers[i] != 0)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
        grams[i] = g_new (float, (size_t) c * c);
        impasto_gram (grams[i], f, (size_t) c, (size_t) h * w);
      }

  /* Losses and their gradients at the init image. */
  g_assert_cmpint (impasto_vgg19_forward (net, image, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i <= deepest; i++)
    {
      int c, h, w;
      const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
      size_t n = (size_t) c, m = (size_t) h * w;

      if (p->content_layers[i] == 0 && p->style_layers[i] == 0)
        continue;
      dfeat[i] = g_new0 (float, n * m);
      if (p->content_layers[i] != 0)
        content_loss += p->content_layers[i]
                        * impasto_content_loss (dfeat[i], f, targets[i], n, m,
                                                p->alpha * p->content_layers[i] / n_content);
      if (p->style_layers[i] != 0)
        {
          g_autofree float *scratch = g_new (float, n * n);
          style_loss += p->style_layers[i]
                        * impasto_style_loss (dfeat[i], scratch, f, grams[i], n, m,
                                              p->beta * p->style_layers[i] / n_style);
        }
    }
  content_loss /= n_content;
  style_loss /= n_style;
  tv_loss = impasto_tv_loss (dimage, raw, 3, height, width, p->tv);
  total = p->alpha * content_loss + p->beta * style_loss + p->tv * tv_loss;

  g_assert_cmpint (impasto_vgg19_backward (net, dimage, (const float *const *) dfeat, NULL, NULL),
                   ==, IMPASTO_STATUS_OK);

  ref_check_scalar ("pieces total", total, ref_double (fixture->records, "loss.total"),
                    LOSS_RTOL);
  ref_check_scalar ("pieces content", content_loss,
                    ref_double (fixture->records, "loss.content"), LOSS_RTOL);
  ref_check_scalar ("pieces style", style_loss, ref_double (fixture->records, "loss.style"),
                    LOSS_RTOL);
  ref_check_scalar ("pieces tv", tv_loss, ref_double (fixture->records, "loss.tv"), LOSS_RTOL);

  grad_rgb = ref_chw_to_rgb (dimage, height, width);
  ref_grad = ref_floats (fixture->records, "grad_rgb", 3, (const int[]) { height, width, 3 });
  for (size_t k = 0; k < 3 * hw; k++)
    gmax = MAX (gmax, fabs (ref_grad[k]));
  ref_check_close ("d total / d image", grad_rgb, ref_grad, 3 * hw, GRAD_ATOL_OF_MAX * gmax,
               GRAD_RTOL, GRAD_NMSE);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      g_free (targets[i]);
      g_free (grams[i]);
      g_free (dfeat[i]);
    }
  impasto_vgg19_free (net);
}

/* (d) Ten Adam steps: the losses after each update and the final image. */
static void
test_adam (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);
  const RefRecord *r = ref_get (fixture->records, "adam.losses", REF_F64, 2);
  const double *ref_losses = r->data;
  size_t n = (size_t) fixture->height * (size_t) fixture->width * 3;
  g_autofree float *rgb = g_new (float, n);
  const float *ref_final;

  g_assert_cmpint (r->dims[0], ==, REF_N_STEPS);
  g_assert_cmpint (r->dims[1], ==, 4);
  for (int k = 0; k < REF_N_STEPS; k++)
    {
      g_autofree char *what = g_strdup_printf ("step %d", k + 1);
      ImpastoLosses losses;
      ImpastoEngineError error;

      impasto_engine_error_clear (&error);
      if (impasto_session_step (session, &losses, &error) != IMPASTO_STATUS_OK)
        g_error ("impasto_session_step %d: %s", k + 1, error.message);
      ref_check_losses (what, &losses, ref_losses + 4 * k, TRAJECTORY_LOSS_RTOL);
    }
  g_assert_cmpint (impasto_session_get_iteration (session), ==, REF_N_STEPS);

  impasto_session_copy_rgb (session, rgb);
  ref_final = ref_floats (fixture->records, "adam.final_rgb", 3,
                          (const int[]) { fixture->height, fixture->width, 3 });
  ref_check_close ("image after 10 steps", rgb, ref_final, n, FINAL_IMAGE_ATOL, FINAL_IMAGE_RTOL,
                   0);
  impasto_session_free (session);
}

int
main (int argc, char **argv)
{
  static const char *const dumps[][2] = {
    { "max", "reference-tiny-max.bin" },
    { "avg", "reference-tiny-avg.bin" },
  };

  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  for (size_t d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autofree char *features = g_strdup_printf ("/reference/%s/features", dumps[d][0]);
      g_autofree char *losses = g_strdup_printf ("/reference/%s/losses", dumps[d][0]);
      g_autofree char *gradient = g_strdup_printf ("/reference/%s/gradient", dumps[d][0]);
      g_autofree char *adam = g_strdup_printf ("/reference/%s/adam", dumps[d][0]);

      g_test_add (features, Fixture, dumps[d][1], fixture_setup, test_features, fixture_teardown);
      g_test_add (losses, Fixture, dumps[d][1], fixture_setup, test_losses, fixture_teardown);
      g_test_add (gradient, Fixture, dumps[d][1], fixture_setup, test_gradient, fixture_teardown);
      g_test_add (adam, Fixture, dumps[d][1], fixture_setup, test_adam, fixture_teardown);
    }
  return g_test_run ();
}
