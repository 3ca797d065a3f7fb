/* impasto-export-dialog.c
 *
 * Export Animation's dialog (see impasto-export-dialog.h). The encoding runs in a GTask thread
 * with its own cancellable; it counts the frames done in an atomic, which a timeout on the main
 * thread shows in the progress bar. The dialog stays alive while it encodes (the task holds it),
 * so closing it only cancels, and it is destroyed once the task has returned.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-animation.h"
#include "impasto-export-dialog.h"
#include "impasto-resources-private.h"

/* The choices offered at first. */
#define DEFAULT_FRAMES 60
#define DEFAULT_SIZE 480

struct _ImpastoExportDialog
{
  AdwWindow parent_instance;

  /* Template children. */
  GtkButton *cancel_button;
  GtkButton *export_button;
  AdwPreferencesGroup *choice_group;
  GtkSpinButton *frames_spin;
  GtkSpinButton *size_spin;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;

  ImpastoFilm *film;
  char *path;
  GCancellable *cancellable;   /* of the encoding under way; NULL when none */
  int done;                    /* atomic: frames encoded, written by the task's thread */
  int total;                   /* atomic */
  guint progress_timeout;
  gboolean close_when_done;
};

typedef struct
{
  ImpastoFilm *film;
  char *path;
  int n_frames;
  int size;
  int written;
  ImpastoExportDialog *self;   /* for the progress atomics; the task holds a reference */
} ExportData;

enum {
  EXPORTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (ImpastoExportDialog, impasto_export_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  impasto_film_unref (export->film);
  g_free (export->path);
  g_free (export);
}

static void
on_progress (int      done,
             int      total,
             gpointer data)
{
  ImpastoExportDialog *self = data;

  g_atomic_int_set (&self->total, total);
  g_atomic_int_set (&self->done, done);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *export = task_data;
  GError *error = NULL;

  if (impasto_animation_write (export->film, export->path, export->n_frames, export->size,
                               cancellable, on_progress, export->self, &export->written, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

double
impasto_export_dialog_get_progress (ImpastoExportDialog *self)
{
  int total;

  g_return_val_if_fail (IMPASTO_IS_EXPORT_DIALOG (self), 0.0);

  total = g_atomic_int_get (&self->total);
  return total > 0 ? (double) g_atomic_int_get (&self->done) / total : 0.0;
}

static gboolean
on_progress_timeout_cb (gpointer data)
{
  ImpastoExportDialog *self = data;

  gtk_progress_bar_set_fraction (self->progress_bar, impasto_export_dialog_get_progress (self));
  return G_SOURCE_CONTINUE;
}

/* Choosing is possible again (after an error), or not (while encoding). */
static void
impasto_export_dialog_set_busy (ImpastoExportDialog *self,
                                gboolean             busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->choice_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  if (busy)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
      self->progress_timeout = g_timeout_add (50, on_progress_timeout_cb, self);
    }
  else
    g_clear_handle_id (&self->progress_timeout, g_source_remove);
}

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ImpastoExportDialog *self = IMPASTO_EXPORT_DIALOG (source);
  ExportData *export = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  impasto_export_dialog_set_busy (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_signal_emit (self, signals[EXPORTED], 0, export->path, export->written);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (self->close_when_done || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  gtk_label_set_label (self->status_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
}

void
impasto_export_dialog_export (ImpastoExportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  ExportData *export;

  g_return_if_fail (IMPASTO_IS_EXPORT_DIALOG (self));

  if (self->cancellable != NULL)
    return;
  export = g_new0 (ExportData, 1);
  export->film = impasto_film_ref (self->film);
  export->path = g_strdup (self->path);
  export->n_frames = gtk_spin_button_get_value_as_int (self->frames_spin);
  export->size = gtk_spin_button_get_value_as_int (self->size_spin);
  export->self = self;
  g_atomic_int_set (&self->done, 0);
  g_atomic_int_set (&self->total, 0);

  self->cancellable = g_cancellable_new ();
  impasto_export_dialog_set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, on_export_done_cb, NULL);
  g_task_set_source_tag (task, impasto_export_dialog_export);
  g_task_set_name (task, "[impasto] export animation");
  g_task_set_task_data (task, export, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

void
impasto_export_dialog_cancel (ImpastoExportDialog *self)
{
  g_return_if_fail (IMPASTO_IS_EXPORT_DIALOG (self));

  if (self->cancellable == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  self->close_when_done = TRUE;
  g_cancellable_cancel (self->cancellable);
}

gboolean
impasto_export_dialog_get_exporting (ImpastoExportDialog *self)
{
  g_return_val_if_fail (IMPASTO_IS_EXPORT_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

void
impasto_export_dialog_set_choice (ImpastoExportDialog *self,
                                  int                  n_frames,
                                  int                  size)
{
  g_return_if_fail (IMPASTO_IS_EXPORT_DIALOG (self));

  gtk_spin_button_set_value (self->frames_spin, n_frames);
  gtk_spin_button_set_value (self->size_spin, size);
}

static void
on_cancel_button_clicked_cb (ImpastoExportDialog *self)
{
  impasto_export_dialog_cancel (self);
}

static void
on_export_button_clicked_cb (ImpastoExportDialog *self)
{
  impasto_export_dialog_export (self);
}

/* Closing while it encodes is cancelling: the dialog goes once the encoding has stopped. */
static gboolean
impasto_export_dialog_close_request (GtkWindow *window)
{
  ImpastoExportDialog *self = IMPASTO_EXPORT_DIALOG (window);

  if (self->cancellable == NULL)
    return GTK_WINDOW_CLASS (impasto_export_dialog_parent_class)->close_request (window);
  impasto_export_dialog_cancel (self);
  return TRUE;
}

static void
impasto_export_dialog_cancel_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  impasto_export_dialog_cancel (IMPASTO_EXPORT_DIALOG (widget));
}

static void
impasto_export_dialog_dispose (GObject *object)
{
  ImpastoExportDialog *self = (ImpastoExportDialog *) object;

  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (impasto_export_dialog_parent_class)->dispose (object);
}

static void
impasto_export_dialog_finalize (GObject *object)
{
  ImpastoExportDialog *self = (ImpastoExportDialog *) object;

  g_clear_pointer (&self->film, impasto_film_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (impasto_export_dialog_parent_class)->finalize (object);
}

static void
impasto_export_dialog_class_init (ImpastoExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = impasto_export_dialog_dispose;
  object_class->finalize = impasto_export_dialog_finalize;
  window_class->close_request = impasto_export_dialog_close_request;

  /* The file has been written: its path and the frames it has. */
  signals[EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  impasto_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/impasto/Impasto/impasto-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, choice_group);
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, frames_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, size_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ImpastoExportDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "export.cancel", NULL,
                                   impasto_export_dialog_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
impasto_export_dialog_init (ImpastoExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ImpastoExportDialog *
impasto_export_dialog_new (GtkWindow   *parent,
                           ImpastoFilm *film,
                           const char  *path)
{
  ImpastoExportDialog *self;
  g_autofree char *description = NULL;
  int n = 0;
  int width = 0;
  int height = 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (film != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (IMPASTO_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->film = impasto_film_ref (film);
  self->path = g_strdup (path);

  /* No more frames than were kept, no larger than they were kept. */
  n = impasto_film_get_n_frames (film);
  impasto_film_get_frame_size (film, &width, &height);
  gtk_spin_button_set_range (self->frames_spin, IMPASTO_ANIMATION_MIN_FRAMES,
                             CLAMP (n, IMPASTO_ANIMATION_MIN_FRAMES,
                                    IMPASTO_ANIMATION_MAX_FRAMES));
  gtk_spin_button_set_range (self->size_spin, IMPASTO_ANIMATION_MIN_SIZE,
                             CLAMP (MAX (width, height), IMPASTO_ANIMATION_MIN_SIZE,
                                    IMPASTO_ANIMATION_MAX_SIZE));
  impasto_export_dialog_set_choice (self, DEFAULT_FRAMES, DEFAULT_SIZE);
  /* Translators: what a run kept for its animation: "This run kept 84 frames of 480 × 360.". */
  description = g_strdup_printf (g_dngettext (NULL, "This run kept %d frame of %d × %d.",
                                              "This run kept %d frames of %d × %d.", n),
                                 n, width, height);
  adw_preferences_group_set_description (self->choice_group, description);
  return self;
}
