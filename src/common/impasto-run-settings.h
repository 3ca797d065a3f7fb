/* impasto-run-settings.h
 *
 * A painting's settings as a file: the `[Impasto]` group of a GKeyFile with a `version` key and
 * one key a setting, named as impasto-cli's long flags and the window's GSettings keys are
 * (alpha, beta, tv, learning-rate, iterations, size, min-size, optimizer, init, noise-ratio, seed,
 * pool, preserve-colors, content-layers, style-layers, painting-weights, painting-scales, and
 * impasto-cli's width, height, scales, tolerance, style-upscale, threads). Each value is written
 * as the flag takes it ("conv4_2:0.5,conv5_2:0.5", "0.7,0.3"), and a setting may be absent: a
 * file says only what it holds. Presets (impasto-presets.h) and the settings inside a saved
 * picture (impasto-picture-settings.h) are such files.
 *
 * Reading is forgiving and says what it did not take: an unknown key, a value that does not
 * check, or a version newer than this one loads what it can and lists each skipped key with a
 * reason. Only text that is not a key file, or has no `[Impasto]` group, is an error.
 *
 * This file does not apply settings to a run: impasto-cli and the window's parameters do, each
 * with what it has.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-choices.h"

G_BEGIN_DECLS

#define IMPASTO_RUN_SETTINGS_GROUP   "Impasto"
/* The format this Impasto writes; a file of a later version is read as far as it goes. */
#define IMPASTO_RUN_SETTINGS_VERSION 1
#define IMPASTO_RUN_SETTINGS_MAX_ITERATIONS 10000000
#define IMPASTO_RUN_SETTINGS_MAX_THREADS    1024

typedef enum
{
  IMPASTO_RUN_SETTING_ALPHA,
  IMPASTO_RUN_SETTING_BETA,
  IMPASTO_RUN_SETTING_TV,
  IMPASTO_RUN_SETTING_LEARNING_RATE,
  IMPASTO_RUN_SETTING_ITERATIONS,
  IMPASTO_RUN_SETTING_SIZE,
  IMPASTO_RUN_SETTING_WIDTH,
  IMPASTO_RUN_SETTING_HEIGHT,
  IMPASTO_RUN_SETTING_MIN_SIZE,
  IMPASTO_RUN_SETTING_SCALES,
  IMPASTO_RUN_SETTING_TOLERANCE,
  IMPASTO_RUN_SETTING_OPTIMIZER,
  IMPASTO_RUN_SETTING_INIT,
  IMPASTO_RUN_SETTING_NOISE_RATIO,
  IMPASTO_RUN_SETTING_SEED,
  IMPASTO_RUN_SETTING_POOL,
  IMPASTO_RUN_SETTING_PRESERVE_COLORS,
  IMPASTO_RUN_SETTING_CONTENT_LAYERS,
  IMPASTO_RUN_SETTING_STYLE_LAYERS,
  IMPASTO_RUN_SETTING_PAINTING_WEIGHTS,
  IMPASTO_RUN_SETTING_PAINTING_SCALES,
  IMPASTO_RUN_SETTING_STYLE_UPSCALE,
  IMPASTO_RUN_SETTING_THREADS,
  IMPASTO_RUN_SETTING_N
} ImpastoRunSetting;

/* Each field holds a checked value when its bit (1 << ImpastoRunSetting) is in @set. */
typedef struct
{
  guint32 set;
  double alpha;
  double beta;
  double tv;
  double learning_rate;                              /* > 0 */
  int iterations;                                    /* 0 .. MAX_ITERATIONS */
  int size;                                          /* longest side */
  int width;
  int height;
  int min_size;
  int scales;                                        /* 1 .. IMPASTO_LADDER_MAX_SIZES */
  double tolerance;
  ImpastoOptimizer optimizer;
  ImpastoInit init;                                  /* noise, content or style */
  double noise_ratio;                                /* 0 .. 1 */
  guint64 seed;
  ImpastoPoolMode pool;
  ImpastoColors preserve_colors;
  double content_layers[IMPASTO_VGG19_N_CONVS];      /* 0: off; at least one on */
  double style_layers[IMPASTO_VGG19_N_CONVS];
  double painting_weights[IMPASTO_MAX_PAINTINGS];    /* >= 0, not all 0 */
  int n_painting_weights;                            /* 1 .. IMPASTO_MAX_PAINTINGS */
  double painting_scales[IMPASTO_MAX_PAINTINGS];     /* 0 < s <= 2 */
  int n_painting_scales;
  gboolean style_upscale;
  int threads;                                       /* 0: every core */
} ImpastoRunSettings;

/* One key a reader did not take, and why (a sentence, translated). */
typedef struct
{
  char *key;
  char *reason;
} ImpastoSkippedSetting;

void        impasto_skipped_setting_free       (ImpastoSkippedSetting *skipped);
/* A GPtrArray that frees its ImpastoSkippedSetting elements. */
GPtrArray  *impasto_skipped_settings_new       (void);
/* "alpha, seed" for messages; NULL when @skipped is empty. */
char       *impasto_skipped_settings_keys      (GPtrArray *skipped);

/* Nothing set. */
void        impasto_run_settings_init          (ImpastoRunSettings *settings);
const char *impasto_run_setting_key            (ImpastoRunSetting   setting);
/* The setting named @key, or -1. */
int         impasto_run_setting_from_key       (const char         *key);
gboolean    impasto_run_settings_has           (const ImpastoRunSettings *settings,
                                                ImpastoRunSetting         setting);
void        impasto_run_settings_unset         (ImpastoRunSettings *settings,
                                                ImpastoRunSetting   setting);

/* Checks @text as @setting's value (the flag's syntax) and sets it; FALSE with @error (a
 * sentence naming the key and the value) leaves @settings as it was. */
gboolean    impasto_run_settings_parse_value   (ImpastoRunSettings  *settings,
                                                ImpastoRunSetting    setting,
                                                const char          *text,
                                                GError             **error);
/* @setting's value as its key and flag take it; NULL when it is not set. Numbers are the
 * shortest decimals that read back as the same double. */
char       *impasto_run_settings_value_text    (const ImpastoRunSettings *settings,
                                                ImpastoRunSetting         setting);

/* The engine's float as the shortest decimal that reads back as that float (0.2f is 0.2), as a
 * double: what a setting stores for an engine's float value. */
double      impasto_run_settings_tidy_float    (float value);

/* The `[Impasto]` group of @key_file (created or replaced) from @settings: version, then each
 * setting that is set, in the order of ImpastoRunSetting. */
void        impasto_run_settings_to_key_file   (const ImpastoRunSettings *settings,
                                                GKeyFile                 *key_file);
char       *impasto_run_settings_to_data       (const ImpastoRunSettings *settings,
                                                gsize                    *length);

/* Reads the `[Impasto]` group of @key_file into @settings (what it holds replaces what was set;
 * the rest stays). Each key it cannot take is added to @skipped (may be NULL) with a reason.
 * FALSE with @error only when there is no such group. */
gboolean    impasto_run_settings_load_key_file (ImpastoRunSettings  *settings,
                                                GKeyFile            *key_file,
                                                GPtrArray           *skipped,
                                                GError             **error);
/* The same from text, which must be a key file (G_KEY_FILE_ERROR otherwise). */
gboolean    impasto_run_settings_load_data     (ImpastoRunSettings  *settings,
                                                const char          *data,
                                                gssize               length,
                                                GPtrArray           *skipped,
                                                GError             **error);

G_END_DECLS
