/* impasto-params.c
 *
 * The parameter model behind the controls (see impasto-params.h). Layer weights are kept as two
 * arrays of IMPASTO_VGG19_N_CONVS doubles and exposed as a{sd} variants of the layers that are
 * on, which is also how GSettings stores them. The paintings' weights and brush sizes are arrays
 * of up to IMPASTO_MAX_PAINTINGS doubles, one a painting in the painting list's order, exposed as
 * `ad` variants; an empty array means every painting at its default.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-params"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "impasto-params.h"
#include "impasto-memory-budget.h"
#include "impasto-run-estimate.h"

/* The largest memory limit in GiB, the largest budget --max-memory takes. */
#define IMPASTO_MAX_MEMORY_GIB ((double) (IMPASTO_MEMORY_BUDGET_MAX >> 30))

struct _ImpastoParams
{
  GObject parent_instance;
  double alpha;
  double beta;
  double tv;
  double learning_rate;
  int iterations;
  int size;
  int preview_size;
  int min_size;
  ImpastoOptimizer optimizer;
  ImpastoInit init;
  double noise_ratio;
  int seed;
  ImpastoPoolMode pool;
  ImpastoColors colors;
  double layers[2][IMPASTO_VGG19_N_CONVS];  /* [ImpastoLayerKind][conv index]; 0 is off */
  int save_every;
  char *save_folder;
  double painting_weights[IMPASTO_MAX_PAINTINGS];
  int n_painting_weights;                   /* 0: every painting weighs 1 */
  double painting_scales[IMPASTO_MAX_PAINTINGS];
  int n_painting_scales;                    /* 0: every painting at brush size 1 */
  double max_memory;                        /* GiB a run may use; 0: the default share */
};

enum {
  PROP_0,
  PROP_ALPHA,
  PROP_BETA,
  PROP_TV,
  PROP_LEARNING_RATE,
  PROP_ITERATIONS,
  PROP_SIZE,
  PROP_PREVIEW_SIZE,
  PROP_MIN_SIZE,
  PROP_OPTIMIZER,
  PROP_INIT,
  PROP_NOISE_RATIO,
  PROP_SEED,
  PROP_POOL,
  PROP_PRESERVE_COLORS,
  PROP_CONTENT_LAYERS,
  PROP_STYLE_LAYERS,
  PROP_SAVE_EVERY,
  PROP_SAVE_FOLDER,
  PROP_PAINTING_WEIGHTS,
  PROP_PAINTING_SCALES,
  PROP_MAX_MEMORY,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (ImpastoParams, impasto_params, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static GVariant *
layers_to_variant (const double *weights)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (weights[i] > 0.0)
      g_variant_builder_add (&builder, "{sd}", impasto_vgg19_conv_name (i), weights[i]);
  return g_variant_builder_end (&builder);
}

/* Unknown names and unusable weights are skipped, each with a message in the log: a hand-edited
 * setting must not crash us, nor be dropped without a word. @key names the setting. */
static gboolean
layers_from_variant (double     *weights,
                     GVariant   *variant,
                     const char *key)
{
  double parsed[IMPASTO_VGG19_N_CONVS] = { 0 };
  GVariantIter iter;
  const char *name;
  double weight;

  if (variant != NULL)
    {
      g_variant_iter_init (&iter, variant);
      while (g_variant_iter_next (&iter, "{&sd}", &name, &weight))
        {
          int index = impasto_vgg19_conv_index (name);

          if (index < 0)
            g_message (_("The %s setting names a layer “%s” that VGG19 does not have; it is "
                         "ignored"), key, name);
          else if (!isfinite (weight) || weight < 0.0)
            g_message (_("The %s setting gives %s the weight %g; a weight must be a finite "
                         "number of at least 0, so the layer is left off"), key, name, weight);
          else if (weight > 0.0)
            parsed[index] = weight;
        }
    }

  if (memcmp (parsed, weights, sizeof parsed) == 0)
    return FALSE;
  memcpy (weights, parsed, sizeof parsed);
  return TRUE;
}

static GVariant *
painting_values_to_variant (const double *values,
                            int           n_values)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, values, n_values, sizeof (double));
}

/* An `ad` of at most IMPASTO_MAX_PAINTINGS values, each finite and within [@lower, @upper], and
 * for weights (@need_nonzero) not all 0 (the engine normalises them to sum 1). Anything else is
 * ignored as a whole, with a message in the log naming the setting @key: a value belongs to the
 * painting at its index, so dropping one would shift the rest onto other paintings. TRUE if the
 * values changed. */
static gboolean
painting_values_from_variant (double     *values,
                              int        *n_values,
                              GVariant   *variant,
                              const char *key,
                              double      lower,
                              double      upper,
                              gboolean    need_nonzero)
{
  const double *parsed = NULL;
  gsize n = 0;
  gboolean nonzero = FALSE;

  if (variant != NULL)
    parsed = g_variant_get_fixed_array (variant, &n, sizeof (double));

  if (n > IMPASTO_MAX_PAINTINGS)
    {
      g_message (_("The %s setting has %d values, but there are at most %d paintings; it is "
                   "ignored"), key, (int) n, IMPASTO_MAX_PAINTINGS);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (parsed[i]) || parsed[i] < lower || parsed[i] > upper)
        {
          g_message (_("The %s setting holds %g; each value must be a number from %g to %g, so "
                       "the setting is ignored"), key, parsed[i], lower, upper);
          return FALSE;
        }
      nonzero = nonzero || parsed[i] > 0.0;
    }
  if (need_nonzero && n > 0 && !nonzero)
    {
      g_message (_("The %s setting gives every painting the weight 0, but one must count; it "
                   "is ignored"), key);
      return FALSE;
    }

  if ((int) n == *n_values && (n == 0 || memcmp (parsed, values, n * sizeof (double)) == 0))
    return FALSE;
  if (n > 0)
    memcpy (values, parsed, n * sizeof (double));
  *n_values = (int) n;
  return TRUE;
}

static void
impasto_params_finalize (GObject *object)
{
  ImpastoParams *self = (ImpastoParams *) object;

  g_clear_pointer (&self->save_folder, g_free);

  G_OBJECT_CLASS (impasto_params_parent_class)->finalize (object);
}

static void
impasto_params_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ImpastoParams *self = IMPASTO_PARAMS (object);

  switch (prop_id)
    {
    case PROP_ALPHA:
      g_value_set_double (value, self->alpha);
      break;

    case PROP_BETA:
      g_value_set_double (value, self->beta);
      break;

    case PROP_TV:
      g_value_set_double (value, self->tv);
      break;

    case PROP_LEARNING_RATE:
      g_value_set_double (value, self->learning_rate);
      break;

    case PROP_ITERATIONS:
      g_value_set_int (value, self->iterations);
      break;

    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;

    case PROP_PREVIEW_SIZE:
      g_value_set_int (value, self->preview_size);
      break;

    case PROP_MIN_SIZE:
      g_value_set_int (value, self->min_size);
      break;

    case PROP_MAX_MEMORY:
      g_value_set_double (value, self->max_memory);
      break;

    case PROP_OPTIMIZER:
      g_value_set_enum (value, self->optimizer);
      break;

    case PROP_INIT:
      g_value_set_enum (value, self->init);
      break;

    case PROP_NOISE_RATIO:
      g_value_set_double (value, self->noise_ratio);
      break;

    case PROP_SEED:
      g_value_set_int (value, self->seed);
      break;

    case PROP_POOL:
      g_value_set_enum (value, self->pool);
      break;

    case PROP_PRESERVE_COLORS:
      g_value_set_enum (value, self->colors);
      break;

    case PROP_CONTENT_LAYERS:
      g_value_set_variant (value, layers_to_variant (self->layers[IMPASTO_LAYER_CONTENT]));
      break;

    case PROP_STYLE_LAYERS:
      g_value_set_variant (value, layers_to_variant (self->layers[IMPASTO_LAYER_STYLE]));
      break;

    case PROP_SAVE_EVERY:
      g_value_set_int (value, self->save_every);
      break;

    case PROP_SAVE_FOLDER:
      g_value_set_string (value, self->save_folder);
      break;

    case PROP_PAINTING_WEIGHTS:
      g_value_set_variant (value, painting_values_to_variant (self->painting_weights,
                                                              self->n_painting_weights));
      break;

    case PROP_PAINTING_SCALES:
      g_value_set_variant (value, painting_values_to_variant (self->painting_scales,
                                                              self->n_painting_scales));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_double (ImpastoParams *self,
            double        *field,
            const GValue  *value,
            int            prop_id)
{
  double v = g_value_get_double (value);

  if (*field != v)
    {
      *field = v;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
set_int (ImpastoParams *self,
         int           *field,
         int            v,
         int            prop_id)
{
  if (*field != v)
    {
      *field = v;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
impasto_params_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ImpastoParams *self = IMPASTO_PARAMS (object);

  switch (prop_id)
    {
    case PROP_ALPHA:
      set_double (self, &self->alpha, value, prop_id);
      break;

    case PROP_BETA:
      set_double (self, &self->beta, value, prop_id);
      break;

    case PROP_TV:
      set_double (self, &self->tv, value, prop_id);
      break;

    case PROP_LEARNING_RATE:
      set_double (self, &self->learning_rate, value, prop_id);
      break;

    case PROP_ITERATIONS:
      set_int (self, &self->iterations, g_value_get_int (value), prop_id);
      break;

    case PROP_SIZE:
      set_int (self, &self->size, g_value_get_int (value), prop_id);
      break;

    case PROP_PREVIEW_SIZE:
      set_int (self, &self->preview_size, g_value_get_int (value), prop_id);
      break;

    case PROP_MAX_MEMORY:
      set_double (self, &self->max_memory, value, prop_id);
      break;

    case PROP_MIN_SIZE:
      set_int (self, &self->min_size, g_value_get_int (value), prop_id);
      break;

    case PROP_OPTIMIZER:
      set_int (self, (int *) &self->optimizer, g_value_get_enum (value), prop_id);
      break;

    case PROP_INIT:
      set_int (self, (int *) &self->init, g_value_get_enum (value), prop_id);
      break;

    case PROP_NOISE_RATIO:
      set_double (self, &self->noise_ratio, value, prop_id);
      break;

    case PROP_SEED:
      set_int (self, &self->seed, g_value_get_int (value), prop_id);
      break;

    case PROP_POOL:
      set_int (self, (int *) &self->pool, g_value_get_enum (value), prop_id);
      break;

    case PROP_PRESERVE_COLORS:
      set_int (self, (int *) &self->colors, g_value_get_enum (value), prop_id);
      break;

    case PROP_CONTENT_LAYERS:
    case PROP_STYLE_LAYERS:
      {
        ImpastoLayerKind kind = prop_id == PROP_CONTENT_LAYERS ? IMPASTO_LAYER_CONTENT
                                                               : IMPASTO_LAYER_STYLE;

        if (layers_from_variant (self->layers[kind], g_value_get_variant (value),
                                 g_param_spec_get_name (pspec)))
          g_object_notify_by_pspec (object, pspec);
      }
      break;

    case PROP_SAVE_EVERY:
      set_int (self, &self->save_every, g_value_get_int (value), prop_id);
      break;

    case PROP_SAVE_FOLDER:
      {
        const char *folder = g_value_get_string (value);

        if (folder == NULL)
          folder = "";
        if (g_strcmp0 (folder, self->save_folder) != 0)
          {
            g_free (self->save_folder);
            self->save_folder = g_strdup (folder);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;

    case PROP_PAINTING_WEIGHTS:
      if (painting_values_from_variant (self->painting_weights, &self->n_painting_weights,
                                        g_value_get_variant (value), g_param_spec_get_name (pspec),
                                        0.0, IMPASTO_PAINTING_WEIGHT_MAX, TRUE))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_PAINTING_SCALES:
      if (painting_values_from_variant (self->painting_scales, &self->n_painting_scales,
                                        g_value_get_variant (value), g_param_spec_get_name (pspec),
                                        IMPASTO_PAINTING_SCALE_MIN, IMPASTO_PAINTING_SCALE_MAX,
                                        FALSE))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_params_class_init (ImpastoParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  ImpastoSessionParams defaults;
  ImpastoSessionConfig config;

  impasto_session_params_init_default (&defaults);
  impasto_session_config_init_default (&config);

  object_class->finalize = impasto_params_finalize;
  object_class->get_property = impasto_params_get_property;
  object_class->set_property = impasto_params_set_property;

  properties[PROP_ALPHA] =
    g_param_spec_double ("alpha", NULL, NULL, 0.0, 1e12, defaults.alpha, flags);
  properties[PROP_BETA] =
    g_param_spec_double ("beta", NULL, NULL, 0.0, 1e12, defaults.beta, flags);
  properties[PROP_TV] =
    g_param_spec_double ("tv", NULL, NULL, 0.0, 1e12, defaults.tv, flags);
  properties[PROP_LEARNING_RATE] =
    g_param_spec_double ("learning-rate", NULL, NULL, 1e-4, 1000.0, defaults.learning_rate,
                         flags);
  properties[PROP_ITERATIONS] =
    g_param_spec_int ("iterations", NULL, NULL, 1, 100000, 1000, flags);
  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL, IMPASTO_SIZE_MIN, IMPASTO_SIZE_MAX, 512,
                     flags);
  properties[PROP_PREVIEW_SIZE] =
    g_param_spec_int ("preview-size", NULL, NULL, 0, IMPASTO_SIZE_MAX, 0, flags);
  properties[PROP_MIN_SIZE] =
    g_param_spec_int ("min-size", NULL, NULL, IMPASTO_SIZE_MIN, IMPASTO_SIZE_MAX, 128, flags);
  /* In GiB, as the settings keep it; 0 is the default share of this computer's memory. */
  properties[PROP_MAX_MEMORY] =
    g_param_spec_double ("max-memory", NULL, NULL, 0.0, IMPASTO_MAX_MEMORY_GIB, 0.0, flags);
  properties[PROP_OPTIMIZER] =
    g_param_spec_enum ("optimizer", NULL, NULL, IMPASTO_TYPE_OPTIMIZER, IMPASTO_PARAMS_OPTIMIZER,
                       flags);
  properties[PROP_INIT] =
    g_param_spec_enum ("init", NULL, NULL, IMPASTO_TYPE_INIT, config.init, flags);
  properties[PROP_NOISE_RATIO] =
    g_param_spec_double ("noise-ratio", NULL, NULL, 0.0, 1.0, config.noise_ratio, flags);
  properties[PROP_SEED] =
    g_param_spec_int ("seed", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_POOL] =
    g_param_spec_enum ("pool", NULL, NULL, IMPASTO_TYPE_POOL_MODE, config.pool, flags);
  properties[PROP_PRESERVE_COLORS] =
    g_param_spec_enum ("preserve-colors", NULL, NULL, IMPASTO_TYPE_COLORS, IMPASTO_COLORS_NONE,
                       flags);
  properties[PROP_CONTENT_LAYERS] =
    g_param_spec_variant ("content-layers", NULL, NULL, G_VARIANT_TYPE ("a{sd}"), NULL, flags);
  properties[PROP_STYLE_LAYERS] =
    g_param_spec_variant ("style-layers", NULL, NULL, G_VARIANT_TYPE ("a{sd}"), NULL, flags);
  properties[PROP_SAVE_EVERY] =
    g_param_spec_int ("save-every", NULL, NULL, 0, 100000, 0, flags);
  properties[PROP_SAVE_FOLDER] =
    g_param_spec_string ("save-folder", NULL, NULL, NULL, flags);
  properties[PROP_PAINTING_WEIGHTS] =
    g_param_spec_variant ("painting-weights", NULL, NULL, G_VARIANT_TYPE ("ad"), NULL, flags);
  properties[PROP_PAINTING_SCALES] =
    g_param_spec_variant ("painting-scales", NULL, NULL, G_VARIANT_TYPE ("ad"), NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* The engine's float defaults as the decimals a person (and GSettings) would write: 0.2f is
 * 0.2, not 0.20000000298. */
static double
tidy (float value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%.6g", value);
  return g_ascii_strtod (text, NULL);
}

static void
impasto_params_init (ImpastoParams *self)
{
  ImpastoSessionParams defaults;
  ImpastoSessionConfig config;

  impasto_session_params_init_default (&defaults);
  impasto_session_config_init_default (&config);

  self->alpha = defaults.alpha;
  self->beta = defaults.beta;
  self->tv = defaults.tv;
  self->learning_rate = defaults.learning_rate;
  self->iterations = 1000;
  self->size = 512;
  self->preview_size = 0;
  self->min_size = 128;
  self->optimizer = IMPASTO_PARAMS_OPTIMIZER;
  self->init = config.init;
  self->noise_ratio = config.noise_ratio;
  self->seed = (int) config.seed;
  self->pool = config.pool;
  self->colors = IMPASTO_COLORS_NONE;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      self->layers[IMPASTO_LAYER_CONTENT][i] = tidy (defaults.content_layers[i]);
      self->layers[IMPASTO_LAYER_STYLE][i] = tidy (defaults.style_layers[i]);
    }
  self->save_folder = g_strdup ("");
}

ImpastoParams *
impasto_params_new (void)
{
  return g_object_new (IMPASTO_TYPE_PARAMS, NULL);
}

static gboolean
variant_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  g_value_set_variant (value, variant);
  return TRUE;
}

static GVariant *
variant_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  GVariant *variant = g_value_get_variant (value);

  if (variant == NULL || !g_variant_is_of_type (variant, expected_type))
    return NULL;
  return g_variant_ref (variant);
}

void
impasto_params_bind_settings (ImpastoParams *self,
                              GSettings     *settings)
{
  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  /* A hand-edited NaN passes GSettings' range check (every comparison with it is false) and would
   * only reach the property as a GObject warning: it is replaced by the default, with a message.
   * GSettings itself gives the default for any other number outside a key's range. */
  for (int i = PROP_0 + 1; i < N_PROPS; i++)
    if (G_IS_PARAM_SPEC_DOUBLE (properties[i]))
      {
        GParamSpecDouble *spec = G_PARAM_SPEC_DOUBLE (properties[i]);
        double v = g_settings_get_double (settings, properties[i]->name);

        if (!isfinite (v) || v < spec->minimum || v > spec->maximum)
          {
            g_message (_("The %s setting is %g, which cannot be used; the default is used "
                         "instead"), properties[i]->name, v);
            g_settings_reset (settings, properties[i]->name);
          }
      }

  /* Each window reads the settings once and then keeps its own values, so that a slider in one
   * window does not steer another window's run; the last change is what persists. */
  for (int i = PROP_0 + 1; i < N_PROPS; i++)
    {
      GSettingsBindFlags flags = G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES;

      /* GLib 2.74 has no default mapping for GVariant properties. */
      if (G_IS_PARAM_SPEC_VARIANT (properties[i]))
        g_settings_bind_with_mapping (settings, properties[i]->name, self, properties[i]->name,
                                      flags, variant_get_mapping, variant_set_mapping,
                                      NULL, NULL);
      else
        g_settings_bind (settings, properties[i]->name, self, properties[i]->name, flags);
    }
}

void
impasto_params_get_transfer_params (ImpastoParams         *self,
                                    ImpastoSessionParams  *params)
{
  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->alpha = self->alpha;
  params->beta = self->beta;
  params->tv = self->tv;
  params->learning_rate = self->learning_rate;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      params->content_layers[i] = (float) self->layers[IMPASTO_LAYER_CONTENT][i];
      params->style_layers[i] = (float) self->layers[IMPASTO_LAYER_STYLE][i];
    }
  /* In the painting list's order; the window hands a run those of the paintings it has. */
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    params->painting_weights[i] = (float) impasto_params_get_painting_weight (self, i);
}

void
impasto_params_get_config (ImpastoParams         *self,
                           ImpastoSessionConfig  *config)
{
  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (config != NULL);

  impasto_session_config_init_default (config);
  config->init = self->init;
  config->noise_ratio = self->noise_ratio;
  config->seed = (uint64_t) self->seed;
  config->pool = self->pool;
  config->optimizer = self->optimizer;
}

double
impasto_params_get_layer_weight (ImpastoParams    *self,
                                 ImpastoLayerKind  kind,
                                 int               index)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 0.0);
  g_return_val_if_fail (kind == IMPASTO_LAYER_CONTENT || kind == IMPASTO_LAYER_STYLE, 0.0);
  g_return_val_if_fail (index >= 0 && index < IMPASTO_VGG19_N_CONVS, 0.0);

  return self->layers[kind][index];
}

void
impasto_params_set_layer_weight (ImpastoParams    *self,
                                 ImpastoLayerKind  kind,
                                 int               index,
                                 double            weight)
{
  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (kind == IMPASTO_LAYER_CONTENT || kind == IMPASTO_LAYER_STYLE);
  g_return_if_fail (index >= 0 && index < IMPASTO_VGG19_N_CONVS);

  if (!isfinite (weight) || weight < 0.0)
    weight = 0.0;
  if (self->layers[kind][index] == weight)
    return;

  self->layers[kind][index] = weight;
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[kind == IMPASTO_LAYER_CONTENT ? PROP_CONTENT_LAYERS
                                                                     : PROP_STYLE_LAYERS]);
}

int
impasto_params_get_size (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 0);

  return self->size;
}

int
impasto_params_get_preview_size (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 0);

  return self->preview_size;
}

int
impasto_params_get_min_size (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 128);

  return self->min_size;
}

void
impasto_params_get_ladder_config (ImpastoParams       *self,
                                  ImpastoLadderConfig *ladder_config)
{
  g_return_if_fail (IMPASTO_IS_PARAMS (self));
  g_return_if_fail (ladder_config != NULL);

  impasto_ladder_config_init_default (ladder_config);
  ladder_config->min_side = self->min_size;
  impasto_ladder_config_set_budgets (ladder_config, self->iterations);
  ladder_config->max_bytes = (size_t) MIN (impasto_params_get_max_bytes (self), (guint64) G_MAXSIZE);
}

guint64
impasto_params_get_max_bytes (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 0);

  if (self->max_memory <= 0.0)
    return impasto_memory_budget_default (impasto_run_estimate_available_memory ());
  return MAX ((guint64) (self->max_memory * (double) (G_GUINT64_CONSTANT (1) << 30)),
              IMPASTO_MEMORY_BUDGET_MIN);
}

int
impasto_params_get_iterations (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 0);

  return self->iterations;
}

int
impasto_params_get_save_every (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 0);

  return self->save_every;
}

const char *
impasto_params_get_save_folder (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), NULL);

  return self->save_folder;
}

double
impasto_params_get_painting_weight (ImpastoParams *self,
                                    int            index)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 1.0);
  g_return_val_if_fail (index >= 0 && index < IMPASTO_MAX_PAINTINGS, 1.0);

  return index < self->n_painting_weights ? self->painting_weights[index] : 1.0;
}

double
impasto_params_get_painting_scale (ImpastoParams *self,
                                   int            index)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), 1.0);
  g_return_val_if_fail (index >= 0 && index < IMPASTO_MAX_PAINTINGS, 1.0);

  return index < self->n_painting_scales ? self->painting_scales[index] : 1.0;
}

ImpastoColors
impasto_params_get_colors (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), IMPASTO_COLORS_NONE);

  return self->colors;
}

int
impasto_params_get_deepest_layer (ImpastoParams *self)
{
  g_return_val_if_fail (IMPASTO_IS_PARAMS (self), -1);

  for (int i = IMPASTO_VGG19_N_CONVS - 1; i >= 0; i--)
    if (self->layers[IMPASTO_LAYER_CONTENT][i] > 0.0 || self->layers[IMPASTO_LAYER_STYLE][i] > 0.0)
      return i;
  return -1;
}

ImpastoParamsChange
impasto_params_classify (const char *property_name)
{
  static const char *const live[] = {
    "alpha", "beta", "tv", "learning-rate", "content-layers", "style-layers", "painting-weights",
  };
  static const char *const restart[] = {
    "size", "min-size", "optimizer", "init", "noise-ratio", "seed", "pool", "max-memory",
  };
  static const char *const run[] = {
    "iterations", "preview-size", "save-every", "save-folder",
  };

  g_return_val_if_fail (property_name != NULL, IMPASTO_PARAMS_CHANGE_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (live); i++)
    if (g_str_equal (property_name, live[i]))
      return IMPASTO_PARAMS_CHANGE_LIVE;
  for (guint i = 0; i < G_N_ELEMENTS (restart); i++)
    if (g_str_equal (property_name, restart[i]))
      return IMPASTO_PARAMS_CHANGE_RESTART;
  for (guint i = 0; i < G_N_ELEMENTS (run); i++)
    if (g_str_equal (property_name, run[i]))
      return IMPASTO_PARAMS_CHANGE_RUN;
  return IMPASTO_PARAMS_CHANGE_NONE;
}

gboolean
impasto_params_needs_new_targets (const ImpastoSessionParams  *running,
                                  const ImpastoSessionParams  *wanted)
{
  g_return_val_if_fail (running != NULL, TRUE);
  g_return_val_if_fail (wanted != NULL, TRUE);

  return impasto_session_params_need_restart (running, wanted, NULL);
}
