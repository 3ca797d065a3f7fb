/* impasto-ladder-windows.h
 *
 * Which sizes of a ladder are painted in tiles, and in which windows, under the run's memory
 * budget (ImpastoLadderConfig.max_bytes, given here as @max_bytes), and what the ladder needs at
 * its peak. For the ladder (impasto-ladder.c) only.
 *
 * While the ladder moves from one size to the next, the session of the size below still exists
 * beside the new one; the ladder's copies of the pictures and its moving buffers are there
 * throughout. So the final size, which runs most of the iterations, is planned first: offered
 * the largest window that fits the budget less those copies and less the size below at its
 * smallest, then less and less, each size below getting what the one above it leaves, and the
 * plan that costs least in time (_impasto_ladder_plan_cost()) stands; sizes that fit whole are
 * whole.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#include "impasto-session.h"

/* Bytes of the ladder's own buffers for @config's final size: its copies of the pictures and
 * the buffers of a move to the final size. */
size_t _impasto_ladder_copies_bytes (const ImpastoSessionConfig *config, int n_sizes);

/* The least a session of @config's run at @width × @height needs: in tiles of the smallest
 * window, or whole when that is less (and always whole with regions). */
size_t _impasto_ladder_least_session_bytes (const ImpastoWeights *weights,
                                            const ImpastoSessionConfig *config,
                                            const ImpastoSessionParams *params,
                                            int width,
                                            int height);

/* What the ladder's plan of @windows for the @n sizes @widths × @heights costs in time, in
 * whole-picture iterations of the final size (the final size runs twenty times the iterations
 * of each size below; a tiled size costs 0.75 times its windows' area over its picture's, at
 * least 1): the measure the plan below is chosen by. */
double _impasto_ladder_plan_cost (const ImpastoSessionConfig *config,
                                  const ImpastoSessionParams *params,
                                  int n,
                                  const int *widths,
                                  const int *heights,
                                  const int *windows);

/* @windows[k] (0: whole) for each of the @n sizes @widths × @heights, smallest first, and
 * @peak, the most the ladder holds at once. Without a budget (max_bytes 0) every size is whole.
 * IMPASTO_STATUS_OUT_OF_MEMORY (or INVALID_ARGUMENT for regions that would need tiles) with a
 * message when a size cannot fit the budget even in tiles. */
ImpastoStatus _impasto_ladder_plan_windows (const ImpastoWeights *weights,
                                            size_t max_bytes,
                                            const ImpastoSessionConfig *config,
                                            const ImpastoSessionParams *params,
                                            int n,
                                            const int *widths,
                                            const int *heights,
                                            int *windows,
                                            size_t *peak,
                                            ImpastoEngineError *error);
