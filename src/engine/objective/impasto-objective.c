/* impasto-objective.c
 *
 * The losses and the gradient of a picture against the targets; see impasto-objective.h. The
 * losses' values are taken after the forward pass; their gradients are added into each layer's
 * gradient buffer when the backward pass reaches the layer (impasto_vgg19_backward_from), so no
 * per-layer gradient arrays are kept. The Gram matrices and the style gradients run on the
 * network's threads.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-content-loss.h"
#include "impasto-memory.h"
#include "impasto-objective.h"
#include "impasto-style-loss.h"
#include "impasto-threads.h"
#include "impasto-tv-loss.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

struct _ImpastoObjective
{
  ImpastoVgg19 *net;
  int width;
  int height;
  size_t n;                          /* 3 * H * W */

  ImpastoContentTargets content;     /* (C, h, w) features of the photograph */
  ImpastoGramSet style;              /* (C, C) Gram matrices of the painting */
  float *gram_diffs[N_CONVS];        /* (C, C) G - A of the last evaluation, per style layer */
  float *gram_scratch;               /* partial Gram matrices of impasto_gram_threaded() */
  float *block;                      /* gram_diffs and gram_scratch */
  /* The scales the last evaluation used, for the gradients the backward pass asks for (0: no
   * such loss at that layer). */
  double content_scale[N_CONVS];
  double style_scale[N_CONVS];
};

/* Floats of the G - A matrices and the threads' partial Gram matrices; points them when @self
 * has a block. */
static size_t
plan_scratch (ImpastoObjective *self, const ImpastoWeights *weights, const bool *style_layers)
{
  size_t total = 0, largest = 0;

  for (int i = 0; i < N_CONVS; i++)
    if (style_layers[i])
      {
        size_t c = (size_t) weights->convs[i].out_channels;

        if (self != NULL)
          self->gram_diffs[i] = self->block + total;
        total += impasto_align_floats (c * c);
        if (c > largest)
          largest = c;
      }
  if (self != NULL)
    self->gram_scratch = self->block + total;
  total += impasto_align_floats (impasto_gram_threaded_scratch_floats (largest,
                                                                       impasto_get_threads ()));
  return total;
}

size_t
impasto_objective_estimate_bytes (const ImpastoWeights *weights,
                                  int height,
                                  int width,
                                  const bool *content_layers,
                                  const bool *style_layers)
{
  return (impasto_content_targets_floats (weights, height, width, content_layers)
          + impasto_gram_set_floats (weights, style_layers)
          + plan_scratch (NULL, weights, style_layers)) * sizeof (float)
         + sizeof (ImpastoObjective);
}

ImpastoStatus
impasto_objective_new (ImpastoObjective **out,
                       const ImpastoWeights *weights,
                       ImpastoVgg19 *net,
                       int height,
                       int width,
                       const bool *content_layers,
                       const bool *style_layers)
{
  ImpastoObjective *self;
  ImpastoStatus status;

  *out = NULL;
  /* The partial Gram matrices are planned for this many threads. */
  IMPASTO_CHECK (impasto_parallel_get_n_threads (impasto_vgg19_get_parallel (net))
                 <= impasto_get_threads ());
  self = calloc (1, sizeof *self);
  if (self == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  self->net = net;
  self->width = width;
  self->height = height;
  self->n = (size_t) 3 * width * height;

  self->block = impasto_alloc_floats (plan_scratch (NULL, weights, style_layers));
  if (self->block == NULL)
    {
      impasto_objective_free (self);
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  plan_scratch (self, weights, style_layers);
  if ((status = impasto_content_targets_init (&self->content, weights, height, width,
                                              content_layers))
      || (status = impasto_gram_set_init (&self->style, weights, style_layers)))
    {
      impasto_objective_free (self);
      return status;
    }
  *out = self;
  return IMPASTO_STATUS_OK;
}

void
impasto_objective_free (ImpastoObjective *self)
{
  if (self == NULL)
    return;
  impasto_content_targets_clear (&self->content);
  impasto_gram_set_clear (&self->style);
  impasto_free_buffer (self->block);
  free (self);
}

ImpastoContentTargets *
impasto_objective_get_content_targets (ImpastoObjective *self)
{
  return &self->content;
}

ImpastoGramSet *
impasto_objective_get_style_targets (ImpastoObjective *self)
{
  return &self->style;
}

bool
impasto_objective_has_targets (const ImpastoObjective *self, const ImpastoObjectiveWeights *w)
{
  for (int i = 0; i < N_CONVS; i++)
    if ((w->content_layers[i] > 0.0f && self->content.features[i] == NULL)
        || (w->style_layers[i] > 0.0f && self->style.grams[i] == NULL))
      return false;
  return true;
}

static bool
all_finite (const float *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return false;
  return true;
}

/* The backward pass asks for each layer's loss gradient, added straight into its gradient
 * buffer. */
static void
add_loss_gradient (int index, float *dfeatures, void *data)
{
  ImpastoObjective *self = data;
  const float *f;
  int c, h, w;

  if (self->content_scale[index] == 0.0 && self->style_scale[index] == 0.0)
    return;
  f = impasto_vgg19_features (self->net, index, &c, &h, &w);
  if (self->content_scale[index] != 0.0)
    impasto_content_loss_backward (dfeatures, f, self->content.features[index], (size_t) c,
                                   (size_t) h * w, self->content_scale[index]);
  if (self->style_scale[index] != 0.0)
    impasto_style_loss_backward_threaded (dfeatures, self->gram_diffs[index], f, (size_t) c,
                                          (size_t) h * w, self->style_scale[index],
                                          impasto_vgg19_get_parallel (self->net));
}

ImpastoStatus
impasto_objective_evaluate (ImpastoObjective *self,
                            const ImpastoObjectiveWeights *p,
                            const float *x,
                            float *grad,
                            ImpastoLosses *losses,
                            ImpastoShouldStop should_stop,
                            void *should_stop_data)
{
  int n_content = 0, n_style = 0, start = -1;
  double content = 0.0, style = 0.0, tv;
  ImpastoStatus status;

  if (!all_finite (x, self->n))
    return IMPASTO_STATUS_NUMERIC;

  status = impasto_vgg19_forward (self->net, x, should_stop, should_stop_data);
  if (status != IMPASTO_STATUS_OK)
    return status;

  for (int i = 0; i < N_CONVS; i++)
    {
      n_content += self->content.features[i] != NULL && p->content_layers[i] > 0.0f;
      n_style += self->style.grams[i] != NULL && p->style_layers[i] > 0.0f;
    }

  for (int i = 0; i < N_CONVS; i++)
    {
      bool content_here = self->content.features[i] != NULL && p->content_layers[i] > 0.0f;
      bool style_here = self->style.grams[i] != NULL && p->style_layers[i] > 0.0f;
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
                   * impasto_content_loss (NULL, f, self->content.features[i], (size_t) c, m,
                                           0.0);
      if (style_here)
        style += p->style_layers[i]
                 * impasto_style_loss_threaded (self->gram_diffs[i], self->gram_scratch, f,
                                                self->style.grams[i], (size_t) c, m,
                                                impasto_vgg19_get_parallel (self->net));
    }
  if (n_content > 0)
    content /= n_content;
  if (n_style > 0)
    style /= n_style;

  memset (grad, 0, self->n * sizeof (float));
  status = impasto_vgg19_backward_from (self->net, grad, start, add_loss_gradient, self,
                                        should_stop, should_stop_data);
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
