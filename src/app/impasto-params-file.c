/* impasto-params-file.c
 *
 * ImpastoParams to and from ImpastoRunSettings (see impasto-params-file.h). Every value goes
 * through its property, checked first against the property's own range, so that nothing reaches
 * the parameters that the controls could not show, and the window's change handling (live,
 * restart or run) sees each change as if a control had made it.
 *
 * It does not decide what a change does to a running job; impasto-window-run.c does.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-params-file"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "impasto-ladder.h"
#include "impasto-params-file.h"

static void
skip (GPtrArray  *skipped,
      const char *key,
      const char *reason)
{
  ImpastoSkippedSetting *entry;

  if (skipped == NULL)
    return;
  entry = g_new0 (ImpastoSkippedSetting, 1);
  entry->key = g_strdup (key);
  entry->reason = g_strdup (reason);
  g_ptr_array_add (skipped, entry);
}

static GVariant *
layers_variant (const double *weights)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (weights[i] > 0.0)
      g_variant_builder_add (&builder, "{sd}", impasto_vgg19_conv_name (i), weights[i]);
  return g_variant_builder_end (&builder);
}

static void
skip_outside (GPtrArray  *skipped,
              const char *key,
              const char *text)
{
  g_autofree char *reason = g_strdup_printf (_("%s is outside what the window takes"), text);

  skip (skipped, key, reason);
}

/* @number on @self's property of the setting's name if its range takes it. */
static void
set_double (ImpastoParams *self,
            const char    *key,
            double         number,
            GPtrArray     *skipped)
{
  GParamSpecDouble *pspec =
    G_PARAM_SPEC_DOUBLE (g_object_class_find_property (G_OBJECT_GET_CLASS (self), key));

  if (number < pspec->minimum || number > pspec->maximum)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      skip_outside (skipped, key, g_ascii_formatd (text, sizeof text, "%g", number));
      return;
    }
  g_object_set (self, key, number, NULL);
}

static void
set_int (ImpastoParams *self,
         const char    *key,
         gint64         number,
         GPtrArray     *skipped)
{
  GParamSpecInt *pspec =
    G_PARAM_SPEC_INT (g_object_class_find_property (G_OBJECT_GET_CLASS (self), key));

  if (number < pspec->minimum || number > pspec->maximum)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      skip_outside (skipped, key, text);
      return;
    }
  g_object_set (self, key, (int) number, NULL);
}

static void
set_enum (ImpastoParams *self,
          const char    *key,
          int            choice)
{
  g_object_set (self, key, choice, NULL);
}

static void
set_variant (ImpastoParams *self,
             const char    *key,
             GVariant      *variant)
{
  g_object_set (self, key, variant, NULL);
}

/* The paintings' weights, scaled down together when one is above the window's 1. */
static void
set_painting_weights (ImpastoParams            *self,
                      const ImpastoRunSettings *settings)
{
  double weights[IMPASTO_MAX_PAINTINGS];
  double largest = 0.0;

  for (int i = 0; i < settings->n_painting_weights; i++)
    largest = MAX (largest, settings->painting_weights[i]);
  for (int i = 0; i < settings->n_painting_weights; i++)
    weights[i] = largest > IMPASTO_PAINTING_WEIGHT_MAX
                 ? settings->painting_weights[i] * IMPASTO_PAINTING_WEIGHT_MAX / largest
                 : settings->painting_weights[i];
  set_variant (self, "painting-weights",
               g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, weights,
                                          settings->n_painting_weights, sizeof (double)));
}

static void
set_painting_scales (ImpastoParams            *self,
                     const ImpastoRunSettings *settings,
                     GPtrArray                *skipped)
{
  for (int i = 0; i < settings->n_painting_scales; i++)
    if (settings->painting_scales[i] < IMPASTO_PAINTING_SCALE_MIN
        || settings->painting_scales[i] > IMPASTO_PAINTING_SCALE_MAX)
      {
        g_autofree char *reason =
          g_strdup_printf (_("the window’s brush sizes go from %g to %g, not %g"),
                           IMPASTO_PAINTING_SCALE_MIN, IMPASTO_PAINTING_SCALE_MAX,
                           settings->painting_scales[i]);

        skip (skipped, "painting-scales", reason);
        return;
      }
  set_variant (self, "painting-scales",
               g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, settings->painting_scales,
                                          settings->n_painting_scales, sizeof (double)));
}

void
impasto_params_apply_run_settings (ImpastoParams            *self,
                                   const ImpastoRunSettings *settings,
                                   GPtrArray                *skipped)
{
  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (settings != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  for (int i = 0; i < IMPASTO_RUN_SETTING_N; i++)
    {
      const char *key = impasto_run_setting_key (i);

      if (!impasto_run_settings_has (settings, i))
        continue;

      switch ((ImpastoRunSetting) i)
        {
        case IMPASTO_RUN_SETTING_ALPHA:
          set_double (self, key, settings->alpha, skipped);
          break;
        case IMPASTO_RUN_SETTING_BETA:
          set_double (self, key, settings->beta, skipped);
          break;
        case IMPASTO_RUN_SETTING_TV:
          set_double (self, key, settings->tv, skipped);
          break;
        case IMPASTO_RUN_SETTING_LEARNING_RATE:
          set_double (self, key, settings->learning_rate, skipped);
          break;
        case IMPASTO_RUN_SETTING_NOISE_RATIO:
          set_double (self, key, settings->noise_ratio, skipped);
          break;
        case IMPASTO_RUN_SETTING_ITERATIONS:
          set_int (self, key, settings->iterations, skipped);
          break;
        case IMPASTO_RUN_SETTING_SIZE:
          set_int (self, key, settings->size, skipped);
          break;
        case IMPASTO_RUN_SETTING_MIN_SIZE:
          set_int (self, key, settings->min_size, skipped);
          break;
        case IMPASTO_RUN_SETTING_SEED:
          set_int (self, key, (gint64) MIN (settings->seed, (guint64) G_MAXINT64), skipped);
          break;
        case IMPASTO_RUN_SETTING_OPTIMIZER:
          set_enum (self, key, settings->optimizer);
          break;
        case IMPASTO_RUN_SETTING_INIT:
          set_enum (self, key, settings->init);
          break;
        case IMPASTO_RUN_SETTING_POOL:
          set_enum (self, key, settings->pool);
          break;
        case IMPASTO_RUN_SETTING_PRESERVE_COLORS:
          set_enum (self, key, settings->preserve_colors);
          break;
        case IMPASTO_RUN_SETTING_CONTENT_LAYERS:
          set_variant (self, key, layers_variant (settings->content_layers));
          break;
        case IMPASTO_RUN_SETTING_STYLE_LAYERS:
          set_variant (self, key, layers_variant (settings->style_layers));
          break;
        case IMPASTO_RUN_SETTING_PAINTING_WEIGHTS:
          set_painting_weights (self, settings);
          break;
        case IMPASTO_RUN_SETTING_PAINTING_SCALES:
          set_painting_scales (self, settings, skipped);
          break;

        /* impasto-cli's own: said only when they are not what the window paints with. */
        case IMPASTO_RUN_SETTING_WIDTH:
        case IMPASTO_RUN_SETTING_HEIGHT:
          skip (skipped, key, _("the window sets the longest side only (size)"));
          break;
        case IMPASTO_RUN_SETTING_SCALES:
          if (settings->scales != IMPASTO_LADDER_MAX_SIZES)
            skip (skipped, key, _("the window paints every size of the ladder"));
          break;
        case IMPASTO_RUN_SETTING_TOLERANCE:
          if (settings->tolerance != 0.0)
            skip (skipped, key, _("the window runs each size’s every iteration"));
          break;
        case IMPASTO_RUN_SETTING_STYLE_UPSCALE:
          if (settings->style_upscale)
            skip (skipped, key, _("the window never enlarges a painting past its own pixels"));
          break;
        case IMPASTO_RUN_SETTING_THREADS:
          if (settings->threads != 0)
            skip (skipped, key, _("the window paints with every core"));
          break;

        case IMPASTO_RUN_SETTING_N:
        default:
          g_assert_not_reached ();
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
layers_from_params (ImpastoParams    *self,
                    ImpastoLayerKind  kind,
                    double           *weights)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    weights[i] = impasto_params_get_layer_weight (self, kind, i);
}

/* An `ad` property into @values; its length. */
static int
painting_values (ImpastoParams *self,
                 const char    *key,
                 double        *values)
{
  g_autoptr(GVariant) variant = NULL;
  const double *parsed;
  gsize n = 0;

  g_object_get (self, key, &variant, NULL);
  parsed = g_variant_get_fixed_array (variant, &n, sizeof (double));
  n = MIN (n, (gsize) IMPASTO_MAX_PAINTINGS);
  for (gsize i = 0; i < n; i++)
    values[i] = parsed[i];
  return (int) n;
}

void
impasto_params_to_run_settings (ImpastoParams      *self,
                                ImpastoRunSettings *settings)
{
  int optimizer, init, pool, colors, seed;

  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (settings != NULL);

  impasto_run_settings_init (settings);
  g_object_get (self,
                "alpha", &settings->alpha,
                "beta", &settings->beta,
                "tv", &settings->tv,
                "learning-rate", &settings->learning_rate,
                "iterations", &settings->iterations,
                "size", &settings->size,
                "min-size", &settings->min_size,
                "optimizer", &optimizer,
                "init", &init,
                "noise-ratio", &settings->noise_ratio,
                "seed", &seed,
                "pool", &pool,
                "preserve-colors", &colors,
                NULL);
  settings->optimizer = optimizer;
  settings->init = init;
  settings->pool = pool;
  settings->preserve_colors = colors;
  settings->seed = (guint64) MAX (seed, 0);
  layers_from_params (self, IMPASTO_LAYER_CONTENT, settings->content_layers);
  layers_from_params (self, IMPASTO_LAYER_STYLE, settings->style_layers);
  settings->n_painting_weights = painting_values (self, "painting-weights",
                                                  settings->painting_weights);
  settings->n_painting_scales = painting_values (self, "painting-scales",
                                                 settings->painting_scales);

  for (int i = IMPASTO_RUN_SETTING_ALPHA; i <= IMPASTO_RUN_SETTING_STYLE_LAYERS; i++)
    settings->set |= 1u << i;
  settings->set &= ~(1u << IMPASTO_RUN_SETTING_WIDTH | 1u << IMPASTO_RUN_SETTING_HEIGHT
                     | 1u << IMPASTO_RUN_SETTING_SCALES | 1u << IMPASTO_RUN_SETTING_TOLERANCE);
  if (settings->n_painting_weights > 0)
    settings->set |= 1u << IMPASTO_RUN_SETTING_PAINTING_WEIGHTS;
  if (settings->n_painting_scales > 0)
    settings->set |= 1u << IMPASTO_RUN_SETTING_PAINTING_SCALES;
}
