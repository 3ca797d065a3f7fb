/* impasto-vgg19-mat.h
 *
 * Writes VGG19 networks as MatConvNet .mat files (the layout of imagenet-vgg-verydeep-19.mat),
 * for the loader's tests and for impasto-make-vgg19. Both published layouts are available: the
 * newer one (layers with a `weights` = {filters, biases} cell, `meta.normalization.averageImage`
 * 1x1x3) and the older one (separate `filters` / `biases` fields, a top-level 224x224x3
 * `normalization.averageImage` and a `classes` struct). The weights are random (He-initialised,
 * from a seeded deterministic generator) or given by the caller in MATLAB layout, and the writer
 * hands back exactly what it wrote in the engine's layout so that a test can compare bit for bit.
 * A few deliberate corruptions make the files the loader must refuse.
 *
 * This is test and developer support: it prints nothing, but it is not part of the engine and it
 * does not read .mat files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMPASTO_VGG19_MAT_N_CONVS 16
#define IMPASTO_VGG19_MAT_MEAN_IMAGE_SIZE 224

typedef enum
{
  IMPASTO_VGG19_MAT_LAYOUT_NEWER, /* weights = {filters, biases}; meta.normalization */
  IMPASTO_VGG19_MAT_LAYOUT_OLDER, /* filters, biases fields; top-level normalization, classes */
} ImpastoVgg19MatLayout;

typedef enum
{
  IMPASTO_VGG19_MAT_MEAN_AUTO,   /* what the layout's real file has: PIXEL newer, IMAGE older */
  IMPASTO_VGG19_MAT_MEAN_PIXEL,  /* 1x1x3 */
  IMPASTO_VGG19_MAT_MEAN_VECTOR, /* 1x3 */
  IMPASTO_VGG19_MAT_MEAN_IMAGE,  /* 224x224x3: per-channel value plus a ripple averaging to 0 */
} ImpastoVgg19MatMeanShape;

/* Each corruption hits conv @corrupt_index (0 = conv1_1) where it names a layer. All of them but
 * FC_NAN make a file the loader must refuse. */
typedef enum
{
  IMPASTO_VGG19_MAT_CORRUPT_NONE,
  IMPASTO_VGG19_MAT_CORRUPT_FILTER_5X5,      /* 5x5xCinxCout filters */
  IMPASTO_VGG19_MAT_CORRUPT_NAN_WEIGHT,      /* one filter value is NaN */
  IMPASTO_VGG19_MAT_CORRUPT_INF_BIAS,        /* one bias is +Inf */
  IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN,    /* takes one input channel more than it gets */
  IMPASTO_VGG19_MAT_CORRUPT_MISSING_CONV,    /* the conv (and its ReLU) is left out */
  IMPASTO_VGG19_MAT_CORRUPT_DUPLICATE_CONV,  /* the conv appears twice in a row */
  IMPASTO_VGG19_MAT_CORRUPT_BIAS_LENGTH,     /* Cout + 1 biases */
  IMPASTO_VGG19_MAT_CORRUPT_FILTERS_CHAR,    /* the filters are a char array */
  IMPASTO_VGG19_MAT_CORRUPT_NO_FILTERS,      /* the conv has neither weights nor filters */
  IMPASTO_VGG19_MAT_CORRUPT_NO_LAYERS,       /* the layers cell is stored as `net_layers` */
  IMPASTO_VGG19_MAT_CORRUPT_LAYERS_NOT_CELL, /* `layers` is a 1x3 double matrix */
  IMPASTO_VGG19_MAT_CORRUPT_FC_NAN,          /* fc6, fc7, fc8 each hold a NaN: harmless to a
                                              * loader that never reads them */
} ImpastoVgg19MatCorruption;

typedef struct
{
  int channels[IMPASTO_VGG19_MAT_N_CONVS + 1]; /* 3, then Cout of conv1_1 ... conv5_4 */
  int fc_channels[3];          /* Cout of fc6 (7x7 over pool5), fc7 and fc8 (1x1) */
  ImpastoVgg19MatLayout layout;
  bool with_mean;              /* false: no averageImage anywhere in the file */
  ImpastoVgg19MatMeanShape mean_shape;
  bool with_fc;                /* fc6, fc7, fc8 as 'conv' layers and 'prob' as 'softmax' */
  bool biases_as_row;          /* 1xCout biases instead of Coutx1 */
  bool as_double;              /* filters, biases and the mean as double instead of single */
  bool compress;               /* zlib, as MATLAB's -v7 does */
  bool text_utf8;              /* ASCII char arrays as UTF-8 (miUTF8), not UTF-16 (miUINT16) */
  bool with_odd_layer;         /* after relu1_1, a layer whose type and name are not ASCII */
  uint64_t seed;
  ImpastoVgg19MatCorruption corruption;
  int corrupt_index;           /* 0 ... 15 */
} ImpastoVgg19MatOptions;

/* What a write put into the file, in the engine's layout. */
typedef struct
{
  int channels[IMPASTO_VGG19_MAT_N_CONVS + 1];
  float *filters[IMPASTO_VGG19_MAT_N_CONVS]; /* (Cout, Cin, 3, 3), taps [ky][kx] */
  float *biases[IMPASTO_VGG19_MAT_N_CONVS];  /* (Cout) */
  bool has_mean;                             /* the file carries a mean */
  float mean_pixel[3];                       /* its exact per-channel average, if so */
} ImpastoVgg19MatNet;

/* The real widths {3, 64, 64, 128, ..., 512} with fc 4096, 4096, 1000; newer layout, mean, fc
 * layers, Coutx1 biases, single, compressed, seed 1, no corruption. */
void impasto_vgg19_mat_options_init_real (ImpastoVgg19MatOptions *options);

/* The same with the tiny widths {3, 4, 4, 6, 6, 8, ..., 8} and fc 16, 16, 10. */
void impasto_vgg19_mat_options_init_tiny (ImpastoVgg19MatOptions *options);

/* "conv1_1" ... "conv5_4" for 0 ... 15 (the writer's own table, independent of the engine). */
const char *impasto_vgg19_mat_conv_name (int index);

/* Writes a random network to @path. If @written is not NULL it receives the conv weights as
 * written, in the engine layout (free with impasto_vgg19_mat_net_clear()). Returns false with a
 * message in @error (may be NULL) on failure. */
bool impasto_vgg19_mat_write (const char *path,
                              const ImpastoVgg19MatOptions *options,
                              ImpastoVgg19MatNet *written,
                              char *error,
                              size_t error_size);

/* Writes a hand-made network: @matlab_filters[i] are conv i's filters exactly as they go into the
 * file, MATLAB column-major 3x3xCinxCout (element (i, j, c, k) at i + 3j + 9c + 9 Cin k, i along
 * image rows), with Cin, Cout from @options->channels; @biases[i] has Cout values. The fc layers,
 * the mean and the corruptions follow @options as for impasto_vgg19_mat_write(). */
bool impasto_vgg19_mat_write_matlab (const char *path,
                                     const ImpastoVgg19MatOptions *options,
                                     const float *const *matlab_filters,
                                     const float *const *biases,
                                     char *error,
                                     size_t error_size);

void impasto_vgg19_mat_net_clear (ImpastoVgg19MatNet *net);

/* Layout conversions for one conv: MATLAB 3x3xCinxCout column-major <-> engine (Cout, Cin, 3, 3).
 * The loader does not use these (it has its own), so a mistake cannot hide in both. */
void impasto_vgg19_mat_matlab_to_engine (float *engine, const float *matlab, int cin, int cout);
void impasto_vgg19_mat_engine_to_matlab (float *matlab, const float *engine, int cin, int cout);
