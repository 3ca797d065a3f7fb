/* impasto-job-worker.c
 *
 * The worker of an ImpastoJob, on its GTask thread: it resizes the pictures, prepares them for
 * the colour choice, builds the engine's ladder, and steps it, taking the live values, brush
 * sizes, painted regions, pauses and previews as the main thread hands them over, and sending
 * frames (at the final size) through the frame slot and offering them to the run's film (in the
 * colours shown). It never touches GTK, GSettings or the job's properties;
 * see impasto-job.c for what it shares with the main thread and how.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-job"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#ifdef __linux__
# include <sys/resource.h>
# include <sys/syscall.h>
# include <unistd.h>
#endif

#include "impasto-colors-inputs.h"
#include "impasto-error.h"
#include "impasto-frame.h"
#include "impasto-image.h"
#include "impasto-job-private.h"
#include "impasto-ladder-snapshot.h"
#include "impasto-latest-slot.h"
#include "impasto-model.h"
#include "impasto-memory.h"
#include "impasto-threads.h"

/* The painting a run keeps (impasto-job.h). */
void
impasto_job_plan_painting (GdkPixbuf       *pixbuf,
                           double           scale,
                           int              width,
                           int              height,
                           ImpastoPainting *painting)
{
  double most = MAX (scale, IMPASTO_JOB_MAX_BRUSH_SIZE);
  int longest = (int) ceil (most * MAX (width, height));
  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);

  if (MAX (w, h) > longest)
    impasto_image_fit_size (w, h, longest, &w, &h);
  *painting = (ImpastoPainting) { NULL, w, h, scale, false };
}

/* Worker ------------------------------------------------------------------------------------- */

typedef struct
{
  ImpastoLadder *ladder;
  int width;                /* the final size */
  int height;
  float *scratch;           /* final size × 3 floats, for pictures painted below it; else NULL */
  float *photo;             /* (H, W, 3) the photo at the final size, in its own colours */
  int steps;                /* at all sizes */
  int pushed_iteration;     /* of the last frame pushed; -1 none */
  gboolean pushed_resting;
  gboolean picture_pushed;  /* the last frame pushed has the current picture */
  gint64 last_push;         /* monotonic µs */
  double ms_average;        /* of the size under way */
  ImpastoLosses losses;     /* of the newest picture */
  char *warning;            /* to send with the next frame */
  gboolean save_failed;     /* report a failing frame folder once */
} Worker;

/* The worker and the engine threads it starts run at this niceness (Linux: per thread), so that
 * the main thread gets the CPU as soon as it wakes up, even with every core busy painting. A
 * GTask thread keeps it afterwards; what else runs there is background work too. */
#define WORKER_NICE 5

static void
worker_lower_priority (void)
{
#ifdef __linux__
  pid_t tid = (pid_t) syscall (SYS_gettid);
  int current;

  errno = 0;
  current = getpriority (PRIO_PROCESS, (id_t) tid);
  if (errno == 0 && current < WORKER_NICE)
    setpriority (PRIO_PROCESS, (id_t) tid, WORKER_NICE);
#endif
}

static bool
impasto_job_should_stop (void *data)
{
  return g_cancellable_is_cancelled (data);
}

static void
impasto_job_wake_worker (GCancellable *cancellable,
                         ImpastoJob   *self)
{
  g_mutex_lock (&self->run_mutex);
  g_cond_broadcast (&self->run_cond);
  g_mutex_unlock (&self->run_mutex);
}


/* The current picture at the final size into @rgb (final height rows of @stride bytes). */
static void
worker_copy_rgb8 (Worker *worker,
                  guint8 *rgb,
                  gsize   stride)
{
  impasto_ladder_copy_rgb8_final (worker->ladder, worker->scratch, rgb, stride);
}

/* A snapshot into the run folder with its picture, if one is due (impasto-job-history.c); the
 * picture's buffer is allocated only then. */
static void
worker_history_step (ImpastoJob *self,
                     Worker     *worker,
                     gboolean    force)
{
  gsize stride = (gsize) worker->width * 3;
  g_autofree guint8 *rgb = NULL;

  if (!_impasto_job_history_due (self, worker->steps, force))
    return;
  rgb = g_try_malloc (stride * worker->height);
  if (rgb != NULL)
    worker_copy_rgb8 (worker, rgb, stride);
  _impasto_job_history_write (self, worker->ladder, worker->steps, &worker->losses, rgb,
                              worker->width, worker->height, &worker->warning);
}

/* The current picture at the final size into @rgb as it is shown: with the photo's chroma when
 * the colours say so. FALSE (nothing written) when memory runs out for that. */
static gboolean
worker_copy_shown_rgb8 (ImpastoJob *self,
                        Worker     *worker,
                        guint8     *rgb,
                        gsize       stride)
{
  gsize n = (gsize) worker->width * worker->height;
  g_autofree float *picture = NULL;

  if (!impasto_colors_keeps_photo_chroma (g_atomic_int_get (&self->colors)))
    {
      worker_copy_rgb8 (worker, rgb, stride);
      return TRUE;
    }
  g_assert (stride == (gsize) worker->width * 3);
  picture = g_try_malloc (n * 3 * sizeof (float));
  if (picture == NULL)
    return FALSE;
  impasto_ladder_copy_rgb_final (worker->ladder, picture);
  impasto_colors_keep_chroma_rgb8 (picture, worker->photo, n, rgb);
  return TRUE;
}

/* The film takes the picture when it wants it (a frame it keeps, or the last), in the colours
 * shown. @plain: the picture as painted, already copied; used as it is when the colours are the
 * painting's. */
static void
worker_offer_film (ImpastoJob   *self,
                   Worker       *worker,
                   const guint8 *plain,
                   gboolean      final)
{
  gsize stride = (gsize) worker->width * 3;
  g_autofree guint8 *shown = NULL;

  if (!impasto_film_wants (self->film, final))
    return;
  if (impasto_colors_keeps_photo_chroma (g_atomic_int_get (&self->colors)))
    {
      shown = g_try_malloc (stride * worker->height);
      if (shown == NULL || !worker_copy_shown_rgb8 (self, worker, shown, stride))
        return;   /* out of memory: the film misses this frame, the run goes on */
      plain = shown;
    }
  impasto_film_offer (self->film, plain, worker->width, worker->height, stride, final);
}

/* A frame of the current picture, its numbers and state. Every frame carries the picture: the
 * slot keeps only the newest frame, so a frame without one could take the place of the only
 * frame that had the newest picture. (The main thread keeps its bytes when they are the same.) */
static void
worker_push_frame (ImpastoJob *self,
                   Worker     *worker,
                   gboolean    resting,
                   gboolean    final)
{
  ImpastoFrame *frame;
  gsize stride = (gsize) worker->width * 3;
  int scale = impasto_ladder_get_scale (worker->ladder);
  /* The one allocation an iteration can make: without memory for it the run goes on, the canvas
   * keeps the frame it has, and the next frame tries again. */
  guint8 *rgb = g_try_malloc (stride * worker->height);

  if (rgb == NULL && worker->warning == NULL)
    worker->warning = g_strdup (_("Not enough memory to show the newest picture; the run "
                                  "goes on"));

  frame = impasto_frame_new ();
  if (rgb != NULL)
    {
      worker_copy_rgb8 (worker, rgb, stride);
      worker_offer_film (self, worker, rgb, final);
      frame->pixels = g_bytes_new_take (rgb, stride * worker->height);
      worker->picture_pushed = TRUE;
    }
  frame->width = worker->width;
  frame->height = worker->height;
  frame->stride = stride;
  frame->iteration = worker->steps;
  frame->scale = scale;
  impasto_ladder_get_size (worker->ladder, scale, &frame->scale_width, &frame->scale_height);
  frame->budget_steps = impasto_ladder_get_budget_steps (worker->ladder);
  impasto_ladder_get_tiles (worker->ladder, &frame->tiles_x, &frame->tiles_y);
  frame->resting = resting;
  frame->losses = worker->losses;
  frame->ms_per_iteration = worker->ms_average;
  frame->final = final;
  frame->warning = g_steal_pointer (&worker->warning);

  worker->pushed_iteration = frame->iteration;
  worker->pushed_resting = resting;
  worker->last_push = g_get_monotonic_time ();
  impasto_latest_slot_push (self->slot, frame);
}

static void
worker_add_record (ImpastoJob                  *self,
                   Worker                      *worker,
                   guint                        serial,
                   const ImpastoSessionParams  *params,
                   double                       ms)
{
  int scale = impasto_ladder_get_scale (worker->ladder);
  ImpastoJobRecord record = {
    .iteration = worker->steps,
    .scale = scale,
    .params_serial = serial,
    .alpha = params->alpha,
    .beta = params->beta,
    .tv = params->tv,
    .learning_rate = params->learning_rate,
    .losses = worker->losses,
    .ms = ms,
  };

  impasto_ladder_get_size (worker->ladder, scale, &record.width, &record.height);
  impasto_latest_slot_add_record (self->slot, &record);
}

static void
worker_save_frame (ImpastoJob *self,
                   Worker     *worker,
                   const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  gsize stride = (gsize) worker->width * 3;
  g_autofree guint8 *rgb = g_try_malloc (stride * worker->height);

  if (folder == NULL || folder[0] == '\0')
    {
      if (!worker->save_failed)
        {
          worker->save_failed = TRUE;
          g_free (worker->warning);
          worker->warning = g_strdup (_("Frames are not saved: choose a folder for them first"));
        }
      return;
    }

  /* At the final size, resampled up while the run is lower, as impasto-cli saves them, with the
   * photo's chroma when the colours say so (as the canvas shows it). */
  if (rgb != NULL && !worker_copy_shown_rgb8 (self, worker, rgb, stride))
    g_clear_pointer (&rgb, g_free);
  name = g_strdup_printf ("impasto-%05d.png", worker->steps);
  path = g_build_filename (folder, name, NULL);

  if ((rgb == NULL
       || !impasto_image_save_rgb8 (rgb, worker->width, worker->height, stride, path, &error))
      && !worker->save_failed)
    {
      worker->save_failed = TRUE;
      g_free (worker->warning);
      worker->warning = g_strdup_printf (_("Could not save the frame %s: %s"), path,
                                         error != NULL ? error->message : _("out of memory"));
    }
}

/* Returns when resumed or cancelled; impasto_job_wake_worker() wakes it on cancel. */
static void
worker_wait_while_paused (ImpastoJob   *self,
                          GCancellable *cancellable)
{
  g_mutex_lock (&self->run_mutex);
  while (self->paused && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->run_cond, &self->run_mutex);
  g_mutex_unlock (&self->run_mutex);
}

/* A preview has painted its size: wait until the main thread changes something (@pokes was read
 * before the worker last looked at the shared values) or the run is stopped. */
static void
worker_rest (ImpastoJob   *self,
             guint         pokes,
             GCancellable *cancellable)
{
  g_mutex_lock (&self->run_mutex);
  while (self->pokes == pokes && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->run_cond, &self->run_mutex);
  g_mutex_unlock (&self->run_mutex);
}

static gboolean
worker_prepare (ImpastoJob    *self,
                Worker        *worker,
                GCancellable  *cancellable,
                GError       **error)
{
  const ImpastoWeights *weights = impasto_model_get_weights (self->model);
  ImpastoSessionConfig config = self->config;
  ImpastoLadderConfig ladder_config = self->ladder_config;
  ImpastoEngineError engine_error = { 0 };
  ImpastoStatus status;
  g_autoptr(GdkPixbuf) content = NULL;
  g_autofree float *content_rgb = NULL;
  float *painting_rgb[IMPASTO_MAX_PAINTINGS] = { NULL };
  size_t painting_pixels[IMPASTO_MAX_PAINTINGS];
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  gboolean ok = TRUE;

  impasto_image_fit_size (gdk_pixbuf_get_width (self->content),
                          gdk_pixbuf_get_height (self->content),
                          self->size, &worker->width, &worker->height);

  /* The photo at the final size: the ladder resamples it for each size below. */
  content = impasto_image_scale (self->content, worker->width, worker->height);
  if (content != NULL)
    content_rgb = impasto_image_to_rgb_floats (content);
  ok = content_rgb != NULL;

  /* Each painting at its own pixels, but no larger than the largest brush size can use: the
   * session sees it at its brush size relative to each size of the ladder. */
  g_mutex_lock (&self->run_mutex);
  for (int i = 0; i < self->n_paintings; i++)
    {
      g_autoptr(GdkPixbuf) scaled = NULL;

      impasto_job_plan_painting (self->paintings[i], self->brush_sizes[i], worker->width,
                                 worker->height, &paintings[i]);
      scaled = ok ? impasto_image_scale (self->paintings[i], paintings[i].width,
                                         paintings[i].height) : NULL;
      painting_rgb[i] = scaled != NULL ? impasto_image_to_rgb_floats (scaled) : NULL;
      painting_pixels[i] = (size_t) paintings[i].width * paintings[i].height;
      paintings[i].rgb = painting_rgb[i];
      self->brush_changes &= ~(1u << i);
      ok = ok && painting_rgb[i] != NULL;
    }
  g_mutex_unlock (&self->run_mutex);

  /* The photo in its own colours, for the chroma the picture shows and saved frames take. */
  worker->photo = ok ? g_try_malloc ((gsize) worker->width * worker->height * 3 * sizeof (float))
                     : NULL;
  if (self->n_scales > 1)
    worker->scratch = g_try_malloc ((gsize) worker->width * worker->height * 3 * sizeof (float));
  if (!ok || worker->photo == NULL || (self->n_scales > 1 && worker->scratch == NULL))
    {
      for (int i = 0; i < self->n_paintings; i++)
        g_free (painting_rgb[i]);
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_NO_MEMORY,
                   _("Not enough memory to resize the pictures to %d×%d"),
                   worker->width, worker->height);
      return FALSE;
    }
  memcpy (worker->photo, content_rgb, (gsize) worker->width * worker->height * 3 * sizeof (float));
  impasto_colors_prepare_inputs (self->run_colors, content_rgb,
                                 (size_t) worker->width * worker->height, painting_rgb,
                                 painting_pixels, self->n_paintings);

  config.width = worker->width;
  config.height = worker->height;
  config.content_rgb = content_rgb;
  config.style_rgb = NULL;
  config.paintings = paintings;
  config.n_paintings = self->n_paintings;
  config.init_rgb = NULL;
  /* Ready unless the model came just now: then the ladder makes its own. */
  config.filters = impasto_model_get_filters (self->model);
  impasto_ladder_config_set_budgets (&ladder_config, g_atomic_int_get (&self->iterations));
  /* Later changes reach the ladder from the loop (impasto_ladder_set_iterations()). */

  /* The sessions are planned for the layers that were on at the start; later values (which may
   * switch some of them off, and back on) are applied as live changes. */
  status = impasto_ladder_new (&worker->ladder, weights, &ladder_config, &config,
                               &self->initial_params, impasto_job_should_stop, cancellable,
                               &engine_error);
  /* The ladder has its copies. */
  for (int i = 0; i < self->n_paintings; i++)
    g_free (painting_rgb[i]);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_error_set_from_engine (error, status, &engine_error);
      return FALSE;
    }
  g_atomic_int_set (&self->painting_passes, impasto_ladder_get_painting_passes (worker->ladder));
  g_warn_if_fail (impasto_ladder_get_n_sizes (worker->ladder) == self->n_scales);
  return TRUE;
}

/* New brush sizes handed over: each changed painting's targets are redone at the current size
 * (the sizes after see them too). Returns whether any was. A size the engine refuses becomes a
 * warning, and that painting keeps the brush size it had. */
static gboolean
worker_take_brush_sizes (ImpastoJob *self,
                         Worker     *worker)
{
  double sizes[IMPASTO_MAX_PAINTINGS];
  gboolean any = FALSE;
  guint changes;

  g_mutex_lock (&self->run_mutex);
  changes = self->brush_changes;
  self->brush_changes = 0;
  memcpy (sizes, self->brush_sizes, sizeof sizes);
  g_mutex_unlock (&self->run_mutex);

  for (int i = 0; i < self->n_paintings; i++)
    if (changes & (1u << i))
      {
        ImpastoEngineError engine_error = { 0 };
        ImpastoPainting painting;

        impasto_ladder_get_painting (worker->ladder, i, &painting);
        painting.scale = sizes[i];
        if (impasto_ladder_set_painting (worker->ladder, i, &painting, &engine_error)
            == IMPASTO_STATUS_OK)
          any = TRUE;
        else
          {
            /* What is in force, so that the same size can be asked for again. */
            impasto_ladder_get_painting (worker->ladder, i, &painting);
            g_mutex_lock (&self->run_mutex);
            if (!(self->brush_changes & (1u << i)))
              self->brush_sizes[i] = painting.scale;
            g_mutex_unlock (&self->run_mutex);
            if (engine_error.status != IMPASTO_STATUS_CANCELLED)
              {
                g_free (worker->warning);
                worker->warning =
                  g_strdup_printf (_("The brush size of painting %d stays as it was: %s"), i + 1,
                                   engine_error.message);
              }
          }
        impasto_engine_error_clear (&engine_error);
      }
  g_atomic_int_set (&self->painting_passes, impasto_ladder_get_painting_passes (worker->ladder));
  return any;
}

/* Regions handed over: each is set on the ladder, which recomputes that region's guides only.
 * Returns whether any was. A region the engine refuses becomes a warning; the run keeps the
 * regions it had. */
static gboolean
worker_take_regions (ImpastoJob *self,
                     Worker     *worker)
{
  ImpastoJobRegion taken[IMPASTO_MAX_REGIONS] = { { 0 } };
  gboolean any = FALSE;
  guint changes;

  g_mutex_lock (&self->run_mutex);
  changes = self->region_changes;
  self->region_changes = 0;
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    if (changes & (1u << i))
      {
        taken[i] = self->regions[i];
        self->regions[i].mask = NULL;
      }
  g_mutex_unlock (&self->run_mutex);

  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    if (changes & (1u << i))
      {
        ImpastoEngineError engine_error = { 0 };
        ImpastoRegion region = {
          taken[i].mask, taken[i].width, taken[i].height, taken[i].painting, taken[i].weight,
        };
        ImpastoStatus status;

        status = impasto_ladder_set_region (worker->ladder, i,
                                            taken[i].mask != NULL ? &region : NULL,
                                            &engine_error);
        if (status == IMPASTO_STATUS_OK)
          {
            any = TRUE;
            g_atomic_int_inc (&self->region_sets);
          }
        else if (status != IMPASTO_STATUS_CANCELLED)
          {
            g_free (worker->warning);
            worker->warning = g_strdup_printf (_("Region %d stays as it was: %s"), i + 1,
                                               engine_error.message);
          }
        impasto_engine_error_clear (&engine_error);
        g_free (taken[i].mask);
      }
  return any;
}

void
_impasto_job_worker (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ImpastoJob *self = source_object;
  Worker worker = { .pushed_iteration = -1 };
  ImpastoSessionParams params;
  ImpastoEngineError engine_error = { 0 };
  ImpastoStatus status;
  GError *error = NULL;
  gulong cancel_id;
  guint serial = 1;
  ImpastoSessionParams applied;  /* in force: what a refused hand-over falls back to */
  guint applied_serial;
  int size_steps = 0;       /* steps since the size under way began, for the time average */

  g_assert (IMPASTO_IS_JOB (self));
  g_assert (G_IS_CANCELLABLE (cancellable));

  worker_lower_priority ();
  impasto_set_threads (self->threads);
  cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (impasto_job_wake_worker), self, NULL);

  if (!worker_prepare (self, &worker, cancellable, &error))
    goto out;

  /* Regions of the settings, and any handed over while the run prepared. */
  worker_take_regions (self, &worker);
  params = self->initial_params;
  status = IMPASTO_STATUS_OK;
  if (self->resume_snapshot != NULL)
    {
      /* Where the snapshot left off, with the values of the settings (the snapshot's own when
       * nothing was changed): the next step is the one the original run took. The losses of the
       * first frame are the snapshot's, until the next step brings all of them. */
      impasto_params_handoff_take (&self->handoff, &params, &serial);
      status = impasto_ladder_snapshot_read (worker.ladder, self->resume_snapshot, &params,
                                             &engine_error);
      worker.steps = self->resume_iteration;
      g_atomic_int_set (&self->worker_iteration, worker.steps);
      g_atomic_int_set (&self->painting_passes,
                        impasto_ladder_get_painting_passes (worker.ladder));
      if (status == IMPASTO_STATUS_OK)
        {
          worker.losses = self->resume_losses;
          _impasto_job_history_resumed (self, worker.ladder, &worker.warning);
        }
    }
  else if (impasto_params_handoff_take (&self->handoff, &params, &serial))
    status = impasto_ladder_set_params (worker.ladder, &params, &engine_error);
  if (status == IMPASTO_STATUS_OK && self->resume_snapshot == NULL)
    status = impasto_ladder_evaluate (worker.ladder, &worker.losses, &engine_error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_error_set_from_engine (&error, status, &engine_error);
      goto out;
    }
  applied = params;
  applied_serial = serial;
  worker_add_record (self, &worker, serial, &params, 0.0);
  worker_push_frame (self, &worker, FALSE, FALSE);

  for (;;)
    {
      g_autofree char *folder = NULL;
      gboolean paused;
      gboolean changed;
      int save_every;
      guint pokes;
      gint64 start;
      double ms;

      g_mutex_lock (&self->run_mutex);
      paused = self->paused;
      save_every = self->save_every;
      folder = g_strdup (self->save_folder);
      pokes = self->pokes;
      g_mutex_unlock (&self->run_mutex);

      if (paused)
        {
          /* Show the newest picture for as long as we wait. */
          if (!worker.picture_pushed)
            worker_push_frame (self, &worker, worker.pushed_resting, FALSE);
          worker_wait_while_paused (self, cancellable);
        }

      if (g_cancellable_is_cancelled (cancellable))
        break;

      /* Cheap, and never misses a change made while the run prepared. */
      impasto_ladder_set_iterations (worker.ladder, g_atomic_int_get (&self->iterations));
      impasto_ladder_set_last_scale (worker.ladder, g_atomic_int_get (&self->last_scale));

      changed = FALSE;
      if (impasto_params_handoff_take (&self->handoff, &params, &serial))
        {
          status = impasto_ladder_set_params (worker.ladder, &params, &engine_error);
          if (status == IMPASTO_STATUS_INVALID_ARGUMENT)
            {
              /* Values the run cannot take (every painting at weight 0): it goes on with the
               * ones it has, and says so. */
              g_free (worker.warning);
              worker.warning = g_strdup_printf (_("Still painting with the previous values: %s"),
                                                engine_error.message);
              impasto_engine_error_clear (&engine_error);
              params = applied;
              serial = applied_serial;
            }
          else if (status != IMPASTO_STATUS_OK)
            {
              impasto_error_set_from_engine (&error, status, &engine_error);
              break;
            }
          else
            changed = TRUE;
          applied = params;
          applied_serial = serial;
        }
      if (worker_take_brush_sizes (self, &worker))
        changed = TRUE;
      if (worker_take_regions (self, &worker))
        changed = TRUE;
      /* A warning reaches the screen now, even while a preview rests. */
      if (worker.warning != NULL)
        worker_push_frame (self, &worker, worker.pushed_resting, FALSE);
      if (g_cancellable_is_cancelled (cancellable))
        break;
      /* A preview at its last size paints new values there for a whole size's budget, whether it
       * had finished the size or was about to. */
      if (changed
          && impasto_ladder_get_scale (worker.ladder) >= impasto_ladder_get_last_scale (worker.ladder)
          && impasto_ladder_get_scale (worker.ladder) < self->n_scales - 1)
        impasto_ladder_renew_budget (worker.ladder);

      if (impasto_ladder_done (worker.ladder))
        {
          if (impasto_ladder_get_scale (worker.ladder) >= self->n_scales - 1)
            {
              /* Finished: the history ends with the finished picture, between two steps. */
              worker_history_step (self, &worker, TRUE);
              break;
            }
          /* A preview: rest, showing that it does, until something changes. */
          if (!worker.pushed_resting || !worker.picture_pushed)
            worker_push_frame (self, &worker, TRUE, FALSE);
          worker_rest (self, pokes, cancellable);
          continue;
        }

      /* Painting again after a rest: say so at once, before the work. */
      if (worker.pushed_resting)
        worker_push_frame (self, &worker, FALSE, FALSE);

      if (impasto_ladder_size_done (worker.ladder))
        {
          int from = impasto_ladder_get_scale (worker.ladder);
          int to_width;
          int to_height;
          int from_width;
          int from_height;

          /* The next size: its targets, and the picture resampled up as its start. */
          status = impasto_ladder_advance (worker.ladder, &engine_error);
          g_atomic_int_set (&self->painting_passes,
                            impasto_ladder_get_painting_passes (worker.ladder));
          if (status == IMPASTO_STATUS_OK)
            {
              worker.picture_pushed = FALSE;
              /* Until its own steps are timed, an iteration there takes about as much longer
               * as it has pixels. */
              impasto_ladder_get_size (worker.ladder, from, &from_width, &from_height);
              impasto_ladder_get_size (worker.ladder, from + 1, &to_width, &to_height);
              worker.ms_average *= ((double) to_width * to_height)
                                   / ((double) from_width * from_height);
              if (from + 1 == self->n_scales - 1)
                g_clear_pointer (&worker.scratch, g_free);   /* not needed at the final size */
              status = impasto_ladder_evaluate (worker.ladder, &worker.losses, &engine_error);
            }
          if (status == IMPASTO_STATUS_CANCELLED)
            break;
          if (status != IMPASTO_STATUS_OK)
            {
              impasto_error_set_from_engine (&error, status, &engine_error);
              break;
            }
          size_steps = 0;
          worker_push_frame (self, &worker, FALSE, FALSE);
          continue;
        }

      start = g_get_monotonic_time ();
      status = impasto_ladder_step (worker.ladder, &worker.losses, &engine_error);
      if (status == IMPASTO_STATUS_CANCELLED)
        break;
      if (status != IMPASTO_STATUS_OK)
        {
          impasto_error_set_from_engine (&error, status, &engine_error);
          break;
        }

      ms = (g_get_monotonic_time () - start) / 1000.0;
      worker.ms_average = size_steps == 0 ? ms : 0.8 * worker.ms_average + 0.2 * ms;
      size_steps++;
      worker.steps++;
      worker.picture_pushed = FALSE;
      g_atomic_int_set (&self->worker_iteration, worker.steps);
      worker_add_record (self, &worker, serial, &params, ms);

      if (save_every > 0 && worker.steps % save_every == 0)
        worker_save_frame (self, &worker, folder);
      worker_history_step (self, &worker, FALSE);

      if (g_get_monotonic_time () - worker.last_push >= IMPASTO_JOB_FRAME_INTERVAL_MS * 1000
          || worker.warning != NULL)
        worker_push_frame (self, &worker, FALSE, FALSE);
    }

  /* The last picture always reaches the screen, whether finished, stopped or failed. A step
   * stopped halfway has already moved the picture, so it counts. */
  if (impasto_session_get_iteration (impasto_ladder_get_session (worker.ladder))
      > impasto_ladder_get_size_steps (worker.ladder))
    {
      worker.steps++;
      worker.picture_pushed = FALSE;
    }
  g_atomic_int_set (&self->worker_iteration, worker.steps);
  worker_push_frame (self, &worker, FALSE, TRUE);

out:
  _impasto_job_history_finish (self);
  g_cancellable_disconnect (cancellable, cancel_id);
  g_clear_pointer (&worker.ladder, impasto_ladder_free);
  g_clear_pointer (&worker.scratch, g_free);
  g_clear_pointer (&worker.photo, g_free);
  g_clear_pointer (&worker.warning, g_free);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Stopped"));
  else
    g_task_return_boolean (task, TRUE);
}

