/* test-window-paintings.c
 *
 * The window's list of paintings under Xvfb, with the tiny random VGG19 and generated pictures
 * (no run): the paintings, weights and brush sizes stored in the settings come back at start-up
 * (a painting whose file went away left out with its values; values of the wrong number for the
 * paintings ignored, with a message); changing, adding and removing paintings writes them back,
 * each value staying with its painting; the weight shows only with several paintings; the last
 * painting that counts cannot be weighted 0 (a toast says why); Add Painting stops at eight,
 * saying why in its tooltip; a drop of something that is no picture on Add Painting leaves no
 * painting behind. The Colours row and the `preserve-colors` setting follow each other, and with
 * "histogram" each painting's well shows the painting recoloured to the photo's mean and
 * covariance, while the well's picture stays the painting as loaded. And a run with two
 * paintings: a weight moved mid-run reaches the job with no new pass over the paintings, a brush
 * size costs exactly one, laying the photo's colours over switches on and off in the same run,
 * while painting light and shade only, or another painting, asks for a new start (and waits in
 * the notice after Keep Painting).
 *
 * The test body runs from an idle inside g_application_run(), as in test-window.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-paintings"

#include "config.h"

#include <string.h>

#include "impasto-colors.h"
#include "impasto-image.h"
#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  char *second;
  char *third;
} Test;

static Test test;

static char *
uri_for (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_get_uri (file);
}

static gboolean
paintings_loaded (gpointer data)
{
  ImpastoPaintingList *list = data;

  if (impasto_painting_list_get_loading (list))
    return FALSE;
  for (int i = 0; i < impasto_painting_list_get_n_paintings (list); i++)
    if (impasto_image_well_get_pixbuf (impasto_painting_list_get_well (list, i)) == NULL)
      return FALSE;
  return TRUE;
}

static void
assert_setting_values (GSettings    *settings,
                       const char   *key,
                       const double *expected,
                       gsize         n_expected)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, key);
  gsize n;
  const double *values = g_variant_get_fixed_array (value, &n, sizeof (double));

  g_assert_cmpuint (n, ==, n_expected);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (values[i], expected[i], 1e-9);
}

static void
assert_uris (GSettings  *settings,
             const char *first,
             const char *second)
{
  g_auto(GStrv) uris = g_settings_get_strv (settings, "painting-uris");

  g_assert_cmpuint (g_strv_length (uris), ==, second != NULL ? 2 : first != NULL ? 1 : 0);
  if (first != NULL)
    g_assert_cmpstr (uris[0], ==, first);
  if (second != NULL)
    g_assert_cmpstr (uris[1], ==, second);
}

/* Whether the label @text under the list is shown (it and every parent visible). */
static gboolean
label_shown (GtkWidget  *widget,
             const char *text)
{
  GtkLabel *label = test_app_find_label (widget, text);

  g_assert_nonnull (label);
  return gtk_widget_is_visible (GTK_WIDGET (label));
}

static gboolean
toast_shown (gpointer data)
{
  return test_app_find_label (GTK_WIDGET (test.run.window), data) != NULL;
}

/* What the settings held comes back: the painting whose file went away is left out, with its
 * weight and brush size. */
static void
check_restored (ImpastoWindow *window)
{
  ImpastoPaintingList *list = window->painting_list;
  g_autofree char *second = uri_for (test.second);
  g_autofree char *third = uri_for (test.third);

  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 3);
  g_assert_true (impasto_painting_list_get_well (list, 0) == window->style_well);
  test_app_wait_until (paintings_loaded, list, 30, "the paintings to load");

  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 0), ==, 0.5);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 1), ==, 0.25);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 2), ==, 0.75);
  g_assert_cmpfloat (impasto_painting_list_get_scale (list, 0), ==, 1.0);
  g_assert_cmpfloat (impasto_painting_list_get_scale (list, 1), ==, 0.5);
  g_assert_cmpfloat (impasto_painting_list_get_scale (list, 2), ==, 2.0);
  /* Shares of the total: 0.5 / 1.5 and so on, shown as percentages. */
  g_assert_cmpfloat_with_epsilon (impasto_painting_list_get_share (list, 0), 1.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (impasto_painting_list_get_share (list, 2), 0.5, 1e-9);
  g_assert_nonnull (test_app_find_label (GTK_WIDGET (list), "33%"));
  g_assert_nonnull (test_app_find_label (GTK_WIDGET (list), "50%"));
  g_assert_nonnull (test_app_find_label (GTK_WIDGET (list), "2.00×"));
  g_assert_true (label_shown (GTK_WIDGET (list), "Weight"));

  /* The settings now say what the list has (the painting that went away is gone from them). */
  {
    const double weights[] = { 0.5, 0.25, 0.75 };
    const double scales[] = { 1.0, 0.5, 2.0 };

    assert_uris (window->settings, second, third);
    assert_setting_values (window->settings, "painting-weights", weights, 3);
    assert_setting_values (window->settings, "painting-scales", scales, 3);
  }
}

typedef struct
{
  guint n;
  int index;
} ScaleChanges;

static void
on_scale_changed_cb (ImpastoPaintingList *list,
                     int                  index,
                     ScaleChanges        *changes)
{
  changes->n++;
  changes->index = index;
}

/* Changes are written back, and a removed painting takes its values along. */
static void
check_changes (ImpastoWindow *window)
{
  ImpastoPaintingList *list = window->painting_list;
  g_autofree char *third = uri_for (test.third);
  ScaleChanges changes = { 0, -1 };
  const double weights[] = { 0.5, 0.75 };
  const double scales[] = { 1.0, 1.25 };

  impasto_painting_list_set_weight (list, 1, 0.1);
  {
    const double moved[] = { 0.5, 0.1, 0.75 };

    assert_setting_values (window->settings, "painting-weights", moved, 3);
  }

  impasto_painting_list_remove (list, 1);
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 2);
  assert_uris (window->settings, third, NULL);
  {
    const double kept_scales[] = { 1.0, 2.0 };

    assert_setting_values (window->settings, "painting-weights", weights, 2);
    assert_setting_values (window->settings, "painting-scales", kept_scales, 2);
  }

  /* One painting's brush size: its index is said, once. */
  g_signal_connect (list, "scale-changed", G_CALLBACK (on_scale_changed_cb), &changes);
  impasto_painting_list_set_scale (list, 1, 1.25);
  g_assert_cmpuint (changes.n, ==, 1);
  g_assert_cmpint (changes.index, ==, 1);
  g_signal_handlers_disconnect_by_func (list, on_scale_changed_cb, &changes);
  assert_setting_values (window->settings, "painting-scales", scales, 2);

  /* One painting alone: its weight means nothing and is not shown. */
  impasto_painting_list_remove (list, 1);
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 1);
  g_assert_false (label_shown (GTK_WIDGET (list), "Weight"));
  g_assert_true (label_shown (GTK_WIDGET (list), "Brush Size"));
  assert_uris (window->settings, NULL, NULL);
}

/* The last painting that counts keeps some weight; a painting left alone with none gets it back. */
static void
check_zero_weights (ImpastoWindow *window)
{
  ImpastoPaintingList *list = window->painting_list;
  ImpastoImageWell *well = impasto_painting_list_add (list);
  g_autoptr(GFile) file = g_file_new_for_path (test.second);

  impasto_image_well_load_file (well, file);
  test_app_wait_until (paintings_loaded, list, 30, "the added painting to load");

  impasto_painting_list_set_weight (list, 0, 0.0);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 0), ==, 0.0);
  impasto_painting_list_set_weight (list, 1, 0.0);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 1), >, 0.0);
  g_assert_cmpfloat (impasto_painting_list_get_share (list, 1), ==, 1.0);
  test_app_wait_until (toast_shown, (gpointer) "One painting must always count", 10,
                       "the toast saying why the weight stays");
  {
    g_autoptr(GVariant) weights = g_settings_get_value (window->settings, "painting-weights");
    double second;

    g_variant_get_child (weights, 1, "d", &second);
    g_assert_cmpfloat (second, >, 0.0);
  }

  impasto_painting_list_remove (list, 1);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 0), ==, 1.0);
}

/* Add Painting: a paste while it has the focus adds a painting, or nothing when the clipboard
 * holds no picture; it stops at eight, and says why. */
static void
check_add (ImpastoWindow *window)
{
  ImpastoPaintingList *list = window->painting_list;
  GtkWidget *add = test_app_find_actionable (GTK_WIDGET (list), "paintings.add");
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  g_autoptr(GdkPixbuf) pixbuf = test_app_picture_new (24, 20, 0.7);
  g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
  const char *tooltip;

  g_assert_nonnull (add);
  g_assert_true (gtk_widget_get_sensitive (add));
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 1);

  /* Text is no picture: the painting the paste would have filled does not stay. */
  gdk_clipboard_set_text (clipboard, "not a picture");
  g_assert_true (gtk_widget_grab_focus (add));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  test_app_wait_until (toast_shown, (gpointer) "There is no picture on the clipboard", 10,
                       "the toast saying the clipboard has no picture");
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 1);

  /* A picture becomes the second painting, and the toast says where it went. */
  gdk_clipboard_set_texture (clipboard, texture);
  g_assert_true (gtk_widget_grab_focus (add));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  test_app_wait_until (toast_shown, (gpointer) "Pasted as a painting to blend in", 10,
                       "the toast naming the new painting");
  test_app_wait_until (paintings_loaded, list, 30, "the pasted painting");
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 2);
  g_assert_cmpint (gdk_pixbuf_get_width (impasto_image_well_get_pixbuf (
                     impasto_painting_list_get_well (list, 1))), ==, 24);
  /* A pasted picture has no file to come back from: its place is kept empty. */
  {
    g_auto(GStrv) uris = g_settings_get_strv (window->settings, "painting-uris");

    g_assert_cmpuint (g_strv_length (uris), ==, 1);
    g_assert_cmpstr (uris[0], ==, "");
  }

  /* Up to eight, then no more. */
  while (impasto_painting_list_get_n_paintings (list) < IMPASTO_MAX_PAINTINGS)
    g_assert_nonnull (impasto_painting_list_add (list));
  g_assert_null (impasto_painting_list_add (list));
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 8);
  g_assert_false (gtk_widget_get_sensitive (add));
  tooltip = gtk_widget_get_tooltip_text (add);
  g_assert_nonnull (strstr (tooltip, "At most 8 paintings"));
  /* Each but the first can be removed, by its own button. */
  {
    GtkWidget *remove = test_app_find_actionable (GTK_WIDGET (list), "paintings.remove");
    GVariant *target;

    g_assert_nonnull (remove);
    target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (remove));
    g_assert_cmpint (g_variant_get_int32 (target), ==, 1);
    g_signal_emit_by_name (remove, "clicked");
  }
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 7);
  g_assert_true (gtk_widget_get_sensitive (add));
  while (impasto_painting_list_get_n_paintings (list) > 1)
    impasto_painting_list_remove (list, 1);
}

/* Values of the wrong number for the paintings stored are not used, with a message. */
static void
check_wrong_length (ImpastoWindow *window)
{
  g_autofree char *second = uri_for (test.second);
  const char *uris[] = { second, NULL };
  ImpastoWindow *other;
  ImpastoPaintingList *list;

  g_settings_set_strv (window->settings, "painting-uris", uris);
  g_settings_set_value (window->settings, "painting-weights",
                        g_variant_new_parsed ("[0.2, 0.4, 0.6]"));
  g_settings_set_value (window->settings, "painting-scales", g_variant_new_parsed ("[1.0, 0.5]"));

  other = impasto_window_new (test.run.app);
  g_test_expect_message ("impasto-window", G_LOG_LEVEL_MESSAGE,
                         "*painting-weights*3 values for 2 paintings*ignored*");
  impasto_window_restore_images (other);
  g_test_assert_expected_messages ();
  list = other->painting_list;
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 2);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 0), ==, 1.0);
  g_assert_cmpfloat (impasto_painting_list_get_weight (list, 1), ==, 1.0);
  g_assert_cmpfloat (impasto_painting_list_get_scale (list, 1), ==, 0.5);
  test_app_wait_until (paintings_loaded, list, 30, "the other window's paintings");
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
well_has_picture (gpointer data)
{
  return impasto_image_well_get_pixbuf (data) != NULL && !impasto_image_well_get_loading (data);
}

static gboolean
shows_recolored (gpointer data)
{
  return impasto_image_well_get_shown_pixbuf (data) != NULL;
}

static void
statistics (GdkPixbuf *pixbuf,
            double     mean[3],
            double     cov[9])
{
  g_autofree float *rgb = impasto_image_to_rgb_floats (pixbuf);

  impasto_colors_statistics (rgb, (size_t) gdk_pixbuf_get_width (pixbuf)
                                  * gdk_pixbuf_get_height (pixbuf), mean, cov);
}

/* A painting in colours unlike the photo's: warm, low in contrast, its channels mixed. */
static char *
write_tinted (void)
{
  g_autoptr(GdkPixbuf) pixbuf = test_app_picture_new (40, 32, 1.1);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *path = g_build_filename (test.run.dir, "tinted.png", NULL);

  for (int y = 0; y < 32; y++)
    for (int x = 0; x < 40; x++)
      {
        guint8 *p = pixels + y * stride + 3 * x;
        double r = p[0], g = p[1], b = p[2];

        p[0] = (guint8) (150.0 + 0.4 * r);
        p[1] = (guint8) (60.0 + 0.2 * r + 0.2 * g);
        p[2] = (guint8) (20.0 + 0.1 * b);
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static void
check_colors (ImpastoWindow *window)
{
  g_autofree char *tinted = write_tinted ();
  g_autoptr(GFile) tinted_file = g_file_new_for_path (tinted);
  g_autoptr(GFile) photo_file = g_file_new_for_path (test.run.content);
  ImpastoImageWell *well = impasto_painting_list_add (window->painting_list);
  GdkPixbuf *painting;
  double photo_mean[3], photo_cov[9], mean[3], cov[9], painting_mean[3], painting_cov[9];
  double scale = 0.0, painting_off = 0.0;

  impasto_image_well_load_file (window->content_well, photo_file);
  impasto_image_well_load_file (well, tinted_file);
  test_app_wait_until (paintings_loaded, window->painting_list, 30, "the tinted painting");
  test_app_wait_until (well_has_picture, window->content_well, 30, "the photo");
  painting = impasto_image_well_get_pixbuf (well);
  g_assert_null (impasto_image_well_get_shown_pixbuf (well));

  /* The row sets the setting... */
  adw_combo_row_set_selected (window->colors_row, IMPASTO_COLORS_HISTOGRAM);
  g_assert_cmpint (g_settings_get_enum (window->settings, "preserve-colors"), ==,
                   IMPASTO_COLORS_HISTOGRAM);
  g_assert_nonnull (strstr (gtk_label_get_label (window->colors_hint), "recoloured"));

  /* ...and each well shows its painting with the photo's mean and covariance (the pictures are
   * smaller than a thumbnail, so they are measured at full size; 8-bit rounding and the clamp
   * to 0..255 are all that part them), while its picture stays the painting as loaded. */
  test_app_wait_until (shows_recolored, well, 30, "the recoloured painting");
  test_app_wait_until (shows_recolored, window->style_well, 30, "the first painting recoloured");
  g_assert_true (impasto_image_well_get_pixbuf (well) == painting);
  statistics (impasto_image_well_get_pixbuf (window->content_well), photo_mean, photo_cov);
  statistics (impasto_image_well_get_shown_pixbuf (well), mean, cov);
  statistics (painting, painting_mean, painting_cov);
  for (int i = 0; i < 9; i++)
    {
      scale = MAX (scale, fabs (photo_cov[i]));
      painting_off = MAX (painting_off, fabs (painting_cov[i] - photo_cov[i]));
    }
  /* The painting itself is far from the photo's colours. */
  g_assert_cmpfloat (painting_off, >, 0.5 * scale);
  g_assert_cmpfloat (fabs (painting_mean[2] - photo_mean[2]), >, 50.0);
  for (int c = 0; c < 3; c++)
    {
      g_test_message ("mean %d: photo %.3f, painting %.3f, recoloured %.3f", c, photo_mean[c],
                      painting_mean[c], mean[c]);
      g_assert_cmpfloat (fabs (mean[c] - photo_mean[c]), <, 1.0);
    }
  for (int i = 0; i < 9; i++)
    {
      g_test_message ("cov %d: photo %.2f, painting %.2f, recoloured %.2f", i, photo_cov[i],
                      painting_cov[i], cov[i]);
      /* The clamp costs the stretched painting up to 2% of its variance here. */
      g_assert_cmpfloat (fabs (cov[i] - photo_cov[i]), <, 0.03 * scale);
    }

  /* The parameter sets the row and the setting; the painting shows as it is again. */
  g_object_set (window->params, "preserve-colors", IMPASTO_COLORS_SWAP, NULL);
  g_assert_cmpint (adw_combo_row_get_selected (window->colors_row), ==, IMPASTO_COLORS_SWAP);
  g_assert_cmpint (g_settings_get_enum (window->settings, "preserve-colors"), ==,
                   IMPASTO_COLORS_SWAP);
  g_assert_null (impasto_image_well_get_shown_pixbuf (well));

  /* Reset to Defaults takes it back to the paintings' colours. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-controls", NULL);
  g_assert_cmpint (adw_combo_row_get_selected (window->colors_row), ==, IMPASTO_COLORS_NONE);
  g_assert_cmpint (g_settings_get_enum (window->settings, "preserve-colors"), ==,
                   IMPASTO_COLORS_NONE);

  impasto_painting_list_remove (window->painting_list, 1);
  g_unlink (tinted);
}

typedef struct
{
  ImpastoJob *job;
  int iteration;
} Until;

static gboolean
worker_reached (gpointer data)
{
  Until *until = data;

  return impasto_job_get_worker_iteration (until->job) >= until->iteration;
}

/* @n more iterations of the worker. */
static void
wait_iterations (ImpastoJob *job,
                 int         n)
{
  Until until = { job, impasto_job_get_worker_iteration (job) + n };

  test_app_wait_until (worker_reached, &until, 60, "the run's iterations");
}

typedef struct
{
  ImpastoJob *job;
  int passes;
} Passes;

static gboolean
passes_reached (gpointer data)
{
  Passes *passes = data;

  return impasto_job_get_painting_passes (passes->job) >= passes->passes;
}

static gboolean
shows_painted_frame (gpointer data)
{
  return impasto_job_get_iteration (data) > 0;
}

static gboolean
is_paused (gpointer data)
{
  return impasto_job_get_state (data) == IMPASTO_JOB_PAUSED;
}

static void
check_run (ImpastoWindow *window)
{
  ImpastoPaintingList *list = window->painting_list;
  g_autoptr(GFile) second = g_file_new_for_path (test.second);
  g_autoptr(GFile) third = g_file_new_for_path (test.third);
  ImpastoSessionParams params;
  ImpastoJob *job;
  Passes passes;
  int before;

  /* One small size, many iterations: the passes over the paintings are the changes' alone. */
  g_object_set (window->params, "size", 32, "min-size", 64, "iterations", 100000, NULL);
  impasto_image_well_load_file (impasto_painting_list_add (list), second);
  test_app_wait_until (paintings_loaded, list, 30, "the second painting");
  g_assert_cmpint (impasto_painting_list_get_n_paintings (list), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  job = window->job;
  g_assert_nonnull (job);
  g_assert_cmpint (impasto_job_get_n_paintings (job), ==, 2);
  wait_iterations (job, 2);
  impasto_job_set_paused (job, TRUE);
  test_app_wait_until (is_paused, job, 60, "the run to pause");
  before = impasto_job_get_painting_passes (job);

  /* A weight: in the job at once, no pass over the paintings. */
  impasto_painting_list_set_weight (list, 1, 0.3);
  impasto_job_get_params (job, &params);
  g_assert_cmpfloat (params.painting_weights[0], ==, 1.0f);
  g_assert_cmpfloat (params.painting_weights[1], ==, 0.3f);
  impasto_job_set_paused (job, FALSE);
  wait_iterations (job, 3);
  g_assert_cmpint (impasto_job_get_painting_passes (job), ==, before);

  /* A brush size: exactly one pass, over that painting. */
  impasto_painting_list_set_scale (list, 1, 0.5);
  g_assert_cmpfloat (impasto_job_get_painting_scale (job, 1), ==, 0.5);
  passes.job = job;
  passes.passes = before + 1;
  test_app_wait_until (passes_reached, &passes, 60, "the pass over the resized painting");
  wait_iterations (job, 3);
  g_assert_cmpint (impasto_job_get_painting_passes (job), ==, before + 1);
  g_assert_true (window->job == job);

  /* The photo's colours laid over, and taken off again, in the same run. */
  g_object_set (window->params, "preserve-colors", IMPASTO_COLORS_SWAP, NULL);
  g_assert_cmpint (impasto_job_get_colors (job), ==, IMPASTO_COLORS_SWAP);
  g_object_set (window->params, "preserve-colors", IMPASTO_COLORS_NONE, NULL);
  g_assert_cmpint (impasto_job_get_colors (job), ==, IMPASTO_COLORS_NONE);
  g_assert_true (window->job == job);
  g_assert_true (impasto_job_is_active (job));
  g_assert_null (window->restart_dialog);

  /* Light and shade only needs a new start: asked, kept, and waiting in the notice. */
  test_app_wait_until (shows_painted_frame, job, 60, "a painted frame (a new start asks then)");
  g_object_set (window->params, "preserve-colors", IMPASTO_COLORS_LUMINANCE, NULL);
  g_assert_nonnull (window->restart_dialog);
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (window->restart_dialog),
                                   "Changing how the photo's colours are kept needs a new "
                                   "start."));
  adw_message_dialog_response (window->restart_dialog, "keep");
  gtk_window_destroy (GTK_WINDOW (window->restart_dialog));
  g_assert_true (window->job == job);
  g_assert_cmpint (impasto_job_get_colors (job), ==, IMPASTO_COLORS_NONE);
  g_assert_nonnull (strstr (gtk_label_get_label (window->pending_label), "Colours"));

  /* So does another painting. */
  impasto_image_well_load_file (impasto_painting_list_add (list), third);
  test_app_wait_until (paintings_loaded, list, 30, "the third painting");
  g_assert_nonnull (strstr (gtk_label_get_label (window->pending_label), "Paintings"));
  g_assert_true (window->job == job);
  g_assert_cmpint (impasto_job_get_n_paintings (job), ==, 2);

  /* Its weight is not the run's; the run's paintings keep theirs. */
  impasto_painting_list_set_weight (list, 2, 0.2);
  impasto_job_get_params (job, &params);
  g_assert_cmpfloat (params.painting_weights[1], ==, 0.3f);

  impasto_job_stop (job);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;

  check_restored (window);
  check_changes (window);
  check_zero_weights (window);
  check_add (window);
  check_colors (window);
  check_wrong_length (window);
  check_run (window);

  /* Gone without a question: this test keeps nothing. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.run.window);
  gtk_window_destroy (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_paintings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");
  g_autofree char *style_uri = NULL;
  g_autofree char *second_uri = NULL;
  g_autofree char *third_uri = NULL;
  g_autofree char *gone_uri = NULL;
  g_autofree char *gone = NULL;

  test_window_run_init (&test.run);
  test.second = test_app_write_picture (test.run.dir, "second.png", 32, 32, 0.9);
  test.third = test_app_write_picture (test.run.dir, "third.png", 36, 30, 1.7);
  gone = g_build_filename (test.run.dir, "gone.png", NULL);
  style_uri = uri_for (test.run.style);
  second_uri = uri_for (test.second);
  third_uri = uri_for (test.third);
  gone_uri = uri_for (gone);

  /* Four paintings stored; the third's file is gone. */
  g_settings_set_string (settings, "content-uri", "");
  g_settings_set_string (settings, "style-uri", style_uri);
  {
    const char *uris[] = { second_uri, gone_uri, third_uri, NULL };

    g_settings_set_strv (settings, "painting-uris", uris);
  }
  g_settings_set_value (settings, "painting-weights",
                        g_variant_new_parsed ("[0.5, 0.25, 0.9, 0.75]"));
  g_settings_set_value (settings, "painting-scales",
                        g_variant_new_parsed ("[1.0, 0.5, 1.5, 2.0]"));

  test_window_run (&test.run, test_body, TEST_WINDOW_OPEN_NOTHING);
  g_assert_null (test.run.window);

  test_window_run_clear (&test.run);
  g_clear_pointer (&test.second, g_free);
  g_clear_pointer (&test.third, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window/paintings", test_window_paintings);

  return g_test_run ();
}
