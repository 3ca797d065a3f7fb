/* impasto-session-tiles.c
 *
 * A session painted in tiles (impasto-tiled-objective.h): when the config asks for windows
 * smaller than the picture, the session's net and objective are one tiled objective, and a
 * painting too large for one window has its Gram matrices computed tile by tile too; the
 * picture's own buffers and the optimiser stay whole. Picking the window from a memory budget is
 * impasto-session-plan.c's.
 *
 * It does not paint regions in tiles: a tiled session with regions is refused.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "impasto-session-private.h"

static int
deepest_of (const float *layers)
{
  int deepest = -1;

  for (int i = 0; i < N_CONVS; i++)
    if (layers[i] > 0.0f)
      deepest = i;
  return deepest;
}

/* The deepest conv any loss reads (impasto_session_params_deepest_layer(), which lives in the
 * session's main file: this one does not call back into it). */
static int
deepest_used (const ImpastoSessionParams *params)
{
  int content = deepest_of (params->content_layers), style = deepest_of (params->style_layers);

  return content > style ? content : style;
}

static void
layers_on (const ImpastoSessionParams *params, bool *content, bool *style)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      content[i] = params->content_layers[i] > 0.0f;
      style[i] = params->style_layers[i] > 0.0f;
    }
}

bool
_impasto_session_tile_grid (const ImpastoSessionConfig *config,
                            const ImpastoSessionParams *params,
                            ImpastoTileGrid *grid)
{
  int deepest = deepest_used (params);

  if (config->tile_window <= 0 || deepest < 0
      || (config->tile_window >= config->width && config->tile_window >= config->height))
    return false;
  if (impasto_tile_grid_plan (grid, config->width, config->height, config->tile_window,
                              config->tile_window, deepest, NULL) != IMPASTO_STATUS_OK)
    return false;
  return grid->x.n * grid->y.n > 1;
}

size_t
_impasto_session_tiled_bytes (const ImpastoWeights *weights,
                              const ImpastoTileGrid *grid,
                              const ImpastoSessionParams *params)
{
  bool content[N_CONVS], style[N_CONVS];
  int deepest = deepest_used (params);

  layers_on (params, content, style);
  return impasto_tiled_objective_estimate_bytes (weights, grid, deepest, content, style)
         + impasto_vgg19_filters_bytes (weights, deepest);
}

size_t
_impasto_session_painting_net_bytes (const ImpastoWeights *weights,
                                     int pw,
                                     int ph,
                                     int window,
                                     const ImpastoSessionParams *params)
{
  int deepest = deepest_of (params->style_layers);
  bool content[N_CONVS] = { false }, style[N_CONVS];
  ImpastoTileGrid grid;

  if (deepest < 0)
    return 0;
  for (int i = 0; i < N_CONVS; i++)
    style[i] = params->style_layers[i] > 0.0f;
  if (window <= 0 || (window >= pw && window >= ph)
      || impasto_tile_grid_plan (&grid, pw, ph, window, window, deepest, NULL)
         != IMPASTO_STATUS_OK)
    return impasto_vgg19_plan_bytes (weights, ph, pw, deepest)
           - impasto_vgg19_filters_bytes (weights, deepest);
  return impasto_tiled_objective_estimate_bytes (weights, &grid, deepest, content, style);
}

ImpastoStatus
_impasto_session_tiled_painting (ImpastoSession *self,
                                 ImpastoGramSet *grams,
                                 const float *planes,
                                 int pw,
                                 int ph,
                                 ImpastoEngineError *error)
{
  int deepest = deepest_of (self->created.style_layers);
  bool content[N_CONVS] = { false }, style[N_CONVS];
  ImpastoTiledObjective *tiled = NULL;
  ImpastoTileGrid grid;
  ImpastoStatus status;

  for (int i = 0; i < N_CONVS; i++)
    style[i] = grams->grams[i] != NULL;
  status = impasto_tile_grid_plan (&grid, pw, ph, self->grid.x.window, self->grid.y.window,
                                   deepest, error);
  if (status == IMPASTO_STATUS_OK)
    status = impasto_tiled_objective_new (&tiled, self->weights, self->filters, &grid, deepest,
                                          self->pool, content, style, error);
  if (status == IMPASTO_STATUS_OK)
    status = impasto_tiled_gram_set_compute (tiled, grams, planes, self->should_stop,
                                             self->should_stop_data);
  impasto_tiled_objective_free (tiled);
  return status;
}

ImpastoGramSet *
_impasto_session_style_targets (const ImpastoSession *self)
{
  return self->tiled != NULL ? impasto_tiled_objective_get_style_targets (self->tiled)
                             : impasto_objective_get_style_targets (self->objective);
}

void
impasto_session_get_tiles (const ImpastoSession *self, int *n_x, int *n_y)
{
  *n_x = self->tiled != NULL ? self->grid.x.n : 1;
  *n_y = self->tiled != NULL ? self->grid.y.n : 1;
}

int
_impasto_session_smallest_window (const ImpastoSessionConfig *config,
                                  const ImpastoSessionParams *params)
{
  int deepest = deepest_used (params);
  int longest = config->width > config->height ? config->width : config->height;
  /* 16 pixels owned beyond the halo on either side, once the window is shortened to the
   * picture's side modulo 16 (by up to 15). */
  int smallest = (2 * impasto_tile_halo (deepest) + 31 + 15) / 16 * 16;

  /* A very long side would need more tiles than a grid may have at that window: start where
   * the grid can be planned. */
  while (smallest < longest)
    {
      ImpastoTileGrid grid;

      if (impasto_tile_grid_plan (&grid, config->width, config->height, smallest, smallest,
                                  deepest, NULL) == IMPASTO_STATUS_OK)
        break;
      smallest += 16;
    }
  return smallest;
}
