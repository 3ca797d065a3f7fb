/* impasto-mat-reader.c
 *
 * The one MAT-v5 reader described in impasto-mat-reader.h. Each top-level variable is a byte
 * stream of its own: the file's bytes for a plain miMATRIX, zlib's output for a miCOMPRESSED one,
 * inflated a megabyte at a time into one buffer. The MAT structure is parsed straight off that
 * stream: array flags, dimensions, name, then cells element by element and structs field by
 * field. Two things are done with it in the same pass:
 *
 * - The check (check_array, walk_body): every element is walked as the format defines it, and
 *   must fit inside its parent; a cell or struct must hold as many elements as it declares,
 *   numeric data must be exactly as long as its dimensions say, nesting and the number of arrays
 *   are bounded, and no compressed variable may inflate to more than 64 bytes per compressed byte
 *   plus 64 MiB. A compressed variable is inflated to the end of its zlib stream, which makes
 *   zlib verify the stream's Adler-32. matio 1.5.23 trusts the sizes inside a file (a damaged
 *   file of a few kilobytes can make it allocate gigabytes, recurse without bound or crash), so
 *   no file reaches matio without this check.
 * - The weights (read_layers, read_meta, ...): what the matio reader in impasto-weights.c would
 *   look at is read as it streams past: the layers' type and name text, the conv filters, biases,
 *   stride, pad and dilate, and normalization.averageImage. Filters go straight from the stream
 *   into their final buffers, each MATLAB 3x3 block transposed in place (sink_put). Whatever the
 *   weights do not need is handed to the check, which walks it (whole-file scope) or skipped by
 *   its byte count (weights-only scope: inflated past, or seeked past in a plain file). In the
 *   weights-only scope the reader goes on after conv5_4 only while the following layers are small
 *   (so that a repeated conv right after it is still noticed) and stops at the first big field,
 *   which in the real file is fc6's 411 MB of weights: they are never inflated, and that stream's
 *   Adler-32 is not checked (an MD5 of the whole file, or the whole-file scope, is what can).
 *
 * Sameness with the matio reader is the contract: the same fields looked up by name (first match
 * wins), the same conversions ((float) of each stored value), the same mean arithmetic in the
 * same order. Anything the matio reader would refuse, or where its answer is not certain (text
 * in unusual encodings, int64 storage, big-endian files, empty elements where a value belongs),
 * makes the reader decline (IMPASTO_MAT_DECLINED) and the caller runs matio, whose messages the
 * user sees. In the whole-file scope a decline does not end the check: the file is walked again
 * from the start by the check alone (bytes already handed to the input callback are not handed
 * again), so a declined file is still checked completely before matio gets it. Damage the check
 * finds is IMPASTO_STATUS_MODEL with a message naming the file and the variable.
 *
 * Memory follows the file's actual contents, never its claims: filter buffers grow with the data
 * that really arrives, and every size is checked against the bytes its parent has left and
 * against what the remaining input can decode to (deflate expands one byte to at most 1032).
 * The check recurses no deeper than IMPASTO_MAT_MAX_DEPTH. The engine never prints or exits, and
 * neither does this file.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "impasto-mat-format.h"
#include "impasto-mat-reader.h"
#include "impasto-memory.h"
#include "impasto-vgg19-layers.h"

_Static_assert (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                "stored floats are copied without byte swapping");

/* The matio reader's limits. */
#define MAX_CHANNELS 65536
#define MAX_MEAN_PIXELS (4096 * 4096)
#define TEXT_SIZE 64            /* text of 64 characters or more is no name we look for */

/* Our own sanity caps on structure. */
#define MAX_RANK 64                 /* dimensions of one array (256 bytes of them) */
#define MAX_FIELDS 4096
#define MAX_FIELD_NAMES (64 * 1024) /* bytes of one struct's field-name table */
#define MAX_SMALL_NUMERIC 8         /* stride, pad, dilate */

#define IN_CHUNK (1u << 20)        /* file bytes read at a time */
#define BUF_SIZE (1u << 20)        /* decoded bytes buffered */
#define MIN_PRODUCE (64u * 1024)   /* smallest step of decoding */
#define SCAN_LIMIT (1u << 20)      /* after conv5_4, stop before a field bigger than this */
#define DEFLATE_MAX_RATIO 1040u    /* deflate turns one input byte into at most 1032 */
#define CONVERT_CHUNK 1024         /* values converted at a time */
#define INFLATE_ALLOWANCE (64u << 20) /* what a compressed variable may inflate to beyond ... */
#define INFLATE_RATIO 64              /* ... 64 bytes per compressed byte */
#define TRAILING_ALLOWANCE 65536   /* decoded bytes after a compressed variable's array */

typedef struct
{
  /* The file. */
  int fd;
  const char *path;
  const ImpastoMatReadOptions *options;
  ImpastoEngineError *error;
  ImpastoStatus status;   /* the first failure or decline; IMPASTO_STATUS_OK while all is well */
  bool whole;             /* the whole-file scope */
  bool extract;           /* reading the weights (false: the check alone) */
  bool swap;              /* a big-endian file */
  uint64_t size;          /* bytes of the file */
  uint64_t file_pos;      /* where the next read() starts */
  uint64_t fed;           /* bytes handed to the input callback so far */
  uint64_t reported;      /* bytes reported to the progress callback so far */
  int variable;           /* 1-based, for messages */
  uint64_t n_arrays;

  /* The top-level element being read, as decoded bytes from its miMATRIX tag on. */
  bool compressed;
  uint64_t file_left;     /* bytes of the element not read from the file yet */
  z_stream z;
  bool z_live;            /* inflateInit() done, inflateEnd() pending */
  bool z_end;             /* zlib has seen the end of its stream (and checked its Adler-32) */
  uint64_t out_total;     /* bytes inflated from this element */
  uint64_t out_limit;
  unsigned char *in;      /* (IN_CHUNK) compressed bytes, or bytes read past */
  unsigned char *buf;     /* (BUF_SIZE) decoded bytes; [pos, len) are not consumed yet */
  size_t pos, len;
  uint64_t offset;        /* decoded bytes consumed since the element's start */
} Reader;

/* The header of a miMATRIX element. */
typedef struct
{
  uint64_t body;          /* stream offset of its contents, after flags, dimensions and name */
  uint64_t end;           /* stream offset just past the element */
  uint64_t parent_end;    /* the end of what holds it (for its padding) */
  uint32_t nbytes;
  bool empty;             /* an element of 0 bytes: no flags, no dimensions */
  int class_id;
  bool complex;
  int rank;
  uint32_t dims[MAX_RANK];
  uint64_t numel;
  char name[TEXT_SIZE];   /* cut short when longer: such names match nothing we look for */
} Array;

/* A struct's field names: n_fields slots of name_len bytes, each NUL-padded. */
typedef struct
{
  size_t n_fields;
  size_t name_len;
  char *names;            /* only while reading the weights */
} Fields;

/* Errors. */

/* Damage (or an I/O failure) in variable r->variable. */
static bool
fail (Reader *r, ImpastoStatus status, const char *problem)
{
  if (r->status == IMPASTO_STATUS_OK)
    {
      r->status = status;
      impasto_engine_error_set (r->error, status, "%s: the file is damaged (variable %d: %s)",
                                r->path, r->variable, problem);
    }
  return false;
}

static bool decline (Reader *r, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

/* A form the weights reader does not take; the message is the reason. */
static bool
decline (Reader *r, const char *format, ...)
{
  va_list args;

  if (r->status == IMPASTO_STATUS_OK)
    {
      char reason[IMPASTO_STATUS_MESSAGE_SIZE];

      va_start (args, format);
      vsnprintf (reason, sizeof reason, format, args);
      va_end (args);
      r->status = IMPASTO_MAT_DECLINED;
      impasto_engine_error_set (r->error, IMPASTO_MAT_DECLINED, "%s", reason);
    }
  return false;
}

static bool
cancelled (Reader *r)
{
  if (r->status == IMPASTO_STATUS_OK)
    r->status = impasto_engine_error_set (r->error, IMPASTO_STATUS_CANCELLED,
                                          "%s: reading stopped", r->path);
  return false;
}

static uint32_t
le32 (const unsigned char *p)
{
  return impasto_mat_u32 (p, false);
}

static uint16_t
le16 (const unsigned char *p)
{
  return impasto_mat_u16 (p, false);
}

/* The file. */

/* After @n bytes were read at @start: hands the new ones to the input callback, reports
 * progress and asks whether to go on. */
static bool
note_read (Reader *r, const unsigned char *bytes, uint64_t start, size_t n)
{
  const ImpastoMatReadOptions *o = r->options;

  if (o->input != NULL && r->whole && start + n > r->fed && start <= r->fed)
    {
      size_t skip = (size_t) (r->fed - start);

      o->input (bytes + skip, n - skip, o->input_data);
      r->fed = start + n;
    }
  if (r->file_pos > r->reported)
    {
      r->reported = r->file_pos;
      if (o->progress != NULL && !o->progress (r->reported, r->size, o->progress_data))
        return cancelled (r);
    }
  if (o->should_stop != NULL && o->should_stop (o->should_stop_data))
    return cancelled (r);
  return true;
}

static bool
raw_read (Reader *r, void *dst, size_t n)
{
  unsigned char *p = dst;
  uint64_t start = r->file_pos;

  while (n > 0)
    {
      ssize_t got = read (r->fd, p, n);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        return fail (r, IMPASTO_STATUS_IO, "cannot read the file");
      if (got == 0)
        return fail (r, IMPASTO_STATUS_MODEL, "the file ends inside it");
      p += got;
      n -= (size_t) got;
      r->file_pos += (uint64_t) got;
    }
  return note_read (r, dst, start, (size_t) (r->file_pos - start));
}

/* Moves on @n bytes: reads them in the whole-file scope (every byte is read once), else seeks. */
static bool
raw_skip (Reader *r, uint64_t n)
{
  if (!r->whole)
    {
      if (n > INT64_MAX || lseek (r->fd, (off_t) n, SEEK_CUR) < 0)
        return fail (r, IMPASTO_STATUS_IO, "cannot seek in the file");
      r->file_pos += n;
      return note_read (r, NULL, r->file_pos, 0);
    }
  while (n > 0)
    {
      size_t k = n < IN_CHUNK ? (size_t) n : IN_CHUNK;

      if (!raw_read (r, r->in, k))
        return false;
      n -= k;
    }
  return true;
}

static bool
raw_advance_to (Reader *r, uint64_t target)
{
  if (target < r->file_pos)
    return fail (r, IMPASTO_STATUS_MODEL, "its elements overlap");
  return raw_skip (r, target - r->file_pos);
}

/* The rest of the file, from where reading stands, is all zero bytes. */
static bool
check_zeros (Reader *r)
{
  while (r->file_pos < r->size)
    {
      size_t k = r->size - r->file_pos < IN_CHUNK ? (size_t) (r->size - r->file_pos) : IN_CHUNK;

      if (!raw_read (r, r->in, k))
        return false;
      for (size_t i = 0; i < k; i++)
        if (r->in[i] != 0)
          return fail (r, IMPASTO_STATUS_MODEL, "there is data after the end of the variables");
    }
  return true;
}

/* The stream: one top-level element's decoded bytes. */

/* Starts reading the element whose 8-byte @tag was just read, with @nbytes after it. */
static bool
stream_open (Reader *r, const unsigned char tag[8], uint32_t nbytes, bool compressed)
{
  r->compressed = compressed;
  r->pos = r->len = 0;
  r->offset = 0;
  r->z_end = false;
  r->file_left = nbytes;
  if (!compressed)
    {
      /* A plain element's stream starts at its own miMATRIX tag. */
      memcpy (r->buf, tag, 8);
      r->len = 8;
      return true;
    }
  memset (&r->z, 0, sizeof r->z);
  if (inflateInit (&r->z) != Z_OK)
    return fail (r, IMPASTO_STATUS_OUT_OF_MEMORY, "cannot set up decompression");
  r->z_live = true;
  r->out_total = 0;
  r->out_limit = INFLATE_ALLOWANCE + (uint64_t) INFLATE_RATIO * nbytes;
  return true;
}

static void
stream_close (Reader *r)
{
  if (r->z_live)
    inflateEnd (&r->z);
  r->z_live = false;
}

/* Appends decoded bytes to buf[len ...], up to about @want of them (at least MIN_PRODUCE when
 * there is room). Needs len < BUF_SIZE. Fails when the element has no more bytes. */
static bool
produce (Reader *r, uint64_t want)
{
  size_t space = BUF_SIZE - r->len;

  if (want < MIN_PRODUCE)
    want = MIN_PRODUCE;
  if (space > want)
    space = (size_t) want;

  if (!r->compressed)
    {
      if (r->file_left == 0)
        return fail (r, IMPASTO_STATUS_MODEL, "an element is larger than what holds it");
      if (space > r->file_left)
        space = (size_t) r->file_left;
      if (!raw_read (r, r->buf + r->len, space))
        return false;
      r->len += space;
      r->file_left -= space;
      return true;
    }

  /* Each round either produces output, consumes input, or ends: the input is finite. */
  for (;;)
    {
      const ImpastoMatReadOptions *o = r->options;
      size_t produced;
      int ret;

      if (r->z_end)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data ends too early");
      if (o->should_stop != NULL && o->should_stop (o->should_stop_data))
        return cancelled (r);
      if (r->z.avail_in == 0)
        {
          size_t n = r->file_left < IN_CHUNK ? (size_t) r->file_left : IN_CHUNK;

          if (n == 0)
            return fail (r, IMPASTO_STATUS_MODEL, "its compressed data ends early (cut short)");
          if (!raw_read (r, r->in, n))
            return false;
          r->file_left -= n;
          r->z.next_in = r->in;
          r->z.avail_in = (uInt) n;
        }
      r->z.next_out = r->buf + r->len;
      r->z.avail_out = (uInt) space;
      ret = inflate (&r->z, Z_NO_FLUSH);
      produced = space - r->z.avail_out;
      r->len += produced;
      r->out_total += produced;
      if (ret == Z_STREAM_END)
        r->z_end = true; /* and zlib has checked the Adler-32 of the whole stream */
      else if (ret == Z_MEM_ERROR)
        return fail (r, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory inflating it");
      else if (ret != Z_OK && ret != Z_BUF_ERROR)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data is corrupt");
      if (r->out_total > r->out_limit)
        return fail (r, IMPASTO_STATUS_MODEL,
                     "its compressed data inflates to far more than such a file holds");
      if (produced > 0 || r->z_end)
        return true;
      if (ret == Z_BUF_ERROR && r->z.avail_in > 0)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data is corrupt");
    }
}

/* Makes at least @need (small) bytes available at buf[pos]; @want hints how many will follow. */
static bool
fill (Reader *r, size_t need, uint64_t want)
{
  while (r->len - r->pos < need)
    {
      if (r->pos == r->len)
        r->pos = r->len = 0;
      else if (BUF_SIZE - r->len < MIN_PRODUCE)
        {
          memmove (r->buf, r->buf + r->pos, r->len - r->pos);
          r->len -= r->pos;
          r->pos = 0;
        }
      if (!produce (r, want))
        return false;
    }
  return true;
}

static void
consume (Reader *r, size_t n)
{
  r->pos += n;
  r->offset += n;
}

static bool
take (Reader *r, void *dst, size_t n)
{
  unsigned char *out = dst;

  while (n > 0)
    {
      size_t k;

      if (!fill (r, 1, n))
        return false;
      k = r->len - r->pos < n ? r->len - r->pos : n;
      memcpy (out, r->buf + r->pos, k);
      consume (r, k);
      out += k;
      n -= k;
    }
  return true;
}

static bool
skip (Reader *r, uint64_t n)
{
  while (n > 0)
    {
      size_t k;

      if (r->pos == r->len && !r->compressed)
        {
          /* A plain file: move past what is not buffered. */
          if (n > r->file_left)
            return fail (r, IMPASTO_STATUS_MODEL, "an element is larger than what holds it");
          if (!raw_skip (r, n))
            return false;
          r->file_left -= n;
          r->offset += n;
          return true;
        }
      if (!fill (r, 1, n))
        return false;
      k = (uint64_t) (r->len - r->pos) < n ? r->len - r->pos : (size_t) n;
      consume (r, k);
      n -= k;
    }
  return true;
}

/* Bytes left before @end. */
static uint64_t
left (const Reader *r, uint64_t end)
{
  return end > r->offset ? end - r->offset : 0;
}

static bool
skip_to (Reader *r, uint64_t end)
{
  if (end < r->offset)
    return fail (r, IMPASTO_STATUS_MODEL, "an element overruns what holds it");
  return skip (r, end - r->offset);
}

/* The most bytes the rest of this element can still decode to. */
static uint64_t
decodable (const Reader *r)
{
  uint64_t buffered = r->len - r->pos;

  if (!r->compressed)
    return buffered + r->file_left;
  if (r->z_end)
    return buffered;
  return buffered + ((uint64_t) r->z.avail_in + r->file_left) * DEFLATE_MAX_RATIO + 65536;
}

/* Inflates what is left of a compressed variable after its array ends at @array_end, to the end
 * of the zlib stream, which makes zlib check the stream's Adler-32. A little trailing output is
 * harmless to matio and allowed; for a variable the weights reader read (@strict) it declines
 * any (matio's answer is unsure). */
static bool
finish_stream (Reader *r, uint64_t array_end, bool strict)
{
  if (!r->compressed)
    return true;
  if (strict && r->len > r->pos)
    return decline (r, "data after the end of a compressed variable");
  while (!r->z_end)
    {
      r->offset += r->len - r->pos;
      r->pos = r->len = 0;
      if (!produce (r, BUF_SIZE))
        return false;
      if (strict && r->len > 0)
        return decline (r, "data after the end of a compressed variable");
      if (r->out_total > array_end + TRAILING_ALLOWANCE)
        return fail (r, IMPASTO_STATUS_MODEL, "its compressed data goes on past the array");
    }
  return true;
}

/* Data elements. */

/* Reads a tag that must fit before @end. The data of a non-small element is still to be read. */
static bool
read_tag (Reader *r, ImpastoMatTag *tag, uint64_t end)
{
  unsigned char bytes[8];

  if (left (r, end) < 8)
    return fail (r, IMPASTO_STATUS_MODEL, "an element is cut short");
  if (!take (r, bytes, 8))
    return false;
  impasto_mat_tag_decode (tag, bytes, r->swap);
  if (tag->small && tag->nbytes > 4)
    return fail (r, IMPASTO_STATUS_MODEL, "a small element claims more than 4 bytes");
  if (!tag->small && tag->nbytes > left (r, end))
    return fail (r, IMPASTO_STATUS_MODEL, "an element is larger than what holds it");
  return true;
}

/* Skips to the next 8-byte boundary after @nbytes of data, within @end: a writer may leave the
 * padding off the very last element of its parent. */
static bool
skip_padding (Reader *r, uint64_t nbytes, uint64_t end)
{
  uint64_t pad = impasto_mat_padding (nbytes);
  uint64_t room = left (r, end);

  return skip (r, pad < room ? pad : room);
}

/* Skips the data and padding of the element whose @tag was just read. */
static bool
skip_element (Reader *r, const ImpastoMatTag *tag, uint64_t end)
{
  if (tag->small)
    return true;
  return skip (r, tag->nbytes) && skip_padding (r, tag->nbytes, end);
}

/* Reads the data of the element whose @tag was just read into @dst (at most @cap bytes). */
static bool
read_element_data (Reader *r, const ImpastoMatTag *tag, void *dst, size_t cap, uint64_t end,
                   const char *problem)
{
  if (tag->nbytes > cap)
    return fail (r, IMPASTO_STATUS_MODEL, problem);
  if (tag->small)
    {
      memcpy (dst, tag->data, tag->nbytes);
      return true;
    }
  if (!take (r, dst, tag->nbytes))
    return false;
  return skip_padding (r, tag->nbytes, end);
}

/* Reads a miMATRIX header: flags, dimensions and name, within @end; the stream is left at the
 * array's contents. */
static bool
read_array (Reader *r, Array *a, uint64_t end)
{
  unsigned char flags[8];
  unsigned char dims[4 * MAX_RANK];
  char name[TEXT_SIZE];
  ImpastoMatTag tag;

  memset (a, 0, sizeof *a);
  a->parent_end = end;
  if (!read_tag (r, &tag, end))
    return false;
  if (tag.small || tag.type != IMPASTO_MI_MATRIX)
    return fail (r, IMPASTO_STATUS_MODEL, "an element of a cell or struct is not an array");
  a->nbytes = tag.nbytes;
  a->end = r->offset + tag.nbytes;
  a->body = a->end;
  if (tag.nbytes == 0)
    {
      a->empty = true; /* an empty array, as MATLAB writes for [] in a cell */
      return true;
    }
  if (++r->n_arrays > IMPASTO_MAT_MAX_ARRAYS)
    return fail (r, IMPASTO_STATUS_MODEL, "it holds far more arrays than a network file");

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != IMPASTO_MI_UINT32 || tag.nbytes != 8)
    return fail (r, IMPASTO_STATUS_MODEL, "its array flags are missing");
  if (!read_element_data (r, &tag, flags, sizeof flags, a->end, "its array flags are missing"))
    return false;
  a->class_id = (int) (impasto_mat_u32 (flags, r->swap) & 0xffu);
  a->complex = (impasto_mat_u32 (flags, r->swap) & IMPASTO_MAT_FLAG_COMPLEX) != 0;

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != IMPASTO_MI_INT32 || tag.nbytes > sizeof dims)
    return fail (r, IMPASTO_STATUS_MODEL, "its dimensions are missing or too many");
  if (tag.nbytes < 8 || tag.nbytes % 4 != 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its dimensions are missing");
  if (!read_element_data (r, &tag, dims, sizeof dims, a->end, "its dimensions are missing"))
    return false;
  a->rank = (int) (tag.nbytes / 4);
  a->numel = 1;
  for (int i = 0; i < a->rank; i++)
    {
      int32_t d = (int32_t) impasto_mat_u32 (dims + 4 * i, r->swap);

      if (d < 0)
        return fail (r, IMPASTO_STATUS_MODEL, "it has a negative dimension");
      if (d != 0 && a->numel > UINT32_MAX / (uint32_t) d)
        return fail (r, IMPASTO_STATUS_MODEL, "its dimensions are impossibly large");
      a->dims[i] = (uint32_t) d;
      a->numel *= (uint32_t) d;
    }

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != IMPASTO_MI_INT8 && tag.type != IMPASTO_MI_UINT8 && tag.type != IMPASTO_MI_UTF8)
    return fail (r, IMPASTO_STATUS_MODEL, "its name is missing");
  if (r->extract && tag.type != IMPASTO_MI_INT8)
    return decline (r, "an array name of type %u", (unsigned) tag.type);
  if (tag.nbytes < sizeof name)
    {
      if (!read_element_data (r, &tag, name, sizeof name - 1, a->end, "its name is missing"))
        return false;
      name[tag.nbytes] = '\0';
      /* As a C string, like matio's name: it ends at the first NUL. */
      memcpy (a->name, name, sizeof name);
    }
  else if (!skip_element (r, &tag, a->end))
    return false;
  a->body = r->offset;
  return true;
}

/* Reads a struct's (or object's) field-name table, after read_array() (and an object's class
 * name); keeps the names while reading the weights. */
static bool
read_fields (Reader *r, const Array *a, Fields *f)
{
  unsigned char raw[4];
  uint32_t name_length;
  ImpastoMatTag tag;

  memset (f, 0, sizeof *f);
  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != IMPASTO_MI_INT32 || tag.nbytes != 4
      || !read_element_data (r, &tag, raw, sizeof raw, a->end, "its field name length is missing"))
    return r->status != IMPASTO_STATUS_OK ? false
                                          : fail (r, IMPASTO_STATUS_MODEL,
                                                  "its field name length is missing");
  name_length = impasto_mat_u32 (raw, r->swap);

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != IMPASTO_MI_INT8 && tag.type != IMPASTO_MI_UINT8)
    return fail (r, IMPASTO_STATUS_MODEL, "its field names are missing");
  if (tag.nbytes == 0)
    f->n_fields = 0;
  else if (name_length == 0 || tag.nbytes % name_length != 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its field names do not match their length");
  else
    f->n_fields = tag.nbytes / name_length;
  f->name_len = name_length;

  if (!r->extract)
    return skip_element (r, &tag, a->end);
  if (name_length == 0 || name_length > MAX_FIELD_NAMES)
    return decline (r, "a struct's field names are %u bytes long", (unsigned) name_length);
  if (tag.type != IMPASTO_MI_INT8 || tag.nbytes > MAX_FIELD_NAMES || f->n_fields > MAX_FIELDS)
    return decline (r, "a struct's field-name table of unexpected form");
  f->names = malloc ((size_t) tag.nbytes + 1);
  if (f->names == NULL)
    return fail (r, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  return read_element_data (r, &tag, f->names, tag.nbytes, a->end, "its field names are missing");
}

/* The index of the first field called @name, or -1: the matio reader also takes the first. */
static long
field_index (const Fields *f, const char *name)
{
  size_t n = strlen (name);

  if (f->names == NULL)
    return -1;
  for (size_t i = 0; i < f->n_fields; i++)
    {
      const char *slot = f->names + i * f->name_len;

      if (strnlen (slot, f->name_len) == n && memcmp (slot, name, n) == 0)
        return (long) i;
    }
  return -1;
}

/* The check: every element as the format defines it. */

static bool walk_body (Reader *r, const Array *a, int depth);

/* One miMATRIX (a cell element or a struct field) within @end, at nesting @depth. */
static bool
walk_array (Reader *r, uint64_t end, int depth)
{
  Array a;

  if (!read_array (r, &a, end))
    return false;
  if (!a.empty && depth > IMPASTO_MAT_MAX_DEPTH)
    return fail (r, IMPASTO_STATUS_MODEL, "its cells and structs nest too deeply");
  return walk_body (r, &a, depth) && skip_padding (r, a.nbytes, a.parent_end);
}

/* The real or imaginary data of @a. */
static bool
check_data (Reader *r, const Array *a)
{
  ImpastoMatTag tag;
  size_t unit;

  if (!read_tag (r, &tag, a->end))
    return false;
  unit = impasto_mat_type_size (tag.type);
  if (unit == 0)
    return fail (r, IMPASTO_STATUS_MODEL, "its data has an unknown type");
  if (a->class_id == IMPASTO_MX_CHAR && tag.type == IMPASTO_MI_UTF8)
    {
      /* One to four bytes a character. */
      if (tag.nbytes < a->numel || tag.nbytes / 4 > a->numel)
        return fail (r, IMPASTO_STATUS_MODEL, "its text is not as long as its dimensions say");
    }
  else if ((uint64_t) tag.nbytes != a->numel * unit)
    return fail (r, IMPASTO_STATUS_MODEL, "its data is not as long as its dimensions say");
  return skip_element (r, &tag, a->end);
}

/* Skips a text element (an object's class name). */
static bool
check_text (Reader *r, const Array *a, const char *problem)
{
  ImpastoMatTag tag;

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != IMPASTO_MI_INT8 && tag.type != IMPASTO_MI_UINT8 && tag.type != IMPASTO_MI_UTF8)
    return fail (r, IMPASTO_STATUS_MODEL, problem);
  return skip_element (r, &tag, a->end);
}

static bool
check_struct_fields (Reader *r, const Array *a, int depth)
{
  Fields fields;
  uint64_t n_values;

  if (!read_fields (r, a, &fields))
    return false;
  /* Every field of every element needs at least its 8-byte tag. */
  if (fields.n_fields != 0 && a->numel > left (r, a->end) / 8 / fields.n_fields)
    return fail (r, IMPASTO_STATUS_MODEL, "a struct declares more fields than it holds");
  n_values = a->numel * fields.n_fields;
  for (uint64_t i = 0; i < n_values; i++)
    if (!walk_array (r, a->end, depth + 1))
      return false;
  return true;
}

/* Whatever is left of @a once its contents have been read: only padding may remain. */
static bool
check_rest (Reader *r, const Array *a)
{
  if (left (r, a->end) >= 8)
    return fail (r, IMPASTO_STATUS_MODEL, "it holds more bytes than its contents");
  return skip_to (r, a->end);
}

/* The contents of @a (after read_array()), at nesting @depth. */
static bool
walk_body (Reader *r, const Array *a, int depth)
{
  if (a->empty)
    return true;
  switch (a->class_id)
    {
    case IMPASTO_MX_CELL:
      /* Every element needs at least its 8-byte tag. */
      if (a->numel > left (r, a->end) / 8)
        return fail (r, IMPASTO_STATUS_MODEL, "a cell declares more elements than it holds");
      for (uint64_t i = 0; i < a->numel; i++)
        if (!walk_array (r, a->end, depth + 1))
          return false;
      break;

    case IMPASTO_MX_OBJECT:
      if (!check_text (r, a, "its class name is missing") || !check_struct_fields (r, a, depth))
        return false;
      break;

    case IMPASTO_MX_STRUCT:
      if (!check_struct_fields (r, a, depth))
        return false;
      break;

    case IMPASTO_MX_SPARSE:
      /* Row indices, column starts, real and maybe imaginary values: any lengths. */
      for (int i = 0; i < (a->complex ? 4 : 3); i++)
        {
          ImpastoMatTag tag;

          if (!read_tag (r, &tag, a->end))
            return false;
          if (impasto_mat_type_size (tag.type) == 0)
            return fail (r, IMPASTO_STATUS_MODEL, "its sparse data has an unknown type");
          if (!skip_element (r, &tag, a->end))
            return false;
        }
      break;

    default:
      if (a->class_id != IMPASTO_MX_CHAR
          && (a->class_id < IMPASTO_MX_DOUBLE || a->class_id > IMPASTO_MX_UINT64))
        return fail (r, IMPASTO_STATUS_MODEL, "it is a kind of array a network file never holds");
      if (!check_data (r, a))
        return false;
      if (a->complex && !check_data (r, a))
        return false;
      break;
    }
  return check_rest (r, a);
}

/* The check alone, also while the weights are read: what the weights reader does not look at
 * may hold anything the format allows. */
static bool
check_body (Reader *r, const Array *a, int depth)
{
  bool extract = r->extract;
  bool ok;

  r->extract = false;
  ok = walk_body (r, a, depth);
  r->extract = extract;
  return ok;
}

static bool
check_array_only (Reader *r, uint64_t end, int depth)
{
  bool extract = r->extract;
  bool ok;

  r->extract = false;
  ok = walk_array (r, end, depth);
  r->extract = extract;
  return ok;
}

/* Done with @a, which the weights reader may have read (in part or not at all), at nesting
 * @depth: in the whole-file scope what it did not read is checked; otherwise it is skipped. */
static bool
finish_array (Reader *r, const Array *a, int depth)
{
  if (r->whole)
    {
      if (r->offset == a->body ? !check_body (r, a, depth) : !check_rest (r, a))
        return false;
    }
  else if (!skip_to (r, a->end))
    return false;
  /* The array of a compressed variable has no padding in its stream (finish_stream() allows a
   * little trailing output instead). */
  if (a->parent_end == UINT64_MAX)
    return true;
  return skip_padding (r, a->nbytes, a->parent_end);
}
/* Where converted values go. */
typedef enum
{
  SINK_LINEAR,   /* out[m] */
  SINK_FILTERS,  /* MATLAB 3x3xCinxCout into (Cout, Cin, 3, 3) */
  SINK_MEAN,     /* per-channel sums */
} SinkKind;

typedef struct
{
  SinkKind kind;
  float *out;             /* LINEAR: (total); FILTERS: (Cout, Cin, 3, 3), grown as data comes */
  uint64_t total;         /* values the array holds */
  uint64_t capacity;      /* FILTERS: floats allocated at out so far */
  uint64_t index;         /* values delivered so far */
  uint64_t per_channel;   /* SINK_MEAN: values per channel */
  double sums[3];         /* SINK_MEAN */
} Sink;

/* A filters or biases array as read, before we know whether its layer is wanted. */
typedef struct
{
  bool present;           /* the element was there */
  bool usable;            /* real single/double, a shape we take, read completely */
  size_t cin, cout;       /* filters: 3x3xCinxCout */
  size_t n, n_long;       /* biases: values, and dimensions other than 1 */
  float *data;            /* filters (Cout, Cin, 3, 3) or biases (n); ours until kept */
} Part;

/* stride, pad, dilate: present and all 1? */
typedef struct
{
  bool present;
  bool ones;
} Check;

enum { CHECK_STRIDE, CHECK_PAD, CHECK_DILATE, N_CHECKS };
static const char *const check_names[N_CHECKS] = { "stride", "pad", "dilate" };

typedef struct
{
  bool has_type, type_is_text;
  char type[TEXT_SIZE];
  bool has_name, name_is_text;
  char name[TEXT_SIZE];
  bool has_weights, weights_is_cell;
  uint64_t weights_numel;
  Part filters, biases;          /* weights{1}, weights{2} (newer layout) */
  Part old_filters, old_biases;  /* the filters and biases fields (older layout) */
  Check checks[N_CHECKS];
  bool stopped;                  /* a big field after conv5_4: the reading stops here */
} Layer;

typedef struct
{
  bool seen[IMPASTO_VGG19_N_CONVS];
  int last;
  int n_found;
} Found;

/* The mean a normalization struct gives. */
typedef struct
{
  bool found;                    /* this variable decides the mean */
  bool from_file;                /* false: the ImageNet default */
  float pixel[3];
} Mean;
/* Numbers. */

static size_t
storage_size (uint32_t type)
{
  switch (type)
    {
    case IMPASTO_MI_INT8:
    case IMPASTO_MI_UINT8:
      return 1;
    case IMPASTO_MI_INT16:
    case IMPASTO_MI_UINT16:
      return 2;
    case IMPASTO_MI_INT32:
    case IMPASTO_MI_UINT32:
    case IMPASTO_MI_SINGLE:
      return 4;
    case IMPASTO_MI_DOUBLE:
      return 8;
    default:
      /* int64 and uint64 would round differently through double (as matio reads a double
       * array) than straight to float; and text types are no numbers. */
      return 0;
    }
}

/* @n values of storage @type at @p as floats, exactly as the matio reader has them: (float) of
 * the stored value, which for these types is also (float) (double) of it. */
static void
convert (float *out, const unsigned char *p, size_t n, uint32_t type)
{
  switch (type)
    {
    case IMPASTO_MI_SINGLE:
      memcpy (out, p, n * sizeof (float));
      break;
    case IMPASTO_MI_DOUBLE:
      for (size_t i = 0; i < n; i++)
        {
          double d;

          memcpy (&d, p + 8 * i, 8);
          out[i] = (float) d;
        }
      break;
    case IMPASTO_MI_INT8:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) (int8_t) p[i];
      break;
    case IMPASTO_MI_UINT8:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) p[i];
      break;
    case IMPASTO_MI_INT16:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) (int16_t) le16 (p + 2 * i);
      break;
    case IMPASTO_MI_UINT16:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) le16 (p + 2 * i);
      break;
    case IMPASTO_MI_INT32:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) (int32_t) le32 (p + 4 * i);
      break;
    case IMPASTO_MI_UINT32:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) le32 (p + 4 * i);
      break;
    default:
      break;
    }
}

/* Makes room in a FILTERS sink for values up to @needed: the buffer grows (doubling) with the
 * data that really arrives, so a file that claims a huge array and holds little of it costs
 * little memory. */
static bool
sink_reserve (Sink *sink, uint64_t needed)
{
  uint64_t capacity = sink->capacity ? 2 * sink->capacity : (1u << 18);
  float *grown;

  if (needed <= sink->capacity)
    return true;
  if (capacity < needed)
    capacity = needed;
  if (capacity > sink->total)
    capacity = sink->total;
  if (capacity > SIZE_MAX / sizeof (float))
    return false;
  grown = impasto_alloc_floats_untouched ((size_t) capacity);
  if (grown == NULL)
    return false;
  if (sink->out != NULL)
    memcpy (grown, sink->out, (size_t) sink->capacity * sizeof (float));
  free (sink->out);
  sink->out = grown;
  sink->capacity = capacity;
  return true;
}

static bool
sink_put (Sink *sink, const float *values, size_t n)
{
  /* Within a MATLAB 3x3 block, element i + 3j goes to engine tap [i][j] = 3i + j. */
  static const unsigned char tap[9] = { 0, 3, 6, 1, 4, 7, 2, 5, 8 };

  switch (sink->kind)
    {
    case SINK_LINEAR:
      memcpy (sink->out + sink->index, values, n * sizeof *values);
      break;
    case SINK_FILTERS:
      /* MATLAB (i, j, c, k) at m = i + 3j + 9 (c + Cin k); engine [k][c][i][j] at
       * 9 (c + Cin k) + 3i + j: each 3x3 block keeps its place and is transposed. */
      if (!sink_reserve (sink, (sink->index + n + 8) / 9 * 9))
        return false;
      for (size_t t = 0; t < n; t++)
        {
          uint64_t m = sink->index + t;

          sink->out[m - m % 9 + tap[m % 9]] = values[t];
        }
      break;
    case SINK_MEAN:
      /* Column-major H x W x 3: channel c is the c-th block of H W values; summed in double in
       * file order, as the matio reader sums them. */
      for (size_t t = 0; t < n; t++)
        sink->sums[(sink->index + t) / sink->per_channel] += values[t];
      break;
    }
  sink->index += n;
  return true;
}

/* Reads the tag of a numeric array's real part (after read_array()) and checks that its data
 * is @a->numel values of a type we convert, which the rest of the element can hold. */
static bool
numeric_begin (Reader *r, const Array *a, ImpastoMatTag *tag)
{
  size_t size;

  if (!read_tag (r, tag, a->end))
    return false;
  size = storage_size (tag->type);
  if (size == 0)
    return decline (r, "numbers stored as type %u", (unsigned) tag->type);
  if (tag->nbytes % size != 0 || tag->nbytes / size != a->numel)
    return decline (r, "an array's data does not match its dimensions");
  if (!tag->small && tag->nbytes > decodable (r))
    return decline (r, "an array claims more data than the file holds");
  return true;
}

/* Streams the data announced by @tag into @sink. */
static bool
numeric_stream (Reader *r, const Array *a, const ImpastoMatTag *tag, Sink *sink)
{
  float values[CONVERT_CHUNK];
  size_t size = storage_size (tag->type);
  uint64_t todo = tag->nbytes / size;

  if (tag->small)
    {
      convert (values, tag->data, (size_t) todo, tag->type);
      return sink_put (sink, values, (size_t) todo) ? true : decline (r, "out of memory");
    }
  while (todo > 0)
    {
      size_t k;

      if (!fill (r, size, todo * size))
        return false;
      k = (r->len - r->pos) / size;
      if (k > todo)
        k = (size_t) todo;
      if (k > CONVERT_CHUNK)
        k = CONVERT_CHUNK;
      convert (values, r->buf + r->pos, k, tag->type);
      if (!sink_put (sink, values, k))
        return decline (r, "out of memory");
      consume (r, k * size);
      todo -= k;
    }
  return skip_padding (r, tag->nbytes, a->end);
}

static bool
is_real_number_array (const Array *a)
{
  return !a->empty && (a->class_id == IMPASTO_MX_SINGLE || a->class_id == IMPASTO_MX_DOUBLE) && !a->complex;
}

/* Reads the char array @a as the matio reader does: ASCII text of 1 ... 63 characters, or "" for
 * empty or longer text and for UTF-16 that is not ASCII (which matio reads again in full and finds
 * no ASCII in). *is_text is false for an array that is not text at all. Declines where matio's
 * answer is uncertain (other encodings, non-ASCII bytes in one-byte encodings). */
static bool
read_text (Reader *r, const Array *a, char *out, bool *is_text)
{
  unsigned char bytes[2 * TEXT_SIZE];
  size_t unit;
  ImpastoMatTag tag;

  out[0] = '\0';
  *is_text = !a->empty && a->class_id == IMPASTO_MX_CHAR && !a->complex;
  if (!*is_text || a->numel == 0 || a->numel >= TEXT_SIZE)
    return true;
  if (!read_tag (r, &tag, a->end))
    return false;
  switch (tag.type)
    {
    case IMPASTO_MI_UTF8:
    case IMPASTO_MI_UINT8:
    case IMPASTO_MI_INT8:
      unit = 1;
      break;
    case IMPASTO_MI_UINT16:
    case IMPASTO_MI_UTF16:
      unit = 2;
      break;
    default:
      return decline (r, "text stored as type %u", (unsigned) tag.type);
    }
  if (tag.nbytes != a->numel * unit)
    return decline (r, "text whose data does not match its length");
  if (!read_element_data (r, &tag, bytes, sizeof bytes, a->end, "its text is too long"))
    return false;
  for (size_t i = 0; i < (size_t) a->numel; i++)
    {
      uint32_t code = unit == 1 ? bytes[i] : le16 (bytes + 2 * i);

      if (code == 0 || code > 127)
        {
          if (unit == 1)
            return decline (r, "text in a one-byte encoding that is not ASCII");
          out[0] = '\0';
          return true;
        }
      out[i] = (char) code;
    }
  out[a->numel] = '\0';
  return true;
}
/* Layers. */

static void
part_clear (Part *part)
{
  free (part->data);
  memset (part, 0, sizeof *part);
}

static void
layer_clear (Layer *layer)
{
  part_clear (&layer->filters);
  part_clear (&layer->biases);
  part_clear (&layer->old_filters);
  part_clear (&layer->old_biases);
}

/* A filters array: real single/double 3x3xCinxCout (trailing 1s dropped) goes into a fresh
 * (Cout, Cin, 3, 3) buffer, allocated as the data arrives; anything else is left unread and
 * unusable. */
static bool
read_filters (Reader *r, const Array *a, Part *part)
{
  Sink sink = { .kind = SINK_FILTERS };
  ImpastoMatTag tag;
  bool ok;

  part_clear (part);
  part->present = true;
  if (!is_real_number_array (a) || a->rank < 2 || a->rank > 4 || a->dims[0] != 3
      || a->dims[1] != 3)
    return true;
  part->cin = a->rank > 2 ? a->dims[2] : 1;
  part->cout = a->rank > 3 ? a->dims[3] : 1;
  if (part->cin == 0 || part->cout == 0 || part->cin > MAX_CHANNELS || part->cout > MAX_CHANNELS)
    return true;
  if (!numeric_begin (r, a, &tag))
    return false;
  sink.total = a->numel;
  ok = numeric_stream (r, a, &tag, &sink);
  part->data = sink.out; /* the part frees it, whatever happened */
  part->usable = ok;
  return ok;
}

/* A biases array: real single/double with up to MAX_CHANNELS values. */
static bool
read_biases (Reader *r, const Array *a, Part *part)
{
  Sink sink = { .kind = SINK_LINEAR };
  ImpastoMatTag tag;

  part_clear (part);
  part->present = true;
  if (!is_real_number_array (a) || a->numel == 0 || a->numel > MAX_CHANNELS)
    return true;
  part->n = (size_t) a->numel;
  for (int i = 0; i < a->rank; i++)
    if (a->dims[i] != 1)
      part->n_long++;
  if (!numeric_begin (r, a, &tag))
    return false;
  part->data = impasto_alloc_floats_untouched (part->n);
  if (part->data == NULL)
    return decline (r, "out of memory");
  sink.out = part->data;
  if (!numeric_stream (r, a, &tag, &sink))
    return false;
  part->usable = true;
  return true;
}

/* stride, pad or dilate: 1 ... 8 real numbers that must all be 1.0f. */
static bool
read_check (Reader *r, const Array *a, Check *check)
{
  float values[MAX_SMALL_NUMERIC];
  Sink sink = { .kind = SINK_LINEAR, .out = values };
  ImpastoMatTag tag;

  check->present = true;
  check->ones = false;
  if (!is_real_number_array (a) || a->numel == 0 || a->numel > MAX_SMALL_NUMERIC)
    return true;
  if (!numeric_begin (r, a, &tag) || !numeric_stream (r, a, &tag, &sink))
    return false;
  check->ones = true;
  for (size_t i = 0; i < (size_t) a->numel; i++)
    if (values[i] != 1.0f)
      check->ones = false;
  return true;
}

/* The weights cell {filters, biases, ...} of the newer layout. */
static bool
read_weights (Reader *r, const Array *a, Layer *layer)
{
  layer->has_weights = true;
  layer->weights_is_cell = !a->empty && a->class_id == IMPASTO_MX_CELL;
  if (!layer->weights_is_cell)
    return true;
  layer->weights_numel = a->numel;
  if (a->numel > left (r, a->end) / 8)
    return decline (r, "a weights cell larger than its element");
  for (uint64_t i = 0; i < a->numel && i < 2; i++)
    {
      Array element;

      if (!read_array (r, &element, a->end))
        return false;
      if (!(i == 0 ? read_filters (r, &element, &layer->filters)
                   : read_biases (r, &element, &layer->biases)))
        return false;
      if (!finish_array (r, &element, 3))
        return false;
    }
  /* The rest of the cell is the check's. */
  for (uint64_t i = 2; r->whole && i < a->numel; i++)
    if (!check_array_only (r, a->end, 3))
      return false;
  return true;
}

/* The conv index of exactly "conv1_1" ... "conv5_4", else -1. */
static int
conv_index (const char *name)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *candidate = impasto_vgg19_conv_name (i);

      if (candidate != NULL && strcmp (candidate, name) == 0)
        return i;
    }
  return -1;
}

/* Reads the fields of one layer struct (after read_fields()). With @scan (all 16 convs are in),
 * stops before the first field bigger than SCAN_LIMIT. */
static bool
read_layer_fields (Reader *r, const Array *la, const Fields *f, bool scan, Layer *layer)
{
  long i_type = field_index (f, "type");
  long i_name = field_index (f, "name");
  long i_weights = field_index (f, "weights");
  long i_filters = field_index (f, "filters");
  long i_biases = field_index (f, "biases");
  long i_checks[N_CHECKS];

  for (int c = 0; c < N_CHECKS; c++)
    i_checks[c] = field_index (f, check_names[c]);

  for (size_t k = 0; k < f->n_fields; k++)
    {
      long i = (long) k;
      Array v;
      bool ok = true;

      if (!read_array (r, &v, la->end))
        return false;
      if (scan && !r->whole && left (r, v.end) > SCAN_LIMIT)
        {
          layer->stopped = true;
          return true;
        }
      if (i == i_type)
        {
          layer->has_type = true;
          ok = read_text (r, &v, layer->type, &layer->type_is_text);
        }
      else if (i == i_name)
        {
          layer->has_name = true;
          ok = read_text (r, &v, layer->name, &layer->name_is_text);
        }
      else if (i == i_weights)
        ok = read_weights (r, &v, layer);
      else if (i == i_filters)
        ok = read_filters (r, &v, &layer->old_filters);
      else if (i == i_biases)
        ok = read_biases (r, &v, &layer->old_biases);
      else
        for (int c = 0; c < N_CHECKS; c++)
          if (i == i_checks[c])
            ok = read_check (r, &v, &layer->checks[c]);
      if (!ok || !finish_array (r, &v, 2))
        return false;
    }
  if (r->offset != la->end)
    return decline (r, "a layer holds more than its fields");
  return true;
}

/* Decides about a layer as the matio reader does and keeps its arrays if it is a wanted conv. */
static bool
keep_layer (Reader *r, uint64_t number, Layer *layer, Found *found, ImpastoMatNetwork *weights)
{
  ImpastoMatConv *conv;
  Part *filters, *biases;
  int index;

  if (layer->stopped)
    {
      /* Only what was read before the big field can be judged. */
      if (layer->has_type && !layer->type_is_text)
        return decline (r, "the type of layer %llu is not text", (unsigned long long) number);
      if (layer->has_type && strcmp (layer->type, "conv") == 0 && layer->has_name
          && (!layer->name_is_text || conv_index (layer->name) >= 0))
        return decline (r, "layer %llu repeats a conv or has no text name",
                        (unsigned long long) number);
      return true;
    }

  if (!layer->has_type || !layer->type_is_text)
    return decline (r, "layer %llu has no type text", (unsigned long long) number);
  if (strcmp (layer->type, "conv") != 0)
    return true;
  if (!layer->has_name || !layer->name_is_text)
    return decline (r, "conv layer %llu has no name text", (unsigned long long) number);
  index = conv_index (layer->name);
  if (index < 0)
    return true;
  if (found->seen[index] || index < found->last)
    return decline (r, "layer %s is repeated or out of order", layer->name);

  if (layer->has_weights)
    {
      if (!layer->weights_is_cell || layer->weights_numel < 2)
        return decline (r, "layer %s has weights that are not a cell of two", layer->name);
      filters = &layer->filters;
      biases = &layer->biases;
    }
  else
    {
      filters = &layer->old_filters;
      biases = &layer->old_biases;
    }
  if (!filters->usable || !biases->usable)
    return decline (r, "layer %s has filters or biases we do not take", layer->name);
  if (biases->n != filters->cout || biases->n_long > 1)
    return decline (r, "layer %s has %zu biases for %zu filters", layer->name, biases->n,
                    filters->cout);
  for (int c = 0; c < N_CHECKS; c++)
    if (layer->checks[c].present && !layer->checks[c].ones)
      return decline (r, "layer %s has a %s that is not all 1", layer->name, check_names[c]);

  conv = &weights->convs[index];
  conv->in_channels = (int) filters->cin;
  conv->out_channels = (int) filters->cout;
  conv->filters = filters->data;
  conv->biases = biases->data;
  /* The weights own them now. */
  filters->data = NULL;
  biases->data = NULL;
  found->seen[index] = true;
  found->last = index;
  found->n_found++;
  return true;
}

/* The `layers` cell (after read_array()); *stopped says whether the reading stopped early, at a
 * big field after conv5_4. */
static bool
read_layers (Reader *r, const Array *cell, ImpastoMatNetwork *weights, bool *stopped)
{
  Found found = { .last = -1 };

  *stopped = false;
  if (cell->empty || cell->class_id != IMPASTO_MX_CELL)
    return decline (r, "`layers` is not a cell array");
  if (cell->numel > left (r, cell->end) / 8)
    return decline (r, "`layers` has more elements than bytes");

  for (uint64_t i = 0; i < cell->numel; i++)
    {
      bool scan = found.n_found == IMPASTO_VGG19_N_CONVS;
      Layer layer = { 0 };
      Fields fields;
      Array la;
      bool ok;

      if (!read_array (r, &la, cell->end))
        return false;
      if (la.empty || la.class_id != IMPASTO_MX_STRUCT || la.numel != 1)
        return decline (r, "layer %llu is not a single struct", (unsigned long long) i + 1);
      if (!read_fields (r, &la, &fields))
        {
          free (fields.names);
          return false;
        }
      ok = read_layer_fields (r, &la, &fields, scan, &layer);
      free (fields.names);
      if (ok)
        ok = keep_layer (r, i + 1, &layer, &found, weights);
      layer_clear (&layer);
      if (!ok)
        return false;
      if (layer.stopped)
        {
          *stopped = true;
          return true;
        }
      if (!finish_array (r, &la, 1))
        return false;
    }

  if (r->offset != cell->end)
    return decline (r, "`layers` holds more than its layers");
  if (found.n_found < IMPASTO_VGG19_N_CONVS)
    return decline (r, "%d of the 16 convs found", found.n_found);
  return true;
}
/* The mean. */

typedef bool (*FieldFunc) (Reader *r, const Array *value, int depth, Mean *mean);

/* Walks every element of the struct @st (after read_array()): in a 1x1 struct the first field
 * called @name goes to @func, everything else is skipped; the fields of all elements must fill
 * the struct exactly. */
static bool
walk_struct (Reader *r, const Array *st, int depth, const char *name, FieldFunc func,
             Mean *mean)
{
  Fields fields;
  uint64_t n_values;
  long index;

  if (!read_fields (r, st, &fields))
    {
      free (fields.names);
      return false;
    }
  index = st->numel == 1 ? field_index (&fields, name) : -1;
  n_values = fields.n_fields;
  free (fields.names);
  if (st->numel > 0 && n_values > left (r, st->end) / 8 / st->numel)
    return decline (r, "a struct declares more fields than it holds");
  n_values *= st->numel;
  for (uint64_t k = 0; k < n_values; k++)
    {
      Array value;

      if (!read_array (r, &value, st->end))
        return false;
      if ((long) k == index && !func (r, &value, depth + 1, mean))
        return false;
      if (!finish_array (r, &value, depth + 1))
        return false;
    }
  if (r->offset != st->end)
    return decline (r, "a struct holds more than its fields");
  return true;
}

/* averageImage (after read_array()), averaged per channel exactly as the matio reader does. */
static bool
read_average (Reader *r, const Array *average, int depth, Mean *mean)
{
  Sink sink = { .kind = SINK_MEAN };
  size_t n_long = 0;
  ImpastoMatTag tag;

  (void) depth;
  if (average->empty)
    return decline (r, "an empty averageImage element");
  if (average->numel == 0)
    return true;
  if (!is_real_number_array (average))
    return decline (r, "averageImage is not real single or double numbers");

  for (int i = 0; i < average->rank; i++)
    if (average->dims[i] != 1)
      n_long++;
  if (average->numel == 3 && n_long == 1)
    sink.per_channel = 1;
  else if (average->rank == 3 && average->dims[2] == 3
           && average->numel <= 3 * (uint64_t) MAX_MEAN_PIXELS)
    sink.per_channel = (uint64_t) average->dims[0] * average->dims[1];
  else
    return decline (r, "averageImage has a shape we do not take");

  if (!numeric_begin (r, average, &tag) || !numeric_stream (r, average, &tag, &sink))
    return false;
  for (int c = 0; c < 3; c++)
    mean->pixel[c] = (float) (sink.sums[c] / (double) sink.per_channel);
  /* The matio reader's checks; it gives the message. */
  for (int c = 0; c < 3; c++)
    if (!(mean->pixel[c] >= 0.0f && mean->pixel[c] <= 255.0f))
      return decline (r, "the mean is not a pixel on the 0..255 scale");
  if (mean->pixel[0] <= 1.0f && mean->pixel[1] <= 1.0f && mean->pixel[2] <= 1.0f)
    return decline (r, "the mean looks like a 0..1 scale");
  mean->from_file = true;
  return true;
}

/* A normalization struct (after read_array()): it decides the mean, which is its averageImage
 * if it is a 1x1 struct with one, else the default. Structs of other sizes are walked all the
 * same, so that a damaged size is noticed. */
static bool
read_normalization (Reader *r, const Array *normalization, int depth, Mean *mean)
{
  mean->found = true;
  mean->from_file = false;
  if (normalization->empty)
    return decline (r, "an empty normalization element");
  if (normalization->class_id != IMPASTO_MX_STRUCT)
    return true;
  return walk_struct (r, normalization, depth, "averageImage", read_average, mean);
}

/* The `meta` variable (after read_array()): meta.normalization if meta is a 1x1 struct that has
 * such a field; otherwise mean->found stays false. */
static bool
read_meta (Reader *r, const Array *meta, int depth, Mean *mean)
{
  mean->found = false;
  if (meta->empty || meta->class_id != IMPASTO_MX_STRUCT)
    return true;
  return walk_struct (r, meta, depth, "normalization", read_normalization, mean);
}

static void
clear_convs (ImpastoMatNetwork *weights)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      free (weights->convs[i].filters);
      free (weights->convs[i].biases);
      memset (&weights->convs[i], 0, sizeof weights->convs[i]);
    }
}

/* What the top-level variables gave the weights. */
typedef struct
{
  bool have_layers, have_meta, have_normalization;
  Mean meta_mean, normalization_mean;
} Variables;

/* One top-level variable, whose stream is open: `layers`, `meta` and `normalization` (the first
 * of each, as the matio reader) go to the weights reader, the rest to the check (whole-file
 * scope) or nowhere. */
static bool
read_variable (Reader *r, Variables *v, ImpastoMatNetwork *weights)
{
  bool strict = false;
  bool stopped = false;
  bool ok;
  Array top;

  if (!read_array (r, &top, r->compressed ? UINT64_MAX : 8 + r->file_left))
    return false;
  if (r->extract && !v->have_layers && strcmp (top.name, "layers") == 0)
    {
      v->have_layers = strict = true;
      ok = read_layers (r, &top, weights, &stopped);
    }
  else if (r->extract && !v->have_meta && strcmp (top.name, "meta") == 0)
    {
      v->have_meta = strict = true;
      ok = read_meta (r, &top, 0, &v->meta_mean);
    }
  else if (r->extract && !v->have_normalization && strcmp (top.name, "normalization") == 0)
    {
      v->have_normalization = strict = true;
      ok = read_normalization (r, &top, 0, &v->normalization_mean);
    }
  else if (!r->whole)
    return true; /* not needed: skipped by its tag */
  else
    ok = true;
  if (!ok)
    return false;
  if (stopped)
    return true; /* fc6 onwards: not needed */
  if (!finish_array (r, &top, 0))
    return false;
  return finish_stream (r, top.end, strict);
}

/* Walks the file's top-level variables. */
static bool
read_variables (Reader *r, ImpastoMatNetwork *weights)
{
  unsigned char header[IMPASTO_MAT_HEADER_SIZE];
  Variables v = { 0 };
  const Mean *mean = NULL;
  uint64_t pos;

  if (r->size >= IMPASTO_MAT_HEADER_SIZE && !raw_read (r, header, sizeof header))
    return false;
  if (r->size < IMPASTO_MAT_HEADER_SIZE || (header[126] != 'I' && header[126] != 'M'))
    {
      r->status = impasto_engine_error_set (r->error, IMPASTO_STATUS_MODEL,
                                            "%s: not a version 5 MAT-file", r->path);
      return false;
    }
  r->swap = header[126] == 'M';
  if (r->extract && r->swap)
    return decline (r, "not a little-endian MAT-file");
  if (r->extract && le16 (header + 124) != IMPASTO_MAT_VERSION_5)
    return decline (r, "not a MAT v5 file (version 0x%04x)", (unsigned) le16 (header + 124));

  pos = IMPASTO_MAT_HEADER_SIZE;
  while (pos + 8 <= r->size)
    {
      unsigned char bytes[8];
      ImpastoMatTag tag;
      uint64_t next;
      bool ok;

      r->variable++;
      if (!raw_advance_to (r, pos) || !raw_read (r, bytes, 8))
        return false;
      impasto_mat_tag_decode (&tag, bytes, r->swap);
      if (!tag.small && tag.type == 0 && tag.nbytes == 0)
        {
          /* Zero padding at the end, as the loader allows; matio reads on to the end of the
           * file, so all of the rest must be zeros too. */
          if (r->whole && !check_zeros (r))
            return false;
          break;
        }
      if (tag.small || (tag.type != IMPASTO_MI_MATRIX && tag.type != IMPASTO_MI_COMPRESSED))
        return fail (r, IMPASTO_STATUS_MODEL, "it does not start with an array tag");
      if ((uint64_t) tag.nbytes > r->size - pos - 8)
        return fail (r, IMPASTO_STATUS_MODEL, "the file is cut short");
      next = pos + 8 + tag.nbytes;
      if (tag.type == IMPASTO_MI_MATRIX && next % 8 != 0)
        next += 8 - next % 8;

      ok = stream_open (r, bytes, tag.nbytes, tag.type == IMPASTO_MI_COMPRESSED)
           && read_variable (r, &v, weights);
      stream_close (r);
      if (!ok)
        return false;
      pos = next;
    }
  /* Whatever is left must be zeros (the padding of the last variable, or an end marker). */
  if (r->whole && (!raw_advance_to (r, pos < r->size ? pos : r->size) || !check_zeros (r)))
    return false;

  if (!r->extract)
    return true;
  if (!v.have_layers)
    return decline (r, "no `layers` variable");
  /* meta.normalization first, then a top-level normalization, as the matio reader. */
  if (v.meta_mean.found)
    mean = &v.meta_mean;
  else if (v.normalization_mean.found)
    mean = &v.normalization_mean;
  if (mean != NULL && mean->from_file)
    {
      memcpy (weights->mean_pixel, mean->pixel, sizeof weights->mean_pixel);
      weights->mean_from_file = true;
    }
  return true;
}

/* One pass over the file from its start. */
static void
read_pass (Reader *r, ImpastoMatNetwork *weights)
{
  r->status = IMPASTO_STATUS_OK;
  r->file_pos = 0;
  r->variable = 0;
  r->n_arrays = 0;
  if (lseek (r->fd, 0, SEEK_SET) != 0)
    {
      fail (r, IMPASTO_STATUS_IO, "cannot seek in the file");
      return;
    }
  if (read_variables (r, weights) && r->options->progress != NULL && r->reported < r->size)
    {
      /* The weights-only scope skipped the rest. */
      r->reported = r->size;
      if (!r->options->progress (r->size, r->size, r->options->progress_data))
        cancelled (r);
    }
  stream_close (r);
}

ImpastoStatus
impasto_mat_read (ImpastoMatNetwork *weights,
                  const char *path,
                  const ImpastoMatReadOptions *options,
                  ImpastoEngineError *error)
{
  static const ImpastoMatReadOptions defaults = { 0 };
  Reader r = { .fd = -1, .path = path, .error = error };
  struct stat st;

  if (path == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "impasto_mat_read: no path given");
  r.options = options != NULL ? options : &defaults;
  r.whole = r.options->whole_file;
  r.extract = weights != NULL;

  r.fd = open (path, O_RDONLY | O_CLOEXEC);
  if (r.fd < 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open the model file: %s",
                                     path, strerror (errno));
  if (fstat (r.fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (r.fd);
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: is not a regular file", path);
    }
  r.size = (uint64_t) st.st_size;
  posix_fadvise (r.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  r.in = malloc (IN_CHUNK);
  r.buf = malloc (BUF_SIZE);
  if (r.in == NULL || r.buf == NULL)
    r.status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory",
                                         path);
  else
    {
      read_pass (&r, weights);
      if (r.status != IMPASTO_STATUS_OK && weights != NULL)
        clear_convs (weights);
      if (r.status == IMPASTO_MAT_DECLINED && r.whole)
        {
          /* Not for the weights reader, but the check owes the caller the whole file. */
          ImpastoEngineError reason = { 0 };

          if (error != NULL)
            reason = *error;
          r.extract = false;
          read_pass (&r, NULL);
          if (r.status == IMPASTO_STATUS_OK)
            {
              r.status = IMPASTO_MAT_DECLINED;
              if (error != NULL)
                *error = reason;
            }
        }
    }

  close (r.fd);
  free (r.in);
  free (r.buf);
  return r.status;
}
