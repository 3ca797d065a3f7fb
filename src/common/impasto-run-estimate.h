/* impasto-run-estimate.h
 *
 * What a run will cost before it starts, for the window and the CLI alike: the memory it needs
 * against what this computer has, and the time an iteration takes on this computer.
 *
 * The time comes from this machine's own speed, kept as seconds per nominal GFLOP (the
 * multiply-adds x 2 of one VGG19 forward pass up to the deepest layer in use; an iteration is a
 * forward and a backward pass, whatever kernels do them) for this CPU model, thread count and
 * optimiser, in a small key file in $XDG_CACHE_HOME/impasto/. A short calibration (a few real
 * iterations at a small size) measures it the first time; every real run then refines it.
 *
 * It deliberately neither schedules the calibration nor formats text: the caller runs
 * impasto_run_speed_calibrate() on a thread of its own, and says "about" in its own words.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-ladder.h"
#include "impasto-session.h"
#include "impasto-weights.h"

G_BEGIN_DECLS

/* Memory ------------------------------------------------------------------------------------- */

/* Physical memory of this computer in bytes; 0 when it cannot be told. */
guint64  impasto_run_estimate_available_memory (void);

/* Sets *@needed (may be NULL) to the bytes a session of @config (its width and height) and
 * @params allocates, and *@available (may be NULL) to impasto_run_estimate_available_memory().
 * Returns FALSE when the run is known not to fit. */
gboolean impasto_run_estimate_memory           (const ImpastoWeights        *weights,
                                                const ImpastoSessionConfig *config,
                                                const ImpastoSessionParams *params,
                                                guint64                     *needed,
                                                guint64                     *available);

/* As impasto_run_estimate_memory() for a ladder of sizes to @config's (its peak: the final
 * size's session beside the one below it, and the pictures). */
gboolean impasto_run_estimate_ladder_memory    (const ImpastoWeights        *weights,
                                                const ImpastoLadderConfig  *ladder_config,
                                                const ImpastoSessionConfig *config,
                                                const ImpastoSessionParams *params,
                                                guint64                     *needed,
                                                guint64                     *available);

/* What a run that does not fit @ladder_config's budget (max_bytes) needs even in tiles: the
 * peak estimate under the smallest budget the engine can plan it in. 0 when not even the largest
 * budget (IMPASTO_MEMORY_BUDGET_MAX) does. */
guint64  impasto_run_estimate_least_budget     (const ImpastoWeights        *weights,
                                                const ImpastoLadderConfig  *ladder_config,
                                                const ImpastoSessionConfig *config,
                                                const ImpastoSessionParams *params);

/* Time --------------------------------------------------------------------------------------- */

/* The deepest layer @params uses (content or style); -1 when none is on. */
int      impasto_run_estimate_deepest_layer    (const ImpastoSessionParams *params);

/* Nominal GFLOP of one forward pass to conv @deepest at @width x @height with @weights'
 * channels: the unit the speed is kept in. 0 when @deepest < 0. */
double   impasto_run_estimate_gflop            (const ImpastoWeights *weights,
                                                int                   deepest,
                                                int                   width,
                                                int                   height);

/* The engine's thread count for a request of @threads (0: all cores), as impasto_set_threads()
 * resolves it. */
int      impasto_run_estimate_threads          (int threads);

/* Where the speed is kept: $XDG_CACHE_HOME/impasto/speed.ini. */
char    *impasto_run_speed_default_path        (void);

/* Seconds per nominal GFLOP stored at @path (NULL: the default) for this CPU, @threads (as
 * resolved) and @optimizer; an L-BFGS run not measured yet falls back to Adam's speed. 0 when
 * nothing usable is stored (no file, a corrupt one, no entry, a value that is not a positive
 * finite number): then calibrate. */
double   impasto_run_speed_lookup              (const char       *path,
                                                ImpastoOptimizer  optimizer,
                                                int               threads);

/* Folds one measurement (seconds per nominal GFLOP) into the stored speed: an exponential
 * average that gives the newest run half the weight, or the measurement itself when nothing
 * usable was stored. A corrupt file is replaced. Returns the speed now stored, or 0 (with
 * @error set) when it could not be written. */
double   impasto_run_speed_record              (const char        *path,
                                                ImpastoOptimizer   optimizer,
                                                int                threads,
                                                double             seconds_per_gflop,
                                                GError           **error);

/* A measurement from a finished or stopped run: @seconds_per_iteration at @gflop a pass.
 * Returns impasto_run_speed_record()'s result, or 0 when the numbers are not usable. */
double   impasto_run_speed_record_run          (const char        *path,
                                                ImpastoOptimizer   optimizer,
                                                int                threads,
                                                double             seconds_per_iteration,
                                                double             gflop,
                                                GError           **error);

/* Engine work (call it from a worker thread, never the main loop): a few Adam iterations of a
 * real session at a small size with @weights and the default layers, on @threads (as resolved,
 * set with impasto_set_threads()), timed after a warm-up. Returns seconds per nominal GFLOP, or
 * 0 when the session could not be made (out of memory) or @should_stop said so. */
double   impasto_run_speed_calibrate           (const ImpastoWeights *weights,
                                                int                   threads,
                                                ImpastoShouldStop     should_stop,
                                                void                 *should_stop_data);

/* @seconds_per_gflop x @gflop: the estimated seconds of one iteration; 0 when either is 0. */
double   impasto_run_estimate_seconds          (double seconds_per_gflop,
                                                double gflop);

/* The seconds a ladder of sizes up to @width x @height takes at most (each size its whole budget,
 * an iteration at @seconds_per_gflop), stopping at the largest size whose longest side is at
 * most @last_side (0: the final size): the preview's time. 0 when the speed is not known. */
double   impasto_run_estimate_ladder_seconds   (const ImpastoWeights       *weights,
                                                int                         deepest,
                                                const ImpastoLadderConfig *ladder_config,
                                                int                         width,
                                                int                         height,
                                                int                         last_side,
                                                double                      seconds_per_gflop);

/* This CPU's model as /proc/cpuinfo names it (the first "model name"), "unknown CPU" when it
 * does not; read once. The speed store keeps a speed per CPU model; the benchmarks print it. */
const char *impasto_run_estimate_cpu_model (void);

G_END_DECLS
