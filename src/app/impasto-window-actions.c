/* impasto-window-actions.c
 *
 * The window's win.* actions and their keyboard shortcuts. The handlers are short: they call
 * down to the files that do the work (impasto-window-save.c, impasto-window-run.c,
 * impasto-window-toasts.c), or forward to a well's well.* actions, and never into
 * impasto-window.c, whose class_init installs them through _impasto_window_class_actions_init().
 * Which actions are enabled is decided in impasto-window-state.c.
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

#include "impasto-show-in-files.h"
#include "impasto-window-private.h"

/* Toasts' buttons ---------------------------------------------------------------------------- */

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

  /* Stop means stop: a restart or a branch that waited for this run to end does not come. */
  _impasto_window_cancel_pending_start (self);
  if (self->job != NULL)
    impasto_job_stop (self->job);
}

/* A preview carries on up the ladder of sizes from where it is: nothing painted is lost. */
static void
impasto_window_paint_full_size_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->job != NULL && impasto_job_is_active (self->job))
    {
      impasto_job_paint_full_size (self->job);
      _impasto_window_update_stats (self);
      _impasto_window_update_actions (self);
    }
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

/* The well with the keyboard focus, else the first empty one, else the photo. (A focused
 * painting's well, or Add Painting, takes the paste before this is asked.) */
static ImpastoImageWell *
impasto_window_paste_target (ImpastoWindow *self)
{
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
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  ImpastoImageWell *well;

  if (impasto_painting_list_paste_focused (self->painting_list))
    return;
  well = impasto_window_paste_target (self);
  gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL);
}

/* Saving -------------------------------------------------------------------------------------- */

static void
impasto_window_save_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  _impasto_window_choose_save_file (IMPASTO_WINDOW (widget));
}

static void
impasto_window_show_in_files_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  impasto_show_in_files (GTK_WINDOW (widget), file);
}

/* Model and frames folder --------------------------------------------------------------------- */

static void
on_model_response_cb (ImpastoWindow        *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response,
                                    _("The model must be a file on this computer"));

  /* The application carries the model (impasto-application.h). */
  if (path != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.load-model", "s", path);
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
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response,
                                    _("Frames can only be saved to folders on this computer"));

  if (path != NULL)
    g_object_set (self->params, "save-folder", path, NULL);
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

/* A size from the size row's menu of screen and print sizes: the longest side, in pixels. */
static void
impasto_window_set_size_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  int size = g_variant_get_int32 (param);

  if (size >= IMPASTO_SIZE_MIN && size <= IMPASTO_SIZE_MAX)
    g_object_set (self->params, "size", size, NULL);
}

/* Reset to defaults ------------------------------------------------------------------------- */

/* The settings behind the sidebar's controls (the paintings' weights and brush sizes too); not
 * the pictures, the model or the window. */
static const char * const control_keys[] = {
  "alpha", "beta", "tv", "learning-rate", "content-layers", "style-layers", "pool", "size",
  "preview-size", "iterations", "init", "noise-ratio", "seed", "optimizer", "save-every",
  "save-folder", "preserve-colors", "painting-weights", "painting-scales", "max-memory",
};

/* The settings to change the controls' keys in one go: a GSettings in delay-apply mode stays in
 * it, so the batch is written through an object of its own, not the window's, whose later
 * changes must go on being written at once. */
static GSettings *
impasto_window_settings_batch (ImpastoWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettings *batch;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  batch = g_settings_new (g_settings_schema_get_id (schema));
  g_settings_delay (batch);
  return batch;
}

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
  g_autoptr(GSettings) batch = NULL;

  if (_impasto_window_controls_are_default (self))
    {
      impasto_window_show_toast (self, _("The controls are already at their defaults"));
      return;
    }

  /* Undo rather than a question: nothing is lost that one click cannot bring back. */
  batch = impasto_window_settings_batch (self);
  for (guint i = 0; i < G_N_ELEMENTS (control_keys); i++)
    {
      g_variant_builder_add (before, "{sv}", control_keys[i],
                             g_settings_get_value (self->settings, control_keys[i]));
      g_settings_reset (batch, control_keys[i]);
    }
  g_settings_apply (batch);
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
  g_autoptr(GSettings) batch = impasto_window_settings_batch (self);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, param);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    g_settings_set_value (batch, key, value);
  g_settings_apply (batch);
  impasto_window_reload_controls (self);
}

/* Installing ---------------------------------------------------------------------------------- */

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
  gtk_widget_class_install_action (widget_class, "win.paint-full-size", NULL,
                                   impasto_window_paint_full_size_action);
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
  gtk_widget_class_install_action (widget_class, "win.set-size", "i",
                                   impasto_window_set_size_action);
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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.paint-full-size", NULL);
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
