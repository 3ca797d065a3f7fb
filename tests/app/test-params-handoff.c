/* test-params-handoff.c
 *
 * Live parameters from the main thread to the worker: a take gives the newest values once, with
 * their serial; under a producer and a consumer thread racing, every value taken is whole (never
 * half of one put and half of another), serials only grow, and the last put always arrives.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-params-handoff"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "impasto-params-handoff.h"

#define N_PUTS 200000

static void
fill (ImpastoSessionParams  *params,
      int                    i)
{
  params->alpha = i;
  params->beta = 2.0 * i;
  params->tv = 3.0 * i;
  params->learning_rate = i + 1.0;
  for (int k = 0; k < IMPASTO_VGG19_N_CONVS; k++)
    {
      params->content_layers[k] = (float) (i % 1000 + k);
      params->style_layers[k] = (float) (i % 1000 + 2 * k);
    }
  for (int k = 0; k < IMPASTO_MAX_PAINTINGS; k++)
    params->painting_weights[k] = (float) (i % 1000 + 3 * k);
}

static gboolean
is_whole (const ImpastoSessionParams  *params,
          int                          i)
{
  ImpastoSessionParams expected;

  fill (&expected, i);
  return memcmp (params, &expected, sizeof expected) == 0;
}

static void
test_basic (void)
{
  ImpastoParamsHandoff handoff;
  ImpastoSessionParams params, got;
  guint serial = 0;

  impasto_session_params_init_default (&params);
  impasto_params_handoff_init (&handoff, &params);

  /* The initial values count as taken: the worker starts with them. */
  g_assert_false (impasto_params_handoff_take (&handoff, &got, &serial));
  g_assert_cmpuint (serial, ==, 0);

  params.beta = 1234.0;
  g_assert_cmpuint (impasto_params_handoff_put (&handoff, &params), ==, 2);
  params.beta = 4321.0;
  g_assert_cmpuint (impasto_params_handoff_put (&handoff, &params), ==, 3);

  /* Intermediate values are skipped; the newest comes once. */
  g_assert_true (impasto_params_handoff_take (&handoff, &got, &serial));
  g_assert_cmpuint (serial, ==, 3);
  g_assert_cmpfloat (got.beta, ==, 4321.0);
  g_assert_false (impasto_params_handoff_take (&handoff, &got, &serial));

  memset (&got, 0, sizeof got);
  g_assert_cmpuint (impasto_params_handoff_peek (&handoff, &got), ==, 3);
  g_assert_cmpfloat (got.beta, ==, 4321.0);

  impasto_params_handoff_clear (&handoff);
}

typedef struct
{
  ImpastoParamsHandoff handoff;
  guint n_taken;
  gboolean torn;
  gboolean backwards;
  guint last_serial;
} Race;

static gpointer
producer (gpointer data)
{
  Race *race = data;
  ImpastoSessionParams params;

  for (int i = 1; i <= N_PUTS; i++)
    {
      fill (&params, i);
      impasto_params_handoff_put (&race->handoff, &params);
    }
  return NULL;
}

static gpointer
consumer (gpointer data)
{
  Race *race = data;
  ImpastoSessionParams params;
  guint serial;

  while (race->last_serial != N_PUTS + 1)
    {
      if (!impasto_params_handoff_take (&race->handoff, &params, &serial))
        {
          g_thread_yield ();
          continue;
        }
      race->n_taken++;
      /* Serial 1 was the initial set; put number i got serial i + 1. */
      if (!is_whole (&params, (int) serial - 1))
        race->torn = TRUE;
      if (serial <= race->last_serial)
        race->backwards = TRUE;
      race->last_serial = serial;
    }
  return NULL;
}

static void
test_race (void)
{
  Race race = { 0 };
  ImpastoSessionParams params;
  GThread *threads[2];

  fill (&params, 0);
  impasto_params_handoff_init (&race.handoff, &params);
  race.last_serial = 1;

  threads[1] = g_thread_new ("consumer", consumer, &race);
  threads[0] = g_thread_new ("producer", producer, &race);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);

  g_assert_false (race.torn);
  g_assert_false (race.backwards);
  g_assert_cmpuint (race.last_serial, ==, N_PUTS + 1);
  g_assert_cmpuint (race.n_taken, >=, 1);
  g_assert_cmpuint (race.n_taken, <=, N_PUTS);
  g_test_message ("%d puts, %u takes", N_PUTS, race.n_taken);

  impasto_params_handoff_clear (&race.handoff);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/params-handoff/basic", test_basic);
  g_test_add_func ("/params-handoff/race", test_race);

  return g_test_run ();
}
