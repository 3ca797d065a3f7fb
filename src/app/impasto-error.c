/* impasto-error.c
 *
 * Maps engine statuses to GErrors in plain words (see impasto-error.h). Nothing else.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-error"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "impasto-error.h"

G_DEFINE_QUARK (impasto-error-quark, impasto_error)

void
impasto_error_set_from_engine (GError            **error,
                               ImpastoStatus       status,
                               const ImpastoEngineError *engine_error)
{
  const char *detail;

  g_return_if_fail (status != IMPASTO_STATUS_OK);

  detail = engine_error != NULL && engine_error->message[0] != '\0'
           ? engine_error->message : impasto_status_to_string (status);

  switch (status)
    {
    case IMPASTO_STATUS_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped"));
      break;

    case IMPASTO_STATUS_INVALID_ARGUMENT:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_INVALID,
                   _("A setting cannot be used: %s"), detail);
      break;

    case IMPASTO_STATUS_OUT_OF_MEMORY:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_NO_MEMORY,
                   _("Not enough memory for this size: %s"), detail);
      break;

    case IMPASTO_STATUS_IO:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE,
                   _("A file could not be read: %s"), detail);
      break;

    case IMPASTO_STATUS_MODEL:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_BAD_MODEL,
                   _("The model file cannot be used: %s"), detail);
      break;

    case IMPASTO_STATUS_NUMERIC:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_NOT_FINITE,
                   _("The painting went out of range (try a smaller learning rate): %s"),
                   detail);
      break;

    case IMPASTO_STATUS_NEEDS_RESTART:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_RESTART,
                   _("This change needs a new run: %s"), detail);
      break;

    case IMPASTO_STATUS_OK:
    default:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FAILED, "%s", detail);
      break;
    }
}
