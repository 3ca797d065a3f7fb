/* impasto-snapshot-format.h
 *
 * The snapshot file: a run frozen between two steps, so that it can be continued bit for bit
 * (impasto-ladder-snapshot.h takes it from a ladder and gives it back). This file is the format
 * alone: an ImpastoSnapshot is a plain description (numbers, and pointers to the arrays), written
 * to a file or parsed from bytes. It does not know ladders or sessions, and it does not decide
 * whether a snapshot belongs to a run: the fingerprint it carries is compared by the caller.
 *
 * Format, version 1, little-endian, all offsets from the start of the file:
 *   header (IMPASTO_SNAPSHOT_HEADER_SIZE bytes): magic "IMPASTO-SNAPSHOT", version, header size,
 *     file size, payload checksum; the fingerprint (final size, the ladder's sizes and tile
 *     windows, convergence window and tolerance, optimiser, L-BFGS capacity, pooling, guide
 *     mode, checksums of the model and of the inputs); where the run is (size index, last size,
 *     its counters and budgets, the parameters the size was opened with and those in force); the
 *     session (size, iteration, the cached gradient's validity and losses, Adam's t, the number
 *     of L-BFGS pairs); zeros; last a checksum of the header itself.
 *   payload, each array starting on a 64-byte boundary, n = 3 × width × height floats:
 *     x (n), grad (n), for Adam m (n) and v (n), for L-BFGS each pair's s (n) then y (n) oldest
 *     first, then rho (pairs doubles), then the convergence window's losses (window + 1 doubles).
 * The layout follows from the header alone: nothing in the file says where an array is, so
 * nothing can point outside it. The payload checksum folds each array's checksum
 * (impasto_weights_cache_checksum) in that order. Checksums detect damage, not tampering.
 *
 * Size: a header of 2048 bytes, at most 63 bytes of padding per array, 8 (window + 1 + pairs)
 * bytes of doubles, and the floats: with Adam 4n (48 bytes per pixel at the size being
 * painted), with L-BFGS (2 + 2 pairs) n, at most 24 (1 + history) bytes per pixel (264 with the
 * usual history of 10).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-ladder.h"
#include "impasto-objective.h"
#include "impasto-session.h"
#include "impasto-status.h"

#define IMPASTO_SNAPSHOT_VERSION 1
#define IMPASTO_SNAPSHOT_HEADER_SIZE 2048
#define IMPASTO_SNAPSHOT_MAGIC_SIZE 16
/* L-BFGS pairs a snapshot holds at most (a history of 10 is usual). */
#define IMPASTO_SNAPSHOT_MAX_PAIRS 256

extern const char impasto_snapshot_magic[IMPASTO_SNAPSHOT_MAGIC_SIZE];

typedef struct
{
  /* The fingerprint: a continuation must be the same run. */
  int final_width;
  int final_height;
  int n_sizes;                               /* 1 .. IMPASTO_LADDER_MAX_SIZES */
  int widths[IMPASTO_LADDER_MAX_SIZES];
  int heights[IMPASTO_LADDER_MAX_SIZES];
  int tile_windows[IMPASTO_LADDER_MAX_SIZES]; /* 0: whole */
  int window;                                /* convergence window, >= 1 */
  double tolerance;
  ImpastoOptimizer optimizer;
  int lbfgs_history;                         /* the L-BFGS capacity; 0 for Adam */
  ImpastoPoolMode pool;
  ImpastoGuideMode guide_mode;
  uint64_t model_checksum;                   /* the weights' filters, biases and mean pixel */
  uint64_t inputs_checksum;                  /* the pictures, paintings, regions and start */

  /* Where the ladder is. */
  int scale;                                 /* 0 .. n_sizes - 1 */
  int last_scale;
  int steps;                                 /* at this size */
  int budget_from;
  int base;                                  /* -1: not yet recorded */
  bool converged;
  int iterations;                            /* the budgets in force */
  int middle_iterations;
  int first_iterations;
  ImpastoSessionParams created;              /* this size's session was opened with these */
  ImpastoSessionParams params;               /* in force */

  /* The session at this size. */
  int width;
  int height;
  int iteration;
  bool grad_valid;
  ImpastoLosses losses;                      /* at x, when grad_valid */
  long adam_t;
  int n_pairs;                               /* L-BFGS pairs held, 0 .. lbfgs_history */

  /* The arrays, n = 3 * width * height floats each; (3, H, W). */
  const float *x;
  const float *grad;
  const float *m;                            /* Adam's; NULL for L-BFGS */
  const float *v;
  const float *s[IMPASTO_SNAPSHOT_MAX_PAIRS]; /* (n) each, oldest first */
  const float *y[IMPASTO_SNAPSHOT_MAX_PAIRS];
  const double *rho;                         /* (n_pairs) */
  const double *recent;                      /* (window + 1) the window's losses, a ring */
} ImpastoSnapshot;

/* Writes @snapshot to @path: into a temporary file beside it, flushed with fsync, then renamed
 * over @path, so that a reader never sees half a snapshot. IMPASTO_STATUS_IO when it cannot. */
ImpastoStatus impasto_snapshot_write (const ImpastoSnapshot *snapshot,
                                      const char *path,
                                      ImpastoEngineError *error);

/* Parses a snapshot held in memory (8-byte aligned): @snapshot's arrays point into @data, which
 * must outlive it. Checks the magic, the version, both checksums, every count and that the size
 * is exactly what the header describes; a problem gives IMPASTO_STATUS_INVALID_ARGUMENT with a
 * message naming @what. Never reads outside [data, data + size). */
ImpastoStatus impasto_snapshot_parse (ImpastoSnapshot *snapshot,
                                      const void *data,
                                      size_t size,
                                      const char *what,
                                      ImpastoEngineError *error);

/* Reads only the header of the snapshot at @path into @snapshot's numbers (the arrays stay NULL):
 * where the run was and the parameters in force, without reading the rest. The header's
 * checksum and the file's size are checked, not the payload's. */
ImpastoStatus impasto_snapshot_load_header (ImpastoSnapshot *snapshot,
                                            const char *path,
                                            ImpastoEngineError *error);
/* Reads @path into *@buffer (free() it after @snapshot) and parses it: its header first, so that
 * nothing is allocated for a file that is not a snapshot or not the size its header says.
 * IMPASTO_STATUS_IO when it cannot be read. */
ImpastoStatus impasto_snapshot_load (ImpastoSnapshot *snapshot,
                                     void **buffer,
                                     const char *path,
                                     ImpastoEngineError *error);
