/* impasto-session.c
 *
 * The painting session: the network planned once, the objective's targets computed once, then
 * one optimiser update per step with the losses of the updated image. One thread drives it, so
 * it takes no locks: new parameters are in force as soon as they are set, and the image handed
 * out is the one being optimised, converted as it is copied.
 *
 * It does not decode or resample images, and it does not pick thread counts: callers do.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "impasto-adam.h"
#include "impasto-lbfgs.h"
#include "impasto-memory.h"
#include "impasto-objective.h"
#include "impasto-session.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

struct _ImpastoSession
{
  const ImpastoWeights *weights;
  int width;
  int height;
  size_t n;                      /* 3 * H * W */
  ImpastoOptimizer optimizer;
  ImpastoShouldStop should_stop;
  void *should_stop_data;

  ImpastoVgg19 *net;
  ImpastoObjective *objective;
  ImpastoSessionParams created;  /* the values at creation: which layers have targets */
  ImpastoSessionParams params;   /* in force */
  ImpastoObjectiveWeights objective_weights;   /* the objective's part of params */

  float *x;             /* (3, H, W) the image minus the mean pixel: what is optimised */
  float *grad;          /* (3, H, W) d loss / d x at x, when grad_valid */
  float *x_before;      /* (3, H, W) x before the current step, to step back from NaN */
  bool grad_valid;
  ImpastoLosses losses; /* at x, when grad_valid */
  int iteration;

  ImpastoAdam adam;
  ImpastoLbfgs *lbfgs;

  float *block;                  /* one allocation for x, grad and x_before */
};

void
impasto_session_params_init_default (ImpastoSessionParams *params)
{
  memset (params, 0, sizeof *params);
  params->alpha = 1.0;
  params->beta = 500.0;
  params->tv = 0.0;
  params->learning_rate = 1.0;
  params->content_layers[impasto_vgg19_conv_index ("conv4_2")] = 0.5f;
  params->content_layers[impasto_vgg19_conv_index ("conv5_2")] = 0.5f;
  params->style_layers[impasto_vgg19_conv_index ("conv1_1")] = 0.2f;
  params->style_layers[impasto_vgg19_conv_index ("conv2_1")] = 0.2f;
  params->style_layers[impasto_vgg19_conv_index ("conv3_1")] = 0.2f;
  params->style_layers[impasto_vgg19_conv_index ("conv4_1")] = 0.2f;
  params->style_layers[impasto_vgg19_conv_index ("conv5_1")] = 0.2f;
}

void
impasto_session_config_init_default (ImpastoSessionConfig *config)
{
  memset (config, 0, sizeof *config);
  config->init = IMPASTO_INIT_NOISE;
  config->noise_ratio = 0.5;
  config->seed = 0;
  config->pool = IMPASTO_POOL_MAX;
  config->optimizer = IMPASTO_OPTIMIZER_ADAM;
  config->lbfgs_history = 10;
}

static ImpastoStatus
check_number (const char *what, double value, double min, ImpastoEngineError *error)
{
  if (!isfinite (value) || value < min)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "%s must be a finite number of at least %g, not %g",
                              what, min, value);
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_session_params_validate (const ImpastoSessionParams *params, ImpastoEngineError *error)
{
  ImpastoStatus status;
  bool any = false;

  if ((status = check_number ("the content weight α", params->alpha, 0.0, error)) ||
      (status = check_number ("the style weight β", params->beta, 0.0, error)) ||
      (status = check_number ("the total-variation weight", params->tv, 0.0, error)))
    return status;
  if (!isfinite (params->learning_rate) || params->learning_rate <= 0.0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "the learning rate must be a positive finite number, not %g",
                              params->learning_rate);
  for (int i = 0; i < N_CONVS; i++)
    {
      char what[64];

      snprintf (what, sizeof what, "the content weight of %s", impasto_vgg19_conv_name (i));
      if ((status = check_number (what, params->content_layers[i], 0.0, error)))
        return status;
      snprintf (what, sizeof what, "the style weight of %s", impasto_vgg19_conv_name (i));
      if ((status = check_number (what, params->style_layers[i], 0.0, error)))
        return status;
      any = any || params->content_layers[i] > 0.0f || params->style_layers[i] > 0.0f;
    }
  if (!any)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "no content or style layer is switched on");
  return IMPASTO_STATUS_OK;
}

int
impasto_session_params_deepest_layer (const ImpastoSessionParams *params)
{
  int deepest = -1;

  for (int i = 0; i < N_CONVS; i++)
    if (params->content_layers[i] > 0.0f || params->style_layers[i] > 0.0f)
      deepest = i;
  return deepest;
}

static int
deepest_layer (const ImpastoSessionParams *params)
{
  return impasto_session_params_deepest_layer (params);
}

bool
impasto_session_params_need_restart (const ImpastoSessionParams *running,
                                     const ImpastoSessionParams *wanted,
                                     ImpastoEngineError *error)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      if (wanted->content_layers[i] > 0.0f && running->content_layers[i] <= 0.0f)
        {
          impasto_engine_error_set (error, IMPASTO_STATUS_NEEDS_RESTART,
                                    "switching on the content layer %s needs a new run",
                                    impasto_vgg19_conv_name (i));
          return true;
        }
      if (wanted->style_layers[i] > 0.0f && running->style_layers[i] <= 0.0f)
        {
          impasto_engine_error_set (error, IMPASTO_STATUS_NEEDS_RESTART,
                                    "switching on the style layer %s needs a new run",
                                    impasto_vgg19_conv_name (i));
          return true;
        }
    }
  return false;
}

static void
layers_on (const ImpastoSessionParams *params, bool *content, bool *style)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      content[i] = params->content_layers[i] > 0.0f;
      style[i] = params->style_layers[i] > 0.0f;
    }
}

static void
objective_weights (ImpastoObjectiveWeights *w, const ImpastoSessionParams *params)
{
  w->alpha = params->alpha;
  w->beta = params->beta;
  w->tv = params->tv;
  memcpy (w->content_layers, params->content_layers, sizeof w->content_layers);
  memcpy (w->style_layers, params->style_layers, sizeof w->style_layers);
}

/* Floats of the session's own buffers; points them when @self has a block. */
static size_t
plan_session (ImpastoSession *self, size_t n)
{
  size_t total = 0;
  float *base = self != NULL ? self->block : NULL;

#define TAKE(field, count) \
  do { if (base) (field) = base + total; total += impasto_align_floats (count); } while (0)

  TAKE (self->x, n);
  TAKE (self->grad, n);
  TAKE (self->x_before, n);
#undef TAKE
  return total;
}

static size_t
optimizer_bytes (const ImpastoSessionConfig *config, size_t n)
{
  if (config->optimizer == IMPASTO_OPTIMIZER_LBFGS)
    return (2 * (size_t) (config->lbfgs_history > 0 ? config->lbfgs_history : 1) + 3) * n
           * sizeof (float);
  return 2 * n * sizeof (float);
}

size_t
impasto_session_estimate_bytes (const ImpastoWeights *weights,
                                const ImpastoSessionConfig *config,
                                const ImpastoSessionParams *params)
{
  int deepest = deepest_layer (params);
  size_t n = (size_t) 3 * config->width * config->height;
  bool content[N_CONVS], style[N_CONVS];

  if (deepest < 0 || config->width <= 0 || config->height <= 0)
    return 0;
  layers_on (params, content, style);
  return impasto_vgg19_plan_bytes (weights, config->height, config->width, deepest)
         + impasto_objective_estimate_bytes (weights, config->height, config->width, content,
                                             style)
         + plan_session (NULL, n) * sizeof (float)
         + optimizer_bytes (config, n) + sizeof (ImpastoSession);
}

static ImpastoStatus
validate_config (const ImpastoSessionConfig *config, ImpastoEngineError *error)
{
  if (config->width <= 0 || config->height <= 0 || config->width > 1 << 15
      || config->height > 1 << 15)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "%d×%d is not a usable image size", config->width, config->height);
  if (!impasto_vgg19_size_ok (config->height, config->width))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "%d×%d is too small: VGG19 needs at least 16×16 pixels",
                              config->width, config->height);
  if (config->content_rgb == NULL || config->style_rgb == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "both a content and a style image are needed");
  if (config->init == IMPASTO_INIT_IMAGE && config->init_rgb == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "the initial image was not given");
  if ((unsigned) config->init > IMPASTO_INIT_IMAGE)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT, "unknown initial image");
  if (!isfinite (config->noise_ratio) || config->noise_ratio < 0.0 || config->noise_ratio > 1.0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "the noise ratio must be between 0 and 1, not %g",
                              config->noise_ratio);
  if ((unsigned) config->pool > IMPASTO_POOL_AVG)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT, "unknown pooling");
  if ((unsigned) config->optimizer > IMPASTO_OPTIMIZER_LBFGS)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT, "unknown optimiser");
  return IMPASTO_STATUS_OK;
}

/* SplitMix64: small, seedable, the same on every platform. */
static uint64_t
splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* dst (3, H, W) = src (H, W, 3) - mean. */
static void
rgb_to_planes (float *dst, const float *src, const float *mean, int width, int height)
{
  size_t plane = (size_t) width * height;

  for (size_t p = 0; p < plane; p++)
    for (int c = 0; c < 3; c++)
      dst[c * plane + p] = src[p * 3 + c] - mean[c];
}

static void
init_image (ImpastoSession *self, const ImpastoSessionConfig *config)
{
  const float *mean = self->weights->mean_pixel;
  size_t plane = (size_t) self->width * self->height;

  switch (config->init)
    {
    case IMPASTO_INIT_STYLE:
      rgb_to_planes (self->x, config->style_rgb, mean, self->width, self->height);
      break;
    case IMPASTO_INIT_IMAGE:
      rgb_to_planes (self->x, config->init_rgb, mean, self->width, self->height);
      break;
    case IMPASTO_INIT_CONTENT:
      rgb_to_planes (self->x, config->content_rgb, mean, self->width, self->height);
      break;
    case IMPASTO_INIT_NOISE:
    default:
      {
        uint64_t state = config->seed;
        double r = config->noise_ratio;

        /* r * uniform(-20, 20) + (1 - r) * content, in (H, W, 3) order so that the noise field
         * does not depend on the memory layout. */
        for (size_t p = 0; p < plane; p++)
          for (int c = 0; c < 3; c++)
            {
              double u = (splitmix64 (&state) >> 11) * (1.0 / 9007199254740992.0);
              double noise = -20.0 + 40.0 * u;
              double value = r * noise + (1.0 - r) * config->content_rgb[p * 3 + c];
              self->x[c * plane + p] = (float) (value - mean[c]);
            }
      }
      break;
    }
}

/* The content targets from the photograph, the style's Gram set from the painting. */
static ImpastoStatus
compute_targets (ImpastoSession *self, const ImpastoSessionConfig *config,
                 ImpastoEngineError *error)
{
  ImpastoStatus status;
  float *planes = self->grad; /* free until the first evaluation */

  rgb_to_planes (planes, config->content_rgb, self->weights->mean_pixel, self->width,
                 self->height);
  status = impasto_content_targets_compute (impasto_objective_get_content_targets (self->objective),
                                            self->net, planes, self->should_stop,
                                            self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "stopped while computing the content targets");

  rgb_to_planes (planes, config->style_rgb, self->weights->mean_pixel, self->width,
                 self->height);
  status = impasto_gram_set_compute (impasto_objective_get_style_targets (self->objective),
                                     self->net, planes, self->should_stop,
                                     self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "stopped while computing the style targets");
  return IMPASTO_STATUS_OK;
}

static size_t
physical_memory_bytes (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return SIZE_MAX;
  return (size_t) pages * (size_t) page_size;
}

ImpastoStatus
impasto_session_new (ImpastoSession **out,
                     const ImpastoWeights *weights,
                     const ImpastoSessionConfig *config,
                     const ImpastoSessionParams *params,
                     ImpastoShouldStop should_stop,
                     void *should_stop_data,
                     ImpastoEngineError *error)
{
  ImpastoSession *self;
  ImpastoStatus status;
  size_t estimate;
  bool content[N_CONVS], style[N_CONVS];

  *out = NULL;
  if ((status = validate_config (config, error)) ||
      (status = impasto_session_params_validate (params, error)))
    return status;

  estimate = impasto_session_estimate_bytes (weights, config, params);
  if (estimate > physical_memory_bytes ())
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                              "%d×%d needs about %.1f GiB of memory and this computer has "
                              "%.1f GiB; choose a smaller size",
                              config->width, config->height, estimate / 1073741824.0,
                              physical_memory_bytes () / 1073741824.0);

  self = calloc (1, sizeof *self);
  if (self == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  self->weights = weights;
  self->width = config->width;
  self->height = config->height;
  self->n = (size_t) 3 * config->width * config->height;
  self->optimizer = config->optimizer;
  self->should_stop = should_stop;
  self->should_stop_data = should_stop_data;
  self->created = *params;
  self->params = *params;
  objective_weights (&self->objective_weights, params);

  self->block = impasto_alloc_floats (plan_session (NULL, self->n));
  if (self->block == NULL)
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                  "not enough memory for a %d×%d picture (%.0f MiB needed)",
                                  self->width, self->height, estimate / 1048576.0);
      goto fail;
    }
  plan_session (self, self->n);

  status = impasto_vgg19_new_with_filters (
    &self->net, weights,
    impasto_vgg19_filters_serve (config->filters, weights, deepest_layer (params))
      ? config->filters : NULL,
    self->height, self->width, deepest_layer (params), config->pool, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;

  layers_on (params, content, style);
  status = impasto_objective_new (&self->objective, weights, self->net, self->height, self->width,
                                  content, style);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_engine_error_set (error, status,
                                "not enough memory for a %d×%d picture (%.0f MiB needed)",
                                self->width, self->height, estimate / 1048576.0);
      goto fail;
    }

  if (config->optimizer == IMPASTO_OPTIMIZER_LBFGS)
    status = impasto_lbfgs_new (&self->lbfgs, self->n,
                                config->lbfgs_history > 0 ? config->lbfgs_history : 10);
  else
    status = impasto_adam_init (&self->adam, self->n);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_engine_error_set (error, status, "not enough memory for the optimiser at %d×%d",
                         self->width, self->height);
      goto fail;
    }

  status = compute_targets (self, config, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;

  init_image (self, config);
  *out = self;
  return IMPASTO_STATUS_OK;

fail:
  impasto_session_free (self);
  return status;
}

void
impasto_session_free (ImpastoSession *self)
{
  if (self == NULL)
    return;
  impasto_objective_free (self->objective);
  impasto_vgg19_free (self->net);
  impasto_lbfgs_free (self->lbfgs);
  impasto_adam_clear (&self->adam);
  impasto_free_buffer (self->block);
  free (self);
}

ImpastoStatus
impasto_session_set_params (ImpastoSession *self,
                            const ImpastoSessionParams *params,
                            ImpastoEngineError *error)
{
  ImpastoStatus status = impasto_session_params_validate (params, error);

  if (status != IMPASTO_STATUS_OK)
    return status;
  if (impasto_session_params_need_restart (&self->created, params, error))
    return IMPASTO_STATUS_NEEDS_RESTART;

  if (memcmp (&self->params, params, sizeof self->params) != 0)
    {
      self->params = *params;
      objective_weights (&self->objective_weights, params);
      /* The loss function changed: what we knew about it is stale. */
      self->grad_valid = false;
      if (self->lbfgs != NULL)
        impasto_lbfgs_reset (self->lbfgs);
    }
  return IMPASTO_STATUS_OK;
}

/* Loss and gradient at @x (which is self->x for every caller). */
static ImpastoStatus
evaluate_at (ImpastoSession *self, const float *x, float *grad, ImpastoLosses *losses)
{
  return impasto_objective_evaluate (self->objective, &self->objective_weights, x, grad, losses,
                                     self->should_stop, self->should_stop_data);
}

static ImpastoStatus
numeric_error (ImpastoSession *self, ImpastoEngineError *error)
{
  return impasto_engine_error_set (error, IMPASTO_STATUS_NUMERIC,
                            "the loss became infinite or not a number after %d iterations; "
                            "try a smaller learning rate or smaller weights",
                            self->iteration);
}

static ImpastoStatus
report (ImpastoSession *self, ImpastoStatus status, ImpastoEngineError *error)
{
  if (status == IMPASTO_STATUS_CANCELLED)
    return impasto_engine_error_set (error, status, "stopped");
  if (status == IMPASTO_STATUS_NUMERIC)
    return numeric_error (self, error);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "%s", impasto_status_to_string (status));
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_session_evaluate (ImpastoSession *self, ImpastoLosses *losses, ImpastoEngineError *error)
{
  ImpastoStatus status;

  if (!self->grad_valid)
    {
      status = evaluate_at (self, self->x, self->grad, &self->losses);
      if (status != IMPASTO_STATUS_OK)
        return report (self, status, error);
      self->grad_valid = true;
    }
  if (losses != NULL)
    *losses = self->losses;
  return IMPASTO_STATUS_OK;
}

static ImpastoStatus
lbfgs_eval (void *data, const float *x, float *grad, double *loss)
{
  ImpastoSession *self = data;
  ImpastoStatus status = evaluate_at (self, x, grad, &self->losses);

  *loss = self->losses.total;
  return status;
}

ImpastoStatus
impasto_session_step (ImpastoSession *self, ImpastoLosses *losses, ImpastoEngineError *error)
{
  ImpastoStatus status;

  status = impasto_session_evaluate (self, NULL, error);
  if (status != IMPASTO_STATUS_OK)
    return status;

  memcpy (self->x_before, self->x, self->n * sizeof (float));
  self->grad_valid = false;

  if (self->optimizer == IMPASTO_OPTIMIZER_LBFGS)
    {
      ImpastoLosses before = self->losses;
      double loss = before.total;

      status = impasto_lbfgs_step (self->lbfgs, self->x, &loss, self->grad,
                                   self->params.learning_rate, lbfgs_eval, self);
      /* The line search may end on a rejected trial; then x and grad are back at the start
       * (the loss is unchanged only then: an accepted step lowers it strictly). */
      if (status == IMPASTO_STATUS_OK && loss == before.total)
        self->losses = before;
    }
  else
    {
      impasto_adam_step (&self->adam, self->x, self->grad, self->params.learning_rate);
      status = evaluate_at (self, self->x, self->grad, &self->losses);
    }

  if (status == IMPASTO_STATUS_NUMERIC)
    {
      memcpy (self->x, self->x_before, self->n * sizeof (float));
      return numeric_error (self, error);
    }

  self->iteration++;
  if (status != IMPASTO_STATUS_OK)
    return report (self, status, error);

  self->grad_valid = true;
  if (losses != NULL)
    *losses = self->losses;
  return IMPASTO_STATUS_OK;
}

int
impasto_session_get_iteration (const ImpastoSession *self)
{
  return self->iteration;
}

void
impasto_session_get_size (const ImpastoSession *self, int *width, int *height)
{
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

void
impasto_session_copy_rgb8 (const ImpastoSession *self, uint8_t *rgb, size_t stride)
{
  const float *mean = self->weights->mean_pixel;
  size_t plane = (size_t) self->width * self->height;

  for (int y = 0; y < self->height; y++)
    {
      uint8_t *dst = rgb + (size_t) y * stride;

      for (int x = 0; x < self->width; x++)
        {
          size_t p = (size_t) y * self->width + x;

          for (int c = 0; c < 3; c++)
            {
              float v = self->x[c * plane + p] + mean[c];

              dst[x * 3 + c] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t) lrintf (v);
            }
        }
    }
}

void
impasto_session_copy_rgb (const ImpastoSession *self, float *rgb)
{
  const float *mean = self->weights->mean_pixel;
  size_t plane = (size_t) self->width * self->height;

  for (size_t p = 0; p < plane; p++)
    for (int c = 0; c < 3; c++)
      rgb[p * 3 + c] = self->x[c * plane + p] + mean[c];
}

ImpastoStatus
impasto_session_get_adam_state (const ImpastoSession *self, const float **m, const float **v,
                                long *t)
{
  if (self->optimizer != IMPASTO_OPTIMIZER_ADAM)
    {
      *m = *v = NULL;
      *t = 0;
      return IMPASTO_STATUS_INVALID_ARGUMENT;
    }
  *m = self->adam.m;
  *v = self->adam.v;
  *t = self->adam.t;
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_session_import_adam_state (ImpastoSession *self, const float *m, const float *v, long t)
{
  if (self->optimizer != IMPASTO_OPTIMIZER_ADAM)
    return IMPASTO_STATUS_INVALID_ARGUMENT;
  impasto_adam_import (&self->adam, m, v, t);
  return IMPASTO_STATUS_OK;
}
