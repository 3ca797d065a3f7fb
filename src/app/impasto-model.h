/* impasto-model.h
 *
 * The VGG19 weights as a reference-counted GObject, so that the application, each window and each
 * running job can hold them for as long as they need them. The weights never change after loading
 * and are only read, so any thread may use them. Loading a full MatConvNet file takes a while
 * (about 20 s), so it happens on a worker thread.
 *
 * This file does not search for the model (impasto-model-path.h does) and does not download it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "impasto-types.h"
#include "impasto-weights.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_MODEL (impasto_model_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoModel, impasto_model, IMPASTO, MODEL, GObject)

/* Takes ownership of @weights. @path (may be NULL) is where they came from. */
ImpastoModel         *impasto_model_new_for_weights (ImpastoWeights *weights,
                                                     const char     *path);
void                  impasto_model_load_async      (const char          *path,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
ImpastoModel         *impasto_model_load_finish     (GAsyncResult  *result,
                                                     GError       **error);
const ImpastoWeights *impasto_model_get_weights     (ImpastoModel *self);
const char           *impasto_model_get_path        (ImpastoModel *self);
/* @channels gets IMPASTO_VGG19_N_CONVS + 1 entries, as impasto_weights_new() takes them. */
void                  impasto_model_get_channels    (ImpastoModel *self,
                                                     int          *channels);

G_END_DECLS
