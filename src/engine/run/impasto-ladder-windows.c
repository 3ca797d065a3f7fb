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

/* @config's run at @width × @height in windows of @window (0: whole). */
static ImpastoSessionConfig
at_size (const ImpastoSessionConfig *config, int width, int height, int window)
{
  ImpastoSessionConfig size = *config;

  size.width = width;
  size.height = height;
  size.tile_window = window;
  return size;
}

size_t
_impasto_ladder_least_session_bytes (const ImpastoWeights *weights,
                                     const ImpastoSessionConfig *config,
                                     const ImpastoSessionParams *params,
                                     int width,
                                     int height)
{
  ImpastoSessionConfig size = at_size (config, width, height, 0);
  size_t whole, tiled;

  whole = impasto_session_estimate_bytes (weights, &size, params);
  if (size.n_regions > 0)
    return whole;
  size.tile_window = _impasto_session_smallest_window (&size, params);
  tiled = impasto_session_estimate_bytes (weights, &size, params);
  return tiled < whole ? tiled : whole;
}

/* The work of one iteration at @width × @height in windows of @window (0: whole) against the
 * whole picture's, as impasto-bench measured it: in tiles each window runs forward twice and
 * backward once over its halo too, 0.75 times the windows' area over the picture's (2048 × 1536:
 * 3 × 3 windows of 848 cost 1.50 times the whole picture, 7 × 5 of 496 2.17 times); never less
 * than the whole picture's. A window costs at least what one of WINDOW_FLOOR a side does: a
 * window's pass has fixed costs per layer that small windows do not shrink (1448 × 1086 in
 * 26 × 19 windows of 248 took about 30 times the whole picture, not the 15 their area says). */
#define WINDOW_FLOOR 512
static double
size_cost (const ImpastoSessionConfig *config,
           const ImpastoSessionParams *params,
           int width,
           int height,
           int window)
{
  ImpastoSessionConfig size = at_size (config, width, height, window);
  ImpastoTileGrid grid;
  double area, cost;

  if (!_impasto_session_tile_grid (&size, params, &grid))
    return 1.0;
  {
    int side = window > WINDOW_FLOOR ? window : WINDOW_FLOOR;

    area = (double) grid.x.n * (side < width ? side : width)
           * grid.y.n * (side < height ? side : height);
  }
  cost = 0.75 * area / ((double) width * height);
  return cost > 1.0 ? cost : 1.0;
}

/* The plan's time, in whole-picture iterations of the final size: the final size runs twenty
 * times the iterations of each size below (the ladder's default budgets), each in proportion to
 * its pixels and size_cost(). */
double
_impasto_ladder_plan_cost (const ImpastoSessionConfig *config,
                           const ImpastoSessionParams *params,
                           int n,
                           const int *widths,
                           const int *heights,
                           const int *windows)
{
  double final_pixels = (double) widths[n - 1] * heights[n - 1];
  double total = 0.0;

  for (int k = 0; k < n; k++)
    total += (k == n - 1 ? 20.0 : 1.0) * (double) widths[k] * heights[k] / final_pixels
             * size_cost (config, params, widths[k], heights[k], windows[k]);
  return total;
}

/* One plan from the final size down, the final size's session given at most @final_cap bytes:
 * the final size gets the largest window that fits beside the size below at that one's
 * smallest (and @final_cap); each lower size then gets what the size above it leaves, with
 * @halve_lower no more than half the room below the size under the final one (so that a size
 * given much does not leave the next one little, and the sizes alternate between large and
 * small windows). Every pair of neighbours fits by construction. Fails when a size does not
 * fit what is left to it. */
static ImpastoStatus
plan_down_once (const ImpastoWeights *weights,
                size_t room,
                size_t final_cap,
                bool halve_lower,
                const ImpastoSessionConfig *config,
                const ImpastoSessionParams *params,
                int n,
                const int *widths,
                const int *heights,
                int *windows,
                size_t *final_bytes,
                size_t *most)
{
  size_t above = 0;

  *most = 0;
  for (int k = n - 1; k >= 0; k--)
    {
      ImpastoSessionConfig size = at_size (config, widths[k], heights[k], 0);
      ImpastoEngineError error = { 0 };
      size_t reserve = k == n - 1 && n > 1
                       ? _impasto_ladder_least_session_bytes (weights, config, params,
                                                              widths[k - 1], heights[k - 1])
                       : above;
      size_t budget;
      size_t bytes;
      ImpastoStatus status;

      if (reserve >= room)
        return IMPASTO_STATUS_OUT_OF_MEMORY;
      budget = room - reserve;
      if (k == n - 1 && budget > final_cap)
        budget = final_cap;
      if (halve_lower && k < n - 2 && budget > room / 2)
        budget = room / 2;
      status = impasto_session_plan_window (weights, &size, params, budget, &windows[k], &bytes,
                                            &error);
      if (status != IMPASTO_STATUS_OK)
        return status;
      if (k == n - 1)
        *final_bytes = bytes;
      if (above + bytes > *most)
        *most = above + bytes;
      above = bytes;
    }
  return IMPASTO_STATUS_OK;
}

/* The final size runs most of the iterations, so it is planned first, with the largest window
 * that leaves room for the sizes below; but a final size given too much can leave the size below
 * it only the smallest windows, whose halos cost more than the final size's larger window saves.
 * So the final size is offered less and less (a window step at a time), and the plan whose time
 * (plan_cost()) is least stands. */
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
  size_t final_cap = room, final_bytes = 0, best_cap = 0;
  double best = 0.0;
  bool planned = false;
  double below_least = 0.0;
  bool best_halve = false;

  for (int k = 0; k < n - 1; k++)
    below_least += (double) widths[k] * heights[k] / ((double) widths[n - 1] * heights[n - 1]);

  for (int trial = 0; trial < 256; trial++)
    {
      size_t next_cap = 0;
      bool any = false;

      /* Each way of sharing the room below the final size, for this offer to the final size. */
      for (int halve = 0; halve <= 1; halve++)
        {
          double cost;

          if (plan_down_once (weights, room, final_cap, halve, config, params, n, widths,
                              heights, windows, &final_bytes, most) != IMPASTO_STATUS_OK)
            continue;
          any = true;
          next_cap = final_bytes;
          cost = _impasto_ladder_plan_cost (config, params, n, widths, heights, windows);
          if (!planned || cost < best)
            {
              best = cost;
              best_cap = final_cap;
              best_halve = halve;
            }
          planned = true;
        }
      /* The final size's share alone only grows as it is offered less: once it is past the best
       * plan's time, with the sizes below at their cheapest, no later plan can be better. */
      if (!any || next_cap == 0 || n == 1
          || 20.0 * size_cost (config, params, widths[n - 1], heights[n - 1], windows[n - 1])
             + below_least >= best)
        break;
      final_cap = next_cap - 1;
    }
  if (!planned)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  return plan_down_once (weights, room, best_cap, best_halve, config, params, n, widths, heights,
                         windows, &final_bytes, most);
}

/* From the smallest size up, each with what the one below leaves (whole without a budget): it
 * fails where a size does not fit even in tiles, and says why. */
static ImpastoStatus
plan_bottom_up (const ImpastoWeights *weights,
                size_t max_bytes,
                size_t copies,
                const ImpastoSessionConfig *config,
                const ImpastoSessionParams *params,
                int n,
                const int *widths,
                const int *heights,
                int *windows,
                size_t *most,
                ImpastoEngineError *error)
{
  size_t below = 0;

  *most = 0;
  for (int k = 0; k < n; k++)
    {
      ImpastoSessionConfig size = at_size (config, widths[k], heights[k], 0);
      size_t bytes;

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
      if (below + bytes > *most)
        *most = below + bytes;
      below = bytes;
    }
  return IMPASTO_STATUS_OK;
}

/* More than a ladder has (IMPASTO_LADDER_MAX_SIZES, which this file does not include: the
 * ladder includes it); a longer one is planned from the top only. */
#define MAX_PLANNED_SIZES 64

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
  size_t copies = _impasto_ladder_copies_bytes (config, n), most = 0, up_most = 0;
  int up[MAX_PLANNED_SIZES];
  ImpastoEngineError up_error = { 0 };

  if (max_bytes > copies
      && plan_top_down (weights, max_bytes - copies, config, params, n, widths, heights, windows,
                        &most) == IMPASTO_STATUS_OK)
    {
      /* The plan from the smallest size up is the other way to share the budget: kept when it
       * costs less time. */
      if (n <= MAX_PLANNED_SIZES
          && plan_bottom_up (weights, max_bytes, copies, config, params, n, widths, heights, up,
                             &up_most, &up_error) == IMPASTO_STATUS_OK
          && _impasto_ladder_plan_cost (config, params, n, widths, heights, up)
             < _impasto_ladder_plan_cost (config, params, n, widths, heights, windows))
        {
          for (int k = 0; k < n; k++)
            windows[k] = up[k];
          most = up_most;
        }
      *peak = copies + most;
      return IMPASTO_STATUS_OK;
    }

  /* Whole without a budget; under one that the plan from the top cannot meet, from the bottom
   * up: it fails where that one does, and says why. */
  {
    ImpastoStatus status = plan_bottom_up (weights, max_bytes, copies, config, params, n, widths,
                                           heights, windows, &most, error);

    if (status != IMPASTO_STATUS_OK)
      return status;
  }
  *peak = copies + most;
  return IMPASTO_STATUS_OK;
}
