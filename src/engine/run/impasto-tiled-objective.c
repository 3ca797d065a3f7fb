/* impasto-tiled-objective.c
 *
 * The objective evaluated tile by tile; see the header. A tile's owned neurons at a layer whose
 * neurons are `jump` pixels apart are those above the pixels it owns: the owned bounds are
 * multiples of 16, so each layer's owned columns are [bound / jump, next bound / jump) (the floor
 * of the last one is the layer's own floor). Owned features are gathered into a compact (C, n)
 * buffer for the Gram matrices and the style gradient, which is scattered back.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-memory.h"
#include "impasto-receptive-field.h"
#include "impasto-style-loss.h"
#include "impasto-threads.h"
#include "impasto-tiled-objective.h"
#include "impasto-tv-loss.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

struct _ImpastoTiledObjective
{
  const ImpastoWeights *weights;
  ImpastoTileGrid grid;
  int width;
  int height;
  bool content_layers[N_CONVS];
  bool style_layers[N_CONVS];
  ImpastoVgg19 *net;                 /* of one window */

  ImpastoContentTargets content;     /* (C, h, w) of the whole picture */
  ImpastoGramSet style;              /* the targets A */
  ImpastoGramSet grams;              /* the whole picture's G, then G - A */

  float *partial;                    /* (C, C) one tile's Gram matrix */
  float *gram_scratch;               /* impasto_gram_threaded()'s partial matrices */
  float *owned;                      /* (C, n) a tile's owned features, gathered */
  float *owned_grad;                 /* (C, n) their style gradient, before it is scattered */
  float *window_x;                   /* (3, wh, ww) a window of the picture */
  float *window_grad;                /* (3, wh, ww) its gradient */
  float *block;

  /* Of the evaluation in progress: the tile and each layer's scales. */
  int tile_x;
  int tile_y;
  double content_scale[N_CONVS];
  double style_scale[N_CONVS];
};

/* The rectangle of conv @index's neurons tile (@tx, @ty) owns, in the window's coordinates
 * (x0, y0) and as a count (w, h), and the window's feature width. */
typedef struct
{
  int x0, y0, w, h;       /* in the window's features */
  int gx0, gy0;           /* the same corner in the picture's features */
  int window_width;       /* the window's features' width */
  int picture_width;      /* the picture's features' width */
} Owned;

static void
owned_at (const ImpastoTiledObjective *self, int tx, int ty, int index, Owned *o)
{
  ImpastoReceptiveField field;
  const ImpastoTileAxis *ax = &self->grid.x, *ay = &self->grid.y;
  int j, ph, pw, wh, ww;

  impasto_vgg19_receptive_field (index, &field);
  j = field.jump;
  impasto_vgg19_conv_size (index, self->height, self->width, &ph, &pw);
  impasto_vgg19_conv_size (index, ay->window, ax->window, &wh, &ww);
  o->gx0 = ax->bounds[tx] / j;
  o->gy0 = ay->bounds[ty] / j;
  o->w = (tx + 1 == ax->n ? pw : ax->bounds[tx + 1] / j) - o->gx0;
  o->h = (ty + 1 == ay->n ? ph : ay->bounds[ty + 1] / j) - o->gy0;
  o->x0 = o->gx0 - ax->origins[tx] / j;
  o->y0 = o->gy0 - ay->origins[ty] / j;
  o->window_width = ww;
  o->picture_width = pw;
  IMPASTO_CHECK (o->x0 >= 0 && o->y0 >= 0 && o->x0 + o->w <= ww && o->y0 + o->h <= wh);
}

/* Floats of the tile buffers; points them when @self has a block. */
static size_t
plan (ImpastoTiledObjective *self, const ImpastoWeights *weights, const ImpastoTileGrid *grid,
      const bool *style_layers)
{
  size_t largest_c = 0, largest_owned = 0, window = (size_t) grid->x.window * grid->y.window;
  size_t total = 0;

  for (int i = 0; i < N_CONVS; i++)
    if (style_layers[i])
      {
        size_t c = (size_t) weights->convs[i].out_channels;
        int h, w;

        /* A tile owns at most its window's features. */
        impasto_vgg19_conv_size (i, grid->y.window, grid->x.window, &h, &w);
        if (c > largest_c)
          largest_c = c;
        if (c * h * w > largest_owned)
          largest_owned = c * h * w;
      }
  if (self != NULL)
    {
      self->partial = self->block;
      self->gram_scratch = self->block + impasto_align_floats (largest_c * largest_c);
    }
  total = impasto_align_floats (largest_c * largest_c)
          + impasto_align_floats (impasto_gram_threaded_scratch_floats (largest_c,
                                                                        impasto_get_threads ()));
  if (self != NULL)
    {
      self->owned = self->block + total;
      self->owned_grad = self->owned + impasto_align_floats (largest_owned);
      self->window_x = self->owned_grad + impasto_align_floats (largest_owned);
      self->window_grad = self->window_x + impasto_align_floats (3 * window);
    }
  return total + 2 * impasto_align_floats (largest_owned) + 2 * impasto_align_floats (3 * window);
}

size_t
impasto_tiled_objective_estimate_bytes (const ImpastoWeights *weights,
                                        const ImpastoTileGrid *grid,
                                        int deepest,
                                        const bool *content_layers,
                                        const bool *style_layers)
{
  return impasto_vgg19_plan_bytes (weights, grid->y.window, grid->x.window, deepest)
         - impasto_vgg19_filters_bytes (weights, deepest)
         + (impasto_content_targets_floats (weights, grid->y.length, grid->x.length,
                                            content_layers)
            + 2 * impasto_gram_set_floats (weights, style_layers)
            + plan (NULL, weights, grid, style_layers)) * sizeof (float)
         + sizeof (ImpastoTiledObjective);
}

ImpastoStatus
impasto_tiled_objective_new (ImpastoTiledObjective **out,
                             const ImpastoWeights *weights,
                             const ImpastoVgg19Filters *filters,
                             const ImpastoTileGrid *grid,
                             int deepest,
                             ImpastoPoolMode pool,
                             const bool *content_layers,
                             const bool *style_layers,
                             ImpastoEngineError *error)
{
  ImpastoTiledObjective *self;
  ImpastoStatus status;

  *out = NULL;
  self = calloc (1, sizeof *self);
  if (self == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  self->weights = weights;
  self->grid = *grid;
  self->width = grid->x.length;
  self->height = grid->y.length;
  memcpy (self->content_layers, content_layers, sizeof self->content_layers);
  memcpy (self->style_layers, style_layers, sizeof self->style_layers);
  status = impasto_vgg19_new_with_filters (&self->net, weights, filters, grid->y.window,
                                           grid->x.window, deepest, pool, error);
  if (status != IMPASTO_STATUS_OK)
    goto fail;
  self->block = impasto_alloc_floats (plan (NULL, weights, grid, style_layers));
  if (self->block == NULL
      || impasto_content_targets_init (&self->content, weights, self->height, self->width,
                                       content_layers) != IMPASTO_STATUS_OK
      || impasto_gram_set_init (&self->style, weights, style_layers) != IMPASTO_STATUS_OK
      || impasto_gram_set_init (&self->grams, weights, style_layers) != IMPASTO_STATUS_OK)
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory for tiles of %d×%d",
                                         grid->x.window, grid->y.window);
      goto fail;
    }
  plan (self, weights, grid, style_layers);
  *out = self;
  return IMPASTO_STATUS_OK;

fail:
  impasto_tiled_objective_free (self);
  return status;
}

void
impasto_tiled_objective_free (ImpastoTiledObjective *self)
{
  if (self == NULL)
    return;
  impasto_vgg19_free (self->net);
  impasto_content_targets_clear (&self->content);
  impasto_gram_set_clear (&self->style);
  impasto_gram_set_clear (&self->grams);
  impasto_free_buffer (self->block);
  free (self);
}

ImpastoContentTargets *
impasto_tiled_objective_get_content_targets (ImpastoTiledObjective *self)
{
  return &self->content;
}

ImpastoGramSet *
impasto_tiled_objective_get_style_targets (ImpastoTiledObjective *self)
{
  return &self->style;
}

/* Window (@tx, @ty) of the picture @x (3, H, W) into window_x. */
static void
copy_window (ImpastoTiledObjective *self, const float *x, int tx, int ty)
{
  int ww = self->grid.x.window, wh = self->grid.y.window;
  int ox = self->grid.x.origins[tx], oy = self->grid.y.origins[ty];

  for (int c = 0; c < 3; c++)
    for (int y = 0; y < wh; y++)
      memcpy (self->window_x + ((size_t) c * wh + y) * ww,
              x + ((size_t) c * self->height + oy + y) * self->width + ox,
              (size_t) ww * sizeof (float));
}

/* owned (C, n) = the owned features of @f (C, window h, window w). */
static size_t
gather (float *owned, const float *f, int c, const Owned *o, int window_height)
{
  size_t n = (size_t) o->w * o->h;

  for (int k = 0; k < c; k++)
    for (int y = 0; y < o->h; y++)
      memcpy (owned + (size_t) k * n + (size_t) y * o->w,
              f + ((size_t) k * window_height + o->y0 + y) * o->window_width + o->x0,
              (size_t) o->w * sizeof (float));
  return n;
}

/* Runs the window of tile (@tx, @ty) forward. */
static ImpastoStatus
forward_tile (ImpastoTiledObjective *self, const float *x, int tx, int ty,
              ImpastoShouldStop should_stop, void *data)
{
  copy_window (self, x, tx, ty);
  return impasto_vgg19_forward (self->net, self->window_x, should_stop, data);
}

/* Adds the Gram matrices of the owned features at each layer of @set. */
static void
add_owned_grams (ImpastoTiledObjective *self, ImpastoGramSet *set, int tx, int ty)
{
  for (int i = 0; i < N_CONVS; i++)
    if (set->grams[i] != NULL)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (self->net, i, &c, &h, &w);
        size_t nn = (size_t) c * c, n;
        Owned o;

        owned_at (self, tx, ty, i, &o);
        n = gather (self->owned, f, c, &o, h);
        if (n == 0)
          continue;
        impasto_gram_threaded (self->partial, self->gram_scratch, self->owned, (size_t) c, n,
                               impasto_vgg19_get_parallel (self->net));
        for (size_t k = 0; k < nn; k++)
          set->grams[i][k] += self->partial[k];
      }
}

ImpastoStatus
impasto_tiled_gram_set_compute (ImpastoTiledObjective *self,
                                ImpastoGramSet *set,
                                const float *image,
                                ImpastoShouldStop should_stop,
                                void *should_stop_data)
{
  impasto_gram_set_scale (set, 0.0);
  for (int ty = 0; ty < self->grid.y.n; ty++)
    for (int tx = 0; tx < self->grid.x.n; tx++)
      {
        ImpastoStatus status = forward_tile (self, image, tx, ty, should_stop, should_stop_data);

        if (status != IMPASTO_STATUS_OK)
          return status;
        add_owned_grams (self, set, tx, ty);
      }
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_tiled_objective_compute_content (ImpastoTiledObjective *self,
                                         const float *image,
                                         ImpastoShouldStop should_stop,
                                         void *should_stop_data)
{
  for (int ty = 0; ty < self->grid.y.n; ty++)
    for (int tx = 0; tx < self->grid.x.n; tx++)
      {
        ImpastoStatus status = forward_tile (self, image, tx, ty, should_stop, should_stop_data);

        if (status != IMPASTO_STATUS_OK)
          return status;
        for (int i = 0; i < N_CONVS; i++)
          if (self->content.features[i] != NULL)
            {
              int c, h, w, ph, pw;
              const float *f = impasto_vgg19_features (self->net, i, &c, &h, &w);
              Owned o;

              owned_at (self, tx, ty, i, &o);
              impasto_vgg19_conv_size (i, self->height, self->width, &ph, &pw);
              for (int k = 0; k < c; k++)
                for (int y = 0; y < o.h; y++)
                  memcpy (self->content.features[i] + ((size_t) k * ph + o.gy0 + y) * pw + o.gx0,
                          f + ((size_t) k * h + o.y0 + y) * w + o.x0,
                          (size_t) o.w * sizeof (float));
            }
      }
  return IMPASTO_STATUS_OK;
}

/* Σ (X - P)² over the owned features of layer @index (unnormalised), and, if @dfeat is not NULL,
 * dfeat += @scale (X - P) there. */
static double
owned_content (ImpastoTiledObjective *self, int index, const float *f, float *dfeat, int c,
               int h, const Owned *o, double scale)
{
  int ph, pw;
  double sum = 0.0;

  impasto_vgg19_conv_size (index, self->height, self->width, &ph, &pw);
  for (int k = 0; k < c; k++)
    for (int y = 0; y < o->h; y++)
      {
        size_t local = ((size_t) k * h + o->y0 + y) * o->window_width + o->x0;
        const float *p = self->content.features[index] + ((size_t) k * ph + o->gy0 + y) * pw
                         + o->gx0;

        for (int x = 0; x < o->w; x++)
          {
            float d = f[local + x] - p[x];

            sum += (double) d * d;
            if (dfeat != NULL)
              dfeat[local + x] += (float) (scale * d);
          }
      }
  return sum;
}

/* The backward pass asks for each layer's loss gradient at the owned neurons (true: something
 * may have been added). */
static bool
add_tile_gradient (int index, float *dfeatures, void *data)
{
  ImpastoTiledObjective *self = data;
  const float *f;
  int c, h, w, ph, pw;
  size_t n, m;
  Owned o;

  if (self->content_scale[index] == 0.0 && self->style_scale[index] == 0.0)
    return false;
  f = impasto_vgg19_features (self->net, index, &c, &h, &w);
  owned_at (self, self->tile_x, self->tile_y, index, &o);
  impasto_vgg19_conv_size (index, self->height, self->width, &ph, &pw);
  m = (size_t) ph * pw;
  if (self->content_scale[index] != 0.0)
    owned_content (self, index, f, dfeatures, c, h, &o,
                   self->content_scale[index] / ((double) m * c));
  if (self->style_scale[index] != 0.0)
    {
      double ratio;

      n = gather (self->owned, f, c, &o, h);
      if (n == 0)
        return true;
      ratio = (double) n / (double) m;
      memset (self->owned_grad, 0, (size_t) c * n * sizeof (float));
      /* scale (G - A) F / (M² N²): the usual formula over n positions, times (n / M)². */
      impasto_style_loss_backward_threaded (self->owned_grad, self->grams.grams[index],
                                            self->owned, (size_t) c, n,
                                            self->style_scale[index] * ratio * ratio,
                                            impasto_vgg19_get_parallel (self->net));
      for (int k = 0; k < c; k++)
        for (int y = 0; y < o.h; y++)
          {
            float *d = dfeatures + ((size_t) k * h + o.y0 + y) * w + o.x0;
            const float *s = self->owned_grad + (size_t) k * n + (size_t) y * o.w;

            for (int x = 0; x < o.w; x++)
              d[x] += s[x];
          }
    }
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

ImpastoStatus
impasto_tiled_objective_evaluate (ImpastoTiledObjective *self,
                                  const ImpastoObjectiveWeights *p,
                                  const float *x,
                                  float *grad,
                                  ImpastoLosses *losses,
                                  ImpastoShouldStop should_stop,
                                  void *should_stop_data)
{
  size_t n = (size_t) 3 * self->width * self->height;
  int ww = self->grid.x.window, wh = self->grid.y.window;
  int n_content = 0, n_style = 0, start = -1;
  double content_sums[N_CONVS] = { 0.0 }, content = 0.0, style = 0.0, tv;
  ImpastoStatus status;

  if (!all_finite (x, n))
    return IMPASTO_STATUS_NUMERIC;
  for (int i = 0; i < N_CONVS; i++)
    {
      n_content += self->content.features[i] != NULL && p->content_layers[i] > 0.0f;
      n_style += self->style.grams[i] != NULL && p->style_layers[i] > 0.0f;
    }
  for (int i = 0; i < N_CONVS; i++)
    {
      bool content_here = self->content.features[i] != NULL && p->content_layers[i] > 0.0f;
      bool style_here = self->style.grams[i] != NULL && p->style_layers[i] > 0.0f;

      self->content_scale[i] = content_here ? p->alpha * p->content_layers[i] / n_content : 0.0;
      self->style_scale[i] = style_here ? p->beta * p->style_layers[i] / n_style : 0.0;
      if (content_here || style_here)
        start = i;
    }

  /* First pass: the whole picture's Gram matrices and content sums. */
  impasto_gram_set_scale (&self->grams, 0.0);
  for (int ty = 0; ty < self->grid.y.n; ty++)
    for (int tx = 0; tx < self->grid.x.n; tx++)
      {
        if ((status = forward_tile (self, x, tx, ty, should_stop, should_stop_data)))
          return status;
        add_owned_grams (self, &self->grams, tx, ty);
        for (int i = 0; i < N_CONVS; i++)
          if (self->content_scale[i] != 0.0)
            {
              int c, h, w;
              const float *f = impasto_vgg19_features (self->net, i, &c, &h, &w);
              Owned o;

              owned_at (self, tx, ty, i, &o);
              content_sums[i] += owned_content (self, i, f, NULL, c, h, &o, 0.0);
            }
      }
  for (int i = 0; i < N_CONVS; i++)
    {
      int ph, pw;
      double m, c;

      if (self->content_scale[i] == 0.0 && self->style_scale[i] == 0.0)
        continue;
      impasto_vgg19_conv_size (i, self->height, self->width, &ph, &pw);
      m = (double) ph * pw;
      c = (double) self->weights->convs[i].out_channels;
      if (self->content_scale[i] != 0.0)
        content += p->content_layers[i] * content_sums[i] / (2.0 * m * c);
      if (self->style_scale[i] != 0.0)
        {
          size_t nn = (size_t) c * c;
          double sum = 0.0;

          /* G - A in place, for the gradients. */
          for (size_t k = 0; k < nn; k++)
            {
              float d = self->grams.grams[i][k] - self->style.grams[i][k];

              self->grams.grams[i][k] = d;
              sum += (double) d * d;
            }
          style += p->style_layers[i] * sum / (4.0 * m * m * c * c);
        }
    }
  if (n_content > 0)
    content /= n_content;
  if (n_style > 0)
    style /= n_style;

  /* Second pass: each window's gradient from its owned neurons, added into the picture's. */
  memset (grad, 0, n * sizeof (float));
  for (int ty = 0; ty < self->grid.y.n && start >= 0; ty++)
    for (int tx = 0; tx < self->grid.x.n; tx++)
      {
        int ox = self->grid.x.origins[tx], oy = self->grid.y.origins[ty];

        if ((status = forward_tile (self, x, tx, ty, should_stop, should_stop_data)))
          return status;
        self->tile_x = tx;
        self->tile_y = ty;
        memset (self->window_grad, 0, (size_t) 3 * ww * wh * sizeof (float));
        status = impasto_vgg19_backward_from (self->net, self->window_grad, start,
                                              add_tile_gradient, self, should_stop,
                                              should_stop_data);
        if (status != IMPASTO_STATUS_OK)
          return status;
        for (int c = 0; c < 3; c++)
          for (int y = 0; y < wh; y++)
            {
              float *dst = grad + ((size_t) c * self->height + oy + y) * self->width + ox;
              const float *src = self->window_grad + ((size_t) c * wh + y) * ww;

              for (int k = 0; k < ww; k++)
                dst[k] += src[k];
            }
      }
  tv = impasto_tv_loss (p->tv > 0.0 ? grad : NULL, x, 3, self->height, self->width, p->tv);

  losses->content = content;
  losses->style = style;
  losses->tv_term = tv;
  losses->total = p->alpha * content + p->beta * style + p->tv * tv;
  if (!isfinite (losses->total) || !all_finite (grad, n))
    return IMPASTO_STATUS_NUMERIC;
  return IMPASTO_STATUS_OK;
}
