/* impasto-window-export.c
 *
 * Export Animation… (win.export-animation): a file chooser for the .webp file, then the export
 * dialog (impasto-export-dialog.c) over the window with the current run's film, and a toast with
 * Show in Files once it is written. The frames are the job's (impasto_job_get_film()); this file
 * neither keeps nor encodes them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-export"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-window-private.h"

static void
on_exported_cb (ImpastoWindow       *self,
                const char          *path,
                int                  n_frames,
                ImpastoExportDialog *dialog)
{
  _impasto_window_show_saved (self, path);
}

void
_impasto_window_export_to (ImpastoWindow *self,
                           const char    *path)
{
  g_autofree char *webp = NULL;
  g_autofree char *lower = NULL;
  ImpastoFilm *film;

  g_assert (IMPASTO_IS_WINDOW (self));
  g_assert (path != NULL);

  film = self->job != NULL ? impasto_job_get_film (self->job) : NULL;
  if (film == NULL || impasto_film_get_n_frames (film) < 2)
    {
      impasto_window_show_toast (self, _("Not enough frames yet to make an animation"));
      return;
    }
  lower = g_ascii_strdown (path, -1);
  webp = g_str_has_suffix (lower, ".webp") ? g_strdup (path) : g_strconcat (path, ".webp", NULL);
  if (self->export_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->export_dialog));
  self->export_dialog = impasto_export_dialog_new (GTK_WINDOW (self), film, webp);
  g_object_add_weak_pointer (G_OBJECT (self->export_dialog), (gpointer *) &self->export_dialog);
  g_signal_connect_object (self->export_dialog, "exported", G_CALLBACK (on_exported_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->export_dialog));
}

static void
on_chooser_response_cb (ImpastoWindow        *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response,
                                    _("The animation can only be written to a local file"));

  if (path != NULL)
    _impasto_window_export_to (self, path);
}

static void
impasto_window_export_animation_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  g_autoptr(GtkFileFilter) webp = gtk_file_filter_new ();

  if (self->chooser != NULL || self->job == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Animation"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Next"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (webp, _("Animated WebP"));
  gtk_file_filter_add_mime_type (webp, "image/webp");
  gtk_file_filter_add_suffix (webp, "webp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), webp);
  /* Translators: the suggested file name of an exported animation. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("painting.webp"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_impasto_window_class_export_init (ImpastoWindowClass *klass)
{
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "win.export-animation", NULL,
                                   impasto_window_export_animation_action);
}
