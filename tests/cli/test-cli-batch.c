/* test-cli-batch.c
 *
 * impasto-cli painting batches on a tiny random VGG19: a folder of three photos, one of them not
 * a picture, gives two results, one message naming the broken file and exit status 1; the model
 * is read once (its debug line, G_MESSAGES_DEBUG=impasto-cli, counted) and the second photo of
 * the same size runs no forward pass over the painting; photos given one by one keep their
 * order; the --output-name pattern and its placeholders, --each-style, and the patterns refused
 * before anything is painted (two results of one name, an unknown placeholder, a result over an
 * input); and Ctrl+C after the first picture: exit status 130, the first picture and the one in
 * progress written, the third not painted; the log's records name their picture.
 *
 * It does not judge the pictures; test-cli-run.c checks a single run's output.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-batch"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-picture-settings.h"

static char *model_dir;
static char *model_path;

typedef struct
{
  char *dir;
} Fixture;

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (from, &contents, &size, &error);
  g_assert_no_error (error);
  cli_test_write_file (to, contents, size);
}

/* photos/a.png and photos/c.png (40 × 32), photos/b.png (text), style.png and style.jpg. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *photos = NULL;
  g_autofree char *content = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
  photos = g_build_filename (fixture->dir, "photos", NULL);
  g_assert_cmpint (g_mkdir (photos, 0755), ==, 0);
  content = g_build_filename (fixture->dir, "content.png", NULL);
  a = g_build_filename (photos, "a.png", NULL);
  b = g_build_filename (photos, "b.png", NULL);
  c = g_build_filename (photos, "c.png", NULL);
  copy_file (content, a);
  copy_file (content, c);
  cli_test_write_file (b, "not a picture\n", 14);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cli_test_dir_free (fixture->dir);
}

static char **
debug_environ (void)
{
  return g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "impasto-cli", TRUE);
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

static gboolean
exists (const Fixture *fixture,
        const char    *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
test_broken_photo (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(GStrv) env = debug_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out_dir = g_build_filename (fixture->dir, "out", NULL);
  int status;

  status = cli_test_run (fixture->dir, env, &out, &err, "--content", "photos", "--style",
                         "style.png", "--output-dir", "out", "--model", model_path, "--size",
                         "32", "--iterations", "3", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");

  /* Two results, named by the default pattern; nothing else in the folder. */
  g_assert_true (exists (fixture, "out/a-style.png"));
  g_assert_true (exists (fixture, "out/c-style.png"));
  g_assert_cmpuint (cli_test_count_files (out_dir), ==, 2);

  /* One message names the broken photo, with its place in the batch. */
  g_assert_cmpuint (count_lines_with (err, "b.png"), ==, 1);
  g_assert_cmpuint (count_lines_with (err, "photo 2/3: photos/b.png"), ==, 1);
  g_assert_nonnull (strstr (err, "wrote 2 of 3 pictures"));

  /* The model read once; the painting's targets computed for the first photo only. */
  g_assert_cmpuint (count_lines_with (err, "model loaded from"), ==, 1);
  g_assert_cmpuint (count_lines_with (err, "photos/a.png: 1 forward passes over paintings"), ==,
                    1);
  g_assert_cmpuint (count_lines_with (err, "photos/c.png: 0 forward passes over paintings"), ==,
                    1);
}

static void
test_files_in_order (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(GStrv) env = debug_environ ();
  g_autofree char *err = NULL;
  const char *first;
  const char *second;
  int status;

  /* Given one by one: painted in the order given, numbered by {n}. */
  status = cli_test_run (fixture->dir, env, NULL, &err, "--content", "photos/c.png",
                         "--content", "content.png", "--style", "style.png", "--output-dir",
                         "out", "--output-name", "{n}-{content}.jpg", "--model", model_path,
                         "--size", "32", "--iterations", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (exists (fixture, "out/1-c.jpg"));
  g_assert_true (exists (fixture, "out/2-content.jpg"));
  first = strstr (err, "photo 1/2: wrote out/1-c.jpg");
  second = strstr (err, "photo 2/2: wrote out/2-content.jpg");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (first < second);
  g_assert_cmpuint (count_lines_with (err, "model loaded from"), ==, 1);
}

/* The [Source] of the settings @name carries: @photo and one painting, @painting. */
static void
check_source (Fixture    *fixture,
              const char *name,
              const char *photo,
              const char *painting)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GKeyFile) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *photo_name = NULL;
  g_autofree char *painting_name = NULL;
  ImpastoRunSettings settings;

  g_assert_true (impasto_picture_settings_read (path, &settings, skipped, &source, &error));
  g_assert_no_error (error);
  photo_name = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "photo", NULL);
  painting_name = g_key_file_get_string (source, IMPASTO_PICTURE_SOURCE_GROUP, "painting-1",
                                         NULL);
  g_assert_cmpstr (photo_name, ==, photo);
  g_assert_cmpstr (painting_name, ==, painting);
  g_assert_false (g_key_file_has_key (source, IMPASTO_PICTURE_SOURCE_GROUP, "painting-2", NULL));
}

static void
test_each_style (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *out_dir = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *style = g_build_filename (fixture->dir, "style.png", NULL);
  g_autofree char *bold = g_build_filename (fixture->dir, "bold.png", NULL);
  int status;

  copy_file (style, bold);
  status = cli_test_run (fixture->dir, NULL, NULL, &err, "--content", "photos/a.png",
                         "--content", "photos/c.png", "--style", "style.png", "--style",
                         "bold.png", "--each-style", "--output-dir", "out", "--model",
                         model_path, "--size", "32", "--iterations", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (cli_test_count_files (out_dir), ==, 4);
  g_assert_true (exists (fixture, "out/a-style.png"));
  g_assert_true (exists (fixture, "out/a-bold.png"));
  g_assert_true (exists (fixture, "out/c-style.png"));
  g_assert_true (exists (fixture, "out/c-bold.png"));
  /* Counted in pictures: each photo with each painting. */
  g_assert_nonnull (strstr (err, "picture 4/4: wrote out/c-bold.png"));
  /* Each picture's settings name its own photo and its one painting. */
  check_source (fixture, "out/a-bold.png", "a.png", "bold.png");
  check_source (fixture, "out/c-style.png", "c.png", "style.png");
}

typedef struct
{
  const char *name;
  const char *extra[6];
  const char *keyword;
} Refusal;

static const Refusal refusals[] = {
  /* Without {style}, --each-style would write each photo twice. */
  { "same-name", { "--each-style", "--output-name", "{content}.png", NULL }, "twice" },
  { "unknown-placeholder", { "--output-name", "{photo}.png", NULL }, "{photo}" },
  { "unclosed-brace", { "--output-name", "{content.png", NULL }, "{" },
  { "slash", { "--output-name", "sub/{content}.png", NULL }, "/" },
  { "bad-format", { "--output-name", "{content}.gif", NULL }, ".gif" },
  /* style.png and style.jpg are both {style} "style". */
  { "same-stem", { "--style", "style.jpg", "--each-style", NULL }, "twice" },
  { "over-an-input", { "--output-dir", "photos", "--output-name", "{content}.png", NULL },
    "input" },
  { "each-style-weights", { "--each-style", "--style-weights", "1,2", NULL },
    "--style-weights" },
  { "output-and-dir", { "--output", "one.png", NULL }, "--output" },
};

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const Refusal *refusal = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autofree char *out_dir = g_build_filename (fixture->dir, "out", NULL);
  const char * const base[] = {
    "--content", "photos", "--style", "style.png", "--style", "style2.png", "--output-dir",
    "out", "--model", "nowhere.mat", "--size", "32", "--iterations", "2",
  };
  g_autofree char *style = g_build_filename (fixture->dir, "style.png", NULL);
  g_autofree char *style2 = g_build_filename (fixture->dir, "style2.png", NULL);
  int status;

  copy_file (style, style2);
  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (args, (gpointer) base[i]);
  for (guint i = 0; refusal->extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) refusal->extra[i]);
  g_ptr_array_add (args, NULL);

  status = cli_test_runv (fixture->dir, NULL, NULL, &err, (const char * const *) args->pdata);
  /* Refused before the model (which does not exist) is looked for: nothing painted. */
  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (err, "impasto-cli: "));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_nonnull (strstr (err, refusal->keyword));
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS)
                  && cli_test_count_files (out_dir) > 0);
}

static void
test_each_style_names (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *style = g_build_filename (fixture->dir, "style.png", NULL);
  g_autofree char *bold = g_build_filename (fixture->dir, "bold.png", NULL);
  g_autofree char *out_dir = g_build_filename (fixture->dir, "out", NULL);
  int status;

  copy_file (style, bold);
  /* {{ and }} are braces. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL, "--content", "photos/a.png",
                         "--style", "style.png", "--style", "bold.png", "--each-style",
                         "--output-dir", "out", "--output-name", "{{{content}}}_{style}.png",
                         "--model", model_path, "--size", "32", "--iterations", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (cli_test_count_files (out_dir), ==, 2);
  g_assert_true (exists (fixture, "out/{a}_style.png"));
  g_assert_true (exists (fixture, "out/{a}_bold.png"));

  /* Blended, {style} joins the names. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL, "--content", "photos/a.png",
                         "--style", "style.png", "--style", "bold.png", "--output-dir", "out",
                         "--model", model_path, "--size", "32", "--iterations", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (exists (fixture, "out/a-style+bold.png"));
}

/* The text read from @fd so far, appended to @text; FALSE at its end. */
static gboolean
read_some (int      fd,
           GString *text)
{
  char buffer[4096];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n <= 0)
    return FALSE;
  g_string_append_len (text, buffer, n);
  return TRUE;
}

static void
test_sigint (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *out_dir = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *broken = g_build_filename (fixture->dir, "photos", "b.png", NULL);
  g_autofree char *a = g_build_filename (fixture->dir, "photos", "a.png", NULL);
  g_autofree char *log_path = g_build_filename (fixture->dir, "run.jsonl", NULL);
  const char *argv[] = {
    cli_test_program (), "--content", "photos", "--style", "style.png", "--output-dir", "out",
    "--model", model_path, "--size", "32", "--iterations", "1000", "--log", "run.jsonl", NULL,
  };
  gint64 deadline;
  GPid pid;
  int err_fd = -1;
  int wait_status = 0;

  /* Three good photos this time. */
  g_assert_cmpint (g_unlink (broken), ==, 0);
  copy_file (a, broken);

  g_spawn_async_with_pipes (fixture->dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                            NULL, &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);

  /* Until the second picture has taken a few steps (the log's records say which picture). */
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (log_path, &log, NULL, NULL)
          && count_lines_with (log, ",\"picture\":2}") >= 3)
        break;
      g_assert_cmpint (waitpid (pid, &wait_status, WNOHANG), ==, 0);  /* still running */
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  while (read_some (err_fd, err))
    ;
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_test_message ("stderr: %s", err->str);

  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 130);
  /* The first picture, and the second as far as it got; the third never started. */
  g_assert_true (exists (fixture, "out/a-style.png"));
  g_assert_true (exists (fixture, "out/b-style.png"));
  g_assert_false (exists (fixture, "out/c-style.png"));
  g_assert_cmpuint (cli_test_count_files (out_dir), ==, 2);
  g_assert_nonnull (strstr (err->str, "photo 1/3: wrote out/a-style.png"));
  g_assert_nonnull (strstr (err->str, "photo 2/3: interrupted; wrote the image after iteration"));
  g_assert_nonnull (strstr (err->str, "stopped by Ctrl+C"));
  g_assert_null (strstr (err->str, "photo 3/3"));
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  model_path = cli_test_make_tiny_model (&model_dir);

  g_test_add ("/cli/batch/broken-photo", Fixture, NULL, fixture_set_up, test_broken_photo,
              fixture_tear_down);
  g_test_add ("/cli/batch/files-in-order", Fixture, NULL, fixture_set_up, test_files_in_order,
              fixture_tear_down);
  g_test_add ("/cli/batch/each-style", Fixture, NULL, fixture_set_up, test_each_style,
              fixture_tear_down);
  g_test_add ("/cli/batch/each-style-names", Fixture, NULL, fixture_set_up,
              test_each_style_names, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/batch/refused/%s", refusals[i].name);

      g_test_add (path, Fixture, &refusals[i], fixture_set_up, test_refused, fixture_tear_down);
    }
  g_test_add ("/cli/batch/sigint", Fixture, NULL, fixture_set_up, test_sigint,
              fixture_tear_down);

  result = g_test_run ();

  g_clear_pointer (&model_path, g_free);
  cli_test_dir_free (g_steal_pointer (&model_dir));

  return result;
}
