/* impasto-memory.c
 *
 * Aligned, zeroed allocation for the big buffers a session plans once. Not a tensor library: shapes live in the callers' comments.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>


#include "impasto-memory.h"

/* Below this a huge-page hint is pointless. */
#define HUGE_PAGE_HINT_BYTES (4u << 20)

size_t
impasto_align_floats (size_t n)
{
  const size_t per_line = IMPASTO_ALIGNMENT / sizeof (float);

  return (n + per_line - 1) / per_line * per_line;
}

static float *
alloc_floats (size_t n, bool touch)
{
  void *buffer = NULL;
  size_t bytes;

  if (n == 0)
    n = 1;
  if (n > SIZE_MAX / sizeof (float) - IMPASTO_ALIGNMENT)
    return NULL;
  bytes = impasto_align_floats (n) * sizeof (float);
  if (posix_memalign (&buffer, bytes >= HUGE_PAGE_HINT_BYTES ? 2u << 20 : IMPASTO_ALIGNMENT,
                      bytes) != 0)
    return NULL;
#ifdef MADV_HUGEPAGE
  if (bytes >= HUGE_PAGE_HINT_BYTES)
    madvise (buffer, bytes, MADV_HUGEPAGE);
#endif
  /* Touching every page now, once, also moves the page faults out of the iteration loop. */
  if (touch)
    memset (buffer, 0, bytes);
  return buffer;
}

float *
impasto_alloc_floats (size_t n)
{
  return alloc_floats (n, true);
}

float *
impasto_alloc_floats_untouched (size_t n)
{
  return alloc_floats (n, false);
}

void
impasto_free_buffer (void *buffer)
{
  free (buffer);
}
