/* impasto-params-handoff.h
 *
 * Live parameters from the main thread to the worker. The main thread puts a complete
 * ImpastoSessionParams whenever a slider moves; the worker takes the newest one, if it is newer
 * than what it already has, just before each step. Every put gets a serial number so that the
 * worker can record which values each step ran with. Values are copied whole under a mutex, so the
 * worker never sees half of one change and half of another; intermediate values that the worker
 * never took are simply skipped.
 *
 * This file does not talk to the engine; the job calls impasto_session_set_params() with what it
 * takes.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-session.h"

G_BEGIN_DECLS

typedef struct
{
  GMutex mutex;
  ImpastoSessionParams params;  /* the newest put */
  guint serial;                  /* of @params; starts at 1 */
  guint taken;                   /* serial of the last take */
} ImpastoParamsHandoff;

/* @initial becomes serial 1, already taken (the worker starts with it). */
void  impasto_params_handoff_init (ImpastoParamsHandoff        *handoff,
                                   const ImpastoSessionParams  *initial);
void  impasto_params_handoff_clear (ImpastoParamsHandoff *handoff);

/* Any thread; returns the serial given to @params. */
guint impasto_params_handoff_put (ImpastoParamsHandoff        *handoff,
                                  const ImpastoSessionParams  *params);

/* Any thread: TRUE and the newest values and their serial if something newer than the last take
 * was put; FALSE, leaving the outputs alone, otherwise. */
gboolean impasto_params_handoff_take (ImpastoParamsHandoff  *handoff,
                                      ImpastoSessionParams  *params,
                                      guint                 *serial);

/* Any thread: the newest values put, taken or not. Returns their serial. */
guint impasto_params_handoff_peek (ImpastoParamsHandoff  *handoff,
                                   ImpastoSessionParams  *params);

G_END_DECLS
