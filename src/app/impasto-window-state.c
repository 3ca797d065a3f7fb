/* impasto-window-state.c
 *
 * What the window shows of the current run and of what comes next: the iteration, time and loss
 * labels, the progress bar and the title's subtitle; the canvas's pages before the first frame
 * (which picture is missing, the photo with what comes next); which win.* actions are enabled
 * and the header's run buttons. It reads the window's fields and the job and changes widgets
 * only: it starts, stops and asks nothing, and calls no other of the window's files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-state"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-window-private.h"

/* Text ---------------------------------------------------------------------------------------- */

char *
_impasto_window_format_duration (double seconds)
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
void
_impasto_window_update_canvas (ImpastoWindow *self)
{
  GdkPixbuf *content = impasto_image_well_get_pixbuf (self->content_well);
  GdkPixbuf *style = impasto_image_well_get_pixbuf (self->style_well);
  gboolean preparing;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (impasto_canvas_view_get_paintable (self->canvas) != NULL)
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

/* Showing the run ----------------------------------------------------------------------------- */

void
_impasto_window_update_stats (ImpastoWindow *self)
{
  g_autofree char *iteration = NULL;
  g_autofree char *time = NULL;
  g_autofree char *loss = NULL;
  const char *subtitle = NULL;
  ImpastoJobState state;
  int iterations;
  int done;

  g_assert (IMPASTO_IS_WINDOW (self));

  _impasto_window_update_canvas (self);

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
  else if (impasto_job_get_n_scales (self->job) > 1)
    {
      int scale = impasto_job_get_scale (self->job);
      int width;
      int height;

      impasto_job_get_scale_size (self->job, scale, &width, &height);
      /* Translators: the size of the ladder being painted, smallest first, and its pixels:
       * "Size 3 of 5 · 362 × 272". */
      iteration = g_strdup_printf (_("Size %d of %d · %d × %d"), scale + 1,
                                   impasto_job_get_n_scales (self->job), width, height);
    }
  else
    /* Translators: "Iteration 120 of 1000". */
    iteration = g_strdup_printf (_("Iteration %d of %d"), done, iterations);

  if (iteration != NULL && impasto_job_get_iteration (self->job) >= 0)
    {
      int n_x;
      int n_y;

      impasto_job_get_tiles (self->job, &n_x, &n_y);
      if (n_x * n_y > 1)
        {
          /* Translators: the painting's progress, then the tiles its size is painted in:
           * "Size 5 of 5 · 4096 × 3072 · 8 × 6 tiles". */
          g_autofree char *tiled = g_strdup_printf (_("%s · %d × %d tiles"), iteration, n_x, n_y);

          g_free (iteration);
          iteration = g_steal_pointer (&tiled);
        }
    }

  if (impasto_job_get_ms_per_iteration (self->job) > 0.0)
    {
      g_autofree char *per = _impasto_window_format_duration (impasto_job_get_ms_per_iteration (self->job)
                                              / 1000.0);

      /* Translators: "0.8 s an iteration". */
      g_autofree char *per_text = keep_together (g_strdup_printf (_("%s an iteration"), per));

      if (impasto_job_is_active (self->job) && state != IMPASTO_JOB_PREVIEWED
          && impasto_job_get_seconds_left (self->job) > 0.0)
        {
          g_autofree char *left = _impasto_window_format_duration (impasto_job_get_seconds_left (self->job));
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
      subtitle = impasto_job_is_preview (self->job) ? C_("run state", "Previewing")
                                                    : C_("run state", "Painting");
      break;

    case IMPASTO_JOB_PREVIEWED:
      /* Translators: the run's state when a preview has painted its size and waits. */
      subtitle = C_("run state", "Preview Ready");
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
  gtk_progress_bar_set_fraction (self->progress_bar, impasto_job_get_progress (self->job));
  adw_window_title_set_subtitle (self->window_title, subtitle);
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
                   && !impasto_painting_list_get_loading (self->painting_list);
  gboolean paused = state == IMPASTO_JOB_PAUSED;
  gboolean preview = active && impasto_job_is_preview (self->job);
  gboolean previewed = state == IMPASTO_JOB_PREVIEWED;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));

  gtk_widget_action_set_enabled (widget, "win.start",
                                 ready && !active && !self->restart_when_stopped);
  gtk_widget_action_set_enabled (widget, "win.pause",
                                 state == IMPASTO_JOB_PREPARING || state == IMPASTO_JOB_RUNNING);
  gtk_widget_action_set_enabled (widget, "win.resume", paused);
  /* A resting preview has nothing to pause. */
  gtk_widget_action_set_enabled (widget, "win.toggle-pause", active && !previewed);
  gtk_widget_action_set_enabled (widget, "win.stop", active);
  gtk_widget_action_set_enabled (widget, "win.paint-full-size", preview);
  gtk_widget_action_set_enabled (widget, "win.save",
                                 self->job != NULL
                                 && impasto_job_get_pixels (self->job, NULL, NULL, NULL) != NULL);
  /* Save Run… needs a snapshot on disk (the run folder is made with the first). */
  {
    g_autoptr(GArray) snapshots = self->job != NULL ? impasto_job_dup_snapshots (self->job) : NULL;

    gtk_widget_action_set_enabled (widget, "win.save-run",
                                   snapshots != NULL && snapshots->len > 0);

    /* The timeline (impasto-window-timeline.c): back needs a snapshot, forward and Back to
     * Newest one shown; continuing needs this run's folder, and no branch or restart waiting. */
    {
      const ImpastoJobSnapshot *shown = self->timeline != NULL
                                        ? impasto_timeline_get_selected_snapshot (self->timeline)
                                        : NULL;

      gtk_widget_action_set_enabled (widget, "win.timeline-back",
                                     snapshots != NULL && snapshots->len > 0);
      gtk_widget_action_set_enabled (widget, "win.timeline-forward", shown != NULL);
      gtk_widget_action_set_enabled (widget, "win.timeline-newest", shown != NULL);
      gtk_widget_action_set_enabled (widget, "win.continue-from-here",
                                     shown != NULL && self->model != NULL
                                     && self->job != NULL
                                     && impasto_job_get_run_folder (self->job) != NULL
                                     && self->branch_parent == NULL && !self->branching
                                     && !self->restart_when_stopped);
    }
  }
  gtk_widget_action_set_enabled (widget, "win.export-animation",
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
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), active && !previewed);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), active);
  /* A preview that waits has one thing to suggest: going on to the full size. */
  gtk_widget_set_visible (GTK_WIDGET (self->full_size_button), preview);
  if (previewed)
    gtk_widget_add_css_class (GTK_WIDGET (self->full_size_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->full_size_button), "suggested-action");
}
