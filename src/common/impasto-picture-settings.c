/* impasto-picture-settings.c
 *
 * The text a saved picture carries and reading it back (see impasto-picture-settings.h). The
 * checksums are SHA-256 of the files as they are on disk when the picture is saved; the names are
 * base names only, so that a picture says nothing about the folders of whoever made it.
 *
 * This file does not compare the checksums with anything: the settings are restored whatever
 * the inputs are now.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-picture-settings"

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-error.h"
#include "impasto-file-io.h"
#include "impasto-image.h"
#include "impasto-picture-settings.h"

/* Characters a name keeps as they are; anything else (non-ASCII too) is percent-encoded. */
#define NAME_RESERVED_ALLOWED " !$&'()*+,;=@[]"

/* The SHA-256 of the file at @path as hex, or NULL when it cannot be read. */
static char *
file_sha256 (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean read_ok;

  if (fd < 0)
    return NULL;
  read_ok = impasto_checksum_fd (checksum, fd, NULL, NULL);
  close (fd);
  return read_ok ? g_strdup (g_checksum_get_string (checksum)) : NULL;
}

static void
add_file (GKeyFile   *key_file,
          const char *key,
          const char *path)
{
  g_autofree char *base = NULL;
  g_autofree char *utf8 = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *sha_key = NULL;
  g_autofree char *sha = NULL;

  if (path == NULL)
    return;
  base = g_path_get_basename (path);
  utf8 = g_filename_display_name (base);
  escaped = g_uri_escape_string (utf8, NAME_RESERVED_ALLOWED, FALSE);
  g_key_file_set_string (key_file, IMPASTO_PICTURE_SOURCE_GROUP, key, escaped);
  sha = file_sha256 (path);
  if (sha != NULL)
    {
      sha_key = g_strconcat (key, "-sha256", NULL);
      g_key_file_set_string (key_file, IMPASTO_PICTURE_SOURCE_GROUP, sha_key, sha);
    }
}

char *
impasto_picture_settings_text (const ImpastoRunSettings   *settings,
                               const ImpastoPictureSource *source)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  impasto_run_settings_to_key_file (settings, key_file);
  g_key_file_set_string (key_file, IMPASTO_PICTURE_SOURCE_GROUP, "impasto-version",
                         PACKAGE_VERSION);
  if (source->model_md5 != NULL)
    g_key_file_set_string (key_file, IMPASTO_PICTURE_SOURCE_GROUP, "model-md5",
                           source->model_md5);
  add_file (key_file, "photo", source->photo_path);
  for (int i = 0; i < source->n_paintings; i++)
    {
      g_autofree char *key = g_strdup_printf ("painting-%d", i + 1);

      add_file (key_file, key, source->painting_paths[i]);
    }
  return g_key_file_to_data (key_file, NULL, NULL);
}

gboolean
impasto_picture_settings_read (const char          *path,
                               ImpastoRunSettings  *settings,
                               GPtrArray           *skipped,
                               GKeyFile           **source_out,
                               GError             **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *display = NULL;
  const char *text;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  pixbuf = gdk_pixbuf_new_from_file (path, error);
  if (pixbuf == NULL)
    return FALSE;

  text = gdk_pixbuf_get_option (pixbuf, "tEXt::" IMPASTO_PICTURE_SETTINGS_KEY);
  if (text == NULL
      || !g_key_file_load_from_data (key_file, text, -1, G_KEY_FILE_NONE, NULL)
      || !g_key_file_has_group (key_file, IMPASTO_RUN_SETTINGS_GROUP))
    {
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FAILED,
                   _("%s carries no Impasto settings: only PNG pictures saved by Impasto have "
                     "them"), display);
      return FALSE;
    }

  if (!impasto_run_settings_load_key_file (settings, key_file, skipped, error))
    return FALSE;

  if (source_out != NULL)
    {
      GKeyFile *source = g_key_file_new ();
      g_auto(GStrv) keys = g_key_file_get_keys (key_file, IMPASTO_PICTURE_SOURCE_GROUP, NULL,
                                                NULL);

      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_autofree char *value = g_key_file_get_value (key_file, IMPASTO_PICTURE_SOURCE_GROUP,
                                                         keys[i], NULL);

          g_key_file_set_value (source, IMPASTO_PICTURE_SOURCE_GROUP, keys[i], value);
        }
      *source_out = source;
    }
  return TRUE;
}
