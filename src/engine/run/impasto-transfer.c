/* impasto-transfer.c
 *
 * The style-transfer session: targets computed once, buffers planned once, then one optimiser
 * update per step with the losses of the updated image. Parameters set from another thread land
 * in a pending slot under a mutex and are applied at the start of the next evaluate or step; the
 * image handed out by copy_rgb8() is a separate published copy, also under the mutex, so the
 * optimiser never waits for a reader.
 *
 * It does not decode or resample images, and it does not pick thread counts: callers do.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "impasto-loss.h"
#include "impasto-optim.h"
#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-transfer.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

struct _ImpastoTransfer
{
  const ImpastoWeights *weights;
  int width;
  int height;
  size_t n;                      /* 3 * H * W */
  ImpastoOptimizer optimizer;
  ImpastoShouldStop should_stop;
  void *should_stop_data;

  ImpastoVgg19 *net;
  bool content_on[N_CONVS];      /* fixed at creation: a target exists */
  bool style_on[N_CONVS];
  float *content_targets[N_CONVS]; /* (C, h, w) features of the content image */
  float *style_grams[N_CONVS];     /* (C, C) Gram matrices of the style image */
  float *gram_diffs[N_CONVS];      /* (C, C) G - A of the last evaluation, per style layer */
  float *gram_scratch;             /* partial Gram matrices of impasto_gram_threaded() */
  int gram_threads;                /* threads gram_scratch was planned for */
  /* The scales the last evaluation used, for the gradients the backward pass asks for (0: no
   * such loss at that layer). */
  double content_scale[N_CONVS];
  double style_scale[N_CONVS];

  float *x;             /* (3, H, W) the image minus the mean pixel: what is optimised */
  float *grad;          /* (3, H, W) d loss / d x at x, when grad_valid */
  float *x_before;      /* (3, H, W) x before the current step, to step back from NaN */
  bool grad_valid;
  ImpastoLosses losses; /* at x, when grad_valid */
  int iteration;

  ImpastoAdam adam;
  ImpastoLbfgs *lbfgs;

  ImpastoTransferParams params;  /* in force; only the stepping thread touches it */

  pthread_mutex_t lock;          /* guards everything below */
  ImpastoTransferParams pending;
  bool has_pending;
  float *published;              /* (H, W, 3) on the 0..255 scale */

  float *block;                  /* one allocation for all the float buffers above */
};

void
impasto_transfer_params_init_default (ImpastoTransferParams *params)
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
impasto_transfer_config_init_default (ImpastoTransferConfig *config)
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
impasto_transfer_params_validate (const ImpastoTransferParams *params, ImpastoEngineError *error)
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

static int
deepest_layer (const ImpastoTransferParams *params)
{
  int deepest = -1;

  for (int i = 0; i < N_CONVS; i++)
    if (params->content_layers[i] > 0.0f || params->style_layers[i] > 0.0f)
      deepest = i;
  return deepest;
}

/* Float counts of the session's own buffers (not the net's); points them when @self has a block. */
static size_t
plan_session (ImpastoTransfer *self, const ImpastoWeights *weights, int width, int height,
              const ImpastoTransferParams *params)
{
  size_t total = 0, largest_style = 0;
  size_t n = (size_t) 3 * width * height;
  float *base = self != NULL ? self->block : NULL;

#define TAKE(field, count) \
  do { if (base) (field) = base + total; total += impasto_align_floats (count); } while (0)

  for (int i = 0; i < N_CONVS; i++)
    {
      int c = weights->convs[i].out_channels, h, w;
      size_t size, gram = (size_t) c * c;
      bool content = params->content_layers[i] > 0.0f;
      bool style = params->style_layers[i] > 0.0f;

      impasto_vgg19_conv_size (i, height, width, &h, &w);
      size = (size_t) c * h * w;
      if (content)
        TAKE (self->content_targets[i], size);
      if (style)
        {
          TAKE (self->style_grams[i], gram);
          TAKE (self->gram_diffs[i], gram);
          if ((size_t) c > largest_style)
            largest_style = (size_t) c;
        }
    }
  if (self != NULL)
    self->gram_threads = impasto_get_threads ();
  TAKE (self->gram_scratch, impasto_gram_threaded_scratch_floats (largest_style,
                                                                  impasto_get_threads ()));
  TAKE (self->x, n);
  TAKE (self->grad, n);
  TAKE (self->x_before, n);
  TAKE (self->published, n);
#undef TAKE
  return total;
}

static size_t
optimizer_bytes (const ImpastoTransferConfig *config, size_t n)
{
  if (config->optimizer == IMPASTO_OPTIMIZER_LBFGS)
    return (2 * (size_t) (config->lbfgs_history > 0 ? config->lbfgs_history : 1) + 3) * n
           * sizeof (float);
  return 2 * n * sizeof (float);
}

size_t
impasto_transfer_estimate_bytes (const ImpastoWeights *weights,
                                 const ImpastoTransferConfig *config,
                                 const ImpastoTransferParams *params)
{
  int deepest = deepest_layer (params);
  size_t n = (size_t) 3 * config->width * config->height;

  if (deepest < 0 || config->width <= 0 || config->height <= 0)
    return 0;
  return impasto_vgg19_plan_bytes (weights, config->height, config->width, deepest)
         + plan_session (NULL, weights, config->width, config->height, params) * sizeof (float)
         + optimizer_bytes (config, n) + sizeof (ImpastoTransfer);
}

static ImpastoStatus
validate_config (const ImpastoTransferConfig *config, ImpastoEngineError *error)
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
init_image (ImpastoTransfer *self, const ImpastoTransferConfig *config)
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

static void
publish (ImpastoTransfer *self)
{
  const float *mean = self->weights->mean_pixel;
  size_t plane = (size_t) self->width * self->height;

  pthread_mutex_lock (&self->lock);
  for (size_t p = 0; p < plane; p++)
    for (int c = 0; c < 3; c++)
      self->published[p * 3 + c] = self->x[c * plane + p] + mean[c];
  pthread_mutex_unlock (&self->lock);
}

static ImpastoStatus
compute_targets (ImpastoTransfer *self, const ImpastoTransferConfig *config,
                 ImpastoEngineError *error)
{
  ImpastoStatus status;
  float *planes = self->grad; /* free until the first evaluation */

  rgb_to_planes (planes, config->content_rgb, self->weights->mean_pixel, self->width,
                 self->height);
  status = impasto_vgg19_forward (self->net, planes, self->should_stop, self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "stopped while computing the content targets");
  for (int i = 0; i < N_CONVS; i++)
    if (self->content_on[i])
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (self->net, i, &c, &h, &w);
        memcpy (self->content_targets[i], f, (size_t) c * h * w * sizeof (float));
      }

  rgb_to_planes (planes, config->style_rgb, self->weights->mean_pixel, self->width,
                 self->height);
  status = impasto_vgg19_forward (self->net, planes, self->should_stop, self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "stopped while computing the style targets");
  for (int i = 0; i < N_CONVS; i++)
    if (self->style_on[i])
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (self->net, i, &c, &h, &w);
        impasto_gram (self->style_grams[i], f, (size_t) c, (size_t) h * w);
      }
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
impasto_transfer_new (ImpastoTransfer **out,
                      const ImpastoWeights *weights,
                      const ImpastoTransferConfig *config,
                      const ImpastoTransferParams *params,
                      ImpastoShouldStop should_stop,
                      void *should_stop_data,
                      ImpastoEngineError *error)
{
  ImpastoTransfer *self;
  ImpastoStatus status;
  size_t estimate, floats;

  *out = NULL;
  if ((status = validate_config (config, error)) ||
      (status = impasto_transfer_params_validate (params, error)))
    return status;

  estimate = impasto_transfer_estimate_bytes (weights, config, params);
  if (estimate > physical_memory_bytes ())
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                              "%d×%d needs about %.1f GiB of memory and this computer has "
                              "%.1f GiB; choose a smaller size",
                              config->width, config->height, estimate / 1073741824.0,
                              physical_memory_bytes () / 1073741824.0);

  self = calloc (1, sizeof *self);
  if (self == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  pthread_mutex_init (&self->lock, NULL);
  self->weights = weights;
  self->width = config->width;
  self->height = config->height;
  self->n = (size_t) 3 * config->width * config->height;
  self->optimizer = config->optimizer;
  self->should_stop = should_stop;
  self->should_stop_data = should_stop_data;
  self->params = *params;
  for (int i = 0; i < N_CONVS; i++)
    {
      self->content_on[i] = params->content_layers[i] > 0.0f;
      self->style_on[i] = params->style_layers[i] > 0.0f;
    }

  floats = plan_session (NULL, weights, self->width, self->height, params);
  self->block = impasto_alloc_floats (floats);
  if (self->block == NULL)
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                  "not enough memory for a %d×%d picture (%.0f MiB needed)",
                                  self->width, self->height, estimate / 1048576.0);
      goto fail;
    }
  plan_session (self, weights, self->width, self->height, params);

  status = impasto_vgg19_new (&self->net, weights, self->height, self->width,
                              deepest_layer (params), config->pool, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;
  /* The partial Gram matrices were planned for this many threads. */
  IMPASTO_CHECK (impasto_parallel_get_n_threads (impasto_vgg19_get_parallel (self->net))
                 <= self->gram_threads);

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
  publish (self);
  *out = self;
  return IMPASTO_STATUS_OK;

fail:
  impasto_transfer_free (self);
  return status;
}

void
impasto_transfer_free (ImpastoTransfer *self)
{
  if (self == NULL)
    return;
  impasto_vgg19_free (self->net);
  impasto_lbfgs_free (self->lbfgs);
  impasto_adam_clear (&self->adam);
  impasto_free_buffer (self->block);
  pthread_mutex_destroy (&self->lock);
  free (self);
}

ImpastoStatus
impasto_transfer_set_params (ImpastoTransfer *self,
                             const ImpastoTransferParams *params,
                             ImpastoEngineError *error)
{
  ImpastoStatus status = impasto_transfer_params_validate (params, error);

  if (status != IMPASTO_STATUS_OK)
    return status;
  for (int i = 0; i < N_CONVS; i++)
    {
      if (params->content_layers[i] > 0.0f && !self->content_on[i])
        return impasto_engine_error_set (error, IMPASTO_STATUS_NEEDS_RESTART,
                                  "switching on the content layer %s needs a new run",
                                  impasto_vgg19_conv_name (i));
      if (params->style_layers[i] > 0.0f && !self->style_on[i])
        return impasto_engine_error_set (error, IMPASTO_STATUS_NEEDS_RESTART,
                                  "switching on the style layer %s needs a new run",
                                  impasto_vgg19_conv_name (i));
    }

  pthread_mutex_lock (&self->lock);
  self->pending = *params;
  self->has_pending = true;
  pthread_mutex_unlock (&self->lock);
  return IMPASTO_STATUS_OK;
}

static void
apply_pending_params (ImpastoTransfer *self)
{
  bool changed = false;

  pthread_mutex_lock (&self->lock);
  if (self->has_pending)
    {
      changed = memcmp (&self->params, &self->pending, sizeof self->params) != 0;
      self->params = self->pending;
      self->has_pending = false;
    }
  pthread_mutex_unlock (&self->lock);

  if (changed)
    {
      /* The loss function changed: what we knew about it is stale. */
      self->grad_valid = false;
      if (self->lbfgs != NULL)
        impasto_lbfgs_reset (self->lbfgs);
    }
}

static bool
all_finite (const float *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return false;
  return true;
}

/* The backward pass asks for each layer's loss gradient (impasto_vgg19_backward_from), added
 * straight into its gradient buffer, so no per-layer gradient arrays are kept. */
static void
add_loss_gradient (int index, float *dfeatures, void *data)
{
  ImpastoTransfer *self = data;
  const float *f;
  int c, h, w;

  if (self->content_scale[index] == 0.0 && self->style_scale[index] == 0.0)
    return;
  f = impasto_vgg19_features (self->net, index, &c, &h, &w);
  if (self->content_scale[index] != 0.0)
    impasto_content_loss_backward (dfeatures, f, self->content_targets[index], (size_t) c,
                                   (size_t) h * w, self->content_scale[index]);
  if (self->style_scale[index] != 0.0)
    impasto_style_loss_backward_threaded (dfeatures, self->gram_diffs[index], f, (size_t) c,
                                          (size_t) h * w, self->style_scale[index],
                                          impasto_vgg19_get_parallel (self->net));
}

/* Loss and gradient at @x (which is self->x for every caller). */
static ImpastoStatus
evaluate_at (ImpastoTransfer *self, const float *x, float *grad, ImpastoLosses *losses)
{
  const ImpastoTransferParams *p = &self->params;
  int n_content = 0, n_style = 0, start = -1;
  double content = 0.0, style = 0.0, tv;
  ImpastoStatus status;

  if (!all_finite (x, self->n))
    return IMPASTO_STATUS_NUMERIC;

  status = impasto_vgg19_forward (self->net, x, self->should_stop, self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return status;

  for (int i = 0; i < N_CONVS; i++)
    {
      n_content += self->content_on[i] && p->content_layers[i] > 0.0f;
      n_style += self->style_on[i] && p->style_layers[i] > 0.0f;
    }

  for (int i = 0; i < N_CONVS; i++)
    {
      bool content_here = self->content_on[i] && p->content_layers[i] > 0.0f;
      bool style_here = self->style_on[i] && p->style_layers[i] > 0.0f;
      const float *f;
      int c, h, w;
      size_t m;

      self->content_scale[i] = content_here ? p->alpha * p->content_layers[i] / n_content : 0.0;
      self->style_scale[i] = style_here ? p->beta * p->style_layers[i] / n_style : 0.0;
      if (!content_here && !style_here)
        continue;
      start = i;
      f = impasto_vgg19_features (self->net, i, &c, &h, &w);
      m = (size_t) h * w;
      /* Values now; the gradients when the backward pass reaches the layer. */
      if (content_here)
        content += p->content_layers[i]
                   * impasto_content_loss (NULL, f, self->content_targets[i], (size_t) c, m, 0.0);
      if (style_here)
        style += p->style_layers[i]
                 * impasto_style_loss_threaded (self->gram_diffs[i], self->gram_scratch, f,
                                                self->style_grams[i], (size_t) c, m,
                                                impasto_vgg19_get_parallel (self->net));
    }
  if (n_content > 0)
    content /= n_content;
  if (n_style > 0)
    style /= n_style;

  memset (grad, 0, self->n * sizeof (float));
  status = impasto_vgg19_backward_from (self->net, grad, start, add_loss_gradient, self,
                                        self->should_stop, self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return status;
  tv = impasto_tv_loss (p->tv > 0.0 ? grad : NULL, x, 3, self->height, self->width, p->tv);

  losses->content = content;
  losses->style = style;
  losses->tv_term = tv;
  losses->total = p->alpha * content + p->beta * style + p->tv * tv;
  if (!isfinite (losses->total) || !all_finite (grad, self->n))
    return IMPASTO_STATUS_NUMERIC;
  return IMPASTO_STATUS_OK;
}

static ImpastoStatus
numeric_error (ImpastoTransfer *self, ImpastoEngineError *error)
{
  return impasto_engine_error_set (error, IMPASTO_STATUS_NUMERIC,
                            "the loss became infinite or not a number after %d iterations; "
                            "try a smaller learning rate or smaller weights",
                            self->iteration);
}

static ImpastoStatus
report (ImpastoTransfer *self, ImpastoStatus status, ImpastoEngineError *error)
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
impasto_transfer_evaluate (ImpastoTransfer *self, ImpastoLosses *losses, ImpastoEngineError *error)
{
  ImpastoStatus status;

  apply_pending_params (self);
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
  ImpastoTransfer *self = data;
  ImpastoStatus status = evaluate_at (self, x, grad, &self->losses);

  *loss = self->losses.total;
  return status;
}

ImpastoStatus
impasto_transfer_step (ImpastoTransfer *self, ImpastoLosses *losses, ImpastoEngineError *error)
{
  ImpastoStatus status;

  status = impasto_transfer_evaluate (self, NULL, error);
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
  publish (self);
  if (status != IMPASTO_STATUS_OK)
    return report (self, status, error);

  self->grad_valid = true;
  if (losses != NULL)
    *losses = self->losses;
  return IMPASTO_STATUS_OK;
}

int
impasto_transfer_get_iteration (const ImpastoTransfer *self)
{
  return self->iteration;
}

void
impasto_transfer_get_size (const ImpastoTransfer *self, int *width, int *height)
{
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

void
impasto_transfer_copy_rgb8 (ImpastoTransfer *self, uint8_t *rgb, size_t stride)
{
  pthread_mutex_lock (&self->lock);
  for (int y = 0; y < self->height; y++)
    {
      const float *src = self->published + (size_t) y * self->width * 3;
      uint8_t *dst = rgb + (size_t) y * stride;

      for (int i = 0; i < self->width * 3; i++)
        {
          float v = src[i];
          dst[i] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t) lrintf (v);
        }
    }
  pthread_mutex_unlock (&self->lock);
}

void
impasto_transfer_copy_rgb (ImpastoTransfer *self, float *rgb)
{
  pthread_mutex_lock (&self->lock);
  memcpy (rgb, self->published, self->n * sizeof (float));
  pthread_mutex_unlock (&self->lock);
}
