/* impasto-bench.c
 *
 * Speed and memory of the engine on a VGG19 with the real layer shapes: for each size asked for,
 * the median seconds per iteration over the measured steps after warm-up, the useful conv
 * GFLOP/s (the direct-convolution multiply-adds of forward + backward-to-input divided by the
 * time), the OpenBLAS sgemm rate measured in the same run, the time from start to the first
 * frame (targets + iteration 0), and the process's peak resident memory.
 *
 *   impasto-bench [--model FILE] [--threads N] [--iterations N] [--warmup N] [--regions N]
 *                 [--max-memory SIZE] [--path auto|avx512|avx512+blas|avx2|baseline]
 *                 [--pytorch] [WxH ...]
 *
 * Each size's line also gives the minor page faults per measured iteration (0 when nothing
 * touches new memory in steady state); each child says the CPU model, its caches and the
 * convolution path. --path forces a path (a CPU without it falls back, and says which ran).
 * --pytorch then runs tools/bench-pytorch.py on the same sizes, threads and iterations, with
 * glibc malloc tuned as its header advises, and ends with Impasto's lead per size.
 *
 * --max-memory SIZE (2G, 800M) paints in tiles when the picture does not fit SIZE whole: the
 * session's estimate within the budget (impasto_session_plan_window()); the line gives the grid.
 * The budget is the session's: the benchmark holds the pictures once more beside it.
 *
 * --regions N paints N regions (bands of columns over two thirds of the picture, the rest the
 * default region): the cost of guided Gram matrices, N + 1 per style layer;
 * tools/bench-pytorch.py --regions N does the same in PyTorch.
 *
 * The weights are loaded the way the app and the CLI load them, through the model store: a .mat
 * is answered from its cache (imported first if need be), a cache file is mapped, and the engine
 * gives the mapped pages back once it has transformed the filters. Without --model, random
 * weights with the real shapes are written to a temporary model file, which is then mapped the
 * same way. Each size runs in its own child process so that its peak memory is its own.
 * Not a test: nothing here asserts a speed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>
#include <glib.h>

#include "impasto-bench-report.h"
#include "impasto-model-store.h"
#include "impasto-random-weights.h"
#include "impasto-run-estimate.h"
#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-session.h"
#include "impasto-weights.h"
#include "impasto-winograd.h"

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
peak_rss_gib (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1048576.0; /* KiB -> GiB */
}

static float
uniform (uint64_t *state)
{
  *state = *state * 6364136223846793005ull + 1442695040888963407ull;
  return (float) ((*state >> 40) * (1.0 / 16777216.0)) * 2.0f - 1.0f;
}

static ImpastoWeights *
random_weights (void)
{
  ImpastoEngineError error = { 0 };
  ImpastoWeights *weights = impasto_random_weights_new (&error);

  if (weights == NULL)
    {
      fprintf (stderr, "impasto-bench: %s\n", error.message);
      exit (1);
    }
  return weights;
}

static double
sgemm_gflops (void)
{
  const int n = 1024;
  float *a = impasto_alloc_floats ((size_t) n * n);
  float *b = impasto_alloc_floats ((size_t) n * n);
  float *c = impasto_alloc_floats ((size_t) n * n);
  double best = 0;

  for (size_t i = 0; i < (size_t) n * n; i++)
    a[i] = b[i] = 0.001f * (float) (i % 1000);
  for (int rep = 0; rep < 5; rep++)
    {
      double t0 = now (), dt;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f,
                   c, n);
      dt = now () - t0;
      if (2.0 * n * n * n / dt > best)
        best = 2.0 * n * n * n / dt;
    }
  impasto_free_buffer (a);
  impasto_free_buffer (b);
  impasto_free_buffer (c);
  return best / 1e9;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* @n regions side by side, each a band of columns, together two thirds of the picture (the
 * last third is the default region's), all filled by the one painting: the cost of guided Gram
 * matrices, n + 1 per style layer. */
static float *
region_masks (ImpastoRegion *regions, int n, int width, int height)
{
  float *masks = calloc ((size_t) n * width * height, sizeof (float));

  for (int r = 0; r < n; r++)
    {
      float *mask = masks + (size_t) r * width * height;
      int x0 = 2 * width * r / (3 * n), x1 = 2 * width * (r + 1) / (3 * n);

      for (int y = 0; y < height; y++)
        for (int x = x0; x < x1; x++)
          mask[(size_t) y * width + x] = 1.0f;
      regions[r] = (ImpastoRegion) { mask, width, height, 0, 1.0 };
    }
  return masks;
}

/* --path's names; -1 for an unknown one. */
static int
parse_path (const char *name)
{
  static const struct
  {
    const char *name;
    ImpastoWinogradPath path;
  } paths[] = {
    { "auto", IMPASTO_WINOGRAD_AUTO },
    { "avx512", IMPASTO_WINOGRAD_AVX512 },
    { "avx512+blas", IMPASTO_WINOGRAD_AVX512_BLAS },
    { "avx2", IMPASTO_WINOGRAD_AVX2 },
    { "avx2+blas", IMPASTO_WINOGRAD_AVX2_BLAS },
    { "baseline", IMPASTO_WINOGRAD_BASELINE },
  };

  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
    if (strcmp (name, paths[i].name) == 0)
      return (int) paths[i].path;
  return -1;
}

/* "6G", "1.5G", "800M", "512K" or bytes; 0 for what does not parse. */
static size_t
parse_bytes (const char *text)
{
  char *end;
  double value = strtod (text, &end);
  double unit = 1.0;

  if (*end == 'G' || *end == 'g')
    unit = 1073741824.0;
  else if (*end == 'M' || *end == 'm')
    unit = 1048576.0;
  else if (*end == 'K' || *end == 'k')
    unit = 1024.0;
  else if (*end != '\0')
    return 0;
  return value > 0.0 ? (size_t) (value * unit) : 0;
}

static void
bench_size (const ImpastoWeights *weights, int width, int height, int warmup, int iterations,
            int n_regions, size_t max_bytes)
{
  int tiles_x = 1, tiles_y = 1;
  ImpastoRegion regions[IMPASTO_MAX_REGIONS];
  float *masks = NULL;
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoLosses losses;
  size_t n = (size_t) width * height * 3;
  float *content = malloc (n * sizeof (float));
  float *style = malloc (n * sizeof (float));
  double *times = calloc ((size_t) iterations, sizeof (double));
  double t0, first_frame, median, flops;
  int channels[IMPASTO_VGG19_N_CONVS + 1];
  uint64_t state = 7;
  long faults = 0;

  for (size_t i = 0; i < n; i++)
    {
      content[i] = 127.5f + 100.0f * uniform (&state);
      style[i] = 127.5f + 120.0f * uniform (&state);
    }
  impasto_session_config_init_default (&config);
  impasto_session_params_init_default (&params);
  config.width = width;
  config.height = height;
  config.content_rgb = content;
  config.style_rgb = style;
  if (n_regions > 0)
    {
      masks = region_masks (regions, n_regions, width, height);
      config.regions = regions;
      config.n_regions = n_regions;
    }

  if (max_bytes > 0
      && impasto_session_plan_window (weights, &config, &params, max_bytes, &config.tile_window,
                                      NULL, &error) != IMPASTO_STATUS_OK)
    {
      fprintf (stderr, "impasto-bench: %dx%d: %s\n", width, height, error.message);
      exit (1);
    }

  t0 = now ();
  if (impasto_session_new (&session, weights, &config, &params, NULL, NULL, &error)
      || impasto_session_evaluate (session, &losses, &error))
    {
      fprintf (stderr, "impasto-bench: %dx%d: %s\n", width, height, error.message);
      exit (1);
    }
  first_frame = now () - t0;
  impasto_session_get_tiles (session, &tiles_x, &tiles_y);

  for (int k = 0; k < warmup + iterations; k++)
    {
      double s;

      if (k == warmup)
        faults = impasto_bench_minor_faults ();
      s = now ();
      if (impasto_session_step (session, &losses, &error) != IMPASTO_STATUS_OK)
        {
          fprintf (stderr, "impasto-bench: %s\n", error.message);
          exit (1);
        }
      if (k >= warmup)
        times[k - warmup] = now () - s;
    }
  faults = impasto_bench_minor_faults () - faults;
  qsort (times, (size_t) iterations, sizeof (double), compare_doubles);
  median = times[iterations / 2];

  channels[0] = 3;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    channels[i + 1] = weights->convs[i].out_channels;
  /* Forward plus backward-to-input: twice the forward's multiply-adds, through conv5_2. */
  flops = 2.0 * impasto_vgg19_forward_flops (channels, impasto_vgg19_conv_index ("conv5_2"),
                                             height, width);

  printf ("%4dx%-4d  %d regions  %d×%d tiles of %d  %7.3f s/iter  %6.1f conv GFLOP/s  "
          "(%.0f GFLOP/iter)  first frame %.2f s  session %.0f MiB  peak RSS %.2f GiB  "
          "minor faults/iter %.1f\n",
          width, height, n_regions, tiles_x, tiles_y, config.tile_window, median,
          flops / median / 1e9, flops / 1e9, first_frame,
          impasto_session_estimate_bytes (weights, &config, &params) / 1048576.0,
          peak_rss_gib (), (double) faults / iterations);
  fflush (stdout);
  /* The parent's summary against PyTorch reads the median here. */
  if (getenv ("IMPASTO_BENCH_RESULT_FD") != NULL)
    {
      FILE *result = fdopen (atoi (getenv ("IMPASTO_BENCH_RESULT_FD")), "w");

      if (result != NULL)
        {
          fprintf (result, "%.9f\n", median);
          fclose (result);
        }
    }

  impasto_session_free (session);
  free (content);
  free (style);
  free (times);
  free (masks);
}

int
main (int argc, char **argv)
{
  const char *model = NULL;
  int threads = 0, iterations = 5, warmup = 2, n_sizes = 0, n_regions = 0;
  const char *max_memory = NULL;
  const char *path = NULL;
  int pytorch = 0;
  double impasto_seconds[16] = { 0 }, pytorch_seconds[16] = { 0 };
  int sizes[16][2];
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };

  for (int i = 1; i < argc; i++)
    {
      int w, h;

      if (strcmp (argv[i], "--model") == 0 && i + 1 < argc)
        model = argv[++i];
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else if (strcmp (argv[i], "--iterations") == 0 && i + 1 < argc)
        iterations = atoi (argv[++i]);
      else if (strcmp (argv[i], "--regions") == 0 && i + 1 < argc)
        n_regions = atoi (argv[++i]);
      else if (strcmp (argv[i], "--max-memory") == 0 && i + 1 < argc)
        max_memory = argv[++i];
      else if (strcmp (argv[i], "--warmup") == 0 && i + 1 < argc)
        warmup = atoi (argv[++i]);
      else if (strcmp (argv[i], "--path") == 0 && i + 1 < argc)
        path = argv[++i];
      else if (strcmp (argv[i], "--pytorch") == 0)
        pytorch = 1;
      else if (sscanf (argv[i], "%dx%d", &w, &h) == 2 && n_sizes < 16)
        {
          sizes[n_sizes][0] = w;
          sizes[n_sizes][1] = h;
          n_sizes++;
        }
      else
        {
          fprintf (stderr, "usage: impasto-bench [--model FILE] [--threads N] [--iterations N] "
                   "[--warmup N] [--regions N] [--max-memory SIZE] "
                   "[--path auto|avx512|avx512+blas|avx2|baseline] [--pytorch] [WxH ...]\n");
          return 2;
        }
    }
  if (iterations < 1)
    iterations = 1;
  if (max_memory != NULL && parse_bytes (max_memory) == 0)
    {
      fprintf (stderr, "impasto-bench: --max-memory takes a size such as 2G or 800M\n");
      return 2;
    }
  if (path != NULL && parse_path (path) < 0)
    {
      fprintf (stderr, "impasto-bench: --path takes auto, avx512, avx512+blas, avx2 or "
               "baseline\n");
      return 2;
    }
  if (n_regions < 0 || n_regions > IMPASTO_MAX_REGIONS)
    {
      fprintf (stderr, "impasto-bench: --regions takes 0 to %d\n", IMPASTO_MAX_REGIONS);
      return 2;
    }
  if (n_sizes == 0)
    {
      int defaults[3][2] = { { 450, 300 }, { 512, 512 }, { 1024, 768 } };
      memcpy (sizes, defaults, sizeof defaults);
      n_sizes = 3;
    }

  if (getenv ("IMPASTO_BENCH_CHILD") == NULL)
    {
      /* One child per size: peak RSS is a per-process high-water mark. The parent makes sure the
       * model is ready (imported, or written when random) so that no child pays for that. */
      char random_path[] = "/tmp/impasto-bench-XXXXXX.impasto";
      int failed = 0;

      if (model == NULL)
        {
          int fd = mkstemps (random_path, 8);

          weights = random_weights ();
          if (fd < 0 || impasto_weights_cache_write (weights, NULL, random_path, &error)
                        != IMPASTO_STATUS_OK)
            {
              fprintf (stderr, "impasto-bench: cannot write %s: %s\n", random_path,
                       fd < 0 ? "mkstemps failed" : error.message);
              return 1;
            }
          close (fd);
          impasto_weights_free (weights);
          model = random_path;
        }
      else
        {
          GError *gerror = NULL;
          double t0 = now ();

          weights = impasto_model_store_load (model, NULL, NULL, NULL, NULL, &gerror);
          if (weights == NULL)
            {
              fprintf (stderr, "impasto-bench: %s\n", gerror->message);
              return 1;
            }
          printf ("model %s ready in %.2f s\n", model, now () - t0);
          impasto_weights_free (weights);
        }
      setenv ("IMPASTO_BENCH_CHILD", "1", 1);

      for (int s = 0; s < n_sizes; s++)
        {
          char size[32], threads_arg[16], iterations_arg[16], warmup_arg[16], regions_arg[16];
          char *child_argv[24];
          char result_fd[16];
          int k = 0, status = 0, fds[2];
          pid_t pid;
          FILE *result;

          snprintf (size, sizeof size, "%dx%d", sizes[s][0], sizes[s][1]);
          snprintf (threads_arg, sizeof threads_arg, "%d", threads);
          snprintf (iterations_arg, sizeof iterations_arg, "%d", iterations);
          snprintf (warmup_arg, sizeof warmup_arg, "%d", warmup);
          snprintf (regions_arg, sizeof regions_arg, "%d", n_regions);
          child_argv[k++] = argv[0];
          if (model != NULL)
            {
              child_argv[k++] = (char *) "--model";
              child_argv[k++] = (char *) model;
            }
          child_argv[k++] = (char *) "--threads";
          child_argv[k++] = threads_arg;
          child_argv[k++] = (char *) "--iterations";
          child_argv[k++] = iterations_arg;
          child_argv[k++] = (char *) "--warmup";
          child_argv[k++] = warmup_arg;
          child_argv[k++] = (char *) "--regions";
          child_argv[k++] = regions_arg;
          if (max_memory != NULL)
            {
              child_argv[k++] = (char *) "--max-memory";
              child_argv[k++] = (char *) max_memory;
            }
          if (path != NULL)
            {
              child_argv[k++] = (char *) "--path";
              child_argv[k++] = (char *) path;
            }
          child_argv[k++] = size;
          child_argv[k] = NULL;
          if (pipe (fds) != 0)
            return 1;
          snprintf (result_fd, sizeof result_fd, "%d", fds[1]);
          setenv ("IMPASTO_BENCH_RESULT_FD", result_fd, 1);
          fflush (stdout);
          pid = fork ();
          if (pid == 0)
            {
              close (fds[0]);
              execv ("/proc/self/exe", child_argv);
              _exit (127);
            }
          close (fds[1]);
          result = fdopen (fds[0], "r");
          if (result != NULL)
            {
              if (fscanf (result, "%lf", &impasto_seconds[s]) != 1)
                impasto_seconds[s] = 0.0;
              fclose (result);
            }
          if (pid < 0 || waitpid (pid, &status, 0) < 0 || !WIFEXITED (status)
              || WEXITSTATUS (status) != 0)
            failed = 1;
        }
      if (model == random_path)
        unlink (random_path);
      if (pytorch)
        {
          if (impasto_bench_run_pytorch (IMPASTO_SOURCE_DIR "/tools/bench-pytorch.py",
                                         threads > 0 ? threads : impasto_get_threads (),
                                         iterations, warmup, n_regions, n_sizes,
                                         (const int (*)[2]) sizes, pytorch_seconds) != 0)
            failed = 1;
          for (int s = 0; s < n_sizes; s++)
            if (impasto_seconds[s] > 0.0 && pytorch_seconds[s] > 0.0)
              printf ("lead %dx%d: %.2f× (Impasto %.3f s/iter, PyTorch %.3f s/iter)\n",
                      sizes[s][0], sizes[s][1], pytorch_seconds[s] / impasto_seconds[s],
                      impasto_seconds[s], pytorch_seconds[s]);
        }
      return failed;
    }

  impasto_set_threads (threads);
  if (path != NULL)
    impasto_winograd_set_path ((ImpastoWinogradPath) parse_path (path));
  {
    GError *gerror = NULL;

    weights = impasto_model_store_load (model, NULL, NULL, NULL, NULL, &gerror);
    if (weights == NULL)
      {
        fprintf (stderr, "impasto-bench: %s\n", gerror->message);
        return 1;
      }
  }

  printf ("cpu %s, caches ", impasto_run_estimate_cpu_model ());
  impasto_bench_print_caches (stdout);
  printf ("threads %d, conv path %s, OPENBLAS_CORETYPE=%s, sgemm 1024^3 on one BLAS thread "
          "%.1f GFLOP/s, %d warm-up + %d measured iterations (median)\n",
          impasto_get_threads (), impasto_winograd_path_name (), getenv ("OPENBLAS_CORETYPE") ? getenv ("OPENBLAS_CORETYPE") : "",
          sgemm_gflops (), warmup, iterations);
  for (int s = 0; s < n_sizes; s++)
    bench_size (weights, sizes[s][0], sizes[s][1], warmup, iterations, n_regions,
                max_memory != NULL ? parse_bytes (max_memory) : 0);

  impasto_weights_free (weights);
  return 0;
}
