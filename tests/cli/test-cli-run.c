/* test-cli-run.c
 *
 * impasto-cli running for real on a tiny random VGG19 (written once per test program by
 * tools/impasto-make-vgg19 --tiny) at about 32 x 26 pixels: the output and its size, the JSON
 * Lines log (iterations 0..N, valid numbers, total = alpha content + beta style + tv TV, the loss
 * falling, the size of each record), the ladder of sizes (each size's iterations and size in the
 * log, its budgets from --iterations, --tolerance ending sizes early, --scales 1 flat, frames at
 * the final size, the summary line), --iterations 0 writing the starting image itself,
 * --init-image, --save-every frames,
 * the model found through IMPASTO_MODEL and $XDG_DATA_HOME, and Ctrl+C: exit status 130 with the
 * last image written.
 *
 * It does not judge the picture's quality; the engine's own tests check the numbers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-run"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-image.h"

/* The tiny model, shared by every test of this program. */
static char *model_dir;
static char *model_path;

typedef struct
{
  char *dir;
} Fixture;

typedef struct
{
  int iter;
  double loss;
  double content;
  double style;
  double tv;
  double ms;
  int scale;
  int width;
  int height;
  int tiles_x;
  int tiles_y;
} LogLine;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cli_test_dir_free (fixture->dir);
}

static void
make_model (void)
{
  model_path = cli_test_make_tiny_model (&model_dir);
}

/* Parses one log line strictly: the documented keys in order, JSON numbers only. */
static gboolean
parse_log_line (const char *line,
                LogLine    *out)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *iter = NULL;

  if (g_once_init_enter (&regex))
    {
#define NUM "(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
      GRegex *compiled = g_regex_new ("^\\{\"iter\":(0|[1-9][0-9]*),\"loss\":" NUM
                                      ",\"content\":" NUM ",\"style\":" NUM ",\"tv\":" NUM
                                      ",\"ms\":" NUM ",\"scale\":(0|[1-9][0-9]*)"
                                      ",\"width\":([1-9][0-9]*),\"height\":([1-9][0-9]*)"
                                      ",\"tiles_x\":([1-9][0-9]*),\"tiles_y\":([1-9][0-9]*)"
                                      "\\}$", 0, 0, NULL);
#undef NUM
      g_assert_nonnull (compiled);
      g_once_init_leave (&regex, compiled);
    }

  if (!g_regex_match (regex, line, 0, &match))
    return FALSE;

  iter = g_match_info_fetch (match, 1);
  out->iter = (int) g_ascii_strtoll (iter, NULL, 10);
  {
    double *fields[] = { &out->loss, &out->content, &out->style, &out->tv, &out->ms };

    for (int i = 0; i < 5; i++)
      {
        g_autofree char *text = g_match_info_fetch (match, i + 2);

        *fields[i] = g_ascii_strtod (text, NULL);
      }
  }
  {
    int *fields[] = { &out->scale, &out->width, &out->height, &out->tiles_x, &out->tiles_y };

    for (int i = 0; i < 5; i++)
      {
        g_autofree char *text = g_match_info_fetch (match, i + 7);

        *fields[i] = (int) g_ascii_strtoll (text, NULL, 10);
      }
  }
  return TRUE;
}

/* Every line of @path, parsed; asserts that each is valid. */
static GArray *
read_log (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (LogLine));

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "\n"));

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      LogLine entry;

      if (!parse_log_line (lines[i], &entry))
        g_error ("log line %u is not the documented JSON: %s", i + 1, lines[i]);
      g_array_append_val (entries, entry);
    }

  return entries;
}

static GdkPixbuf *
load_output (const char *dir,
             const char *name,
             int         width,
             int         height,
             const char *format)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GdkPixbufFormat *file_format;
  g_autofree char *format_name = NULL;
  GdkPixbuf *pixbuf;

  file_format = gdk_pixbuf_get_file_info (path, NULL, NULL);
  g_assert_nonnull (file_format);
  format_name = gdk_pixbuf_format_get_name (file_format);  /* a copy */
  g_assert_cmpstr (format_name, ==, format);

  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
  return pixbuf;
}

static void
assert_same_pixels (GdkPixbuf *a,
                    GdkPixbuf *b)
{
  int width = gdk_pixbuf_get_width (a);
  int height = gdk_pixbuf_get_height (a);

  g_assert_cmpint (gdk_pixbuf_get_width (b), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (b), ==, height);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (a), ==, 3);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (b), ==, 3);
  for (int y = 0; y < height; y++)
    g_assert_cmpmem (gdk_pixbuf_read_pixels (a) + (gsize) y * gdk_pixbuf_get_rowstride (a),
                     (gsize) width * 3,
                     gdk_pixbuf_read_pixels (b) + (gsize) y * gdk_pixbuf_get_rowstride (b),
                     (gsize) width * 3);
}

static void
test_run_with_log (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *log_path = g_build_filename (fixture->dir, "run.jsonl", NULL);
  g_autoptr(GArray) log = NULL;
  g_autoptr(GdkPixbuf) output = NULL;
  const double alpha = 1.0;
  const double beta = 500.0;
  const double tv = 0.001;
  const int iterations = 20;
  int status;

  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "out.png", "--model", model_path, "--size", "32",
                         "--iterations", "20", "--alpha", "1", "--beta", "500", "--tv", "0.001",
                         "--seed", "3", "--threads", "1", "--log", "run.jsonl", NULL);
  g_assert_cmpint (status, ==, 0);

  /* 40 x 32 with the longest side at 32: 32 x 25.6, rounded. */
  output = load_output (fixture->dir, "out.png", 32, 26, "png");

  log = read_log (log_path);
  g_assert_cmpuint (log->len, ==, (guint) iterations + 1);
  for (guint i = 0; i < log->len; i++)
    {
      const LogLine *line = &g_array_index (log, LogLine, i);
      double total = alpha * line->content + beta * line->style + tv * line->tv;

      g_assert_cmpint (line->iter, ==, (int) i);
      /* 32 px is below the smallest size of the ladder: one size, the output's. */
      g_assert_cmpint (line->scale, ==, 0);
      g_assert_cmpint (line->width, ==, 32);
      g_assert_cmpint (line->height, ==, 26);
      g_assert_cmpfloat (line->loss, >, 0.0);
      g_assert_cmpfloat (line->content, >=, 0.0);
      g_assert_cmpfloat (line->style, >=, 0.0);
      g_assert_cmpfloat (line->tv, >=, 0.0);
      g_assert_cmpfloat (line->ms, >=, 0.0);
      g_assert_cmpfloat_with_epsilon (line->loss, total, 1e-5 * fabs (total) + 1e-9);
    }
  g_test_message ("loss %g -> %g", g_array_index (log, LogLine, 0).loss,
                  g_array_index (log, LogLine, iterations).loss);
  g_assert_cmpfloat (g_array_index (log, LogLine, iterations).loss, <,
                     g_array_index (log, LogLine, 0).loss);

  /* The images, the output and the log: no temporary file left. */
  g_assert_cmpuint (cli_test_count_files (fixture->dir), ==, 5);
}

/* The sizes of a 48 px output (40 x 32 photo: 48 x 38) with --min-size 24: longest sides 24, 34
 * and 48, the other side round(38 * side / 48). */
static const int ladder_widths[] = { 24, 34, 48 };
static const int ladder_heights[] = { 19, 27, 38 };

/* Checks that @log climbs the three sizes, each from iteration 0 to @per_size[k]. */
static void
assert_ladder_log (GArray    *log,
                   const int *per_size)
{
  guint i = 0;

  for (int k = 0; k < 3; k++)
    for (int iter = 0; iter <= per_size[k]; iter++, i++)
      {
        const LogLine *line;

        g_assert_cmpuint (i, <, log->len);
        line = &g_array_index (log, LogLine, i);
        g_assert_cmpint (line->scale, ==, k);
        g_assert_cmpint (line->iter, ==, iter);
        g_assert_cmpint (line->width, ==, ladder_widths[k]);
        g_assert_cmpint (line->height, ==, ladder_heights[k]);
        g_assert_cmpfloat (line->loss, >, 0.0);
      }
  g_assert_cmpuint (i, ==, log->len);
}

static void
test_ladder (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *log_path = g_build_filename (fixture->dir, "ladder.jsonl", NULL);
  g_autofree char *frames_dir = g_build_filename (fixture->dir, "frames", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GArray) log = NULL;
  const int budgets[] = { 1, 1, 4 };
  const int converged[] = { 10, 9, 10 };
  int status;

  g_assert_cmpint (g_mkdir (frames_dir, 0755), ==, 0);

  /* --iterations 4: the final size gets 4, the one between ceil(4 / 20) = 1, the smallest
   * ceil(4 / 10) = 1; 6 steps in all, so frames after 2, 4 and 6 steps, each at the final size
   * (the first two from lower sizes, enlarged). */
  status = cli_test_run (fixture->dir, NULL, NULL, &err,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "frames/out.png", "--model", model_path, "--size", "48",
                         "--min-size", "24", "--iterations", "4", "--save-every", "2",
                         "--seed", "5", "--threads", "1", "--log", "ladder.jsonl", NULL);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("stderr: %s", err);
  g_assert_nonnull (strstr (err, "first whole picture after"));
  log = read_log (log_path);
  assert_ladder_log (log, budgets);
  g_object_unref (load_output (frames_dir, "out.png", 48, 38, "png"));
  g_object_unref (load_output (frames_dir, "out-0002.png", 48, 38, "png"));
  g_object_unref (load_output (frames_dir, "out-0004.png", 48, 38, "png"));
  g_object_unref (load_output (frames_dir, "out-0006.png", 48, 38, "png"));
  g_assert_cmpuint (cli_test_count_files (frames_dir), ==, 4);
  g_clear_pointer (&log, g_array_unref);

  /* A tolerance every change is below: each size ends once the 10-iteration window is full,
   * before its budget (18 and 180), except the one between, whose budget of 9 is shorter. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "tol.png", "--model", model_path, "--size", "48",
                         "--min-size", "24", "--iterations", "180", "--tolerance", "100",
                         "--threads", "1", "--log", "ladder.jsonl", NULL);
  g_assert_cmpint (status, ==, 0);
  log = read_log (log_path);
  assert_ladder_log (log, converged);
  g_clear_pointer (&log, g_array_unref);

  /* --scales 1: the flat run at the final size, --iterations steps. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "flat.png", "--model", model_path, "--size", "48",
                         "--min-size", "24", "--scales", "1", "--iterations", "4",
                         "--threads", "1", "--log", "ladder.jsonl", NULL);
  g_assert_cmpint (status, ==, 0);
  log = read_log (log_path);
  g_assert_cmpuint (log->len, ==, 5);
  for (guint i = 0; i < log->len; i++)
    {
      g_assert_cmpint (g_array_index (log, LogLine, i).scale, ==, 0);
      g_assert_cmpint (g_array_index (log, LogLine, i).iter, ==, (int) i);
      g_assert_cmpint (g_array_index (log, LogLine, i).width, ==, 48);
      g_assert_cmpint (g_array_index (log, LogLine, i).height, ==, 38);
      /* Painted whole: far below the default budget. */
      g_assert_cmpint (g_array_index (log, LogLine, i).tiles_x, ==, 1);
      g_assert_cmpint (g_array_index (log, LogLine, i).tiles_y, ==, 1);
    }
  g_object_unref (load_output (fixture->dir, "flat.png", 48, 38, "png"));

  /* The optimiser by default: L-BFGS on a ladder, the method's Adam for one size. The same
   * seed and one thread give the same bytes. */
  {
    const char *runs[][4] = {
      { "ladder-default.png", "--scales", "3", NULL },
      { "ladder-lbfgs.png", "--scales", "3", "lbfgs" },
      { "ladder-adam.png", "--scales", "3", "adam" },
      { "flat-default.png", "--scales", "1", NULL },
      { "flat-adam.png", "--scales", "1", "adam" },
    };
    char *bytes[G_N_ELEMENTS (runs)] = { NULL };
    gsize lengths[G_N_ELEMENTS (runs)] = { 0 };

    for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
      {
        g_autofree char *path = g_build_filename (fixture->dir, runs[k][0], NULL);

        status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                               "--content", "content.png", "--style", "style.png",
                               "--output", runs[k][0], "--model", model_path, "--size", "48",
                               "--min-size", "24", runs[k][1], runs[k][2], "--iterations", "4",
                               "--seed", "3", "--threads", "1",
                               runs[k][3] != NULL ? "--optimizer" : NULL, runs[k][3], NULL);
        g_assert_cmpint (status, ==, 0);
        g_assert_true (g_file_get_contents (path, &bytes[k], &lengths[k], NULL));
      }
    g_assert_cmpmem (bytes[0], lengths[0], bytes[1], lengths[1]);
    g_assert_false (lengths[0] == lengths[2] && memcmp (bytes[0], bytes[2], lengths[0]) == 0);
    g_assert_cmpmem (bytes[3], lengths[3], bytes[4], lengths[4]);
    for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
      g_free (bytes[k]);
  }
}

static void
test_iterations_zero (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *log_path = g_build_filename (fixture->dir, "zero.jsonl", NULL);
  g_autofree char *content_path = g_build_filename (fixture->dir, "content.png", NULL);
  g_autofree char *style_path = g_build_filename (fixture->dir, "style.jpg", NULL);
  g_autoptr(GArray) log = NULL;
  g_autoptr(GdkPixbuf) output = NULL;
  g_autoptr(GdkPixbuf) init_output = NULL;
  g_autoptr(GdkPixbuf) content = NULL;
  g_autoptr(GdkPixbuf) content_scaled = NULL;
  g_autoptr(GdkPixbuf) style = NULL;
  g_autoptr(GdkPixbuf) style_scaled = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* Starting from the photo, zero steps write the photo at the working size. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "out.png", "--model", model_path, "--size", "32",
                         "--iterations", "0", "--init", "content", "--log", "zero.jsonl", NULL);
  g_assert_cmpint (status, ==, 0);

  log = read_log (log_path);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpint (g_array_index (log, LogLine, 0).iter, ==, 0);

  output = load_output (fixture->dir, "out.png", 32, 26, "png");
  content = impasto_image_load (content_path, &error);
  g_assert_no_error (error);
  content_scaled = impasto_image_scale (content, 32, 26);
  assert_same_pixels (output, content_scaled);

  /* --init-image: that picture, resized to the output size. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "init.png", "--model", model_path, "--size", "32",
                         "--iterations", "0", "--init-image", "style.jpg", NULL);
  g_assert_cmpint (status, ==, 0);

  init_output = load_output (fixture->dir, "init.png", 32, 26, "png");
  style = impasto_image_load (style_path, &error);
  g_assert_no_error (error);
  style_scaled = impasto_image_scale (style, 32, 26);
  assert_same_pixels (init_output, style_scaled);
  g_clear_object (&output);
  g_clear_object (&content_scaled);
  g_clear_pointer (&log, g_array_unref);

  /* Where a ladder would have several sizes, zero steps still write the start at the output
   * size itself, not a smaller one enlarged. */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "out.png", "--model", model_path, "--size", "48",
                         "--min-size", "24", "--iterations", "0", "--init", "content",
                         "--log", "zero.jsonl", NULL);
  g_assert_cmpint (status, ==, 0);
  log = read_log (log_path);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpint (g_array_index (log, LogLine, 0).scale, ==, 0);
  g_assert_cmpint (g_array_index (log, LogLine, 0).width, ==, 48);
  output = load_output (fixture->dir, "out.png", 48, 38, "png");
  content_scaled = impasto_image_scale (content, 48, 38);
  assert_same_pixels (output, content_scaled);
}

static void
test_save_every (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const frames[] = {
    "result-0002.jpg", "result-0004.jpg", "result-0006.jpg", "result.jpg",
  };
  g_autofree char *frames_dir = g_build_filename (fixture->dir, "frames", NULL);
  int status;

  g_assert_cmpint (g_mkdir (frames_dir, 0755), ==, 0);

  /* Only --width: the height follows the photo's aspect (40 x 32 -> 20 x 16). */
  status = cli_test_run (fixture->dir, NULL, NULL, NULL,
                         "--content", "content.png", "--style", "style.jpg",
                         "--output", "frames/result.jpg", "--model", model_path,
                         "--width", "20", "--iterations", "7", "--save-every", "2", NULL);
  g_assert_cmpint (status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    g_object_unref (load_output (frames_dir, frames[i], 20, 16, "jpeg"));
  g_assert_cmpuint (cli_test_count_files (frames_dir), ==, G_N_ELEMENTS (frames));
}

static void
test_model_lookup (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *data_home = g_build_filename (fixture->dir, "data", NULL);
  g_autofree char *user_dir = g_build_filename (data_home, "impasto", NULL);
  g_autofree char *link = g_build_filename (user_dir, "imagenet-vgg-verydeep-19.mat", NULL);
  g_autofree char *empty_home = g_build_filename (fixture->dir, "empty", NULL);
  g_auto(GStrv) envp = NULL;
  g_autoptr(GdkPixbuf) first = NULL;
  g_autoptr(GdkPixbuf) second = NULL;
  int status;

  /* IMPASTO_MODEL, with an exact size, L-BFGS, average pooling and a style start. */
  g_assert_cmpint (g_mkdir (empty_home, 0755), ==, 0);
  envp = cli_test_environ_without_model (empty_home);
  envp = g_environ_setenv (envp, "IMPASTO_MODEL", model_path, TRUE);
  status = cli_test_run (fixture->dir, envp, NULL, NULL,
                         "--content", "content.png", "--style", "style.jpg",
                         "--output", "env.png", "--width", "24", "--height", "20",
                         "--iterations", "2", "--optimizer", "lbfgs", "--pool", "avg",
                         "--init", "style", "--content-layers", "relu4_2",
                         "--style-layers", "conv1_1:1,conv2_1:0.5", NULL);
  g_assert_cmpint (status, ==, 0);
  first = load_output (fixture->dir, "env.png", 24, 20, "png");
  g_clear_pointer (&envp, g_strfreev);

  /* The user's data folder. */
  g_assert_cmpint (g_mkdir_with_parents (user_dir, 0755), ==, 0);
  g_assert_cmpint (symlink (model_path, link), ==, 0);
  envp = cli_test_environ_without_model (data_home);
  status = cli_test_run (fixture->dir, envp, NULL, NULL,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "xdg.png", "--size", "20", "--iterations", "1", NULL);
  g_assert_cmpint (status, ==, 0);
  second = load_output (fixture->dir, "xdg.png", 20, 16, "png");
}

/* The highest "iter" in the log so far, -1 if none. */
static int
last_logged_iteration (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  int last = -1;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      LogLine entry;

      /* The last line may still be half written. */
      if (parse_log_line (lines[i], &entry))
        last = MAX (last, entry.iter);
    }
  return last;
}

static void
test_sigint (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *log_path = g_build_filename (fixture->dir, "run.jsonl", NULL);
  g_autoptr(GdkPixbuf) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  const char *argv[] = {
    cli_test_program (), "--content", "content.png", "--style", "style.png",
    "--output", "out.png", "--model", model_path, "--size", "32",
    "--iterations", "10000000", "--log", "run.jsonl", NULL,
  };
  gint64 deadline;
  gint64 signalled;
  GPid pid;
  int err_fd = -1;
  int wait_status = 0;
  int last;
  char buffer[4096];
  gssize n;

  g_spawn_async_with_pipes (fixture->dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                            NULL, &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);

  /* Wait until at least two steps are done. */
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (last_logged_iteration (log_path) < 2)
    {
      g_assert_cmpint (waitpid (pid, &wait_status, WNOHANG), ==, 0);  /* still running */
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }

  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  signalled = g_get_monotonic_time ();
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_test_message ("stopped %.1f ms after SIGINT",
                  (double) (g_get_monotonic_time () - signalled) / 1000.0);
  g_spawn_close_pid (pid);

  while ((n = read (err_fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (err, buffer, n);
  close (err_fd);
  g_test_message ("stderr: %s", err->str);

  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 130);
  /* Promptly: well under the time limit even on a slow machine. */
  g_assert_cmpint (g_get_monotonic_time () - signalled, <, 30 * G_USEC_PER_SEC);

  last = last_logged_iteration (log_path);
  g_assert_cmpint (last, >=, 2);
  output = load_output (fixture->dir, "out.png", 32, 26, "png");
  g_assert_nonnull (strstr (err->str, "interrupted"));

  /* The images, the output and the log: no temporary file left. */
  g_assert_cmpuint (cli_test_count_files (fixture->dir), ==, 5);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  make_model ();

  g_test_add ("/cli/run/log", Fixture, NULL, fixture_set_up, test_run_with_log,
              fixture_tear_down);
  g_test_add ("/cli/run/ladder", Fixture, NULL, fixture_set_up, test_ladder,
              fixture_tear_down);
  g_test_add ("/cli/run/iterations-zero", Fixture, NULL, fixture_set_up, test_iterations_zero,
              fixture_tear_down);
  g_test_add ("/cli/run/save-every", Fixture, NULL, fixture_set_up, test_save_every,
              fixture_tear_down);
  g_test_add ("/cli/run/model-lookup", Fixture, NULL, fixture_set_up, test_model_lookup,
              fixture_tear_down);
  g_test_add ("/cli/run/sigint", Fixture, NULL, fixture_set_up, test_sigint, fixture_tear_down);

  result = g_test_run ();

  g_clear_pointer (&model_path, g_free);
  cli_test_dir_free (g_steal_pointer (&model_dir));

  return result;
}
