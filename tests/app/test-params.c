/* test-params.c
 *
 * The parameter model: its defaults are the engine's; it reads GSettings once and writes every
 * change back (and does not follow changes made elsewhere, so two windows do not steer each
 * other); layer weights round-trip as a{sd} with unknown names ignored; and the classification
 * of changes into live, restart and run is what the window relies on; the schema offers exactly
 * the choices and the size range of impasto-choices.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-params"

#include "config.h"

#include <gio/gio.h>

#include "impasto-memory-budget.h"
#include "impasto-params.h"
#include "impasto-run-estimate.h"

static void
test_defaults (void)
{
  g_autoptr(ImpastoParams) params = impasto_params_new ();
  ImpastoSessionParams got, expected;
  ImpastoSessionConfig config, expected_config;

  impasto_params_get_transfer_params (params, &got);
  impasto_session_params_init_default (&expected);
  g_assert_cmpmem (&got, sizeof got, &expected, sizeof expected);

  impasto_params_get_config (params, &config);
  impasto_session_config_init_default (&expected_config);
  /* The window's one difference: it paints with L-BFGS, the ladder's optimiser. */
  g_assert_cmpint (expected_config.optimizer, ==, IMPASTO_OPTIMIZER_ADAM);
  expected_config.optimizer = IMPASTO_PARAMS_OPTIMIZER;
  g_assert_cmpint (config.optimizer, ==, IMPASTO_OPTIMIZER_LBFGS);
  g_assert_cmpmem (&config, sizeof config, &expected_config, sizeof expected_config);

  g_assert_cmpint (impasto_params_get_deepest_layer (params), ==,
                   impasto_vgg19_conv_index ("conv5_2"));
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  g_autoptr(ImpastoParams) params = impasto_params_new ();
  g_autoptr(GVariant) layers = NULL;
  ImpastoSessionParams got;
  double beta;

  g_settings_set_double (settings, "beta", 1e4);
  g_settings_set_enum (settings, "pool", IMPASTO_POOL_AVG);
  g_settings_set_value (settings, "style-layers",
                        g_variant_new_parsed ("{'conv1_1': 1.5, 'nonsense': 2.0, "
                                              "'conv3_1': 0.25}"));

  impasto_params_bind_settings (params, settings);
  impasto_params_get_transfer_params (params, &got);
  g_assert_cmpfloat (got.beta, ==, 1e4);
  g_assert_cmpfloat (got.style_layers[0], ==, 1.5f);
  g_assert_cmpfloat (got.style_layers[impasto_vgg19_conv_index ("conv3_1")], ==, 0.25f);
  g_assert_cmpfloat (got.style_layers[impasto_vgg19_conv_index ("conv2_1")], ==, 0.0f);
  {
    ImpastoSessionConfig config;

    impasto_params_get_config (params, &config);
    g_assert_cmpint (config.pool, ==, IMPASTO_POOL_AVG);
  }

  /* Changes are written back... */
  g_object_set (params, "alpha", 3.0, "optimizer", IMPASTO_OPTIMIZER_LBFGS, NULL);
  impasto_params_set_layer_weight (params, IMPASTO_LAYER_STYLE, 0, 0.0);
  impasto_params_set_layer_weight (params, IMPASTO_LAYER_CONTENT,
                                   impasto_vgg19_conv_index ("conv1_2"), 0.75);
  g_assert_cmpfloat (g_settings_get_double (settings, "alpha"), ==, 3.0);
  g_assert_cmpint (g_settings_get_enum (settings, "optimizer"), ==, IMPASTO_OPTIMIZER_LBFGS);
  layers = g_settings_get_value (settings, "style-layers");
  g_assert_cmpuint (g_variant_n_children (layers), ==, 1);
  g_clear_pointer (&layers, g_variant_unref);
  layers = g_settings_get_value (settings, "content-layers");
  {
    double weight = 0.0;

    g_assert_true (g_variant_lookup (layers, "conv1_2", "d", &weight));
    g_assert_cmpfloat (weight, ==, 0.75);
  }

  /* ...but another window's change is not followed. */
  g_settings_set_double (settings, "beta", 7.0);
  g_object_get (params, "beta", &beta, NULL);
  g_assert_cmpfloat (beta, ==, 1e4);

  g_settings_reset (settings, "beta");
  g_settings_reset (settings, "alpha");
  g_settings_reset (settings, "pool");
  g_settings_reset (settings, "optimizer");
  g_settings_reset (settings, "style-layers");
  g_settings_reset (settings, "content-layers");
}

static guint n_notifies;

static void
count_notify (void)
{
  n_notifies++;
}

static void
test_notify (void)
{
  g_autoptr(ImpastoParams) params = impasto_params_new ();

  g_signal_connect (params, "notify::style-layers", G_CALLBACK (count_notify), NULL);
  n_notifies = 0;
  impasto_params_set_layer_weight (params, IMPASTO_LAYER_STYLE, 0, 0.2);  /* unchanged */
  g_assert_cmpuint (n_notifies, ==, 0);
  impasto_params_set_layer_weight (params, IMPASTO_LAYER_STYLE, 0, 0.3);
  g_assert_cmpuint (n_notifies, ==, 1);
  impasto_params_set_layer_weight (params, IMPASTO_LAYER_STYLE, 0, -1.0);  /* off */
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_cmpfloat (impasto_params_get_layer_weight (params, IMPASTO_LAYER_STYLE, 0), ==, 0.0);
}

static void
test_classify (void)
{
  ImpastoSessionParams running, wanted;

  g_assert_cmpint (impasto_params_classify ("beta"), ==, IMPASTO_PARAMS_CHANGE_LIVE);
  g_assert_cmpint (impasto_params_classify ("learning-rate"), ==, IMPASTO_PARAMS_CHANGE_LIVE);
  g_assert_cmpint (impasto_params_classify ("style-layers"), ==, IMPASTO_PARAMS_CHANGE_LIVE);
  g_assert_cmpint (impasto_params_classify ("painting-weights"), ==, IMPASTO_PARAMS_CHANGE_LIVE);
  g_assert_cmpint (impasto_params_classify ("size"), ==, IMPASTO_PARAMS_CHANGE_RESTART);
  g_assert_cmpint (impasto_params_classify ("pool"), ==, IMPASTO_PARAMS_CHANGE_RESTART);
  g_assert_cmpint (impasto_params_classify ("seed"), ==, IMPASTO_PARAMS_CHANGE_RESTART);
  g_assert_cmpint (impasto_params_classify ("iterations"), ==, IMPASTO_PARAMS_CHANGE_RUN);
  g_assert_cmpint (impasto_params_classify ("window-width"), ==, IMPASTO_PARAMS_CHANGE_NONE);

  impasto_session_params_init_default (&running);
  wanted = running;
  wanted.beta = 1e6;
  wanted.style_layers[0] = 2.0f;
  wanted.style_layers[impasto_vgg19_conv_index ("conv5_1")] = 0.0f;   /* off: fine */
  g_assert_false (impasto_params_needs_new_targets (&running, &wanted));
  wanted.style_layers[impasto_vgg19_conv_index ("conv1_2")] = 0.1f;   /* on: new targets */
  g_assert_true (impasto_params_needs_new_targets (&running, &wanted));
  wanted = running;
  wanted.content_layers[impasto_vgg19_conv_index ("conv3_1")] = 1.0f;
  g_assert_true (impasto_params_needs_new_targets (&running, &wanted));
}

/* The schema is XML and repeats the choices of impasto-choices.h: its enum keys offer exactly the
 * GEnum nicks (GSettings binds them by nick), and the size range is the limits'. */
static void
test_schema_matches_choices (void)
{
  const char *keys[] = { "optimizer", "init", "pool", "preserve-colors" };
  GType types[] = { IMPASTO_TYPE_OPTIMIZER, IMPASTO_TYPE_INIT, IMPASTO_TYPE_POOL_MODE,
                    IMPASTO_TYPE_COLORS };
  g_autoptr(GSettingsSchema) schema =
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                     "org.impasto.Impasto", TRUE);
  g_autoptr(ImpastoParams) params = impasto_params_new ();
  GParamSpecInt *size_spec;

  g_assert_nonnull (schema);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i]);
      g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
      g_autoptr(GEnumClass) klass = g_type_class_ref (types[i]);
      g_autoptr(GVariant) choices = NULL;
      const char *kind;

      g_variant_get (range, "(&sv)", &kind, &choices);
      g_assert_cmpstr (kind, ==, "enum");
      g_assert_cmpuint (g_variant_n_children (choices), ==, klass->n_values);
      for (guint v = 0; v < klass->n_values; v++)
        {
          const char *nick;

          g_variant_get_child (choices, v, "&s", &nick);
          g_assert_nonnull (g_enum_get_value_by_nick (klass, nick));
        }
    }

  {
    g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, "size");
    g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
    g_autoptr(GVariant) bounds = NULL;
    const char *kind;
    int min, max;

    g_variant_get (range, "(&sv)", &kind, &bounds);
    g_assert_cmpstr (kind, ==, "range");
    g_variant_get (bounds, "(ii)", &min, &max);
    g_assert_cmpint (min, ==, IMPASTO_SIZE_MIN);
    g_assert_cmpint (max, ==, IMPASTO_SIZE_MAX);
  }

  size_spec = G_PARAM_SPEC_INT (g_object_class_find_property (G_OBJECT_GET_CLASS (params),
                                                              "size"));
  g_assert_cmpint (size_spec->minimum, ==, IMPASTO_SIZE_MIN);
  g_assert_cmpint (size_spec->maximum, ==, IMPASTO_SIZE_MAX);
}

/* The memory limit: 0 is three quarters of this computer's memory, a limit in GiB is that many
 * bytes (no less than the smallest budget), and the ladder config carries it. */
static void
test_memory_limit (void)
{
  g_autoptr(ImpastoParams) params = impasto_params_new ();
  ImpastoLadderConfig ladder_config;
  double limit;

  g_object_get (params, "max-memory", &limit, NULL);
  g_assert_cmpfloat (limit, ==, 0.0);
  g_assert_cmpuint (impasto_params_get_max_bytes (params), ==,
                    impasto_memory_budget_default (impasto_run_estimate_available_memory ()));

  g_object_set (params, "max-memory", 6.0, NULL);
  g_assert_cmpuint (impasto_params_get_max_bytes (params), ==, G_GUINT64_CONSTANT (6) << 30);
  impasto_params_get_ladder_config (params, &ladder_config);
  g_assert_cmpuint (ladder_config.max_bytes, ==, (size_t) (G_GUINT64_CONSTANT (6) << 30));

  g_object_set (params, "max-memory", 0.001, NULL);
  g_assert_cmpuint (impasto_params_get_max_bytes (params), ==, IMPASTO_MEMORY_BUDGET_MIN);

  /* A change of limit plans the run anew. */
  g_assert_cmpint (impasto_params_classify ("max-memory"), ==, IMPASTO_PARAMS_CHANGE_RESTART);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/params/defaults", test_defaults);
  g_test_add_func ("/params/memory-limit", test_memory_limit);
  g_test_add_func ("/params/settings", test_settings);
  g_test_add_func ("/params/notify", test_notify);
  g_test_add_func ("/params/classify", test_classify);
  g_test_add_func ("/params/schema-matches-choices", test_schema_matches_choices);

  return g_test_run ();
}
