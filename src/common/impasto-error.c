/* impasto-error.c
 *
 * Maps engine statuses to GErrors in plain words (see impasto-error.h): one table from status to
 * code, and one lead-in per code. Nothing else.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-error"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "impasto-error.h"

G_DEFINE_QUARK (impasto-error-quark, impasto_error)

static const struct
{
  ImpastoStatus status;
  ImpastoErrorCode code;
} status_codes[] = {
  { IMPASTO_STATUS_INVALID_ARGUMENT, IMPASTO_ERROR_INVALID },
  { IMPASTO_STATUS_OUT_OF_MEMORY, IMPASTO_ERROR_NO_MEMORY },
  { IMPASTO_STATUS_IO, IMPASTO_ERROR_FILE },
  { IMPASTO_STATUS_MODEL, IMPASTO_ERROR_BAD_MODEL },
  { IMPASTO_STATUS_NUMERIC, IMPASTO_ERROR_NOT_FINITE },
  { IMPASTO_STATUS_NEEDS_RESTART, IMPASTO_ERROR_RESTART },
};

ImpastoErrorCode
impasto_error_code_from_status (ImpastoStatus status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_codes); i++)
    if (status_codes[i].status == status)
      return status_codes[i].code;
  return IMPASTO_ERROR_FAILED;
}

void
impasto_error_set_from_engine (GError                   **error,
                               ImpastoStatus              status,
                               const ImpastoEngineError  *engine_error)
{
  const char *detail;

  g_return_if_fail (status != IMPASTO_STATUS_OK);

  detail = engine_error != NULL && engine_error->message[0] != '\0'
           ? engine_error->message : impasto_status_to_string (status);

  if (status == IMPASTO_STATUS_CANCELLED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped"));
      return;
    }

  switch (impasto_error_code_from_status (status))
    {
    case IMPASTO_ERROR_INVALID:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_INVALID,
                   _("A setting cannot be used: %s"), detail);
      break;

    case IMPASTO_ERROR_NO_MEMORY:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_NO_MEMORY,
                   _("Not enough memory for this size: %s"), detail);
      break;

    case IMPASTO_ERROR_FILE:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE,
                   _("A file could not be read or written: %s"), detail);
      break;

    case IMPASTO_ERROR_BAD_MODEL:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_BAD_MODEL,
                   _("The model file cannot be used: %s"), detail);
      break;

    case IMPASTO_ERROR_NOT_FINITE:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_NOT_FINITE,
                   _("The painting went out of range (try a smaller learning rate): %s"),
                   detail);
      break;

    case IMPASTO_ERROR_RESTART:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_RESTART,
                   _("This change needs a new run: %s"), detail);
      break;

    case IMPASTO_ERROR_FAILED:
    default:
      g_set_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FAILED, "%s", detail);
      break;
    }
}
