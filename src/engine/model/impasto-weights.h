/* impasto-weights.h
 *
 * The fixed VGG19 convolution weights the engine runs on, in the engine's own layout, plus the
 * model's mean pixel. impasto_weights_load() reads MatConvNet's imagenet-vgg-verydeep-19.mat
 * (both published versions, struct fields looked up by name) with the model's one MAT-v5 reader
 * (impasto-mat-reader.h), or with matio where that one declines; the fully connected layers and the softmax are read past
 * and never kept. impasto_weights_new() builds the same object from
 * arrays a test or a cache already has in memory.
 *
 * Layout: the 16 convolutions conv1_1 ... conv5_4 in network order, each with filters as
 * (Cout, Cin, 3, 3) row-major, taps [ky][kx] with ky along image rows and kx along columns,
 * applied as cross-correlation (no flip), exactly as MatConvNet applies them.
 *
 * This file does not know about images, losses or threads.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-mat-reader.h"
#include "impasto-status.h"
#include "impasto-vgg19-layers.h"

typedef struct
{
  int in_channels;     /* Cin */
  int out_channels;    /* Cout */
  float *filters;      /* (Cout, Cin, 3, 3) */
  float *biases;       /* (Cout) */
} ImpastoConvWeights;

typedef struct _ImpastoWeights
{
  ImpastoConvWeights convs[IMPASTO_VGG19_N_CONVS]; /* conv1_1 ... conv5_4 */
  float mean_pixel[3];     /* RGB, 0..255 scale */
  bool mean_from_file;     /* false: the file had none and the ImageNet default was used */
  char *source_path;       /* where it came from, for messages; may be NULL */
  bool borrowed;           /* the arrays point into memory these weights do not own */
  void *mapping;           /* a mapped cache file the arrays point into (owned), or NULL */
  size_t mapping_size;
  int mapping_fd;          /* that file, kept open to notice it shrinking; only with mapping */
} ImpastoWeights;

/* The ImageNet mean that VGG was trained with, used when a file carries none. */
#define IMPASTO_DEFAULT_MEAN_R 123.68f
#define IMPASTO_DEFAULT_MEAN_G 116.779f
#define IMPASTO_DEFAULT_MEAN_B 103.939f

/* Reads a MatConvNet VGG19 .mat file. On failure returns IMPASTO_STATUS_IO (cannot open/read) or
 * IMPASTO_STATUS_MODEL (not such a network), with a message naming @path and the problem, and
 * *out stays NULL. The same as impasto_weights_load_with_reader (..., AUTO, ...). */
ImpastoStatus impasto_weights_load (ImpastoWeights **out, const char *path, ImpastoEngineError *error);

/* Which reader impasto_weights_load_with_reader() uses. Both give bit-identical weights. */
typedef enum
{
  IMPASTO_WEIGHTS_READER_AUTO,  /* the streaming reader; matio where it declines */
  IMPASTO_WEIGHTS_READER_FAST,  /* the streaming reader only (impasto-mat-reader.h) */
  IMPASTO_WEIGHTS_READER_MATIO, /* matio only (after the reader's check of the whole file) */
} ImpastoWeightsReader;

/* What READER_FAST returns when the streaming reader declines a file that matio might read (the
 * message gives its reason). Only impasto_weights_load_with_reader() returns it. */
#define IMPASTO_WEIGHTS_DECLINED IMPASTO_MAT_DECLINED

typedef struct
{
  ImpastoWeightsReader reader;
  /* Read and check the whole file in the reader's one pass (every element, every zlib stream to
   * its end, so its Adler-32), not only as far as the weights need: for a file whose MD5 nobody
   * vouches for. */
  bool check_whole_file;
  /* Called from the reading thread as the .mat is read (see impasto-mat-reader.h); matio's own
   * reading has no progress, only the last report. */
  ImpastoMatProgressFunc progress;          /* may be NULL */
  void *progress_data;
  /* With check_whole_file: every byte of the file once, in order (for its MD5). */
  ImpastoMatInputFunc input;                /* may be NULL; only with check_whole_file */
  void *input_data;
  bool (*should_stop) (void *data);         /* may be NULL: true stops with ..._CANCELLED */
  void *should_stop_data;
} ImpastoWeightsLoadOptions;

/* impasto_weights_load() with a choice of reader, for tests and benchmarks. A file that is not a
 * MAT-file at all, or is cut short, gets the same refusal from every reader; with READER_FAST,
 * whatever AUTO would hand to matio (a file the streaming reader does not take, or weights that
 * fail impasto_weights_validate()) returns IMPASTO_WEIGHTS_DECLINED with the reason. */
ImpastoStatus impasto_weights_load_with_reader (ImpastoWeights **out,
                                                const char *path,
                                                ImpastoWeightsReader reader,
                                                ImpastoEngineError *error);

/* The same with all the options above (@options NULL: AUTO, nothing else). With
 * check_whole_file a file the reader takes is read once; one it declines has been checked
 * whole in that pass and is then read by matio. */
ImpastoStatus impasto_weights_load_with_options (ImpastoWeights **out,
                                                 const char *path,
                                                 const ImpastoWeightsLoadOptions *options,
                                                 ImpastoEngineError *error);

/* Builds weights from arrays in the engine layout; copies them. @channels has
 * IMPASTO_VGG19_N_CONVS + 1 entries: channels[0] = 3 (RGB) and channels[i + 1] = Cout of conv i.
 * @filters[i] is (channels[i+1], channels[i], 3, 3), @biases[i] is (channels[i+1]).
 * @mean_pixel may be NULL for the ImageNet default. Validates like the loader (chaining, finite). */
ImpastoStatus impasto_weights_new (ImpastoWeights **out,
                                   const int *channels,
                                   const float *const *filters,
                                   const float *const *biases,
                                   const float *mean_pixel,
                                   ImpastoEngineError *error);

/* Frees @weights; a mapped cache file is unmapped, borrowed arrays are left alone. */
void impasto_weights_free (ImpastoWeights *weights);

/* For weights mapped from a file: IMPASTO_STATUS_MODEL if the file is no longer as long as the
 * mapping (cut short in place by another program: reading the lost pages would kill the
 * process with SIGBUS). Impasto itself only ever replaces model files by renaming, which leaves
 * the mapped data intact. IMPASTO_STATUS_OK for weights in memory. */
ImpastoStatus impasto_weights_check_mapping (const ImpastoWeights *weights, ImpastoEngineError *error);

/* A hint that the raw filters will not be read for a while (the engine has transformed them):
 * pages of a mapped cache file are given back to the kernel, to be read again from the page cache
 * if they are ever touched. Malloc'd weights are left as they are. Safe to call at any time. */
void impasto_weights_release_pages (const ImpastoWeights *weights);

/* Checks chaining (conv1_1 takes 3 channels, each Cin equals the previous Cout) and that every
 * value is finite. Used by both constructors; @what names the source in the message. */
ImpastoStatus impasto_weights_validate (const ImpastoWeights *weights,
                                        const char *what,
                                        ImpastoEngineError *error);

/* Bytes of conv weights and biases held. */
size_t impasto_weights_size (const ImpastoWeights *weights);
