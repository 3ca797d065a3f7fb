/* impasto-cli-regions.h
 *
 * The painted regions of an impasto-cli run: the repeated --region MASK:K[:WEIGHT] (K the 1-based
 * --style whose painting fills the region, 0 to keep the photo there; WEIGHT > 0, 1 by default)
 * and --region-guides inside|all checked, every message naming the flag and the mask; then each
 * mask decoded at its own size (impasto-mask.h: white = in, transparent = out) and refused if no
 * pixel of it is in.
 *
 * It does not resample masks (the engine fits them to each size) and does not run anything.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-session.h"

typedef struct
{
  int n;
  char *paths[IMPASTO_MAX_REGIONS];          /* the masks' files */
  float *masks[IMPASTO_MAX_REGIONS];         /* (height, width), 0..1, once loaded */
  ImpastoRegion regions[IMPASTO_MAX_REGIONS];
  ImpastoGuideMode guide_mode;
} CliRegions;

/* Checks the flags (@specs and @guides may be NULL: no region, inside) against @n_paintings
 * (the number of --style). Reads no file. */
gboolean impasto_cli_regions_parse (CliRegions   *regions,
                                    char        **specs,
                                    const char   *guides,
                                    int           n_paintings,
                                    GError      **error);

/* Decodes each mask, refuses empty ones, and points @config's regions and guide mode at them. */
gboolean impasto_cli_regions_load (CliRegions            *regions,
                                   ImpastoSessionConfig  *config,
                                   GError               **error);

/* Frees the masks (once the ladder holds its copies); the next picture loads them again. */
void impasto_cli_regions_free_masks (CliRegions *regions);

/* Frees the masks and the paths. */
void impasto_cli_regions_clear (CliRegions *regions);
