/* impasto-ladder-private.h
 *
 * The ladder's struct and the steps it is made of (opening a size, installing it, the filters
 * every size reads), for the files that make up the ladder (impasto-ladder.c, the snapshots in
 * impasto-ladder-snapshot.c). Not for callers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-ladder.h"

struct _ImpastoLadder
{
  const ImpastoWeights *weights;
  ImpastoLadderConfig ladder_config;
  ImpastoSessionConfig config;   /* the final size; its pictures point at the copies below */
  ImpastoSessionParams params;   /* in force, and for the sizes to come */
  ImpastoShouldStop should_stop;
  void *should_stop_data;

  int n_sizes;
  int widths[IMPASTO_LADDER_MAX_SIZES];
  int heights[IMPASTO_LADDER_MAX_SIZES];
  int windows[IMPASTO_LADDER_MAX_SIZES];  /* each size's tile window; 0: whole */
  int scale;                     /* current size */
  int last_scale;                /* done after this size */

  ImpastoSession *session;
  ImpastoVgg19Filters *own_filters; /* made here when the caller's do not serve; see below */
  int steps;                     /* steps at the current size */
  int budget_from;               /* the step the current size's budget counts from */
  int base;                      /* step the window counts from; -1: not yet recorded */
  bool converged;
  double *recent;                /* (window + 1) ring of this size's losses */

  float *content;                /* (H, W, 3) final size */
  float *style;                  /* (H, W, 3) final size, without a painting list; else NULL */
  int n_paintings;               /* the config's list: copies at their own sizes */
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
  float *painting_rgb[IMPASTO_MAX_PAINTINGS];
  int painting_passes;           /* of the sessions before the current one */
  /* The regions, masks copied at their own sizes; each session is given them after creation
   * (impasto_session_set_region()), so that a slot may be empty. */
  ImpastoRegion regions[IMPASTO_MAX_REGIONS];
  float *region_masks[IMPASTO_MAX_REGIONS];  /* NULL: no region in that slot */
  float *init;                   /* (H, W, 3) final size, for IMPASTO_INIT_IMAGE; else NULL */

  float *current;                /* (h, w, 3) the current size's picture, for copies */
  float *scratch;                /* resampling scratch from the current size to the final one */
};

/* The copy buffers of size @scale: its picture and the scratch to resample it to the final
 * size. */
ImpastoStatus _impasto_ladder_plan_copies (ImpastoLadder *ladder,
                                           int scale,
                                           float **current,
                                           float **scratch);

/* Makes @session (with its copy buffers) the current size @scale, freeing the old one; the
 * size's counters start from 0. */
void _impasto_ladder_install_size (ImpastoLadder *ladder,
                                   int scale,
                                   ImpastoSession *session,
                                   float *current,
                                   float *scratch);

/* A session at size @scale whose start is @init_rgb ((h, w, 3) at that size) or, when NULL, the
 * config's own start, with the targets of @params. */
ImpastoStatus _impasto_ladder_open_size (ImpastoLadder *ladder,
                                         int scale,
                                         const float *init_rgb,
                                         const ImpastoSessionParams *params,
                                         ImpastoSession **out,
                                         ImpastoEngineError *error);

/* The transformed filters every size reads, made for @params if the ones in use do not serve;
 * *@replaced receives ours that they replace, to free once no session reads them. */
ImpastoStatus _impasto_ladder_ensure_filters (ImpastoLadder *ladder,
                                              const ImpastoSessionParams *params,
                                              ImpastoVgg19Filters **replaced,
                                              ImpastoEngineError *error);
