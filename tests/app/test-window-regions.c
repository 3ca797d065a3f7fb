/* test-window-regions.c
 *
 * The window's Regions mode under Xvfb, with the tiny random VGG19 and generated pictures: the
 * mode's button shows once there is a photo, and entering the mode shows the overlay and the
 * panel with a first region to paint; a stroke through the overlay (as a drag makes it) paints
 * the selected region where the picture is under it; undo (win.regions-undo, Ctrl+Z) gives the
 * mask back byte for byte and redo paints it again, and neither does anything outside the mode.
 * A run gets the regions before it starts; a stroke mid-run, and a region's painting changed,
 * reach it once each without a restart and without a pass over the paintings. Save Masks writes
 * one PNG per region and says so; loading a file that is no picture says so and changes nothing.
 * A row's weight and painting reach the masks, and its remove button removes the region.
 *
 * The test body runs from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-regions"

#include "config.h"

#include <string.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

static TestWindowRun test;

static char *
uri_for (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_get_uri (file);
}

static gboolean
pictures_loaded (gpointer data)
{
  ImpastoWindow *window = data;

  return impasto_image_well_get_pixbuf (window->content_well) != NULL
         && impasto_image_well_get_pixbuf (window->style_well) != NULL
         && !impasto_painting_list_get_loading (window->painting_list);
}

static gboolean
overlay_laid_out (gpointer data)
{
  graphene_rect_t rect;

  return gtk_widget_get_mapped (data)
         && impasto_region_overlay_get_picture_rect (IMPASTO_REGION_OVERLAY (data), &rect)
         && rect.size.width > 50;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   guint         *paints)
{
  (*paints)++;
}

/* Waits for the window to be drawn twice more: what changed is on screen. */
static void
wait_painted (ImpastoWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint paints = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &paints);

  while (paints < 2)
    {
      gtk_widget_queue_draw (GTK_WIDGET (window));
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

static gboolean
mask_is_empty (ImpastoRegionMasks *masks,
               int                 index)
{
  return !impasto_region_masks_covers (masks, index);
}

/* A stroke across the picture's middle, in the overlay's coordinates. */
static void
stroke_across (ImpastoWindow *window,
               double         y_share)
{
  graphene_rect_t rect;
  graphene_point_t points[3];

  g_assert_true (impasto_region_overlay_get_picture_rect (window->region_overlay, &rect));
  for (int i = 0; i < 3; i++)
    graphene_point_init (&points[i], rect.origin.x + rect.size.width * (0.2 + 0.3 * i),
                         rect.origin.y + rect.size.height * y_share);
  impasto_region_overlay_stroke (window->region_overlay, points, 3);
}

/* The @nth widget of @type under @widget, depth first (-1: the one whose tooltip says "Remove
 * Region 1"). */
static GtkWidget *
find_widget_from (GtkWidget *widget,
                  GType      type,
                  int       *nth)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      if (*nth == -1 && g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Remove Region 1") == 0)
        return widget;
      if (*nth >= 0 && (*nth)-- == 0)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_from (child, type, nth);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             int        nth)
{
  GtkWidget *found = find_widget_from (widget, type, &nth);

  g_assert_nonnull (found);
  return found;
}

/* The panel's Undo button: sensitive exactly when win.regions-undo is enabled. */
static gboolean
undo_enabled (ImpastoWindow *window)
{
  GtkWidget *button = test_app_find_actionable (GTK_WIDGET (window->region_panel),
                                                "win.regions-undo");

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static gboolean
toast_shown (gpointer data)
{
  return test_app_find_label (GTK_WIDGET (test.window), data) != NULL;
}

static void
check_mode_and_undo (ImpastoWindow *window)
{
  ImpastoRegionMasks *masks = window->region_masks;
  gsize n;
  g_autofree guint8 *painted = NULL;

  test_app_wait_until (pictures_loaded, window, 30, "the photo and the painting");
  /* The masks are at the photo's size. */
  g_assert_cmpint (impasto_region_masks_get_width (masks), ==, 48);
  g_assert_cmpint (impasto_region_masks_get_height (masks), ==, 40);
  n = 48 * 40;
  g_assert_true (gtk_widget_get_visible (window->regions_button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->region_overlay)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-mode", NULL);
  g_assert_true (window->regions_mode);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (window->regions_button)));
  g_assert_true (gtk_revealer_get_reveal_child (window->regions_revealer));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->region_overlay)));
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 1);
  g_assert_cmpint (impasto_region_panel_get_region (window->region_panel), ==, 0);
  test_app_wait_until (overlay_laid_out, window->region_overlay, 30, "the overlay's layout");
  wait_painted (window);

  /* Nothing to undo yet. */
  g_assert_false (undo_enabled (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-undo", NULL);
  g_assert_true (mask_is_empty (masks, 0));

  /* A stroke across the middle paints the middle row, not the top one. */
  g_object_set (window->region_panel, "brush-size", 6.0, "softness", 0.0, NULL);
  stroke_across (window, 0.5);
  g_assert_false (mask_is_empty (masks, 0));
  g_assert_cmpint (impasto_region_masks_get_mask (masks, 0)[20 * 48 + 24], ==, 255);
  g_assert_cmpint (impasto_region_masks_get_mask (masks, 0)[1 * 48 + 24], ==, 0);
  painted = g_memdup2 (impasto_region_masks_get_mask (masks, 0), n);
  wait_painted (window);

  /* Undo, redo. */
  g_assert_true (undo_enabled (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-undo", NULL));
  g_assert_true (mask_is_empty (masks, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-redo", NULL));
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, painted, n);
  wait_painted (window);

  /* Out of Regions mode, undo does nothing; back in, it works again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-mode", NULL);
  g_assert_false (window->regions_mode);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->region_overlay)));
  g_assert_false (undo_enabled (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-undo", NULL);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, painted, n);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-mode", NULL);
  g_assert_true (window->regions_mode);
  /* Still the one region: entering again adds none. */
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 1);
  test_app_wait_until (overlay_laid_out, window->region_overlay, 30, "the overlay again");
}

typedef struct
{
  ImpastoJob *job;
  int value;
} Until;

static gboolean
worker_reached (gpointer data)
{
  Until *until = data;

  return impasto_job_get_worker_iteration (until->job) >= until->value;
}

static gboolean
region_sets_reached (gpointer data)
{
  Until *until = data;

  return impasto_job_get_region_sets (until->job) >= until->value;
}

static void
wait_iterations (ImpastoJob *job,
                 int         n)
{
  Until until = { job, impasto_job_get_worker_iteration (job) + n };

  test_app_wait_until (worker_reached, &until, 60, "the run's iterations");
}

static void
assert_no_restart (ImpastoJob *job)
{
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (job, &n);

  for (guint i = 0; i < n; i++)
    g_assert_cmpint (records[i].iteration, ==, (int) i);
}

static void
check_run (ImpastoWindow *window)
{
  ImpastoRegionMasks *masks = window->region_masks;
  ImpastoJob *job;
  Until until;
  int passes;
  int at;

  g_object_set (window->params, "size", 32, "min-size", 64, "iterations", 100000, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = window->job;
  g_assert_nonnull (job);
  /* The region was handed over before the start: set before the first iteration. */
  wait_iterations (job, 2);
  g_assert_cmpint (impasto_job_get_region_sets (job), ==, 1);
  passes = impasto_job_get_painting_passes (job);

  /* A stroke mid-run: the job gets it once, when the stroke ends, and goes on. */
  at = impasto_job_get_worker_iteration (job);
  g_object_set (window->region_panel, "erase", TRUE, NULL);
  stroke_across (window, 0.5);
  g_assert_true (mask_is_empty (masks, 0));
  until = (Until) { job, 2 };
  test_app_wait_until (region_sets_reached, &until, 60, "the stroke in the run");
  wait_iterations (job, 2);
  g_assert_cmpint (impasto_job_get_region_sets (job), ==, 2);
  g_assert_cmpint (impasto_job_get_worker_iteration (job), >, at);
  g_assert_true (window->job == job);
  g_assert_cmpint (impasto_job_get_painting_passes (job), ==, passes);

  /* A second region (one hand-over), kept as the photo (another), painted (another) and undone
   * (another). */
  g_object_set (window->region_panel, "erase", FALSE, NULL);
  g_assert_true (impasto_region_panel_add_region (window->region_panel));
  g_assert_cmpint (impasto_region_panel_get_region (window->region_panel), ==, 1);
  until.value = 3;
  test_app_wait_until (region_sets_reached, &until, 60, "the second region in the run");
  impasto_region_masks_set_painting (masks, 1, IMPASTO_REGION_KEEP_PHOTO);
  until.value = 4;
  test_app_wait_until (region_sets_reached, &until, 60, "its painting in the run");
  stroke_across (window, 0.2);
  g_assert_false (mask_is_empty (masks, 1));
  until.value = 5;
  test_app_wait_until (region_sets_reached, &until, 60, "its stroke in the run");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.regions-undo", NULL));
  g_assert_true (mask_is_empty (masks, 1));
  until.value = 6;
  test_app_wait_until (region_sets_reached, &until, 60, "the undone stroke in the run");
  wait_iterations (job, 2);
  g_assert_true (window->job == job);
  g_assert_true (impasto_job_is_active (job));
  g_assert_cmpint (impasto_job_get_painting_passes (job), ==, passes);
  assert_no_restart (job);
  {
    g_autofree char *warning = NULL;

    g_object_get (job, "warning", &warning, NULL);
    g_assert_null (warning);
  }
  wait_painted (window);
  impasto_job_stop (job);
}

static void
check_files (ImpastoWindow *window)
{
  ImpastoRegionMasks *masks = window->region_masks;
  g_autofree char *folder = g_build_filename (test.dir, "masks", NULL);
  g_autofree char *first = g_build_filename (folder, "region-1.png", NULL);
  g_autofree char *second = g_build_filename (folder, "region-2.png", NULL);
  g_autofree char *bad = g_build_filename (test.dir, "notes.png", NULL);
  g_autofree guint8 *before = NULL;
  gsize n = 48 * 40;

  stroke_across (window, 0.8);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  _impasto_window_regions_save (window, folder);
  test_app_wait_until (toast_shown, (gpointer) "Saved 2 region masks in “masks”", 10,
                       "the saved toast");
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (second, G_FILE_TEST_IS_REGULAR));

  /* No picture: a toast naming it, the regions as they were. */
  g_assert_true (g_file_set_contents (bad, "no picture here", -1, NULL));
  before = g_memdup2 (impasto_region_masks_get_mask (masks, 1), n);
  {
    const char *paths[] = { first, bad };

    _impasto_window_regions_load (window, paths, 2);
  }
  test_app_wait_until (toast_shown, (gpointer) "“notes.png” cannot be read as a mask", 10,
                       "the toast about the file that is no picture");
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 2);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 1), n, before, n);

  /* The saved ones come back. */
  {
    const char *paths[] = { second };

    _impasto_window_regions_load (window, paths, 1);
  }
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 1);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, before, n);

  /* The panel's rows: a weight, a painting, and the remove button. */
  g_assert_true (impasto_region_panel_add_region (window->region_panel));
  {
    GtkWidget *spin = find_widget (GTK_WIDGET (window->region_panel), GTK_TYPE_SPIN_BUTTON, 1);
    GtkWidget *dropdown = find_widget (GTK_WIDGET (window->region_panel), GTK_TYPE_DROP_DOWN, 1);

    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2.5);
    g_assert_cmpfloat (impasto_region_masks_get_weight (masks, 1), ==, 2.5);
    /* The last item: the photo kept. */
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
    g_assert_cmpint (impasto_region_masks_get_painting (masks, 1), ==, IMPASTO_REGION_KEEP_PHOTO);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
    g_assert_cmpint (impasto_region_masks_get_painting (masks, 1), ==, 0);
  }
  g_signal_emit_by_name (find_widget (GTK_WIDGET (window->region_panel), GTK_TYPE_BUTTON, -1),
                         "clicked");
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 1);
  wait_painted (window);

  g_unlink (first);
  g_unlink (second);
  g_unlink (bad);
  g_rmdir (folder);
}

/* A painting removed from the list: the regions of the paintings after it follow them down, its
 * own regions get the first painting, a kept photo stays kept. */
static void
check_painting_removed (ImpastoWindow *window)
{
  ImpastoRegionMasks *masks = window->region_masks;

  while (impasto_region_masks_get_n_regions (masks) < 3)
    g_assert_true (impasto_region_panel_add_region (window->region_panel));
  g_assert_nonnull (impasto_painting_list_add (window->painting_list));
  g_assert_nonnull (impasto_painting_list_add (window->painting_list));
  g_assert_cmpint (impasto_painting_list_get_n_paintings (window->painting_list), ==, 3);
  impasto_region_masks_set_painting (masks, 0, 2);
  impasto_region_masks_set_painting (masks, 1, 1);
  impasto_region_masks_set_painting (masks, 2, IMPASTO_REGION_KEEP_PHOTO);
  impasto_painting_list_remove (window->painting_list, 1);
  g_assert_cmpint (impasto_region_masks_get_painting (masks, 0), ==, 1);
  g_assert_cmpint (impasto_region_masks_get_painting (masks, 1), ==, 0);
  g_assert_cmpint (impasto_region_masks_get_painting (masks, 2), ==, IMPASTO_REGION_KEEP_PHOTO);
  impasto_painting_list_remove (window->painting_list, 1);
  g_assert_cmpint (impasto_region_masks_get_painting (masks, 0), ==, 0);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.window;

  check_mode_and_undo (window);
  check_run (window);
  check_files (window);
  check_painting_removed (window);

  /* Gone without a question: this test keeps nothing. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.window);
  gtk_window_destroy (GTK_WINDOW (window));
  test.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_regions (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  g_autofree char *content_uri = NULL;
  g_autofree char *style_uri = NULL;

  test_window_run_init (&test);
  content_uri = uri_for (test.content);
  style_uri = uri_for (test.style);
  g_settings_set_string (settings, "content-uri", content_uri);
  g_settings_set_string (settings, "style-uri", style_uri);

  test_window_run (&test, test_body, TEST_WINDOW_OPEN_NOTHING);
  g_assert_null (test.window);

  test_window_run_clear (&test);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window/regions", test_window_regions);

  return g_test_run ();
}
