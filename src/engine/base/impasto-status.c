/* impasto-status.c
 *
 * Status names and the error helper. impasto_check_failed() is the only place in the engine that
 * writes to stderr, and only just before it aborts on a programming error.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "impasto-status.h"

const char *
impasto_status_to_string (ImpastoStatus status)
{
  switch (status)
    {
    case IMPASTO_STATUS_OK: return "success";
    case IMPASTO_STATUS_INVALID_ARGUMENT: return "invalid argument";
    case IMPASTO_STATUS_OUT_OF_MEMORY: return "out of memory";
    case IMPASTO_STATUS_IO: return "input/output error";
    case IMPASTO_STATUS_MODEL: return "unusable model file";
    case IMPASTO_STATUS_CANCELLED: return "cancelled";
    case IMPASTO_STATUS_NUMERIC: return "numerical overflow";
    case IMPASTO_STATUS_NEEDS_RESTART: return "change needs a restart";
    default: return "unknown error";
    }
}

ImpastoStatus
impasto_engine_error_set (ImpastoEngineError *error, ImpastoStatus status, const char *format, ...)
{
  va_list args;

  if (error == NULL)
    return status;

  error->status = status;
  va_start (args, format);
  vsnprintf (error->message, sizeof error->message, format, args);
  va_end (args);

  return status;
}

void
impasto_engine_error_clear (ImpastoEngineError *error)
{
  if (error == NULL)
    return;
  error->status = IMPASTO_STATUS_OK;
  error->message[0] = '\0';
}

void
impasto_check_failed (const char *file, int line, const char *expression)
{
  fprintf (stderr, "impasto: %s:%d: check failed: %s\n", file, line, expression);
  abort ();
}
