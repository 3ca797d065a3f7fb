/* impasto-window-presets.c
 *
 * The window's presets and the settings inside pictures: the Presets menu (the built-ins, the
 * user's own presets, Save Settings as Preset…), rebuilt each time it opens so that a preset saved
 * elsewhere shows; win.apply-preset, which sets the parameters from a preset (the controls and a
 * running job follow as they follow any change: live, or asking to restart); win.save-preset,
 * which asks a name and writes the preset; and win.open-settings (Open Settings From Picture…),
 * which reads a picture's settings on a worker thread and sets them the same way, as does a
 * picture dropped on the canvas. A toast says what happened, and names what was skipped with the
 * reasons behind Details.
 *
 * This file does not parse or write the files (src/common does) nor start runs.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-presets"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-params-file.h"
#include "impasto-picture-settings.h"
#include "impasto-presets.h"
#include "impasto-window-private.h"

/* Applying ------------------------------------------------------------------------------------ */

/* @settings into the parameters, and a toast: @done alone, or with what was skipped (each key's
 * reason behind Details). @skipped may hold what reading the file skipped already. */
static void
impasto_window_apply_settings (ImpastoWindow            *self,
                               const ImpastoRunSettings *settings,
                               GPtrArray                *skipped,
                               const char               *done)
{
  g_autofree char *keys = NULL;

  impasto_params_apply_run_settings (self->params, settings, skipped);
  keys = impasto_skipped_settings_keys (skipped);
  if (keys == NULL)
    {
      impasto_window_show_toast (self, done);
      return;
    }

  {
    g_autoptr(GString) details = g_string_new (NULL);
    /* Translators: the first %s says what was applied, the second lists settings' keys. */
    g_autofree char *message = g_strdup_printf (_("%s, but not %s"), done, keys);

    for (guint i = 0; i < skipped->len; i++)
      {
        const ImpastoSkippedSetting *entry = g_ptr_array_index (skipped, i);

        g_string_append_printf (details, "%s%s: %s", i > 0 ? "\n" : "", entry->key,
                                entry->reason);
      }
    impasto_window_show_error_details (self, message, details->str);
  }
}

/* The name a person knows @preset by: a built-in's translated name, else the user's own. */
static const char *
preset_display_name (const char *preset)
{
  const ImpastoBuiltinPreset *builtin = impasto_presets_find_builtin (preset);

  return builtin != NULL ? _(builtin->name) : preset;
}

gboolean
_impasto_window_apply_preset (ImpastoWindow *self,
                              const char    *preset)
{
  g_autoptr(GPtrArray) skipped = impasto_skipped_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  ImpastoRunSettings settings;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (preset != NULL, FALSE);

  impasto_run_settings_init (&settings);
  if (!impasto_presets_load (preset, &settings, skipped, &error))
    {
      impasto_window_show_error (self, error->message);
      return FALSE;
    }
  done = g_strdup_printf (_("Preset “%s” applied"), preset_display_name (preset));
  impasto_window_apply_settings (self, &settings, skipped, done);
  return TRUE;
}

static void
impasto_window_apply_preset_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  _impasto_window_apply_preset (IMPASTO_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* The menu ------------------------------------------------------------------------------------ */

GMenuModel *
_impasto_window_presets_menu (ImpastoWindow *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) builtins = g_menu_new ();
  g_autoptr(GMenu) yours = g_menu_new ();
  g_autoptr(GMenu) save = g_menu_new ();
  g_auto(GStrv) user = impasto_presets_list_user ();

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  for (guint i = 0; i < impasto_presets_n_builtin (); i++)
    {
      const ImpastoBuiltinPreset *preset = impasto_presets_get_builtin (i);
      g_autoptr(GMenuItem) item = g_menu_item_new (_(preset->name), NULL);

      g_menu_item_set_action_and_target (item, "win.apply-preset", "s", preset->id);
      g_menu_append_item (builtins, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (builtins));

  for (guint i = 0; user[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (user[i], NULL);

      g_menu_item_set_action_and_target (item, "win.apply-preset", "s", user[i]);
      g_menu_append_item (yours, item);
    }
  if (user[0] != NULL)
    g_menu_append_section (menu, _("Your Presets"), G_MENU_MODEL (yours));

  g_menu_append (save, _("_Save Settings as Preset…"), "win.save-preset");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (save));
  return G_MENU_MODEL (menu);
}

/* Each time the menu opens: a preset saved meanwhile (here, in another window, by hand) shows. */
static void
presets_button_create_popup (GtkMenuButton *button,
                             gpointer       user_data)
{
  ImpastoWindow *self = IMPASTO_WINDOW (user_data);
  g_autoptr(GMenuModel) menu = _impasto_window_presets_menu (self);

  gtk_menu_button_set_menu_model (button, menu);
}

/* Saving a preset ----------------------------------------------------------------------------- */

gboolean
_impasto_window_save_preset (ImpastoWindow *self,
                             const char    *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  ImpastoRunSettings settings;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  impasto_params_to_run_settings (self->params, &settings);
  path = impasto_presets_save (name, &settings, &error);
  if (path == NULL)
    {
      impasto_window_show_error (self, error->message);
      return FALSE;
    }
  message = g_strdup_printf (_("Saved the preset “%s”"), name);
  impasto_window_show_toast (self, message);
  return TRUE;
}

/* The name as typed: Save is offered only for a usable one, and the line below says why not, or
 * that it replaces a preset of that name. */
static void
on_preset_name_changed_cb (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  GtkLabel *hint = g_object_get_data (G_OBJECT (dialog), "impasto-hint");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) user = NULL;
  gboolean valid = name[0] != '\0' && impasto_presets_check_name (name, &error);

  adw_message_dialog_set_response_enabled (dialog, "save", valid);
  gtk_widget_remove_css_class (GTK_WIDGET (hint), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (name[0] == '\0')
    {
      gtk_label_set_text (hint, "");
      return;
    }
  if (!valid)
    {
      gtk_label_set_text (hint, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  user = impasto_presets_list_user ();
  gtk_label_set_text (hint, g_strv_contains ((const char * const *) user, name)
                            ? _("Replaces your preset of that name") : "");
}

static void
on_preset_dialog_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              ImpastoWindow    *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "impasto-entry");
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  _impasto_window_save_preset (self, name);
}

static void
on_preset_entry_activate_cb (GtkEntry         *entry,
                             AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "save"))
    adw_message_dialog_response (dialog, "save");
}

AdwMessageDialog *
_impasto_window_ask_preset_name (ImpastoWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *hint;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Settings as Preset"),
                                                       _("The preset keeps every control’s "
                                                         "setting, to pick again from the "
                                                         "Presets menu.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preset name"), -1);
  hint = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0.0f);
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "impasto-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "impasto-hint", hint);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_preset_name_changed_cb), dialog, 0);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_preset_entry_activate_cb), dialog,
                           0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_preset_dialog_response_cb), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  return dialog;
}

static void
impasto_window_save_preset_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  _impasto_window_ask_preset_name (IMPASTO_WINDOW (widget));
}

/* Settings from a picture --------------------------------------------------------------------- */

typedef struct
{
  char *path;
  ImpastoRunSettings settings;
  GPtrArray *skipped;
} PictureRead;

static void
picture_read_free (PictureRead *read)
{
  g_free (read->path);
  g_clear_pointer (&read->skipped, g_ptr_array_unref);
  g_free (read);
}

static void
picture_read_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  PictureRead *read = task_data;
  GError *error = NULL;

  if (!impasto_picture_settings_read (read->path, &read->settings, read->skipped, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
picture_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ImpastoWindow *self = IMPASTO_WINDOW (object);
  PictureRead *read = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_filename_display_basename (read->path);
  g_autofree char *done = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      impasto_window_show_error (self, error->message);
      return;
    }
  done = g_strdup_printf (_("Settings from “%s” restored"), name);
  impasto_window_apply_settings (self, &read->settings, read->skipped, done);
}

void
_impasto_window_open_settings_from (ImpastoWindow *self,
                                    const char    *path)
{
  g_autoptr(GTask) task = NULL;
  PictureRead *read;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  read = g_new0 (PictureRead, 1);
  read->path = g_strdup (path);
  read->skipped = impasto_skipped_settings_new ();
  impasto_run_settings_init (&read->settings);
  task = g_task_new (self, NULL, picture_read_cb, NULL);
  g_task_set_source_tag (task, _impasto_window_open_settings_from);
  g_task_set_task_data (task, read, (GDestroyNotify) picture_read_free);
  g_task_run_in_thread (task, picture_read_thread);
}

static void
on_settings_picture_response_cb (ImpastoWindow        *self,
                                 int                   response,
                                 GtkFileChooserNative *chooser)
{
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response,
                                    _("Settings can only be read from pictures on this "
                                      "computer"));

  if (path != NULL)
    _impasto_window_open_settings_from (self, path);
}

static void
impasto_window_open_settings_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Settings From Picture"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (png, _("PNG pictures saved by Impasto"));
  gtk_file_filter_add_mime_type (png, "image/png");
  gtk_file_filter_add_suffix (png, "png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), png);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_settings_picture_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* A picture dropped on the canvas gives its settings, as Open Settings From Picture does. */
static gboolean
on_canvas_drop_cb (GtkDropTarget *target,
                   const GValue  *value,
                   double         x,
                   double         y,
                   ImpastoWindow *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path == NULL)
    {
      impasto_window_show_error (self, _("Settings can only be read from pictures on this "
                                         "computer"));
      return FALSE;
    }
  _impasto_window_open_settings_from (self, path);
  return TRUE;
}

/* Installing ---------------------------------------------------------------------------------- */

void
_impasto_window_class_presets_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.apply-preset", "s",
                                   impasto_window_apply_preset_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset", NULL,
                                   impasto_window_save_preset_action);
  gtk_widget_class_install_action (widget_class, "win.open-settings", NULL,
                                   impasto_window_open_settings_action);
}

void
_impasto_window_presets_init (ImpastoWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  g_assert (IMPASTO_IS_WINDOW (self));

  gtk_menu_button_set_create_popup_func (self->presets_button, presets_button_create_popup, self,
                                         NULL);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_canvas_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas_stack), GTK_EVENT_CONTROLLER (target));
}
