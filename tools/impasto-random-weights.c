/* impasto-random-weights.c
 *
 * The benchmarks' full-size random VGG19 (see the header).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "impasto-random-weights.h"

static const int real_channels[IMPASTO_VGG19_N_CONVS + 1] = {
  3, 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512,
};

static float
uniform (uint64_t *state)
{
  *state = *state * 6364136223846793005ull + 1442695040888963407ull;
  return (float) ((*state >> 40) * (1.0 / 16777216.0)) * 2.0f - 1.0f;
}

ImpastoWeights *
impasto_random_weights_new (ImpastoEngineError *error)
{
  float *filters[IMPASTO_VGG19_N_CONVS] = { NULL };
  float *biases[IMPASTO_VGG19_N_CONVS] = { NULL };
  ImpastoWeights *weights = NULL;
  uint64_t state = 1;
  int made = 0;

  for (; made < IMPASTO_VGG19_N_CONVS; made++)
    {
      int i = made;
      size_t n = (size_t) real_channels[i + 1] * real_channels[i] * 9;
      float bound = sqrtf (6.0f / (9.0f * real_channels[i]));

      filters[i] = malloc (n * sizeof (float));
      biases[i] = calloc ((size_t) real_channels[i + 1], sizeof (float));
      if (filters[i] == NULL || biases[i] == NULL)
        {
          made++;
          impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                    "not enough memory for random weights");
          goto out;
        }
      for (size_t k = 0; k < n; k++)
        filters[i][k] = bound * uniform (&state);
    }
  if (impasto_weights_new (&weights, real_channels, (const float *const *) filters,
                           (const float *const *) biases, NULL, error) != IMPASTO_STATUS_OK)
    weights = NULL;

out:
  for (int i = 0; i < made; i++)
    {
      free (filters[i]);
      free (biases[i]);
    }
  return weights;
}
