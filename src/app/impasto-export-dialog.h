/* impasto-export-dialog.h
 *
 * The small window of Export Animation…: how many frames and how large (the longest side), then
 * the animated WebP encoded from a run's film (impasto-animation.h) on a GTask thread, with a
 * progress bar. Cancel (or Escape, or closing it) while it encodes stops the encoding and leaves
 * no file; when the file is written the dialog emits `exported` and closes; an error is shown in
 * it and the choice can be made again.
 *
 * The file name is chosen before (the window's file chooser); this dialog does not choose it,
 * nor keep frames.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "impasto-film.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_EXPORT_DIALOG (impasto_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoExportDialog, impasto_export_dialog, IMPASTO, EXPORT_DIALOG,
                      AdwWindow)

/* A dialog over @parent exporting @film (referenced) to @path (a .webp name). */
ImpastoExportDialog *impasto_export_dialog_new            (GtkWindow   *parent,
                                                           ImpastoFilm *film,
                                                           const char  *path);
/* The choices, as the spin buttons hold them (clamped to what the film allows). */
void                 impasto_export_dialog_set_choice     (ImpastoExportDialog *self,
                                                           int                  n_frames,
                                                           int                  size);
/* What Export does: starts encoding (nothing if it is under way). */
void                 impasto_export_dialog_export         (ImpastoExportDialog *self);
/* What Cancel does: stops the encoding under way and closes once it has stopped, or closes. */
void                 impasto_export_dialog_cancel         (ImpastoExportDialog *self);
gboolean             impasto_export_dialog_get_exporting  (ImpastoExportDialog *self);
/* 0 .. 1 while encoding. */
double               impasto_export_dialog_get_progress   (ImpastoExportDialog *self);

G_END_DECLS
