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
#include "impasto-guide.h"
#include "impasto-memory.h"
#include "impasto-objective.h"
#include "impasto-style-loss.h"
#include "impasto-threads.h"
#include "impasto-tv-loss.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS
#define N_SLOTS (IMPASTO_MAX_REGIONS + 1)

/* What the objective keeps for painted regions, once they are enabled. */
typedef struct
{
  ImpastoRegionGuides *guides;
  const ImpastoGramSet *targets[N_SLOTS];   /* NULL: keep the photo (or not set) */
  double weights[N_SLOTS];
  float *gram_diffs[N_SLOTS][N_CONVS];      /* (C, C) G - A of the last evaluation */
  double scales[N_SLOTS][N_CONVS];          /* the gradient's scale (0: no term there) */
  /* No region had a neuron at the layer: the default region's "all" guides stood in for its
   * own (in the default region's slot). */
  bool fallback[N_CONVS];
  /* (C, n) of the largest style layer, n a region's positions there: F ∘ T or F ∘ T² gathered
   * from them, and the gradient there before it is scattered back. */
  float *guided;
  float *compact_grad;
  float *block;                             /* gram_diffs, guided and compact_grad */
} Regions;

struct _ImpastoObjective
{
  const ImpastoWeights *weights;
  ImpastoVgg19 *net;
  bool style_layers[N_CONVS];
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
  Regions *regions;                  /* NULL until enabled */
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
  self->weights = weights;
  self->net = net;
  memcpy (self->style_layers, style_layers, sizeof self->style_layers);
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
  if (self->regions != NULL)
    {
      impasto_region_guides_free (self->regions->guides);
      impasto_free_buffer (self->regions->block);
      free (self->regions);
    }
  free (self);
}

/* Floats of the regions' G - A matrices and guided features; points them when @r has a block. */
static size_t
plan_regions (Regions *r, const ImpastoWeights *weights, int height, int width,
              const bool *style_layers)
{
  size_t total = 0, guided = 0;

  for (int i = 0; i < N_CONVS; i++)
    if (style_layers[i])
      {
        size_t c = (size_t) weights->convs[i].out_channels;
        int h, w;

        for (int s = 0; s < N_SLOTS; s++)
          {
            if (r != NULL)
              r->gram_diffs[s][i] = r->block + total;
            total += impasto_align_floats (c * c);
          }
        impasto_vgg19_conv_size (i, height, width, &h, &w);
        if (c * h * w > guided)
          guided = c * h * w;
      }
  if (r != NULL)
    {
      r->guided = r->block + total;
      r->compact_grad = r->block + total + impasto_align_floats (guided);
    }
  return total + 2 * impasto_align_floats (guided);
}

size_t
impasto_objective_regions_estimate_bytes (const ImpastoWeights *weights,
                                          int height,
                                          int width,
                                          const bool *style_layers)
{
  return plan_regions (NULL, weights, height, width, style_layers) * sizeof (float)
         + impasto_region_guides_estimate_bytes (weights, height, width, style_layers)
         + sizeof (Regions);
}

ImpastoStatus
impasto_objective_enable_regions (ImpastoObjective *self, ImpastoGuideMode mode)
{
  Regions *r;
  ImpastoStatus status;

  if (self->regions != NULL)
    return IMPASTO_STATUS_OK;
  r = calloc (1, sizeof *r);
  if (r == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  r->block = impasto_alloc_floats (plan_regions (NULL, self->weights, self->height, self->width,
                                                 self->style_layers));
  if (r->block == NULL)
    {
      free (r);
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  plan_regions (r, self->weights, self->height, self->width, self->style_layers);
  status = impasto_region_guides_new (&r->guides, self->weights, self->height, self->width,
                                      self->style_layers, mode);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_free_buffer (r->block);
      free (r);
      return status;
    }
  r->targets[IMPASTO_REGION_DEFAULT] = &self->style;
  r->weights[IMPASTO_REGION_DEFAULT] = 1.0;
  self->regions = r;
  return IMPASTO_STATUS_OK;
}

ImpastoRegionGuides *
impasto_objective_get_region_guides (ImpastoObjective *self)
{
  return self->regions != NULL ? self->regions->guides : NULL;
}

void
impasto_objective_set_region_target (ImpastoObjective *self,
                                     int slot,
                                     const ImpastoGramSet *target,
                                     double weight)
{
  IMPASTO_CHECK (self->regions != NULL);
  IMPASTO_CHECK (slot >= 0 && slot < IMPASTO_MAX_REGIONS);
  IMPASTO_CHECK (target == NULL || weight > 0.0);
  self->regions->targets[slot] = target;
  self->regions->weights[slot] = target != NULL ? weight : 0.0;
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

/* The guides' slot of term @s at layer @index: its own, or the default region's "all" guides where
 * they stood in. */
static int
guide_slot (const Regions *r, int s, int index)
{
  return s == IMPASTO_REGION_DEFAULT && r->fallback[index] ? IMPASTO_REGION_DEFAULT_ALL : s;
}

/* Term @s's guided Gram loss at layer @index, computed over the positions where its guide is not
 * 0 only (gathered: the others add nothing to the Gram matrix). The style loss's M is the
 * layer's, so the value and the gradient computed with the n gathered positions are scaled by
 * (n / M)^2. */
static double
region_loss (ImpastoObjective *self, int s, int index, const float *f, size_t c, size_t m)
{
  Regions *r = self->regions;
  ImpastoParallel *pool = impasto_vgg19_get_parallel (self->net);
  int g = guide_slot (r, s, index);
  size_t n;
  const uint32_t *positions = impasto_region_guides_get_positions (r->guides, g, index, &n);
  double ratio = (double) n / (double) m;

  impasto_guide_gather (r->guided, f, impasto_region_guides_get (r->guides, g, index), positions,
                        n, c, m, 1, pool);
  return ratio * ratio * impasto_style_loss_threaded (r->gram_diffs[s][index], self->gram_scratch,
                                                      r->guided, r->targets[s]->grams[index], c,
                                                      n, pool);
}

/* d/dF of term @s's loss at layer @index: the usual gradient with F ∘ T² in place of F, at the
 * guide's positions, added into @dfeat. */
static void
regions_backward (ImpastoObjective *self, int s, int index, float *dfeat, const float *f,
                  size_t c, size_t m)
{
  Regions *r = self->regions;
  ImpastoParallel *pool = impasto_vgg19_get_parallel (self->net);
  int g = guide_slot (r, s, index);
  size_t n;
  const uint32_t *positions = impasto_region_guides_get_positions (r->guides, g, index, &n);
  double ratio = (double) n / (double) m;

  impasto_guide_gather (r->guided, f, impasto_region_guides_get (r->guides, g, index), positions,
                        n, c, m, 2, pool);
  memset (r->compact_grad, 0, c * n * sizeof (float));
  impasto_style_loss_backward_threaded (r->compact_grad, r->gram_diffs[s][index], r->guided, c, n,
                                        r->scales[s][index] * ratio * ratio, pool);
  impasto_guide_scatter_add (dfeat, r->compact_grad, positions, n, c, m, pool);
}

/* The backward pass asks for each layer's loss gradient, added straight into its gradient
 * buffer. */
static bool
add_loss_gradient (int index, float *dfeatures, void *data)
{
  ImpastoObjective *self = data;
  const float *f;
  int c, h, w;

  if (self->content_scale[index] == 0.0 && self->style_scale[index] == 0.0)
    return false;
  f = impasto_vgg19_features (self->net, index, &c, &h, &w);
  if (self->content_scale[index] != 0.0)
    impasto_content_loss_backward (dfeatures, f, self->content.features[index], (size_t) c,
                                   (size_t) h * w, self->content_scale[index]);
  if (self->style_scale[index] != 0.0 && self->regions == NULL)
    impasto_style_loss_backward_threaded (dfeatures, self->gram_diffs[index], f, (size_t) c,
                                          (size_t) h * w, self->style_scale[index],
                                          impasto_vgg19_get_parallel (self->net));
  else if (self->style_scale[index] != 0.0)
    for (int s = 0; s < N_SLOTS; s++)
      if (self->regions->scales[s][index] != 0.0)
        regions_backward (self, s, index, dfeatures, f, (size_t) c, (size_t) h * w);
  return true;
}

/* The regions' style loss at layer @index, Σ s_r E_r with the shares s_r ∝ w_r × the mass of r's
 * guide there (the mean square of the guide before normalisation), over the regions with a
 * painting present there; the scales of their gradients are the layer's @scale times each share.
 * As each guide is normalised to unit root mean square, a share in proportion to its mass keeps
 * the style's strength at a pixel that of the whole picture's loss, whatever the region's size (a
 * mask one level short of white leaves a default region of almost no weight). Where no region has
 * a neuron (a small region at a coarse size, "inside" guides), the default region's "all" guides
 * stand in, so that the layer keeps its style. */
static double
regions_style_loss (ImpastoObjective *self, int index, const float *f, size_t c, size_t m,
                    double scale)
{
  Regions *r = self->regions;
  double total_weight = 0.0, loss = 0.0;

  r->fallback[index] = false;
  for (int s = 0; s < N_SLOTS; s++)
    {
      r->scales[s][index] = 0.0;
      if (r->targets[s] != NULL && impasto_region_guides_covers (r->guides, s))
        total_weight += r->weights[s] * impasto_region_guides_get_mass (r->guides, s, index);
    }
  if (total_weight <= 0.0
      && impasto_region_guides_get_mass (r->guides, IMPASTO_REGION_DEFAULT_ALL, index) > 0.0)
    {
      r->fallback[index] = true;
      r->scales[IMPASTO_REGION_DEFAULT][index] = scale;
      return region_loss (self, IMPASTO_REGION_DEFAULT, index, f, c, m);
    }
  for (int s = 0; s < N_SLOTS && total_weight > 0.0; s++)
    {
      double share;

      if (r->targets[s] == NULL || !impasto_region_guides_covers (r->guides, s)
          || impasto_region_guides_get (r->guides, s, index) == NULL)
        continue;
      share = r->weights[s] * impasto_region_guides_get_mass (r->guides, s, index) / total_weight;
      loss += share * region_loss (self, s, index, f, c, m);
      r->scales[s][index] = scale * share;
    }
  return loss;
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
      if (style_here && self->regions != NULL)
        style += p->style_layers[i]
                 * regions_style_loss (self, i, f, (size_t) c, m, self->style_scale[i]);
      else if (style_here)
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
