/* impasto-mat-check.c
 *
 * The structural walk of a version-5 MAT-file described in impasto-mat-check.h. The format (The
 * MathWorks, "MAT-File Format"): a 128-byte header, then data elements, each an 8-byte tag (type,
 * byte count) or a "small" 8-byte element holding up to 4 bytes, padded to 8 bytes. A variable is
 * an miMATRIX element: array flags, dimensions, name, then by class the real and imaginary data,
 * the elements of a cell, or the field names and fields of a struct, each itself an miMATRIX. An
 * miCOMPRESSED element is a zlib stream holding one miMATRIX.
 *
 * The walk reads through a small reader that either reads the file (and seeks past numeric data)
 * or inflates a compressed variable into a scratch buffer; the bytes a parent has left bound
 * every child. Inflating is bounded too (64 bytes out per byte in, plus 64 MiB), so a zip bomb
 * costs time in proportion to its size, never memory.
 *
 * This file does not know what a network is and never calls matio.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "impasto-mat-check.h"

#define HEADER_SIZE 128
#define BUFFER_SIZE 65536
/* What a compressed variable may inflate to beyond 64 bytes per compressed byte. */
#define INFLATE_ALLOWANCE (64u << 20)
#define INFLATE_RATIO 64

enum
{
  MI_INT8 = 1, MI_UINT8 = 2, MI_INT16 = 3, MI_UINT16 = 4, MI_INT32 = 5, MI_UINT32 = 6,
  MI_SINGLE = 7, MI_DOUBLE = 9, MI_INT64 = 12, MI_UINT64 = 13, MI_MATRIX = 14,
  MI_COMPRESSED = 15, MI_UTF8 = 16, MI_UTF16 = 17, MI_UTF32 = 18,
};

enum
{
  MX_CELL = 1, MX_STRUCT = 2, MX_OBJECT = 3, MX_CHAR = 4, MX_SPARSE = 5, MX_DOUBLE = 6,
  MX_UINT64 = 15,
};

#define FLAG_COMPLEX 0x0800u

typedef struct
{
  FILE *file;
  const char *path;
  bool (*should_stop) (void *data);
  void *should_stop_data;
  bool swap;                /* the file is big-endian */
  int variable;             /* 1-based, for messages */
  ImpastoEngineError *error;
  ImpastoStatus status;     /* the first failure; IMPASTO_STATUS_OK while all is well */
  uint64_t n_arrays;

  /* While inside an miCOMPRESSED element: */
  bool compressed;
  z_stream z;
  uint64_t in_left;         /* compressed bytes not yet read from the file */
  uint64_t out_total;
  uint64_t out_limit;
  bool stream_end;
  unsigned char in[BUFFER_SIZE];
  unsigned char scratch[BUFFER_SIZE];
} Reader;

typedef struct
{
  uint32_t type;
  uint32_t nbytes;
  uint32_t padding;         /* bytes after the data up to the next 8-byte boundary */
  bool small;
  unsigned char data[4];    /* a small element's bytes */
} Tag;

static bool
fail (Reader *r, ImpastoStatus status, const char *problem)
{
  if (r->status == IMPASTO_STATUS_OK)
    {
      r->status = status;
      impasto_engine_error_set (r->error, status, "%s: the file is damaged (variable %d: %s)", r->path,
                         r->variable, problem);
    }
  return false;
}

static uint32_t
get_u32 (const Reader *r, const unsigned char *p)
{
  if (r->swap)
    return (uint32_t) p[3] | (uint32_t) p[2] << 8 | (uint32_t) p[1] << 16
           | (uint32_t) p[0] << 24;
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* One call to inflate() into @out (@size > 0 bytes of room); adds what it produced to
 * @produced. Reads more compressed input from the file when zlib needs it. */
static bool
inflate_some (Reader *r, unsigned char *out, size_t size, size_t *produced)
{
  int ret;

  if (r->should_stop != NULL && r->should_stop (r->should_stop_data))
    {
      if (r->status == IMPASTO_STATUS_OK)
        r->status = impasto_engine_error_set (r->error, IMPASTO_STATUS_CANCELLED, "%s: check stopped",
                                       r->path);
      return false;
    }
  if (r->z.avail_in == 0 && r->in_left > 0)
    {
      size_t want = r->in_left < BUFFER_SIZE ? (size_t) r->in_left : BUFFER_SIZE;
      size_t got = fread (r->in, 1, want, r->file);

      if (got != want)
        return fail (r, ferror (r->file) ? IMPASTO_STATUS_IO : IMPASTO_STATUS_MODEL,
                     "cannot read its compressed data");
      r->in_left -= got;
      r->z.next_in = r->in;
      r->z.avail_in = (uInt) got;
    }
  r->z.next_out = out;
  r->z.avail_out = (uInt) size;
  ret = inflate (&r->z, Z_NO_FLUSH);
  *produced = size - r->z.avail_out;
  r->out_total += *produced;
  if (ret == Z_STREAM_END)
    r->stream_end = true;
  else if (ret == Z_BUF_ERROR && r->z.avail_in == 0 && r->in_left == 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its compressed data is cut short");
  else if (ret != Z_OK && ret != Z_BUF_ERROR)
    return fail (r, ret == Z_MEM_ERROR ? IMPASTO_STATUS_OUT_OF_MEMORY : IMPASTO_STATUS_MODEL,
                 "its compressed data is corrupt");
  if (r->out_total > r->out_limit)
    return fail (r, IMPASTO_STATUS_MODEL,
                 "its compressed data inflates to far more than such a file holds");
  return true;
}

/* Inflates exactly @size bytes into @out (NULL: into the scratch buffer, discarded). */
static bool
inflate_bytes (Reader *r, unsigned char *out, uint64_t size)
{
  while (size > 0)
    {
      size_t room = size < BUFFER_SIZE ? (size_t) size : BUFFER_SIZE;
      size_t produced = 0;

      if (r->stream_end)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data ends too early");
      if (!inflate_some (r, out != NULL ? out : r->scratch, room, &produced))
        return false;
      if (out != NULL)
        out += produced;
      size -= produced;
    }
  return true;
}

/* Reads exactly @size bytes into @out, or skips them when @out is NULL. */
static bool
read_bytes (Reader *r, void *out, uint64_t size)
{
  if (size == 0)
    return true;
  if (r->compressed)
    return inflate_bytes (r, out, size);
  if (out == NULL)
    {
      /* check_file() in impasto-weights.c has already matched every top-level element against
       * the file's size, and children are bounded by their parents. */
      if (size > INT64_MAX || fseeko (r->file, (off_t) size, SEEK_CUR) != 0)
        return fail (r, IMPASTO_STATUS_IO, "cannot seek in the file");
      return true;
    }
  if (fread (out, 1, (size_t) size, r->file) != size)
    return fail (r, ferror (r->file) ? IMPASTO_STATUS_IO : IMPASTO_STATUS_MODEL,
                 "the file ends inside it");
  return true;
}

/* Reads a tag within the @left bytes of its parent and takes the whole element, with its
 * padding, off @left. The data of a non-small element is still to be read (then its padding). */
static bool
read_tag (Reader *r, uint64_t *left, Tag *tag)
{
  unsigned char raw[8];
  uint32_t first;
  uint64_t padding;

  if (*left < 8)
    return fail (r, IMPASTO_STATUS_MODEL, "an element is cut short");
  if (!read_bytes (r, raw, 8))
    return false;
  *left -= 8;

  first = get_u32 (r, raw);
  if ((first >> 16) != 0)
    {
      tag->small = true;
      tag->type = first & 0xffffu;
      tag->nbytes = first >> 16;
      tag->padding = 0;
      if (tag->nbytes > 4)
        return fail (r, IMPASTO_STATUS_MODEL, "a small element claims more than 4 bytes");
      memcpy (tag->data, raw + 4, 4);
      return true;
    }

  tag->small = false;
  tag->type = first;
  tag->nbytes = get_u32 (r, raw + 4);
  if (tag->nbytes > *left)
    return fail (r, IMPASTO_STATUS_MODEL, "an element is larger than what holds it");
  *left -= tag->nbytes;
  /* A writer may leave the padding off the very last element of its parent. */
  padding = (8 - tag->nbytes % 8) % 8;
  tag->padding = (uint32_t) (padding <= *left ? padding : *left);
  *left -= tag->padding;
  return true;
}

/* Skips the rest of a non-small element: its data and padding. */
static bool
skip_element (Reader *r, const Tag *tag)
{
  if (tag->small)
    return true;
  return read_bytes (r, NULL, (uint64_t) tag->nbytes + tag->padding);
}

static size_t
type_size (uint32_t type)
{
  switch (type)
    {
    case MI_INT8: case MI_UINT8: case MI_UTF8: return 1;
    case MI_INT16: case MI_UINT16: case MI_UTF16: return 2;
    case MI_INT32: case MI_UINT32: case MI_SINGLE: case MI_UTF32: return 4;
    case MI_DOUBLE: case MI_INT64: case MI_UINT64: return 8;
    default: return 0;
    }
}

static bool parse_matrix (Reader *r, uint64_t nbytes, int depth);

/* One miMATRIX child (a cell element or a struct field) within @left. */
static bool
parse_child (Reader *r, uint64_t *left, int depth)
{
  Tag tag;

  if (!read_tag (r, left, &tag))
    return false;
  if (tag.small || tag.type != MI_MATRIX)
    return fail (r, IMPASTO_STATUS_MODEL, "an element of a cell or struct is not an array");
  return parse_matrix (r, tag.nbytes, depth + 1) && read_bytes (r, NULL, tag.padding);
}

/* The real or imaginary data of @numel values of class @class_type. */
static bool
parse_data (Reader *r, uint64_t *left, uint32_t class_type, uint64_t numel)
{
  Tag tag;
  size_t unit;

  if (!read_tag (r, left, &tag))
    return false;
  unit = type_size (tag.type);
  if (unit == 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its data has an unknown type");
  if (class_type == MX_CHAR && tag.type == MI_UTF8)
    {
      /* One to four bytes a character. */
      if (tag.nbytes < numel || tag.nbytes / 4 > numel)
        return fail (r, IMPASTO_STATUS_MODEL, "its text is not as long as its dimensions say");
    }
  else if ((uint64_t) tag.nbytes != numel * unit)
    return fail (r, IMPASTO_STATUS_MODEL, "its data is not as long as its dimensions say");
  return skip_element (r, &tag);
}

/* An element of @type with at most @max bytes, read into @out; its length goes to @length. */
static bool
read_field (Reader *r, uint64_t *left, uint32_t type, void *out, size_t max, uint32_t *length,
            const char *problem)
{
  Tag tag;

  if (!read_tag (r, left, &tag))
    return false;
  if (tag.type != type || tag.nbytes > max)
    return fail (r, IMPASTO_STATUS_MODEL, problem);
  *length = tag.nbytes;
  if (tag.small)
    {
      memcpy (out, tag.data, tag.nbytes);
      return true;
    }
  return read_bytes (r, out, tag.nbytes) && read_bytes (r, NULL, tag.padding);
}

/* Skips a text element (a name, a class name). */
static bool
skip_text (Reader *r, uint64_t *left, const char *problem)
{
  Tag tag;

  if (!read_tag (r, left, &tag))
    return false;
  if (tag.type != MI_INT8 && tag.type != MI_UINT8 && tag.type != MI_UTF8)
    return fail (r, IMPASTO_STATUS_MODEL, problem);
  return skip_element (r, &tag);
}

static bool
parse_struct_fields (Reader *r, uint64_t *left, uint64_t numel, int depth)
{
  unsigned char raw[4];
  uint32_t length;
  uint32_t name_length;
  uint64_t n_fields;
  Tag names;

  if (!read_field (r, left, MI_INT32, raw, sizeof raw, &length,
                   "its field name length is missing"))
    return false;
  if (length != 4)
    return fail (r, IMPASTO_STATUS_MODEL, "its field name length is missing");
  name_length = get_u32 (r, raw);

  if (!read_tag (r, left, &names))
    return false;
  if (names.type != MI_INT8 && names.type != MI_UINT8)
    return fail (r, IMPASTO_STATUS_MODEL, "its field names are missing");
  if (names.nbytes == 0)
    n_fields = 0;
  else if (name_length == 0 || names.nbytes % name_length != 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its field names do not match their length");
  else
    n_fields = names.nbytes / name_length;
  if (!skip_element (r, &names))
    return false;

  /* Every field of every element needs at least its 8-byte tag. */
  if (n_fields != 0 && numel > *left / 8 / n_fields)
    return fail (r, IMPASTO_STATUS_MODEL, "a struct declares more fields than it holds");
  for (uint64_t i = 0; i < numel * n_fields; i++)
    if (!parse_child (r, left, depth))
      return false;
  return true;
}

static bool
parse_matrix (Reader *r, uint64_t nbytes, int depth)
{
  unsigned char flags[8];
  unsigned char dims[4 * 64];
  uint32_t length = 0;
  uint32_t class_type;
  uint64_t numel = 1;
  uint64_t left = nbytes;
  bool complex;

  if (nbytes == 0)
    return true; /* an empty array, as MATLAB writes for [] in a cell */
  if (depth > IMPASTO_MAT_CHECK_MAX_DEPTH)
    return fail (r, IMPASTO_STATUS_MODEL, "its cells and structs nest too deeply");
  if (++r->n_arrays > IMPASTO_MAT_CHECK_MAX_ARRAYS)
    return fail (r, IMPASTO_STATUS_MODEL, "it holds far more arrays than a network file");

  if (!read_field (r, &left, MI_UINT32, flags, sizeof flags, &length,
                   "its array flags are missing"))
    return false;
  if (length != 8)
    return fail (r, IMPASTO_STATUS_MODEL, "its array flags are missing");
  class_type = get_u32 (r, flags) & 0xffu;
  complex = (get_u32 (r, flags) & FLAG_COMPLEX) != 0;

  if (!read_field (r, &left, MI_INT32, dims, sizeof dims, &length,
                   "its dimensions are missing or too many"))
    return false;
  if (length < 8 || length % 4 != 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its dimensions are missing");
  for (uint32_t i = 0; i < length / 4; i++)
    {
      int32_t dim = (int32_t) get_u32 (r, dims + 4 * i);

      if (dim < 0)
        return fail (r, IMPASTO_STATUS_MODEL, "it has a negative dimension");
      if (dim != 0 && numel > UINT32_MAX / (uint32_t) dim)
        return fail (r, IMPASTO_STATUS_MODEL, "its dimensions are impossibly large");
      numel *= (uint32_t) dim;
    }

  if (!skip_text (r, &left, "its name is missing"))
    return false;

  switch (class_type)
    {
    case MX_CELL:
      /* Every element needs at least its 8-byte tag. */
      if (numel > left / 8)
        return fail (r, IMPASTO_STATUS_MODEL, "a cell declares more elements than it holds");
      for (uint64_t i = 0; i < numel; i++)
        if (!parse_child (r, &left, depth))
          return false;
      break;

    case MX_OBJECT:
      if (!skip_text (r, &left, "its class name is missing")
          || !parse_struct_fields (r, &left, numel, depth))
        return false;
      break;

    case MX_STRUCT:
      if (!parse_struct_fields (r, &left, numel, depth))
        return false;
      break;

    case MX_SPARSE:
      /* Row indices, column starts, real and maybe imaginary values: any lengths. */
      for (int i = 0; i < (complex ? 4 : 3); i++)
        {
          Tag tag;

          if (!read_tag (r, &left, &tag))
            return false;
          if (type_size (tag.type) == 0)
            return fail (r, IMPASTO_STATUS_MODEL, "its sparse data has an unknown type");
          if (!skip_element (r, &tag))
            return false;
        }
      break;

    default:
      if (class_type != MX_CHAR && (class_type < MX_DOUBLE || class_type > MX_UINT64))
        return fail (r, IMPASTO_STATUS_MODEL, "it is a kind of array a network file never holds");
      if (!parse_data (r, &left, class_type, numel))
        return false;
      if (complex && !parse_data (r, &left, class_type, numel))
        return false;
      break;
    }

  /* Only padding may be left over. */
  if (left >= 8)
    return fail (r, IMPASTO_STATUS_MODEL, "it holds more bytes than its contents");
  return read_bytes (r, NULL, left);
}

/* Inflates what is left of the stream, which must end soon after the array (that checks its
 * Adler-32); a little trailing output is harmless to matio, more is refused. */
static bool
drain_stream (Reader *r, uint64_t array_end)
{
  while (!r->stream_end)
    {
      size_t produced = 0;

      if (!inflate_some (r, r->scratch, BUFFER_SIZE, &produced))
        return false;
      if (r->out_total > array_end + BUFFER_SIZE)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data goes on past the array");
      if (produced == 0 && !r->stream_end && r->z.avail_in == 0 && r->in_left == 0)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data is cut short");
    }
  return true;
}

/* The rest of the file, from the current position, is all zero bytes. */
static bool
check_zeros (Reader *r)
{
  size_t got;

  while ((got = fread (r->scratch, 1, BUFFER_SIZE, r->file)) > 0)
    for (size_t i = 0; i < got; i++)
      if (r->scratch[i] != 0)
        return fail (r, IMPASTO_STATUS_MODEL, "there is data after the end of the variables");
  if (ferror (r->file))
    return fail (r, IMPASTO_STATUS_IO, "cannot read the file");
  return true;
}

/* One top-level miCOMPRESSED element of @nbytes, the file positioned at its data. */
static bool
check_compressed (Reader *r, uint64_t nbytes)
{
  uint64_t inner_left = UINT64_MAX;
  Tag tag;
  bool ok;

  memset (&r->z, 0, sizeof r->z);
  if (inflateInit (&r->z) != Z_OK)
    return fail (r, IMPASTO_STATUS_OUT_OF_MEMORY, "cannot set up decompression");
  r->compressed = true;
  r->in_left = nbytes;
  r->stream_end = false;
  r->out_total = 0;
  r->out_limit = INFLATE_ALLOWANCE + INFLATE_RATIO * nbytes;

  /* The stream holds one miMATRIX: its tag, then that many bytes. */
  ok = read_tag (r, &inner_left, &tag);
  if (ok && (tag.small || tag.type != MI_MATRIX))
    ok = fail (r, IMPASTO_STATUS_MODEL, "its compressed data is not an array");
  ok = ok && parse_matrix (r, tag.nbytes, 0);
  ok = ok && drain_stream (r, 8 + (uint64_t) tag.nbytes);

  inflateEnd (&r->z);
  r->compressed = false;
  return ok;
}

ImpastoStatus
impasto_mat_check (const char *path, ImpastoEngineError *error)
{
  return impasto_mat_check_cancellable (path, NULL, NULL, error);
}

ImpastoStatus
impasto_mat_check_cancellable (const char *path,
                               bool (*should_stop) (void *data),
                               void *data,
                               ImpastoEngineError *error)
{
  unsigned char header[HEADER_SIZE];
  struct stat st;
  Reader *r;
  ImpastoStatus status;
  off_t position = HEADER_SIZE;

  r = calloc (1, sizeof *r);
  if (r == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory", path);
  r->path = path;
  r->error = error;
  r->should_stop = should_stop;
  r->should_stop_data = data;
  r->file = fopen (path, "rb");
  if (r->file == NULL)
    {
      int saved = errno;

      free (r);
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open the model file: %s",
                                path, strerror (saved));
    }
  if (fstat (fileno (r->file), &st) != 0 || fread (header, 1, HEADER_SIZE, r->file) != HEADER_SIZE
      || (header[126] != 'I' && header[126] != 'M'))
    {
      fclose (r->file);
      free (r);
      return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                "%s: not a version 5 MAT-file", path);
    }
  r->swap = header[126] == 'M';

  while (r->status == IMPASTO_STATUS_OK && position + 8 <= st.st_size)
    {
      uint64_t left = UINT64_MAX;
      Tag tag;

      r->variable++;
      if (fseeko (r->file, position, SEEK_SET) != 0)
        {
          fail (r, IMPASTO_STATUS_IO, "cannot seek in the file");
          break;
        }
      if (!read_tag (r, &left, &tag))
        break;
      if (!tag.small && tag.type == 0 && tag.nbytes == 0)
        {
          /* Zero padding at the end, as check_file() allows; matio reads on to the end of the
           * file, so all of the rest must be zeros too. */
          check_zeros (r);
          break;
        }
      if (tag.small || (tag.type != MI_MATRIX && tag.type != MI_COMPRESSED)
          || (uint64_t) tag.nbytes > (uint64_t) (st.st_size - position - 8))
        {
          fail (r, IMPASTO_STATUS_MODEL, "it does not start with an array tag");
          break;
        }
      if (tag.type == MI_COMPRESSED)
        check_compressed (r, tag.nbytes);
      else
        parse_matrix (r, tag.nbytes, 0);

      position += 8 + (off_t) tag.nbytes;
      if (tag.type == MI_MATRIX && position % 8 != 0)
        position += 8 - position % 8;
    }

  status = r->status;
  fclose (r->file);
  free (r);
  return status;
}
