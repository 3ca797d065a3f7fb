/* test-run-estimate.c
 *
 * Unit tests for src/common/impasto-run-estimate.c: the memory check is the engine's estimate
 * against this computer's memory; the speed store keeps what is recorded, a second run moves it
 * (half way), an L-BFGS estimate falls back to Adam's speed until L-BFGS has been measured, a
 * missing or corrupt store gives nothing (so that the caller calibrates) and is replaced by the
 * next record; the estimate is the stored speed times the size's work, which grows with the
 * pixels and the deepest layer; and the calibration measures a real session of the tiny random
 * VGG19. Each test runs with its own XDG folders (G_TEST_OPTION_ISOLATE_DIRS).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-run-estimate"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "impasto-run-estimate.h"
#include "test-net.h"

static void
test_memory (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  guint64 needed = 0;
  guint64 available = 0;
  gboolean fits;

  impasto_session_params_init_default (&params);
  impasto_session_config_init_default (&config);
  config.width = 64;
  config.height = 48;

  fits = impasto_run_estimate_memory (weights, &config, &params, &needed, &available);
  g_assert_cmpuint (needed, ==, impasto_session_estimate_bytes (weights, &config, &params));
  g_assert_cmpuint (needed, >, 0);
  g_assert_cmpuint (available, ==, impasto_run_estimate_available_memory ());
  g_assert_cmpuint (available, >, 0);
  g_assert_true (fits == (needed <= available));
  /* The tiny network at 64 × 48 fits any computer that runs the tests. */
  g_assert_true (fits);

  impasto_weights_free (weights);
}

static void
test_store (void)
{
  g_autofree char *path = impasto_run_speed_default_path ();
  g_autoptr(GError) error = NULL;
  double stored;

  g_assert_true (g_str_has_prefix (path, g_get_user_cache_dir ()));
  g_assert_true (g_str_has_suffix (path, G_DIR_SEPARATOR_S "impasto" G_DIR_SEPARATOR_S
                                   "speed.ini"));

  /* Nothing stored yet: nothing to estimate from. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.0);

  /* The first measurement is kept as it is (the folder is made). */
  stored = impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 0.02, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (stored, ==, 0.02);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.02);
  g_assert_cmpfloat (impasto_run_speed_lookup (path, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.02);

  /* L-BFGS has not been measured: Adam's speed stands in. */
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_LBFGS, 0), ==, 0.02);

  /* A run refines it: half way to the new measurement. */
  stored = impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 0.04, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (stored, 0.03, 1e-12);
  g_assert_cmpfloat_with_epsilon (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0),
                                  0.03, 1e-12);

  /* A run's seconds an iteration at its size's work. */
  stored = impasto_run_speed_record_run (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 2.5, 50.0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (stored, 0.04, 1e-12);
  /* Numbers that say nothing change nothing. */
  g_assert_cmpfloat (impasto_run_speed_record_run (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 0.0, 50.0,
                                                   NULL), ==, 0.0);
  g_assert_cmpfloat (impasto_run_speed_record_run (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 1.0, 0.0,
                                                   NULL), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0),
                                  0.04, 1e-12);

  /* L-BFGS measured: its own speed from now on, Adam's unchanged. */
  stored = impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_LBFGS, 0, 0.1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_LBFGS, 0), ==, 0.1);
  g_assert_cmpfloat_with_epsilon (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0),
                                  0.04, 1e-12);
}

static void
test_store_corrupt (void)
{
  g_autofree char *path = impasto_run_speed_default_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  const char *const corrupt[] = {
    "\xff\xfe not a key file [[[",
    "[unrelated group]\nadam-seconds-per-gflop=0.5\n",
  };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (corrupt); i++)
    {
      g_file_set_contents (path, corrupt[i], -1, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.0);
    }

  /* This computer's entry holding nonsense is no entry either. */
  {
    g_autoptr(GKeyFile) keys = g_key_file_new ();
    g_autofree char *data = NULL;
    g_auto(GStrv) groups = NULL;

    g_assert_cmpfloat (impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 0.5, &error),
                       ==, 0.5);
    g_assert_no_error (error);
    g_assert_true (g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, NULL));
    groups = g_key_file_get_groups (keys, NULL);
    /* Not a number, not positive, or a speed no computer has (a hand-edited 1e300 would make
     * the window say "about -2147483648 h"). */
    for (guint k = 0; k < 4; k++)
      {
        const char *nonsense[] = { "-inf", "0", "1e300", "1e-12" };

        for (guint i = 0; groups[i] != NULL; i++)
          if (!g_str_equal (groups[i], "unrelated group"))
            g_key_file_set_string (keys, groups[i], "adam-seconds-per-gflop", nonsense[k]);
        g_clear_pointer (&data, g_free);
        data = g_key_file_to_data (keys, NULL, NULL);
        g_file_set_contents (path, data, -1, &error);
        g_assert_no_error (error);
        g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.0);
      }
  }

  /* A corrupt file is replaced by the next measurement, which is kept as it is. */
  g_file_set_contents (path, corrupt[0], -1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 0.25, &error),
                     ==, 0.25);
  g_assert_no_error (error);
  g_assert_cmpfloat (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0), ==, 0.25);
}

static void
test_estimate (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoSessionParams params;
  int deepest;
  double small;
  double big;
  double shallow;

  impasto_session_params_init_default (&params);
  deepest = impasto_run_estimate_deepest_layer (&params);
  g_assert_cmpint (deepest, ==, impasto_vgg19_conv_index ("conv5_2"));

  small = impasto_run_estimate_gflop (weights, deepest, 64, 64);
  big = impasto_run_estimate_gflop (weights, deepest, 128, 128);
  shallow = impasto_run_estimate_gflop (weights, impasto_vgg19_conv_index ("conv3_1"), 128, 128);
  g_assert_cmpfloat (small, >, 0.0);
  /* Four times the pixels, four times the work (every conv's output has 4x the pixels). */
  g_assert_cmpfloat_with_epsilon (big / small, 4.0, 1e-9);
  g_assert_cmpfloat (shallow, <, big);
  g_assert_cmpfloat (impasto_run_estimate_gflop (weights, -1, 128, 128), ==, 0.0);

  /* The estimate follows the stored speed. */
  g_assert_cmpfloat (impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, 3.0, NULL), ==,
                     3.0);
  g_assert_cmpfloat_with_epsilon (
    impasto_run_estimate_seconds (impasto_run_speed_lookup (NULL, IMPASTO_OPTIMIZER_ADAM, 0),
                                  big), 3.0 * big, 1e-12);
  g_assert_cmpfloat (impasto_run_estimate_seconds (0.0, big), ==, 0.0);
  g_assert_cmpfloat (impasto_run_estimate_seconds (3.0, 0.0), ==, 0.0);

  /* No layer at all: no work. */
  memset (params.content_layers, 0, sizeof params.content_layers);
  memset (params.style_layers, 0, sizeof params.style_layers);
  g_assert_cmpint (impasto_run_estimate_deepest_layer (&params), ==, -1);

  g_assert_cmpint (impasto_run_estimate_threads (0), >=, 1);
  g_assert_cmpint (impasto_run_estimate_threads (1), ==, 1);
  g_assert_cmpint (impasto_run_estimate_threads (100000), ==, impasto_run_estimate_threads (0));

  impasto_weights_free (weights);
}

static bool
stop_now (void *data)
{
  return TRUE;
}

/* A ladder's memory is the ladder's own estimate; its time is each size's budget at the speed,
 * up to the size a preview stops at; one size is the flat run's time. */
static void
test_ladder (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
  ImpastoLadderConfig ladder;
  int widths[IMPASTO_LADDER_MAX_SIZES], heights[IMPASTO_LADDER_MAX_SIZES];
  int deepest, n;
  guint64 needed = 0;
  double rate = 0.02, want = 0.0, preview = 0.0;

  impasto_session_config_init_default (&config);
  impasto_session_params_init_default (&params);
  impasto_ladder_config_init_default (&ladder);
  ladder.min_side = 16;
  impasto_ladder_config_set_budgets (&ladder, 40);
  config.width = 64;
  config.height = 48;
  g_assert_true (impasto_run_estimate_ladder_memory (weights, &ladder, &config, &params, &needed,
                                                     NULL));
  g_assert_cmpuint (needed, ==, impasto_ladder_estimate_bytes (weights, &ladder, &config,
                                                               &params));

  deepest = impasto_run_estimate_deepest_layer (&params);
  n = impasto_ladder_plan_sizes (64, 48, 16, ladder.max_sizes, widths, heights);
  g_assert_cmpint (n, ==, 4);   /* 23, 32, 45, 64 (16 × 12 is too small) */
  for (int k = 0; k < n; k++)
    {
      double seconds = impasto_ladder_config_get_budget (&ladder, n, k) * rate
                       * impasto_run_estimate_gflop (weights, deepest, widths[k], heights[k]);

      want += seconds;
      if (MAX (widths[k], heights[k]) <= 32)
        preview += seconds;
    }
  g_assert_cmpfloat_with_epsilon (
    impasto_run_estimate_ladder_seconds (weights, deepest, &ladder, 64, 48, 0, rate), want,
    1e-9 * want);
  g_assert_cmpfloat_with_epsilon (
    impasto_run_estimate_ladder_seconds (weights, deepest, &ladder, 64, 48, 32, rate), preview,
    1e-9 * preview);
  g_assert_cmpfloat (preview, <, want);
  /* No speed known: no time. */
  g_assert_cmpfloat (impasto_run_estimate_ladder_seconds (weights, deepest, &ladder, 64, 48, 0,
                                                          0.0), ==, 0.0);
  /* One size: the flat run. */
  ladder.max_sizes = 1;
  g_assert_cmpfloat_with_epsilon (
    impasto_run_estimate_ladder_seconds (weights, deepest, &ladder, 64, 48, 0, rate),
    40 * rate * impasto_run_estimate_gflop (weights, deepest, 64, 48), 1e-9);
  impasto_weights_free (weights);
}

static void
test_calibrate (void)
{
  ImpastoWeights *weights = test_net_new ();
  double rate;

  /* A real session of the tiny network: some positive, finite speed. */
  rate = impasto_run_speed_calibrate (weights, 1, NULL, NULL);
  g_assert_true (isfinite (rate));
  g_assert_cmpfloat (rate, >, 0.0);

  /* Stopped before it could measure: nothing. */
  g_assert_cmpfloat (impasto_run_speed_calibrate (weights, 1, stop_now, NULL), ==, 0.0);

  impasto_weights_free (weights);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/run-estimate/memory", test_memory);
  g_test_add_func ("/run-estimate/store", test_store);
  g_test_add_func ("/run-estimate/store-corrupt", test_store_corrupt);
  g_test_add_func ("/run-estimate/estimate", test_estimate);
  g_test_add_func ("/run-estimate/ladder", test_ladder);
  g_test_add_func ("/run-estimate/calibrate", test_calibrate);

  return g_test_run ();
}
