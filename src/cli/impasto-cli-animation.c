/* impasto-cli-animation.c
 *
 * impasto-cli's --animation flags and the writing of the animation; see impasto-cli-animation.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "impasto-animation.h"
#include "impasto-cli-animation.h"
#include "impasto-image.h"

static gboolean
parse_bounded (const char  *flag,
               const char  *text,
               int          min,
               int          max,
               int         *out,
               GError     **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s needs a whole number from %d to %d, not “%s”"), flag, min, max, text);
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

/* A .webp name in a folder that exists and may be written into. */
static gboolean
check_path (const char  *path,
            GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *display_dir = g_filename_display_name (dir);

  if (!g_str_has_suffix (lower, ".webp"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--animation needs a file name ending in .webp, not “%s”"), display);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--animation: cannot write %s: it is a folder"), display);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) || g_access (dir, W_OK | X_OK) != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--animation: cannot write %s: the folder %s does not exist or is not "
                     "writable"), display, display_dir);
      return FALSE;
    }
  return TRUE;
}

gboolean
impasto_cli_animation_parse (CliAnimation  *animation,
                             const char    *path,
                             const char    *frames,
                             const char    *size,
                             GError       **error)
{
  guint64 bytes;

  animation->frames = IMPASTO_CLI_ANIMATION_DEFAULT_FRAMES;
  animation->size = IMPASTO_CLI_ANIMATION_DEFAULT_SIZE;
  if (path == NULL)
    {
      if (frames != NULL || size != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s needs --animation FILE.webp"),
                       frames != NULL ? "--animation-frames" : "--animation-size");
          return FALSE;
        }
      return TRUE;
    }
  if (!check_path (path, error)
      || (frames != NULL
          && !parse_bounded ("--animation-frames", frames, IMPASTO_ANIMATION_MIN_FRAMES,
                             IMPASTO_ANIMATION_MAX_FRAMES, &animation->frames, error))
      || (size != NULL
          && !parse_bounded ("--animation-size", size, IMPASTO_ANIMATION_MIN_SIZE,
                             IMPASTO_ANIMATION_MAX_SIZE, &animation->size, error)))
    return FALSE;

  bytes = (2 * (guint64) animation->frames + 1) * animation->size * animation->size * 3;
  if (bytes > IMPASTO_CLI_ANIMATION_MAX_BYTES)
    {
      g_autofree char *need = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (IMPASTO_CLI_ANIMATION_MAX_BYTES,
                                                   G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--animation-frames %d at --animation-size %d could keep %s of frames, more "
                     "than %s: ask for fewer frames or a smaller size"),
                   animation->frames, animation->size, need, limit);
      return FALSE;
    }

  animation->path = g_strdup (path);
  return TRUE;
}

ImpastoFilm *
impasto_cli_animation_new_film (const CliAnimation *animation)
{
  g_return_val_if_fail (animation->path != NULL, NULL);

  /* Twice the frames asked for: after thinning at least as many are left to pick from. */
  return impasto_film_new (2 * animation->frames, animation->size);
}

gboolean
impasto_cli_animation_write (const CliAnimation  *animation,
                             ImpastoFilm         *film,
                             const char          *label,
                             char               **message,
                             GError             **error)
{
  g_autofree char *display = NULL;
  int written = 0;
  int width;
  int height;

  g_return_val_if_fail (animation->path != NULL, FALSE);
  g_return_val_if_fail (film != NULL, FALSE);

  if (!impasto_animation_write (film, animation->path, animation->frames, animation->size, NULL,
                                NULL, NULL, &written, error))
    return FALSE;
  impasto_film_get_frame_size (film, &width, &height);
  if (MAX (width, height) > animation->size)
    impasto_image_fit_size (width, height, animation->size, &width, &height);
  display = g_filename_display_name (animation->path);
  *message = g_strdup_printf (g_dngettext (NULL, "%s: wrote the animation %s: %d frame, %d × %d\n",
                                           "%s: wrote the animation %s: %d frames, %d × %d\n",
                                           written),
                              label, display, written, width, height);
  return TRUE;
}

void
impasto_cli_animation_clear (CliAnimation *animation)
{
  g_clear_pointer (&animation->path, g_free);
}
