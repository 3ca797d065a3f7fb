/* impasto-model.c
 *
 * Holds one ImpastoWeights and frees it with the last reference; loads a model in a GTask thread
 * through the model store (a cache is mapped at once; a .mat is read and cached the first time),
 * passing the store's progress to the main context as the latest value only, at most once per
 * main-loop turn. See impasto-model.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-model"

#include "config.h"

#include "impasto-error.h"
#include "impasto-latest-slot.h"
#include "impasto-model.h"
#include "impasto-model-store.h"
#include "impasto-vgg19.h"

struct _ImpastoModel
{
  GObject parent_instance;
  ImpastoWeights *weights;
  char *path;
  gboolean imported;

  /* The filters every run's networks read, made once on a thread of their own
   * (impasto_model_prepare_filters()); set once under the lock, then never changed until
   * finalize. */
  GMutex filters_lock;
  ImpastoVgg19Filters *filters;
  gboolean filters_started;
};

/* One load: what the thread needs, and the progress hand-off to the main context. */
typedef struct
{
  char *path;
  char *known_md5;                     /* the .mat's MD5 when a verified download gave it */
  ImpastoModelLoadProgressFunc progress;
  gpointer progress_data;
  ImpastoLatestSlot *slot;             /* of double *, to the caller's main context */
} LoadData;

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (ImpastoModelStatus, impasto_model_status,
                    G_DEFINE_ENUM_VALUE (IMPASTO_MODEL_STATUS_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_MODEL_STATUS_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_MODEL_STATUS_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_MODEL_STATUS_MISSING, "missing"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_MODEL_STATUS_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (ImpastoModel, impasto_model, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
impasto_model_finalize (GObject *object)
{
  ImpastoModel *self = (ImpastoModel *) object;

  /* The preparing thread holds a reference: by now it is done. The nets that read the filters
   * belong to jobs, which hold references too. */
  g_clear_pointer (&self->filters, impasto_vgg19_filters_free);
  g_mutex_clear (&self->filters_lock);
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
  g_mutex_init (&self->filters_lock);
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
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->path);
  g_free (load->known_md5);
  g_clear_pointer (&load->slot, impasto_latest_slot_unref);
  g_free (load);
}

/* On the caller's main context, while the task is alive (the slot watches it). */
static void
report_progress (gpointer  value,
                 GArray   *records,
                 gpointer  user_data)
{
  LoadData *load = user_data;

  load->progress (*(double *) value, load->progress_data);
}

/* From the loading thread (or the store's progress thread). */
static void
on_store_progress (double   fraction,
                   gpointer user_data)
{
  GTask *task = user_data;
  LoadData *load = g_task_get_task_data (task);

  impasto_latest_slot_push (load->slot, g_memdup2 (&fraction, sizeof fraction));
}

static void
impasto_model_load_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  LoadData *load = task_data;
  ImpastoModelOrigin origin = IMPASTO_MODEL_ORIGIN_CACHED;
  ImpastoWeights *weights;
  ImpastoModel *model;
  GError *error = NULL;

  g_assert (load != NULL && load->path != NULL);

  weights = impasto_model_store_load (load->path, load->known_md5,
                                      load->progress != NULL ? on_store_progress : NULL, task,
                                      &origin, &error);
  if (weights == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  model = impasto_model_new_for_weights (weights, load->path);
  model->imported = origin == IMPASTO_MODEL_ORIGIN_IMPORTED;
  g_task_return_pointer (task, model, g_object_unref);
}

void
impasto_model_load_async (const char                   *path,
                          const char                   *known_md5,
                          ImpastoModelLoadProgressFunc  progress,
                          gpointer                      progress_data,
                          GCancellable                 *cancellable,
                          GAsyncReadyCallback           callback,
                          gpointer                      user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (LoadData, 1);
  load->path = g_strdup (path);
  load->known_md5 = g_strdup (known_md5);
  load->progress = progress;
  load->progress_data = progress_data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, impasto_model_load_async);
  if (progress != NULL)
    {
      /* The priority of GTask's own completion, so progress is never overtaken by the result. */
      load->slot = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, g_free, 0, report_progress,
                                            load);
      impasto_latest_slot_set_name (load->slot, "[impasto] model progress");
      impasto_latest_slot_watch_object (load->slot, task);
    }
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, impasto_model_load_thread);
}

gboolean
impasto_model_get_imported (ImpastoModel *self)
{
  g_return_val_if_fail (IMPASTO_IS_MODEL (self), FALSE);

  return self->imported;
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

/* Filters ------------------------------------------------------------------------------------ */

static void
prepare_filters_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ImpastoModel *self = source_object;
  ImpastoVgg19Filters *filters = NULL;
  ImpastoEngineError error = { 0 };

  /* Background work: the window and a run that starts meanwhile come first. */
  if (impasto_vgg19_filters_new (&filters, self->weights, IMPASTO_VGG19_N_CONVS - 1, &error)
      != IMPASTO_STATUS_OK)
    {
      /* Not fatal: each run then transforms the filters it needs itself, as it always could. */
      g_debug ("no shared filters: %s", error.message);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_mutex_lock (&self->filters_lock);
  self->filters = filters;
  g_mutex_unlock (&self->filters_lock);
  g_task_return_boolean (task, TRUE);
}

static void
prepare_filters_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GApplication *app = user_data;

  if (app != NULL)
    {
      g_application_release (app);
      g_object_unref (app);
    }
}

void
impasto_model_prepare_filters (ImpastoModel *self)
{
  g_autoptr(GTask) task = NULL;
  GApplication *app = g_application_get_default ();

  g_return_if_fail (IMPASTO_IS_MODEL (self));

  if (self->filters_started)
    return;
  self->filters_started = TRUE;
  /* The application stays up until the thread is done, so that no process ends under it. */
  if (app != NULL)
    {
      g_object_ref (app);
      g_application_hold (app);
    }
  task = g_task_new (self, NULL, prepare_filters_done, app);
  g_task_set_source_tag (task, impasto_model_prepare_filters);
  g_task_set_name (task, "[impasto] filters");
  g_task_run_in_thread (task, prepare_filters_thread);
}

const ImpastoVgg19Filters *
impasto_model_get_filters (ImpastoModel *self)
{
  const ImpastoVgg19Filters *filters;

  g_return_val_if_fail (IMPASTO_IS_MODEL (self), NULL);

  g_mutex_lock (&self->filters_lock);
  filters = self->filters;
  g_mutex_unlock (&self->filters_lock);
  return filters;
}
