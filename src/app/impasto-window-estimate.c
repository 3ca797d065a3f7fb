/* impasto-window-estimate.c
 *
 * The size row's subtitle: the painting's size in pixels, the memory a run needs (in red when
 * this computer has too little) and how long it takes, from this computer's measured speed
 * (impasto-run-estimate.h). The speed is measured once on a GTask thread when it is not known
 * yet, while no run uses the cores, and every finished or stopped run refines it. Only the
 * cheap estimates run on the main thread.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-estimate"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdbool.h>

#include "impasto-image.h"
#include "impasto-run-estimate.h"
#include "impasto-window-private.h"

/* A whole run's estimated length, rounded as a person would say it: "about 40 s", "about
 * 12 min", "about 2 h 10 min". */
static char *
format_estimate (double seconds)
{
  if (seconds < 60.0)
    /* Translators: an estimated duration. */
    return g_strdup_printf (_("about %d s"), MAX (1, (int) lround (seconds)));
  if (seconds < 3600.0)
    /* Translators: an estimated duration. */
    return g_strdup_printf (_("about %d min"), (int) lround (seconds / 60.0));
  /* Translators: an estimated duration. */
  return g_strdup_printf (_("about %d h %02d min"), (int) (seconds / 3600.0),
                          (int) lround (fmod (seconds, 3600.0) / 60.0) % 60);
}

typedef struct
{
  ImpastoModel *model;
  GApplication *app;    /* held until the thread has returned, as a run holds it */
  double rate;          /* seconds per nominal GFLOP; 0 when it could not be measured */
} Calibration;

static void
calibration_free (Calibration *calibration)
{
  g_clear_object (&calibration->model);
  g_clear_object (&calibration->app);
  g_free (calibration);
}

static void
on_calibrated_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ImpastoWindow) self = user_data;
  Calibration *calibration = g_task_get_task_data (G_TASK (result));

  if (calibration->app != NULL)
    g_application_release (calibration->app);

  /* Not kept when cancelled: a run started meanwhile measures for itself. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self->calibration == NULL)
    return;
  g_clear_object (&self->calibration);
  if (calibration->rate > 0.0)
    impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, calibration->rate, NULL);
  _impasto_window_update_estimate (self);
}

static bool
calibration_should_stop (void *data)
{
  return g_cancellable_is_cancelled (data);
}

static void
calibrate_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Calibration *calibration = task_data;

  calibration->rate = impasto_run_speed_calibrate (impasto_model_get_weights (calibration->model),
                                                   0, calibration_should_stop, cancellable);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

/* This computer's speed has never been measured: measure it once in the background, while no
 * run is using the cores. */
static void
impasto_window_calibrate (ImpastoWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Calibration *calibration;

  if (self->model == NULL || self->calibration != NULL
      || (self->job != NULL && impasto_job_is_active (self->job)))
    return;

  self->calibration_tried = TRUE;
  self->calibration = g_cancellable_new ();
  task = g_task_new (NULL, self->calibration, on_calibrated_cb, g_object_ref (self));
  g_task_set_source_tag (task, impasto_window_calibrate);
  calibration = g_new0 (Calibration, 1);
  calibration->model = g_object_ref (self->model);
  calibration->app = g_application_get_default ();
  if (calibration->app != NULL)
    {
      g_object_ref (calibration->app);
      g_application_hold (calibration->app);
    }
  g_task_set_task_data (task, calibration, (GDestroyNotify) calibration_free);
  g_task_run_in_thread (task, calibrate_thread);
}

/* What a run of the window's pictures and settings at @width × @height is planned as: the
 * config (its paintings and regions by size only: the estimate reads no pixels, and the arrays
 * it points into are the caller's), params and ladder config, with the memory budget. */
static void
plan_config (ImpastoWindow        *self,
             int                   width,
             int                   height,
             ImpastoSessionConfig *config,
             ImpastoSessionParams *params,
             ImpastoLadderConfig  *ladder_config,
             ImpastoPainting      *paintings,
             ImpastoRegion        *regions)
{
  impasto_params_get_transfer_params (self->params, params);
  impasto_params_get_config (self->params, config);
  config->width = width;
  config->height = height;
  impasto_params_get_ladder_config (self->params, ladder_config);
  for (int i = 0; i < impasto_painting_list_get_n_paintings (self->painting_list); i++)
    {
      GdkPixbuf *pixbuf =
        impasto_image_well_get_pixbuf (impasto_painting_list_get_well (self->painting_list, i));

      if (pixbuf != NULL && config->n_paintings < IMPASTO_MAX_PAINTINGS)
        impasto_job_plan_painting (pixbuf, impasto_painting_list_get_scale (self->painting_list, i),
                                   width, height, &paintings[config->n_paintings++]);
    }
  config->paintings = config->n_paintings > 0 ? paintings : NULL;
  for (int i = 0; self->region_masks != NULL
                  && i < impasto_region_masks_get_n_regions (self->region_masks); i++)
    regions[config->n_regions++] = (ImpastoRegion) {
      NULL, impasto_region_masks_get_width (self->region_masks),
      impasto_region_masks_get_height (self->region_masks), 0, 1.0 };
  config->regions = config->n_regions > 0 ? regions : NULL;
}

static void
picture_size (ImpastoWindow *self,
              int           *width,
              int           *height)
{
  int size = impasto_params_get_size (self->params);
  GdkPixbuf *content = impasto_image_well_get_pixbuf (self->content_well);

  if (content != NULL)
    impasto_image_fit_size (gdk_pixbuf_get_width (content), gdk_pixbuf_get_height (content), size,
                            width, height);
  else
    *width = *height = size;
}

/* Whether @config's run, which does not fit with L-BFGS, fits with Adam; its peak in *@peak. */
static gboolean
fits_with_adam (const ImpastoWeights       *weights,
                const ImpastoLadderConfig  *ladder_config,
                const ImpastoSessionConfig *config,
                const ImpastoSessionParams *params,
                size_t                     *peak)
{
  ImpastoSessionConfig adam = *config;
  ImpastoEngineError error = { 0 };
  int n_x;
  int n_y;

  adam.optimizer = IMPASTO_OPTIMIZER_ADAM;
  return impasto_ladder_plan_tiles (weights, ladder_config, &adam, params, &n_x, &n_y, peak,
                                    &error) == IMPASTO_STATUS_OK;
}

/* The memory plan of a run at @width × @height: TRUE with its tile grid and peak estimate, or
 * FALSE with *@problem, a sentence that says why it cannot be painted and what to change (to
 * free). */
static gboolean
plan_memory (ImpastoWindow *self,
             int            width,
             int            height,
             int           *n_x,
             int           *n_y,
             guint64       *bytes,
             char         **problem)
{
  const ImpastoWeights *weights = impasto_model_get_weights (self->model);
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  ImpastoLadderConfig ladder_config;
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  ImpastoRegion regions[IMPASTO_MAX_REGIONS];
  ImpastoEngineError engine_error = { 0 };
  ImpastoStatus status;
  guint64 physical = impasto_run_estimate_available_memory ();
  g_autofree char *limit = NULL;
  size_t peak = 0;

  plan_config (self, width, height, &config, &params, &ladder_config, paintings, regions);
  *n_x = *n_y = 1;
  *bytes = 0;
  *problem = NULL;
  limit = g_format_size_full (ladder_config.max_bytes, G_FORMAT_SIZE_IEC_UNITS);
  status = impasto_ladder_plan_tiles (weights, &ladder_config, &config, &params, n_x, n_y, &peak,
                                      &engine_error);
  *bytes = peak;
  if (status == IMPASTO_STATUS_OK && (physical == 0 || peak <= physical))
    return TRUE;

  if (status == IMPASTO_STATUS_OK)
    {
      g_autofree char *memory = g_format_size_full (peak, G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: memory. */
      *problem = g_strdup_printf (_("needs about %s of memory, more than this computer has: "
                                    "choose a smaller size or a lower memory limit"), memory);
    }
  else if (status == IMPASTO_STATUS_INVALID_ARGUMENT && config.n_regions > 0)
    {
      g_autofree char *memory = NULL;

      ladder_config.max_bytes = 0;
      memory = g_format_size_full (impasto_ladder_estimate_bytes (weights, &ladder_config,
                                                                  &config, &params),
                                   G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: memory, then the memory limit. */
      *problem = g_strdup_printf (_("with regions needs about %s of memory, more than the limit "
                                    "of %s, and regions are not painted in tiles: choose a "
                                    "smaller size or a larger memory limit"), memory, limit);
    }
  else if (status == IMPASTO_STATUS_OUT_OF_MEMORY && config.optimizer == IMPASTO_OPTIMIZER_LBFGS
           && fits_with_adam (weights, &ladder_config, &config, &params, &peak))
    {
      /* L-BFGS keeps twenty vectors of the picture's size, which tiles do not make smaller:
       * Adam, two of them, fits. */
      g_autofree char *memory = g_format_size_full (peak, G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: the memory limit, then what Adam needs. */
      *problem = g_strdup_printf (_("needs more than the limit of %s with L-BFGS, whose history "
                                    "is not painted in tiles; with Adam about %s: choose Adam "
                                    "as the optimiser, a smaller size or a larger memory "
                                    "limit"), limit, memory);
    }
  else if (status == IMPASTO_STATUS_OUT_OF_MEMORY)
    {
      guint64 least = impasto_run_estimate_least_budget (weights, &ladder_config, &config,
                                                         &params);

      if (least > 0)
        {
          g_autofree char *memory = g_format_size_full (least, G_FORMAT_SIZE_IEC_UNITS);

          /* Translators: memory, then the memory limit. */
          *problem = g_strdup_printf (_("needs about %s of memory even in tiles, more than the "
                                        "limit of %s: choose a smaller size or a larger memory "
                                        "limit"), memory, limit);
        }
      else
        *problem = g_strdup (_("is too large to paint even in tiles: choose a smaller size"));
    }
  else
    *problem = g_strdup (engine_error.message);
  return FALSE;
}

gboolean
_impasto_window_check_memory (ImpastoWindow  *self,
                              char          **message)
{
  g_autofree char *problem = NULL;
  guint64 bytes;
  int width;
  int height;
  int n_x;
  int n_y;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  *message = NULL;
  if (self->model == NULL)
    return TRUE;
  picture_size (self, &width, &height);
  if (plan_memory (self, width, height, &n_x, &n_y, &bytes, &problem))
    return TRUE;
  /* Translators: the painting's size, then why it cannot be painted ("needs about 9.1 GiB of
   * memory even in tiles, …"). */
  *message = g_strdup_printf (_("A %d × %d painting %s"), width, height, problem);
  return FALSE;
}

void
_impasto_window_update_estimate (ImpastoWindow *self)
{
  g_autofree char *subtitle = NULL;
  int width;
  int height;

  g_assert (IMPASTO_IS_WINDOW (self));

  picture_size (self, &width, &height);
  gtk_widget_remove_css_class (GTK_WIDGET (self->size_row), "error");
  if (self->model == NULL)
    {
      /* Translators: the painting's size in pixels, "512 × 384 pixels". */
      subtitle = g_strdup_printf (_("%d × %d pixels"), width, height);
    }
  else
    {
      const ImpastoWeights *weights = impasto_model_get_weights (self->model);
      g_autofree char *memory = NULL;
      g_autofree char *problem = NULL;
      ImpastoSessionParams params;
      ImpastoLadderConfig ladder_config;
      guint64 bytes = 0;
      double rate;
      double seconds;
      int deepest;
      int n_x;
      int n_y;

      if (!plan_memory (self, width, height, &n_x, &n_y, &bytes, &problem))
        {
          /* Translators: the size in pixels, then why it cannot be painted. */
          subtitle = g_strdup_printf (_("%d × %d pixels · %s"), width, height, problem);
          gtk_widget_add_css_class (GTK_WIDGET (self->size_row), "error");
          adw_action_row_set_subtitle (self->size_row, subtitle);
          return;
        }

      {
        g_autofree char *amount = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);

        if (n_x * n_y > 1)
          /* Translators: memory, then the tile grid: "about 3.6 GiB of memory in 8 × 6 tiles". */
          memory = g_strdup_printf (_("about %s of memory in %d × %d tiles"), amount, n_x, n_y);
        else
          /* Translators: memory. */
          memory = g_strdup_printf (_("about %s of memory"), amount);
      }

      impasto_params_get_transfer_params (self->params, &params);
      impasto_params_get_ladder_config (self->params, &ladder_config);
      {
        ImpastoSessionConfig config;

        impasto_params_get_config (self->params, &config);
        rate = impasto_run_speed_lookup (NULL, config.optimizer, 0);
      }
      deepest = impasto_run_estimate_deepest_layer (&params);
      seconds = impasto_run_estimate_seconds (
        rate, impasto_run_estimate_gflop (weights, deepest, width, height));
      if (seconds > 0.0 && n_x * n_y > 1)
        {
          g_autofree char *total = format_estimate (
            impasto_run_estimate_ladder_seconds (weights, deepest, &ladder_config, width, height,
                                                 0, rate));

          /* Tiles compute their borders twice and every tile forward twice: the speed measured
           * on whole pictures gives a lower bound only (the README's benchmark has 1.5 to 2.2
           * times it). Translators: size, memory with the tiles, then the whole run's estimated
           * time at the speed of whole pictures ("about 3 h 20 min"). */
          subtitle = g_strdup_printf (_("%d × %d pixels · %s · more than %s to paint, as tiles "
                                        "take longer than this computer's measured speed"),
                                      width, height, memory, total);
        }
      else if (seconds > 0.0)
        {
          int preview = impasto_params_get_preview_size (self->params);
          g_autofree char *total = format_estimate (
            impasto_run_estimate_ladder_seconds (weights, deepest, &ladder_config, width, height,
                                                 0, rate));
          g_autofree char *each = _impasto_window_format_duration (seconds);

          if (preview > 0
              && impasto_run_estimate_ladder_seconds (weights, deepest, &ladder_config, width,
                                                      height, preview, rate)
                 < impasto_run_estimate_ladder_seconds (weights, deepest, &ladder_config, width,
                                                        height, 0, rate))
            {
              g_autofree char *first = format_estimate (
                impasto_run_estimate_ladder_seconds (weights, deepest, &ladder_config, width,
                                                     height, preview, rate));

              /* Translators: size, memory ("about 1.2 GiB of memory"), the preview's estimated
               * time ("about 40 s"), the whole painting's ("about 12 min"), then one
               * iteration's at full size. */
              subtitle = g_strdup_printf (_("%d × %d pixels · %s · a preview in %s, the full "
                                            "size in %s, estimated from this computer's speed "
                                            "(%s an iteration at full size)"),
                                          width, height, memory, first, total, each);
            }
          else
            /* Translators: size, memory ("about 1.2 GiB of memory"), the whole run's estimated
             * time ("about 12 min"), then the time of one iteration ("0.8 s"). */
            subtitle = g_strdup_printf (_("%d × %d pixels · %s · %s to paint, estimated from "
                                          "this computer's speed (%s an iteration at full "
                                          "size)"),
                                        width, height, memory, total, each);
        }
      else
        {
          if (rate <= 0.0 && !self->calibration_tried)
            impasto_window_calibrate (self);
          /* Translators: size, then memory ("about 1.2 GiB of memory"). */
          subtitle = g_strdup_printf (self->calibration != NULL
                                      ? _("%d × %d pixels · %s · measuring this computer's "
                                          "speed…")
                                      : _("%d × %d pixels · %s"),
                                      width, height, memory);
        }
    }

  adw_action_row_set_subtitle (self->size_row, subtitle);
}

/* What a finished or stopped run measured refines the stored speed of this computer. */
void
_impasto_window_record_speed (ImpastoWindow *self,
                             ImpastoJob    *job)
{
  const ImpastoJobRecord *records;
  const ImpastoWeights *weights;
  double total_ms = 0.0;
  double total_gflop = 0.0;
  int deepest;
  int final_scale;
  guint n;
  guint steps = 0;

  if (self->model == NULL)
    return;

  /* The steps at the full size only, as impasto-cli counts them: smaller sizes spend more of
   * their time outside the convolutions, so their speed per GFLOP would say this computer is
   * slower than it is; a size's first step warms caches up. */
  /* A run painted in tiles is slower than this computer's speed on whole pictures. */
  {
    int n_x;
    int n_y;

    impasto_job_get_tiles (job, &n_x, &n_y);
    if (n_x * n_y > 1)
      return;
  }

  weights = impasto_model_get_weights (self->model);
  deepest = impasto_run_estimate_deepest_layer (impasto_job_get_initial_params (job));
  final_scale = impasto_job_get_n_scales (job) - 1;
  records = impasto_job_get_history (job, &n);
  for (guint i = 1; i < n; i++)
    if (records[i].scale == final_scale && records[i - 1].scale == final_scale
        && records[i - 1].iteration > 0)
      {
        total_ms += records[i].ms;
        total_gflop += impasto_run_estimate_gflop (weights, deepest, records[i].width,
                                                   records[i].height);
        steps++;
      }
  if (steps < 3 || total_ms <= 0.0 || total_gflop <= 0.0)
    {
      /* Too short to measure: if nothing is stored yet, the idle window measures again. */
      self->calibration_tried = FALSE;
      _impasto_window_update_estimate (self);
      return;
    }

  if (impasto_run_speed_record_run (NULL, impasto_job_get_config (job)->optimizer, 0,
                                    total_ms / steps / 1000.0, total_gflop / steps, NULL) > 0.0)
    _impasto_window_update_estimate (self);
}
