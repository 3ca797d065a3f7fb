/* impasto-run-settings.c
 *
 * The settings file (see impasto-run-settings.h): one table gives each key its kind and bounds,
 * and one parser and one writer go through it, so that a preset, a picture's settings and a flag
 * are checked alike. The bounds are impasto-cli's; the window checks its own narrower ranges when
 * it takes a value.
 *
 * It does not know where files live (impasto-presets.c) or how a picture carries them
 * (impasto-picture-settings.c).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-run-settings"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "impasto-image.h"
#include "impasto-ladder.h"
#include "impasto-run-settings.h"

typedef enum
{
  KIND_NUMBER,        /* a finite double within [min, max] */
  KIND_POSITIVE,      /* a finite double > 0, at most max */
  KIND_INT,           /* a whole number within [min, max] */
  KIND_SEED,          /* a whole number of at least 0, 64 bits */
  KIND_CHOICE,        /* an enum's nick */
  KIND_LAYERS,        /* name:weight,… */
  KIND_WEIGHTS,       /* w,… (1 to 8, >= 0, not all 0) */
  KIND_SCALES,        /* s,… (1 to 8, 0 < s <= 2) */
  KIND_BOOLEAN,       /* true or false */
} Kind;

typedef struct
{
  const char *key;
  Kind kind;
  gsize offset;
  double min;
  double max;
  GType (*type) (void);
} Spec;

#define FIELD(name) G_STRUCT_OFFSET (ImpastoRunSettings, name)

/* In the order of ImpastoRunSetting. */
static const Spec specs[IMPASTO_RUN_SETTING_N] = {
  { "alpha", KIND_NUMBER, FIELD (alpha), 0.0, G_MAXDOUBLE, NULL },
  { "beta", KIND_NUMBER, FIELD (beta), 0.0, G_MAXDOUBLE, NULL },
  { "tv", KIND_NUMBER, FIELD (tv), 0.0, G_MAXDOUBLE, NULL },
  { "learning-rate", KIND_POSITIVE, FIELD (learning_rate), 0.0, G_MAXDOUBLE, NULL },
  { "iterations", KIND_INT, FIELD (iterations), 0, IMPASTO_RUN_SETTINGS_MAX_ITERATIONS, NULL },
  { "size", KIND_INT, FIELD (size), 1, IMPASTO_IMAGE_MAX_SIDE, NULL },
  { "width", KIND_INT, FIELD (width), 1, IMPASTO_IMAGE_MAX_SIDE, NULL },
  { "height", KIND_INT, FIELD (height), 1, IMPASTO_IMAGE_MAX_SIDE, NULL },
  { "min-size", KIND_INT, FIELD (min_size), 16, IMPASTO_IMAGE_MAX_SIDE, NULL },
  { "scales", KIND_INT, FIELD (scales), 1, IMPASTO_LADDER_MAX_SIZES, NULL },
  { "tolerance", KIND_NUMBER, FIELD (tolerance), 0.0, G_MAXDOUBLE, NULL },
  { "optimizer", KIND_CHOICE, FIELD (optimizer), 0, 0, impasto_optimizer_get_type },
  { "init", KIND_CHOICE, FIELD (init), 0, 0, impasto_init_get_type },
  { "noise-ratio", KIND_NUMBER, FIELD (noise_ratio), 0.0, 1.0, NULL },
  { "seed", KIND_SEED, FIELD (seed), 0, 0, NULL },
  { "pool", KIND_CHOICE, FIELD (pool), 0, 0, impasto_pool_mode_get_type },
  { "preserve-colors", KIND_CHOICE, FIELD (preserve_colors), 0, 0, impasto_colors_get_type },
  { "content-layers", KIND_LAYERS, FIELD (content_layers), 0, 0, NULL },
  { "style-layers", KIND_LAYERS, FIELD (style_layers), 0, 0, NULL },
  { "painting-weights", KIND_WEIGHTS, FIELD (painting_weights), 0, 0, NULL },
  { "painting-scales", KIND_SCALES, FIELD (painting_scales), 0, 2.0, NULL },
  { "style-upscale", KIND_BOOLEAN, FIELD (style_upscale), 0, 0, NULL },
  { "threads", KIND_INT, FIELD (threads), 0, IMPASTO_RUN_SETTINGS_MAX_THREADS, NULL },
};

#define AT(settings, spec, type) ((type *) G_STRUCT_MEMBER_P ((settings), (spec)->offset))

void
impasto_skipped_setting_free (ImpastoSkippedSetting *skipped)
{
  if (skipped == NULL)
    return;
  g_free (skipped->key);
  g_free (skipped->reason);
  g_free (skipped);
}

GPtrArray *
impasto_skipped_settings_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) impasto_skipped_setting_free);
}

static void
add_skipped (GPtrArray  *skipped,
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

char *
impasto_skipped_settings_keys (GPtrArray *skipped)
{
  GString *keys;

  if (skipped == NULL || skipped->len == 0)
    return NULL;
  keys = g_string_new (NULL);
  for (guint i = 0; i < skipped->len; i++)
    {
      const ImpastoSkippedSetting *entry = g_ptr_array_index (skipped, i);

      if (i > 0)
        g_string_append (keys, ", ");
      g_string_append (keys, entry->key);
    }
  return g_string_free (keys, FALSE);
}

void
impasto_run_settings_init (ImpastoRunSettings *settings)
{
  g_return_if_fail (settings != NULL);

  memset (settings, 0, sizeof *settings);
}

const char *
impasto_run_setting_key (ImpastoRunSetting setting)
{
  g_return_val_if_fail (setting < IMPASTO_RUN_SETTING_N, NULL);

  return specs[setting].key;
}

int
impasto_run_setting_from_key (const char *key)
{
  g_return_val_if_fail (key != NULL, -1);

  for (int i = 0; i < IMPASTO_RUN_SETTING_N; i++)
    if (g_str_equal (specs[i].key, key))
      return i;
  return -1;
}

gboolean
impasto_run_settings_has (const ImpastoRunSettings *settings,
                          ImpastoRunSetting         setting)
{
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (setting < IMPASTO_RUN_SETTING_N, FALSE);

  return (settings->set & (1u << setting)) != 0;
}

void
impasto_run_settings_unset (ImpastoRunSettings *settings,
                            ImpastoRunSetting   setting)
{
  g_return_if_fail (settings != NULL);
  g_return_if_fail (setting < IMPASTO_RUN_SETTING_N);

  settings->set &= ~(1u << setting);
}

static void
set_bad_value (GError     **error,
               const char  *key,
               const char  *expected,
               const char  *text)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("%s needs %s, not “%s”"), key, expected, text);
}

/* A whole @text as a finite double. */
static gboolean
read_double (const char *text,
             double     *out)
{
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || g_ascii_isspace (text[0]) || end == NULL || *end != '\0'
      || errno == ERANGE || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
parse_number (const Spec  *spec,
              const char  *text,
              double      *out,
              GError     **error)
{
  double value;

  if (!read_double (text, &value)
      || (spec->kind == KIND_POSITIVE ? value <= 0.0 : value < spec->min) || value > spec->max)
    {
      g_autofree char *expected = NULL;

      if (spec->kind == KIND_POSITIVE)
        expected = g_strdup (_("a number greater than 0"));
      else if (spec->max < G_MAXDOUBLE)
        expected = g_strdup_printf (_("a number from %g to %g"), spec->min, spec->max);
      else
        expected = g_strdup (_("a finite number of at least 0"));
      set_bad_value (error, spec->key, expected, text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_choice (const Spec  *spec,
              const char  *text,
              int         *out,
              GError     **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (spec->type ());
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
  set_bad_value (error, spec->key, names->str, text);
  return FALSE;
}

/* "conv4_2:0.5,conv5_2" as impasto-cli's --content-layers reads it: every layer named once, a
 * weight finite, at least 0 and within a float (1 when left out). */
static gboolean
parse_layers (const Spec  *spec,
              const char  *text,
              double       weights[IMPASTO_VGG19_N_CONVS],
              GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  double parsed[IMPASTO_VGG19_N_CONVS] = { 0 };
  gboolean seen[IMPASTO_VGG19_N_CONVS] = { 0 };

  if (items[0] == NULL)
    {
      set_bad_value (error, spec->key, _("at least one layer, such as conv4_2:1"), text);
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
      index = impasto_vgg19_conv_index (name);
      if (index < 0 || seen[index])
        {
          set_bad_value (error, spec->key,
                         _("layers from conv1_1 to conv5_4, each named once"), text);
          return FALSE;
        }
      seen[index] = TRUE;
      if (colon != NULL)
        {
          char *weight_text = g_strstrip (colon + 1);

          if (!read_double (weight_text, &weight) || weight < 0.0 || weight > G_MAXFLOAT)
            {
              set_bad_value (error, spec->key, _("layer weights of at least 0"), text);
              return FALSE;
            }
        }
      parsed[index] = weight;
    }
  memcpy (weights, parsed, sizeof parsed);
  return TRUE;
}

/* One number a painting, as --style-weights (KIND_WEIGHTS) or --style-scale (KIND_SCALES). */
static gboolean
parse_painting_values (const Spec  *spec,
                       const char  *text,
                       double       values[IMPASTO_MAX_PAINTINGS],
                       int         *n_values,
                       GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  double parsed[IMPASTO_MAX_PAINTINGS] = { 0 };
  guint n = g_strv_length (items);
  gboolean any = FALSE;

  if (n == 0 || n > IMPASTO_MAX_PAINTINGS)
    {
      g_autofree char *expected = g_strdup_printf (_("from 1 to %d numbers, one a painting"),
                                                   IMPASTO_MAX_PAINTINGS);

      set_bad_value (error, spec->key, expected, text);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *item = g_strstrip (items[i]);
      double value;

      if (!read_double (item, &value)
          || (spec->kind == KIND_WEIGHTS ? value < 0.0 : (value <= 0.0 || value > spec->max)))
        {
          g_autofree char *expected = NULL;

          if (spec->kind == KIND_WEIGHTS)
            expected = g_strdup (_("weights of at least 0"));
          else
            expected = g_strdup_printf (_("brush sizes greater than 0 and at most %g"),
                                        spec->max);
          set_bad_value (error, spec->key, expected, text);
          return FALSE;
        }
      parsed[i] = value;
      any = any || value > 0.0;
    }
  if (spec->kind == KIND_WEIGHTS && !any)
    {
      set_bad_value (error, spec->key, _("at least one weight above 0"), text);
      return FALSE;
    }
  memcpy (values, parsed, sizeof parsed);
  *n_values = (int) n;
  return TRUE;
}

gboolean
impasto_run_settings_parse_value (ImpastoRunSettings  *settings,
                                  ImpastoRunSetting    setting,
                                  const char          *text,
                                  GError             **error)
{
  const Spec *spec;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (setting < IMPASTO_RUN_SETTING_N, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  spec = &specs[setting];
  switch (spec->kind)
    {
    case KIND_NUMBER:
    case KIND_POSITIVE:
      if (!parse_number (spec, text, AT (settings, spec, double), error))
        return FALSE;
      break;

    case KIND_INT:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (text, 10, (gint64) spec->min, (gint64) spec->max, &value,
                                       NULL))
          {
            g_autofree char *expected = g_strdup_printf (_("a whole number from %d to %d"),
                                                         (int) spec->min, (int) spec->max);

            set_bad_value (error, spec->key, expected, text);
            return FALSE;
          }
        *AT (settings, spec, int) = (int) value;
      }
      break;

    case KIND_SEED:
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, AT (settings, spec, guint64),
                                       NULL))
        {
          set_bad_value (error, spec->key, _("a whole number of at least 0"), text);
          return FALSE;
        }
      break;

    case KIND_CHOICE:
      {
        int value;

        if (!parse_choice (spec, text, &value, error))
          return FALSE;
        *AT (settings, spec, int) = value;
      }
      break;

    case KIND_LAYERS:
      if (!parse_layers (spec, text, AT (settings, spec, double), error))
        return FALSE;
      break;

    case KIND_WEIGHTS:
      if (!parse_painting_values (spec, text, settings->painting_weights,
                                  &settings->n_painting_weights, error))
        return FALSE;
      break;

    case KIND_SCALES:
      if (!parse_painting_values (spec, text, settings->painting_scales,
                                  &settings->n_painting_scales, error))
        return FALSE;
      break;

    case KIND_BOOLEAN:
      if (g_str_equal (text, "true"))
        settings->style_upscale = TRUE;
      else if (g_str_equal (text, "false"))
        settings->style_upscale = FALSE;
      else
        {
          set_bad_value (error, spec->key, _("true or false"), text);
          return FALSE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  settings->set |= 1u << setting;
  return TRUE;
}

/* The shortest "%.Ng" of @value that reads back as @value. */
static void
format_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  int first = 1;

  /* At least the whole part's digits, so that 500 is not 5e+02. */
  if (fabs (value) >= 1.0 && fabs (value) < 1e17)
    first = (int) floor (log10 (fabs (value))) + 1;
  for (int precision = first; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

double
impasto_run_settings_tidy_float (float value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 9; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if ((float) g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return g_ascii_strtod (buffer, NULL);
}

static void
format_layers (GString      *out,
               const double  weights[IMPASTO_VGG19_N_CONVS])
{
  gboolean first = TRUE;

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      if (weights[i] == 0.0)
        continue;
      g_string_append_printf (out, "%s%s:", first ? "" : ",", impasto_vgg19_conv_name (i));
      format_double (out, weights[i]);
      first = FALSE;
    }
  /* Every layer off still needs a name to be a list. */
  if (first)
    g_string_append_printf (out, "%s:0", impasto_vgg19_conv_name (0));
}

static void
format_list (GString      *out,
             const double *values,
             int           n_values)
{
  for (int i = 0; i < n_values; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      format_double (out, values[i]);
    }
}

char *
impasto_run_settings_value_text (const ImpastoRunSettings *settings,
                                 ImpastoRunSetting         setting)
{
  const Spec *spec;
  GString *out;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (setting < IMPASTO_RUN_SETTING_N, NULL);

  if (!impasto_run_settings_has (settings, setting))
    return NULL;

  spec = &specs[setting];
  out = g_string_new (NULL);
  switch (spec->kind)
    {
    case KIND_NUMBER:
    case KIND_POSITIVE:
      format_double (out, *AT (settings, spec, const double));
      break;

    case KIND_INT:
      g_string_append_printf (out, "%d", *AT (settings, spec, const int));
      break;

    case KIND_SEED:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, *AT (settings, spec, const guint64));
      break;

    case KIND_CHOICE:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (spec->type ());
        GEnumValue *value = g_enum_get_value (klass, *AT (settings, spec, const int));

        g_string_append (out, value != NULL ? value->value_nick : "");
      }
      break;

    case KIND_LAYERS:
      format_layers (out, AT (settings, spec, const double));
      break;

    case KIND_WEIGHTS:
      format_list (out, settings->painting_weights, settings->n_painting_weights);
      break;

    case KIND_SCALES:
      format_list (out, settings->painting_scales, settings->n_painting_scales);
      break;

    case KIND_BOOLEAN:
      g_string_append (out, settings->style_upscale ? "true" : "false");
      break;

    default:
      g_assert_not_reached ();
    }
  return g_string_free (out, FALSE);
}

void
impasto_run_settings_to_key_file (const ImpastoRunSettings *settings,
                                  GKeyFile                 *key_file)
{
  g_return_if_fail (settings != NULL);
  g_return_if_fail (key_file != NULL);

  g_key_file_remove_group (key_file, IMPASTO_RUN_SETTINGS_GROUP, NULL);
  g_key_file_set_integer (key_file, IMPASTO_RUN_SETTINGS_GROUP, "version",
                          IMPASTO_RUN_SETTINGS_VERSION);
  for (int i = 0; i < IMPASTO_RUN_SETTING_N; i++)
    {
      g_autofree char *text = impasto_run_settings_value_text (settings, i);

      if (text != NULL)
        g_key_file_set_string (key_file, IMPASTO_RUN_SETTINGS_GROUP, specs[i].key, text);
    }
}

char *
impasto_run_settings_to_data (const ImpastoRunSettings *settings,
                              gsize                    *length)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  g_return_val_if_fail (settings != NULL, NULL);

  impasto_run_settings_to_key_file (settings, key_file);
  return g_key_file_to_data (key_file, length, NULL);
}

/* The version key: a later format is read as far as this Impasto understands it, and said. */
static void
check_version (GKeyFile  *key_file,
               GPtrArray *skipped)
{
  g_autofree char *text = g_key_file_get_value (key_file, IMPASTO_RUN_SETTINGS_GROUP, "version",
                                                NULL);
  gint64 version;

  if (text == NULL)
    return;
  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT, &version, NULL))
    {
      g_autofree char *reason = g_strdup_printf (_("“%s” is not a version number; the settings "
                                                   "were read as version %d"),
                                                 text, IMPASTO_RUN_SETTINGS_VERSION);

      add_skipped (skipped, "version", reason);
    }
  else if (version > IMPASTO_RUN_SETTINGS_VERSION)
    {
      g_autofree char *reason =
        g_strdup_printf (_("written by a newer Impasto (format %d; this one reads %d): only "
                           "the settings it knows were read"),
                         (int) version, IMPASTO_RUN_SETTINGS_VERSION);

      add_skipped (skipped, "version", reason);
    }
}

gboolean
impasto_run_settings_load_key_file (ImpastoRunSettings  *settings,
                                    GKeyFile            *key_file,
                                    GPtrArray           *skipped,
                                    GError             **error)
{
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (key_file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  keys = g_key_file_get_keys (key_file, IMPASTO_RUN_SETTINGS_GROUP, NULL, error);
  if (keys == NULL)
    return FALSE;

  check_version (key_file, skipped);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GError) value_error = NULL;
      g_autofree char *text = NULL;
      int setting;

      if (g_str_equal (keys[i], "version"))
        continue;
      setting = impasto_run_setting_from_key (keys[i]);
      if (setting < 0)
        {
          add_skipped (skipped, keys[i], _("not a setting this version of Impasto knows"));
          continue;
        }
      text = g_key_file_get_string (key_file, IMPASTO_RUN_SETTINGS_GROUP, keys[i], &value_error);
      if (text == NULL
          || !impasto_run_settings_parse_value (settings, setting, g_strstrip (text),
                                                &value_error))
        add_skipped (skipped, keys[i], value_error->message);
    }
  return TRUE;
}

gboolean
impasto_run_settings_load_data (ImpastoRunSettings  *settings,
                                const char          *data,
                                gssize               length,
                                GPtrArray           *skipped,
                                GError             **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_key_file_load_from_data (key_file, data, length < 0 ? strlen (data) : (gsize) length,
                                  G_KEY_FILE_NONE, error))
    return FALSE;
  return impasto_run_settings_load_key_file (settings, key_file, skipped, error);
}
