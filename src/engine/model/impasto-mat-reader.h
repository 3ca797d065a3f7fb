/* impasto-mat-reader.h
 *
 * Impasto's one MAT-v5 reader: reads the 16 convolutions and the mean pixel of MatConvNet's
 * imagenet-vgg-verydeep-19.mat (compressed or not, both published layouts) in one streaming pass
 * over the file, checking the file's structure as it goes, and hands what it cannot take to the
 * caller (impasto_weights_load(), which gives it to matio).
 *
 * Two scopes:
 *   - weights only (the default): each top-level variable is read as far as the weights need
 *     (`layers` up to conv5_4 and the small layers after it, `meta` / `normalization`); fc6's
 *     411 MB are never inflated and unneeded variables are skipped by their tags. What it reads
 *     it checks; what it skips it cannot.
 *   - the whole file: every byte is read once, in order, and every element is checked as the
 *     old whole-file check did (each element inside its parent, cells and structs exactly as
 *     many elements as they declare, numeric data exactly as long as its dimensions, nesting and
 *     array count bounded, inflated sizes bounded, each zlib stream read to its end so that zlib
 *     verifies its Adler-32, nothing but zeros after the last variable). This is what a file
 *     whose MD5 nobody vouches for gets, and what runs before matio reads a file.
 *
 * It never prints, never crashes, hangs or over-allocates on a damaged file (every size is checked
 * against the bytes that remain), and does not read MAT v7.3 (HDF5) files. Big-endian files are
 * checked but their weights are left to matio.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-status.h"
#include "impasto-vgg19-layers.h"

/* What impasto_mat_read() returns when the file is sound as far as it read but its weights are
 * not in a form it takes (matio may read them); the message is the reason, without the path. */
#define IMPASTO_MAT_DECLINED ((ImpastoStatus) 100)

/* Nesting deeper than this (cells in structs in cells ...) is refused; VGG19's files nest 4. */
#define IMPASTO_MAT_MAX_DEPTH 32
/* More arrays than this in one file is refused; VGG19's files hold a few thousand. */
#define IMPASTO_MAT_MAX_ARRAYS 1000000

/* Called from the reading thread after each read from the file: @done bytes of the file's @total
 * have been read (or skipped), never fewer than the call before; on success the last call has
 * @done == @total. Returning false stops the reading with IMPASTO_STATUS_CANCELLED. */
typedef bool (*ImpastoMatProgressFunc) (uint64_t done, uint64_t total, void *data);

/* Called from the reading thread with the file's bytes as they are read: in the whole-file scope
 * every byte exactly once and in order (for a checksum of the file in the same pass). */
typedef void (*ImpastoMatInputFunc) (const void *bytes, size_t size, void *data);

/* What the reader hands over: the engine layout of impasto-weights.h, which takes these arrays
 * over (the reader knows nothing of the weights object). */
typedef struct
{
  int in_channels;     /* Cin */
  int out_channels;    /* Cout */
  float *filters;      /* (Cout, Cin, 3, 3), malloc'd */
  float *biases;       /* (Cout), malloc'd */
} ImpastoMatConv;

typedef struct
{
  ImpastoMatConv convs[IMPASTO_VGG19_N_CONVS]; /* conv1_1 ... conv5_4 */
  float mean_pixel[3];  /* RGB, 0..255 scale; left alone when the file has none */
  bool mean_from_file;
} ImpastoMatNetwork;

typedef struct
{
  bool whole_file;                          /* the whole-file scope described above */
  ImpastoMatProgressFunc progress;          /* may be NULL */
  void *progress_data;
  ImpastoMatInputFunc input;                /* may be NULL; only called in the whole-file scope */
  void *input_data;
  bool (*should_stop) (void *data);         /* may be NULL; polled with each read */
  void *should_stop_data;
} ImpastoMatReadOptions;

/* Reads @path into @network, which the caller has zeroed (and given a default mean); with
 * @network NULL only checks the file (use the whole-file scope for that). @options may be NULL
 * (weights only, no callbacks).
 *
 * IMPASTO_STATUS_OK: all 16 convs filled (malloc'd: the caller frees them) and the mean
 * set when the file has one; exactly what the matio reader gives, neither validated for chaining
 * nor for finiteness (impasto_weights_validate() does that for every reader).
 * IMPASTO_MAT_DECLINED: not a form this reader takes; no arrays are left in @network. In the
 * whole-file scope the whole file has then been checked and found sound, so matio may read it.
 * IMPASTO_STATUS_MODEL (the structure is damaged: the message names @path and the variable),
 * IMPASTO_STATUS_IO, IMPASTO_STATUS_OUT_OF_MEMORY, IMPASTO_STATUS_CANCELLED. */
ImpastoStatus impasto_mat_read (ImpastoMatNetwork *network,
                                const char *path,
                                const ImpastoMatReadOptions *options,
                                ImpastoEngineError *error);
