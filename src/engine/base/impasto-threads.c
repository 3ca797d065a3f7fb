/* impasto-threads.c
 *
 * The engine's thread count, and OpenBLAS kept to one thread so that the engine's own threads do
 * not oversubscribe the cores.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdatomic.h>
#include <unistd.h>

#include <cblas.h>

#include "impasto-threads.h"

/* Atomic: the worker that runs a session sets it while the main thread may ask it for an estimate
 * (and a speed calibration may set it from a thread of its own). */
static atomic_int engine_threads = 0;

void
impasto_set_threads (int n_threads)
{
  long cores = sysconf (_SC_NPROCESSORS_ONLN);

  if (cores < 1)
    cores = 1;
  if (n_threads <= 0 || n_threads > cores)
    n_threads = (int) cores;
  atomic_store_explicit (&engine_threads, n_threads, memory_order_relaxed);
  /* The engine parallelises itself (impasto-parallel.c) and may call sgemm from several of its
   * threads at once; BLAS threads of its own would only oversubscribe the cores. */
  openblas_set_num_threads (1);
}

int
impasto_get_threads (void)
{
  int n_threads = atomic_load_explicit (&engine_threads, memory_order_relaxed);

  if (n_threads == 0)
    {
      impasto_set_threads (0);
      n_threads = atomic_load_explicit (&engine_threads, memory_order_relaxed);
    }
  return n_threads;
}
