/* impasto-run-estimate.c
 *
 * The run's memory and time estimates (see impasto-run-estimate.h). The speed store is a
 * GKeyFile with one group per CPU model and thread count, and a key per optimiser:
 *
 *   [Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz, 8 threads]
 *   adam-seconds-per-gflop=0.0123
 *
 * written atomically (g_file_set_contents). It is a cache: anything unreadable in it counts as
 * nothing stored, and the next calibration or run writes it anew.
 *
 * This file does not decide when to calibrate, and does not lock the store: two runs finishing
 * at the same moment may lose one of two averages, which only makes the estimate a little less
 * refined.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-run-estimate"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "impasto-run-estimate.h"
#include "impasto-memory-budget.h"
#include "impasto-threads.h"

/* The calibration: a square of the window's default size, one warm-up step, then the median of
 * a few timed steps. Smaller squares leave the deep layers less work per thread and came out
 * 1.3 to 1.9 times slower per GFLOP than 512 px here, which made every estimate too slow; this
 * costs a few seconds of the cores once, in the background. */
#define CALIBRATION_SIDE 512
#define CALIBRATION_STEPS 3

/* The newest run's share of the stored speed. */
#define RUN_WEIGHT 0.5

/* Memory ------------------------------------------------------------------------------------- */

guint64
impasto_run_estimate_available_memory (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  return pages > 0 && page_size > 0 ? (guint64) pages * (guint64) page_size : 0;
}

/* Whether @bytes fit this computer (yes when its memory cannot be told), with both figures. */
static gboolean
memory_fits (guint64  bytes,
             guint64 *needed,
             guint64 *available)
{
  guint64 have = impasto_run_estimate_available_memory ();

  if (needed != NULL)
    *needed = bytes;
  if (available != NULL)
    *available = have;
  return have == 0 || bytes <= have;
}

gboolean
impasto_run_estimate_memory (const ImpastoWeights        *weights,
                             const ImpastoSessionConfig *config,
                             const ImpastoSessionParams *params,
                             guint64                     *needed,
                             guint64                     *available)
{
  g_return_val_if_fail (weights != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  return memory_fits (impasto_session_estimate_bytes (weights, config, params), needed,
                      available);
}

gboolean
impasto_run_estimate_ladder_memory (const ImpastoWeights        *weights,
                                    const ImpastoLadderConfig  *ladder_config,
                                    const ImpastoSessionConfig *config,
                                    const ImpastoSessionParams *params,
                                    guint64                     *needed,
                                    guint64                     *available)
{
  g_return_val_if_fail (weights != NULL, FALSE);
  g_return_val_if_fail (ladder_config != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  return memory_fits (impasto_ladder_estimate_bytes (weights, ladder_config, config, params),
                      needed, available);
}

/* Found by bisection between the budget and the largest one (to a thousandth, at least 1 MiB). */
guint64
impasto_run_estimate_least_budget (const ImpastoWeights       *weights,
                                   const ImpastoLadderConfig  *ladder_config,
                                   const ImpastoSessionConfig *config,
                                   const ImpastoSessionParams *params)
{
  ImpastoLadderConfig trial = *ladder_config;
  ImpastoEngineError error;
  guint64 low = ladder_config->max_bytes;
  guint64 high = MIN (IMPASTO_MEMORY_BUDGET_MAX, (guint64) G_MAXSIZE);
  size_t bytes = 0;
  size_t high_bytes;
  int n_x;
  int n_y;

  trial.max_bytes = (size_t) high;
  if (impasto_ladder_plan_tiles (weights, &trial, config, params, &n_x, &n_y, &bytes, &error)
      != IMPASTO_STATUS_OK)
    return 0;
  high_bytes = bytes;

  while (high - low > MAX (G_GUINT64_CONSTANT (1) << 20, low / 1000))
    {
      guint64 middle = low + (high - low) / 2;

      trial.max_bytes = (size_t) middle;
      if (impasto_ladder_plan_tiles (weights, &trial, config, params, &n_x, &n_y, &bytes,
                                     &error) == IMPASTO_STATUS_OK)
        {
          high = middle;
          high_bytes = bytes;
        }
      else
        low = middle;
    }
  return high_bytes;
}

/* Time --------------------------------------------------------------------------------------- */

int
impasto_run_estimate_deepest_layer (const ImpastoSessionParams *params)
{
  int deepest = -1;

  g_return_val_if_fail (params != NULL, -1);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (params->content_layers[i] > 0.0f || params->style_layers[i] > 0.0f)
      deepest = i;
  return deepest;
}

double
impasto_run_estimate_gflop (const ImpastoWeights *weights,
                            int                   deepest,
                            int                   width,
                            int                   height)
{
  int channels[IMPASTO_VGG19_N_CONVS + 1];

  g_return_val_if_fail (weights != NULL, 0.0);
  g_return_val_if_fail (deepest < IMPASTO_VGG19_N_CONVS, 0.0);

  if (deepest < 0 || width <= 0 || height <= 0)
    return 0.0;
  channels[0] = 3;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    channels[i + 1] = weights->convs[i].out_channels;
  return impasto_vgg19_forward_flops (channels, deepest, height, width) / 1e9;
}

int
impasto_run_estimate_threads (int threads)
{
  long cores = sysconf (_SC_NPROCESSORS_ONLN);

  if (cores < 1)
    cores = 1;
  return threads <= 0 || threads > cores ? (int) cores : threads;
}

double
impasto_run_estimate_seconds (double seconds_per_gflop,
                              double gflop)
{
  if (!(seconds_per_gflop > 0.0) || !(gflop > 0.0))
    return 0.0;
  return seconds_per_gflop * gflop;
}

double
impasto_run_estimate_ladder_seconds (const ImpastoWeights       *weights,
                                     int                         deepest,
                                     const ImpastoLadderConfig *ladder_config,
                                     int                         width,
                                     int                         height,
                                     int                         last_side,
                                     double                      seconds_per_gflop)
{
  int widths[IMPASTO_LADDER_MAX_SIZES];
  int heights[IMPASTO_LADDER_MAX_SIZES];
  int n;
  int last;
  double seconds = 0.0;

  g_return_val_if_fail (weights != NULL, 0.0);
  g_return_val_if_fail (ladder_config != NULL, 0.0);

  n = impasto_ladder_plan_sizes (width, height, ladder_config->min_side, ladder_config->max_sizes,
                                 widths, heights);
  if (n < 1)
    return 0.0;
  last = last_side > 0 ? impasto_ladder_plan_find_scale (widths, heights, n, last_side) : n - 1;
  for (int k = 0; k <= last; k++)
    seconds += impasto_ladder_config_get_budget (ladder_config, n, k)
               * impasto_run_estimate_seconds (seconds_per_gflop,
                                               impasto_run_estimate_gflop (weights, deepest,
                                                                           widths[k], heights[k]));
  return seconds;
}

/* The store ---------------------------------------------------------------------------------- */

char *
impasto_run_speed_default_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "impasto", "speed.ini", NULL);
}

const char *
impasto_run_estimate_cpu_model (void)
{
  static gsize model;

  if (g_once_init_enter (&model))
    {
      g_autofree char *cpuinfo = NULL;
      char *name = NULL;

      if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
        {
          g_auto(GStrv) lines = g_strsplit (cpuinfo, "\n", -1);

          for (guint i = 0; name == NULL && lines[i] != NULL; i++)
            {
              char *colon = strchr (lines[i], ':');

              if (colon != NULL && (g_str_has_prefix (lines[i], "model name")
                                    || g_str_has_prefix (lines[i], "Processor")))
                {
                  name = g_strstrip (g_strdup (colon + 1));
                  if (name[0] == '\0')
                    g_clear_pointer (&name, g_free);
                }
            }
        }
      if (name == NULL)
        name = g_strdup ("unknown CPU");
      /* A group name cannot hold brackets. */
      g_strdelimit (name, "[", '(');
      g_strdelimit (name, "]", ')');
      g_once_init_leave (&model, (gsize) name);
    }
  return (const char *) model;
}

/* The group for this computer and @threads. */
static char *
store_group (int threads)
{
  return g_strdup_printf ("%s, %d threads", impasto_run_estimate_cpu_model (), impasto_run_estimate_threads (threads));
}

static const char *
store_key (ImpastoOptimizer optimizer)
{
  return optimizer == IMPASTO_OPTIMIZER_LBFGS ? "lbfgs-seconds-per-gflop"
                                              : "adam-seconds-per-gflop";
}

#define SPEED_MIN 1e-6 /* seconds per GFLOP */
#define SPEED_MAX 1e3

static double
lookup_key (GKeyFile   *keys,
            const char *group,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  double value = g_key_file_get_double (keys, group, key, &error);

  /* From a millionth of a second to a thousand seconds per GFLOP: outside that the file was
   * edited by hand or damaged, and measuring again is better than a nonsense estimate. */
  return error == NULL && value >= SPEED_MIN && value <= SPEED_MAX ? value : 0.0;
}

double
impasto_run_speed_lookup (const char       *path,
                          ImpastoOptimizer  optimizer,
                          int               threads)
{
  g_autofree char *default_path = NULL;
  g_autofree char *group = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  double value;

  if (path == NULL)
    path = default_path = impasto_run_speed_default_path ();
  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, NULL))
    return 0.0;

  group = store_group (threads);
  value = lookup_key (keys, group, store_key (optimizer));
  if (value == 0.0 && optimizer != IMPASTO_OPTIMIZER_ADAM)
    value = lookup_key (keys, group, store_key (IMPASTO_OPTIMIZER_ADAM));
  return value;
}

double
impasto_run_speed_record (const char        *path,
                          ImpastoOptimizer   optimizer,
                          int                threads,
                          double             seconds_per_gflop,
                          GError           **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *group = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  double stored = 0.0;
  double value;
  gsize length;

  g_return_val_if_fail (isfinite (seconds_per_gflop) && seconds_per_gflop > 0.0, 0.0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0.0);

  if (path == NULL)
    path = default_path = impasto_run_speed_default_path ();
  group = store_group (threads);

  /* A file that cannot be read is started afresh. */
  if (g_key_file_load_from_file (keys, path, G_KEY_FILE_KEEP_COMMENTS, NULL))
    stored = lookup_key (keys, group, store_key (optimizer));
  else
    {
      g_key_file_unref (keys);
      keys = g_key_file_new ();
    }

  value = stored > 0.0 ? (1.0 - RUN_WEIGHT) * stored + RUN_WEIGHT * seconds_per_gflop
                       : seconds_per_gflop;
  g_key_file_set_double (keys, group, store_key (optimizer), value);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", folder, g_strerror (saved_errno));
      return 0.0;
    }
  data = g_key_file_to_data (keys, &length, NULL);
  if (!g_file_set_contents (path, data, (gssize) length, error))
    return 0.0;
  return value;
}

double
impasto_run_speed_record_run (const char        *path,
                              ImpastoOptimizer   optimizer,
                              int                threads,
                              double             seconds_per_iteration,
                              double             gflop,
                              GError           **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, 0.0);

  if (!(seconds_per_iteration > 0.0) || !(gflop > 0.0) || !isfinite (seconds_per_iteration))
    return 0.0;
  return impasto_run_speed_record (path, optimizer, threads, seconds_per_iteration / gflop,
                                   error);
}

/* Calibration -------------------------------------------------------------------------------- */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
impasto_run_speed_calibrate (const ImpastoWeights *weights,
                             int                   threads,
                             ImpastoShouldStop     should_stop,
                             void                 *should_stop_data)
{
  const int side = CALIBRATION_SIDE;
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  ImpastoEngineError engine_error = { 0 };
  ImpastoSession *session = NULL;
  g_autofree float *content = NULL;
  g_autofree float *style = NULL;
  double times[CALIBRATION_STEPS];
  int n_times = 0;
  double median;
  double gflop;

  g_return_val_if_fail (weights != NULL, 0.0);

  /* Two smooth, different pictures: the numbers do not matter, only the work. */
  content = g_try_new (float, (gsize) side * side * 3);
  style = g_try_new (float, (gsize) side * side * 3);
  if (content == NULL || style == NULL)
    return 0.0;
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      for (int c = 0; c < 3; c++)
        {
          gsize i = ((gsize) y * side + x) * 3 + c;

          content[i] = 127.5f + 100.0f * sinf (0.11f * x * (c + 1) + 0.07f * y);
          style[i] = 127.5f + 100.0f * cosf (0.05f * x + 0.13f * y * (3 - c));
        }

  impasto_session_params_init_default (&params);
  impasto_session_config_init_default (&config);
  config.width = side;
  config.height = side;
  config.content_rgb = content;
  config.style_rgb = style;
  config.optimizer = IMPASTO_OPTIMIZER_ADAM;
  gflop = impasto_run_estimate_gflop (weights, impasto_run_estimate_deepest_layer (&params),
                                      side, side);

  impasto_set_threads (impasto_run_estimate_threads (threads));
  if (impasto_session_new (&session, weights, &config, &params, should_stop, should_stop_data,
                            &engine_error) != IMPASTO_STATUS_OK)
    return 0.0;

  /* The first step touches everything for the first time; the median of the next ones is the
   * machine's pace (one step slowed down by other programs does not count). */
  for (int step = 0; step <= CALIBRATION_STEPS; step++)
    {
      gint64 start = g_get_monotonic_time ();

      if (impasto_session_step (session, NULL, &engine_error) != IMPASTO_STATUS_OK)
        break;
      if (step > 0)
        times[n_times++] = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
    }
  impasto_session_free (session);
  if (n_times < CALIBRATION_STEPS)
    return 0.0;

  qsort (times, n_times, sizeof times[0], compare_doubles);
  median = times[n_times / 2];
  return median > 0.0 && gflop > 0.0 ? median / gflop : 0.0;
}
