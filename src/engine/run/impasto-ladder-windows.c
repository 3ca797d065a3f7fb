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

size_t
_impasto_ladder_least_session_bytes (const ImpastoWeights *weights,
                                     const ImpastoSessionConfig *config,
                                     const ImpastoSessionParams *params,
                                     int width,
                                     int height)
{
  ImpastoSessionConfig size = *config;
  size_t whole, tiled;

  size.width = width;
  size.height = height;
  size.tile_window = 0;
  whole = impasto_session_estimate_bytes (weights, &size, params);
  if (size.n_regions > 0)
    return whole;
  size.tile_window = _impasto_session_smallest_window (&size, params);
  tiled = impasto_session_estimate_bytes (weights, &size, params);
  return tiled < whole ? tiled : whole;
}

/* From the final size down: the final size runs most of the iterations, so it gets the largest
 * window that fits beside the size below at that one's smallest; each lower size then gets what
 * the size above it leaves. Every pair of neighbours fits by construction. Fails (without a
 * message the caller keeps) when a size does not fit what is left to it. */
static ImpastoStatus
plan_top_down (const ImpastoWeights *weights,
               size_t room,
               const ImpastoSessionConfig *config,
               const ImpastoSessionParams *params,
               int n,
               const int *widths,
               const int *heights,
               int *windows,
               size_t *most)
{
  size_t above = 0;

  *most = 0;
  for (int k = n - 1; k >= 0; k--)
    {
      ImpastoSessionConfig size = *config;
      ImpastoEngineError error = { 0 };
      size_t reserve = k == n - 1 && n > 1
                       ? _impasto_ladder_least_session_bytes (weights, config, params,
                                                              widths[k - 1], heights[k - 1])
                       : above;
      size_t bytes;
      ImpastoStatus status;

      if (reserve >= room)
        return IMPASTO_STATUS_OUT_OF_MEMORY;
      size.width = widths[k];
      size.height = heights[k];
      size.tile_window = 0;
      status = impasto_session_plan_window (weights, &size, params, room - reserve, &windows[k],
                                            &bytes, &error);
      if (status != IMPASTO_STATUS_OK)
        return status;
      if (above + bytes > *most)
        *most = above + bytes;
      above = bytes;
    }
  return IMPASTO_STATUS_OK;
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

  if (max_bytes > copies
      && plan_top_down (weights, max_bytes - copies, config, params, n, widths, heights, windows,
                        &most) == IMPASTO_STATUS_OK)
    {
      *peak = copies + most;
      return IMPASTO_STATUS_OK;
    }

  /* Whole without a budget; under one that the plan from the top cannot meet, from the bottom
   * up, each size with what the one below leaves: it fails where that one does, and says why. */

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
