/* impasto-window-save.c
 *
 * Saving the painting and not losing it: whether the newest frame was ever saved, the question
 * "Save the Painting?" before closing or starting again replaces it (Save, Discard, Cancel) and
 * what follows it, the save file chooser, and writing the frame with
 * impasto_image_save_rgb8_with_text() (a temporary file renamed into place; a PNG carries the
 * controls' settings, impasto-picture-settings.h) on a GTask thread. Calls down to
 * impasto-window-run.c to start again; the Save of the question goes through win.save, like the
 * menu's, and opening a saved run once it is answered through win.open-run-folder
 * (impasto-window-keep.c, which asks the question). Save writes what the canvas shows: while a snapshot chosen on the timeline is shown,
 * its picture (which changes nothing about whether the newest painting was saved); the question's
 * Save always writes the newest, which is what would be lost.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-save"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "impasto-image.h"
#include "impasto-model-store.h"
#include "impasto-params-file.h"
#include "impasto-picture-settings.h"
#include "impasto-window-private.h"

/* Unsaved paintings --------------------------------------------------------------------------- */

gboolean
_impasto_window_has_unsaved_painting (ImpastoWindow *self)
{
  GBytes *pixels;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  if (self->job == NULL)
    return FALSE;
  pixels = impasto_job_get_pixels (self->job, NULL, NULL, NULL);
  return pixels != NULL && pixels != self->saved_pixels;
}

/* What the question was asked for, once the painting is saved or may go. */
static void
impasto_window_go_on (ImpastoWindow    *self,
                      ImpastoAfterSave  then)
{
  switch (then)
    {
    case IMPASTO_AFTER_SAVE_CLOSE:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;

    case IMPASTO_AFTER_SAVE_START:
      _impasto_window_start (self);
      break;

    case IMPASTO_AFTER_SAVE_RESTART:
      if (self->job != NULL && impasto_job_is_active (self->job))
        {
          self->restart_when_stopped = TRUE;
          impasto_job_stop (self->job);
          _impasto_window_update_stats (self);
          _impasto_window_update_actions (self);
        }
      else
        {
          _impasto_window_start (self);
        }
      break;

    case IMPASTO_AFTER_SAVE_BRANCH:
      _impasto_window_branch (self);
      break;

    case IMPASTO_AFTER_SAVE_OPEN_RUN:
      /* Through the action, as the Save of the question goes through win.save. */
      if (self->open_run_folder != NULL)
        {
          g_autofree char *folder = g_steal_pointer (&self->open_run_folder);

          gtk_widget_activate_action (GTK_WIDGET (self), "win.open-run-folder", "s", folder);
        }
      break;

    case IMPASTO_AFTER_SAVE_NONE:
    default:
      break;
    }
}

/* The save flow's end: @pixels were written (@saved) or not; NULL @pixels when nothing was
 * written at all (the file chooser was cancelled). Goes on to what the question asked for. */
static void
impasto_window_save_done (ImpastoWindow *self,
                          GBytes        *pixels,
                          gboolean       saved)
{
  ImpastoAfterSave then;

  g_assert (IMPASTO_IS_WINDOW (self));

  /* Saved only once the file is written: a painting whose save fails is still unsaved, and
   * closing or starting again asks about it. */
  if (pixels != NULL && pixels == self->saving_pixels)
    g_clear_pointer (&self->saving_pixels, g_bytes_unref);
  if (saved && pixels != NULL)
    {
      g_clear_pointer (&self->saved_pixels, g_bytes_unref);
      self->saved_pixels = g_bytes_ref (pixels);
    }

  then = self->after_save;
  self->after_save = IMPASTO_AFTER_SAVE_NONE;
  if (saved)
    impasto_window_go_on (self, then);
}

static void
on_save_dialog_response_cb (ImpastoWindow    *self,
                            const char       *response,
                            AdwMessageDialog *dialog)
{
  ImpastoAfterSave then = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "impasto-then"));

  if (g_strcmp0 (response, "save") == 0)
    {
      /* Goes on only once the file is written; a cancelled chooser or a failed save stops
       * here, with the painting still on the canvas. */
      self->after_save = then;
      gtk_widget_activate_action (GTK_WIDGET (self), "win.save", NULL);
    }
  else if (g_strcmp0 (response, "discard") == 0)
    {
      impasto_window_go_on (self, then);
    }
}

void
_impasto_window_confirm (ImpastoWindow    *self,
                         ImpastoAfterSave  then)
{
  const char *body;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (!_impasto_window_has_unsaved_painting (self))
    {
      impasto_window_go_on (self, then);
      return;
    }
  /* This very painting is being written (Ctrl+S, then Ctrl+W at once): go on once it is saved;
   * if writing it fails, the error says so and the painting stays. */
  if (self->saving_pixels != NULL
      && self->saving_pixels == impasto_job_get_pixels (self->job, NULL, NULL, NULL))
    {
      self->after_save = then;
      return;
    }
  if (self->save_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->save_dialog));
      return;
    }

  if (impasto_job_is_active (self->job))
    body = then == IMPASTO_AFTER_SAVE_CLOSE
           ? _("Closing stops the painting. What is painted so far is lost unless you save it.")
           : then == IMPASTO_AFTER_SAVE_BRANCH
           ? _("Continuing from an earlier snapshot replaces the painting. What is painted so "
               "far is lost unless you save it.")
           : then == IMPASTO_AFTER_SAVE_OPEN_RUN
           ? _("Opening a saved run stops the painting. What is painted so far is lost unless "
               "you save it.")
           : _("Starting again replaces the painting. What is painted so far is lost unless "
               "you save it.");
  else
    body = then == IMPASTO_AFTER_SAVE_CLOSE
           ? _("The painting has not been saved. It is lost when the window closes unless you "
               "save it.")
           : then == IMPASTO_AFTER_SAVE_BRANCH
           ? _("Continuing from an earlier snapshot replaces the painting, which has not been "
               "saved. It is lost unless you save it.")
           : then == IMPASTO_AFTER_SAVE_OPEN_RUN
           ? _("Opening a saved run replaces the painting, which has not been saved. It is lost "
               "unless you save it.")
           : _("Starting again replaces the painting, which has not been saved. It is lost "
               "unless you save it.");

  self->save_dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                  _("Save the Painting?"),
                                                                  body));
  adw_message_dialog_add_responses (self->save_dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->save_dialog, "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (self->save_dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->save_dialog, "save");
  adw_message_dialog_set_close_response (self->save_dialog, "cancel");
  g_object_set_data (G_OBJECT (self->save_dialog), "impasto-then", GINT_TO_POINTER (then));
  g_object_add_weak_pointer (G_OBJECT (self->save_dialog), (gpointer *) &self->save_dialog);
  g_signal_connect_object (self->save_dialog, "response",
                           G_CALLBACK (on_save_dialog_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->save_dialog));
}

/* Writing the file ---------------------------------------------------------------------------- */

/* The snapshot the canvas shows instead of the newest picture, which Save then writes; NULL when
 * the newest is shown, or when the question "Save the painting?" asked to save the newest. */
static const ImpastoJobSnapshot *
impasto_window_shown_snapshot (ImpastoWindow *self)
{
  if (self->after_save != IMPASTO_AFTER_SAVE_NONE)
    return NULL;
  return impasto_timeline_get_selected_snapshot (self->timeline);
}

/* The canvas's picture (a snapshot's, opaque) as RGB rows of width × 3 bytes. GTK 4.8 has no
 * GdkTextureDownloader: the texture comes as premultiplied BGRA or ARGB words, one per pixel. */
static GBytes *
impasto_window_shown_rgb8 (ImpastoWindow *self,
                           int           *width,
                           int           *height)
{
  GdkPaintable *paintable = impasto_canvas_view_get_paintable (self->canvas);
  GdkTexture *texture;
  g_autofree guint32 *argb = NULL;
  guint8 *rgb;
  gsize n;

  if (!GDK_IS_TEXTURE (paintable))
    return NULL;
  texture = GDK_TEXTURE (paintable);
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);
  n = (gsize) *width * *height;
  argb = g_new (guint32, n);
  gdk_texture_download (texture, (guchar *) argb, (gsize) *width * 4);
  rgb = g_malloc (n * 3);
  for (gsize i = 0; i < n; i++)
    {
      rgb[3 * i] = (guint8) (argb[i] >> 16);
      rgb[3 * i + 1] = (guint8) (argb[i] >> 8);
      rgb[3 * i + 2] = (guint8) argb[i];
    }
  return g_bytes_new_take (rgb, n * 3);
}

typedef struct
{
  GBytes *pixels;
  gboolean snapshot;       /* a snapshot's picture: the newest painting's state stays as it is */
  int width;
  int height;
  gsize stride;
  char *path;
  /* What the picture carries (a PNG's text): the controls' settings at the time of saving, the
   * model and the run's photo and paintings, checksummed on the thread. */
  ImpastoRunSettings settings;
  char *model_path;
  char *photo;
  GPtrArray *paintings;    /* paths, NULL for a pasted painting */
} Save;

static void
save_free (Save *save)
{
  g_clear_pointer (&save->pixels, g_bytes_unref);
  g_clear_pointer (&save->path, g_free);
  g_clear_pointer (&save->model_path, g_free);
  g_clear_pointer (&save->photo, g_free);
  g_clear_pointer (&save->paintings, g_ptr_array_unref);
  g_free (save);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  GError *error = NULL;
  g_autofree char *model_md5 = NULL;
  g_autofree char *text = NULL;
  ImpastoPictureSource source = { 0 };

  if (save->model_path != NULL)
    model_md5 = impasto_model_store_get_md5 (save->model_path);
  source.model_md5 = model_md5;
  source.photo_path = save->photo;
  source.painting_paths = (const char * const *) save->paintings->pdata;
  source.n_paintings = (int) save->paintings->len;
  text = impasto_picture_settings_text (&save->settings, &source);

  if (!impasto_image_save_rgb8_with_text (g_bytes_get_data (save->pixels, NULL), save->width,
                                          save->height, save->stride, save->path,
                                          IMPASTO_PICTURE_SETTINGS_KEY, text, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ImpastoWindow *self = IMPASTO_WINDOW (object);
  Save *save = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GApplication *app = g_application_get_default ();
  gboolean saved = g_task_propagate_boolean (G_TASK (result), &error);

  if (app != NULL)
    g_application_release (app);

  /* Closed while the file was being written: no window left to tell. */
  if (self->toast_overlay == NULL)
    {
      if (!saved)
        g_warning (_("The picture was not saved: %s"), error->message);
      return;
    }

  if (!saved)
    {
      /* The name here; the full path and the system's reason on request. */
      g_autofree char *name = g_filename_display_basename (save->path);
      g_autofree char *message = g_strdup_printf (_("The picture was not saved as “%s”"), name);
      g_autofree char *details = g_strdup_printf (_("The picture was not saved: %s"),
                                                  error->message);

      impasto_window_show_error_details (self, message, details);
      impasto_window_save_done (self, save->snapshot ? NULL : save->pixels, FALSE);
      return;
    }

  _impasto_window_show_saved (self, save->path);
  impasto_window_save_done (self, save->snapshot ? NULL : save->pixels, TRUE);
}

/* A local file's path; NULL for none or a remote one. */
static char *
file_path (GFile *file)
{
  return file != NULL ? g_file_get_path (file) : NULL;
}

void
_impasto_window_save_to (ImpastoWindow *self,
                        const char    *path)
{
  g_autoptr(GTask) task = NULL;
  Save *save;
  GBytes *pixels;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (self->job == NULL)
    return;

  save = g_new0 (Save, 1);
  if (impasto_window_shown_snapshot (self) != NULL)
    {
      /* What the canvas shows: the snapshot chosen on the timeline. */
      save->snapshot = TRUE;
      save->pixels = impasto_window_shown_rgb8 (self, &save->width, &save->height);
      save->stride = (gsize) save->width * 3;
    }
  else
    {
      pixels = impasto_job_get_pixels (self->job, &save->width, &save->height, &save->stride);
      save->pixels = pixels != NULL ? g_bytes_ref (pixels) : NULL;
    }
  if (save->pixels == NULL)
    {
      save_free (save);
      return;
    }
  save->path = g_strdup (path);
  impasto_params_to_run_settings (self->params, &save->settings);
  if (self->model != NULL)
    save->model_path = g_strdup (impasto_model_get_path (self->model));
  save->photo = file_path (impasto_image_well_get_file (self->content_well));
  save->paintings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->job_wells->len; i++)
    g_ptr_array_add (save->paintings,
                     file_path (impasto_image_well_get_file (g_ptr_array_index (self->job_wells,
                                                                                i))));
  if (!save->snapshot)
    {
      g_clear_pointer (&self->saving_pixels, g_bytes_unref);
      self->saving_pixels = g_bytes_ref (save->pixels);
    }

  /* The application stays until the file is written, even if the window is closed meanwhile
   * (otherwise the process could end with the save half done and the picture lost). */
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
  task = g_task_new (self, NULL, save_cb, NULL);
  g_task_set_source_tag (task, _impasto_window_save_to);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);
  g_task_run_in_thread (task, save_thread);
}

static gboolean
has_image_extension (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".jpg")
         || g_str_has_suffix (lower, ".jpeg");
}

static void
on_replace_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        ImpastoWindow    *self)
{
  if (g_strcmp0 (response, "replace") == 0)
    _impasto_window_save_to (self, g_object_get_data (G_OBJECT (dialog), "impasto-path"));
  else
    impasto_window_save_done (self, NULL, FALSE);
}

static void
on_save_response_cb (ImpastoWindow        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  _impasto_window_save_chosen (self, file);
}

void
_impasto_window_save_chosen (ImpastoWindow *self,
                             GFile         *file)
{
  g_autofree char *path = NULL;

  g_assert (IMPASTO_IS_WINDOW (self));
  g_assert (self->chooser != NULL);

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (file == NULL)
    {
      impasto_window_save_done (self, NULL, FALSE);
      return;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      impasto_window_show_error (self, _("Pictures can only be saved to folders on this "
                                         "computer"));
      impasto_window_save_done (self, NULL, FALSE);
      return;
    }

  /* The chooser asked before replacing the name it was given; a name we complete with .png gets
   * the same question from us. */
  if (!has_image_extension (path))
    {
      g_autofree char *with_png = g_strconcat (path, ".png", NULL);

      if (g_file_test (with_png, G_FILE_TEST_EXISTS))
        {
          g_autofree char *name = g_path_get_basename (with_png);
          g_autofree char *body =
            g_strdup_printf (_("A file named “%s” already exists. Replacing it overwrites "
                               "its contents."), name);
          AdwMessageDialog *dialog =
            ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                        _("Replace the File?"), body));

          adw_message_dialog_add_responses (dialog,
                                            "cancel", _("_Cancel"),
                                            "replace", _("_Replace"),
                                            NULL);
          adw_message_dialog_set_response_appearance (dialog, "replace",
                                                      ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_default_response (dialog, "cancel");
          adw_message_dialog_set_close_response (dialog, "cancel");
          g_object_set_data_full (G_OBJECT (dialog), "impasto-path", g_strdup (with_png),
                                  g_free);
          g_signal_connect_object (dialog, "response", G_CALLBACK (on_replace_response_cb),
                                   self, 0);
          gtk_window_present (GTK_WINDOW (dialog));
          return;
        }
      g_free (path);
      path = g_steal_pointer (&with_png);
    }

  _impasto_window_save_to (self, path);
}

void
_impasto_window_choose_save_file (ImpastoWindow *self)
{
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) jpeg = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  const ImpastoJobSnapshot *snapshot;
  GFile *content;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (self->job == NULL || impasto_job_get_pixels (self->job, NULL, NULL, NULL) == NULL
      || self->chooser != NULL)
    {
      impasto_window_save_done (self, NULL, FALSE);
      return;
    }

  snapshot = impasto_window_shown_snapshot (self);
  self->chooser = gtk_file_chooser_native_new (snapshot != NULL ? _("Save the Snapshot's Picture")
                                                                : _("Save the Picture"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (png, _("PNG picture"));
  gtk_file_filter_add_mime_type (png, "image/png");
  gtk_file_filter_add_suffix (png, "png");
  gtk_file_filter_set_name (jpeg, _("JPEG picture"));
  gtk_file_filter_add_mime_type (jpeg, "image/jpeg");
  gtk_file_filter_add_suffix (jpeg, "jpg");
  gtk_file_filter_add_suffix (jpeg, "jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), png);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), jpeg);

  content = impasto_image_well_get_file (self->content_well);
  if (content != NULL)
    {
      g_autofree char *base = g_file_get_basename (content);
      char *dot = strrchr (base, '.');
      g_autoptr(GFile) folder = g_file_get_parent (content);

      if (dot != NULL && dot != base)
        *dot = '\0';
      if (snapshot != NULL)
        /* Translators: the suggested file name of a snapshot's picture, from the photo's name
         * and the iteration. */
        name = g_strdup_printf (_("%s-iteration-%d.png"), base, snapshot->iteration);
      else
        /* Translators: the suggested file name, from the photo's name. */
        name = g_strdup_printf (_("%s-painted.png"), base);
      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  else
    {
      name = g_strdup (_("painting.png"));
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
