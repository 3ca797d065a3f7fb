/* impasto-cli-settings.c
 *
 * --preset and --settings-from (see impasto-cli-settings.h). A value from a file becomes the
 * flag's text, so that it meets exactly the checks a typed flag meets; the file's reader has
 * checked it once already, so a failure there is one of combination (a brush size too large for
 * the output), reported as any flag's.
 *
 * It does not know the flags' names beyond the settings' keys, which are the same.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-cli.h"
#include "impasto-cli-settings.h"
#include "impasto-picture-settings.h"
#include "impasto-presets.h"

static void
warn (const char *what,
      const char *key,
      const char *reason)
{
  g_printerr (_("%s: warning: %s: skipped %s: %s\n"), PROGRAM_NAME, what, key, reason);
}

gboolean
impasto_cli_settings_load (const char          *preset,
                           const char          *picture,
                           ImpastoRunSettings  *settings,
                           GError             **error)
{
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autofree char *what = NULL;

  g_assert ((preset == NULL) != (picture == NULL));

  impasto_run_settings_init (settings);
  if (preset != NULL)
    {
      if (!impasto_presets_load (preset, settings, skipped, error))
        return FALSE;
      what = g_strdup_printf (_("preset “%s”"), preset);
    }
  else
    {
      if (!impasto_picture_settings_read (picture, settings, skipped, NULL, error))
        return FALSE;
      what = g_filename_display_name (picture);
    }

  for (guint i = 0; i < skipped->len; i++)
    {
      const ImpastoSkippedSetting *entry = g_ptr_array_index (skipped, i);

      warn (what, entry->key, entry->reason);
    }
  return TRUE;
}

void
impasto_cli_settings_fill (const ImpastoRunSettings  *settings,
                           char                     **flags[IMPASTO_RUN_SETTING_N],
                           gboolean                  *upscale,
                           int                        n_styles,
                           gboolean                   init_image_typed,
                           const char                *what)
{
  gboolean size_typed = *flags[IMPASTO_RUN_SETTING_SIZE] != NULL
                        || *flags[IMPASTO_RUN_SETTING_WIDTH] != NULL
                        || *flags[IMPASTO_RUN_SETTING_HEIGHT] != NULL;

  for (int i = 0; i < IMPASTO_RUN_SETTING_N; i++)
    {
      const char *key = impasto_run_setting_key (i);
      g_autofree char *text = impasto_run_settings_value_text (settings, i);

      if (text == NULL)
        continue;

      switch (i)
        {
        case IMPASTO_RUN_SETTING_SIZE:
        case IMPASTO_RUN_SETTING_WIDTH:
        case IMPASTO_RUN_SETTING_HEIGHT:
          if (size_typed)
            continue;
          /* A file that gives both says one thing too many: its size wins. */
          if (i != IMPASTO_RUN_SETTING_SIZE
              && impasto_run_settings_has (settings, IMPASTO_RUN_SETTING_SIZE))
            {
              warn (what, key, _("the size is given too"));
              continue;
            }
          break;

        case IMPASTO_RUN_SETTING_INIT:
          if (init_image_typed)
            continue;
          break;

        case IMPASTO_RUN_SETTING_PAINTING_WEIGHTS:
          if (settings->n_painting_weights != n_styles && *flags[i] == NULL)
            {
              g_autofree char *reason =
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "it has %d weight, for %d paintings (--style)",
                                              "it has %d weights, for %d paintings (--style)",
                                              settings->n_painting_weights),
                                 settings->n_painting_weights, n_styles);

              warn (what, key, reason);
              continue;
            }
          break;

        case IMPASTO_RUN_SETTING_PAINTING_SCALES:
          if (settings->n_painting_scales != n_styles && settings->n_painting_scales != 1
              && *flags[i] == NULL)
            {
              g_autofree char *reason =
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "it has %d brush size, for %d paintings (--style)",
                                              "it has %d brush sizes, for %d paintings (--style)",
                                              settings->n_painting_scales),
                                 settings->n_painting_scales, n_styles);

              warn (what, key, reason);
              continue;
            }
          break;

        case IMPASTO_RUN_SETTING_STYLE_UPSCALE:
          *upscale = *upscale || settings->style_upscale;
          continue;

        default:
          break;
        }

      g_assert (flags[i] != NULL);
      if (*flags[i] == NULL)
        *flags[i] = g_steal_pointer (&text);
    }
}
