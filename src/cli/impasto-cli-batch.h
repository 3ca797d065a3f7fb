/* impasto-cli-batch.h
 *
 * The photos of an impasto-cli run and where each result goes: one --content and --output (the
 * single run), or a batch — several --content files, folders (their JPEG, PNG and WebP files,
 * sorted by name), --output-dir with an --output-name pattern, and --each-style (every photo with
 * every painting). Every result's name is worked out and checked before anything is painted: a
 * pattern that gives two results the same name, or names an input, is refused.
 *
 * It does not read pictures or paint them (impasto-cli.c does), and it does not show progress.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* The pattern when --output-name is not given. */
#define CLI_BATCH_DEFAULT_NAME "{content}-{style}.png"

typedef struct
{
  const char *content;   /* the photo's path (the batch's) */
  int photo;             /* 1-based, in the batch's order */
  int painting;          /* with --each-style the one painting, 0-based; -1: all of them */
  char *output;          /* where the result goes */
} CliJob;

typedef struct
{
  gboolean active;       /* a batch; else the single run (one job, writing --output) */
  char **contents;       /* the photos, folders expanded */
  int n_photos;
  CliJob *jobs;          /* photo-major: each photo with each painting in turn */
  int n_jobs;
} CliBatch;

/* Expands folders, checks the flags that go together, and names every result. @contents and
 * @styles are the repeated --content and --style; @output_name NULL is CLI_BATCH_DEFAULT_NAME.
 * Creates @output_dir when it does not exist. @blend_flag: "--style-weights" or "--region" when
 * given (--each-style cannot take them), else NULL. */
gboolean impasto_cli_batch_plan (CliBatch    *batch,
                                 char       **contents,
                                 char       **styles,
                                 const char  *output,
                                 const char  *output_dir,
                                 const char  *output_name,
                                 gboolean     each_style,
                                 const char  *blend_flag,
                                 GError     **error);

/* The paragraph of --help about batches, appended to @text. */
void impasto_cli_batch_describe (GString *text);

void impasto_cli_batch_clear (CliBatch *batch);
