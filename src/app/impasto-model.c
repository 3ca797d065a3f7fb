/* impasto-model.c
 *
 * Holds one ImpastoWeights and frees it with the last reference; loads a .mat file in a GTask
 * thread. See impasto-model.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-model"

#include "config.h"

#include "impasto-error.h"
#include "impasto-model.h"

struct _ImpastoModel
{
  GObject parent_instance;
  ImpastoWeights *weights;
  char *path;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoModel, impasto_model, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
impasto_model_finalize (GObject *object)
{
  ImpastoModel *self = (ImpastoModel *) object;

  g_clear_pointer (&self->weights, impasto_weights_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (impasto_model_parent_class)->finalize (object);
}

static void
impasto_model_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ImpastoModel *self = IMPASTO_MODEL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_model_class_init (ImpastoModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = impasto_model_finalize;
  object_class->get_property = impasto_model_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
impasto_model_init (ImpastoModel *self)
{
}

ImpastoModel *
impasto_model_new_for_weights (ImpastoWeights *weights,
                               const char     *path)
{
  ImpastoModel *self;

  g_return_val_if_fail (weights != NULL, NULL);

  self = g_object_new (IMPASTO_TYPE_MODEL, NULL);
  self->weights = weights;
  self->path = g_strdup (path);
  return self;
}

static void
impasto_model_load_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  const char *path = task_data;
  ImpastoWeights *weights = NULL;
  ImpastoError engine_error = { 0 };
  ImpastoStatus status;
  GError *error = NULL;

  g_assert (path != NULL);

  status = impasto_weights_load (&weights, path, &engine_error);
  if (status != IMPASTO_OK)
    {
      impasto_error_set_from_engine (&error, status, &engine_error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, impasto_model_new_for_weights (weights, path), g_object_unref);
}

void
impasto_model_load_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, impasto_model_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, impasto_model_load_thread);
}

ImpastoModel *
impasto_model_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const ImpastoWeights *
impasto_model_get_weights (ImpastoModel *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL (self), NULL);

  return self->weights;
}

const char *
impasto_model_get_path (ImpastoModel *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL (self), NULL);

  return self->path;
}

void
impasto_model_get_channels (ImpastoModel *self,
                            int          *channels)
{
  g_return_if_fail (IMPASTO_IS_MODEL (self));
  g_return_if_fail (channels != NULL);

  channels[0] = 3;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    channels[i + 1] = self->weights->convs[i].out_channels;
}
