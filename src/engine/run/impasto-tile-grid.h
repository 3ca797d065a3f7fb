/* impasto-tile-grid.h
 *
 * How a picture too large for memory is cut into tiles whose losses and gradient add up exactly
 * to the whole picture's. Every tile is a window of one size (so one network plan serves them
 * all), placed at a multiple of 16 pixels (so that VGG19's four poolings see the same pixels
 * together as in the whole picture), overlapping its neighbours. Each tile owns a rectangle of
 * the picture, the owned rectangles partitioning it along boundaries that are multiples of 16, and
 * with them the neurons of every layer above those pixels. A tile's window reaches at least the
 * halo beyond what it owns, wherever the picture goes on: the receptive field of the deepest layer
 * used, so that every owned neuron sees in the window exactly what it sees in the whole picture.
 *
 * It plans only; impasto-tiled-objective.c evaluates.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-status.h"

/* Tiles along one side at most. */
#define IMPASTO_TILES_MAX 256

/* One axis of the grid. */
typedef struct
{
  int length;                          /* the picture's side */
  int window;                          /* every tile's window along this side */
  int n;                               /* tiles along this side */
  int origins[IMPASTO_TILES_MAX];      /* tile i's window is [origins[i], origins[i] + window) */
  int bounds[IMPASTO_TILES_MAX + 1];   /* tile i owns [bounds[i], bounds[i + 1]) */
} ImpastoTileAxis;

typedef struct
{
  int halo;        /* pixels a window reaches beyond what its tile owns */
  ImpastoTileAxis x;
  ImpastoTileAxis y;
} ImpastoTileGrid;

/* The halo for losses down to conv @deepest: the receptive field's reach on either side of the
 * pixels a neuron stands over, rounded up to a multiple of 16. */
int impasto_tile_halo (int deepest);

/* A grid for a @width x @height picture whose windows are at most @max_window_width x
 * @max_window_height (a side at least the picture's: that side is not cut), for losses down to
 * conv @deepest. IMPASTO_STATUS_INVALID_ARGUMENT, with a message, when a window is too small to
 * own anything beyond its halo or the picture needs more than IMPASTO_TILES_MAX tiles a side. */
ImpastoStatus impasto_tile_grid_plan (ImpastoTileGrid *grid,
                                      int width,
                                      int height,
                                      int max_window_width,
                                      int max_window_height,
                                      int deepest,
                                      ImpastoEngineError *error);
