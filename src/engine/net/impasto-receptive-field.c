/* impasto-receptive-field.c
 *
 * VGG19's receptive fields from its layer table; see the header.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-receptive-field.h"
#include "impasto-status.h"
#include "impasto-vgg19-layers.h"

void
impasto_vgg19_receptive_field (int index, ImpastoReceptiveField *field)
{
  int jump = 1, size = 1, start = 0;

  IMPASTO_CHECK (index >= 0 && index < IMPASTO_VGG19_N_CONVS);
  for (int i = 0; i <= index; i++)
    {
      /* A 2x2 stride-2 pool between two blocks widens the field by one neuron's jump and doubles
       * the jump. */
      if (i > 0 && impasto_vgg19_conv_block (i) != impasto_vgg19_conv_block (i - 1))
        {
          size += jump;
          jump *= 2;
        }
      /* A 3x3 conv with padding 1 adds a neuron on each side. */
      size += 2 * jump;
      start -= jump;
    }
  field->jump = jump;
  field->size = size;
  field->start = start;
}
