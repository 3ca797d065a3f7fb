/* test-model-path.c
 *
 * Unit tests for src/common/impasto-model-path.c: the search order (explicit path, IMPASTO_MODEL,
 * settings, $XDG_DATA_HOME/impasto, the installed data folder), folders searched for both file
 * names, no fallback when an explicit path or IMPASTO_MODEL names nothing, and a failure message
 * that lists every place looked at and says how to get the model. Each test runs with its own
 * XDG folders (G_TEST_OPTION_ISOLATE_DIRS).
 *
 * It does not read any model file: empty files stand in for them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-model-path"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "impasto-model-path.h"

static char *
touch (const char *dir,
       const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
  return path;
}

/* The user's data folder for this test, created. */
static char *
user_model_dir (void)
{
  char *dir = g_build_filename (g_get_user_data_dir (), "impasto", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

/* The path found when nothing of ours is set: the installed model, if this machine has one. */
static char *
installed_model (void)
{
  g_autofree char *mat = g_build_filename (PKGDATADIR, IMPASTO_MODEL_FILE_NAME, NULL);
  g_autofree char *cache = g_build_filename (PKGDATADIR, IMPASTO_MODEL_CACHE_NAME, NULL);

  if (g_file_test (mat, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&mat);
  if (g_file_test (cache, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&cache);
  return NULL;
}

static void
test_explicit (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "models", NULL);
  g_autofree char *file = touch (dir, "custom-name.mat");
  g_autofree char *in_dir = touch (dir, IMPASTO_MODEL_FILE_NAME);
  g_autofree char *user_dir = user_model_dir ();
  g_autofree char *user_file = touch (user_dir, IMPASTO_MODEL_FILE_NAME);
  g_autofree char *missing = g_build_filename (dir, "typo.mat", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_unsetenv (IMPASTO_MODEL_ENV);

  /* A file, whatever its name, wins over everything else. */
  found = impasto_model_path_find (file, user_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, file);
  g_clear_pointer (&found, g_free);

  /* A folder is searched for the standard name. */
  found = impasto_model_path_find (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, in_dir);
  g_clear_pointer (&found, g_free);

  /* A typo is an error, even though the data folder has a model. */
  found = impasto_model_path_find (missing, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, IMPASTO_MODEL_PATH_ERROR, IMPASTO_MODEL_PATH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_nonnull (strstr (error->message, "--model"));
  g_assert_null (strstr (error->message, user_file));
}

static void
test_environment (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "env", NULL);
  g_autofree char *file = touch (dir, "weights.mat");
  g_autofree char *cache = touch (dir, IMPASTO_MODEL_CACHE_NAME);
  g_autofree char *explicit_file = touch (dir, "explicit.mat");
  g_autofree char *user_dir = user_model_dir ();
  g_autofree char *user_file = touch (user_dir, IMPASTO_MODEL_FILE_NAME);
  g_autofree char *missing = g_build_filename (dir, "nothing-here.mat", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_setenv (IMPASTO_MODEL_ENV, file, TRUE);
  found = impasto_model_path_find (NULL, user_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, file);
  g_clear_pointer (&found, g_free);

  /* --model comes first. */
  found = impasto_model_path_find (explicit_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, explicit_file);
  g_clear_pointer (&found, g_free);

  /* A folder without the .mat file: the cache name is accepted. */
  g_setenv (IMPASTO_MODEL_ENV, dir, TRUE);
  found = impasto_model_path_find (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, cache);
  g_clear_pointer (&found, g_free);

  /* Set but wrong: an error naming the variable and the path, no fallback. */
  g_setenv (IMPASTO_MODEL_ENV, missing, TRUE);
  found = impasto_model_path_find (NULL, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, IMPASTO_MODEL_PATH_ERROR, IMPASTO_MODEL_PATH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_nonnull (strstr (error->message, IMPASTO_MODEL_ENV));

  g_unsetenv (IMPASTO_MODEL_ENV);
}

static void
test_settings_and_data_dir (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "settings", NULL);
  g_autofree char *settings_file = touch (dir, "chosen.mat");
  g_autofree char *stale = g_build_filename (dir, "deleted.mat", NULL);
  g_autofree char *user_dir = user_model_dir ();
  g_autofree char *user_cache = touch (user_dir, IMPASTO_MODEL_CACHE_NAME);
  g_autofree char *user_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_unsetenv (IMPASTO_MODEL_ENV);

  found = impasto_model_path_find (NULL, settings_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, settings_file);
  g_clear_pointer (&found, g_free);

  /* A stale preference falls back to the data folder. */
  found = impasto_model_path_find (NULL, stale, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, user_cache);
  g_clear_pointer (&found, g_free);

  /* In a folder the .mat file comes before the cache. */
  user_file = touch (user_dir, IMPASTO_MODEL_FILE_NAME);
  found = impasto_model_path_find (NULL, "", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, user_file);
}

static void
test_not_found (void)
{
  g_autofree char *installed = installed_model ();
  g_autofree char *user_dir = g_build_filename (g_get_user_data_dir (), "impasto", NULL);
  g_autofree char *user_file = g_build_filename (user_dir, IMPASTO_MODEL_FILE_NAME, NULL);
  g_autofree char *user_cache = g_build_filename (user_dir, IMPASTO_MODEL_CACHE_NAME, NULL);
  g_autofree char *system_file = g_build_filename (PKGDATADIR, IMPASTO_MODEL_FILE_NAME, NULL);
  g_autofree char *stale = g_build_filename (g_get_user_cache_dir (), "gone.mat", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_unsetenv (IMPASTO_MODEL_ENV);

  found = impasto_model_path_find (NULL, stale, &error);
  if (installed != NULL)
    {
      /* This machine has the model installed: then that is the answer. */
      g_assert_no_error (error);
      g_assert_cmpstr (found, ==, installed);
      return;
    }

  g_assert_null (found);
  g_assert_error (error, IMPASTO_MODEL_PATH_ERROR, IMPASTO_MODEL_PATH_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);

  /* Every place, in order. */
  g_assert_nonnull (strstr (error->message, "$" IMPASTO_MODEL_ENV));
  g_assert_nonnull (strstr (error->message, stale));
  g_assert_nonnull (strstr (error->message, user_file));
  g_assert_nonnull (strstr (error->message, user_cache));
  g_assert_nonnull (strstr (error->message, system_file));
  g_assert_true (strstr (error->message, stale) < strstr (error->message, user_file));
  g_assert_true (strstr (error->message, user_file) < strstr (error->message, system_file));

  /* And how to get the model. */
  g_assert_nonnull (strstr (error->message, "imagenet-vgg-verydeep-19.mat"));
  g_assert_nonnull (strstr (error->message, "Visual Geometry Group"));
  g_assert_nonnull (strstr (error->message, "510 MB"));
  g_assert_nonnull (strstr (error->message, "--model"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model-path/explicit", test_explicit);
  g_test_add_func ("/model-path/environment", test_environment);
  g_test_add_func ("/model-path/settings-and-data-dir", test_settings_and_data_dir);
  g_test_add_func ("/model-path/not-found", test_not_found);

  return g_test_run ();
}
