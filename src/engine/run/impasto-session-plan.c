/* impasto-session-plan.c
 *
 * The tile window of a session under a memory budget (impasto_session_plan_window()): whole when
 * the estimate fits, else the largest window that fits, by bisection over windows in steps of
 * 16 from the smallest a grid can be planned with. It only estimates: it allocates nothing and
 * creates no session.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-session-private.h"

ImpastoStatus
impasto_session_plan_window (const ImpastoWeights *weights,
                             const ImpastoSessionConfig *config,
                             const ImpastoSessionParams *params,
                             size_t budget,
                             int *tile_window,
                             size_t *bytes,
                             ImpastoEngineError *error)
{
  ImpastoSessionConfig tiled = *config;
  int deepest = impasto_session_params_deepest_layer (params);
  int longest = config->width > config->height ? config->width : config->height;
  int smallest, low, high;
  size_t estimate;

  *tile_window = 0;
  tiled.tile_window = 0;
  estimate = impasto_session_estimate_bytes (weights, &tiled, params);
  if (bytes != NULL)
    *bytes = estimate;
  if (estimate <= budget || deepest < 0)
    return IMPASTO_STATUS_OK;
  if (config->n_regions > 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%d×%d needs about %.1f GiB whole, more than the %.1f GiB "
                                     "allowed, and regions are not painted in tiles",
                                     config->width, config->height, estimate / 1073741824.0,
                                     budget / 1073741824.0);
  smallest = _impasto_session_smallest_window (config, params);
  tiled.tile_window = smallest;
  estimate = impasto_session_estimate_bytes (weights, &tiled, params);
  if (smallest >= longest || estimate > budget)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                     "%d×%d needs about %.1f GiB even in tiles, more than the "
                                     "%.1f GiB allowed", config->width, config->height,
                                     estimate / 1073741824.0, budget / 1073741824.0);
  /* The estimate grows with the window: the largest that fits, by bisection in steps of 16. */
  low = smallest / 16;
  high = (longest - 1) / 16;
  while (low < high)
    {
      int middle = (low + high + 1) / 2;

      tiled.tile_window = middle * 16;
      if (impasto_session_estimate_bytes (weights, &tiled, params) <= budget)
        low = middle;
      else
        high = middle - 1;
    }
  *tile_window = low * 16;
  tiled.tile_window = *tile_window;
  if (bytes != NULL)
    *bytes = impasto_session_estimate_bytes (weights, &tiled, params);
  return IMPASTO_STATUS_OK;
}
