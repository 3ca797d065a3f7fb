/* test-window-tiles.c
 *
 * Print sizes under a memory limit, in the window, with the whole application under Xvfb and
 * the tiny random VGG19:
 * - the Memory Limit row offers Automatic (three quarters of this computer's memory) and lists a
 *   limit set in the settings that is not among its choices (64 MiB here) as selected;
 * - the size row's menu sets print sizes (A4 at 300 dpi: 3508 px);
 * - at a size that does not fit 64 MiB whole, the size row says the tile grid, the run paints in
 *   that grid and the status line says it ("· N × M tiles") with the time of an iteration;
 * - with L-BFGS, whose history is not tiled, the row says that Adam fits;
 * - a size too large even for tiles is shown in red with what it needs, and Start is refused with
 *   a toast that says so; nothing starts.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-tiles"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "impasto-window-private.h"
#include "test-window-support.h"

/* 64 MiB: the smallest limit, which the tiny network's larger sizes do not fit whole. */
#define LIMIT_GIB 0.0625

static TestWindowRun test;

static gboolean
has_filters (gpointer data)
{
  return impasto_model_get_filters (data) != NULL;
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
job_shows (gpointer data)
{
  ImpastoWindow *window = test.window;

  return window->job != NULL && impasto_job_get_iteration (window->job) >= 0;
}

static gboolean
job_measured (gpointer data)
{
  ImpastoWindow *window = test.window;

  return impasto_job_get_iteration (window->job) >= 1
         && impasto_job_get_ms_per_iteration (window->job) > 0.0;
}

static gboolean
finished (gpointer data)
{
  return impasto_job_get_state (data) == IMPASTO_JOB_FINISHED;
}

static gboolean
toast_shown (gpointer data)
{
  return test_app_find_label (GTK_WIDGET (test.window), data) != NULL;
}

static const char *
size_subtitle (ImpastoWindow *window)
{
  return adw_action_row_get_subtitle (window->size_row);
}

/* The grid the size row states ("… of memory in 3 × 2 tiles …"); FALSE when it states none.
 * (Not sscanf: its multibyte handling of "×" depends on the locale.) */
static gboolean
stated_tiles (ImpastoWindow *window, int *n_x, int *n_y)
{
  const char *at = strstr (size_subtitle (window), " of memory in ");
  char *end;

  if (at == NULL)
    return FALSE;
  *n_x = (int) strtol (at + strlen (" of memory in "), &end, 10);
  if (!g_str_has_prefix (end, " × "))
    return FALSE;
  *n_y = (int) strtol (end + strlen (" × "), &end, 10);
  return g_str_has_prefix (end, " tiles");
}

static const char *
selected_memory_label (ImpastoWindow *window)
{
  GListModel *model = adw_combo_row_get_model (window->memory_row);

  return gtk_string_list_get_string (GTK_STRING_LIST (model),
                                     adw_combo_row_get_selected (window->memory_row));
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.window;
  g_autoptr(GFile) photo = g_file_new_for_path (test.content);
  g_autoptr(GFile) painting = g_file_new_for_path (test.style);
  /* Fine steps: the sizes that fit only in tiles under 64 MiB are a narrow band here. */
  static const int sides[] = { 400, 480, 560, 600, 640, 680, 720, 760, 800, 880, 960, 1040, 1120 };
  g_autofree char *said = NULL;
  ImpastoJob *job;
  int side = 0;
  int n_x = 0;
  int n_y = 0;
  int job_x;
  int job_y;
  double limit;

  test_app_wait_until (has_filters, test.model, 30, "the model's filters");

  /* The limit from the settings is listed and selected; the first choice is Automatic. */
  /* GLib puts a no-break space between number and unit. */
  g_assert_cmpstr (selected_memory_label (window), ==, "64.0\u00a0MiB");
  g_assert_true (g_str_has_prefix (
    gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (window->memory_row)),
                                0), "Automatic"));
  g_assert_cmpuint (impasto_params_get_max_bytes (window->params), ==,
                    G_GUINT64_CONSTANT (64) << 20);

  /* The print sizes of the size row's menu. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-size", "i", 3508);
  g_assert_cmpint (impasto_params_get_size (window->params), ==, 3508);

  /* The first of these sides that does not fit whole: the row says its grid. */
  impasto_window_open (window, photo, painting);
  test_app_wait_until (pictures_loaded, window, 30, "the pictures");
  for (guint i = 0; i < G_N_ELEMENTS (sides) && side == 0; i++)
    {
      g_object_set (window->params, "size", sides[i], "min-size", sides[i], NULL);
      g_test_message ("%d px: %s", sides[i], size_subtitle (window));
      if (stated_tiles (window, &n_x, &n_y))
        side = sides[i];
    }
  g_test_message ("%d px: %s", side, size_subtitle (window));
  g_assert_cmpint (side, >, 0);
  g_assert_cmpint (n_x * n_y, >, 1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->size_row), "error"));
  g_assert_nonnull (strstr (size_subtitle (window), "more than"));

  /* The run paints in that grid and says so, with the time of an iteration. */
  g_assert_true (_impasto_window_start (window));
  test_app_wait_until (job_shows, NULL, 120, "the run's first frame");
  test_app_wait_until (job_measured, NULL, 300, "a tiled iteration");
  job = window->job;
  impasto_job_get_tiles (job, &job_x, &job_y);
  g_assert_cmpint (job_x, ==, n_x);
  g_assert_cmpint (job_y, ==, n_y);
  said = g_strdup_printf (" · %d × %d tiles", n_x, n_y);
  g_assert_true (g_str_has_suffix (gtk_label_get_label (window->iteration_label), said));
  g_test_message ("status: %s | %s", gtk_label_get_label (window->iteration_label),
                  gtk_label_get_label (window->time_label));
  /* (Its words are kept together with no-break spaces.) */
  g_assert_nonnull (strstr (gtk_label_get_label (window->time_label), "iteration"));
  test_app_wait_until (finished, job, 300, "the tiled run");
  g_assert_true (g_str_has_suffix (gtk_label_get_label (window->iteration_label), said));

  /* L-BFGS's history is not tiled: where it does not fit and Adam does, the row says so. */
  g_object_set (window->params, "optimizer", IMPASTO_OPTIMIZER_LBFGS, NULL);
  g_test_message ("%d px with L-BFGS: %s", side, size_subtitle (window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->size_row), "error"));
  g_assert_nonnull (strstr (size_subtitle (window), "with L-BFGS, whose history is not painted "
                                                    "in tiles; with Adam about "));
  g_object_set (window->params, "optimizer", IMPASTO_OPTIMIZER_ADAM, NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->size_row), "error"));

  /* Too large even for tiles: red, with what it needs; Start says so and starts nothing. */
  g_object_get (window->params, "max-memory", &limit, NULL);
  g_assert_cmpfloat (limit, ==, LIMIT_GIB);
  g_object_set (window->params, "size", IMPASTO_SIZE_MAX, "min-size", IMPASTO_SIZE_MAX, NULL);
  g_test_message ("%d px: %s", IMPASTO_SIZE_MAX, size_subtitle (window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->size_row), "error"));
  g_assert_nonnull (strstr (size_subtitle (window), "even in tiles, more than the limit of "
                                                    "64.0\u00a0MiB"));
  g_assert_false (_impasto_window_start (window));
  g_assert_true (window->job == job);
  test_app_wait_until (toast_shown, (gpointer) "Cannot start: A 16384 × ", 10,
                       "the toast saying why");

  /* Back to a size that fits: the row is no longer red. */
  g_object_set (window->params, "size", side, NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->size_row), "error"));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &test.window);
  gtk_window_destroy (GTK_WINDOW (window));
  test.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_tiles (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test);

  g_settings_set_double (settings, "max-memory", LIMIT_GIB);
  g_settings_set_int (settings, "iterations", 2);
  g_settings_set_string (settings, "optimizer", "adam");
  g_settings_set_string (settings, "content-uri", "");
  g_settings_set_string (settings, "style-uri", "");

  test_window_run (&test, test_body, TEST_WINDOW_OPEN_NOTHING);
  g_assert_null (test.window);

  test_window_run_clear (&test);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything asks GLib where the cache is. */
  char *cache = test_window_cache_new ();
  int status;

  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();
  g_test_add_func ("/window-tiles/limit-sizes-and-grid", test_window_tiles);
  status = g_test_run ();

  test_window_cache_remove (cache);
  return status;
}
