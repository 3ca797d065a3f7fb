/* impasto-ladder.h
 *
 * A ladder of sizes: the picture painted coarse to fine (Gatys et al. 2017, §6). It owns one
 * ImpastoSession at a time, the flat run at one size, and climbs from the smallest size to the
 * final one. At each size the photo and the painting are resampled from the final size (so the
 * painting's strokes keep their proportion to the picture), the session computes that size's
 * targets, the picture starts from the previous size's result resampled up
 * (IMPASTO_INIT_IMAGE), and Adam's moments follow it (resampled, and scaled as the gradients
 * scale: a pixel's gradient of a mean over P pixels goes as 1 / P, so m is multiplied by
 * P_old / P_new and v by its square; then impasto_adam_import() keeps v consistent with m, and t
 * is carried); an L-BFGS history belongs to its size and starts afresh.
 *
 * The sizes: with L the final size's longest side, size j counted down from the final one has
 * longest side L_j = round(L / 2^(j/2)) and the other side round(other * L_j / L); sizes are
 * taken for j = 0, 1, ... while L_j >= min_side and the network accepts the size (both sides at
 * least 16), at most max_sizes of them (the largest ones). The final size is always on the
 * ladder, so a final size below min_side, or max_sizes 1, gives a one-size ladder: exactly the
 * flat run (the session is created with the caller's config untouched).
 *
 * Each size runs until its budget is spent or it has converged: after step i of a size
 * (i >= window), it has converged when |L_i - L_(i-window)| < tolerance * |L_(i-window)|, L_i
 * being the loss after that size's i-th step and L_0 that of its first image (a parameter change
 * starts the count again from the image it found: the loss is another function from there).
 * Tolerance 0 never stops early. The budgets come from the final size's
 * (impasto_ladder_config_set_budgets()).
 *
 * One thread drives the ladder, as a session: the worker calls impasto_ladder_step() and, when
 * impasto_ladder_size_done() says so, impasto_ladder_advance(), until impasto_ladder_done().
 * Between calls it may change the parameters, restart at the smallest size, or move the size
 * to stop at (a preview, then "continue up the ladder" by raising it again). Memory is planned
 * per size: moving to a size allocates that size's session and buffers; a step allocates nothing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-session.h"

#define IMPASTO_LADDER_MAX_SIZES 24

typedef struct _ImpastoLadder ImpastoLadder;

typedef struct
{
  int min_side;          /* longest side of the smallest size, 128 (at least 16) */
  int max_sizes;         /* at most this many sizes, 1 .. IMPASTO_LADDER_MAX_SIZES (1: flat) */
  int iterations;        /* budget of the final size, >= 0 */
  int middle_iterations; /* budget of each size between the smallest and the final, >= 0 */
  int first_iterations;  /* budget of the smallest size when there are several, >= 0 */
  double tolerance;      /* relative change that counts as converged; 0: run every budget */
  int window;            /* steps over which the change is measured, >= 1 */
  /* The run's memory budget in bytes; 0: none, every size whole. With one, a size that does not
   * fit it whole is painted in tiles (ImpastoSessionConfig.tile_window, the largest window that
   * fits), and a run that cannot fit even in tiles is refused before anything large is
   * allocated. */
  size_t max_bytes;
} ImpastoLadderConfig;

/* min_side 128, max_sizes IMPASTO_LADDER_MAX_SIZES, the budgets of 1000 iterations at the final
 * size (impasto_ladder_config_set_budgets()), tolerance 0, window 10. */
void impasto_ladder_config_init_default (ImpastoLadderConfig *config);

/* The budgets from the final size's, @iterations = N: the final size N, each size between
 * ceil(N / 20), the smallest ceil(N / 10). Chosen with impasto-ladderbench (README, Benchmarks):
 * against 1000 flat steps at 512 × 512, L-BFGS with these reached the flat run's loss in 0.08 of
 * its time, one step into the final size; with a quarter and a half the sizes below the final
 * one alone took more than a fifth of it. */
void impasto_ladder_config_set_budgets (ImpastoLadderConfig *config, int iterations);

/* The sizes for a final size, smallest first: their count (0 for values out of range), and
 * @widths / @heights (IMPASTO_LADDER_MAX_SIZES entries each, may be NULL). */
int impasto_ladder_plan_sizes (int final_width,
                               int final_height,
                               int min_side,
                               int max_sizes,
                               int *widths,
                               int *heights);

/* Checks the ladder's own values, naming the one that is wrong. */
ImpastoStatus impasto_ladder_config_validate (const ImpastoLadderConfig *config,
                                              ImpastoEngineError *error);

/* Bytes the ladder needs at its peak: while it moves to a size, the session of the size below
 * still exists beside the new one's; plus its copies of the pictures. With a budget, the sizes
 * that need tiles are counted in their tiles; a run that cannot fit even in tiles gives 0
 * (impasto_ladder_plan_tiles() says why). */
size_t impasto_ladder_estimate_bytes (const ImpastoWeights *weights,
                                      const ImpastoLadderConfig *ladder_config,
                                      const ImpastoSessionConfig *config,
                                      const ImpastoSessionParams *params);

/* @config describes the final size (its pictures at that size; they are copied). Creates the
 * session of the smallest size (its targets and first image). @weights must outlive the ladder. */
ImpastoStatus impasto_ladder_new (ImpastoLadder **out,
                                  const ImpastoWeights *weights,
                                  const ImpastoLadderConfig *ladder_config,
                                  const ImpastoSessionConfig *config,
                                  const ImpastoSessionParams *params,
                                  ImpastoShouldStop should_stop,
                                  void *should_stop_data,
                                  ImpastoEngineError *error);

void impasto_ladder_free (ImpastoLadder *ladder);

/* The budget of size @scale of a ladder of @n_sizes under @config (the smallest size's, a middle
 * size's or the final size's). */
int impasto_ladder_config_get_budget (const ImpastoLadderConfig *config, int n_sizes, int scale);

/* Work left, in steps of size @scale: the rest of its budget after @steps (counted against that
 * budget), then each size above it up to @last_scale at its whole budget, a step there counted in
 * proportion to its pixels. An upper bound, as a size may converge early; the sizes as
 * impasto_ladder_plan_sizes() gives them. */
double impasto_ladder_plan_work_left (const ImpastoLadderConfig *config,
                                      int n_sizes,
                                      const int *widths,
                                      const int *heights,
                                      int scale,
                                      int steps,
                                      int last_scale);

/* For the final size under @ladder_config's budget: the tile grid (1 × 1 when whole) and the
 * ladder's peak estimate. IMPASTO_STATUS_OUT_OF_MEMORY with a message that gives the estimate
 * when even tiles cannot fit; IMPASTO_STATUS_INVALID_ARGUMENT when regions would need tiles. */
ImpastoStatus impasto_ladder_plan_tiles (const ImpastoWeights *weights,
                                         const ImpastoLadderConfig *ladder_config,
                                         const ImpastoSessionConfig *config,
                                         const ImpastoSessionParams *params,
                                         int *n_x,
                                         int *n_y,
                                         size_t *bytes,
                                         ImpastoEngineError *error);

/* The current size's tiles: 1 × 1 when it is painted whole. */
void impasto_ladder_get_tiles (const ImpastoLadder *ladder, int *n_x, int *n_y);

int impasto_ladder_get_n_sizes (const ImpastoLadder *ladder);
void impasto_ladder_get_size (const ImpastoLadder *ladder, int scale, int *width, int *height);
int impasto_ladder_get_budget (const ImpastoLadder *ladder, int scale);

/* Of the sizes @widths × @heights (impasto_ladder_plan_sizes(), smallest first), the largest
 * whose longest side is at most @longest_side (0 if none is): the index a preview stops at. */
int impasto_ladder_plan_find_scale (const int *widths,
                                    const int *heights,
                                    int n_sizes,
                                    int longest_side);

/* impasto_ladder_plan_find_scale() for the ladder's sizes. */
int impasto_ladder_find_scale (const ImpastoLadder *ladder, int longest_side);

/* The 0-based index of the size being painted. */
int impasto_ladder_get_scale (const ImpastoLadder *ladder);

/* The session of the current size (for its iteration count, size and pixels). It changes at
 * each advance and restart. */
ImpastoSession *impasto_ladder_get_session (ImpastoLadder *ladder);

/* As impasto_session_set_params(); the values also hold for the sizes to come. */
ImpastoStatus impasto_ladder_set_params (ImpastoLadder *ladder,
                                         const ImpastoSessionParams *params,
                                         ImpastoEngineError *error);

/* The size after which the ladder is done, 0 .. n - 1 (n - 1 at creation): a preview stops at a
 * lower one; raising it again continues up the ladder from where the run is. Values out of
 * range are clamped. */
void impasto_ladder_set_last_scale (ImpastoLadder *ladder, int scale);
int impasto_ladder_get_last_scale (const ImpastoLadder *ladder);

/* The losses of the current image at the current size. */
ImpastoStatus impasto_ladder_evaluate (ImpastoLadder *ladder,
                                       ImpastoLosses *losses,
                                       ImpastoEngineError *error);

/* One optimiser step at the current size (even if its budget is spent: the caller decides). */
ImpastoStatus impasto_ladder_step (ImpastoLadder *ladder,
                                   ImpastoLosses *losses,
                                   ImpastoEngineError *error);

/* New budgets from the final size's (impasto_ladder_config_set_budgets()) while the ladder runs:
 * a size that had spent its budget goes on if the new one is larger. */
void impasto_ladder_set_iterations (ImpastoLadder *ladder, int iterations);

/* The current size gets its whole budget again, counted from now, and its convergence is measured
 * afresh: a preview that has finished its size, given new values to show, paints them. */
void impasto_ladder_renew_budget (ImpastoLadder *ladder);

/* Steps of the current size counted against its budget (since it began, or since its budget was
 * last renewed). */
int impasto_ladder_get_budget_steps (const ImpastoLadder *ladder);

/* impasto_ladder_plan_work_left() for where the ladder is: in steps of the current size. */
double impasto_ladder_get_work_left (const ImpastoLadder *ladder);

/* Steps taken at the current size (since it began, whatever its budget), and whether it has
 * spent its budget or converged. */
int impasto_ladder_get_size_steps (const ImpastoLadder *ladder);
bool impasto_ladder_size_done (const ImpastoLadder *ladder);

/* The current size is done and it is the last one to paint. */
bool impasto_ladder_done (const ImpastoLadder *ladder);

/* Moves to the next size: its pictures, targets, the current picture resampled up as its start,
 * Adam's moments resampled. IMPASTO_STATUS_INVALID_ARGUMENT at the final size. On an error the
 * ladder stays at the current size, unchanged. */
ImpastoStatus impasto_ladder_advance (ImpastoLadder *ladder, ImpastoEngineError *error);

/* Starts again at the smallest size, from the config's initial image, with @params (which may
 * switch layers on: the targets are all recomputed). On an error the ladder is unchanged. */
ImpastoStatus impasto_ladder_restart (ImpastoLadder *ladder,
                                      const ImpastoSessionParams *params,
                                      ImpastoEngineError *error);

/* A new brush size or new pixels (copied) for painting @index of the config's list: the current
 * size recomputes that painting's targets only (impasto_session_set_painting()), the sizes to
 * come see it so. On an error the ladder keeps the painting it had. */
ImpastoStatus impasto_ladder_set_painting (ImpastoLadder *ladder,
                                           int index,
                                           const ImpastoPainting *painting,
                                           ImpastoEngineError *error);

/* Painting @index as the ladder holds it (its pixels are the ladder's copy, valid until the next
 * impasto_ladder_set_painting() with other pixels). */
void impasto_ladder_get_painting (const ImpastoLadder *ladder, int index,
                                  ImpastoPainting *painting);

/* Forward passes over paintings at all sizes so far (impasto_session_get_painting_passes()). */
int impasto_ladder_get_painting_passes (const ImpastoLadder *ladder);

/* Region @index (0 .. IMPASTO_MAX_REGIONS - 1) becomes @region (its mask copied at its own size,
 * resampled to each size), or none (NULL): the current size recomputes that region's guides only
 * (impasto_session_set_region()), the sizes to come see it so; the run goes on. On an error the
 * ladder keeps the regions it had. */
ImpastoStatus impasto_ladder_set_region (ImpastoLadder *ladder,
                                         int index,
                                         const ImpastoRegion *region,
                                         ImpastoEngineError *error);

/* How many regions the ladder holds (set, or given at creation), counting empty slots below the
 * highest one set. */
int impasto_ladder_get_n_regions (const ImpastoLadder *ladder);

/* The current picture as floats (H, W, 3), 0..255 unclamped, at the current size. */
void impasto_ladder_copy_rgb (const ImpastoLadder *ladder, float *rgb);

/* The current picture resampled to the final size (H, W, 3), unclamped; a copy at the final
 * size. Uses buffers planned for the current size: no allocation. */
void impasto_ladder_copy_rgb_final (ImpastoLadder *ladder, float *rgb);

/* The current picture at the final size as 8-bit RGB rows of @stride bytes, clamped and rounded
 * as impasto_session_copy_rgb8() (which it is, at the final size). @scratch: final W × H × 3
 * floats, used below the final size. No allocation. */
void impasto_ladder_copy_rgb8_final (ImpastoLadder *ladder,
                                     float *scratch,
                                     uint8_t *rgb,
                                     size_t stride);
