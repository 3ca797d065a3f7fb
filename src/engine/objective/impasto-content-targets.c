/* impasto-content-targets.c
 *
 * Per-layer content features in one allocation; see impasto-content-targets.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "impasto-content-targets.h"
#include "impasto-memory.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

static size_t
layer_floats (const ImpastoWeights *weights, int index, int height, int width)
{
  int h, w;

  impasto_vgg19_conv_size (index, height, width, &h, &w);
  return (size_t) weights->convs[index].out_channels * h * w;
}

size_t
impasto_content_targets_floats (const ImpastoWeights *weights,
                                int height,
                                int width,
                                const bool *layers)
{
  size_t total = 0;

  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      total += impasto_align_floats (layer_floats (weights, i, height, width));
  return total;
}

ImpastoStatus
impasto_content_targets_init (ImpastoContentTargets *targets,
                              const ImpastoWeights *weights,
                              int height,
                              int width,
                              const bool *layers)
{
  size_t total = impasto_content_targets_floats (weights, height, width, layers), offset = 0;

  memset (targets, 0, sizeof *targets);
  if (total == 0)
    return IMPASTO_STATUS_OK;
  targets->block = impasto_alloc_floats (total);
  if (targets->block == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  for (int i = 0; i < N_CONVS; i++)
    if (layers[i])
      {
        targets->features[i] = targets->block + offset;
        offset += impasto_align_floats (layer_floats (weights, i, height, width));
      }
  return IMPASTO_STATUS_OK;
}

void
impasto_content_targets_clear (ImpastoContentTargets *targets)
{
  impasto_free_buffer (targets->block);
  memset (targets, 0, sizeof *targets);
}

ImpastoStatus
impasto_content_targets_compute (ImpastoContentTargets *targets,
                                 ImpastoVgg19 *net,
                                 const float *image,
                                 ImpastoShouldStop should_stop,
                                 void *should_stop_data)
{
  ImpastoStatus status = impasto_vgg19_forward (net, image, should_stop, should_stop_data);

  if (status != IMPASTO_STATUS_OK)
    return status;
  for (int i = 0; i < N_CONVS; i++)
    if (targets->features[i] != NULL)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);

        memcpy (targets->features[i], f, (size_t) c * h * w * sizeof (float));
      }
  return IMPASTO_STATUS_OK;
}
