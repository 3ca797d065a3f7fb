/* impasto-vgg19-layers.c
 *
 * VGG19's convolutions by name and block (see the header). Nothing here allocates.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "impasto-status.h"
#include "impasto-vgg19-layers.h"

static const char *const conv_names[IMPASTO_VGG19_N_CONVS] = {
  "conv1_1", "conv1_2",
  "conv2_1", "conv2_2",
  "conv3_1", "conv3_2", "conv3_3", "conv3_4",
  "conv4_1", "conv4_2", "conv4_3", "conv4_4",
  "conv5_1", "conv5_2", "conv5_3", "conv5_4",
};

static const int conv_blocks[IMPASTO_VGG19_N_CONVS] = {
  0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
};

int
impasto_vgg19_conv_index (const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      if (strcmp (name, conv_names[i]) == 0)
        return i;
      /* relu4_2 is the same layer: "conv4_2" already names the ReLU output. */
      if (strncmp (name, "relu", 4) == 0 && strcmp (name + 4, conv_names[i] + 4) == 0)
        return i;
    }
  return -1;
}

const char *
impasto_vgg19_conv_name (int index)
{
  if (index < 0 || index >= IMPASTO_VGG19_N_CONVS)
    return NULL;
  return conv_names[index];
}

int
impasto_vgg19_conv_block (int index)
{
  IMPASTO_CHECK (index >= 0 && index < IMPASTO_VGG19_N_CONVS);
  return conv_blocks[index];
}
