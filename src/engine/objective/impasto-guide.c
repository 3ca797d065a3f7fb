/* impasto-guide.c
 *
 * A region's mask carried down to one layer of VGG19, the guided features and the naive guided
 * loss; see impasto-guide.h. The fast guide is separable: the field is a square window clipped
 * to the picture, so its min (max) is the min (max) over its rows of each row's min (max).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "impasto-guide.h"
#include "impasto-receptive-field.h"
#include "impasto-vgg19.h"

/* The input pixels [*first, *last] neuron @y of a layer with @field sees along an axis of
 * @length pixels; false if none (cannot happen for a neuron the network has). */
static bool
field_span (const ImpastoReceptiveField *field, int y, int length, int *first, int *last)
{
  int a = field->start + y * field->jump;
  int b = a + field->size - 1;

  *first = a < 0 ? 0 : a;
  *last = b > length - 1 ? length - 1 : b;
  return *first <= *last;
}

static inline float
combine (float a, float b, ImpastoGuideMode mode)
{
  if (mode == IMPASTO_GUIDE_INSIDE)
    return a < b ? a : b;
  return a > b ? a : b;
}

size_t
impasto_guide_scratch_floats (int index, int height, int width)
{
  int h, w;

  impasto_vgg19_conv_size (index, height, width, &h, &w);
  return (size_t) height * w;
}

void
impasto_guide_at_layer (float *guide,
                        float *scratch,
                        const float *mask,
                        int height,
                        int width,
                        int index,
                        ImpastoGuideMode mode)
{
  ImpastoReceptiveField field;
  int h, w;

  impasto_vgg19_receptive_field (index, &field);
  impasto_vgg19_conv_size (index, height, width, &h, &w);

  /* scratch (height, w): each input row's value over each neuron's columns. */
  for (int x = 0; x < w; x++)
    {
      int first, last;

      field_span (&field, x, width, &first, &last);
      for (int y = 0; y < height; y++)
        {
          const float *row = mask + (size_t) y * width;
          float v = row[first];

          for (int i = first + 1; i <= last; i++)
            v = combine (v, row[i], mode);
          scratch[(size_t) y * w + x] = v;
        }
    }
  /* Then over each neuron's rows. */
  for (int y = 0; y < h; y++)
    {
      int first, last;

      field_span (&field, y, height, &first, &last);
      for (int x = 0; x < w; x++)
        {
          float v = scratch[(size_t) first * w + x];

          for (int i = first + 1; i <= last; i++)
            v = combine (v, scratch[(size_t) i * w + x], mode);
          guide[(size_t) y * w + x] = v;
        }
    }
}

void
impasto_guide_at_layer_naive (float *guide,
                              const float *mask,
                              int height,
                              int width,
                              int index,
                              ImpastoGuideMode mode)
{
  ImpastoReceptiveField field;
  int h, w;

  impasto_vgg19_receptive_field (index, &field);
  impasto_vgg19_conv_size (index, height, width, &h, &w);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int y0, y1, x0, x1;
        float v;

        field_span (&field, y, height, &y0, &y1);
        field_span (&field, x, width, &x0, &x1);
        v = mask[(size_t) y0 * width + x0];
        for (int i = y0; i <= y1; i++)
          for (int j = x0; j <= x1; j++)
            v = combine (v, mask[(size_t) i * width + j], mode);
        guide[(size_t) y * w + x] = v;
      }
}

bool
impasto_guide_normalise (float *guide, size_t n)
{
  double sum = 0.0;
  bool any = false;
  float factor;

  for (size_t i = 0; i < n; i++)
    {
      any |= guide[i] > 1e-6f;
      sum += (double) guide[i] * guide[i];
    }
  if (!any)
    {
      for (size_t i = 0; i < n; i++)
        guide[i] = 0.0f;
      return false;
    }
  factor = (float) (1.0 / sqrt (sum / (double) n));
  for (size_t i = 0; i < n; i++)
    guide[i] *= factor;
  return true;
}

void
impasto_guide_features (float *out,
                        const float *feat,
                        const float *guide,
                        size_t channels,
                        size_t positions,
                        int power)
{
  for (size_t c = 0; c < channels; c++)
    {
      const float *f = feat + c * positions;
      float *o = out + c * positions;

      if (power == 2)
        for (size_t p = 0; p < positions; p++)
          o[p] = f[p] * guide[p] * guide[p];
      else
        for (size_t p = 0; p < positions; p++)
          o[p] = f[p] * guide[p];
    }
}

size_t
impasto_guide_positions (uint32_t *positions, const float *guide, size_t m)
{
  size_t n = 0;

  for (size_t p = 0; p < m; p++)
    if (guide[p] != 0.0f)
      positions[n++] = (uint32_t) p;
  return n;
}

typedef struct
{
  float *dst;
  const float *src;
  const float *guide;
  const uint32_t *positions;
  size_t n;
  size_t channels;
  size_t m;
  int power;
  int n_tasks;
} Gather;

/* Channels [begin, end) of task @t. */
static void
task_channels (const Gather *g, int t, size_t *begin, size_t *end)
{
  *begin = g->channels * (size_t) t / (size_t) g->n_tasks;
  *end = g->channels * (size_t) (t + 1) / (size_t) g->n_tasks;
}

static void
gather_task (int t, int thread, void *data)
{
  const Gather *g = data;
  size_t begin, end;

  task_channels (g, t, &begin, &end);
  for (size_t c = begin; c < end; c++)
    {
      const float *f = g->src + c * g->m;
      float *o = g->dst + c * g->n;

      if (g->power == 2)
        for (size_t j = 0; j < g->n; j++)
          {
            uint32_t p = g->positions[j];

            o[j] = f[p] * g->guide[p] * g->guide[p];
          }
      else
        for (size_t j = 0; j < g->n; j++)
          o[j] = f[g->positions[j]] * g->guide[g->positions[j]];
    }
}

static void
scatter_task (int t, int thread, void *data)
{
  const Gather *g = data;
  size_t begin, end;

  task_channels (g, t, &begin, &end);
  for (size_t c = begin; c < end; c++)
    {
      float *d = g->dst + c * g->m;
      const float *s = g->src + c * g->n;

      for (size_t j = 0; j < g->n; j++)
        d[g->positions[j]] += s[j];
    }
}

static int
tasks_for (size_t channels, ImpastoParallel *pool)
{
  int n = impasto_parallel_get_n_threads (pool);

  return (size_t) n < channels ? n : (int) channels;
}

void
impasto_guide_gather (float *out,
                      const float *feat,
                      const float *guide,
                      const uint32_t *positions,
                      size_t n,
                      size_t channels,
                      size_t m,
                      int power,
                      ImpastoParallel *pool)
{
  Gather g = { out, feat, guide, positions, n, channels, m, power, tasks_for (channels, pool) };

  impasto_parallel_for (pool, g.n_tasks, gather_task, &g);
}

void
impasto_guide_scatter_add (float *dfeat,
                           const float *compact,
                           const uint32_t *positions,
                           size_t n,
                           size_t channels,
                           size_t m,
                           ImpastoParallel *pool)
{
  Gather g = { dfeat, compact, NULL, positions, n, channels, m, 1, tasks_for (channels, pool) };

  impasto_parallel_for (pool, g.n_tasks, scatter_task, &g);
}

double
impasto_guided_style_loss_naive (float *dfeat,
                                 const float *feat,
                                 const float *guide,
                                 const float *target_gram,
                                 size_t channels,
                                 size_t positions,
                                 double scale)
{
  const double m = (double) positions;
  const double n = (double) channels;
  double sum = 0.0;

  for (size_t i = 0; i < channels; i++)
    for (size_t j = 0; j < channels; j++)
      {
        double g = 0.0, d;

        for (size_t p = 0; p < positions; p++)
          g += (double) feat[i * positions + p] * guide[p] * feat[j * positions + p] * guide[p];
        d = g - target_gram[i * channels + j];
        sum += d * d;
        /* dE/dF_ip = 4 Σ_j (G - A)_ij F_jp T_p² / (4 M² N²), G - A symmetric. */
        if (dfeat != NULL)
          for (size_t p = 0; p < positions; p++)
            dfeat[i * positions + p] += (float) (scale * d * feat[j * positions + p] * guide[p]
                                                 * guide[p] / (m * m * n * n));
      }
  return sum / (4.0 * m * m * n * n);
}
