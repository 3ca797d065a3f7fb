/* impasto-window-timeline.c
 *
 * The window's timeline (impasto-timeline.h): a snapshot chosen on it is shown on the canvas in
 * place of the newest picture (the canvas stops following the run's frames until the newest
 * picture is chosen again), with a bar above the timeline saying which snapshot it is and
 * offering Continue From Here and Back to Newest. The actions: win.continue-from-here (asks
 * about an unsaved painting first, then impasto-window-run.c branches), win.timeline-newest,
 * and win.timeline-back and win.timeline-forward (Alt+Left and Alt+Right, from anywhere in the
 * window, like a browser's back and forward); Alt+C continues. The snapshot's picture is the job's
 * (impasto_job_load_snapshot_texture()), in the colours the window shows now. Which of the
 * actions can be used is said with the window's others (impasto-window-state.c).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "impasto-window-private.h"

/* The bar: which snapshot is shown, and what it was. */
static void
impasto_window_update_snapshot_bar (ImpastoWindow            *self,
                                    const ImpastoJobSnapshot *snapshot)
{
  g_autofree char *label = NULL;

  gtk_revealer_set_reveal_child (self->snapshot_revealer, snapshot != NULL);
  if (snapshot == NULL)
    return;
  if (isfinite (snapshot->loss))
    /* Translators: a snapshot of the run shown on the canvas; the loss as in "1.23e+05". */
    label = g_strdup_printf (_("Snapshot after iteration %d · loss %.3g"), snapshot->iteration,
                             snapshot->loss);
  else
    label = g_strdup_printf (_("Snapshot after iteration %d"), snapshot->iteration);
  gtk_label_set_label (self->snapshot_label, label);
}

/* The canvas shows the chosen snapshot, or follows the run again. */
static void
on_timeline_selected_cb (ImpastoWindow *self)
{
  const ImpastoJobSnapshot *snapshot;

  /* The window is going away (its template children are gone first). */
  if (self->timeline == NULL || self->job_bindings == NULL)
    return;
  snapshot = impasto_timeline_get_selected_snapshot (self->timeline);

  if (snapshot != NULL && self->job != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = impasto_job_load_snapshot_texture (self->job, snapshot,
                                                                         &error);

      if (texture == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("Cannot show the snapshot after iteration %d: %s"),
                             snapshot->iteration, error->message);

          impasto_window_show_toast (self, message);
          impasto_timeline_set_selected (self->timeline, -1);
          return;
        }
      g_binding_group_set_source (self->job_bindings, NULL);
      impasto_canvas_view_set_paintable (self->canvas, GDK_PAINTABLE (texture));
    }
  else
    {
      g_autoptr(GObject) source = g_binding_group_dup_source (self->job_bindings);

      /* Back to the run's newest picture (the binding copies it over at once). */
      if (source != (GObject *) self->job)
        g_binding_group_set_source (self->job_bindings, self->job);
    }
  impasto_window_update_snapshot_bar (self, snapshot);
  _impasto_window_update_actions (self);
}

static void
on_colors_changed_cb (ImpastoWindow *self)
{
  if (self->timeline != NULL && impasto_timeline_get_selected_snapshot (self->timeline) != NULL)
    on_timeline_selected_cb (self);
}

static void
impasto_window_continue_from_here_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  const ImpastoJobSnapshot *snapshot = impasto_timeline_get_selected_snapshot (self->timeline);

  if (snapshot == NULL)
    return;
  g_free (self->branch_from);
  self->branch_from = g_strdup (snapshot->path);
  self->branch_iteration = snapshot->iteration;
  _impasto_window_confirm (self, IMPASTO_AFTER_SAVE_BRANCH);
}

static void
impasto_window_timeline_newest_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  impasto_timeline_set_selected (IMPASTO_WINDOW (widget)->timeline, -1);
}

/* One snapshot back (from the newest picture: the newest snapshot) or forward. */
static void
impasto_window_timeline_step (ImpastoWindow *self,
                              int            direction)
{
  guint n = impasto_timeline_get_n_snapshots (self->timeline);
  int selected = impasto_timeline_get_selected (self->timeline);
  int index = (int) n;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    if (impasto_timeline_get_snapshot (self->timeline, i)->iteration == selected)
      index = (int) i;
  index = CLAMP (index + direction, 0, (int) n);
  impasto_timeline_set_selected (self->timeline,
                                 index == (int) n
                                 ? -1 : impasto_timeline_get_snapshot (self->timeline,
                                                                       (guint) index)->iteration);
}

static void
impasto_window_timeline_back_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  impasto_window_timeline_step (IMPASTO_WINDOW (widget), -1);
}

static void
impasto_window_timeline_forward_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  impasto_window_timeline_step (IMPASTO_WINDOW (widget), +1);
}

void
_impasto_window_class_timeline_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.continue-from-here", NULL,
                                   impasto_window_continue_from_here_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-newest", NULL,
                                   impasto_window_timeline_newest_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-back", NULL,
                                   impasto_window_timeline_back_action);
  gtk_widget_class_install_action (widget_class, "win.timeline-forward", NULL,
                                   impasto_window_timeline_forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.timeline-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "win.timeline-forward", NULL);
  /* The button's mnemonic in English, kept in every language (the shortcuts window says so). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_ALT_MASK,
                                       "win.continue-from-here", NULL);
}

void
_impasto_window_timeline_init (ImpastoWindow *self)
{
  g_signal_connect_object (self->timeline, "notify::selected",
                           G_CALLBACK (on_timeline_selected_cb), self, G_CONNECT_SWAPPED);
  /* A snapshot's picture takes the colours shown when it is loaded: again when they change (the
   * window's own handler, connected before, has handed them to the job by then). */
  g_signal_connect_object (self->params, "notify::preserve-colors",
                           G_CALLBACK (on_colors_changed_cb), self, G_CONNECT_SWAPPED);
  _impasto_window_update_actions (self);
}
