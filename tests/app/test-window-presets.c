/* test-window-presets.c
 *
 * The window's presets and the settings inside pictures, with the whole application under Xvfb
 * and a tiny random VGG19: the Presets menu lists the built-ins, then the user's presets once one
 * is saved, then Save Settings as Preset…; picking a preset sets the parameters, and one that
 * changes the size while a run paints asks to start again, as the control would; the name dialog
 * offers Save only for a usable name and says why not, the preset is written under
 * $XDG_CONFIG_HOME (a scratch folder) and picked again brings its values back; a write that fails
 * says so; Save As writes the controls' settings and the photo's name into the PNG, and Open
 * Settings From Picture (or the picture dropped on the canvas) brings them back, leaving the
 * parameters alone for a picture without them and skipping what the window does not paint with.
 *
 * The test body runs from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-presets"

#include "config.h"

#include "impasto-image.h"
#include "impasto-picture-settings.h"
#include "impasto-presets.h"
#include "impasto-window-private.h"
#include "test-window-support.h"

static TestWindowRun test;
static char *config;            /* this process's XDG_CONFIG_HOME */

static gboolean
job_painting (gpointer data)
{
  ImpastoJob *job = test.window->job;

  return job != NULL && impasto_job_get_state (job) == IMPASTO_JOB_RUNNING
         && impasto_job_get_iteration (job) >= 1;
}

static gboolean
save_finished (gpointer data)
{
  return test.window->saving_pixels == NULL;
}

static gboolean
beta_is (gpointer data)
{
  double beta;

  g_object_get (test.window->params, "beta", &beta, NULL);
  return beta == *(double *) data;
}

static double
get_double (const char *property)
{
  double value;

  g_object_get (test.window->params, property, &value, NULL);
  return value;
}

static int
get_int (const char *property)
{
  int value;

  g_object_get (test.window->params, property, &value, NULL);
  return value;
}

/* The labels of section @section of @menu, and its items' count. */
static int
section_items (GMenuModel *menu,
               int         section,
               char      **first_label)
{
  GMenuModel *items = g_menu_model_get_item_link (menu, section, G_MENU_LINK_SECTION);
  int n = g_menu_model_get_n_items (items);

  if (first_label != NULL)
    g_menu_model_get_item_attribute (items, 0, G_MENU_ATTRIBUTE_LABEL, "s", first_label);
  g_object_unref (items);
  return n;
}

static void
check_menu (gboolean with_user)
{
  g_autoptr(GMenuModel) menu = _impasto_window_presets_menu (test.window);
  g_autofree char *first = NULL;
  g_autofree char *user = NULL;

  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, with_user ? 3 : 2);
  g_assert_cmpint (section_items (menu, 0, &first), ==, (int) impasto_presets_n_builtin ());
  g_assert_cmpstr (first, ==, "The Method’s Defaults");
  if (with_user)
    {
      g_assert_cmpint (section_items (menu, 1, &user), ==, 1);
      g_assert_cmpstr (user, ==, "My Look");
    }
  g_assert_cmpint (section_items (menu, with_user ? 2 : 1, NULL), ==, 1);
}

static void
test_presets (ImpastoWindow *window)
{
  g_autofree char *file = g_build_filename (config, "impasto", "presets", "My Look.preset", NULL);
  g_autofree char *folder = g_path_get_dirname (file);
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  GtkLabel *hint;

  check_menu (FALSE);

  /* Picked while the run paints: the size and the start change, so the window asks to start
   * again, as those controls do. */
  test_app_wait_until (job_painting, NULL, 60, "the run to paint");
  g_assert_null (window->restart_dialog);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-preset", "s", "bold-strokes");
  g_assert_nonnull (window->restart_dialog);
  adw_message_dialog_response (window->restart_dialog, "keep");
  gtk_window_destroy (GTK_WINDOW (window->restart_dialog));
  g_assert_cmpint (get_int ("size"), ==, 512);
  g_assert_cmpfloat (get_double ("beta"), ==, 2000.0);
  g_assert_cmpfloat (get_double ("noise-ratio"), ==, 0.8);
  g_assert_cmpfloat (impasto_params_get_layer_weight (window->params, IMPASTO_LAYER_CONTENT,
                                                      impasto_vgg19_conv_index ("conv4_2")),
                     ==, 0.0);
  g_assert_cmpfloat (impasto_params_get_layer_weight (window->params, IMPASTO_LAYER_CONTENT,
                                                      impasto_vgg19_conv_index ("conv5_2")),
                     ==, 1.0);
  g_assert_false (_impasto_window_apply_preset (window, "no-such-preset"));
  g_assert_cmpfloat (get_double ("beta"), ==, 2000.0);

  /* The name dialog: Save only for a usable name, and why not. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-preset", NULL);
  dialog = _impasto_window_ask_preset_name (window);
  entry = g_object_get_data (G_OBJECT (dialog), "impasto-entry");
  hint = g_object_get_data (G_OBJECT (dialog), "impasto-hint");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (entry, "mine/theirs");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_nonnull (strstr (gtk_label_get_text (hint), "slash"));
  gtk_editable_set_text (entry, "fast-preview");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (entry, " My Look ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  g_assert_cmpstr (gtk_label_get_text (hint), ==, "");
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  check_menu (TRUE);

  /* Picked again, it brings its values back. */
  g_object_set (window->params, "beta", 7.0, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply-preset", "s", "My Look");
  g_assert_cmpfloat (get_double ("beta"), ==, 2000.0);

  /* A write that fails is refused, and the file that was there stays. */
  {
    g_autofree char *moved = g_strconcat (folder, ".moved", NULL);

    g_assert_cmpint (g_rename (folder, moved), ==, 0);
    g_assert_true (g_file_set_contents (folder, "not a folder", -1, NULL));
    g_assert_false (_impasto_window_save_preset (window, "Other"));
    g_assert_cmpint (g_unlink (folder), ==, 0);
    g_assert_cmpint (g_rename (moved, folder), ==, 0);
  }

}

static void
test_picture_settings (ImpastoWindow *window)
{
  g_autofree char *saved = g_build_filename (test.dir, "saved.png", NULL);
  g_autofree char *cli = g_build_filename (test.dir, "cli.png", NULL);
  g_autoptr(GKeyFile) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *photo = NULL;
  ImpastoRunSettings settings;
  double beta = 1234.0;
  double other = 77.0;

  g_object_set (window->params, "beta", beta, "seed", 42, NULL);
  _impasto_window_save_to (window, saved);
  test_app_wait_until (save_finished, NULL, 30, "the save");
  impasto_run_settings_init (&settings);
  g_assert_true (impasto_picture_settings_read (saved, &settings, NULL, &source, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (settings.beta, ==, beta);
  g_assert_cmpuint (settings.seed, ==, 42);
  g_assert_cmpint (settings.size, ==, 512);
  photo = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "photo", NULL);
  g_assert_cmpstr (photo, ==, "photo.png");
  g_assert_true (g_key_file_has_key (source, IMPASTO_PICTURE_SOURCE_GROUP, "painting-1-sha256",
                                     NULL));

  /* Brought back from the picture. */
  g_object_set (window->params, "beta", other, "seed", 1, NULL);
  _impasto_window_open_settings_from (window, saved);
  test_app_wait_until (beta_is, &beta, 30, "the settings from the picture");
  g_assert_cmpint (get_int ("seed"), ==, 42);

  /* Dropped on the canvas, the same. */
  g_object_set (window->params, "beta", other, NULL);
  {
    g_autoptr(GListModel) controllers =
      gtk_widget_observe_controllers (GTK_WIDGET (window->canvas_stack));
    g_autoptr(GFile) file = g_file_new_for_path (saved);
    g_auto(GValue) value = G_VALUE_INIT;
    gboolean dropped = FALSE;

    g_value_init (&value, G_TYPE_FILE);
    g_value_set_object (&value, file);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_TARGET (controller))
          g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &dropped);
      }
    g_assert_true (dropped);
  }
  test_app_wait_until (beta_is, &beta, 30, "the settings from the dropped picture");

  /* A picture without settings changes nothing. */
  g_object_set (window->params, "beta", other, NULL);
  _impasto_window_open_settings_from (window, test.content);
  test_app_spin (0.5);
  g_assert_cmpfloat (get_double ("beta"), ==, other);

  /* impasto-cli's picture: what the window paints with is taken, the rest skipped. */
  {
    g_autoptr(GdkPixbuf) pixbuf = test_app_picture_new (8, 8, 0.0);
    double cli_beta = 321.0;

    g_assert_true (impasto_image_save_with_text (pixbuf, cli, IMPASTO_PICTURE_SETTINGS_KEY,
                                                 "[Impasto]\nversion=1\nbeta=321\nscales=3\n"
                                                 "threads=1\nseed=99999999999\nalpha=3\n",
                                                 &error));
    g_assert_no_error (error);
    _impasto_window_open_settings_from (window, cli);
    test_app_wait_until (beta_is, &cli_beta, 30, "the settings from impasto-cli's picture");
    g_assert_cmpfloat (get_double ("alpha"), ==, 3.0);
    g_assert_cmpint (get_int ("seed"), ==, 42);
  }
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.window;

  test_presets (window);
  test_picture_settings (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test.window->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (window));
  test.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_presets (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test);
  g_settings_set_int (settings, "size", 32);
  g_settings_set_int (settings, "iterations", 100000);
  test_window_run (&test, test_body, TEST_WINDOW_START);

  test_window_run_clear (&test);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before anything asks GLib for the configuration folder. */
  config = g_dir_make_tmp ("impasto-presets-XXXXXX", NULL);
  g_assert_nonnull (config);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();
  g_test_add_func ("/window-presets/presets-and-pictures", test_window_presets);
  status = g_test_run ();
  test_window_remove_tree (config);
  g_free (config);
  return status;
}
