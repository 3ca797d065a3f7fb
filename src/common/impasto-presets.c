/* impasto-presets.c
 *
 * The built-in presets as settings files compiled in as a GResource (src/common/presets/), and
 * the user's presets as files in
 * $XDG_CONFIG_HOME/impasto/presets (see impasto-presets.h). The built-ins say every setting of
 * the look (not the paintings' weights and brush sizes, which belong to the paintings at hand), so
 * that picking one after another gives the same result whatever came before. Their values are
 * listed in README.md, "Presets"; tests/common/test-presets.c checks the two agree.
 *
 * This file does not apply a preset to a run, nor list presets in a menu.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-presets"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-presets.h"
#include "impasto-presets-resources.h"

#define RESOURCE_PATH "/org/impasto/Impasto/presets/"

/* The built-ins' resource, registered the first time one is read. */
static gsize registered;

static const ImpastoBuiltinPreset builtins[] = {
  { "default", N_("The Method’s Defaults"),
    N_("The weights, layers and optimiser of Gatys et al., at 512 pixels") },
  { "light-touch", N_("Light Touch"),
    N_("A little of the painting over the photo, which keeps its shapes and colours") },
  { "bold-strokes", N_("Bold Strokes"),
    N_("Much more of the painting, its larger patterns first, over looser shapes") },
  { "fast-preview", N_("Fast Preview"),
    N_("The method’s look, small and in a fifth of the steps, to try a painting quickly") },
};

guint
impasto_presets_n_builtin (void)
{
  return G_N_ELEMENTS (builtins);
}

const ImpastoBuiltinPreset *
impasto_presets_get_builtin (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (builtins), NULL);

  return &builtins[index];
}

const ImpastoBuiltinPreset *
impasto_presets_find_builtin (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_str_equal (builtins[i].id, id))
      return &builtins[i];
  return NULL;
}

char *
impasto_presets_user_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "impasto", "presets", NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

GStrv
impasto_presets_list_user (void)
{
  g_autofree char *dir_path = impasto_presets_user_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;

      if (entry[0] == '.' || !g_str_has_suffix (entry, IMPASTO_PRESET_SUFFIX))
        continue;
      name = g_filename_to_utf8 (entry, strlen (entry) - strlen (IMPASTO_PRESET_SUFFIX), NULL,
                                 NULL, NULL);
      if (name != NULL && impasto_presets_check_name (name, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_steal (names, NULL);
}

char *
impasto_presets_describe_available (void)
{
  g_auto(GStrv) user = impasto_presets_list_user ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", builtins[i].id);
  for (guint i = 0; user[i] != NULL; i++)
    g_string_append_printf (text, ", %s", user[i]);
  return g_string_free (text, FALSE);
}

gboolean
impasto_presets_check_name (const char  *name,
                            GError     **error)
{
  const char *reason = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  if (!g_utf8_validate (name, -1, NULL))
    reason = _("it is not valid text");
  else if (name[0] == '\0' || g_utf8_strlen (name, -1) > IMPASTO_PRESET_NAME_MAX)
    reason = _("it needs from 1 to 64 characters");
  else if (name[0] == '.' || g_ascii_isspace (name[0]))
    reason = _("it cannot start with a dot or a space");
  else if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL)
    reason = _("it cannot hold a slash");
  else if (impasto_presets_find_builtin (name) != NULL)
    reason = _("a built-in preset has that name");
  else
    for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          reason = _("it cannot hold control characters");
          break;
        }

  if (reason != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("“%s” cannot be a preset’s name: %s"), g_utf8_validate (name, -1, NULL)
                                                            ? name : "?", reason);
      return FALSE;
    }
  return TRUE;
}

static char *
user_path (const char *name)
{
  g_autofree char *dir = impasto_presets_user_dir ();
  g_autofree char *file_name = g_strconcat (name, IMPASTO_PRESET_SUFFIX, NULL);
  g_autofree char *native = g_filename_from_utf8 (file_name, -1, NULL, NULL, NULL);

  return native != NULL ? g_build_filename (dir, native, NULL) : NULL;
}

static gboolean
load_file (const char          *path,
           ImpastoRunSettings  *settings,
           GPtrArray           *skipped,
           GError             **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error)
      || !impasto_run_settings_load_key_file (settings, key_file, skipped, &local_error))
    {
      if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, G_FILE_ERROR, local_error->code, _("Cannot read the preset %s: %s"),
                     display, local_error->message);
      else
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     _("%s is not an Impasto preset (%s)"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
impasto_presets_load (const char          *preset,
                      ImpastoRunSettings  *settings,
                      GPtrArray           *skipped,
                      GError             **error)
{
  const ImpastoBuiltinPreset *builtin;
  g_autofree char *path = NULL;

  g_return_val_if_fail (preset != NULL, FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  builtin = impasto_presets_find_builtin (preset);
  if (builtin != NULL)
    {
      g_autofree char *resource = g_strconcat (RESOURCE_PATH, builtin->id, IMPASTO_PRESET_SUFFIX,
                                               NULL);
      g_autoptr(GBytes) text = NULL;
      gboolean loaded;

      if (g_once_init_enter (&registered))
        {
          impasto_presets_register_resource ();
          g_once_init_leave (&registered, 1);
        }
      text = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      g_assert (text != NULL);
      loaded = impasto_run_settings_load_data (settings, g_bytes_get_data (text, NULL),
                                               (gssize) g_bytes_get_size (text), skipped, error);
      g_assert (loaded);
      return loaded;
    }

  if (impasto_presets_check_name (preset, NULL))
    {
      path = user_path (preset);
      if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return load_file (path, settings, skipped, error);
    }

  if (strchr (preset, G_DIR_SEPARATOR) != NULL || g_str_has_suffix (preset, IMPASTO_PRESET_SUFFIX))
    return load_file (preset, settings, skipped, error);

  {
    g_autofree char *available = impasto_presets_describe_available ();

    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("There is no preset “%s”; the presets are: %s (or give a file, as a path "
                   "with a / or ending in .preset)"), preset, available);
  }
  return FALSE;
}

char *
impasto_presets_save (const char                *name,
                      const ImpastoRunSettings  *settings,
                      GError                   **error)
{
  g_autofree char *dir = impasto_presets_user_dir ();
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!impasto_presets_check_name (name, error))
    return NULL;
  path = user_path (name);
  if (path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("“%s” cannot be a file name on this system"), name);
      return NULL;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot make the presets folder %s: %s"), display,
                   g_strerror (saved_errno));
      return NULL;
    }

  data = impasto_run_settings_to_data (settings, &length);
  /* A temporary file beside it, flushed and renamed over: never a half-written preset. */
  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, local_error->code, _("Cannot save the preset “%s”: %s"),
                   name, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&path);
}
