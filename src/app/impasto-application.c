/* impasto-application.c
 *
 * The application object (see impasto-application.h): command line, application actions
 * (quit, about), accelerators, and the shared model with its loading state. The shortcuts window
 * (gtk/help-overlay.ui) and style.css are picked up from the resource base path by GTK and
 * libadwaita themselves.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-application"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-application.h"
#include "impasto-download-page.h"
#include "impasto-model.h"
#include "impasto-model-path.h"
#include "impasto-resources-private.h"
#include "impasto-window.h"

struct _ImpastoApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  ImpastoModel *model;
  ImpastoModelStatus model_status;
  char *model_message;
  double model_progress;
  GCancellable *model_cancellable;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_MODEL_STATUS,
  PROP_MODEL_MESSAGE,
  PROP_MODEL_PROGRESS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoApplication, impasto_application, ADW_TYPE_APPLICATION)

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "model", 'm', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The VGG19 weights (imagenet-vgg-verydeep-19.mat), or a folder holding them"),
    N_("FILE") },
  { "start", 's', 0, G_OPTION_ARG_NONE, NULL,
    N_("Start painting at once when a photo and a painting are given"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

static void
impasto_application_set_status (ImpastoApplication *self,
                                 ImpastoModelStatus  status,
                                 const char         *message)
{
  g_assert (IMPASTO_IS_APPLICATION (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->model_message, message) != 0)
    {
      g_free (self->model_message);
      self->model_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_MESSAGE]);
    }
  if (self->model_status != status)
    {
      self->model_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_STATUS]);
    }
  if (self->model_progress != -1.0)
    {
      self->model_progress = -1.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PROGRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
impasto_application_load_model_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(ImpastoApplication) self = user_data;
  g_autoptr(ImpastoModel) model = NULL;
  g_autoptr(GError) error = NULL;

  model = impasto_model_load_finish (result, &error);
  if (model == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (self->model != NULL)
        {
          /* Keep painting with the model we had, and say why the new one was not taken. */
          GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

          impasto_application_set_status (self, IMPASTO_MODEL_STATUS_READY, NULL);
          if (IMPASTO_IS_WINDOW (window))
            impasto_window_show_error_details (IMPASTO_WINDOW (window),
                                               _("The chosen model file cannot be used"),
                                               error->message);
        }
      else
        {
          impasto_application_set_status (self, IMPASTO_MODEL_STATUS_FAILED, error->message);
        }
      return;
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "model-path", impasto_model_get_path (model));
  impasto_application_set_model (self, model);

  if (impasto_model_get_imported (model))
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (IMPASTO_IS_WINDOW (window))
        impasto_window_show_toast (IMPASTO_WINDOW (window),
                                   _("The model is imported and will load instantly from now on"));
    }
}

/* Progress of a first import of a .mat, on the main thread. Late updates (after the load has
 * finished) are dropped. */
static void
impasto_application_model_progress_cb (double   fraction,
                                       gpointer user_data)
{
  ImpastoApplication *self = user_data;

  if (self->model_status != IMPASTO_MODEL_STATUS_LOADING || fraction == self->model_progress)
    return;
  self->model_progress = CLAMP (fraction, 0.0, 1.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_PROGRESS]);
}

void
impasto_application_load_model (ImpastoApplication *self,
                                const char         *path)
{
  impasto_application_load_downloaded_model (self, path, NULL);
}

void
impasto_application_load_downloaded_model (ImpastoApplication *self,
                                           const char         *path,
                                           const char         *md5)
{
  g_return_if_fail (IMPASTO_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  self->model_cancellable = g_cancellable_new ();

  impasto_application_set_status (self, IMPASTO_MODEL_STATUS_LOADING, NULL);
  /* The application outlives every load, so it can be the progress callback's data. */
  impasto_model_load_async (path, md5, impasto_application_model_progress_cb, self,
                            self->model_cancellable, impasto_application_load_model_cb,
                            g_object_ref (self));
}

/* Looks in the usual places (and @explicit_path first) and loads what it finds. */
static void
impasto_application_find_model (ImpastoApplication *self,
                                const char         *explicit_path)
{
  g_autofree char *settings_path = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (IMPASTO_IS_APPLICATION (self));

  if (self->settings != NULL)
    settings_path = g_settings_get_string (self->settings, "model-path");

  path = impasto_model_path_find (explicit_path, settings_path, &error);
  if (path == NULL)
    {
      impasto_application_set_status (self, IMPASTO_MODEL_STATUS_MISSING, error->message);
      return;
    }

  impasto_application_load_model (self, path);
}

static void
on_model_downloaded_cb (ImpastoApplication *self,
                        const char         *path,
                        const char         *md5,
                        ImpastoWindow      *window)
{
  impasto_application_load_downloaded_model (self, path, md5);
}

static ImpastoWindow *
impasto_application_new_window (ImpastoApplication *self)
{
  ImpastoWindow *window;

  if (self->model_status == IMPASTO_MODEL_STATUS_NONE)
    impasto_application_find_model (self, NULL);
  window = impasto_window_new (self);
  g_signal_connect_object (window, "model-downloaded", G_CALLBACK (on_model_downloaded_cb), self,
                           G_CONNECT_SWAPPED);
  return window;
}

static void
impasto_application_activate (GApplication *app)
{
  ImpastoApplication *self = IMPASTO_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (impasto_application_new_window (self));
      impasto_window_restore_images (IMPASTO_WINDOW (window));
    }
  gtk_window_present (window);
}

static int
impasto_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  GSettingsSchema *schema;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("impasto %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* GSettings aborts on a missing schema; say what to do instead. */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            "org.impasto.Impasto", TRUE);
  if (schema == NULL)
    {
      g_printerr ("%s\n", _("impasto: the settings schema org.impasto.Impasto is not installed. "
                            "Install Impasto (meson install), or run it from the build folder "
                            "with “meson devenv -C BUILD_DIR impasto”."));
      return 1;
    }
  g_settings_schema_unref (schema);
  return -1;
}

static int
impasto_application_command_line (GApplication            *app,
                                  GApplicationCommandLine *command_line)
{
  ImpastoApplication *self = IMPASTO_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **files = NULL;
  const char *model = NULL;
  gboolean start = FALSE;
  ImpastoWindow *window;
  guint n_files;

  g_variant_dict_lookup (options, "model", "^&ay", &model);
  g_variant_dict_lookup (options, "start", "b", &start);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);
  n_files = files != NULL ? g_strv_length ((char **) files) : 0;

  if (n_files > 2)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("Give at most two pictures: the photo, then the "
                                             "painting."));
      return 1;
    }

  if (model != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                               model);
      g_autofree char *path = g_file_get_path (file);

      impasto_application_find_model (self, path);
    }

  window = impasto_application_new_window (self);

  if (n_files > 0)
    {
      g_autoptr(GFile) content = g_application_command_line_create_file_for_arg (command_line,
                                                                                  files[0]);
      g_autoptr(GFile) style = n_files > 1
        ? g_application_command_line_create_file_for_arg (command_line, files[1]) : NULL;

      impasto_window_open (window, content, style);
    }
  else
    {
      impasto_window_restore_images (window);
    }

  if (start)
    {
      if (n_files == 2)
        impasto_window_start_when_ready (window);
      else
        g_application_command_line_printerr (command_line, "%s\n",
                                             _("--start needs a photo and a painting; not "
                                               "starting."));
    }

  gtk_window_present (GTK_WINDOW (window));
  /* A run that did not end normally, offered when nothing else was asked for. */
  if (n_files == 0 && !start)
    impasto_window_offer_restore (window);
  return 0;
}

/* "Open With" and the file manager's D-Bus activation: the first file becomes the photo, the
 * second the painting, in the window at hand (a new one when there is none). A third and later
 * files are left out, with a note saying so. */
static void
impasto_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  ImpastoApplication *self = IMPASTO_APPLICATION (app);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
  ImpastoWindow *window;

  g_assert (n_files > 0);

  if (IMPASTO_IS_WINDOW (active))
    window = IMPASTO_WINDOW (active);
  else
    window = impasto_application_new_window (self);

  impasto_window_open (window, files[0], n_files > 1 ? files[1] : NULL);
  if (n_files > 2)
    impasto_window_show_error (window, _("Only the first two pictures were opened: the photo, "
                                         "then the painting."));

  gtk_window_present (GTK_WINDOW (window));
}

static void
impasto_application_quit_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  ImpastoApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing stops each window's run; the application ends once the workers have returned. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
impasto_application_about_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  ImpastoApplication *self = user_data;
  static const char *developers[] = { "The Impasto authors", NULL };
  static const char *network[] = {
    "Karen Simonyan https://www.robots.ox.ac.uk/~vgg/research/very_deep/",
    "Andrew Zisserman https://www.robots.ox.ac.uk/~vgg/research/very_deep/",
    NULL
  };
  static const char *conversion[] = {
    "MatConvNet (Andrea Vedaldi, Karel Lenc) https://www.vlfeat.org/matconvnet/",
    NULL
  };
  g_autofree char *network_legal = NULL;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Impasto"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "The Impasto authors",
                        "developers", developers,
                        "comments", _("Repaints a photo in the style of a painting, and lets you "
                                      "steer it while it paints. Neural style transfer after "
                                      "Gatys, Ecker and Bethge, on the VGG19 network."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Impasto authors",
                        /* Translators: put your name here. */
                        "translator-credits", _("translator-credits"),
                        NULL);

  /* The network is not part of Impasto: who made it, and how its terms are quoted. */
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about),
                                       _("VGG19 Network (Visual Geometry Group, University of "
                                         "Oxford)"),
                                       network);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about),
                                       _("VGG19 in MatConvNet’s Format"), conversion);
  network_legal = g_strconcat (impasto_download_page_get_network_credits (), "\n\n",
                               _("The Flatpak asks for network access for this download; "
                                 "Impasto uses the network for nothing else."),
                               NULL);
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), _("The VGG19 Network"), NULL,
                                      GTK_LICENSE_CUSTOM, network_legal);
  gtk_window_present (GTK_WINDOW (about));
}

/* app.load-model (path): what a window's model chooser asks for. A verified download's MD5 does
 * not come this way (actions can be called from outside the process, and that MD5 lets the load
 * skip the file's whole check): it comes through the window's model-downloaded signal. */
static void
impasto_application_load_model_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  impasto_application_load_model (user_data, g_variant_get_string (parameter, NULL));
}

static void
impasto_application_startup (GApplication *app)
{
  ImpastoApplication *self = IMPASTO_APPLICATION (app);
  static const GActionEntry actions[] = {
    { "quit", impasto_application_quit_action },
    { "about", impasto_application_about_action },
    { "load-model", impasto_application_load_model_action, "s" },
  };
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (impasto_application_parent_class)->startup (app);

  self->settings = g_settings_new ("org.impasto.Impasto");

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
impasto_application_dispose (GObject *object)
{
  ImpastoApplication *self = (ImpastoApplication *) object;

  g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (impasto_application_parent_class)->dispose (object);
}

static void
impasto_application_finalize (GObject *object)
{
  ImpastoApplication *self = (ImpastoApplication *) object;

  g_clear_pointer (&self->model_message, g_free);

  G_OBJECT_CLASS (impasto_application_parent_class)->finalize (object);
}

static void
impasto_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ImpastoApplication *self = IMPASTO_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_MODEL_STATUS:
      g_value_set_enum (value, self->model_status);
      break;

    case PROP_MODEL_MESSAGE:
      g_value_set_string (value, self->model_message);
      break;

    case PROP_MODEL_PROGRESS:
      g_value_set_double (value, self->model_progress);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_application_class_init (ImpastoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = impasto_application_dispose;
  object_class->finalize = impasto_application_finalize;
  object_class->get_property = impasto_application_get_property;

  app_class->activate = impasto_application_activate;
  app_class->command_line = impasto_application_command_line;
  app_class->handle_local_options = impasto_application_handle_local_options;
  app_class->open = impasto_application_open;
  app_class->startup = impasto_application_startup;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, IMPASTO_TYPE_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODEL_STATUS] =
    g_param_spec_enum ("model-status", NULL, NULL, IMPASTO_TYPE_MODEL_STATUS,
                       IMPASTO_MODEL_STATUS_NONE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODEL_MESSAGE] =
    g_param_spec_string ("model-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* 0..1 while a .mat is read for the first time, -1 otherwise. */
  properties[PROP_MODEL_PROGRESS] =
    g_param_spec_double ("model-progress", NULL, NULL, -1.0, 1.0, -1.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  impasto_resources_ensure ();
}

static void
impasto_application_init (ImpastoApplication *self)
{
  self->model_progress = -1.0;
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PHOTO [PAINTING]]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Repaints a photo in the style of a painting, "
                                              "live."));
}

ImpastoApplication *
impasto_application_new (const char        *application_id,
                         GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (IMPASTO_TYPE_APPLICATION,
                       "application-id", application_id,
                       /* Command lines come to command_line(); D-Bus Open (a file manager's
                        * "Open With" when the desktop entry is D-Bus activatable) to open(). */
                       "flags", flags | G_APPLICATION_HANDLES_COMMAND_LINE
                                      | G_APPLICATION_HANDLES_OPEN,
                       /* The same for the .Devel id: the shortcuts window and style sheet. */
                       "resource-base-path", "/org/impasto/Impasto",
                       NULL);
}

ImpastoModel *
impasto_application_get_model (ImpastoApplication *self)
{
  g_return_val_if_fail (IMPASTO_IS_APPLICATION (self), NULL);

  return self->model;
}

ImpastoModelStatus
impasto_application_get_model_status (ImpastoApplication *self)
{
  g_return_val_if_fail (IMPASTO_IS_APPLICATION (self), IMPASTO_MODEL_STATUS_NONE);

  return self->model_status;
}

const char *
impasto_application_get_model_message (ImpastoApplication *self)
{
  g_return_val_if_fail (IMPASTO_IS_APPLICATION (self), NULL);

  return self->model_message != NULL ? self->model_message : "";
}

double
impasto_application_get_model_progress (ImpastoApplication *self)
{
  g_return_val_if_fail (IMPASTO_IS_APPLICATION (self), -1.0);

  return self->model_progress;
}

void
impasto_application_set_model (ImpastoApplication *self,
                               ImpastoModel       *model)
{
  g_return_if_fail (IMPASTO_IS_APPLICATION (self));
  g_return_if_fail (IMPASTO_IS_MODEL (model));

  g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  /* Every run reads the model's transformed filters: make them now, not at the first Start. */
  impasto_model_prepare_filters (model);
  impasto_application_set_status (self, IMPASTO_MODEL_STATUS_READY, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}
