/* impasto-loss-plot.h
 *
 * A small live plot of a job's loss against the iteration, on a logarithmic scale: the total in
 * the accent colour and its two weighted parts (α·content in green, β·style in orange and
 * dashed), with a legend of their newest values, and marks where the person steered. It redraws
 * when the job's `iteration` changes and keeps showing a finished job until it gets another.
 *
 * This file draws only; it does not keep the loss history (the job does), and it does not find
 * out by itself where the person steered: the window tells it (impasto_loss_plot_mark_steer()).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-types.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_LOSS_PLOT (impasto_loss_plot_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoLossPlot, impasto_loss_plot, IMPASTO, LOSS_PLOT, GtkWidget)

GtkWidget  *impasto_loss_plot_new     (void);
ImpastoJob *impasto_loss_plot_get_job (ImpastoLossPlot *self);
void        impasto_loss_plot_set_job (ImpastoLossPlot *self,
                                       ImpastoJob      *job);
/* A live change was first used at @iteration; marks are cleared with a new job. */
void        impasto_loss_plot_mark_steer (ImpastoLossPlot *self,
                                          int              iteration);
const int  *impasto_loss_plot_get_steers (ImpastoLossPlot *self,
                                          guint           *n_steers);
/* What the last drawing showed: the decade labels ("10³", bottom to top) and the iteration at
 * the right edge. */
char      **impasto_loss_plot_dup_decade_labels (ImpastoLossPlot *self);
int         impasto_loss_plot_get_x_max         (ImpastoLossPlot *self);
/* Where the last drawing put @iteration (clamped to the x axis), in the plot's coordinates, and
 * the top and bottom of the area the curves are drawn in; FALSE when nothing was drawn. */
gboolean    impasto_loss_plot_get_iteration_x   (ImpastoLossPlot *self,
                                                 int              iteration,
                                                 double          *x,
                                                 double          *top,
                                                 double          *bottom);

G_END_DECLS
