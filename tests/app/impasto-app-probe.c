/* impasto-app-probe.c
 *
 * Runs the real application window on a model and two pictures (`--start`), and either saves a
 * screenshot of the window once the run is a given number of iterations in (--screenshot), or
 * measures for a while how many frames a second reach the canvas and how long the main thread
 * is ever kept from its main loop (--measure), or times what a person waits for (--latency): from
 * Start (pressed once the model, its filters and both pictures are ready) to the run's first
 * picture drawn on the canvas, and, once the run is --after
 * iterations in, from a change of β to the first picture painted with it drawn on the canvas.
 * With --regions, the run's first picture is followed by two painted regions (Regions mode on,
 * the photo kept in the middle, the painting weighted twice along the top) for the screenshot;
 * with --scrub N, the snapshot nearest iteration N is chosen on the timeline for it.
 * For data/screenshot/make-screenshot.sh and the numbers in the README; not a test.
 *
 * The main-thread measure is a 5 ms timeout whose lateness is recorded: anything that holds the
 * main loop (building a texture, drawing the canvas and the plot, a slider answering) shows up
 * as lateness. The window is drawn with its own renderer into a texture for the screenshot, so
 * the picture is exactly the window, without a window manager.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-app-probe"

#include "config.h"

#include <stdlib.h>

#include "impasto-application.h"
#include "impasto-latest-slot.h"
#include "impasto-window-private.h"
#include "test-app-support.h"

#define TICK_MS 5

static char *model_path;
static gboolean tiny;
static gboolean random_full;
static char *screenshot;
static int after_iterations = 30;
static double measure_seconds;
static int width = 1180;
static int height = 760;
static gboolean dark;
static gboolean show_controls = TRUE;
static int size = 512;
static int run_iterations = 1000;
static char **sets;
static gboolean latency;
static const char *photo_arg;
static const char *painting_arg;
static gboolean regions;
static int scrub = -1;

static ImpastoWindow *window;
static guint n_paintables;
static gint64 measure_start;
static gint64 last_tick;
static gint64 max_late;
static GArray *lates;
static int first_iteration;
static gint64 paint_start;
static gint64 paint_max;
static gint64 paint_total;
static guint n_paints;

static void
on_before_paint_cb (void)
{
  paint_start = g_get_monotonic_time ();
}

/* Layout and drawing of one frame of the window, on the main thread. */
static void
on_after_paint_cb (void)
{
  gint64 took = g_get_monotonic_time () - paint_start;

  if (measure_start == 0 || paint_start == 0)
    return;
  paint_max = MAX (paint_max, took);
  paint_total += took;
  n_paints++;
}

/* --latency ---------------------------------------------------------------------------------- */

typedef enum
{
  LATENCY_WAIT_JOB,
  LATENCY_WAIT_PICTURE,      /* the first frame, until it is drawn */
  LATENCY_WAIT_ITERATIONS,   /* --after iterations before changing β */
  LATENCY_WAIT_BETA,         /* a frame painted with the new β, until it is drawn */
  LATENCY_DONE,
} LatencyStep;

static LatencyStep latency_step;
static gint64 latency_start;
static gint64 beta_start;
static double new_beta;
static gboolean shown_pending;  /* the awaited frame is on the canvas; the next paint draws it */

static int
first_iteration_with_beta (ImpastoJob *job,
                           double      beta)
{
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (job, &n);

  for (guint i = 0; i < n; i++)
    if (records[i].iteration > 0 && records[i].beta == beta)
      return records[i].iteration;
  return -1;
}

static void
latency_after_paint_cb (void)
{
  gint64 now = g_get_monotonic_time ();
  ImpastoJob *job = window->job;

  if (!shown_pending)
    return;
  shown_pending = FALSE;
  if (latency_step == LATENCY_WAIT_PICTURE)
    {
      int w, h;

      impasto_job_get_scale_size (job, impasto_job_get_scale (job), &w, &h);
      g_print ("first picture on the canvas %.3f s after Start (size %d of %d, %d×%d)\n",
               (now - latency_start) / 1e6, impasto_job_get_scale (job) + 1,
               impasto_job_get_n_scales (job), w, h);
      latency_step = LATENCY_WAIT_ITERATIONS;
    }
  else if (latency_step == LATENCY_WAIT_BETA)
    {
      int w, h;

      impasto_job_get_scale_size (job, impasto_job_get_scale (job), &w, &h);
      g_print ("a picture painted with the new beta on the canvas %.3f s after the change "
               "(at iteration %d, size %d of %d, %d×%d)\n", (now - beta_start) / 1e6,
               impasto_job_get_iteration (job), impasto_job_get_scale (job) + 1,
               impasto_job_get_n_scales (job), w, h);
      latency_step = LATENCY_DONE;
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
latency_frame_cb (void)
{
  ImpastoJob *job = window->job;

  if (job == NULL)
    return;
  if (latency_step == LATENCY_WAIT_PICTURE && impasto_job_get_iteration (job) >= 0)
    shown_pending = TRUE;
  else if (latency_step == LATENCY_WAIT_ITERATIONS
           && impasto_job_get_iteration (job) >= after_iterations)
    {
      double beta;

      g_object_get (window->params, "beta", &beta, NULL);
      new_beta = beta * 10.0;
      beta_start = g_get_monotonic_time ();
      latency_step = LATENCY_WAIT_BETA;
      g_object_set (window->params, "beta", new_beta, NULL);
    }
  else if (latency_step == LATENCY_WAIT_BETA)
    {
      int first = first_iteration_with_beta (job, new_beta);

      if (first > 0 && impasto_job_get_iteration (job) >= first)
        shown_pending = TRUE;
    }
}

static gboolean
well_ready (ImpastoImageWell *well)
{
  return impasto_image_well_get_pixbuf (well) != NULL && !impasto_image_well_get_loading (well);
}

/* Waits, as a person would, for the model (its filters too) and both pictures, then presses
 * Start: the time counts from there. */
static gboolean
latency_poll_cb (gpointer data)
{
  GApplication *app = g_application_get_default ();
  ImpastoModel *model = NULL;
  GdkFrameClock *clock;

  if (window == NULL || app == NULL)
    return G_SOURCE_CONTINUE;
  g_object_get (app, "model", &model, NULL);
  if (model == NULL || impasto_model_get_filters (model) == NULL
      || !well_ready (window->content_well) || !well_ready (window->style_well))
    {
      g_clear_object (&model);
      return G_SOURCE_CONTINUE;
    }
  g_clear_object (&model);
  latency_start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  if (window->job == NULL)
    g_error ("Start did not start a run");
  latency_step = LATENCY_WAIT_PICTURE;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (latency_after_paint_cb), NULL);
  g_signal_connect (window->job, "notify::iteration", G_CALLBACK (latency_frame_cb), NULL);
  return G_SOURCE_REMOVE;
}

static void
save_screenshot (void)
{

  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, screenshot))
    g_error ("could not write %s", screenshot);
  g_print ("screenshot %s (%d×%d) at iteration %d\n", screenshot, w, h,
           impasto_job_get_iteration (window->job));
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
report (void)
{
  double seconds = (g_get_monotonic_time () - measure_start) / (double) G_USEC_PER_SEC;
  int iterations = impasto_job_get_worker_iteration (window->job) - first_iteration;
  guint pushed, delivered, dropped;

  impasto_latest_slot_get_counts (impasto_job_get_frame_slot (window->job), &pushed, &delivered,
                                 &dropped);
  g_array_sort (lates, compare_int64);
  g_print ("measured %.1f s with %s\n", seconds,
           tiny ? "the tiny test network"
                : random_full ? "a full-size VGG19 with random weights" : model_path);
  {
    int w = 0, h = 0;

    impasto_job_get_pixels (window->job, &w, &h, NULL);
    g_print ("size %d×%d\n", w, h);
  }
  g_print ("iterations %d (%.2f/s, %.1f ms each)\n", iterations, iterations / seconds,
           iterations > 0 ? seconds * 1000.0 / iterations : 0.0);
  g_print ("frames on the canvas %u (%.2f/s); frames pushed %u, dropped unseen %u\n",
           n_paintables, n_paintables / seconds, pushed, dropped);
  g_print ("window paints %u: mean %.2f ms, max %.2f ms (layout + drawing)\n", n_paints,
           n_paints > 0 ? paint_total / 1000.0 / n_paints : 0.0, paint_max / 1000.0);
  g_print ("main loop lateness over %u ticks of %d ms: median %.2f ms, p99 %.2f ms, max %.2f ms\n",
           lates->len, TICK_MS,
           g_array_index (lates, gint64, lates->len / 2) / 1000.0,
           g_array_index (lates, gint64, lates->len * 99 / 100) / 1000.0,
           max_late / 1000.0);
}

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - last_tick - TICK_MS * 1000;

  if (late < 0)
    late = 0;
  g_array_append_val (lates, late);
  max_late = MAX (max_late, late);
  last_tick = now;

  if (now - measure_start >= measure_seconds * G_USEC_PER_SEC)
    {
      report ();
      /* Gone without the question about saving the painting: the probe keeps nothing. */
      gtk_window_destroy (GTK_WINDOW (window));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_paintable_cb (void)
{
  if (measure_start != 0)
    n_paintables++;
}

/* One soft stroke through (@x0, @y0) .. (@x1, @y1), in shares of the picture's sides. */
static void
region_stroke (int    index,
               double radius,
               double x0,
               double y0,
               double x1,
               double y1)
{
  ImpastoRegionMasks *masks = window->region_masks;
  int w = impasto_region_masks_get_width (masks);
  int h = impasto_region_masks_get_height (masks);

  impasto_region_masks_begin_stroke (masks, index, IMPASTO_BRUSH_PAINT, radius * w, 0.6);
  impasto_region_masks_add_dab (masks, x0 * w, y0 * h);
  impasto_region_masks_add_dab (masks, x1 * w, y1 * h);
  impasto_region_masks_end_stroke (masks);
}

/* Regions mode with two regions, handed to the run as a person's strokes are. */
static void
paint_regions (void)
{
  g_object_set (window, "regions-mode", TRUE, NULL);
  impasto_region_masks_set_painting (window->region_masks, 0, IMPASTO_REGION_KEEP_PHOTO);
  region_stroke (0, 0.12, 0.42, 0.62, 0.58, 0.7);
  impasto_region_panel_add_region (window->region_panel);
  impasto_region_masks_set_weight (window->region_masks, 1, 2.0);
  region_stroke (1, 0.14, 0.0, 0.12, 1.0, 0.12);
}

static void
on_iteration_cb (ImpastoJob *job)
{
  static gboolean painted;

  if (regions && !painted && impasto_job_get_iteration (job) >= 0)
    {
      painted = TRUE;
      paint_regions ();
    }
  if (impasto_job_get_iteration (job) < after_iterations)
    return;

  g_signal_handlers_disconnect_by_func (job, on_iteration_cb, NULL);

  if (screenshot != NULL)
    {
      /* A folded sidebar hides itself; show it if asked to. */
      adw_flap_set_reveal_flap (window->flap, show_controls);
      if (scrub >= 0)
        {
          impasto_timeline_refresh (window->timeline);
          impasto_timeline_set_selected (window->timeline, scrub);
        }
      /* Let the canvas draw this frame first. */
      g_timeout_add_once (200, (GSourceOnceFunc) save_screenshot, NULL);
      g_timeout_add_once (400, (GSourceOnceFunc) gtk_window_destroy, window);
    }
  else
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

      g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint_cb), NULL);
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
      measure_start = last_tick = g_get_monotonic_time ();
      first_iteration = impasto_job_get_worker_iteration (job);
      lates = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_timeout_add (TICK_MS, tick_cb, NULL);
    }
}

static void
on_job_cb (GtkWidget *canvas)
{
  static gboolean watching;

  if (window->job != NULL && !watching)
    {
      watching = TRUE;
      g_signal_connect (window->job, "notify::iteration", G_CALLBACK (on_iteration_cb), NULL);
    }
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *added)
{
  if (!IMPASTO_IS_WINDOW (added) || window != NULL)
    return;

  window = IMPASTO_WINDOW (added);
  gtk_window_set_default_size (added, width, height);
  adw_flap_set_reveal_flap (window->flap, show_controls);
  if (latency)
    {
      g_autoptr(GFile) photo = g_file_new_for_commandline_arg (photo_arg);
      g_autoptr(GFile) painting = g_file_new_for_commandline_arg (painting_arg);

      impasto_window_open (window, photo, painting);
      g_timeout_add (1, latency_poll_cb, NULL);
      return;
    }
  g_signal_connect (window->canvas, "notify::paintable", G_CALLBACK (on_paintable_cb), NULL);
  /* The job exists once the run starts; the canvas changes for the first time soon after. */
  g_signal_connect_swapped (window->canvas, "notify::paintable", G_CALLBACK (on_job_cb), NULL);
}

/* VGG19's real channel counts with He-scaled random weights: the same cost as the real model,
 * without reading 500 MB. */
static ImpastoModel *
random_model_new (void)
{
  static const int channels[IMPASTO_VGG19_N_CONVS + 1] = {
    3, 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512,
  };
  float *filters[IMPASTO_VGG19_N_CONVS], *biases[IMPASTO_VGG19_N_CONVS];
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };
  GRand *rand = g_rand_new_with_seed (19);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      size_t n = (size_t) channels[i + 1] * channels[i] * 9;
      double bound = sqrt (6.0 / (9.0 * channels[i]));

      filters[i] = g_new (float, n);
      biases[i] = g_new0 (float, channels[i + 1]);
      for (size_t k = 0; k < n; k++)
        filters[i][k] = (float) g_rand_double_range (rand, -bound, bound);
    }
  if (impasto_weights_new (&weights, channels, (const float *const *) filters,
                           (const float *const *) biases, NULL, &error) != IMPASTO_STATUS_OK)
    g_error ("random network: %s", error.message);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      g_free (filters[i]);
      g_free (biases[i]);
    }
  g_rand_free (rand);
  return impasto_model_new_for_weights (weights, "random VGG19");
}

static void
on_startup_cb (void)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model_path, "VGG19 .mat file", "FILE" },
    { "tiny", 0, 0, G_OPTION_ARG_NONE, &tiny, "Use a tiny random network in memory", NULL },
    { "random", 0, 0, G_OPTION_ARG_NONE, &random_full,
      "Use a full-size VGG19 with random weights in memory", NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot, "Save the window as PNG", "FILE" },
    { "after", 0, 0, G_OPTION_ARG_INT, &after_iterations, "Iterations before acting (30)", "N" },
    { "measure", 0, 0, G_OPTION_ARG_DOUBLE, &measure_seconds, "Measure for this long", "S" },
    { "latency", 0, 0, G_OPTION_ARG_NONE, &latency,
      "Time the first picture, then a change of beta after --after iterations", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "H" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Output size (512)", "N" },
    { "iterations", 0, 0, G_OPTION_ARG_INT, &run_iterations, "Iterations of the run (1000)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a setting first, e.g. beta=2000.0",
      "KEY=VALUE" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Use the dark style", NULL },
    { "regions", 0, 0, G_OPTION_ARG_NONE, &regions, "Paint two regions in Regions mode", NULL },
    { "scrub", 0, 0, G_OPTION_ARG_INT, &scrub,
      "Show the snapshot nearest this iteration for the screenshot", "N" },
    { "hide-controls", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &show_controls,
      "Fold the controls away", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("PHOTO PAINTING");
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3
      || (model_path != NULL) + tiny + random_full != 1
      || (screenshot != NULL) + (measure_seconds > 0) + latency != 1)
    {
      g_printerr ("usage: impasto-app-probe (--model FILE | --tiny | --random) "
                  "(--screenshot FILE | --measure S | --latency) PHOTO PAINTING\n%s\n",
                  error != NULL ? error->message : "");
      return 2;
    }

  settings = g_settings_new ("org.impasto.Impasto");
  g_settings_set_int (settings, "size", size);
  g_settings_set_int (settings, "iterations", run_iterations);
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (sets[i], "=", 2);
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GSettingsSchemaKey) key = NULL;
      GSettingsSchema *schema = NULL;

      g_object_get (settings, "settings-schema", &schema, NULL);
      if (pair[1] == NULL || !g_settings_schema_has_key (schema, pair[0]))
        g_error ("--set %s: not KEY=VALUE with a key of org.impasto.Impasto", sets[i]);
      key = g_settings_schema_get_key (schema, pair[0]);
      value = g_variant_parse (g_settings_schema_key_get_value_type (key), pair[1], NULL, NULL,
                               &error);
      if (value == NULL)
        g_error ("--set %s: %s", sets[i], error->message);
      g_settings_set_value (settings, pair[0], value);
      g_settings_schema_unref (schema);
    }

  app = impasto_application_new ("org.impasto.Impasto.Probe", G_APPLICATION_NON_UNIQUE);
  if (tiny || random_full)
    {
      g_autoptr(ImpastoModel) model = NULL;

      int test_argc = 1;
      char *test_argv_data[] = { argv[0], NULL };
      char **test_argv = test_argv_data;

      /* The tiny network draws its weights from GLib's seeded test generator. */
      g_test_init (&test_argc, &test_argv, NULL);
      model = tiny ? test_app_model_new () : random_model_new ();
      impasto_application_set_model (app, model);
    }
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);
  g_signal_connect_after (app, "startup", G_CALLBACK (on_startup_cb), NULL);

  photo_arg = argv[1];
  painting_arg = argv[2];
  g_ptr_array_add (args, argv[0]);
  if (!latency)
    g_ptr_array_add (args, (char *) "--start");
  if (model_path != NULL)
    {
      g_ptr_array_add (args, (char *) "--model");
      g_ptr_array_add (args, model_path);
    }
  if (!latency)
    {
      g_ptr_array_add (args, argv[1]);
      g_ptr_array_add (args, argv[2]);
    }
  g_ptr_array_add (args, NULL);

  status = g_application_run (G_APPLICATION (app), args->len - 1, (char **) args->pdata);
  g_clear_pointer (&lates, g_array_unref);
  return status;
}
