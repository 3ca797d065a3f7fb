/* impasto-latest-slot.c
 *
 * A single-slot, coalescing hand-over from a worker to the main loop (see impasto-latest-slot.h).
 * The mutex is held only to swap pointers, never while a value is made, freed or shown.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-latest-slot"

#include "config.h"

#include "impasto-latest-slot.h"

struct _ImpastoLatestSlot
{
  GMutex mutex;
  /* Guarded by @mutex: */
  gpointer value;             /* newest undelivered value, or NULL */
  GArray *records;            /* undelivered records, or NULL for a slot without records */
  gboolean idle_pending;      /* an idle is attached and has not run yet */
  gboolean closed;
  guint n_pushed;
  guint n_delivered;
  guint n_dropped;

  /* Fixed at creation (or before the first push): */
  GMainContext *context;
  int priority;
  GDestroyNotify value_free;
  gsize record_size;
  const char *name;
  gboolean watching;
  GWeakRef watched;

  /* Main context only: */
  ImpastoLatestSlotFunc func;
  gpointer user_data;
};

static void
free_value (ImpastoLatestSlot *self,
            gpointer           value)
{
  if (value != NULL && self->value_free != NULL)
    self->value_free (value);
}

ImpastoLatestSlot *
impasto_latest_slot_new (GMainContext          *context,
                         int                    priority,
                         GDestroyNotify         value_free,
                         gsize                  record_size,
                         ImpastoLatestSlotFunc  func,
                         gpointer               user_data)
{
  ImpastoLatestSlot *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_atomic_rc_box_new0 (ImpastoLatestSlot);
  g_mutex_init (&self->mutex);
  g_weak_ref_init (&self->watched, NULL);
  if (record_size > 0)
    self->records = g_array_new (FALSE, FALSE, record_size);
  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  self->priority = priority;
  self->value_free = value_free;
  self->record_size = record_size;
  self->name = "[impasto-latest-slot]";
  self->func = func;
  self->user_data = user_data;
  return self;
}

ImpastoLatestSlot *
impasto_latest_slot_ref (ImpastoLatestSlot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
impasto_latest_slot_clear (ImpastoLatestSlot *self)
{
  /* The reference count orders this after every push already; the lock says so to
   * ThreadSanitizer too, which cannot see GLib's atomics. */
  g_mutex_lock (&self->mutex);
  g_mutex_unlock (&self->mutex);

  free_value (self, g_steal_pointer (&self->value));
  g_clear_pointer (&self->records, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_weak_ref_clear (&self->watched);
  g_mutex_clear (&self->mutex);
}

void
impasto_latest_slot_unref (ImpastoLatestSlot *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) impasto_latest_slot_clear);
}

void
impasto_latest_slot_set_name (ImpastoLatestSlot *self,
                              const char        *static_name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (static_name != NULL);

  self->name = static_name;
}

void
impasto_latest_slot_watch_object (ImpastoLatestSlot *self,
                                  gpointer           object)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_OBJECT (object));

  g_weak_ref_set (&self->watched, object);
  self->watching = TRUE;
}

/* Takes what is waiting; called on the main context. */
static void
impasto_latest_slot_deliver (ImpastoLatestSlot *self,
                             gboolean           from_idle)
{
  g_autoptr(GObject) watched = NULL;
  g_autoptr(GArray) records = NULL;
  gpointer value;
  gboolean closed;

  g_assert (self != NULL);

  /* A watched object that is gone makes whatever waits stale. */
  if (self->watching)
    watched = g_weak_ref_get (&self->watched);

  g_mutex_lock (&self->mutex);
  if (from_idle)
    self->idle_pending = FALSE;
  value = g_steal_pointer (&self->value);
  if (self->records != NULL)
    {
      records = g_steal_pointer (&self->records);
      self->records = g_array_new (FALSE, FALSE, self->record_size);
    }
  closed = self->closed || (self->watching && watched == NULL);
  if (value != NULL && !closed)
    self->n_delivered++;
  g_mutex_unlock (&self->mutex);

  if (!closed && self->func != NULL && (value != NULL || (records != NULL && records->len > 0)))
    self->func (value, records, self->user_data);

  free_value (self, value);
}

static gboolean
impasto_latest_slot_idle_cb (gpointer data)
{
  impasto_latest_slot_deliver (data, TRUE);

  return G_SOURCE_REMOVE;
}

void
impasto_latest_slot_push (ImpastoLatestSlot *self,
                          gpointer           value)
{
  gpointer replaced = NULL;
  GDestroyNotify value_free;
  GSource *source = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (value != NULL);

  g_mutex_lock (&self->mutex);
  /* Read under the lock: after the unlock, the slot may go at any moment. */
  value_free = self->value_free;
  if (self->closed)
    {
      replaced = value;
    }
  else
    {
      replaced = g_steal_pointer (&self->value);
      self->value = value;
      self->n_pushed++;
      if (replaced != NULL)
        self->n_dropped++;
      if (!self->idle_pending)
        {
          /* Attached under the lock, so that the slot's last unref (impasto_latest_slot_clear())
           * visibly comes after this use of it. The idle holds its own reference. */
          self->idle_pending = TRUE;
          source = g_idle_source_new ();
          g_source_set_priority (source, self->priority);
          g_source_set_static_name (source, self->name);
          g_source_set_callback (source, impasto_latest_slot_idle_cb,
                                 impasto_latest_slot_ref (self),
                                 (GDestroyNotify) impasto_latest_slot_unref);
          g_source_attach (source, self->context);
        }
    }
  g_mutex_unlock (&self->mutex);

  /* Freed outside the lock: a big frame's pixels should not hold up the main thread. */
  if (replaced != NULL && value_free != NULL)
    value_free (replaced);
  if (source != NULL)
    g_source_unref (source);
}

void
impasto_latest_slot_add_record (ImpastoLatestSlot *self,
                                gconstpointer      record)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->record_size > 0);
  g_return_if_fail (record != NULL);

  g_mutex_lock (&self->mutex);
  if (!self->closed)
    g_array_append_vals (self->records, record, 1);
  g_mutex_unlock (&self->mutex);
}

void
impasto_latest_slot_flush (ImpastoLatestSlot *self)
{
  g_return_if_fail (self != NULL);

  impasto_latest_slot_deliver (self, FALSE);
}

void
impasto_latest_slot_close (ImpastoLatestSlot *self)
{
  gpointer value;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  value = g_steal_pointer (&self->value);
  if (self->records != NULL)
    g_array_set_size (self->records, 0);
  g_mutex_unlock (&self->mutex);

  free_value (self, value);
  self->func = NULL;
  self->user_data = NULL;
}

void
impasto_latest_slot_get_counts (ImpastoLatestSlot *self,
                                guint             *n_pushed,
                                guint             *n_delivered,
                                guint             *n_dropped)
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
