/* impasto-application.h
 *
 * The application: `impasto [--model FILE] [--start] [CONTENT [STYLE]]`, one window per
 * invocation, and the VGG19 model shared by all windows. The model is looked for where
 * impasto-model-path.h says, loaded on a worker thread, and its state is published as properties
 * (`model`, `model-status`, `model-message`, `model-progress`) that the windows follow by name.
 * Windows ask for another model with the `app.load-model` action (a path), and say that a
 * verified download arrived with their `model-downloaded` signal, so that they need not know this
 * class.
 *
 * This file does not paint; windows and their jobs do.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "impasto-model.h"
#include "impasto-types.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_APPLICATION (impasto_application_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoApplication, impasto_application, IMPASTO, APPLICATION,
                      AdwApplication)

/* G_APPLICATION_HANDLES_COMMAND_LINE is always added to @flags. */
ImpastoApplication *impasto_application_new               (const char        *application_id,
                                                           GApplicationFlags  flags);
ImpastoModel       *impasto_application_get_model         (ImpastoApplication *self);
ImpastoModelStatus  impasto_application_get_model_status  (ImpastoApplication *self);
const char         *impasto_application_get_model_message (ImpastoApplication *self);
/* 0..1 while a .mat is read for the first time, -1 otherwise (the "model-progress" property). */
double              impasto_application_get_model_progress (ImpastoApplication *self);
/* Uses @model from now on (a test's in-memory network, for instance). */
void                impasto_application_set_model         (ImpastoApplication *self,
                                                           ImpastoModel       *model);
/* Loads @path in the background; on success it becomes the model and is remembered. */
void                impasto_application_load_model        (ImpastoApplication *self,
                                                           const char         *path);
/* The same for a .mat whose MD5 a download has just verified (@md5, 32 hex digits). */
void                impasto_application_load_downloaded_model (ImpastoApplication *self,
                                                               const char         *path,
                                                               const char         *md5);

G_END_DECLS
