/* impasto-window-chooser.c
 *
 * The window's file chooser, one at a time (self->chooser: model, save, animation, run, frames
 * folder, masks folder or settings): its answer as a local path, the chooser closed. A place
 * that is not on this computer (a remote location GIO can show but not give a path for) is said
 * in an error toast with the caller's words. This file does not open choosers (each action sets
 * its own title, filters and mode), nor does it act on the answer.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-chooser"

#include "config.h"

#include "impasto-window-private.h"

char *
_impasto_window_chooser_answer (ImpastoWindow *self,
                                int            response,
                                const char    *not_local)
{
  g_autoptr(GFile) file = NULL;
  char *path;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  if (self->chooser == NULL)
    return NULL;
  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return NULL;
  path = g_file_get_path (file);
  if (path == NULL)
    impasto_window_show_error (self, not_local);
  return path;
}
