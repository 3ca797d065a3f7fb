/* impasto-tensor.c
 *
 * Aligned, zeroed allocation for the big buffers a session plans once, and the one switch for
 * the engine's thread count. Not a tensor library: shapes live in the callers' comments.
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

#include <cblas.h>

#include "impasto-tensor.h"

/* Below this a huge-page hint is pointless. */
#define HUGE_PAGE_HINT_BYTES (4u << 20)

static int engine_threads = 0;

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

void
impasto_set_threads (int n_threads)
{
  long cores = sysconf (_SC_NPROCESSORS_ONLN);

  if (cores < 1)
    cores = 1;
  if (n_threads <= 0 || n_threads > cores)
    n_threads = (int) cores;
  engine_threads = n_threads;
  /* The engine parallelises itself (impasto-parallel.c) and may call sgemm from several of its
   * threads at once; BLAS threads of its own would only oversubscribe the cores. */
  openblas_set_num_threads (1);
}

int
impasto_get_threads (void)
{
  if (engine_threads == 0)
    impasto_set_threads (0);
  return engine_threads;
}
