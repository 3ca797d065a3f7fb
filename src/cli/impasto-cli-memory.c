/* impasto-cli-memory.c
 *
 * The memory budget of an impasto-cli run; see impasto-cli-memory.h. Sizes are said in binary
 * units ("6.0 GiB"), as the budget is written.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-cli-memory.h"
#include "impasto-memory-budget.h"
#include "impasto-run-estimate.h"

static char *
format_bytes (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

gboolean
impasto_cli_memory_parse (CliMemory   *memory,
                          const char  *text,
                          GError     **error)
{
  memory->tiles_x = 1;
  memory->tiles_y = 1;
  memory->estimate = 0;
  memory->given = text != NULL;
  if (text == NULL)
    {
      memory->budget = impasto_memory_budget_default (impasto_run_estimate_available_memory ());
      return TRUE;
    }

  if (!impasto_memory_budget_parse (text, &memory->budget, error))
    {
      g_prefix_error (error, "%s: ", "--max-memory");
      return FALSE;
    }
  return TRUE;
}

ImpastoStatus
impasto_cli_memory_plan (CliMemory                  *memory,
                         const ImpastoWeights       *weights,
                         ImpastoLadderConfig        *ladder_config,
                         const ImpastoSessionConfig *config,
                         const ImpastoSessionParams *params,
                         char                      **message)
{
  ImpastoEngineError engine_error = { 0 };
  ImpastoStatus status;
  size_t bytes = 0;
  int n_x = 1;
  int n_y = 1;

  ladder_config->max_bytes = memory->budget > G_MAXSIZE ? G_MAXSIZE : (size_t) memory->budget;
  status = impasto_ladder_plan_tiles (weights, ladder_config, config, params, &n_x, &n_y, &bytes,
                                      &engine_error);
  if (status == IMPASTO_STATUS_OK)
    {
      memory->tiles_x = n_x;
      memory->tiles_y = n_y;
      memory->estimate = bytes;
      *message = NULL;
      return status;
    }

  if (status == IMPASTO_STATUS_OUT_OF_MEMORY)
    {
      guint64 needed = impasto_run_estimate_least_budget (weights, ladder_config, config, params);
      g_autofree char *budget_text = format_bytes (memory->budget);
      g_autofree char *needed_text = needed > 0 ? format_bytes (needed) : NULL;

      if (needed == 0)
        /* Not even under the largest budget: the engine's own words carry the estimate. */
        *message = g_strdup_printf (_("%s; choose a smaller --size"), engine_error.message);
      else if (memory->given)
        *message = g_strdup_printf (_("a %d × %d picture needs about %s even in tiles, more "
                                      "than the %s allowed; choose a smaller --size or a larger "
                                      "--max-memory"), config->width, config->height,
                                    needed_text, budget_text);
      else
        *message = g_strdup_printf (_("a %d × %d picture needs about %s even in tiles, more "
                                      "than the %s allowed by default (three quarters of this "
                                      "computer's memory); choose a smaller --size, or allow "
                                      "more with --max-memory"), config->width, config->height,
                                    needed_text, budget_text);
      return status;
    }

  if (status == IMPASTO_STATUS_INVALID_ARGUMENT && config->n_regions > 0)
    {
      /* The whole run's estimate: the engine's words give the share of the budget left to the
       * size's own work instead. */
      ImpastoLadderConfig whole = *ladder_config;
      g_autofree char *budget_text = format_bytes (memory->budget);
      g_autofree char *needed_text = NULL;

      whole.max_bytes = 0;
      needed_text = format_bytes (impasto_ladder_estimate_bytes (weights, &whole, config, params));
      *message = g_strdup_printf (_("a %d × %d picture with regions needs about %s, more than "
                                    "the %s allowed, and regions are not painted in tiles; "
                                    "choose a smaller --size or a larger --max-memory"),
                                  config->width, config->height, needed_text, budget_text);
      return status;
    }

  *message = g_strdup (engine_error.message);
  return status;
}

char *
impasto_cli_memory_describe (const CliMemory *memory,
                             int              width,
                             int              height)
{
  g_autofree char *budget_text = NULL;
  g_autofree char *estimate_text = NULL;

  if (memory->budget == 0)
    return NULL;

  budget_text = format_bytes (memory->budget);
  estimate_text = format_bytes (memory->estimate);
  if (memory->tiles_x * memory->tiles_y > 1)
    return g_strdup_printf (_("memory budget %s: %d × %d in %d × %d tiles, about %s"),
                            budget_text, width, height, memory->tiles_x, memory->tiles_y,
                            estimate_text);
  return g_strdup_printf (_("memory budget %s: %d × %d whole, about %s"), budget_text, width,
                          height, estimate_text);
}
