/* impasto-memory-budget.c
 *
 * Reading a memory budget (see impasto-memory-budget.h). The number is read by hand (digits with
 * at most one decimal point) rather than by strtod alone, so that signs, exponents, "inf", "nan"
 * and hexadecimal are refused as what they are here: not a size.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-memory-budget"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "impasto-memory-budget.h"

typedef struct
{
  const char *name;   /* lower case, compared without case */
  int shift;          /* bytes = number << shift */
} Unit;

static const Unit units[] = {
  { "", 0 }, { "b", 0 },
  { "k", 10 }, { "kb", 10 }, { "kib", 10 },
  { "m", 20 }, { "mb", 20 }, { "mib", 20 },
  { "g", 30 }, { "gb", 30 }, { "gib", 30 },
  { "t", 40 }, { "tb", 40 }, { "tib", 40 },
};

gboolean
impasto_memory_budget_parse (const char  *text,
                             guint64     *bytes,
                             GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *number_text = NULL;
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;
  const char *p;
  const char *unit_text;
  int digits = 0;
  int points = 0;
  int shift = -1;
  double value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));

  for (p = copy; g_ascii_isdigit (*p) || *p == '.'; p++)
    {
      if (*p == '.')
        points++;
      else
        digits++;
    }
  if (digits == 0 || points > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a size such as 6G, 1.5G or 800M"), text);
      return FALSE;
    }
  number_text = g_strndup (copy, p - copy);

  unit_text = p;
  while (*unit_text == ' ')
    unit_text++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit_text, units[i].name) == 0)
      {
        shift = units[i].shift;
        break;
      }
  if (shift < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” has an unknown unit “%s” (use K, M, G or T: 1024 bytes, 1024 K, "
                     "1024 M, 1024 G)"), text, unit_text);
      return FALSE;
    }

  /* Checked above: digits and one point at most, which g_ascii_strtod reads whole. */
  value = ldexp (g_ascii_strtod (number_text, NULL), shift);
  min_text = g_format_size_full (IMPASTO_MEMORY_BUDGET_MIN, G_FORMAT_SIZE_IEC_UNITS);
  max_text = g_format_size_full (IMPASTO_MEMORY_BUDGET_MAX, G_FORMAT_SIZE_IEC_UNITS);
  if (!(value >= (double) IMPASTO_MEMORY_BUDGET_MIN))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is less than %s, the smallest budget"), text, min_text);
      return FALSE;
    }
  if (!(value <= (double) IMPASTO_MEMORY_BUDGET_MAX))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is more than %s, the largest budget"), text, max_text);
      return FALSE;
    }

  *bytes = (guint64) floor (value + 0.5);
  return TRUE;
}

guint64
impasto_memory_budget_default (guint64 memory)
{
  /* 3/4 without overflow near G_MAXUINT64. */
  return memory / 4 * 3 + memory % 4 * 3 / 4;
}
