/* impasto-window-memory.c
 *
 * The Memory Limit row: Automatic (three quarters of this computer's memory, said with its
 * size), then limits from 1 GiB up to this computer's memory, bound both ways to the
 * `max-memory` parameter (GiB; 0 is Automatic). A limit set elsewhere (dconf, the CLI's habits)
 * that is not among them is listed in its place, so that showing the row never changes it.
 *
 * It does not plan tiles nor say what a size needs (impasto-window-estimate.c does), and the
 * limit reaches a run through the parameters (impasto_params_get_max_bytes()).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-memory"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-memory-budget.h"
#include "impasto-run-estimate.h"
#include "impasto-window-private.h"

#define GIB ((double) (G_GUINT64_CONSTANT (1) << 30))

/* The limits offered, in GiB: about √2 apart, as memory is sold. */
static const double memory_limits[] = {
  1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024,
};

static gboolean
max_memory_to_selected (GBinding     *binding,
                        const GValue *from_value,
                        GValue       *to_value,
                        gpointer      user_data)
{
  ImpastoWindow *self = user_data;
  double wanted = g_value_get_double (from_value);
  guint selected = 0;

  /* The largest choice not above the limit: exact for every value the list was made with. */
  for (guint i = 1; i < self->memory_limits->len; i++)
    if (g_array_index (self->memory_limits, double, i) <= wanted + 1e-9)
      selected = i;
  if (wanted <= 0.0)
    selected = 0;
  g_value_set_uint (to_value, selected);
  return TRUE;
}

static gboolean
selected_to_max_memory (GBinding     *binding,
                        const GValue *from_value,
                        GValue       *to_value,
                        gpointer      user_data)
{
  ImpastoWindow *self = user_data;
  guint selected = g_value_get_uint (from_value);

  if (selected >= self->memory_limits->len)
    return FALSE;
  g_value_set_double (to_value, g_array_index (self->memory_limits, double, selected));
  return TRUE;
}

static char *
format_gib (double gib)
{
  return g_format_size_full ((guint64) (gib * GIB), G_FORMAT_SIZE_IEC_UNITS);
}

static void
append_limit (ImpastoWindow *self,
              GtkStringList *labels,
              double         gib)
{
  g_autofree char *label = format_gib (gib);

  g_array_append_val (self->memory_limits, gib);
  gtk_string_list_append (labels, label);
}

void
_impasto_window_memory_init (ImpastoWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint64 memory = impasto_run_estimate_available_memory ();
  guint64 automatic = impasto_memory_budget_default (memory);
  double current;
  gboolean listed = FALSE;
  double zero = 0.0;

  g_object_get (self->params, "max-memory", &current, NULL);
  self->memory_limits = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_val (self->memory_limits, zero);
  if (automatic > 0)
    {
      g_autofree char *size = g_format_size_full (automatic, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: the memory limit's default choice, with the size it stands for:
       * "Automatic (18.0 GiB)". */
      g_autofree char *label = g_strdup_printf (_("Automatic (%s)"), size);

      gtk_string_list_append (labels, label);
    }
  else
    gtk_string_list_append (labels, C_("memory limit", "Automatic"));

  for (guint i = 0; i < G_N_ELEMENTS (memory_limits); i++)
    {
      gboolean is_current = current > 0.0 && ABS (current - memory_limits[i]) < 1e-9;

      /* The current limit, in its place, when it is not one of the choices. */
      if (!listed && current > 0.0 && current < memory_limits[i] - 1e-9)
        {
          append_limit (self, labels, current);
          listed = TRUE;
        }
      /* No more than this computer has (all of them when that cannot be told). */
      if (is_current || memory == 0 || memory_limits[i] * GIB <= (double) memory)
        append_limit (self, labels, memory_limits[i]);
      listed = listed || is_current;
    }
  if (!listed && current > 0.0)
    append_limit (self, labels, current);

  adw_combo_row_set_model (self->memory_row, G_LIST_MODEL (labels));
  g_object_bind_property_full (self->params, "max-memory", self->memory_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               max_memory_to_selected, selected_to_max_memory, self, NULL);
}
