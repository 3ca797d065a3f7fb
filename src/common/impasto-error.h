/* impasto-error.h
 *
 * Impasto's error domain, and the one place that turns an engine status (with its
 * ImpastoEngineError) into a GError with a sentence a person can act on: the window's runs, the
 * model store and so the CLI's model commands all go through it. The engine's own message
 * (English, naming the file or the value) is kept as the detail after a translated lead-in.
 *
 * This file does not show errors; the window does that, as a toast or a dialog, and the CLI
 * prints them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-status.h"

G_BEGIN_DECLS

#define IMPASTO_ERROR (impasto_error_quark ())

typedef enum
{
  IMPASTO_ERROR_FAILED,         /* anything without a better code */
  IMPASTO_ERROR_INVALID,        /* a parameter the engine refused */
  IMPASTO_ERROR_NO_MEMORY,      /* the size does not fit */
  IMPASTO_ERROR_FILE,           /* a file could not be read or written */
  IMPASTO_ERROR_BAD_MODEL,      /* not a usable VGG19 file (or not the kind of file asked for) */
  IMPASTO_ERROR_NOT_FINITE,     /* the picture or the loss blew up */
  IMPASTO_ERROR_RESTART,        /* a change that needs a new run */
} ImpastoErrorCode;

GQuark impasto_error_quark (void);

/* The code an engine status maps to (IMPASTO_STATUS_CANCELLED has none: it is
 * G_IO_ERROR_CANCELLED, and gives IMPASTO_ERROR_FAILED here). */
ImpastoErrorCode impasto_error_code_from_status (ImpastoStatus status);

/* Sets @error from an engine status (IMPASTO_STATUS_CANCELLED becomes G_IO_ERROR_CANCELLED).
 * @engine_error (may be NULL) gives the detail. */
void impasto_error_set_from_engine (GError                   **error,
                                    ImpastoStatus              status,
                                    const ImpastoEngineError  *engine_error);

G_END_DECLS
