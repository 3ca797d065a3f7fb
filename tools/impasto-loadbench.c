/* impasto-loadbench.c
 *
 * How long a MatConvNet VGG19 .mat takes to become ready weights, and how much memory that
 * takes, measured each way the app can get there:
 *
 *   import    impasto_model_store_load() with an empty cache folder: the first start, which reads
 *             the .mat once, checking all of it (its MD5 on a second thread, from the bytes the
 *             reader reads), and writes and maps the cache
 *   cached    impasto_model_store_load() again with that cache in place
 *   fast      impasto_weights_load_with_reader (FAST): the reader alone, weights only
 *   whole     impasto_weights_load_with_options (check_whole_file): the reader alone, reading and
 *             checking the whole file in its one pass
 *   matio     impasto_weights_load_with_reader (MATIO): the reader's check, then matio
 *   md5       the MD5 of the .mat read in 1 MiB chunks, on its own
 *
 *   impasto-loadbench [--runs N] [--cached-runs N] [--matio-runs N] [--verify] FILE.mat
 *
 * Each run is a child process of its own (fork), so that its peak RSS is its own; the median
 * time of the runs is shown. --verify also loads the file with both readers in one child and
 * compares the weights bit for bit. The .mat is read once up front so that every run starts
 * from a warm page cache, as scipy's figure in tools/bench-scipy-loadmat.py does. The load
 * average is printed before and after: the machine is shared.
 *
 * Not a test: nothing here asserts a speed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "impasto-model-store.h"
#include "impasto-weights.h"

#define MAX_RUNS 64

typedef enum
{
  MEASURE_IMPORT,
  MEASURE_CACHED,
  MEASURE_FAST,
  MEASURE_WHOLE,
  MEASURE_MATIO,
  MEASURE_MD5,
  MEASURE_VERIFY,
} Measure;

/* What a child sends back through its pipe. */
typedef struct
{
  bool ok;
  double seconds;
  double peak_rss_mb;
  char message[IMPASTO_STATUS_MESSAGE_SIZE];
} Result;

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (double) usage.ru_maxrss / 1024.0; /* KiB -> MiB */
}

static void
print_load_average (const char *when)
{
  char text[128] = "?";
  FILE *file = fopen ("/proc/loadavg", "r");

  if (file != NULL)
    {
      if (fgets (text, sizeof text, file) == NULL)
        strcpy (text, "?");
      fclose (file);
    }
  text[strcspn (text, "\n")] = '\0';
  printf ("load average %s: %s\n", when, text);
}

/* Reads @path once so that the runs find it in the page cache. */
static void
warm_up (const char *path)
{
  char *buffer = malloc (1 << 20);
  int fd = open (path, O_RDONLY);

  if (fd >= 0 && buffer != NULL)
    while (read (fd, buffer, 1 << 20) > 0)
      ;
  if (fd >= 0)
    close (fd);
  free (buffer);
}

static bool
same_weights (const ImpastoWeights *a, const ImpastoWeights *b, char *message, size_t size)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *x = &a->convs[i], *y = &b->convs[i];
      size_t n;

      if (x->in_channels != y->in_channels || x->out_channels != y->out_channels)
        {
          snprintf (message, size, "conv %d: shapes differ", i);
          return false;
        }
      n = 9 * (size_t) x->in_channels * (size_t) x->out_channels;
      if (memcmp (x->filters, y->filters, n * sizeof (float)) != 0
          || memcmp (x->biases, y->biases, (size_t) x->out_channels * sizeof (float)) != 0)
        {
          snprintf (message, size, "conv %d: values differ", i);
          return false;
        }
    }
  if (memcmp (a->mean_pixel, b->mean_pixel, sizeof a->mean_pixel) != 0
      || a->mean_from_file != b->mean_from_file)
    {
      snprintf (message, size, "the means differ");
      return false;
    }
  snprintf (message, size, "bit-identical (mean %g %g %g%s)", (double) a->mean_pixel[0],
            (double) a->mean_pixel[1], (double) a->mean_pixel[2],
            a->mean_from_file ? ", from the file" : ", the default");
  return true;
}

/* One measurement, in the child. */
static Result
measure (Measure what, const char *path, const char *cache_dir)
{
  Result result = { 0 };
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };
  GError *gerror = NULL;
  double t0;

  if (cache_dir != NULL)
    g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  t0 = now ();
  switch (what)
    {
    case MEASURE_IMPORT:
    case MEASURE_CACHED:
      {
        ImpastoModelOrigin origin;
        ImpastoModelOrigin expected = what == MEASURE_IMPORT ? IMPASTO_MODEL_ORIGIN_IMPORTED
                                                             : IMPASTO_MODEL_ORIGIN_CACHED;

        weights = impasto_model_store_load (path, NULL, NULL, NULL, &origin, &gerror);
        result.seconds = now () - t0;
        if (weights == NULL)
          {
            snprintf (result.message, sizeof result.message, "%s", gerror->message);
            g_error_free (gerror);
          }
        else if (origin != expected)
          snprintf (result.message, sizeof result.message, "the weights came from elsewhere");
        else
          result.ok = true;
        break;
      }
    case MEASURE_FAST:
    case MEASURE_MATIO:
      {
        ImpastoStatus status = impasto_weights_load_with_reader (&weights, path,
                                                                 what == MEASURE_FAST
                                                                 ? IMPASTO_WEIGHTS_READER_FAST
                                                                 : IMPASTO_WEIGHTS_READER_MATIO,
                                                                 &error);

        result.seconds = now () - t0;
        result.ok = status == IMPASTO_STATUS_OK;
        if (!result.ok)
          snprintf (result.message, sizeof result.message, "%s", error.message);
        break;
      }
    case MEASURE_WHOLE:
      {
        ImpastoWeightsLoadOptions options = { .check_whole_file = true };
        ImpastoStatus status = impasto_weights_load_with_options (&weights, path, &options,
                                                                  &error);

        result.seconds = now () - t0;
        result.ok = status == IMPASTO_STATUS_OK;
        if (!result.ok)
          snprintf (result.message, sizeof result.message, "%s", error.message);
        break;
      }
    case MEASURE_MD5:
      {
        GChecksum *checksum = g_checksum_new (G_CHECKSUM_MD5);
        guint8 *buffer = g_malloc (1 << 20);
        int fd = open (path, O_RDONLY | O_CLOEXEC);
        ssize_t n;

        while (fd >= 0 && (n = read (fd, buffer, 1 << 20)) > 0)
          g_checksum_update (checksum, buffer, n);
        result.seconds = now () - t0;
        result.ok = fd >= 0;
        snprintf (result.message, sizeof result.message, "%s", g_checksum_get_string (checksum));
        if (fd >= 0)
          close (fd);
        g_free (buffer);
        g_checksum_free (checksum);
        break;
      }
    case MEASURE_VERIFY:
      {
        ImpastoWeights *other = NULL;

        if (impasto_weights_load_with_reader (&weights, path, IMPASTO_WEIGHTS_READER_FAST,
                                              &error) != IMPASTO_STATUS_OK
            || impasto_weights_load_with_reader (&other, path, IMPASTO_WEIGHTS_READER_MATIO,
                                                 &error) != IMPASTO_STATUS_OK)
          snprintf (result.message, sizeof result.message, "%s", error.message);
        else
          result.ok = same_weights (weights, other, result.message, sizeof result.message);
        result.seconds = now () - t0;
        impasto_weights_free (other);
        break;
      }
    }
  impasto_weights_free (weights);
  result.peak_rss_mb = peak_rss_mb ();
  return result;
}

/* Runs measure() in a child process and collects its result. */
static Result
run_child (Measure what, const char *path, const char *cache_dir)
{
  Result result = { 0 };
  int fds[2], status = 0;
  pid_t pid;

  fflush (stdout);
  if (pipe (fds) != 0)
    {
      snprintf (result.message, sizeof result.message, "pipe: %s", strerror (errno));
      return result;
    }
  pid = fork ();
  if (pid == 0)
    {
      Result child = measure (what, path, cache_dir);
      ssize_t written;

      close (fds[0]);
      written = write (fds[1], &child, sizeof child);
      _exit (written == (ssize_t) sizeof child ? 0 : 1);
    }
  close (fds[1]);
  if (pid < 0 || read (fds[0], &result, sizeof result) != (ssize_t) sizeof result)
    {
      memset (&result, 0, sizeof result);
      snprintf (result.message, sizeof result.message, "the child failed");
    }
  close (fds[0]);
  if (pid > 0)
    waitpid (pid, &status, 0);
  return result;
}

/* Removes the cache folder @dir: the files in its impasto/ folder, then the folders. */
static void
remove_cache_dir (const char *dir)
{
  char *sub = g_build_filename (dir, "impasto", NULL);
  GDir *listing = g_dir_open (sub, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      char *file = g_build_filename (sub, name, NULL);

      g_unlink (file);
      g_free (file);
    }
  if (listing != NULL)
    g_dir_close (listing);
  g_rmdir (sub);
  if (g_rmdir (dir) != 0)
    fprintf (stderr, "impasto-loadbench: cannot remove %s\n", dir);
  g_free (sub);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* @runs children of @what; prints the median time and the largest peak RSS. */
static bool
report (const char *label, Measure what, int runs, const char *path, bool fresh_cache,
        char **cache_dir)
{
  double times[MAX_RUNS], rss = 0.0;
  Result result = { 0 };

  for (int i = 0; i < runs; i++)
    {
      if (fresh_cache)
        {
          if (*cache_dir != NULL)
            {
              remove_cache_dir (*cache_dir);
              g_free (*cache_dir);
            }
          *cache_dir = g_dir_make_tmp ("impasto-loadbench-XXXXXX", NULL);
          if (*cache_dir == NULL)
            {
              fprintf (stderr, "impasto-loadbench: cannot make a cache folder\n");
              return false;
            }
        }
      result = run_child (what, path, cache_dir != NULL ? *cache_dir : NULL);
      if (!result.ok)
        {
          printf ("  %-34s FAILED: %s\n", label, result.message);
          return false;
        }
      times[i] = result.seconds;
      if (result.peak_rss_mb > rss)
        rss = result.peak_rss_mb;
    }
  qsort (times, (size_t) runs, sizeof times[0], compare_doubles);
  printf ("  %-34s %7.3f s  (median of %d, %.3f ... %.3f)  peak RSS %6.0f MiB%s%s\n", label,
          times[runs / 2], runs, times[0], times[runs - 1], rss,
          what == MEASURE_MD5 ? "  md5 " : "", what == MEASURE_MD5 ? result.message : "");
  return true;
}

static int
clamp_runs (const char *text)
{
  int n = atoi (text);

  return n < 1 ? 1 : n > MAX_RUNS ? MAX_RUNS : n;
}

int
main (int argc, char **argv)
{
  int runs = 3, cached_runs = 5, matio_runs = 1;
  bool verify = false, usage = false, ok = true;
  const char *path = NULL;
  char *cache_dir = NULL;
  struct stat st;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--runs") == 0 && i + 1 < argc)
        runs = clamp_runs (argv[++i]);
      else if (strcmp (argv[i], "--cached-runs") == 0 && i + 1 < argc)
        cached_runs = clamp_runs (argv[++i]);
      else if (strcmp (argv[i], "--matio-runs") == 0 && i + 1 < argc)
        matio_runs = clamp_runs (argv[++i]);
      else if (strcmp (argv[i], "--verify") == 0)
        verify = true;
      else if (path == NULL && argv[i][0] != '-')
        path = argv[i];
      else
        {
          usage = true;
          break;
        }
    }
  if (path == NULL || usage)
    {
      fprintf (stderr, "usage: impasto-loadbench [--runs N] [--cached-runs N] [--matio-runs N] "
               "[--verify] FILE.mat\n");
      return 2;
    }
  if (stat (path, &st) != 0)
    {
      fprintf (stderr, "impasto-loadbench: %s: %s\n", path, strerror (errno));
      return 1;
    }

  printf ("%s: %.1f MB\n", path, (double) st.st_size / 1e6);
  print_load_average ("before");
  warm_up (path);

  ok = report ("fast reader alone", MEASURE_FAST, runs, path, false, NULL) && ok;
  ok = report ("reader, whole file checked", MEASURE_WHOLE, runs, path, false, NULL) && ok;
  ok = report ("matio reader alone", MEASURE_MATIO, matio_runs, path, false, NULL) && ok;
  ok = report ("MD5 of the .mat alone", MEASURE_MD5, runs, path, false, NULL) && ok;
  ok = report ("import via the store (no cache)", MEASURE_IMPORT, runs, path, true, &cache_dir)
       && ok;
  if (cache_dir != NULL)
    ok = report ("from the cache", MEASURE_CACHED, cached_runs, path, false, &cache_dir) && ok;
  if (verify)
    {
      Result result = run_child (MEASURE_VERIFY, path, NULL);

      printf ("  fast vs matio: %s%s\n", result.ok ? "" : "DIFFERENT or failed: ",
              result.message);
      ok = ok && result.ok;
    }
  print_load_average ("after");

  if (cache_dir != NULL)
    {
      remove_cache_dir (cache_dir);
      g_free (cache_dir);
    }
  return ok ? 0 : 1;
}
