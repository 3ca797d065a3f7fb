/* test-job-history.c
 *
 * ImpastoJob's history on disk (impasto-job-history.c) on the tiny random VGG19 (40 × 32, sizes
 * 20 × 16, 28 × 22 and 40 × 32): the schedule (1, 2, 5, 10, 20, 50, ..., the end and the time
 * bound) and which snapshot goes when there are too many; a run keeps at most the asked number
 * of snapshots and bytes (their pictures counted), the files in its folder are exactly the list
 * the job gives, each snapshot with its picture, run.ini names the newest and keeps the caller's
 * keys; deleting the folder removes it and its list. Then a child process painting a run is
 * killed with SIGKILL mid-run, and a job continued from the newest snapshot it left takes over
 * the snapshots with their pictures, starts at that snapshot's iteration and paints the steps
 * after it bit for bit as a run that was never interrupted. A run's records written as text read
 * back bit for bit (NaN, infinities, the smallest subnormal, values that need 17 digits), and a
 * file with a line that is no record, or iterations out of order, is refused naming the line.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job-history"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "impasto-job.h"
#include "test-app-support.h"

#define LONG_RUN 100000   /* iterations no test waits for: runs are stopped or killed */

typedef struct
{
  gboolean done;
  int stop_at;          /* stop once this iteration is shown; 0 never */
} Run;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  impasto_job_run_finish (IMPASTO_JOB (object), result, NULL);
  run->done = TRUE;
}

static void
on_iteration_cb (ImpastoJob *job,
                 GParamSpec *pspec,
                 Run        *run)
{
  if (run->stop_at > 0 && impasto_job_get_iteration (job) >= run->stop_at)
    impasto_job_stop (job);
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* The tiny network comes from the test RNG: the parent and the child use the same seed, and make
 * it first thing in their test, so that they paint with the same network. */
#define SEED "R02S6b1f2e3a4c5d69788796a5b4c3d2e1f0"

static ImpastoJob *
job_new_with_interval (ImpastoModel *model,
                       const char   *folder,
                       int           iterations,
                       int           max_snapshots,
                       guint64       max_bytes,
                       double        interval)
{
  g_autoptr(GdkPixbuf) content = test_app_picture_new (40, 32, 0.0);
  g_autoptr(GdkPixbuf) style = test_app_picture_new (24, 24, 1.7);
  ImpastoJobSettings settings = { 0 };

  impasto_session_params_init_default (&settings.params);
  impasto_session_config_init_default (&settings.config);
  settings.size = 40;
  settings.min_side = 16;
  settings.iterations = iterations;
  settings.threads = 1;
  settings.run_folder = folder;
  settings.run_info = "[run]\nphoto=/photo.png\nrunning=true\n";
  settings.max_snapshots = max_snapshots;
  settings.max_snapshot_bytes = max_bytes;
  settings.snapshot_interval = interval;
  return impasto_job_new (model, content, &(ImpastoJobPainting) { style, 1.0 }, 1, &settings);
}

static ImpastoJob *
job_new (ImpastoModel *model,
         const char   *folder,
         int           iterations,
         int           max_snapshots,
         guint64       max_bytes)
{
  return job_new_with_interval (model, folder, iterations, max_snapshots, max_bytes, 0.0);
}

static void
run_job (ImpastoJob *job,
         int         stop_at)
{
  Run run = { FALSE, stop_at };

  g_signal_connect (job, "notify::iteration", G_CALLBACK (on_iteration_cb), &run);
  impasto_job_run_async (job, NULL, run_cb, &run);
  test_app_wait_until (run_done, &run, 120.0, "the run to end");
  g_signal_handlers_disconnect_by_data (job, &run);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The snapshot files in @folder, sorted by name (so by iteration). */
static GPtrArray *
list_snapshots (const char *folder)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".impasto-snapshot"))
      g_ptr_array_add (names, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  return names;
}

static void
test_schedule (void)
{
  const int due[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000 };
  guint next = 0;
  int spread[] = { 1, 2, 5, 10, 20, 50 };
  int even[] = { 10, 20, 30, 40 };

  for (int steps = 0; steps <= 5000; steps++)
    {
      gboolean expected = next < G_N_ELEMENTS (due) && due[next] == steps;

      g_assert_cmpint (impasto_job_snapshot_due (steps, 1.0), ==, expected);
      if (expected)
        next++;
    }
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (due));
  /* A minute without one: due whatever the iteration. */
  g_assert_true (impasto_job_snapshot_due (137, IMPASTO_JOB_SNAPSHOT_INTERVAL_S));
  g_assert_false (impasto_job_snapshot_due (137, IMPASTO_JOB_SNAPSHOT_INTERVAL_S - 1));

  /* The one in the densest spot goes, never the first nor the newest. */
  g_assert_cmpint (impasto_job_snapshot_to_drop (spread, 6), ==, 1);
  g_assert_cmpint (impasto_job_snapshot_to_drop (spread + 3, 3), ==, 1);
  g_assert_cmpint (impasto_job_snapshot_to_drop (even, 4), ==, 1);
  g_assert_cmpint (impasto_job_snapshot_to_drop (spread, 2), ==, -1);
}

static void
check_list_matches_files (ImpastoJob *job,
                          const char *folder)
{
  g_autoptr(GArray) snapshots = impasto_job_dup_snapshots (job);
  g_autoptr(GPtrArray) files = list_snapshots (folder);

  g_assert_cmpuint (snapshots->len, ==, files->len);
  for (guint i = 0; i < snapshots->len; i++)
    {
      ImpastoJobSnapshot *snapshot = &g_array_index (snapshots, ImpastoJobSnapshot, i);
      g_autofree char *name = g_strdup_printf ("snapshot-%06d.impasto-snapshot",
                                               snapshot->iteration);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *picture_name = g_strdup_printf ("snapshot-%06d.png", snapshot->iteration);
      g_autofree char *picture = g_build_filename (folder, picture_name, NULL);
      GStatBuf st;
      GStatBuf picture_st;

      g_assert_cmpstr (snapshot->path, ==, g_ptr_array_index (files, i));
      g_assert_cmpstr (snapshot->path, ==, path);
      /* With its picture beside it, counted in its bytes. */
      g_assert_cmpstr (snapshot->picture, ==, picture);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (g_stat (picture, &picture_st), ==, 0);
      g_assert_cmpuint (snapshot->bytes, ==, (guint64) st.st_size + (guint64) picture_st.st_size);
      g_assert_true (isfinite (snapshot->loss) && snapshot->loss > 0.0);
      g_assert_cmpint (snapshot->scale, >=, 0);
      g_assert_cmpint (snapshot->scale, <, impasto_job_get_n_scales (job));
      if (i > 0)
        g_assert_cmpint (snapshot->iteration, >,
                         g_array_index (snapshots, ImpastoJobSnapshot, i - 1).iteration);
    }
}

static void
test_bounded (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-history-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "run", NULL);
  g_autofree char *ini = g_build_filename (folder, "run.ini", NULL);
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(ImpastoJob) job = job_new (model, folder, 60, 4, 0);
  g_autoptr(GArray) snapshots = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *newest = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *expected_name = NULL;
  ImpastoJobSnapshot *last;
  guint64 one;
  int final;

  g_assert_nonnull (tmp);
  run_job (job, 0);
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_FINISHED);
  g_assert_cmpint (impasto_job_get_iteration (job), >=, 50);

  /* 1, 2, 5, 10, 20, 50 and the finished picture's were written; four are kept: the first, the
   * newest and a spread ([1, 10, 20, 50] then [1, 20, 50, final] when the run ended after 50). */
  final = impasto_job_get_iteration (job);
  snapshots = impasto_job_dup_snapshots (job);
  g_assert_cmpuint (snapshots->len, ==, 4);
  g_assert_cmpint (g_array_index (snapshots, ImpastoJobSnapshot, 0).iteration, ==, 1);
  g_assert_cmpint (g_array_index (snapshots, ImpastoJobSnapshot, 1).iteration, ==,
                   final > 50 ? 20 : 10);
  g_assert_cmpint (g_array_index (snapshots, ImpastoJobSnapshot, 2).iteration, ==,
                   final > 50 ? 50 : 20);
  g_assert_cmpint (g_array_index (snapshots, ImpastoJobSnapshot, 3).iteration, ==, final);
  check_list_matches_files (job, folder);

  /* run.ini: the caller's keys and the newest snapshot. */
  last = &g_array_index (snapshots, ImpastoJobSnapshot, 3);
  g_assert_true (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL));
  photo = g_key_file_get_string (info, "run", "photo", NULL);
  g_assert_cmpstr (photo, ==, "/photo.png");
  newest = g_key_file_get_string (info, "snapshot", "name", NULL);
  expected_name = g_strdup_printf ("snapshot-%06d.impasto-snapshot", final);
  g_assert_cmpstr (newest, ==, expected_name);
  g_assert_cmpint (g_key_file_get_integer (info, "snapshot", "iteration", NULL), ==, final);
  g_assert_cmpfloat (g_key_file_get_double (info, "snapshot", "loss", NULL), ==, last->loss);

  /* Discarded: nothing is left, and the list is empty. */
  one = last->bytes;
  impasto_job_delete_run_folder (job);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_clear_pointer (&snapshots, g_array_unref);
  snapshots = impasto_job_dup_snapshots (job);
  g_assert_cmpuint (snapshots->len, ==, 0);
  g_clear_object (&job);

  /* Bounded in bytes: room for two and a half of the newest snapshot keeps no more bytes than
   * that, the newest among them, and drops some of the seven. */
  job = job_new (model, folder, 60, 0, one * 5 / 2);
  run_job (job, 0);
  g_clear_pointer (&snapshots, g_array_unref);
  snapshots = impasto_job_dup_snapshots (job);
  g_assert_cmpuint (snapshots->len, >=, 2);
  g_assert_cmpuint (snapshots->len, <, 7);
  {
    guint64 total = 0;

    for (guint i = 0; i < snapshots->len; i++)
      total += g_array_index (snapshots, ImpastoJobSnapshot, i).bytes;
    g_assert_cmpuint (total, <=, one * 5 / 2);
  }
  g_assert_cmpint (g_array_index (snapshots, ImpastoJobSnapshot, snapshots->len - 1).iteration,
                   ==, impasto_job_get_iteration (job));
  check_list_matches_files (job, folder);
  impasto_job_delete_run_folder (job);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_rmdir (tmp);
}

/* Discarded while it paints: the worker writes nothing more, and what it was writing goes. */
/* While a job runs: its list and its folder stay within the bounds, at every look. */
typedef struct
{
  ImpastoJob *job;
  const char *folder;
  guint most_listed;
  guint most_files;
  guint64 most_bytes;
  guint looks;
} Watch;

static gboolean
look_cb (gpointer data)
{
  Watch *watch = data;
  g_autoptr(GArray) kept = impasto_job_dup_snapshots (watch->job);
  g_autoptr(GDir) dir = g_dir_open (watch->folder, 0, NULL);
  const char *name;
  guint files = 0;
  guint64 bytes = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (watch->folder, name, NULL);
      GStatBuf st;

      /* A snapshot or picture being written (a temporary name: `.snapshot-…png.XXXXXX`,
       * `snapshot-….impasto-snapshot.tmp-XXXXXX`) is not kept yet. */
      if (!g_str_has_prefix (name, "snapshot-") || strstr (name, ".tmp-") != NULL)
        continue;
      if (g_stat (path, &st) == 0)
        {
          files++;
          bytes += (guint64) st.st_size;
        }
    }
  watch->most_listed = MAX (watch->most_listed, kept->len);
  watch->most_files = MAX (watch->most_files, files);
  watch->most_bytes = MAX (watch->most_bytes, bytes);
  watch->looks++;
  return G_SOURCE_CONTINUE;
}

/* A long run's history, made in a short one (a snapshot every iteration or so instead of once a
 * minute): hundreds of snapshots written, never more than the bounds kept, in the list or on
 * disk, and at the end a spread over the whole run. With the default count; then with a byte
 * bound that holds fewer. */
static void
test_long_run (void)
{
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  guint64 one = 0;     /* a snapshot at the final size, with its picture: from the first pass */

  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree char *tmp = g_dir_make_tmp ("impasto-history-XXXXXX", NULL);
      g_autofree char *folder = g_build_filename (tmp, "run", NULL);
      g_autoptr(ImpastoJob) job = NULL;
      g_autoptr(GArray) kept = NULL;
      Watch watch = { NULL, folder, 0, 0, 0, 0 };
      /* The second pass: room for ten snapshots of the final size (more of the smaller sizes). */
      guint64 bound = pass == 0 ? IMPASTO_JOB_MAX_SNAPSHOT_BYTES : one * 10;
      guint most = IMPASTO_JOB_MAX_SNAPSHOTS;
      int final;

      job = job_new_with_interval (model, folder, 300, 0, pass == 0 ? 0 : bound, 1e-6);
      watch.job = job;
      /* Looked at every millisecond from the main loop, as the worker writes and drops. */
      {
        guint look = g_timeout_add (1, look_cb, &watch);

        run_job (job, 0);
        g_source_remove (look);
      }
      g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_FINISHED);
      final = impasto_job_get_iteration (job);
      g_assert_cmpint (final, >, 100);

      /* Watched often, never beyond (a snapshot and its picture: two files). */
      g_assert_cmpuint (watch.looks, >, 50);
      g_assert_cmpuint (watch.most_listed, <=, most);
      g_assert_cmpuint (watch.most_files, <=, 2 * (most + 1));
      /* (A new snapshot is on disk a moment before an old one goes.) */
      if (pass == 1)
        g_assert_cmpuint (watch.most_bytes, <=, bound + one);

      /* At the end: full, the first and the last kept, and spread out. */
      kept = impasto_job_dup_snapshots (job);
      g_assert_cmpuint (kept->len, <=, most);
      if (pass == 0)
        {
          g_assert_cmpuint (kept->len, ==, most);
          one = g_array_index (kept, ImpastoJobSnapshot, kept->len - 1).bytes;
        }
      else
        g_assert_cmpuint (kept->len, >=, 10);
      g_assert_cmpint (g_array_index (kept, ImpastoJobSnapshot, kept->len - 1).iteration, ==,
                       final);
      {
        guint64 total = 0;
        int widest = 0;

        for (guint i = 0; i < kept->len; i++)
          {
            total += g_array_index (kept, ImpastoJobSnapshot, i).bytes;
            if (i > 0)
              widest = MAX (widest, g_array_index (kept, ImpastoJobSnapshot, i).iteration
                                    - g_array_index (kept, ImpastoJobSnapshot, i - 1).iteration);
          }
        g_assert_cmpuint (total, <=, bound);
        /* No gap is much wider than an even spread's. */
        g_assert_cmpint (widest, <=, 3 * final / (int) (kept->len - 1) + 2);
      }
      check_list_matches_files (job, folder);
      impasto_job_delete_run_folder (job);
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
      g_rmdir (tmp);
    }
}

static void
test_discard_while_running (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-history-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "run", NULL);
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(ImpastoJob) job = job_new (model, folder, LONG_RUN, 0, 0);
  Run run = { FALSE, 0 };

  impasto_job_run_async (job, NULL, run_cb, &run);
  while (impasto_job_get_worker_iteration (job) < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  impasto_job_delete_run_folder (job);
  /* Past the snapshot at 5 and 10, had they been written. */
  while (impasto_job_get_worker_iteration (job) < 12)
    g_main_context_iteration (NULL, FALSE);
  impasto_job_stop (job);
  test_app_wait_until (run_done, &run, 60.0, "the run to stop");
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_rmdir (tmp);
}

static const char *child_folder;

/* The child: paints into its folder until it is killed. */
static void
test_child (void)
{
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(ImpastoJob) job = job_new (model, child_folder, LONG_RUN, 0, 0);
  Run run = { FALSE, 0 };

  impasto_job_run_async (job, NULL, run_cb, &run);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_resume_after_kill (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-history-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "run", NULL);
  g_autofree char *ini = g_build_filename (folder, "run.ini", NULL);
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_path, "--child", folder, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *name = NULL;
  g_autofree char *snapshot = NULL;
  g_autoptr(ImpastoJob) reference = NULL;
  g_autoptr(ImpastoJob) resumed = NULL;
  const ImpastoJobRecord *original;
  const ImpastoJobRecord *continued;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  ImpastoJobSettings settings = { 0 };
  int iteration = 0;
  guint n_original;
  guint n_continued;
  GPid pid;
  int status;

  g_assert_nonnull (self_path);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);

  /* Killed mid-run, once it has kept the snapshot after iteration 10 or later. */
  while (iteration < 10)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
      if (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL))
        iteration = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
    }
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  /* What it left: run.ini names the newest snapshot, which is there. */
  g_assert_true (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (info, "run", "running", NULL));
  iteration = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
  name = g_key_file_get_string (info, "snapshot", "name", NULL);
  snapshot = g_build_filename (folder, name, NULL);
  g_assert_true (g_file_test (snapshot, G_FILE_TEST_IS_REGULAR));

  /* A run never interrupted, up to three steps past the snapshot. */
  reference = job_new (model, NULL, LONG_RUN, 0, 0);
  run_job (reference, iteration + 3);

  /* The run continued from the snapshot, in the same folder. */
  {
    g_autoptr(GdkPixbuf) content = test_app_picture_new (40, 32, 0.0);
    g_autoptr(GdkPixbuf) style = test_app_picture_new (24, 24, 1.7);

    impasto_session_params_init_default (&settings.params);
    impasto_session_config_init_default (&settings.config);
    settings.size = 40;
    settings.min_side = 16;
    settings.iterations = LONG_RUN;
    settings.threads = 1;
    settings.run_folder = folder;
    settings.resume_snapshot = snapshot;
    settings.resume_iteration = iteration;
    settings.resume_losses = (ImpastoLosses) {
      g_key_file_get_double (info, "snapshot", "loss", NULL),
      g_key_file_get_double (info, "snapshot", "content-loss", NULL),
      g_key_file_get_double (info, "snapshot", "style-loss", NULL),
      g_key_file_get_double (info, "snapshot", "tv-loss", NULL),
    };
    resumed = impasto_job_new (model, content, &(ImpastoJobPainting) { style, 1.0 }, 1,
                               &settings);
  }
  {
    /* It takes over the snapshots the killed run kept. */
    g_autoptr(GArray) adopted = impasto_job_dup_snapshots (resumed);

    g_assert_cmpuint (adopted->len, >=, 4);
    g_assert_cmpint (g_array_index (adopted, ImpastoJobSnapshot, adopted->len - 1).iteration,
                     ==, iteration);
    /* Each with its picture (written before run.ini named it); without the killed run's records,
     * no loss nor size. */
    for (guint i = 0; i < adopted->len; i++)
      {
        const ImpastoJobSnapshot *one = &g_array_index (adopted, ImpastoJobSnapshot, i);

        g_assert_nonnull (one->picture);
        g_assert_true (g_file_test (one->picture, G_FILE_TEST_IS_REGULAR));
        g_assert_true (isnan (one->loss));
        g_assert_cmpint (one->scale, ==, -1);
      }
  }
  run_job (resumed, iteration + 3);
  g_assert_cmpint (impasto_job_get_state (resumed), ==, IMPASTO_JOB_STOPPED);

  original = impasto_job_get_history (reference, &n_original);
  continued = impasto_job_get_history (resumed, &n_continued);
  g_assert_cmpuint (n_continued, >=, 4);
  g_assert_cmpuint (n_original, >=, (guint) iteration + 4);
  /* It starts at the snapshot's iteration, and goes on as the original did, bit for bit. */
  g_assert_cmpint (continued[0].iteration, ==, iteration);
  /* With the losses run.ini kept of it, exactly. */
  g_assert_cmpfloat (continued[0].losses.total, ==, original[iteration].losses.total);
  g_assert_cmpfloat (continued[0].losses.content, ==, original[iteration].losses.content);
  g_assert_cmpfloat (continued[0].losses.style, ==, original[iteration].losses.style);
  g_assert_cmpfloat (continued[0].losses.tv_term, ==, original[iteration].losses.tv_term);
  g_assert_cmpint (original[iteration].iteration, ==, iteration);
  for (int k = 1; k <= 3; k++)
    {
      g_assert_cmpint (continued[k].iteration, ==, iteration + k);
      g_assert_cmpint (continued[k].scale, ==, original[iteration + k].scale);
      g_assert_cmpfloat (continued[k].losses.total, ==, original[iteration + k].losses.total);
      g_assert_cmpfloat (continued[k].losses.style, ==, original[iteration + k].losses.style);
    }

  impasto_job_delete_run_folder (resumed);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_rmdir (tmp);
}

static void
test_records_text (void)
{
  g_autofree char *dir = g_dir_make_tmp ("impasto-records-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.tsv", NULL);
  g_autoptr(GArray) read = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoJobRecord records[3] = {
    { 0, 0, 20, 16, 1, 1.0, 1e3, 0.1, 1e-3, { 1234.5678901234567, 0.1, 0.2, 0.30000000000000004 },
      0.0 },
    { 1, 0, 20, 16, 1, 5e-324, 1.7976931348623157e308, -0.0, 2.0 / 3.0,
      { NAN, INFINITY, -INFINITY, 1.0 / 3.0 }, 12.345678901234567 },
    { 7, 2, 40, 32, 0, 1e-300, 3.0, 0.0, 1e-2, { 9.87654321e21, 1e-17, 2.5, 0.0 }, 1e9 },
  };

  g_assert_true (impasto_job_write_records (path, records, G_N_ELEMENTS (records), &error));
  g_assert_no_error (error);
  read = impasto_job_read_records (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->len, ==, G_N_ELEMENTS (records));
  for (guint i = 0; i < read->len; i++)
    {
      ImpastoJobRecord expected = records[i];

      expected.params_serial = 0;   /* not written: a serial of the run that wrote it */
      g_assert_cmpmem (&g_array_index (read, ImpastoJobRecord, i), sizeof expected, &expected,
                       sizeof expected);
    }
  g_clear_pointer (&read, g_array_unref);

  /* A line that is not a record, and iterations out of order: refused, naming the line. */
  g_assert_true (g_file_set_contents (path, "# header\n0\t0\t20\t16\t1\t1\t1\t1\t1\t1\t1\t1\t1"
                                      "\nnot a record\n", -1, NULL));
  read = impasto_job_read_records (path, &error);
  g_assert_null (read);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "5\t0\t20\t16\t1\t1\t1\t1\t1\t1\t1\t1\t1\n"
                                      "5\t0\t20\t16\t1\t1\t1\t1\t1\t1\t1\t1\t1\n", -1,
                                      NULL));
  read = impasto_job_read_records (path, &error);
  g_assert_null (read);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  /* Missing: the file's own error. */
  g_unlink (path);
  read = impasto_job_read_records (path, &error);
  g_assert_null (read);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* The arguments with the seed first; freed at the end (LeakSanitizer). */
  g_autofree char **all = NULL;
  char *args[] = { argv[0], (char *) "--seed=" SEED, NULL };
  char **child_argv = args;
  int child_argc = 2;

  if (argc == 3 && strcmp (argv[1], "--child") == 0)
    {
      child_folder = argv[2];
      gtk_test_init (&child_argc, &child_argv, NULL);
      g_test_add_func ("/job-history/child", test_child);
      return g_test_run ();
    }

  /* The seed first: options given after it win (then the child's network differs, and the
   * continued run is refused). */
  {
    all = g_new0 (char *, argc + 2);

    all[0] = argv[0];
    all[1] = (char *) "--seed=" SEED;
    for (int i = 1; i < argc; i++)
      all[i + 1] = argv[i];
    argc++;
    argv = all;
  }
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/job-history/schedule", test_schedule);
  g_test_add_func ("/job-history/bounded", test_bounded);
  g_test_add_func ("/job-history/long-run", test_long_run);
  g_test_add_func ("/job-history/discard-while-running", test_discard_while_running);
  g_test_add_func ("/job-history/resume-after-kill", test_resume_after_kill);
  g_test_add_func ("/job-history/records-text", test_records_text);
  return g_test_run ();
}
