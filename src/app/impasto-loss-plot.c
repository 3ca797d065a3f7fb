/* impasto-loss-plot.c
 *
 * Draws the loss history with cairo inside GtkSnapshot (see impasto-loss-plot.h). Decade lines
 * are labelled at the left; the x axis runs to the job's planned iterations, so the line grows
 * from left to right as the run goes on.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-loss-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "impasto-job.h"
#include "impasto-loss-plot.h"

#define MARGIN_LEFT 34.0
#define MARGIN      4.0

struct _ImpastoLossPlot
{
  GtkWidget parent_instance;
  ImpastoJob *job;
};

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoLossPlot, impasto_loss_plot, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

typedef double (*SeriesFunc) (const ImpastoJobRecord *record);

static double
series_total (const ImpastoJobRecord *record)
{
  return record->losses.total;
}

static double
series_content (const ImpastoJobRecord *record)
{
  return record->alpha * record->losses.content;
}

static double
series_style (const ImpastoJobRecord *record)
{
  return record->beta * record->losses.style;
}

/* GtkStyleContext is deprecated from GTK 4.10 on, but it is the only way to read a named colour
 * such as the accent on 4.8, and it still works there. */
static void
get_colors (GtkWidget *widget,
            GdkRGBA   *foreground,
            GdkRGBA   *accent)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, foreground);
  if (!gtk_style_context_lookup_color (context, "accent_color", accent))
    *accent = *foreground;
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
plot_series (cairo_t                *cr,
             const ImpastoJobRecord *records,
             guint                   n,
             SeriesFunc              func,
             double                  x_scale,
             double                  y_min,
             double                  y_scale,
             double                  bottom)
{
  gboolean drawing = FALSE;

  for (guint i = 0; i < n; i++)
    {
      double value = func (&records[i]);
      double x, y;

      if (!(value > 0.0) || !isfinite (value))
        {
          drawing = FALSE;
          continue;
        }
      x = MARGIN_LEFT + records[i].iteration * x_scale;
      y = bottom - (log10 (value) - y_min) * y_scale;
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
}

static void
impasto_loss_plot_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  ImpastoLossPlot *self = IMPASTO_LOSS_PLOT (widget);
  const ImpastoJobRecord *records;
  GdkRGBA foreground, accent;
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double y_min = G_MAXDOUBLE, y_max = -G_MAXDOUBLE;
  double x_scale, y_scale, bottom;
  int last_iteration = 1;
  int label_every;
  cairo_t *cr;
  guint n;

  if (self->job == NULL || width <= MARGIN_LEFT + MARGIN || height <= 2 * MARGIN)
    return;

  records = impasto_job_get_history (self->job, &n);
  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      SeriesFunc funcs[] = { series_total, series_content, series_style };

      for (guint k = 0; k < G_N_ELEMENTS (funcs); k++)
        {
          double value = funcs[k] (&records[i]);

          if (value > 0.0 && isfinite (value))
            {
              y_min = MIN (y_min, log10 (value));
              y_max = MAX (y_max, log10 (value));
            }
        }
      last_iteration = MAX (last_iteration, records[i].iteration);
    }
  if (y_min > y_max)
    return;

  y_min = floor (y_min);
  y_max = MAX (ceil (y_max), y_min + 1.0);
  bottom = height - MARGIN;
  y_scale = (height - 2 * MARGIN) / (y_max - y_min);
  /* The x axis fits the iterations so far: a long run still shows its whole curve. */
  x_scale = (width - MARGIN_LEFT - MARGIN) / MAX (last_iteration, 10);

  get_colors (widget, &foreground, &accent);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Decade lines; labels only as often as they fit. */
  cairo_set_line_width (cr, 1.0);
  label_every = 1;
  {
    g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (widget, "1e0");
    int text_height;

    pango_layout_get_pixel_size (probe, NULL, &text_height);
    while (label_every * y_scale < text_height + 2)
      label_every++;
  }
  for (double decade = y_min; decade <= y_max; decade += 1.0)
    {
      g_autoptr(PangoLayout) layout = NULL;
      g_autofree char *label = g_strdup_printf ("1e%d", (int) decade);
      double y = round (bottom - (decade - y_min) * y_scale) + 0.5;
      int text_width, text_height;

      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.12);
      cairo_move_to (cr, MARGIN_LEFT, y);
      cairo_line_to (cr, width - MARGIN, y);
      cairo_stroke (cr);

      if (((int) (decade - y_min)) % label_every != 0)
        continue;
      layout = gtk_widget_create_pango_layout (widget, label);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.55);
      cairo_move_to (cr, MARGIN_LEFT - 4 - text_width,
                     CLAMP (y - text_height / 2.0, 0, height - text_height));
      pango_cairo_show_layout (cr, layout);
    }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.35);
  plot_series (cr, records, n, series_content, x_scale, y_min, y_scale, bottom);
  cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0.0);
  plot_series (cr, records, n, series_style, x_scale, y_min, y_scale, bottom);
  cairo_set_dash (cr, NULL, 0, 0.0);

  cairo_set_line_width (cr, 2.0);
  gdk_cairo_set_source_rgba (cr, &accent);
  plot_series (cr, records, n, series_total, x_scale, y_min, y_scale, bottom);

  cairo_destroy (cr);
}

static void
impasto_loss_plot_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 320;
    }
  else
    {
      *minimum = 48;
      *natural = 72;
    }
}

static void
on_job_iteration_cb (ImpastoLossPlot *self)
{
  const ImpastoLosses *losses = impasto_job_get_losses (self->job);
  g_autofree char *description = NULL;

  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* Translators: read out by screen readers for the plot. */
  description = g_strdup_printf (_("Loss %.3g at iteration %d"), losses->total,
                                 impasto_job_get_iteration (self->job));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

static void
impasto_loss_plot_dispose (GObject *object)
{
  ImpastoLossPlot *self = (ImpastoLossPlot *) object;

  impasto_loss_plot_set_job (self, NULL);

  G_OBJECT_CLASS (impasto_loss_plot_parent_class)->dispose (object);
}

static void
impasto_loss_plot_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ImpastoLossPlot *self = IMPASTO_LOSS_PLOT (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_loss_plot_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ImpastoLossPlot *self = IMPASTO_LOSS_PLOT (object);

  switch (prop_id)
    {
    case PROP_JOB:
      impasto_loss_plot_set_job (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_loss_plot_class_init (ImpastoLossPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_loss_plot_dispose;
  object_class->get_property = impasto_loss_plot_get_property;
  object_class->set_property = impasto_loss_plot_set_property;

  widget_class->snapshot = impasto_loss_plot_snapshot;
  widget_class->measure = impasto_loss_plot_measure;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, IMPASTO_TYPE_JOB,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lossplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
impasto_loss_plot_init (ImpastoLossPlot *self)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("How far the picture still is from the goal, on a logarithmic "
                                 "scale. Thick: the total. Faint: the content part, and dashed "
                                 "the style part."));
}

GtkWidget *
impasto_loss_plot_new (void)
{
  return g_object_new (IMPASTO_TYPE_LOSS_PLOT, NULL);
}

ImpastoJob *
impasto_loss_plot_get_job (ImpastoLossPlot *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), NULL);

  return self->job;
}

void
impasto_loss_plot_set_job (ImpastoLossPlot *self,
                           ImpastoJob      *job)
{
  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));
  g_return_if_fail (!job || IMPASTO_IS_JOB (job));

  if (self->job == job)
    return;

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_func (self->job, on_job_iteration_cb, self);
  g_set_object (&self->job, job);
  if (job != NULL)
    g_signal_connect_object (job, "notify::iteration", G_CALLBACK (on_job_iteration_cb), self,
                             G_CONNECT_SWAPPED);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}
