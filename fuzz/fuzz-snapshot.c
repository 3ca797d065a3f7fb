/* fuzz-snapshot.c
 *
 * libFuzzer harness for the snapshot reader, impasto_snapshot_parse(). Each input is parsed
 * twice: as it is (the magic, version and checksum checks), and again with its file size and
 * header checksum made to agree with it, because a random mutation almost never passes a 64-bit
 * checksum and the header's fields and the layout they give would go untested. A parsed snapshot
 * has every array read value by value, so that AddressSanitizer catches any pointer outside the
 * buffer (an exact-size copy, so one byte past it is caught).
 *
 * The offsets below mirror the version-1 header in impasto-snapshot-format.c; if the format
 * changes, the fix-up simply stops helping (the seeds still exercise the new format).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-snapshot-format.h"
#include "impasto-weights-cache.h"

enum
{
  OFF_FILE_SIZE = 24,
  OFF_HEADER_CHECKSUM = IMPASTO_SNAPSHOT_HEADER_SIZE - 8,
};

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static volatile float sink;

static void
touch (const float *values, size_t n)
{
  float sum = 0.0f;

  for (size_t i = 0; i < n; i++)
    sum += values[i];
  sink = sum;
}

static void
parse (const uint8_t *data, size_t size)
{
  static ImpastoSnapshot snapshot;
  ImpastoEngineError error = { 0 };
  size_t n;

  if (impasto_snapshot_parse (&snapshot, data, size, "fuzz", &error) != IMPASTO_STATUS_OK)
    {
      if (error.message[0] == '\0')
        abort ();
      return;
    }
  n = (size_t) 3 * snapshot.width * snapshot.height;
  touch (snapshot.x, n);
  touch (snapshot.grad, n);
  if (snapshot.m != NULL)
    {
      touch (snapshot.m, n);
      touch (snapshot.v, n);
    }
  for (int k = 0; k < snapshot.n_pairs; k++)
    {
      touch (snapshot.s[k], n);
      touch (snapshot.y[k], n);
      sink += (float) snapshot.rho[k];
    }
  for (int k = 0; k <= snapshot.window; k++)
    sink += (float) snapshot.recent[k];
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* An exact-size, malloc-aligned copy: the parser wants 8-byte alignment, and ASan then flags a
   * read even one byte past the end. */
  uint8_t *copy = malloc (size > 0 ? size : 1);

  if (copy == NULL)
    return 0;
  memcpy (copy, data, size);
  parse (copy, size);

  if (size >= IMPASTO_SNAPSHOT_HEADER_SIZE)
    {
      uint64_t file_size = size, sum;

      memcpy (copy, data, size);
      memcpy (copy + OFF_FILE_SIZE, &file_size, sizeof file_size);
      sum = impasto_weights_cache_checksum (copy, OFF_HEADER_CHECKSUM);
      memcpy (copy + OFF_HEADER_CHECKSUM, &sum, sizeof sum);
      parse (copy, size);
    }
  free (copy);
  return 0;
}
