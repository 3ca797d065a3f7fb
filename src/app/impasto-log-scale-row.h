/* impasto-log-scale-row.h
 *
 * A list row for a weight that spans decades (α, β, TV, the learning rate): a slider on a
 * logarithmic scale for feel, and an entry beside the title for the exact number. With
 * `zero-allowed` the slider's far left means 0 ("off").
 *
 * This file does not know which parameter it shows; the window binds `value`.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "impasto-types.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_LOG_SCALE_ROW (impasto_log_scale_row_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoLogScaleRow, impasto_log_scale_row, IMPASTO, LOG_SCALE_ROW,
                      AdwPreferencesRow)

GtkWidget *impasto_log_scale_row_new       (void);
double     impasto_log_scale_row_get_value (ImpastoLogScaleRow *self);
void       impasto_log_scale_row_set_value (ImpastoLogScaleRow *self,
                                            double              value);
/* Parses @text as a user would type it; TRUE and the value if it is a usable number. */
gboolean   impasto_log_scale_row_parse     (ImpastoLogScaleRow *self,
                                            const char         *text,
                                            double             *value);
GtkEntry  *impasto_log_scale_row_get_entry (ImpastoLogScaleRow *self);
GtkRange  *impasto_log_scale_row_get_scale (ImpastoLogScaleRow *self);

G_END_DECLS
