/* impasto-parallel.h
 *
 * A tiny persistent thread pool for the engine's own data parallelism (the Winograd
 * convolution's tile blocks). The threads are created once, when the pool is, and sleep on a
 * condition variable between calls; impasto_parallel_for() hands out task numbers 0 .. n - 1
 * from an atomic counter to the calling thread and the helpers, and returns when all are done.
 * A call allocates nothing.
 *
 * It deliberately is not a general scheduler: no futures, no nesting (a task must not call
 * impasto_parallel_for() on the same pool), one caller at a time, no work stealing beyond the
 * shared counter, no thread affinity. Choosing how many threads the engine uses is not its
 * business either: impasto_set_threads() in impasto-threads.c decides, the owner of the pool
 * passes that number to impasto_parallel_new().
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

typedef struct _ImpastoParallel ImpastoParallel;

/* Runs task number @task on thread number @thread: 0 is the thread that called
 * impasto_parallel_for(), 1 .. n_threads - 1 are the pool's helpers. A task may use per-thread
 * resources indexed by @thread: no two tasks run on the same thread at the same time. */
typedef void (*ImpastoParallelFunc) (int task, int thread, void *data);

/* A pool of @n_threads threads in all, the caller included: n_threads - 1 helpers are started
 * now. n_threads <= 1 gives a pool that runs everything on the caller. NULL if the helpers
 * cannot be created (out of memory or threads). */
ImpastoParallel *impasto_parallel_new (int n_threads);

/* Stops and joins the helpers. NULL is fine. Not while a call is running. */
void impasto_parallel_free (ImpastoParallel *pool);

/* Threads in all, the caller included; 1 for a NULL pool. */
int impasto_parallel_get_n_threads (const ImpastoParallel *pool);

/* Runs fn (task, thread, data) for task = 0 .. n_tasks - 1, in no particular order, spread over
 * the pool's threads, and returns when every task has finished. A NULL pool or a single task runs
 * everything on the caller as thread 0. Only one thread may call this on a given pool at a
 * time. */
void impasto_parallel_for (ImpastoParallel *pool, int n_tasks, ImpastoParallelFunc fn, void *data);
