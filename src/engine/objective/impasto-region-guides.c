/* impasto-region-guides.c
 *
 * The regions' masks at the picture's size and their guides at the style layers; see the header.
 * One allocation holds the masks of every slot (the default region's included), their guides and
 * the scratch of the separable guide computation; another the positions where each guide is not
 * 0, so that a region's Gram matrix is computed over its own positions only.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "impasto-memory.h"
#include "impasto-region-guides.h"
#include "impasto-vgg19.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS
#define N_SLOTS (IMPASTO_REGION_DEFAULT_ALL + 1)

struct _ImpastoRegionGuides
{
  int height;
  int width;
  size_t m;                              /* H * W */
  ImpastoGuideMode mode;
  bool style_layers[N_CONVS];

  float *masks[N_SLOTS];                 /* (H, W) each; the default's twice */
  bool has_mask[N_SLOTS];                /* the default region always has one */
  bool covers[N_SLOTS];
  float *guides[N_SLOTS][N_CONVS];       /* (h, w) at each style layer, else NULL */
  bool guide_present[N_SLOTS][N_CONVS];  /* the region has a neuron there */
  uint32_t *positions[N_SLOTS][N_CONVS]; /* (h * w) room: where the guide is not 0 */
  size_t n_positions[N_SLOTS][N_CONVS];
  double mass[N_SLOTS][N_CONVS];         /* mean square of the guide before normalisation */
  int passes[N_SLOTS];
  float *scratch;                        /* the largest impasto_guide_scratch_floats() */
  float *block;
  uint32_t *position_block;
};

/* Positions of every guide: one allocation of that many uint32_t; points them when @self has
 * its position block. */
static size_t
plan_positions (ImpastoRegionGuides *self, int height, int width, const bool *style_layers)
{
  size_t total = 0;

  for (int s = 0; s < N_SLOTS; s++)
    for (int i = 0; i < N_CONVS; i++)
      if (style_layers[i])
        {
          int h, w;

          impasto_vgg19_conv_size (i, height, width, &h, &w);
          if (self != NULL)
            self->positions[s][i] = self->position_block + total;
          total += (size_t) h * w;
        }
  return total;
}

/* Floats of everything else; points the buffers when @self has a block. */
static size_t
plan (ImpastoRegionGuides *self, int height, int width, const bool *style_layers)
{
  size_t total = 0, scratch = 0;

  for (int s = 0; s < N_SLOTS; s++)
    {
      /* The default region's "all" guides come from its one mask. */
      if (s == IMPASTO_REGION_DEFAULT_ALL)
        {
          if (self != NULL)
            self->masks[s] = self->masks[IMPASTO_REGION_DEFAULT];
        }
      else
        {
          if (self != NULL)
            self->masks[s] = self->block + total;
          total += impasto_align_floats ((size_t) height * width);
        }
      for (int i = 0; i < N_CONVS; i++)
        if (style_layers[i])
          {
            int h, w;

            impasto_vgg19_conv_size (i, height, width, &h, &w);
            if (self != NULL)
              self->guides[s][i] = self->block + total;
            total += impasto_align_floats ((size_t) h * w);
          }
    }
  for (int i = 0; i < N_CONVS; i++)
    if (style_layers[i] && impasto_guide_scratch_floats (i, height, width) > scratch)
      scratch = impasto_guide_scratch_floats (i, height, width);
  if (self != NULL)
    self->scratch = self->block + total;
  return total + impasto_align_floats (scratch);
}

size_t
impasto_region_guides_estimate_bytes (const ImpastoWeights *weights,
                                      int height,
                                      int width,
                                      const bool *style_layers)
{
  (void) weights;
  return plan (NULL, height, width, style_layers) * sizeof (float)
         + plan_positions (NULL, height, width, style_layers) * sizeof (uint32_t)
         + sizeof (ImpastoRegionGuides);
}

/* Region @slot's guides from its mask. */
static void
compute_guides (ImpastoRegionGuides *self, int slot)
{
  const float *mask = self->masks[slot];
  bool covers = false;

  for (size_t p = 0; p < self->m && !covers; p++)
    covers = mask[p] > 1e-6f;
  self->covers[slot] = covers;
  for (int i = 0; i < N_CONVS; i++)
    if (self->style_layers[i])
      {
        int h, w;

        impasto_vgg19_conv_size (i, self->height, self->width, &h, &w);
        if (covers)
          {
            float *guide = self->guides[slot][i];
            double sum = 0.0;

            impasto_guide_at_layer (guide, self->scratch, mask, self->height, self->width, i,
                                    slot == IMPASTO_REGION_DEFAULT_ALL ? IMPASTO_GUIDE_ALL
                                    : self->mode);
            for (size_t p = 0; p < (size_t) h * w; p++)
              sum += (double) guide[p] * guide[p];
            self->mass[slot][i] = sum / ((double) h * w);
            self->guide_present[slot][i] = impasto_guide_normalise (guide, (size_t) h * w);
            self->n_positions[slot][i] = impasto_guide_positions (self->positions[slot][i],
                                                                  self->guides[slot][i],
                                                                  (size_t) h * w);
          }
        else
          {
            memset (self->guides[slot][i], 0, (size_t) h * w * sizeof (float));
            self->guide_present[slot][i] = false;
            self->n_positions[slot][i] = 0;
            self->mass[slot][i] = 0.0;
          }
      }
  self->passes[slot]++;
}

/* The default region: what the regions leave. */
static void
compute_default (ImpastoRegionGuides *self)
{
  float *mask = self->masks[IMPASTO_REGION_DEFAULT];

  for (size_t p = 0; p < self->m; p++)
    {
      float largest = 0.0f;

      for (int s = 0; s < IMPASTO_MAX_REGIONS; s++)
        if (self->has_mask[s] && self->masks[s][p] > largest)
          largest = self->masks[s][p];
      mask[p] = 1.0f - largest;
    }
  compute_guides (self, IMPASTO_REGION_DEFAULT);
  compute_guides (self, IMPASTO_REGION_DEFAULT_ALL);
}

ImpastoStatus
impasto_region_guides_new (ImpastoRegionGuides **out,
                           const ImpastoWeights *weights,
                           int height,
                           int width,
                           const bool *style_layers,
                           ImpastoGuideMode mode)
{
  ImpastoRegionGuides *self;

  (void) weights;
  *out = NULL;
  IMPASTO_CHECK (impasto_vgg19_size_ok (height, width));
  IMPASTO_CHECK (mode == IMPASTO_GUIDE_INSIDE || mode == IMPASTO_GUIDE_ALL);
  self = calloc (1, sizeof *self);
  if (self == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  self->height = height;
  self->width = width;
  self->m = (size_t) height * width;
  self->mode = mode;
  memcpy (self->style_layers, style_layers, sizeof self->style_layers);
  self->block = impasto_alloc_floats (plan (NULL, height, width, style_layers));
  self->position_block = malloc (plan_positions (NULL, height, width, style_layers)
                                 * sizeof (uint32_t));
  if (self->block == NULL || self->position_block == NULL)
    {
      impasto_region_guides_free (self);
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  plan (self, height, width, style_layers);
  plan_positions (self, height, width, style_layers);
  self->has_mask[IMPASTO_REGION_DEFAULT] = true;
  self->has_mask[IMPASTO_REGION_DEFAULT_ALL] = true;
  compute_default (self);
  *out = self;
  return IMPASTO_STATUS_OK;
}

void
impasto_region_guides_free (ImpastoRegionGuides *self)
{
  if (self == NULL)
    return;
  impasto_free_buffer (self->block);
  free (self->position_block);
  free (self);
}

void
impasto_region_guides_set_mask (ImpastoRegionGuides *self, int slot, const float *mask)
{
  IMPASTO_CHECK (slot >= 0 && slot < IMPASTO_MAX_REGIONS);
  if (mask == NULL)
    {
      self->has_mask[slot] = false;
      self->covers[slot] = false;
      memset (self->masks[slot], 0, self->m * sizeof (float));
      for (int i = 0; i < N_CONVS; i++)
        {
          self->guide_present[slot][i] = false;
          self->n_positions[slot][i] = 0;
        }
      self->passes[slot]++;
    }
  else
    {
      for (size_t p = 0; p < self->m; p++)
        {
          float v = mask[p];

          /* Clamped; NaN counts as out. */
          self->masks[slot][p] = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
        }
      self->has_mask[slot] = true;
      compute_guides (self, slot);
    }
  compute_default (self);
}

const float *
impasto_region_guides_get_mask (const ImpastoRegionGuides *self, int slot)
{
  IMPASTO_CHECK (slot >= 0 && slot < N_SLOTS);
  return self->has_mask[slot] ? self->masks[slot] : NULL;
}

bool
impasto_region_guides_covers (const ImpastoRegionGuides *self, int slot)
{
  IMPASTO_CHECK (slot >= 0 && slot < N_SLOTS);
  return self->covers[slot];
}

const float *
impasto_region_guides_get (const ImpastoRegionGuides *self, int slot, int index)
{
  IMPASTO_CHECK (slot >= 0 && slot < N_SLOTS);
  IMPASTO_CHECK (index >= 0 && index < N_CONVS);
  return self->guide_present[slot][index] ? self->guides[slot][index] : NULL;
}

const uint32_t *
impasto_region_guides_get_positions (const ImpastoRegionGuides *self, int slot, int index,
                                     size_t *n)
{
  IMPASTO_CHECK (slot >= 0 && slot < N_SLOTS);
  IMPASTO_CHECK (index >= 0 && index < N_CONVS);
  *n = self->guide_present[slot][index] ? self->n_positions[slot][index] : 0;
  return self->guide_present[slot][index] ? self->positions[slot][index] : NULL;
}

double
impasto_region_guides_get_mass (const ImpastoRegionGuides *self, int slot, int index)
{
  IMPASTO_CHECK (slot >= 0 && slot < N_SLOTS);
  IMPASTO_CHECK (index >= 0 && index < N_CONVS);
  return self->guide_present[slot][index] ? self->mass[slot][index] : 0.0;
}

int
impasto_region_guides_get_passes (const ImpastoRegionGuides *self, int slot)
{
  IMPASTO_CHECK (slot >= 0 && slot < N_SLOTS);
  return self->passes[slot];
}
