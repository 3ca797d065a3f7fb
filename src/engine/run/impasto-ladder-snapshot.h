/* impasto-ladder-snapshot.h
 *
 * Snapshots of a run: a ladder frozen between two steps, written to a file
 * (impasto-snapshot-format.h), and a ladder made to continue from one. Continuing from a
 * snapshot taken after step k gives the steps k + 1, k + 2, ... of the original run bit for bit
 * (with the same number of threads): the snapshot holds the size being painted and the ladder's
 * counters (steps, budget steps, the convergence window), the picture at that size, the
 * gradient and losses the next step reuses, and the optimiser's state: Adam's m, v and t, or the
 * L-BFGS pairs (s, y, rho; nothing else outlives an L-BFGS step). No random numbers are drawn
 * after the start (the noise is the start's only), so there is no generator state.
 *
 * What a snapshot does not hold: the targets (the content features and the paintings' Gram
 * matrices). They are recomputed from the inputs when continuing, so the ladder that continues
 * must be made from the same pictures (photo, paintings with their brush sizes, regions, start),
 * the same model and the same configuration (sizes, tiles, optimiser, pooling). The snapshot
 * carries a fingerprint of these (the sizes, the settings, checksums of the model and of the
 * inputs) and is refused, saying what differs, when the ladder's does not match.
 *
 * The parameters that may change while a run goes on (impasto_ladder_set_params()) may also
 * change when it is continued: that is a branch, and its first step is the one the original run
 * would have taken had they been set live at that point (an L-BFGS history is forgotten, as it
 * is then: the loss is another function).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-ladder.h"
#include "impasto-status.h"

/* Writes where @ladder is to @path (atomically: a temporary file renamed over it). Call it
 * between two steps. */
ImpastoStatus impasto_ladder_snapshot_write (ImpastoLadder *ladder,
                                             const char *path,
                                             ImpastoEngineError *error);

/* Makes @ladder, made with impasto_ladder_new() from the same inputs and configuration as the
 * snapshotted run, continue from the snapshot at @path: its size, picture, optimiser, counters,
 * budgets and last size become the snapshot's (impasto_ladder_set_iterations() and
 * impasto_ladder_set_last_scale() may change the last two afterwards), and the targets of that
 * size are computed. @params (NULL: the snapshot's)
 * are the parameters to continue with, as if set with impasto_ladder_set_params() right after
 * the snapshot was taken. A snapshot that is damaged, of another version or of another run is
 * refused with a message saying so; on any error the ladder is unchanged. */
ImpastoStatus impasto_ladder_snapshot_read (ImpastoLadder *ladder,
                                            const char *path,
                                            const ImpastoSessionParams *params,
                                            ImpastoEngineError *error);
