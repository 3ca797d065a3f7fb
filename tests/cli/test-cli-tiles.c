/* test-cli-tiles.c
 *
 * impasto-cli under a memory budget, on a tiny random VGG19: nonsense budgets exit 2 with a
 * message naming --max-memory and write nothing; without the flag the budget is three quarters of
 * this computer's memory, said at the start; a budget the engine plans in tiles (found here with
 * impasto_ladder_plan_tiles() for the same run) paints the picture in tiles, says the grid at the
 * start, after the size and in every --log line, and gives the whole run's losses (to 1e-5) and
 * picture (within 2 levels a value after one step: the tiles are exact up to float round-off); on
 * a ladder the output's size is in the planned tiles; a side at the image limit
 * (16384 px) is accepted under a budget the engine can plan it in; a budget too small even for
 * tiles exits 1 with the estimate and the budget, and writes nothing; regions are refused where
 * tiles are needed.
 *
 * It does not measure memory (the benchmarks do) and does not check the engine's numbers
 * (tests/engine/test-tiles.c does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-tiles"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-ladder.h"
#include "impasto-memory-budget.h"
#include "impasto-model-store.h"
#include "impasto-run-estimate.h"
#include "impasto-threads.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)

/* The flat runs below take one Adam step: its step is about the learning rate (1) times the sign
 * of each gradient, so a gradient that round-off tips over zero moves that value 2 levels the
 * other way, never more; further steps could add such flips up. */
#define ITERATIONS "1"

static char *model_dir;
static char *model_path;
static ImpastoWeights *weights;

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  cli_test_dir_free (fixture->dir);
}

/* The engine's plan for the runs below at @width × @height (content.png stretched, style.png
 * at brush size 1, @max_sizes sizes, Adam on one size and L-BFGS on several, as the CLI picks)
 * under @budget: TRUE with the grid and the estimate, FALSE when even tiles do not fit. */
/* impasto_ladder_plan_tiles() for the CLI's run at @width × @height with @optimizer (-1: the
 * CLI's default, L-BFGS on a ladder). */
static gboolean
plan_with (int width, int height, int max_sizes, guint64 budget, int optimizer, int *n_x,
           int *n_y, size_t *bytes)
{
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  ImpastoLadderConfig ladder_config;
  ImpastoPainting painting = { NULL, 40, 32, 1.0, false };
  ImpastoEngineError error = { 0 };
  ImpastoStatus status;

  impasto_session_params_init_default (&params);
  impasto_session_config_init_default (&config);
  config.width = width;
  config.height = height;
  config.paintings = &painting;
  config.n_paintings = 1;
  impasto_ladder_config_init_default (&ladder_config);
  ladder_config.max_sizes = max_sizes;
  impasto_ladder_config_set_budgets (&ladder_config, atoi (ITERATIONS));
  config.optimizer = impasto_ladder_plan_sizes (width, height, ladder_config.min_side, max_sizes,
                                                NULL, NULL) > 1
                     ? IMPASTO_OPTIMIZER_LBFGS : IMPASTO_OPTIMIZER_ADAM;
  if (optimizer >= 0)
    config.optimizer = optimizer;
  ladder_config.max_bytes = budget;

  *n_x = *n_y = 0;
  *bytes = 0;
  status = impasto_ladder_plan_tiles (weights, &ladder_config, &config, &params, n_x, n_y, bytes,
                                      &error);
  if (status != IMPASTO_STATUS_OK)
    {
      g_assert_cmpint (status, ==, IMPASTO_STATUS_OUT_OF_MEMORY);
      g_test_message ("%d × %d under %" G_GUINT64_FORMAT " MiB: %s", width, height, budget / MIB,
                      error.message);
      return FALSE;
    }
  g_test_message ("%d × %d under %" G_GUINT64_FORMAT " MiB: %d × %d tiles, %zu bytes", width,
                  height, budget / MIB, *n_x, *n_y, *bytes);
  g_assert_cmpint (*n_x, >=, 1);
  g_assert_cmpint (*n_y, >=, 1);
  g_assert_cmpuint (*bytes, <=, budget);
  return TRUE;
}

static gboolean
plan (int width, int height, int max_sizes, guint64 budget, int *n_x, int *n_y, size_t *bytes)
{
  return plan_with (width, height, max_sizes, budget, -1, n_x, n_y, bytes);
}

/* A picture of content.png's shape (5:4) with longest side from @sides and a budget from 64 MiB up
 * that the engine paints in at least 2 tiles with @max_sizes sizes: the first such pair. */
static void
find_tiled (const int *sides, int n_sides, int max_sizes, int *width, int *height,
            guint64 *budget, int *n_x, int *n_y)
{
  static const int budgets_mib[] = { 64, 80, 96, 128, 160, 192, 256, 384, 512, 768, 1024 };

  for (int i = 0; i < n_sides; i++)
    for (guint j = 0; j < G_N_ELEMENTS (budgets_mib); j++)
      {
        size_t bytes;

        *width = sides[i];
        *height = sides[i] * 4 / 5;
        *budget = budgets_mib[j] * MIB;
        if (plan (*width, *height, max_sizes, *budget, n_x, n_y, &bytes)
            && *n_x * *n_y >= 2)
          return;
      }
  g_error ("no picture and budget here is painted in tiles");
}

/* The CLI in @fixture's folder with content.png, style.png, --output @output and the flags
 * (NULL-terminated, up to 31). */
static int
paint (Fixture *fixture, const char *output, char **err, const char *const *extra)
{
  const char *args[48] = {
    "--content", "content.png", "--style", "style.png", "--output", output, "--model",
    model_path, "--seed", "3", "--threads", "1",
  };
  int n = 12;

  for (int i = 0; extra[i] != NULL; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  return cli_test_runv (fixture->dir, NULL, NULL, err, args);
}

static char *
path_in (Fixture *fixture, const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static GdkPixbuf *
load (Fixture *fixture, const char *name)
{
  g_autofree char *path = path_in (fixture, name);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  return pixbuf;
}

/* The largest difference of one channel between @a and @b, of the same size, and in *@n_off how
 * many values differ at all. */
static int
max_difference (GdkPixbuf *a, GdkPixbuf *b, int *n_off)
{
  int w = gdk_pixbuf_get_width (a), h = gdk_pixbuf_get_height (a);
  int n = gdk_pixbuf_get_n_channels (a);
  int largest = 0;

  *n_off = 0;
  g_assert_cmpint (w, ==, gdk_pixbuf_get_width (b));
  g_assert_cmpint (h, ==, gdk_pixbuf_get_height (b));
  g_assert_cmpint (n, ==, gdk_pixbuf_get_n_channels (b));
  for (int y = 0; y < h; y++)
    {
      const guint8 *pa = gdk_pixbuf_read_pixels (a) + (gsize) y * gdk_pixbuf_get_rowstride (a);
      const guint8 *pb = gdk_pixbuf_read_pixels (b) + (gsize) y * gdk_pixbuf_get_rowstride (b);

      for (int k = 0; k < w * n; k++)
        {
          largest = MAX (largest, abs ((int) pa[k] - (int) pb[k]));
          *n_off += pa[k] != pb[k];
        }
    }
  return largest;
}

/* The "loss" of every --log line at @name, in order. */
static GArray *
read_log_losses (Fixture *fixture, const char *name)
{
  g_autofree char *path = path_in (fixture, name);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *losses = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *loss = strstr (lines[i], "\"loss\":");
      double value;

      g_assert_nonnull (loss);
      value = g_ascii_strtod (loss + strlen ("\"loss\":"), NULL);
      g_array_append_val (losses, value);
    }
  return losses;
}

/* The tiles of every --log line at @path, by size: *@final_x × *@final_y those of the lines at the
 * output's size (all the same), and *@most_below the most tiles of a line at a size below it. */
static void
read_log_tiles (Fixture *fixture, const char *name, int *final_x, int *final_y, int *most_below)
{
  g_autofree char *path = path_in (fixture, name);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("\"scale\":([0-9]+),\"width\":[0-9]+,\"height\":[0-9]+,"
                                         "\"tiles_x\":([1-9][0-9]*),\"tiles_y\":([1-9][0-9]*)\\}$",
                                         0, 0, NULL);
  int top_scale = -1;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  /* The sizes come in order: the last line is at the output's size. */
  *final_x = *final_y = 0;
  *most_below = 0;
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
      {
        g_autoptr(GMatchInfo) match = NULL;
        g_autofree char *scale_text = NULL, *x_text = NULL, *y_text = NULL;
        int scale, x, y;

        if (!g_regex_match (regex, lines[i], 0, &match))
          g_error ("log line %u has no tiles: %s", i + 1, lines[i]);
        scale_text = g_match_info_fetch (match, 1);
        x_text = g_match_info_fetch (match, 2);
        y_text = g_match_info_fetch (match, 3);
        scale = atoi (scale_text);
        x = atoi (x_text);
        y = atoi (y_text);
        if (pass == 0)
          {
            top_scale = MAX (top_scale, scale);
            n++;
            continue;
          }
        if (scale == top_scale)
          {
            if (*final_x == 0)
              {
                *final_x = x;
                *final_y = y;
              }
            g_assert_cmpint (x, ==, *final_x);
            g_assert_cmpint (y, ==, *final_y);
          }
        else
          *most_below = MAX (*most_below, x * y);
      }
  g_assert_cmpuint (n, >, 0);
}

/* Each nonsense budget: exit 2, a message naming the flag and quoting the value, no output. */
static void
test_bad_budgets (Fixture *fixture, gconstpointer data)
{
  static const char *const values[] = {
    "0", "-1G", "abc", "", "6X", "1.5.5G", "1e9", "63M", "67108863", "17T", "nan", "0x10G",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = path_in (fixture, "bad.png");
      g_autofree char *quoted = g_strdup_printf ("“%s”", values[i]);

      g_assert_cmpint (paint (fixture, "bad.png", &err,
                              (const char *[]) { "--max-memory", values[i], NULL }), ==, 2);
      g_assert_true (g_str_has_prefix (err, "impasto-cli: --max-memory: "));
      g_assert_nonnull (strstr (err, quoted));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* Without --max-memory: three quarters of this computer's memory, said once at the start. */
static void
test_default_budget (Fixture *fixture, gconstpointer data)
{
  guint64 budget = impasto_memory_budget_default (impasto_run_estimate_available_memory ());
  g_autofree char *budget_text = g_format_size_full (budget, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *expected = g_strdup_printf ("impasto-cli: memory budget %s: 40 × 32 whole, "
                                               "about ", budget_text);
  g_autofree char *err = NULL;

  g_assert_cmpuint (budget, >, 0);
  g_assert_cmpint (paint (fixture, "out.png", &err,
                          (const char *[]) { "--size", "40", "--iterations", "1", NULL }), ==, 0);
  g_assert_true (g_str_has_prefix (err, expected));
  g_assert_null (strstr (err + strlen (expected), "memory budget"));
}

/* A budget that needs tiles: the grid said and logged; the losses those of the whole run (to
 * 1e-5: float round-off summed in another order), and its picture within 2 levels, almost all of
 * it exactly. */
static void
test_tiled_equals_whole (Fixture *fixture, gconstpointer data)
{
  static const int sides[] = { 400, 560, 800, 1120 };
  int width, height, n_x, n_y, log_x, log_y, below;
  guint64 budget;
  g_autofree char *budget_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *said = NULL;
  g_autofree char *said_after = NULL;
  g_autofree char *tiled_err = NULL;
  g_autofree char *whole_err = NULL;
  g_autoptr(GdkPixbuf) tiled = NULL, whole = NULL;
  g_autoptr(GArray) tiled_losses = NULL, whole_losses = NULL;
  int difference, n_off;

  find_tiled (sides, G_N_ELEMENTS (sides), 1, &width, &height, &budget, &n_x, &n_y);
  budget_text = g_strdup_printf ("%" G_GUINT64_FORMAT "M", budget / MIB);
  size_text = g_strdup_printf ("%d", width);

  g_assert_cmpint (paint (fixture, "tiled.png", &tiled_err,
                          (const char *[]) { "--size", size_text, "--scales", "1",
                                             "--iterations", ITERATIONS, "--max-memory",
                                             budget_text, "--log", "tiled.log", NULL }), ==, 0);
  said = g_strdup_printf (": %d × %d in %d × %d tiles, about ", width, height, n_x, n_y);
  g_assert_nonnull (strstr (tiled_err, said));
  said_after = g_strdup_printf ("%d × %d painted in %d × %d tiles, ", width, height, n_x, n_y);
  g_assert_nonnull (strstr (tiled_err, said_after));
  g_assert_nonnull (strstr (strstr (tiled_err, said_after), " ms/iter\n"));
  read_log_tiles (fixture, "tiled.log", &log_x, &log_y, &below);
  g_assert_cmpint (log_x, ==, n_x);
  g_assert_cmpint (log_y, ==, n_y);

  g_assert_cmpint (paint (fixture, "whole.png", &whole_err,
                          (const char *[]) { "--size", size_text, "--scales", "1",
                                             "--iterations", ITERATIONS, "--max-memory", "16T",
                                             "--log", "whole.log", NULL }), ==, 0);
  g_assert_nonnull (strstr (whole_err, " whole, about "));
  g_assert_null (strstr (whole_err, "tiles"));
  read_log_tiles (fixture, "whole.log", &log_x, &log_y, &below);
  g_assert_cmpint (log_x * log_y, ==, 1);

  tiled = load (fixture, "tiled.png");
  whole = load (fixture, "whole.png");
  g_assert_cmpint (gdk_pixbuf_get_width (tiled), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (tiled), ==, height);
  difference = max_difference (tiled, whole, &n_off);
  g_test_message ("largest difference: %d levels, %d values differ", difference, n_off);
  g_assert_cmpint (difference, <=, 2);
  g_assert_cmpint (n_off, <=, width * height * 3 / 1000);

  tiled_losses = read_log_losses (fixture, "tiled.log");
  whole_losses = read_log_losses (fixture, "whole.log");
  g_assert_cmpuint (tiled_losses->len, ==, atoi (ITERATIONS) + 1);
  g_assert_cmpuint (whole_losses->len, ==, tiled_losses->len);
  for (guint i = 0; i < tiled_losses->len; i++)
    {
      double a = g_array_index (tiled_losses, double, i);
      double b = g_array_index (whole_losses, double, i);

      g_test_message ("loss after %u steps: %.9g tiled, %.9g whole", i, a, b);
      g_assert_cmpfloat (fabs (a - b), <=, 1e-5 * fabs (b));
    }
}

/* On a ladder, the output's size is in the planned tiles, and so are the sizes below (a size
 * below may be in more tiles than the output's: it runs a twentieth of the iterations). */
static void
test_ladder (Fixture *fixture, gconstpointer data)
{
  static const int sides[] = { 400, 560, 800, 1120 };
  int width, height, n_x, n_y, log_x, log_y, below;
  guint64 budget;
  g_autofree char *budget_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *said = NULL;
  g_autofree char *err = NULL;

  find_tiled (sides, G_N_ELEMENTS (sides), 3, &width, &height, &budget, &n_x, &n_y);
  budget_text = g_strdup_printf ("%" G_GUINT64_FORMAT "M", budget / MIB);
  size_text = g_strdup_printf ("%d", width);

  g_assert_cmpint (paint (fixture, "ladder.png", &err,
                          (const char *[]) { "--size", size_text, "--scales", "3",
                                             "--iterations", ITERATIONS, "--max-memory",
                                             budget_text, "--log", "ladder.log", NULL }), ==, 0);
  said = g_strdup_printf (": %d × %d in %d × %d tiles, about ", width, height, n_x, n_y);
  g_assert_nonnull (strstr (err, said));
  read_log_tiles (fixture, "ladder.log", &log_x, &log_y, &below);
  g_assert_cmpint (log_x, ==, n_x);
  g_assert_cmpint (log_y, ==, n_y);
  g_assert_cmpint (below, >=, 1);
}

/* On a ladder whose default L-BFGS does not fit the budget but Adam does: the CLI says so and
 * paints with Adam; asked for L-BFGS, it refuses. */
static void
test_adam_when_lbfgs_does_not_fit (Fixture *fixture, gconstpointer data)
{
  static const int sides[] = { 400, 560, 800, 1120 };
  static const int budgets_mib[] = { 64, 80, 96, 128, 160, 192, 256, 384, 512 };
  g_autofree char *budget_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err_lbfgs = NULL;
  int width = 0;
  guint64 budget = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sides) && width == 0; i++)
    for (guint j = 0; j < G_N_ELEMENTS (budgets_mib) && width == 0; j++)
      {
        int n_x, n_y;
        size_t bytes;

        if (!plan_with (sides[i], sides[i] * 4 / 5, 3, budgets_mib[j] * MIB,
                        IMPASTO_OPTIMIZER_LBFGS, &n_x, &n_y, &bytes)
            && plan_with (sides[i], sides[i] * 4 / 5, 3, budgets_mib[j] * MIB,
                          IMPASTO_OPTIMIZER_ADAM, &n_x, &n_y, &bytes))
          {
            width = sides[i];
            budget = budgets_mib[j] * MIB;
          }
      }
  g_assert_cmpint (width, >, 0);
  budget_text = g_strdup_printf ("%" G_GUINT64_FORMAT "M", budget / MIB);
  size_text = g_strdup_printf ("%d", width);
  g_assert_cmpint (paint (fixture, "adam.png", &err,
                          (const char *[]) { "--size", size_text, "--scales", "3",
                                             "--iterations", ITERATIONS, "--max-memory",
                                             budget_text, NULL }), ==, 0);
  g_assert_nonnull (strstr (err, "painting with Adam"));
  g_assert_cmpint (paint (fixture, "lbfgs.png", &err_lbfgs,
                          (const char *[]) { "--size", size_text, "--scales", "3",
                                             "--iterations", ITERATIONS, "--max-memory",
                                             budget_text, "--optimizer", "lbfgs", NULL }), !=, 0);
  g_assert_nonnull (strstr (err_lbfgs, "even in tiles"));
}

/* 16384 pixels wide, the image limit: accepted under the smallest budget (in steps of 16 MiB) the
 * engine can plan it in, whole or in tiles, and painted. */
static void
test_largest_side (Fixture *fixture, gconstpointer data)
{
  const int width = 16384, height = 96;
  int n_x = 0, n_y = 0;
  guint64 budget;
  size_t bytes;
  g_autofree char *budget_text = NULL;
  g_autofree char *said = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GdkPixbuf) picture = NULL;

  for (budget = 64 * MIB; !plan (width, height, 1, budget, &n_x, &n_y, &bytes); budget += 16 * MIB)
    g_assert_cmpuint (budget, <, 4096 * MIB);
  budget_text = g_strdup_printf ("%" G_GUINT64_FORMAT "M", budget / MIB);

  g_assert_cmpint (paint (fixture, "wide.png", &err,
                          (const char *[]) { "--width", "16384", "--height", "96", "--scales",
                                             "1", "--iterations", "1", "--max-memory",
                                             budget_text, NULL }), ==, 0);
  if (n_x * n_y > 1)
    said = g_strdup_printf (": %d × %d in %d × %d tiles, about ", width, height, n_x, n_y);
  else
    said = g_strdup_printf (": %d × %d whole, about ", width, height);
  g_assert_nonnull (strstr (err, said));
  picture = load (fixture, "wide.png");
  g_assert_cmpint (gdk_pixbuf_get_width (picture), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (picture), ==, height);
}

/* Too large even for tiles: exit 1 with the estimate and the budget, nothing written. */
static void
test_too_large (Fixture *fixture, gconstpointer data)
{
  g_autofree char *err = NULL;
  g_autofree char *out = path_in (fixture, "huge.png");
  g_autofree char *budget_text = g_format_size_full (64 * MIB, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *said = g_strdup_printf (" even in tiles, more than the %s allowed; ",
                                           budget_text);
  int n_x, n_y;
  size_t bytes;

  /* The premise: the engine cannot fit it. */
  g_assert_false (plan (4000, 3200, 1, 64 * MIB, &n_x, &n_y, &bytes));

  g_assert_cmpint (paint (fixture, "huge.png", &err,
                          (const char *[]) { "--size", "4000", "--scales", "1", "--max-memory",
                                             "64M", NULL }), ==, 1);
  g_assert_true (g_str_has_prefix (err, "impasto-cli: a 4000 × 3200 picture needs about "));
  g_assert_nonnull (strstr (err, said));
  g_assert_nonnull (strstr (err, "--max-memory"));
  g_assert_nonnull (strstr (err, "--size"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* Regions are not painted in tiles: a size that needs them is refused, nothing written. */
static void
test_regions_refused (Fixture *fixture, gconstpointer data)
{
  static const int sides[] = { 400, 560, 800, 1120 };
  int width, height, n_x, n_y;
  guint64 budget;
  g_autofree char *budget_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *mask_path = path_in (fixture, "mask.png");
  g_autofree char *out = path_in (fixture, "regions.png");
  g_autofree char *err = NULL;
  g_autofree char *said = NULL;
  g_autofree char *allowed = NULL;
  g_autofree char *budget_size = NULL;
  g_autoptr(GdkPixbuf) mask = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 32);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (mask, 0xffffffff);
  gdk_pixbuf_save (mask, mask_path, "png", &error, NULL);
  g_assert_no_error (error);

  find_tiled (sides, G_N_ELEMENTS (sides), 1, &width, &height, &budget, &n_x, &n_y);
  budget_text = g_strdup_printf ("%" G_GUINT64_FORMAT "M", budget / MIB);
  size_text = g_strdup_printf ("%d", width);
  budget_size = g_format_size_full (budget, G_FORMAT_SIZE_IEC_UNITS);
  allowed = g_strdup_printf (", more than the %s allowed, ", budget_size);

  g_assert_cmpint (paint (fixture, "regions.png", &err,
                          (const char *[]) { "--size", size_text, "--scales", "1",
                                             "--iterations", "1", "--max-memory", budget_text,
                                             "--region", "mask.png:1", NULL }), ==, 2);
  said = g_strdup_printf ("impasto-cli: a %d × %d picture with regions needs about ", width,
                          height);
  g_assert_true (g_str_has_prefix (err, said));
  g_assert_nonnull (strstr (err, allowed));
  g_assert_nonnull (strstr (err, "regions are not painted in tiles"));
  g_assert_nonnull (strstr (err, "--max-memory"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  model_path = cli_test_make_tiny_model (&model_dir);
  weights = impasto_model_store_load (model_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The runs' --threads 1: the network's scratch memory, and so the plan, depends on it. */
  impasto_set_threads (1);

  g_test_add ("/cli/tiles/bad-budgets", Fixture, NULL, fixture_set_up, test_bad_budgets,
              fixture_tear_down);
  g_test_add ("/cli/tiles/default-budget", Fixture, NULL, fixture_set_up, test_default_budget,
              fixture_tear_down);
  g_test_add ("/cli/tiles/tiled-equals-whole", Fixture, NULL, fixture_set_up,
              test_tiled_equals_whole, fixture_tear_down);
  g_test_add ("/cli/tiles/ladder", Fixture, NULL, fixture_set_up, test_ladder,
              fixture_tear_down);
  g_test_add ("/cli/tiles/largest-side", Fixture, NULL, fixture_set_up, test_largest_side,
              fixture_tear_down);
  g_test_add ("/cli/tiles/too-large", Fixture, NULL, fixture_set_up, test_too_large,
              fixture_tear_down);
  g_test_add ("/cli/tiles/adam-when-lbfgs-does-not-fit", Fixture, NULL, fixture_set_up,
              test_adam_when_lbfgs_does_not_fit, fixture_tear_down);
  g_test_add ("/cli/tiles/regions-refused", Fixture, NULL, fixture_set_up, test_regions_refused,
              fixture_tear_down);
  status = g_test_run ();
  impasto_weights_free (weights);
  g_free (model_path);
  cli_test_dir_free (model_dir);
  return status;
}
