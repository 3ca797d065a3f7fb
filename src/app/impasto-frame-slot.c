/* impasto-frame-slot.c
 *
 * A single-slot, coalescing hand-over from the worker to the main loop (see impasto-frame-slot.h).
 * The mutex is held only to swap pointers, never while a frame is made or shown.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-frame-slot"

#include "config.h"

#include "impasto-frame-slot.h"

struct _ImpastoFrameSlot
{
  GMutex mutex;
  /* Guarded by @mutex: */
  ImpastoFrame *frame;        /* newest undelivered frame, or NULL */
  GArray *records;            /* undelivered records */
  gboolean idle_pending;      /* an idle is attached and has not run yet */
  gboolean closed;
  guint n_pushed;
  guint n_delivered;
  guint n_dropped;

  /* Fixed at creation: */
  GMainContext *context;
  int priority;
  gsize record_size;

  /* Main context only: */
  ImpastoFrameSlotFunc func;
  gpointer user_data;
};

ImpastoFrame *
impasto_frame_new (void)
{
  return g_new0 (ImpastoFrame, 1);
}

void
impasto_frame_free (ImpastoFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->pixels, g_bytes_unref);
  g_clear_pointer (&frame->warning, g_free);
  g_free (frame);
}

ImpastoFrameSlot *
impasto_frame_slot_new (GMainContext         *context,
                        int                   priority,
                        gsize                 record_size,
                        ImpastoFrameSlotFunc  func,
                        gpointer              user_data)
{
  ImpastoFrameSlot *self;

  g_return_val_if_fail (record_size > 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_atomic_rc_box_new0 (ImpastoFrameSlot);
  g_mutex_init (&self->mutex);
  self->records = g_array_new (FALSE, FALSE, record_size);
  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  self->priority = priority;
  self->record_size = record_size;
  self->func = func;
  self->user_data = user_data;
  return self;
}

ImpastoFrameSlot *
impasto_frame_slot_ref (ImpastoFrameSlot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
impasto_frame_slot_clear (ImpastoFrameSlot *self)
{
  g_clear_pointer (&self->frame, impasto_frame_free);
  g_clear_pointer (&self->records, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
}

void
impasto_frame_slot_unref (ImpastoFrameSlot *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) impasto_frame_slot_clear);
}

/* Takes what is waiting; called on the main context. */
static void
impasto_frame_slot_deliver (ImpastoFrameSlot *self,
                            gboolean          from_idle)
{
  g_autoptr(ImpastoFrame) frame = NULL;
  g_autoptr(GArray) records = NULL;
  gboolean closed;

  g_assert (self != NULL);

  g_mutex_lock (&self->mutex);
  if (from_idle)
    self->idle_pending = FALSE;
  frame = g_steal_pointer (&self->frame);
  records = g_steal_pointer (&self->records);
  self->records = g_array_new (FALSE, FALSE, self->record_size);
  closed = self->closed;
  if (frame != NULL && !closed)
    self->n_delivered++;
  g_mutex_unlock (&self->mutex);

  if (!closed && self->func != NULL && (frame != NULL || records->len > 0))
    self->func (frame, records, self->user_data);
}

static gboolean
impasto_frame_slot_idle_cb (gpointer data)
{
  impasto_frame_slot_deliver (data, TRUE);

  return G_SOURCE_REMOVE;
}

void
impasto_frame_slot_push (ImpastoFrameSlot *self,
                         ImpastoFrame     *frame)
{
  ImpastoFrame *replaced = NULL;
  gboolean schedule = FALSE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (frame != NULL);

  g_mutex_lock (&self->mutex);
  if (self->closed)
    {
      replaced = frame;
    }
  else
    {
      replaced = g_steal_pointer (&self->frame);
      self->frame = frame;
      self->n_pushed++;
      if (replaced != NULL)
        self->n_dropped++;
      if (!self->idle_pending)
        schedule = self->idle_pending = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  /* Freed outside the lock: a big frame's pixels should not hold up the main thread. */
  impasto_frame_free (replaced);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, self->priority);
      g_source_set_static_name (source, "[impasto-frame-slot]");
      g_source_set_callback (source, impasto_frame_slot_idle_cb, impasto_frame_slot_ref (self),
                             (GDestroyNotify) impasto_frame_slot_unref);
      g_source_attach (source, self->context);
    }
}

void
impasto_frame_slot_add_record (ImpastoFrameSlot *self,
                               gconstpointer     record)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (record != NULL);

  g_mutex_lock (&self->mutex);
  if (!self->closed)
    g_array_append_vals (self->records, record, 1);
  g_mutex_unlock (&self->mutex);
}

void
impasto_frame_slot_flush (ImpastoFrameSlot *self)
{
  g_return_if_fail (self != NULL);

  impasto_frame_slot_deliver (self, FALSE);
}

void
impasto_frame_slot_close (ImpastoFrameSlot *self)
{
  g_autoptr(ImpastoFrame) frame = NULL;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  frame = g_steal_pointer (&self->frame);
  g_array_set_size (self->records, 0);
  g_mutex_unlock (&self->mutex);

  self->func = NULL;
  self->user_data = NULL;
}

void
impasto_frame_slot_get_counts (ImpastoFrameSlot *self,
                               guint            *n_pushed,
                               guint            *n_delivered,
                               guint            *n_dropped)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  if (n_pushed != NULL)
    *n_pushed = self->n_pushed;
  if (n_delivered != NULL)
    *n_delivered = self->n_delivered;
  if (n_dropped != NULL)
    *n_dropped = self->n_dropped;
  g_mutex_unlock (&self->mutex);
}
