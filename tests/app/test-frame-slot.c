/* test-frame-slot.c
 *
 * The worker-to-main-loop frame hand-over, ImpastoFrames through the shared ImpastoLatestSlot
 * (impasto-latest-slot.h) as the job uses it: many pushes coalesce into one idle that delivers the
 * newest frame; with a producer thread racing the main loop, deliveries are in order, the last
 * frame always arrives and no per-iteration record is lost; after close nothing is delivered and
 * nothing leaks; flush delivers at once.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-frame-slot"

#include "config.h"

#include <glib.h>

#include "impasto-frame.h"
#include "impasto-latest-slot.h"

typedef struct
{
  guint n_calls;
  guint n_frames;
  int last_iteration;
  gboolean saw_final;
  gboolean in_order;
  GArray *records;     /* every record received, in order */
} Sink;

static void
sink_init (Sink *sink)
{
  sink->last_iteration = -1;
  sink->in_order = TRUE;
  sink->records = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
sink_clear (Sink *sink)
{
  g_array_unref (sink->records);
}

static void
sink_cb (gpointer  value,
         GArray   *records,
         gpointer  user_data)
{
  Sink *sink = user_data;
  ImpastoFrame *frame = value;

  sink->n_calls++;
  g_array_append_vals (sink->records, records->data, records->len);
  if (frame != NULL)
    {
      sink->n_frames++;
      if (frame->iteration <= sink->last_iteration)
        sink->in_order = FALSE;
      sink->last_iteration = frame->iteration;
      sink->saw_final |= frame->final;
    }
}

static ImpastoFrame *
make_frame (int      iteration,
            gboolean final)
{
  ImpastoFrame *frame = impasto_frame_new ();
  guint8 *pixels = g_new0 (guint8, 4 * 3);

  frame->iteration = iteration;
  frame->width = 2;
  frame->height = 2;
  frame->stride = 6;
  frame->pixels = g_bytes_new_take (pixels, 12);
  frame->final = final;
  return frame;
}

static void
drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* A slot as the job makes it: frames freed with impasto_frame_free(), guint records. */
static ImpastoLatestSlot *
new_frame_slot (Sink *sink)
{
  return impasto_latest_slot_new (NULL, G_PRIORITY_DEFAULT, (GDestroyNotify) impasto_frame_free,
                                  sizeof (guint), sink_cb, sink);
}

typedef struct
{
  ImpastoLatestSlot *slot;
  int n;
  int pause_every;
} Producer;

static gpointer
produce (gpointer data)
{
  Producer *producer = data;

  for (int i = 0; i < producer->n; i++)
    {
      guint record = (guint) i;

      impasto_latest_slot_add_record (producer->slot, &record);
      impasto_latest_slot_push (producer->slot, make_frame (i, i == producer->n - 1));
      /* Like an engine: pushes spread over time, so that the main loop shows some. */
      if (producer->pause_every > 0 && i % producer->pause_every == 0)
        g_usleep (20);
    }
  return NULL;
}

static void
test_coalescing (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;
  Producer producer;
  GThread *thread;
  guint pushed, delivered, dropped;

  sink_init (&sink);
  drain ();
  slot = new_frame_slot (&sink);

  /* 1000 frames before the main loop gets a chance: one idle, the newest frame. */
  producer = (Producer) { slot, 1000, 0 };
  thread = g_thread_new ("producer", produce, &producer);
  g_thread_join (thread);

  g_assert_cmpuint (sink.n_calls, ==, 0);
  drain ();

  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_cmpuint (sink.n_frames, ==, 1);
  g_assert_cmpint (sink.last_iteration, ==, 999);
  g_assert_true (sink.saw_final);
  g_assert_cmpuint (sink.records->len, ==, 1000);
  for (guint i = 0; i < sink.records->len; i++)
    g_assert_cmpuint (g_array_index (sink.records, guint, i), ==, i);

  impasto_latest_slot_get_counts (slot, &pushed, &delivered, &dropped);
  g_assert_cmpuint (pushed, ==, 1000);
  g_assert_cmpuint (delivered, ==, 1);
  g_assert_cmpuint (dropped, ==, 999);

  impasto_latest_slot_close (slot);
  sink_clear (&sink);
}

static void
test_racing (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;
  Producer producer;
  GThread *thread;
  guint pushed, delivered, dropped;
  gint64 deadline;

  sink_init (&sink);
  drain ();
  slot = new_frame_slot (&sink);

  producer = (Producer) { slot, 20000, 10 };
  thread = g_thread_new ("producer", produce, &producer);

  /* Show frames as fast as the main loop goes, while the producer keeps pushing. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!sink.saw_final && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_thread_join (thread);
  drain ();

  g_assert_true (sink.saw_final);
  g_assert_true (sink.in_order);
  g_assert_cmpint (sink.last_iteration, ==, 19999);
  g_assert_cmpuint (sink.records->len, ==, 20000);
  for (guint i = 0; i < sink.records->len; i++)
    g_assert_cmpuint (g_array_index (sink.records, guint, i), ==, i);

  impasto_latest_slot_get_counts (slot, &pushed, &delivered, &dropped);
  g_assert_cmpuint (pushed, ==, 20000);
  g_assert_cmpuint (delivered, ==, sink.n_frames);
  g_assert_cmpuint (delivered + dropped, ==, pushed);
  /* The main loop kept up part of the time, and was never sent a queue. */
  g_assert_cmpuint (delivered, >, 1);
  g_assert_cmpuint (sink.n_calls, <=, sink.records->len);
  g_test_message ("20000 frames pushed, %u shown, %u dropped", delivered, dropped);

  impasto_latest_slot_close (slot);
  sink_clear (&sink);
}

static int n_freed;

static void
count_free (gpointer data)
{
  n_freed++;
  g_free (data);
}

static void
test_close (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;
  ImpastoFrame *frame;
  guint record = 7;

  sink_init (&sink);
  drain ();
  n_freed = 0;
  slot = new_frame_slot (&sink);

  for (int i = 0; i < 3; i++)
    {
      gpointer pixels = g_malloc (8);

      frame = impasto_frame_new ();
      frame->iteration = i;
      frame->pixels = g_bytes_new_with_free_func (pixels, 8, count_free, pixels);
      impasto_latest_slot_add_record (slot, &record);
      impasto_latest_slot_push (slot, frame);
      if (i == 1)
        impasto_latest_slot_close (slot);
    }

  /* Two frames replaced or dropped by close, the third freed on arrival. */
  g_assert_cmpint (n_freed, ==, 3);
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 0);
  g_assert_cmpuint (sink.records->len, ==, 0);
  sink_clear (&sink);
}

static void
test_flush (void)
{
  Sink sink = { 0 };
  g_autoptr(ImpastoLatestSlot) slot = NULL;
  guint record = 1;

  sink_init (&sink);
  drain ();
  slot = new_frame_slot (&sink);

  impasto_latest_slot_add_record (slot, &record);
  impasto_latest_slot_push (slot, make_frame (5, TRUE));
  impasto_latest_slot_flush (slot);
  g_assert_cmpuint (sink.n_calls, ==, 1);
  g_assert_cmpint (sink.last_iteration, ==, 5);
  g_assert_cmpuint (sink.records->len, ==, 1);

  /* The idle that was scheduled finds nothing; a later push schedules a new one. */
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 1);
  impasto_latest_slot_push (slot, make_frame (6, TRUE));
  drain ();
  g_assert_cmpuint (sink.n_calls, ==, 2);
  g_assert_cmpint (sink.last_iteration, ==, 6);

  impasto_latest_slot_close (slot);
  sink_clear (&sink);
}

static void
test_outlives_owner (void)
{
  Sink sink = { 0 };
  ImpastoLatestSlot *slot;

  sink_init (&sink);
  drain ();
  slot = new_frame_slot (&sink);
  impasto_latest_slot_push (slot, make_frame (1, FALSE));

  /* The pending idle holds its own reference. */
  impasto_latest_slot_unref (slot);
  drain ();
  g_assert_cmpuint (sink.n_frames, ==, 1);
  sink_clear (&sink);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame-slot/coalescing", test_coalescing);
  g_test_add_func ("/frame-slot/racing", test_racing);
  g_test_add_func ("/frame-slot/close", test_close);
  g_test_add_func ("/frame-slot/flush", test_flush);
  g_test_add_func ("/frame-slot/outlives-owner", test_outlives_owner);

  return g_test_run ();
}
