/* impasto-cli-animation.h
 *
 * impasto-cli's animation of a run: --animation FILE.webp, --animation-frames N (default 60) and
 * --animation-size PX (longest side, default 480) checked before the run (every message naming
 * the flag), the film (impasto-film.h) a run keeps for it, at most 2N frames at that size, and the
 * animated WebP written from that film after the run (impasto-animation.h). The frames kept are
 * bounded: at most (2N + 1) × PX² × 3 bytes, and a choice above IMPASTO_CLI_ANIMATION_MAX_BYTES is
 * refused. One run has one animation: a batch refuses the flag (impasto-cli.c).
 *
 * It does not run the engine, take the pictures (impasto-cli.c offers them) nor print.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-film.h"

#define IMPASTO_CLI_ANIMATION_DEFAULT_FRAMES 60
#define IMPASTO_CLI_ANIMATION_DEFAULT_SIZE 480
/* The most memory the kept frames may take. */
#define IMPASTO_CLI_ANIMATION_MAX_BYTES (G_GUINT64_CONSTANT (1) << 30)

typedef struct
{
  char *path;           /* NULL: no animation */
  int frames;
  int size;
} CliAnimation;

/* The three flags' values (each NULL when not given); the other two without --animation are
 * refused. */
gboolean impasto_cli_animation_parse (CliAnimation  *animation,
                                      const char    *path,
                                      const char    *frames,
                                      const char    *size,
                                      GError       **error);
/* A film for one run of @animation (which has a path). */
ImpastoFilm *impasto_cli_animation_new_film (const CliAnimation *animation);
/* Encodes @film and writes it; *@message (to free) is the line that says so, prefixed by
 * @label ("impasto-cli"). */
gboolean impasto_cli_animation_write (const CliAnimation  *animation,
                                      ImpastoFilm         *film,
                                      const char          *label,
                                      char               **message,
                                      GError             **error);
void     impasto_cli_animation_clear (CliAnimation *animation);
