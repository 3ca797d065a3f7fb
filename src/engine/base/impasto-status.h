/* impasto-status.h
 *
 * Status codes and error reporting for the engine. The engine never prints and never exits on
 * bad input: it returns an ImpastoStatus and, when the caller passes an ImpastoEngineError, a sentence
 * that says what went wrong in plain words (naming the file where there is one). IMPASTO_CHECK is
 * for programming errors only (mismatched shapes between our own modules): it aborts, like
 * ggml's GGML_ASSERT, because continuing would compute a silently wrong picture.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

typedef enum
{
  IMPASTO_STATUS_OK = 0,
  IMPASTO_STATUS_INVALID_ARGUMENT, /* a nonsense value from the caller: size 0, NaN weight, ... */
  IMPASTO_STATUS_OUT_OF_MEMORY,    /* the plan does not fit, or an allocation failed */
  IMPASTO_STATUS_IO,               /* a file is missing, unreadable or unwritable */
  IMPASTO_STATUS_MODEL,            /* the file is not a usable VGG19 network */
  IMPASTO_STATUS_CANCELLED,        /* should_stop() answered true */
  IMPASTO_STATUS_NUMERIC,          /* the loss or the image became NaN or infinite */
  IMPASTO_STATUS_NEEDS_RESTART,    /* a parameter change needs new targets (see impasto-session.h) */
} ImpastoStatus;

#define IMPASTO_STATUS_MESSAGE_SIZE 512

typedef struct
{
  ImpastoStatus status;
  char message[IMPASTO_STATUS_MESSAGE_SIZE];
} ImpastoEngineError;

/* A short English name for the status, e.g. "out of memory". Never NULL. */
const char *impasto_status_to_string (ImpastoStatus status);

/* Fills @error (which may be NULL) and returns @status, so that callers can write
 * `return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL, "%s: no layers", path);` */
ImpastoStatus impasto_engine_error_set (ImpastoEngineError *error, ImpastoStatus status, const char *format, ...)
  __attribute__ ((format (printf, 3, 4)));

/* Clears @error (may be NULL) to IMPASTO_STATUS_OK and an empty message. */
void impasto_engine_error_clear (ImpastoEngineError *error);

_Noreturn void impasto_check_failed (const char *file, int line, const char *expression);

/* Always on, also in release builds. */
#define IMPASTO_CHECK(expr) \
  do { if (!(expr)) impasto_check_failed (__FILE__, __LINE__, #expr); } while (0)
