/* impasto-window.c
 *
 * The main window (see impasto-window.h). It binds the controls to an ImpastoParams that is bound
 * to GSettings, follows the application's model, and runs one ImpastoJob at a time: the canvas,
 * the numbers and the plot follow the current job through a GBindingGroup and a GSignalGroup.
 * A parameter change while a job runs is either handed to the job (live), or restarts it once the
 * old worker has stopped (after asking when a picture would be lost). The actions and the
 * keyboard shortcuts live in impasto-window-actions.c.
 *
 * This file never runs engine work on the main thread; the only engine calls here are the cheap
 * memory and time estimates (impasto-run-estimate.h) and parameter validation. This computer's
 * speed is measured once on a GTask thread when it is not known yet.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdbool.h>

#include "impasto-download-page.h"
#include "impasto-image.h"
#include "impasto-resources-private.h"
#include "impasto-run-estimate.h"
#include "impasto-wheel-guard.h"
#include "impasto-window-private.h"

G_DEFINE_FINAL_TYPE (ImpastoWindow, impasto_window, ADW_TYPE_APPLICATION_WINDOW)

static void impasto_window_update_estimate (ImpastoWindow *self);
static void impasto_window_update_stats (ImpastoWindow *self);
static void impasto_window_maybe_start (ImpastoWindow *self);
static void impasto_window_update_canvas (ImpastoWindow *self);

/* A toast with @message as plain text (not markup). */
static void
add_toast (ImpastoWindow    *self,
           const char       *message,
           guint             timeout,
           AdwToastPriority  priority)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, priority);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
impasto_window_show_error (ImpastoWindow *self,
                           const char    *message)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Errors stay until dismissed: they are what the person has to act on. */
  add_toast (self, message, 0, ADW_TOAST_PRIORITY_HIGH);
}

void
impasto_window_show_toast (ImpastoWindow *self,
                           const char    *message)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  add_toast (self, message, 4, ADW_TOAST_PRIORITY_NORMAL);
}

static char *
format_duration (double seconds)
{
  if (seconds < 1.0)
    return g_strdup_printf (_("%.0f ms"), seconds * 1000.0);
  if (seconds < 60.0)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 3600.0)
    return g_strdup_printf (_("%d min %02d s"), (int) seconds / 60, (int) seconds % 60);
  return g_strdup_printf (_("%d h %02d min"), (int) seconds / 3600, ((int) seconds % 3600) / 60);
}

/* Spaces become no-break spaces, so that a narrow window wraps a label between phrases only. */
static char *
keep_together (char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  g_free (text);
  return g_strjoinv ("\xc2\xa0", words);
}

/* A whole run's estimated length, rounded as a person would say it: "about 40 s", "about
 * 12 min", "about 2 h 10 min". */
static char *
format_estimate (double seconds)
{
  if (seconds < 60.0)
    /* Translators: an estimated duration. */
    return g_strdup_printf (_("about %d s"), MAX (1, (int) lround (seconds)));
  if (seconds < 3600.0)
    /* Translators: an estimated duration. */
    return g_strdup_printf (_("about %d min"), (int) lround (seconds / 60.0));
  /* Translators: an estimated duration. */
  return g_strdup_printf (_("about %d h %02d min"), (int) (seconds / 3600.0),
                          (int) lround (fmod (seconds, 3600.0) / 60.0) % 60);
}

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

/* What the person has to do next, as the status line says it before a run. */
static const char *
impasto_window_get_next_step (ImpastoWindow *self)
{
  gboolean photo = impasto_image_well_get_pixbuf (self->content_well) != NULL;
  gboolean painting = impasto_image_well_get_pixbuf (self->style_well) != NULL;

  if (!photo && !painting)
    return _("Choose a photo and a painting");
  if (!painting)
    return _("Choose a painting");
  if (!photo)
    return _("Choose a photo");
  if (self->model == NULL)
    return _("Loading the model…");
  return _("Press Start to paint");
}

/* The painting once there is a frame; before, the photo with what comes next when both pictures
 * are there, else a page that says which picture is missing. */
static void
impasto_window_update_canvas (ImpastoWindow *self)
{
  GdkPixbuf *content = impasto_image_well_get_pixbuf (self->content_well);
  GdkPixbuf *style = impasto_image_well_get_pixbuf (self->style_well);
  gboolean preparing;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (gtk_picture_get_paintable (self->canvas) != NULL)
    {
      gtk_stack_set_visible_child_name (self->canvas_stack, "canvas");
      return;
    }

  if (content != NULL && style != NULL)
    {
      preparing = self->job != NULL && impasto_job_is_active (self->job);
      gtk_label_set_label (self->photo_label, preparing ? _("Looking at the pictures…")
                                                        : impasto_window_get_next_step (self));
      gtk_widget_set_visible (GTK_WIDGET (self->photo_spinner), preparing);
      gtk_spinner_set_spinning (self->photo_spinner, preparing);
      gtk_stack_set_visible_child_name (self->canvas_stack, "photo");
      return;
    }

  gtk_spinner_set_spinning (self->photo_spinner, FALSE);
  if (content == NULL && style == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Choose a Photo and a Painting"));
      adw_status_page_set_description (self->empty_page,
                                       _("Drop them on the two wells in the sidebar, or paste "
                                         "them."));
    }
  else if (style == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Choose a Painting"));
      adw_status_page_set_description (self->empty_page,
                                       _("Its colours and brush strokes are copied onto the "
                                         "photo. Drop it on the Painting well in the sidebar, "
                                         "or paste it."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("Choose a Photo"));
      adw_status_page_set_description (self->empty_page,
                                       _("Its shapes are kept and painted in the painting's "
                                         "style. Drop it on the Photo well in the sidebar, or "
                                         "paste it."));
    }
  gtk_stack_set_visible_child_name (self->canvas_stack, "empty");
}

/* The photo shown before the first frame follows the Photo well. */
static void
impasto_window_update_photo (ImpastoWindow *self)
{
  GdkPixbuf *content = impasto_image_well_get_pixbuf (self->content_well);
  g_autoptr(GdkTexture) texture = NULL;

  if (content != NULL)
    texture = gdk_texture_new_for_pixbuf (content);
  gtk_picture_set_paintable (self->photo_picture, GDK_PAINTABLE (texture));
  impasto_window_update_canvas (self);
}

/* Runs -------------------------------------------------------------------------------------- */

/* The changes that need a new run, by the property (or well) that changed: the name the
 * sidebar gives it, and the restart question's first sentence. */
static const struct
{
  const char *change;
  const char *name;
  const char *question;
} restart_changes[] = {
  { "size", N_("Size"), N_("Changing the size needs a new start.") },
  { "optimizer", N_("Method"), N_("Changing the method needs a new start.") },
  { "init", N_("Start From"), N_("Changing what the painting starts from needs a new start.") },
  { "noise-ratio", N_("Noise"), N_("Changing the noise needs a new start.") },
  { "seed", N_("Seed"), N_("Changing the seed needs a new start.") },
  { "pool", N_("Pooling"), N_("Changing the pooling needs a new start.") },
  { "content-layers", N_("Content Layers"),
    N_("Switching on another content layer needs a new start.") },
  { "style-layers", N_("Style Layers"), N_("Switching on another style layer needs a new start.") },
  { "content", N_("Photo"), N_("Changing the photo needs a new start.") },
  { "style", N_("Painting"), N_("Changing the painting needs a new start.") },
};

static guint
restart_change_index (const char *change)
{
  for (guint i = 0; i < G_N_ELEMENTS (restart_changes); i++)
    if (g_strcmp0 (restart_changes[i].change, change) == 0)
      return i;
  g_return_val_if_reached (0);
}

/* The lasting notice of changes waiting for the next start, while the run that was kept goes
 * on with the values it started with. */
static void
impasto_window_update_pending (ImpastoWindow *self)
{
  gboolean shown = self->restart_declined && self->pending_changes != 0;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (shown)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *text = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (restart_changes); i++)
        if (self->pending_changes & (1u << i))
          {
            if (names->len > 0)
              /* Translators: between the names of settings in a list. */
              g_string_append (names, _(", "));
            g_string_append (names, _(restart_changes[i].name));
          }
      /* Translators: a list of settings ("Size, Pooling") that the sidebar shows changed but
       * the run that goes on does not use. */
      text = g_strdup_printf (_("Waiting for a new start: %s"), names->str);
      gtk_label_set_label (self->pending_label, text);
    }
  gtk_revealer_set_reveal_child (self->pending_revealer, shown);
}

static void
impasto_window_add_pending (ImpastoWindow *self,
                            const char    *change)
{
  self->pending_changes |= 1u << restart_change_index (change);
  impasto_window_update_pending (self);
}

static void
on_restart_response_cb (ImpastoWindow    *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "restart") == 0 && self->job != NULL
      && impasto_job_is_active (self->job))
    {
      self->restart_when_stopped = TRUE;
      impasto_job_stop (self->job);
    }
  else if (self->job != NULL && impasto_job_is_active (self->job))
    {
      /* Not asked again during this run; live changes go on without the new layers, and the
       * notice says what waits for the next start. */
      self->restart_declined = TRUE;
      impasto_window_update_pending (self);
    }
  _impasto_window_update_actions (self);
}

/* "Start Again" on the notice: the waiting changes are used from a new run (asking first if
 * the painting so far would be lost). */
static void
on_pending_start_clicked_cb (ImpastoWindow *self)
{
  _impasto_window_confirm (self, IMPASTO_AFTER_SAVE_RESTART);
}

/* A change that needs new targets: restart at once if nothing would be lost, else ask (naming
 * the change). After "Keep Painting" it only joins the changes waiting for the next start. */
static void
impasto_window_request_restart (ImpastoWindow *self,
                                const char    *change)
{
  g_autofree char *body = NULL;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (self->job == NULL || !impasto_job_is_active (self->job) || self->restart_when_stopped)
    return;

  /* Remembered for the notice, should this run be kept. */
  self->pending_changes |= 1u << restart_change_index (change);
  if (self->restart_declined)
    {
      impasto_window_update_pending (self);
      return;
    }

  if (impasto_job_get_iteration (self->job) <= 0)
    {
      self->restart_when_stopped = TRUE;
      impasto_job_stop (self->job);
      _impasto_window_update_actions (self);
      return;
    }

  if (self->restart_dialog != NULL)
    return;

  /* Translators: the first sentence names the change ("Changing the size needs a new start."). */
  body = g_strdup_printf (_("%s What is painted so far is replaced; save it first to keep it."),
                          _(restart_changes[restart_change_index (change)].question));
  self->restart_dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_WINDOW (self), _("Start Painting Again?"), body));
  adw_message_dialog_add_responses (self->restart_dialog,
                                    "keep", _("_Keep Painting"),
                                    "restart", _("_Start Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->restart_dialog, "restart",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->restart_dialog, "keep");
  adw_message_dialog_set_close_response (self->restart_dialog, "keep");
  g_object_add_weak_pointer (G_OBJECT (self->restart_dialog), (gpointer *) &self->restart_dialog);
  g_signal_connect_object (self->restart_dialog, "response", G_CALLBACK (on_restart_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->restart_dialog));
}

static void
impasto_window_push_live_params (ImpastoWindow *self,
                                 const char    *change)
{
  ImpastoSessionParams params;
  ImpastoEngineError engine_error = { 0 };
  const ImpastoSessionParams *running;

  g_assert (IMPASTO_IS_WINDOW (self));
  g_assert (self->job != NULL);

  impasto_params_get_transfer_params (self->params, &params);
  running = impasto_job_get_initial_params (self->job);

  if (impasto_params_needs_new_targets (running, &params))
    {
      if (!self->restart_declined)
        {
          impasto_window_request_restart (self, change);
          return;
        }
      /* The person chose to keep this run: it goes on with the layers it has, and the new
       * ones wait for the next start. */
      if (g_str_equal (change, "content-layers") || g_str_equal (change, "style-layers"))
        impasto_window_add_pending (self, change);
      for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
        {
          if (running->content_layers[i] <= 0.0f)
            params.content_layers[i] = 0.0f;
          if (running->style_layers[i] <= 0.0f)
            params.style_layers[i] = 0.0f;
        }
    }

  if (impasto_session_params_validate (&params, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_autofree char *message =
        g_strdup_printf (_("Still painting with the previous values: %s"), engine_error.message);

      impasto_window_show_toast (self, message);
      return;
    }

  impasto_job_set_params (self->job, &params);
}

static void
on_params_notify_cb (ImpastoWindow *self,
                     GParamSpec    *pspec,
                     ImpastoParams *params)
{
  ImpastoParamsChange change = impasto_params_classify (pspec->name);

  /* The running job first: the sooner it has the values, the sooner they show. */
  if (self->job != NULL && impasto_job_is_active (self->job))
    {
      switch (change)
        {
        case IMPASTO_PARAMS_CHANGE_LIVE:
          impasto_window_push_live_params (self, pspec->name);
          break;

        case IMPASTO_PARAMS_CHANGE_RESTART:
          impasto_window_request_restart (self, pspec->name);
          break;

        case IMPASTO_PARAMS_CHANGE_RUN:
          impasto_job_set_iterations (self->job, impasto_params_get_iterations (self->params));
          impasto_job_set_save_every (self->job, impasto_params_get_save_every (self->params),
                                      impasto_params_get_save_folder (self->params));
          break;

        case IMPASTO_PARAMS_CHANGE_NONE:
        default:
          break;
        }
    }

  if (g_str_equal (pspec->name, "content-layers") || g_str_equal (pspec->name, "style-layers"))
    impasto_window_sync_layer_rows (self);
  impasto_window_update_estimate (self);
  _impasto_window_update_actions (self);
}

/* What a finished or stopped run measured refines the stored speed of this computer. */
static void
impasto_window_record_speed (ImpastoWindow *self,
                             ImpastoJob    *job)
{
  const ImpastoJobRecord *records;
  double total_ms = 0.0;
  double gflop;
  int width = 0;
  int height = 0;
  guint n;
  guint steps = 0;

  if (self->model == NULL)
    return;

  records = impasto_job_get_history (job, &n);
  for (guint i = 0; i < n; i++)
    if (records[i].iteration > 1)  /* the first step warms caches up */
      {
        total_ms += records[i].ms;
        steps++;
      }
  if (steps < 3 || total_ms <= 0.0)
    return;

  impasto_job_get_pixels (job, &width, &height, NULL);
  gflop = impasto_run_estimate_gflop (
    impasto_model_get_weights (self->model),
    impasto_run_estimate_deepest_layer (impasto_job_get_initial_params (job)), width, height);
  if (impasto_run_speed_record_run (NULL, impasto_job_get_config (job)->optimizer, 0,
                                    total_ms / steps / 1000.0, gflop, NULL) > 0.0)
    impasto_window_update_estimate (self);
}

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ImpastoWindow) self = user_data;
  ImpastoJob *job = IMPASTO_JOB (object);
  g_autoptr(GError) error = NULL;

  if (!impasto_job_run_finish (job, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        impasto_window_show_error (self, error->message);
    }

  if (job != self->job)
    return;

  impasto_window_record_speed (self, job);

  if (self->restart_when_stopped)
    {
      self->restart_when_stopped = FALSE;
      if (gtk_widget_get_visible (GTK_WIDGET (self)))
        _impasto_window_start (self);
    }

  impasto_window_update_stats (self);
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

static void
impasto_window_set_job (ImpastoWindow *self,
                        ImpastoJob    *job)
{
  g_assert (IMPASTO_IS_WINDOW (self));

  if (!g_set_object (&self->job, job))
    return;

  g_binding_group_set_source (self->job_bindings, job);
  g_signal_group_set_target (self->job_signals, job);
  impasto_loss_plot_set_job (self->loss_plot, job);
  self->steers_seen = 0;
  self->steer_serial = 0;
  impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
}

gboolean
_impasto_window_start (ImpastoWindow *self)
{
  g_autoptr(ImpastoJob) job = NULL;
  ImpastoJobSettings settings = { 0 };
  ImpastoEngineError engine_error = { 0 };
  GdkPixbuf *content;
  GdkPixbuf *style;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  content = impasto_image_well_get_pixbuf (self->content_well);
  style = impasto_image_well_get_pixbuf (self->style_well);
  if (self->model == NULL || content == NULL || style == NULL)
    return FALSE;
  if (self->job != NULL && impasto_job_is_active (self->job))
    return FALSE;

  impasto_params_get_transfer_params (self->params, &settings.params);
  impasto_params_get_config (self->params, &settings.config);
  settings.size = impasto_params_get_size (self->params);
  settings.iterations = impasto_params_get_iterations (self->params);
  settings.save_every = impasto_params_get_save_every (self->params);
  settings.save_folder = impasto_params_get_save_folder (self->params);
  settings.threads = 0;

  if (impasto_session_params_validate (&settings.params, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot start: %s"), engine_error.message);

      impasto_window_show_error (self, message);
      return FALSE;
    }

  /* The run has the cores to itself, and measures this computer's speed as it goes. */
  if (self->calibration != NULL)
    {
      g_cancellable_cancel (self->calibration);
      g_clear_object (&self->calibration);
    }

  job = impasto_job_new (self->model, content, style, &settings);
  self->restart_declined = FALSE;
  self->pending_changes = 0;
  impasto_window_update_pending (self);
  impasto_window_set_job (self, job);
  impasto_job_run_async (job, NULL, on_job_done_cb, g_object_ref (self));
  impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
  return TRUE;
}

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
          impasto_window_update_stats (self);
          _impasto_window_update_actions (self);
        }
      else
        {
          _impasto_window_start (self);
        }
      break;

    case IMPASTO_AFTER_SAVE_NONE:
    default:
      break;
    }
}

void
_impasto_window_save_done (ImpastoWindow *self,
                           GBytes        *pixels,
                           gboolean       saved)
{
  ImpastoAfterSave then;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (!saved && pixels != NULL && pixels == self->saved_pixels)
    g_clear_pointer (&self->saved_pixels, g_bytes_unref);

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
  if (self->save_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->save_dialog));
      return;
    }

  if (impasto_job_is_active (self->job))
    body = then == IMPASTO_AFTER_SAVE_CLOSE
           ? _("Closing stops the painting. What is painted so far is lost unless you save it.")
           : _("Starting again replaces the painting. What is painted so far is lost unless "
               "you save it.");
  else
    body = then == IMPASTO_AFTER_SAVE_CLOSE
           ? _("The painting has not been saved. It is lost when the window closes unless you "
               "save it.")
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

/* Showing the run ----------------------------------------------------------------------------- */

static void
impasto_window_update_stats (ImpastoWindow *self)
{
  g_autofree char *iteration = NULL;
  g_autofree char *time = NULL;
  g_autofree char *loss = NULL;
  const char *subtitle = NULL;
  ImpastoJobState state;
  int iterations;
  int done;

  g_assert (IMPASTO_IS_WINDOW (self));

  impasto_window_update_canvas (self);

  if (self->job == NULL)
    {
      gtk_label_set_label (self->iteration_label, impasto_window_get_next_step (self));
      gtk_label_set_label (self->time_label, "");
      gtk_label_set_label (self->loss_label, "");
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      adw_window_title_set_subtitle (self->window_title,
                                     self->model == NULL ? _("Loading the model…") : NULL);
      return;
    }

  state = impasto_job_get_state (self->job);
  iterations = impasto_job_get_iterations (self->job);
  done = MAX (impasto_job_get_iteration (self->job), 0);

  if (state == IMPASTO_JOB_PREPARING
      || (state == IMPASTO_JOB_PAUSED && impasto_job_get_iteration (self->job) < 0))
    iteration = g_strdup (_("Preparing…"));
  else
    /* Translators: "Iteration 120 of 1000". */
    iteration = g_strdup_printf (_("Iteration %d of %d"), done, iterations);

  if (impasto_job_get_ms_per_iteration (self->job) > 0.0)
    {
      g_autofree char *per = format_duration (impasto_job_get_ms_per_iteration (self->job)
                                              / 1000.0);

      /* Translators: "0.8 s an iteration". */
      g_autofree char *per_text = keep_together (g_strdup_printf (_("%s an iteration"), per));

      if (impasto_job_is_active (self->job) && done < iterations)
        {
          g_autofree char *left = format_duration (impasto_job_get_seconds_left (self->job));
          /* Translators: "2 min 10 s left". */
          g_autofree char *left_text = keep_together (g_strdup_printf (_("%s left"), left));

          time = g_strconcat (per_text, " · ", left_text, NULL);
        }
      else
        {
          time = g_steal_pointer (&per_text);
        }
    }

  if (impasto_job_get_iteration (self->job) >= 0)
    {
      const ImpastoLosses *losses = impasto_job_get_losses (self->job);
      ImpastoSessionParams params;

      impasto_job_get_params (self->job, &params);
      if (params.tv > 0.0)
        loss = g_strdup_printf (_("Loss %.4g · content %.4g · style %.4g · smoothness %.4g"),
                                losses->total, losses->content, losses->style, losses->tv_term);
      else
        loss = g_strdup_printf (_("Loss %.4g · content %.4g · style %.4g"),
                                losses->total, losses->content, losses->style);
    }

  switch (state)
    {
    case IMPASTO_JOB_PREPARING:
      subtitle = _("Looking at the pictures…");
      break;

    case IMPASTO_JOB_RUNNING:
      /* Translators: the run's state, shown under the window title while it paints. */
      subtitle = C_("run state", "Painting");
      break;

    case IMPASTO_JOB_PAUSED:
      subtitle = _("Paused");
      break;

    case IMPASTO_JOB_FINISHED:
      subtitle = _("Finished");
      break;

    case IMPASTO_JOB_STOPPED:
      subtitle = self->restart_when_stopped ? _("Starting again…") : _("Stopped");
      break;

    case IMPASTO_JOB_FAILED:
      subtitle = _("Failed");
      break;

    case IMPASTO_JOB_READY:
    default:
      break;
    }

  gtk_label_set_label (self->iteration_label, iteration);
  gtk_label_set_label (self->time_label, time != NULL ? time : "");
  gtk_label_set_label (self->loss_label, loss != NULL ? loss : "");
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 iterations > 0 ? CLAMP ((double) done / iterations, 0.0, 1.0)
                                                : 0.0);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

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
  impasto_window_update_stats (self);
  if (g_str_equal (pspec->name, "state") || g_str_equal (pspec->name, "texture"))
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
  impasto_window_update_canvas (self);
}

/* Estimates ------------------------------------------------------------------------------------ */

typedef struct
{
  ImpastoModel *model;
  GApplication *app;    /* held until the thread has returned, as a run holds it */
  double rate;          /* seconds per nominal GFLOP; 0 when it could not be measured */
} Calibration;

static void
calibration_free (Calibration *calibration)
{
  g_clear_object (&calibration->model);
  g_clear_object (&calibration->app);
  g_free (calibration);
}

static void
on_calibrated_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ImpastoWindow) self = user_data;
  Calibration *calibration = g_task_get_task_data (G_TASK (result));

  if (calibration->app != NULL)
    g_application_release (calibration->app);

  /* Not kept when cancelled: a run started meanwhile measures for itself. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self->calibration == NULL)
    return;
  g_clear_object (&self->calibration);
  if (calibration->rate > 0.0)
    impasto_run_speed_record (NULL, IMPASTO_OPTIMIZER_ADAM, 0, calibration->rate, NULL);
  impasto_window_update_estimate (self);
}

static bool
calibration_should_stop (void *data)
{
  return g_cancellable_is_cancelled (data);
}

static void
calibrate_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Calibration *calibration = task_data;

  calibration->rate = impasto_run_speed_calibrate (impasto_model_get_weights (calibration->model),
                                                   0, calibration_should_stop, cancellable);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

/* This computer's speed has never been measured: measure it once in the background, while no
 * run is using the cores. */
static void
impasto_window_calibrate (ImpastoWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Calibration *calibration;

  if (self->model == NULL || self->calibration != NULL
      || (self->job != NULL && impasto_job_is_active (self->job)))
    return;

  self->calibration_tried = TRUE;
  self->calibration = g_cancellable_new ();
  task = g_task_new (NULL, self->calibration, on_calibrated_cb, g_object_ref (self));
  g_task_set_source_tag (task, impasto_window_calibrate);
  calibration = g_new0 (Calibration, 1);
  calibration->model = g_object_ref (self->model);
  calibration->app = g_application_get_default ();
  if (calibration->app != NULL)
    {
      g_object_ref (calibration->app);
      g_application_hold (calibration->app);
    }
  g_task_set_task_data (task, calibration, (GDestroyNotify) calibration_free);
  g_task_run_in_thread (task, calibrate_thread);
}

static void
impasto_window_update_estimate (ImpastoWindow *self)
{
  g_autofree char *subtitle = NULL;
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  GdkPixbuf *content;
  int size;
  int width;
  int height;

  g_assert (IMPASTO_IS_WINDOW (self));

  size = impasto_params_get_size (self->params);
  content = impasto_image_well_get_pixbuf (self->content_well);
  if (content != NULL)
    impasto_image_fit_size (gdk_pixbuf_get_width (content), gdk_pixbuf_get_height (content), size,
                            &width, &height);
  else
    width = height = size;

  gtk_widget_remove_css_class (GTK_WIDGET (self->size_row), "error");
  if (self->model == NULL)
    {
      /* Translators: the painting's size in pixels, "512 × 384 pixels". */
      subtitle = g_strdup_printf (_("%d × %d pixels"), width, height);
    }
  else
    {
      const ImpastoWeights *weights = impasto_model_get_weights (self->model);
      g_autofree char *memory = NULL;
      guint64 bytes = 0;
      double rate;
      double seconds;

      impasto_params_get_transfer_params (self->params, &params);
      impasto_params_get_config (self->params, &config);
      config.width = width;
      config.height = height;
      if (!impasto_run_estimate_memory (weights, &config, &params, &bytes, NULL))
        {
          memory = g_format_size (bytes);
          /* Translators: size, then memory. */
          subtitle = g_strdup_printf (_("%d × %d pixels · needs about %s of memory, more than "
                                        "this computer has: choose a smaller size"),
                                      width, height, memory);
          gtk_widget_add_css_class (GTK_WIDGET (self->size_row), "error");
          adw_action_row_set_subtitle (self->size_row, subtitle);
          return;
        }

      memory = g_format_size (bytes);
      rate = impasto_run_speed_lookup (NULL, config.optimizer, 0);
      seconds = impasto_run_estimate_seconds (
        rate, impasto_run_estimate_gflop (weights, impasto_run_estimate_deepest_layer (&params),
                                          width, height));
      if (seconds > 0.0)
        {
          g_autofree char *total =
            format_estimate (seconds * impasto_params_get_iterations (self->params));
          g_autofree char *each = format_duration (seconds);

          /* Translators: size, memory, the whole run's estimated time ("about 12 min"), then
           * the time of one iteration ("0.8 s"). */
          subtitle = g_strdup_printf (_("%d × %d pixels · about %s of memory · %s to paint, "
                                        "estimated from this computer's speed (%s an "
                                        "iteration)"),
                                      width, height, memory, total, each);
        }
      else
        {
          if (rate <= 0.0 && !self->calibration_tried)
            impasto_window_calibrate (self);
          /* Translators: size, then memory. */
          subtitle = g_strdup_printf (self->calibration != NULL
                                      ? _("%d × %d pixels · about %s of memory · measuring "
                                          "this computer's speed…")
                                      : _("%d × %d pixels · about %s of memory"),
                                      width, height, memory);
        }
    }

  adw_action_row_set_subtitle (self->size_row, subtitle);
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

  impasto_window_update_estimate (self);
  impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
  impasto_window_maybe_start (self);
}

/* The "no model" page's download is in place and verified: the application loads it. */
static void
on_download_page_downloaded_cb (ImpastoWindow       *self,
                                const char          *path,
                                const char          *md5,
                                ImpastoDownloadPage *page)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.load-model", "(ss)", path,
                              md5 != NULL ? md5 : "");
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
      || impasto_image_well_get_loading (self->style_well))
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
  impasto_window_update_estimate (self);
  impasto_window_update_stats (self);
  impasto_window_request_restart (self, well == self->content_well ? "content" : "style");
  _impasto_window_update_actions (self);
  impasto_window_maybe_start (self);
}

static void
on_well_loading_cb (ImpastoWindow    *self,
                    GParamSpec       *pspec,
                    ImpastoImageWell *well)
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
  impasto_window_show_toast (self, well == self->style_well ? _("Pasted as the painting")
                                                            : _("Pasted as the photo"));
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
  };

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    g_object_bind_property (self->params, simple[i].param,
                            simple[i].widget, simple[i].widget_property, flags);

  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    g_object_bind_property_full (self->params, combos[i].param, combos[i].row, "selected", flags,
                                 enum_to_selected, selected_to_enum, NULL, NULL);

  g_object_bind_property_full (self->params, "init", self->noise_row, "sensitive",
                               G_BINDING_SYNC_CREATE, init_to_noise_sensitive, NULL, NULL, NULL);
  g_object_bind_property_full (self->params, "save-folder", self->save_folder_row, "subtitle",
                               G_BINDING_SYNC_CREATE, folder_to_subtitle, NULL, NULL, NULL);
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
    impasto_job_stop (self->job);
  if (self->restart_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->restart_dialog));
  if (self->save_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->save_dialog));
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
  g_clear_pointer (&self->saved_pixels, g_bytes_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_WINDOW);

  g_clear_object (&self->model);
  g_clear_object (&self->params);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (impasto_window_parent_class)->dispose (object);
}

static void
impasto_window_class_init (ImpastoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = impasto_window_dispose;
  window_class->close_request = impasto_window_close_request;

  g_type_ensure (IMPASTO_TYPE_DOWNLOAD_PAGE);
  g_type_ensure (IMPASTO_TYPE_IMAGE_WELL);
  g_type_ensure (IMPASTO_TYPE_LOG_SCALE_ROW);
  g_type_ensure (IMPASTO_TYPE_LOSS_PLOT);

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
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, style_well);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, alpha_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, beta_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, tv_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, learning_rate_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, content_layers_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, style_layers_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, pool_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, size_row);
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, size_spin);
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
  gtk_widget_class_bind_template_child (widget_class, ImpastoWindow, loss_plot);
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
}

static void
impasto_window_init (ImpastoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

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
  /* Scrolling the sidebar over a number does not change it; focusing it first does. */
  {
    GtkSpinButton *spins[] = { self->size_spin, self->iterations_spin, self->noise_spin,
                               self->seed_spin, self->save_every_spin };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      impasto_wheel_guard_attach (GTK_WIDGET (spins[i]), NULL);
  }
  g_signal_connect_object (self->params, "notify", G_CALLBACK (on_params_notify_cb), self,
                           G_CONNECT_SWAPPED);

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
  g_signal_group_connect_object (self->job_signals, "notify::texture",
                                 G_CALLBACK (on_job_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->job_signals, "notify::warning",
                                 G_CALLBACK (on_job_warning_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::paintable",
                           G_CALLBACK (on_canvas_paintable_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_cb), NULL);
  g_signal_connect_object (self->download_page, "downloaded",
                           G_CALLBACK (on_download_page_downloaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_well, "notice", G_CALLBACK (on_well_notice_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->style_well, "notice", G_CALLBACK (on_well_notice_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_well, "pasted", G_CALLBACK (on_well_pasted_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->style_well, "pasted", G_CALLBACK (on_well_pasted_cb), self,
                           G_CONNECT_SWAPPED);

  /* Start with the narrow header, so that a window opened at 360 px can be that narrow; the
   * labels come back once the flap has been allocated and found room. */
  gtk_widget_set_visible (GTK_WIDGET (self->start_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_size_cb), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (on_default_size_cb), NULL);
  g_signal_connect (self, "map", G_CALLBACK (on_flap_folded_cb), NULL);

  impasto_window_update_estimate (self);
  impasto_window_update_stats (self);
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
