/* test-cli-model.c
 *
 * `impasto-cli model import` and `model info`, run as a user would, with a tiny .mat written by
 * tools/impasto-vgg19-mat.c and $XDG_CACHE_HOME pointing into a scratch folder:
 *
 * - import writes the cache (exit 0), info then reports it verified, with the 16 layers, the mean
 *   and the source's MD5; import --output writes a stand-alone model file that info describes and
 *   that a transfer run accepts as --model.
 * - Usage errors exit 2 and write nothing: no file, two files, a text file, a bad --md5, an
 *   unknown command, no command.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli-test-util.h"
#include "impasto-vgg19-mat.h"

typedef struct
{
  char *dir;
  char *mat;
  char *cache_home;
  char **env;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  ImpastoVgg19MatOptions options;
  char error[512] = "";

  f->dir = cli_test_dir_new ();
  f->mat = g_build_filename (f->dir, "vgg.mat", NULL);
  f->cache_home = g_build_filename (f->dir, "cache", NULL);
  impasto_vgg19_mat_options_init_tiny (&options);
  if (!impasto_vgg19_mat_write (f->mat, &options, NULL, error, sizeof error))
    g_error ("%s", error);
  f->env = cli_test_environ_without_model (f->dir);
  f->env = g_environ_setenv (f->env, "XDG_CACHE_HOME", f->cache_home, TRUE);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_strfreev (f->env);
  g_free (f->mat);
  g_free (f->cache_home);
  cli_test_dir_free (f->dir);
}

static guint
count_cache_files (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->cache_home, "impasto", NULL);

  return g_file_test (dir, G_FILE_TEST_IS_DIR) ? cli_test_count_files (dir) : 0;
}

static void
test_import_and_info (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL, *expected_md5 = NULL, *contents = NULL;
  gsize size;

  g_assert_cmpint (cli_test_run (f->dir, f->env, &out, &err, "model", "import", f->mat, NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "Wrote"));
  g_assert_cmpuint (count_cache_files (f), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_test_run (f->dir, f->env, &out, &err, "model", "info", "--model", f->mat,
                                 NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "verified"));
  g_assert_nonnull (strstr (out, "conv1_1"));
  g_assert_nonnull (strstr (out, "conv5_4"));
  g_assert_nonnull (strstr (out, "Mean pixel"));
  g_assert_true (g_file_get_contents (f->mat, &contents, &size, NULL));
  expected_md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (guint8 *) contents, size);
  g_assert_nonnull (strstr (out, expected_md5));
  /* info writes nothing. */
  g_assert_cmpuint (count_cache_files (f), ==, 1);
}

static void
test_info_without_cache (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cli_test_run (f->dir, f->env, &out, &err, "model", "info", "--model", f->mat,
                                 NULL), ==, 0);
  g_assert_nonnull (strstr (out, "not there yet"));
  g_assert_nonnull (strstr (out, "conv5_4"));
  g_assert_cmpuint (count_cache_files (f), ==, 0);
}

static void
test_model_file (Fixture *f, gconstpointer data)
{
  g_autofree char *model = g_build_filename (f->dir, "vgg19.impasto", NULL);
  g_autofree char *output = g_build_filename (f->dir, "out.png", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cli_test_run (f->dir, f->env, &out, &err, "model", "import", f->mat,
                                 "--output", model, "--quiet", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_test (model, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_cache_files (f), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cli_test_run (f->dir, f->env, &out, &err, "model", "info", "--model", model,
                                 NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Impasto model file"));
  g_assert_nonnull (strstr (out, "made from: vgg.mat"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A transfer runs on it, without the .mat. */
  g_assert_cmpint (g_unlink (f->mat), ==, 0);
  cli_test_write_images (f->dir);
  g_assert_cmpint (cli_test_run (f->dir, f->env, &out, &err, "--content", "content.png",
                                 "--style", "style.png", "--output", output, "--model", model,
                                 "--size", "32", "--iterations", "2", NULL), ==, 0);
  g_assert_true (g_file_test (output, G_FILE_TEST_IS_REGULAR));
}

static void
test_usage_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *text = g_build_filename (f->dir, "text.mat", NULL);
  const char *const cases[][6] = {
    { "model", NULL },
    { "model", "frobnicate", NULL },
    { "model", "import", NULL },
    { "model", "import", "a.mat", "b.mat", NULL },
    { "model", "import", "text.mat", NULL },
    { "model", "import", "vgg.mat", "--md5", "xyz", NULL },
    { "model", "import", "missing.mat", NULL },
    { "model", "info", "extra", NULL },
    { "model", "info", "--model", "missing.mat", NULL },
  };

  cli_test_write_file (text, "not a network\n", 14);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *args[8] = { NULL };

      for (int j = 0; cases[i][j] != NULL; j++)
        args[j] = cases[i][j];
      g_assert_cmpint (cli_test_runv (f->dir, f->env, &out, &err, args), ==, 2);
      g_test_message ("%s %s: %s", cases[i][0], cases[i][1] ? cases[i][1] : "", err);
      g_assert_cmpstr (err, !=, "");
      g_assert_cmpuint (count_cache_files (f), ==, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-model/import-and-info", Fixture, NULL, fixture_set_up, test_import_and_info,
              fixture_tear_down);
  g_test_add ("/cli-model/info-without-cache", Fixture, NULL, fixture_set_up,
              test_info_without_cache, fixture_tear_down);
  g_test_add ("/cli-model/model-file", Fixture, NULL, fixture_set_up, test_model_file,
              fixture_tear_down);
  g_test_add ("/cli-model/usage-errors", Fixture, NULL, fixture_set_up, test_usage_errors,
              fixture_tear_down);
  return g_test_run ();
}
