/* impasto-tilebench.c
 *
 * Time and memory of one evaluation of the objective (forward, losses, backward) on the whole
 * picture against the same tile by tile (impasto-tiled-objective.h), at one size, in one process
 * per run so that each peak RSS is its own:
 *
 *   impasto-tilebench [--model FILE] [--threads N] [--iterations N] [--window SIDE] WxH
 *
 * --window 0 (the default) evaluates the whole picture; --window SIDE tiles it with windows of at
 * most SIDE × SIDE. It prints the CPU, the conv path, OPENBLAS_CORETYPE, the grid, the median
 * seconds per evaluation and the peak RSS. The targets are those of random pictures; the weights
 * are the model's (a cache file is mapped, as the app does) or, without --model, random ones with
 * the real shapes, made in memory. Not a test: nothing here asserts a speed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "impasto-model-store.h"
#include "impasto-random-weights.h"
#include "impasto-run-estimate.h"
#include "impasto-session.h"
#include "impasto-threads.h"
#include "impasto-tiled-objective.h"
#include "impasto-winograd.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
peak_rss_gib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1048576.0;
}

static float *
random_planes (size_t n, uint64_t seed)
{
  float *x = malloc (n * sizeof (float));

  for (size_t i = 0; i < n; i++)
    {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      x[i] = (float) ((double) (seed >> 11) / 9007199254740992.0 * 200.0 - 100.0);
    }
  return x;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  const char *model = NULL;
  int threads = 0, iterations = 3, window = 0, width = 0, height = 0;
  ImpastoEngineError error = { 0 };
  ImpastoWeights *weights;
  ImpastoSessionParams params;
  ImpastoObjectiveWeights w = { 0 };
  bool content[N_CONVS] = { false }, style[N_CONVS] = { false };
  int deepest;
  size_t n;
  float *x, *photo, *painting, *grad;
  double *times, setup;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--model") == 0 && i + 1 < argc)
        model = argv[++i];
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else if (strcmp (argv[i], "--iterations") == 0 && i + 1 < argc)
        iterations = atoi (argv[++i]);
      else if (strcmp (argv[i], "--window") == 0 && i + 1 < argc)
        window = atoi (argv[++i]);
      else if (sscanf (argv[i], "%dx%d", &width, &height) != 2)
        {
          fprintf (stderr, "usage: impasto-tilebench [--model FILE] [--threads N] "
                   "[--iterations N] [--window SIDE] WxH\n");
          return 2;
        }
    }
  if (width < 16 || height < 16 || iterations < 1 || window < 0)
    {
      fprintf (stderr, "impasto-tilebench: give a size of at least 16x16\n");
      return 2;
    }
  impasto_set_threads (threads);
  if (model != NULL)
    {
      GError *gerror = NULL;

      weights = impasto_model_store_load (model, NULL, NULL, NULL, NULL, &gerror);
      if (weights == NULL)
        {
          fprintf (stderr, "impasto-tilebench: %s\n", gerror->message);
          return 1;
        }
    }
  else if ((weights = impasto_random_weights_new (&error)) == NULL)
    {
      fprintf (stderr, "impasto-tilebench: %s\n", error.message);
      return 1;
    }

  /* The method's losses. */
  impasto_session_params_init_default (&params);
  w.alpha = params.alpha;
  w.beta = params.beta;
  for (int i = 0; i < N_CONVS; i++)
    {
      w.content_layers[i] = params.content_layers[i];
      w.style_layers[i] = params.style_layers[i];
      content[i] = params.content_layers[i] > 0.0f;
      style[i] = params.style_layers[i] > 0.0f;
    }
  deepest = impasto_session_params_deepest_layer (&params);
  n = (size_t) 3 * width * height;
  x = random_planes (n, 1);
  photo = random_planes (n, 2);
  painting = random_planes (n, 3);
  grad = malloc (n * sizeof (float));
  times = calloc ((size_t) iterations, sizeof (double));

  printf ("cpu %s\n", impasto_run_estimate_cpu_model ());
  printf ("threads %d, conv path %s, OPENBLAS_CORETYPE=%s, model %s\n", impasto_get_threads (),
          impasto_winograd_path_name (),
          getenv ("OPENBLAS_CORETYPE") ? getenv ("OPENBLAS_CORETYPE") : "",
          model != NULL ? model : "random weights in memory");
  setup = now ();
  if (window == 0)
    {
      ImpastoVgg19 *net = NULL;
      ImpastoObjective *objective = NULL;
      ImpastoLosses losses;

      if (impasto_vgg19_new (&net, weights, height, width, deepest, IMPASTO_POOL_MAX, &error)
          || impasto_objective_new (&objective, weights, net, height, width, content, style)
          || impasto_content_targets_compute (impasto_objective_get_content_targets (objective),
                                              net, photo, NULL, NULL)
          || impasto_gram_set_compute (impasto_objective_get_style_targets (objective), net,
                                       painting, NULL, NULL))
        {
          fprintf (stderr, "impasto-tilebench: %s\n", error.message);
          return 1;
        }
      setup = now () - setup;
      for (int k = 0; k < iterations; k++)
        {
          double t0 = now ();

          impasto_objective_evaluate (objective, &w, x, grad, &losses, NULL, NULL);
          times[k] = now () - t0;
        }
      printf ("%dx%d whole picture: ", width, height);
      impasto_objective_free (objective);
      impasto_vgg19_free (net);
    }
  else
    {
      ImpastoVgg19Filters *filters = NULL;
      ImpastoTiledObjective *tiled = NULL;
      ImpastoTileGrid grid;
      ImpastoLosses losses;

      if (impasto_vgg19_filters_new (&filters, weights, deepest, &error)
          || impasto_tile_grid_plan (&grid, width, height, window, window, deepest, &error)
          || impasto_tiled_objective_new (&tiled, weights, filters, &grid, deepest,
                                          IMPASTO_POOL_MAX, content, style, &error)
          || impasto_tiled_objective_compute_content (tiled, photo, NULL, NULL)
          || impasto_tiled_gram_set_compute (tiled, impasto_tiled_objective_get_style_targets (tiled),
                                             painting, NULL, NULL))
        {
          fprintf (stderr, "impasto-tilebench: %s\n", error.message);
          return 1;
        }
      setup = now () - setup;
      for (int k = 0; k < iterations; k++)
        {
          double t0 = now ();

          impasto_tiled_objective_evaluate (tiled, &w, x, grad, &losses, NULL, NULL);
          times[k] = now () - t0;
        }
      printf ("%dx%d in %d×%d tiles of %d×%d (halo %d): ", width, height, grid.x.n, grid.y.n,
              grid.x.window, grid.y.window, grid.halo);
      impasto_tiled_objective_free (tiled);
      impasto_vgg19_filters_free (filters);
    }
  qsort (times, (size_t) iterations, sizeof (double), compare_doubles);
  printf ("%.3f s per evaluation (median of %d), targets %.1f s, peak RSS %.2f GiB\n",
          times[iterations / 2], iterations, setup, peak_rss_gib ());
  impasto_weights_free (weights);
  free (x);
  free (photo);
  free (painting);
  free (grad);
  free (times);
  return 0;
}
