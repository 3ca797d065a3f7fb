/* impasto-convbench.c
 *
 * A micro-benchmark of the 3x3 convolutions alone on VGG19's layer shapes: for each layer up to
 * conv5_2 (the deepest a painting uses), the median time of forward and of backward-to-input for
 * the banded im2col + sgemm path (impasto_conv_im2col_*, OpenBLAS on N threads, as the engine ran
 * it before Winograd) and for Winograd F(4x4, 3x3) (impasto_winograd_*, our pool of N threads, BLAS on one),
 * with the useful rate: direct-convolution FLOPs (2 * 9 * Cin * Cout * H * W) over the time. The
 * last lines add the layers up into the convolutions' share of one iteration (forward + backward
 * of conv1_1 .. conv5_2).
 *
 *   impasto-convbench [--threads N] [--repeat N] [--min] [--cpu-time] [--size WxH]
 *                     [--path auto|avx512|avx512+blas|baseline|naive]
 *                     [--only winograd|im2col] [--layers conv1_2,conv4_2,...]
 *
 * --min reports the fastest run instead of the median, --cpu-time the process's CPU time divided
 * by the threads instead of the wall-clock time: both for tuning on a machine that is not idle
 * (CPU time leaves out the time other processes had the core, not their use of the caches and
 * the memory bus; OpenBLAS's threads spin while they wait, which counts as CPU time).
 *
 * Not a test: it asserts nothing and prints to stdout. Data is random; only shapes matter.
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

#include <cblas.h>

#include "impasto-conv-im2col.h"
#include "impasto-parallel.h"
#include "impasto-memory.h"
#include "impasto-winograd.h"

#define MAX_REPEAT 64

typedef struct
{
  const char *name;
  int in_channels;
  int out_channels;
  int shift;          /* the map is the image size >> shift */
} Layer;

/* VGG19 up to conv5_2. */
static const Layer layers[] = {
  { "conv1_1", 3, 64, 0 },
  { "conv1_2", 64, 64, 0 },
  { "conv2_1", 64, 128, 1 },
  { "conv2_2", 128, 128, 1 },
  { "conv3_1", 128, 256, 2 },
  { "conv3_2", 256, 256, 2 },
  { "conv3_3", 256, 256, 2 },
  { "conv3_4", 256, 256, 2 },
  { "conv4_1", 256, 512, 3 },
  { "conv4_2", 512, 512, 3 },
  { "conv4_3", 512, 512, 3 },
  { "conv4_4", 512, 512, 3 },
  { "conv5_1", 512, 512, 4 },
  { "conv5_2", 512, 512, 4 },
};
#define N_LAYERS ((int) (sizeof layers / sizeof layers[0]))

static clockid_t clock_id = CLOCK_MONOTONIC;
static double clock_scale = 1.0;

static double
now (void)
{
  struct timespec ts;

  clock_gettime (clock_id, &ts);
  return (ts.tv_sec + ts.tv_nsec * 1e-9) * clock_scale;
}

static void
fill (float *x, size_t n, uint64_t seed, float lo, float hi)
{
  uint64_t s = seed * 2862933555777941757ull + 3037000493ull;

  for (size_t i = 0; i < n; i++)
    {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      x[i] = lo + (hi - lo) * (float) ((s >> 40) * (1.0 / 16777216.0));
    }
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *t, int n)
{
  qsort (t, (size_t) n, sizeof *t, compare_doubles);
  return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

typedef enum { IM2COL_FWD, IM2COL_BWD, WINO_FWD, WINO_BWD, N_KINDS } Kind;

typedef struct
{
  ImpastoConvDims dims;
  float *inp, *out, *dout, *dinp;
  float *weight, *bias, *u;
  float *scratch;
  ImpastoParallel *pool;
} Case;

static void
run_once (Case *c, Kind kind)
{
  switch (kind)
    {
    case IM2COL_FWD:
      impasto_conv_im2col_forward (c->out, c->inp, c->weight, c->bias, &c->dims, c->scratch);
      break;
    case IM2COL_BWD:
      impasto_conv_im2col_backward (c->dinp, c->dout, c->weight, &c->dims, c->scratch);
      break;
    case WINO_FWD:
      impasto_winograd_forward (c->out, c->inp, c->u, c->bias, &c->dims, c->scratch, c->pool);
      break;
    default:
      impasto_winograd_backward (c->dinp, c->dout, c->u, &c->dims, c->scratch, c->pool);
      break;
    }
}

static bool use_min = false;

static double
time_kind (Case *c, Kind kind, int repeat)
{
  double t[MAX_REPEAT];

  run_once (c, kind);   /* warm-up: first touch, BLAS buffers */
  for (int r = 0; r < repeat; r++)
    {
      double t0 = now ();
      run_once (c, kind);
      t[r] = now () - t0;
    }
  return use_min ? (qsort (t, (size_t) repeat, sizeof *t, compare_doubles), t[0])
                 : median (t, repeat);
}

static bool
layer_selected (const char *list, const char *name)
{
  const char *p = list;
  size_t len = strlen (name);

  if (list == NULL)
    return true;
  while ((p = strstr (p, name)) != NULL)
    {
      if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
        return true;
      p += len;
    }
  return false;
}

static void
usage (void)
{
  fprintf (stderr, "usage: impasto-convbench [--threads N] [--repeat N] [--min] [--cpu-time] "
           "[--size WxH] "
           "[--path auto|avx512|avx512+blas|baseline|naive] [--only winograd|im2col] "
           "[--layers a,b,...]\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  int threads = 2, repeat = 5, width = 512, height = 512;
  ImpastoWinogradPath path = IMPASTO_WINOGRAD_AUTO;
  const char *only = NULL, *list = NULL;
  double total[N_KINDS] = { 0 }, prepare_ms = 0.0, filter_mib = 0.0;
  bool run_kind[N_KINDS] = { true, true, true, true };
  ImpastoParallel *pool;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else if (strcmp (argv[i], "--repeat") == 0 && i + 1 < argc)
        repeat = atoi (argv[++i]);
      else if (strcmp (argv[i], "--size") == 0 && i + 1 < argc)
        {
          if (sscanf (argv[++i], "%dx%d", &width, &height) != 2)
            usage ();
        }
      else if (strcmp (argv[i], "--path") == 0 && i + 1 < argc)
        {
          const char *g = argv[++i];

          if (strcmp (g, "auto") == 0)
            path = IMPASTO_WINOGRAD_AUTO;
          else if (strcmp (g, "avx512") == 0)
            path = IMPASTO_WINOGRAD_AVX512;
          else if (strcmp (g, "avx512+blas") == 0)
            path = IMPASTO_WINOGRAD_AVX512_BLAS;
          else if (strcmp (g, "baseline") == 0)
            path = IMPASTO_WINOGRAD_BASELINE;
          else if (strcmp (g, "avx2") == 0)
            path = IMPASTO_WINOGRAD_AVX2;
          else if (strcmp (g, "avx2+blas") == 0)
            path = IMPASTO_WINOGRAD_AVX2_BLAS;
          else if (strcmp (g, "naive") == 0)
            path = IMPASTO_WINOGRAD_NAIVE;
          else
            usage ();
        }
      else if (strcmp (argv[i], "--min") == 0)
        use_min = true;
      else if (strcmp (argv[i], "--cpu-time") == 0)
        clock_id = CLOCK_PROCESS_CPUTIME_ID;
      else if (strcmp (argv[i], "--only") == 0 && i + 1 < argc)
        only = argv[++i];
      else if (strcmp (argv[i], "--layers") == 0 && i + 1 < argc)
        list = argv[++i];
      else
        usage ();
    }
  if (threads < 1 || repeat < 1 || repeat > MAX_REPEAT || width < 16 || height < 16)
    usage ();
  if (only != NULL && strcmp (only, "winograd") == 0)
    run_kind[IM2COL_FWD] = run_kind[IM2COL_BWD] = false;
  else if (only != NULL && strcmp (only, "im2col") == 0)
    run_kind[WINO_FWD] = run_kind[WINO_BWD] = false;
  else if (only != NULL)
    usage ();

  if (clock_id == CLOCK_PROCESS_CPUTIME_ID)
    clock_scale = 1.0 / threads;
  impasto_winograd_set_path (path);
  pool = impasto_parallel_new (threads);
  if (pool == NULL)
    {
      fprintf (stderr, "cannot start %d threads\n", threads);
      return 1;
    }

  printf ("# %dx%d, %d threads, %s%s of %d; im2col: OpenBLAS sgemm on %d threads; "
          "winograd: %s path, pool of %d, BLAS on 1 thread\n",
          width, height, threads, clock_id == CLOCK_MONOTONIC ? "" : "CPU time / threads, ",
          use_min ? "fastest" : "median", repeat, threads,
          impasto_winograd_path_name (), threads);
  printf ("# rates are direct-convolution GFLOP/s: 2*9*Cin*Cout*H*W / time\n");
  printf ("%-8s %9s %9s | %8s %6s %8s %6s | %8s %6s %8s %6s\n", "layer", "Cin>Cout", "HxW",
          "i2c fwd", "GF/s", "i2c bwd", "GF/s", "wg fwd", "GF/s", "wg bwd", "GF/s");

  for (int l = 0; l < N_LAYERS; l++)
    {
      const Layer *layer = &layers[l];
      Case c = { 0 };
      size_t in_n, out_n, scratch;
      double flops, ms[N_KINDS] = { 0 };
      char shape[32], size[32];

      if (!layer_selected (list, layer->name))
        continue;
      c.dims = (ImpastoConvDims) { layer->in_channels, layer->out_channels,
                                   height >> layer->shift, width >> layer->shift };
      c.pool = pool;
      in_n = (size_t) c.dims.in_channels * c.dims.height * c.dims.width;
      out_n = (size_t) c.dims.out_channels * c.dims.height * c.dims.width;
      scratch = impasto_conv_im2col_scratch_floats (&c.dims);
      if (impasto_winograd_scratch_floats (&c.dims, threads) > scratch)
        scratch = impasto_winograd_scratch_floats (&c.dims, threads);

      c.inp = impasto_alloc_floats (in_n);
      c.dinp = impasto_alloc_floats (in_n);
      c.out = impasto_alloc_floats (out_n);
      c.dout = impasto_alloc_floats (out_n);
      c.weight = impasto_alloc_floats ((size_t) c.dims.out_channels * c.dims.in_channels * 9);
      c.bias = impasto_alloc_floats ((size_t) c.dims.out_channels);
      c.u = impasto_alloc_floats (impasto_winograd_filter_floats (c.dims.in_channels,
                                                                  c.dims.out_channels));
      c.scratch = impasto_alloc_floats (scratch);
      if (c.inp == NULL || c.dinp == NULL || c.out == NULL || c.dout == NULL
          || c.weight == NULL || c.bias == NULL || c.u == NULL || c.scratch == NULL)
        {
          fprintf (stderr, "out of memory at %s\n", layer->name);
          return 1;
        }
      fill (c.inp, in_n, 1, 0.0f, 1.0f);
      fill (c.dout, out_n, 2, -1.0f, 1.0f);
      fill (c.weight, (size_t) c.dims.out_channels * c.dims.in_channels * 9, 3, -0.05f, 0.05f);
      fill (c.bias, (size_t) c.dims.out_channels, 4, -0.1f, 0.1f);
      {
        struct timespec t0, t1;

        clock_gettime (CLOCK_MONOTONIC, &t0);
        impasto_winograd_prepare (c.u, c.weight, c.dims.in_channels, c.dims.out_channels);
        clock_gettime (CLOCK_MONOTONIC, &t1);
        prepare_ms += (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6;
        filter_mib += impasto_winograd_filter_floats (c.dims.in_channels, c.dims.out_channels)
                      * sizeof (float) / 1048576.0;
      }

      /* The engine today: OpenBLAS on N threads. Winograd: our threads, BLAS on one. */
      openblas_set_num_threads (threads);
      for (Kind k = IM2COL_FWD; k <= IM2COL_BWD; k++)
        if (run_kind[k])
          ms[k] = 1e3 * time_kind (&c, k, repeat);
      openblas_set_num_threads (1);
      for (Kind k = WINO_FWD; k <= WINO_BWD; k++)
        if (run_kind[k])
          ms[k] = 1e3 * time_kind (&c, k, repeat);

      flops = 2.0 * 9.0 * c.dims.in_channels * c.dims.out_channels
              * (double) c.dims.height * c.dims.width;
      snprintf (shape, sizeof shape, "%d>%d", c.dims.in_channels, c.dims.out_channels);
      snprintf (size, sizeof size, "%dx%d", c.dims.width, c.dims.height);
      printf ("%-8s %9s %9s", layer->name, shape, size);
      for (Kind k = IM2COL_FWD; k < N_KINDS; k++)
        {
          printf ("%s %8.2f %6.0f", k % 2 == 0 ? " |" : "", ms[k],
                  ms[k] > 0 ? flops / (ms[k] * 1e-3) * 1e-9 : 0.0);
          total[k] += ms[k];
        }
      printf ("\n");
      fflush (stdout);

      impasto_free_buffer (c.inp);
      impasto_free_buffer (c.dinp);
      impasto_free_buffer (c.out);
      impasto_free_buffer (c.dout);
      impasto_free_buffer (c.weight);
      impasto_free_buffer (c.bias);
      impasto_free_buffer (c.u);
      impasto_free_buffer (c.scratch);
    }

  printf ("%-28s | %8.1f %6s %8.1f %6s | %8.1f %6s %8.1f %6s\n", "sum (ms)",
          total[IM2COL_FWD], "", total[IM2COL_BWD], "", total[WINO_FWD], "", total[WINO_BWD], "");
  printf ("convolutions per iteration (forward + backward of the layers above): "
          "im2col %.3f s, winograd %.3f s\n",
          (total[IM2COL_FWD] + total[IM2COL_BWD]) * 1e-3,
          (total[WINO_FWD] + total[WINO_BWD]) * 1e-3);
  printf ("transformed filters of these layers: %.0f MiB, made once in %.0f ms (one thread)\n",
          filter_mib, prepare_ms);
  impasto_parallel_free (pool);
  return 0;
}
