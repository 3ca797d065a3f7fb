/* impasto-painting-list.c
 *
 * The list of paintings (see impasto-painting-list.h), a column beside the photo. Each painting
 * is a row built here: its well (with a remove button on its corner, for every painting but the
 * first), and under it the Weight and Brush Size sliders with their values. A painting's weight
 * and brush size live in its sliders' adjustments, so that they go with the painting when
 * another is removed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-painting-list"

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "impasto-painting-list.h"
#include "impasto-recolor-preview.h"
#include "impasto-wheel-guard.h"

/* The smallest weight the last painting that counts keeps: the weight slider's step. */
#define WEIGHT_STEP 0.01

typedef struct
{
  GtkWidget *box;                /* the row */
  ImpastoImageWell *well;
  GtkWidget *weight_box;         /* hidden while there is one painting */
  GtkAdjustment *weight;
  GtkScale *weight_scale;
  GtkLabel *weight_value;        /* the share of the total, "40%" */
  GtkAdjustment *scale;
  GtkScale *brush_scale;
  GtkLabel *scale_value;         /* "1.25×" */
  GtkWidget *remove_button;      /* NULL for the first painting */
  gboolean tentative;            /* added by a drop or paste on Add Painting: gone if it fails */
  GCancellable *recolor;         /* the recoloured preview being made, or NULL */
} Row;

struct _ImpastoPaintingList
{
  GtkWidget parent_instance;

  GtkWidget *rows_box;
  GtkWidget *add_button;
  GPtrArray *rows;               /* (element-type Row) */
  guint setting;                 /* values being set as a whole: one notification at the end */
  gboolean weights_changed;
  gboolean scales_changed;
  gint64 refused_at;             /* when a weight of 0 was last refused (monotonic µs) */
  GdkPixbuf *photo;              /* whose colours the paintings show with `histogram` */
  ImpastoColors colors;
};

enum {
  PROP_0,
  PROP_N_PAINTINGS,
  PROP_WEIGHTS,
  PROP_SCALES,
  PROP_LOADING,
  PROP_PHOTO,
  PROP_COLORS,
  N_PROPS
};

enum {
  WELL_ADDED,
  PAINTINGS_CHANGED,
  PAINTING_REMOVED,
  SCALE_CHANGED,
  NOTICE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (ImpastoPaintingList, impasto_painting_list, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static Row *
get_row (ImpastoPaintingList *self,
         int                  index)
{
  return g_ptr_array_index (self->rows, index);
}

static int
n_rows (ImpastoPaintingList *self)
{
  return (int) self->rows->len;
}

/* The index of the row that owns @object (its well, an adjustment or its remove button). */
static int
find_row (ImpastoPaintingList *self,
          gpointer             object)
{
  for (int i = 0; i < n_rows (self); i++)
    {
      Row *row = get_row (self, i);

      if (object == (gpointer) row->well || object == (gpointer) row->weight
          || object == (gpointer) row->scale || object == (gpointer) row->remove_button)
        return i;
    }
  return -1;
}

/* Showing ------------------------------------------------------------------------------------ */

static void
update_shares (ImpastoPaintingList *self)
{
  for (int i = 0; i < n_rows (self); i++)
    {
      Row *row = get_row (self, i);
      g_autofree char *text = NULL;

      if (impasto_image_well_get_pixbuf (row->well) != NULL)
        /* Translators: a painting's share of the blend, "40%". */
        text = g_strdup_printf (_("%.0f%%"), 100.0 * impasto_painting_list_get_share (self, i));
      gtk_label_set_label (row->weight_value, text != NULL ? text : "");
    }
}

static void
update_scale_label (Row *row)
{
  /* Translators: a brush size relative to the picture's, "1.25×". */
  g_autofree char *text = g_strdup_printf (_("%.2f×"), gtk_adjustment_get_value (row->scale));

  gtk_label_set_label (row->scale_value, text);
}

/* Titles, accessible names and the remove buttons' targets follow the rows' places; the weights
 * show with more than one painting; Add Painting stops at the limit, saying why. */
static void
update_rows (ImpastoPaintingList *self)
{
  gboolean several = n_rows (self) > 1;
  gboolean full = n_rows (self) >= IMPASTO_MAX_PAINTINGS;

  for (int i = 0; i < n_rows (self); i++)
    {
      Row *row = get_row (self, i);
      g_autofree char *title = NULL;
      g_autofree char *weight_name = NULL;
      g_autofree char *scale_name = NULL;

      /* Translators: the second, third... painting of a blend. */
      title = i == 0 ? g_strdup (_("Painting")) : g_strdup_printf (_("Painting %d"), i + 1);
      g_object_set (row->well, "title", title, NULL);
      /* Translators: what a screen reader says for a painting's sliders: "Weight of Painting 2". */
      weight_name = g_strdup_printf (_("Weight of %s"), title);
      scale_name = g_strdup_printf (_("Brush Size of %s"), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->weight_scale),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, weight_name, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->brush_scale),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, scale_name, -1);
      gtk_widget_set_visible (row->weight_box, several);
      if (row->remove_button != NULL)
        {
          /* Translators: the remove button's name for a screen reader: "Remove Painting 2". */
          g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), title);

          gtk_actionable_set_action_target (GTK_ACTIONABLE (row->remove_button), "i", i);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->remove_button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name, -1);
        }
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "paintings.add", !full);
  if (full)
    {
      g_autofree char *tooltip =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "At most %d painting can be blended; remove one to add "
                                      "another",
                                      "At most %d paintings can be blended; remove one to add "
                                      "another", IMPASTO_MAX_PAINTINGS),
                         IMPASTO_MAX_PAINTINGS);

      gtk_widget_set_tooltip_text (self->add_button, tooltip);
    }
  else
    gtk_widget_set_tooltip_text (self->add_button,
                                 _("Blend in another painting: click to choose it, drop it "
                                   "here, or paste it (Ctrl+V) while this button has the focus"));
  update_shares (self);
}

/* The paintings in the photo's colours ------------------------------------------------------- */

typedef struct
{
  ImpastoPaintingList *self;
  ImpastoImageWell *well;
} Recolor;

static void
recolor_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Recolor *recolor = user_data;
  g_autoptr(ImpastoPaintingList) self = recolor->self;
  ImpastoImageWell *well = recolor->well;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = impasto_recolor_preview_finish (result, &error);
  int index;

  g_free (recolor);
  /* A newer preview, another picture or a removed painting cancelled this one. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  index = find_row (self, well);
  if (index < 0)
    return;
  g_clear_object (&get_row (self, index)->recolor);
  if (pixbuf == NULL)
    {
      g_message (_("The painting could not be shown in the photo's colours: %s"), error->message);
      return;
    }
  impasto_image_well_set_shown_pixbuf (well, pixbuf);
}

/* With `histogram` and a photo, @row's well shows its painting in the photo's colours (made on a
 * thread); else the painting as it is. */
static void
update_recolor (ImpastoPaintingList *self,
                Row                 *row)
{
  GdkPixbuf *painting = impasto_image_well_get_pixbuf (row->well);
  Recolor *recolor;

  if (row->recolor != NULL)
    {
      g_cancellable_cancel (row->recolor);
      g_clear_object (&row->recolor);
    }

  if (self->colors != IMPASTO_COLORS_HISTOGRAM || self->photo == NULL || painting == NULL)
    {
      impasto_image_well_set_shown_pixbuf (row->well, NULL);
      return;
    }

  row->recolor = g_cancellable_new ();
  recolor = g_new0 (Recolor, 1);
  recolor->self = g_object_ref (self);
  recolor->well = row->well;
  impasto_recolor_preview_async (painting, self->photo, row->recolor, recolor_cb, recolor);
}

static void
update_recolors (ImpastoPaintingList *self)
{
  for (int i = 0; i < n_rows (self); i++)
    update_recolor (self, get_row (self, i));
}

/* Changes ------------------------------------------------------------------------------------ */

static void
notify_weights (ImpastoPaintingList *self)
{
  if (self->setting > 0)
    {
      self->weights_changed = TRUE;
      return;
    }
  update_shares (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHTS]);
}

static void
notify_scales (ImpastoPaintingList *self)
{
  if (self->setting > 0)
    {
      self->scales_changed = TRUE;
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALES]);
}

static void
begin_setting (ImpastoPaintingList *self)
{
  self->setting++;
}

static void
end_setting (ImpastoPaintingList *self)
{
  g_assert (self->setting > 0);

  if (--self->setting > 0)
    return;
  if (self->weights_changed)
    {
      self->weights_changed = FALSE;
      notify_weights (self);
    }
  if (self->scales_changed)
    {
      self->scales_changed = FALSE;
      notify_scales (self);
    }
}

/* No other painting counts: this one may not go to 0. (Empty paintings count here, as their
 * pictures may still be on the way, restored from the settings; Start says so when every
 * painting with a picture is at 0.) */
static gboolean
others_are_zero (ImpastoPaintingList *self,
                 int                  index)
{
  for (int i = 0; i < n_rows (self); i++)
    if (i != index && gtk_adjustment_get_value (get_row (self, i)->weight) > 0.0)
      return FALSE;
  return TRUE;
}

static void
on_weight_changed_cb (ImpastoPaintingList *self,
                      GtkAdjustment       *adjustment)
{
  int index = find_row (self, adjustment);

  g_assert (index >= 0);

  if (gtk_adjustment_get_value (adjustment) <= 0.0 && others_are_zero (self, index))
    {
      gint64 now = g_get_monotonic_time ();

      /* Back to the smallest weight; this handler runs again for it. Said once, not at every
       * move of a slider held at 0. */
      gtk_adjustment_set_value (adjustment, WEIGHT_STEP);
      if (now - self->refused_at > 3 * G_USEC_PER_SEC)
        g_signal_emit (self, signals[NOTICE], 0,
                       _("One painting must always count, so its weight stays above 0"));
      self->refused_at = now;
      return;
    }
  notify_weights (self);
}

static void
on_scale_changed_cb (ImpastoPaintingList *self,
                     GtkAdjustment       *adjustment)
{
  int index = find_row (self, adjustment);

  g_assert (index >= 0);

  update_scale_label (get_row (self, index));
  notify_scales (self);
  g_signal_emit (self, signals[SCALE_CHANGED], 0, index);
}

static void
on_well_pixbuf_cb (ImpastoPaintingList *self,
                   GParamSpec          *pspec,
                   ImpastoImageWell    *well)
{
  int index = find_row (self, well);

  if (index < 0)
    return;
  get_row (self, index)->tentative = FALSE;
  update_recolor (self, get_row (self, index));
  update_shares (self);
  g_signal_emit (self, signals[PAINTINGS_CHANGED], 0, index);
}

static void
on_well_loading_cb (ImpastoPaintingList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* A painting added by a drop or a paste on Add Painting whose picture did not come goes again
 * (the window has shown the well's message by then: this runs after its handlers). */
static void
on_well_failed_cb (ImpastoPaintingList *self,
                   const char          *message,
                   ImpastoImageWell    *well)
{
  int index = find_row (self, well);

  if (index > 0 && get_row (self, index)->tentative && impasto_image_well_get_pixbuf (well) == NULL
      && !impasto_image_well_get_loading (well))
    impasto_painting_list_remove (self, index);
}

/* Rows --------------------------------------------------------------------------------------- */

static void
row_free (Row *row)
{
  if (row->recolor != NULL)
    g_cancellable_cancel (row->recolor);
  g_clear_object (&row->recolor);
  g_clear_object (&row->weight);
  g_clear_object (&row->scale);
  g_free (row);
}

/* A slider with its title and value above it. */
static GtkWidget *
slider_new (const char     *title,
            const char     *tooltip,
            GtkAdjustment  *adjustment,
            GtkScale      **scale_out,
            GtkLabel      **value_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, adjustment);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (value), 1.0);
  gtk_widget_add_css_class (value, "caption");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "dim-label");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (header), value);

  gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
  gtk_widget_set_hexpand (scale, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  /* Scrolling the sidebar over it does not move it; focusing it first does. */
  impasto_wheel_guard_attach (scale, NULL);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scale);
  gtk_widget_set_tooltip_text (box, tooltip);

  *scale_out = GTK_SCALE (scale);
  *value_out = GTK_LABEL (value);
  return box;
}

static Row *
row_new (ImpastoPaintingList *self,
         gboolean             first)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *brush_box;

  row->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  row->well = IMPASTO_IMAGE_WELL (impasto_image_well_new ());
  if (first)
    {
      g_object_set (row->well,
                    "placeholder", _("Drop or click to choose the painting whose style is copied"),
                    NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->well),
                                   _("The painting whose colours and brush strokes are copied. "
                                     "Click, drop a file or paste (Ctrl+V)."));
    }
  else
    {
      g_object_set (row->well, "placeholder", _("Drop or click to choose a painting to blend in"),
                    NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->well),
                                   _("A painting blended with the others. Click, drop a file or "
                                     "paste (Ctrl+V)."));
    }
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (row->well));

  if (!first)
    {
      row->remove_button = gtk_button_new_from_icon_name ("window-close-symbolic");
      gtk_widget_set_halign (row->remove_button, GTK_ALIGN_END);
      gtk_widget_set_valign (row->remove_button, GTK_ALIGN_START);
      gtk_widget_set_margin_top (row->remove_button, 6);
      gtk_widget_set_margin_end (row->remove_button, 6);
      gtk_widget_add_css_class (row->remove_button, "circular");
      gtk_widget_add_css_class (row->remove_button, "osd");
      gtk_widget_set_tooltip_text (row->remove_button, _("Remove this painting"));
      /* The target first: the action takes an index (update_rows() keeps it right). */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row->remove_button), "i", 0);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row->remove_button), "paintings.remove");
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), row->remove_button);
    }

  row->weight = g_object_ref_sink (gtk_adjustment_new (1.0, 0.0, IMPASTO_PAINTING_WEIGHT_MAX,
                                                       WEIGHT_STEP, 0.1, 0.0));
  row->weight_box = slider_new (_("Weight"),
                                _("How much of this painting goes into the blend; the "
                                  "percentage is its share of all the paintings' weights. "
                                  "Takes effect at the next iteration, also while painting."),
                                row->weight, &row->weight_scale, &row->weight_value);

  row->scale = g_object_ref_sink (gtk_adjustment_new (1.0, IMPASTO_PAINTING_SCALE_MIN,
                                                      IMPASTO_PAINTING_SCALE_MAX, 0.05, 0.25,
                                                      0.0));
  brush_box = slider_new (_("Brush Size"),
                          _("The painting's strokes relative to the picture: larger is coarser, "
                            "smaller finer. 1 takes the painting at the picture's size."),
                          row->scale, &row->brush_scale, &row->scale_value);
  gtk_scale_add_mark (row->brush_scale, 1.0, GTK_POS_BOTTOM, NULL);
  update_scale_label (row);

  gtk_box_append (GTK_BOX (row->box), overlay);
  gtk_box_append (GTK_BOX (row->box), row->weight_box);
  gtk_box_append (GTK_BOX (row->box), brush_box);

  g_signal_connect_object (row->weight, "value-changed", G_CALLBACK (on_weight_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row->scale, "value-changed", G_CALLBACK (on_scale_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row->well, "notify::pixbuf", G_CALLBACK (on_well_pixbuf_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row->well, "notify::loading", G_CALLBACK (on_well_loading_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row->well, "failed", G_CALLBACK (on_well_failed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (row->well, "notice", G_CALLBACK (on_well_failed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  return row;
}

ImpastoImageWell *
impasto_painting_list_add (ImpastoPaintingList *self)
{
  Row *row;

  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), NULL);

  if (n_rows (self) >= IMPASTO_MAX_PAINTINGS)
    return NULL;

  row = row_new (self, n_rows (self) == 0);
  g_ptr_array_add (self->rows, row);
  gtk_box_append (GTK_BOX (self->rows_box), row->box);
  update_rows (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAINTINGS]);
  notify_weights (self);
  notify_scales (self);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[WELL_ADDED], 0, row->well);
  return row->well;
}

void
impasto_painting_list_remove (ImpastoPaintingList *self,
                              int                  index)
{
  gboolean had_picture;
  gboolean loading;
  Row *row;

  g_return_if_fail (IMPASTO_IS_PAINTING_LIST (self));
  g_return_if_fail (index > 0 && index < n_rows (self));

  row = get_row (self, index);
  had_picture = impasto_image_well_get_pixbuf (row->well) != NULL;
  loading = impasto_image_well_get_loading (row->well);
  /* The well may outlive its row (the window keeps the wells of the last run): a picture still
   * being decoded for it must not arrive, and it no longer speaks to the list. */
  g_signal_handlers_disconnect_by_data (row->well, self);
  impasto_image_well_cancel_load (row->well);
  gtk_box_remove (GTK_BOX (self->rows_box), row->box);
  g_ptr_array_remove_index (self->rows, index);
  /* Before the count changes: what refers to the paintings after it renumbers first. */
  g_signal_emit (self, signals[PAINTING_REMOVED], 0, index);

  /* The paintings left must still count. */
  begin_setting (self);
  if (others_are_zero (self, -1))
    for (int i = 0; i < n_rows (self); i++)
      gtk_adjustment_set_value (get_row (self, i)->weight, 1.0);
  end_setting (self);
  update_rows (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAINTINGS]);
  notify_weights (self);
  notify_scales (self);
  if (loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));
  if (had_picture)
    g_signal_emit (self, signals[PAINTINGS_CHANGED], 0, index);
}

/* Actions and dropping on Add Painting ------------------------------------------------------- */

/* paintings.add: a new painting, and the chooser for it. */
static void
impasto_painting_list_add_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  ImpastoImageWell *well = impasto_painting_list_add (IMPASTO_PAINTING_LIST (widget));

  if (well != NULL)
    gtk_widget_activate_action (GTK_WIDGET (well), "well.open", NULL);
}

/* paintings.remove(i) */
static void
impasto_painting_list_remove_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  ImpastoPaintingList *self = IMPASTO_PAINTING_LIST (widget);
  int index = g_variant_get_int32 (param);

  if (index > 0 && index < n_rows (self))
    impasto_painting_list_remove (self, index);
}

static gboolean
on_add_drop_cb (ImpastoPaintingList *self,
                const GValue        *value,
                double               x,
                double               y,
                GtkDropTarget       *target)
{
  ImpastoImageWell *well;

  if (n_rows (self) >= IMPASTO_MAX_PAINTINGS)
    return FALSE;
  well = impasto_painting_list_add (self);
  get_row (self, n_rows (self) - 1)->tentative = TRUE;
  if (impasto_image_well_take_value (well, value))
    return TRUE;
  impasto_painting_list_remove (self, n_rows (self) - 1);
  return FALSE;
}

gboolean
impasto_painting_list_paste_focused (ImpastoPaintingList *self)
{
  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), FALSE);

  if (gtk_widget_get_state_flags (self->add_button) & GTK_STATE_FLAG_FOCUS_WITHIN)
    {
      ImpastoImageWell *well = impasto_painting_list_add (self);

      if (well == NULL)
        return FALSE;
      get_row (self, n_rows (self) - 1)->tentative = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL);
      return TRUE;
    }

  for (int i = 0; i < n_rows (self); i++)
    {
      ImpastoImageWell *well = get_row (self, i)->well;

      if (gtk_widget_get_state_flags (GTK_WIDGET (well)) & GTK_STATE_FLAG_FOCUS_WITHIN)
        {
          gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL);
          return TRUE;
        }
    }
  return FALSE;
}

/* Values as a whole ---------------------------------------------------------------------------- */

static GVariant *
values_to_variant (ImpastoPaintingList *self,
                   gboolean             weights)
{
  double values[IMPASTO_MAX_PAINTINGS];

  for (int i = 0; i < n_rows (self); i++)
    values[i] = gtk_adjustment_get_value (weights ? get_row (self, i)->weight
                                                  : get_row (self, i)->scale);
  return g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, values, n_rows (self),
                                    sizeof (double));
}

/* The paintings take the values in order (a painting without one gets 1), weights first at
 * their new values so that the guard against all 0 judges the result, not the way there. */
static void
values_from_variant (ImpastoPaintingList *self,
                     GVariant            *variant,
                     gboolean             weights)
{
  const double *values = NULL;
  gsize n = 0;
  gboolean any = FALSE;

  if (variant != NULL)
    values = g_variant_get_fixed_array (variant, &n, sizeof (double));

  begin_setting (self);
  for (int i = 0; i < n_rows (self); i++)
    {
      double value = (gsize) i < n ? values[i] : 1.0;

      if (weights)
        any = any || value > 0.0;
      else
        gtk_adjustment_set_value (get_row (self, i)->scale, value);
    }
  if (weights)
    {
      /* Every weight 0 is refused as a whole. */
      if (!any)
        g_signal_emit (self, signals[NOTICE], 0,
                       _("One painting must always count, so its weight stays above 0"));
      else
        {
          /* Raise first, then lower: no moment with every weight at 0. */
          for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < n_rows (self); i++)
              {
                GtkAdjustment *adjustment = get_row (self, i)->weight;
                double value = (gsize) i < n ? values[i] : 1.0;

                if ((pass == 0) == (value >= gtk_adjustment_get_value (adjustment)))
                  gtk_adjustment_set_value (adjustment, value);
              }
        }
    }
  end_setting (self);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
impasto_painting_list_dispose (GObject *object)
{
  ImpastoPaintingList *self = (ImpastoPaintingList *) object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->rows_box = NULL;
  self->add_button = NULL;
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);

  G_OBJECT_CLASS (impasto_painting_list_parent_class)->dispose (object);
}

static void
impasto_painting_list_finalize (GObject *object)
{
  ImpastoPaintingList *self = (ImpastoPaintingList *) object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->photo);

  G_OBJECT_CLASS (impasto_painting_list_parent_class)->finalize (object);
}

static void
impasto_painting_list_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ImpastoPaintingList *self = IMPASTO_PAINTING_LIST (object);

  switch (prop_id)
    {
    case PROP_N_PAINTINGS:
      g_value_set_int (value, n_rows (self));
      break;

    case PROP_WEIGHTS:
      g_value_set_variant (value, values_to_variant (self, TRUE));
      break;

    case PROP_SCALES:
      g_value_set_variant (value, values_to_variant (self, FALSE));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, impasto_painting_list_get_loading (self));
      break;

    case PROP_PHOTO:
      g_value_set_object (value, self->photo);
      break;

    case PROP_COLORS:
      g_value_set_enum (value, self->colors);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_painting_list_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ImpastoPaintingList *self = IMPASTO_PAINTING_LIST (object);

  switch (prop_id)
    {
    case PROP_WEIGHTS:
      values_from_variant (self, g_value_get_variant (value), TRUE);
      break;

    case PROP_SCALES:
      values_from_variant (self, g_value_get_variant (value), FALSE);
      break;

    case PROP_PHOTO:
      if (g_set_object (&self->photo, g_value_get_object (value)))
        {
          update_recolors (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_COLORS:
      if (self->colors != (ImpastoColors) g_value_get_enum (value))
        {
          self->colors = g_value_get_enum (value);
          update_recolors (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_painting_list_class_init (ImpastoPaintingListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = impasto_painting_list_dispose;
  object_class->finalize = impasto_painting_list_finalize;
  object_class->get_property = impasto_painting_list_get_property;
  object_class->set_property = impasto_painting_list_set_property;

  properties[PROP_N_PAINTINGS] =
    g_param_spec_int ("n-paintings", NULL, NULL, 1, IMPASTO_MAX_PAINTINGS, 1,
                      G_PARAM_READABLE | flags);
  /* Every painting's weight, in order (as impasto-params' `painting-weights`). */
  properties[PROP_WEIGHTS] =
    g_param_spec_variant ("weights", NULL, NULL, G_VARIANT_TYPE ("ad"), NULL,
                          G_PARAM_READWRITE | flags);
  /* Every painting's brush size, in order (as impasto-params' `painting-scales`). */
  properties[PROP_SCALES] =
    g_param_spec_variant ("scales", NULL, NULL, G_VARIANT_TYPE ("ad"), NULL,
                          G_PARAM_READWRITE | flags);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | flags);
  /* The photo, whose colours the paintings take with IMPASTO_COLORS_HISTOGRAM. */
  properties[PROP_PHOTO] =
    g_param_spec_object ("photo", NULL, NULL, GDK_TYPE_PIXBUF, G_PARAM_READWRITE | flags);
  /* Whose colours the picture has: with IMPASTO_COLORS_HISTOGRAM each well shows its painting
   * recoloured to the photo's colours, as the run paints from it. */
  properties[PROP_COLORS] =
    g_param_spec_enum ("colors", NULL, NULL, IMPASTO_TYPE_COLORS, IMPASTO_COLORS_NONE,
                       G_PARAM_READWRITE | flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A painting's well was made (the first one's during init): (well). */
  signals[WELL_ADDED] =
    g_signal_new ("well-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, IMPASTO_TYPE_IMAGE_WELL);
  /* The pictures a run would blend changed: painting @index's came or was replaced, or went
   * with its painting (@index is where it was). */
  signals[PAINTINGS_CHANGED] =
    g_signal_new ("paintings-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  /* Painting @index was removed: those after it moved down by one (emitted before
   * "n-paintings" changes). */
  signals[PAINTING_REMOVED] =
    g_signal_new ("painting-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  /* Painting @index's brush size changed. */
  signals[SCALE_CHANGED] =
    g_signal_new ("scale-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  /* Something to tell (a weight refused); the argument is a sentence to show. */
  signals[NOTICE] =
    g_signal_new ("notice",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "paintings.add", NULL,
                                   impasto_painting_list_add_action);
  gtk_widget_class_install_action (widget_class, "paintings.remove", "i",
                                   impasto_painting_list_remove_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "paintinglist");
  g_type_ensure (IMPASTO_TYPE_IMAGE_WELL);
}

static void
impasto_painting_list_init (ImpastoPaintingList *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->refused_at = G_MININT64 / 2;
  self->rows_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_parent (self->rows_box, GTK_WIDGET (self));

  self->add_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->add_button),
                        g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                      "icon-name", "list-add-symbolic",
                                      "label", _("_Add Painting"),
                                      "use-underline", TRUE,
                                      NULL));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), "paintings.add");
  gtk_widget_set_parent (self->add_button, GTK_WIDGET (self));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "drop", G_CALLBACK (on_add_drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->add_button, GTK_EVENT_CONTROLLER (target));

  impasto_painting_list_add (self);
}

GtkWidget *
impasto_painting_list_new (void)
{
  return g_object_new (IMPASTO_TYPE_PAINTING_LIST, NULL);
}

int
impasto_painting_list_get_n_paintings (ImpastoPaintingList *self)
{
  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), 0);

  return n_rows (self);
}

ImpastoImageWell *
impasto_painting_list_get_well (ImpastoPaintingList *self,
                                int                  index)
{
  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), NULL);
  g_return_val_if_fail (index >= 0 && index < n_rows (self), NULL);

  return get_row (self, index)->well;
}

double
impasto_painting_list_get_weight (ImpastoPaintingList *self,
                                  int                  index)
{
  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), 0.0);
  g_return_val_if_fail (index >= 0 && index < n_rows (self), 0.0);

  return gtk_adjustment_get_value (get_row (self, index)->weight);
}

void
impasto_painting_list_set_weight (ImpastoPaintingList *self,
                                  int                  index,
                                  double               weight)
{
  g_return_if_fail (IMPASTO_IS_PAINTING_LIST (self));
  g_return_if_fail (index >= 0 && index < n_rows (self));
  g_return_if_fail (isfinite (weight));

  gtk_adjustment_set_value (get_row (self, index)->weight, weight);
}

double
impasto_painting_list_get_share (ImpastoPaintingList *self,
                                 int                  index)
{
  double total = 0.0;

  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), 0.0);
  g_return_val_if_fail (index >= 0 && index < n_rows (self), 0.0);

  if (impasto_image_well_get_pixbuf (get_row (self, index)->well) == NULL)
    return 0.0;
  for (int i = 0; i < n_rows (self); i++)
    if (impasto_image_well_get_pixbuf (get_row (self, i)->well) != NULL)
      total += gtk_adjustment_get_value (get_row (self, i)->weight);
  return total > 0.0 ? gtk_adjustment_get_value (get_row (self, index)->weight) / total : 0.0;
}

double
impasto_painting_list_get_scale (ImpastoPaintingList *self,
                                 int                  index)
{
  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), 1.0);
  g_return_val_if_fail (index >= 0 && index < n_rows (self), 1.0);

  return gtk_adjustment_get_value (get_row (self, index)->scale);
}

void
impasto_painting_list_set_scale (ImpastoPaintingList *self,
                                 int                  index,
                                 double               scale)
{
  g_return_if_fail (IMPASTO_IS_PAINTING_LIST (self));
  g_return_if_fail (index >= 0 && index < n_rows (self));
  g_return_if_fail (isfinite (scale));

  gtk_adjustment_set_value (get_row (self, index)->scale, scale);
}

gboolean
impasto_painting_list_get_loading (ImpastoPaintingList *self)
{
  g_return_val_if_fail (IMPASTO_IS_PAINTING_LIST (self), FALSE);

  for (int i = 0; i < n_rows (self); i++)
    if (impasto_image_well_get_loading (get_row (self, i)->well))
      return TRUE;
  return FALSE;
}
