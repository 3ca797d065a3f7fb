/* test-download.c
 *
 * ImpastoDownload against a loopback HTTP server started by the test (test-download-server.c)
 * that serves a tiny synthetic VGG19 .mat: a complete download lands in place with its MD5
 * verified; one cut off halfway keeps its .part and the next run asks for the rest with a Range
 * request and gets only the rest; a server that ignores the range is read from the start; a .part
 * that is already complete is finished on a 416; a wrong checksum deletes everything; an HTML
 * answer (by its type or by its bytes) and a 404 leave nothing behind; cancelling keeps the .part
 * and no model; a full disk (the .part is /dev/full, whose writes fail with ENOSPC) says so and
 * keeps the .part; a file already in place is verified and not fetched again; progress arrives
 * on the main context with a rate and a time left. Plus the URL and MD5 parsing.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-download"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-test-util.h"
#include "impasto-download.h"
#include "test-download-server.h"

static GBytes *mat;
static char *mat_md5;

typedef struct
{
  TestDownloadServer *server;
  char *dir;
  char *path;
  char *part;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = test_download_server_new (mat);
  f->dir = cli_test_dir_new ();
  f->path = g_build_filename (f->dir, "models", "imagenet-vgg-verydeep-19.mat", NULL);
  f->part = g_strconcat (f->path, ".part", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *models = g_path_get_dirname (f->path);

  test_download_server_free (f->server);
  g_unlink (f->part);
  g_unlink (f->path);
  g_rmdir (models);
  cli_test_dir_free (f->dir);
  g_free (f->path);
  g_free (f->part);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} Outcome;

static void
on_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = impasto_download_run_finish (IMPASTO_DOWNLOAD (object), result, &outcome->error);
  outcome->done = TRUE;
}

/* Runs @download to its end on the default main context. */
static gboolean
run (ImpastoDownload  *download,
     GCancellable     *cancellable,
     GError          **error)
{
  Outcome outcome = { 0 };

  impasto_download_run_async (download, cancellable, on_done_cb, &outcome);
  g_assert_true (impasto_download_get_running (download));
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (impasto_download_get_running (download));
  g_assert_true (outcome.ok == (outcome.error == NULL));
  if (outcome.error != NULL)
    g_propagate_error (error, outcome.error);
  return outcome.ok;
}

static ImpastoDownload *
new_download (Fixture    *f,
              const char *url_path,
              const char *md5)
{
  g_autofree char *url = test_download_server_url (f->server, url_path);
  const char *md5s[] = { md5, NULL };

  return impasto_download_new (url, f->path, md5 != NULL ? md5s : NULL);
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (guint64) st.st_size;
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

static void
assert_request (Fixture    *f,
                guint       index,
                const char *path,
                gint64      range_start,
                guint       status,
                guint64     bytes_sent)
{
  TestDownloadRequest request;

  test_download_server_get_request (f->server, index, &request);
  g_assert_cmpstr (request.path, ==, path);
  g_assert_cmpint (request.range_start, ==, range_start);
  g_assert_cmpuint (request.status, ==, status);
  g_assert_cmpuint (request.bytes_sent, ==, bytes_sent);
  test_download_request_clear (&request);
}

static void
test_complete (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (impasto_download_get_part_path (download), ==, f->part);
  g_assert_true (run (download, NULL, &error));
  g_assert_no_error (error);

  assert_file_is_mat (f->path);
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (impasto_download_get_md5 (download), ==, mat_md5);
  g_assert_false (impasto_download_get_was_present (download));
  g_assert_cmpuint (impasto_download_get_bytes_done (download), ==, g_bytes_get_size (mat));
  g_assert_cmpuint (impasto_download_get_bytes_total (download), ==, g_bytes_get_size (mat));
  g_assert_cmpuint (impasto_download_get_resumed_from (download), ==, 0);

  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 1);
  assert_request (f, 0, "/model.mat", -1, 200, g_bytes_get_size (mat));
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  guint64 size = g_bytes_get_size (mat);
  guint64 half = size / 2;
  g_autoptr(GError) error = NULL;

  test_download_server_cut_next (f->server, half);
  {
    g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);

    g_assert_false (run (download, NULL, &error));
    g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK);
    g_test_message ("cut off: %s", error->message);
    g_clear_error (&error);
  }
  /* Half the file waits in the .part, nothing is where the model would be looked for. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_size (f->part), ==, half);

  {
    g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);

    g_assert_true (run (download, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (impasto_download_get_resumed_from (download), ==, half);
    g_assert_cmpuint (impasto_download_get_bytes_done (download), ==, size);
    g_assert_cmpstr (impasto_download_get_md5 (download), ==, mat_md5);
  }
  assert_file_is_mat (f->path);
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));

  /* The second request asked for the rest, and only the rest was sent. */
  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 2);
  assert_request (f, 0, "/model.mat", -1, 200, half);
  assert_request (f, 1, "/model.mat", (gint64) half, 206, size - half);
}

static void
test_resume_ignored (Fixture       *f,
                     gconstpointer  data)
{
  guint64 size = g_bytes_get_size (mat);
  g_autoptr(ImpastoDownload) download = NULL;
  g_autoptr(GError) error = NULL;

  /* A third of the file as a leftover .part; the server then answers 200 with everything. */
  {
    g_autofree char *models = g_path_get_dirname (f->path);

    g_assert_cmpint (g_mkdir_with_parents (models, 0755), ==, 0);
  }
  cli_test_write_file (f->part, g_bytes_get_data (mat, NULL), size / 3);
  test_download_server_set_ignore_range (f->server, TRUE);

  download = new_download (f, "/model.mat", mat_md5);
  g_assert_true (run (download, NULL, &error));
  g_assert_no_error (error);
  assert_file_is_mat (f->path);
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (impasto_download_get_resumed_from (download), ==, 0);
  assert_request (f, 0, "/model.mat", (gint64) (size / 3), 200, size);
}

static void
test_resume_complete_part (Fixture       *f,
                           gconstpointer  data)
{
  guint64 size = g_bytes_get_size (mat);
  g_autofree char *models = g_path_get_dirname (f->path);
  g_autoptr(ImpastoDownload) download = NULL;
  g_autoptr(GError) error = NULL;

  /* The connection dropped after the last byte: the .part is whole, the range is past the end. */
  g_assert_cmpint (g_mkdir_with_parents (models, 0755), ==, 0);
  cli_test_write_file (f->part, g_bytes_get_data (mat, NULL), size);

  download = new_download (f, "/model.mat", mat_md5);
  g_assert_true (run (download, NULL, &error));
  g_assert_no_error (error);
  assert_file_is_mat (f->path);
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 1);
  assert_request (f, 0, "/model.mat", (gint64) size, 416, 0);
}

static void
test_wrong_checksum (Fixture       *f,
                     gconstpointer  data)
{
  /* The default sums (the real file's) do not match the tiny file. */
  g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (impasto_download_get_md5s (download)[0], ==, IMPASTO_DOWNLOAD_MD5_NEWER);
  g_assert_cmpstr (impasto_download_get_md5s (download)[1], ==, IMPASTO_DOWNLOAD_MD5_OLDER);
  g_assert_null (impasto_download_get_md5s (download)[2]);

  g_assert_false (run (download, NULL, &error));
  g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_CHECKSUM);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, mat_md5));
  g_assert_nonnull (strstr (error->message, IMPASTO_DOWNLOAD_MD5_NEWER));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_assert_null (impasto_download_get_md5 (download));
}

static void
check_refused (Fixture    *f,
               const char *url_path,
               gint        code)
{
  g_autoptr(ImpastoDownload) download = new_download (f, url_path, mat_md5);
  g_autoptr(GError) error = NULL;

  g_assert_false (run (download, NULL, &error));
  g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, code);
  g_test_message ("%s: %s", url_path, error->message);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  /* By its Content-Type, even with the right bytes behind it. */
  check_refused (f, "/page.html", IMPASTO_DOWNLOAD_ERROR_NOT_A_MODEL);
  check_refused (f, "/model-as-html.mat", IMPASTO_DOWNLOAD_ERROR_NOT_A_MODEL);
  /* By its first bytes, whatever it is labelled. */
  check_refused (f, "/html-body.mat", IMPASTO_DOWNLOAD_ERROR_NOT_A_MODEL);
}

static void
test_http_error (Fixture       *f,
                 gconstpointer  data)
{
  check_refused (f, "/gone.mat", IMPASTO_DOWNLOAD_ERROR_HTTP);
}

static void
on_bytes_done_cb (ImpastoDownload *download,
                  GParamSpec      *pspec,
                  GCancellable    *cancellable)
{
  /* Cancel once a rate and a time left have been worked out. */
  if (impasto_download_get_bytes_done (download) > 0
      && impasto_download_get_rate (download) > 0.0
      && impasto_download_get_seconds_left (download) >= 0.0)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  guint64 size = g_bytes_get_size (mat);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint64 kept;

  /* About 64 KiB/s, so the rate has time to show before the end. */
  test_download_server_set_pace (f->server, 640, 10000);
  {
    g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);
    g_autofree char *text = NULL;

    g_signal_connect (download, "notify::bytes-done", G_CALLBACK (on_bytes_done_cb),
                      cancellable);
    g_assert_false (run (download, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);

    kept = impasto_download_get_bytes_done (download);
    g_assert_cmpuint (kept, >, 0);
    g_assert_cmpuint (kept, <, size);
    g_assert_cmpuint (impasto_download_get_bytes_total (download), ==, size);
    text = impasto_download_format_progress (kept, size, impasto_download_get_rate (download),
                                             impasto_download_get_seconds_left (download));
    g_test_message ("progress at the cancel: %s", text);
    g_assert_nonnull (strstr (text, "/s"));
  }
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_size (f->part), ==, kept);

  /* And the next run finishes it from there. */
  test_download_server_set_pace (f->server, 0, 0);
  {
    g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);

    g_assert_true (run (download, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (impasto_download_get_resumed_from (download), ==, kept);
  }
  assert_file_is_mat (f->path);
  assert_request (f, 1, "/model.mat", (gint64) kept, 206, size - kept);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *models = g_path_get_dirname (f->path);
  g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);
  g_autoptr(GError) error = NULL;

  /* Every write to /dev/full fails with ENOSPC, as on a full disk. */
  g_assert_true (g_file_test ("/dev/full", G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_mkdir_with_parents (models, 0755), ==, 0);
  g_assert_cmpint (symlink ("/dev/full", f->part), ==, 0);

  g_assert_false (run (download, NULL, &error));
  g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "full"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  /* The .part stays for a retry. */
  g_assert_true (g_file_test (f->part, G_FILE_TEST_IS_SYMLINK));
}

static void
test_already_present (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *models = g_path_get_dirname (f->path);
  g_autoptr(ImpastoDownload) download = new_download (f, "/model.mat", mat_md5);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (models, 0755), ==, 0);
  cli_test_write_file (f->path, g_bytes_get_data (mat, NULL), g_bytes_get_size (mat));

  g_assert_true (run (download, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (impasto_download_get_was_present (download));
  g_assert_cmpstr (impasto_download_get_md5 (download), ==, mat_md5);
  g_assert_cmpuint (test_download_server_get_n_requests (f->server), ==, 0);
}

static void
test_no_server (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "model.mat", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImpastoDownload) download = NULL;
  TestDownloadServer *server = test_download_server_new (mat);
  g_autofree char *url = test_download_server_url (server, "/model.mat");

  /* A port that was free a moment ago: connection refused. */
  test_download_server_free (server);
  download = impasto_download_new (url, path, NULL);
  g_assert_false (run (download, NULL, &error));
  g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (cli_test_count_files (dir), ==, 0);
  cli_test_dir_free (g_steal_pointer (&dir));
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) defaults = impasto_download_parse_md5s ("", &error);
  g_auto(GStrv) two = impasto_download_parse_md5s ("ABCDEF0123456789abcdef0123456789, "
                                                   "00000000000000000000000000000000", &error);
  g_auto(GStrv) bad = NULL;
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (defaults), ==, 2);
  g_assert_cmpstr (defaults[0], ==, IMPASTO_DOWNLOAD_MD5_NEWER);
  g_assert_cmpuint (g_strv_length (two), ==, 2);
  g_assert_cmpstr (two[0], ==, "abcdef0123456789abcdef0123456789");

  bad = impasto_download_parse_md5s ("1234", &error);
  g_assert_null (bad);
  g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (impasto_download_check_url (IMPASTO_DOWNLOAD_DEFAULT_URL, NULL));
  g_assert_true (impasto_download_check_url ("http://127.0.0.1:8080/x.mat", NULL));
  g_assert_false (impasto_download_check_url ("ftp://example.org/x.mat", &error));
  g_assert_error (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (impasto_download_check_url ("model.mat", NULL));

  /* --url, then IMPASTO_MODEL_URL, then the setting, then MatConvNet. */
  g_unsetenv (IMPASTO_DOWNLOAD_URL_ENV);
  url = impasto_download_resolve_url (NULL, "");
  g_assert_cmpstr (url, ==, IMPASTO_DOWNLOAD_DEFAULT_URL);
  g_free (url);
  url = impasto_download_resolve_url (NULL, "http://settings/");
  g_assert_cmpstr (url, ==, "http://settings/");
  g_free (url);
  g_setenv (IMPASTO_DOWNLOAD_URL_ENV, "http://env/", TRUE);
  url = impasto_download_resolve_url (NULL, "http://settings/");
  g_assert_cmpstr (url, ==, "http://env/");
  g_free (url);
  url = impasto_download_resolve_url ("http://flag/", "http://settings/");
  g_assert_cmpstr (url, ==, "http://flag/");
  g_unsetenv (IMPASTO_DOWNLOAD_URL_ENV);
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

  /* First, while no thread reads the environment. */
  g_test_add_func ("/download/parse", test_parse);

#define ADD(name, func) \
  g_test_add ("/download/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("complete", test_complete);
  ADD ("resume", test_resume);
  ADD ("resume-ignored", test_resume_ignored);
  ADD ("resume-complete-part", test_resume_complete_part);
  ADD ("wrong-checksum", test_wrong_checksum);
  ADD ("html", test_html);
  ADD ("http-error", test_http_error);
  ADD ("cancel", test_cancel);
  ADD ("disk-full", test_disk_full);
  ADD ("already-present", test_already_present);
#undef ADD
  g_test_add_func ("/download/no-server", test_no_server);

  status = g_test_run ();
  g_bytes_unref (mat);
  g_free (mat_md5);
  return status;
}
