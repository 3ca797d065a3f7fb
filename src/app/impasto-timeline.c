/* impasto-timeline.c
 *
 * The timeline (see impasto-timeline.h): the loss plot as its only child, laid out over the
 * whole widget, and on top of it a small mark on the x axis at each snapshot's iteration, and for
 * the selected one a line across the plot. Where a mark goes is where the plot's last drawing put
 * that iteration (impasto_loss_plot_get_iteration_x()), so marks and curve agree as the axis
 * grows. A press or drag selects the mark nearest to the pointer; the newest picture counts as a
 * mark at the right edge, and wins a tie, so that a finished run's last snapshot (which is the
 * newest picture) is not selected by a click at the end.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "impasto-timeline.h"

#define MARK_RADIUS          3.0
#define SELECTED_MARK_RADIUS 5.0

struct _ImpastoTimeline
{
  GtkWidget parent_instance;

  ImpastoLossPlot *plot;
  ImpastoJob *job;
  GArray *snapshots;       /* of ImpastoJobSnapshot, oldest first, as last read */
  int selected;            /* a snapshot's iteration, or -1 for the newest picture */
  double drag_x;           /* where the drag began, in our coordinates */
};

enum {
  PROP_0,
  PROP_JOB,
  PROP_SELECTED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoTimeline, impasto_timeline, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* The index of the selected snapshot in the list, or -1. */
static int
selected_index (ImpastoTimeline *self)
{
  if (self->selected < 0)
    return -1;
  for (guint i = 0; i < self->snapshots->len; i++)
    if (g_array_index (self->snapshots, ImpastoJobSnapshot, i).iteration == self->selected)
      return (int) i;
  return -1;
}

static void
update_accessible (ImpastoTimeline *self)
{
  int index = selected_index (self);
  guint n = self->snapshots->len;
  g_autofree char *text = NULL;

  if (index < 0)
    text = g_strdup (_("Newest picture"));
  else
    /* Translators: the timeline's value, read out by screen readers. */
    text = g_strdup_printf (_("Snapshot after iteration %d"), self->selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) n,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                  (double) (index < 0 ? (int) n : index),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static void
select_iteration (ImpastoTimeline *self,
                  int              iteration)
{
  if (self->selected == iteration)
    return;
  self->selected = iteration;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* The snapshot nearest to @iteration, or -1 when none is kept. */
static int
nearest_iteration (ImpastoTimeline *self,
                   int              iteration)
{
  int best = -1;

  for (guint i = 0; i < self->snapshots->len; i++)
    {
      int kept = g_array_index (self->snapshots, ImpastoJobSnapshot, i).iteration;

      if (best < 0 || ABS (kept - iteration) < ABS (best - iteration))
        best = kept;
    }
  return best;
}

void
impasto_timeline_refresh (ImpastoTimeline *self)
{
  g_return_if_fail (IMPASTO_IS_TIMELINE (self));

  g_clear_pointer (&self->snapshots, g_array_unref);
  if (self->job != NULL)
    self->snapshots = impasto_job_dup_snapshots (self->job);
  else
    self->snapshots = g_array_new (FALSE, TRUE, sizeof (ImpastoJobSnapshot));

  /* The selected snapshot was dropped to keep the history bounded: the nearest one left. */
  if (self->selected >= 0 && selected_index (self) < 0)
    select_iteration (self, nearest_iteration (self, self->selected));
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drawing ------------------------------------------------------------------------------------- */

static gboolean
iteration_x (ImpastoTimeline *self,
             int              iteration,
             double          *x,
             double          *top,
             double          *bottom)
{
  double plot_x, plot_top, plot_bottom, dx, dy;

  if (!impasto_loss_plot_get_iteration_x (self->plot, iteration, &plot_x, &plot_top,
                                          &plot_bottom))
    return FALSE;
  /* The plot fills the timeline (a bin layout), but its margins may move it. */
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->plot), GTK_WIDGET (self), 0.0, 0.0,
                                         &dx, &dy))
    return FALSE;
  *x = plot_x + dx;
  *top = plot_top + dy;
  *bottom = plot_bottom + dy;
  return TRUE;
}

static void
impasto_timeline_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  ImpastoTimeline *self = IMPASTO_TIMELINE (widget);
  GdkRGBA accent, foreground;
  double top, bottom, x;
  cairo_t *cr;

  GTK_WIDGET_CLASS (impasto_timeline_parent_class)->snapshot (widget, snapshot);

  if (self->snapshots->len == 0 || !iteration_x (self, 0, &x, &top, &bottom))
    return;

  /* As the plot reads them (GtkStyleContext is the only way on GTK 4.8): the marks in the
   * foreground colour, so that they stand apart from the total's accent-coloured curve. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkStyleContext *context = gtk_widget_get_style_context (widget);

    gtk_style_context_get_color (context, &foreground);
    if (!gtk_style_context_lookup_color (context, "accent_color", &accent))
      accent = foreground;
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                       gtk_widget_get_height (widget)));
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      const ImpastoJobSnapshot *kept = &g_array_index (self->snapshots, ImpastoJobSnapshot, i);
      gboolean selected = kept->iteration == self->selected;

      if (!iteration_x (self, kept->iteration, &x, &top, &bottom))
        continue;
      if (selected)
        {
          cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.9);
          cairo_set_line_width (cr, 2.0);
          cairo_move_to (cr, round (x), top);
          cairo_line_to (cr, round (x), bottom);
          cairo_stroke (cr);
        }
      cairo_arc (cr, x, bottom, selected ? SELECTED_MARK_RADIUS : MARK_RADIUS, 0, 2 * G_PI);
      if (selected)
        gdk_cairo_set_source_rgba (cr, &accent);
      else
        cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.7);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

/* Choosing ------------------------------------------------------------------------------------ */

/* Selects the mark nearest to @x: a snapshot, or the newest picture at the right edge. */
static void
select_at (ImpastoTimeline *self,
           double           x)
{
  double best_distance, newest_x, top, bottom;
  int best = -1;

  if (self->snapshots->len == 0 || self->job == NULL
      || !iteration_x (self, G_MAXINT, &newest_x, &top, &bottom))
    return;
  best_distance = fabs (newest_x - x);
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      int iteration = g_array_index (self->snapshots, ImpastoJobSnapshot, i).iteration;
      double mark;

      if (iteration_x (self, iteration, &mark, &top, &bottom) && fabs (mark - x) < best_distance)
        {
          best_distance = fabs (mark - x);
          best = iteration;
        }
    }
  select_iteration (self, best);
}

static void
on_drag_begin_cb (GtkGestureDrag  *gesture,
                  double           x,
                  double           y,
                  ImpastoTimeline *self)
{
  if (self->snapshots->len == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  select_at (self, x);
}

static void
on_drag_update_cb (GtkGestureDrag  *gesture,
                   double           offset_x,
                   double           offset_y,
                   ImpastoTimeline *self)
{
  select_at (self, self->drag_x + offset_x);
}

/* One step along the marks: -1 back in time, +1 on towards the newest picture. */
static void
step (ImpastoTimeline *self,
      int              direction)
{
  int index = selected_index (self);
  int n = (int) self->snapshots->len;

  if (n == 0)
    return;
  if (index < 0)
    index = n;    /* the newest picture, after the last snapshot */
  index = CLAMP (index + direction, 0, n);
  select_iteration (self, index == n ? -1
                          : g_array_index (self->snapshots, ImpastoJobSnapshot, index).iteration);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   ImpastoTimeline       *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0
      || self->snapshots->len == 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step (self, -1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step (self, +1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      select_iteration (self, g_array_index (self->snapshots, ImpastoJobSnapshot, 0).iteration);
      return GDK_EVENT_STOP;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      select_iteration (self, -1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Escape:
      if (self->selected < 0)
        return GDK_EVENT_PROPAGATE;
      select_iteration (self, -1);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* The object ---------------------------------------------------------------------------------- */

static void
impasto_timeline_dispose (GObject *object)
{
  ImpastoTimeline *self = IMPASTO_TIMELINE (object);

  impasto_timeline_set_job (self, NULL);
  if (self->plot != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->plot));
      self->plot = NULL;
    }

  G_OBJECT_CLASS (impasto_timeline_parent_class)->dispose (object);
}

static void
impasto_timeline_finalize (GObject *object)
{
  ImpastoTimeline *self = IMPASTO_TIMELINE (object);

  g_clear_pointer (&self->snapshots, g_array_unref);

  G_OBJECT_CLASS (impasto_timeline_parent_class)->finalize (object);
}

static void
impasto_timeline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ImpastoTimeline *self = IMPASTO_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_timeline_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ImpastoTimeline *self = IMPASTO_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_JOB:
      impasto_timeline_set_job (self, g_value_get_object (value));
      break;

    case PROP_SELECTED:
      impasto_timeline_set_selected (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_timeline_class_init (ImpastoTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_timeline_dispose;
  object_class->finalize = impasto_timeline_finalize;
  object_class->get_property = impasto_timeline_get_property;
  object_class->set_property = impasto_timeline_set_property;

  widget_class->snapshot = impasto_timeline_snapshot;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, IMPASTO_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
impasto_timeline_init (ImpastoTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->selected = -1;
  self->snapshots = g_array_new (FALSE, TRUE, sizeof (ImpastoJobSnapshot));
  self->plot = IMPASTO_LOSS_PLOT (impasto_loss_plot_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->plot), GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("The marks are snapshots kept of the run: click or drag to look "
                                 "at one, or use the arrow keys. End goes back to the newest "
                                 "picture."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline"), -1);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  update_accessible (self);
}

GtkWidget *
impasto_timeline_new (void)
{
  return g_object_new (IMPASTO_TYPE_TIMELINE, NULL);
}

ImpastoLossPlot *
impasto_timeline_get_plot (ImpastoTimeline *self)
{
  g_return_val_if_fail (IMPASTO_IS_TIMELINE (self), NULL);

  return self->plot;
}

ImpastoJob *
impasto_timeline_get_job (ImpastoTimeline *self)
{
  g_return_val_if_fail (IMPASTO_IS_TIMELINE (self), NULL);

  return self->job;
}

void
impasto_timeline_set_job (ImpastoTimeline *self,
                          ImpastoJob      *job)
{
  g_return_if_fail (IMPASTO_IS_TIMELINE (self));
  g_return_if_fail (!job || IMPASTO_IS_JOB (job));

  if (self->job == job)
    return;

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_func (self->job, impasto_timeline_refresh, self);
  g_set_object (&self->job, job);
  if (self->plot != NULL)
    impasto_loss_plot_set_job (self->plot, job);
  if (job != NULL)
    {
      g_signal_connect_object (job, "notify::iteration", G_CALLBACK (impasto_timeline_refresh),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::state", G_CALLBACK (impasto_timeline_refresh),
                               self, G_CONNECT_SWAPPED);
    }
  select_iteration (self, -1);
  if (self->snapshots != NULL)
    impasto_timeline_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

int
impasto_timeline_get_selected (ImpastoTimeline *self)
{
  g_return_val_if_fail (IMPASTO_IS_TIMELINE (self), -1);

  return self->selected;
}

void
impasto_timeline_set_selected (ImpastoTimeline *self,
                               int              iteration)
{
  g_return_if_fail (IMPASTO_IS_TIMELINE (self));

  select_iteration (self, iteration < 0 ? -1 : nearest_iteration (self, iteration));
}

const ImpastoJobSnapshot *
impasto_timeline_get_selected_snapshot (ImpastoTimeline *self)
{
  int index;

  g_return_val_if_fail (IMPASTO_IS_TIMELINE (self), NULL);

  index = selected_index (self);
  return index < 0 ? NULL : &g_array_index (self->snapshots, ImpastoJobSnapshot, index);
}

guint
impasto_timeline_get_n_snapshots (ImpastoTimeline *self)
{
  g_return_val_if_fail (IMPASTO_IS_TIMELINE (self), 0);

  return self->snapshots->len;
}

const ImpastoJobSnapshot *
impasto_timeline_get_snapshot (ImpastoTimeline *self,
                               guint            index)
{
  g_return_val_if_fail (IMPASTO_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (index < self->snapshots->len, NULL);

  return &g_array_index (self->snapshots, ImpastoJobSnapshot, index);
}
