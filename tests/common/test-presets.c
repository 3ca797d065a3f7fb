/* test-presets.c
 *
 * Unit tests for src/common/impasto-presets.c: the built-in presets (at least the four the README
 * promises) load without a skipped key and hold exactly the values of README.md's table, which
 * this test reads; a user preset is saved atomically under $XDG_CONFIG_HOME/impasto/presets
 * (a scratch folder here), listed, and loaded back the same; bad names are refused with a reason;
 * an unknown name is an error listing every preset; a damaged preset file loads what it can.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-presets"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "impasto-presets.h"

static char *config_home;

static void
test_builtins (void)
{
  static const char *const promised[] = { "default", "light-touch", "bold-strokes",
                                          "fast-preview" };

  g_assert_cmpuint (impasto_presets_n_builtin (), >=, G_N_ELEMENTS (promised));
  for (guint i = 0; i < G_N_ELEMENTS (promised); i++)
    g_assert_nonnull (impasto_presets_find_builtin (promised[i]));

  for (guint i = 0; i < impasto_presets_n_builtin (); i++)
    {
      const ImpastoBuiltinPreset *preset = impasto_presets_get_builtin (i);
      g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
      g_autoptr(GError) error = NULL;
      ImpastoRunSettings settings;

      g_assert_nonnull (preset->name);
      g_assert_nonnull (preset->description);
      impasto_run_settings_init (&settings);
      g_assert_true (impasto_presets_load (preset->id, &settings, skipped, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (skipped->len, ==, 0);
      /* The whole look, but not the paintings at hand nor the command line's own settings. */
      for (int s = IMPASTO_RUN_SETTING_ALPHA; s < IMPASTO_RUN_SETTING_N; s++)
        {
          gboolean expected = s != IMPASTO_RUN_SETTING_WIDTH && s != IMPASTO_RUN_SETTING_HEIGHT
                              && s != IMPASTO_RUN_SETTING_SCALES
                              && s != IMPASTO_RUN_SETTING_TOLERANCE
                              && s != IMPASTO_RUN_SETTING_PAINTING_WEIGHTS
                              && s != IMPASTO_RUN_SETTING_PAINTING_SCALES
                              && s != IMPASTO_RUN_SETTING_STYLE_UPSCALE
                              && s != IMPASTO_RUN_SETTING_THREADS;

          g_assert_cmpint (impasto_run_settings_has (&settings, s), ==, expected);
        }
    }
}

/* A table cell without its padding and backticks. */
static char *
cell (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gsize n = strlen (stripped);

  if (n >= 2 && stripped[0] == '`' && stripped[n - 1] == '`')
    return g_strndup (stripped + 1, n - 2);
  return g_steal_pointer (&stripped);
}

/* README.md's presets table: a header "| Setting | `id` | …", a rule, then a row a key. Each
 * built-in there has exactly the table's values, and every setting it holds is in the table. */
static void
test_readme_table (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "README.md", NULL);
  g_autofree char *readme = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) ids = NULL;
  ImpastoRunSettings settings[8];
  guint32 rows_seen = 0;
  guint n_ids = 0;
  guint line = 0;
  guint rows = 0;

  g_assert_true (g_file_get_contents (path, &readme, NULL, NULL));
  lines = g_strsplit (readme, "\n", -1);
  while (lines[line] != NULL && !g_str_has_prefix (lines[line], "| Setting | `default`"))
    line++;
  g_assert_nonnull (lines[line]);

  ids = g_strsplit (lines[line], "|", -1);
  for (guint i = 2; ids[i] != NULL && ids[i + 1] != NULL; i++)
    {
      g_autofree char *id = cell (ids[i]);

      g_assert_cmpuint (n_ids, <, G_N_ELEMENTS (settings));
      impasto_run_settings_init (&settings[n_ids]);
      g_assert_true (impasto_presets_load (id, &settings[n_ids], NULL, NULL));
      n_ids++;
    }
  g_assert_cmpuint (n_ids, ==, impasto_presets_n_builtin ());
  g_assert_true (g_str_has_prefix (lines[line + 1], "|---"));

  for (line += 2; lines[line] != NULL && g_str_has_prefix (lines[line], "|"); line++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[line], "|", -1);
      g_autofree char *key = cell (cells[1]);
      int setting = impasto_run_setting_from_key (key);

      g_test_message ("README row %s", key);
      g_assert_cmpint (setting, >=, 0);
      g_assert_cmpuint (g_strv_length (cells), ==, n_ids + 3);
      rows_seen |= 1u << setting;
      for (guint i = 0; i < n_ids; i++)
        {
          g_autofree char *value = cell (cells[i + 2]);
          g_autofree char *actual = impasto_run_settings_value_text (&settings[i], setting);
          g_autofree char *readme_text = NULL;
          ImpastoRunSettings readme_value;

          /* The same value, whether or not it is spelt the same. */
          impasto_run_settings_init (&readme_value);
          g_assert_true (impasto_run_settings_parse_value (&readme_value, setting, value, NULL));
          readme_text = impasto_run_settings_value_text (&readme_value, setting);
          g_assert_cmpstr (actual, ==, readme_text);
        }
      rows++;
    }
  g_assert_cmpuint (rows, >=, 10);
  for (guint i = 0; i < n_ids; i++)
    g_assert_cmpuint (settings[i].set & ~rows_seen, ==, 0);
}

static void
test_user_round_trip (void)
{
  g_autofree char *dir = impasto_presets_user_dir ();
  g_autofree char *expected = g_build_filename (config_home, "impasto", "presets",
                                                "Mon été.preset", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  ImpastoRunSettings settings;
  ImpastoRunSettings back;

  g_assert_true (g_str_has_prefix (dir, config_home));
  impasto_run_settings_init (&settings);
  g_assert_true (impasto_presets_load ("bold-strokes", &settings, NULL, NULL));
  g_assert_true (impasto_run_settings_parse_value (&settings,
                                                   IMPASTO_RUN_SETTING_PAINTING_WEIGHTS,
                                                   "0.25,0.75", NULL));
  path = impasto_presets_save ("Mon été", &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected);
  /* Saved again over itself: replaced, and no temporary file left beside it. */
  g_clear_pointer (&path, g_free);
  path = impasto_presets_save ("Mon été", &settings, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (folder) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);
  }

  names = impasto_presets_list_user ();
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Mon été");

  impasto_run_settings_init (&back);
  g_assert_true (impasto_presets_load ("Mon été", &back, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (memcmp (&back, &settings, sizeof back), ==, 0);
  /* And by its path. */
  impasto_run_settings_init (&back);
  g_assert_true (impasto_presets_load (path, &back, NULL, &error));
  g_assert_cmpint (memcmp (&back, &settings, sizeof back), ==, 0);
}

static void
test_names (void)
{
  static const char *const bad[] = {
    "", ".hidden", " space", "a/b", "a\\b", "default", "tab\there",
    "12345678901234567890123456789012345678901234567890123456789012345",
  };
  ImpastoRunSettings settings;

  impasto_run_settings_init (&settings);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (impasto_presets_check_name (bad[i], &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_assert_null (impasto_presets_save (bad[i], &settings, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
    }
  g_assert_true (impasto_presets_check_name ("Sunday Look 2", NULL));
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;
  ImpastoRunSettings settings;

  impasto_run_settings_init (&settings);
  {
    g_autofree char *saved = impasto_presets_save ("mine", &settings, NULL);

    g_assert_nonnull (saved);
  }
  g_assert_false (impasto_presets_load ("no-such-look", &settings, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  for (guint i = 0; i < impasto_presets_n_builtin (); i++)
    g_assert_nonnull (strstr (error->message, impasto_presets_get_builtin (i)->id));
  g_assert_nonnull (strstr (error->message, "mine"));
  g_assert_nonnull (strstr (error->message, "no-such-look"));
}

static void
test_damaged_file (void)
{
  g_autofree char *path = g_build_filename (config_home, "damaged.preset", NULL);
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GError) error = NULL;
  ImpastoRunSettings settings;

  g_assert_true (g_file_set_contents (path, "[Impasto]\nversion=2\nbeta=900\nseed=x\nhue=3\n",
                                      -1, NULL));
  impasto_run_settings_init (&settings);
  g_assert_true (impasto_presets_load (path, &settings, skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (settings.set, ==, 1u << IMPASTO_RUN_SETTING_BETA);
  g_assert_cmpfloat (settings.beta, ==, 900.0);
  g_assert_cmpuint (skipped->len, ==, 3);

  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n", -1, NULL));
  g_assert_false (impasto_presets_load (path, &settings, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_unlink (path);
  g_assert_false (impasto_presets_load (path, &settings, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Before anything asks GLib for the configuration folder. */
  config_home = g_dir_make_tmp ("impasto-presets-XXXXXX", NULL);
  g_assert_nonnull (config_home);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/builtins", test_builtins);
  g_test_add_func ("/presets/readme-table", test_readme_table);
  g_test_add_func ("/presets/user-round-trip", test_user_round_trip);
  g_test_add_func ("/presets/names", test_names);
  g_test_add_func ("/presets/unknown", test_unknown);
  g_test_add_func ("/presets/damaged-file", test_damaged_file);
  status = g_test_run ();
  remove_tree (config_home);
  g_free (config_home);
  return status;
}
