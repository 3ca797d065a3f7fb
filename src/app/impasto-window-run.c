/* impasto-window-run.c
 *
 * The window's run: starting one ImpastoJob (after validating its parameters) with the photo and
 * every painting of the list that has a picture, steering it while it runs (live changes handed
 * to the job: α, β and the rest, the paintings' weights, a painting's brush size, the photo's
 * colours laid over or not; changes that need new targets restart it, asking first when the
 * painting so far would be lost, or wait in the sidebar's notice after "Keep Painting"), and its
 * end (an error toast, the measured speed, a restart that was waiting). Continue From Here
 * starts a branch: a run continued from an earlier snapshot of the current one, in a folder of
 * its own that shares the snapshots up to it (hard links); the current run is kept aside until
 * the branch shows its first picture, and comes back if the branch fails before that (a snapshot
 * refused because the pictures or the settings that need a new start have changed).
 * The job does the work on its own thread; this file only calls it. It asks nothing about
 * saving (impasto-window-save.c does, and calls down here).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-run"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "impasto-params-file.h"
#include "impasto-run-settings.h"
#include "impasto-window-private.h"

/* Steering ------------------------------------------------------------------------------------ */

/* The changes that need a new run, by the property (or well) that changed: the name the
 * sidebar gives it, and the restart question's first sentence. */
static const struct
{
  const char *change;
  const char *name;
  const char *question;
} restart_changes[] = {
  { "size", N_("Size"), N_("Changing the size needs a new start.") },
  { "min-size", N_("Smallest Size"), N_("Changing the smallest size needs a new start.") },
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
  { "paintings", N_("Paintings"),
    N_("Adding, removing or replacing a painting needs a new start.") },
  { "preserve-colors", N_("Colours"),
    N_("Changing how the photo's colours are kept needs a new start.") },
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

/* A change that needs new targets: restart at once if nothing would be lost, else ask (naming
 * the change). After "Keep Painting" it only joins the changes waiting for the next start. */
void
_impasto_window_request_restart (ImpastoWindow *self,
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

  /* Nothing painted yet, and not a restored run (whose history a restart would discard). */
  if (impasto_job_get_iteration (self->job) <= 0
      && impasto_job_get_start_iteration (self->job) == 0)
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

/* The list's row of the run's painting @job_index, or -1 when it is no longer in the list. */
static int
impasto_window_job_painting_row (ImpastoWindow *self,
                                 guint          job_index)
{
  gpointer well = g_ptr_array_index (self->job_wells, job_index);

  for (int i = 0; i < impasto_painting_list_get_n_paintings (self->painting_list); i++)
    if (impasto_painting_list_get_well (self->painting_list, i) == well)
      return i;
  return -1;
}

/* @params' painting weights, in the list's order, put in the run's order: a painting the run
 * paints but the list no longer has (after "Keep Painting") keeps the weight it has in the run.
 * FALSE if none of them counts. */
static gboolean
impasto_window_order_weights (ImpastoWindow        *self,
                              ImpastoSessionParams *params)
{
  float listed[IMPASTO_MAX_PAINTINGS];
  ImpastoSessionParams running;
  gboolean counts = FALSE;

  memcpy (listed, params->painting_weights, sizeof listed);
  impasto_job_get_params (self->job, &running);
  for (guint j = 0; j < IMPASTO_MAX_PAINTINGS; j++)
    {
      int row = j < self->job_wells->len ? impasto_window_job_painting_row (self, j) : -1;

      if (j >= self->job_wells->len)
        params->painting_weights[j] = 1.0f;
      else
        params->painting_weights[j] = row >= 0 ? listed[row] : running.painting_weights[j];
      counts = counts || (j < self->job_wells->len && params->painting_weights[j] > 0.0f);
    }
  return counts;
}

static void
impasto_window_push_live_params (ImpastoWindow *self,
                                 const char    *change)
{
  ImpastoSessionParams params;
  ImpastoSessionParams current;
  ImpastoEngineError engine_error = { 0 };
  const ImpastoSessionParams *running;

  g_assert (IMPASTO_IS_WINDOW (self));
  g_assert (self->job != NULL);

  impasto_params_get_transfer_params (self->params, &params);
  running = impasto_job_get_initial_params (self->job);
  if (!impasto_window_order_weights (self, &params))
    {
      g_autofree char *message =
        g_strdup_printf (_("Still painting with the previous values: %s"),
                         _("no painting the run paints has a weight above 0"));

      impasto_window_show_toast (self, message);
      return;
    }

  if (impasto_params_needs_new_targets (running, &params))
    {
      if (!self->restart_declined)
        {
          _impasto_window_request_restart (self, change);
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

  /* A painting added or removed changes the list's weights but not the run's: nothing to hand
   * over (the plot would mark a change that was none). */
  impasto_job_get_params (self->job, &current);
  if (memcmp (&current, &params, sizeof params) == 0)
    return;

  impasto_job_set_params (self->job, &params);
}

void
_impasto_window_steer_painting_scale (ImpastoWindow *self,
                                      int            index)
{
  gpointer well;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (self->job == NULL || !impasto_job_is_active (self->job))
    return;

  well = impasto_painting_list_get_well (self->painting_list, index);
  for (guint j = 0; j < self->job_wells->len; j++)
    if (g_ptr_array_index (self->job_wells, j) == well)
      impasto_job_set_painting_scale (self->job, (int) j,
                                      impasto_painting_list_get_scale (self->painting_list,
                                                                       index));
}

/* Laying the photo's colours over the picture or not changes what is shown, at once, also after
 * the run; painting light and shade only, or recolouring the paintings, needs a new run. */
static void
impasto_window_steer_colors (ImpastoWindow *self)
{
  ImpastoColors colors = impasto_params_get_colors (self->params);

  if (self->job == NULL)
    return;
  if (impasto_job_can_set_colors (self->job, colors))
    impasto_job_set_colors (self->job, colors);
  else
    _impasto_window_request_restart (self, "preserve-colors");
}

/* Starting and ending ------------------------------------------------------------------------- */

static void impasto_window_set_job (ImpastoWindow *self,
                                    ImpastoJob    *job);

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
      gboolean said = FALSE;

      if (job == self->job && self->branch_parent != NULL)
        {
          /* A branch that failed, or was stopped, before its first picture: the run it was made
           * from comes back as it was, and its folder with it. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_autofree char *message =
                g_strdup_printf (_("Cannot continue from iteration %d: %s"),
                                 impasto_job_get_start_iteration (job), error->message);

              impasto_window_show_error (self, message);
              said = TRUE;
            }
          impasto_job_delete_run_folder (job);
          if (!self->restart_when_stopped)
            {
              g_autoptr(ImpastoJob) parent = g_steal_pointer (&self->branch_parent);
              g_autoptr(GPtrArray) wells = g_steal_pointer (&self->branch_parent_wells);

              impasto_window_set_job (self, parent);
              if (wells != NULL)
                {
                  g_ptr_array_set_size (self->job_wells, 0);
                  g_ptr_array_extend_and_steal (self->job_wells, g_steal_pointer (&wells));
                }
              return;
            }
          /* Stopped to start again (a change that needs it, asked and answered): the new run
           * replaces both. */
          impasto_job_delete_run_folder (self->branch_parent);
          g_clear_object (&self->branch_parent);
          g_clear_pointer (&self->branch_parent_wells, g_ptr_array_unref);
        }
      if (!said && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        impasto_window_show_error (self, error->message);
    }

  if (job != self->job)
    return;

  _impasto_window_record_speed (self, job);

  if (self->restart_when_stopped)
    {
      self->restart_when_stopped = FALSE;
      if (gtk_widget_get_visible (GTK_WIDGET (self)))
        _impasto_window_start (self);
    }

  _impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
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
  impasto_timeline_set_job (self->timeline, job);
  self->steers_seen = 0;
  self->steer_serial = 0;
  _impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
}

/* The paintings a run paints: those of the list that have a picture, with their brush sizes, and
 * their weights in @params in the same order; their wells into @wells. FALSE (a toast says why)
 * when none of them counts. */
static gboolean
impasto_window_collect_paintings (ImpastoWindow        *self,
                                  ImpastoJobPainting   *paintings,
                                  int                  *n_paintings,
                                  ImpastoSessionParams *params,
                                  GPtrArray            *wells)
{
  float listed[IMPASTO_MAX_PAINTINGS];
  gboolean counts = FALSE;
  int n = 0;

  memcpy (listed, params->painting_weights, sizeof listed);
  for (int i = 0; i < impasto_painting_list_get_n_paintings (self->painting_list); i++)
    {
      ImpastoImageWell *well = impasto_painting_list_get_well (self->painting_list, i);

      if (impasto_image_well_get_pixbuf (well) == NULL)
        continue;
      paintings[n].pixbuf = impasto_image_well_get_pixbuf (well);
      paintings[n].scale = impasto_painting_list_get_scale (self->painting_list, i);
      params->painting_weights[n] = listed[i];
      counts = counts || listed[i] > 0.0f;
      g_ptr_array_add (wells, g_object_ref (well));
      n++;
    }
  for (int j = n; j < IMPASTO_MAX_PAINTINGS; j++)
    params->painting_weights[j] = 1.0f;
  *n_paintings = n;

  if (!counts)
    {
      g_autofree char *message =
        g_strdup_printf (_("Cannot start: %s"),
                         _("every painting with a picture has the weight 0"));

      impasto_window_show_error (self, message);
      return FALSE;
    }
  return TRUE;
}

char *
_impasto_window_new_run_folder (void)
{
  static guint counter;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *runs = impasto_job_dup_runs_folder ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%d-%u", stamp, (int) getpid (), ++counter);

  return g_build_filename (runs, name, NULL);
}

/* What run.ini says of a run, to restore it: the settings (as a saved picture carries them), the
 * photo and the paintings (paths; empty for a pasted picture), and that it is running in this
 * process (a normal end removes the folder, so a folder left behind by a process that is gone
 * is a run that did not end normally). */
static char *
impasto_window_run_info (ImpastoWindow *self,
                         GPtrArray     *wells)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  ImpastoRunSettings settings;
  GFile *file;

  impasto_params_to_run_settings (self->params, &settings);
  impasto_run_settings_to_key_file (&settings, info);
  file = impasto_image_well_get_file (self->content_well);
  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      g_key_file_set_string (info, "run", "photo", path != NULL ? path : "");
    }
  for (guint i = 0; i < wells->len; i++)
    {
      g_autofree char *path = NULL;

      file = impasto_image_well_get_file (g_ptr_array_index (wells, i));
      path = file != NULL ? g_file_get_path (file) : NULL;
      g_strv_builder_add (paths, path != NULL ? path : "");
    }
  strv = g_strv_builder_end (paths);
  g_key_file_set_string_list (info, "run", "paintings", (const char * const *) strv,
                              g_strv_length (strv));
  g_key_file_set_boolean (info, "run", "running", TRUE);
  g_key_file_set_integer (info, "run", "pid", (int) getpid ());
  return g_key_file_to_data (info, NULL, NULL);
}

void
_impasto_window_discard_run (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  if (self->job != NULL)
    impasto_job_delete_run_folder (self->job);
  if (self->branch_parent != NULL)
    {
      impasto_job_delete_run_folder (self->branch_parent);
      g_clear_object (&self->branch_parent);
    }
  g_clear_pointer (&self->branch_parent_wells, g_ptr_array_unref);
}

/* The branch has shown its first picture: the run it was made from goes, with its folder (the
 * snapshots the branch shares with it are hard links, and stay). */
static void
on_branch_texture_cb (ImpastoWindow *self,
                      GParamSpec    *pspec,
                      ImpastoJob    *job)
{
  if (job != self->job || impasto_job_get_texture (job) == NULL)
    return;
  g_signal_handlers_disconnect_by_func (job, on_branch_texture_cb, self);
  if (self->branch_parent != NULL)
    {
      impasto_job_delete_run_folder (self->branch_parent);
      g_clear_object (&self->branch_parent);
    }
  g_clear_pointer (&self->branch_parent_wells, g_ptr_array_unref);
  _impasto_window_update_actions (self);
}

/* What is left of a continuation that did not start: its folder (a branch's own) and its
 * snapshot. */
static void
impasto_window_drop_resume (ImpastoWindow *self)
{
  if ((self->branching || self->resume_opened) && self->resume_folder != NULL)
    impasto_job_remove_run_folder (self->resume_folder);
  self->branching = FALSE;
  self->resume_opened = FALSE;
  g_clear_pointer (&self->resume_folder, g_free);
  g_clear_pointer (&self->resume_snapshot, g_free);
  g_clear_pointer (&self->resume_records, g_array_unref);
}

static gboolean impasto_window_start_run (ImpastoWindow *self);

void
_impasto_window_cancel_pending_start (ImpastoWindow *self)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  self->restart_when_stopped = FALSE;
  if (self->branching)
    impasto_window_drop_resume (self);
  _impasto_window_update_actions (self);
}

gboolean
_impasto_window_start (ImpastoWindow *self)
{
  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  if (impasto_window_start_run (self))
    return TRUE;
  /* A branch or a restored run that cannot start now is not started by a later Start. */
  if (self->branching)
    impasto_window_drop_resume (self);
  return FALSE;
}

/* Whether the branch's @folder got the snapshot @name (the run under way may have dropped it
 * just before it was linked). */
static gboolean
branch_has (const char *folder,
            const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

gboolean
_impasto_window_branch (ImpastoWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  const ImpastoJobRecord *records;
  const char *from;
  guint n;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  from = self->job != NULL ? impasto_job_get_run_folder (self->job) : NULL;
  if (self->branch_from == NULL || from == NULL || self->branching)
    return FALSE;

  /* The snapshots up to the chosen one, linked into a folder of the branch's own now: the run
   * under way may drop the chosen one from its own folder while it stops. */
  folder = _impasto_window_new_run_folder ();
  name = g_path_get_basename (self->branch_from);
  if (!g_file_test (self->branch_from, G_FILE_TEST_IS_REGULAR)
      || !impasto_job_branch_run_folder (from, folder, self->branch_iteration, &error)
      || !branch_has (folder, name))
    {
      g_autofree char *message =
        g_strdup_printf (_("Cannot continue from iteration %d: %s"), self->branch_iteration,
                         error != NULL ? error->message
                                       : _("the run no longer keeps that snapshot"));

      impasto_window_show_error (self, message);
      impasto_job_remove_run_folder (folder);
      return FALSE;
    }

  impasto_window_drop_resume (self);
  self->branching = TRUE;
  self->resume_snapshot = g_build_filename (folder, name, NULL);
  self->resume_folder = g_steal_pointer (&folder);
  self->resume_iteration = self->branch_iteration;
  self->resume_losses = (ImpastoLosses) { NAN, NAN, NAN, NAN };
  records = impasto_job_get_history (self->job, &n);
  self->resume_records = g_array_sized_new (FALSE, FALSE, sizeof (ImpastoJobRecord), n);
  g_array_append_vals (self->resume_records, records, n);
  for (guint i = 0; i < n; i++)
    if (records[i].iteration == self->branch_iteration)
      self->resume_losses = records[i].losses;

  if (impasto_job_is_active (self->job))
    {
      self->restart_when_stopped = TRUE;
      impasto_job_stop (self->job);
      _impasto_window_update_stats (self);
      _impasto_window_update_actions (self);
      return TRUE;
    }
  return _impasto_window_start (self);
}

static gboolean
impasto_window_start_run (ImpastoWindow *self)
{
  g_autofree char *run_folder = NULL;
  g_autofree char *run_info = NULL;
  g_autoptr(ImpastoJob) job = NULL;
  g_autoptr(GPtrArray) wells = g_ptr_array_new_with_free_func (g_object_unref);
  ImpastoJobSettings settings = { 0 };
  ImpastoEngineError engine_error = { 0 };
  ImpastoJobPainting paintings[IMPASTO_MAX_PAINTINGS];
  int n_paintings = 0;
  GdkPixbuf *content;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  content = impasto_image_well_get_pixbuf (self->content_well);
  if (self->model == NULL || content == NULL
      || impasto_image_well_get_pixbuf (self->style_well) == NULL
      || impasto_painting_list_get_loading (self->painting_list))
    return FALSE;
  if (self->job != NULL && impasto_job_is_active (self->job))
    return FALSE;

  impasto_params_get_transfer_params (self->params, &settings.params);
  impasto_params_get_config (self->params, &settings.config);
  settings.size = impasto_params_get_size (self->params);
  settings.min_side = impasto_params_get_min_size (self->params);
  settings.preview_side = impasto_params_get_preview_size (self->params);
  settings.iterations = impasto_params_get_iterations (self->params);
  settings.save_every = impasto_params_get_save_every (self->params);
  settings.save_folder = impasto_params_get_save_folder (self->params);
  settings.threads = 0;
  settings.max_bytes = impasto_params_get_max_bytes (self->params);
  settings.colors = impasto_params_get_colors (self->params);

  if (!impasto_window_collect_paintings (self, paintings, &n_paintings, &settings.params, wells))
    return FALSE;

  if (impasto_session_params_validate (&settings.params, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot start: %s"), engine_error.message);

      impasto_window_show_error (self, message);
      return FALSE;
    }

  /* Refused before anything large is allocated, with what to change. */
  {
    g_autofree char *problem = NULL;

    if (!_impasto_window_check_memory (self, &problem))
      {
        g_autofree char *message = g_strdup_printf (_("Cannot start: %s"), problem);

        impasto_window_show_error (self, message);
        return FALSE;
      }
  }

  /* The run has the cores to itself, and measures this computer's speed as it goes. */
  if (self->calibration != NULL)
    {
      g_cancellable_cancel (self->calibration);
      g_clear_object (&self->calibration);
    }

  /* The run keeps its history in a folder of its own; the picture it replaces is discarded
   * (asked about before this), and so is that run's history. A branch keeps the run it was
   * made from until it shows its first picture. */
  if (self->branching)
    {
      if (self->branch_parent != NULL)
        impasto_job_delete_run_folder (self->branch_parent);
      g_set_object (&self->branch_parent, self->job);
      /* And the wells its paintings came from, should it come back. */
      g_clear_pointer (&self->branch_parent_wells, g_ptr_array_unref);
      self->branch_parent_wells = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < self->job_wells->len; i++)
        g_ptr_array_add (self->branch_parent_wells,
                         g_object_ref (g_ptr_array_index (self->job_wells, i)));
    }
  else
    _impasto_window_discard_run (self);
  run_info = impasto_window_run_info (self, wells);
  settings.run_info = run_info;
  if (self->resume_snapshot != NULL)
    {
      /* A restored run or a branch goes on from its snapshot, in its own folder. */
      run_folder = g_steal_pointer (&self->resume_folder);
      settings.resume_snapshot = self->resume_snapshot;
      settings.resume_iteration = self->resume_iteration;
      settings.resume_losses = self->resume_losses;
      if (self->resume_records != NULL)
        {
          settings.prior_records = (const ImpastoJobRecord *) (gpointer) self->resume_records->data;
          settings.n_prior_records = self->resume_records->len;
        }
    }
  else
    run_folder = _impasto_window_new_run_folder ();
  settings.run_folder = run_folder;

  job = impasto_job_new (self->model, content, paintings, n_paintings, &settings);
  self->resume_opened = FALSE;
  g_clear_pointer (&self->resume_snapshot, g_free);
  g_clear_pointer (&self->resume_records, g_array_unref);
  if (self->branching)
    g_signal_connect_object (job, "notify::texture", G_CALLBACK (on_branch_texture_cb), self,
                             G_CONNECT_SWAPPED);
  self->branching = FALSE;
  g_ptr_array_set_size (self->job_wells, 0);
  g_ptr_array_extend_and_steal (self->job_wells, g_steal_pointer (&wells));
  /* The painted regions, before the run prepares: its first iteration has them. */
  _impasto_window_send_regions (self, job);
  self->restart_declined = FALSE;
  self->pending_changes = 0;
  impasto_window_update_pending (self);
  impasto_window_set_job (self, job);
  impasto_job_run_async (job, NULL, on_job_done_cb, g_object_ref (self));
  _impasto_window_update_stats (self);
  _impasto_window_update_actions (self);
  return TRUE;
}

void
_impasto_window_steer (ImpastoWindow *self,
                       const char    *change_name)
{
  g_assert (IMPASTO_IS_WINDOW (self));

  /* Also after the run: laying the photo's colours over or not changes the picture shown. */
  if (g_str_equal (change_name, "preserve-colors"))
    {
      impasto_window_steer_colors (self);
      return;
    }

  if (self->job == NULL || !impasto_job_is_active (self->job))
    return;

  switch (impasto_params_classify (change_name))
    {
    case IMPASTO_PARAMS_CHANGE_LIVE:
      impasto_window_push_live_params (self, change_name);
      break;

    case IMPASTO_PARAMS_CHANGE_RESTART:
      _impasto_window_request_restart (self, change_name);
      break;

    case IMPASTO_PARAMS_CHANGE_RUN:
      impasto_job_set_iterations (self->job, impasto_params_get_iterations (self->params));
      /* Only when it is the preview that changed: Paint Full Size holds for the rest of the run. */
      if (g_str_equal (change_name, "preview-size"))
        impasto_job_set_preview_side (self->job, impasto_params_get_preview_size (self->params));
      impasto_job_set_save_every (self->job, impasto_params_get_save_every (self->params),
                                  impasto_params_get_save_folder (self->params));
      break;

    case IMPASTO_PARAMS_CHANGE_NONE:
    default:
      break;
    }
}
