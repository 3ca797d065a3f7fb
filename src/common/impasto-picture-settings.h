/* impasto-picture-settings.h
 *
 * The settings a saved picture carries: a PNG tEXt chunk named "Impasto" holding the settings
 * file (impasto-run-settings.h) and a `[Source]` group with what else made the picture: Impasto's
 * version, the model's MD5 when known, and the photo's and the paintings' file names (percent-
 * encoded, so that the text stays ASCII, which the chunk needs) with their SHA-256 checksums.
 * JPEG pictures carry nothing: gdk-pixbuf's JPEG saver cannot write a comment.
 *
 * This file does not save pictures (impasto-image.h does, given the text) nor apply settings.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-run-settings.h"

G_BEGIN_DECLS

/* The tEXt chunk's keyword. */
#define IMPASTO_PICTURE_SETTINGS_KEY "Impasto"
#define IMPASTO_PICTURE_SOURCE_GROUP "Source"

/* What made the picture, besides the settings; every field may be NULL. */
typedef struct
{
  const char *model_md5;              /* 32 hex digits */
  const char *photo_path;             /* a file (a pasted photo has none) */
  const char * const *painting_paths; /* @n_paintings files, each may be NULL */
  int n_paintings;
} ImpastoPictureSource;

/* The chunk's text for @settings and @source. Reads the photo and the paintings to checksum
 * them (a file that cannot be read gets no checksum): call it off the main thread in the app. */
char     *impasto_picture_settings_text (const ImpastoRunSettings   *settings,
                                         const ImpastoPictureSource *source);

/* Reads the settings that the picture at @path carries into @settings (as
 * impasto_run_settings_load_key_file() does: what cannot be taken goes to @skipped, may be NULL)
 * and, when @source_out is not NULL, its `[Source]` group as a key file (free it). A picture
 * that cannot be read is an IMPASTO_IMAGE_ERROR or G_FILE_ERROR; one without Impasto's settings
 * is IMPASTO_ERROR_FAILED with a message saying so. */
gboolean  impasto_picture_settings_read (const char          *path,
                                         ImpastoRunSettings  *settings,
                                         GPtrArray           *skipped,
                                         GKeyFile           **source_out,
                                         GError             **error);

G_END_DECLS
