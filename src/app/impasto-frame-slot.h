/* impasto-frame-slot.h
 *
 * The hand-over of pictures from the worker thread to the main loop. The worker pushes frames
 * (8-bit RGB rows plus the numbers that go with them) into a single slot under a mutex; a newer
 * frame replaces an older one that has not been shown yet, and an idle is scheduled on the main
 * context only if none is pending. So a slow screen never builds a queue: only the newest frame
 * waits, and pushing never blocks on the main loop. Small per-iteration records (the losses of
 * every step, for the plot) travel beside the frames and are never dropped.
 *
 * This file does not know about GTK, textures or the engine's session; the job makes textures
 * from the frames it is handed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-session.h"
#include "impasto-types.h"

G_BEGIN_DECLS

struct _ImpastoFrame
{
  int iteration;           /* updates done so far; 0 is the starting image */
  int width;
  int height;
  gsize stride;            /* bytes per row of @pixels */
  GBytes *pixels;          /* (height, stride) RGB8 rows; NULL for a frame without a picture */
  ImpastoLosses losses;    /* of the picture in @pixels */
  double ms_per_iteration; /* smoothed wall time of one step; 0 before the first step */
  gboolean final;          /* the worker's last frame of the run */
  char *warning;           /* a non-fatal problem to show once (saving a frame failed), or NULL */
};

ImpastoFrame *impasto_frame_new (void);
void          impasto_frame_free (ImpastoFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoFrame, impasto_frame_free)

/* Called on the slot's main context with the newest frame (may be NULL if only records arrived;
 * transfer none) and every record added since the last call (never NULL, possibly empty). */
typedef void (*ImpastoFrameSlotFunc) (ImpastoFrame *frame,
                                      GArray       *records,
                                      gpointer      user_data);

/* @record_size is the size of one record added with impasto_frame_slot_add_record(). @func is
 * called on @context (NULL: the thread-default context of the caller) at @priority. */
ImpastoFrameSlot *impasto_frame_slot_new (GMainContext         *context,
                                          int                   priority,
                                          gsize                 record_size,
                                          ImpastoFrameSlotFunc  func,
                                          gpointer              user_data);
ImpastoFrameSlot *impasto_frame_slot_ref (ImpastoFrameSlot *slot);
void              impasto_frame_slot_unref (ImpastoFrameSlot *slot);

/* Any thread. Takes ownership of @frame, replacing (and freeing) an undelivered older one. */
void impasto_frame_slot_push (ImpastoFrameSlot *slot,
                              ImpastoFrame     *frame);

/* Any thread. Copies @record; records are delivered with the next frame and never dropped. */
void impasto_frame_slot_add_record (ImpastoFrameSlot *slot,
                                    gconstpointer     record);

/* Main context: delivers whatever is waiting now, without waiting for the idle. */
void impasto_frame_slot_flush (ImpastoFrameSlot *slot);

/* Main context: nothing is delivered any more; waiting frames and records are freed. Pushes from
 * the worker after this are freed at once. */
void impasto_frame_slot_close (ImpastoFrameSlot *slot);

/* Counters for tests and measurements: frames pushed, handed to @func, and replaced unseen. */
void impasto_frame_slot_get_counts (ImpastoFrameSlot *slot,
                                    guint            *n_pushed,
                                    guint            *n_delivered,
                                    guint            *n_dropped);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoFrameSlot, impasto_frame_slot_unref)

G_END_DECLS
