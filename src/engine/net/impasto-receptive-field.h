/* impasto-receptive-field.h
 *
 * Which input pixels a neuron of VGG19 sees. Every conv is 3x3 with padding 1 and stride 1 and
 * every pool 2x2 with stride 2, so along each axis the neuron at position y of conv @index sees
 * the input pixels [start + y * jump, start + y * jump + size - 1] (clipped to the picture; start
 * is negative where the field reaches into the padding). Derived from the layer table
 * (impasto_vgg19_conv_block()), not probed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

typedef struct
{
  int jump;   /* input pixels between two neighbouring neurons: 2^(pools below) */
  int size;   /* the field's side in input pixels */
  int start;  /* the first input pixel neuron 0 sees (<= 0) */
} ImpastoReceptiveField;

void impasto_vgg19_receptive_field (int index, ImpastoReceptiveField *field);
