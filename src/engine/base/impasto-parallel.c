/* impasto-parallel.c
 *
 * The engine's persistent thread pool: helpers created once that sleep on a condition variable,
 * a generation counter that tells them a new loop has been posted, and an atomic task counter
 * they and the caller draw from. The caller works too (as thread 0), then waits on a second
 * condition variable for the helpers to report that the loop is finished.
 *
 * Waking costs a futex call per helper per loop, a few microseconds: fine for the few dozen loops
 * of an iteration, each milliseconds long. It does not spin, pin threads or allocate per call.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "impasto-parallel.h"

typedef struct
{
  ImpastoParallel *pool;
  int index;                   /* 1 .. n_threads - 1 */
} Helper;

struct _ImpastoParallel
{
  int n_threads;               /* the caller included */
  pthread_t *threads;          /* (n_threads - 1) */
  Helper *helpers;             /* (n_threads - 1) */
  int n_started;

  pthread_mutex_t lock;
  pthread_cond_t wake;         /* helpers: a new generation, or quit */
  pthread_cond_t done;         /* caller: running reached 0 */
  unsigned long generation;    /* under lock */
  int running;                 /* under lock: helpers not yet finished with this generation */
  bool quit;                   /* under lock */

  /* The current loop, written under lock before the generation changes. */
  ImpastoParallelFunc fn;
  void *data;
  int n_tasks;
  atomic_int next;             /* the next task number to hand out */
};

static void
run_tasks (ImpastoParallel *pool, ImpastoParallelFunc fn, void *data, int n_tasks, int thread)
{
  for (;;)
    {
      int task = atomic_fetch_add_explicit (&pool->next, 1, memory_order_relaxed);

      if (task >= n_tasks)
        break;
      fn (task, thread, data);
    }
}

static void *
helper_main (void *arg)
{
  Helper *helper = arg;
  ImpastoParallel *pool = helper->pool;
  unsigned long seen = 0;

  pthread_mutex_lock (&pool->lock);
  for (;;)
    {
      ImpastoParallelFunc fn;
      void *data;
      int n_tasks;

      while (pool->generation == seen && !pool->quit)
        pthread_cond_wait (&pool->wake, &pool->lock);
      if (pool->quit)
        break;
      seen = pool->generation;
      fn = pool->fn;
      data = pool->data;
      n_tasks = pool->n_tasks;
      pthread_mutex_unlock (&pool->lock);

      run_tasks (pool, fn, data, n_tasks, helper->index);

      pthread_mutex_lock (&pool->lock);
      if (--pool->running == 0)
        pthread_cond_signal (&pool->done);
    }
  pthread_mutex_unlock (&pool->lock);
  return NULL;
}

ImpastoParallel *
impasto_parallel_new (int n_threads)
{
  ImpastoParallel *pool = calloc (1, sizeof *pool);

  if (pool == NULL)
    return NULL;
  pool->n_threads = n_threads < 1 ? 1 : n_threads;
  pthread_mutex_init (&pool->lock, NULL);
  pthread_cond_init (&pool->wake, NULL);
  pthread_cond_init (&pool->done, NULL);
  atomic_init (&pool->next, 0);

  if (pool->n_threads > 1)
    {
      pool->threads = calloc ((size_t) pool->n_threads - 1, sizeof *pool->threads);
      pool->helpers = calloc ((size_t) pool->n_threads - 1, sizeof *pool->helpers);
      if (pool->threads == NULL || pool->helpers == NULL)
        {
          impasto_parallel_free (pool);
          return NULL;
        }
      for (int i = 0; i < pool->n_threads - 1; i++)
        {
          pool->helpers[i] = (Helper) { pool, i + 1 };
          if (pthread_create (&pool->threads[i], NULL, helper_main, &pool->helpers[i]) != 0)
            {
              impasto_parallel_free (pool);
              return NULL;
            }
          pool->n_started++;
        }
    }
  return pool;
}

void
impasto_parallel_free (ImpastoParallel *pool)
{
  if (pool == NULL)
    return;
  pthread_mutex_lock (&pool->lock);
  pool->quit = true;
  pthread_cond_broadcast (&pool->wake);
  pthread_mutex_unlock (&pool->lock);
  for (int i = 0; i < pool->n_started; i++)
    pthread_join (pool->threads[i], NULL);
  pthread_cond_destroy (&pool->done);
  pthread_cond_destroy (&pool->wake);
  pthread_mutex_destroy (&pool->lock);
  free (pool->helpers);
  free (pool->threads);
  free (pool);
}

int
impasto_parallel_get_n_threads (const ImpastoParallel *pool)
{
  return pool != NULL ? pool->n_threads : 1;
}

void
impasto_parallel_for (ImpastoParallel *pool, int n_tasks, ImpastoParallelFunc fn, void *data)
{
  if (n_tasks <= 0)
    return;
  if (pool == NULL || pool->n_threads <= 1 || n_tasks == 1)
    {
      for (int task = 0; task < n_tasks; task++)
        fn (task, 0, data);
      return;
    }

  pthread_mutex_lock (&pool->lock);
  pool->fn = fn;
  pool->data = data;
  pool->n_tasks = n_tasks;
  atomic_store_explicit (&pool->next, 0, memory_order_relaxed);
  pool->running = pool->n_threads - 1;
  pool->generation++;
  pthread_cond_broadcast (&pool->wake);
  pthread_mutex_unlock (&pool->lock);

  run_tasks (pool, fn, data, n_tasks, 0);

  pthread_mutex_lock (&pool->lock);
  while (pool->running > 0)
    pthread_cond_wait (&pool->done, &pool->lock);
  pthread_mutex_unlock (&pool->lock);
}
