/* test-job-regions.c
 *
 * ImpastoJob with painted regions on a tiny random VGG19: a region handed over mid-run is set
 * between two iterations without a restart (the iterations go on counting) and without a pass
 * over the paintings; of several hand-overs of one region while paused only the newest is set;
 * regions in the settings and those handed over before the run starts are set before its first
 * iteration; a region the engine refuses is a warning and the run goes on.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job-regions"

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

static void
start_job_with (Fixture *fixture, int iterations, const ImpastoRegion *regions, int n_regions)
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
  settings.config.regions = regions;
  settings.config.n_regions = n_regions;
  fixture->job = impasto_job_new (fixture->model, fixture->content, paintings, 2, &settings);
}

static void
start_job (Fixture *fixture, int iterations)
{
  start_job_with (fixture, iterations, NULL, 0);
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


/* A mask of @width × @height whose left @share is in. */
static guint8 *
left_mask (int width, int height, double share)
{
  guint8 *mask = g_malloc0 ((gsize) width * height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * share; x++)
      mask[(gsize) y * width + x] = 255;
  return mask;
}

static gboolean
has_warning (gpointer data)
{
  g_autofree char *warning = NULL;

  g_object_get (((Fixture *) data)->job, "warning", &warning, NULL);
  return warning != NULL;
}

/* The records so far count up one by one from 0: the run never started again. */
static void
assert_no_restart (Fixture *fixture)
{
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (fixture->job, &n);

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (records[i].iteration, ==, (int) i);
}

static void
test_mid_run (Fixture *fixture, gconstpointer data)
{
  g_autofree guint8 *mask = left_mask (20, 16, 0.5);
  g_autofree char *warning = NULL;
  Until until = { fixture, 0 };
  int at;

  start_job (fixture, 100000);   /* far more than the test waits for: it is stopped */
  pause_at (fixture, 3);
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 2);
  g_assert_cmpint (impasto_job_get_region_sets (fixture->job), ==, 0);

  /* While paused: three hand-overs of region 0, the newest wins, set once. */
  impasto_job_set_region (fixture->job, 0, mask, 20, 16, 0, 1.0);
  impasto_job_set_region (fixture->job, 0, mask, 20, 16, 1, 2.0);
  impasto_job_set_region (fixture->job, 0, mask, 20, 16, IMPASTO_REGION_KEEP_PHOTO, 1.0);
  at = impasto_job_get_worker_iteration (fixture->job);
  impasto_job_set_paused (fixture->job, FALSE);
  until.iteration = at + 3;
  test_app_wait_until (history_reached, &until, 60, "three iterations after the region");
  g_assert_cmpint (impasto_job_get_region_sets (fixture->job), ==, 1);
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 2);
  assert_no_restart (fixture);

  /* Running, not paused: a second region, then region 0 goes; neither restarts the run. */
  impasto_job_set_region (fixture->job, 1, mask, 20, 16, 1, 1.0);
  until.iteration = impasto_job_get_worker_iteration (fixture->job) + 2;
  test_app_wait_until (history_reached, &until, 60, "two iterations after the second region");
  g_assert_cmpint (impasto_job_get_region_sets (fixture->job), ==, 2);
  impasto_job_set_region (fixture->job, 0, NULL, 0, 0, 0, 1.0);
  until.iteration = impasto_job_get_worker_iteration (fixture->job) + 2;
  test_app_wait_until (history_reached, &until, 60, "two iterations after removing one");
  g_assert_cmpint (impasto_job_get_region_sets (fixture->job), ==, 3);
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 2);
  assert_no_restart (fixture);
  g_assert_true (impasto_job_is_active (fixture->job));
  g_object_get (fixture->job, "warning", &warning, NULL);
  g_assert_null (warning);
}

/* Regions of the settings and one handed over before the start are set before the first
 * iteration. */
static void
test_before_start (Fixture *fixture, gconstpointer data)
{
  g_autofree guint8 *mask = left_mask (40, 32, 0.25);
  g_autofree float *floats = g_new0 (float, 10 * 8);
  ImpastoRegion regions[1] = { { floats, 10, 8, 1, 1.0 } };
  Until until = { fixture, 2 };

  for (int i = 0; i < 10 * 8; i += 3)
    floats[i] = 1.0f;
  start_job_with (fixture, 1000, regions, 1);
  /* The settings' region was copied. */
  memset (floats, 0, 10 * 8 * sizeof (float));
  impasto_job_set_region (fixture->job, 2, mask, 40, 32, 0, 0.5);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
  test_app_wait_until (history_reached, &until, 60, "two iterations");
  g_assert_cmpint (impasto_job_get_region_sets (fixture->job), ==, 2);
  g_assert_cmpint (impasto_job_get_painting_passes (fixture->job), ==, 2);
  assert_no_restart (fixture);
}

/* A region for a painting the run does not have: a warning naming it, and the run goes on. */
static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree guint8 *mask = left_mask (20, 16, 0.5);
  g_autofree char *warning = NULL;
  Until until = { fixture, 0 };

  start_job (fixture, 100000);   /* far more than the test waits for: it is stopped */
  pause_at (fixture, 2);
  impasto_job_set_region (fixture->job, 0, mask, 20, 16, 5, 1.0);
  until.iteration = impasto_job_get_worker_iteration (fixture->job) + 3;
  impasto_job_set_paused (fixture->job, FALSE);
  test_app_wait_until (has_warning, fixture, 60, "the warning");
  test_app_wait_until (history_reached, &until, 60, "three iterations after the region");
  g_object_get (fixture->job, "warning", &warning, NULL);
  g_assert_nonnull (strstr (warning, "Region 1"));
  g_assert_cmpint (impasto_job_get_region_sets (fixture->job), ==, 0);
  g_assert_true (impasto_job_is_active (fixture->job));
  assert_no_restart (fixture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  g_test_add ("/job/regions/mid-run", Fixture, NULL, fixture_setup, test_mid_run,
              fixture_teardown);
  g_test_add ("/job/regions/before-start", Fixture, NULL, fixture_setup, test_before_start,
              fixture_teardown);
  g_test_add ("/job/regions/refused", Fixture, NULL, fixture_setup, test_refused,
              fixture_teardown);
  return g_test_run ();
}
