/* test-error.c
 *
 * The one map from engine statuses to GErrors (impasto-error.h): every status has its code in the
 * IMPASTO_ERROR domain and keeps the engine's message as the detail (or the status's name when
 * there is none); a cancelled run is G_IO_ERROR_CANCELLED.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-error"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "impasto-error.h"

static void
test_codes (void)
{
  static const struct
  {
    ImpastoStatus status;
    ImpastoErrorCode code;
  } cases[] = {
    { IMPASTO_STATUS_INVALID_ARGUMENT, IMPASTO_ERROR_INVALID },
    { IMPASTO_STATUS_OUT_OF_MEMORY, IMPASTO_ERROR_NO_MEMORY },
    { IMPASTO_STATUS_IO, IMPASTO_ERROR_FILE },
    { IMPASTO_STATUS_MODEL, IMPASTO_ERROR_BAD_MODEL },
    { IMPASTO_STATUS_NUMERIC, IMPASTO_ERROR_NOT_FINITE },
    { IMPASTO_STATUS_NEEDS_RESTART, IMPASTO_ERROR_RESTART },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ImpastoEngineError engine_error = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) bare = NULL;

      impasto_engine_error_set (&engine_error, cases[i].status, "vgg.mat: detail %u", i);
      g_assert_cmpint (impasto_error_code_from_status (cases[i].status), ==, cases[i].code);

      impasto_error_set_from_engine (&error, cases[i].status, &engine_error);
      g_assert_error (error, IMPASTO_ERROR, (int) cases[i].code);
      g_assert_nonnull (strstr (error->message, engine_error.message));
      /* A translated lead-in comes before the engine's words. */
      g_assert_false (g_str_has_prefix (error->message, engine_error.message));

      /* Without a report, the status says what happened. */
      impasto_error_set_from_engine (&bare, cases[i].status, NULL);
      g_assert_error (bare, IMPASTO_ERROR, (int) cases[i].code);
      g_assert_nonnull (strstr (bare->message, impasto_status_to_string (cases[i].status)));
    }
}

static void
test_cancelled (void)
{
  g_autoptr(GError) error = NULL;

  impasto_error_set_from_engine (&error, IMPASTO_STATUS_CANCELLED, NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (impasto_error_code_from_status (IMPASTO_STATUS_CANCELLED), ==,
                   IMPASTO_ERROR_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/codes", test_codes);
  g_test_add_func ("/error/cancelled", test_cancelled);

  return g_test_run ();
}
