/* impasto-content-targets.h
 *
 * Content targets: for each content layer of VGG19, the features P (C, h, w) of the photograph at
 * that layer, which the content loss compares the picture's features against. Planned for the
 * layers that are on and the picture's size; filled from one forward pass.
 *
 * It does not compute losses (impasto-content-loss.h) and holds no reference to the network.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-status.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef struct
{
  float *features[IMPASTO_VGG19_N_CONVS];   /* (C, h, w) of each layer on, or NULL */
  float *block;                             /* one allocation for all of them */
} ImpastoContentTargets;

/* Floats the targets of @layers (IMPASTO_VGG19_N_CONVS flags) at @height x @width hold. */
size_t impasto_content_targets_floats (const ImpastoWeights *weights,
                                       int height,
                                       int width,
                                       const bool *layers);

ImpastoStatus impasto_content_targets_init (ImpastoContentTargets *targets,
                                            const ImpastoWeights *weights,
                                            int height,
                                            int width,
                                            const bool *layers);
void impasto_content_targets_clear (ImpastoContentTargets *targets);

/* Runs @net forward on @image (3, H, W) (pixels minus the mean pixel) and copies the features of
 * each layer on. Returns IMPASTO_STATUS_CANCELLED if @should_stop (may be NULL) said so. */
ImpastoStatus impasto_content_targets_compute (ImpastoContentTargets *targets,
                                               ImpastoVgg19 *net,
                                               const float *image,
                                               ImpastoShouldStop should_stop,
                                               void *should_stop_data);
