/* impasto-ladderbench.c
 *
 * Time to quality: does the ladder of sizes reach the flat run's result sooner? On one synthetic
 * photo and painting (smooth gradients with shapes; stripes and blobs of colour) at the size
 * asked for, it runs
 *   1. the flat run of the method's defaults (Adam, learning rate 1, --flat-iterations steps,
 *      1000 by default) and records its final loss L and its time;
 *   2. the ladder with its defaults (or the flags' values), with Adam and with L-BFGS, and
 *      records the seconds until the loss at the final size is at most L, and the seconds to the
 *      first whole picture (the end of the first step at the smallest size).
 * Times count from just before the first session or ladder is created (targets included), the
 * model being already loaded. It prints them side by side, with the CPU model, the thread count
 * and the convolution path. Not a test: nothing here asserts a speed.
 *
 *   impasto-ladderbench [--model FILE] [--threads N] [--flat-iterations N]
 *                       [--iterations N[,N...]] [--min-size PX] [--scales N]
 *                       [--tolerance T[,T...]] [--optimizers adam,lbfgs]
 *                       [--flat-loss L --flat-seconds S] [--cap F] [WxH]
 *
 * Several budgets or tolerances run a ladder for each pair after the one flat run. Once the
 * ladder is done, a final size that has not reached L yet goes on until it does, has taken as
 * many steps as the flat run, or has run longer than the flat run (then "never").
 * --cap F stops a ladder after F times the flat run's time (1 by default): enough to tell whether
 * it meets a goal of that share. --optimizers picks the ladders (both by default). --flat-loss and --flat-seconds take L and the
 * flat time from an earlier run instead of running it again (the flat run is deterministic for a
 * size and thread count; its time is not, so give one measured on a quiet machine).
 * --iterations N sets the budget of each size between the smallest and the final (2N at the
 * smallest; the final goes on as said above). By default the budgets are impasto-cli's for
 * --iterations equal to the flat run's: ceil(N / 10) at the smallest, ceil(N / 20) between. Without --model the weights are random with the real
 * layer shapes, made in memory.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "impasto-ladder.h"
#include "impasto-model-store.h"
#include "impasto-random-weights.h"
#include "impasto-run-estimate.h"
#include "impasto-threads.h"
#include "impasto-weights.h"
#include "impasto-winograd.h"

typedef struct
{
  int flat_iterations;
  int iterations[8];
  int n_iterations;        /* 0: the flat run's */
  int min_size;
  int scales;
  double tolerances[8];
  int n_tolerances;        /* 0: the ladder's default */
  bool adam;               /* ladders to run */
  bool lbfgs;
  double flat_loss;        /* > 0: the flat run's L from an earlier run; the flat run is skipped */
  double flat_seconds;     /* its time */
  double cap;              /* a ladder stops after this share of the flat run's time */
} Options;

typedef struct
{
  double first_picture;  /* seconds to the end of the first step */
  double reached;        /* seconds until the final size's loss <= the target; < 0: never */
  double total;          /* seconds of the whole run */
  double final_loss;
  int steps[IMPASTO_LADDER_MAX_SIZES];
  int n_sizes;
} Result;

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static ImpastoWeights *
random_weights (void)
{
  ImpastoEngineError error = { 0 };
  ImpastoWeights *weights = impasto_random_weights_new (&error);

  if (weights == NULL)
    {
      fprintf (stderr, "impasto-ladderbench: %s\n", error.message);
      exit (1);
    }
  return weights;
}

/* A "photo": a sky-to-ground gradient, a sun, a house and a tree trunk, smooth with hard edges. */
static float *
make_photo (int width, int height)
{
  float *rgb = malloc ((size_t) width * height * 3 * sizeof (float));

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double u = (double) x / width, v = (double) y / height;
        double r = 80 + 100 * v, g = 130 + 60 * (1 - v), b = 230 - 150 * v;
        float *p = rgb + ((size_t) y * width + x) * 3;

        if ((u - 0.75) * (u - 0.75) + (v - 0.22) * (v - 0.22) < 0.01)
          r = 250, g = 220, b = 60;
        if (u > 0.2 && u < 0.5 && v > 0.5 && v < 0.85)
          r = 180 + 40 * u, g = 60, b = 50;
        if (u > 0.6 && u < 0.66 && v > 0.45)
          r = 90, g = 60, b = 30;
        p[0] = (float) r;
        p[1] = (float) g;
        p[2] = (float) b;
      }
  return rgb;
}

/* A "painting": diagonal brush-like stripes of two palettes with round blobs, at a scale
 * proportional to the picture. */
static float *
make_painting (int width, int height)
{
  float *rgb = malloc ((size_t) width * height * 3 * sizeof (float));
  double scale = 64.0 / (width > height ? width : height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double s = (x + 0.6 * y) * scale, t = (x - y) * scale;
        double stripe = 0.5 + 0.5 * sin (s * 1.7 + 0.8 * sin (t * 0.9));
        double blob = 0.5 + 0.5 * sin (x * scale * 0.7) * sin (y * scale * 0.6);
        float *p = rgb + ((size_t) y * width + x) * 3;

        p[0] = (float) (40 + 200 * stripe * blob);
        p[1] = (float) (50 + 120 * (1 - stripe) + 60 * blob);
        p[2] = (float) (160 - 100 * stripe + 80 * (1 - blob));
      }
  return rgb;
}

static void
fail (const ImpastoEngineError *error)
{
  fprintf (stderr, "impasto-ladderbench: %s\n", error->message);
  exit (1);
}

/* The flat run: the target loss. */
static Result
run_flat (const ImpastoWeights *weights, ImpastoSessionConfig config, int iterations)
{
  ImpastoSessionParams params;
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoLosses losses;
  Result result = { 0 };
  double t0 = now ();

  impasto_session_params_init_default (&params);
  if (impasto_session_new (&session, weights, &config, &params, NULL, NULL, &error)
      || impasto_session_evaluate (session, &losses, &error))
    fail (&error);
  for (int k = 0; k < iterations; k++)
    {
      if (impasto_session_step (session, &losses, &error))
        fail (&error);
      if (k == 0)
        result.first_picture = now () - t0;
    }
  result.total = now () - t0;
  result.reached = result.total;
  result.final_loss = losses.total;
  result.n_sizes = 1;
  result.steps[0] = iterations;
  impasto_session_free (session);
  return result;
}

/* The ladder, stopped as soon as the final size's loss is at most @target. */
static Result
run_ladder (const ImpastoWeights *weights, ImpastoSessionConfig config,
            const ImpastoLadderConfig *ladder_config, double target, int flat_iterations,
            double flat_seconds)
{
  ImpastoSessionParams params;
  ImpastoLadder *ladder = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoLosses losses;
  Result result = { .reached = -1.0 };
  double t0 = now ();
  int last;

  impasto_session_params_init_default (&params);
  if (impasto_ladder_new (&ladder, weights, ladder_config, &config, &params, NULL, NULL, &error)
      || impasto_ladder_evaluate (ladder, &losses, &error))
    fail (&error);
  result.n_sizes = impasto_ladder_get_n_sizes (ladder);
  last = result.n_sizes - 1;
  for (;;)
    {
      int scale = impasto_ladder_get_scale (ladder);

      if (scale == last && losses.total <= target)
        {
          result.reached = now () - t0;
          break;
        }
      if (scale == last && result.steps[scale] >= flat_iterations)
        break;
      /* Past the cap (the flat run's time by default): the answer is "not within it". */
      if (now () - t0 > flat_seconds)
        break;
      if (impasto_ladder_size_done (ladder) && scale < last)
        {
          if (impasto_ladder_advance (ladder, &error)
              || impasto_ladder_evaluate (ladder, &losses, &error))
            fail (&error);
          continue;
        }
      if (impasto_ladder_step (ladder, &losses, &error))
        fail (&error);
      if (result.first_picture == 0.0)
        result.first_picture = now () - t0;
      result.steps[scale]++;
    }
  result.total = now () - t0;
  result.final_loss = losses.total;
  impasto_ladder_free (ladder);
  return result;
}

static void
print_result (const char *name, const Result *r, const Result *flat)
{
  char reached[64];
  GString *steps = g_string_new (NULL);

  if (r->reached >= 0.0)
    g_snprintf (reached, sizeof reached, "%8.1f s (%4.2f of flat)", r->reached,
                r->reached / flat->total);
  else
    g_snprintf (reached, sizeof reached, "%8s (%.3g at the end)", "never", r->final_loss);
  for (int k = 0; k < r->n_sizes; k++)
    g_string_append_printf (steps, "%s%d", k ? "+" : "", r->steps[k]);
  printf ("%-24s %8.2f s   %-28s %8.1f s   %.4g   %s\n", name, r->first_picture, reached,
          r->total, r->final_loss, steps->str);
  g_string_free (steps, TRUE);
}

int
main (int argc, char **argv)
{
  Options options = { .flat_iterations = 1000, .n_iterations = 0, .min_size = 0, .scales = 0,
                      .n_tolerances = 0, .adam = true, .lbfgs = true, .cap = 1.0 };
  const char *model = NULL;
  int threads = 0, width = 512, height = 512;
  ImpastoWeights *weights;
  ImpastoSessionConfig config;
  ImpastoLadderConfig ladder_config;
  ImpastoEngineError error = { 0 };
  float *photo, *painting;
  Result flat, adam, lbfgs;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--model") == 0 && i + 1 < argc)
        model = argv[++i];
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else if (strcmp (argv[i], "--flat-iterations") == 0 && i + 1 < argc)
        options.flat_iterations = atoi (argv[++i]);
      else if (strcmp (argv[i], "--iterations") == 0 && i + 1 < argc)
        {
          char **items = g_strsplit (argv[++i], ",", -1);

          for (int k = 0; items[k] != NULL && options.n_iterations < 8; k++)
            options.iterations[options.n_iterations++] = atoi (items[k]);
          g_strfreev (items);
        }
      else if (strcmp (argv[i], "--min-size") == 0 && i + 1 < argc)
        options.min_size = atoi (argv[++i]);
      else if (strcmp (argv[i], "--scales") == 0 && i + 1 < argc)
        options.scales = atoi (argv[++i]);
      else if (strcmp (argv[i], "--tolerance") == 0 && i + 1 < argc)
        {
          char **items = g_strsplit (argv[++i], ",", -1);

          for (int k = 0; items[k] != NULL && options.n_tolerances < 8; k++)
            options.tolerances[options.n_tolerances++] = g_ascii_strtod (items[k], NULL);
          g_strfreev (items);
        }
      else if (strcmp (argv[i], "--optimizers") == 0 && i + 1 < argc)
        {
          const char *list = argv[++i];

          options.adam = strstr (list, "adam") != NULL;
          options.lbfgs = strstr (list, "lbfgs") != NULL;
        }
      else if (strcmp (argv[i], "--flat-loss") == 0 && i + 1 < argc)
        options.flat_loss = g_ascii_strtod (argv[++i], NULL);
      else if (strcmp (argv[i], "--flat-seconds") == 0 && i + 1 < argc)
        options.flat_seconds = g_ascii_strtod (argv[++i], NULL);
      else if (strcmp (argv[i], "--cap") == 0 && i + 1 < argc)
        options.cap = g_ascii_strtod (argv[++i], NULL);
      else if (sscanf (argv[i], "%dx%d", &width, &height) != 2)
        {
          fprintf (stderr, "usage: impasto-ladderbench [--model FILE] [--threads N] "
                   "[--flat-iterations N] [--iterations N[,N...]] [--min-size PX] [--scales N] "
                   "[--tolerance T[,T...]] [--optimizers adam,lbfgs] "
                   "[--flat-loss L --flat-seconds S] [--cap F] [WxH]\n");
          return 2;
        }
    }
  if (options.flat_iterations < 1)
    options.flat_iterations = 1;

  impasto_set_threads (threads);
  if (model != NULL)
    {
      GError *gerror = NULL;

      weights = impasto_model_store_load (model, NULL, NULL, NULL, NULL, &gerror);
      if (weights == NULL)
        {
          fprintf (stderr, "impasto-ladderbench: %s\n", gerror->message);
          return 1;
        }
    }
  else
    weights = random_weights ();

  impasto_ladder_config_init_default (&ladder_config);
  if (options.n_iterations == 0)
    {
      /* The defaults' budgets for --iterations equal to the flat run's. */
      ImpastoLadderConfig rule;

      impasto_ladder_config_set_budgets (&rule, options.flat_iterations);
      options.iterations[options.n_iterations++] = rule.middle_iterations;
    }
  if (options.min_size > 0)
    ladder_config.min_side = options.min_size;
  if (options.scales > 0)
    ladder_config.max_sizes = options.scales;
  if (options.n_tolerances == 0)
    options.tolerances[options.n_tolerances++] = ladder_config.tolerance;
  for (int k = 0; k < options.n_tolerances; k++)
    {
      ladder_config.tolerance = options.tolerances[k];
      if (impasto_ladder_config_validate (&ladder_config, &error))
        fail (&error);
    }

  photo = make_photo (width, height);
  painting = make_painting (width, height);
  impasto_session_config_init_default (&config);
  config.width = width;
  config.height = height;
  config.content_rgb = photo;
  config.style_rgb = painting;

  printf ("cpu %s\n", impasto_run_estimate_cpu_model ());
  printf ("threads %d, conv path %s, model %s, %dx%d, flat: Adam lr 1 x %d; ladder: min side "
          "%d, at most %d sizes, convergence window %d; \"ladder OPT N T\": budget N a size "
          "below the final (2N the smallest), tolerance T\n",
          impasto_get_threads (), impasto_winograd_path_name (),
          model != NULL ? model : "random (in memory)", width, height, options.flat_iterations,
          ladder_config.min_side, ladder_config.max_sizes, ladder_config.window);
  printf ("%-24s %10s   %-28s %10s   %-10s %s\n", "run", "1st picture", "loss <= flat's L",
          "total", "end loss", "steps per size");
  fflush (stdout);

  if (options.flat_loss > 0.0 && options.flat_seconds > 0.0)
    {
      flat = (Result) { .reached = options.flat_seconds, .total = options.flat_seconds,
                        .final_loss = options.flat_loss, .n_sizes = 1,
                        .steps = { options.flat_iterations } };
      print_result ("flat Adam (given)", &flat, &flat);
    }
  else
    {
      flat = run_flat (weights, config, options.flat_iterations);
      print_result ("flat Adam", &flat, &flat);
    }
  fflush (stdout);
  for (int j = 0; j < options.n_iterations; j++)
    for (int k = 0; k < options.n_tolerances; k++)
      {
        char name[64];

        ladder_config.iterations = options.flat_iterations;
        ladder_config.middle_iterations = options.iterations[j];
        ladder_config.first_iterations = 2 * options.iterations[j];
        ladder_config.tolerance = options.tolerances[k];
        if (options.adam)
          {
            config.optimizer = IMPASTO_OPTIMIZER_ADAM;
            adam = run_ladder (weights, config, &ladder_config, flat.final_loss,
                               options.flat_iterations, options.cap * flat.total);
            g_snprintf (name, sizeof name, "ladder Adam %d %g", ladder_config.middle_iterations,
                        ladder_config.tolerance);
            print_result (name, &adam, &flat);
            fflush (stdout);
          }
        if (options.lbfgs)
          {
            config.optimizer = IMPASTO_OPTIMIZER_LBFGS;
            lbfgs = run_ladder (weights, config, &ladder_config, flat.final_loss,
                                options.flat_iterations, options.cap * flat.total);
            g_snprintf (name, sizeof name, "ladder L-BFGS %d %g",
                        ladder_config.middle_iterations, ladder_config.tolerance);
            print_result (name, &lbfgs, &flat);
            fflush (stdout);
          }
      }

  free (photo);
  free (painting);
  impasto_weights_free (weights);
  return 0;
}
