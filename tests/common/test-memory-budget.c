/* test-memory-budget.c
 *
 * Unit tests for src/common/impasto-memory-budget.c: every spelling of a unit gives its binary
 * multiple, fractions round to the nearest byte, the limits (64 MiB and 16 TiB) are inside, and
 * every kind of nonsense (empty, signs, exponents, inf and nan, two points, unknown units, too
 * small, too large, numbers that overflow) is refused with a message quoting the text and leaves
 * the output alone; the default is three quarters of the memory, none when it is unknown.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-memory-budget"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "impasto-memory-budget.h"

#define KIB G_GUINT64_CONSTANT (1024)
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)
#define TIB (GIB * 1024)

static void
test_good (void)
{
  static const struct
  {
    const char *text;
    guint64 bytes;
  } cases[] = {
    { "6G", 6 * GIB }, { "6g", 6 * GIB }, { "6GB", 6 * GIB }, { "6gib", 6 * GIB },
    { "6GiB", 6 * GIB }, { " 6 G ", 6 * GIB }, { "1.5G", 3 * GIB / 2 }, { "800M", 800 * MIB },
    { "800mb", 800 * MIB }, { "800MiB", 800 * MIB }, { "65536K", 64 * MIB },
    { "65536kib", 64 * MIB }, { "64M", 64 * MIB }, { "16T", 16 * TIB }, { "16tib", 16 * TIB },
    { "0.5T", TIB / 2 }, { ".25G", GIB / 4 }, { "64.M", 64 * MIB }, { "67108864", 64 * MIB },
    { "67108864B", 64 * MIB }, { "1073741824b", GIB },
    /* 0.1 G is 107374182.4 bytes: rounded to the nearest. */
    { "0.1G", 107374182 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 bytes = 1;

      g_test_message ("%s", cases[i].text);
      g_assert_true (impasto_memory_budget_parse (cases[i].text, &bytes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (bytes, ==, cases[i].bytes);
    }
}

static void
test_bad (void)
{
  static const struct
  {
    const char *text;
    const char *says;   /* a part of the message */
  } cases[] = {
    { "", "not a size" }, { "   ", "not a size" }, { "G", "not a size" },
    { "-1G", "not a size" }, { "+1G", "not a size" }, { "1.5.5G", "not a size" },
    { ".", "not a size" }, { "inf", "not a size" }, { "nan", "not a size" },
    { "0x10G", "unknown unit “x10G”" }, { "1e9", "unknown unit “e9”" },
    { "6X", "unknown unit “X”" }, { "6 GG", "unknown unit “GG”" }, { "6Gi", "unknown unit" },
    { "6P", "unknown unit" }, { "6 G B", "unknown unit" },
    { "0", "less than 64.0" }, { "0G", "less than" }, { "63M", "less than" },
    { "67108863", "less than" }, { "0.0001G", "less than" }, { "2.", "less than" },
    { "0.0000001T", "less than" },
    { "17T", "more than 16.0" }, { "16.001T", "more than" },
    { "99999999999999999999999999999999T", "more than" },
    { "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000000", "more" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", cases[i].text);
      guint64 bytes = 7;

      g_test_message ("%s", cases[i].text);
      g_assert_false (impasto_memory_budget_parse (cases[i].text, &bytes, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_cmpuint (bytes, ==, 7);
    }
}

static void
test_default (void)
{
  g_assert_cmpuint (impasto_memory_budget_default (0), ==, 0);
  g_assert_cmpuint (impasto_memory_budget_default (8 * GIB), ==, 6 * GIB);
  g_assert_cmpuint (impasto_memory_budget_default (23 * GIB + 7), ==, (23 * GIB + 7) * 3 / 4);
  g_assert_cmpuint (impasto_memory_budget_default (3), ==, 2);
  /* No overflow at the top of the range. */
  g_assert_cmpuint (impasto_memory_budget_default (G_MAXUINT64), ==,
                    G_MAXUINT64 / 4 * 3 + 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/memory-budget/good", test_good);
  g_test_add_func ("/memory-budget/bad", test_bad);
  g_test_add_func ("/memory-budget/default", test_default);
  return g_test_run ();
}
