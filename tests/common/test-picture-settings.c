/* test-picture-settings.c
 *
 * Unit tests for src/common/impasto-picture-settings.c and the text impasto_image_save_*()
 * writes: a PNG saved with the settings reads back the same settings and its [Source] (Impasto's
 * version, the model's MD5, the files' percent-encoded base names, not their folders, and their
 * SHA-256); a JPEG and a PNG saved without them are refused with a message; a picture whose text
 * was tampered with loads what checks and names the rest.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-picture-settings"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-error.h"
#include "impasto-image.h"
#include "impasto-picture-settings.h"
#include "impasto-presets.h"

static const guint8 pixels[4 * 3 * 3] = { 10, 20, 30, 200, 100, 0 };

static void
save (const char *path,
      const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (impasto_image_save_rgb8_with_text (pixels, 4, 3, 12, path,
                                                    IMPASTO_PICTURE_SETTINGS_KEY, text, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *photo = g_build_filename (dir, "Photo été 写真.png", NULL);
  g_autofree char *painting = g_build_filename (dir, "starry.jpg", NULL);
  g_autofree char *picture = g_build_filename (dir, "out.png", NULL);
  g_autofree char *text = NULL;
  g_autofree char *photo_sha = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *version = NULL;
  g_autofree char *md5 = NULL;
  const char *paintings[] = { painting, NULL };
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GKeyFile) source_file = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoPictureSource source = { "0123456789abcdef0123456789abcdef", photo, paintings, 2 };
  ImpastoRunSettings settings;
  ImpastoRunSettings back;

  cli_test_write_file (photo, "photo bytes", 11);
  cli_test_write_file (painting, "painting", 8);
  photo_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "photo bytes", 11);

  impasto_run_settings_init (&settings);
  g_assert_true (impasto_presets_load ("light-touch", &settings, NULL, NULL));
  g_assert_true (impasto_run_settings_parse_value (&settings, IMPASTO_RUN_SETTING_SEED,
                                                   "12345678901234", NULL));
  text = impasto_picture_settings_text (&settings, &source);
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 128);
  g_assert_null (strstr (text, dir));
  save (picture, text);

  impasto_run_settings_init (&back);
  g_assert_true (impasto_picture_settings_read (picture, &back, skipped, &source_file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (skipped->len, ==, 0);
  g_assert_cmpint (memcmp (&back, &settings, sizeof back), ==, 0);

  version = g_key_file_get_string (source_file, IMPASTO_PICTURE_SOURCE_GROUP, "impasto-version",
                                   NULL);
  g_assert_cmpstr (version, ==, PACKAGE_VERSION);
  md5 = g_key_file_get_string (source_file, IMPASTO_PICTURE_SOURCE_GROUP, "model-md5", NULL);
  g_assert_cmpstr (md5, ==, source.model_md5);
  name = g_key_file_get_string (source_file, IMPASTO_PICTURE_SOURCE_GROUP, "photo", NULL);
  {
    g_autofree char *unescaped = g_uri_unescape_string (name, NULL);

    g_assert_cmpstr (unescaped, ==, "Photo été 写真.png");
  }
  sha = g_key_file_get_string (source_file, IMPASTO_PICTURE_SOURCE_GROUP, "photo-sha256", NULL);
  g_assert_cmpstr (sha, ==, photo_sha);
  g_assert_true (g_key_file_has_key (source_file, IMPASTO_PICTURE_SOURCE_GROUP,
                                     "painting-1-sha256", NULL));
  /* The second painting has no file (pasted): neither name nor checksum. */
  g_assert_false (g_key_file_has_key (source_file, IMPASTO_PICTURE_SOURCE_GROUP, "painting-2",
                                      NULL));

  cli_test_dir_free (g_steal_pointer (&dir));
}

static void
test_without_settings (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *jpeg = g_build_filename (dir, "out.jpg", NULL);
  g_autofree char *png = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *text_file = g_build_filename (dir, "notes.png", NULL);
  const char *paths[] = { jpeg, png, text_file };
  ImpastoRunSettings settings;
  ImpastoPictureSource source = { 0 };
  g_autofree char *text = NULL;

  impasto_run_settings_init (&settings);
  g_assert_true (impasto_presets_load ("default", &settings, NULL, NULL));
  text = impasto_picture_settings_text (&settings, &source);
  /* gdk-pixbuf's JPEG saver writes no comment: the settings are left out. */
  save (jpeg, text);
  save (png, NULL);
  cli_test_write_file (text_file, "[Impasto]\nalpha=1\n", 18);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;

      impasto_run_settings_init (&settings);
      g_assert_false (impasto_picture_settings_read (paths[i], &settings, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      if (i < 2)
        {
          g_assert_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FAILED);
          g_assert_nonnull (strstr (error->message, "no Impasto settings"));
        }
      g_assert_cmpuint (settings.set, ==, 0);
    }

  cli_test_dir_free (g_steal_pointer (&dir));
}

static void
test_tampered (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *picture = g_build_filename (dir, "out.png", NULL);
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GError) error = NULL;
  ImpastoRunSettings settings;
  const ImpastoSkippedSetting *entry;

  save (picture, "[Impasto]\nversion=1\nalpha=2\nbeta=-500\nsize=99999\n[Source]\nphoto=a.png\n");
  impasto_run_settings_init (&settings);
  g_assert_true (impasto_picture_settings_read (picture, &settings, skipped, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (settings.set, ==, 1u << IMPASTO_RUN_SETTING_ALPHA);
  g_assert_cmpfloat (settings.alpha, ==, 2.0);
  g_assert_cmpuint (skipped->len, ==, 2);
  entry = g_ptr_array_index (skipped, 0);
  g_assert_cmpstr (entry->key, ==, "beta");
  entry = g_ptr_array_index (skipped, 1);
  g_assert_cmpstr (entry->key, ==, "size");

  cli_test_dir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/picture-settings/round-trip", test_round_trip);
  g_test_add_func ("/picture-settings/without-settings", test_without_settings);
  g_test_add_func ("/picture-settings/tampered", test_tampered);
  return g_test_run ();
}
