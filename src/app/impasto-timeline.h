/* impasto-timeline.h
 *
 * The run's timeline under the canvas: the loss plot (impasto-loss-plot.h) with a mark at each
 * snapshot the run keeps on disk (impasto_job_dup_snapshots()), one of which can be selected by
 * clicking or dragging along the plot, or with the arrow keys, Home and End. Nothing selected
 * (-1) stands for the newest picture; dragging to the right edge or pressing End or Escape goes
 * back to it. Screen readers see a slider over the snapshots, with the newest picture last.
 *
 * This widget only chooses; it does not load or show a snapshot's picture, nor continue from it
 * (the window does, when `selected` changes). The list follows the job as it paints: a selected
 * snapshot the job drops to keep its history bounded gives way to the nearest one left.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-job.h"
#include "impasto-loss-plot.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_TIMELINE (impasto_timeline_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoTimeline, impasto_timeline, IMPASTO, TIMELINE, GtkWidget)

GtkWidget                *impasto_timeline_new                   (void);
ImpastoLossPlot          *impasto_timeline_get_plot              (ImpastoTimeline *self);
ImpastoJob               *impasto_timeline_get_job               (ImpastoTimeline *self);
/* The plot's job too; the selection goes back to the newest picture. */
void                      impasto_timeline_set_job               (ImpastoTimeline *self,
                                                                  ImpastoJob      *job);
/* The iteration of the selected snapshot, or -1 for the newest picture. */
int                       impasto_timeline_get_selected          (ImpastoTimeline *self);
/* Selects the snapshot kept nearest to @iteration; -1 (or no snapshot kept) the newest
 * picture. */
void                      impasto_timeline_set_selected          (ImpastoTimeline *self,
                                                                  int              iteration);
/* The selected snapshot (owned by the timeline, valid until the list next changes), or NULL. */
const ImpastoJobSnapshot *impasto_timeline_get_selected_snapshot (ImpastoTimeline *self);
/* The snapshots the job has kept so far, oldest first, as last read. */
guint                     impasto_timeline_get_n_snapshots       (ImpastoTimeline *self);
const ImpastoJobSnapshot *impasto_timeline_get_snapshot          (ImpastoTimeline *self,
                                                                  guint            index);
/* Reads the job's list again (done by itself at each iteration and change of state). */
void                      impasto_timeline_refresh               (ImpastoTimeline *self);

G_END_DECLS
