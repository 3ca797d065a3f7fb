/* impasto-log-scale-row.c
 *
 * A logarithmic slider with an exact entry (see impasto-log-scale-row.h). The slider moves in
 * log10 units and rounds what it sets to two significant digits, so that dragging gives numbers a
 * person would type; the entry takes any number in range as it is.
 *
 * The row is one Tab stop, its entry: the row passes its focus on and the slider takes none, and
 * the arrow and page keys in the entry move the slider. The slider takes the mouse wheel only
 * while the row has the focus; otherwise the wheel scrolls the sidebar (impasto-wheel-guard.c).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-log-scale-row"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <adwaita.h>

#include "impasto-log-scale-row.h"
#include "impasto-resources-private.h"
#include "impasto-wheel-guard.h"

/* With zero-allowed, this much of the slider (in decades) left of @lower means 0. */
#define ZERO_SPAN 0.4

struct _ImpastoLogScaleRow
{
  AdwPreferencesRow parent_instance;

  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkEntry *entry;
  GtkScale *scale;
  GtkAdjustment *adjustment;

  double value;
  double lower;
  double upper;
  gboolean zero_allowed;
  guint updating;
};

enum {
  PROP_0,
  PROP_SUBTITLE,
  PROP_VALUE,
  PROP_LOWER,
  PROP_UPPER,
  PROP_ZERO_ALLOWED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoLogScaleRow, impasto_log_scale_row, ADW_TYPE_PREFERENCES_ROW)

static GParamSpec *properties[N_PROPS];

static double
round_significant (double value,
                   int    digits)
{
  double scale;

  if (value <= 0.0 || !isfinite (value))
    return value;
  scale = pow (10.0, digits - 1 - floor (log10 (value)));
  return round (value * scale) / scale;
}

static double
position_to_value (ImpastoLogScaleRow *self,
                   double              position)
{
  if (self->zero_allowed && position < log10 (self->lower))
    return 0.0;
  return round_significant (pow (10.0, position), 2);
}

static double
value_to_position (ImpastoLogScaleRow *self,
                   double              value)
{
  if (value <= 0.0)
    return gtk_adjustment_get_lower (self->adjustment);
  return CLAMP (log10 (value), log10 (self->lower), log10 (self->upper));
}

static void
impasto_log_scale_row_sync_entry (ImpastoLogScaleRow *self)
{
  g_autofree char *text = g_strdup_printf ("%.6g", self->value);

  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  self->updating--;
}

static void
impasto_log_scale_row_sync_scale (ImpastoLogScaleRow *self)
{
  self->updating++;
  gtk_adjustment_configure (self->adjustment,
                            value_to_position (self, self->value),
                            log10 (self->lower) - (self->zero_allowed ? ZERO_SPAN : 0.0),
                            log10 (self->upper),
                            0.01, 0.25, 0.0);
  self->updating--;
}

static void
impasto_log_scale_row_sync_marks (ImpastoLogScaleRow *self)
{
  gtk_scale_clear_marks (self->scale);
  for (double decade = ceil (log10 (self->lower)); decade <= log10 (self->upper); decade += 1.0)
    gtk_scale_add_mark (self->scale, decade, GTK_POS_BOTTOM, NULL);
}

static void
on_scale_value_changed_cb (ImpastoLogScaleRow *self,
                           GtkRange           *range)
{
  double value;

  if (self->updating > 0)
    return;

  value = position_to_value (self, gtk_range_get_value (range));
  if (value != self->value)
    {
      self->value = value;
      impasto_log_scale_row_sync_entry (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
}

gboolean
impasto_log_scale_row_parse (ImpastoLogScaleRow *self,
                             const char         *text,
                             double             *value)
{
  g_autofree char *stripped = NULL;
  char *end = NULL;
  double parsed;

  g_return_val_if_fail (IMPASTO_IS_LOG_SCALE_ROW (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    return FALSE;

  /* The user's locale first ("0,5"), then C ("0.5"). */
  errno = 0;
  parsed = strtod (stripped, &end);
  if (errno != 0 || end == stripped || *end != '\0')
    {
      errno = 0;
      parsed = g_ascii_strtod (stripped, &end);
      if (errno != 0 || end == stripped || *end != '\0')
        return FALSE;
    }

  if (!isfinite (parsed) || parsed < 0.0 || (parsed == 0.0 && !self->zero_allowed)
      || parsed > 1e12)
    return FALSE;

  *value = parsed;
  return TRUE;
}

static void
impasto_log_scale_row_commit_entry (ImpastoLogScaleRow *self)
{
  double value;

  if (self->updating > 0)
    return;

  if (impasto_log_scale_row_parse (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)),
                                   &value))
    {
      impasto_log_scale_row_set_value (self, value);
      impasto_log_scale_row_sync_entry (self);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      gtk_widget_error_bell (GTK_WIDGET (self->entry));
    }
}

static void
on_entry_activate_cb (ImpastoLogScaleRow *self,
                      GtkEntry           *entry)
{
  impasto_log_scale_row_commit_entry (self);
}

static void
on_entry_changed_cb (ImpastoLogScaleRow *self,
                     GtkEditable        *editable)
{
  if (self->updating == 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
}

static void
on_entry_focus_leave_cb (ImpastoLogScaleRow       *self,
                         GtkEventControllerFocus *controller)
{
  double value;

  /* Leaving with a half-typed number keeps the last good value. */
  if (impasto_log_scale_row_parse (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)),
                                   &value))
    impasto_log_scale_row_set_value (self, value);
  impasto_log_scale_row_sync_entry (self);
}

/* Up and Down move the slider a tenth of a decade, Page Up and Page Down half a decade. */
static gboolean
on_entry_key_pressed_cb (ImpastoLogScaleRow    *self,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         GtkEventControllerKey *controller)
{
  double step;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      step = 0.1;
      break;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step = -0.1;
      break;

    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      step = 0.5;
      break;

    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      step = -0.5;
      break;

    default:
      return FALSE;
    }

  gtk_range_set_value (GTK_RANGE (self->scale), gtk_range_get_value (GTK_RANGE (self->scale))
                                                + step);
  impasto_log_scale_row_sync_entry (self);
  return TRUE;
}

/* The row hands its focus to the entry (as AdwEntryRow does): Tab stops once, in the entry, and
 * leaves the row from there. */
static gboolean
impasto_log_scale_row_focus (GtkWidget        *widget,
                             GtkDirectionType  direction)
{
  ImpastoLogScaleRow *self = IMPASTO_LOG_SCALE_ROW (widget);

  if (gtk_widget_get_focus_child (widget) != NULL)
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static gboolean
impasto_log_scale_row_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (IMPASTO_LOG_SCALE_ROW (widget)->entry));
}

/* The title is AdwPreferencesRow's, so that preference search finds the row. */
static void
on_title_cb (ImpastoLogScaleRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));

  gtk_label_set_label (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

static void
impasto_log_scale_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ImpastoLogScaleRow *self = IMPASTO_LOG_SCALE_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      g_value_set_string (value, gtk_label_get_label (self->subtitle_label));
      break;

    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;

    case PROP_LOWER:
      g_value_set_double (value, self->lower);
      break;

    case PROP_UPPER:
      g_value_set_double (value, self->upper);
      break;

    case PROP_ZERO_ALLOWED:
      g_value_set_boolean (value, self->zero_allowed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_log_scale_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ImpastoLogScaleRow *self = IMPASTO_LOG_SCALE_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      gtk_label_set_label (self->subtitle_label, g_value_get_string (value));
      gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label),
                              g_value_get_string (value) != NULL
                              && g_value_get_string (value)[0] != '\0');
      break;

    case PROP_VALUE:
      impasto_log_scale_row_set_value (self, g_value_get_double (value));
      break;

    case PROP_LOWER:
      self->lower = g_value_get_double (value);
      impasto_log_scale_row_sync_scale (self);
      impasto_log_scale_row_sync_marks (self);
      break;

    case PROP_UPPER:
      self->upper = g_value_get_double (value);
      impasto_log_scale_row_sync_scale (self);
      impasto_log_scale_row_sync_marks (self);
      break;

    case PROP_ZERO_ALLOWED:
      self->zero_allowed = g_value_get_boolean (value);
      impasto_log_scale_row_sync_scale (self);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_log_scale_row_class_init (ImpastoLogScaleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = impasto_log_scale_row_get_property;
  object_class->set_property = impasto_log_scale_row_set_property;
  widget_class->focus = impasto_log_scale_row_focus;
  widget_class->grab_focus = impasto_log_scale_row_grab_focus;

  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL, 0.0, G_MAXDOUBLE, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOWER] =
    g_param_spec_double ("lower", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, 0.01,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_UPPER] =
    g_param_spec_double ("upper", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, 100.0,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ZERO_ALLOWED] =
    g_param_spec_boolean ("zero-allowed", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  impasto_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/impasto/Impasto/impasto-log-scale-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoLogScaleRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoLogScaleRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoLogScaleRow, entry);
  gtk_widget_class_bind_template_child (widget_class, ImpastoLogScaleRow, scale);
  gtk_widget_class_bind_template_child (widget_class, ImpastoLogScaleRow, adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_scale_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
}

static void
impasto_log_scale_row_init (ImpastoLogScaleRow *self)
{
  GtkEventController *focus;
  GtkEventController *keys;

  self->lower = 0.01;
  self->upper = 100.0;
  self->value = 1.0;

  gtk_widget_init_template (GTK_WIDGET (self));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_entry_focus_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_entry_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  impasto_wheel_guard_attach (GTK_WIDGET (self->scale), GTK_WIDGET (self));
  g_signal_connect (self, "notify::title", G_CALLBACK (on_title_cb), NULL);

  impasto_log_scale_row_sync_scale (self);
  impasto_log_scale_row_sync_marks (self);
  impasto_log_scale_row_sync_entry (self);
}

GtkWidget *
impasto_log_scale_row_new (void)
{
  return g_object_new (IMPASTO_TYPE_LOG_SCALE_ROW, NULL);
}

double
impasto_log_scale_row_get_value (ImpastoLogScaleRow *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOG_SCALE_ROW (self), 0.0);

  return self->value;
}

void
impasto_log_scale_row_set_value (ImpastoLogScaleRow *self,
                                 double              value)
{
  g_return_if_fail (IMPASTO_IS_LOG_SCALE_ROW (self));

  if (!isfinite (value) || value < 0.0)
    return;
  if (value == self->value)
    return;

  self->value = value;
  impasto_log_scale_row_sync_scale (self);
  /* Someone typing in the entry keeps their text until they are done. */
  if (!(gtk_widget_get_state_flags (GTK_WIDGET (self->entry)) & GTK_STATE_FLAG_FOCUS_WITHIN))
    impasto_log_scale_row_sync_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

GtkEntry *
impasto_log_scale_row_get_entry (ImpastoLogScaleRow *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOG_SCALE_ROW (self), NULL);

  return self->entry;
}

GtkRange *
impasto_log_scale_row_get_scale (ImpastoLogScaleRow *self)
{
  g_return_val_if_fail (IMPASTO_IS_LOG_SCALE_ROW (self), NULL);

  return GTK_RANGE (self->scale);
}
