/* impasto-model-path.h
 *
 * Where the VGG19 weights are. The CLI and the window look for the model in the same places, in
 * this order: a path the user gave explicitly (--model), the IMPASTO_MODEL environment variable,
 * a path from the application's settings, $XDG_DATA_HOME/impasto/ and the installed data folder.
 * A path that names a folder is searched for the file names below.
 *
 * This file does not open or validate the model (impasto_weights_load() does), and it does not
 * download anything: when nothing is found it says where it looked and how to get the file.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define IMPASTO_MODEL_PATH_ERROR (impasto_model_path_error_quark ())

typedef enum
{
  IMPASTO_MODEL_PATH_ERROR_NOT_FOUND,
} ImpastoModelPathError;

/* MatConvNet's published file name, and the usual name of Impasto's own model file (written by
 * `impasto-cli model import --output`, see impasto-weights-cache.h). Either is accepted wherever
 * a model is given; in a folder the .mat file is looked for first. */
#define IMPASTO_MODEL_FILE_NAME  "imagenet-vgg-verydeep-19.mat"
#define IMPASTO_MODEL_CACHE_NAME "vgg19.impasto"

/* The environment variable that names the model (a file or a folder). */
#define IMPASTO_MODEL_ENV "IMPASTO_MODEL"

GQuark impasto_model_path_error_quark (void);

/* Returns the model's path, or NULL with IMPASTO_MODEL_PATH_ERROR_NOT_FOUND and a message (several
 * lines) listing every place that was looked at and how to get the model.
 *
 * @explicit_path (may be NULL) and the IMPASTO_MODEL variable are taken at their word: if one is
 * set and names nothing usable, that is the error, with no fallback to other places, so that a
 * typo never silently runs another model. @settings_path (may be NULL or "") is a preference: if
 * it names nothing, the standard folders are searched. */
char *impasto_model_path_find (const char  *explicit_path,
                               const char  *settings_path,
                               GError     **error);

G_END_DECLS
