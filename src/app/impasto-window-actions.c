/* impasto-window-actions.c
 *
 * The window's win.* actions and their keyboard shortcuts, and the one function that decides
 * which of them are enabled (_impasto_window_update_actions()). Saving writes the newest frame
 * with impasto_image_save_rgb8() (a temporary file renamed into place) on a GTask thread.
 *
 * Shortcuts are class bindings, which GTK runs after the focused widget had its chance, so Ctrl+V
 * in an entry still pastes text there.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "impasto-image.h"
#include "impasto-show-in-files.h"
#include "impasto-window-private.h"

/* Toasts with a button ---------------------------------------------------------------------- */

void
_impasto_window_add_toast_with_button (ImpastoWindow    *self,
                                       const char       *message,
                                       const char       *button_label,
                                       const char       *action_name,
                                       GVariant         *target,
                                       guint             timeout,
                                       AdwToastPriority  priority)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_assert (IMPASTO_IS_WINDOW (self));

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, priority);
  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  if (target != NULL)
    adw_toast_set_action_target_value (toast, target);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
impasto_window_show_error_details (ImpastoWindow *self,
                                    const char    *message,
                                    const char    *details)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (details == NULL || g_strcmp0 (details, message) == 0)
    {
      impasto_window_show_error (self, message);
      return;
    }
  /* Translators: the button on an error message that shows the full technical text. */
  _impasto_window_add_toast_with_button (self, message, _("Details"), "win.show-details",
                                         g_variant_new ("(ss)", message, details), 0,
                                         ADW_TOAST_PRIORITY_HIGH);
}

static void
impasto_window_show_details_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  const char *message;
  const char *details;
  GtkWidget *label;
  AdwMessageDialog *dialog;

  g_variant_get (param, "(&s&s)", &message, &details);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (widget), message, NULL));
  /* Selectable, so that it can be copied into a question or a bug report. */
  label = gtk_label_new (details);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_widget_add_css_class (label, "dim-label");
  adw_message_dialog_set_extra_child (dialog, label);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Start, pause, stop ------------------------------------------------------------------------ */

static void
impasto_window_start_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  /* A new run replaces a finished or stopped painting: ask first if it was never saved. */
  if (self->job != NULL && !impasto_job_is_active (self->job))
    _impasto_window_confirm (self, IMPASTO_AFTER_SAVE_START);
  else
    _impasto_window_start (self);
}

static void
impasto_window_pause_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->job != NULL)
    impasto_job_set_paused (self->job, TRUE);
}

static void
impasto_window_resume_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->job != NULL)
    impasto_job_set_paused (self->job, FALSE);
}

static void
impasto_window_toggle_pause_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->job != NULL && impasto_job_is_active (self->job))
    impasto_job_set_paused (self->job,
                            impasto_job_get_state (self->job) != IMPASTO_JOB_PAUSED);
}

static void
impasto_window_stop_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  self->restart_when_stopped = FALSE;
  if (self->job != NULL)
    impasto_job_stop (self->job);
}

/* Pictures ------------------------------------------------------------------------------------ */

/* The wells own opening, pasting and dropping (their well.* actions); the window's shortcuts and
 * menu forward to the well they mean. */
static void
impasto_window_open_content_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  gtk_widget_activate_action (GTK_WIDGET (IMPASTO_WINDOW (widget)->content_well), "well.open",
                              NULL);
}

static void
impasto_window_open_style_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  gtk_widget_activate_action (GTK_WIDGET (IMPASTO_WINDOW (widget)->style_well), "well.open",
                              NULL);
}

/* The well with the keyboard focus, else the first empty one, else the photo. */
static ImpastoImageWell *
impasto_window_paste_target (ImpastoWindow *self)
{
  if (gtk_widget_get_state_flags (GTK_WIDGET (self->style_well)) & GTK_STATE_FLAG_FOCUS_WITHIN)
    return self->style_well;
  if (gtk_widget_get_state_flags (GTK_WIDGET (self->content_well)) & GTK_STATE_FLAG_FOCUS_WITHIN)
    return self->content_well;
  if (impasto_image_well_get_pixbuf (self->content_well) != NULL
      && impasto_image_well_get_pixbuf (self->style_well) == NULL)
    return self->style_well;
  return self->content_well;
}

static void
impasto_window_paste_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  ImpastoImageWell *well = impasto_window_paste_target (IMPASTO_WINDOW (widget));

  gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL);
}

/* Saving -------------------------------------------------------------------------------------- */

typedef struct
{
  GBytes *pixels;
  int width;
  int height;
  gsize stride;
  char *path;
} Save;

static void
save_free (Save *save)
{
  g_clear_pointer (&save->pixels, g_bytes_unref);
  g_clear_pointer (&save->path, g_free);
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

  if (!impasto_image_save_rgb8 (g_bytes_get_data (save->pixels, NULL), save->width,
                                save->height, save->stride, save->path, &error))
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
      _impasto_window_save_done (self, save->pixels, FALSE);
      return;
    }

  {
    g_autofree char *name = g_filename_display_basename (save->path);
    g_autofree char *message = g_strdup_printf (_("Saved as “%s”"), name);
    g_autoptr(GFile) file = g_file_new_for_path (save->path);
    g_autofree char *uri = g_file_get_uri (file);

    _impasto_window_add_toast_with_button (self, message, _("Show in Files"),
                                           "win.show-in-files", g_variant_new_string (uri), 5,
                                           ADW_TOAST_PRIORITY_NORMAL);
  }
  _impasto_window_save_done (self, save->pixels, TRUE);
}

static void
impasto_window_show_in_files_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  impasto_show_in_files (GTK_WINDOW (widget), file);
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
  pixels = impasto_job_get_pixels (self->job, &save->width, &save->height, &save->stride);
  if (pixels == NULL)
    {
      save_free (save);
      return;
    }
  save->pixels = g_bytes_ref (pixels);
  save->path = g_strdup (path);
  /* Saved as far as closing and starting again are concerned; a failure undoes it. */
  g_clear_pointer (&self->saved_pixels, g_bytes_unref);
  self->saved_pixels = g_bytes_ref (pixels);

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
    _impasto_window_save_done (self, NULL, FALSE);
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
      _impasto_window_save_done (self, NULL, FALSE);
      return;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      impasto_window_show_error (self, _("Pictures can only be saved to folders on this "
                                         "computer"));
      _impasto_window_save_done (self, NULL, FALSE);
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

static void
impasto_window_save_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) jpeg = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GFile *content;

  if (self->job == NULL || impasto_job_get_pixels (self->job, NULL, NULL, NULL) == NULL
      || self->chooser != NULL)
    {
      _impasto_window_save_done (self, NULL, FALSE);
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Save the Picture"), GTK_WINDOW (self),
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

/* Model and frames folder --------------------------------------------------------------------- */

static void
on_model_response_cb (ImpastoWindow        *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      /* The application carries the model (impasto-application.h). */
      if (path != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "app.load-model", "(ss)", path, "");
      else
        impasto_window_show_error (self, _("The model must be a file on this computer"));
    }
}

static void
impasto_window_choose_model_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  g_autoptr(GtkFileFilter) mat = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose the VGG19 Model"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (mat, _("VGG19 model (imagenet-vgg-verydeep-19.mat or .impasto)"));
  gtk_file_filter_add_suffix (mat, "mat");
  gtk_file_filter_add_suffix (mat, "impasto");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), mat);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_model_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_folder_response_cb (ImpastoWindow        *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);

  if (folder != NULL)
    {
      g_autofree char *path = g_file_get_path (folder);

      if (path != NULL)
        g_object_set (self->params, "save-folder", path, NULL);
      else
        impasto_window_show_error (self, _("Frames can only be saved to folders on this "
                                           "computer"));
    }
}

static void
impasto_window_choose_save_folder_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose a Folder for the Frames"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_folder_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
impasto_window_toggle_controls_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* Reset to defaults ------------------------------------------------------------------------- */

/* The settings behind the sidebar's controls; not the pictures, the model or the window. */
static const char * const control_keys[] = {
  "alpha", "beta", "tv", "learning-rate", "content-layers", "style-layers", "pool", "size",
  "iterations", "init", "noise-ratio", "seed", "optimizer", "save-every", "save-folder",
};

/* The parameters read the settings once (each window keeps its own values); binding them again
 * reads them anew, and the controls and a running job follow the parameters as usual. */
static void
impasto_window_reload_controls (ImpastoWindow *self)
{
  impasto_params_bind_settings (self->params, self->settings);
}

gboolean
_impasto_window_controls_are_default (ImpastoWindow *self)
{
  g_assert (IMPASTO_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (control_keys); i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (self->settings, control_keys[i]);
      g_autoptr(GVariant) fallback = g_settings_get_default_value (self->settings,
                                                                  control_keys[i]);

      if (!g_variant_equal (value, fallback))
        return FALSE;
    }
  return TRUE;
}

static void
impasto_window_reset_controls_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  g_autoptr(GVariantBuilder) before = g_variant_builder_new (G_VARIANT_TYPE ("a{sv}"));

  if (_impasto_window_controls_are_default (self))
    {
      impasto_window_show_toast (self, _("The controls are already at their defaults"));
      return;
    }

  /* Undo rather than a question: nothing is lost that one click cannot bring back. */
  g_settings_delay (self->settings);
  for (guint i = 0; i < G_N_ELEMENTS (control_keys); i++)
    {
      g_variant_builder_add (before, "{sv}", control_keys[i],
                             g_settings_get_value (self->settings, control_keys[i]));
      g_settings_reset (self->settings, control_keys[i]);
    }
  g_settings_apply (self->settings);
  impasto_window_reload_controls (self);

  _impasto_window_add_toast_with_button (self, _("The controls are back at their defaults"),
                                         _("_Undo"), "win.undo-reset-controls",
                                         g_variant_builder_end (before), 8,
                                         ADW_TOAST_PRIORITY_HIGH);
}

static void
impasto_window_undo_reset_controls_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_settings_delay (self->settings);
  g_variant_iter_init (&iter, param);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    g_settings_set_value (self->settings, key, value);
  g_settings_apply (self->settings);
  impasto_window_reload_controls (self);
}

/* Enabling ------------------------------------------------------------------------------------ */

void
_impasto_window_update_actions (ImpastoWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  ImpastoJobState state = self->job != NULL ? impasto_job_get_state (self->job)
                                            : IMPASTO_JOB_READY;
  gboolean active = self->job != NULL && impasto_job_is_active (self->job);
  gboolean ready = self->model != NULL
                   && impasto_image_well_get_pixbuf (self->content_well) != NULL
                   && impasto_image_well_get_pixbuf (self->style_well) != NULL
                   && !impasto_image_well_get_loading (self->content_well)
                   && !impasto_image_well_get_loading (self->style_well);
  gboolean paused = state == IMPASTO_JOB_PAUSED;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  gtk_widget_action_set_enabled (widget, "win.start",
                                 ready && !active && !self->restart_when_stopped);
  gtk_widget_action_set_enabled (widget, "win.pause",
                                 state == IMPASTO_JOB_PREPARING || state == IMPASTO_JOB_RUNNING);
  gtk_widget_action_set_enabled (widget, "win.resume", paused);
  gtk_widget_action_set_enabled (widget, "win.toggle-pause", active);
  gtk_widget_action_set_enabled (widget, "win.stop", active);
  gtk_widget_action_set_enabled (widget, "win.save",
                                 self->job != NULL
                                 && impasto_job_get_pixels (self->job, NULL, NULL, NULL) != NULL);

  /* One button pauses and resumes. While a run is under way it stands where Start stood, and
   * when paused it is the one suggested action: never a disabled Start beside Resume. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->pause_button),
                                  paused ? "win.resume" : "win.pause");
  gtk_button_set_icon_name (self->pause_button,
                            paused ? "media-playback-start-symbolic"
                                   : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               paused ? _("Resume") : _("Pause"));
  if (paused)
    gtk_widget_add_css_class (GTK_WIDGET (self->pause_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->pause_button), "suggested-action");
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !active);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), active);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), active);
}

void
_impasto_window_class_actions_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.start", NULL, impasto_window_start_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, impasto_window_pause_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL,
                                   impasto_window_resume_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-pause", NULL,
                                   impasto_window_toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, impasto_window_stop_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, impasto_window_save_action);
  gtk_widget_class_install_action (widget_class, "win.open-content", NULL,
                                   impasto_window_open_content_action);
  gtk_widget_class_install_action (widget_class, "win.open-style", NULL,
                                   impasto_window_open_style_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, impasto_window_paste_action);
  gtk_widget_class_install_action (widget_class, "win.choose-model", NULL,
                                   impasto_window_choose_model_action);
  gtk_widget_class_install_action (widget_class, "win.choose-save-folder", NULL,
                                   impasto_window_choose_save_folder_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-controls", NULL,
                                   impasto_window_toggle_controls_action);
  gtk_widget_class_install_action (widget_class, "win.show-in-files", "s",
                                   impasto_window_show_in_files_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", "(ss)",
                                   impasto_window_show_details_action);
  gtk_widget_class_install_action (widget_class, "win.reset-controls", NULL,
                                   impasto_window_reset_controls_action);
  gtk_widget_class_install_action (widget_class, "win.undo-reset-controls", "a{sv}",
                                   impasto_window_undo_reset_controls_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.toggle-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK,
                                       "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-content", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-style", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0,
                                       "win.toggle-controls", NULL);
}
