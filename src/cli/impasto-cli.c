/* impasto-cli.c
 *
 * impasto-cli: style transfer from the command line. It reads the flags (filling those not
 * typed from --preset or --settings-from first: impasto-cli-settings.c), checks every one of
 * them and names every result (one photo, or a batch: impasto-cli-batch.c), then paints each
 * picture in turn (paint_job()): loads its photo, the paintings and the model (read once, for the
 * first picture that gets that far), plans the run under its memory budget (each size whole, or
 * in tiles: impasto-cli-memory.c), and only then runs the engine's ladder of sizes (progressive
 * by default, --scales 1 for the flat run): at each size, evaluate its first image (iteration 0),
 * then one optimiser step per iteration until the size's budget is spent or it has converged,
 * with an optional JSON Lines log, a progress line on a terminal (impasto-cli-progress.c) and
 * numbered frames (always at the final size), and the run's animation (--animation:
 * impasto-cli-animation.c) written after it. In a batch the paintings' targets are kept from
 * photo to photo (the engine's style cache) and a photo that fails is reported while the others
 * are painted. Ctrl+C stops between (or inside) steps and the last image is still written. The
 * output is saved atomically, so a failed run never destroys a file that was already there; a
 * PNG carries the run's settings (impasto-picture-settings.h).
 *
 * Exit codes: 0 done, 1 the engine failed while running (memory, numbers) or, in a batch, a photo
 * failed, 2 bad input (flags, files, model), 130 interrupted after writing the last image.
 *
 * This file does not decode images or search for the model itself (src/common does), and it
 * does not spawn threads: the engine runs on the main thread.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-choices.h"
#include "impasto-cli.h"
#include "impasto-cli-animation.h"
#include "impasto-cli-batch.h"
#include "impasto-cli-memory.h"
#include "impasto-cli-progress.h"
#include "impasto-cli-paintings.h"
#include "impasto-cli-regions.h"
#include "impasto-cli-settings.h"
#include "impasto-colors-inputs.h"
#include "impasto-image.h"
#include "impasto-memory-budget.h"
#include "impasto-model-path.h"
#include "impasto-model-store.h"
#include "impasto-memory.h"
#include "impasto-picture-settings.h"
#include "impasto-ladder.h"
#include "impasto-run-estimate.h"
#include "impasto-threads.h"
#include "impasto-session.h"
#include "impasto-style-cache.h"
#include "impasto-weights.h"

#define DEFAULT_ITERATIONS 1000
#define DEFAULT_SIZE       512
#define MAX_ITERATIONS     10000000
#define MAX_THREADS        1024
#define DEFAULT_MIN_SIZE   128
/* A size has converged when its loss changed by less than this share over CONVERGENCE_WINDOW
 * iterations. 0: with impasto-ladderbench, no tolerance up to 0.05 ended a size early within the
 * budgets (README, Benchmarks), so the budgets decide. */
#define DEFAULT_TOLERANCE  0.0
#define CONVERGENCE_WINDOW 10

/* Set by the SIGINT handler, polled by the engine through should_stop(). */
static volatile sig_atomic_t interrupted;

/* The flags as typed. Numbers stay text until parse_settings() checks them, so that every
 * message names the flag and the value. */
typedef struct
{
  char **contents;
  char **styles;
  char *style_weights;
  char *style_scale;
  gboolean style_upscale;
  char *preserve_colors;
  char **regions;
  char *region_guides;
  char *output;
  char *output_dir;
  char *output_name;
  gboolean each_style;
  gboolean quiet;
  char *model;
  char *size;
  char *width;
  char *height;
  char *iterations;
  char *scales;
  char *min_size;
  char *tolerance;
  char *alpha;
  char *beta;
  char *tv;
  char *content_layers;
  char *style_layers;
  char *optimizer;
  char *learning_rate;
  char *init;
  char *init_image;
  char *noise;
  char *seed;
  char *pool;
  char *save_every;
  char *log;
  char *threads;
  char *max_memory;
  char *preset;
  char *settings_from;
  char *animation;
  char *animation_frames;
  char *animation_size;
  gboolean min_size_from_file;  /* --min-size came from --preset or --settings-from */
  gboolean optimizer_from_file; /* and --optimizer */
  gboolean version;
  char **remaining;
} Options;

/* The flags once checked. */
typedef struct
{
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  int size;         /* longest side, or 0 when width and height are given */
  int width;        /* 0: from the content's aspect */
  int height;       /* 0: likewise */
  int iterations;   /* budget of the final size */
  int scales;       /* at most this many sizes; 1: flat */
  gboolean optimizer_given;  /* else L-BFGS on a ladder, Adam for one size */
  int min_size;     /* longest side of the smallest size */
  gboolean min_size_given;
  double tolerance; /* 0: every size runs its whole budget */
  int save_every;   /* 0: no frames */
  int threads;      /* 0: all cores */
  CliPaintings paintings;
  CliRegions regions;
  CliMemory memory;
  CliAnimation animation;
} Settings;

/* The state of a run, for the progress line and the log. */
typedef struct
{
  FILE *log;
  int number;               /* the picture's number in a batch, for the log; 0: the single run */
  CliProgress *progress;
  gint64 steps_start;       /* monotonic microseconds at the current size's first step */
  gint64 run_start;         /* monotonic microseconds before the first size's targets */
  gint64 first_picture;     /* monotonic microseconds at the first step's end; 0: none yet */
  int iterations;           /* the current size's budget */
  int scale;                /* the current size */
  int n_sizes;
  int width;                /* the current size */
  int height;
  int tiles_x;              /* the current size's tile grid; 1 x 1: whole */
  int tiles_y;
  int total_steps;          /* steps over all sizes, for the frames' numbers */
  ImpastoLadder *ladder;
  const float *photo;       /* (H, W, 3) whose chroma saved pictures take; NULL: as painted */
  gboolean frame_failed;    /* a frame could not be written (said once) */
  double steady_seconds;    /* the steps after the first, for the speed estimate */
  int steady_steps;
  char *picture_text;       /* the settings saved pictures carry (impasto-picture-settings.h) */
  ImpastoFilm *film;        /* the frames kept for --animation; NULL without */
} Run;

static void
options_clear (Options *options)
{
  g_strfreev (options->contents);
  g_strfreev (options->styles);
  g_free (options->style_weights);
  g_free (options->style_scale);
  g_free (options->preserve_colors);
  g_strfreev (options->regions);
  g_free (options->region_guides);
  g_free (options->output);
  g_free (options->output_dir);
  g_free (options->output_name);
  g_free (options->model);
  g_free (options->size);
  g_free (options->width);
  g_free (options->height);
  g_free (options->iterations);
  g_free (options->scales);
  g_free (options->min_size);
  g_free (options->tolerance);
  g_free (options->alpha);
  g_free (options->beta);
  g_free (options->tv);
  g_free (options->content_layers);
  g_free (options->style_layers);
  g_free (options->optimizer);
  g_free (options->learning_rate);
  g_free (options->init);
  g_free (options->init_image);
  g_free (options->noise);
  g_free (options->seed);
  g_free (options->pool);
  g_free (options->save_every);
  g_free (options->log);
  g_free (options->threads);
  g_free (options->max_memory);
  g_free (options->preset);
  g_free (options->settings_from);
  g_free (options->animation);
  g_free (options->animation_frames);
  g_free (options->animation_size);
  g_strfreev (options->remaining);
}

static void
on_sigint (int signum)
{
  interrupted = 1;
}

static bool
should_stop (void *data)
{
  return interrupted != 0;
}

static void
install_sigint_handler (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_handler = on_sigint;
  sigemptyset (&action.sa_mask);
  /* A second Ctrl+C kills at once, for when saving itself hangs. */
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction (SIGINT, &action, NULL);
}

static void
set_bad_value (GError     **error,
               const char  *flag,
               const char  *expected,
               const char  *text)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s needs %s, not “%s”"), flag, expected, text);
}

static gboolean
parse_int (const char  *flag,
           const char  *text,
           int          min,
           int          max,
           int         *out,
           GError     **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      g_autofree char *expected = g_strdup_printf (_("a whole number from %d to %d"), min, max);

      set_bad_value (error, flag, expected, text);
      return FALSE;
    }

  *out = (int) value;
  return TRUE;
}

/* A finite number >= 0. */
static gboolean
parse_weight (const char  *flag,
              const char  *text,
              double      *out,
              GError     **error)
{
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || end == NULL || *end != '\0' || errno == ERANGE
      || !isfinite (value) || value < 0.0)
    {
      set_bad_value (error, flag, _("a finite number of at least 0"), text);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* "conv4_2:0.5,conv5_2" into @weights (all other layers off). A name without ":weight" gets 1. */
static gboolean
parse_layers (const char  *flag,
              const char  *text,
              float        weights[IMPASTO_VGG19_N_CONVS],
              GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  float parsed[IMPASTO_VGG19_N_CONVS] = { 0 };
  gboolean seen[IMPASTO_VGG19_N_CONVS] = { 0 };

  if (items[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s needs at least one layer, such as conv4_2:1"), flag);
      return FALSE;
    }

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *name = g_strstrip (items[i]);
      char *colon = strchr (name, ':');
      double weight = 1.0;
      int index;

      if (colon != NULL)
        {
          *colon = '\0';
          g_strstrip (name);
        }

      if (name[0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s has an empty entry in “%s”"), flag, text);
          return FALSE;
        }

      index = impasto_vgg19_conv_index (name);
      if (index < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s: unknown layer “%s” (the layers are conv1_1 … conv5_4, also "
                         "written relu1_1 … relu5_4)"), flag, name);
          return FALSE;
        }

      if (seen[index])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s lists the layer %s twice"), flag, impasto_vgg19_conv_name (index));
          return FALSE;
        }
      seen[index] = TRUE;

      if (colon != NULL)
        {
          char *weight_text = g_strstrip (colon + 1);
          g_autofree char *what = g_strdup_printf (_("%s (weight of %s)"), flag, name);

          if (!parse_weight (what, weight_text, &weight, error))
            return FALSE;
          if (!isfinite ((float) weight))
            {
              set_bad_value (error, what, _("a smaller number"), weight_text);
              return FALSE;
            }
        }

      parsed[index] = (float) weight;
    }

  memcpy (weights, parsed, sizeof parsed);
  return TRUE;
}

/* @text as one of @type's nicks (impasto-choices.h), or a message listing them. */
static gboolean
parse_choice (const char    *flag,
              const char    *text,
              GType          type,
              int           *out,
              GError       **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (g_str_equal (text, klass->values[i].value_nick))
        {
          *out = klass->values[i].value;
          return TRUE;
        }
      if (i > 0)
        g_string_append (names, i + 1 == klass->n_values ? _(" or ") : ", ");
      g_string_append (names, klass->values[i].value_nick);
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("unknown value “%s” for %s (use %s)"), text, flag, names->str);
  return FALSE;
}

/* Checks every flag; nothing is read or written here. */
static gboolean
parse_settings (const Options  *options,
                Settings       *settings,
                GError        **error)
{
  ImpastoEngineError engine_error;
  int value;

  memset (settings, 0, sizeof *settings);
  impasto_session_params_init_default (&settings->params);
  impasto_session_config_init_default (&settings->config);
  settings->size = DEFAULT_SIZE;
  settings->iterations = DEFAULT_ITERATIONS;
  settings->scales = IMPASTO_LADDER_MAX_SIZES;
  settings->min_size = DEFAULT_MIN_SIZE;
  settings->tolerance = DEFAULT_TOLERANCE;

  if (options->remaining != NULL && options->remaining[0] != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s” (see --help)"), options->remaining[0]);
      return FALSE;
    }

  if (options->contents == NULL || options->styles == NULL
      || (options->output == NULL && options->output_dir == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--content, --style and --output (or --output-dir) are all required (see "
                     "--help)"));
      return FALSE;
    }

  if (options->size != NULL && (options->width != NULL || options->height != NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--size cannot be combined with --width or --height"));
      return FALSE;
    }

  if (options->size != NULL
      && !parse_int ("--size", options->size, 1, IMPASTO_IMAGE_MAX_SIDE, &settings->size, error))
    return FALSE;
  if (options->width != NULL
      && !parse_int ("--width", options->width, 1, IMPASTO_IMAGE_MAX_SIDE, &settings->width, error))
    return FALSE;
  if (options->height != NULL
      && !parse_int ("--height", options->height, 1, IMPASTO_IMAGE_MAX_SIDE, &settings->height,
                     error))
    return FALSE;
  if (settings->width > 0 && settings->height > 0)
    settings->size = 0;

  if (options->iterations != NULL
      && !parse_int ("--iterations", options->iterations, 0, MAX_ITERATIONS,
                     &settings->iterations, error))
    return FALSE;

  if (options->scales != NULL
      && !parse_int ("--scales", options->scales, 1, IMPASTO_LADDER_MAX_SIZES,
                     &settings->scales, error))
    return FALSE;
  /* The largest bound is checked once the output's size is known. */
  if (options->min_size != NULL
      && !parse_int ("--min-size", options->min_size, 16, IMPASTO_IMAGE_MAX_SIDE,
                     &settings->min_size, error))
    return FALSE;
  /* A preset's smallest size gives way to a smaller output, as the default does. */
  settings->min_size_given = options->min_size != NULL && !options->min_size_from_file;
  if (options->tolerance != NULL
      && !parse_weight ("--tolerance", options->tolerance, &settings->tolerance, error))
    return FALSE;

  if (options->alpha != NULL && !parse_weight ("--alpha", options->alpha,
                                               &settings->params.alpha, error))
    return FALSE;
  if (options->beta != NULL && !parse_weight ("--beta", options->beta,
                                              &settings->params.beta, error))
    return FALSE;
  if (options->tv != NULL && !parse_weight ("--tv", options->tv, &settings->params.tv, error))
    return FALSE;

  if (options->learning_rate != NULL)
    {
      if (!parse_weight ("--learning-rate", options->learning_rate,
                         &settings->params.learning_rate, error))
        return FALSE;
      if (settings->params.learning_rate <= 0.0)
        {
          set_bad_value (error, "--learning-rate", _("a number greater than 0"),
                         options->learning_rate);
          return FALSE;
        }
    }

  if (options->content_layers != NULL
      && !parse_layers ("--content-layers", options->content_layers,
                        settings->params.content_layers, error))
    return FALSE;
  if (options->style_layers != NULL
      && !parse_layers ("--style-layers", options->style_layers,
                        settings->params.style_layers, error))
    return FALSE;

  if (!impasto_cli_paintings_parse (&settings->paintings, options->styles,
                                    options->style_weights, options->style_scale,
                                    options->style_upscale, options->preserve_colors,
                                    &settings->params, error))
    return FALSE;
  if (!impasto_cli_regions_parse (&settings->regions, options->regions, options->region_guides,
                                  settings->paintings.n, error))
    return FALSE;

  if (options->optimizer != NULL)
    {
      if (!parse_choice ("--optimizer", options->optimizer, IMPASTO_TYPE_OPTIMIZER, &value,
                         error))
        return FALSE;
      settings->config.optimizer = (ImpastoOptimizer) value;
      settings->optimizer_given = TRUE;
    }

  if (options->init != NULL && options->init_image != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--init and --init-image cannot be used together"));
      return FALSE;
    }
  if (options->init != NULL)
    {
      if (!parse_choice ("--init", options->init, IMPASTO_TYPE_INIT, &value, error))
        return FALSE;
      settings->config.init = (ImpastoInit) value;
    }
  if (options->init_image != NULL)
    settings->config.init = IMPASTO_INIT_IMAGE;

  if (options->noise != NULL)
    {
      if (!parse_weight ("--noise", options->noise, &settings->config.noise_ratio, error))
        return FALSE;
      if (settings->config.noise_ratio > 1.0)
        {
          set_bad_value (error, "--noise", _("a number from 0 to 1"), options->noise);
          return FALSE;
        }
    }

  if (options->seed != NULL)
    {
      guint64 seed;

      if (!g_ascii_string_to_unsigned (options->seed, 10, 0, G_MAXUINT64, &seed, NULL))
        {
          set_bad_value (error, "--seed", _("a whole number of at least 0"), options->seed);
          return FALSE;
        }
      settings->config.seed = seed;
    }

  if (options->pool != NULL)
    {
      if (!parse_choice ("--pool", options->pool, IMPASTO_TYPE_POOL_MODE, &value, error))
        return FALSE;
      settings->config.pool = (ImpastoPoolMode) value;
    }

  if (options->save_every != NULL
      && !parse_int ("--save-every", options->save_every, 0, MAX_ITERATIONS,
                     &settings->save_every, error))
    return FALSE;

  if (options->threads != NULL
      && !parse_int ("--threads", options->threads, 0, MAX_THREADS, &settings->threads, error))
    return FALSE;

  if (!impasto_cli_memory_parse (&settings->memory, options->max_memory, error))
    return FALSE;

  if (!impasto_cli_animation_parse (&settings->animation, options->animation,
                                    options->animation_frames, options->animation_size, error))
    return FALSE;

  /* What is left (at least one layer on, ...) the engine checks. */
  if (impasto_session_params_validate (&settings->params, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s", engine_error.message);
      return FALSE;
    }

  return TRUE;
}

/* --preset or --settings-from, read and handed to the flags that were not typed. */
static gboolean
apply_settings_file (Options  *options,
                     GError  **error)
{
  ImpastoRunSettings file_settings;
  char **flags[IMPASTO_RUN_SETTING_N] = {
    [IMPASTO_RUN_SETTING_ALPHA] = &options->alpha,
    [IMPASTO_RUN_SETTING_BETA] = &options->beta,
    [IMPASTO_RUN_SETTING_TV] = &options->tv,
    [IMPASTO_RUN_SETTING_LEARNING_RATE] = &options->learning_rate,
    [IMPASTO_RUN_SETTING_ITERATIONS] = &options->iterations,
    [IMPASTO_RUN_SETTING_SIZE] = &options->size,
    [IMPASTO_RUN_SETTING_WIDTH] = &options->width,
    [IMPASTO_RUN_SETTING_HEIGHT] = &options->height,
    [IMPASTO_RUN_SETTING_MIN_SIZE] = &options->min_size,
    [IMPASTO_RUN_SETTING_SCALES] = &options->scales,
    [IMPASTO_RUN_SETTING_TOLERANCE] = &options->tolerance,
    [IMPASTO_RUN_SETTING_OPTIMIZER] = &options->optimizer,
    [IMPASTO_RUN_SETTING_INIT] = &options->init,
    [IMPASTO_RUN_SETTING_NOISE_RATIO] = &options->noise,
    [IMPASTO_RUN_SETTING_SEED] = &options->seed,
    [IMPASTO_RUN_SETTING_POOL] = &options->pool,
    [IMPASTO_RUN_SETTING_PRESERVE_COLORS] = &options->preserve_colors,
    [IMPASTO_RUN_SETTING_CONTENT_LAYERS] = &options->content_layers,
    [IMPASTO_RUN_SETTING_STYLE_LAYERS] = &options->style_layers,
    [IMPASTO_RUN_SETTING_PAINTING_WEIGHTS] = &options->style_weights,
    [IMPASTO_RUN_SETTING_PAINTING_SCALES] = &options->style_scale,
    [IMPASTO_RUN_SETTING_STYLE_UPSCALE] = NULL,
    [IMPASTO_RUN_SETTING_THREADS] = &options->threads,
  };
  g_autofree char *what = NULL;
  gboolean min_size_typed = options->min_size != NULL;
  gboolean optimizer_typed = options->optimizer != NULL;

  if (options->preset == NULL && options->settings_from == NULL)
    return TRUE;
  if (options->preset != NULL && options->settings_from != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--preset and --settings-from cannot be used together"));
      return FALSE;
    }

  if (!impasto_cli_settings_load (options->preset, options->settings_from, &file_settings,
                                  error))
    return FALSE;
  what = options->preset != NULL ? g_strdup_printf (_("preset “%s”"), options->preset)
                                 : g_filename_display_name (options->settings_from);
  impasto_cli_settings_fill (&file_settings, flags, &options->style_upscale,
                             options->styles != NULL ? (int) g_strv_length (options->styles) : 0,
                             options->init_image != NULL, what);
  options->min_size_from_file = !min_size_typed && options->min_size != NULL;
  options->optimizer_from_file = !optimizer_typed && options->optimizer != NULL;
  return TRUE;
}

/* Float layer weights as the decimals they were typed as. */
static void
record_layers (double       *out,
               const float  *weights)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    out[i] = impasto_run_settings_tidy_float (weights[i]);
}

/* What the saved pictures carry: every setting of this run as it was painted (the optimiser the
 * run chose too, and the threads as given), the model's MD5 and the input files. */
static char *
describe_run (const Options      *options,
              const Settings     *settings,
              const char         *model_md5,
              const char         *photo_path,
              const char * const *painting_paths,
              int                 width,
              int                 height)
{
  ImpastoRunSettings record;
  ImpastoPictureSource source = { 0 };
  int n = settings->paintings.n;

  impasto_run_settings_init (&record);
  record.alpha = settings->params.alpha;
  record.beta = settings->params.beta;
  record.tv = settings->params.tv;
  record.learning_rate = settings->params.learning_rate;
  record.iterations = settings->iterations;
  record.min_size = settings->min_size;
  record.scales = settings->scales;
  record.tolerance = settings->tolerance;
  record.optimizer = settings->config.optimizer;
  record.noise_ratio = settings->config.noise_ratio;
  record.seed = settings->config.seed;
  record.pool = settings->config.pool;
  record.preserve_colors = settings->paintings.colors;
  record_layers (record.content_layers, settings->params.content_layers);
  record_layers (record.style_layers, settings->params.style_layers);
  for (int i = 0; i < n; i++)
    {
      record.painting_weights[i] = impasto_run_settings_tidy_float (
        settings->params.painting_weights[i]);
      record.painting_scales[i] = settings->paintings.scales[i];
    }
  record.n_painting_weights = n;
  record.n_painting_scales = n;
  record.style_upscale = settings->paintings.upscale;
  record.threads = settings->threads;
  record.set = (1u << IMPASTO_RUN_SETTING_N) - 1;

  /* The output's size as it was asked for, which with the same photo gives the same size. */
  record.size = settings->size;
  record.width = options->width != NULL ? width : 0;
  record.height = options->height != NULL ? height : 0;
  if (settings->size > 0)
    {
      impasto_run_settings_unset (&record, IMPASTO_RUN_SETTING_WIDTH);
      impasto_run_settings_unset (&record, IMPASTO_RUN_SETTING_HEIGHT);
    }
  else
    {
      impasto_run_settings_unset (&record, IMPASTO_RUN_SETTING_SIZE);
      if (record.width == 0)
        impasto_run_settings_unset (&record, IMPASTO_RUN_SETTING_WIDTH);
      if (record.height == 0)
        impasto_run_settings_unset (&record, IMPASTO_RUN_SETTING_HEIGHT);
    }
  /* A start from a picture (--init-image) is an input, not a setting. */
  if (settings->config.init == IMPASTO_INIT_IMAGE)
    impasto_run_settings_unset (&record, IMPASTO_RUN_SETTING_INIT);
  else
    record.init = settings->config.init;

  source.model_md5 = model_md5;
  source.photo_path = photo_path;
  source.painting_paths = painting_paths;
  source.n_paintings = n;
  return impasto_picture_settings_text (&record, &source);
}

/* Where --log may write, checked before anything runs: its folder must exist. */
static gboolean
check_log_path (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("Cannot write the log %s: it is a folder"), path);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("Cannot write the log %s: the folder %s does not exist"), path, dir);
      return FALSE;
    }

  return TRUE;
}

/* Decodes @path no larger than needed to cover @width x @height (a big JPEG is never decoded at
 * full size); resampled later, once the memory the run needs has been checked. */
static GdkPixbuf *
load_for_size (const char  *path,
               int          width,
               int          height,
               GError     **error)
{
  return impasto_image_load_at_size (path, IMPASTO_IMAGE_SHORTEST_SIDE, MAX (width, height),
                                     error);
}

/* @pixbuf resampled to @width x @height, as floats; NULL when memory runs out. */
static float *
scale_to_rgb (GdkPixbuf *pixbuf,
              int        width,
              int        height)
{
  g_autoptr(GdkPixbuf) scaled = impasto_image_scale (pixbuf, width, height);

  return scaled != NULL ? impasto_image_to_rgb_floats (scaled) : NULL;
}

/* "out/result.png", 50 → "out/result-0050.png". */
static char *
frame_path (const char *output,
            int         iteration)
{
  const char *base = strrchr (output, G_DIR_SEPARATOR);
  const char *dot;

  base = base != NULL ? base + 1 : output;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return g_strdup_printf ("%s-%04d", output, iteration);

  return g_strdup_printf ("%.*s-%04d%s", (int) (dot - output), output, iteration, dot);
}

/* The current picture at the final size as RGB8 rows of *@width × 3 bytes (g_free() it): the
 * session's own pixels there, resampled up from a lower size while the run is still climbing;
 * NULL when memory runs out. */
static guint8 *
picture_rgb8 (ImpastoLadder *ladder,
              const Run     *run,
              int           *width,
              int           *height)
{
  ImpastoSession *session = impasto_ladder_get_session (ladder);
  g_autofree guint8 *rgb = NULL;
  g_autofree float *floats = NULL;
  int session_width;
  int session_height;
  int final_width;
  int final_height;
  gboolean need_floats;

  impasto_session_get_size (session, &session_width, &session_height);
  impasto_ladder_get_size (ladder, impasto_ladder_get_n_sizes (ladder) - 1, &final_width,
                           &final_height);
  need_floats = session_width != final_width || session_height != final_height
                || run->photo != NULL;
  rgb = g_try_malloc ((gsize) final_width * (gsize) final_height * 3);
  if (need_floats)
    floats = g_try_malloc ((gsize) final_width * (gsize) final_height * 3 * sizeof (float));
  if (rgb == NULL || (need_floats && floats == NULL))
    return NULL;
  if (run->photo != NULL)
    {
      gsize n = (gsize) final_width * final_height;

      /* The painted luminance with the photo's chroma (--preserve-colors luminance, swap). */
      impasto_ladder_copy_rgb_final (ladder, floats);
      impasto_colors_keep_chroma_rgb8 (floats, run->photo, n, rgb);
    }
  else
    impasto_ladder_copy_rgb8_final (ladder, floats, rgb, (size_t) final_width * 3);
  *width = final_width;
  *height = final_height;
  return g_steal_pointer (&rgb);
}

static gboolean
save_image (ImpastoLadder    *ladder,
            const Run        *run,
            const char       *path,
            GError          **error)
{
  int width;
  int height;
  g_autofree guint8 *rgb = picture_rgb8 (ladder, run, &width, &height);

  if (rgb == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                   _("Not enough memory to save %s"), path);
      return FALSE;
    }
  return impasto_image_save_rgb8_with_text (rgb, width, height, (gsize) width * 3, path,
                                            IMPASTO_PICTURE_SETTINGS_KEY, run->picture_text,
                                            error);
}

/* Offers the current picture to the run's film, if there is one and it wants it. */
static void
film_offer (ImpastoLadder *ladder,
            const Run     *run,
            gboolean       final)
{
  g_autofree guint8 *rgb = NULL;
  int width;
  int height;

  if (run->film == NULL || !impasto_film_wants (run->film, final))
    return;
  rgb = picture_rgb8 (ladder, run, &width, &height);
  /* Out of memory: this frame is missing from the animation, the run goes on. */
  if (rgb != NULL)
    impasto_film_offer (run->film, rgb, width, height, (gsize) width * 3, final);
}

/* A JSON number; NaN and infinities have no JSON spelling. */
static const char *
format_json_number (char   *buffer,
                    gsize   size,
                    double  value)
{
  if (!isfinite (value))
    return "null";
  return g_ascii_formatd (buffer, (int) size, "%.9g", value);
}

static void
write_log_line (Run                 *run,
                int                  iteration,
                const ImpastoLosses *losses,
                double               ms)
{
  char total[G_ASCII_DTOSTR_BUF_SIZE];
  char content[G_ASCII_DTOSTR_BUF_SIZE];
  char style[G_ASCII_DTOSTR_BUF_SIZE];
  char tv[G_ASCII_DTOSTR_BUF_SIZE];
  char ms_text[G_ASCII_DTOSTR_BUF_SIZE];
  char photo[32] = "";

  if (run->log == NULL)
    return;

  /* "iter" counts within the size; "scale" is the size's 0-based index; "tiles_x" × "tiles_y"
   * its tile grid (1 × 1: painted whole); in a batch, "picture" which one, from 1. */
  if (run->number > 0)
    g_snprintf (photo, sizeof photo, ",\"picture\":%d", run->number);
  fprintf (run->log, "{\"iter\":%d,\"loss\":%s,\"content\":%s,\"style\":%s,\"tv\":%s,\"ms\":%s,"
           "\"scale\":%d,\"width\":%d,\"height\":%d,\"tiles_x\":%d,\"tiles_y\":%d%s}\n",
           iteration,
           format_json_number (total, sizeof total, losses->total),
           format_json_number (content, sizeof content, losses->content),
           format_json_number (style, sizeof style, losses->style),
           format_json_number (tv, sizeof tv, losses->tv_term),
           format_json_number (ms_text, sizeof ms_text, ms),
           run->scale, run->width, run->height, run->tiles_x, run->tiles_y, photo);
  /* Readers follow the log while the run goes on. */
  fflush (run->log);
}

static void
show_progress (Run                 *run,
               int                  iteration,
               const ImpastoLosses *losses,
               gboolean             force)
{
  CliProgressStatus status = {
    .scale = run->scale, .n_sizes = run->n_sizes, .width = run->width, .height = run->height,
    .iteration = iteration, .iterations = run->iterations, .tiles_x = run->tiles_x,
    .tiles_y = run->tiles_y, .loss = losses->total, .ms_left = -1.0,
  };

  if (iteration > 0)
    {
      /* This size's budget, then those above it at a time per iteration in proportion to their
       * pixels: an upper bound, as a size may converge early. */
      status.ms_per_iteration =
        (double) (g_get_monotonic_time () - run->steps_start) / 1000.0 / iteration;
      status.ms_left = run->ladder != NULL
                       ? status.ms_per_iteration * impasto_ladder_get_work_left (run->ladder)
                       : status.ms_per_iteration * MAX (0, run->iterations - iteration);
    }
  impasto_cli_progress_show (run->progress, &status, force);
}

/* @message on stderr, always (under --quiet too); in a batch it names the picture. */
static int
report (Run        *run,
        int         exit_code,
        const char *message)
{
  if (run != NULL && run->progress != NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s\n",
                                               impasto_cli_progress_label (run->progress),
                                               message);

      impasto_cli_progress_print (run->progress, TRUE, line);
    }
  else
    g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return exit_code;
}

static int
report_error (Run    *run,
              int     exit_code,
              GError *error)
{
  return report (run, exit_code, error->message);
}

static int
exit_code_for_status (ImpastoStatus status)
{
  switch (status)
    {
    case IMPASTO_STATUS_OK:
      return EXIT_OK;
    case IMPASTO_STATUS_INVALID_ARGUMENT:
    case IMPASTO_STATUS_IO:
    case IMPASTO_STATUS_MODEL:
      return EXIT_BAD_INPUT;
    case IMPASTO_STATUS_CANCELLED:
      return EXIT_INTERRUPTED;
    case IMPASTO_STATUS_OUT_OF_MEMORY:
    case IMPASTO_STATUS_NUMERIC:
    case IMPASTO_STATUS_NEEDS_RESTART:
    default:
      return EXIT_RUNTIME;
    }
}

/* @value's nick in @type (impasto-choices.h). */
static const char *
choice_name (GType type,
             int   value)
{
  /* Referenced for the program's life, so that the nick stays valid. */
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : "?";
}

static char *
build_description (void)
{
  ImpastoSessionParams params;
  ImpastoSessionConfig config;
  GString *text = g_string_new (NULL);
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  impasto_session_params_init_default (&params);
  impasto_session_config_init_default (&config);

  g_string_append (text, _("Layer lists are comma-separated name:weight pairs, for example "
                           "conv4_2:0.5,conv5_2:0.5. The names are conv1_1 … conv5_4 (relu1_1 … "
                           "relu5_4 mean the same layers). A name without “:weight” gets weight 1. "
                           "A list replaces the default list entirely.\n\n"));

  g_string_append (text, _("The picture is painted coarse to fine: first at a small size (its "
                           "longest side --min-size, or the output's if that is smaller), then "
                           "at sizes about 1.41 times larger each (the longest side "
                           "round(L / 2^(j/2)) for the j-th size below the output's L), up to "
                           "the output's size, at most --scales sizes. The output's size gets "
                           "--iterations steps, each size between a twentieth of them and the "
                           "smallest a tenth of them (rounded up); a size "
                           "ends early once its loss changes by less than --tolerance (a share "
                           "of it) over 10 iterations. Each size starts from the last one's "
                           "result, enlarged.\n\n"));

  impasto_cli_batch_describe (text);

  g_string_append (text, _("Regions (--region MASK:K[:W]): a mask is any picture, stretched to "
                           "the output's size; white is in, black and transparent are out, grey "
                           "is partly in. Painting K (the K-th --style, counted from 1; 0 keeps "
                           "the photo) fills the region; what no region covers gets the blend of "
                           "all the paintings, as without regions. W (1) weighs the region's "
                           "style against the others'.\n\n"));

  g_string_append (text, _("Memory (--max-memory SIZE: bytes, or a number with K, M, G or T, "
                           "each 1024 times the last, from 64M to 16T): each size that does not "
                           "fit the budget whole is painted in tiles, which add up to the whole "
                           "picture's losses and gradient (its style statistics are the whole "
                           "picture's), so the picture is the same up to rounding, only slower; "
                           "a size that does not fit even in tiles is refused before the run. "
                           "Regions are not painted in tiles: with --region, such a size is "
                           "refused. "));
  {
    guint64 budget = impasto_memory_budget_default (impasto_run_estimate_available_memory ());
    g_autofree char *budget_text = g_format_size_full (budget, G_FORMAT_SIZE_IEC_UNITS);

    if (budget > 0)
      g_string_append_printf (text, _("By default the budget is three quarters of this "
                                      "computer's memory: %s.\n\n"), budget_text);
    else
      g_string_append (text, _("By default the budget is three quarters of this computer's "
                               "memory, which cannot be told here: no budget.\n\n"));
  }

  g_string_append_printf (text, _("Defaults: --size %d, --iterations %d, --alpha %s"),
                          DEFAULT_SIZE, DEFAULT_ITERATIONS,
                          g_ascii_formatd (number, sizeof number, "%g", params.alpha));
  g_string_append_printf (text, ", --scales %d, --min-size %d, --tolerance %s",
                          IMPASTO_LADDER_MAX_SIZES, DEFAULT_MIN_SIZE,
                          g_ascii_formatd (number, sizeof number, "%g", DEFAULT_TOLERANCE));
  g_string_append_printf (text, ", --beta %s",
                          g_ascii_formatd (number, sizeof number, "%g", params.beta));
  g_string_append_printf (text, ", --tv %s",
                          g_ascii_formatd (number, sizeof number, "%g", params.tv));
  g_string_append_printf (text, ", --learning-rate %s",
                          g_ascii_formatd (number, sizeof number, "%g", params.learning_rate));
  g_string_append_printf (text, ", --noise %s",
                          g_ascii_formatd (number, sizeof number, "%g", config.noise_ratio));
  g_string_append_printf (text, ", --seed %" G_GUINT64_FORMAT, config.seed);
  g_string_append_printf (text, _(", --optimizer %s with several sizes (%s with one), --init %s, "
                                  "--pool %s, --region-guides inside, --threads 0.\n"),
                          choice_name (IMPASTO_TYPE_OPTIMIZER, IMPASTO_OPTIMIZER_LBFGS),
                          choice_name (IMPASTO_TYPE_OPTIMIZER, config.optimizer),
                          choice_name (IMPASTO_TYPE_INIT, config.init),
                          choice_name (IMPASTO_TYPE_POOL_MODE, config.pool));
  for (int pass = 0; pass < 2; pass++)
    {
      const float *weights = pass == 0 ? params.content_layers : params.style_layers;
      gboolean first = TRUE;

      g_string_append (text, pass == 0 ? "  --content-layers " : "  --style-layers ");
      for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
        {
          if (weights[i] == 0.0f)
            continue;
          g_string_append_printf (text, "%s%s:%s", first ? "" : ",", impasto_vgg19_conv_name (i),
                                  g_ascii_formatd (number, sizeof number, "%g", weights[i]));
          first = FALSE;
        }
      g_string_append (text, "\n");
    }

  g_string_append_printf (text, _("\nThe model is looked for in: --model, $%s, "
                                  "%s/impasto/ and %s/.\n"),
                          IMPASTO_MODEL_ENV, g_get_user_data_dir (), PKGDATADIR);
  g_string_append (text, _("\nExit status: 0 done, 1 the run failed, 2 bad input (nothing was "
                           "written), 130 interrupted by Ctrl+C (the last image was written)."));
  g_string_append (text, _(" In a batch: 1 when a photo failed (the others were written), 2 "
                           "when a painting, a mask, the model or the flags are bad, 130 "
                           "interrupted (the pictures finished and the one in progress were "
                           "written)."));

  return g_string_free (text, FALSE);
}

/* The output could not be written after a run (its folder went away, the disk is full): the
 * picture is written to a new file in the temporary folder instead, so that the run is not lost,
 * and both are reported. Nothing that was already there is replaced. */
static int
report_save_failed (ImpastoLadder   *ladder,
                    Run             *run,
                    const char      *output,
                    GError          *error)
{
  g_autofree char *base = g_path_get_basename (output);
  const char *dot = strrchr (base, '.');
  g_autofree char *rescue_name = NULL;
  g_autofree char *rescue = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) rescue_error = NULL;
  int fd;

  /* A unique name with the output's extension, so that the format stays the same. */
  rescue_name = g_strdup_printf ("impasto-rescued-XXXXXX%s", dot != NULL ? dot : ".png");
  fd = g_file_open_tmp (rescue_name, &rescue, &rescue_error);
  if (fd >= 0)
    {
      close (fd);
      if (!save_image (ladder, run, rescue, &rescue_error))
        {
          g_unlink (rescue);
          g_clear_pointer (&rescue, g_free);
        }
    }

  if (rescue != NULL)
    message = g_strdup_printf (_("%s; the picture was saved as %s instead"), error->message,
                               rescue);
  else
    message = g_strdup_printf (_("%s; the picture could not be saved anywhere else either (%s)"),
                               error->message, rescue_error->message);
  return report (run, EXIT_RUNTIME, message);
}

/* The current size into @run, for the log and the progress line. */
static void
enter_size (Run           *run,
            ImpastoLadder *ladder)
{
  run->scale = impasto_ladder_get_scale (ladder);
  run->iterations = impasto_ladder_get_budget (ladder, run->scale);
  impasto_ladder_get_size (ladder, run->scale, &run->width, &run->height);
  impasto_ladder_get_tiles (ladder, &run->tiles_x, &run->tiles_y);
}

/* A tiled size is done: its grid and pace in a line of its own when no progress line shows them
 * (stderr is not a terminal). */
static void
report_tiled_size (Run *run,
                   int  steps)
{
  g_autofree char *line = NULL;
  double ms_per_iteration;

  if (run->progress->terminal || run->tiles_x * run->tiles_y <= 1 || steps <= 0)
    return;

  ms_per_iteration = (double) (g_get_monotonic_time () - run->steps_start) / 1000.0 / steps;
  line = g_strdup_printf (_("%s: %d × %d painted in %d × %d tiles, %.1f ms/iter\n"),
                          impasto_cli_progress_label (run->progress), run->width, run->height,
                          run->tiles_x, run->tiles_y, ms_per_iteration);
  impasto_cli_progress_print (run->progress, FALSE, line);
}

/* Frames are numbered by the steps over all sizes and saved at the final size. */
static void
save_frame (ImpastoLadder *ladder,
            const char    *output,
            Run           *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *frame = frame_path (output, run->total_steps);

  /* A frame is a by-product (its folder may have gone, the disk may be full): say so once and
   * keep painting; the result is what matters. */
  if (!save_image (ladder, run, frame, &error) && !run->frame_failed)
    {
      g_autofree char *message =
        g_strdup_printf (_("%s; the run goes on without saving frames"), error->message);

      report (run, EXIT_OK, message);
      run->frame_failed = TRUE;
    }
}

/* Evaluates, steps up the ladder and saves. Everything has been checked and loaded. */
/* The run's last picture ends the film, which is then written (after the picture: a failure
 * here loses no painting). */
static gboolean
write_animation (ImpastoLadder  *ladder,
                 const Settings *settings,
                 Run            *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  film_offer (ladder, run, TRUE);
  if (!impasto_cli_animation_write (&settings->animation, run->film,
                                    impasto_cli_progress_label (run->progress), &line, &error))
    {
      report (run, EXIT_RUNTIME, error->message);
      return FALSE;
    }
  impasto_cli_progress_print (run->progress, FALSE, line);
  return TRUE;
}

static int
run_transfer (ImpastoLadder   *ladder,
              const Settings  *settings,
              const char      *output,
              Run             *run)
{
  g_autoptr(GError) error = NULL;
  ImpastoEngineError engine_error;
  ImpastoLosses losses;
  ImpastoStatus status;
  gint64 start;

  enter_size (run, ladder);
  start = g_get_monotonic_time ();
  status = impasto_ladder_evaluate (ladder, &losses, &engine_error);
  if (status == IMPASTO_STATUS_OK)
    {
      write_log_line (run, 0, &losses, (double) (g_get_monotonic_time () - start) / 1000.0);
      show_progress (run, 0, &losses, TRUE);
      film_offer (ladder, run, FALSE);
      run->steps_start = g_get_monotonic_time ();

      while (!interrupted)
        {
          int iteration;

          if (impasto_ladder_size_done (ladder))
            {
              report_tiled_size (run, impasto_ladder_get_size_steps (ladder));
              if (impasto_ladder_done (ladder))
                break;
              /* The next size: its targets, the picture and Adam's moments resampled up. */
              start = g_get_monotonic_time ();
              status = impasto_ladder_advance (ladder, &engine_error);
              if (status == IMPASTO_STATUS_OK)
                status = impasto_ladder_evaluate (ladder, &losses, &engine_error);
              if (status != IMPASTO_STATUS_OK)
                break;
              enter_size (run, ladder);
              write_log_line (run, 0, &losses,
                              (double) (g_get_monotonic_time () - start) / 1000.0);
              show_progress (run, 0, &losses, TRUE);
              run->steps_start = g_get_monotonic_time ();
              continue;
            }

          start = g_get_monotonic_time ();
          status = impasto_ladder_step (ladder, &losses, &engine_error);
          if (status != IMPASTO_STATUS_OK)
            break;
          run->total_steps++;
          if (run->first_picture == 0)
            run->first_picture = g_get_monotonic_time ();
          iteration = impasto_ladder_get_size_steps (ladder);

          write_log_line (run, iteration, &losses,
                          (double) (g_get_monotonic_time () - start) / 1000.0);
          /* The first step of a size warms caches up; the others at the final size are this
           * computer's pace at the size the speed is recorded for. */
          if (iteration > 1 && run->scale == run->n_sizes - 1)
            {
              run->steady_seconds += (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
              run->steady_steps++;
            }
          show_progress (run, iteration, &losses,
                         iteration == run->iterations || impasto_ladder_size_done (ladder));

          if (settings->save_every > 0 && run->total_steps % settings->save_every == 0)
            save_frame (ladder, output, run);
          film_offer (ladder, run, FALSE);
        }
    }

  if (status != IMPASTO_STATUS_OK && status != IMPASTO_STATUS_CANCELLED)
    return report (run, EXIT_RUNTIME, engine_error.message);

  if (interrupted || status == IMPASTO_STATUS_CANCELLED)
    {
      g_autofree char *line = NULL;

      impasto_cli_progress_clear (run->progress);
      /* The ladder is consistent after a cancelled step or move: its picture is that of the
       * last finished iteration. */
      if (!save_image (ladder, run, output, &error))
        return report_save_failed (ladder, run, output, error);
      line = g_strdup_printf (_("%s: interrupted; wrote the image after iteration %d to %s\n"),
                              impasto_cli_progress_label (run->progress), run->total_steps,
                              output);
      impasto_cli_progress_print (run->progress, TRUE, line);
      if (run->film != NULL && !write_animation (ladder, settings, run))
        return EXIT_RUNTIME;
      return EXIT_INTERRUPTED;
    }

  impasto_cli_progress_clear (run->progress);
  if (!save_image (ladder, run, output, &error))
    return report_save_failed (ladder, run, output, error);

  {
    double total = (double) (g_get_monotonic_time () - run->run_start) / G_USEC_PER_SEC;
    const char *label = impasto_cli_progress_label (run->progress);
    g_autofree char *line = NULL;

    if (run->first_picture != 0)
      line = g_strdup_printf (_("%s: wrote %s in %.1f s; the first whole picture after %.1f s\n"),
                              label, output, total,
                              (double) (run->first_picture - run->run_start) / G_USEC_PER_SEC);
    else
      line = g_strdup_printf (_("%s: wrote %s in %.1f s\n"), label, output, total);
    impasto_cli_progress_print (run->progress, FALSE, line);
  }
  if (run->film != NULL && !write_animation (ladder, settings, run))
    return EXIT_RUNTIME;
  return EXIT_OK;
}

/* What the pictures of one run share: the flags, the model (read for the first picture that
 * needs it, then kept), the paintings' targets kept from photo to photo, the log, and what is
 * shown. */
typedef struct
{
  const Options *options;
  const Settings *settings;
  gboolean batch;
  CliProgress progress;
  ImpastoWeights *weights;
  char *model_md5;          /* of the model read, for the pictures' settings (NULL: unknown) */
  ImpastoStyleCache *style_cache;
  FILE *log;
  char *plan;               /* the memory plan said last */
} Context;

/* The model, found and read once. "model loaded" is a debug line (G_MESSAGES_DEBUG=impasto-cli)
 * that the tests count. */
static gboolean
load_model (Context  *ctx,
            GError  **error)
{
  g_autofree char *model_path = NULL;

  if (ctx->weights != NULL)
    return TRUE;
  model_path = impasto_model_path_find (ctx->options->model, NULL, error);
  if (model_path == NULL)
    return FALSE;
  /* From its cache when it has one: instant. The first time, the .mat is read and cached. */
  ctx->weights = impasto_model_store_load (model_path, NULL, NULL, NULL, NULL, error);
  if (ctx->weights == NULL)
    return FALSE;
  ctx->model_md5 = impasto_model_store_get_md5 (model_path);
  g_debug ("model loaded from %s", model_path);
  return TRUE;
}

/* Paints @job (picture @number of the batch, 1-based) and writes it. The exit code of a single
 * run; *@fatal when the error concerns every picture (a painting, a mask, the starting picture,
 * the model or the log), so that a batch stops. */
/* One run, one animation: several results would all write the same file. */
static gboolean
refuse_batch_animation (GError **error)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--animation writes the animation of one run, not of a batch: give one "
                         "--content and one --output"));
  return FALSE;
}

static int
paint_job (Context      *ctx,
           const CliJob *job,
           int           number,
           gboolean     *fatal)
{
  Settings settings = *ctx->settings;
  Run run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) content = NULL;
  g_autoptr(GdkPixbuf) init = NULL;
  g_autofree float *content_rgb = NULL;
  g_autofree float *photo_rgb = NULL;
  g_autofree float *init_rgb = NULL;
  const ImpastoWeights *weights = NULL;
  ImpastoLadder *ladder = NULL;
  ImpastoLadderConfig ladder_config;
  ImpastoEngineError engine_error;
  ImpastoStatus status;
  int width;
  int height;
  int exit_code;

  *fatal = FALSE;
  run.progress = &ctx->progress;
  run.number = ctx->batch ? number : 0;
  /* This picture's own copies of the paintings and masks it decodes; with --each-style, its
   * one painting. */
  if (job->painting >= 0)
    impasto_cli_paintings_select (&settings.paintings, &ctx->settings->paintings, job->painting,
                                  &settings.params);

  /* The images, at the working size. */
  /* Decoded straight to the working size where it is known: a big JPEG never at full size. */
  if (settings.size > 0 && settings.width == 0 && settings.height == 0)
    content = impasto_image_load_at_size (job->content, IMPASTO_IMAGE_LONGEST_SIDE,
                                          settings.size, &error);
  else if (settings.width > 0 && settings.height > 0)
    content = impasto_image_load_at_size (job->content, IMPASTO_IMAGE_SHORTEST_SIDE,
                                          MAX (settings.width, settings.height), &error);
  else
    content = impasto_image_load (job->content, &error);
  if (content == NULL)
    goto bad_input;

  if (settings.size > 0 && settings.width == 0 && settings.height == 0)
    {
      impasto_image_fit_size (gdk_pixbuf_get_width (content), gdk_pixbuf_get_height (content),
                              settings.size, &width, &height);
    }
  else if (settings.width > 0 && settings.height > 0)
    {
      width = settings.width;
      height = settings.height;
    }
  else
    {
      /* One side given: it is exact and the other follows the photo's aspect, rounded. */
      gint64 content_width = gdk_pixbuf_get_width (content);
      gint64 content_height = gdk_pixbuf_get_height (content);

      if (settings.width > 0)
        {
          width = settings.width;
          height = (int) MAX (1, (content_height * width * 2 + content_width)
                                 / (2 * content_width));
        }
      else
        {
          height = settings.height;
          width = (int) MAX (1, (content_width * height * 2 + content_height)
                                / (2 * content_height));
        }
    }

  if (width > IMPASTO_IMAGE_MAX_SIDE || height > IMPASTO_IMAGE_MAX_SIDE
      || (gint64) width * height > IMPASTO_IMAGE_MAX_PIXELS)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("the output would be %d × %d pixels, which is too large"), width, height);
      goto bad_input;
    }
  if (!impasto_vgg19_size_ok (height, width))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("the output would be %d × %d pixels, too small for the network: each side "
                     "needs at least 16 pixels"), width, height);
      goto bad_input;
    }
  if (settings.min_size_given && settings.min_size > MAX (width, height))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--min-size %d is larger than the output (%d × %d)"), settings.min_size,
                   width, height);
      goto bad_input;
    }

  /* Decoded now, so that a bad picture is named before the model is read; resampled to the
   * working size only once the memory the run needs has been checked. */
  if (!impasto_cli_paintings_load (&settings.paintings, width, height, &settings.config,
                                   &error))
    goto bad_for_all;
  /* The masks too, at their own sizes (the engine fits them to each size). */
  if (!impasto_cli_regions_load (&settings.regions, &settings.config, &error))
    goto bad_for_all;

  if (ctx->options->init_image != NULL)
    {
      init = load_for_size (ctx->options->init_image, width, height, &error);
      if (init == NULL)
        goto bad_for_all;
    }

  /* The model, read for the first picture only. */
  if (!load_model (ctx, &error))
    goto bad_for_all;
  weights = ctx->weights;

  /* The memory the run needs, checked before any working-size buffer is allocated. */
  settings.config.width = width;
  settings.config.height = height;
  impasto_ladder_config_init_default (&ladder_config);
  ladder_config.min_side = settings.min_size;
  /* --iterations 0 writes the starting image at the output size, as the flat run does. */
  ladder_config.max_sizes = settings.iterations > 0 ? settings.scales : 1;
  impasto_ladder_config_set_budgets (&ladder_config, settings.iterations);
  ladder_config.tolerance = settings.tolerance;
  ladder_config.window = CONVERGENCE_WINDOW;
  /* L-BFGS on a ladder reached the flat run's loss 12× sooner, Adam not in 3× (README,
   * Benchmarks); one size is the method's own run, with Adam. */
  if (!settings.optimizer_given)
    settings.config.optimizer =
      impasto_ladder_plan_sizes (width, height, ladder_config.min_side, ladder_config.max_sizes,
                                 NULL, NULL) > 1 ? IMPASTO_OPTIMIZER_LBFGS : IMPASTO_OPTIMIZER_ADAM;

  {
    /* The ladder's peak under the budget: each size whole when it fits, else in tiles; refused
     * here, before anything at the working size is allocated, when even tiles cannot fit. */
    g_autofree char *message = NULL;
    g_autofree char *plan = NULL;

    /* First the threads: the network's scratch memory grows with them. */
    impasto_set_threads (settings.threads);
    status = impasto_cli_memory_plan (&settings.memory, weights, &ladder_config,
                                      &settings.config, &settings.params, &message);
    /* L-BFGS keeps 2 × 10 vectors of the picture's size, which tiles do not make smaller: when
     * the default L-BFGS (or a preset's) does not fit, Adam (two such vectors) may, and is
     * said. */
    if (status == IMPASTO_STATUS_OUT_OF_MEMORY
        && (!settings.optimizer_given || ctx->options->optimizer_from_file)
        && settings.config.optimizer == IMPASTO_OPTIMIZER_LBFGS)
      {
        g_autofree char *adam_message = NULL;

        settings.config.optimizer = IMPASTO_OPTIMIZER_ADAM;
        status = impasto_cli_memory_plan (&settings.memory, weights, &ladder_config,
                                          &settings.config, &settings.params, &adam_message);
        if (status == IMPASTO_STATUS_OK)
          report (&run, EXIT_OK,
                  _("L-BFGS's history does not fit the memory budget: painting with Adam"));
        else
          settings.config.optimizer = IMPASTO_OPTIMIZER_LBFGS;
      }
    if (status != IMPASTO_STATUS_OK)
      {
        exit_code = report (&run, exit_code_for_status (status), message);
        goto out;
      }
    /* Said once for a batch of photos of one size. */
    plan = impasto_cli_memory_describe (&settings.memory, width, height);
    if (plan != NULL && g_strcmp0 (plan, ctx->plan) != 0)
      {
        g_autofree char *line = g_strdup_printf ("%s: %s\n", PROGRAM_NAME, plan);

        impasto_cli_progress_print (&ctx->progress, FALSE, line);
        g_free (ctx->plan);
        ctx->plan = g_steal_pointer (&plan);
      }
  }

  /* The pictures at the working size (the largest allocations before the run's own). */
  content_rgb = scale_to_rgb (content, width, height);
  /* The photo in its own colours, when the saved pictures take its chroma. */
  if (content_rgb != NULL && impasto_colors_keeps_photo_chroma (settings.paintings.colors))
    photo_rgb = g_memdup2 (content_rgb, (gsize) width * height * 3 * sizeof (float));
  if (init != NULL && content_rgb != NULL)
    init_rgb = scale_to_rgb (init, width, height);
  if (content_rgb == NULL || (init != NULL && init_rgb == NULL)
      || (impasto_colors_keeps_photo_chroma (settings.paintings.colors) && photo_rgb == NULL)
      || !impasto_cli_paintings_prepare (&settings.paintings, content_rgb, width, height))
    {
      exit_code = report (&run, EXIT_RUNTIME, _("Not enough memory to resize the pictures"));
      goto out;
    }
  g_clear_object (&content);
  g_clear_object (&init);
  settings.config.content_rgb = content_rgb;
  settings.config.init_rgb = init_rgb;
  run.photo = photo_rgb;

  /* From here on Ctrl+C stops the engine instead of killing the program. */
  install_sigint_handler ();

  /* A photo of the same size as one before finds the paintings' targets there. */
  settings.config.style_cache = ctx->style_cache;
  run.run_start = g_get_monotonic_time ();
  status = impasto_ladder_new (&ladder, weights, &ladder_config, &settings.config,
                               &settings.params, should_stop, NULL, &engine_error);
  if (status == IMPASTO_STATUS_CANCELLED)
    {
      exit_code = report (&run, EXIT_INTERRUPTED,
                          _("interrupted before the first iteration; nothing was written"));
      goto out;
    }
  if (status != IMPASTO_STATUS_OK)
    {
      exit_code = report (&run, exit_code_for_status (status), engine_error.message);
      goto out;
    }
  /* The ladder holds its own copies of the masks. */
  impasto_cli_regions_free_masks (&settings.regions);
  settings.config.regions = NULL;
  settings.config.n_regions = 0;

  /* Opened once the first run has begun: a run refused before never leaves an empty log. */
  if (ctx->options->log != NULL && ctx->log == NULL)
    {
      ctx->log = g_fopen (ctx->options->log, "w");
      if (ctx->log == NULL)
        {
          int saved_errno = errno;
          g_autofree char *message = g_strdup_printf (_("Cannot write the log %s: %s"),
                                                      ctx->options->log,
                                                      g_strerror (saved_errno));

          *fatal = TRUE;
          exit_code = report (&run, EXIT_BAD_INPUT, message);
          goto out;
        }
    }

  /* With --each-style this picture's painting is the one chosen. */
  run.picture_text = describe_run (ctx->options, &settings, ctx->model_md5, job->content,
                                   (const char * const *) ctx->options->styles
                                   + (job->painting >= 0 ? job->painting : 0),
                                   width, height);
  run.log = ctx->log;
  run.ladder = ladder;
  if (settings.animation.path != NULL)
    run.film = impasto_cli_animation_new_film (&settings.animation);
  run.n_sizes = impasto_ladder_get_n_sizes (ladder);
  exit_code = run_transfer (ladder, &settings, job->output, &run);
  g_debug ("%s: %d forward passes over paintings", job->content,
           impasto_ladder_get_painting_passes (ladder));

  /* What this run measured refines the window's time estimates (a cache: failing to write it
   * is not worth a word). A tiled final size runs the network more than once a step: its pace is
   * not the speed the estimates are kept in. */
  if (run.steady_steps >= 3 && settings.memory.tiles_x * settings.memory.tiles_y == 1)
    impasto_run_speed_record_run (NULL, settings.config.optimizer, settings.threads,
                                  run.steady_seconds / run.steady_steps,
                                  impasto_run_estimate_gflop (
                                    weights, impasto_run_estimate_deepest_layer (&settings.params),
                                    width, height),
                                  NULL);

  goto out;

bad_for_all:
  *fatal = TRUE;
bad_input:
  exit_code = report_error (&run, EXIT_BAD_INPUT, error);

out:
  g_clear_pointer (&ladder, impasto_ladder_free);
  g_clear_pointer (&run.film, impasto_film_unref);
  g_free (run.picture_text);
  impasto_cli_paintings_clear (&settings.paintings);
  impasto_cli_regions_free_masks (&settings.regions);
  return exit_code;
}

int
main (int    argc,
      char **argv)
{
  Options options = { 0 };
  Settings settings = { 0 };
  Context ctx = { 0 };
  CliBatch batch = { 0 };
  const GOptionEntry entries[] = {
    { "content", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.contents,
      N_("The photo to repaint (required); repeat it, or give a folder (its JPEG, PNG and WebP "
         "files), to paint a batch"), N_("FILE|DIR") },
    { "style", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.styles,
      N_("A painting whose style is copied (required); repeat it to blend several"),
      N_("FILE") },
    { "style-weights", 0, 0, G_OPTION_ARG_STRING, &options.style_weights,
      N_("How much each painting counts, one number per --style (made to sum to 1); equal by "
         "default"), N_("W,…") },
    { "style-scale", 0, 0, G_OPTION_ARG_STRING, &options.style_scale,
      N_("Brush size: each painting's longest side as a multiple of the output's (1); one "
         "number, or one per --style"), N_("S") },
    { "style-upscale", 0, 0, G_OPTION_ARG_NONE, &options.style_upscale,
      N_("Let --style-scale enlarge a painting past its own pixels"), NULL },
    { "preserve-colors", 0, 0, G_OPTION_ARG_STRING, &options.preserve_colors,
      N_("Keep the photo's colours: none, luminance, histogram or swap (none)"), N_("HOW") },
    { "region", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.regions,
      N_("Paint the K-th --style only where the mask MASK is white (0: keep the photo there), "
         "with an optional weight; repeat it for up to 8 regions (see below)"),
      N_("MASK:K[:W]") },
    { "region-guides", 0, 0, G_OPTION_ARG_STRING, &options.region_guides,
      N_("Which of the network's positions take a region's style: inside (those that see only "
         "the region) or all (those that see any of it)"), N_("HOW") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &options.output,
      N_("Where to write the result (required for one photo); .png, .jpg or .jpeg"),
      N_("FILE") },
    { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.output_dir,
      N_("Write a batch's results into this folder (made if missing)"), N_("DIR") },
    { "output-name", 0, 0, G_OPTION_ARG_FILENAME, &options.output_name,
      N_("Name of each result in --output-dir, from {content}, {style} and {n} (see below)"),
      N_("PATTERN") },
    { "each-style", 0, 0, G_OPTION_ARG_NONE, &options.each_style,
      N_("Paint every photo with every --style in turn, instead of blending them"), NULL },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &options.quiet,
      N_("Print no progress and no report of what was written; errors still are"), NULL },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &options.model,
      N_("The VGG19 weights (imagenet-vgg-verydeep-19.mat), or a folder holding them"),
      N_("PATH") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &options.size,
      N_("Longest side of the output in pixels, keeping the photo's shape"), N_("N") },
    { "width", 0, 0, G_OPTION_ARG_STRING, &options.width,
      N_("Output width in pixels (alone: the height follows the photo's shape)"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_STRING, &options.height,
      N_("Output height in pixels (alone: the width follows the photo's shape)"), N_("H") },
    { "iterations", 0, 0, G_OPTION_ARG_STRING, &options.iterations,
      N_("Optimisation steps at the final size; the sizes below get fewer (see below); 0 "
         "writes the starting image"), N_("N") },
    { "scales", 0, 0, G_OPTION_ARG_STRING, &options.scales,
      N_("Paint at most N sizes, coarse to fine, each about 1.41 times the last; 1 paints at "
         "the final size only"), N_("N") },
    { "min-size", 0, 0, G_OPTION_ARG_STRING, &options.min_size,
      N_("Longest side of the smallest size in pixels"), N_("PX") },
    { "tolerance", 0, 0, G_OPTION_ARG_STRING, &options.tolerance,
      N_("Move to the next size once the loss changes by less than this share over 10 "
         "iterations; 0 runs every iteration of each size's budget"), N_("T") },
    { "alpha", 0, 0, G_OPTION_ARG_STRING, &options.alpha,
      N_("Weight of the content: how much the photo's shapes are kept"), N_("A") },
    { "beta", 0, 0, G_OPTION_ARG_STRING, &options.beta,
      N_("Weight of the style: how strongly the painting's textures are copied"), N_("B") },
    { "tv", 0, 0, G_OPTION_ARG_STRING, &options.tv,
      N_("Weight of the smoothness term (total variation); 0 turns it off"), N_("G") },
    { "content-layers", 0, 0, G_OPTION_ARG_STRING, &options.content_layers,
      N_("Layers that compare content, as name:weight,… (see below)"), N_("LIST") },
    { "style-layers", 0, 0, G_OPTION_ARG_STRING, &options.style_layers,
      N_("Layers that compare style, as name:weight,… (see below)"), N_("LIST") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &options.optimizer,
      N_("Optimisation method: adam or lbfgs"), N_("NAME") },
    { "learning-rate", 0, 0, G_OPTION_ARG_STRING, &options.learning_rate,
      N_("Step size of the optimiser, on the 0–255 pixel scale"), N_("R") },
    { "init", 0, 0, G_OPTION_ARG_STRING, &options.init,
      N_("Starting image: noise (mixed with the photo), content or style"), N_("KIND") },
    { "init-image", 0, 0, G_OPTION_ARG_FILENAME, &options.init_image,
      N_("Start from this picture instead (resized to the output size)"), N_("FILE") },
    { "noise", 0, 0, G_OPTION_ARG_STRING, &options.noise,
      N_("Share of noise in the noise start, from 0 (the photo) to 1 (pure noise)"), N_("R") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options.seed,
      N_("Seed of the random noise; the same seed gives the same picture"), N_("N") },
    { "pool", 0, 0, G_OPTION_ARG_STRING, &options.pool,
      N_("Pooling in the network: max or avg (avg often looks smoother)"), N_("KIND") },
    { "save-every", 0, 0, G_OPTION_ARG_STRING, &options.save_every,
      N_("Also write the image every K steps, as OUTPUT-0050.png and so on; 0 never"), N_("K") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &options.log,
      N_("Write the losses and time of every step to this file, one JSON object a line"),
      N_("PATH") },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &options.threads,
      N_("Number of threads to compute with; 0 uses every core"), N_("N") },
    { "max-memory", 0, 0, G_OPTION_ARG_STRING, &options.max_memory,
      N_("Memory the run may use, such as 6G, 1.5G or 800M; a size that does not fit whole is "
         "painted in tiles (see below)"), N_("SIZE") },
    { "preset", 0, 0, G_OPTION_ARG_FILENAME, &options.preset,
      N_("Start from a preset's settings: a built-in or saved preset's name, or a .preset file; "
         "the flags given override it, wherever they stand"), N_("NAME|FILE") },
    { "settings-from", 0, 0, G_OPTION_ARG_FILENAME, &options.settings_from,
      N_("Start from the settings saved in a PNG that Impasto painted; the flags given "
         "override them"), N_("PICTURE") },
    { "animation", 0, 0, G_OPTION_ARG_FILENAME, &options.animation,
      N_("After the run, also write how the picture came to be as an animated WebP"),
      N_("FILE.webp") },
    { "animation-frames", 0, 0, G_OPTION_ARG_STRING, &options.animation_frames,
      N_("Frames of the animation, picked evenly over the run (default 60)"), N_("N") },
    { "animation-size", 0, 0, G_OPTION_ARG_STRING, &options.animation_size,
      N_("Longest side of the animation in pixels (default 480)"), N_("PX") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.remaining, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gint64 start;
  int painted = 0;
  int failed = 0;
  int exit_code = EXIT_OK;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (PROGRAM_NAME);
#if GLIB_CHECK_VERSION (2, 68, 0)
  /* Debug lines (G_MESSAGES_DEBUG) beside the other messages: stdout stays clean. */
  g_log_writer_default_set_use_stderr (TRUE);
#endif

  if (argc >= 2 && strcmp (argv[1], "model") == 0)
    return impasto_cli_model_main (argc - 1, argv + 1);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Repaints the photo given with --content in the style of the "
                                  "picture given with --style, using the VGG19 network."));
  description = build_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      exit_code = report_error (NULL, EXIT_BAD_INPUT, error);
      options_clear (&options);
      return exit_code;
    }

  if (options.version)
    {
      g_print ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
      options_clear (&options);
      return EXIT_OK;
    }

  /* A preset or a picture's settings fill the flags that were not typed. */
  if (!apply_settings_file (&options, &error))
    {
      exit_code = report_error (NULL, EXIT_BAD_INPUT, error);
      options_clear (&options);
      return exit_code;
    }

  /* Everything that can be checked without reading a picture, every result's name too. */
  if (!parse_settings (&options, &settings, &error)
      /* Before the batch's folder is made. */
      || (options.animation != NULL
          && (options.output_dir != NULL
              || (options.contents != NULL && g_strv_length (options.contents) > 1))
          && !refuse_batch_animation (&error))
      || !impasto_cli_batch_plan (&batch, options.contents, options.styles, options.output,
                                  options.output_dir, options.output_name, options.each_style,
                                  options.style_weights != NULL ? "--style-weights"
                                  : options.regions != NULL ? "--region" : NULL, &error)
      || (!batch.active && !impasto_image_check_save_path (options.output, &error))
      || (batch.active && options.animation != NULL
          && !refuse_batch_animation (&error))
      || (options.log != NULL && !check_log_path (options.log, &error)))
    {
      exit_code = report_error (NULL, EXIT_BAD_INPUT, error);
      impasto_cli_regions_clear (&settings.regions);
      impasto_cli_animation_clear (&settings.animation);
      impasto_cli_batch_clear (&batch);
      options_clear (&options);
      return exit_code;
    }

  ctx.options = &options;
  ctx.settings = &settings;
  ctx.batch = batch.active;
  impasto_cli_progress_init (&ctx.progress, options.quiet);
  if (batch.active)
    {
      impasto_cli_progress_set_batch (&ctx.progress, batch.n_jobs, options.each_style);
      /* Ctrl+C between two pictures stops the batch too. */
      install_sigint_handler ();
    }
  /* For a batch, the paintings' targets at every size, kept from photo to photo; room for two
   * copies of each painting (one recoloured for the last photo, --preserve-colors), the one
   * used least recently making room. */
  if (batch.n_jobs > 1
      && impasto_style_cache_new (&ctx.style_cache, 2 * settings.paintings.n) != IMPASTO_STATUS_OK)
    {
      exit_code = report (NULL, EXIT_RUNTIME, _("Not enough memory to start"));
      goto out;
    }

  start = g_get_monotonic_time ();
  for (int j = 0; j < batch.n_jobs && !interrupted; j++)
    {
      gboolean fatal = FALSE;
      int code;

      impasto_cli_progress_start_job (&ctx.progress, j + 1);
      code = paint_job (&ctx, &batch.jobs[j], j + 1, &fatal);
      impasto_cli_progress_end_job (&ctx.progress, code == EXIT_OK);
      if (!batch.active || fatal || code == EXIT_INTERRUPTED)
        {
          exit_code = code;
          painted += code == EXIT_OK;
          break;
        }
      /* A picture that failed was said; the others go on, and the batch ends with 1. */
      if (code == EXIT_OK)
        painted++;
      else
        failed++;
    }

  if (batch.active && exit_code == EXIT_OK)
    exit_code = interrupted ? EXIT_INTERRUPTED : failed > 0 ? EXIT_RUNTIME : EXIT_OK;
  if (batch.active && exit_code != EXIT_BAD_INPUT)
    impasto_cli_progress_summary (&ctx.progress, painted, failed,
                                  exit_code == EXIT_INTERRUPTED, options.output_dir,
                                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);

  if (ctx.log != NULL)
    {
      gboolean log_failed = ferror (ctx.log) != 0;

      if (fclose (ctx.log) != 0)
        log_failed = TRUE;
      ctx.log = NULL;
      if (log_failed && exit_code == EXIT_OK)
        {
          g_autofree char *message = g_strdup_printf (_("Could not write the log %s"),
                                                      options.log);

          exit_code = report (NULL, EXIT_RUNTIME, message);
        }
    }

out:
  g_clear_pointer (&ctx.weights, impasto_weights_free);
  g_clear_pointer (&ctx.model_md5, g_free);
  g_clear_pointer (&ctx.style_cache, impasto_style_cache_free);
  g_free (ctx.plan);
  impasto_cli_paintings_clear (&settings.paintings);
  impasto_cli_regions_clear (&settings.regions);
  impasto_cli_animation_clear (&settings.animation);
  impasto_cli_batch_clear (&batch);
  options_clear (&options);

  return exit_code;
}
