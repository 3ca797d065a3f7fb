/* test-latest-slot.c
 *
 * The shared newest-value hand-over (impasto-latest-slot.h) on its own, with plain values: a
 * burst of pushes from a thread reaches the main loop as one call with the newest value, every
 * replaced value freed; a slot without records passes NULL records; flush delivers at once and
 * the idle then finds nothing; a watched object that is gone makes waiting values stale (dropped
 * and freed, the callback never called), while a live one is held during the call; close frees
 * what waits and later pushes; the pending idle keeps the slot alive. The frames' use of it is in
 * tests/app/test-frame-slot.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-latest-slot"

#include "config.h"

#include <glib-object.h>

#include "impasto-latest-slot.h"

static int n_freed;

static void
count_free (gpointer data)
{
  n_freed++;
  g_free (data);
}

static int *
new_int (int value)
{
  int *p = g_new (int, 1);

  *p = value;
  return p;
}

typedef struct
{
  guint n_calls;
  int last;
  gboolean records_null;
  GObject *watched;          /* checked to be alive during the call */
  gboolean watched_alive;
} Sink;

static void
sink_cb (gpointer  value,
         GArray   *records,
         gpointer  user_data)
{
  Sink *sink = user_data;

  sink->n_calls++;
  sink->last = value != NULL ? *(int *) value : -1;
  sink->records_null = records == NULL;
  if (sink->watched != NULL)
    sink->watched_alive = G_IS_OBJECT (sink->watched);
}

static void
drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gpointer
push_many (gpointer data)
{
  for (int i = 0; i < 500; i++)
    impasto_latest_slot_push (data, new_int (i));
  return NULL;
}

static void
test_newest_only (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;
  guint pushed, delivered, dropped;

  drain ();
  n_freed = 0;
  slot = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, count_free, 0, sink_cb, &sink);
  g_thread_join (g_thread_new ("producer", push_many, slot));

  /* Nothing is called from the producer; the 499 replaced values are freed already. */
  g_assert_cmpuint (sink.n_calls, ==, 0);
  g_assert_cmpint (n_freed, ==, 499);
  drain ();

  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_cmpint (sink.last, ==, 499);
  g_assert_true (sink.records_null);
  g_assert_cmpint (n_freed, ==, 500);
  impasto_latest_slot_get_counts (slot, &pushed, &delivered, &dropped);
  g_assert_cmpuint (pushed, ==, 500);
  g_assert_cmpuint (delivered, ==, 1);
  g_assert_cmpuint (dropped, ==, 499);
}

static void
test_flush (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;

  drain ();
  n_freed = 0;
  slot = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, count_free, 0, sink_cb, &sink);
  impasto_latest_slot_push (slot, new_int (3));
  impasto_latest_slot_flush (slot);
  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_cmpint (sink.last, ==, 3);
  g_assert_cmpint (n_freed, ==, 1);

  /* The idle finds nothing; a flush with nothing waiting calls nothing. */
  drain ();
  impasto_latest_slot_flush (slot);
  g_assert_cmpuint (sink.n_calls, ==, 1);
}

static void
test_watched_gone (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);

  drain ();
  n_freed = 0;
  slot = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, count_free, 0, sink_cb, &sink);
  impasto_latest_slot_watch_object (slot, owner);

  /* Alive: delivered, and held during the call. */
  sink.watched = owner;
  impasto_latest_slot_push (slot, new_int (1));
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_true (sink.watched_alive);

  /* Gone before the idle runs: the value is stale, freed and never handed over. */
  sink.watched = NULL;
  impasto_latest_slot_push (slot, new_int (2));
  g_object_unref (owner);
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_cmpint (sink.last, ==, 1);
  g_assert_cmpint (n_freed, ==, 2);
}

static void
test_close (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;

  drain ();
  n_freed = 0;
  slot = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, count_free, 0, sink_cb, &sink);
  impasto_latest_slot_push (slot, new_int (1));
  impasto_latest_slot_close (slot);
  g_assert_cmpint (n_freed, ==, 1);
  impasto_latest_slot_push (slot, new_int (2));
  g_assert_cmpint (n_freed, ==, 2);
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 0);
}

static void
test_outlives_owner (void)
{
  Sink sink = { 0 };
  ImpastoLatestSlot *slot;

  drain ();
  n_freed = 0;
  slot = impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, count_free, 0, sink_cb, &sink);
  impasto_latest_slot_push (slot, new_int (7));
  impasto_latest_slot_unref (slot);
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_cmpint (sink.last, ==, 7);
  g_assert_cmpint (n_freed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/latest-slot/newest-only", test_newest_only);
  g_test_add_func ("/latest-slot/flush", test_flush);
  g_test_add_func ("/latest-slot/watched-gone", test_watched_gone);
  g_test_add_func ("/latest-slot/close", test_close);
  g_test_add_func ("/latest-slot/outlives-owner", test_outlives_owner);

  return g_test_run ();
}
