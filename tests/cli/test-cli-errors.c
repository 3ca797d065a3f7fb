/* test-cli-errors.c
 *
 * impasto-cli refusing bad input: each case must exit with status 2, print exactly one line
 * "impasto-cli: <message>" that names what was wrong, and leave the folder as it was (the
 * existing output byte for byte, no log, no temporary file). Also --version, --help, and the
 * message when no model can be found anywhere.
 *
 * It needs no real model: every case fails before the weights would be read. Runs that do
 * compute are in test-cli-run.c.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-errors"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"

#define MAX_ARGS 24

static const char previous_output[] = "an output from an earlier run, which must survive\n";

typedef struct
{
  char *dir;
  guint n_files;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *text_jpg = NULL;
  g_autofree char *text_model = NULL;
  static const char text[] = "This is a text file, not a picture.\n";

  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);

  out = g_build_filename (fixture->dir, "out.png", NULL);
  cli_test_write_file (out, previous_output, sizeof previous_output - 1);
  text_jpg = g_build_filename (fixture->dir, "text.jpg", NULL);
  cli_test_write_file (text_jpg, text, sizeof text - 1);
  text_model = g_build_filename (fixture->dir, "text-model.mat", NULL);
  cli_test_write_file (text_model, text, sizeof text - 1);

  fixture->n_files = cli_test_count_files (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cli_test_dir_free (fixture->dir);
}

static void
assert_folder_untouched (Fixture *fixture)
{
  g_autofree char *out = g_build_filename (fixture->dir, "out.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  g_file_get_contents (out, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, previous_output, sizeof previous_output - 1);
  g_assert_cmpuint (cli_test_count_files (fixture->dir), ==, fixture->n_files);
}

/* A complete command line whose model is a text file, then @extra (NULL-terminated; a flag
 * given again replaces the earlier value). Each case fails before the model would be read,
 * except the model cases themselves. */
typedef struct
{
  const char *name;
  const char *extra[8];
  const char *keyword;   /* must appear in the message */
  gboolean bare;         /* TRUE: @extra is the whole command line */
  gboolean multiline;    /* the model search lists the places it looked, one a line */
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* Whole command lines: a second --content would make a batch. */
  { "missing-content", { "--content", "missing.png", "--style", "style.png", "--output", "out.png",
                         NULL }, "missing.png", TRUE },
  { "text-as-jpeg", { "--content", "text.jpg", "--style", "style.png", "--output", "out.png",
                      NULL }, "text.jpg", TRUE },
  { "several-contents-one-output", { "--content", "style.png", NULL }, "--output-dir" },
  { "text-as-style", { "--style", "text.jpg", NULL }, "text.jpg" },
  { "unknown-flag", { "--frobnicate", NULL }, "--frobnicate" },
  { "size-zero", { "--size", "0", NULL }, "--size" },
  { "size-text", { "--size", "big", NULL }, "--size" },
  { "size-and-width", { "--width", "32", NULL }, "--size" },
  { "alpha-nan", { "--alpha", "nan", NULL }, "--alpha" },
  { "alpha-inf", { "--alpha", "inf", NULL }, "--alpha" },
  { "beta-negative", { "--beta", "-1", NULL }, "--beta" },
  { "tv-text", { "--tv", "lots", NULL }, "--tv" },
  { "iterations-negative", { "--iterations", "-5", NULL }, "--iterations" },
  { "scales-zero", { "--scales", "0", NULL }, "--scales" },
  { "scales-huge", { "--scales", "1000", NULL }, "--scales" },
  { "min-size-below-network", { "--min-size", "8", NULL }, "--min-size" },
  { "min-size-above-output", { "--min-size", "64", NULL }, "--min-size" },
  { "tolerance-negative", { "--tolerance", "-0.1", NULL }, "--tolerance" },
  { "tolerance-nan", { "--tolerance", "nan", NULL }, "--tolerance" },
  { "learning-rate-zero", { "--learning-rate", "0", NULL }, "--learning-rate" },
  { "noise-above-one", { "--noise", "2", NULL }, "--noise" },
  { "seed-negative", { "--seed", "-3", NULL }, "--seed" },
  { "threads-text", { "--threads", "many", NULL }, "--threads" },
  { "save-every-negative", { "--save-every", "-1", NULL }, "--save-every" },
  { "unknown-style-layer", { "--style-layers", "conv1_1:0.2,conv9_9:1", NULL }, "conv9_9" },
  { "unknown-content-layer", { "--content-layers", "fc7", NULL }, "fc7" },
  { "layer-weight-nan", { "--content-layers", "conv4_2:nan", NULL }, "conv4_2" },
  { "layer-twice", { "--style-layers", "conv1_1,relu1_1", NULL }, "conv1_1" },
  { "layers-empty", { "--style-layers", "", NULL }, "--style-layers" },
  { "all-layers-off", { "--content-layers", "conv4_2:0", "--style-layers", "conv1_1:0", NULL },
    "layer" },
  { "unknown-optimizer", { "--optimizer", "sgd", NULL }, "sgd" },
  { "unknown-init", { "--init", "zeros", NULL }, "zeros" },
  { "unknown-pool", { "--pool", "min", NULL }, "min" },
  { "init-image-missing", { "--init-image", "nowhere.png", NULL }, "nowhere.png" },
  { "init-and-init-image", { "--init", "content", "--init-image", "style.png", NULL },
    "--init-image" },
  { "output-unsupported", { "--output", "out.gif", NULL }, "out.gif" },
  { "output-missing-folder", { "--output", "no/such/out.png", NULL }, "out.png" },
  { "log-missing-folder", { "--log", "no/such/run.log", NULL }, "run.log" },
  { "too-small", { "--size", "8", NULL }, "16" },
  { "extra-argument", { "stray", NULL }, "stray" },
  { "model-text-file", { "--model", "text-model.mat", NULL }, "text-model.mat" },
  { "model-missing-file", { "--model", "absent.mat", NULL }, "absent.mat", FALSE, TRUE },
  { "no-output", { "--content", "content.png", "--style", "style.png", NULL }, "--output",
    TRUE },
};

static void
test_error_case (Fixture       *fixture,
                 gconstpointer  data)
{
  const ErrorCase *error_case = data;
  const char *args[MAX_ARGS] = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint n = 0;
  int status;

  if (!error_case->bare)
    {
      static const char * const base[] = {
        "--content", "content.png", "--style", "style.png", "--output", "out.png",
        "--model", "text-model.mat", "--size", "32", "--iterations", "3",
      };

      for (guint i = 0; i < G_N_ELEMENTS (base); i++)
        args[n++] = base[i];
    }
  for (guint i = 0; error_case->extra[i] != NULL; i++)
    args[n++] = error_case->extra[i];
  g_assert_cmpuint (n, <, MAX_ARGS);
  args[n] = NULL;

  status = cli_test_runv (fixture->dir, NULL, &out, &err, args);

  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");

  /* Exactly one line, prefixed, naming the problem. */
  g_assert_true (g_str_has_prefix (err, "impasto-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  if (!error_case->multiline)
    g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_nonnull (strstr (err, error_case->keyword));

  assert_folder_untouched (fixture);
}

static void
test_model_not_found (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->dir, "empty-data-home", NULL);
  g_autofree char *looked_in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = NULL;
  int status;

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  fixture->n_files++;
  envp = cli_test_environ_without_model (empty);

  status = cli_test_run (fixture->dir, envp, &out, &err,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "out.png", "--size", "32", NULL);

  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (err, "impasto-cli: "));
  /* Every place it looked, and how to get the file. */
  looked_in = g_build_filename (empty, "impasto", "imagenet-vgg-verydeep-19.mat", NULL);
  g_assert_nonnull (strstr (err, looked_in));
  g_assert_nonnull (strstr (err, "IMPASTO_MODEL"));
  g_assert_nonnull (strstr (err, PKGDATADIR));
  g_assert_nonnull (strstr (err, "--model"));
  g_assert_nonnull (strstr (err, "510 MB"));

  assert_folder_untouched (fixture);
}

static void
test_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = cli_test_run (NULL, NULL, &out, &err, "--version", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "impasto-cli " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_help (void)
{
  static const char * const flags[] = {
    "--content", "--style", "--output", "--model", "--size", "--width", "--height",
    "--iterations", "--scales", "--min-size", "--tolerance", "--alpha", "--beta", "--tv", "--content-layers", "--style-layers",
    "--optimizer", "--learning-rate", "--init", "--init-image", "--noise", "--seed", "--pool",
    "--save-every", "--log", "--threads", "--version", "--output-dir", "--output-name",
    "--each-style", "--quiet",
  };
  g_autofree char *out = NULL;
  int status;

  status = cli_test_run (NULL, NULL, &out, NULL, "--help", NULL);
  g_assert_cmpint (status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autofree char *listed = g_strdup_printf ("  %s", flags[i]);

      g_assert_nonnull (strstr (out, listed));
    }
  /* The batch's name pattern, its placeholders and its default. */
  g_assert_nonnull (strstr (out, "{content}-{style}.png"));
  g_assert_nonnull (strstr (out, "{n}"));
  /* The layer-list syntax and its default weight are documented. */
  g_assert_nonnull (strstr (out, "weight 1"));
  /* So are the sizes and how their budgets follow from --iterations. */
  g_assert_nonnull (strstr (out, "round(L / 2^(j/2))"));
  g_assert_nonnull (strstr (out, "a twentieth of them"));
  /* And which optimiser a ladder uses. */
  g_assert_nonnull (strstr (out, "--optimizer lbfgs with several sizes (adam with one)"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/error/%s", error_cases[i].name);

      g_test_add (path, Fixture, &error_cases[i], fixture_set_up, test_error_case,
                  fixture_tear_down);
    }
  g_test_add ("/cli/error/model-not-found", Fixture, NULL, fixture_set_up, test_model_not_found,
              fixture_tear_down);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);

  return g_test_run ();
}
