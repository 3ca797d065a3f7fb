/* impasto-presets.h
 *
 * Named settings a painter picks from: the built-in presets, compiled into the program (a
 * GResource of the files in src/common/presets/, each documented with its values in README.md,
 * which a test compares), and the user's own, one settings file (impasto-run-settings.h) each,
 * in $XDG_CONFIG_HOME/impasto/presets/NAME.preset, written atomically. impasto-cli's --preset
 * and the window's presets menu both come here.
 *
 * This file does not apply a preset; the CLI and the window do, each with what it has.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-run-settings.h"

G_BEGIN_DECLS

#define IMPASTO_PRESET_SUFFIX ".preset"
#define IMPASTO_PRESET_NAME_MAX 64

typedef struct
{
  const char *id;           /* for --preset and the README: "bold-strokes" */
  const char *name;         /* translatable (N_()): "Bold Strokes" */
  const char *description;  /* translatable (N_()): what it does to the picture */
} ImpastoBuiltinPreset;

guint                       impasto_presets_n_builtin     (void);
const ImpastoBuiltinPreset *impasto_presets_get_builtin   (guint       index);
/* The built-in preset @id, or NULL. */
const ImpastoBuiltinPreset *impasto_presets_find_builtin  (const char *id);

/* $XDG_CONFIG_HOME/impasto/presets */
char      *impasto_presets_user_dir       (void);
/* The user's presets' names, sorted (files NAME.preset in the folder above); never NULL. */
GStrv      impasto_presets_list_user      (void);
/* The built-in ids and then the user's names, comma-separated, for messages. */
char      *impasto_presets_describe_available (void);

/* A name a user preset may have: 1 to IMPASTO_PRESET_NAME_MAX characters of UTF-8, no '/', no
 * control character, not starting with '.', and not a built-in's id. FALSE with a sentence in
 * @error (G_FILE_ERROR_INVAL) otherwise. */
gboolean   impasto_presets_check_name     (const char  *name,
                                           GError     **error);

/* Reads @preset into @settings: a built-in id, else a user preset's name, else (when it holds a
 * '/' or ends in ".preset") a file. Keys it cannot take go to @skipped (may be NULL). An unknown
 * name is G_FILE_ERROR_NOENT, with a message listing the presets there are. */
gboolean   impasto_presets_load           (const char          *preset,
                                           ImpastoRunSettings  *settings,
                                           GPtrArray           *skipped,
                                           GError             **error);
/* Writes @settings as the user preset @name (checked as above), replacing one of that name;
 * returns the file's path (free it), NULL with @error. */
char      *impasto_presets_save           (const char                *name,
                                           const ImpastoRunSettings  *settings,
                                           GError                   **error);

G_END_DECLS
