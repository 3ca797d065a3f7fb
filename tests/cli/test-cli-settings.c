/* test-cli-settings.c
 *
 * impasto-cli's --preset and --settings-from on a tiny random VGG19 at 40 x 32: a picture painted
 * on a ladder with settings far from the defaults, then painted again from nothing but
 * --settings-from it and the same inputs, is the same bit for bit (and one painted with the
 * defaults is not), and its [Source] names this version, the model's MD5 and the inputs with
 * their SHA-256; a typed flag overrides a preset whether it comes before or after it; a user
 * preset is found by name in $XDG_CONFIG_HOME; a preset's bad keys are warnings that name them;
 * an unknown preset, a picture without settings and --preset with --settings-from exit with status
 * 2, a message and nothing written; a tampered picture's bad value is a warning.
 *
 * It does not judge the pictures; the engine's tests check the numbers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-settings"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-image.h"
#include "impasto-picture-settings.h"
#include "impasto-presets.h"

static char *model_dir;
static char *model_path;

typedef struct
{
  char *dir;
  char **envp;    /* XDG_CONFIG_HOME in the scratch folder */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *config = NULL;

  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
  config = g_build_filename (fixture->dir, "config", NULL);
  fixture->envp = g_environ_setenv (g_get_environ (), "XDG_CONFIG_HOME", config, TRUE);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  cli_test_dir_free (fixture->dir);
  g_strfreev (fixture->envp);
}

/* The CLI with the photo, the first painting, the model and one thread, then @extra (up to 31,
 * NULL-terminated). */
static int
paint (Fixture *fixture, char **err, const char *const *extra)
{
  const char *args[48] = {
    "--content", "content.png", "--style", "style.png", "--model", model_path, "--threads", "1",
  };
  int n = 8;

  for (int i = 0; extra[i] != NULL; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  return cli_test_runv (fixture->dir, fixture->envp, NULL, err, args);
}

static GdkPixbuf *
load (Fixture *fixture, const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  return pixbuf;
}

static gboolean
exists (Fixture *fixture, const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
same_pixels (GdkPixbuf *a, GdkPixbuf *b)
{
  int h = gdk_pixbuf_get_height (a);
  int row = gdk_pixbuf_get_width (a) * gdk_pixbuf_get_n_channels (a);

  if (gdk_pixbuf_get_width (a) != gdk_pixbuf_get_width (b) || h != gdk_pixbuf_get_height (b))
    return FALSE;
  for (int y = 0; y < h; y++)
    if (memcmp (gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a),
                gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b), row) != 0)
      return FALSE;
  return TRUE;
}

/* The [Impasto] settings @name carries, as a settings struct. */
static void
read_settings (Fixture *fixture, const char *name, ImpastoRunSettings *settings)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GError) error = NULL;

  impasto_run_settings_init (settings);
  g_assert_true (impasto_picture_settings_read (path, settings, skipped, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (skipped->len, ==, 0);
}

/* The [Source] of @name: this version, the tiny model's MD5 (its cache knows it once loaded),
 * and the inputs' base names and SHA-256. */
static void
check_source (Fixture *fixture, const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *photo_path = g_build_filename (fixture->dir, "content.png", NULL);
  g_autofree char *model = NULL, *photo = NULL, *model_md5 = NULL, *photo_sha = NULL;
  g_autofree char *version = NULL, *painting = NULL, *md5 = NULL, *sha = NULL;
  g_autoptr(GKeyFile) source = NULL;
  ImpastoRunSettings settings;
  gsize size;

  impasto_run_settings_init (&settings);
  g_assert_true (impasto_picture_settings_read (path, &settings, NULL, &source, NULL));
  g_assert_true (g_file_get_contents (model_path, &model, &size, NULL));
  model_md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guchar *) model, size);
  g_assert_true (g_file_get_contents (photo_path, &photo, &size, NULL));
  photo_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) photo, size);

  version = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "impasto-version", NULL);
  g_assert_cmpstr (version, ==, PACKAGE_VERSION);
  md5 = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "model-md5", NULL);
  g_assert_cmpstr (md5, ==, model_md5);
  sha = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "photo-sha256", NULL);
  g_assert_cmpstr (sha, ==, photo_sha);
  painting = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "painting-1", NULL);
  g_assert_cmpstr (painting, ==, "style.png");
}

/* Painted again from its own settings, the picture is the same bit for bit. */
static void
test_repaint (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) first = NULL, again = NULL, plain = NULL;
  g_autofree char *err = NULL;
  ImpastoRunSettings settings;
  ImpastoRunSettings settings_again;

  g_assert_cmpint (paint (fixture, NULL,
                          (const char *[]) { "--output", "first.png", "--size", "40",
                                             "--min-size", "24", "--iterations", "6",
                                             "--seed", "11", "--beta", "800", "--tv", "0.01",
                                             "--pool", "avg", "--noise", "0.7",
                                             "--style-layers", "conv1_1:0.3,conv2_1:0.7",
                                             "--content-layers", "conv4_2",
                                             "--learning-rate", "2", "--optimizer", "adam",
                                             NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--settings-from", "first.png",
                                             "--output", "again.png", NULL }), ==, 0);
  g_assert_null (strstr (err, "warning"));
  g_assert_cmpint (paint (fixture, NULL,
                          (const char *[]) { "--output", "plain.png", "--size", "40",
                                             "--iterations", "6", NULL }), ==, 0);
  first = load (fixture, "first.png");
  again = load (fixture, "again.png");
  plain = load (fixture, "plain.png");
  g_assert_true (same_pixels (first, again));
  g_assert_false (same_pixels (first, plain));

  read_settings (fixture, "first.png", &settings);
  read_settings (fixture, "again.png", &settings_again);
  check_source (fixture, "first.png");
  g_assert_cmpint (memcmp (&settings, &settings_again, sizeof settings), ==, 0);
  g_assert_cmpfloat (settings.beta, ==, 800.0);
  g_assert_cmpint (settings.min_size, ==, 24);
  g_assert_cmpuint (settings.seed, ==, 11);
  g_assert_cmpint (settings.threads, ==, 1);
  /* The frames carry them too. */
  g_assert_cmpint (paint (fixture, NULL,
                          (const char *[]) { "--settings-from", "first.png", "--iterations", "2",
                                             "--scales", "1", "--save-every", "1",
                                             "--output", "frames.png", NULL }), ==, 0);
  read_settings (fixture, "frames-0001.png", &settings);
  g_assert_cmpint (settings.iterations, ==, 2);
  g_assert_cmpfloat (settings.beta, ==, 800.0);
}

/* A typed flag wins before or after --preset; the rest is the preset's. */
static void
test_override (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) before = NULL, after = NULL, preset = NULL;
  ImpastoRunSettings settings;

  g_assert_cmpint (paint (fixture, NULL,
                          (const char *[]) { "--beta", "0.01", "--preset", "fast-preview",
                                             "--size", "40", "--iterations", "3",
                                             "--output", "before.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, NULL,
                          (const char *[]) { "--preset", "fast-preview", "--beta", "0.01",
                                             "--size", "40", "--iterations", "3",
                                             "--output", "after.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, NULL,
                          (const char *[]) { "--preset", "fast-preview",
                                             "--size", "40", "--iterations", "3",
                                             "--output", "preset.png", NULL }), ==, 0);
  before = load (fixture, "before.png");
  after = load (fixture, "after.png");
  preset = load (fixture, "preset.png");
  g_assert_true (same_pixels (before, after));
  g_assert_false (same_pixels (before, preset));

  read_settings (fixture, "after.png", &settings);
  g_assert_cmpfloat (settings.beta, ==, 0.01);
  g_assert_cmpint (settings.size, ==, 40);
  g_assert_cmpint (settings.min_size, ==, 64);   /* the preset's, above the output: allowed */
  g_assert_cmpint (settings.optimizer, ==, IMPASTO_OPTIMIZER_LBFGS);
}

/* One of the user's presets by name, with a damaged key that is named in a warning. */
static void
test_user_preset (Fixture *fixture, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "config", "impasto", "presets", NULL);
  g_autofree char *file = g_build_filename (folder, "Grainy.preset", NULL);
  g_autofree char *err = NULL;
  ImpastoRunSettings settings;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "[Impasto]\nversion=1\nbeta=321\nhue=3\n"
                                      "alpha=-1\n", -1, NULL));
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--preset", "Grainy", "--size", "40",
                                             "--iterations", "2", "--output", "grainy.png",
                                             NULL }), ==, 0);
  g_assert_nonnull (strstr (err, "warning"));
  g_assert_nonnull (strstr (err, "skipped hue"));
  g_assert_nonnull (strstr (err, "skipped alpha"));
  read_settings (fixture, "grainy.png", &settings);
  g_assert_cmpfloat (settings.beta, ==, 321.0);
  g_assert_cmpfloat (settings.alpha, ==, 1.0);

  /* The same file by its path. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--preset", "config/impasto/presets/Grainy.preset",
                                             "--size", "40", "--iterations", "2",
                                             "--output", "by-path.png", NULL }), ==, 0);
  g_assert_nonnull (strstr (err, "skipped hue"));
}

/* Refusals: status 2, a message, nothing written. */
static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--preset", "watercolour", "--output", "w.png",
                                             NULL }), ==, 2);
  for (guint i = 0; i < impasto_presets_n_builtin (); i++)
    g_assert_nonnull (strstr (err, impasto_presets_get_builtin (i)->id));
  g_assert_nonnull (strstr (err, "watercolour"));
  g_assert_false (exists (fixture, "w.png"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--settings-from", "content.png", "--output",
                                             "w.png", NULL }), ==, 2);
  g_assert_nonnull (strstr (err, "no Impasto settings"));
  g_assert_false (exists (fixture, "w.png"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--settings-from", "missing.png", "--output",
                                             "w.png", NULL }), ==, 2);
  g_assert_false (exists (fixture, "w.png"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--settings-from", "content.png", "--preset",
                                             "default", "--output", "w.png", NULL }), ==, 2);
  g_assert_nonnull (strstr (err, "--preset and --settings-from"));
  g_assert_false (exists (fixture, "w.png"));
}

/* A picture whose settings were edited: what checks is used, the rest named. */
static void
test_tampered (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "tampered.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = load (fixture, "content.png");
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  ImpastoRunSettings settings;

  g_assert_true (impasto_image_save_with_text (pixbuf, path, IMPASTO_PICTURE_SETTINGS_KEY,
                                               "[Impasto]\nversion=1\nbeta=-7\nseed=5\n"
                                               "iterations=2\nsize=40\n", &error));
  g_assert_no_error (error);
  g_assert_cmpint (paint (fixture, &err,
                          (const char *[]) { "--settings-from", "tampered.png", "--output",
                                             "t.png", NULL }), ==, 0);
  g_assert_nonnull (strstr (err, "skipped beta"));
  read_settings (fixture, "t.png", &settings);
  g_assert_cmpfloat (settings.beta, ==, 500.0);
  g_assert_cmpuint (settings.seed, ==, 5);
  g_assert_cmpint (settings.iterations, ==, 2);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  model_path = cli_test_make_tiny_model (&model_dir);
  g_test_add ("/cli/settings/repaint", Fixture, NULL, fixture_set_up, test_repaint,
              fixture_tear_down);
  g_test_add ("/cli/settings/override", Fixture, NULL, fixture_set_up, test_override,
              fixture_tear_down);
  g_test_add ("/cli/settings/user-preset", Fixture, NULL, fixture_set_up, test_user_preset,
              fixture_tear_down);
  g_test_add ("/cli/settings/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/cli/settings/tampered", Fixture, NULL, fixture_set_up, test_tampered,
              fixture_tear_down);
  status = g_test_run ();
  g_free (model_path);
  cli_test_dir_free (model_dir);
  return status;
}
