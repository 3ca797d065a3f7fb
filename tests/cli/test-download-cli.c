/* test-download-cli.c
 *
 * `impasto-cli model download` against a loopback HTTP server in the test (test-download-server.c)
 * serving a tiny VGG19 .mat: a download with --url, --md5 and --output lands the file, imports it
 * into the cache ($XDG_CACHE_HOME) and exits 0; without flags it goes to $XDG_DATA_HOME/impasto/
 * from IMPASTO_MODEL_URL; a wrong MD5 or an HTML answer exits 1 and leaves nothing; bad usage
 * exits 2 before any request; Ctrl+C (SIGINT) mid-way exits 130 with the .part kept, and running
 * the command again resumes it with a Range request.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-download-cli"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-download.h"
#include "impasto-model-path.h"
#include "test-download-server.h"

static GBytes *mat;
static char *mat_md5;

typedef struct
{
  TestDownloadServer *server;
  char *dir;
  char *models;   /* the --output folder */
  char *cache;    /* $XDG_CACHE_HOME */
  char **envp;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *data_home = NULL;

  f->server = test_download_server_new (mat);
  f->dir = cli_test_dir_new ();
  f->models = g_build_filename (f->dir, "models", NULL);
  f->cache = g_build_filename (f->dir, "cache", NULL);
  data_home = g_build_filename (f->dir, "data", NULL);
  g_assert_cmpint (g_mkdir (f->models, 0755), ==, 0);

  f->envp = cli_test_environ_without_model (data_home);
  f->envp = g_environ_setenv (f->envp, "XDG_CACHE_HOME", f->cache, TRUE);
  f->envp = g_environ_unsetenv (f->envp, IMPASTO_DOWNLOAD_URL_ENV);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_download_server_free (f->server);
  cli_test_dir_free (f->dir);
  g_free (f->models);
  g_free (f->cache);
  g_strfreev (f->envp);
}

static char *
model_path (Fixture *f)
{
  return g_build_filename (f->models, IMPASTO_MODEL_FILE_NAME, NULL);
}

static void
assert_file_is_mat (const char *path)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;
  gsize mat_size;
  const void *mat_data = g_bytes_get_data (mat, &mat_size);

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, mat_data, mat_size);
}

/* One .impasto file in $XDG_CACHE_HOME/impasto/. */
static void
assert_imported (Fixture *f)
{
  g_autofree char *folder = g_build_filename (f->cache, "impasto", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".impasto"))
      n++;
  g_assert_cmpuint (n, ==, 1);
}

static void
test_complete (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = test_download_server_url (f->server, "/model.mat");
  g_autofree char *path = model_path (f);
  g_autofree char *out = NULL;
  int code;

  code = cli_test_run (f->dir, f->envp, &out, NULL, "model", "download", "--url", url,
                       "--md5", mat_md5, "--output", f->models, NULL);
  g_assert_cmpint (code, ==, 0);
  g_assert_nonnull (strstr (out, mat_md5));
  assert_file_is_mat (path);
  g_assert_cmpuint (cli_test_count_files (f->models), ==, 1);
  assert_imported (f);
  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 1);

  /* Again: already there and verified, nothing fetched. */
  g_clear_pointer (&out, g_free);
  code = cli_test_run (f->dir, f->envp, &out, NULL, "model", "download", "--url", url,
                       "--md5", mat_md5, "--output", f->models, NULL);
  g_assert_cmpint (code, ==, 0);
  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 1);
}

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = test_download_server_url (f->server, "/model.mat");
  g_autofree char *path = g_build_filename (f->dir, "data", "impasto", IMPASTO_MODEL_FILE_NAME,
                                            NULL);
  g_autofree char *out = NULL;
  int code;

  /* The address from IMPASTO_MODEL_URL, the file into $XDG_DATA_HOME/impasto/. */
  f->envp = g_environ_setenv (f->envp, IMPASTO_DOWNLOAD_URL_ENV, url, TRUE);
  code = cli_test_run (f->dir, f->envp, &out, NULL, "model", "download", "--md5", mat_md5,
                       "--quiet", NULL);
  g_assert_cmpint (code, ==, 0);
  g_assert_cmpstr (out, ==, "");
  assert_file_is_mat (path);
  assert_imported (f);
}

static void
test_wrong_md5 (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = test_download_server_url (f->server, "/model.mat");
  g_autofree char *err = NULL;
  int code;

  /* Without --md5 the real file's two sums are expected, which the tiny file has not. */
  code = cli_test_run (f->dir, f->envp, NULL, &err, "model", "download", "--url", url,
                       "--output", f->models, NULL);
  g_assert_cmpint (code, ==, 1);
  g_assert_nonnull (strstr (err, "MD5"));
  g_assert_cmpuint (cli_test_count_files (f->models), ==, 0);
  {
    g_autofree char *imported = g_build_filename (f->cache, "impasto", NULL);

    g_assert_false (g_file_test (imported, G_FILE_TEST_EXISTS));
  }
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = test_download_server_url (f->server, "/page.html");
  g_autofree char *err = NULL;
  int code;

  code = cli_test_run (f->dir, f->envp, NULL, &err, "model", "download", "--url", url,
                       "--md5", mat_md5, "--output", f->models, NULL);
  g_assert_cmpint (code, ==, 1);
  g_assert_nonnull (strstr (err, "web page"));
  g_assert_cmpuint (cli_test_count_files (f->models), ==, 0);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *url = test_download_server_url (f->server, "/model.mat");
  const char * const cases[][6] = {
    { "--md5", "not-a-sum", "--url", url, NULL },
    { "--url", "ftp://127.0.0.1/model.mat", NULL },
    { "--url", url, "extra", NULL },
    { "--no-such-flag", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      g_ptr_array_add (args, (gpointer) "model");
      g_ptr_array_add (args, (gpointer) "download");
      g_ptr_array_add (args, (gpointer) "--output");
      g_ptr_array_add (args, f->models);
      for (guint j = 0; cases[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i][j]);
      g_ptr_array_add (args, NULL);

      g_assert_cmpint (cli_test_runv (f->dir, f->envp, NULL, NULL,
                                      (const char * const *) args->pdata), ==, 2);
    }
  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 0);
  g_assert_cmpuint (cli_test_count_files (f->models), ==, 0);
}

static guint64
part_size (const char *part)
{
  GStatBuf st;

  return g_stat (part, &st) == 0 ? (guint64) st.st_size : 0;
}

static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = test_download_server_url (f->server, "/model.mat");
  g_autofree char *path = model_path (f);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  guint64 size = g_bytes_get_size (mat);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  TestDownloadRequest request;
  guint64 kept;
  int code;

  /* About 32 KiB/s: the tiny file takes nearly two seconds. */
  test_download_server_set_pace (f->server, 640, 20000);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, f->envp);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  process = g_subprocess_launcher_spawn (launcher, &error, cli_test_program (), "model",
                                         "download", "--url", url, "--md5", mat_md5,
                                         "--output", f->models, NULL);
  g_assert_no_error (error);

  while (part_size (part) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_nonnull (strstr (err, "again"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  kept = part_size (part);
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <, size);

  /* The same command again resumes with a Range request. */
  test_download_server_set_pace (f->server, 0, 0);
  code = cli_test_run (f->dir, f->envp, NULL, NULL, "model", "download", "--url", url,
                       "--md5", mat_md5, "--output", f->models, NULL);
  g_assert_cmpint (code, ==, 0);
  assert_file_is_mat (path);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 2);
  test_download_server_get_request (f->server, 1, &request);
  g_assert_cmpint (request.range_start, ==, (gint64) kept);
  g_assert_cmpuint (request.status, ==, 206);
  g_assert_cmpuint (request.bytes_sent, ==, size - kept);
  test_download_request_clear (&request);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  test_download_unset_proxies ();
  mat = test_download_tiny_mat ();
  mat_md5 = test_download_md5 (mat);

#define ADD(name, func) \
  g_test_add ("/download-cli/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("complete", test_complete);
  ADD ("defaults", test_defaults);
  ADD ("wrong-md5", test_wrong_md5);
  ADD ("html", test_html);
  ADD ("usage", test_usage);
  ADD ("interrupt", test_interrupt);
#undef ADD

  status = g_test_run ();
  g_bytes_unref (mat);
  g_free (mat_md5);
  return status;
}
