/* impasto-loss-plot.h
 *
 * A small live plot of a job's loss against the iteration, on a logarithmic scale: the total in
 * the accent colour and its two weighted parts (α·content and β·style) as faint lines. It redraws
 * when the job's `iteration` changes and keeps showing a finished job until it gets another.
 *
 * This file draws only; it does not keep its own history (the job does).
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

G_END_DECLS
