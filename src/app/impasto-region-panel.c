/* impasto-region-panel.c
 *
 * The Regions mode's controls (see impasto-region-panel.h). The rows of the region list are made
 * again whenever the number of regions or paintings changes, and a row's painting and weight
 * follow the masks' `changed`; a guard keeps those updates from coming back as changes.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-region-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "impasto-region-overlay.h"
#include "impasto-region-panel.h"

typedef struct
{
  GtkWidget *row;
  GtkDropDown *painting;
  GtkSpinButton *weight;
} RegionRow;

struct _ImpastoRegionPanel
{
  GtkWidget parent_instance;

  /* Template children. */
  GtkWidget *scroller;
  GtkToggleButton *eraser_button;
  GtkAdjustment *size_adjustment;
  GtkAdjustment *softness_adjustment;
  GtkAdjustment *opacity_adjustment;
  GtkListBox *list_box;
  GtkButton *add_button;

  ImpastoRegionMasks *masks;
  int n_paintings;
  int region;
  RegionRow rows[IMPASTO_MAX_REGIONS];
  int n_rows;
  guint syncing;
};

enum {
  PROP_0,
  PROP_MASKS,
  PROP_N_PAINTINGS,
  PROP_REGION,
  PROP_ERASE,
  PROP_BRUSH_SIZE,
  PROP_SOFTNESS,
  PROP_OPACITY,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoRegionPanel, impasto_region_panel, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* The dropdown's item for @painting: the paintings in order, then "Keep the photo". */
static guint
painting_to_item (ImpastoRegionPanel *self,
                  int                 painting)
{
  if (painting == IMPASTO_REGION_KEEP_PHOTO)
    return (guint) self->n_paintings;
  return (guint) CLAMP (painting, 0, self->n_paintings - 1);
}

static int
item_to_painting (ImpastoRegionPanel *self,
                  guint               item)
{
  return item >= (guint) self->n_paintings ? IMPASTO_REGION_KEEP_PHOTO : (int) item;
}

static int
row_index (GtkWidget *widget)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "impasto-region"));
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  GdkRGBA color;

  impasto_region_color (GPOINTER_TO_INT (data), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* A row's painting and weight from the masks. */
static void
impasto_region_panel_sync_row (ImpastoRegionPanel *self,
                               int                 index)
{
  RegionRow *row = &self->rows[index];

  self->syncing++;
  gtk_drop_down_set_selected (row->painting,
                              painting_to_item (self,
                                                impasto_region_masks_get_painting (self->masks,
                                                                                   index)));
  gtk_spin_button_set_value (row->weight, impasto_region_masks_get_weight (self->masks, index));
  self->syncing--;
}

static void
on_painting_selected_cb (GtkDropDown        *dropdown,
                         GParamSpec         *pspec,
                         ImpastoRegionPanel *self)
{
  int index = row_index (GTK_WIDGET (dropdown));
  guint item = gtk_drop_down_get_selected (dropdown);

  if (self->syncing > 0 || index >= impasto_region_masks_get_n_regions (self->masks))
    return;
  impasto_region_masks_set_painting (self->masks, index, item_to_painting (self, item));
}

static void
on_weight_changed_cb (GtkSpinButton      *spin,
                      ImpastoRegionPanel *self)
{
  int index = row_index (GTK_WIDGET (spin));

  if (self->syncing > 0 || index >= impasto_region_masks_get_n_regions (self->masks))
    return;
  impasto_region_masks_set_weight (self->masks, index, gtk_spin_button_get_value (spin));
}

static void
on_remove_clicked_cb (GtkButton          *button,
                      ImpastoRegionPanel *self)
{
  int index = row_index (GTK_WIDGET (button));

  if (index < impasto_region_masks_get_n_regions (self->masks))
    impasto_region_masks_remove (self->masks, index);
}

static GtkStringList *
impasto_region_panel_painting_names (ImpastoRegionPanel *self)
{
  GtkStringList *names = gtk_string_list_new (NULL);

  for (int i = 0; i < self->n_paintings; i++)
    {
      g_autofree char *name = g_strdup_printf (_("Painting %d"), i + 1);

      gtk_string_list_append (names, name);
    }
  gtk_string_list_append (names, _("Keep the photo"));
  return names;
}

static void
impasto_region_panel_add_row (ImpastoRegionPanel *self,
                              int                 index)
{
  RegionRow *row = &self->rows[index];
  g_autofree char *title = g_strdup_printf (_("Region %d"), index + 1);
  g_autofree char *weight_name = g_strdup_printf (_("Weight of %s"), title);
  g_autofree char *painting_name = g_strdup_printf (_("Painting of %s"), title);
  g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autoptr(GtkStringList) names = impasto_region_panel_painting_names (self);

  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 8);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GINT_TO_POINTER (index), NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_name);
  g_object_set_data (G_OBJECT (remove), "impasto-region", GINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (top), swatch);
  gtk_box_append (GTK_BOX (top), label);
  gtk_box_append (GTK_BOX (top), remove);

  row->painting = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                                    NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (row->painting), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->painting),
                               _("The painting this region gets, or the photo kept as it is"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->painting),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, painting_name, -1);
  g_object_set_data (G_OBJECT (row->painting), "impasto-region", GINT_TO_POINTER (index));
  row->weight = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0.1, 10.0, 0.1));
  gtk_spin_button_set_digits (row->weight, 1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->weight),
                               _("How much this region's style counts against the others'"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->weight),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, weight_name, -1);
  g_object_set_data (G_OBJECT (row->weight), "impasto-region", GINT_TO_POINTER (index));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (row->painting));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (row->weight));

  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), bottom);
  row->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);
  g_object_set_data (G_OBJECT (row->row), "impasto-region", GINT_TO_POINTER (index));
  gtk_list_box_append (self->list_box, row->row);

  impasto_region_panel_sync_row (self, index);
  g_signal_connect (row->painting, "notify::selected", G_CALLBACK (on_painting_selected_cb),
                    self);
  g_signal_connect (row->weight, "value-changed", G_CALLBACK (on_weight_changed_cb), self);
}

/* The rows for the masks' regions now, the selection kept where it can be. */
static void
impasto_region_panel_rebuild (ImpastoRegionPanel *self)
{
  int n = self->masks != NULL ? impasto_region_masks_get_n_regions (self->masks) : 0;
  int region = MIN (self->region, n - 1);

  self->syncing++;
  for (int i = 0; i < self->n_rows; i++)
    gtk_list_box_remove (self->list_box, self->rows[i].row);
  memset (self->rows, 0, sizeof self->rows);
  self->n_rows = 0;
  for (int i = 0; i < n; i++)
    {
      impasto_region_panel_add_row (self, i);
      self->n_rows++;
    }
  self->syncing--;

  gtk_widget_set_visible (GTK_WIDGET (self->list_box), n > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            self->masks != NULL && n < IMPASTO_MAX_REGIONS
                            && impasto_region_masks_get_width (self->masks) > 0);
  impasto_region_panel_set_region (self, region < 0 && n > 0 ? 0 : region);
}

/* The number of regions or their size changed. */
static void
on_masks_n_regions_cb (ImpastoRegionPanel *self)
{
  impasto_region_panel_rebuild (self);
}

static void
on_masks_changed_cb (ImpastoRegionPanel *self,
                     int                 index)
{
  if (index < self->n_rows && index < impasto_region_masks_get_n_regions (self->masks))
    impasto_region_panel_sync_row (self, index);
}

static void
on_list_box_row_selected_cb (ImpastoRegionPanel *self,
                             GtkListBoxRow      *row)
{
  int region = row != NULL ? row_index (GTK_WIDGET (row)) : -1;

  if (self->syncing > 0 || region == self->region)
    return;
  self->region = region;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

static void
on_add_button_clicked_cb (ImpastoRegionPanel *self)
{
  impasto_region_panel_add_region (self);
}

gboolean
impasto_region_panel_add_region (ImpastoRegionPanel *self)
{
  int index;

  g_return_val_if_fail (IMPASTO_IS_REGION_PANEL (self), FALSE);

  if (self->masks == NULL)
    return FALSE;
  /* The paintings in turn: a second region gets the second painting, if there is one. */
  index = impasto_region_masks_add (self->masks,
                                    impasto_region_masks_get_n_regions (self->masks)
                                    % self->n_paintings);
  if (index < 0)
    return FALSE;
  impasto_region_panel_set_region (self, index);
  return TRUE;
}

int
impasto_region_panel_get_region (ImpastoRegionPanel *self)
{
  g_return_val_if_fail (IMPASTO_IS_REGION_PANEL (self), -1);

  return self->region;
}

void
impasto_region_panel_set_region (ImpastoRegionPanel *self,
                                 int                 region)
{
  g_return_if_fail (IMPASTO_IS_REGION_PANEL (self));
  g_return_if_fail (region >= -1 && region < IMPASTO_MAX_REGIONS);

  if (region >= self->n_rows)
    region = -1;
  self->syncing++;
  if (region >= 0)
    gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (self->rows[region].row));
  else
    gtk_list_box_unselect_all (self->list_box);
  self->syncing--;
  if (self->region != region)
    {
      self->region = region;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
    }
}

void
impasto_region_panel_set_masks (ImpastoRegionPanel *self,
                                ImpastoRegionMasks *masks)
{
  g_return_if_fail (IMPASTO_IS_REGION_PANEL (self));
  g_return_if_fail (masks == NULL || IMPASTO_IS_REGION_MASKS (masks));

  if (self->masks == masks)
    return;
  if (self->masks != NULL)
    g_signal_handlers_disconnect_by_data (self->masks, self);
  g_set_object (&self->masks, masks);
  if (masks != NULL)
    {
      g_signal_connect_swapped (masks, "notify::n-regions", G_CALLBACK (on_masks_n_regions_cb),
                                self);
      g_signal_connect_swapped (masks, "notify::width", G_CALLBACK (on_masks_n_regions_cb),
                                self);
      g_signal_connect_swapped (masks, "changed", G_CALLBACK (on_masks_changed_cb), self);
    }
  impasto_region_panel_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASKS]);
}

static void
impasto_region_panel_set_n_paintings (ImpastoRegionPanel *self,
                                      int                 n_paintings)
{
  if (self->n_paintings == n_paintings)
    return;
  self->n_paintings = n_paintings;
  /* A region whose painting went gets the first one. */
  if (self->masks != NULL)
    for (int i = 0; i < impasto_region_masks_get_n_regions (self->masks); i++)
      if (impasto_region_masks_get_painting (self->masks, i) >= n_paintings)
        impasto_region_masks_set_painting (self->masks, i, 0);
  impasto_region_panel_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAINTINGS]);
}

static void
on_adjustment_changed_cb (ImpastoRegionPanel *self,
                          GtkAdjustment      *adjustment)
{
  if (adjustment == self->size_adjustment)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRUSH_SIZE]);
  else if (adjustment == self->softness_adjustment)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOFTNESS]);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPACITY]);
}

static void
on_eraser_toggled_cb (ImpastoRegionPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERASE]);
}

static void
impasto_region_panel_dispose (GObject *object)
{
  ImpastoRegionPanel *self = (ImpastoRegionPanel *) object;

  if (self->masks != NULL)
    g_signal_handlers_disconnect_by_data (self->masks, self);
  g_clear_object (&self->masks);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_REGION_PANEL);

  G_OBJECT_CLASS (impasto_region_panel_parent_class)->dispose (object);
}

static void
impasto_region_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImpastoRegionPanel *self = IMPASTO_REGION_PANEL (object);

  switch (prop_id)
    {
    case PROP_MASKS:
      g_value_set_object (value, self->masks);
      break;

    case PROP_N_PAINTINGS:
      g_value_set_int (value, self->n_paintings);
      break;

    case PROP_REGION:
      g_value_set_int (value, self->region);
      break;

    case PROP_ERASE:
      g_value_set_boolean (value, gtk_toggle_button_get_active (self->eraser_button));
      break;

    case PROP_BRUSH_SIZE:
      g_value_set_double (value, gtk_adjustment_get_value (self->size_adjustment));
      break;

    case PROP_SOFTNESS:
      g_value_set_double (value, gtk_adjustment_get_value (self->softness_adjustment));
      break;

    case PROP_OPACITY:
      g_value_set_double (value, gtk_adjustment_get_value (self->opacity_adjustment));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_region_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ImpastoRegionPanel *self = IMPASTO_REGION_PANEL (object);

  switch (prop_id)
    {
    case PROP_MASKS:
      impasto_region_panel_set_masks (self, g_value_get_object (value));
      break;

    case PROP_N_PAINTINGS:
      impasto_region_panel_set_n_paintings (self, g_value_get_int (value));
      break;

    case PROP_REGION:
      impasto_region_panel_set_region (self, g_value_get_int (value));
      break;

    case PROP_ERASE:
      gtk_toggle_button_set_active (self->eraser_button, g_value_get_boolean (value));
      break;

    case PROP_BRUSH_SIZE:
      gtk_adjustment_set_value (self->size_adjustment, g_value_get_double (value));
      break;

    case PROP_SOFTNESS:
      gtk_adjustment_set_value (self->softness_adjustment, g_value_get_double (value));
      break;

    case PROP_OPACITY:
      gtk_adjustment_set_value (self->opacity_adjustment, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_region_panel_class_init (ImpastoRegionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = impasto_region_panel_dispose;
  object_class->get_property = impasto_region_panel_get_property;
  object_class->set_property = impasto_region_panel_set_property;

  properties[PROP_MASKS] =
    g_param_spec_object ("masks", NULL, NULL, IMPASTO_TYPE_REGION_MASKS, flags);
  properties[PROP_N_PAINTINGS] =
    g_param_spec_int ("n-paintings", NULL, NULL, 1, IMPASTO_MAX_PAINTINGS, 1, flags);
  properties[PROP_REGION] =
    g_param_spec_int ("region", NULL, NULL, -1, IMPASTO_MAX_REGIONS - 1, -1, flags);
  properties[PROP_ERASE] = g_param_spec_boolean ("erase", NULL, NULL, FALSE, flags);
  properties[PROP_BRUSH_SIZE] =
    g_param_spec_double ("brush-size", NULL, NULL, 2.0, 400.0, 48.0, flags);
  properties[PROP_SOFTNESS] = g_param_spec_double ("softness", NULL, NULL, 0.0, 1.0, 0.5, flags);
  properties[PROP_OPACITY] = g_param_spec_double ("opacity", NULL, NULL, 0.0, 1.0, 0.5, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/impasto/Impasto/impasto-region-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, eraser_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, softness_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, opacity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, list_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoRegionPanel, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_list_box_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_button_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
impasto_region_panel_init (ImpastoRegionPanel *self)
{
  self->n_paintings = 1;
  self->region = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->size_adjustment, "value-changed",
                            G_CALLBACK (on_adjustment_changed_cb), self);
  g_signal_connect_swapped (self->softness_adjustment, "value-changed",
                            G_CALLBACK (on_adjustment_changed_cb), self);
  g_signal_connect_swapped (self->opacity_adjustment, "value-changed",
                            G_CALLBACK (on_adjustment_changed_cb), self);
  g_signal_connect_swapped (self->eraser_button, "toggled", G_CALLBACK (on_eraser_toggled_cb),
                            self);
  impasto_region_panel_rebuild (self);
}

GtkWidget *
impasto_region_panel_new (void)
{
  return g_object_new (IMPASTO_TYPE_REGION_PANEL, NULL);
}
