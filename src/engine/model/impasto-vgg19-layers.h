/* impasto-vgg19-layers.h
 *
 * VGG19's table of convolutions: their names (conv1_1 ... conv5_4, relu1_1 ... accepted as the
 * same layers) and which of the five blocks each belongs to. The model reader looks layers up by
 * these names and the network (net/impasto-vgg19.c) plans its passes by these blocks; both find
 * the table here, so that the model never needs the network.
 *
 * This file holds no weights and knows no sizes of pictures.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#define IMPASTO_VGG19_N_CONVS 16

/* 0 for conv1_1 ... 15 for conv5_4; also accepts relu1_1 ... relu5_4. -1 if @name is unknown. */
int impasto_vgg19_conv_index (const char *name);

/* "conv1_1" ... "conv5_4" for 0 ... 15, NULL for any other @index. */
const char *impasto_vgg19_conv_name (int index);

/* Which block (0..4) conv @index belongs to; its input has been pooled that many times. */
int impasto_vgg19_conv_block (int index);
