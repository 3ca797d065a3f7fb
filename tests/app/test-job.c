/* test-job.c
 *
 * ImpastoJob on a tiny random VGG19: a run delivers frames and every iteration's record; a β
 * handed over mid-run is what the engine uses from the next iteration on (the reported total is
 * α·content + β·style + TV with the new β); pausing stops the iterations and resuming continues
 * them; stopping keeps the last picture; a finished run delivers its final frame before it
 * completes; frames are limited to about ten a second; dropping the job mid-run is clean.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job"

#include "config.h"

#include <gtk/gtk.h>

#include "impasto-latest-slot.h"
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
  guint n_textures;
} Fixture;

static void
on_texture_cb (ImpastoJob *job,
               GParamSpec *pspec,
               Fixture    *fixture)
{
  fixture->n_textures++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->model = test_app_model_new ();
  fixture->content = test_app_picture_new (40, 32, 0.0);
  fixture->style = test_app_picture_new (24, 24, 1.7);
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

  /* The final frame is applied before the caller hears of the end (if the run got as far as a
   * picture). */
  if (impasto_job_get_n_frames (IMPASTO_JOB (object)) > 0)
    g_assert_cmpint (impasto_job_get_iteration (IMPASTO_JOB (object)), ==,
                     impasto_job_get_worker_iteration (IMPASTO_JOB (object)));
  impasto_job_run_finish (IMPASTO_JOB (object), result, &fixture->error);
  fixture->done = TRUE;
}

static void
start_job (Fixture *fixture,
           int      iterations)
{
  ImpastoJobSettings settings = { 0 };

  impasto_session_params_init_default (&settings.params);
  settings.params.tv = 0.5;
  impasto_session_config_init_default (&settings.config);
  settings.size = 32;
  settings.iterations = iterations;
  settings.threads = 1;

  fixture->job = impasto_job_new (fixture->model, fixture->content,
                                  &(ImpastoJobPainting) { fixture->style, 1.0 }, 1, &settings);
  g_signal_connect (fixture->job, "notify::texture", G_CALLBACK (on_texture_cb), fixture);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_PREPARING);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static gboolean
has_two_frames (gpointer data)
{
  return ((Fixture *) data)->n_textures >= 2;
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

static void
test_finishes (Fixture       *fixture,
               gconstpointer  data)
{
  const ImpastoJobRecord *records;
  guint n, pushed, delivered, dropped;
  GdkTexture *texture;
  int width, height;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  start_job (fixture, 40);
  test_app_wait_until (is_done, fixture, 60, "the run to finish");
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_no_error (fixture->error);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==, 40);

  /* Every iteration's record arrives, in order, whatever frames were dropped. */
  records = impasto_job_get_history (fixture->job, &n);
  g_assert_cmpuint (n, ==, 41);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (records[i].iteration, ==, (int) i);
      g_assert_cmpuint (records[i].params_serial, ==, 1);
      g_assert_true (records[i].losses.total > 0.0);
    }
  g_assert_cmpfloat (records[n - 1].losses.total, <, records[0].losses.total);

  /* The picture: the photo's shape at the longest side 32. */
  texture = impasto_job_get_texture (fixture->job);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 32);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 26);
  g_assert_nonnull (impasto_job_get_pixels (fixture->job, &width, &height, NULL));
  g_assert_cmpint (width, ==, 32);
  g_assert_cmpint (height, ==, 26);

  /* At most ~10 frames a second (+ the first and the last). */
  impasto_latest_slot_get_counts (impasto_job_get_frame_slot (fixture->job),
                                 &pushed, &delivered, &dropped);
  g_test_message ("%.2f s, %u frames pushed, %u shown", seconds, pushed, delivered);
  g_assert_cmpuint (pushed, <=, 2 + (guint) (seconds * 1000 / IMPASTO_JOB_FRAME_INTERVAL_MS) + 1);
  g_assert_cmpuint (delivered, ==, impasto_job_get_n_frames (fixture->job));
  /* Each frame became the canvas's picture, except a last one that repeats the picture before
   * it (the run ended right after a frame was pushed): the job keeps that texture, so that a
   * picture saved stays saved. */
  g_assert_cmpuint (fixture->n_textures, <=, delivered);
  g_assert_cmpuint (fixture->n_textures + 1, >=, delivered);
}

static void
test_live_beta (Fixture       *fixture,
                gconstpointer  data)
{
  ImpastoSessionParams params;
  const ImpastoJobRecord *records;
  const ImpastoJobRecord *first = NULL;
  Until until = { fixture, 0 };
  int before;
  guint serial, n;

  start_job (fixture, 100000);
  test_app_wait_until (has_two_frames, fixture, 30, "two frames");
  until.iteration = 5;
  test_app_wait_until (worker_reached, &until, 30, "five iterations");

  impasto_job_get_params (fixture->job, &params);
  g_assert_cmpfloat (params.beta, ==, 500.0);
  params.beta = 20000.0;
  before = impasto_job_get_worker_iteration (fixture->job);
  serial = impasto_job_set_params (fixture->job, &params);
  g_assert_cmpuint (serial, ==, 2);

  until.iteration = before + 3;
  test_app_wait_until (history_reached, &until, 30, "the iterations after the change");

  records = impasto_job_get_history (fixture->job, &n);
  for (guint i = 0; i < n; i++)
    {
      if (records[i].iteration <= before)
        g_assert_cmpuint (records[i].params_serial, ==, 1);
      if (first == NULL && records[i].params_serial == serial)
        first = &records[i];
    }
  g_assert_nonnull (first);
  /* The step under way when β changed ends with the old value; the next one uses the new. */
  g_assert_cmpint (first->iteration, <=, before + 2);
  g_assert_cmpint (impasto_job_get_params_set_at (fixture->job, serial), >=, before);
  g_assert_cmpint (first->iteration, <=, impasto_job_get_params_set_at (fixture->job, serial) + 2);
  g_assert_cmpint (impasto_job_get_params_set_at (fixture->job, 99), ==, -1);
  g_assert_cmpfloat (first->beta, ==, 20000.0);
  /* And the engine really used it: its total is α·content + β·style + TV weight·TV. */
  g_assert_cmpfloat (first->losses.style, >, 0.0);
  g_assert_cmpfloat_with_epsilon (first->losses.total,
                                  first->alpha * first->losses.content
                                  + 20000.0 * first->losses.style
                                  + first->tv * first->losses.tv_term,
                                  1e-9 * first->losses.total);
  g_assert_cmpfloat (fabs (first->losses.total
                           - (first->alpha * first->losses.content + 500.0 * first->losses.style
                              + first->tv * first->losses.tv_term)),
                     >, 1e-6 * first->losses.total);

  impasto_job_stop (fixture->job);
  test_app_wait_until (is_done, fixture, 30, "the run to stop");
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_pause_resume_stop (Fixture       *fixture,
                        gconstpointer  data)
{
  Until until = { fixture, 3 };
  int paused_at;
  guint frames;

  start_job (fixture, 100000);
  test_app_wait_until (worker_reached, &until, 30, "three iterations");

  impasto_job_set_paused (fixture->job, TRUE);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_PAUSED);
  /* At most the step under way finishes, and its picture is shown. */
  test_app_spin (0.3);
  paused_at = impasto_job_get_worker_iteration (fixture->job);
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==, paused_at);
  frames = fixture->n_textures;
  test_app_spin (0.5);
  g_assert_cmpint (impasto_job_get_worker_iteration (fixture->job), ==, paused_at);
  g_assert_cmpuint (fixture->n_textures, ==, frames);

  impasto_job_set_paused (fixture->job, FALSE);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_RUNNING);
  until.iteration = paused_at + 5;
  test_app_wait_until (worker_reached, &until, 30, "iterations after resuming");

  /* Stop while paused: the condition variable wakes up for the cancel. */
  impasto_job_set_paused (fixture->job, TRUE);
  test_app_spin (0.1);
  impasto_job_stop (fixture->job);
  test_app_wait_until (is_done, fixture, 30, "the paused run to stop");
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_STOPPED);
  g_assert_nonnull (impasto_job_get_texture (fixture->job));
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==,
                   impasto_job_get_worker_iteration (fixture->job));
}

static void
test_iterations_live (Fixture       *fixture,
                      gconstpointer  data)
{
  Until until = { fixture, 3 };

  start_job (fixture, 100000);
  test_app_wait_until (worker_reached, &until, 30, "three iterations");
  impasto_job_set_iterations (fixture->job, 1);
  test_app_wait_until (is_done, fixture, 30, "the run to end at the new limit");
  g_assert_no_error (fixture->error);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FINISHED);
}

static void
test_bad_size (Fixture       *fixture,
               gconstpointer  data)
{
  ImpastoJobSettings settings = { 0 };

  /* 8 pixels: too small for four poolings; the engine refuses in plain words. */
  impasto_session_params_init_default (&settings.params);
  impasto_session_config_init_default (&settings.config);
  settings.size = 8;
  settings.iterations = 10;
  fixture->job = impasto_job_new (fixture->model, fixture->content,
                                  &(ImpastoJobPainting) { fixture->style, 1.0 }, 1, &settings);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
  test_app_wait_until (is_done, fixture, 30, "the run to fail");
  g_assert_nonnull (fixture->error);
  g_assert_false (g_error_matches (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_nonnull (strstr (fixture->error->message, "too small"));
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FAILED);
  g_assert_cmpuint (impasto_job_get_n_frames (fixture->job), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add ("/job/finishes", Fixture, NULL, fixture_setup, test_finishes, fixture_teardown);
  g_test_add ("/job/live-beta", Fixture, NULL, fixture_setup, test_live_beta, fixture_teardown);
  g_test_add ("/job/pause-resume-stop", Fixture, NULL, fixture_setup, test_pause_resume_stop,
              fixture_teardown);
  g_test_add ("/job/iterations-live", Fixture, NULL, fixture_setup, test_iterations_live,
              fixture_teardown);
  g_test_add ("/job/bad-size", Fixture, NULL, fixture_setup, test_bad_size, fixture_teardown);

  return g_test_run ();
}
