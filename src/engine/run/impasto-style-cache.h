/* impasto-style-cache.h
 *
 * Paintings' style targets kept from one session to the next: a batch paints many photos with
 * the same paintings, and a photo of the same size as the last one would compute the same Gram
 * matrices again (one forward pass per painting per size of the ladder). Sessions given a cache
 * (ImpastoSessionConfig.style_cache) look each painting up before computing it and store what
 * they compute.
 *
 * An entry is found only when everything the matrices depend on is the same: the painting's
 * pixels (kept as a copy and compared in full, so a painting recoloured for another photo is a
 * new painting), its size, brush size and upscaling, the picture's size, the style layers that
 * are on, the pooling, the tile window and the weights. What is found is a copy of what was
 * computed, so a session with a cache paints exactly what it would paint without one.
 *
 * It does not compute Gram matrices (the session does) and takes no locks: one thread uses it,
 * the one that drives the sessions.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-gram-set.h"
#include "impasto-status.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef struct _ImpastoStyleCache ImpastoStyleCache;

/* What one painting's targets are computed from. */
typedef struct
{
  const ImpastoWeights *weights;
  ImpastoPoolMode pool;
  bool style_layers[IMPASTO_VGG19_N_CONVS];
  int tile_window;           /* the session's; 0: whole */
  int picture_width;
  int picture_height;
  const float *rgb;          /* (painting_height, painting_width, 3), 0..255 */
  int painting_width;
  int painting_height;
  double scale;              /* brush size */
  bool upscale;
} ImpastoStyleKey;

/* A cache of the targets of at most @max_paintings different paintings (1 or more): when one
 * more is stored, the targets of the painting used least recently are dropped. */
ImpastoStatus impasto_style_cache_new (ImpastoStyleCache **out, int max_paintings);
void impasto_style_cache_free (ImpastoStyleCache *cache);

/* Fills @grams (initialised for @key's style layers) with the stored targets of @key: true when
 * found. */
bool impasto_style_cache_lookup (ImpastoStyleCache *cache,
                                 const ImpastoStyleKey *key,
                                 ImpastoGramSet *grams);

/* Keeps a copy of @grams (computed for @key). When memory runs out nothing is kept: the next
 * session computes them again. */
void impasto_style_cache_store (ImpastoStyleCache *cache,
                                const ImpastoStyleKey *key,
                                const ImpastoGramSet *grams);

/* Lookups that found targets, and those that did not, since creation. */
int impasto_style_cache_get_hits (const ImpastoStyleCache *cache);
int impasto_style_cache_get_misses (const ImpastoStyleCache *cache);

/* Bytes held: the paintings' copies and their targets. */
size_t impasto_style_cache_get_bytes (const ImpastoStyleCache *cache);
