/* test-run-settings.c
 *
 * Unit tests for src/common/impasto-run-settings.c: every setting written and read back gives the
 * same value; numbers are the shortest decimals that read back (500, not 5e+02; 0.2f as 0.2); a
 * damaged file (unknown keys, bad values of every kind, a newer version) loads what it can and
 * lists each key it skipped with a reason, leaving the skipped settings as they were; text that
 * is not a settings file is an error.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-run-settings"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "impasto-run-settings.h"

/* Every setting at a value other than the default, as text. */
static const char *const full_values[IMPASTO_RUN_SETTING_N] = {
  [IMPASTO_RUN_SETTING_ALPHA] = "2.5",
  [IMPASTO_RUN_SETTING_BETA] = "1000000000000",
  [IMPASTO_RUN_SETTING_TV] = "1e-05",
  [IMPASTO_RUN_SETTING_LEARNING_RATE] = "0.3",
  [IMPASTO_RUN_SETTING_ITERATIONS] = "0",
  [IMPASTO_RUN_SETTING_SIZE] = "640",
  [IMPASTO_RUN_SETTING_WIDTH] = "300",
  [IMPASTO_RUN_SETTING_HEIGHT] = "200",
  [IMPASTO_RUN_SETTING_MIN_SIZE] = "64",
  [IMPASTO_RUN_SETTING_SCALES] = "3",
  [IMPASTO_RUN_SETTING_TOLERANCE] = "0.01",
  [IMPASTO_RUN_SETTING_OPTIMIZER] = "adam",
  [IMPASTO_RUN_SETTING_INIT] = "style",
  [IMPASTO_RUN_SETTING_NOISE_RATIO] = "1",
  [IMPASTO_RUN_SETTING_SEED] = "18446744073709551615",
  [IMPASTO_RUN_SETTING_POOL] = "avg",
  [IMPASTO_RUN_SETTING_PRESERVE_COLORS] = "histogram",
  [IMPASTO_RUN_SETTING_CONTENT_LAYERS] = "conv3_2:0.25,conv5_4:3",
  [IMPASTO_RUN_SETTING_STYLE_LAYERS] = "conv1_1:0.1,conv2_2:0.7",
  [IMPASTO_RUN_SETTING_PAINTING_WEIGHTS] = "0.7,0,0.3",
  [IMPASTO_RUN_SETTING_PAINTING_SCALES] = "0.5,2",
  [IMPASTO_RUN_SETTING_STYLE_UPSCALE] = "true",
  [IMPASTO_RUN_SETTING_THREADS] = "3",
};

static void
fill (ImpastoRunSettings *settings)
{
  impasto_run_settings_init (settings);
  for (int i = 0; i < IMPASTO_RUN_SETTING_N; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (full_values[i]);
      g_assert_true (impasto_run_settings_parse_value (settings, i, full_values[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_round_trip (void)
{
  ImpastoRunSettings settings;
  ImpastoRunSettings back;
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  fill (&settings);
  for (int i = 0; i < IMPASTO_RUN_SETTING_N; i++)
    {
      g_autofree char *text = impasto_run_settings_value_text (&settings, i);

      g_assert_cmpstr (text, ==, full_values[i]);
      g_assert_cmpint (impasto_run_setting_from_key (impasto_run_setting_key (i)), ==, i);
    }

  data = impasto_run_settings_to_data (&settings, NULL);
  g_assert_true (g_str_has_prefix (data, "[Impasto]\nversion=1\nalpha=2.5\n"));
  impasto_run_settings_init (&back);
  g_assert_true (impasto_run_settings_load_data (&back, data, -1, skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (skipped->len, ==, 0);
  g_assert_cmpuint (back.set, ==, settings.set);
  g_assert_cmpint (memcmp (&back, &settings, sizeof back), ==, 0);
  g_assert_cmpuint (back.seed, ==, G_MAXUINT64);
  g_assert_cmpint (back.n_painting_weights, ==, 3);
  g_assert_cmpfloat (back.content_layers[impasto_vgg19_conv_index ("conv5_4")], ==, 3.0);
}

static void
test_numbers (void)
{
  ImpastoRunSettings settings;
  g_autofree char *beta = NULL;
  g_autofree char *tv = NULL;
  g_autofree char *layers = NULL;

  impasto_run_settings_init (&settings);
  settings.beta = 500.0;
  settings.tv = 1.0 / 3.0;
  settings.set = 1u << IMPASTO_RUN_SETTING_BETA | 1u << IMPASTO_RUN_SETTING_TV
                 | 1u << IMPASTO_RUN_SETTING_CONTENT_LAYERS;
  beta = impasto_run_settings_value_text (&settings, IMPASTO_RUN_SETTING_BETA);
  g_assert_cmpstr (beta, ==, "500");
  tv = impasto_run_settings_value_text (&settings, IMPASTO_RUN_SETTING_TV);
  g_assert_cmpfloat (g_ascii_strtod (tv, NULL), ==, 1.0 / 3.0);
  /* Every layer off is still a list the reader takes. */
  layers = impasto_run_settings_value_text (&settings, IMPASTO_RUN_SETTING_CONTENT_LAYERS);
  g_assert_cmpstr (layers, ==, "conv1_1:0");
  g_assert_true (impasto_run_settings_parse_value (&settings, IMPASTO_RUN_SETTING_CONTENT_LAYERS,
                                                   layers, NULL));

  g_assert_cmpfloat (impasto_run_settings_tidy_float (0.2f), ==, 0.2);
  g_assert_cmpfloat (impasto_run_settings_tidy_float (0.7f), ==, 0.7);
  g_assert_cmpfloat ((float) impasto_run_settings_tidy_float (1.0f / 3.0f), ==, 1.0f / 3.0f);
  g_assert_null (impasto_run_settings_value_text (&settings, IMPASTO_RUN_SETTING_ALPHA));
}

static const char *
reason_of (GPtrArray  *skipped,
           const char *key)
{
  for (guint i = 0; i < skipped->len; i++)
    {
      const ImpastoSkippedSetting *entry = g_ptr_array_index (skipped, i);

      if (g_str_equal (entry->key, key))
        return entry->reason;
    }
  return NULL;
}

static void
test_damaged (void)
{
  static const char *const bad_keys[] = {
    "version", "brush", "alpha", "beta", "tv", "learning-rate", "iterations", "size",
    "min-size", "scales", "optimizer", "init", "noise-ratio", "seed", "pool", "preserve-colors",
    "content-layers", "style-layers", "painting-weights", "painting-scales", "style-upscale",
    "threads",
  };
  static const char data[] =
    "# a hand-edited preset from a later Impasto\n"
    "[Impasto]\n"
    "version=7\n"
    "brush=round\n"
    "alpha=-1\n"
    "beta=nan\n"
    "tv=1e999\n"
    "learning-rate=0\n"
    "iterations=1e3\n"
    "size=16385\n"
    "min-size=8\n"
    "scales=25\n"
    "tolerance=0.5\n"
    "optimizer=sgd\n"
    "init=image\n"
    "noise-ratio=1.5\n"
    "seed=-1\n"
    "pool=min\n"
    "preserve-colors=yes\n"
    "content-layers=conv9_9:1\n"
    "style-layers=conv1_1:1,conv1_1:2\n"
    "painting-weights=0,0\n"
    "painting-scales=3\n"
    "style-upscale=yes\n"
    "threads=2000\n"
    /* A translation of a key is not a setting: GKeyFile does not list it. */
    "alpha[de]=3\n"
    "width=320\n"
    "[Other]\n"
    "alpha=7\n";
  ImpastoRunSettings settings;
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;

  impasto_run_settings_init (&settings);
  g_assert_true (impasto_run_settings_parse_value (&settings, IMPASTO_RUN_SETTING_ALPHA, "4",
                                                   NULL));
  g_assert_true (impasto_run_settings_load_data (&settings, data, -1, skipped, &error));
  g_assert_no_error (error);

  /* What checks is read; the rest keeps what it had. */
  g_assert_cmpuint (settings.set, ==, 1u << IMPASTO_RUN_SETTING_ALPHA
                                      | 1u << IMPASTO_RUN_SETTING_TOLERANCE
                                      | 1u << IMPASTO_RUN_SETTING_WIDTH);
  g_assert_cmpfloat (settings.alpha, ==, 4.0);
  g_assert_cmpfloat (settings.tolerance, ==, 0.5);
  g_assert_cmpint (settings.width, ==, 320);

  g_assert_cmpuint (skipped->len, ==, G_N_ELEMENTS (bad_keys));
  for (guint i = 0; i < G_N_ELEMENTS (bad_keys); i++)
    {
      const char *reason = reason_of (skipped, bad_keys[i]);

      g_test_message ("%s: %s", bad_keys[i], reason);
      g_assert_nonnull (reason);
      g_assert_cmpuint (strlen (reason), >, 5);
    }
  g_assert_nonnull (strstr (reason_of (skipped, "version"), "7"));
  g_assert_nonnull (strstr (reason_of (skipped, "alpha"), "-1"));
  g_assert_nonnull (strstr (reason_of (skipped, "optimizer"), "lbfgs"));
  keys = impasto_skipped_settings_keys (skipped);
  g_assert_true (g_str_has_prefix (keys, "version, brush, alpha, "));
}

static void
test_not_settings (void)
{
  ImpastoRunSettings settings;
  g_autoptr(GError) error = NULL;

  impasto_run_settings_init (&settings);
  g_assert_false (impasto_run_settings_load_data (&settings, "not = a [key file", -1, NULL,
                                                  &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (impasto_run_settings_load_data (&settings, "[Painting]\nalpha=1\n", -1, NULL,
                                                  &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  g_assert_cmpuint (settings.set, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run-settings/round-trip", test_round_trip);
  g_test_add_func ("/run-settings/numbers", test_numbers);
  g_test_add_func ("/run-settings/damaged", test_damaged);
  g_test_add_func ("/run-settings/not-settings", test_not_settings);
  return g_test_run ();
}
