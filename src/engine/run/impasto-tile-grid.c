/* impasto-tile-grid.c
 *
 * Planning the tiles of a picture; see the header. Along each axis: the window is shortened to the
 * picture's length modulo 16 (so that the last window, which ends at the picture's edge, starts
 * at a multiple of 16), the fewest tiles that can own the whole length are taken, their windows
 * are spread evenly from one edge to the other, and each boundary between two owned ranges is put
 * in the middle of the two windows' overlap, rounded to 16; more tiles are taken if rounding left
 * a boundary without room.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdbool.h>

#include "impasto-receptive-field.h"
#include "impasto-tile-grid.h"
#include "impasto-vgg19-layers.h"

#define ALIGN 16

int
impasto_tile_halo (int deepest)
{
  ImpastoReceptiveField field;
  int left, right, reach;

  IMPASTO_CHECK (deepest >= 0 && deepest < IMPASTO_VGG19_N_CONVS);
  impasto_vgg19_receptive_field (deepest, &field);
  /* Neuron y stands over pixels [y * jump, (y + 1) * jump) and sees
   * [start + y * jump, start + y * jump + size - 1]. */
  left = -field.start;
  right = field.start + field.size - field.jump;
  reach = left > right ? left : right;
  return (reach + ALIGN - 1) / ALIGN * ALIGN;
}

/* Tries @n tiles; false if a boundary has no room. */
static bool
place (ImpastoTileAxis *axis, int n, int halo)
{
  int span = axis->length - axis->window;   /* a multiple of ALIGN */

  axis->n = n;
  for (int i = 0; i < n; i++)
    axis->origins[i] = (int) ((long) span / ALIGN * i / (n - 1)) * ALIGN;
  axis->bounds[0] = 0;
  axis->bounds[n] = axis->length;
  for (int i = 1; i < n; i++)
    {
      /* Tile i - 1 may own up to its window's end less the halo; tile i from its origin plus
       * the halo. */
      int low = axis->origins[i] + halo;
      int high = axis->origins[i - 1] + axis->window - halo;
      int middle = (low + high) / 2 / ALIGN * ALIGN;

      if (middle < low)
        middle += ALIGN;
      if (middle < low || middle > high || middle <= axis->bounds[i - 1])
        return false;
      axis->bounds[i] = middle;
    }
  return axis->bounds[n - 1] < axis->length;
}

static ImpastoStatus
plan_axis (ImpastoTileAxis *axis, int length, int max_window, int halo, const char *side,
           ImpastoEngineError *error)
{
  int window, owned_middle, owned_edge, n;

  axis->length = length;
  if (max_window >= length)
    {
      axis->window = length;
      axis->n = 1;
      axis->origins[0] = 0;
      axis->bounds[0] = 0;
      axis->bounds[1] = length;
      return IMPASTO_STATUS_OK;
    }
  /* The last window ends at the edge and starts at a multiple of ALIGN. */
  window = max_window - ((max_window - length) % ALIGN + ALIGN) % ALIGN;
  owned_middle = window - 2 * halo;
  owned_edge = window - halo;
  if (owned_middle < ALIGN)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "a tile %d pixels %s cannot own anything beyond its halo of "
                                     "%d pixels on each side", max_window, side, halo);
  axis->window = window;
  n = 2 + (length - 2 * owned_edge + owned_middle - 1) / owned_middle;
  if (n < 2)
    n = 2;
  for (; n <= IMPASTO_TILES_MAX; n++)
    if (place (axis, n, halo))
      return IMPASTO_STATUS_OK;
  return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                   "%d pixels %s need more than %d tiles of %d", length, side,
                                   IMPASTO_TILES_MAX, max_window);
}

ImpastoStatus
impasto_tile_grid_plan (ImpastoTileGrid *grid,
                        int width,
                        int height,
                        int max_window_width,
                        int max_window_height,
                        int deepest,
                        ImpastoEngineError *error)
{
  ImpastoStatus status;

  grid->halo = impasto_tile_halo (deepest);
  if ((status = plan_axis (&grid->x, width, max_window_width, grid->halo, "wide", error)))
    return status;
  return plan_axis (&grid->y, height, max_window_height, grid->halo, "high", error);
}
