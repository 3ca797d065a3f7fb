/* test-settings-hardening.c
 *
 * A hand-edited settings file (GSettings' keyfile backend, as ~/.config/glib-2.0/settings/keyfile
 * would be): NaN, infinite, negative and out-of-range numbers for every number the window reads,
 * and layer weights that are NaN, infinite, negative or name no layer. What reaches the engine
 * must be usable: GSettings itself refuses a number outside a key's range and falls back to the
 * default, but NaN passes its range check, so the parameter model replaces it by the default
 * with a message in the log; the layer weights, which have no range in the schema, are checked
 * by the parameter model, which leaves such a layer off and says so (one message each). The
 * parameters then start a real session on the tiny network. The paintings' weights and brush
 * sizes, one value a painting, are ignored as a whole when any value is NaN, infinite or out of
 * range, when there are more than eight, or when every weight is 0 (one message each).
 *
 * It does not test the window (test-window.c does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-settings-hardening"

#include "config.h"

#include <math.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "impasto-params.h"
#include "impasto-session.h"
#include "test-net.h"

static const char keyfile[] =
  "[impasto]\n"
  "alpha=nan\n"
  "beta=-500.0\n"
  "tv=inf\n"
  "learning-rate=-inf\n"
  "iterations=-1\n"
  "size=0\n"
  "noise-ratio=2.5\n"
  "seed=-7\n"
  "save-every=-3\n"
  "optimizer='sgd'\n"
  "pool='min'\n"
  "content-layers={'conv4_2': nan, 'conv5_2': 0.75, 'conv9_9': 1.0}\n"
  "style-layers={'conv1_1': inf, 'conv2_1': -0.2, 'conv3_1': 0.5, 'relu4_1': 0.25}\n";

static void
test_hand_edited (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(ImpastoParams) params = impasto_params_new ();
  ImpastoSessionParams got, defaults;
  ImpastoSessionConfig config;
  int conv5_2 = impasto_vgg19_conv_index ("conv5_2");
  int conv3_1 = impasto_vgg19_conv_index ("conv3_1");
  int conv4_1 = impasto_vgg19_conv_index ("conv4_1");

  dir = g_dir_make_tmp ("impasto-test-settings-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "keyfile", NULL);
  g_assert_true (g_file_set_contents (path, keyfile, -1, &error));
  backend = g_keyfile_settings_backend_new (path, "/org/impasto/Impasto/", "impasto");
  settings = g_settings_new_with_backend ("org.impasto.Impasto", backend);

  /* The file really says so (the layer weights come through as written). */
  {
    g_autoptr(GVariant) style = g_settings_get_value (settings, "style-layers");
    double weight = 0.0;

    g_assert_true (g_variant_lookup (style, "conv1_1", "d", &weight));
    g_assert_true (isinf (weight));
  }

  /* A message for the NaN (which GSettings' range check lets through) and for each unusable
   * layer entry, naming it. */
  g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE, "*alpha setting is nan*default*");
  g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE,
                         "*content-layers*conv4_2*nan*left off*");
  g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE,
                         "*content-layers*conv9_9*does not have*");
  g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE,
                         "*style-layers*conv1_1*inf*left off*");
  g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE,
                         "*style-layers*conv2_1*-0.2*left off*");
  impasto_params_bind_settings (params, settings);
  g_test_assert_expected_messages ();

  /* Out-of-range numbers: GSettings gave the defaults. */
  impasto_session_params_init_default (&defaults);
  impasto_params_get_transfer_params (params, &got);
  g_assert_cmpfloat (got.alpha, ==, defaults.alpha);
  g_assert_cmpfloat (got.beta, ==, defaults.beta);
  g_assert_cmpfloat (got.tv, ==, defaults.tv);
  g_assert_cmpfloat (got.learning_rate, ==, defaults.learning_rate);
  g_assert_cmpint (impasto_params_get_size (params), ==, 512);
  impasto_params_get_config (params, &config);
  g_assert_cmpfloat (config.noise_ratio, >=, 0.0);
  g_assert_cmpfloat (config.noise_ratio, <=, 1.0);
  g_assert_cmpint (config.optimizer, ==, IMPASTO_PARAMS_OPTIMIZER);
  g_assert_cmpint (config.pool, ==, IMPASTO_POOL_MAX);

  /* Layers: the usable entries kept (relu4_1 is conv4_1's other name), the rest off. */
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      g_assert_true (isfinite (got.content_layers[i]) && got.content_layers[i] >= 0.0f);
      g_assert_true (isfinite (got.style_layers[i]) && got.style_layers[i] >= 0.0f);
      if (i != conv5_2)
        g_assert_cmpfloat (got.content_layers[i], ==, 0.0f);
      if (i != conv3_1 && i != conv4_1)
        g_assert_cmpfloat (got.style_layers[i], ==, 0.0f);
    }
  g_assert_cmpfloat (got.content_layers[conv5_2], ==, 0.75f);
  g_assert_cmpfloat (got.style_layers[conv3_1], ==, 0.5f);
  g_assert_cmpfloat (got.style_layers[conv4_1], ==, 0.25f);

  /* And they make a session that runs. */
  {
    ImpastoWeights *weights = test_net_new ();
    g_autofree float *content = test_net_picture (32, 32, 0.0);
    g_autofree float *style = test_net_picture (32, 32, 1.3);
    ImpastoSession *transfer = NULL;
    ImpastoEngineError engine_error = { 0 };
    ImpastoLosses losses;

    config.width = 32;
    config.height = 32;
    config.content_rgb = content;
    config.style_rgb = style;
    config.init_rgb = NULL;
    g_assert_cmpint (impasto_session_new (&transfer, weights, &config, &got, NULL, NULL,
                                           &engine_error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_session_step (transfer, &losses, &engine_error), ==, IMPASTO_STATUS_OK);
    g_assert_true (isfinite (losses.total));
    impasto_session_free (transfer);
    impasto_weights_free (weights);
  }

  g_unlink (path);
  g_rmdir (dir);
}

/* A settings object over a keyfile in a new folder (*@dir, *@path) that says @text. */
static GSettings *
settings_for_keyfile (const char  *text,
                      char       **dir,
                      char       **path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;

  *dir = g_dir_make_tmp ("impasto-test-settings-XXXXXX", &error);
  g_assert_no_error (error);
  *path = g_build_filename (*dir, "keyfile", NULL);
  g_assert_true (g_file_set_contents (*path, text, -1, &error));
  backend = g_keyfile_settings_backend_new (*path, "/org/impasto/Impasto/", "impasto");
  return g_settings_new_with_backend ("org.impasto.Impasto", backend);
}

static void
assert_paintings_default (ImpastoParams *params)
{
  g_autoptr(GVariant) weights = NULL;
  g_autoptr(GVariant) scales = NULL;

  g_object_get (params, "painting-weights", &weights, "painting-scales", &scales, NULL);
  g_assert_cmpuint (g_variant_n_children (weights), ==, 0);
  g_assert_cmpuint (g_variant_n_children (scales), ==, 0);
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    {
      g_assert_cmpfloat (impasto_params_get_painting_weight (params, i), ==, 1.0);
      g_assert_cmpfloat (impasto_params_get_painting_scale (params, i), ==, 1.0);
    }
}

static void
test_hand_edited_paintings (void)
{
  static const char *const files[] = {
    "[impasto]\n"
    "painting-weights=[0.5, nan]\n"
    "painting-scales=[1.0, 0.1]\n",
    "[impasto]\n"
    "painting-weights=[-1.0, 1.0]\n"
    "painting-scales=[1.0, inf]\n",
    "[impasto]\n"
    "painting-weights=[0.0, 0.0]\n"
    "painting-scales=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]\n",
  };
  static const char *const messages[][2] = {
    { "*painting-weights*holds nan*ignored*", "*painting-scales*holds 0.1*0.25 to 2*ignored*" },
    { "*painting-weights*holds -1*ignored*", "*painting-scales*holds inf*ignored*" },
    { "*painting-weights*every painting the weight 0*ignored*",
      "*painting-scales*9 values*at most 8*ignored*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *dir = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GSettings) settings = settings_for_keyfile (files[i], &dir, &path);
      g_autoptr(ImpastoParams) params = impasto_params_new ();

      g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE, messages[i][0]);
      g_test_expect_message ("impasto-params", G_LOG_LEVEL_MESSAGE, messages[i][1]);
      impasto_params_bind_settings (params, settings);
      g_test_assert_expected_messages ();
      assert_paintings_default (params);

      g_unlink (path);
      g_rmdir (dir);
    }

  /* Good values come through, one a painting. */
  {
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GSettings) settings =
      settings_for_keyfile ("[impasto]\n"
                            "painting-weights=[0.0, 0.3, 1.0]\n"
                            "painting-scales=[0.25, 2.0, 1.5]\n", &dir, &path);
    g_autoptr(ImpastoParams) params = impasto_params_new ();

    impasto_params_bind_settings (params, settings);
    g_assert_cmpfloat (impasto_params_get_painting_weight (params, 0), ==, 0.0);
    g_assert_cmpfloat (impasto_params_get_painting_weight (params, 1), ==, 0.3);
    g_assert_cmpfloat (impasto_params_get_painting_weight (params, 3), ==, 1.0);
    g_assert_cmpfloat (impasto_params_get_painting_scale (params, 0), ==, 0.25);
    g_assert_cmpfloat (impasto_params_get_painting_scale (params, 2), ==, 1.5);
    g_unlink (path);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings-hardening/hand-edited", test_hand_edited);
  g_test_add_func ("/settings-hardening/hand-edited-paintings", test_hand_edited_paintings);

  return g_test_run ();
}
