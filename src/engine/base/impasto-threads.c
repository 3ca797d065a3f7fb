/* impasto-threads.c
 *
 * The engine's thread count, and OpenBLAS kept to one thread so that the engine's own threads do
 * not oversubscribe the cores.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <unistd.h>

#include <cblas.h>

#include "impasto-threads.h"

static int engine_threads = 0;

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
