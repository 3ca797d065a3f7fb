/* impasto-cli-paintings.h
 *
 * The paintings of an impasto-cli run: the repeated --style, --style-weights, --style-scale,
 * --style-upscale and --preserve-colors checked (every message names its flag), each painting
 * decoded no larger than its brush size needs, and the run's inputs prepared for the colour
 * choice.
 *
 * It does not run anything or write files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "impasto-colors.h"
#include "impasto-session.h"

typedef struct
{
  int n;
  char **paths;                                   /* the --style values, not owned */
  double scales[IMPASTO_MAX_PAINTINGS];           /* brush sizes */
  gboolean upscale;
  ImpastoColors colors;
  GdkPixbuf *pixbufs[IMPASTO_MAX_PAINTINGS];      /* decoded */
  float *rgb[IMPASTO_MAX_PAINTINGS];              /* (h, w, 3) floats, prepared */
  ImpastoPainting paintings[IMPASTO_MAX_PAINTINGS];
} CliPaintings;

/* Checks the flags (any of @weights, @scales, @colors may be NULL: equal weights, brush size 1,
 * none); weights go into @params->painting_weights. */
gboolean impasto_cli_paintings_parse (CliPaintings          *paintings,
                                      char                 **paths,
                                      const char            *weights,
                                      const char            *scales,
                                      gboolean               upscale,
                                      const char            *colors,
                                      ImpastoSessionParams  *params,
                                      GError               **error);

/* Checks each brush size against the image limits for an output of @width × @height, decodes
 * each painting no larger than it will be seen, and points @config's painting list at their
 * sizes (pixels still NULL: enough for impasto_ladder_estimate_bytes()). */
gboolean impasto_cli_paintings_load (CliPaintings          *paintings,
                                     int                    width,
                                     int                    height,
                                     ImpastoSessionConfig  *config,
                                     GError               **error);

/* The paintings' pixels as floats at the sizes load() chose, prepared with @content_rgb
 * (@width × @height, changed in place too) for the colour choice. FALSE when memory runs out.
 * The decoded pictures are dropped. */
gboolean impasto_cli_paintings_prepare (CliPaintings  *paintings,
                                        float         *content_rgb,
                                        int            width,
                                        int            height);

/* @paintings becomes painting @index (0-based) of @all alone, with weight 1 in @params: one
 * picture of --each-style. Nothing is decoded yet. */
void impasto_cli_paintings_select (CliPaintings          *paintings,
                                   const CliPaintings    *all,
                                   int                    index,
                                   ImpastoSessionParams  *params);

void impasto_cli_paintings_clear (CliPaintings *paintings);
