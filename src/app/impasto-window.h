/* impasto-window.h
 *
 * The main window: two picture wells and the controls in a sidebar that folds away on narrow
 * screens, the canvas with the newest frame, the run's numbers and a loss plot, and a status page
 * when there is no model. It owns the current ImpastoJob and steers it: live changes go to the
 * running job, changes that need new targets restart it (asking first when a picture would be
 * lost).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "impasto-types.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_WINDOW (impasto_window_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoWindow, impasto_window, IMPASTO, WINDOW, AdwApplicationWindow)

ImpastoWindow *impasto_window_new                 (ImpastoApplication *application);
/* Loads either picture (NULL leaves a well as it is). */
void           impasto_window_open                (ImpastoWindow *self,
                                                   GFile         *content,
                                                   GFile         *style);
/* Loads the pictures of the last session, if they still exist. */
void           impasto_window_restore_images      (ImpastoWindow *self);
/* Starts a run as soon as the model and both pictures are ready (for --start). */
void           impasto_window_start_when_ready    (ImpastoWindow *self);
/* A run a process that is gone left behind (crashed, killed, logged out) is offered for
 * restoring: "Restore the last painting?" Returns whether one is. */
gboolean       impasto_window_offer_restore       (ImpastoWindow *self);
ImpastoParams *impasto_window_get_params          (ImpastoWindow *self);
/* The current or last run; NULL before the first. */
ImpastoJob    *impasto_window_get_job             (ImpastoWindow *self);
/* An error that stays until dismissed. */
void           impasto_window_show_error          (ImpastoWindow *self,
                                                   const char    *message);
/* A passing note (a few seconds), for news that needs no action. */
void           impasto_window_show_toast          (ImpastoWindow *self,
                                                   const char    *message);
/* An error toast saying @message in a person's words, with a Details button that shows @details
 * (full paths, the system's message); without @details, impasto_window_show_error(). */
void           impasto_window_show_error_details (ImpastoWindow *self,
                                                  const char    *message,
                                                  const char    *details);

G_END_DECLS
