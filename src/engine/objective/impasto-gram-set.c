/* impasto-gram-set.c
 *
 * Per-layer target Gram matrices in one allocation; see impasto-gram-set.h. The matrices are
 * computed with impasto_gram() (one ssyrk each, on the BLAS threads), so a set computed from one
 * painting holds exactly what the style loss compares against; adding features uses ssyrk with
 * beta = 1 on the upper triangle, then mirrors it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <cblas.h>
#include <string.h>

#include "impasto-gram-set.h"
#include "impasto-memory.h"
#include "impasto-style-loss.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

size_t
impasto_gram_set_floats (const ImpastoWeights *weights, const bool *layers)
{
  size_t total = 0;

  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        size_t c = (size_t) weights->convs[i].out_channels;

        total += impasto_align_floats (c * c);
      }
  return total;
}

ImpastoStatus
impasto_gram_set_init (ImpastoGramSet *set, const ImpastoWeights *weights, const bool *layers)
{
  size_t total = impasto_gram_set_floats (weights, layers), offset = 0;

  memset (set, 0, sizeof *set);
  if (total == 0)
    return IMPASTO_STATUS_OK;
  set->block = impasto_alloc_floats (total);
  if (set->block == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        int c = weights->convs[i].out_channels;

        set->channels[i] = c;
        set->grams[i] = set->block + offset;
        offset += impasto_align_floats ((size_t) c * c);
      }
  return IMPASTO_STATUS_OK;
}

void
impasto_gram_set_clear (ImpastoGramSet *set)
{
  impasto_free_buffer (set->block);
  memset (set, 0, sizeof *set);
}

bool
impasto_gram_set_has_layer (const ImpastoGramSet *set, int index)
{
  return index >= 0 && index < N_CONVS && set->grams[index] != NULL;
}

void
impasto_gram_set_from_features (ImpastoGramSet *set, const ImpastoVgg19 *net)
{
  for (int i = 0; i < N_CONVS; i++)
    if (set->grams[i] != NULL)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);

        IMPASTO_CHECK (c == set->channels[i]);
        impasto_gram (set->grams[i], f, (size_t) c, (size_t) h * w);
      }
}

ImpastoStatus
impasto_gram_set_compute (ImpastoGramSet *set,
                          ImpastoVgg19 *net,
                          const float *image,
                          ImpastoShouldStop should_stop,
                          void *should_stop_data)
{
  ImpastoStatus status = impasto_vgg19_forward (net, image, should_stop, should_stop_data);

  if (status != IMPASTO_STATUS_OK)
    return status;
  impasto_gram_set_from_features (set, net);
  return IMPASTO_STATUS_OK;
}

void
impasto_gram_set_add_features (ImpastoGramSet *set, const ImpastoVgg19 *net, double weight)
{
  for (int i = 0; i < N_CONVS; i++)
    if (set->grams[i] != NULL)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
        float *g = set->grams[i];

        IMPASTO_CHECK (c == set->channels[i]);
        cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, c, h * w, (float) weight, f, h * w,
                     1.0f, g, c);
        for (size_t r = 0; r < (size_t) c; r++)
          for (size_t k = r + 1; k < (size_t) c; k++)
            g[k * c + r] = g[r * c + k];
      }
}

void
impasto_gram_set_scale (ImpastoGramSet *set, double factor)
{
  for (int i = 0; i < N_CONVS; i++)
    if (set->grams[i] != NULL)
      {
        size_t nn = (size_t) set->channels[i] * set->channels[i];

        for (size_t k = 0; k < nn; k++)
          set->grams[i][k] = (float) (set->grams[i][k] * factor);
      }
}

void
impasto_gram_set_add_scaled (ImpastoGramSet *set, const ImpastoGramSet *other, double weight)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      size_t nn;

      IMPASTO_CHECK ((set->grams[i] == NULL) == (other->grams[i] == NULL));
      if (set->grams[i] == NULL)
        continue;
      IMPASTO_CHECK (set->channels[i] == other->channels[i]);
      nn = (size_t) set->channels[i] * set->channels[i];
      for (size_t k = 0; k < nn; k++)
        set->grams[i][k] += (float) (weight * other->grams[i][k]);
    }
}
