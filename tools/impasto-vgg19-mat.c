/* impasto-vgg19-mat.c
 *
 * Builds a MatConvNet VGG19 network as a matio variable tree and writes it: a 1xL `layers` cell of
 * 1x1 structs in network order (conv, relu, pool, then fc6/fc7/fc8 as 'conv' and 'prob' as
 * 'softmax'), with the mean and class names where the layout keeps them. The random weights come
 * from splitmix64 (normal by Box-Muller, He scale sqrt (2 / (9 Cin))), seeded per layer so that
 * the fc layers never change the convs. Big arrays are handed to matio without copies
 * (MAT_F_DONT_COPY_DATA) and freed here after the write.
 *
 * It writes only; reading is the engine's impasto-weights.c, and the two share no code so that a
 * layout mistake in one cannot hide in the other.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <matio.h>

#include "impasto-vgg19-mat.h"

#define N_CONVS IMPASTO_VGG19_MAT_N_CONVS
#define MEAN_SIZE IMPASTO_VGG19_MAT_MEAN_IMAGE_SIZE

static const char *const conv_names[N_CONVS] = {
  "conv1_1", "conv1_2",
  "conv2_1", "conv2_2",
  "conv3_1", "conv3_2", "conv3_3", "conv3_4",
  "conv4_1", "conv4_2", "conv4_3", "conv4_4",
  "conv5_1", "conv5_2", "conv5_3", "conv5_4",
};

/* The mean VGG was trained with (RGB). */
static const float real_mean[3] = { 123.68f, 116.779f, 103.939f };

static const int real_channels[N_CONVS + 1] = {
  3, 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512,
};

static const int tiny_channels[N_CONVS + 1] = {
  3, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
};

/* Buffers handed to matio without a copy, freed after the write. */
typedef struct
{
  void **buffers;
  size_t n_buffers;
  size_t allocated;
  bool failed;
  bool text_utf8; /* how make_char() stores text */
} Arena;

typedef struct
{
  uint64_t state;
  bool has_spare;
  double spare;
} Rng;

static void
set_error (char *error, size_t error_size, const char *format, ...)
{
  va_list args;

  if (error == NULL || error_size == 0)
    return;
  va_start (args, format);
  vsnprintf (error, error_size, format, args);
  va_end (args);
}

static void *
arena_alloc (Arena *arena, size_t bytes)
{
  void *buffer;

  if (arena->n_buffers == arena->allocated)
    {
      size_t allocated = arena->allocated ? 2 * arena->allocated : 64;
      void **buffers = realloc (arena->buffers, allocated * sizeof *buffers);

      if (buffers == NULL)
        {
          arena->failed = true;
          return NULL;
        }
      arena->buffers = buffers;
      arena->allocated = allocated;
    }
  buffer = calloc (1, bytes ? bytes : 1);
  if (buffer == NULL)
    {
      arena->failed = true;
      return NULL;
    }
  arena->buffers[arena->n_buffers++] = buffer;
  return buffer;
}

static void
arena_clear (Arena *arena)
{
  for (size_t i = 0; i < arena->n_buffers; i++)
    free (arena->buffers[i]);
  free (arena->buffers);
  memset (arena, 0, sizeof *arena);
}

static uint64_t
rng_next (Rng *rng)
{
  uint64_t z = (rng->state += UINT64_C (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
rng_init (Rng *rng, uint64_t seed, uint64_t stream)
{
  rng->state = seed ^ (stream * UINT64_C (0xd1b54a32d192ed03));
  rng->has_spare = false;
  rng_next (rng);
}

/* Uniform in (0, 1). */
static double
rng_uniform (Rng *rng)
{
  return ((double) (rng_next (rng) >> 11) + 0.5) * 0x1.0p-53;
}

static double
rng_normal (Rng *rng)
{
  double r, theta;

  if (rng->has_spare)
    {
      rng->has_spare = false;
      return rng->spare;
    }
  r = sqrt (-2.0 * log (rng_uniform (rng)));
  theta = 2.0 * M_PI * rng_uniform (rng);
  rng->spare = r * sin (theta);
  rng->has_spare = true;
  return r * cos (theta);
}

/* Variable builders. A NULL result means out of memory; callers check arena->failed or the
 * pointer. */

static bool
is_ascii (const char *text)
{
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    if (*p > 127)
      return false;
  return true;
}

/* A 1xN char array. ASCII text is stored as UTF-8 bytes (miUTF8) when asked, else as UTF-16 code
 * units (miUINT16), which is what MATLAB writes. Other text always goes as UTF-16 (decoded from
 * UTF-8, BMP only): matio 1.5.23 misreads compressed miUTF8 text with multi-byte characters. */
static matvar_t *
make_char (Arena *arena, const char *name, const char *text)
{
  const unsigned char *p = (const unsigned char *) text;
  size_t dims[2] = { 1, 0 };
  mat_uint16_t *units;
  matvar_t *var;

  if (arena->text_utf8 && is_ascii (text))
    {
      dims[1] = strlen (text);
      return Mat_VarCreate (name, MAT_C_CHAR, MAT_T_UTF8, 2, dims, (void *) text, 0);
    }
  units = calloc (strlen (text) + 1, sizeof *units);
  if (units == NULL)
    return NULL;
  while (*p)
    {
      if (*p < 0x80)
        units[dims[1]++] = *p++;
      else if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80)
        {
          units[dims[1]++] = (mat_uint16_t) ((p[0] & 0x1f) << 6 | (p[1] & 0x3f));
          p += 2;
        }
      else if ((*p & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
        {
          units[dims[1]++] = (mat_uint16_t) ((p[0] & 0x0f) << 12 | (p[1] & 0x3f) << 6
                                             | (p[2] & 0x3f));
          p += 3;
        }
      else
        {
          units[dims[1]++] = 0xfffd; /* not UTF-8 we handle: the replacement character */
          p++;
        }
    }
  var = Mat_VarCreate (name, MAT_C_CHAR, MAT_T_UINT16, 2, dims, units, 0);
  free (units);
  return var;
}

static matvar_t *
make_doubles (const char *name, size_t rows, size_t cols, const double *values)
{
  size_t dims[2] = { rows, cols };

  return Mat_VarCreate (name, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, (void *) values, 0);
}

static matvar_t *
make_double (const char *name, double value)
{
  return make_doubles (name, 1, 1, &value);
}

/* A single (or, with @as_double, double) array of @n values from @values, in the arena. */
static matvar_t *
make_numeric (Arena *arena, const char *name, int rank, size_t *dims, const float *values,
              size_t n, bool as_double)
{
  void *data;

  if (as_double)
    {
      double *d = arena_alloc (arena, n * sizeof *d);

      if (d == NULL)
        return NULL;
      for (size_t i = 0; i < n; i++)
        d[i] = values[i];
      data = d;
    }
  else
    {
      data = arena_alloc (arena, n * sizeof (float));
      if (data == NULL)
        return NULL;
      memcpy (data, values, n * sizeof (float));
    }

  return Mat_VarCreate (name,
                        as_double ? MAT_C_DOUBLE : MAT_C_SINGLE,
                        as_double ? MAT_T_DOUBLE : MAT_T_SINGLE,
                        rank, dims, data, MAT_F_DONT_COPY_DATA);
}

/* Drops trailing singleton dimensions beyond the second, as MATLAB does. */
static int
squeeze_rank (int rank, const size_t *dims)
{
  while (rank > 2 && dims[rank - 1] == 1)
    rank--;
  return rank;
}

static matvar_t *
make_struct (const char *name, const char *const *fields)
{
  size_t dims[2] = { 1, 1 };

  return Mat_VarCreateStruct2 (name, 2, dims, fields);
}

/* Sets @field of the 1x1 struct @st; frees @value and marks failure if either is missing. */
static void
set_field (Arena *arena, matvar_t *st, const char *field, matvar_t *value)
{
  if (st == NULL || value == NULL)
    {
      arena->failed = true;
      Mat_VarFree (value);
      return;
    }
  Mat_VarSetStructFieldByName (st, field, 0, value);
}

static matvar_t *
make_cell (const char *name, size_t rows, size_t cols)
{
  size_t dims[2] = { rows, cols };

  return Mat_VarCreate (name, MAT_C_CELL, MAT_T_CELL, 2, dims, NULL, 0);
}

static matvar_t *
make_relu_layer (Arena *arena, const ImpastoVgg19MatOptions *options, const char *name)
{
  static const char *const newer_fields[] = { "name", "type", "leak", NULL };
  static const char *const older_fields[] = { "name", "type", NULL };
  bool newer = options->layout == IMPASTO_VGG19_MAT_LAYOUT_NEWER;
  matvar_t *layer = make_struct (NULL, newer ? newer_fields : older_fields);

  set_field (arena, layer, "name", make_char (arena, NULL, name));
  set_field (arena, layer, "type", make_char (arena, NULL, "relu"));
  if (newer)
    set_field (arena, layer, "leak", make_double (NULL, 0.0));
  return layer;
}

static matvar_t *
make_pool_layer (Arena *arena, const char *name)
{
  static const char *const fields[] = { "name", "type", "method", "pool", "stride", "pad", NULL };
  static const double pool[2] = { 2, 2 };
  static const double pad[4] = { 0, 0, 0, 0 };
  matvar_t *layer = make_struct (NULL, fields);

  set_field (arena, layer, "name", make_char (arena, NULL, name));
  set_field (arena, layer, "type", make_char (arena, NULL, "pool"));
  set_field (arena, layer, "method", make_char (arena, NULL, "max"));
  set_field (arena, layer, "pool", make_doubles (NULL, 1, 2, pool));
  set_field (arena, layer, "stride", make_doubles (NULL, 1, 2, pool));
  set_field (arena, layer, "pad", make_doubles (NULL, 1, 4, pad));
  return layer;
}

static matvar_t *
make_named_layer (Arena *arena, const char *name, const char *type)
{
  static const char *const fields[] = { "name", "type", NULL };
  matvar_t *layer = make_struct (NULL, fields);

  set_field (arena, layer, "name", make_char (arena, NULL, name));
  set_field (arena, layer, "type", make_char (arena, NULL, type));
  return layer;
}

static matvar_t *
make_dropout_layer (Arena *arena, const char *name)
{
  static const char *const fields[] = { "name", "type", "rate", NULL };
  matvar_t *layer = make_struct (NULL, fields);

  set_field (arena, layer, "name", make_char (arena, NULL, name));
  set_field (arena, layer, "type", make_char (arena, NULL, "dropout"));
  set_field (arena, layer, "rate", make_double (NULL, 0.5));
  return layer;
}

/* A conv layer. @filters has kh x kw x Cin x Cout values in MATLAB order, @biases @n_biases; with
 * @filters_as_char the filters become a char array and with @no_filters they are left out. */
static matvar_t *
make_conv_layer (Arena *arena,
                 const ImpastoVgg19MatOptions *options,
                 const char *name,
                 const float *filters,
                 int kernel,
                 int cin,
                 int cout,
                 const float *biases,
                 int n_biases,
                 bool filters_as_char,
                 bool no_filters)
{
  static const char *const newer_fields[] = {
    "name", "type", "weights", "size", "pad", "stride", NULL
  };
  static const char *const older_fields[] = {
    "name", "type", "filters", "biases", "pad", "stride", NULL
  };
  static const char *const bare_fields[] = { "name", "type", "pad", "stride", NULL };
  static const double stride[2] = { 1, 1 };
  bool newer = options->layout == IMPASTO_VGG19_MAT_LAYOUT_NEWER;
  size_t fdims[4] = { (size_t) kernel, (size_t) kernel, (size_t) cin, (size_t) cout };
  size_t bdims[2];
  double size[4] = { kernel, kernel, cin, cout };
  double pad[4];
  matvar_t *layer, *filters_var, *biases_var;

  for (int i = 0; i < 4; i++)
    pad[i] = (kernel == 3) ? 1 : 0;
  if (options->biases_as_row)
    {
      bdims[0] = 1;
      bdims[1] = (size_t) n_biases;
    }
  else
    {
      bdims[0] = (size_t) n_biases;
      bdims[1] = 1;
    }

  layer = make_struct (NULL, no_filters ? bare_fields : newer ? newer_fields : older_fields);
  set_field (arena, layer, "name", make_char (arena, NULL, name));
  set_field (arena, layer, "type", make_char (arena, NULL, "conv"));
  set_field (arena, layer, "pad", make_doubles (NULL, 1, 4, pad));
  set_field (arena, layer, "stride", make_doubles (NULL, 1, 2, stride));
  if (no_filters)
    return layer;

  if (filters_as_char)
    filters_var = make_char (arena, newer ? NULL : "filters", "not numbers");
  else
    filters_var = make_numeric (arena, newer ? NULL : "filters", squeeze_rank (4, fdims), fdims,
                                filters, (size_t) kernel * kernel * cin * cout,
                                options->as_double);
  biases_var = make_numeric (arena, newer ? NULL : "biases", 2, bdims, biases,
                             (size_t) n_biases, options->as_double);

  if (newer)
    {
      matvar_t *weights = make_cell (NULL, 1, 2);

      if (weights == NULL || filters_var == NULL || biases_var == NULL)
        {
          arena->failed = true;
          Mat_VarFree (filters_var);
          Mat_VarFree (biases_var);
          Mat_VarFree (weights);
          return layer;
        }
      Mat_VarSetCell (weights, 0, filters_var);
      Mat_VarSetCell (weights, 1, biases_var);
      set_field (arena, layer, "weights", weights);
      set_field (arena, layer, "size", make_doubles (NULL, 1, 4, size));
    }
  else
    {
      set_field (arena, layer, "filters", filters_var);
      set_field (arena, layer, "biases", biases_var);
    }
  return layer;
}

/* Random He-initialised fc layer @index (0..2: fc6, fc7, fc8). */
static matvar_t *
make_fc_layer (Arena *arena, const ImpastoVgg19MatOptions *options, int index)
{
  static const char *const names[3] = { "fc6", "fc7", "fc8" };
  int kernel = (index == 0) ? 7 : 1;
  int cin = (index == 0) ? options->channels[N_CONVS] : options->fc_channels[index - 1];
  int cout = options->fc_channels[index];
  size_t n = (size_t) kernel * kernel * cin * cout;
  float *filters = arena_alloc (arena, n * sizeof *filters);
  float *biases = arena_alloc (arena, (size_t) cout * sizeof *biases);
  double scale = sqrt (2.0 / ((double) kernel * kernel * cin));
  ImpastoVgg19MatOptions fc_options = *options;
  Rng rng;

  if (filters == NULL || biases == NULL)
    return NULL;
  rng_init (&rng, options->seed, 1000 + (uint64_t) index);
  for (size_t i = 0; i < n; i++)
    filters[i] = (float) (scale * rng_normal (&rng));
  for (int i = 0; i < cout; i++)
    biases[i] = (float) (0.01 * rng_normal (&rng));
  if (options->corruption == IMPASTO_VGG19_MAT_CORRUPT_FC_NAN)
    filters[n / 2] = NAN;

  /* The fc layers are written as single even for as_double: they are read past anyway, and a
   * double fc6 would be 800 MB at the real size. */
  fc_options.as_double = false;
  return make_conv_layer (arena, &fc_options, names[index], filters, kernel, cin, cout,
                          biases, cout, false, false);
}

/* The mean as stored, and its exact per-channel average through @average. */
static matvar_t *
make_mean (Arena *arena, const ImpastoVgg19MatOptions *options, float average[3])
{
  ImpastoVgg19MatMeanShape shape = options->mean_shape;
  size_t dims[3];
  int rank;
  float *values;
  size_t n;

  if (shape == IMPASTO_VGG19_MAT_MEAN_AUTO)
    shape = (options->layout == IMPASTO_VGG19_MAT_LAYOUT_NEWER) ? IMPASTO_VGG19_MAT_MEAN_PIXEL
                                                                 : IMPASTO_VGG19_MAT_MEAN_IMAGE;
  for (int c = 0; c < 3; c++)
    average[c] = real_mean[c];

  switch (shape)
    {
    case IMPASTO_VGG19_MAT_MEAN_VECTOR:
      rank = 2;
      dims[0] = 1;
      dims[1] = 3;
      break;
    case IMPASTO_VGG19_MAT_MEAN_IMAGE:
      rank = 3;
      dims[0] = dims[1] = MEAN_SIZE;
      dims[2] = 3;
      break;
    case IMPASTO_VGG19_MAT_MEAN_AUTO:
    case IMPASTO_VGG19_MAT_MEAN_PIXEL:
    default:
      rank = 3;
      dims[0] = dims[1] = 1;
      dims[2] = 3;
      break;
    }

  n = dims[0] * dims[1] * (rank == 3 ? dims[2] : 1);
  values = malloc (n * sizeof *values);
  if (values == NULL)
    return NULL;

  if (shape == IMPASTO_VGG19_MAT_MEAN_IMAGE)
    {
      /* MATLAB order: (y, x, c) at y + H x + H W c. A checkerboard ripple of +-0.125 (1 + y % 4)
       * cancels within each row (the width is even); every value stays in [64, 128) where
       * multiples of 0.125 are exact, so the average is exactly the channel's value. */
      for (size_t c = 0; c < 3; c++)
        for (size_t x = 0; x < MEAN_SIZE; x++)
          for (size_t y = 0; y < MEAN_SIZE; y++)
            {
              float ripple = 0.125f * (float) (1 + y % 4);

              if ((x + y) % 2)
                ripple = -ripple;
              values[y + MEAN_SIZE * x + MEAN_SIZE * MEAN_SIZE * c] = real_mean[c] + ripple;
            }
    }
  else
    {
      for (int c = 0; c < 3; c++)
        values[c] = real_mean[c];
    }

  {
    matvar_t *var = make_numeric (arena, "averageImage", rank, dims, values, n,
                                  options->as_double);

    free (values);
    return var;
  }
}

static matvar_t *
make_normalization (Arena *arena, const ImpastoVgg19MatOptions *options, float average[3])
{
  static const char *const fields_with_mean[] = {
    "averageImage", "imageSize", "keepAspect", "border", "interpolation", NULL
  };
  const char *const *fields = options->with_mean ? fields_with_mean : fields_with_mean + 1;
  static const double image_size[3] = { 224, 224, 3 };
  static const double border[2] = { 32, 32 };
  matvar_t *normalization = make_struct ("normalization", fields);

  if (options->with_mean)
    set_field (arena, normalization, "averageImage", make_mean (arena, options, average));
  set_field (arena, normalization, "imageSize", make_doubles (NULL, 1, 3, image_size));
  set_field (arena, normalization, "keepAspect", make_double (NULL, 1.0));
  set_field (arena, normalization, "border", make_doubles (NULL, 1, 2, border));
  set_field (arena, normalization, "interpolation", make_char (arena, NULL, "bilinear"));
  return normalization;
}

static matvar_t *
make_classes (Arena *arena, const ImpastoVgg19MatOptions *options)
{
  static const char *const fields[] = { "name", "description", NULL };
  int n = options->fc_channels[2] > 0 ? options->fc_channels[2] : 1;
  matvar_t *classes = make_struct ("classes", fields);
  matvar_t *names = make_cell (NULL, 1, (size_t) n);
  matvar_t *descriptions = make_cell (NULL, 1, (size_t) n);

  if (names == NULL || descriptions == NULL)
    {
      arena->failed = true;
      Mat_VarFree (names);
      Mat_VarFree (descriptions);
      return classes;
    }
  for (int i = 0; i < n; i++)
    {
      char name[32], description[48];
      matvar_t *a, *b;

      snprintf (name, sizeof name, "n%08d", 1440764 + i);
      snprintf (description, sizeof description, "class number %d", i);
      a = make_char (arena, NULL, name);
      b = make_char (arena, NULL, description);
      if (a == NULL || b == NULL)
        {
          arena->failed = true;
          Mat_VarFree (a);
          Mat_VarFree (b);
          continue;
        }
      Mat_VarSetCell (names, i, a);
      Mat_VarSetCell (descriptions, i, b);
    }
  set_field (arena, classes, "name", names);
  set_field (arena, classes, "description", descriptions);
  return classes;
}

/* Appends @layer to the @layers list. */
static void
push_layer (Arena *arena, matvar_t ***layers, size_t *n_layers, matvar_t *layer)
{
  matvar_t **grown;

  if (layer == NULL)
    {
      arena->failed = true;
      return;
    }
  grown = realloc (*layers, (*n_layers + 1) * sizeof *grown);
  if (grown == NULL)
    {
      arena->failed = true;
      Mat_VarFree (layer);
      return;
    }
  grown[(*n_layers)++] = layer;
  *layers = grown;
}

static bool
write_net (const char *path,
           const ImpastoVgg19MatOptions *options,
           const float *const *matlab_filters,
           const float *const *biases,
           float average[3],
           char *error,
           size_t error_size)
{
  const ImpastoVgg19MatCorruption corruption = options->corruption;
  const int target = options->corrupt_index;
  Arena arena = { .text_utf8 = options->text_utf8 };
  matvar_t **layers = NULL;
  size_t n_layers = 0;
  matvar_t *layers_var = NULL;
  matvar_t *others[3] = { NULL, NULL, NULL };
  mat_t *mat;
  bool ok = true;

  if (target < 0 || target >= N_CONVS)
    {
      set_error (error, error_size, "corrupt_index %d is not a conv (0 ... 15)", target);
      return false;
    }

  for (int i = 0; i < N_CONVS; i++)
    {
      int cin = options->channels[i];
      int cout = options->channels[i + 1];
      int kernel = 3;
      int n_biases = cout;
      const float *filters = matlab_filters[i];
      const float *conv_biases = biases[i];
      float *patched = NULL;
      float *patched_biases = NULL;
      bool hit = (i == target);
      char relu_name[16];

      if (hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_MISSING_CONV)
        continue;

      if (hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_FILTER_5X5)
        {
          kernel = 5;
          patched = arena_alloc (&arena, (size_t) 25 * cin * cout * sizeof *patched);
          if (patched != NULL)
            for (size_t k = 0; k < (size_t) 25 * cin * cout; k++)
              patched[k] = 0.01f * (float) (k % 7);
          filters = patched;
        }
      else if (hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_NAN_WEIGHT)
        {
          size_t n = (size_t) 9 * cin * cout;

          patched = arena_alloc (&arena, n * sizeof *patched);
          if (patched != NULL)
            {
              memcpy (patched, filters, n * sizeof *patched);
              patched[n / 2] = NAN;
            }
          filters = patched;
        }
      else if (hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN)
        {
          cin += 1;
          patched = arena_alloc (&arena, (size_t) 9 * cin * cout * sizeof *patched);
          if (patched != NULL)
            for (size_t k = 0; k < (size_t) 9 * cin * cout; k++)
              patched[k] = 0.01f * (float) (k % 5);
          filters = patched;
        }

      if (hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_BIAS_LENGTH)
        {
          n_biases = cout + 1;
          patched_biases = arena_alloc (&arena, (size_t) n_biases * sizeof *patched_biases);
          if (patched_biases != NULL)
            memcpy (patched_biases, conv_biases, (size_t) cout * sizeof *patched_biases);
          conv_biases = patched_biases;
        }
      else if (hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_INF_BIAS)
        {
          patched_biases = arena_alloc (&arena, (size_t) cout * sizeof *patched_biases);
          if (patched_biases != NULL)
            {
              memcpy (patched_biases, conv_biases, (size_t) cout * sizeof *patched_biases);
              patched_biases[cout - 1] = INFINITY;
            }
          conv_biases = patched_biases;
        }

      if (filters == NULL || conv_biases == NULL)
        {
          arena.failed = true;
          break;
        }

      for (int copy = 0; copy < ((hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_DUPLICATE_CONV)
                                 ? 2 : 1); copy++)
        push_layer (&arena, &layers, &n_layers,
                    make_conv_layer (&arena, options, conv_names[i], filters, kernel, cin, cout,
                                     conv_biases, n_biases,
                                     hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_FILTERS_CHAR,
                                     hit && corruption == IMPASTO_VGG19_MAT_CORRUPT_NO_FILTERS));

      snprintf (relu_name, sizeof relu_name, "relu%s", conv_names[i] + 4);
      push_layer (&arena, &layers, &n_layers, make_relu_layer (&arena, options, relu_name));
      if (i == 0 && options->with_odd_layer)
        push_layer (&arena, &layers, &n_layers,
                    make_named_layer (&arena, "odd-\xc3\xb8", "\xc3\xbcnknown"));

      /* A pool closes each block: after conv1_2, conv2_2, conv3_4, conv4_4, conv5_4. */
      if (i == 1 || i == 3 || i == 7 || i == 11 || i == 15)
        {
          char pool_name[8];

          snprintf (pool_name, sizeof pool_name, "pool%c", conv_names[i][4]);
          push_layer (&arena, &layers, &n_layers, make_pool_layer (&arena, pool_name));
        }
    }

  if (options->with_fc && !arena.failed)
    {
      for (int k = 0; k < 3; k++)
        {
          push_layer (&arena, &layers, &n_layers, make_fc_layer (&arena, options, k));
          if (k < 2)
            {
              char name[8];

              snprintf (name, sizeof name, "relu%d", 6 + k);
              push_layer (&arena, &layers, &n_layers, make_relu_layer (&arena, options, name));
              if (options->layout == IMPASTO_VGG19_MAT_LAYOUT_OLDER)
                {
                  snprintf (name, sizeof name, "drop%d", 6 + k);
                  push_layer (&arena, &layers, &n_layers, make_dropout_layer (&arena, name));
                }
            }
        }
      push_layer (&arena, &layers, &n_layers, make_named_layer (&arena, "prob", "softmax"));
    }

  if (!arena.failed)
    {
      const char *name = (corruption == IMPASTO_VGG19_MAT_CORRUPT_NO_LAYERS) ? "net_layers"
                                                                             : "layers";

      if (corruption == IMPASTO_VGG19_MAT_CORRUPT_LAYERS_NOT_CELL)
        {
          static const double values[3] = { 1, 2, 3 };

          layers_var = make_doubles (name, 1, 3, values);
          for (size_t i = 0; i < n_layers; i++)
            Mat_VarFree (layers[i]);
        }
      else
        {
          layers_var = make_cell (name, 1, n_layers);
          if (layers_var != NULL)
            for (size_t i = 0; i < n_layers; i++)
              Mat_VarSetCell (layers_var, (int) i, layers[i]);
          else
            for (size_t i = 0; i < n_layers; i++)
              Mat_VarFree (layers[i]);
        }
      n_layers = 0;
    }
  for (size_t i = 0; i < n_layers; i++)
    Mat_VarFree (layers[i]);
  free (layers);

  /* The other variables: MATLAB writes them in alphabetical order, which the loader must not
   * depend on. Older: classes, layers, normalization. Newer: layers, meta. */
  if (options->layout == IMPASTO_VGG19_MAT_LAYOUT_OLDER)
    {
      others[0] = make_classes (&arena, options);
      others[1] = layers_var;
      others[2] = make_normalization (&arena, options, average);
    }
  else
    {
      static const char *const meta_fields[] = { "inputs", "classes", "normalization", NULL };
      static const char *const input_fields[] = { "name", "size", NULL };
      static const double input_size[4] = { 224, 224, 3, 10 };
      matvar_t *meta = make_struct ("meta", meta_fields);
      matvar_t *inputs = make_struct (NULL, input_fields);

      set_field (&arena, inputs, "name", make_char (&arena, NULL, "data"));
      set_field (&arena, inputs, "size", make_doubles (NULL, 1, 4, input_size));
      set_field (&arena, meta, "inputs", inputs);
      set_field (&arena, meta, "classes", make_classes (&arena, options));
      set_field (&arena, meta, "normalization", make_normalization (&arena, options, average));
      others[0] = layers_var;
      others[1] = meta;
    }
  for (int k = 0; k < 3; k++)
    if (others[k] == NULL && (k < 2 || options->layout == IMPASTO_VGG19_MAT_LAYOUT_OLDER))
      arena.failed = true;

  if (arena.failed)
    {
      for (int k = 0; k < 3; k++)
        Mat_VarFree (others[k]);
      arena_clear (&arena);
      set_error (error, error_size, "%s: out of memory building the network", path);
      return false;
    }

  mat = Mat_CreateVer (path, "MATLAB 5.0 MAT-file, written by impasto-vgg19-mat",
                       MAT_FT_MAT5);
  if (mat == NULL)
    {
      int saved = errno;

      for (int k = 0; k < 3; k++)
        Mat_VarFree (others[k]);
      arena_clear (&arena);
      set_error (error, error_size, "%s: cannot create the file: %s", path,
                 saved ? strerror (saved) : "unknown error");
      return false;
    }

  for (int k = 0; k < 3; k++)
    if (others[k] != NULL)
      {
        if (ok && Mat_VarWrite (mat, others[k], options->compress ? MAT_COMPRESSION_ZLIB
                                                                  : MAT_COMPRESSION_NONE) != 0)
          ok = false;
        Mat_VarFree (others[k]);
      }

  if (Mat_Close (mat) != 0)
    ok = false;
  arena_clear (&arena);
  if (!ok)
    {
      set_error (error, error_size, "%s: writing failed (disk full?)", path);
      return false;
    }
  return true;
}

void
impasto_vgg19_mat_options_init_real (ImpastoVgg19MatOptions *options)
{
  memset (options, 0, sizeof *options);
  memcpy (options->channels, real_channels, sizeof real_channels);
  options->fc_channels[0] = 4096;
  options->fc_channels[1] = 4096;
  options->fc_channels[2] = 1000;
  options->layout = IMPASTO_VGG19_MAT_LAYOUT_NEWER;
  options->with_mean = true;
  options->mean_shape = IMPASTO_VGG19_MAT_MEAN_AUTO;
  options->with_fc = true;
  options->biases_as_row = false;
  options->as_double = false;
  options->compress = true;
  options->seed = 1;
  options->corruption = IMPASTO_VGG19_MAT_CORRUPT_NONE;
  options->corrupt_index = 0;
}

void
impasto_vgg19_mat_options_init_tiny (ImpastoVgg19MatOptions *options)
{
  impasto_vgg19_mat_options_init_real (options);
  memcpy (options->channels, tiny_channels, sizeof tiny_channels);
  options->fc_channels[0] = 16;
  options->fc_channels[1] = 16;
  options->fc_channels[2] = 10;
}

const char *
impasto_vgg19_mat_conv_name (int index)
{
  if (index < 0 || index >= N_CONVS)
    return NULL;
  return conv_names[index];
}

void
impasto_vgg19_mat_matlab_to_engine (float *engine, const float *matlab, int cin, int cout)
{
  for (size_t k = 0; k < (size_t) cout; k++)
    for (size_t c = 0; c < (size_t) cin; c++)
      for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
          engine[((k * cin + c) * 3 + i) * 3 + j] = matlab[i + 3 * j + 9 * c + 9 * cin * k];
}

void
impasto_vgg19_mat_engine_to_matlab (float *matlab, const float *engine, int cin, int cout)
{
  for (size_t k = 0; k < (size_t) cout; k++)
    for (size_t c = 0; c < (size_t) cin; c++)
      for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
          matlab[i + 3 * j + 9 * c + 9 * cin * k] = engine[((k * cin + c) * 3 + i) * 3 + j];
}

void
impasto_vgg19_mat_net_clear (ImpastoVgg19MatNet *net)
{
  if (net == NULL)
    return;
  for (int i = 0; i < N_CONVS; i++)
    {
      free (net->filters[i]);
      free (net->biases[i]);
    }
  memset (net, 0, sizeof *net);
}

static bool
check_channels (const ImpastoVgg19MatOptions *options, char *error, size_t error_size)
{
  for (int i = 0; i <= N_CONVS; i++)
    if (options->channels[i] <= 0)
      {
        set_error (error, error_size, "channel width %d is %d; widths must be positive",
                   i, options->channels[i]);
        return false;
      }
  if (options->with_fc)
    for (int i = 0; i < 3; i++)
      if (options->fc_channels[i] <= 0)
        {
          set_error (error, error_size, "fc width %d is %d; widths must be positive",
                     i, options->fc_channels[i]);
          return false;
        }
  return true;
}

bool
impasto_vgg19_mat_write (const char *path,
                         const ImpastoVgg19MatOptions *options,
                         ImpastoVgg19MatNet *written,
                         char *error,
                         size_t error_size)
{
  float *matlab[N_CONVS] = { 0 };
  float *engine[N_CONVS] = { 0 };
  float *biases[N_CONVS] = { 0 };
  float average[3] = { 0, 0, 0 };
  bool ok = true;

  if (written != NULL)
    memset (written, 0, sizeof *written);
  if (!check_channels (options, error, error_size))
    return false;

  for (int i = 0; i < N_CONVS && ok; i++)
    {
      int cin = options->channels[i];
      int cout = options->channels[i + 1];
      size_t n = (size_t) 9 * cin * cout;
      double scale = sqrt (2.0 / (9.0 * cin));
      Rng rng;

      matlab[i] = malloc (n * sizeof (float));
      engine[i] = malloc (n * sizeof (float));
      biases[i] = malloc ((size_t) cout * sizeof (float));
      if (matlab[i] == NULL || engine[i] == NULL || biases[i] == NULL)
        {
          set_error (error, error_size, "out of memory for conv %d", i);
          ok = false;
          break;
        }
      rng_init (&rng, options->seed, (uint64_t) i + 1);
      for (size_t k = 0; k < n; k++)
        engine[i][k] = (float) (scale * rng_normal (&rng));
      for (int k = 0; k < cout; k++)
        biases[i][k] = (float) (0.05 * (2.0 * rng_uniform (&rng) - 1.0));
      impasto_vgg19_mat_engine_to_matlab (matlab[i], engine[i], cin, cout);
    }

  if (ok)
    ok = write_net (path, options, (const float *const *) matlab, (const float *const *) biases,
                    average, error, error_size);

  for (int i = 0; i < N_CONVS; i++)
    free (matlab[i]);

  if (ok && written != NULL)
    {
      memcpy (written->channels, options->channels, sizeof written->channels);
      for (int i = 0; i < N_CONVS; i++)
        {
          written->filters[i] = engine[i];
          written->biases[i] = biases[i];
        }
      written->has_mean = options->with_mean;
      for (int c = 0; c < 3; c++)
        written->mean_pixel[c] = average[c];
      return true;
    }

  for (int i = 0; i < N_CONVS; i++)
    {
      free (engine[i]);
      free (biases[i]);
    }
  return ok;
}

bool
impasto_vgg19_mat_write_matlab (const char *path,
                                const ImpastoVgg19MatOptions *options,
                                const float *const *matlab_filters,
                                const float *const *biases,
                                char *error,
                                size_t error_size)
{
  float average[3];

  if (!check_channels (options, error, error_size))
    return false;
  return write_net (path, options, matlab_filters, biases, average, error, error_size);
}
