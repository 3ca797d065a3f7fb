/* impasto-ladder-windows.c
 *
 * The tile windows of a ladder's sizes under a memory budget; see the header.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-ladder-windows.h"
#include "impasto-session-private.h"
#include "impasto-tile-grid.h"

size_t
_impasto_ladder_copies_bytes (const ImpastoSessionConfig *config, int n_sizes)
{
  size_t pixels = (size_t) config->width * config->height;
  /* The pictures (content, style, start) and the copy buffers; with a size below, its moments
   * resampled up and the start. */
  size_t bytes = 5 * 3 * pixels * sizeof (float);

  for (int i = 0; i < config->n_paintings; i++)
    bytes += (size_t) 3 * config->paintings[i].width * config->paintings[i].height
             * sizeof (float);
  for (int i = 0; i < config->n_regions; i++)
    bytes += (size_t) config->regions[i].width * config->regions[i].height * sizeof (float);
  if (n_sizes > 1)
    bytes += 3 * 3 * pixels * sizeof (float);
  return bytes;
}

ImpastoStatus
_impasto_ladder_plan_windows (const ImpastoWeights *weights,
                              size_t max_bytes,
                              const ImpastoSessionConfig *config,
                              const ImpastoSessionParams *params,
                              int n,
                              const int *widths,
                              const int *heights,
                              int *windows,
                              size_t *peak,
                              ImpastoEngineError *error)
{
  size_t copies = _impasto_ladder_copies_bytes (config, n), below = 0, most = 0;

  for (int k = 0; k < n; k++)
    {
      ImpastoSessionConfig size = *config;
      size_t bytes;

      size.width = widths[k];
      size.height = heights[k];
      size.tile_window = 0;
      if (max_bytes == 0)
        {
          windows[k] = 0;
          bytes = impasto_session_estimate_bytes (weights, &size, params);
        }
      else
        {
          size_t budget = max_bytes > copies + below
                          ? max_bytes - copies - below : 0;
          ImpastoStatus status = impasto_session_plan_window (weights, &size, params, budget,
                                                              &windows[k], &bytes, error);

          if (status == IMPASTO_STATUS_OUT_OF_MEMORY)
            {
              /* Said for the run: the budget and all it must hold, at the smallest window. */
              size.tile_window = _impasto_session_smallest_window (&size, params);
              bytes = impasto_session_estimate_bytes (weights, &size, params);
              return impasto_engine_error_set (error, status,
                                               "a %d×%d picture needs about %.1f GiB even in "
                                               "tiles, more than the %.1f GiB allowed",
                                               widths[n - 1], heights[n - 1],
                                               (copies + below + bytes) / 1073741824.0,
                                               max_bytes / 1073741824.0);
            }
          if (status != IMPASTO_STATUS_OK)
            return status;
        }
      if (below + bytes > most)
        most = below + bytes;
      below = bytes;
    }
  *peak = copies + most;
  return IMPASTO_STATUS_OK;
}
