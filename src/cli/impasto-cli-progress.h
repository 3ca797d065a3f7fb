/* impasto-cli-progress.h
 *
 * What impasto-cli says while it paints. On a terminal (stderr is a TTY) one progress line — the
 * photo k of n in a batch, the size, the iteration, the loss, the pace and the time left — is
 * redrawn in place: a carriage return, the line, then "clear to the end of the line", written at
 * once so that it does not flicker, at most 10 times a second, cut to the terminal's width so
 * that it never wraps. Any other message first wipes it; the next update draws it again below.
 * When stderr is not a terminal there is no progress line, only the lines that say what was
 * written. --quiet silences both; errors are always printed.
 *
 * It does not compute the pace or the work left (impasto-cli.c does, from the ladder), and it
 * does not write files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

typedef struct
{
  gboolean terminal;     /* the progress line is drawn (stderr is a terminal, not --quiet) */
  gboolean quiet;        /* --quiet: no progress line and no reports of what was written */
  gboolean shown;        /* a progress line is on the screen */
  gint64 last_draw;      /* monotonic microseconds */
  int job;               /* the picture being painted, 1-based; 0: the single run */
  int n_jobs;
  gboolean per_painting; /* --each-style: a picture is a photo with one painting */
  gint64 job_start;      /* monotonic microseconds */
  double done_seconds;   /* the pictures finished so far, their time */
  int done_jobs;
  char label[96];
} CliProgress;

/* Where the run is, for one update. */
typedef struct
{
  int scale;              /* 0-based size of the ladder, of n_sizes */
  int n_sizes;
  int width;
  int height;
  int iteration;          /* of the size's budget */
  int iterations;
  int tiles_x;            /* 1 × 1: whole */
  int tiles_y;
  double loss;
  double ms_per_iteration; /* 0: not known yet */
  double ms_left;         /* this picture's work left; < 0: not known yet */
} CliProgressStatus;

void impasto_cli_progress_init (CliProgress *progress,
                                gboolean     quiet);

/* A batch of @n_jobs pictures (@per_painting: each a photo with one painting). */
void impasto_cli_progress_set_batch (CliProgress *progress,
                                     int          n_jobs,
                                     gboolean     per_painting);

/* Picture @job (1-based) begins, and ends (@painted: it was written, its time counts towards
 * the time left). */
void impasto_cli_progress_start_job (CliProgress *progress,
                                     int          job);
void impasto_cli_progress_end_job (CliProgress *progress,
                                   gboolean     painted);

/* Redraws the line, unless it was drawn less than 0.1 s ago and not @force. */
void impasto_cli_progress_show (CliProgress             *progress,
                                const CliProgressStatus *status,
                                gboolean                 force);

/* Wipes the progress line, before any other message. */
void impasto_cli_progress_clear (CliProgress *progress);

/* "impasto-cli", or in a batch "impasto-cli: photo k/n": what begins every message about the
 * current picture. Valid until the next picture starts. */
const char *impasto_cli_progress_label (CliProgress *progress);

/* Wipes the progress line and prints @text (whole lines): under --quiet only when @always (for
 * errors and warnings). */
void impasto_cli_progress_print (CliProgress *progress,
                                 gboolean     always,
                                 const char  *text);

/* The batch's last line: how many of its pictures were written into @output_dir in @seconds, how
 * many failed, whether Ctrl+C stopped it. Under --quiet only when some failed. */
void impasto_cli_progress_summary (CliProgress *progress,
                                   int          painted,
                                   int          failed,
                                   gboolean     interrupted,
                                   const char  *output_dir,
                                   double       seconds);
