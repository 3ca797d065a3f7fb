/* impasto-session.c
 *
 * The painting session: the network planned once, the objective's targets computed once, then
 * one optimiser update per step with the losses of the updated image. One thread drives it, so
 * it takes no locks: new parameters are in force as soon as they are set, and the image handed
 * out is the one being optimised, converted as it is copied.
 *
 * Each painting's Gram matrices are computed once, at the painting's own planned size (by a net of
 * that size reading the same transformed filters), scaled to the picture's number of positions and
 * kept; the style target is their blend, redone when the weights change.
 *
 * It does not decode images, and it does not pick thread counts: callers do.
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
#include "impasto-resample.h"
#include "impasto-session.h"
#include "impasto-session-private.h"
#include "impasto-style-cache.h"



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
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    params->painting_weights[i] = 1.0f;
}

/* The longest side a painting may be seen at: the session's own limit. */
#define MAX_SIDE (1 << 15)

void
impasto_painting_plan_size (int painting_width, int painting_height, int picture_width,
                            int picture_height, double scale, bool upscale, int *width,
                            int *height)
{
  double own_long = painting_width > painting_height ? painting_width : painting_height;
  double picture_long = picture_width > picture_height ? picture_width : picture_height;
  double target = round (scale * picture_long);
  double w, h;

  if (!(target >= 1.0))
    target = 1.0;
  if (target > 4.0 * MAX_SIDE)
    target = 4.0 * MAX_SIDE;   /* out of range anyway; keeps the arithmetic in int's reach */
  if (!upscale && target > own_long)
    target = own_long;
  if (painting_width >= painting_height)
    {
      w = target;
      h = fmax (1.0, round (painting_height * target / own_long));
    }
  else
    {
      h = target;
      w = fmax (1.0, round (painting_width * target / own_long));
    }
  /* VGG19 needs 16 pixels a side: raise the shorter side, the longer in proportion. */
  if (w < 16.0 && w <= h)
    {
      h = round (h * 16.0 / w);
      w = 16.0;
    }
  else if (h < 16.0)
    {
      w = round (w * 16.0 / h);
      h = 16.0;
    }
  *width = (int) fmin (w, 8.0 * MAX_SIDE);
  *height = (int) fmin (h, 8.0 * MAX_SIDE);
}

ImpastoStatus
impasto_painting_validate (const ImpastoPainting *painting, int index, int picture_width,
                           int picture_height, ImpastoEngineError *error)
{
  int w, h;

  if (painting->rgb == NULL || painting->width < 1 || painting->height < 1
      || painting->width > MAX_SIDE || painting->height > MAX_SIDE)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "painting %d has no usable pixels", index + 1);
  if (!isfinite (painting->scale) || painting->scale <= 0.0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the brush size of painting %d must be a positive number, "
                                     "not %g", index + 1, painting->scale);
  impasto_painting_plan_size (painting->width, painting->height, picture_width, picture_height,
                              painting->scale, painting->upscale, &w, &h);
  if (w > MAX_SIDE || h > MAX_SIDE)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the brush size %g makes painting %d %d×%d, over the limit "
                                     "of %d pixels a side", painting->scale, index + 1, w, h,
                                     MAX_SIDE);
  return IMPASTO_STATUS_OK;
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
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    {
      char what[64];

      snprintf (what, sizeof what, "the weight of painting %d", i + 1);
      if ((status = check_number (what, params->painting_weights[i], 0.0, error)))
        return status;
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

static int
deepest_style_layer (const ImpastoSessionParams *params)
{
  int deepest = -1;

  for (int i = 0; i < N_CONVS; i++)
    if (params->style_layers[i] > 0.0f)
      deepest = i;
  return deepest;
}

/* The one painting of a config without a painting list: its style_rgb at the picture's size. */
static void
legacy_painting (ImpastoPainting *painting, const ImpastoSessionConfig *config)
{
  *painting = (ImpastoPainting) { config->style_rgb, config->width, config->height, 1.0, false };
}

static int
config_paintings (const ImpastoSessionConfig *config, ImpastoPainting *paintings)
{
  if (config->n_paintings == 0)
    {
      legacy_painting (&paintings[0], config);
      return 1;
    }
  memcpy (paintings, config->paintings, (size_t) config->n_paintings * sizeof *paintings);
  return config->n_paintings;
}

/* Bytes held while a painting's targets are computed: its resized pixels and their scratch, its
 * planes, a net of its size sharing the filters (unless it is the picture's size), a Gram set. */
static size_t
painting_bytes (const ImpastoWeights *weights, int width, int height,
                const ImpastoPainting *painting, const ImpastoSessionParams *params, int window)
{
  int pw, ph, deepest = deepest_style_layer (params);
  size_t bytes = 0;
  bool style[N_CONVS], content[N_CONVS];

  if (deepest < 0)
    return 0;
  impasto_painting_plan_size (painting->width, painting->height, width, height, painting->scale,
                              painting->upscale, &pw, &ph);
  layers_on (params, content, style);
  bytes += impasto_gram_set_floats (weights, style) * sizeof (float);
  if (pw != painting->width || ph != painting->height)
    bytes += ((size_t) 3 * pw * ph
              + impasto_resample_scratch_floats (painting->height, pw, 3)) * sizeof (float);
  /* Its own net (or tiles), unless it is seen at the picture's size by the session's net. */
  if (pw != width || ph != height || window > 0)
    bytes += (pw != width || ph != height ? (size_t) 3 * pw * ph * sizeof (float) : 0)
             + _impasto_session_painting_net_bytes (weights, pw, ph, window, params);
  return bytes;
}

size_t
impasto_session_estimate_bytes (const ImpastoWeights *weights,
                                const ImpastoSessionConfig *config,
                                const ImpastoSessionParams *params)
{
  int deepest = deepest_layer (params);
  size_t n = (size_t) 3 * config->width * config->height;
  bool content[N_CONVS], style[N_CONVS];
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  ImpastoTileGrid grid;
  bool tiled;
  int n_paintings;
  size_t peak = 0;

  if (deepest < 0 || config->width <= 0 || config->height <= 0 || config->n_paintings < 0
      || config->n_paintings > IMPASTO_MAX_PAINTINGS)
    return 0;
  layers_on (params, content, style);
  tiled = _impasto_session_tile_grid (config, params, &grid);
  n_paintings = config_paintings (config, paintings);
  /* One painting's computation at a time, on top of the kept Gram sets. */
  for (int i = 0; i < n_paintings; i++)
    {
      size_t bytes = painting_bytes (weights, config->width, config->height, &paintings[i],
                                     params, tiled ? config->tile_window : 0);
      if (bytes > peak)
        peak = bytes;
    }
  return (tiled ? _impasto_session_tiled_bytes (weights, &grid, params)
                : impasto_vgg19_plan_bytes (weights, config->height, config->width, deepest)
                  + impasto_objective_estimate_bytes (weights, config->height, config->width,
                                                      content, style))
         + (size_t) n_paintings * impasto_gram_set_floats (weights, style) * sizeof (float)
         + peak
         + _impasto_session_regions_estimate_bytes (weights, config, style)
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
  if (config->n_paintings < 0 || config->n_paintings > IMPASTO_MAX_PAINTINGS
      || (config->n_paintings > 0 && config->paintings == NULL))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "a session takes 1 to %d paintings, not %d",
                                     IMPASTO_MAX_PAINTINGS, config->n_paintings);
  if (config->content_rgb == NULL || (config->n_paintings == 0 && config->style_rgb == NULL))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "both a content and a style image are needed");
  for (int i = 0; i < config->n_paintings; i++)
    {
      ImpastoStatus status = impasto_painting_validate (&config->paintings[i], i, config->width,
                                                        config->height, error);
      if (status != IMPASTO_STATUS_OK)
        return status;
    }
  {
    ImpastoStatus status = impasto_session_config_validate_regions (config, error);
    if (status != IMPASTO_STATUS_OK)
      return status;
  }
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

/* The first painting stretched to the picture's size, or NULL when out of memory (free it with
 * impasto_free_buffer() unless it is the config's own style_rgb). */
static const float *
first_painting_at_size (ImpastoSession *self, const ImpastoSessionConfig *config)
{
  const ImpastoPainting *p = &config->paintings[0];
  float *out, *scratch;

  if (config->n_paintings == 0)
    return config->style_rgb;
  out = impasto_alloc_floats (self->n);
  scratch = impasto_alloc_floats (impasto_resample_scratch_floats (p->height, self->width, 3));
  if (out != NULL && scratch != NULL)
    impasto_resample (out, scratch, p->rgb, p->width, p->height, self->width, self->height, 3);
  else
    {
      impasto_free_buffer (out);
      out = NULL;
    }
  impasto_free_buffer (scratch);
  return out;
}

static ImpastoStatus
init_image (ImpastoSession *self, const ImpastoSessionConfig *config, ImpastoEngineError *error)
{
  const float *mean = self->weights->mean_pixel;
  size_t plane = (size_t) self->width * self->height;

  switch (config->init)
    {
    case IMPASTO_INIT_STYLE:
      {
        const float *style = first_painting_at_size (self, config);

        if (style == NULL)
          return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                           "not enough memory to start from the painting");
        rgb_to_planes (self->x, style, mean, self->width, self->height);
        if (style != config->style_rgb)
          impasto_free_buffer ((float *) style);
      }
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
  return IMPASTO_STATUS_OK;
}

/* The style target: each painting's Gram matrices with its share of the weights. Paintings of
 * weight 0 are left out, so weights 1, 0 give exactly the first painting's matrices. */
static void
blend_targets (ImpastoSession *self)
{
  ImpastoGramSet *target = _impasto_session_style_targets (self);
  double sum = 0.0;

  for (int i = 0; i < self->n_paintings; i++)
    sum += self->params.painting_weights[i];
  impasto_gram_set_scale (target, 0.0);
  for (int i = 0; i < self->n_paintings; i++)
    if (self->params.painting_weights[i] > 0.0f)
      impasto_gram_set_add_scaled (target, &self->painting_grams[i],
                                   self->params.painting_weights[i] / sum);
}

static ImpastoStatus
check_painting_weights (const ImpastoSessionParams *params, int n_paintings,
                        ImpastoEngineError *error)
{
  for (int i = 0; i < n_paintings; i++)
    if (params->painting_weights[i] > 0.0f)
      return IMPASTO_STATUS_OK;
  return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                   "the paintings' weights are all 0: at least one must count");
}

/* @grams (planned for the style layers) = the Gram matrices of @painting seen at its planned
 * size, each layer's scaled by M / M_painting (positions of the picture's features over the
 * painting's there), so that the target does not depend on the painting's pixel count. */
static ImpastoStatus
compute_painting (ImpastoSession *self, ImpastoGramSet *grams, const ImpastoPainting *painting,
                  ImpastoEngineError *error)
{
  const ImpastoWeights *weights = self->weights;
  ImpastoVgg19 *net = self->net, *own_net = NULL;
  const float *rgb = painting->rgb;
  float *resized = NULL, *scratch = NULL, *planes = self->grad;
  ImpastoStatus status = IMPASTO_STATUS_OK;
  int pw, ph;

  impasto_painting_plan_size (painting->width, painting->height, self->width, self->height,
                              painting->scale, painting->upscale, &pw, &ph);
  if (pw != painting->width || ph != painting->height)
    {
      resized = impasto_alloc_floats ((size_t) 3 * pw * ph);
      scratch = impasto_alloc_floats (impasto_resample_scratch_floats (painting->height, pw, 3));
      if (resized == NULL || scratch == NULL)
        {
          status = IMPASTO_STATUS_OUT_OF_MEMORY;
          goto out;
        }
      impasto_resample (resized, scratch, painting->rgb, painting->width, painting->height, pw,
                        ph, 3);
      rgb = resized;
    }
  if (pw != self->width || ph != self->height)
    {
      planes = impasto_alloc_floats ((size_t) 3 * pw * ph);
      if (planes == NULL)
        {
          status = IMPASTO_STATUS_OUT_OF_MEMORY;
          goto out;
        }
    }
  /* Else the session's gradient buffer (stale after this anyway). */
  rgb_to_planes (planes, rgb, weights->mean_pixel, pw, ph);
  if (self->tiled != NULL && (pw > self->grid.x.window || ph > self->grid.y.window))
    {
      /* Too large for one of the session's windows: tile by tile. */
      status = _impasto_session_tiled_painting (self, grams, planes, pw, ph, error);
      if (status != IMPASTO_STATUS_OK)
        goto out;
    }
  else
    {
      if (net == NULL || pw != self->width || ph != self->height)
        {
          status = impasto_vgg19_new_with_filters (&own_net, weights, self->filters, ph, pw,
                                                   deepest_style_layer (&self->created),
                                                   self->pool, error);
          if (status != IMPASTO_STATUS_OK)
            goto out;
          net = own_net;
        }
      status = impasto_gram_set_compute (grams, net, planes, self->should_stop,
                                         self->should_stop_data);
    }
  if (status != IMPASTO_STATUS_OK)
    goto out;
  self->painting_passes++;

  for (int l = 0; l < N_CONVS; l++)
    if (impasto_gram_set_has_layer (grams, l))
      {
        int h, w, hp, wp;
        size_t nn = (size_t) grams->channels[l] * grams->channels[l];
        double factor;

        impasto_vgg19_conv_size (l, self->height, self->width, &h, &w);
        impasto_vgg19_conv_size (l, ph, pw, &hp, &wp);
        factor = (double) h * w / ((double) hp * wp);
        if (factor != 1.0)
          for (size_t k = 0; k < nn; k++)
            grams->grams[l][k] = (float) (grams->grams[l][k] * factor);
      }

out:
  impasto_vgg19_free (own_net);
  if (planes != self->grad)
    impasto_free_buffer (planes);
  impasto_free_buffer (resized);
  impasto_free_buffer (scratch);
  if (status == IMPASTO_STATUS_CANCELLED)
    return impasto_engine_error_set (error, status, "stopped while computing the style targets");
  if (status == IMPASTO_STATUS_OUT_OF_MEMORY)
    return impasto_engine_error_set (error, status,
                                     "not enough memory to see a painting at %d×%d", pw, ph);
  return status;
}

/* @grams = @painting's targets: from the config's cache when it holds them, else computed (and
 * then kept there). */
static ImpastoStatus
painting_targets (ImpastoSession *self, const ImpastoSessionConfig *config,
                  ImpastoGramSet *grams, const ImpastoPainting *painting,
                  ImpastoEngineError *error)
{
  ImpastoStyleKey key;
  bool content[N_CONVS];
  ImpastoStatus status;

  if (config->style_cache == NULL)
    return compute_painting (self, grams, painting, error);
  key = (ImpastoStyleKey) {
    .weights = self->weights,
    .pool = self->pool,
    .tile_window = config->tile_window,
    .picture_width = self->width,
    .picture_height = self->height,
    .rgb = painting->rgb,
    .painting_width = painting->width,
    .painting_height = painting->height,
    .scale = painting->scale,
    .upscale = painting->upscale,
  };
  layers_on (&self->created, content, key.style_layers);
  if (impasto_style_cache_lookup (config->style_cache, &key, grams))
    return IMPASTO_STATUS_OK;
  status = compute_painting (self, grams, painting, error);
  if (status == IMPASTO_STATUS_OK)
    impasto_style_cache_store (config->style_cache, &key, grams);
  return status;
}

/* The content targets from the photograph, each painting's Gram set, and their blend. */
static ImpastoStatus
compute_targets (ImpastoSession *self, const ImpastoSessionConfig *config,
                 ImpastoEngineError *error)
{
  ImpastoStatus status;
  float *planes = self->grad; /* free until the first evaluation */
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  bool content[N_CONVS], style[N_CONVS];

  rgb_to_planes (planes, config->content_rgb, self->weights->mean_pixel, self->width,
                 self->height);
  if (self->tiled != NULL)
    status = impasto_tiled_objective_compute_content (self->tiled, planes, self->should_stop,
                                                      self->should_stop_data);
  else
    status = impasto_content_targets_compute (
      impasto_objective_get_content_targets (self->objective), self->net, planes,
      self->should_stop, self->should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "stopped while computing the content targets");

  layers_on (&self->created, content, style);
  self->n_paintings = config_paintings (config, paintings);
  for (int i = 0; i < self->n_paintings; i++)
    {
      if (impasto_gram_set_init (&self->painting_grams[i], self->weights, style)
          != IMPASTO_STATUS_OK)
        return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory for the paintings' targets");
      status = painting_targets (self, config, &self->painting_grams[i], &paintings[i], error);
      if (status != IMPASTO_STATUS_OK)
        return status;
    }
  blend_targets (self);
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
      (status = impasto_session_params_validate (params, error)) ||
      (status = check_painting_weights (params, config->n_paintings > 0 ? config->n_paintings : 1,
                                        error)))
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

  /* The filters are kept apart from the net so that the paintings' nets of other sizes read them
   * too. */
  self->pool = config->pool;
  if (impasto_vgg19_filters_serve (config->filters, weights, deepest_layer (params)))
    self->filters = config->filters;
  else
    {
      status = impasto_vgg19_filters_new (&self->own_filters, weights, deepest_layer (params),
                                          error);
      if (status != IMPASTO_STATUS_OK)
        goto fail;
      self->filters = self->own_filters;
    }
  layers_on (params, content, style);
  if (_impasto_session_tile_grid (config, params, &self->grid))
    {
      if (config->n_regions > 0)
        {
          status = impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                             "regions are not painted in tiles: %d×%d needs "
                                             "tiles here", self->width, self->height);
          goto fail;
        }
      status = impasto_tiled_objective_new (&self->tiled, weights, self->filters, &self->grid,
                                            deepest_layer (params), config->pool, content, style,
                                            error);
      if (status != IMPASTO_STATUS_OK)
        goto fail;
    }
  else
    {
      status = impasto_vgg19_new_with_filters (&self->net, weights, self->filters, self->height,
                                               self->width, deepest_layer (params), config->pool,
                                               error);
      if (status != IMPASTO_STATUS_OK)
        goto fail;
      status = impasto_objective_new (&self->objective, weights, self->net, self->height,
                                      self->width, content, style);
      if (status != IMPASTO_STATUS_OK)
        {
          impasto_engine_error_set (error, status,
                                    "not enough memory for a %d×%d picture (%.0f MiB needed)",
                                    self->width, self->height, estimate / 1048576.0);
          goto fail;
        }
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
  self->guide_mode = config->guide_mode;
  status = _impasto_session_apply_config_regions (self, config, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;

  status = init_image (self, config, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;
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
  impasto_tiled_objective_free (self->tiled);
  impasto_vgg19_free (self->net);
  impasto_vgg19_filters_free (self->own_filters);
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    impasto_gram_set_clear (&self->painting_grams[i]);
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
  if ((status = check_painting_weights (params, self->n_paintings, error)))
    return status;

  if (memcmp (&self->params, params, sizeof self->params) != 0)
    {
      bool reblend = memcmp (self->params.painting_weights, params->painting_weights,
                             (size_t) self->n_paintings * sizeof (float)) != 0;

      self->params = *params;
      objective_weights (&self->objective_weights, params);
      if (reblend)
        blend_targets (self);
      /* The loss function changed: what we knew about it is stale. */
      self->grad_valid = false;
      if (self->lbfgs != NULL)
        impasto_lbfgs_reset (self->lbfgs);
    }
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_session_set_painting (ImpastoSession *self, int index, const ImpastoPainting *painting,
                              ImpastoEngineError *error)
{
  ImpastoGramSet grams = { 0 };
  bool content[N_CONVS], style[N_CONVS];
  ImpastoStatus status;

  if (index < 0 || index >= self->n_paintings)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "there is no painting %d", index + 1);
  status = impasto_painting_validate (painting, index, self->width, self->height, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  layers_on (&self->created, content, style);
  if (impasto_gram_set_init (&grams, self->weights, style) != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                     "not enough memory for the painting's targets");
  /* The gradient buffer may serve as planes: what it held is stale from here on. */
  self->grad_valid = false;
  status = compute_painting (self, &grams, painting, error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_gram_set_clear (&grams);
      return status;
    }
  impasto_gram_set_clear (&self->painting_grams[index]);
  self->painting_grams[index] = grams;
  blend_targets (self);
  if (self->lbfgs != NULL)
    impasto_lbfgs_reset (self->lbfgs);
  return IMPASTO_STATUS_OK;
}

int
impasto_session_get_painting_passes (const ImpastoSession *self)
{
  return self->painting_passes;
}

const ImpastoGramSet *
impasto_session_get_style_targets (const ImpastoSession *self)
{
  return _impasto_session_style_targets (self);
}

/* Loss and gradient at @x (which is self->x for every caller). */
static ImpastoStatus
evaluate_at (ImpastoSession *self, const float *x, float *grad, ImpastoLosses *losses)
{
  if (self->tiled != NULL)
    return impasto_tiled_objective_evaluate (self->tiled, &self->objective_weights, x, grad,
                                             losses, self->should_stop, self->should_stop_data);
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
