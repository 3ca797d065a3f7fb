/* impasto-model-path.c
 *
 * The model search: a short, fixed list of places tried in order, each recorded as it is tried
 * so that the failure message can list them all, followed by where the file comes from.
 *
 * This file does not read the model, check that it is VGG19, or remember where it was found.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-model-path"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "impasto-model-path.h"

G_DEFINE_QUARK (impasto-model-path-error-quark, impasto_model_path_error)

static const char * const model_names[] = {
  IMPASTO_MODEL_FILE_NAME,
  IMPASTO_MODEL_CACHE_NAME,
};

static void
note_looked (GString    *looked,
             const char *path,
             const char *origin)
{
  g_autofree char *display_name = g_filename_display_name (path);

  g_string_append_printf (looked, "  %s (%s)\n", display_name, origin);
}

/* @path is a model file or a folder holding one (always a folder if @folder, existing or not).
 * Returns the file, or NULL after noting in @looked every path tried. */
static char *
try_location (const char *path,
              gboolean    folder,
              const char *origin,
              GString    *looked)
{
  if (folder || g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      for (guint i = 0; i < G_N_ELEMENTS (model_names); i++)
        {
          g_autofree char *candidate = g_build_filename (path, model_names[i], NULL);

          if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
            return g_steal_pointer (&candidate);
          note_looked (looked, candidate, origin);
        }
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_strdup (path);

  note_looked (looked, path, origin);
  return NULL;
}

static void
set_not_found (GError     **error,
               GString     *looked)
{
  g_autofree char *user_dir = g_build_filename (g_get_user_data_dir (), "impasto", NULL);
  g_autofree char *display_user_dir = g_filename_display_name (user_dir);

  g_set_error (error, IMPASTO_MODEL_PATH_ERROR, IMPASTO_MODEL_PATH_ERROR_NOT_FOUND,
               _("Could not find the VGG19 model. Looked for:\n"
                 "%s"
                 "The model is MatConvNet's %s from the Visual Geometry Group, University of "
                 "Oxford (about 510 MB; https://www.vlfeat.org/matconvnet/pretrained/).\n"
                 "Put it in "
                 "%s, set %s to its path, or pass --model PATH."),
               looked->str, IMPASTO_MODEL_FILE_NAME, display_user_dir, IMPASTO_MODEL_ENV);
}

char *
impasto_model_path_find (const char  *explicit_path,
                         const char  *settings_path,
                         GError     **error)
{
  g_autoptr(GString) looked = g_string_new (NULL);
  g_autofree char *user_dir = NULL;
  const char *env_path;
  char *found;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Taken at their word: no fallback, so that a typo never runs a different model. */
  if (explicit_path != NULL && explicit_path[0] != '\0')
    {
      found = try_location (explicit_path, FALSE, _("given with --model"), looked);
      if (found == NULL)
        set_not_found (error, looked);
      return found;
    }

  env_path = g_getenv (IMPASTO_MODEL_ENV);
  if (env_path != NULL && env_path[0] != '\0')
    {
      g_autofree char *origin = g_strdup_printf (_("from %s"), IMPASTO_MODEL_ENV);

      found = try_location (env_path, FALSE, origin, looked);
      if (found == NULL)
        set_not_found (error, looked);
      return found;
    }
  g_string_append_printf (looked, "  $%s (%s)\n", IMPASTO_MODEL_ENV, _("not set"));

  if (settings_path != NULL && settings_path[0] != '\0')
    {
      found = try_location (settings_path, FALSE, _("from the preferences"), looked);
      if (found != NULL)
        return found;
    }

  user_dir = g_build_filename (g_get_user_data_dir (), "impasto", NULL);
  found = try_location (user_dir, TRUE, _("your data folder"), looked);
  if (found != NULL)
    return found;

  found = try_location (PKGDATADIR, TRUE, _("the installed data folder"), looked);
  if (found != NULL)
    return found;

  set_not_found (error, looked);
  return NULL;
}
