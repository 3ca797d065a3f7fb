/* test-job-ladder.c
 *
 * ImpastoJob climbing the ladder of sizes on a tiny random VGG19 (40 × 32 with a smallest side of
 * 16: sizes 20 × 16, 28 × 22 and 40 × 32): the records carry each step's size and come in that
 * order, every frame is at the final size, and the progress ends at 1; a preview rests at its
 * size (no more steps), paints a new β there when one is handed over, goes on when the
 * iterations grow, pauses and resumes to rest again, and Paint Full Size carries it on from there
 * up to the final size without starting again; stopping a resting preview keeps its picture's
 * bytes (a saved picture stays saved).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job-ladder"

#include "config.h"

#include <gtk/gtk.h>

#include "impasto-job.h"
#include "test-app-support.h"

typedef struct
{
  ImpastoModel *model;
  GdkPixbuf *content;
  GdkPixbuf *style;
  ImpastoJob *job;
  gboolean done;
  GError *error;
  gboolean frames_at_final_size;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->model = test_app_model_new ();
  fixture->content = test_app_picture_new (40, 32, 0.0);
  fixture->style = test_app_picture_new (24, 24, 1.7);
  fixture->frames_at_final_size = TRUE;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->job != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (fixture->job), (gpointer *) &fixture->job);
      g_object_unref (fixture->job);
      g_assert_null (fixture->job);
    }
  g_clear_error (&fixture->error);
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->content);
  g_clear_object (&fixture->style);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *fixture = user_data;

  impasto_job_run_finish (IMPASTO_JOB (object), result, &fixture->error);
  fixture->done = TRUE;
}

static void
on_texture_cb (ImpastoJob *job,
               GParamSpec *pspec,
               Fixture    *fixture)
{
  GdkTexture *texture = impasto_job_get_texture (job);

  if (gdk_texture_get_width (texture) != 40 || gdk_texture_get_height (texture) != 32)
    fixture->frames_at_final_size = FALSE;
}

static void
start_job (Fixture *fixture,
           int      iterations,
           int      preview_side)
{
  ImpastoJobSettings settings = { 0 };

  impasto_session_params_init_default (&settings.params);
  impasto_session_config_init_default (&settings.config);
  settings.size = 40;
  settings.min_side = 16;
  settings.preview_side = preview_side;
  settings.iterations = iterations;
  settings.threads = 1;

  fixture->job = impasto_job_new (fixture->model, fixture->content,
                                  &(ImpastoJobPainting) { fixture->style, 1.0 }, 1, &settings);
  g_signal_connect (fixture->job, "notify::texture", G_CALLBACK (on_texture_cb), fixture);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

typedef struct
{
  Fixture *fixture;
  int iteration;   /* at least this many steps shown */
} Until;

static gboolean
previewed_at (gpointer data)
{
  Until *until = data;
  ImpastoJob *job = until->fixture->job;

  return impasto_job_get_state (job) == IMPASTO_JOB_PREVIEWED
         && impasto_job_get_iteration (job) >= until->iteration;
}

static gboolean
is_paused (gpointer data)
{
  return impasto_job_get_state (((Fixture *) data)->job) == IMPASTO_JOB_PAUSED;
}

/* Records in order, one per step, each with its size on the ladder; @beta_from: the first step
 * painted with β 5000 (0: none). */
static void
assert_history (Fixture    *fixture,
                int         steps,
                const int  *per_scale,
                int         beta_from)
{
  guint n;
  const ImpastoJobRecord *records = impasto_job_get_history (fixture->job, &n);
  int count[3] = { 0 };

  g_assert_cmpuint (n, ==, (guint) steps + 1);
  for (guint i = 0; i < n; i++)
    {
      int width;
      int height;

      /* The iteration count runs on over the sizes: nothing started again. */
      g_assert_cmpint (records[i].iteration, ==, (int) i);
      g_assert_cmpint (records[i].scale, >=, 0);
      g_assert_cmpint (records[i].scale, <, 3);
      if (i > 0)
        {
          g_assert_cmpint (records[i].scale, >=, records[i - 1].scale);
          count[records[i].scale]++;
          g_assert_cmpfloat (records[i].beta, ==,
                             beta_from > 0 && (int) i >= beta_from ? 5000.0 : 500.0);
        }
      impasto_job_get_scale_size (fixture->job, records[i].scale, &width, &height);
      g_assert_cmpint (records[i].width, ==, width);
      g_assert_cmpint (records[i].height, ==, height);
    }
  for (int k = 0; k < 3; k++)
    g_assert_cmpint (count[k], ==, per_scale[k]);
}

static void
test_climbs (Fixture       *fixture,
             gconstpointer  data)
{
  const int per_scale[] = { 4, 2, 40 };
  const int widths[] = { 20, 28, 40 };
  const int heights[] = { 16, 22, 32 };
  int width;
  int height;

  /* Budgets: ceil(40 / 10) = 4 at the smallest, ceil(40 / 20) = 2 between, 40 at the last. */
  start_job (fixture, 40, 0);
  g_assert_cmpint (impasto_job_get_n_scales (fixture->job), ==, 3);
  for (int k = 0; k < 3; k++)
    {
      impasto_job_get_scale_size (fixture->job, k, &width, &height);
      g_assert_cmpint (width, ==, widths[k]);
      g_assert_cmpint (height, ==, heights[k]);
    }
  g_assert_false (impasto_job_is_preview (fixture->job));
  g_assert_cmpfloat (impasto_job_get_progress (fixture->job), ==, 0.0);

  test_app_wait_until (is_done, fixture, 60, "the run to finish");
  g_assert_no_error (fixture->error);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpint (impasto_job_get_scale (fixture->job), ==, 2);
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==, 46);
  g_assert_cmpfloat (impasto_job_get_progress (fixture->job), ==, 1.0);
  g_assert_cmpfloat (impasto_job_get_seconds_left (fixture->job), ==, 0.0);
  assert_history (fixture, 46, per_scale, 0);
  g_assert_true (fixture->frames_at_final_size);
  impasto_job_get_pixels (fixture->job, &width, &height, NULL);
  g_assert_cmpint (width, ==, 40);
  g_assert_cmpint (height, ==, 32);
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  ImpastoSessionParams params;
  Until until = { fixture, 6 };
  const int rested[] = { 4, 2, 0 };
  const int with_beta[] = { 4, 4, 0 };
  const int grown[] = { 4, 5, 0 };
  const int full[] = { 4, 5, 60 };

  /* 30 px: the 28 × 22 size is the last of the preview. */
  start_job (fixture, 40, 30);
  g_assert_true (impasto_job_is_preview (fixture->job));
  g_assert_cmpint (impasto_job_get_last_scale (fixture->job), ==, 1);

  test_app_wait_until (previewed_at, &until, 60, "the preview to rest");
  g_assert_cmpint (impasto_job_get_scale (fixture->job), ==, 1);
  g_assert_cmpfloat (impasto_job_get_progress (fixture->job), ==, 1.0);
  g_assert_cmpfloat (impasto_job_get_seconds_left (fixture->job), ==, 0.0);
  g_assert_true (impasto_job_is_active (fixture->job));
  /* It rests: no step while it waits. */
  test_app_spin (0.3);
  g_assert_cmpint (impasto_job_get_worker_iteration (fixture->job), ==, 6);
  assert_history (fixture, 6, rested, 0);

  /* A new β is painted at the preview's size, its whole budget again. */
  impasto_job_get_params (fixture->job, &params);
  params.beta = 5000.0;
  impasto_job_set_params (fixture->job, &params);
  until.iteration = 8;
  test_app_wait_until (previewed_at, &until, 60, "the new β to be painted");
  test_app_spin (0.2);
  g_assert_cmpint (impasto_job_get_worker_iteration (fixture->job), ==, 8);
  assert_history (fixture, 8, with_beta, 7);

  /* More iterations: the middle sizes' budget grows from 2 to 3 (ceil(60 / 20)), counted from
   * the renewal. */
  impasto_job_set_iterations (fixture->job, 60);
  until.iteration = 9;
  test_app_wait_until (previewed_at, &until, 60, "the larger budget");
  test_app_spin (0.2);
  assert_history (fixture, 9, grown, 7);

  /* Pausing and resuming a resting preview: it rests again. */
  impasto_job_set_paused (fixture->job, TRUE);
  test_app_wait_until (is_paused, fixture, 10, "the pause");
  impasto_job_set_paused (fixture->job, FALSE);
  test_app_wait_until (previewed_at, &until, 30, "the preview to rest again");
  test_app_spin (0.3);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_PREVIEWED);
  g_assert_cmpint (impasto_job_get_worker_iteration (fixture->job), ==, 9);

  /* Paint Full Size: on from here to the final size, whose budget is now 60. */
  impasto_job_paint_full_size (fixture->job);
  g_assert_false (impasto_job_is_preview (fixture->job));
  g_assert_cmpint (impasto_job_get_last_scale (fixture->job), ==, 2);
  test_app_wait_until (is_done, fixture, 60, "the full size");
  g_assert_no_error (fixture->error);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpint (impasto_job_get_scale (fixture->job), ==, 2);
  assert_history (fixture, 69, full, 7);
  g_assert_true (fixture->frames_at_final_size);
}

static void
test_stop_while_previewed (Fixture       *fixture,
                           gconstpointer  data)
{
  Until until = { fixture, 4 };
  GBytes *pixels;

  start_job (fixture, 40, 20);
  g_assert_cmpint (impasto_job_get_last_scale (fixture->job), ==, 0);
  test_app_wait_until (previewed_at, &until, 60, "the preview to rest");
  pixels = impasto_job_get_pixels (fixture->job, NULL, NULL, NULL);
  g_assert_nonnull (pixels);
  g_bytes_ref (pixels);
  impasto_job_stop (fixture->job);
  test_app_wait_until (is_done, fixture, 10, "the stop");
  /* The same picture: the same bytes, so that a picture saved while it rested stays saved. */
  g_assert_true (impasto_job_get_pixels (fixture->job, NULL, NULL, NULL) == pixels);
  g_bytes_unref (pixels);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_STOPPED);
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==, 4);
  g_assert_nonnull (impasto_job_get_texture (fixture->job));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add ("/job-ladder/climbs", Fixture, NULL, fixture_setup, test_climbs, fixture_teardown);
  g_test_add ("/job-ladder/preview", Fixture, NULL, fixture_setup, test_preview,
              fixture_teardown);
  g_test_add ("/job-ladder/stop-while-previewed", Fixture, NULL, fixture_setup,
              test_stop_while_previewed, fixture_teardown);

  return g_test_run ();
}
