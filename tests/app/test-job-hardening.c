/* test-job-hardening.c
 *
 * The window's job (impasto-job.c) when a run goes wrong, on the tiny random VGG19:
 *
 * - A learning rate of 1e30: the run fails with the engine's plain-words error about the learning
 *   rate, and the picture the canvas holds is the last finite one (the starting image: not black,
 *   not saturated, as NaN or infinity turned into bytes would be).
 * - The frames folder removed while frames are being saved: one warning naming the frame, and the
 *   run goes on to the end and finishes.
 * - Cancelling a running job and dropping the last reference to it (what closing the window
 *   does) stops its worker; the job is freed once the worker has returned.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job-hardening"

#include "config.h"

#include "impasto-error.h"
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
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->model = test_app_model_new ();
  fixture->content = test_app_picture_new (40, 32, 0.0);
  fixture->style = test_app_picture_new (24, 24, 1.7);
  fixture->dir = g_dir_make_tmp ("impasto-test-job-XXXXXX", &error);
  g_assert_no_error (error);
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
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
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

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
settings_init (ImpastoJobSettings *settings,
               int                 iterations)
{
  memset (settings, 0, sizeof *settings);
  impasto_session_params_init_default (&settings->params);
  impasto_session_config_init_default (&settings->config);
  settings->size = 32;
  settings->iterations = iterations;
  settings->threads = 1;
}

static void
test_blowup (Fixture       *fixture,
             gconstpointer  data)
{
  ImpastoJobSettings settings;
  GBytes *pixels;  /* the job's own */
  const guint8 *p;
  gsize size = 0;
  int width = 0;
  int height = 0;
  gsize stride = 0;
  guint n_extreme = 0;

  settings_init (&settings, 50);
  settings.params.learning_rate = 1e30;
  fixture->job = impasto_job_new (fixture->model, fixture->content,
                                  &(ImpastoJobPainting) { fixture->style, 1.0 }, 1, &settings);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
  test_app_wait_until (is_done, fixture, 60, "the run to fail");

  g_assert_error (fixture->error, IMPASTO_ERROR, IMPASTO_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (fixture->error->message, "learning rate"));
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FAILED);

  /* The canvas keeps the last finite picture: the starting one, noise over the photo. */
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==, 0);
  g_assert_nonnull (impasto_job_get_texture (fixture->job));
  pixels = impasto_job_get_pixels (fixture->job, &width, &height, &stride);
  g_assert_nonnull (pixels);
  g_assert_cmpint (MAX (width, height), ==, 32);
  p = g_bytes_get_data (pixels, &size);
  g_assert_cmpuint (size, >=, stride * (gsize) (height - 1) + (gsize) width * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      if (p[(gsize) y * stride + x] == 0 || p[(gsize) y * stride + x] == 255)
        n_extreme++;
  g_assert_cmpuint (n_extreme, <, (guint) (width * height * 3 / 4));
}

static gboolean
has_warning (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *warning = NULL;

  g_object_get (fixture->job, "warning", &warning, NULL);
  return warning != NULL;
}

static gboolean
first_frame_saved (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *frame = g_build_filename (fixture->dir, "frames", "impasto-00001.png", NULL);

  return g_file_test (frame, G_FILE_TEST_EXISTS);
}

static void
test_frames_folder_vanishes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *frames = g_build_filename (fixture->dir, "frames", NULL);
  g_autofree char *warning = NULL;
  ImpastoJobSettings settings;

  g_assert_cmpint (g_mkdir (frames, 0755), ==, 0);
  settings_init (&settings, 400);
  settings.save_every = 1;
  settings.save_folder = frames;
  fixture->job = impasto_job_new (fixture->model, fixture->content,
                                  &(ImpastoJobPainting) { fixture->style, 1.0 }, 1, &settings);
  impasto_job_run_async (fixture->job, NULL, run_cb, fixture);
  test_app_wait_until (first_frame_saved, fixture, 60, "the first frame on disk");

  /* Paused, so that the folder goes while the run is certainly not over. The worker pauses at
   * the end of its iteration, so a frame it is writing may still land: empty the folder until it
   * can be removed. */
  impasto_job_set_paused (fixture->job, TRUE);
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    for (;;)
      {
        g_autoptr(GDir) listing = g_dir_open (frames, 0, NULL);
        const char *name;

        g_assert_nonnull (listing);
        while ((name = g_dir_read_name (listing)) != NULL)
          {
            g_autofree char *path = g_build_filename (frames, name, NULL);

            g_unlink (path);
          }
        if (g_rmdir (frames) == 0)
          break;
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (10000);
      }
  }
  g_assert_false (fixture->done);
  impasto_job_set_paused (fixture->job, FALSE);

  test_app_wait_until (has_warning, fixture, 60, "the warning about the frames");
  g_object_get (fixture->job, "warning", &warning, NULL);
  g_assert_nonnull (strstr (warning, "Could not save the frame"));
  g_assert_nonnull (strstr (warning, "frames"));

  test_app_wait_until (is_done, fixture, 120, "the run to finish");
  g_assert_no_error (fixture->error);
  g_assert_cmpint (impasto_job_get_state (fixture->job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpint (impasto_job_get_iteration (fixture->job), ==, 400);
  g_assert_false (g_file_test (frames, G_FILE_TEST_EXISTS));
}

static gboolean
worker_started (gpointer data)
{
  return impasto_job_get_worker_iteration (((Fixture *) data)->job) >= 2;
}

static void
test_dropped_mid_run (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ImpastoJobSettings settings;
  ImpastoJob *job;

  settings_init (&settings, 100000);
  fixture->job = impasto_job_new (fixture->model, fixture->content,
                                  &(ImpastoJobPainting) { fixture->style, 1.0 }, 1, &settings);
  impasto_job_run_async (fixture->job, cancellable, run_cb, fixture);
  test_app_wait_until (worker_started, fixture, 60, "two iterations");

  /* What the window does when it closes: cancel, then drop its reference. */
  job = fixture->job;
  g_object_add_weak_pointer (G_OBJECT (job), (gpointer *) &fixture->job);
  g_cancellable_cancel (cancellable);
  g_object_unref (job);

  test_app_wait_until (is_done, fixture, 60, "the worker to return");
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  test_app_spin (0.2);
  g_assert_null (fixture->job);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add ("/job-hardening/blowup", Fixture, NULL, fixture_setup, test_blowup,
              fixture_teardown);
  g_test_add ("/job-hardening/frames-folder-vanishes", Fixture, NULL, fixture_setup,
              test_frames_folder_vanishes, fixture_teardown);
  g_test_add ("/job-hardening/dropped-mid-run", Fixture, NULL, fixture_setup,
              test_dropped_mid_run, fixture_teardown);

  return g_test_run ();
}
