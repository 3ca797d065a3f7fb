/* impasto-cli-memory.h
 *
 * The memory budget of an impasto-cli run: --max-memory SIZE checked (impasto-memory-budget.h,
 * every message naming the flag), or the default, three quarters of this computer's memory (no
 * budget when that cannot be told); then the engine's plan for the output's size under it (whole,
 * or the tile grid), refused before anything large is allocated when even tiles cannot fit, and
 * the plan said in one line.
 *
 * It does not paint the tiles (the engine's ladder does) and does not show progress.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-ladder.h"

typedef struct
{
  guint64 budget;     /* bytes; 0: none */
  gboolean given;     /* by --max-memory, else the default */
  int tiles_x;        /* the output size's grid once planned; 1 x 1: whole */
  int tiles_y;
  guint64 estimate;   /* the peak estimate for that plan, bytes */
} CliMemory;

/* @text is --max-memory's value, NULL when the flag was not given (then the default budget). */
gboolean impasto_cli_memory_parse (CliMemory   *memory,
                                   const char  *text,
                                   GError     **error);

/* Sets @ladder_config's budget and plans the output's size (@config's width and height) with
 * the engine. When the run cannot be made, the engine's status and *@message (to free) say why:
 * IMPASTO_STATUS_OUT_OF_MEMORY for a picture that needs more than the budget even in tiles (with
 * the estimate and the budget), IMPASTO_STATUS_INVALID_ARGUMENT for what the engine does not
 * paint in tiles (regions). */
ImpastoStatus impasto_cli_memory_plan (CliMemory                  *memory,
                                       const ImpastoWeights       *weights,
                                       ImpastoLadderConfig        *ladder_config,
                                       const ImpastoSessionConfig *config,
                                       const ImpastoSessionParams *params,
                                       char                      **message);

/* "memory budget 6.0 GiB: 4096 × 3072 in 3 × 2 tiles, about 3.7 GiB" (or "… whole, …"); NULL
 * when there is no budget. */
char *impasto_cli_memory_describe (const CliMemory *memory,
                                   int              width,
                                   int              height);
