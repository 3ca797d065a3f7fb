/* fuzz-weights-cache.c
 *
 * libFuzzer harness for the model cache reader, impasto_weights_cache_parse(). Each input is
 * parsed twice: as it is (the magic, version, size and checksum checks), and again with its size
 * fields and both checksums made to agree with it, because a random mutation almost never passes a
 * 64-bit checksum and everything behind it (the layer table, offsets, chaining, finiteness) would
 * go untested. Parsed weights are read float by float so that AddressSanitizer catches any
 * pointer outside the buffer (the buffer is an exact-size copy, so one byte past it is caught).
 *
 * The offsets below mirror the version-1 header in impasto-weights-cache.c; if the format
 * changes, the fix-up simply stops helping (the seeds still exercise the new format).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "impasto-weights-cache.h"

enum
{
  OFF_FILE_SIZE = 24,
  OFF_PAYLOAD_SIZE = 64,
  OFF_PAYLOAD_CHECKSUM = 72,
  OFF_HEADER_CHECKSUM = IMPASTO_WEIGHTS_CACHE_HEADER_SIZE - 8,
};

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
parse (const uint8_t *data,
       size_t         size)
{
  ImpastoWeights *weights = NULL;
  ImpastoWeightsCacheInfo info;
  ImpastoEngineError error = { 0 };
  ImpastoStatus status;

  status = impasto_weights_cache_parse (&weights, &info, data, size, "fuzz", &error);
  if (status == IMPASTO_STATUS_OK)
    {
      if (weights == NULL)
        abort ();
      fuzz_touch_weights (weights);
      impasto_weights_free (weights);
    }
  else if (weights != NULL || error.message[0] == '\0')
    abort ();
}

static void
put_u64 (uint8_t  *p,
         uint64_t  value)
{
  memcpy (p, &value, sizeof value);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* An exact-size, malloc-aligned copy: the parser wants 4-byte alignment, and ASan then flags a
   * read even one byte past the end. */
  uint8_t *copy = malloc (size > 0 ? size : 1);

  if (copy == NULL)
    return 0;
  memcpy (copy, data, size);
  parse (copy, size);

  if (size >= IMPASTO_WEIGHTS_CACHE_HEADER_SIZE)
    {
      size_t payload = size - IMPASTO_WEIGHTS_CACHE_HEADER_SIZE;

      memcpy (copy, data, size);
      put_u64 (copy + OFF_FILE_SIZE, size);
      put_u64 (copy + OFF_PAYLOAD_SIZE, payload);
      put_u64 (copy + OFF_PAYLOAD_CHECKSUM,
               impasto_weights_cache_checksum (copy + IMPASTO_WEIGHTS_CACHE_HEADER_SIZE,
                                               payload));
      put_u64 (copy + OFF_HEADER_CHECKSUM,
               impasto_weights_cache_checksum (copy, OFF_HEADER_CHECKSUM));
      parse (copy, size);
    }

  free (copy);
  return 0;
}
