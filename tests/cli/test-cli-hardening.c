/* test-cli-hardening.c
 *
 * impasto-cli when things go wrong during or after a run, on a tiny random VGG19:
 *
 * - A full disk when the result is written (the file size limit, RLIMIT_FSIZE, makes every write
 *   past 1 kB fail, as ENOSPC would; SIGXFSZ is ignored): exit status 1, a message naming the
 *   output, the previous output byte for byte, no temporary file left behind.
 * - The output folder removed mid-run (the program is stopped with SIGSTOP after its first frame,
 *   the folder removed, then SIGCONT): the run goes on without frames, said once; the result goes
 *   to a new file in $TMPDIR and the message says where; exit status 1.
 * - A learning rate of 1e30: the loss becomes infinite, the run stops with a message about the
 *   learning rate (exit status 1); the previous output is untouched and the JSON log holds only
 *   finite numbers.
 * - A size the real-width VGG19 cannot paint under --max-memory 512M even in tiles (8000
 *   pixels): refused with the estimate and the budget, before the pictures are resampled (the
 *   program's peak resident size stays far below one working-size picture).
 * - NaN, infinite and negative values for every numeric flag test-cli-errors.c does not already
 *   try: exit status 2 and a message naming the flag.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-hardening"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"

static const char previous_output[] = "an output from an earlier run, which must survive\n";

static char *model_dir;
static char *tiny_model;

typedef struct
{
  char *dir;
  char *tmp;      /* $TMPDIR for the program */
  char *cache;    /* $XDG_CACHE_HOME for the program */
} Fixture;

typedef struct
{
  gboolean limit_file_size;  /* RLIMIT_FSIZE of 1 kB */
  gboolean stop_at_frame;    /* SIGSTOP once out/result-0001.png exists, then @on_stopped */
  void (*on_stopped) (Fixture *fixture);
} RunOptions;

typedef struct
{
  int status;       /* exit status, or 1000 + signal */
  char *command;
  char *err;
  long max_rss_kb;
} RunResult;

static void
run_result_clear (RunResult *result)
{
  g_clear_pointer (&result->command, g_free);
  g_clear_pointer (&result->err, g_free);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;

  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
  out = g_build_filename (fixture->dir, "out.png", NULL);
  cli_test_write_file (out, previous_output, sizeof previous_output - 1);
  fixture->tmp = g_build_filename (fixture->dir, "tmp", NULL);
  fixture->cache = g_build_filename (fixture->dir, "cache", NULL);
  g_assert_cmpint (g_mkdir (fixture->tmp, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->cache, 0755), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cli_test_dir_free (fixture->dir);
  g_free (fixture->tmp);
  g_free (fixture->cache);
}

static char *
make_model (const char *name,
            gboolean    tiny)
{
  const char *tool = g_getenv ("IMPASTO_MAKE_VGG19");
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *path = g_build_filename (model_dir, name, NULL);
  int wait_status = 0;
  const char *argv[] = { tool, "--output", path, "--seed", "5", "--no-fc",
                         tiny ? "--tiny" : NULL, NULL };

  g_assert_nonnull (tool);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("impasto-make-vgg19 failed: %s\n%s", error->message, err);
  return path;
}

static void
assert_previous_output (Fixture *fixture)
{
  g_autofree char *out = g_build_filename (fixture->dir, "out.png", NULL);
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (out, &contents, &size, NULL));
  g_assert_cmpmem (contents, size, previous_output, sizeof previous_output - 1);
}

/* No leftover temporary file (".NAME.XXXXXX") in @dir. */
static void
assert_no_temporary_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (name[0] == '.')
      g_error ("a temporary file was left behind: %s/%s", dir, name);
}

/* Runs the CLI in @fixture's folder with @args; stderr goes to a file, resource use comes from
 * wait4(). */
static void
run_cli (Fixture          *fixture,
         const RunOptions *options,
         const char       *model,
         RunResult        *result,
         const char       *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err_path = g_build_filename (fixture->tmp, "..stderr", NULL);
  g_auto(GStrv) envp = g_get_environ ();
  struct rusage usage;
  const char *arg;
  va_list ap;
  int wait_status = 0;
  pid_t pid;

  g_ptr_array_add (argv, (gpointer) cli_test_program ());
  g_ptr_array_add (argv, (gpointer) "--model");
  g_ptr_array_add (argv, (gpointer) model);
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_free (result->command);
  result->command = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running: %s", result->command);

  envp = g_environ_setenv (envp, "TMPDIR", fixture->tmp, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", fixture->cache, TRUE);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* Only async-signal-safe calls until exec. */
      int fd = open (err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

      if (fd < 0 || dup2 (fd, STDERR_FILENO) < 0 || chdir (fixture->dir) != 0)
        _exit (127);
      if (options != NULL && options->limit_file_size)
        {
          struct rlimit limit = { 1024, 1024 };

          signal (SIGXFSZ, SIG_IGN);
          if (setrlimit (RLIMIT_FSIZE, &limit) != 0)
            _exit (127);
        }
      execve ((const char *) argv->pdata[0], (char **) argv->pdata, envp);
      _exit (127);
    }

  if (options != NULL && options->stop_at_frame)
    {
      g_autofree char *frame = g_build_filename (fixture->dir, "out", "result-0001.png", NULL);
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

      while (!g_file_test (frame, G_FILE_TEST_EXISTS))
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_assert_cmpint (waitpid (pid, NULL, WNOHANG), ==, 0);  /* still running */
          g_usleep (200);
        }
      g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
      options->on_stopped (fixture);
      g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
    }

  g_assert_cmpint (wait4 (pid, &wait_status, 0, &usage), ==, pid);
  result->max_rss_kb = usage.ru_maxrss;
  result->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status)
                                           : 1000 + WTERMSIG (wait_status);
  g_assert_true (g_file_get_contents (err_path, &result->err, NULL, NULL));
  g_unlink (err_path);
  g_test_message ("exit %d, peak %ld kB, stderr: %s", result->status, result->max_rss_kb,
                  result->err);
}

/* Fails with the program's stderr in the message: a sanitizer report or a GLib critical in the
 * CLI shows up in the test log instead of only as a wrong number. */
static void
assert_exit_status (const RunResult *result,
                    int              expected)
{
  if (result->status != expected)
    g_error ("%s\nexited with %d%s, not %d; its stderr:\n%s", result->command, result->status,
             result->status >= 1000 ? " (1000 + the signal)" : "", expected, result->err);
}

static void
test_full_disk (Fixture       *fixture,
                gconstpointer  data)
{
  RunOptions options = { .limit_file_size = TRUE };
  RunResult result = { 0 };

  run_cli (fixture, &options, tiny_model, &result, "--content", "content.png", "--style",
           "style.png", "--output", "out.png", "--size", "32", "--iterations", "3", NULL);

  assert_exit_status (&result, 1);
  g_assert_nonnull (strstr (result.err, "impasto-cli: Could not write out.png: "));
  g_assert_nonnull (strstr (result.err, g_strerror (EFBIG)));
  /* The temporary folder is just as full: said, not hidden. */
  g_assert_nonnull (strstr (result.err, "could not be saved anywhere else either"));
  assert_previous_output (fixture);
  assert_no_temporary_files (fixture->dir);
  g_assert_cmpuint (cli_test_count_files (fixture->tmp), ==, 0);
  run_result_clear (&result);
}

static void
remove_output_folder (Fixture *fixture)
{
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autoptr(GDir) listing = g_dir_open (out, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (out, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (out), ==, 0);
}

static void
test_folder_vanishes (Fixture       *fixture,
                      gconstpointer  data)
{
  RunOptions options = { .stop_at_frame = TRUE, .on_stopped = remove_output_folder };
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *rescued = NULL;
  g_autoptr(GdkPixbuf) picture = NULL;
  g_autoptr(GError) error = NULL;
  RunResult result = { 0 };
  const char *said;
  const char *end;

  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  run_cli (fixture, &options, tiny_model, &result, "--content", "content.png", "--style",
           "style.png", "--output", "out/result.png", "--size", "32", "--iterations", "60",
           "--save-every", "1", NULL);

  assert_exit_status (&result, 1);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  /* Frames: said once, and the run went on. */
  said = strstr (result.err, "the run goes on without saving frames");
  g_assert_nonnull (said);
  g_assert_null (strstr (said + 1, "the run goes on without saving frames"));
  /* The result: not where it was asked for, but kept, and the message says where. */
  g_assert_nonnull (strstr (result.err, "Could not write out/result.png"));
  said = strstr (result.err, "the picture was saved as ");
  g_assert_nonnull (said);
  said += strlen ("the picture was saved as ");
  end = strstr (said, " instead");
  g_assert_nonnull (end);
  rescued = g_strndup (said, (gsize) (end - said));
  g_assert_true (g_str_has_prefix (rescued, fixture->tmp));
  g_assert_true (g_str_has_suffix (rescued, ".png"));
  picture = gdk_pixbuf_new_from_file (rescued, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (picture), ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_height (picture), ==, 26);
  assert_previous_output (fixture);
  run_result_clear (&result);
}

static void
test_learning_rate_blowup (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *log_path = g_build_filename (fixture->dir, "run.jsonl", NULL);
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  RunResult result = { 0 };

  run_cli (fixture, NULL, tiny_model, &result, "--content", "content.png", "--style",
           "style.png", "--output", "out.png", "--size", "32", "--iterations", "50",
           "--learning-rate", "1e30", "--log", "run.jsonl", NULL);

  assert_exit_status (&result, 1);
  g_assert_nonnull (strstr (result.err, "learning rate"));
  g_assert_null (strstr (result.err, "nan"));
  assert_previous_output (fixture);
  assert_no_temporary_files (fixture->dir);

  /* The log: only the iterations before the blow-up, with finite numbers. */
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_assert_null (strstr (lines[i], "nan"));
      g_assert_null (strstr (lines[i], "inf"));
      g_assert_null (strstr (lines[i], "null"));
    }
  run_result_clear (&result);
}

static void
test_size_beyond_memory (Fixture       *fixture,
                         gconstpointer  data)
{
  static char *real_model;
  RunResult result = { 0 };

  if (real_model == NULL)
    real_model = make_model ("real-no-fc.mat", FALSE);

  /* 8000 x 6400: one working-size picture as floats alone is 614 MB, more than a budget of
   * 512 MiB even in tiles (whole, VGG19's activations at that size are hundreds of gigabytes). */
  run_cli (fixture, NULL, real_model, &result, "--content", "content.png", "--style",
           "style.png", "--output", "out.png", "--size", "8000", "--iterations", "3",
           "--max-memory", "512M", NULL);

  assert_exit_status (&result, 1);
  g_assert_nonnull (strstr (result.err, "a 8000 × 6400 picture needs about "));
  g_assert_nonnull (strstr (result.err, " even in tiles, more than the 512"));
  g_assert_nonnull (strstr (result.err, "--size"));
  g_assert_nonnull (strstr (result.err, "--max-memory"));
  /* The 80 MB network and two tiny pictures, nothing at the working size. */
  g_assert_cmpint (result.max_rss_kb, <, 560 * 1024);
  assert_previous_output (fixture);
  assert_no_temporary_files (fixture->dir);
  run_result_clear (&result);
}

typedef struct
{
  const char *flag;
  const char *value;
} BadValue;

static void
test_bad_numbers (Fixture       *fixture,
                  gconstpointer  data)
{
  static const BadValue cases[] = {
    { "--alpha", "-inf" }, { "--beta", "nan" }, { "--beta", "inf" }, { "--tv", "nan" },
    { "--tv", "inf" }, { "--tv", "-0.5" }, { "--learning-rate", "nan" },
    { "--learning-rate", "inf" }, { "--learning-rate", "-1" }, { "--noise", "nan" },
    { "--noise", "-0.1" }, { "--style-layers", "conv1_1:-1" },
    { "--style-layers", "conv1_1:inf" }, { "--content-layers", "conv4_2:-0.5" },
    { "--content-layers", "conv4_2:1e999" }, { "--size", "-512" }, { "--width", "nan" },
    { "--iterations", "1e3" }, { "--seed", "nan" }, { "--save-every", "inf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RunResult result = { 0 };
      const char *flag = cases[i].flag;

      run_cli (fixture, NULL, tiny_model, &result, "--content", "content.png", "--style",
               "style.png", "--output", "out.png", flag, cases[i].value, NULL);
      assert_exit_status (&result, 2);
      g_assert_true (g_str_has_prefix (result.err, "impasto-cli: "));
      if (strstr (result.err, flag) == NULL)
        g_error ("%s %s: the message does not name the flag: %s", flag, cases[i].value,
                 result.err);
      assert_previous_output (fixture);
      run_result_clear (&result);
    }
  g_assert_cmpuint (cli_test_count_files (fixture->tmp), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  model_dir = cli_test_dir_new ();
  tiny_model = make_model ("tiny.mat", TRUE);

  g_test_add ("/cli/hardening/full-disk", Fixture, NULL, fixture_set_up, test_full_disk,
              fixture_tear_down);
  g_test_add ("/cli/hardening/folder-vanishes", Fixture, NULL, fixture_set_up,
              test_folder_vanishes, fixture_tear_down);
  g_test_add ("/cli/hardening/learning-rate-blowup", Fixture, NULL, fixture_set_up,
              test_learning_rate_blowup, fixture_tear_down);
  g_test_add ("/cli/hardening/size-beyond-memory", Fixture, NULL, fixture_set_up,
              test_size_beyond_memory, fixture_tear_down);
  g_test_add ("/cli/hardening/bad-numbers", Fixture, NULL, fixture_set_up, test_bad_numbers,
              fixture_tear_down);

  status = g_test_run ();
  cli_test_dir_free (model_dir);
  g_free (tiny_model);
  return status;
}
