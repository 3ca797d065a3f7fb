/* impasto-weights.c
 *
 * Loads VGG19's 16 convolutions and mean pixel from MatConvNet's imagenet-vgg-verydeep-19.mat
 * (SimpleNN format, both published versions) and builds the same object from arrays in memory.
 *
 * impasto_weights_load() first hands the file to the model's MAT-v5 reader (impasto-mat-reader.c),
 * which reads the same values in a fraction of the time, or declines. What follows describes the
 * matio reader, which reads whatever it declines and words every message about a broken file;
 * no file reaches matio before that reader has checked all of it (matio trusts the sizes inside
 * a file).
 *
 * Reading goes in three steps. First a plain stdio pass checks the 128-byte MAT-file header and
 * walks the top-level variable tags, so that a cut-short download is named as such before matio
 * sees it (matio's slab readers do not report short reads). Then matio reads only the *structure*
 * of the variables (Mat_VarReadNextInfo: names, classes and sizes, no array data) in one pass;
 * struct fields are always looked up by name. Finally the layer names and types and the 16 convs'
 * arrays are read one by one (Mat_VarReadDataLinear), so fc6/fc7/fc8 (470 MB of the real file's
 * 550) are never held in memory; a compressed file is still inflated once from end to end by the
 * structure pass, which is most of its load time. matio 1.5.23 cannot read text selectively in
 * every encoding; when a layer's type or name does not come out as plain ASCII the whole load is
 * redone with ordinary full reads (Mat_VarReadNext), which needs the whole file in memory but
 * leaves the decoding to matio. Every selective array read lands in a NaN-filled buffer and is
 * then checked, so a short read cannot pass for weights.
 *
 * Filters arrive as MATLAB 3x3xCinxCout column-major (element (i, j, c, k) at i + 3j + 9c +
 * 9 Cin k, i along image rows) and are stored as (Cout, Cin, 3, 3) row-major with [ky = i][kx = j];
 * MatConvNet correlates without flipping, and so do we.
 *
 * matio logs through a callback that we install once: it keeps matio's last error for our
 * messages and prints nothing. The engine never prints and never exits; nothing here aborts.
 * This file does not know about images, losses or threads beyond that one-time setup.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <matio.h>

#include "impasto-memory.h"
#include "impasto-mat-format.h"
#include "impasto-mat-reader.h"
#include "impasto-weights.h"

/* Far above VGG19's 512: anything bigger is a damaged file, not a network. */
#define MAX_CHANNELS 65536
/* The biggest mean image we average (MatConvNet's are 224x224). */
#define MAX_MEAN_PIXELS (4096 * 4096)
#define TEXT_SIZE 64

typedef enum
{
  TEXT_OK,
  TEXT_NOT_TEXT,   /* not a char array, or in an encoding we cannot read */
  TEXT_RETRY_FULL, /* the selective read could not decode it: load again with full reads */
} TextResult;

/* An internal status beside ImpastoStatus: start the load again in full mode. */
#define RETRY_FULL ((ImpastoStatus) 1000)

typedef struct
{
  const char *path;
  mat_t *mat;
  bool full;               /* variables were read whole: the data is in memory */
  matvar_t *layers;        /* the `layers` cell */
  matvar_t *meta;          /* newer files: meta.normalization.averageImage */
  matvar_t *normalization; /* older files: normalization.averageImage */
  ImpastoEngineError *error;
} Loader;

/* matio's last complaint on this thread, for our messages. */
static _Thread_local char matio_message[160];
static pthread_once_t matio_log_once = PTHREAD_ONCE_INIT;

static void
matio_log_cb (int log_level, char *message)
{
  char *newline;

  if (message == NULL || !(log_level & (MATIO_LOG_LEVEL_ERROR | MATIO_LOG_LEVEL_CRITICAL)))
    return;
  snprintf (matio_message, sizeof matio_message, "%s", message);
  newline = strchr (matio_message, '\n');
  if (newline != NULL)
    *newline = '\0';
}

static void
matio_log_init (void)
{
  /* matio 1.5.23 logs nowhere until someone calls Mat_LogInit(), and then to stderr; this keeps
   * its messages for ours instead, whoever else sets up logging later. The library never calls
   * Mat_Error (the one function that aborts), so a bad file only ever returns errors. */
  Mat_LogInitFunc ("impasto", matio_log_cb);
}

/* " (matio: ...)" when matio said something, else "". */
static const char *
matio_detail (char *buffer, size_t size)
{
  if (matio_message[0] == '\0')
    return "";
  snprintf (buffer, size, " (matio: %s)", matio_message);
  return buffer;
}

static const char *
conv_name (int index)
{
  const char *name = impasto_vgg19_conv_name (index);

  return name != NULL ? name : "?";
}

/* The conv index of exactly "conv1_1" ... "conv5_4", else -1 (fc6, relu1_1, ... are not). */
static int
conv_index_exact (const char *name)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *candidate = impasto_vgg19_conv_name (i);

      if (candidate != NULL && strcmp (candidate, name) == 0)
        return i;
    }
  return -1;
}

static const char *
class_name (enum matio_classes class_type)
{
  switch (class_type)
    {
    case MAT_C_EMPTY: return "empty";
    case MAT_C_CELL: return "a cell array";
    case MAT_C_STRUCT: return "a struct";
    case MAT_C_OBJECT: return "an object";
    case MAT_C_CHAR: return "text (char)";
    case MAT_C_SPARSE: return "a sparse matrix";
    case MAT_C_DOUBLE: return "double";
    case MAT_C_SINGLE: return "single";
    case MAT_C_INT8: return "int8";
    case MAT_C_UINT8: return "uint8";
    case MAT_C_INT16: return "int16";
    case MAT_C_UINT16: return "uint16";
    case MAT_C_INT32: return "int32";
    case MAT_C_UINT32: return "uint32";
    case MAT_C_INT64: return "int64";
    case MAT_C_UINT64: return "uint64";
    case MAT_C_FUNCTION: return "a function handle";
    case MAT_C_OPAQUE: return "an opaque object";
    default: return "of an unknown class";
    }
}

/* Number of elements of @var; false on overflow or a NULL @var. */
static bool
var_numel (const matvar_t *var, size_t *numel)
{
  size_t n = 1;

  if (var == NULL || var->rank < 0 || (var->rank > 0 && var->dims == NULL))
    return false;
  for (int i = 0; i < var->rank; i++)
    {
      if (var->dims[i] != 0 && n > SIZE_MAX / var->dims[i])
        return false;
      n *= var->dims[i];
    }
  *numel = n;
  return true;
}

/* "224×224×3" */
static const char *
format_dims (const matvar_t *var, char *buffer, size_t size)
{
  size_t used = 0;

  buffer[0] = '\0';
  if (var->rank > 0 && var->dims == NULL)
    return "?";
  for (int i = 0; i < var->rank && used < size; i++)
    {
      int n = snprintf (buffer + used, size - used, "%s%zu", i ? "×" : "", var->dims[i]);

      if (n < 0)
        break;
      used += (size_t) n;
    }
  return buffer;
}

/* Element @index of a cell array, or NULL. matio's own accessors trust the variable's data
 * pointer; in a damaged file it can be missing or short, so check it first. */
static matvar_t *
cell_at (matvar_t *cell, size_t index)
{
  size_t numel;

  if (cell == NULL || cell->class_type != MAT_C_CELL || cell->data == NULL
      || !var_numel (cell, &numel) || index >= numel || index > INT_MAX
      || cell->nbytes / sizeof (matvar_t *) < numel)
    return NULL;
  return Mat_VarGetCell (cell, (int) index);
}

/* A field of a 1x1 struct, looked up by name, or NULL. */
static matvar_t *
field (matvar_t *st, const char *name)
{
  char *const *names;
  unsigned n_fields;
  size_t numel;

  if (st == NULL || st->class_type != MAT_C_STRUCT || st->data == NULL
      || !var_numel (st, &numel) || numel != 1)
    return NULL;
  n_fields = Mat_VarGetNumberOfFields (st);
  names = Mat_VarGetStructFieldnames (st);
  if (n_fields == 0 || names == NULL || st->nbytes / sizeof (matvar_t *) < n_fields)
    return NULL;
  for (unsigned i = 0; i < n_fields; i++)
    if (names[i] != NULL && strcmp (names[i], name) == 0)
      return Mat_VarGetStructFieldByIndex (st, i, 0);
  return NULL;
}

/* Step 1: the file exists, is a v5 or v7.3 MAT-file, and is not cut short. Sets @n_variables to
 * the number of top-level variables of a v5 file, or -1 for v7.3 (HDF5 checks itself). */
static ImpastoStatus
check_file (const char *path, int *n_variables, ImpastoEngineError *error)
{
  unsigned char header[IMPASTO_MAT_HEADER_SIZE];
  struct stat st;
  FILE *file;
  size_t got;
  bool little;
  unsigned version;
  long long size, pos;
  int count = 0;

  *n_variables = -1;
  if (stat (path, &st) != 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open the model file: %s",
                              path, strerror (errno));
  if (S_ISDIR (st.st_mode))
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO,
                              "%s: is a folder, not a model file", path);
  if (!S_ISREG (st.st_mode))
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO,
                              "%s: is not a regular file", path);
  size = (long long) st.st_size;
  if (size == 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the file is empty; expected MatConvNet's "
                              "imagenet-vgg-verydeep-19.mat", path);

  file = fopen (path, "rb");
  if (file == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open the model file: %s",
                              path, strerror (errno));

  got = fread (header, 1, sizeof header, file);
  if (got < sizeof header)
    {
      bool looks_like_mat = got >= 6 && memcmp (header, "MATLAB", 6) == 0;
      bool failed = ferror (file) != 0;

      fclose (file);
      if (failed)
        return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot read the file", path);
      if (looks_like_mat)
        return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                  "%s: the file is cut short inside its header (%lld bytes); "
                                  "it may be an incomplete download", path, size);
      return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                "%s: not a MATLAB .mat file (too short for one: %lld bytes)",
                                path, size);
    }

  /* Bytes 124-125: version, 126-127: 'M' 'I' as a 16-bit value in the writer's byte order. */
  if (header[126] == 'I' && header[127] == 'M')
    little = true;
  else if (header[126] == 'M' && header[127] == 'I')
    little = false;
  else
    {
      fclose (file);
      return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                "%s: not a MATLAB .mat file (no version 5 or 7 MAT-file header)",
                                path);
    }
  version = little ? (unsigned) (header[124] | header[125] << 8)
                   : (unsigned) (header[125] | header[124] << 8);
  if (version == IMPASTO_MAT_VERSION_73)
    {
      /* v7.3 is HDF5 with a MAT header; HDF5 notices a short file on its own. */
      fclose (file);
      return IMPASTO_STATUS_OK;
    }
  if (version != IMPASTO_MAT_VERSION_5)
    {
      fclose (file);
      return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                "%s: a MAT-file of unknown version 0x%04x", path, version);
    }

  /* Walk the top-level data elements: miMATRIX or miCOMPRESSED, each a tag and its bytes. */
  pos = IMPASTO_MAT_HEADER_SIZE;
  while (pos + 8 <= size)
    {
      unsigned char bytes[8];
      ImpastoMatTag tag;

      if (fseeko (file, (off_t) pos, SEEK_SET) != 0 || fread (bytes, 1, 8, file) != 8)
        {
          fclose (file);
          return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot read the file", path);
        }
      impasto_mat_tag_decode (&tag, bytes, !little);
      if (!tag.small && tag.type == 0 && tag.nbytes == 0)
        break; /* zero padding at the end */
      if (tag.small || (tag.type != IMPASTO_MI_MATRIX && tag.type != IMPASTO_MI_COMPRESSED))
        {
          fclose (file);
          return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                    "%s: the file is damaged (no variable starts at byte %lld)",
                                    path, pos);
        }
      pos += 8 + (long long) tag.nbytes;
      if (tag.type == IMPASTO_MI_MATRIX && pos % 8 != 0)
        pos += 8 - pos % 8;
      if (pos > size)
        {
          fclose (file);
          return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                    "%s: the file is cut short (%lld bytes where its contents "
                                    "need %lld); it may be an incomplete download",
                                    path, size, pos);
        }
      count++;
    }

  /* Whatever is left must be zero padding; anything else is the start of a lost variable. */
  if (pos < size)
    {
      unsigned char rest[8];
      size_t n = (size_t) (size - pos) < sizeof rest ? (size_t) (size - pos) : sizeof rest;
      bool zero = fseeko (file, (off_t) pos, SEEK_SET) == 0 && fread (rest, 1, n, file) == n;

      for (size_t i = 0; zero && i < n; i++)
        zero = rest[i] == 0;
      if (!zero)
        {
          fclose (file);
          return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                    "%s: the file is cut short (it ends inside a variable's "
                                    "header); it may be an incomplete download", path);
        }
    }
  fclose (file);

  if (count == 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the MAT-file holds no variables", path);
  *n_variables = count;
  return IMPASTO_STATUS_OK;
}

/* ASCII from @n code units of @unit bytes each; false if any is 0 or above 127. */
static bool
decode_ascii (const void *data, size_t unit, size_t n, char *out)
{
  const unsigned char *bytes = data;

  for (size_t i = 0; i < n; i++)
    {
      uint32_t code;

      if (unit == 1)
        code = bytes[i];
      else if (unit == 2)
        {
          uint16_t u;

          memcpy (&u, bytes + 2 * i, 2);
          code = u;
        }
      else
        memcpy (&code, bytes + 4 * i, 4);
      if (code == 0 || code > 127)
        return false;
      out[i] = (char) code;
    }
  out[n] = '\0';
  return true;
}

static size_t
text_unit (enum matio_types data_type)
{
  switch (data_type)
    {
    case MAT_T_INT8:
    case MAT_T_UINT8:
    case MAT_T_UTF8:
      return 1;
    case MAT_T_INT16:
    case MAT_T_UINT16:
    case MAT_T_UTF16:
      return 2;
    case MAT_T_INT32:
    case MAT_T_UINT32:
    case MAT_T_UTF32:
      return 4;
    default:
      return 0;
    }
}

/* Reads the char array @var into @out. Text too long for @out, or not plain ASCII after a full
 * read, comes back as "": it is no name or type we look for. In the selective mode, text that
 * does not decode as ASCII may be a misread, so the load starts again with full reads. */
static TextResult
read_text (Loader *l, matvar_t *var, char *out, size_t size)
{
  TextResult failed = l->full ? TEXT_OK : TEXT_RETRY_FULL;
  size_t n, unit;

  out[0] = '\0';
  if (var->class_type != MAT_C_CHAR || var->isComplex || !var_numel (var, &n))
    return TEXT_NOT_TEXT;
  if (n == 0 || n >= size)
    return TEXT_OK;

  if (var->data == NULL && !l->full && var->compression == MAT_COMPRESSION_NONE)
    {
      /* Uncompressed: matio can read this one variable whole. */
      if (Mat_VarReadDataAll (l->mat, var) != 0)
        return TEXT_RETRY_FULL;
    }

  if (var->data != NULL)
    {
      unit = text_unit (var->data_type);
      if (unit == 0 || var->nbytes < n * unit)
        return l->full ? TEXT_NOT_TEXT : TEXT_RETRY_FULL;
      if (decode_ascii (var->data, unit, n, out))
        return TEXT_OK;
      out[0] = '\0';
      return failed;
    }

  if (l->full)
    return TEXT_NOT_TEXT;

  /* Compressed, not read yet: matio's linear reader only takes numeric classes, so read the code
   * units as uint8 or uint16 numbers. Slots it did not fill stay 0xff.., which is not ASCII. */
  unit = text_unit (var->data_type);
  if (unit == 1 || unit == 2)
    {
      uint16_t units[TEXT_SIZE];
      enum matio_classes saved = var->class_type;
      int ret;

      memset (units, 0xff, sizeof units);
      var->class_type = (unit == 1) ? MAT_C_UINT8 : MAT_C_UINT16;
      ret = Mat_VarReadDataLinear (l->mat, var, units, 0, 1, (int) n);
      var->class_type = saved;
      if (ret == 0 && decode_ascii (units, unit, n, out))
        return TEXT_OK;
    }
  return TEXT_RETRY_FULL;
}

/* Checks that @var is a real single or double array; @what names it in the message. */
static ImpastoStatus
check_numeric (Loader *l, const matvar_t *var, const char *what)
{
  if (var->class_type != MAT_C_SINGLE && var->class_type != MAT_C_DOUBLE)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: %s: expected single or double numbers, found %s", l->path,
                              what, class_name (var->class_type));
  if (var->isComplex)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: %s: expected real numbers, found complex ones", l->path, what);
  return IMPASTO_STATUS_OK;
}

/* Reads all @n values of the single or double array @var as floats into @out (MATLAB order). */
static ImpastoStatus
read_floats (Loader *l, matvar_t *var, float *out, size_t n, const char *what)
{
  bool is_double = var->class_type == MAT_C_DOUBLE;
  size_t elem = is_double ? sizeof (double) : sizeof (float);
  double *doubles = NULL;
  void *target = out;
  char detail[200];
  int ret;

  if (n == 0)
    return IMPASTO_STATUS_OK;
  if (n > INT_MAX)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: %s are too big (%zu values)", l->path, what, n);

  if (is_double)
    {
      doubles = malloc (n * sizeof *doubles);
      if (doubles == NULL)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                  "%s: out of memory reading %s", l->path, what);
      target = doubles;
    }

  if (l->full || var->data != NULL)
    {
      if (var->data == NULL || var->nbytes < n * elem)
        ret = -1;
      else
        {
          memcpy (target, var->data, n * elem);
          ret = 0;
        }
    }
  else
    {
      /* A short read leaves NaN behind, which the checks below refuse. */
      if (is_double)
        for (size_t i = 0; i < n; i++)
          doubles[i] = NAN;
      else
        for (size_t i = 0; i < n; i++)
          out[i] = NAN;
      matio_message[0] = '\0';
      ret = Mat_VarReadDataLinear (l->mat, var, target, 0, 1, (int) n);
    }

  if (ret != 0)
    {
      free (doubles);
      return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                "%s: cannot read %s; the file is damaged%s", l->path, what,
                                matio_detail (detail, sizeof detail));
    }
  if (is_double)
    {
      for (size_t i = 0; i < n; i++)
        out[i] = (float) doubles[i];
      free (doubles);
    }
  return IMPASTO_STATUS_OK;
}

/* A numeric field that must be all @expected if present (pad 1, stride 1, dilate 1). */
static ImpastoStatus
check_all_equal (Loader *l, matvar_t *layer, const char *layer_name, const char *name,
                 float expected)
{
  matvar_t *var = field (layer, name);
  char what[96];
  float values[8];
  size_t n;
  ImpastoStatus status;

  if (var == NULL)
    return IMPASTO_STATUS_OK;
  snprintf (what, sizeof what, "the %s of layer %s", name, layer_name);
  status = check_numeric (l, var, what);
  if (status != IMPASTO_STATUS_OK)
    return status;
  if (!var_numel (var, &n) || n == 0 || n > 8)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has a %s with an odd shape", l->path, layer_name,
                              name);
  status = read_floats (l, var, values, n, what);
  if (status != IMPASTO_STATUS_OK)
    return status;
  for (size_t i = 0; i < n; i++)
    if (values[i] != expected)
      return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                "%s: layer %s uses %s %g; VGG19 uses %g", l->path, layer_name,
                                name, (double) values[i], (double) expected);
  return IMPASTO_STATUS_OK;
}

/* Reads one conv layer (its filters, biases, pad and stride) into @conv. */
static ImpastoStatus
load_conv (Loader *l, matvar_t *layer, const char *name, ImpastoConvWeights *conv)
{
  matvar_t *weights = field (layer, "weights");
  matvar_t *filters, *biases;
  size_t dims[4] = { 1, 1, 1, 1 };
  size_t cin, cout, n_filters, n_biases, n_long = 0;
  char what[96], shape[64];
  float *matlab;
  ImpastoStatus status;

  if (weights != NULL)
    {
      size_t n;

      if (weights->class_type != MAT_C_CELL)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %s has weights that are %s, not a cell "
                                  "{filters, biases}", l->path, name,
                                  class_name (weights->class_type));
      if (!var_numel (weights, &n) || n < 2)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %s has weights without both filters and biases",
                                  l->path, name);
      filters = cell_at (weights, 0);
      biases = cell_at (weights, 1);
    }
  else
    {
      /* The older files keep them in separate fields. */
      filters = field (layer, "filters");
      biases = field (layer, "biases");
    }
  if (filters == NULL)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has no filters (neither a weights cell nor a "
                              "filters field)", l->path, name);
  if (biases == NULL)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has no biases", l->path, name);

  snprintf (what, sizeof what, "the filters of layer %s", name);
  status = check_numeric (l, filters, what);
  if (status != IMPASTO_STATUS_OK)
    return status;
  /* MATLAB drops trailing singleton dimensions: 3x3xCin is a single output channel. */
  if (filters->rank < 2 || filters->rank > 4 || filters->dims == NULL)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has %d-dimensional filters; expected 3×3×Cin×Cout",
                              l->path, name, filters->rank);
  for (int i = 0; i < filters->rank; i++)
    dims[i] = filters->dims[i];
  if (dims[0] != 3 || dims[1] != 3)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has a %zu×%zu filter; VGG19 uses 3×3",
                              l->path, name, dims[0], dims[1]);
  cin = dims[2];
  cout = dims[3];
  if (cin == 0 || cout == 0 || cin > MAX_CHANNELS || cout > MAX_CHANNELS)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has filters of %s, which is no VGG19 layer",
                              l->path, name, format_dims (filters, shape, sizeof shape));

  snprintf (what, sizeof what, "the biases of layer %s", name);
  status = check_numeric (l, biases, what);
  if (status != IMPASTO_STATUS_OK)
    return status;
  if (!var_numel (biases, &n_biases))
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has biases of an impossible size", l->path, name);
  for (int i = 0; i < biases->rank; i++)
    if (biases->dims[i] != 1)
      n_long++;
  if (n_biases != cout || n_long > 1)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s has %s biases for %zu filters; expected one per "
                              "filter", l->path, name, format_dims (biases, shape, sizeof shape),
                              cout);

  status = check_all_equal (l, layer, name, "stride", 1.0f);
  if (status == IMPASTO_STATUS_OK)
    status = check_all_equal (l, layer, name, "pad", 1.0f);
  if (status == IMPASTO_STATUS_OK)
    status = check_all_equal (l, layer, name, "dilate", 1.0f);
  if (status != IMPASTO_STATUS_OK)
    return status;

  n_filters = 9 * cin * cout;
  conv->in_channels = (int) cin;
  conv->out_channels = (int) cout;
  conv->filters = impasto_alloc_floats_untouched (n_filters);
  conv->biases = impasto_alloc_floats_untouched (cout);
  matlab = malloc (n_filters * sizeof *matlab);
  if (conv->filters == NULL || conv->biases == NULL || matlab == NULL)
    {
      free (matlab);
      return impasto_engine_error_set (l->error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                "%s: out of memory for layer %s", l->path, name);
    }

  snprintf (what, sizeof what, "the filters of layer %s", name);
  status = read_floats (l, filters, matlab, n_filters, what);
  if (status == IMPASTO_STATUS_OK)
    {
      snprintf (what, sizeof what, "the biases of layer %s", name);
      status = read_floats (l, biases, conv->biases, cout, what);
    }
  if (status == IMPASTO_STATUS_OK)
    {
      /* (i, j, c, k) at i + 3j + 9c + 9 Cin k  ->  [k][c][ky = i][kx = j] */
      for (size_t k = 0; k < cout; k++)
        for (size_t c = 0; c < cin; c++)
          for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 3; j++)
              conv->filters[((k * cin + c) * 3 + i) * 3 + j] = matlab[i + 3 * j + 9 * c
                                                                      + 9 * cin * k];
    }
  free (matlab);
  return status;
}

static ImpastoStatus
load_layers (Loader *l, ImpastoWeights *weights)
{
  bool seen[IMPASTO_VGG19_N_CONVS] = { false };
  int last = -1;
  int n_found = 0;
  size_t n_layers;
  char shape[64];

  if (l->layers->class_type != MAT_C_CELL)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: `layers` is %s, not a cell array of layers%s", l->path,
                              class_name (l->layers->class_type),
                              l->layers->class_type == MAT_C_STRUCT
                                ? " (a DagNN network? Impasto reads the SimpleNN format)" : "");
  if (!var_numel (l->layers, &n_layers) || n_layers > INT_MAX)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: `layers` has an impossible size", l->path);

  for (size_t i = 0; i < n_layers; i++)
    {
      matvar_t *layer = cell_at (l->layers, i);
      matvar_t *type_var, *name_var;
      char type[TEXT_SIZE], name[TEXT_SIZE];
      size_t numel;
      TextResult text;
      int index;
      ImpastoStatus status;

      if (layer == NULL)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %zu of %zu cannot be read; the file is damaged",
                                  l->path, i + 1, n_layers);
      if (layer->class_type != MAT_C_STRUCT || !var_numel (layer, &numel) || numel != 1)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %zu is %s %s, not a single struct", l->path, i + 1,
                                  format_dims (layer, shape, sizeof shape),
                                  class_name (layer->class_type));

      type_var = field (layer, "type");
      if (type_var == NULL)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %zu has no type", l->path, i + 1);
      text = read_text (l, type_var, type, sizeof type);
      if (text == TEXT_RETRY_FULL)
        return RETRY_FULL;
      if (text == TEXT_NOT_TEXT)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: the type of layer %zu is not text", l->path, i + 1);

      /* relu, pool, softmax, dropout, ...: nothing to keep. */
      if (strcmp (type, "conv") != 0)
        continue;

      name_var = field (layer, "name");
      if (name_var == NULL)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: conv layer %zu has no name", l->path, i + 1);
      text = read_text (l, name_var, name, sizeof name);
      if (text == TEXT_RETRY_FULL)
        return RETRY_FULL;
      if (text == TEXT_NOT_TEXT)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: the name of layer %zu is not text", l->path, i + 1);

      /* fc6, fc7, fc8 (and any other conv) are never read. */
      index = conv_index_exact (name);
      if (index < 0)
        continue;
      if (seen[index])
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %s appears twice", l->path, name);
      if (index < last)
        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %s comes after %s; the layers are out of order",
                                  l->path, name, conv_name (last));
      status = load_conv (l, layer, name, &weights->convs[index]);
      if (status != IMPASTO_STATUS_OK)
        return status;
      seen[index] = true;
      last = index;
      n_found++;
    }

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (!seen[i])
      {
        /* VGG16 is the usual mix-up: it lacks conv3_4, conv4_4 and conv5_4. */
        bool vgg16 = n_found == 13 && !seen[7] && !seen[11] && !seen[15];

        return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                  "%s: layer %s is missing (found %d of VGG19's 16 "
                                  "convolutions)%s", l->path, conv_name (i), n_found,
                                  vgg16 ? "; this looks like VGG16" : "");
      }
  return IMPASTO_STATUS_OK;
}

static ImpastoStatus
load_mean (Loader *l, ImpastoWeights *weights)
{
  matvar_t *normalization = NULL;
  matvar_t *average;
  const char *where = "meta.normalization.averageImage";
  size_t numel, n_long = 0;
  char shape[64];
  float *values;
  double sums[3] = { 0, 0, 0 };
  size_t per_channel;
  ImpastoStatus status;

  if (l->meta != NULL)
    normalization = field (l->meta, "normalization");
  if (normalization == NULL && l->normalization != NULL)
    {
      normalization = l->normalization;
      where = "normalization.averageImage";
    }
  average = field (normalization, "averageImage");
  if (average == NULL || !var_numel (average, &numel) || numel == 0)
    return IMPASTO_STATUS_OK; /* no mean in the file: keep the default */

  status = check_numeric (l, average, where);
  if (status != IMPASTO_STATUS_OK)
    return status;
  for (int i = 0; i < average->rank; i++)
    if (average->dims[i] != 1)
      n_long++;
  if (numel == 3 && n_long == 1)
    per_channel = 1; /* 1x1x3 or a 3-vector */
  else if (average->rank == 3 && average->dims[2] == 3 && numel <= 3 * (size_t) MAX_MEAN_PIXELS)
    per_channel = average->dims[0] * average->dims[1]; /* a mean image */
  else
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: %s is %s; expected 1×1×3, a 3-vector or H×W×3", l->path,
                              where, format_dims (average, shape, sizeof shape));

  values = malloc (numel * sizeof *values);
  if (values == NULL)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_OUT_OF_MEMORY,
                              "%s: out of memory reading %s", l->path, where);
  status = read_floats (l, average, values, numel, where);
  if (status == IMPASTO_STATUS_OK)
    {
      /* Column-major H x W x 3: channel c is the c-th block of H W values. */
      for (size_t c = 0; c < 3; c++)
        for (size_t k = 0; k < per_channel; k++)
          sums[c] += values[c * per_channel + k];
      for (int c = 0; c < 3; c++)
        weights->mean_pixel[c] = (float) (sums[c] / (double) per_channel);
    }
  free (values);
  if (status != IMPASTO_STATUS_OK)
    return status;

  for (int c = 0; c < 3; c++)
    if (!isfinite (weights->mean_pixel[c]) || weights->mean_pixel[c] < 0.0f
        || weights->mean_pixel[c] > 255.0f)
      return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                                "%s: %s averages to (%g, %g, %g), which is not a pixel on "
                                "the 0..255 scale", l->path, where,
                                (double) weights->mean_pixel[0], (double) weights->mean_pixel[1],
                                (double) weights->mean_pixel[2]);
  if (weights->mean_pixel[0] <= 1.0f && weights->mean_pixel[1] <= 1.0f
      && weights->mean_pixel[2] <= 1.0f)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: %s is (%g, %g, %g), which looks like a 0..1 scale; "
                              "MatConvNet networks use 0..255", l->path, where,
                              (double) weights->mean_pixel[0], (double) weights->mean_pixel[1],
                              (double) weights->mean_pixel[2]);
  weights->mean_from_file = true;
  return IMPASTO_STATUS_OK;
}

static void
loader_clear_variables (Loader *l)
{
  Mat_VarFree (l->layers);
  Mat_VarFree (l->meta);
  Mat_VarFree (l->normalization);
  l->layers = l->meta = l->normalization = NULL;
}

static void
weights_clear_convs (ImpastoWeights *weights)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      if (!weights->borrowed && weights->mapping == NULL)
        {
          free (weights->convs[i].filters);
          free (weights->convs[i].biases);
        }
      memset (&weights->convs[i], 0, sizeof weights->convs[i]);
    }
}

/* Steps 2 and 3 in the loader's mode: the variables, then the convs and the mean. */
static ImpastoStatus
load_pass (Loader *l, int n_variables, ImpastoWeights *weights)
{
  int n_read = 0;
  char detail[200];
  ImpastoStatus status;

  if (Mat_Rewind (l->mat) != 0)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_IO, "%s: cannot read the file", l->path);
  matio_message[0] = '\0';
  for (;;)
    {
      matvar_t *var = l->full ? Mat_VarReadNext (l->mat) : Mat_VarReadNextInfo (l->mat);
      matvar_t **slot = NULL;

      if (var == NULL)
        break;
      n_read++;
      if (var->name != NULL && strcmp (var->name, "layers") == 0)
        slot = &l->layers;
      else if (var->name != NULL && strcmp (var->name, "meta") == 0)
        slot = &l->meta;
      else if (var->name != NULL && strcmp (var->name, "normalization") == 0)
        slot = &l->normalization;
      if (slot != NULL && *slot == NULL)
        *slot = var;
      else
        Mat_VarFree (var);
    }

  if (n_variables >= 0 && n_read < n_variables)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: variable %d of %d cannot be read; the file is damaged%s",
                              l->path, n_read + 1, n_variables,
                              matio_detail (detail, sizeof detail));
  if (l->layers == NULL)
    return impasto_engine_error_set (l->error, IMPASTO_STATUS_MODEL,
                              "%s: no `layers` variable; not a MatConvNet network", l->path);

  status = load_layers (l, weights);
  if (status == IMPASTO_STATUS_OK)
    status = load_mean (l, weights);
  return status;
}

static void
set_default_mean (ImpastoWeights *weights)
{
  weights->mean_pixel[0] = IMPASTO_DEFAULT_MEAN_R;
  weights->mean_pixel[1] = IMPASTO_DEFAULT_MEAN_G;
  weights->mean_pixel[2] = IMPASTO_DEFAULT_MEAN_B;
  weights->mean_from_file = false;
}

/* The caller's progress callback across the reader's passes and matio: only ever forward. */
typedef struct
{
  const ImpastoWeightsLoadOptions *options;
  uint64_t reported;
} Progress;

static bool
forward_progress (uint64_t done, uint64_t total, void *data)
{
  Progress *p = data;

  if (done <= p->reported && p->reported != 0)
    return true;
  p->reported = done;
  return p->options->progress (done, total, p->options->progress_data);
}

/* The reader's options for @options, its progress through @progress. */
static ImpastoMatReadOptions
read_options_for (const ImpastoWeightsLoadOptions *options, Progress *progress, bool whole)
{
  ImpastoMatReadOptions read_options = {
    .whole_file = whole,
    .progress = options->progress != NULL ? forward_progress : NULL,
    .progress_data = progress,
    .input = options->input,
    .input_data = options->input_data,
    .should_stop = options->should_stop,
    .should_stop_data = options->should_stop_data,
  };

  return read_options;
}

/* The model's reader (impasto-mat-reader.c) with @options: IMPASTO_STATUS_OK with the weights,
 * IMPASTO_WEIGHTS_DECLINED when it does not take the file or when what it read fails validation
 * (the matio reader then words the refusal, having perhaps found the file damaged in places the
 * reader does not read in the weights-only scope), or another failure of the reader. */
static ImpastoStatus
load_fast (ImpastoWeights **out,
           const char *path,
           const ImpastoWeightsLoadOptions *options,
           Progress *progress,
           ImpastoEngineError *error)
{
  ImpastoMatReadOptions read_options = read_options_for (options, progress,
                                                         options->check_whole_file);
  ImpastoEngineError fast_error = { 0 };
  ImpastoMatNetwork network = { 0 };
  ImpastoWeights *weights;
  ImpastoStatus status;

  weights = calloc (1, sizeof *weights);
  if (weights == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory", path);
  set_default_mean (weights);
  status = impasto_mat_read (&network, path, &read_options, &fast_error);
  /* The weights own the arrays now. */
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    weights->convs[i] = (ImpastoConvWeights) { network.convs[i].in_channels,
                                               network.convs[i].out_channels,
                                               network.convs[i].filters,
                                               network.convs[i].biases };
  if (network.mean_from_file)
    {
      memcpy (weights->mean_pixel, network.mean_pixel, sizeof weights->mean_pixel);
      weights->mean_from_file = true;
    }
  if (status == IMPASTO_STATUS_OK
      && impasto_weights_validate (weights, path, &fast_error) != IMPASTO_STATUS_OK)
    status = IMPASTO_WEIGHTS_DECLINED;
  if (status == IMPASTO_STATUS_OK)
    {
      weights->source_path = strdup (path);
      if (weights->source_path == NULL)
        status = impasto_engine_error_set (&fast_error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                           "%s: out of memory", path);
    }
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_weights_free (weights);
      if (status == IMPASTO_WEIGHTS_DECLINED)
        return impasto_engine_error_set (error, status, "%s: the fast reader declines the file: %s",
                                         path, fast_error.message);
      if (error != NULL)
        *error = fast_error;
      return status;
    }
  *out = weights;
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_weights_load (ImpastoWeights **out, const char *path, ImpastoEngineError *error)
{
  return impasto_weights_load_with_options (out, path, NULL, error);
}

ImpastoStatus
impasto_weights_load_with_reader (ImpastoWeights **out,
                                  const char *path,
                                  ImpastoWeightsReader reader,
                                  ImpastoEngineError *error)
{
  ImpastoWeightsLoadOptions options = { .reader = reader };

  return impasto_weights_load_with_options (out, path, &options, error);
}

/* The file's last progress report, once matio is done with it. */
static ImpastoStatus
report_done (const char *path,
             const ImpastoWeightsLoadOptions *options,
             Progress *progress,
             ImpastoEngineError *error)
{
  struct stat st;

  if (options->progress == NULL || stat (path, &st) != 0)
    return IMPASTO_STATUS_OK;
  if (!forward_progress ((uint64_t) st.st_size, (uint64_t) st.st_size, progress))
    return impasto_engine_error_set (error, IMPASTO_STATUS_CANCELLED, "%s: reading stopped", path);
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_weights_load_with_options (ImpastoWeights **out,
                                   const char *path,
                                   const ImpastoWeightsLoadOptions *options,
                                   ImpastoEngineError *error)
{
  static const ImpastoWeightsLoadOptions defaults = { .reader = IMPASTO_WEIGHTS_READER_AUTO };
  Loader l = { 0 };
  Progress progress = { 0 };
  ImpastoWeights *weights;
  ImpastoStatus status;
  bool checked = false;
  int n_variables;
  char detail[200];

  if (out == NULL || path == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_load: no %s given", out ? "path" : "output");
  *out = NULL;
  if (options == NULL)
    options = &defaults;
  progress.options = options;

  /* Not a MAT-file, or cut short: the same refusal whichever reader was asked for. */
  status = check_file (path, &n_variables, error);
  if (status != IMPASTO_STATUS_OK)
    return status;

  /* The model's reader first; matio, below, for whatever it declines, and for the messages
   * about broken files. */
  if (options->reader != IMPASTO_WEIGHTS_READER_MATIO)
    {
      bool only_fast = options->reader == IMPASTO_WEIGHTS_READER_FAST;
      ImpastoEngineError fast_error = { 0 };

      if (n_variables < 0)
        status = impasto_engine_error_set (&fast_error, IMPASTO_WEIGHTS_DECLINED,
                                           "%s: the fast reader declines the file: it is a v7.3 "
                                           "(HDF5) MAT-file", path);
      else
        status = load_fast (out, path, options, &progress, &fast_error);
      if (status == IMPASTO_STATUS_OK || status == IMPASTO_STATUS_CANCELLED
          || (only_fast && status == IMPASTO_WEIGHTS_DECLINED))
        {
          if (status != IMPASTO_STATUS_OK && error != NULL)
            *error = fast_error;
          return status;
        }
      if (only_fast)
        {
          /* Damage it found: FAST only ever declines. */
          const char *message = fast_error.message;
          size_t n = strlen (path);

          if (strncmp (message, path, n) == 0 && strncmp (message + n, ": ", 2) == 0)
            message += n + 2;
          return impasto_engine_error_set (error, IMPASTO_WEIGHTS_DECLINED,
                                           "%s: the fast reader declines the file: %s", path,
                                           message);
        }
      if (options->check_whole_file)
        {
          /* That pass has checked the whole file: damage is the answer, a decline goes to
           * matio. */
          if (status != IMPASTO_WEIGHTS_DECLINED)
            {
              if (error != NULL)
                *error = fast_error;
              return status;
            }
          checked = n_variables > 0;
        }
    }

  pthread_once (&matio_log_once, matio_log_init);
  /* matio trusts the sizes inside a file (a few damaged bytes can make it allocate gigabytes or
   * crash): the reader checks the whole structure and inflates every compressed variable first,
   * unless it just did. */
  if (n_variables > 0 && !checked)
    {
      ImpastoMatReadOptions check = read_options_for (options, &progress, true);

      status = impasto_mat_read (NULL, path, &check, error);
      if (status != IMPASTO_STATUS_OK)
        return status;
    }

  weights = calloc (1, sizeof *weights);
  if (weights == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory", path);
  set_default_mean (weights);

  l.path = path;
  l.error = error;
  matio_message[0] = '\0';
  l.mat = Mat_Open (path, MAT_ACC_RDONLY);
  if (l.mat == NULL)
    {
      free (weights);
      return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                "%s: not a MATLAB .mat file that can be read%s", path,
                                matio_detail (detail, sizeof detail));
    }

  status = load_pass (&l, n_variables, weights);
  if (status == RETRY_FULL)
    {
      /* Some text could not be read selectively: read everything the ordinary way. */
      loader_clear_variables (&l);
      weights_clear_convs (weights);
      set_default_mean (weights);
      l.full = true;
      status = load_pass (&l, n_variables, weights);
      if (status == RETRY_FULL)
        status = impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                    "%s: cannot read the layer names", path);
    }
  loader_clear_variables (&l);
  Mat_Close (l.mat);

  if (status == IMPASTO_STATUS_OK)
    {
      /* The same checks as for arrays from a caller, but here a bad value means a bad file. */
      status = impasto_weights_validate (weights, path, error);
      if (status == IMPASTO_STATUS_INVALID_ARGUMENT)
        {
          status = IMPASTO_STATUS_MODEL;
          if (error != NULL)
            error->status = status;
        }
    }
  if (status == IMPASTO_STATUS_OK)
    {
      weights->source_path = strdup (path);
      if (weights->source_path == NULL)
        status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory",
                                    path);
    }
  if (status == IMPASTO_STATUS_OK)
    status = report_done (path, options, &progress, error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_weights_free (weights);
      return status;
    }
  *out = weights;
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_weights_new (ImpastoWeights **out,
                     const int *channels,
                     const float *const *filters,
                     const float *const *biases,
                     const float *mean_pixel,
                     ImpastoEngineError *error)
{
  ImpastoWeights *weights;
  ImpastoStatus status;

  if (out == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_new: no output given");
  *out = NULL;
  if (channels == NULL || filters == NULL || biases == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_new: no %s given",
                              channels == NULL ? "channels" : filters == NULL ? "filters"
                                                                              : "biases");
  for (int i = 0; i <= IMPASTO_VGG19_N_CONVS; i++)
    if (channels[i] <= 0 || channels[i] > MAX_CHANNELS)
      return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                "weights: channel count %d is %d; expected 1 ... %d", i,
                                channels[i], MAX_CHANNELS);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (filters[i] == NULL || biases[i] == NULL)
      return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                "weights: layer %s has no %s", conv_name (i),
                                filters[i] == NULL ? "filters" : "biases");

  weights = calloc (1, sizeof *weights);
  if (weights == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "weights: out of memory");

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      ImpastoConvWeights *conv = &weights->convs[i];
      size_t cin = (size_t) channels[i];
      size_t cout = (size_t) channels[i + 1];

      conv->in_channels = channels[i];
      conv->out_channels = channels[i + 1];
      conv->filters = impasto_alloc_floats_untouched (9 * cin * cout);
      conv->biases = impasto_alloc_floats_untouched (cout);
      if (conv->filters == NULL || conv->biases == NULL)
        {
          impasto_weights_free (weights);
          return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                    "weights: out of memory for layer %s", conv_name (i));
        }
      memcpy (conv->filters, filters[i], 9 * cin * cout * sizeof (float));
      memcpy (conv->biases, biases[i], cout * sizeof (float));
    }

  if (mean_pixel != NULL)
    {
      memcpy (weights->mean_pixel, mean_pixel, sizeof weights->mean_pixel);
      weights->mean_from_file = true;
    }
  else
    set_default_mean (weights);

  status = impasto_weights_validate (weights, "weights", error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_weights_free (weights);
      return status;
    }
  *out = weights;
  return IMPASTO_STATUS_OK;
}

void
impasto_weights_free (ImpastoWeights *weights)
{
  if (weights == NULL)
    return;
  weights_clear_convs (weights);
  if (weights->mapping != NULL)
    {
      munmap (weights->mapping, weights->mapping_size);
      close (weights->mapping_fd);
    }
  free (weights->source_path);
  free (weights);
}

ImpastoStatus
impasto_weights_check_mapping (const ImpastoWeights *weights, ImpastoEngineError *error)
{
  struct stat st;

  if (weights == NULL || weights->mapping == NULL)
    return IMPASTO_STATUS_OK;
  if (fstat (weights->mapping_fd, &st) != 0 || (uint64_t) st.st_size < weights->mapping_size)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model file was cut short on disk while in use; load the "
                              "model again", weights->source_path != NULL ? weights->source_path
                                                                          : "model");
  return IMPASTO_STATUS_OK;
}

void
impasto_weights_release_pages (const ImpastoWeights *weights)
{
  /* MADV_DONTNEED on a private, read-only file mapping drops the pages from this process only;
   * the data stays in the page cache and in the file. */
  if (weights != NULL && weights->mapping != NULL)
    madvise (weights->mapping, weights->mapping_size, MADV_DONTNEED);
}

/* The first non-finite value of @values, or -1. */
static long long
first_non_finite (const float *values, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return (long long) i;
  return -1;
}

ImpastoStatus
impasto_weights_validate (const ImpastoWeights *weights, const char *what, ImpastoEngineError *error)
{
  if (what == NULL)
    what = (weights != NULL && weights->source_path != NULL) ? weights->source_path : "weights";
  if (weights == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT, "%s: no weights", what);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];
      int expected = (i == 0) ? 3 : weights->convs[i - 1].out_channels;
      size_t cin, cout;
      long long bad;

      if (conv->in_channels <= 0 || conv->out_channels <= 0)
        return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                  "%s: layer %s has %d input and %d output channels", what,
                                  conv_name (i), conv->in_channels, conv->out_channels);
      if (conv->filters == NULL || conv->biases == NULL)
        return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                  "%s: layer %s has no %s", what, conv_name (i),
                                  conv->filters == NULL ? "filters" : "biases");
      if (conv->in_channels != expected)
        {
          if (i == 0)
            return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                      "%s: layer %s takes %d input channels; VGG19 starts from "
                                      "3 (RGB)", what, conv_name (i), conv->in_channels);
          return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                    "%s: layer %s takes %d input channels but %s gives %d; "
                                    "the layers do not chain", what, conv_name (i),
                                    conv->in_channels, conv_name (i - 1), expected);
        }

      cin = (size_t) conv->in_channels;
      cout = (size_t) conv->out_channels;
      bad = first_non_finite (conv->filters, 9 * cin * cout);
      if (bad >= 0)
        {
          size_t k = (size_t) bad;

          return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                    "%s: layer %s has a weight that is %s (filter %zu, input "
                                    "channel %zu, tap row %zu, column %zu)", what, conv_name (i),
                                    isnan (conv->filters[k]) ? "NaN (not a number)" : "infinite",
                                    k / (9 * cin), k / 9 % cin, k / 3 % 3, k % 3);
        }
      bad = first_non_finite (conv->biases, cout);
      if (bad >= 0)
        return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                  "%s: layer %s has a bias that is %s (filter %lld)", what,
                                  conv_name (i),
                                  isnan (conv->biases[bad]) ? "NaN (not a number)" : "infinite",
                                  bad);
    }

  for (int c = 0; c < 3; c++)
    if (!isfinite (weights->mean_pixel[c]))
      return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                "%s: the mean pixel is not finite", what);
  return IMPASTO_STATUS_OK;
}

size_t
impasto_weights_size (const ImpastoWeights *weights)
{
  size_t bytes = 0;

  if (weights == NULL)
    return 0;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];

      if (conv->in_channels > 0 && conv->out_channels > 0)
        bytes += (9 * (size_t) conv->in_channels + 1) * (size_t) conv->out_channels
                 * sizeof (float);
    }
  return bytes;
}
