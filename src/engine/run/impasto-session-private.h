/* impasto-session-private.h
 *
 * The session's struct, for the files that make up the session (impasto-session.c, the regions
 * in impasto-session-regions.c) and for the snapshots (impasto-ladder-snapshot.c), which save and
 * restore its picture, cached gradient and optimiser. Not for callers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-adam.h"
#include "impasto-lbfgs.h"
#include "impasto-session.h"
#include "impasto-tiled-objective.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

struct _ImpastoSession
{
  const ImpastoWeights *weights;
  int width;
  int height;
  size_t n;                      /* 3 * H * W */
  ImpastoOptimizer optimizer;
  ImpastoShouldStop should_stop;
  void *should_stop_data;

  ImpastoPoolMode pool;
  const ImpastoVgg19Filters *filters;  /* the net's: the caller's, or own_filters */
  ImpastoVgg19Filters *own_filters;
  ImpastoVgg19 *net;
  ImpastoObjective *objective;   /* whole; NULL in tiles */
  ImpastoTiledObjective *tiled;  /* in tiles; else NULL (and then net is NULL too) */
  ImpastoTileGrid grid;
  int n_paintings;
  ImpastoGramSet painting_grams[IMPASTO_MAX_PAINTINGS]; /* per painting, at the picture's M */
  int painting_passes;
  ImpastoGuideMode guide_mode;
  /* The regions as set: painting (IMPASTO_REGION_KEEP_PHOTO too) and weight; masks live in the
   * objective's guides (impasto_objective_get_region_guides()). */
  bool region_set[IMPASTO_MAX_REGIONS];
  int region_paintings[IMPASTO_MAX_REGIONS];
  ImpastoSessionParams created;  /* the values at creation: which layers have targets */
  ImpastoSessionParams params;   /* in force */
  ImpastoObjectiveWeights objective_weights;   /* the objective's part of params */

  float *x;             /* (3, H, W) the image minus the mean pixel: what is optimised */
  float *grad;          /* (3, H, W) d loss / d x at x, when grad_valid */
  float *x_before;      /* (3, H, W) x before the current step, to step back from NaN */
  bool grad_valid;
  ImpastoLosses losses; /* at x, when grad_valid */
  int iteration;

  ImpastoAdam adam;
  ImpastoLbfgs *lbfgs;

  float *block;                  /* one allocation for x, grad and x_before */
};

/* impasto-session-regions.c: the config's regions into a new session (after its targets). */
ImpastoStatus _impasto_session_apply_config_regions (ImpastoSession *session,
                                                     const ImpastoSessionConfig *config,
                                                     ImpastoEngineError *error);


/* impasto-session-tiles.c. Whether @config is painted in tiles (a window smaller than the
 * picture), and their grid. */
bool _impasto_session_tile_grid (const ImpastoSessionConfig *config,
                                 const ImpastoSessionParams *params,
                                 ImpastoTileGrid *grid);

/* The smallest window a grid of @config's picture can be planned with (the halo, 16 pixels owned
 * beyond it, and no more tiles a side than a grid may have). */
int _impasto_session_smallest_window (const ImpastoSessionConfig *config,
                                      const ImpastoSessionParams *params);

/* Bytes of the tiled objective over @grid (in place of the whole picture's net and objective). */
size_t _impasto_session_tiled_bytes (const ImpastoWeights *weights,
                                     const ImpastoTileGrid *grid,
                                     const ImpastoSessionParams *params);

/* Bytes a painting's Gram matrices take to compute at @pw × @ph in windows of @window (0: whole),
 * beyond its planes. */
size_t _impasto_session_painting_net_bytes (const ImpastoWeights *weights,
                                            int pw,
                                            int ph,
                                            int window,
                                            const ImpastoSessionParams *params);

/* @grams = the Gram matrices of @planes (3, ph, pw), a painting too large for one window,
 * computed tile by tile in windows of the session's size. */
ImpastoStatus _impasto_session_tiled_painting (ImpastoSession *session,
                                               ImpastoGramSet *grams,
                                               const float *planes,
                                               int pw,
                                               int ph,
                                               ImpastoEngineError *error);

/* The session's style targets, whole or tiled. */
ImpastoGramSet *_impasto_session_style_targets (const ImpastoSession *session);

/* Bytes the config's regions add. */
size_t _impasto_session_regions_estimate_bytes (const ImpastoWeights *weights,
                                                const ImpastoSessionConfig *config,
                                                const bool *style_layers);
