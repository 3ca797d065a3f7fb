/* impasto-window.c
 *
 * The main window (see impasto-window.h): its GObject type, template and life cycle. It binds
 * the controls to an ImpastoParams that is bound to GSettings, follows the application's model
 * and the pictures in the wells, and connects the current job's bindings and signals to what
 * shows it.
 *
 * This file is the top of the window's files and the only one that may call all the others;
 * none of them calls into it (tests/app/check-app-calls.sh). What they do, from the top down:
 * impasto-window-actions.c (the win.* actions and shortcuts), impasto-window-save.c (saving,
 * and asking before a painting is lost), impasto-window-run.c (starting a run, steering it,
 * its end), impasto-window-estimate.c (the size row's memory and time estimate),
 * impasto-window-regions.c (the Regions mode), impasto-window-state.c (the numbers, the
 * canvas's pages and which actions are enabled) and impasto-window-toasts.c. They share the
 * struct in impasto-window-private.h.
 *
 * This file runs no engine work; a job's progress reaches it as property notifications.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-download-page.h"
#include "impasto-resources-private.h"
#include "impasto-wheel-guard.h"
#include "impasto-window-private.h"

G_DEFINE_FINAL_TYPE (ImpastoWindow, impasto_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  MODEL_DOWNLOADED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_REGIONS_MODE,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

static void impasto_window_maybe_start (ImpastoWindow *self);

/* Layers ------------------------------------------------------------------------------------ */

static void
impasto_window_sync_layer_rows (ImpastoWindow *self)
{
  g_assert (IMPASTO_IS_WINDOW (self));

  self->syncing_layers++;
  for (int kind = 0; kind < 2; kind++)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      AdwExpanderRow *expander = kind == IMPASTO_LAYER_CONTENT ? self->content_layers_row
                                                               : self->style_layers_row;

      for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
        {
          ImpastoLayerRow *row = &self->layer_rows[kind][i];
          double weight = impasto_params_get_layer_weight (self->params, kind, i);

          gtk_switch_set_active (row->toggle, weight > 0.0);
          gtk_widget_set_sensitive (GTK_WIDGET (row->spin), weight > 0.0);
          if (weight > 0.0)
            {
              gtk_spin_button_set_value (row->spin, weight);
              if (names->len > 0)
                g_string_append (names, ", ");
              g_string_append (names, impasto_vgg19_conv_name (i));
            }
        }
      adw_expander_row_set_subtitle (expander, names->len > 0 ? names->str : _("None"));
    }
  self->syncing_layers--;
}

static void
on_layer_changed_cb (ImpastoWindow *self,
                     GParamSpec    *pspec,
                     GObject       *widget)
{
  int id = GPOINTER_TO_INT (g_object_get_data (widget, "impasto-layer")) - 1;
  int kind = id / IMPASTO_VGG19_N_CONVS;
  int index = id % IMPASTO_VGG19_N_CONVS;
  ImpastoLayerRow *row;

  g_assert (id >= 0 && id < 2 * IMPASTO_VGG19_N_CONVS);

  if (self->syncing_layers > 0)
    return;

  row = &self->layer_rows[kind][index];
  impasto_params_set_layer_weight (self->params, kind, index,
                                   gtk_switch_get_active (row->toggle)
                                   ? gtk_spin_button_get_value (row->spin) : 0.0);
}

static void
impasto_window_build_layer_rows (ImpastoWindow *self)
{
  for (int kind = 0; kind < 2; kind++)
    {
      AdwExpanderRow *expander = kind == IMPASTO_LAYER_CONTENT ? self->content_layers_row
                                                               : self->style_layers_row;

      for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
        {
          ImpastoLayerRow *row = &self->layer_rows[kind][i];
          int block = impasto_vgg19_conv_block (i) + 1;
          g_autofree char *subtitle = NULL;
          g_autofree char *tooltip = NULL;
          gpointer id = GINT_TO_POINTER (kind * IMPASTO_VGG19_N_CONVS + i + 1);

          /* Translators: the network has five blocks of layers. */
          subtitle = g_strdup_printf (_("Block %d of 5"), block);
          tooltip = kind == IMPASTO_LAYER_CONTENT
            ? g_strdup_printf (_("Switch on to keep the photo as layer %s sees it; the number "
                                 "is its weight"), impasto_vgg19_conv_name (i))
            : g_strdup_printf (_("Switch on to copy the painting's textures as layer %s sees "
                                 "them; the number is its weight"), impasto_vgg19_conv_name (i));

          row->row = ADW_ACTION_ROW (adw_action_row_new ());
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row),
                                         impasto_vgg19_conv_name (i));
          adw_action_row_set_subtitle (row->row, subtitle);
          gtk_widget_set_tooltip_text (GTK_WIDGET (row->row), tooltip);

          row->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0.01, 100.0, 0.05));
          gtk_spin_button_set_digits (row->spin, 2);
          gtk_spin_button_set_value (row->spin, kind == IMPASTO_LAYER_CONTENT ? 0.5 : 0.2);
          gtk_widget_set_valign (GTK_WIDGET (row->spin), GTK_ALIGN_CENTER);
          impasto_wheel_guard_attach (GTK_WIDGET (row->spin), NULL);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->spin),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          impasto_vgg19_conv_name (i), -1);
          g_object_set_data (G_OBJECT (row->spin), "impasto-layer", id);
          g_signal_connect_object (row->spin, "notify::value", G_CALLBACK (on_layer_changed_cb),
                                   self, G_CONNECT_SWAPPED);

          row->toggle = GTK_SWITCH (gtk_switch_new ());
          gtk_widget_set_valign (GTK_WIDGET (row->toggle), GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (row->toggle), "impasto-layer", id);
          g_signal_connect_object (row->toggle, "notify::active", G_CALLBACK (on_layer_changed_cb),
                                   self, G_CONNECT_SWAPPED);

          adw_action_row_add_suffix (row->row, GTK_WIDGET (row->spin));
          adw_action_row_add_suffix (row->row, GTK_WIDGET (row->toggle));
          adw_action_row_set_activatable_widget (row->row, GTK_WIDGET (row->toggle));
          adw_expander_row_add_row (expander, GTK_WIDGET (row->row));
        }
    }
}

/* The canvas before the first frame ----------------------------------------------------------- */

/* The photo shown before the first frame follows the Photo well. */
static void
impasto_window_update_photo (ImpastoWindow *self)
{
  GdkPixbuf *content = impasto_image_well_get_pixbuf (self->content_well);
  g_autoptr(GdkTexture) texture = NULL;

  if (content != NULL)
    texture = gdk_texture_new_for_pixbuf (content);
  gtk_picture_set_paintable (self->photo_picture, GDK_PAINTABLE (texture));
  impasto_canvas_view_set_photo (self->canvas, GDK_PAINTABLE (texture));
  _impasto_window_update_canvas (self);
}

/* Parameters and runs ----------------------------------------------------------------------- */

/* "Start Again" on the notice: the waiting changes are used from a new run (asking first if
 * the painting so far would be lost). */
static void
on_pending_start_clicked_cb (ImpastoWindow *self)
{
  _impasto_window_confirm (self, IMPASTO_AFTER_SAVE_RESTART);
}

static void
on_params_notify_cb (ImpastoWindow *self,
                     GParamSpec    *pspec,
                     ImpastoParams *params)
{
  /* The running job first: the sooner it has the values, the sooner they show. */
  _impasto_window_steer (self, pspec->name);

  if (g_str_equal (pspec->name, "content-layers") || g_str_equal (pspec->name, "style-layers"))
    impasto_window_sync_layer_rows (self);
  _impasto_window_update_estimate (self);
  _impasto_window_update_actions (self);
}

static gboolean
keep_picture_transform (GBinding     *binding,
                        const GValue *from_value,
                        GValue       *to_value,
                        gpointer      user_data)
{
  /* A new run keeps showing the old picture until its own first frame. */
  if (g_value_get_object (from_value) == NULL)
    return FALSE;
  g_value_copy (from_value, to_value);
  return TRUE;
}

/* Showing the run ----------------------------------------------------------------------------- */

/* The plot marks each iteration that first used values changed while painting. */
static void
impasto_window_mark_steers (ImpastoWindow *self)
{
  const ImpastoJobRecord *records;
  guint n;

  records = impasto_job_get_history (self->job, &n);
  for (; self->steers_seen < n; self->steers_seen++)
    {
      const ImpastoJobRecord *record = &records[self->steers_seen];

      if (self->steers_seen > 0 && record->params_serial != self->steer_serial)
        impasto_loss_plot_mark_steer (self->loss_plot, record->iteration);
      self->steer_serial = record->params_serial;
    }
}

static void
on_job_notify_cb (ImpastoWindow *self,
                  GParamSpec    *pspec,
                  ImpastoJob    *job)
{
  if (g_str_equal (pspec->name, "iteration"))
    impasto_window_mark_steers (self);
  _impasto_window_update_stats (self);
  if (g_str_equal (pspec->name, "state") || g_str_equal (pspec->name, "texture")
      || g_str_equal (pspec->name, "last-scale"))
    _impasto_window_update_actions (self);
}

static void
on_job_warning_cb (ImpastoWindow *self,
                   GParamSpec    *pspec,
                   ImpastoJob    *job)
{
  g_autofree char *warning = NULL;

  g_object_get (job, "warning", &warning, NULL);
  if (warning != NULL)
    impasto_window_show_toast (self, warning);
}

static void
on_canvas_paintable_cb (ImpastoWindow *self)
{
  _impasto_window_update_canvas (self);
}

/* Model --------------------------------------------------------------------------------------- */

/* The application carries the model in its `model`, `model-status`, `model-message` and
 * `model-progress` properties (impasto-application.h); the window follows them by name. NULL
 * when the window has no such application. */
static GtkApplication *
impasto_window_get_model_owner (ImpastoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app == NULL
      || g_object_class_find_property (G_OBJECT_GET_CLASS (app), "model-status") == NULL)
    return NULL;
  return app;
}

/* The header's spinner while the model loads, or its progress bar instead while a .mat is read
 * for the first time. On its own because progress changes several times a second. */
static void
impasto_window_sync_model_progress (ImpastoWindow *self)
{
  GtkApplication *app;
  ImpastoModelStatus status;
  gboolean loading, importing;
  double progress;

  g_assert (IMPASTO_IS_WINDOW (self));

  app = impasto_window_get_model_owner (self);
  if (app == NULL)
    return;

  g_object_get (app, "model-status", &status, "model-progress", &progress, NULL);
  loading = status == IMPASTO_MODEL_STATUS_LOADING;
  importing = loading && progress >= 0.0;
  gtk_widget_set_visible (GTK_WIDGET (self->model_spinner), loading && !importing);
  gtk_spinner_set_spinning (self->model_spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->model_progress), importing);
  if (importing)
    {
      g_autofree char *tooltip =
        g_strdup_printf (_("Importing the model, only this once: %.0f%%"), 100.0 * progress);

      gtk_progress_bar_set_fraction (self->model_progress, progress);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->model_progress), tooltip);
    }
}

static void
impasto_window_sync_model (ImpastoWindow *self)
{
  GtkApplication *app;
  ImpastoModelStatus status;
  g_autoptr(ImpastoModel) model = NULL;
  g_autofree char *model_message = NULL;
  const char *message;

  g_assert (IMPASTO_IS_WINDOW (self));

  app = impasto_window_get_model_owner (self);
  if (app == NULL)
    return;

  g_object_get (app, "model-status", &status, "model", &model, "model-message", &model_message,
                NULL);
  message = model_message != NULL ? model_message : "";
  g_set_object (&self->model, model);

  impasto_window_sync_model_progress (self);

  if (self->model == NULL
      && (status == IMPASTO_MODEL_STATUS_MISSING || status == IMPASTO_MODEL_STATUS_FAILED))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      /* A missing model: the page says in a sentence what is needed, and the long list of
       * places looked in waits in a row that expands. */
      if (status == IMPASTO_MODEL_STATUS_MISSING)
        {
          adw_status_page_set_title (self->no_model_page, _("No Model Found"));
          adw_status_page_set_description (self->no_model_page,
                                           _("Impasto paints with VGG19, an image-recognition "
                                             "network. Download it once, or choose the file "
                                             "if you already have it."));
          gtk_label_set_text (self->model_details_label, message);
          gtk_widget_set_visible (self->model_details, TRUE);
        }
      else
        {
          adw_status_page_set_title (self->no_model_page, _("The Model Cannot Be Used"));
          adw_status_page_set_description (self->no_model_page, escaped);
          gtk_widget_set_visible (self->model_details, FALSE);
        }
      gtk_stack_set_visible_child_name (self->main_stack, "no-model");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->main_stack, "painting");
    }

  _impasto_window_update_estimate (self);
  _impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
  impasto_window_maybe_start (self);
}

/* The "no model" page's download is in place and verified: the application (which connects
 * to its windows' model-downloaded) loads it, trusting the MD5 the download verified. A signal,
 * not the app.load-model action: actions are reachable from outside the process. */
static void
on_download_page_downloaded_cb (ImpastoWindow       *self,
                                const char          *path,
                                const char          *md5,
                                ImpastoDownloadPage *page)
{
  g_signal_emit (self, signals[MODEL_DOWNLOADED], 0, path, md5);
}

/* Pictures ------------------------------------------------------------------------------------ */

static void
impasto_window_maybe_start (ImpastoWindow *self)
{
  if (!self->start_when_ready
      || self->model == NULL
      || impasto_image_well_get_pixbuf (self->content_well) == NULL
      || impasto_image_well_get_pixbuf (self->style_well) == NULL
      || impasto_image_well_get_loading (self->content_well)
      || impasto_painting_list_get_loading (self->painting_list))
    return;

  self->start_when_ready = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.start", NULL);
}

static void
on_well_pixbuf_cb (ImpastoWindow    *self,
                   GParamSpec       *pspec,
                   ImpastoImageWell *well)
{
  GFile *file = impasto_image_well_get_file (well);
  g_autofree char *uri = file != NULL ? g_file_get_uri (file) : NULL;

  g_settings_set_string (self->settings,
                         well == self->content_well ? "content-uri" : "style-uri",
                         uri != NULL ? uri : "");

  impasto_window_update_photo (self);
  if (well == self->content_well)
    _impasto_window_regions_sync_photo (self);
  _impasto_window_update_estimate (self);
  _impasto_window_update_stats (self);
  _impasto_window_request_restart (self, well == self->content_well ? "content" : "style");
  _impasto_window_update_actions (self);
  impasto_window_maybe_start (self);
}

/* A well's, or any painting's, picture started or finished decoding. */
static void
on_well_loading_cb (ImpastoWindow *self,
                    GParamSpec    *pspec,
                    GObject       *source)
{
  _impasto_window_update_actions (self);
  impasto_window_maybe_start (self);
}

static void
on_well_notice_cb (ImpastoWindow    *self,
                   const char       *message,
                   ImpastoImageWell *well)
{
  impasto_window_show_toast (self, message);
}

/* Which well the paste filled: with the focus elsewhere, that is not obvious. */
static void
on_well_pasted_cb (ImpastoWindow    *self,
                   ImpastoImageWell *well)
{
  if (well == self->content_well)
    impasto_window_show_toast (self, _("Pasted as the photo"));
  else if (well == self->style_well)
    impasto_window_show_toast (self, _("Pasted as the painting"));
  else
    impasto_window_show_toast (self, _("Pasted as a painting to blend in"));
}

static void
on_well_failed_cb (ImpastoWindow    *self,
                   const char       *message,
                   ImpastoImageWell *well)
{
  GFile *file = impasto_image_well_get_failed_file (well);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  /* The message names the file by its full path; the toast by its name, the path on request. */
  if (path != NULL)
    {
      g_autofree char *full = g_filename_display_name (path);
      g_autofree char *base = g_filename_display_basename (path);
      g_autofree char *quoted = g_strdup_printf ("“%s”", base);
      g_auto(GStrv) parts = g_strsplit (message, full, -1);
      g_autofree char *short_message = g_strjoinv (quoted, parts);

      impasto_window_show_error_details (self, short_message, message);
    }
  else
    {
      impasto_window_show_error (self, message);
    }
  /* --start waits for two pictures it will not get. */
  self->start_when_ready = FALSE;
}

/* Paintings ------------------------------------------------------------------------------------ */

/* Each painting's well says what went wrong, or what was pasted, as the photo's does. */
static void
impasto_window_follow_well (ImpastoWindow    *self,
                            ImpastoImageWell *well)
{
  g_signal_connect_object (well, "failed", G_CALLBACK (on_well_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (well, "notice", G_CALLBACK (on_well_notice_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (well, "pasted", G_CALLBACK (on_well_pasted_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
on_painting_list_well_added_cb (ImpastoWindow       *self,
                                ImpastoImageWell    *well,
                                ImpastoPaintingList *list)
{
  impasto_window_follow_well (self, well);
}

/* The paintings after the first as `painting-uris`, one entry each ("" for a pasted or empty
 * one, which cannot be restored), so that the weights and brush sizes (written through the
 * parameters) stay each with its painting. */
static void
impasto_window_save_paintings (ImpastoWindow *self)
{
  int n = impasto_painting_list_get_n_paintings (self->painting_list);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;
  g_autoptr(GVariant) weights = NULL;
  g_autoptr(GVariant) scales = NULL;

  for (int i = 1; i < n; i++)
    {
      ImpastoImageWell *well = impasto_painting_list_get_well (self->painting_list, i);
      GFile *file = impasto_image_well_get_file (well);
      g_autofree char *uri = file != NULL && impasto_image_well_get_pixbuf (well) != NULL
                             ? g_file_get_uri (file) : NULL;

      g_strv_builder_add (builder, uri != NULL ? uri : "");
    }
  uris = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "painting-uris", (const char * const *) uris);

  /* Also when the parameters still hold values from the settings for paintings not restored
   * (the command line named the pictures). */
  g_object_get (self->painting_list, "weights", &weights, "scales", &scales, NULL);
  g_object_set (self->params, "painting-weights", weights, "painting-scales", scales, NULL);
}

static void
on_painting_list_n_paintings_cb (ImpastoWindow *self)
{
  impasto_window_save_paintings (self);
  _impasto_window_update_actions (self);
}

/* A painting's picture came, was replaced or went: a run that paints with them starts again
 * (the first painting's well asks as the painting well always did, on_well_pixbuf_cb()). */
static void
on_painting_list_changed_cb (ImpastoWindow       *self,
                             int                  index,
                             ImpastoPaintingList *list)
{
  impasto_window_save_paintings (self);
  if (index > 0)
    _impasto_window_request_restart (self, "paintings");
  _impasto_window_update_actions (self);
}

static void
on_painting_list_scale_changed_cb (ImpastoWindow       *self,
                                   int                  index,
                                   ImpastoPaintingList *list)
{
  _impasto_window_steer_painting_scale (self, index);
}

static void
on_painting_list_notice_cb (ImpastoWindow       *self,
                            const char          *message,
                            ImpastoPaintingList *list)
{
  impasto_window_show_toast (self, message);
}

/* The paintings after the first, with every painting's weight and brush size. A painting whose
 * file went away is left out, with its values; values of the wrong number for the paintings
 * stored are not used (with a message in the log), as the parameters do with other values that
 * cannot be used. */
static void
impasto_window_restore_paintings (ImpastoWindow *self)
{
  g_auto(GStrv) uris = g_settings_get_strv (self->settings, "painting-uris");
  g_autoptr(GVariant) weights = NULL;
  g_autoptr(GVariant) scales = NULL;
  double kept_weights[IMPASTO_MAX_PAINTINGS];
  double kept_scales[IMPASTO_MAX_PAINTINGS];
  const double *stored_weights;
  const double *stored_scales;
  gsize n_weights, n_scales;
  int n_uris = (int) g_strv_length (uris);
  int n_kept = 1;

  /* Read before any painting is added: adding one writes the values back. */
  g_object_get (self->params, "painting-weights", &weights, "painting-scales", &scales, NULL);
  stored_weights = g_variant_get_fixed_array (weights, &n_weights, sizeof (double));
  stored_scales = g_variant_get_fixed_array (scales, &n_scales, sizeof (double));

  if (n_weights != 0 && (int) n_weights != 1 + n_uris)
    {
      g_message (_("The painting-weights setting has %d values for %d paintings; it is ignored"),
                 (int) n_weights, 1 + n_uris);
      n_weights = 0;
    }
  if (n_scales != 0 && (int) n_scales != 1 + n_uris)
    {
      g_message (_("The painting-scales setting has %d values for %d paintings; it is ignored"),
                 (int) n_scales, 1 + n_uris);
      n_scales = 0;
    }
  if (n_uris > IMPASTO_MAX_PAINTINGS - 1)
    g_message (_("The painting-uris setting names %d paintings after the first, but at most %d "
                 "are blended; the rest are left out"), n_uris, IMPASTO_MAX_PAINTINGS - 1);

  kept_weights[0] = n_weights > 0 ? stored_weights[0] : 1.0;
  kept_scales[0] = n_scales > 0 ? stored_scales[0] : 1.0;
  for (int i = 0; i < n_uris && n_kept < IMPASTO_MAX_PAINTINGS; i++)
    {
      g_autoptr(GFile) file = NULL;

      if (uris[i][0] == '\0')
        continue;
      file = g_file_new_for_uri (uris[i]);
      /* A picture that went away since is simply not restored. */
      if (!g_file_query_exists (file, NULL))
        continue;
      impasto_image_well_load_file (impasto_painting_list_add (self->painting_list), file);
      kept_weights[n_kept] = n_weights > 0 ? stored_weights[1 + i] : 1.0;
      kept_scales[n_kept] = n_scales > 0 ? stored_scales[1 + i] : 1.0;
      n_kept++;
    }

  g_object_set (self->painting_list,
                "weights", g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, kept_weights,
                                                      n_kept, sizeof (double)),
                "scales", g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, kept_scales,
                                                     n_kept, sizeof (double)),
                NULL);
}

/* Narrow windows ------------------------------------------------------------------------------- */

/* When the controls fold away the window is narrow (down to 360 px): the header keeps the run's
 * icons and the title (which shortens itself); Save stays in the menu and on Ctrl+S. The
 * flap says it folded while it is being allocated, so the header changes wait for an idle. */
static gboolean
impasto_window_apply_folded (gpointer data)
{
  ImpastoWindow *self = data;
  gboolean folded = adw_flap_get_folded (self->flap);

  self->folded_idle = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->start_label), !folded);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), !folded);

  /* The first layout happened before the flap knew it would fold, with a wider minimum; ask for
   * the size we wanted once more now that the minimum is what it is. */
  if (!self->sized && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    {
      self->sized = TRUE;
      if (self->wanted_width > 0 && self->wanted_width < gtk_widget_get_width (GTK_WIDGET (self)))
        {
          gtk_window_set_default_size (GTK_WINDOW (self), self->wanted_width + 1,
                                       self->wanted_height);
          gtk_window_set_default_size (GTK_WINDOW (self), self->wanted_width,
                                       self->wanted_height);
        }
    }
  return G_SOURCE_REMOVE;
}

static void
on_flap_folded_cb (ImpastoWindow *self)
{
  if (self->folded_idle == 0)
    self->folded_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, impasto_window_apply_folded, self,
                                         NULL);
}

/* What the window was asked to be before GTK clamped it to the first (unfolded) minimum. */
static void
on_default_size_cb (ImpastoWindow *self)
{
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    gtk_window_get_default_size (GTK_WINDOW (self), &self->wanted_width, &self->wanted_height);
}

/* Combo rows ---------------------------------------------------------------------------------- */

static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  g_value_set_uint (to_value, (guint) g_value_get_enum (from_value));
  return TRUE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from_value);

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_enum (to_value, (int) selected);
  return TRUE;
}

/* The preview row's choices, in its model's order: 0 paints the full size. */
static const int preview_sizes[] = { 0, 128, 256, 384 };

static gboolean
preview_size_to_selected (GBinding     *binding,
                          const GValue *from_value,
                          GValue       *to_value,
                          gpointer      user_data)
{
  int size = g_value_get_int (from_value);
  guint selected = 0;

  /* A size set elsewhere (dconf) shows as the largest choice not above it. */
  for (guint i = 0; i < G_N_ELEMENTS (preview_sizes); i++)
    if (size > 0 && preview_sizes[i] > 0 && preview_sizes[i] <= size)
      selected = i;
  if (size > 0 && selected == 0)
    selected = 1;
  g_value_set_uint (to_value, selected);
  return TRUE;
}

static gboolean
selected_to_preview_size (GBinding     *binding,
                          const GValue *from_value,
                          GValue       *to_value,
                          gpointer      user_data)
{
  guint selected = g_value_get_uint (from_value);

  if (selected >= G_N_ELEMENTS (preview_sizes))
    return FALSE;
  g_value_set_int (to_value, preview_sizes[selected]);
  return TRUE;
}

static gboolean
init_to_noise_sensitive (GBinding     *binding,
                         const GValue *from_value,
                         GValue       *to_value,
                         gpointer      user_data)
{
  g_value_set_boolean (to_value, g_value_get_enum (from_value) == IMPASTO_INIT_NOISE);
  return TRUE;
}

static gboolean
folder_to_subtitle (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  const char *folder = g_value_get_string (from_value);

  g_value_set_string (to_value, folder != NULL && folder[0] != '\0' ? folder : _("None chosen"));
  return TRUE;
}

/* What the chosen colours do, under the Colours row (whose subtitle is the choice). */
static gboolean
colors_to_subtitle (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  switch ((ImpastoColors) g_value_get_enum (from_value))
    {
    case IMPASTO_COLORS_LUMINANCE:
      g_value_set_string (to_value, _("Only the light and shade of the paintings are painted, in "
                                      "the photo's colours. Changing it starts again."));
      break;

    case IMPASTO_COLORS_HISTOGRAM:
      g_value_set_string (to_value, _("The paintings are recoloured to the photo's colours "
                                      "first, as their wells show. Changing it starts again."));
      break;

    case IMPASTO_COLORS_SWAP:
      g_value_set_string (to_value, _("Painted as usual, then the photo's colours are laid over "
                                      "what is shown and saved. Can be switched while "
                                      "painting."));
      break;

    case IMPASTO_COLORS_NONE:
    default:
      g_value_set_string (to_value, _("The picture takes the paintings' colours with their "
                                      "strokes."));
      break;
    }
  return TRUE;
}

static void
impasto_window_bind_params (ImpastoWindow *self)
{
  GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  struct
  {
    gpointer widget;
    const char *widget_property;
    const char *param;
  } simple[] = {
    { self->alpha_row, "value", "alpha" },
    { self->beta_row, "value", "beta" },
    { self->tv_row, "value", "tv" },
    { self->learning_rate_row, "value", "learning-rate" },
    { gtk_spin_button_get_adjustment (self->size_spin), "value", "size" },
    { gtk_spin_button_get_adjustment (self->iterations_spin), "value", "iterations" },
    { gtk_spin_button_get_adjustment (self->noise_spin), "value", "noise-ratio" },
    { gtk_spin_button_get_adjustment (self->seed_spin), "value", "seed" },
    { gtk_spin_button_get_adjustment (self->save_every_spin), "value", "save-every" },
  };
  struct
  {
    AdwComboRow *row;
    const char *param;
  } combos[] = {
    { self->optimizer_row, "optimizer" },
    { self->init_row, "init" },
    { self->pool_row, "pool" },
    { self->colors_row, "preserve-colors" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    g_object_bind_property (self->params, simple[i].param,
                            simple[i].widget, simple[i].widget_property, flags);

  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    g_object_bind_property_full (self->params, combos[i].param, combos[i].row, "selected", flags,
                                 enum_to_selected, selected_to_enum, NULL, NULL);

  g_object_bind_property_full (self->params, "preview-size", self->preview_row, "selected", flags,
                               preview_size_to_selected, selected_to_preview_size, NULL, NULL);
  g_object_bind_property_full (self->params, "init", self->noise_row, "sensitive",
                               G_BINDING_SYNC_CREATE, init_to_noise_sensitive, NULL, NULL, NULL);
  g_object_bind_property_full (self->params, "save-folder", self->save_folder_row, "subtitle",
                               G_BINDING_SYNC_CREATE, folder_to_subtitle, NULL, NULL, NULL);
  g_object_bind_property_full (self->params, "preserve-colors", self->colors_hint, "label",
                               G_BINDING_SYNC_CREATE, colors_to_subtitle, NULL, NULL, NULL);
  g_object_bind_property (self->params, "preserve-colors", self->painting_list, "colors",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->content_well, "pixbuf", self->painting_list, "photo",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->params, "painting-weights", self->painting_list, "weights", flags);
  g_object_bind_property (self->params, "painting-scales", self->painting_list, "scales", flags);
}

/* Life cycle ---------------------------------------------------------------------------------- */

static gboolean
impasto_window_close_request (GtkWindow *window)
{
  ImpastoWindow *self = IMPASTO_WINDOW (window);
  int width;
  int height;

  /* A painting that would go unsaved: ask first (Ctrl+W, the close button, Quit). */
  if (!self->close_confirmed && _impasto_window_has_unsaved_painting (self))
    {
      _impasto_window_confirm (self, IMPASTO_AFTER_SAVE_CLOSE);
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  /* The worker stops within one layer; the job holds the application until it has. */
  self->restart_when_stopped = FALSE;
  self->start_when_ready = FALSE;
  if (self->job != NULL)
    impasto_job_stop (self->job);
  /* Saved or discarded: the run's history goes with it. */
  _impasto_window_discard_run (self);

  return GTK_WINDOW_CLASS (impasto_window_parent_class)->close_request (window);
}

/* The application carries the model; follow it from whichever application we get. */
static void
on_application_cb (ImpastoWindow *self)
{
  GtkApplication *app = impasto_window_get_model_owner (self);

  if (app != NULL)
    {
      g_signal_connect_object (app, "notify::model-status",
                               G_CALLBACK (impasto_window_sync_model), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::model",
                               G_CALLBACK (impasto_window_sync_model), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::model-progress",
                               G_CALLBACK (impasto_window_sync_model_progress), self,
                               G_CONNECT_SWAPPED);
      impasto_window_sync_model (self);
    }
}

static void
impasto_window_dispose (GObject *object)
{
  ImpastoWindow *self = (ImpastoWindow *) object;

  g_clear_handle_id (&self->folded_idle, g_source_remove);
  if (self->calibration != NULL)
    {
      g_cancellable_cancel (self->calibration);
      g_clear_object (&self->calibration);
    }
  if (self->job != NULL)
    {
      impasto_job_stop (self->job);
      /* Nothing is kept of a window that goes away (a crash never gets here). */
      impasto_job_delete_run_folder (self->job);
    }
  if (self->restart_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->restart_dialog));
  if (self->save_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->save_dialog));
  if (self->restore_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->restore_dialog));
  if ((self->branching || self->resume_opened) && self->resume_folder != NULL)
    impasto_job_remove_run_folder (self->resume_folder);
  if (self->branch_parent != NULL)
    impasto_job_delete_run_folder (self->branch_parent);
  g_clear_object (&self->branch_parent);
  g_clear_pointer (&self->branch_parent_wells, g_ptr_array_unref);
  g_clear_pointer (&self->resume_folder, g_free);
  g_clear_pointer (&self->resume_snapshot, g_free);
  g_clear_pointer (&self->resume_records, g_array_unref);
  g_clear_pointer (&self->open_run_folder, g_free);
  g_clear_pointer (&self->opening_run, g_free);
  g_clear_pointer (&self->branch_from, g_free);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (self->job_bindings != NULL)
    g_binding_group_set_source (self->job_bindings, NULL);
  if (self->job_signals != NULL)
    g_signal_group_set_target (self->job_signals, NULL);
  g_clear_object (&self->job_bindings);
  g_clear_object (&self->job_signals);
  g_clear_object (&self->job);
  g_clear_pointer (&self->job_wells, g_ptr_array_unref);
  g_clear_pointer (&self->saved_pixels, g_bytes_unref);
  g_clear_pointer (&self->saving_pixels, g_bytes_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_WINDOW);

  g_clear_object (&self->region_masks);
  g_clear_object (&self->model);
  g_clear_object (&self->params);
  g_clear_pointer (&self->memory_limits, g_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (impasto_window_parent_class)->dispose (object);
}

static void
impasto_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ImpastoWindow *self = IMPASTO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REGIONS_MODE:
      g_value_set_boolean (value, self->regions_mode);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ImpastoWindow *self = IMPASTO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REGIONS_MODE:
      if (self->regions_mode != g_value_get_boolean (value))
        {
          _impasto_window_set_regions_mode (self, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_window_class_init (ImpastoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = impasto_window_dispose;
  object_class->get_property = impasto_window_get_property;
  object_class->set_property = impasto_window_set_property;
  window_class->close_request = impasto_window_close_request;

  /* The regions are shown and painted over the canvas, with their controls beside it
   * (win.regions-mode). */
  properties[PROP_REGIONS_MODE] =
    g_param_spec_boolean ("regions-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The model download is complete and verified: (path, its MD5). */
  signals[MODEL_DOWNLOADED] =
    g_signal_new ("model-downloaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (IMPASTO_TYPE_CANVAS_VIEW);
  g_type_ensure (IMPASTO_TYPE_DOWNLOAD_PAGE);
  g_type_ensure (IMPASTO_TYPE_IMAGE_WELL);
  g_type_ensure (IMPASTO_TYPE_LOG_SCALE_ROW);
  g_type_ensure (IMPASTO_TYPE_LOSS_PLOT);
  g_type_ensure (IMPASTO_TYPE_PAINTING_LIST);
  g_type_ensure (IMPASTO_TYPE_REGION_OVERLAY);
  g_type_ensure (IMPASTO_TYPE_REGION_PANEL);
  g_type_ensure (IMPASTO_TYPE_TIMELINE);

  impasto_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/impasto/Impasto/impasto-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_progress);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, start_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, content_well);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, painting_list);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, colors_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, colors_hint);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, alpha_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, beta_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, tv_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, presets_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, learning_rate_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, content_layers_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, style_layers_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, pool_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, size_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, size_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, preview_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, memory_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, full_size_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, iterations_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, init_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, noise_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, noise_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, optimizer_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, save_every_spin);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, save_folder_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, canvas_stack);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, canvas_controls);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, compare_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, hold_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, region_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, regions_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, regions_revealer);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, region_panel);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, photo_picture);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, photo_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, photo_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, pending_revealer);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, iteration_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, loss_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, snapshot_revealer);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, snapshot_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, no_model_page);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, download_page);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_details);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, model_details_label);
  gtk_widget_class_bind_template_callback (widget_class, on_well_pixbuf_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_well_loading_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_well_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_flap_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pending_start_clicked_cb);

  _impasto_window_class_actions_init (klass);
  gtk_widget_class_install_property_action (widget_class, "win.regions-mode", "regions-mode");
  _impasto_window_class_regions_init (klass);
  _impasto_window_class_canvas_init (klass);
  _impasto_window_class_timeline_init (klass);
  _impasto_window_class_export_init (klass);
  _impasto_window_class_keep_init (klass);
  _impasto_window_class_presets_init (klass);
}

static void
impasto_window_init (ImpastoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loss_plot = impasto_timeline_get_plot (self->timeline);
  self->style_well = impasto_painting_list_get_well (self->painting_list, 0);

  self->settings = g_settings_new ("org.impasto.Impasto");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  gtk_window_get_default_size (GTK_WINDOW (self), &self->wanted_width, &self->wanted_height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->params = impasto_params_new ();
  impasto_params_bind_settings (self->params, self->settings);
  impasto_window_build_layer_rows (self);
  impasto_window_sync_layer_rows (self);
  impasto_window_bind_params (self);
  _impasto_window_memory_init (self);
  _impasto_window_regions_init (self);
  _impasto_window_canvas_init (self);
  _impasto_window_presets_init (self);
  /* Scrolling the sidebar over a number does not change it; focusing it first does. */
  {
    GtkSpinButton *spins[] = { self->size_spin, self->iterations_spin, self->noise_spin,
                               self->seed_spin, self->save_every_spin };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      impasto_wheel_guard_attach (GTK_WIDGET (spins[i]), NULL);
  }
  g_signal_connect_object (self->params, "notify", G_CALLBACK (on_params_notify_cb), self,
                           G_CONNECT_SWAPPED);

  self->job_wells = g_ptr_array_new_with_free_func (g_object_unref);
  self->job_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->job_bindings, "texture", self->canvas, "paintable",
                             G_BINDING_SYNC_CREATE, keep_picture_transform, NULL, NULL, NULL);
  self->job_signals = g_signal_group_new (IMPASTO_TYPE_JOB);
  g_signal_group_connect_object (self->job_signals, "notify::iteration",
                                 G_CALLBACK (on_job_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->job_signals, "notify::iterations",
                                 G_CALLBACK (on_job_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->job_signals, "notify::state",
                                 G_CALLBACK (on_job_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->job_signals, "notify::last-scale",
                                 G_CALLBACK (on_job_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->job_signals, "notify::texture",
                                 G_CALLBACK (on_job_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->job_signals, "notify::warning",
                                 G_CALLBACK (on_job_warning_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::paintable",
                           G_CALLBACK (on_canvas_paintable_cb), self, G_CONNECT_SWAPPED);
  _impasto_window_timeline_init (self);
  _impasto_window_keep_init (self);

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_cb), NULL);
  g_signal_connect_object (self->download_page, "downloaded",
                           G_CALLBACK (on_download_page_downloaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_well, "notice", G_CALLBACK (on_well_notice_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_well, "pasted", G_CALLBACK (on_well_pasted_cb), self,
                           G_CONNECT_SWAPPED);
  /* The first painting's well is the painting well of old; the others only report. */
  g_signal_connect_object (self->style_well, "notify::pixbuf", G_CALLBACK (on_well_pixbuf_cb),
                           self, G_CONNECT_SWAPPED);
  impasto_window_follow_well (self, self->style_well);
  g_signal_connect_object (self->painting_list, "well-added",
                           G_CALLBACK (on_painting_list_well_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->painting_list, "paintings-changed",
                           G_CALLBACK (on_painting_list_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->painting_list, "notify::n-paintings",
                           G_CALLBACK (on_painting_list_n_paintings_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->painting_list, "scale-changed",
                           G_CALLBACK (on_painting_list_scale_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->painting_list, "notice",
                           G_CALLBACK (on_painting_list_notice_cb), self, G_CONNECT_SWAPPED);

  /* Start with the narrow header, so that a window opened at 360 px can be that narrow; the
   * labels come back once the flap has been allocated and found room. */
  gtk_widget_set_visible (GTK_WIDGET (self->start_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_size_cb), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (on_default_size_cb), NULL);
  g_signal_connect (self, "map", G_CALLBACK (on_flap_folded_cb), NULL);

  _impasto_window_update_estimate (self);
  _impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
}

ImpastoWindow *
impasto_window_new (ImpastoApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (IMPASTO_TYPE_WINDOW, "application", application, NULL);
}

void
impasto_window_open (ImpastoWindow *self,
                     GFile         *content,
                     GFile         *style)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (!content || G_IS_FILE (content));
  g_return_if_fail (!style || G_IS_FILE (style));

  if (content != NULL)
    impasto_image_well_load_file (self->content_well, content);
  if (style != NULL)
    impasto_image_well_load_file (self->style_well, style);
}

void
impasto_window_restore_images (ImpastoWindow *self)
{
  const char *keys[] = { "content-uri", "style-uri" };
  ImpastoImageWell *wells[] = { self->content_well, self->style_well };

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *uri = g_settings_get_string (self->settings, keys[i]);
      g_autoptr(GFile) file = NULL;

      if (uri[0] == '\0')
        continue;
      file = g_file_new_for_uri (uri);
      /* A picture that went away since is simply not restored. */
      if (g_file_query_exists (file, NULL))
        impasto_image_well_load_file (wells[i], file);
    }
  impasto_window_restore_paintings (self);
}

void
impasto_window_start_when_ready (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  self->start_when_ready = TRUE;
  impasto_window_maybe_start (self);
}

ImpastoParams *
impasto_window_get_params (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return self->params;
}

ImpastoJob *
impasto_window_get_job (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), NULL);

  return self->job;
}
