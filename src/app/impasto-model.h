/* impasto-model.h
 *
 * The VGG19 weights as a reference-counted GObject, so that the application, each window and each
 * running job can hold them for as long as they need them. The weights never change after loading
 * and are only read, so any thread may use them. Loading happens on a worker thread: instant from
 * the model cache, a few seconds the first time a MatConvNet .mat is read (and cached).
 *
 * This file does not search for the model (impasto-model-path.h does) and does not download it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "impasto-types.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

G_BEGIN_DECLS

/* Where the application's model stands (its `model-status` property). */
typedef enum
{
  IMPASTO_MODEL_STATUS_NONE,     /* not looked for yet */
  IMPASTO_MODEL_STATUS_LOADING,
  IMPASTO_MODEL_STATUS_READY,
  IMPASTO_MODEL_STATUS_MISSING,  /* nowhere to be found; the message says where we looked */
  IMPASTO_MODEL_STATUS_FAILED,   /* found but unusable; the message says why */
} ImpastoModelStatus;

#define IMPASTO_TYPE_MODEL_STATUS (impasto_model_status_get_type ())
GType impasto_model_status_get_type (void);

#define IMPASTO_TYPE_MODEL (impasto_model_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoModel, impasto_model, IMPASTO, MODEL, GObject)

/* Called on the main context of the caller of impasto_model_load_async() with 0..1 while a .mat
 * is read for the first time; updates may be merged. */
typedef void (*ImpastoModelLoadProgressFunc) (double   fraction,
                                              gpointer user_data);

/* Takes ownership of @weights. @path (may be NULL) is where they came from. */
ImpastoModel         *impasto_model_new_for_weights (ImpastoWeights *weights,
                                                     const char     *path);
/* @known_md5 (may be NULL) is the .mat's MD5 when the caller has verified it (a finished
 * download), so that the import need not read the whole file again to compute it. @progress
 * (may be NULL) and @progress_data must stay valid until @callback has run and the main context
 * has run its pending idles; the application passes itself, with a reference held by
 * @user_data. */
void                  impasto_model_load_async      (const char                   *path,
                                                     const char                   *known_md5,
                                                     ImpastoModelLoadProgressFunc  progress,
                                                     gpointer                      progress_data,
                                                     GCancellable                 *cancellable,
                                                     GAsyncReadyCallback           callback,
                                                     gpointer                      user_data);
ImpastoModel         *impasto_model_load_finish     (GAsyncResult  *result,
                                                     GError       **error);
const ImpastoWeights *impasto_model_get_weights     (ImpastoModel *self);
const char           *impasto_model_get_path        (ImpastoModel *self);
/* TRUE when this load read a .mat (and cached it) rather than using a cache. */
gboolean              impasto_model_get_imported    (ImpastoModel *self);
/* @channels gets IMPASTO_VGG19_N_CONVS + 1 entries, as impasto_weights_new() takes them. */
void                  impasto_model_get_channels    (ImpastoModel *self,
                                                     int          *channels);

/* Transforms the filters every run's networks read (impasto_vgg19_filters_new(), all 16
 * convs: 143 MB for VGG19) once, on a thread of its own, so that a run's first picture does not
 * wait for it; the application is held meanwhile. Once a model. */
void                       impasto_model_prepare_filters (ImpastoModel *self);
/* Those filters, or NULL until they are ready (a run then makes its own). Any thread; valid for
 * as long as the model. */
const ImpastoVgg19Filters *impasto_model_get_filters     (ImpastoModel *self);

G_END_DECLS
