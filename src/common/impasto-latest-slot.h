/* impasto-latest-slot.h
 *
 * The one hand-over from a worker thread to a main loop: a mutex-guarded single slot that keeps
 * only the newest value. Pushing replaces (and frees) an older value that was not delivered yet,
 * and schedules an idle on the slot's main context only if none is pending, so a slow main loop
 * never builds a queue and the worker never waits for it. Small records (for instance the losses
 * of every step) can travel beside the values; those are never dropped. The pending idle holds a
 * reference on the slot, and a slot can watch a GObject: once that object is gone, or the slot is
 * closed, nothing more is delivered (a stale job's results are dropped).
 *
 * Used for the frames of a run, the progress of a model import and the progress of a download.
 * This file does not know what the values are; the caller gives a free function.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _ImpastoLatestSlot ImpastoLatestSlot;

/* Called on the slot's main context with the newest value (transfer none; NULL when only records
 * arrived) and every record added since the last call (NULL for a slot without records, else
 * never NULL, possibly empty). */
typedef void (*ImpastoLatestSlotFunc) (gpointer  value,
                                       GArray   *records,
                                       gpointer  user_data);

/* @value_free frees a value that is replaced or dropped (may be NULL). @record_size is the size
 * of one record added with impasto_latest_slot_add_record(), 0 for a slot without records. @func
 * is called on @context (NULL: the thread-default context of the caller) at @priority. */
ImpastoLatestSlot *impasto_latest_slot_new (GMainContext          *context,
                                            int                    priority,
                                            GDestroyNotify         value_free,
                                            gsize                  record_size,
                                            ImpastoLatestSlotFunc  func,
                                            gpointer               user_data);
ImpastoLatestSlot *impasto_latest_slot_ref (ImpastoLatestSlot *slot);
void               impasto_latest_slot_unref (ImpastoLatestSlot *slot);

/* The name of the idle source, for profilers (a static string). */
void impasto_latest_slot_set_name (ImpastoLatestSlot *slot,
                                   const char        *static_name);

/* Holds a weak reference on @object: once it is finalized nothing is delivered any more, and
 * while @func runs, @object is held. Call before the first push. */
void impasto_latest_slot_watch_object (ImpastoLatestSlot *slot,
                                       gpointer           object);

/* Any thread. Takes ownership of @value, replacing (and freeing) an undelivered older one. */
void impasto_latest_slot_push (ImpastoLatestSlot *slot,
                               gpointer           value);

/* Any thread. Copies @record; records are delivered with the next value and never dropped. */
void impasto_latest_slot_add_record (ImpastoLatestSlot *slot,
                                     gconstpointer      record);

/* Main context: delivers whatever is waiting now, without waiting for the idle. */
void impasto_latest_slot_flush (ImpastoLatestSlot *slot);

/* Main context: nothing is delivered any more; waiting values and records are freed. Pushes after
 * this are freed at once. */
void impasto_latest_slot_close (ImpastoLatestSlot *slot);

/* Counters for tests and measurements: values pushed, handed to @func, and replaced unseen. */
void impasto_latest_slot_get_counts (ImpastoLatestSlot *slot,
                                     guint             *n_pushed,
                                     guint             *n_delivered,
                                     guint             *n_dropped);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoLatestSlot, impasto_latest_slot_unref)

G_END_DECLS
