/* impasto-loss-plot.c
 *
 * Draws the loss history with cairo inside GtkSnapshot (see impasto-loss-plot.h): a legend with
 * the newest values at the top, decade lines labelled 10ⁿ at the left with minor ticks between
 * them, the x axis from 0 to the newest iteration (so the line always reaches the right edge),
 * and a dotted mark at each iteration where a live change was first used. Colours follow the
 * light or dark style.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-loss-plot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include <adwaita.h>

#include "impasto-job.h"
#include "impasto-loss-plot.h"

#define MARGIN      4.0
#define TICK        4.0   /* length of a minor tick on the left axis */
#define SWATCH      14.0  /* length of a line sample in the legend */

struct _ImpastoLossPlot
{
  GtkWidget parent_instance;
  ImpastoJob *job;
  GArray *steers;          /* of int: iterations at which a live change was first used */

  /* What the last drawing showed; the axes of the next follow the history. */
  int decade_min;
  int decade_max;
  int label_every;         /* a label on every label_every-th decade, counted from 10⁰ */
  int x_max;               /* the right edge's iteration */
  gboolean drawn;          /* the last drawing showed the axes: */
  double plot_left;        /* x of iteration 0 */
  double plot_right;       /* x of x_max */
  double plot_top;
  double plot_bottom;
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

typedef enum
{
  SERIES_TOTAL,
  SERIES_CONTENT,
  SERIES_STYLE,
  N_SERIES
} Series;

static const SeriesFunc series_funcs[N_SERIES] = { series_total, series_content, series_style };

/* GtkStyleContext is deprecated from GTK 4.10 on, but it is the only way to read a named colour
 * such as the accent on 4.8, and it still works there. The two parts take the GNOME palette's
 * green and orange, light shades on a dark style and dark shades on a light one, so that both
 * stand out from the background and from the accent. */
static void
get_colors (GtkWidget *widget,
            GdkRGBA   *foreground,
            GdkRGBA    series[N_SERIES])
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, foreground);
  if (!gtk_style_context_lookup_color (context, "accent_color", &series[SERIES_TOTAL]))
    series[SERIES_TOTAL] = *foreground;
  G_GNUC_END_IGNORE_DEPRECATIONS

  gdk_rgba_parse (&series[SERIES_CONTENT], dark ? "#57e389" : "#26a269");
  gdk_rgba_parse (&series[SERIES_STYLE], dark ? "#ffa348" : "#c64600");
}

static void
set_series_style (cairo_t       *cr,
                  Series         series,
                  const GdkRGBA *color)
{
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, series == SERIES_TOTAL ? 2.5 : 1.5);
  /* Dashed as well as coloured, for those who cannot tell the colours apart. */
  if (series == SERIES_STYLE)
    cairo_set_dash (cr, (double[]) { 4.0, 2.5 }, 2, 0.0);
  else
    cairo_set_dash (cr, NULL, 0, 0.0);
}

/* "10³", "10⁻²": a decade as people write it. */
static char *
decade_label (int decade)
{
  static const char *const digits[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  g_autofree char *number = g_strdup_printf ("%d", ABS (decade));
  GString *label = g_string_new ("10");

  if (decade < 0)
    g_string_append (label, "⁻");
  for (const char *c = number; *c != '\0'; c++)
    g_string_append (label, digits[*c - '0']);
  return g_string_free (label, FALSE);
}

static int
text_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (widget, "10⁰");
  int height;

  pango_layout_get_pixel_size (probe, NULL, &height);
  return height;
}

static void
plot_series (cairo_t                *cr,
             const ImpastoJobRecord *records,
             guint                   n,
             SeriesFunc              func,
             double                  left,
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
      x = left + records[i].iteration * x_scale;
      y = bottom - (log10 (value) - y_min) * y_scale;
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
}

/* The legend: a line sample, the name and the newest value of each series, in one row at the
 * top; the values go when the row is too narrow for them. Returns the row's height. */
static double
draw_legend (ImpastoLossPlot        *self,
             cairo_t                *cr,
             const ImpastoJobRecord *last,
             const GdkRGBA          *foreground,
             const GdkRGBA           colors[N_SERIES],
             double                  width)
{
  /* Translators: the loss plot's legend; the total loss and its two weighted parts. */
  const char *names[N_SERIES] = { _("Total"), _("Content × α"), _("Style × β") };
  PangoLayout *layouts[2][N_SERIES] = { { NULL } };
  int widths[2] = { 0, 0 };
  int height = 0;
  int with;
  double x = MARGIN;

  for (int v = 0; v < 2; v++)
    for (int k = 0; k < N_SERIES; k++)
      {
        g_autofree char *text = v == 0
          ? g_strdup_printf ("%s %.3g", names[k], series_funcs[k] (last))
          : g_strdup (names[k]);
        int w, h;

        layouts[v][k] = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
        pango_layout_get_pixel_size (layouts[v][k], &w, &h);
        widths[v] += w + SWATCH + 4 + 12;
        height = MAX (height, h);
      }
  with = widths[0] <= width - 2 * MARGIN ? 0 : 1;

  for (int k = 0; k < N_SERIES; k++)
    {
      int w;

      pango_layout_get_pixel_size (layouts[with][k], &w, NULL);
      set_series_style (cr, k, &colors[k]);
      cairo_move_to (cr, x, height / 2.0 + 0.5);
      cairo_line_to (cr, x + SWATCH, height / 2.0 + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, foreground->red, foreground->green, foreground->blue, 0.8);
      cairo_move_to (cr, x + SWATCH + 4, 0);
      pango_cairo_show_layout (cr, layouts[with][k]);
      x += SWATCH + 4 + w + 12;
    }
  cairo_set_dash (cr, NULL, 0, 0.0);
  for (int v = 0; v < 2; v++)
    for (int k = 0; k < N_SERIES; k++)
      g_object_unref (layouts[v][k]);
  return height + 4;
}

static void
impasto_loss_plot_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  ImpastoLossPlot *self = IMPASTO_LOSS_PLOT (widget);
  const ImpastoJobRecord *records;
  GdkRGBA foreground, colors[N_SERIES];
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double y_min = G_MAXDOUBLE, y_max = -G_MAXDOUBLE;
  double left, top, bottom, right, x_scale, y_scale;
  int line_height;
  int label_width = 0;
  int last_iteration = 0;
  cairo_t *cr;
  guint n;

  self->drawn = FALSE;
  if (self->job == NULL || width <= 80 || height <= 40)
    return;

  records = impasto_job_get_history (self->job, &n);
  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < N_SERIES; k++)
        {
          double value = series_funcs[k] (&records[i]);

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

  self->decade_min = (int) floor (y_min);
  self->decade_max = MAX ((int) ceil (y_max), self->decade_min + 1);
  /* The x axis fits the iterations so far, and the newest one is at the right edge. */
  self->x_max = MAX (last_iteration, 1);

  get_colors (widget, &foreground, colors);
  line_height = text_height (widget);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  top = draw_legend (self, cr, &records[n - 1], &foreground, colors, width) + line_height / 2.0;
  bottom = height - line_height - 2;
  if (bottom - top < 16)
    {
      cairo_destroy (cr);
      return;
    }
  y_scale = (bottom - top) / (self->decade_max - self->decade_min);

  /* Labels on every decade, or on every second, fifth, tenth... when they would crowd; counted
   * from 10⁰ so that they stay put as the curve falls. */
  {
    static const int steps[] = { 1, 2, 5, 10, 20, 50 };

    self->label_every = steps[G_N_ELEMENTS (steps) - 1];
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      if (steps[i] * y_scale >= line_height + 2)
        {
          self->label_every = steps[i];
          break;
        }
  }
  for (int decade = self->decade_min; decade <= self->decade_max; decade++)
    if (decade % self->label_every == 0)
      {
        g_autofree char *label = decade_label (decade);
        g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, label);
        int w;

        pango_layout_get_pixel_size (layout, &w, NULL);
        label_width = MAX (label_width, w);
      }
  left = MARGIN + label_width + 4 + TICK;
  right = width - MARGIN;
  x_scale = (right - left) / self->x_max;
  self->drawn = TRUE;
  self->plot_left = left;
  self->plot_right = right;
  self->plot_top = top - line_height / 2.0;
  self->plot_bottom = bottom;

  /* Decade lines with their labels, minor ticks at 2…9 × 10ⁿ where there is room. */
  cairo_set_line_width (cr, 1.0);
  for (int decade = self->decade_min; decade <= self->decade_max; decade++)
    {
      double y = round (bottom - (decade - self->decade_min) * y_scale) + 0.5;

      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.15);
      cairo_move_to (cr, left - TICK, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);

      if (decade < self->decade_max && y_scale >= 24)
        for (int k = 2; k <= 9; k++)
          {
            double minor = round (y - log10 (k) * y_scale) + 0.5;

            cairo_move_to (cr, left - TICK, minor);
            cairo_line_to (cr, left, minor);
            cairo_stroke (cr);
          }

      if (decade % self->label_every == 0)
        {
          g_autofree char *label = decade_label (decade);
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, label);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.6);
          cairo_move_to (cr, left - TICK - 2 - w, y - h / 2.0);
          pango_cairo_show_layout (cr, layout);
        }
    }

  /* The iterations: 0 at the left, the newest at the right. */
  {
    g_autofree char *last = g_strdup_printf ("%d", self->x_max);
    g_autoptr(PangoLayout) zero = gtk_widget_create_pango_layout (widget, "0");
    g_autoptr(PangoLayout) end = gtk_widget_create_pango_layout (widget, last);
    int w;

    cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.6);
    cairo_move_to (cr, left, bottom + 2);
    pango_cairo_show_layout (cr, zero);
    pango_layout_get_pixel_size (end, &w, NULL);
    cairo_move_to (cr, right - w, bottom + 2);
    pango_cairo_show_layout (cr, end);
  }

  /* Where the person steered: a dotted line at the first iteration that used the change. */
  cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.45);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (double[]) { 2.0, 2.0 }, 2, 0.0);
  for (guint i = 0; i < self->steers->len; i++)
    {
      int iteration = g_array_index (self->steers, int, i);
      double x = round (left + MIN (iteration, self->x_max) * x_scale) + 0.5;

      cairo_move_to (cr, x, top - line_height / 2.0);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0.0);

  /* Content, then the total, then the dashed style on top: the style part is often most of the
   * total, and would vanish under it. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (int i = 0; i < N_SERIES; i++)
    {
      static const Series order[N_SERIES] = { SERIES_CONTENT, SERIES_TOTAL, SERIES_STYLE };
      Series k = order[i];

      set_series_style (cr, k, &colors[k]);
      plot_series (cr, records, n, series_funcs[k], left, x_scale, self->decade_min, y_scale,
                   bottom);
    }
  cairo_set_dash (cr, NULL, 0, 0.0);

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
      *minimum = 96;
      *natural = 150;
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
  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (),
                                        gtk_widget_queue_draw, self);

  G_OBJECT_CLASS (impasto_loss_plot_parent_class)->dispose (object);
}

static void
impasto_loss_plot_finalize (GObject *object)
{
  ImpastoLossPlot *self = (ImpastoLossPlot *) object;

  g_clear_pointer (&self->steers, g_array_unref);

  G_OBJECT_CLASS (impasto_loss_plot_parent_class)->finalize (object);
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
  object_class->finalize = impasto_loss_plot_finalize;
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
  self->steers = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("How far the picture still is from the goal, on a logarithmic "
                                 "scale: the total, and its two weighted parts. A dotted line "
                                 "marks where you changed a value while it painted."));
  /* The parts' colours depend on the style; the accent and foreground come from CSS. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
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
  g_array_set_size (self->steers, 0);
  if (job != NULL)
    g_signal_connect_object (job, "notify::iteration", G_CALLBACK (on_job_iteration_cb), self,
                             G_CONNECT_SWAPPED);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

void
impasto_loss_plot_mark_steer (ImpastoLossPlot *self,
                              int              iteration)
{
  g_return_if_fail (IMPASTO_IS_LOSS_PLOT (self));
  g_return_if_fail (iteration >= 0);

  for (guint i = 0; i < self->steers->len; i++)
    if (g_array_index (self->steers, int, i) == iteration)
      return;
  g_array_append_val (self->steers, iteration);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const int *
impasto_loss_plot_get_steers (ImpastoLossPlot *self,
                              guint           *n_steers)
{
  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), NULL);
  g_return_val_if_fail (n_steers != NULL, NULL);

  *n_steers = self->steers->len;
  return (const int *) (gpointer) self->steers->data;
}

char **
impasto_loss_plot_dup_decade_labels (ImpastoLossPlot *self)
{
  GStrvBuilder *builder;
  char **labels;

  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), NULL);

  builder = g_strv_builder_new ();
  if (self->label_every > 0)
    for (int decade = self->decade_min; decade <= self->decade_max; decade++)
      if (decade % self->label_every == 0)
        {
          g_autofree char *label = decade_label (decade);

          g_strv_builder_add (builder, label);
        }
  labels = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return labels;
}

int
impasto_loss_plot_get_x_max (ImpastoLossPlot *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), 0);

  return self->x_max;
}

gboolean
impasto_loss_plot_get_iteration_x (ImpastoLossPlot *self,
                                   int              iteration,
                                   double          *x,
                                   double          *top,
                                   double          *bottom)
{
  g_return_val_if_fail (IMPASTO_IS_LOSS_PLOT (self), FALSE);

  if (!self->drawn || self->x_max <= 0)
    return FALSE;
  if (x != NULL)
    *x = self->plot_left
         + CLAMP (iteration, 0, self->x_max) * (self->plot_right - self->plot_left) / self->x_max;
  if (top != NULL)
    *top = self->plot_top;
  if (bottom != NULL)
    *bottom = self->plot_bottom;
  return TRUE;
}
