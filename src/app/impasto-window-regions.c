/* impasto-window-regions.c
 *
 * The window's Regions mode (issue 15): the painted regions' masks (ImpastoRegionMasks, at the
 * photo's size), shown and painted over the canvas by the overlay, listed and assigned to
 * paintings in the panel beside it; undo and redo of strokes (Ctrl+Z, Ctrl+Shift+Z while in
 * Regions mode); saving the masks as PNG files into a folder and loading them from chosen files.
 * Every change to a region (a stroke when it ends, undo, redo, a painting or weight, a region
 * added, removed or loaded) is handed to the running job, which recomputes that region's guides
 * and goes on; a new run gets all regions before it starts.
 *
 * It does not start or restart runs, and keeps no settings: the regions last as long as the
 * window.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-window-private.h"

/* The job's number for painting @painting of the list: its place among the job's paintings, or
 * -1 when the job does not paint it (it had no picture when the run started). */
static int
impasto_window_job_painting (ImpastoWindow *self,
                             int            painting)
{
  ImpastoImageWell *well;

  if (painting < 0 || painting >= impasto_painting_list_get_n_paintings (self->painting_list))
    return -1;
  well = impasto_painting_list_get_well (self->painting_list, painting);
  for (guint j = 0; j < self->job_wells->len; j++)
    if (g_ptr_array_index (self->job_wells, j) == (gpointer) well)
      return (int) j;
  return -1;
}

static void
impasto_window_send_region (ImpastoWindow *self,
                            ImpastoJob    *job,
                            int            index)
{
  ImpastoRegionMasks *masks = self->region_masks;
  int painting;

  /* A region with no paint yet is no region for the run: the engine plans the regions' memory
   * at the first one that holds something. */
  if (index >= impasto_region_masks_get_n_regions (masks)
      || !impasto_region_masks_covers (masks, index))
    {
      impasto_job_set_region (job, index, NULL, 0, 0, 0, 1.0);
      return;
    }
  painting = impasto_region_masks_get_painting (masks, index);
  if (painting != IMPASTO_REGION_KEEP_PHOTO)
    painting = impasto_window_job_painting (self, painting);
  if (painting == -1)
    {
      impasto_job_set_region (job, index, NULL, 0, 0, 0, 1.0);
      return;
    }
  impasto_job_set_region (job, index, impasto_region_masks_get_mask (masks, index),
                          impasto_region_masks_get_width (masks),
                          impasto_region_masks_get_height (masks), painting,
                          impasto_region_masks_get_weight (masks, index));
}

void
_impasto_window_send_regions (ImpastoWindow *self,
                              ImpastoJob    *job)
{
  g_assert (IMPASTO_IS_WINDOW (self));
  g_assert (IMPASTO_IS_JOB (job));

  for (int i = 0; i < impasto_region_masks_get_n_regions (self->region_masks); i++)
    impasto_window_send_region (self, job, i);
}

/* A region changed (or went): the running job gets it, once its stroke has ended. */
static void
on_region_masks_changed_cb (ImpastoWindow      *self,
                            int                 index,
                            ImpastoRegionMasks *masks)
{
  if (self->job != NULL && impasto_job_is_active (self->job))
    impasto_window_send_region (self, self->job, index);
}

static void
impasto_window_update_region_actions (ImpastoWindow *self)
{
  ImpastoRegionMasks *masks = self->region_masks;
  gboolean has_photo = impasto_region_masks_get_width (masks) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regions-undo",
                                 self->regions_mode && impasto_region_masks_can_undo (masks));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regions-redo",
                                 self->regions_mode && impasto_region_masks_can_redo (masks));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regions-load", has_photo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regions-save",
                                 impasto_region_masks_get_n_regions (masks) > 0);
  gtk_widget_set_visible (self->regions_button, has_photo);
  /* Over the photo or the painting, not over the page that asks for a picture. */
  gtk_widget_set_visible (GTK_WIDGET (self->region_overlay),
                          self->regions_mode && has_photo
                          && g_strcmp0 (gtk_stack_get_visible_child_name (self->canvas_stack),
                                        "empty") != 0);
}

static void
on_canvas_page_cb (ImpastoWindow *self)
{
  impasto_window_update_region_actions (self);
}

/* The regions, their size or the history changed. */
static void
on_region_masks_notify_cb (ImpastoWindow      *self,
                           GParamSpec         *pspec,
                           ImpastoRegionMasks *masks)
{
  impasto_window_update_region_actions (self);
  /* Regions take memory of their own (their guides, their Gram matrices). */
  if (g_str_equal (pspec->name, "n-regions"))
    _impasto_window_update_estimate (self);
}

void
_impasto_window_set_regions_mode (ImpastoWindow *self,
                                  gboolean       regions_mode)
{
  g_assert (IMPASTO_IS_WINDOW (self));

  regions_mode = !!regions_mode;
  if (self->regions_mode == regions_mode)
    return;
  self->regions_mode = regions_mode;
  gtk_revealer_set_reveal_child (self->regions_revealer, regions_mode);
  /* Something to paint at once. */
  if (regions_mode && impasto_region_masks_get_n_regions (self->region_masks) == 0)
    impasto_region_panel_add_region (self->region_panel);
  impasto_window_update_region_actions (self);
}

void
_impasto_window_regions_sync_photo (ImpastoWindow *self)
{
  GdkPixbuf *content = impasto_image_well_get_pixbuf (self->content_well);
  int width;
  int height;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (content != NULL)
    {
      impasto_region_masks_plan_size (gdk_pixbuf_get_width (content),
                                      gdk_pixbuf_get_height (content), &width, &height);
      impasto_region_masks_set_size (self->region_masks, width, height);
    }
  impasto_window_update_region_actions (self);
}

/* Actions ------------------------------------------------------------------------------------ */

static void
impasto_window_regions_undo_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  impasto_region_masks_undo (IMPASTO_WINDOW (widget)->region_masks);
}

static void
impasto_window_regions_redo_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  impasto_region_masks_redo (IMPASTO_WINDOW (widget)->region_masks);
}

static void
impasto_window_close_chooser (ImpastoWindow *self)
{
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
_impasto_window_regions_load (ImpastoWindow      *self,
                              const char * const *paths,
                              int                 n_paths)
{
  g_autoptr(GError) error = NULL;

  g_assert (IMPASTO_IS_WINDOW (self));

  if (!impasto_region_masks_load (self->region_masks, paths, n_paths, &error))
    {
      impasto_window_show_error (self, error->message);
      return;
    }
  impasto_region_panel_set_region (self->region_panel, 0);
}

static void
on_load_response_cb (ImpastoWindow        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (response == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
  impasto_window_close_chooser (self);
  if (files == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      char *path = g_file_get_path (file);

      if (path == NULL)
        {
          impasto_window_show_error (self, _("Masks can only be loaded from folders on this "
                                             "computer"));
          return;
        }
      g_ptr_array_add (paths, path);
    }
  /* region-1.png, region-2.png, … in order. */
  g_ptr_array_sort (paths, compare_paths);
  _impasto_window_regions_load (self, (const char * const *) paths->pdata, (int) paths->len);
}

static void
impasto_window_regions_load_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Load Region Masks"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Load"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Pictures"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_load_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_impasto_window_regions_save (ImpastoWindow *self,
                              const char    *folder)
{
  g_autofree char *message = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  g_assert (IMPASTO_IS_WINDOW (self));

  n = impasto_region_masks_save (self->region_masks, folder, &error);
  if (n < 0)
    {
      g_autofree char *failed = g_strdup_printf (_("The region masks could not be saved: %s"),
                                                 error->message);

      impasto_window_show_error (self, failed);
      return;
    }
  display = g_filename_display_basename (folder);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved %d region mask in “%s”",
                                          "Saved %d region masks in “%s”", n),
                             n, display);
  impasto_window_show_toast (self, message);
}

static void
on_save_response_cb (ImpastoWindow        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response,
                                    _("Masks can only be saved to folders on this computer"));

  if (path != NULL)
    _impasto_window_regions_save (self, path);
}

static void
impasto_window_regions_save_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Region Masks in a Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_impasto_window_class_regions_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.regions-undo", NULL,
                                   impasto_window_regions_undo_action);
  gtk_widget_class_install_action (widget_class, "win.regions-redo", NULL,
                                   impasto_window_regions_redo_action);
  gtk_widget_class_install_action (widget_class, "win.regions-load", NULL,
                                   impasto_window_regions_load_action);
  gtk_widget_class_install_action (widget_class, "win.regions-save", NULL,
                                   impasto_window_regions_save_action);
  /* Only while in Regions mode (the actions are disabled otherwise). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "win.regions-undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.regions-redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.regions-redo", NULL);
}

/* Painting @index went: the regions of the paintings after it follow them down, its own get the
 * first painting. */
static void
on_painting_removed_cb (ImpastoWindow *self,
                        int            index)
{
  int n = impasto_region_masks_get_n_regions (self->region_masks);

  for (int i = 0; i < n; i++)
    {
      int painting = impasto_region_masks_get_painting (self->region_masks, i);

      if (painting == index)
        impasto_region_masks_set_painting (self->region_masks, i, 0);
      else if (painting > index)
        impasto_region_masks_set_painting (self->region_masks, i, painting - 1);
    }
}

void
_impasto_window_regions_init (ImpastoWindow *self)
{
  const char *brush[] = { "region", "erase", "brush-size", "softness", "opacity" };

  g_assert (IMPASTO_IS_WINDOW (self));

  self->region_masks = impasto_region_masks_new ();
  g_signal_connect_object (self->region_masks, "changed",
                           G_CALLBACK (on_region_masks_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->region_masks, "notify",
                           G_CALLBACK (on_region_masks_notify_cb), self, G_CONNECT_SWAPPED);
  impasto_region_overlay_set_masks (self->region_overlay, self->region_masks);
  impasto_region_panel_set_masks (self->region_panel, self->region_masks);
  for (guint i = 0; i < G_N_ELEMENTS (brush); i++)
    g_object_bind_property (self->region_panel, brush[i], self->region_overlay, brush[i],
                            G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->painting_list, "painting-removed",
                           G_CALLBACK (on_painting_removed_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->painting_list, "n-paintings", self->region_panel, "n-paintings",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->canvas_stack, "notify::visible-child-name",
                           G_CALLBACK (on_canvas_page_cb), self, G_CONNECT_SWAPPED);
  impasto_window_update_region_actions (self);
}
