/* impasto-threads.h
 *
 * The single place that says how many threads the engine works with. The engine parallelises
 * itself (impasto-parallel.h), so BLAS is kept to one thread of its own. Not a thread pool.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Sets the number of threads the engine uses (BLAS included); 0 means all cores. Only the worker
 * thread that runs the engine calls BLAS, so this is called from there before a run. */
void impasto_set_threads (int n_threads);
int impasto_get_threads (void);
