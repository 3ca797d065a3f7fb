/* impasto-weights-cache.h
 *
 * Impasto's own compact model file: VGG19's 16 convolutions (conv1_1 ... conv5_4, ~80 MB of
 * float32) and the mean pixel, laid out so that loading is one mmap and a checksum pass instead
 * of matio inflating a 510 MB .mat for ~20 s. It is written once from a .mat (by the model store
 * in src/common, or by `impasto-cli model import`) and is either a cache in $XDG_CACHE_HOME/impasto/
 * or a model file in its own right, accepted wherever a .mat is.
 *
 * Format, version 1, little-endian, all offsets from the start of the file:
 *   header (4096 bytes): magic "IMPASTO-VGG19\n\x1a\0", version, header size, file size, layer
 *     count, mean pixel, the source's identity (size, mtime, fingerprint, MD5 when known, name), payload
 *     offset/size/checksum, then the layer table (name, Cout, Cin, kernel h/w, filter and bias
 *     offsets) and last a checksum of the header itself;
 *   payload: each layer's filters (Cout, Cin, 3, 3) then biases (Cout), each 64-byte aligned,
 *     starting on a page boundary so the mapped floats need no copy.
 * Checksums are a 64-bit multiply-xor hash over 8-byte words (impasto_weights_cache_checksum);
 * they detect damage, not tampering.
 *
 * This file does not decide where caches live or when one is stale for a .mat (the model store
 * does, from the recorded source identity), and it never reads a .mat.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-status.h"
#include "impasto-weights.h"

#define IMPASTO_WEIGHTS_CACHE_VERSION 1
#define IMPASTO_WEIGHTS_CACHE_HEADER_SIZE 4096
#define IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE 16
extern const char impasto_weights_cache_magic[IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE];

/* Who the cache was made from. A cache is only used for a .mat whose size, mtime and fingerprint
 * (and MD5, when both sides know it) match. */
typedef struct
{
  uint64_t size;          /* bytes of the source .mat */
  int64_t mtime_sec;
  int64_t mtime_nsec;
  bool has_md5;
  uint8_t md5[16];
  char name[256];         /* the source's base name, for `model info`; NUL-terminated */
  uint64_t fingerprint;   /* a checksum of the source's first and last MiB: tells apart two
                           * files of equal size and mtime without reading 510 MB */
} ImpastoModelSource;

/* What a cache file says about itself, for `model info` and the log. */
typedef struct
{
  uint32_t version;
  uint64_t file_size;
  uint64_t payload_size;
  uint64_t payload_checksum;
  ImpastoModelSource source;
} ImpastoWeightsCacheInfo;

/* True when the first bytes of @data are the cache magic (a quick "is this ours?" test). */
bool impasto_weights_cache_has_magic (const void *data, size_t size);

/* Writes @weights and @source (may be NULL: unknown) to @path: into a temporary file beside it,
 * flushed with fsync, then renamed over @path, so a reader never sees a half-written cache. */
ImpastoStatus impasto_weights_cache_write (const ImpastoWeights    *weights,
                                           const ImpastoModelSource *source,
                                           const char               *path,
                                           ImpastoEngineError             *error);

/* Parses a cache held in memory and returns weights whose arrays point into @data (no copy);
 * @data must stay valid and unchanged for their lifetime and be 4-byte aligned. Checks the magic,
 * the version, every size and offset against @size, both checksums and, like every loader,
 * chaining and finiteness. A problem gives IMPASTO_STATUS_MODEL with a message naming @what.
 * @info (may be NULL) receives the header's facts. Never reads outside [data, data + size). */
ImpastoStatus impasto_weights_cache_parse (ImpastoWeights          **out,
                                           ImpastoWeightsCacheInfo  *info,
                                           const void               *data,
                                           size_t                    size,
                                           const char               *what,
                                           ImpastoEngineError             *error);

/* Maps @path read-only and parses it; the mapping belongs to the weights and goes away with
 * impasto_weights_free(). IMPASTO_STATUS_IO when the file cannot be opened or mapped. */
ImpastoStatus impasto_weights_cache_map (ImpastoWeights          **out,
                                         ImpastoWeightsCacheInfo  *info,
                                         const char               *path,
                                         ImpastoEngineError             *error);

/* Reads only the header of @path (no payload checksum): for `model info` and staleness checks. */
ImpastoStatus impasto_weights_cache_read_info (ImpastoWeightsCacheInfo *info,
                                               const char              *path,
                                               ImpastoEngineError            *error);

/* The checksum used in the format, over @size bytes (a multiple of 8 is fastest). */
uint64_t impasto_weights_cache_checksum (const void *data, size_t size);
