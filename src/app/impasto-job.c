/* impasto-job.c
 *
 * A run of the engine on a GTask thread (see impasto-job.h): the object, its main thread and its
 * public calls; the worker itself is impasto-job-worker.c.
 *
 * Threads: the fields under "Main thread" are touched only there. The worker reads the fields
 * fixed at creation, and shares the rest through @handoff (live parameters), @run_mutex/@run_cond
 * (pause, frame saving, brush sizes, regions, and @pokes: the changes a resting preview wakes up
 * for), atomics (@iterations, @worker_iteration, @last_scale, @painting_passes, @region_sets,
 * @colors) and the frame slot, whose idle calls
 * impasto_job_apply_frame() on the main thread. Two GTasks are used: the inner one runs the
 * worker, and its callback delivers the last frame and sets the final state before the outer
 * task (the caller's) completes, so that a caller always sees the final picture first.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-job"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "impasto-colors-inputs.h"
#include "impasto-frame.h"
#include "impasto-image.h"
#include "impasto-job.h"
#include "impasto-job-private.h"
#include "impasto-latest-slot.h"
#include "impasto-model.h"
#include "impasto-picture-colors.h"

G_DEFINE_ENUM_TYPE (ImpastoJobState, impasto_job_state,
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_PREPARING, "preparing"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_PAUSED, "paused"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_FINISHED, "finished"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_JOB_PREVIEWED, "previewed"))


enum {
  PROP_0,
  PROP_STATE,
  PROP_ITERATION,
  PROP_ITERATIONS,
  PROP_TEXTURE,
  PROP_LOSS,
  PROP_CONTENT_LOSS,
  PROP_STYLE_LOSS,
  PROP_TV_LOSS,
  PROP_MS_PER_ITERATION,
  PROP_SECONDS_LEFT,
  PROP_WARNING,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_SCALE,
  PROP_LAST_SCALE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoJob, impasto_job, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
impasto_job_set_state (ImpastoJob      *self,
                       ImpastoJobState  state)
{
  g_assert (IMPASTO_IS_JOB (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* The final size: every frame's, and every snapshot picture's. */
static void
impasto_job_get_final_size (ImpastoJob *self,
                            int        *width,
                            int        *height)
{
  *width = self->widths[self->n_scales - 1];
  *height = self->heights[self->n_scales - 1];
}

/* Main thread: the photo at the picture's (the final) size as RGB rows of width × 3 bytes, made
 * once. */
static GBytes *
impasto_job_get_photo (ImpastoJob *self)
{
  if (self->photo == NULL)
    {
      g_autoptr(GdkPixbuf) scaled = NULL;
      int width;
      int height;

      impasto_job_get_final_size (self, &width, &height);
      scaled = impasto_image_scale (self->content, width, height);

      if (scaled != NULL)
        self->photo = impasto_pixbuf_to_rgb8_bytes (scaled);
    }
  return self->photo;
}

/* Main thread: the shown picture (pixels and texture) from the painted one and the colour
 * choice in force. */
static void
impasto_job_show_plain (ImpastoJob *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  GBytes *shown = g_bytes_ref (self->plain);

  if (impasto_colors_keeps_photo_chroma (impasto_job_get_colors (self)))
    {
      GBytes *photo = impasto_job_get_photo (self);

      if (photo != NULL)
        {
          gsize size;
          guint8 *rgb = g_bytes_unref_to_data (shown, &size);

          impasto_rgb8_keep_chroma (rgb, self->width, self->height, self->stride,
                                    g_bytes_get_data (photo, NULL), (gsize) self->width * 3);
          shown = g_bytes_new_take (rgb, size);
        }
    }
  texture = gdk_memory_texture_new (self->width, self->height, GDK_MEMORY_R8G8B8, shown,
                                    self->stride);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = shown;
  g_set_object (&self->texture, texture);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

/* Main thread: a frame and the records since the last one, from the slot's idle. */
static void
impasto_job_apply_frame (gpointer  value,
                         GArray   *records,
                         gpointer  user_data)
{
  ImpastoJob *self = user_data;
  ImpastoFrame *frame = value;

  g_assert (IMPASTO_IS_JOB (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (records->len > 0)
    g_array_append_vals (self->history, records->data, records->len);

  if (frame != NULL)
    {
      self->n_frames++;

      /* The same picture again (a preview resting, a run stopped between two steps): keep the
       * bytes and texture there are, so that a picture saved stays saved. */
      if (frame->pixels != NULL && self->plain != NULL && frame->iteration == self->iteration
          && frame->width == self->width && frame->height == self->height
          && g_bytes_equal (frame->pixels, self->plain))
        g_clear_pointer (&frame->pixels, g_bytes_unref);

      if (frame->pixels != NULL)
        {
          g_clear_pointer (&self->plain, g_bytes_unref);
          self->plain = g_bytes_ref (frame->pixels);
          self->stride = frame->stride;
          if (self->width != frame->width)
            {
              self->width = frame->width;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
            }
          if (self->height != frame->height)
            {
              self->height = frame->height;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
            }
          impasto_job_show_plain (self);
        }

      self->iteration = frame->iteration;
      self->budget_steps = frame->budget_steps;
      self->tiles_x = MAX (frame->tiles_x, 1);
      self->tiles_y = MAX (frame->tiles_y, 1);
      if (self->scale != frame->scale)
        {
          self->scale = frame->scale;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
        }
      self->losses = frame->losses;
      self->ms_per_iteration = frame->ms_per_iteration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITERATION]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOSS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_LOSS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STYLE_LOSS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TV_LOSS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MS_PER_ITERATION]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);

      if (frame->warning != NULL && g_strcmp0 (frame->warning, self->warning) != 0)
        {
          g_free (self->warning);
          self->warning = g_strdup (frame->warning);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
        }

      if (!self->prepared)
        {
          self->prepared = TRUE;
          if (self->state == IMPASTO_JOB_PREPARING)
            impasto_job_set_state (self, IMPASTO_JOB_RUNNING);
        }

      /* The run's own final state comes from its end (impasto_job_worker_done()), so the last
       * frame changes no state. */
      self->resting = frame->resting && !frame->final;
      if (frame->final)
        ;
      else if (self->resting && self->state == IMPASTO_JOB_RUNNING)
        impasto_job_set_state (self, IMPASTO_JOB_PREVIEWED);
      else if (!self->resting && self->state == IMPASTO_JOB_PREVIEWED)
        impasto_job_set_state (self, IMPASTO_JOB_RUNNING);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
impasto_job_dispose (GObject *object)
{
  ImpastoJob *self = (ImpastoJob *) object;

  /* A running job is referenced by its task, so by now the worker has returned. */
  g_cancellable_cancel (self->cancellable);
  if (self->slot != NULL)
    impasto_latest_slot_close (self->slot);
  g_clear_pointer (&self->slot, impasto_latest_slot_unref);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_clear_pointer (&self->plain, g_bytes_unref);
  g_clear_pointer (&self->photo, g_bytes_unref);

  G_OBJECT_CLASS (impasto_job_parent_class)->dispose (object);
}

static void
impasto_job_finalize (GObject *object)
{
  ImpastoJob *self = (ImpastoJob *) object;

  g_clear_object (&self->model);
  g_clear_object (&self->content);
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    g_clear_object (&self->paintings[i]);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->save_folder, g_free);
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    g_clear_pointer (&self->regions[i].mask, g_free);
  g_clear_pointer (&self->warning, g_free);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->set_at, g_array_unref);
  g_clear_pointer (&self->film, impasto_film_unref);
  impasto_params_handoff_clear (&self->handoff);
  _impasto_job_history_clear (self);
  g_mutex_clear (&self->run_mutex);
  g_cond_clear (&self->run_cond);

  G_OBJECT_CLASS (impasto_job_parent_class)->finalize (object);
}

static void
impasto_job_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ImpastoJob *self = IMPASTO_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ITERATION:
      g_value_set_int (value, self->iteration);
      break;

    case PROP_ITERATIONS:
      g_value_set_int (value, impasto_job_get_iterations (self));
      break;

    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    case PROP_LOSS:
      g_value_set_double (value, self->losses.total);
      break;

    case PROP_CONTENT_LOSS:
      g_value_set_double (value, self->losses.content);
      break;

    case PROP_STYLE_LOSS:
      g_value_set_double (value, self->losses.style);
      break;

    case PROP_TV_LOSS:
      g_value_set_double (value, self->losses.tv_term);
      break;

    case PROP_MS_PER_ITERATION:
      g_value_set_double (value, self->ms_per_iteration);
      break;

    case PROP_SECONDS_LEFT:
      g_value_set_double (value, impasto_job_get_seconds_left (self));
      break;

    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;

    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;

    case PROP_SCALE:
      g_value_set_int (value, self->scale);
      break;

    case PROP_LAST_SCALE:
      g_value_set_int (value, impasto_job_get_last_scale (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_job_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ImpastoJob *self = IMPASTO_JOB (object);

  switch (prop_id)
    {
    case PROP_ITERATIONS:
      impasto_job_set_iterations (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_job_class_init (ImpastoJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = impasto_job_dispose;
  object_class->finalize = impasto_job_finalize;
  object_class->get_property = impasto_job_get_property;
  object_class->set_property = impasto_job_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, IMPASTO_TYPE_JOB_STATE, IMPASTO_JOB_READY, read_only);
  properties[PROP_ITERATION] =
    g_param_spec_int ("iteration", NULL, NULL, -1, G_MAXINT, -1, read_only);
  properties[PROP_ITERATIONS] =
    g_param_spec_int ("iterations", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE, read_only);
  properties[PROP_LOSS] =
    g_param_spec_double ("loss", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, read_only);
  properties[PROP_CONTENT_LOSS] =
    g_param_spec_double ("content-loss", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, read_only);
  properties[PROP_STYLE_LOSS] =
    g_param_spec_double ("style-loss", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, read_only);
  properties[PROP_TV_LOSS] =
    g_param_spec_double ("tv-loss", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, read_only);
  properties[PROP_MS_PER_ITERATION] =
    g_param_spec_double ("ms-per-iteration", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, read_only);
  properties[PROP_SECONDS_LEFT] =
    g_param_spec_double ("seconds-left", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, read_only);
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL, read_only);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, read_only);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, read_only);
  properties[PROP_SCALE] =
    g_param_spec_int ("scale", NULL, NULL, 0, IMPASTO_LADDER_MAX_SIZES, 0, read_only);
  properties[PROP_LAST_SCALE] =
    g_param_spec_int ("last-scale", NULL, NULL, 0, IMPASTO_LADDER_MAX_SIZES, 0, read_only);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
impasto_job_init (ImpastoJob *self)
{
  g_mutex_init (&self->run_mutex);
  g_cond_init (&self->run_cond);
  _impasto_job_history_init (self);
  self->history = g_array_new (FALSE, FALSE, sizeof (ImpastoJobRecord));
  self->set_at = g_array_new (FALSE, FALSE, sizeof (int));
  self->iteration = -1;
  /* Above GTK's redraw (G_PRIORITY_HIGH_IDLE + 20): while something animates (the spinner of
   * "Preparing…") and each frame takes longer to paint than the frame clock's interval (a slow
   * renderer, a big window), a default-priority idle would never run, and the run's first frame
   * and state would never reach the window. Frames come at most ~10 a second. */
  self->slot = impasto_latest_slot_new (NULL, G_PRIORITY_HIGH_IDLE + 10,
                                        (GDestroyNotify) impasto_frame_free,
                                        sizeof (ImpastoJobRecord), impasto_job_apply_frame, self);
  impasto_latest_slot_set_name (self->slot, "[impasto] frames");
  self->film = impasto_film_new (IMPASTO_JOB_FILM_FRAMES, IMPASTO_JOB_FILM_SIDE);
}

ImpastoJob *
impasto_job_new (ImpastoModel              *model,
                 GdkPixbuf                 *content,
                 const ImpastoJobPainting  *paintings,
                 int                        n_paintings,
                 const ImpastoJobSettings  *settings)
{
  ImpastoJob *self;

  g_return_val_if_fail (IMPASTO_IS_MODEL (model), NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (content), NULL);
  g_return_val_if_fail (n_paintings >= 1 && n_paintings <= IMPASTO_MAX_PAINTINGS, NULL);
  for (int i = 0; i < n_paintings; i++)
    {
      g_return_val_if_fail (GDK_IS_PIXBUF (paintings[i].pixbuf), NULL);
      g_return_val_if_fail (isfinite (paintings[i].scale) && paintings[i].scale > 0.0, NULL);
    }
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->size > 0, NULL);
  g_return_val_if_fail ((unsigned) settings->colors <= IMPASTO_COLORS_SWAP, NULL);
  g_return_val_if_fail (settings->config.n_regions >= 0
                        && settings->config.n_regions <= IMPASTO_MAX_REGIONS, NULL);
  g_return_val_if_fail (settings->config.n_regions == 0 || settings->config.regions != NULL, NULL);
  g_return_val_if_fail (settings->n_prior_records == 0 || settings->prior_records != NULL, NULL);

  self = g_object_new (IMPASTO_TYPE_JOB, NULL);
  self->model = g_object_ref (model);
  self->content = g_object_ref (content);
  self->n_paintings = n_paintings;
  for (int i = 0; i < n_paintings; i++)
    {
      self->paintings[i] = g_object_ref (paintings[i].pixbuf);
      self->brush_sizes[i] = paintings[i].scale;
    }
  self->run_colors = settings->colors;
  self->colors = settings->colors;
  self->initial_params = settings->params;
  self->config = settings->config;
  self->config.width = 0;
  self->config.height = 0;
  self->config.content_rgb = NULL;
  self->config.style_rgb = NULL;
  self->config.paintings = NULL;
  self->config.n_paintings = 0;
  self->config.init_rgb = NULL;
  /* Regions reach the worker as hand-overs (impasto_job_set_region()), those of the settings
   * first. */
  self->config.regions = NULL;
  self->config.n_regions = 0;
  for (int i = 0; i < settings->config.n_regions; i++)
    {
      const ImpastoRegion *region = &settings->config.regions[i];
      gsize n = (gsize) MAX (region->width, 0) * MAX (region->height, 0);

      self->regions[i] = (ImpastoJobRegion) {
        region->mask != NULL ? g_memdup2 (region->mask, n * sizeof (float)) : NULL,
        region->width, region->height, region->painting, region->weight,
      };
      self->region_changes |= 1u << i;
    }
  self->size = settings->size;
  self->threads = settings->threads;
  self->iterations = MAX (0, settings->iterations);
  impasto_ladder_config_init_default (&self->ladder_config);
  if (settings->min_side > 0)
    self->ladder_config.min_side = MAX (settings->min_side, 16);
  self->ladder_config.max_bytes = (size_t) MIN (settings->max_bytes, (guint64) G_MAXSIZE);
  self->tiles_x = self->tiles_y = 1;
  self->plan_config = self->ladder_config;
  impasto_ladder_config_set_budgets (&self->plan_config, self->iterations);
  {
    int width;
    int height;

    /* The worker plans the same sizes from the same numbers. */
    impasto_image_fit_size (gdk_pixbuf_get_width (content), gdk_pixbuf_get_height (content),
                            self->size, &width, &height);
    self->n_scales = impasto_ladder_plan_sizes (width, height, self->ladder_config.min_side,
                                                self->ladder_config.max_sizes, self->widths,
                                                self->heights);
    if (self->n_scales < 1)
      {
        /* Too small for the network: the worker says so when it builds the run. */
        self->n_scales = 1;
        self->widths[0] = width;
        self->heights[0] = height;
      }
    self->last_scale = self->n_scales - 1;
    impasto_job_set_preview_side (self, settings->preview_side);
  }
  self->save_every = MAX (0, settings->save_every);
  self->save_folder = g_strdup (settings->save_folder != NULL ? settings->save_folder : "");
  impasto_params_handoff_init (&self->handoff, &settings->params);
  if (settings->run_folder != NULL)
    {
      self->run_folder = g_strdup (settings->run_folder);
      self->run_info = g_key_file_new ();
      if (settings->run_info != NULL
          && !g_key_file_load_from_data (self->run_info, settings->run_info, -1,
                                         G_KEY_FILE_KEEP_COMMENTS, NULL))
        g_warning ("The run's information is no key file; run.ini names only the snapshot");
    }
  self->max_snapshots = settings->max_snapshots > 0
                        ? CLAMP (settings->max_snapshots, 2, IMPASTO_JOB_MAX_SNAPSHOTS)
                        : IMPASTO_JOB_MAX_SNAPSHOTS;
  self->snapshot_interval = settings->snapshot_interval > 0.0 ? settings->snapshot_interval
                                                              : IMPASTO_JOB_SNAPSHOT_INTERVAL_S;
  self->max_snapshot_bytes = settings->max_snapshot_bytes > 0 ? settings->max_snapshot_bytes
                                                              : IMPASTO_JOB_MAX_SNAPSHOT_BYTES;
  self->resume_snapshot = g_strdup (settings->resume_snapshot);
  self->resume_iteration = MAX (0, settings->resume_iteration);
  self->resume_losses = settings->resume_losses;
  if (self->resume_snapshot != NULL)
    {
      /* The continued run's history up to the snapshot: the worker adds the snapshot's own
       * record and those after it. */
      for (guint i = 0; i < settings->n_prior_records; i++)
        if (settings->prior_records[i].iteration < self->resume_iteration)
          {
            ImpastoJobRecord record = settings->prior_records[i];

            record.params_serial = 0;
            g_array_append_val (self->history, record);
          }
      _impasto_job_history_adopt (self, settings->prior_records, settings->n_prior_records);
    }
  {
    int zero = 0;

    g_array_append_val (self->set_at, zero);
  }
  return self;
}


/* Main thread: something a resting preview has to look at (new values, iterations, the size to
 * stop at, a pause). */
static void
impasto_job_poke_worker (ImpastoJob *self)
{
  g_mutex_lock (&self->run_mutex);
  self->pokes++;
  g_cond_broadcast (&self->run_cond);
  g_mutex_unlock (&self->run_mutex);
}

/* Main thread, once the worker has returned. */
static void
impasto_job_worker_done (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  ImpastoJob *self = IMPASTO_JOB (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  GApplication *app = g_application_get_default ();

  impasto_latest_slot_flush (self->slot);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    impasto_job_set_state (self, IMPASTO_JOB_FINISHED);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    impasto_job_set_state (self, IMPASTO_JOB_STOPPED);
  else
    impasto_job_set_state (self, IMPASTO_JOB_FAILED);

  if (app != NULL)
    g_application_release (app);

  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

void
impasto_job_run_async (ImpastoJob          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  GApplication *app = g_application_get_default ();

  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();

  outer = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (outer, impasto_job_run_async);
  /* The worker's own answer (finished, stopped or failed) is what the caller gets. */
  g_task_set_check_cancellable (outer, FALSE);

  inner = g_task_new (self, self->cancellable, impasto_job_worker_done, g_object_ref (outer));
  g_task_set_source_tag (inner, _impasto_job_worker);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_name (inner, "[impasto-job]");

  if (app != NULL)
    g_application_hold (app);

  g_mutex_lock (&self->run_mutex);
  impasto_job_set_state (self, self->paused ? IMPASTO_JOB_PAUSED : IMPASTO_JOB_PREPARING);
  g_mutex_unlock (&self->run_mutex);

  g_task_run_in_thread (inner, _impasto_job_worker);
}

gboolean
impasto_job_run_finish (ImpastoJob    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == impasto_job_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
impasto_job_stop (ImpastoJob *self)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
impasto_job_set_paused (ImpastoJob *self,
                        gboolean    paused)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  paused = !!paused;

  g_mutex_lock (&self->run_mutex);
  self->paused = paused;
  self->pokes++;
  g_cond_broadcast (&self->run_cond);
  g_mutex_unlock (&self->run_mutex);

  if (paused && (self->state == IMPASTO_JOB_PREPARING || self->state == IMPASTO_JOB_RUNNING
                 || self->state == IMPASTO_JOB_PREVIEWED))
    impasto_job_set_state (self, IMPASTO_JOB_PAUSED);
  else if (!paused && self->state == IMPASTO_JOB_PAUSED)
    /* A preview that rested when paused rests on: it has nothing to paint until told. */
    impasto_job_set_state (self, !self->prepared ? IMPASTO_JOB_PREPARING
                                 : self->resting ? IMPASTO_JOB_PREVIEWED
                                                 : IMPASTO_JOB_RUNNING);
}

guint
impasto_job_set_params (ImpastoJob                  *self,
                        const ImpastoSessionParams  *params)
{
  int done;
  guint serial;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);
  g_return_val_if_fail (params != NULL, 0);

  /* Read before the put: the worker cannot have taken these values in an iteration that had
   * finished by now. */
  done = g_atomic_int_get (&self->worker_iteration);
  serial = impasto_params_handoff_put (&self->handoff, params);
  g_array_set_size (self->set_at, serial);
  g_array_index (self->set_at, int, serial - 1) = done;
  impasto_job_poke_worker (self);
  return serial;
}

int
impasto_job_get_params_set_at (ImpastoJob *self,
                               guint       serial)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), -1);

  if (serial == 0 || serial > self->set_at->len)
    return -1;
  return g_array_index (self->set_at, int, serial - 1);
}

void
impasto_job_get_params (ImpastoJob            *self,
                        ImpastoSessionParams  *params)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (params != NULL);

  impasto_params_handoff_peek (&self->handoff, params);
}

const ImpastoSessionParams *
impasto_job_get_initial_params (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return &self->initial_params;
}

const ImpastoSessionConfig *
impasto_job_get_config (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return &self->config;
}

void
impasto_job_set_iterations (ImpastoJob *self,
                            int         iterations)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  iterations = MAX (0, iterations);
  if (g_atomic_int_get (&self->iterations) != iterations)
    {
      g_atomic_int_set (&self->iterations, iterations);
      impasto_ladder_config_set_budgets (&self->plan_config, iterations);
      impasto_job_poke_worker (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITERATIONS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
    }
}

int
impasto_job_get_iterations (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return g_atomic_int_get (&self->iterations);
}

int
impasto_job_get_n_scales (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 1);

  return self->n_scales;
}

void
impasto_job_get_tiles (ImpastoJob *self,
                       int        *n_x,
                       int        *n_y)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  if (n_x != NULL)
    *n_x = self->tiles_x;
  if (n_y != NULL)
    *n_y = self->tiles_y;
}

void
impasto_job_get_scale_size (ImpastoJob *self,
                            int         scale,
                            int        *width,
                            int        *height)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (scale >= 0 && scale < self->n_scales);

  if (width != NULL)
    *width = self->widths[scale];
  if (height != NULL)
    *height = self->heights[scale];
}

int
impasto_job_get_scale (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->scale;
}

int
impasto_job_get_last_scale (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return g_atomic_int_get (&self->last_scale);
}

int
impasto_job_get_n_paintings (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->n_paintings;
}

void
impasto_job_set_painting_scale (ImpastoJob *self,
                                int         index,
                                double      scale)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (index >= 0 && index < self->n_paintings);
  g_return_if_fail (isfinite (scale) && scale > 0.0);

  g_mutex_lock (&self->run_mutex);
  if (self->brush_sizes[index] != scale)
    {
      self->brush_sizes[index] = scale;
      self->brush_changes |= 1u << index;
    }
  g_mutex_unlock (&self->run_mutex);
  impasto_job_poke_worker (self);
}

double
impasto_job_get_painting_scale (ImpastoJob *self,
                                int         index)
{
  double scale;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), 1.0);
  g_return_val_if_fail (index >= 0 && index < self->n_paintings, 1.0);

  g_mutex_lock (&self->run_mutex);
  scale = self->brush_sizes[index];
  g_mutex_unlock (&self->run_mutex);
  return scale;
}

int
impasto_job_get_painting_passes (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return g_atomic_int_get (&self->painting_passes);
}

void
impasto_job_set_region (ImpastoJob   *self,
                        int           index,
                        const guint8 *mask,
                        int           width,
                        int           height,
                        int           painting,
                        double        weight)
{
  float *floats = NULL;

  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (index >= 0 && index < IMPASTO_MAX_REGIONS);
  g_return_if_fail (mask == NULL || (width > 0 && height > 0));

  if (mask != NULL)
    {
      gsize n = (gsize) width * height;

      floats = g_new (float, n);
      for (gsize i = 0; i < n; i++)
        floats[i] = mask[i] * (1.0f / 255.0f);
    }
  g_mutex_lock (&self->run_mutex);
  g_free (self->regions[index].mask);
  self->regions[index] = (ImpastoJobRegion) { floats, width, height, painting, weight };
  self->region_changes |= 1u << index;
  g_mutex_unlock (&self->run_mutex);
  impasto_job_poke_worker (self);
}

int
impasto_job_get_region_sets (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return g_atomic_int_get (&self->region_sets);
}

gboolean
impasto_job_can_set_colors (ImpastoJob    *self,
                            ImpastoColors  colors)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  return !impasto_colors_changes_inputs (colors)
         && !impasto_colors_changes_inputs (self->run_colors);
}

void
impasto_job_set_colors (ImpastoJob    *self,
                        ImpastoColors  colors)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));
  g_return_if_fail (impasto_job_can_set_colors (self, colors));

  if ((ImpastoColors) g_atomic_int_get (&self->colors) == colors)
    return;
  g_atomic_int_set (&self->colors, colors);
  if (self->plain != NULL)
    impasto_job_show_plain (self);
}

ImpastoColors
impasto_job_get_colors (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), IMPASTO_COLORS_NONE);

  return (ImpastoColors) g_atomic_int_get (&self->colors);
}

void
impasto_job_set_preview_side (ImpastoJob *self,
                              int         side)
{
  int last;

  g_return_if_fail (IMPASTO_IS_JOB (self));

  /* The largest size no longer than @side (the smallest if all are); the final one for none. */
  last = side > 0 ? impasto_ladder_plan_find_scale (self->widths, self->heights, self->n_scales,
                                                    side)
                  : self->n_scales - 1;
  if (g_atomic_int_get (&self->last_scale) == last)
    return;
  g_atomic_int_set (&self->last_scale, last);
  impasto_job_poke_worker (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SCALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
}

gboolean
impasto_job_is_preview (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  return impasto_job_get_last_scale (self) < self->n_scales - 1;
}

void
impasto_job_paint_full_size (ImpastoJob *self)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  impasto_job_set_preview_side (self, 0);
}

/* Work left in steps of the size under way (as the engine counts it), and the whole run's. */
static void
impasto_job_get_work (ImpastoJob *self,
                      double     *left,
                      double     *total)
{
  int last = impasto_job_get_last_scale (self);
  int scale = MIN (self->scale, self->n_scales - 1);
  double pixels = (double) self->widths[scale] * self->heights[scale];
  double pixels_0 = (double) self->widths[0] * self->heights[0];

  *left = impasto_ladder_plan_work_left (&self->plan_config, self->n_scales, self->widths,
                                         self->heights, scale, MAX (self->budget_steps, 0),
                                         MAX (last, scale));
  /* In the same unit: steps of the size under way. */
  *total = impasto_ladder_plan_work_left (&self->plan_config, self->n_scales, self->widths,
                                          self->heights, 0, 0, MAX (last, scale))
           * pixels_0 / pixels;
}

double
impasto_job_get_progress (ImpastoJob *self)
{
  double left;
  double total;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0.0);

  if (self->iteration < 0)
    return 0.0;
  if (self->state == IMPASTO_JOB_FINISHED || self->resting)
    return 1.0;
  impasto_job_get_work (self, &left, &total);
  return total > 0.0 ? CLAMP (1.0 - left / total, 0.0, 1.0) : 1.0;
}

void
impasto_job_set_save_every (ImpastoJob *self,
                            int         save_every,
                            const char *folder)
{
  g_return_if_fail (IMPASTO_IS_JOB (self));

  g_mutex_lock (&self->run_mutex);
  self->save_every = MAX (0, save_every);
  g_free (self->save_folder);
  self->save_folder = g_strdup (folder != NULL ? folder : "");
  g_mutex_unlock (&self->run_mutex);
}

ImpastoJobState
impasto_job_get_state (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), IMPASTO_JOB_READY);

  return self->state;
}

gboolean
impasto_job_is_active (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), FALSE);

  return self->state == IMPASTO_JOB_PREPARING
         || self->state == IMPASTO_JOB_RUNNING
         || self->state == IMPASTO_JOB_PAUSED
         || self->state == IMPASTO_JOB_PREVIEWED;
}

int
impasto_job_get_iteration (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), -1);

  return self->iteration;
}

int
impasto_job_get_worker_iteration (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return g_atomic_int_get (&self->worker_iteration);
}

ImpastoFilm *
impasto_job_get_film (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->film;
}

GdkTexture *
impasto_job_get_texture (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->texture;
}

GBytes *
impasto_job_get_pixels (ImpastoJob *self,
                        int        *width,
                        int        *height,
                        gsize      *stride)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  if (width != NULL)
    *width = self->width;
  if (height != NULL)
    *height = self->height;
  if (stride != NULL)
    *stride = self->stride;
  return self->pixels;
}

const ImpastoLosses *
impasto_job_get_losses (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return &self->losses;
}

double
impasto_job_get_ms_per_iteration (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0.0);

  return self->ms_per_iteration;
}

double
impasto_job_get_seconds_left (ImpastoJob *self)
{
  double left;
  double total;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0.0);

  if (self->resting)
    return 0.0;
  impasto_job_get_work (self, &left, &total);
  return left > 0.0 ? left * self->ms_per_iteration / 1000.0 : 0.0;
}

GdkTexture *
impasto_job_load_snapshot_texture (ImpastoJob                *self,
                                   const ImpastoJobSnapshot  *snapshot,
                                   GError                   **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  const guint8 *pixels;
  guint8 *rgb;
  gsize stride;
  int rowstride;
  int width;
  int height;

  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);
  g_return_val_if_fail (snapshot != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (snapshot->picture == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("The snapshot after iteration %d has no picture"), snapshot->iteration);
      return NULL;
    }
  display = g_filename_display_name (snapshot->picture);
  pixbuf = gdk_pixbuf_new_from_file (snapshot->picture, &local_error);
  if (pixbuf == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("Could not read the snapshot's picture %s: %s"), display,
                   local_error->message);
      return NULL;
    }
  impasto_job_get_final_size (self, &width, &height);
  if (gdk_pixbuf_get_width (pixbuf) != width || gdk_pixbuf_get_height (pixbuf) != height
      || gdk_pixbuf_get_n_channels (pixbuf) != 3 || gdk_pixbuf_get_has_alpha (pixbuf)
      || gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The snapshot's picture %s is not the run's: it should be an RGB picture "
                     "of %d×%d pixels"), display, width, height);
      return NULL;
    }

  /* Rows of width × 3 bytes, as the frames are. */
  stride = (gsize) width * 3;
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  rgb = g_malloc (stride * height);
  for (int y = 0; y < height; y++)
    memcpy (rgb + y * stride, pixels + (gsize) y * rowstride, stride);
  if (impasto_colors_keeps_photo_chroma (impasto_job_get_colors (self)))
    {
      GBytes *photo = impasto_job_get_photo (self);

      if (photo != NULL)
        impasto_rgb8_keep_chroma (rgb, width, height, stride, g_bytes_get_data (photo, NULL),
                                  stride);
    }
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (rgb, stride * height);

    return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
  }
}

const ImpastoJobRecord *
impasto_job_get_history (ImpastoJob *self,
                         guint      *n_records)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);
  g_return_val_if_fail (n_records != NULL, NULL);

  *n_records = self->history->len;
  return (const ImpastoJobRecord *) (gpointer) self->history->data;
}

guint
impasto_job_get_n_frames (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), 0);

  return self->n_frames;
}

ImpastoLatestSlot *
impasto_job_get_frame_slot (ImpastoJob *self)
{
  g_return_val_if_fail (IMPASTO_IS_JOB (self), NULL);

  return self->slot;
}
