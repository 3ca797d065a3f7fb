/* impasto-frame.h
 *
 * One picture from the worker thread to the main loop: 8-bit RGB rows plus the numbers that go
 * with them. The job pushes frames into an ImpastoLatestSlot (impasto-latest-slot.h), which keeps
 * only the newest one and hands it to the main loop in an idle.
 *
 * This file does not know about GTK, textures or the hand-over itself; the job makes textures
 * from the frames it is handed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-session.h"
#include "impasto-types.h"

G_BEGIN_DECLS

struct _ImpastoFrame
{
  int iteration;           /* updates done so far, at all sizes; 0 is the starting image */
  int width;               /* the final size: a picture painted lower is resampled up to it */
  int height;
  int scale;               /* the size painted: 0-based on the run's ladder of sizes */
  int scale_width;         /* that size */
  int scale_height;
  int budget_steps;        /* steps counted against that size's budget */
  int tiles_x;             /* the tile grid that size is painted in; 1 x 1: whole */
  int tiles_y;
  gboolean resting;        /* a preview has painted its last size and waits */
  gsize stride;            /* bytes per row of @pixels */
  GBytes *pixels;          /* (height, stride) RGB8 rows; NULL for a frame without a picture */
  ImpastoLosses losses;    /* of the picture in @pixels */
  double ms_per_iteration; /* smoothed wall time of one step; 0 before the first step */
  gboolean final;          /* the worker's last frame of the run */
  char *warning;           /* a non-fatal problem to show once (saving a frame failed), or NULL */
};

ImpastoFrame *impasto_frame_new (void);
void          impasto_frame_free (ImpastoFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoFrame, impasto_frame_free)

G_END_DECLS
