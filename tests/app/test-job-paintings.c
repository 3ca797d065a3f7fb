/* test-job-paintings.c
 *
 * ImpastoJob with two paintings on a tiny random VGG19: a weight handed over mid-run is in force
 * at the next iterations with no new forward pass over the paintings; a new brush size costs
 * exactly one (that painting's); the shown picture takes the photo's chroma when swap is switched
 * on mid-run and gives it back when it is switched off, from the same painted picture; luminance
 * cannot be switched to live.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job-paintings"

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "impasto-job.h"
#include "test-app-support.h"

typedef struct
{
  ImpastoModel *model;
  GdkPixbuf *content;
  GdkPixbuf *paintings[2];
  ImpastoJob *job;
  gboolean done;
  GError *error;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  fixture->model = test_app_model_new ();
  fixture->content = test_app_picture_new (40, 32, 0.0);
  fixture->paintings[0] = test_app_picture_new (24, 24, 1.7);
  fixture->paintings[1] = test_app_picture_new (36, 20, 0.4);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  if (fixture->job != NULL)
    {
      impasto_job_stop (fixture->job);
      test_app_wait_until (is_done, fixture, 60, "the run to stop");
      g_object_add_weak_pointer (G_OBJECT (fixture->job), (gpointer *) &fixture->job);
      g_object_unref (fixture->job);
      g_assert_null (fixture->job);
    }
  g_clear_error (&fixture->error);
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->content);
  g_clear_object (&fixture->paintings[0]);
  g_clear_object (&fixture->paintings[1]);
}

static void
run_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fixture *fixture = user_data;

  impasto_job_run_finish (IMPASTO_JOB (object), result, &fixture->error);
  fixture->done = TRUE;
}

/* Far more steps than a test waits for: the tiny network paints a thousand in well under a
 * second, and a run that ended before the test paused it (seen in CI) would never pause. The
 * teardown stops the run. */
#define RUN_ITERATIONS 1000000

static void
start_job (Fixture *fixture, int iterations)
{
  ImpastoJobSettings settings = { 0 };
  ImpastoJobPainting paintings[2] = {
    { fixture->paintings[0], 1.0 },
    { fixture->paintings[1], 1.0 },
  };

  impasto_session_params_init_default (&settings.params);
  impasto_session_config_init_default (&settings.config);
  settings.size = 32;
  /* One size: the passes over the paintings are those of the changes alone. */
  settings.min_side = 64;
  settings.iterations = iterations;
  settings.threads = 1;
  settings.colors = IMPASTO_COLORS_NONE;
  fixture->job = impasto_job_new (fixture->model, fixture->content, paintings, 2, &settings);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
}

typedef struct
{
  Fixture *fixture;
  int iteration;
} Until;

static gboolean
worker_reached (gpointer data)
{
  Until *until = data;

  return impasto_job_get_worker_iteration (until->fixture->job) >= until->iteration;
}

static gboolean
history_reached (gpointer data)
{
  Until *until = data;
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (until->fixture->job, &n);

  return n > 0 && records[n - 1].iteration >= until->iteration;
}

static gboolean
is_paused (gpointer data)
{
  return impasto_job_get_state (((Fixture *) data)->job) == IMPASTO_JOB_PAUSED;
}

/* Paused, so that each change is seen at a known iteration. */
static void
pause_at (Fixture *fixture, int iteration)
{
  Until until = { fixture, iteration };

  test_app_wait_until (worker_reached, &until, 60, "the run to reach an iteration");
  impasto_job_set_paused (fixture->job, TRUE);
  test_app_wait_until (is_paused, fixture, 60, "the run to pause");
}

static void
test_weight_and_brush (Fixture *fixture, gconstpointer data)
{
  ImpastoSessionParams params;
  guint n;
  int at;
  const ImpastoJobRecord *records;
  Until until = { fixture, 0 };

  start_job (fixture, RUN_ITERATIONS);
  pause_at (fixture, 2);
  g_assert_cmpint (impasto_job_get_n_scales (fixture->job), ==, 1);
  g_assert_cmpint (impasto_job_get_n_paintings (fixture->job), ==, 2);
  /* One pass for each painting to start with. */
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 2);

  /* A weight: live from the next iterations, and no pass over the paintings. */
  impasto_job_get_params (fixture->job, &params);
  params.painting_weights[0] = 0.1f;
  params.painting_weights[1] = 0.9f;
  impasto_job_set_params (fixture->job, &params);
  at = impasto_job_get_worker_iteration (fixture->job);
  impasto_job_set_paused (fixture->job, FALSE);
  until.iteration = at + 3;
  test_app_wait_until (history_reached, &until, 60, "three iterations after the weight");
  records = impasto_job_get_history (fixture->job, &n);
  g_assert_cmpint (records[n - 1].params_serial, ==, 2);
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 2);

  /* A brush size handed over while paused: exactly one pass (that painting's), once resumed. */
  pause_at (fixture, impasto_job_get_worker_iteration (fixture->job));
  impasto_job_set_painting_scale (fixture->job, 1, 0.5);
  g_assert_cmpfloat (impasto_job_get_painting_scale (fixture->job, 1), ==, 0.5);
  at = impasto_job_get_worker_iteration (fixture->job);
  impasto_job_set_paused (fixture->job, FALSE);
  /* A step may have been under way when it was handed over: the one after it takes it. */
  until.iteration = at + 2;
  test_app_wait_until (worker_reached, &until, 60, "two iterations after the brush size");
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 3);
  {
    g_autofree char *warning = NULL;

    g_object_get (fixture->job, "warning", &warning, NULL);
    g_assert_null (warning);
  }
}

static gboolean
has_warning (gpointer data)
{
  g_autofree char *warning = NULL;

  g_object_get (((Fixture *) data)->job, "warning", &warning, NULL);
  return warning != NULL;
}

/* Weights the run cannot take (all of its paintings at 0): refused with a warning, and the run
 * goes on with the values it had. */
static void
test_zero_weights_refused (Fixture *fixture, gconstpointer data)
{
  ImpastoSessionParams params;
  g_autofree char *warning = NULL;
  const ImpastoJobRecord *records;
  Until until = { fixture, 0 };
  guint n;

  start_job (fixture, RUN_ITERATIONS);
  pause_at (fixture, 2);
  impasto_job_get_params (fixture->job, &params);
  params.painting_weights[0] = 0.0f;
  params.painting_weights[1] = 0.0f;
  impasto_job_set_params (fixture->job, &params);
  until.iteration = impasto_job_get_worker_iteration (fixture->job) + 3;
  impasto_job_set_paused (fixture->job, FALSE);
  test_app_wait_until (history_reached, &until, 60, "three iterations after the weights");
  test_app_wait_until (has_warning, fixture, 60, "the warning");
  g_object_get (fixture->job, "warning", &warning, NULL);
  g_assert_nonnull (strstr (warning, "previous values"));
  g_assert_true (impasto_job_is_active (fixture->job));
  records = impasto_job_get_history (fixture->job, &n);
  /* The values in force are still the first ones. */
  g_assert_cmpint (records[n - 1].params_serial, ==, 1);
}

static gboolean
has_pixels (gpointer data)
{
  return impasto_job_get_pixels (((Fixture *) data)->job, NULL, NULL, NULL) != NULL;
}

static guint8
pixel (GBytes *bytes, gsize offset)
{
  return ((const guint8 *) g_bytes_get_data (bytes, NULL))[offset];
}

/* Swap on and off mid-run: the shown picture's chroma is the photo's, then the painted one's
 * again, bytes for bytes the same as before. */
static void
test_swap_live (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) painted = NULL;
  g_autoptr(GBytes) photo = NULL;
  GBytes *shown;
  g_autoptr(GdkPixbuf) scaled = NULL;
  int width, height;
  gsize stride;
  double off = 0.0, plain_off = 0.0;

  start_job (fixture, RUN_ITERATIONS);
  pause_at (fixture, 3);
  /* The worker can be 3 iterations in before its first frame has reached the main thread. */
  test_app_wait_until (has_pixels, fixture, 60, "a frame");
  g_assert_true (impasto_job_can_set_colors (fixture->job, IMPASTO_COLORS_SWAP));
  g_assert_false (impasto_job_can_set_colors (fixture->job, IMPASTO_COLORS_LUMINANCE));
  g_assert_false (impasto_job_can_set_colors (fixture->job, IMPASTO_COLORS_HISTOGRAM));

  painted = g_bytes_ref (impasto_job_get_pixels (fixture->job, &width, &height, &stride));
  impasto_job_set_colors (fixture->job, IMPASTO_COLORS_SWAP);
  g_assert_cmpint (impasto_job_get_colors (fixture->job), ==, IMPASTO_COLORS_SWAP);
  shown = impasto_job_get_pixels (fixture->job, NULL, NULL, NULL);
  g_assert_false (g_bytes_equal (shown, painted));

  scaled = gdk_pixbuf_scale_simple (fixture->content, width, height, GDK_INTERP_BILINEAR);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = gdk_pixbuf_read_pixels (scaled) + y * gdk_pixbuf_get_rowstride (scaled)
                          + x * gdk_pixbuf_get_n_channels (scaled);
        gsize o = y * stride + x * 3;
        double i_photo = 0.596 * p[0] - 0.274 * p[1] - 0.322 * p[2];
        double i_shown = 0.596 * pixel (shown, o) - 0.274 * pixel (shown, o + 1)
                         - 0.322 * pixel (shown, o + 2);
        double i_plain = 0.596 * pixel (painted, o) - 0.274 * pixel (painted, o + 1)
                         - 0.322 * pixel (painted, o + 2);
        gboolean clamped = FALSE;

        for (int c = 0; c < 3; c++)
          clamped = clamped || pixel (shown, o + c) == 0 || pixel (shown, o + c) == 255;
        if (!clamped)
          off = fmax (off, fabs (i_shown - i_photo));
        plain_off = fmax (plain_off, fabs (i_plain - i_photo));
      }
  /* The photo here is scaled by gdk-pixbuf and the job's by its own call of the same: the same
   * bytes; then 8-bit rounding of the shown picture moves I by at most 0.6. */
  g_assert_cmpfloat (off, <=, 0.61);
  g_assert_cmpfloat (plain_off, >, 5.0);

  impasto_job_set_colors (fixture->job, IMPASTO_COLORS_NONE);
  g_assert_true (g_bytes_equal (impasto_job_get_pixels (fixture->job, NULL, NULL, NULL),
                                painted));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  g_test_add ("/job/paintings/weight-and-brush", Fixture, NULL, fixture_setup,
              test_weight_and_brush, fixture_teardown);
  g_test_add ("/job/paintings/zero-weights-refused", Fixture, NULL, fixture_setup,
              test_zero_weights_refused, fixture_teardown);
  g_test_add ("/job/paintings/swap-live", Fixture, NULL, fixture_setup, test_swap_live,
              fixture_teardown);
  return g_test_run ();
}
