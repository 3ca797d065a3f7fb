/* impasto-style-cache.c
 *
 * Paintings' style targets kept across sessions; see impasto-style-cache.h. A slot per painting
 * (its pixels copied), each with the targets computed for it, one entry per picture size and
 * settings; the slot used least recently makes room for a new painting. Lookups compare the
 * pixels in full: a few milliseconds for a large painting, against a forward pass of the
 * network.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-memory.h"
#include "impasto-style-cache.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

typedef struct
{
  const ImpastoWeights *weights;
  ImpastoPoolMode pool;
  bool style_layers[N_CONVS];
  int tile_window;
  int picture_width;
  int picture_height;
  double scale;
  bool upscale;
  ImpastoGramSet grams;
} Entry;

typedef struct
{
  float *rgb;          /* (height, width, 3) copy; NULL: a free slot */
  int width;
  int height;
  uint64_t last_used;
  Entry *entries;
  int n_entries;
} Slot;

struct _ImpastoStyleCache
{
  Slot *slots;
  int n_slots;
  uint64_t tick;
  int hits;
  int misses;
};

ImpastoStatus
impasto_style_cache_new (ImpastoStyleCache **out, int max_paintings)
{
  ImpastoStyleCache *self;

  *out = NULL;
  if (max_paintings < 1)
    return IMPASTO_STATUS_INVALID_ARGUMENT;
  self = calloc (1, sizeof *self);
  if (self == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  self->slots = calloc ((size_t) max_paintings, sizeof *self->slots);
  if (self->slots == NULL)
    {
      free (self);
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  self->n_slots = max_paintings;
  *out = self;
  return IMPASTO_STATUS_OK;
}

static void
slot_clear (Slot *slot)
{
  for (int i = 0; i < slot->n_entries; i++)
    impasto_gram_set_clear (&slot->entries[i].grams);
  free (slot->entries);
  impasto_free_buffer (slot->rgb);
  memset (slot, 0, sizeof *slot);
}

void
impasto_style_cache_free (ImpastoStyleCache *self)
{
  if (self == NULL)
    return;
  for (int i = 0; i < self->n_slots; i++)
    slot_clear (&self->slots[i]);
  free (self->slots);
  free (self);
}

static size_t
pixel_bytes (int width, int height)
{
  return (size_t) width * (size_t) height * 3 * sizeof (float);
}

static Slot *
find_slot (ImpastoStyleCache *self, const ImpastoStyleKey *key)
{
  for (int i = 0; i < self->n_slots; i++)
    {
      Slot *slot = &self->slots[i];

      if (slot->rgb != NULL && slot->width == key->painting_width
          && slot->height == key->painting_height
          && memcmp (slot->rgb, key->rgb, pixel_bytes (slot->width, slot->height)) == 0)
        return slot;
    }
  return NULL;
}

static bool
entry_matches (const Entry *entry, const ImpastoStyleKey *key)
{
  return entry->weights == key->weights && entry->pool == key->pool
         && memcmp (entry->style_layers, key->style_layers, sizeof entry->style_layers) == 0
         && entry->tile_window == key->tile_window
         && entry->picture_width == key->picture_width
         && entry->picture_height == key->picture_height
         && entry->scale == key->scale && entry->upscale == key->upscale;
}

static void
copy_grams (ImpastoGramSet *to, const ImpastoGramSet *from)
{
  for (int l = 0; l < N_CONVS; l++)
    if (from->grams[l] != NULL && to->grams[l] != NULL && to->channels[l] == from->channels[l])
      memcpy (to->grams[l], from->grams[l],
              (size_t) from->channels[l] * from->channels[l] * sizeof (float));
}

bool
impasto_style_cache_lookup (ImpastoStyleCache *self, const ImpastoStyleKey *key,
                            ImpastoGramSet *grams)
{
  Slot *slot = find_slot (self, key);

  if (slot != NULL)
    for (int i = 0; i < slot->n_entries; i++)
      if (entry_matches (&slot->entries[i], key))
        {
          copy_grams (grams, &slot->entries[i].grams);
          slot->last_used = ++self->tick;
          self->hits++;
          return true;
        }
  self->misses++;
  return false;
}

/* The slot for a painting not yet kept: a free one, or the one used least recently, emptied. */
static Slot *
new_slot (ImpastoStyleCache *self, const ImpastoStyleKey *key)
{
  Slot *slot = &self->slots[0];

  for (int i = 0; i < self->n_slots; i++)
    {
      if (self->slots[i].rgb == NULL)
        {
          slot = &self->slots[i];
          break;
        }
      if (self->slots[i].last_used < slot->last_used)
        slot = &self->slots[i];
    }
  slot_clear (slot);
  slot->rgb = impasto_alloc_floats ((size_t) 3 * key->painting_width * key->painting_height);
  if (slot->rgb == NULL)
    return NULL;
  memcpy (slot->rgb, key->rgb, pixel_bytes (key->painting_width, key->painting_height));
  slot->width = key->painting_width;
  slot->height = key->painting_height;
  return slot;
}

void
impasto_style_cache_store (ImpastoStyleCache *self, const ImpastoStyleKey *key,
                           const ImpastoGramSet *grams)
{
  Slot *slot = find_slot (self, key);
  Entry *entries;
  Entry *entry;

  if (slot == NULL)
    slot = new_slot (self, key);
  if (slot == NULL)
    return;
  slot->last_used = ++self->tick;
  for (int i = 0; i < slot->n_entries; i++)
    if (entry_matches (&slot->entries[i], key))
      return;

  entries = realloc (slot->entries, ((size_t) slot->n_entries + 1) * sizeof *entries);
  if (entries == NULL)
    return;
  slot->entries = entries;
  entry = &entries[slot->n_entries];
  memset (entry, 0, sizeof *entry);
  if (impasto_gram_set_init (&entry->grams, key->weights, key->style_layers)
      != IMPASTO_STATUS_OK)
    return;
  copy_grams (&entry->grams, grams);
  entry->weights = key->weights;
  entry->pool = key->pool;
  memcpy (entry->style_layers, key->style_layers, sizeof entry->style_layers);
  entry->tile_window = key->tile_window;
  entry->picture_width = key->picture_width;
  entry->picture_height = key->picture_height;
  entry->scale = key->scale;
  entry->upscale = key->upscale;
  slot->n_entries++;
}

int
impasto_style_cache_get_hits (const ImpastoStyleCache *self)
{
  return self->hits;
}

int
impasto_style_cache_get_misses (const ImpastoStyleCache *self)
{
  return self->misses;
}

size_t
impasto_style_cache_get_bytes (const ImpastoStyleCache *self)
{
  size_t bytes = sizeof *self + (size_t) self->n_slots * sizeof (Slot);

  for (int i = 0; i < self->n_slots; i++)
    {
      const Slot *slot = &self->slots[i];

      if (slot->rgb == NULL)
        continue;
      bytes += pixel_bytes (slot->width, slot->height);
      for (int e = 0; e < slot->n_entries; e++)
        bytes += sizeof (Entry)
                 + impasto_gram_set_floats (slot->entries[e].weights,
                                            slot->entries[e].style_layers) * sizeof (float);
    }
  return bytes;
}
