/* impasto-ladder.c
 *
 * The ladder of sizes over one session at a time: the sizes rule, the budgets and the
 * convergence test, and the move from one size to the next (pictures resampled from the final
 * size, the result and Adam's moments resampled up). Buffers are allocated when a size begins
 * and freed when it ends; the steps in between allocate nothing.
 *
 * It does not decode images or pick thread counts, and it does not decide when to move on: the
 * caller asks impasto_ladder_size_done() and calls impasto_ladder_advance().
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-ladder.h"
#include "impasto-ladder-private.h"
#include "impasto-ladder-windows.h"
#include "impasto-session-private.h"
#include "impasto-memory.h"
#include "impasto-resample.h"


void
impasto_ladder_config_init_default (ImpastoLadderConfig *config)
{
  memset (config, 0, sizeof *config);
  config->min_side = 128;
  config->max_sizes = IMPASTO_LADDER_MAX_SIZES;
  impasto_ladder_config_set_budgets (config, 1000);
  config->tolerance = 0.0;
  config->window = 10;
}

void
impasto_ladder_config_set_budgets (ImpastoLadderConfig *config, int iterations)
{
  config->iterations = iterations;
  config->middle_iterations = (int) (((long) iterations + 19) / 20);
  config->first_iterations = (int) (((long) iterations + 9) / 10);
}

static int
round_side (double value)
{
  long r = lround (value);

  return r < 1 ? 1 : (int) r;
}

int
impasto_ladder_plan_sizes (int final_width, int final_height, int min_side, int max_sizes,
                           int *widths, int *heights)
{
  int longest = final_width > final_height ? final_width : final_height;
  int w[IMPASTO_LADDER_MAX_SIZES], h[IMPASTO_LADDER_MAX_SIZES];
  int n = 0;

  if (final_width < 1 || final_height < 1 || max_sizes < 1
      || max_sizes > IMPASTO_LADDER_MAX_SIZES || min_side < 1)
    return 0;

  /* Counted down from the final size. */
  for (int j = 0; j < max_sizes; j++)
    {
      int side = round_side (longest / pow (2.0, j / 2.0));
      int sw, sh;

      if (j > 0 && side < min_side)
        break;
      sw = final_width == longest ? side
                                  : round_side ((double) final_width * side / longest);
      sh = final_height == longest ? side
                                   : round_side ((double) final_height * side / longest);
      if (j > 0 && (sw < 16 || sh < 16 || (sw == w[n - 1] && sh == h[n - 1])))
        break;
      w[n] = sw;
      h[n] = sh;
      n++;
    }

  /* Smallest first. */
  for (int i = 0; i < n; i++)
    {
      if (widths != NULL)
        widths[i] = w[n - 1 - i];
      if (heights != NULL)
        heights[i] = h[n - 1 - i];
    }
  return n;
}

ImpastoStatus
impasto_ladder_config_validate (const ImpastoLadderConfig *config, ImpastoEngineError *error)
{
  if (config->min_side < 16)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the smallest size must be at least 16 pixels, not %d",
                                     config->min_side);
  if (config->max_sizes < 1 || config->max_sizes > IMPASTO_LADDER_MAX_SIZES)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the number of sizes must be from 1 to %d, not %d",
                                     IMPASTO_LADDER_MAX_SIZES, config->max_sizes);
  if (config->iterations < 0 || config->middle_iterations < 0 || config->first_iterations < 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "a size's number of iterations cannot be negative");
  if (!isfinite (config->tolerance) || config->tolerance < 0.0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the tolerance must be a finite number of at least 0, "
                                     "not %g", config->tolerance);
  if (config->window < 1)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the convergence window must be at least 1 step, not %d",
                                     config->window);
  return IMPASTO_STATUS_OK;
}

size_t
impasto_ladder_estimate_bytes (const ImpastoWeights *weights,
                               const ImpastoLadderConfig *ladder_config,
                               const ImpastoSessionConfig *config,
                               const ImpastoSessionParams *params)
{
  int widths[IMPASTO_LADDER_MAX_SIZES], heights[IMPASTO_LADDER_MAX_SIZES];
  int windows[IMPASTO_LADDER_MAX_SIZES];
  int n = impasto_ladder_plan_sizes (config->width, config->height, ladder_config->min_side,
                                     ladder_config->max_sizes, widths, heights);
  size_t peak = 0;

  if (n == 0
      || _impasto_ladder_plan_windows (weights, ladder_config->max_bytes, config, params, n,
                                       widths, heights, windows, &peak, NULL)
         != IMPASTO_STATUS_OK)
    return 0;
  return peak;
}

ImpastoStatus
impasto_ladder_plan_tiles (const ImpastoWeights *weights,
                           const ImpastoLadderConfig *ladder_config,
                           const ImpastoSessionConfig *config,
                           const ImpastoSessionParams *params,
                           int *n_x,
                           int *n_y,
                           size_t *bytes,
                           ImpastoEngineError *error)
{
  int widths[IMPASTO_LADDER_MAX_SIZES], heights[IMPASTO_LADDER_MAX_SIZES];
  int windows[IMPASTO_LADDER_MAX_SIZES];
  int n = impasto_ladder_plan_sizes (config->width, config->height, ladder_config->min_side,
                                     ladder_config->max_sizes, widths, heights);
  ImpastoSessionConfig final = *config;
  ImpastoTileGrid grid;
  ImpastoStatus status;
  size_t peak = 0;

  *n_x = *n_y = 1;
  if (n == 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%d×%d is not a usable size", config->width, config->height);
  status = _impasto_ladder_plan_windows (weights, ladder_config->max_bytes, config, params, n,
                                         widths, heights, windows, &peak, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  final.tile_window = windows[n - 1];
  if (_impasto_session_tile_grid (&final, params, &grid))
    {
      *n_x = grid.x.n;
      *n_y = grid.y.n;
    }
  if (bytes != NULL)
    *bytes = peak;
  return IMPASTO_STATUS_OK;
}

void
impasto_ladder_get_tiles (const ImpastoLadder *self, int *n_x, int *n_y)
{
  impasto_session_get_tiles (self->session, n_x, n_y);
}

static float *
copy_picture (const float *rgb, size_t n)
{
  float *copy = impasto_alloc_floats (n);

  if (copy != NULL)
    memcpy (copy, rgb, n * sizeof (float));
  return copy;
}

/* The current size's copy buffers: its picture and the scratch to resample it to the final
 * size. */
ImpastoStatus
_impasto_ladder_plan_copies (ImpastoLadder *self, int scale, float **current, float **scratch)
{
  int w = self->widths[scale], h = self->heights[scale];

  *current = impasto_alloc_floats ((size_t) 3 * w * h);
  *scratch = impasto_alloc_floats (impasto_resample_scratch_floats (h, self->config.width, 3));
  if (*current == NULL || *scratch == NULL)
    {
      impasto_free_buffer (*current);
      impasto_free_buffer (*scratch);
      *current = *scratch = NULL;
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  return IMPASTO_STATUS_OK;
}

void
_impasto_ladder_install_size (ImpastoLadder *self, int scale, ImpastoSession *session,
                              float *current, float *scratch)
{
  if (self->session != NULL)
    self->painting_passes += impasto_session_get_painting_passes (self->session);
  impasto_session_free (self->session);
  impasto_free_buffer (self->current);
  impasto_free_buffer (self->scratch);
  self->session = session;
  self->current = current;
  self->scratch = scratch;
  self->scale = scale;
  self->steps = 0;
  self->budget_from = 0;
  self->base = -1;
  self->converged = false;
}

/* @rgb (final size) resampled to size @scale, or NULL when out of memory; @rgb itself at the
 * final size, so that a one-size ladder hands the caller's pixels on untouched. */
static float *
picture_at (ImpastoLadder *self, const float *rgb, int scale, bool *owned)
{
  int w = self->widths[scale], h = self->heights[scale];
  float *out, *scratch;

  *owned = false;
  if (w == self->config.width && h == self->config.height)
    return (float *) rgb;
  out = impasto_alloc_floats ((size_t) 3 * w * h);
  scratch = impasto_alloc_floats (impasto_resample_scratch_floats (self->config.height, w, 3));
  if (out == NULL || scratch == NULL)
    {
      impasto_free_buffer (out);
      impasto_free_buffer (scratch);
      return NULL;
    }
  impasto_resample (out, scratch, rgb, self->config.width, self->config.height, w, h, 3);
  impasto_free_buffer (scratch);
  *owned = true;
  return out;
}

/* A session at size @scale whose start is @init_rgb (at that size) or, when NULL, the config's
 * own start. */
ImpastoStatus
_impasto_ladder_open_size (ImpastoLadder *self, int scale, const float *init_rgb,
                           const ImpastoSessionParams *params, ImpastoSession **out,
                           ImpastoEngineError *error)
{
  ImpastoSessionConfig config = self->config;
  bool content_owned = false, style_owned = false, init_owned = false;
  float *content = picture_at (self, self->content, scale, &content_owned);
  /* A painting list goes as it is: the session sees each painting at its brush size for this
   * picture size, so the strokes keep their proportion to the picture at every size. */
  float *style = self->style == NULL ? NULL
                 : content != NULL ? picture_at (self, self->style, scale, &style_owned) : NULL;
  bool style_missing = self->style != NULL && style == NULL;
  float *init = NULL;
  ImpastoStatus status;

  if (init_rgb == NULL && self->init != NULL && content != NULL && !style_missing)
    init = picture_at (self, self->init, scale, &init_owned);
  if (content == NULL || style_missing
      || (init_rgb == NULL && self->init != NULL && init == NULL))
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory for the pictures at %d×%d",
                                         self->widths[scale], self->heights[scale]);
      goto out;
    }

  config.width = self->widths[scale];
  config.height = self->heights[scale];
  config.content_rgb = content;
  config.style_rgb = style;
  if (init_rgb != NULL)
    {
      config.init = IMPASTO_INIT_IMAGE;
      config.init_rgb = init_rgb;
    }
  else
    config.init_rgb = init;
  config.regions = NULL;
  config.n_regions = 0;
  config.tile_window = self->windows[scale];
  status = impasto_session_new (out, self->weights, &config, params, self->should_stop,
                                self->should_stop_data, error);
  for (int i = 0; i < IMPASTO_MAX_REGIONS && status == IMPASTO_STATUS_OK; i++)
    if (self->region_masks[i] != NULL)
      status = impasto_session_set_region (*out, i, &self->regions[i], error);
  if (status != IMPASTO_STATUS_OK && *out != NULL)
    {
      impasto_session_free (*out);
      *out = NULL;
    }

out:
  if (content_owned)
    impasto_free_buffer (content);
  if (style_owned)
    impasto_free_buffer (style);
  if (init_owned)
    impasto_free_buffer (init);
  return status;
}

/* Every size's network reads the same transformed filters: the caller's (config.filters) if
 * they serve @params, else the ladder's own, made once here (a session would otherwise transform
 * them anew at each size, ~0.2–1 s and 143 MB each for VGG19). A one-size ladder leaves it to its
 * session, as a flat run. On success *@replaced holds filters of ours that the new ones replace,
 * to free once no session reads them. */
ImpastoStatus
_impasto_ladder_ensure_filters (ImpastoLadder *self, const ImpastoSessionParams *params,
                                ImpastoVgg19Filters **replaced, ImpastoEngineError *error)
{
  int deepest = impasto_session_params_deepest_layer (params);
  ImpastoVgg19Filters *filters = NULL;
  ImpastoStatus status;

  *replaced = NULL;
  if (self->n_sizes < 2 || deepest < 0
      || impasto_vgg19_filters_serve (self->config.filters, self->weights, deepest))
    return IMPASTO_STATUS_OK;
  status = impasto_vgg19_filters_new (&filters, self->weights, deepest, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  *replaced = self->own_filters;
  self->own_filters = filters;
  self->config.filters = filters;
  return IMPASTO_STATUS_OK;
}

/* A fresh session at the smallest size, from the config's start. */
static ImpastoStatus
start_smallest (ImpastoLadder *self, const ImpastoSessionParams *params,
                ImpastoEngineError *error)
{
  ImpastoSession *session = NULL;
  const ImpastoVgg19Filters *filters = self->config.filters;
  ImpastoVgg19Filters *replaced = NULL;
  float *current, *scratch;
  ImpastoStatus status;

  if (_impasto_ladder_plan_copies (self, 0, &current, &scratch) != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  status = _impasto_ladder_ensure_filters (self, params, &replaced, error);
  if (status == IMPASTO_STATUS_OK)
    status = _impasto_ladder_open_size (self, 0, NULL, params, &session, error);
  if (status != IMPASTO_STATUS_OK)
    {
      /* Back to the filters the current session reads. */
      if (self->config.filters != filters)
        {
          impasto_vgg19_filters_free (self->own_filters);
          self->own_filters = replaced;
          self->config.filters = filters;
        }
      impasto_free_buffer (current);
      impasto_free_buffer (scratch);
      return status;
    }
  _impasto_ladder_install_size (self, 0, session, current, scratch);
  impasto_vgg19_filters_free (replaced);
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_ladder_new (ImpastoLadder **out,
                    const ImpastoWeights *weights,
                    const ImpastoLadderConfig *ladder_config,
                    const ImpastoSessionConfig *config,
                    const ImpastoSessionParams *params,
                    ImpastoShouldStop should_stop,
                    void *should_stop_data,
                    ImpastoEngineError *error)
{
  ImpastoLadder *self;
  ImpastoStatus status;
  int windows[IMPASTO_LADDER_MAX_SIZES] = { 0 };
  size_t n;

  *out = NULL;
  if ((status = impasto_ladder_config_validate (ladder_config, error)))
    return status;
  if (config->width < 16 || config->height < 16)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%d×%d is too small: VGG19 needs at least 16×16 pixels",
                                     config->width, config->height);
  if (config->width > 1 << 15 || config->height > 1 << 15)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%d×%d is not a usable image size: at most %d pixels a side",
                                     config->width, config->height, 1 << 15);
  if (config->n_paintings < 0 || config->n_paintings > IMPASTO_MAX_PAINTINGS
      || (config->n_paintings > 0 && config->paintings == NULL))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "a run takes 1 to %d paintings, not %d",
                                     IMPASTO_MAX_PAINTINGS, config->n_paintings);
  if (config->content_rgb == NULL || (config->n_paintings == 0 && config->style_rgb == NULL))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "both a content and a style image are needed");
  for (int i = 0; i < config->n_paintings; i++)
    if ((status = impasto_painting_validate (&config->paintings[i], i, config->width,
                                             config->height, error)))
      return status;
  if ((status = impasto_session_config_validate_regions (config, error)))
    return status;
  if (config->init == IMPASTO_INIT_IMAGE && config->init_rgb == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the initial image was not given");
  /* Which sizes need tiles under the budget, before anything large is allocated. */
  {
    int widths[IMPASTO_LADDER_MAX_SIZES], heights[IMPASTO_LADDER_MAX_SIZES];
    int n_sizes = impasto_ladder_plan_sizes (config->width, config->height,
                                             ladder_config->min_side, ladder_config->max_sizes,
                                             widths, heights);
    size_t peak;

    if ((status = _impasto_ladder_plan_windows (weights, ladder_config->max_bytes, config, params,
                                                n_sizes, widths, heights, windows, &peak,
                                                error)))
      return status;
  }

  self = calloc (1, sizeof *self);
  if (self == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  self->weights = weights;
  self->ladder_config = *ladder_config;
  self->config = *config;
  self->params = *params;
  self->should_stop = should_stop;
  self->should_stop_data = should_stop_data;
  self->n_sizes = impasto_ladder_plan_sizes (config->width, config->height,
                                             ladder_config->min_side, ladder_config->max_sizes,
                                             self->widths, self->heights);
  self->last_scale = self->n_sizes - 1;
  memcpy (self->windows, windows, sizeof self->windows);

  n = (size_t) 3 * config->width * config->height;
  self->recent = calloc ((size_t) ladder_config->window + 1, sizeof (double));
  self->content = copy_picture (config->content_rgb, n);
  if (config->n_paintings == 0)
    self->style = copy_picture (config->style_rgb, n);
  self->n_paintings = config->n_paintings;
  for (int i = 0; i < config->n_paintings; i++)
    {
      const ImpastoPainting *p = &config->paintings[i];

      self->painting_rgb[i] = copy_picture (p->rgb, (size_t) 3 * p->width * p->height);
      self->paintings[i] = *p;
      self->paintings[i].rgb = self->painting_rgb[i];
      if (self->painting_rgb[i] == NULL)
        status = IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  for (int i = 0; i < config->n_regions && status == IMPASTO_STATUS_OK; i++)
    {
      const ImpastoRegion *r = &config->regions[i];

      self->region_masks[i] = copy_picture (r->mask, (size_t) r->width * r->height);
      self->regions[i] = *r;
      self->regions[i].mask = self->region_masks[i];
      if (self->region_masks[i] == NULL)
        status = IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  self->config.regions = NULL;
  self->config.n_regions = 0;
  if (config->init == IMPASTO_INIT_IMAGE)
    self->init = copy_picture (config->init_rgb, n);
  if (self->recent == NULL || self->content == NULL
      || (config->n_paintings == 0 && self->style == NULL) || status != IMPASTO_STATUS_OK
      || (config->init == IMPASTO_INIT_IMAGE && self->init == NULL))
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory for the pictures at %d×%d",
                                         config->width, config->height);
      goto fail;
    }
  self->config.content_rgb = self->content;
  self->config.style_rgb = self->style;
  self->config.paintings = self->n_paintings > 0 ? self->paintings : NULL;
  self->config.init_rgb = self->init;

  status = start_smallest (self, params, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;
  *out = self;
  return IMPASTO_STATUS_OK;

fail:
  impasto_ladder_free (self);
  return status;
}

void
impasto_ladder_free (ImpastoLadder *self)
{
  if (self == NULL)
    return;
  impasto_session_free (self->session);
  impasto_vgg19_filters_free (self->own_filters);
  impasto_free_buffer (self->current);
  impasto_free_buffer (self->scratch);
  impasto_free_buffer (self->content);
  impasto_free_buffer (self->style);
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    impasto_free_buffer (self->painting_rgb[i]);
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    impasto_free_buffer (self->region_masks[i]);
  impasto_free_buffer (self->init);
  free (self->recent);
  free (self);
}

int
impasto_ladder_get_n_sizes (const ImpastoLadder *self)
{
  return self->n_sizes;
}

void
impasto_ladder_get_size (const ImpastoLadder *self, int scale, int *width, int *height)
{
  IMPASTO_CHECK (scale >= 0 && scale < self->n_sizes);
  if (width != NULL)
    *width = self->widths[scale];
  if (height != NULL)
    *height = self->heights[scale];
}

int
impasto_ladder_config_get_budget (const ImpastoLadderConfig *config, int n_sizes, int scale)
{
  if (scale == 0 && n_sizes > 1)
    return config->first_iterations;
  if (scale < n_sizes - 1)
    return config->middle_iterations;
  return config->iterations;
}

double
impasto_ladder_plan_work_left (const ImpastoLadderConfig *config,
                               int n_sizes,
                               const int *widths,
                               const int *heights,
                               int scale,
                               int steps,
                               int last_scale)
{
  double pixels = (double) widths[scale] * heights[scale];
  int budget = impasto_ladder_config_get_budget (config, n_sizes, scale);
  double left = budget > steps ? budget - steps : 0;

  for (int k = scale + 1; k <= last_scale && k < n_sizes; k++)
    left += impasto_ladder_config_get_budget (config, n_sizes, k)
            * ((double) widths[k] * heights[k]) / pixels;
  return left;
}

int
impasto_ladder_get_budget (const ImpastoLadder *self, int scale)
{
  IMPASTO_CHECK (scale >= 0 && scale < self->n_sizes);
  return impasto_ladder_config_get_budget (&self->ladder_config, self->n_sizes, scale);
}

void
impasto_ladder_set_iterations (ImpastoLadder *self, int iterations)
{
  impasto_ladder_config_set_budgets (&self->ladder_config, iterations < 0 ? 0 : iterations);
}

void
impasto_ladder_renew_budget (ImpastoLadder *self)
{
  self->budget_from = self->steps;
  self->converged = false;
  self->base = -1;
}

int
impasto_ladder_get_budget_steps (const ImpastoLadder *self)
{
  return self->steps - self->budget_from;
}

double
impasto_ladder_get_work_left (const ImpastoLadder *self)
{
  return impasto_ladder_plan_work_left (&self->ladder_config, self->n_sizes, self->widths,
                                        self->heights, self->scale,
                                        self->steps - self->budget_from, self->last_scale);
}

int
impasto_ladder_plan_find_scale (const int *widths, const int *heights, int n_sizes,
                                int longest_side)
{
  int found = 0;

  for (int k = 0; k < n_sizes; k++)
    if ((widths[k] > heights[k] ? widths[k] : heights[k]) <= longest_side)
      found = k;
  return found;
}

int
impasto_ladder_find_scale (const ImpastoLadder *self, int longest_side)
{
  return impasto_ladder_plan_find_scale (self->widths, self->heights, self->n_sizes,
                                         longest_side);
}

int
impasto_ladder_get_scale (const ImpastoLadder *self)
{
  return self->scale;
}

ImpastoSession *
impasto_ladder_get_session (ImpastoLadder *self)
{
  return self->session;
}

ImpastoStatus
impasto_ladder_set_params (ImpastoLadder *self, const ImpastoSessionParams *params,
                           ImpastoEngineError *error)
{
  ImpastoStatus status = impasto_session_set_params (self->session, params, error);

  if (status == IMPASTO_STATUS_OK && memcmp (&self->params, params, sizeof *params) != 0)
    {
      /* A new loss function: the window starts again from its value. */
      self->params = *params;
      self->base = -1;
      self->converged = false;
    }
  return status;
}

void
impasto_ladder_set_last_scale (ImpastoLadder *self, int scale)
{
  self->last_scale = scale < 0 ? 0 : scale >= self->n_sizes ? self->n_sizes - 1 : scale;
}

int
impasto_ladder_get_last_scale (const ImpastoLadder *self)
{
  return self->last_scale;
}

ImpastoStatus
impasto_ladder_evaluate (ImpastoLadder *self, ImpastoLosses *losses, ImpastoEngineError *error)
{
  return impasto_session_evaluate (self->session, losses, error);
}

ImpastoStatus
impasto_ladder_step (ImpastoLadder *self, ImpastoLosses *losses, ImpastoEngineError *error)
{
  int window = self->ladder_config.window;
  ImpastoLosses after;
  ImpastoStatus status;

  /* The loss the window starts from: the size's first image, or the image when the parameters
   * (so the loss function) last changed. The step evaluates it anyway, so asking first costs
   * nothing and changes nothing. */
  if (self->base < 0)
    {
      status = impasto_session_evaluate (self->session, &after, error);
      if (status != IMPASTO_STATUS_OK)
        return status;
      self->base = self->steps;
      self->recent[self->steps % (window + 1)] = after.total;
    }

  status = impasto_session_step (self->session, &after, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  self->steps++;
  /* Step i's loss goes to slot i mod (window + 1); the next write to the slot of step
   * i - window is step i + 1's, so it is still there. */
  self->recent[self->steps % (window + 1)] = after.total;
  if (self->steps - self->base >= window && self->ladder_config.tolerance > 0.0)
    {
      double then = self->recent[(self->steps - window) % (window + 1)];

      self->converged = fabs (after.total - then) < self->ladder_config.tolerance * fabs (then);
    }
  if (losses != NULL)
    *losses = after;
  return IMPASTO_STATUS_OK;
}

int
impasto_ladder_get_size_steps (const ImpastoLadder *self)
{
  return self->steps;
}

bool
impasto_ladder_size_done (const ImpastoLadder *self)
{
  return self->converged
         || self->steps - self->budget_from >= impasto_ladder_get_budget (self, self->scale);
}

bool
impasto_ladder_done (const ImpastoLadder *self)
{
  return self->scale >= self->last_scale && impasto_ladder_size_done (self);
}

ImpastoStatus
impasto_ladder_advance (ImpastoLadder *self, ImpastoEngineError *error)
{
  int next = self->scale + 1;
  int w0 = self->widths[self->scale], h0 = self->heights[self->scale];
  int w1, h1;
  size_t plane0 = (size_t) w0 * h0, plane1;
  float *init = NULL, *m = NULL, *v = NULL, *scratch = NULL;
  float *current = NULL, *copy_scratch = NULL;
  const float *old_m, *old_v;
  long t = 0;
  bool adam;
  ImpastoSession *session = NULL;
  ImpastoStatus status;

  if (next >= self->n_sizes)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the ladder is at its final size already");
  w1 = self->widths[next];
  h1 = self->heights[next];
  plane1 = (size_t) w1 * h1;
  adam = impasto_session_get_adam_state (self->session, &old_m, &old_v, &t)
         == IMPASTO_STATUS_OK;

  init = impasto_alloc_floats (3 * plane1);
  scratch = impasto_alloc_floats (impasto_resample_scratch_floats (h0, w1, 3));
  if (adam)
    {
      m = impasto_alloc_floats (3 * plane1);
      v = impasto_alloc_floats (3 * plane1);
    }
  if (init == NULL || scratch == NULL || (adam && (m == NULL || v == NULL))
      || _impasto_ladder_plan_copies (self, next, &current, &copy_scratch) != IMPASTO_STATUS_OK)
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory to move to %d×%d", w1, h1);
      goto out;
    }

  /* The picture, then each plane of each moment. */
  impasto_session_copy_rgb (self->session, self->current);
  impasto_resample (init, scratch, self->current, w0, h0, w1, h1, 3);
  if (adam)
    {
      /* Every loss term is a mean over the pixels, so a pixel's gradient scales as 1 / pixels:
       * at the larger size the gradients are plane0 / plane1 of what they were, and the moments
       * are brought to that scale (m by the ratio, v by its square). Unscaled, the carried v
       * would be too large for the new gradients, and with beta2 = 0.999 it would shrink Adam's
       * steps for hundreds of iterations. */
      float ratio = (float) ((double) plane0 / (double) plane1);

      for (int c = 0; c < 3; c++)
        {
          impasto_resample (m + c * plane1, scratch, old_m + c * plane0, w0, h0, w1, h1, 1);
          impasto_resample (v + c * plane1, scratch, old_v + c * plane0, w0, h0, w1, h1, 1);
        }
      for (size_t i = 0; i < 3 * plane1; i++)
        {
          m[i] *= ratio;
          v[i] *= ratio * ratio;
        }
    }
  impasto_free_buffer (scratch);
  scratch = NULL;

  /* The old session stays until the new one exists (it is at most half the new one's size), so
   * that a failure or a stop while the targets are computed leaves the ladder where it was. */
  status = _impasto_ladder_open_size (self, next, init, &self->params, &session, error);
  if (status != IMPASTO_STATUS_OK)
    goto out;
  if (adam)
    impasto_session_import_adam_state (session, m, v, t);
  _impasto_ladder_install_size (self, next, session, current, copy_scratch);
  current = copy_scratch = NULL;

out:
  impasto_free_buffer (init);
  impasto_free_buffer (scratch);
  impasto_free_buffer (m);
  impasto_free_buffer (v);
  impasto_free_buffer (current);
  impasto_free_buffer (copy_scratch);
  return status;
}

ImpastoStatus
impasto_ladder_restart (ImpastoLadder *self, const ImpastoSessionParams *params,
                        ImpastoEngineError *error)
{
  ImpastoStatus status = impasto_session_params_validate (params, error);
  ImpastoSessionParams saved = self->params;

  if (status != IMPASTO_STATUS_OK)
    return status;
  self->params = *params;
  status = start_smallest (self, params, error);
  if (status != IMPASTO_STATUS_OK)
    self->params = saved;
  return status;
}

void
impasto_ladder_copy_rgb (const ImpastoLadder *self, float *rgb)
{
  impasto_session_copy_rgb (self->session, rgb);
}

void
impasto_ladder_copy_rgb_final (ImpastoLadder *self, float *rgb)
{
  int w = self->widths[self->scale], h = self->heights[self->scale];

  if (w == self->config.width && h == self->config.height)
    {
      impasto_session_copy_rgb (self->session, rgb);
      return;
    }
  impasto_session_copy_rgb (self->session, self->current);
  impasto_resample (rgb, self->scratch, self->current, w, h, self->config.width,
                    self->config.height, 3);
}

void
impasto_ladder_copy_rgb8_final (ImpastoLadder *self, float *scratch, uint8_t *rgb, size_t stride)
{
  int w = self->widths[self->scale], h = self->heights[self->scale];

  if (w == self->config.width && h == self->config.height)
    {
      impasto_session_copy_rgb8 (self->session, rgb, stride);
      return;
    }
  impasto_ladder_copy_rgb_final (self, scratch);
  /* Clamped and rounded as impasto_session_copy_rgb8(). */
  for (int y = 0; y < self->config.height; y++)
    {
      const float *src = scratch + (size_t) y * self->config.width * 3;
      uint8_t *dst = rgb + (size_t) y * stride;

      for (int i = 0; i < self->config.width * 3; i++)
        {
          float v = src[i];

          dst[i] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t) lrintf (v);
        }
    }
}

ImpastoStatus
impasto_ladder_set_painting (ImpastoLadder *self, int index, const ImpastoPainting *painting,
                             ImpastoEngineError *error)
{
  ImpastoPainting copy;
  float *rgb;
  ImpastoStatus status;

  if (index < 0 || index >= self->n_paintings)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "there is no painting %d", index + 1);
  status = impasto_painting_validate (painting, index, self->config.width, self->config.height,
                                      error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  /* Its own pixels again (a new brush size only): no copy. */
  if (painting->rgb == self->painting_rgb[index])
    rgb = self->painting_rgb[index];
  else
    {
      rgb = copy_picture (painting->rgb, (size_t) 3 * painting->width * painting->height);
      if (rgb == NULL)
        return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory for the painting");
    }
  copy = *painting;
  copy.rgb = rgb;
  status = impasto_session_set_painting (self->session, index, &copy, error);
  if (status != IMPASTO_STATUS_OK)
    {
      if (rgb != self->painting_rgb[index])
        impasto_free_buffer (rgb);
      return status;
    }
  if (rgb != self->painting_rgb[index])
    impasto_free_buffer (self->painting_rgb[index]);
  self->painting_rgb[index] = rgb;
  self->paintings[index] = copy;
  /* The loss is another function from here: convergence is measured afresh. */
  self->base = -1;
  self->converged = false;
  return IMPASTO_STATUS_OK;
}

void
impasto_ladder_get_painting (const ImpastoLadder *self, int index, ImpastoPainting *painting)
{
  IMPASTO_CHECK (index >= 0 && index < self->n_paintings);
  *painting = self->paintings[index];
}

ImpastoStatus
impasto_ladder_set_region (ImpastoLadder *self, int index, const ImpastoRegion *region,
                           ImpastoEngineError *error)
{
  ImpastoRegion copy;
  float *mask = NULL;
  ImpastoStatus status;

  if (index < 0 || index >= IMPASTO_MAX_REGIONS)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "there is no region %d: a picture has at most %d",
                                     index + 1, IMPASTO_MAX_REGIONS);
  /* No region there: nothing changes, the run's convergence is not measured afresh. */
  if (region == NULL && self->region_masks[index] == NULL)
    return IMPASTO_STATUS_OK;
  if (region != NULL)
    {
      /* Refused now rather than when the run reaches a size it paints in tiles. */
      for (int k = 0; k < self->n_sizes; k++)
        if (self->windows[k] > 0)
          return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                           "regions are not painted in tiles, and this run "
                                           "paints its %d×%d size in tiles to fit its memory "
                                           "budget", self->widths[k], self->heights[k]);
      status = impasto_region_validate (region, index,
                                        self->n_paintings > 0 ? self->n_paintings : 1, error);
      if (status != IMPASTO_STATUS_OK)
        return status;
      mask = copy_picture (region->mask, (size_t) region->width * region->height);
      if (mask == NULL)
        return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory for the mask of region %d",
                                         index + 1);
      copy = *region;
      copy.mask = mask;
    }
  status = impasto_session_set_region (self->session, index, region != NULL ? &copy : NULL,
                                       error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_free_buffer (mask);
      return status;
    }
  impasto_free_buffer (self->region_masks[index]);
  self->region_masks[index] = mask;
  if (region != NULL)
    self->regions[index] = copy;
  /* The loss is another function from here: convergence is measured afresh. */
  self->base = -1;
  self->converged = false;
  return IMPASTO_STATUS_OK;
}

int
impasto_ladder_get_n_regions (const ImpastoLadder *self)
{
  int n = 0;

  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    if (self->region_masks[i] != NULL)
      n = i + 1;
  return n;
}

int
impasto_ladder_get_painting_passes (const ImpastoLadder *self)
{
  return self->painting_passes + impasto_session_get_painting_passes (self->session);
}
