/* impasto-mat-stream.c
 *
 * A one-pass reader for MatConvNet's VGG19 .mat files (MAT v5), used before matio because matio
 * inflates the whole 534 MB stream, in small steps, to learn its structure. Here each top-level
 * variable is a byte stream of its own: the file's bytes for a plain miMATRIX, zlib's output for
 * a miCOMPRESSED one, inflated a megabyte at a time into one buffer. The MAT structure is parsed
 * straight off that stream: array flags, dimensions, name, then cells element by element and
 * structs field by field (one miMATRIX per field), keeping only what the matio reader would look
 * at: the layers' type and name text, the conv filters, biases, stride, pad and dilate, and
 * normalization.averageImage. Filters go straight from the stream into their final buffers, each
 * MATLAB 3x3 block transposed in place (see sink_put); everything else is skipped by its byte
 * count (inflated past, or seeked past in a plain file). After conv5_4 the reader goes on only
 * while the following layers are small (so a repeated conv right after it is still noticed) and
 * stops at the first big field, which in the real file is fc6's 411 MB of weights: they are never
 * inflated. Variables it does not need are skipped by their tag without inflating anything.
 *
 * Sameness with the matio reader is the contract: the same fields looked up by name (first match
 * wins), the same conversions ((float) of each stored value), the same mean arithmetic in the
 * same order. Anything the matio reader would refuse, or where its answer is not certain (text
 * in unusual encodings, int64 storage, big-endian files, empty elements where a value belongs),
 * makes this reader decline, and the caller then runs matio, whose messages the user sees. The
 * structs and cells it reads must be exactly filled by their elements, and a compressed variable
 * it reads to the end has its Adler-32 checked by zlib (`meta`, `normalization`, and `layers` in
 * files without big fc layers). What it never reads it cannot check: variables it skips, fc6
 * onwards in the real file, and the Adler-32 of the real `layers` stream, which covers fc6 too;
 * so a change in that stream's deflate data before conv5_4 that still decodes is not noticed
 * here (an MD5 of the whole file is what can tell).
 *
 * Every size read from the file is checked against the bytes its parent element has left and
 * against what the remaining input can decode to (deflate expands one byte to at most 1032);
 * filter buffers grow with the data that really arrives, so memory follows the file's actual
 * contents, never its claims. There is no recursion: the nesting the reader follows is fixed
 * (variable, layers cell, layer struct, weights cell, array). The engine never prints or exits,
 * and neither does this file.
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

#include "impasto-memory.h"
#include "impasto-mat-stream.h"

_Static_assert (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                "stored floats are copied without byte swapping");

#define MAT_HEADER_SIZE 128

/* Data types of MAT v5 data elements. */
#define MI_INT8 1
#define MI_UINT8 2
#define MI_INT16 3
#define MI_UINT16 4
#define MI_INT32 5
#define MI_UINT32 6
#define MI_SINGLE 7
#define MI_DOUBLE 9
#define MI_MATRIX 14
#define MI_COMPRESSED 15
#define MI_UTF8 16
#define MI_UTF16 17

/* Array classes: the low byte of the array flags. */
#define MX_CELL 1
#define MX_STRUCT 2
#define MX_CHAR 4
#define MX_DOUBLE 6
#define MX_SINGLE 7
#define ARRAY_FLAG_COMPLEX 0x0800u

/* The matio reader's limits. */
#define MAX_CHANNELS 65536
#define MAX_MEAN_PIXELS (4096 * 4096)
#define TEXT_SIZE 64            /* text of 64 characters or more is no name we look for */

/* Our own sanity caps on structure. */
#define MAX_RANK 16
#define MAX_FIELDS 4096
#define MAX_FIELD_NAMES (64 * 1024) /* bytes of one struct's field-name table */
#define MAX_SMALL_NUMERIC 8         /* stride, pad, dilate */

#define IN_CHUNK (1u << 20)        /* compressed bytes read at a time */
#define BUF_SIZE (1u << 20)        /* decoded bytes buffered */
#define MIN_PRODUCE (64u * 1024)   /* smallest step of decoding */
#define SCAN_LIMIT (1u << 20)      /* after conv5_4, stop before a field bigger than this */
#define DEFLATE_MAX_RATIO 1040u    /* deflate turns one input byte into at most 1032 */
#define CONVERT_CHUNK 1024         /* values converted at a time */

typedef struct
{
  int fd;
  char *reason;
  size_t reason_size;
  bool declined;

  /* The top-level element being read, as decoded bytes from its miMATRIX tag on. */
  bool compressed;
  uint64_t file_left;     /* bytes of the element not read from the file yet */
  z_stream z;
  bool z_live;            /* inflateInit() done, inflateEnd() pending */
  bool z_end;             /* zlib has seen the end of its stream */
  unsigned char *in;      /* (IN_CHUNK) compressed bytes */
  unsigned char *buf;     /* (BUF_SIZE) decoded bytes; [pos, len) are not consumed yet */
  size_t pos, len;
  uint64_t offset;        /* decoded bytes consumed since the element's start */
} Reader;

/* A data element's tag. */
typedef struct
{
  uint32_t type;
  uint32_t nbytes;
  bool small;             /* the data sits in the tag itself ... */
  unsigned char data[4];  /* ... namely here */
} Tag;

/* The header of a miMATRIX element. */
typedef struct
{
  uint64_t end;           /* stream offset just past the element */
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
  char *names;
} Fields;

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

static bool decline (Reader *r, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static bool
decline (Reader *r, const char *format, ...)
{
  va_list args;

  if (!r->declined && r->reason != NULL && r->reason_size > 0)
    {
      va_start (args, format);
      vsnprintf (r->reason, r->reason_size, format, args);
      va_end (args);
    }
  r->declined = true;
  return false;
}

static uint32_t
le32 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint16_t
le16 (const unsigned char *p)
{
  return (uint16_t) (p[0] | p[1] << 8);
}

/* The stream: one top-level element's decoded bytes. */

static bool
read_fully (Reader *r, void *dst, size_t n)
{
  unsigned char *p = dst;

  while (n > 0)
    {
      ssize_t got = read (r->fd, p, n);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        return decline (r, "cannot read the file: %s", strerror (errno));
      if (got == 0)
        return decline (r, "the file is shorter than its contents say");
      p += got;
      n -= (size_t) got;
    }
  return true;
}

/* Starts reading the element whose tag is at @start, with @nbytes after the tag. */
static bool
stream_open (Reader *r, uint64_t start, uint32_t nbytes, bool compressed)
{
  r->compressed = compressed;
  r->pos = r->len = 0;
  r->offset = 0;
  r->z_end = false;
  /* A plain element's stream starts at its own miMATRIX tag; a compressed one's starts at the
   * miMATRIX tag inside the zlib data. */
  if (lseek (r->fd, (off_t) (start + (compressed ? 8 : 0)), SEEK_SET) < 0)
    return decline (r, "cannot seek in the file: %s", strerror (errno));
  r->file_left = compressed ? nbytes : 8 + (uint64_t) nbytes;
  if (compressed)
    {
      memset (&r->z, 0, sizeof r->z);
      if (inflateInit (&r->z) != Z_OK)
        return decline (r, "zlib cannot start");
      r->z_live = true;
    }
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
 * there is room). Needs len < BUF_SIZE. Declines when the element has no more bytes. */
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
        return decline (r, "an array runs past the end of its variable");
      if (space > r->file_left)
        space = (size_t) r->file_left;
      if (!read_fully (r, r->buf + r->len, space))
        return false;
      r->len += space;
      r->file_left -= space;
      return true;
    }

  /* Each round either produces output, consumes input, or ends: the input is finite. */
  for (;;)
    {
      size_t produced;
      int ret;

      if (r->z_end)
        return decline (r, "an array runs past the end of its compressed variable");
      if (r->z.avail_in == 0)
        {
          size_t n = r->file_left < IN_CHUNK ? (size_t) r->file_left : IN_CHUNK;

          if (n == 0)
            return decline (r, "the compressed data ends early");
          if (!read_fully (r, r->in, n))
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
      if (ret == Z_STREAM_END)
        r->z_end = true; /* and zlib has checked the Adler-32 of the whole stream */
      else if (ret != Z_OK && ret != Z_BUF_ERROR)
        return decline (r, "the compressed data is damaged (zlib: %s)",
                        r->z.msg != NULL ? r->z.msg : "error");
      if (produced > 0 || r->z_end)
        return true;
      if (ret == Z_BUF_ERROR && r->z.avail_in > 0)
        return decline (r, "zlib makes no progress");
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
          /* A plain file: seek past what is not buffered. */
          if (n > r->file_left)
            return decline (r, "an array runs past the end of its variable");
          if (lseek (r->fd, (off_t) n, SEEK_CUR) < 0)
            return decline (r, "cannot seek in the file: %s", strerror (errno));
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
    return decline (r, "an array overruns its element");
  return skip (r, end - r->offset);
}

/* Skips to @end, the end of the variable's array, and reads a compressed variable on to the end
 * of its zlib stream, which makes zlib check the stream's Adler-32: done for every variable read
 * completely. (`layers` in the real file is left after conv5_4, and a checksum of the whole
 * stream cannot be checked from a part of it.) */
static bool
finish_stream (Reader *r, uint64_t end)
{
  if (!skip_to (r, end))
    return false;
  if (!r->compressed)
    return true;
  while (!r->z_end)
    {
      if (r->len > r->pos)
        break;
      r->pos = r->len = 0;
      if (!produce (r, MIN_PRODUCE))
        return false;
    }
  if (r->len > r->pos)
    return decline (r, "data after the end of a compressed variable");
  return true;
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

/* Data elements. */

static bool
read_tag (Reader *r, Tag *tag, uint64_t end)
{
  unsigned char bytes[8];
  uint32_t first;

  if (left (r, end) < 8)
    return decline (r, "a data element runs past its array");
  if (!take (r, bytes, 8))
    return false;
  first = le32 (bytes);
  if (first >> 16 != 0)
    {
      /* The small data element format: type and size in 4 bytes, then up to 4 bytes of data. */
      tag->small = true;
      tag->type = first & 0xffff;
      tag->nbytes = first >> 16;
      if (tag->nbytes > 4)
        return decline (r, "a small data element of %u bytes", (unsigned) tag->nbytes);
      memcpy (tag->data, bytes + 4, 4);
    }
  else
    {
      tag->small = false;
      tag->type = first;
      tag->nbytes = le32 (bytes + 4);
      if (tag->nbytes > left (r, end))
        return decline (r, "a data element runs past its array");
    }
  return true;
}

/* Skips to the next 8-byte boundary after @nbytes of data, within @end. */
static bool
skip_padding (Reader *r, uint64_t nbytes, uint64_t end)
{
  uint64_t pad = (8 - nbytes % 8) % 8;
  uint64_t room = left (r, end);

  return skip (r, pad < room ? pad : room);
}

/* Reads the data of the element whose @tag was just read into @dst (at most @cap bytes). */
static bool
read_element_data (Reader *r, const Tag *tag, void *dst, size_t cap, uint64_t end)
{
  if (tag->nbytes > cap)
    return decline (r, "a data element of %u bytes where at most %zu belong",
                    (unsigned) tag->nbytes, cap);
  if (tag->small)
    {
      memcpy (dst, tag->data, tag->nbytes);
      return true;
    }
  if (!take (r, dst, tag->nbytes))
    return false;
  return skip_padding (r, tag->nbytes, end);
}

/* Reads a miMATRIX header: flags, dimensions and name; the stream is left at the array's data. */
static bool
read_array (Reader *r, Array *a, uint64_t end)
{
  unsigned char flags[8];
  unsigned char dims[4 * MAX_RANK];
  char name[TEXT_SIZE];
  Tag tag;

  memset (a, 0, sizeof *a);
  if (!read_tag (r, &tag, end))
    return false;
  if (tag.small || tag.type != MI_MATRIX)
    return decline (r, "an element of type %u where an array belongs", (unsigned) tag.type);
  a->end = r->offset + tag.nbytes;
  if (tag.nbytes == 0)
    {
      a->empty = true;
      return true;
    }

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != MI_UINT32 || tag.nbytes != 8
      || !read_element_data (r, &tag, flags, sizeof flags, a->end))
    return r->declined ? false : decline (r, "array flags of an unexpected form");
  a->class_id = flags[0];
  a->complex = (le32 (flags) & ARRAY_FLAG_COMPLEX) != 0;

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != MI_INT32 || tag.nbytes % 4 != 0 || tag.nbytes < 8 || tag.nbytes > sizeof dims
      || !read_element_data (r, &tag, dims, sizeof dims, a->end))
    return r->declined ? false : decline (r, "array dimensions of an unexpected form");
  a->rank = (int) (tag.nbytes / 4);
  a->numel = 1;
  for (int i = 0; i < a->rank; i++)
    {
      int32_t d = (int32_t) le32 (dims + 4 * i);

      if (d < 0)
        return decline (r, "a negative array dimension");
      a->dims[i] = (uint32_t) d;
      if (d != 0 && a->numel > UINT64_MAX / (uint32_t) d)
        return decline (r, "an array of impossible size");
      a->numel *= (uint32_t) d;
    }

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != MI_INT8)
    return decline (r, "an array name of type %u", (unsigned) tag.type);
  if (tag.nbytes < sizeof name)
    {
      if (!read_element_data (r, &tag, name, sizeof name - 1, a->end))
        return false;
      name[tag.nbytes] = '\0';
      /* As a C string, like matio's name: it ends at the first NUL. */
      memcpy (a->name, name, sizeof name);
    }
  else if (!skip (r, tag.nbytes) || !skip_padding (r, tag.nbytes, a->end))
    return false;
  return true;
}

/* Reads a struct's field-name table (after read_array()). */
static bool
read_fields (Reader *r, const Array *a, Fields *f)
{
  unsigned char len_bytes[4];
  uint32_t len;
  Tag tag;

  memset (f, 0, sizeof *f);
  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != MI_INT32 || tag.nbytes != 4
      || !read_element_data (r, &tag, len_bytes, sizeof len_bytes, a->end))
    return r->declined ? false : decline (r, "a struct's field-name length of unexpected form");
  len = le32 (len_bytes);
  if (len == 0 || len > MAX_FIELD_NAMES)
    return decline (r, "a struct's field names are %u bytes long", (unsigned) len);

  if (!read_tag (r, &tag, a->end))
    return false;
  if (tag.type != MI_INT8 || tag.nbytes % len != 0 || tag.nbytes > MAX_FIELD_NAMES
      || tag.nbytes / len > MAX_FIELDS)
    return decline (r, "a struct's field-name table of unexpected form");
  f->n_fields = tag.nbytes / len;
  f->name_len = len;
  f->names = malloc ((size_t) tag.nbytes + 1);
  if (f->names == NULL)
    return decline (r, "out of memory");
  return read_element_data (r, &tag, f->names, tag.nbytes, a->end);
}

/* The index of the first field called @name, or -1: the matio reader also takes the first. */
static long
field_index (const Fields *f, const char *name)
{
  size_t n = strlen (name);

  for (size_t i = 0; i < f->n_fields; i++)
    {
      const char *slot = f->names + i * f->name_len;

      if (strnlen (slot, f->name_len) == n && memcmp (slot, name, n) == 0)
        return (long) i;
    }
  return -1;
}

/* Numbers. */

static size_t
storage_size (uint32_t type)
{
  switch (type)
    {
    case MI_INT8:
    case MI_UINT8:
      return 1;
    case MI_INT16:
    case MI_UINT16:
      return 2;
    case MI_INT32:
    case MI_UINT32:
    case MI_SINGLE:
      return 4;
    case MI_DOUBLE:
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
    case MI_SINGLE:
      memcpy (out, p, n * sizeof (float));
      break;
    case MI_DOUBLE:
      for (size_t i = 0; i < n; i++)
        {
          double d;

          memcpy (&d, p + 8 * i, 8);
          out[i] = (float) d;
        }
      break;
    case MI_INT8:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) (int8_t) p[i];
      break;
    case MI_UINT8:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) p[i];
      break;
    case MI_INT16:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) (int16_t) le16 (p + 2 * i);
      break;
    case MI_UINT16:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) le16 (p + 2 * i);
      break;
    case MI_INT32:
      for (size_t i = 0; i < n; i++)
        out[i] = (float) (int32_t) le32 (p + 4 * i);
      break;
    case MI_UINT32:
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
numeric_begin (Reader *r, const Array *a, Tag *tag)
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
numeric_stream (Reader *r, const Array *a, const Tag *tag, Sink *sink)
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
  return !a->empty && (a->class_id == MX_SINGLE || a->class_id == MX_DOUBLE) && !a->complex;
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
  Tag tag;

  out[0] = '\0';
  *is_text = !a->empty && a->class_id == MX_CHAR && !a->complex;
  if (!*is_text || a->numel == 0 || a->numel >= TEXT_SIZE)
    return true;
  if (!read_tag (r, &tag, a->end))
    return false;
  switch (tag.type)
    {
    case MI_UTF8:
    case MI_UINT8:
    case MI_INT8:
      unit = 1;
      break;
    case MI_UINT16:
    case MI_UTF16:
      unit = 2;
      break;
    default:
      return decline (r, "text stored as type %u", (unsigned) tag.type);
    }
  if (tag.nbytes != a->numel * unit)
    return decline (r, "text whose data does not match its length");
  if (!read_element_data (r, &tag, bytes, sizeof bytes, a->end))
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
  Tag tag;
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
  Tag tag;

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
  Tag tag;

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
  layer->weights_is_cell = !a->empty && a->class_id == MX_CELL;
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
      if (!skip_to (r, element.end))
        return false;
    }
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
      if (scan && left (r, v.end) > SCAN_LIMIT)
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
      if (!ok || !skip_to (r, v.end))
        return false;
    }
  if (r->offset != la->end)
    return decline (r, "a layer holds more than its fields");
  return true;
}

/* Decides about a layer as the matio reader does and keeps its arrays if it is a wanted conv. */
static bool
keep_layer (Reader *r, uint64_t number, Layer *layer, Found *found, ImpastoWeights *weights)
{
  ImpastoConvWeights *conv;
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
read_layers (Reader *r, const Array *cell, ImpastoWeights *weights, bool *stopped)
{
  Found found = { .last = -1 };

  *stopped = false;
  if (cell->empty || cell->class_id != MX_CELL)
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
      if (la.empty || la.class_id != MX_STRUCT || la.numel != 1)
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
      if (!skip_to (r, la.end))
        return false;
    }

  if (r->offset != cell->end)
    return decline (r, "`layers` holds more than its layers");
  if (found.n_found < IMPASTO_VGG19_N_CONVS)
    return decline (r, "%d of the 16 convs found", found.n_found);
  return true;
}

/* The mean. */

typedef bool (*FieldFunc) (Reader *r, const Array *value, Mean *mean);

/* Walks every element of the struct @st (after read_array()): in a 1x1 struct the first field
 * called @name goes to @func, everything else is skipped; the fields of all elements must fill
 * the struct exactly. */
static bool
walk_struct (Reader *r, const Array *st, const char *name, FieldFunc func, Mean *mean)
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
      if ((long) k == index && !func (r, &value, mean))
        return false;
      if (!skip_to (r, value.end))
        return false;
    }
  if (r->offset != st->end)
    return decline (r, "a struct holds more than its fields");
  return true;
}

/* averageImage (after read_array()), averaged per channel exactly as the matio reader does. */
static bool
read_average (Reader *r, const Array *average, Mean *mean)
{
  Sink sink = { .kind = SINK_MEAN };
  size_t n_long = 0;
  Tag tag;

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
read_normalization (Reader *r, const Array *normalization, Mean *mean)
{
  mean->found = true;
  mean->from_file = false;
  if (normalization->empty)
    return decline (r, "an empty normalization element");
  if (normalization->class_id != MX_STRUCT)
    return true;
  return walk_struct (r, normalization, "averageImage", read_average, mean);
}

/* The `meta` variable (after read_array()): meta.normalization if meta is a 1x1 struct that has
 * such a field; otherwise mean->found stays false. */
static bool
read_meta (Reader *r, const Array *meta, Mean *mean)
{
  mean->found = false;
  if (meta->empty || meta->class_id != MX_STRUCT)
    return true;
  return walk_struct (r, meta, "normalization", read_normalization, mean);
}

static void
clear_convs (ImpastoWeights *weights)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      free (weights->convs[i].filters);
      free (weights->convs[i].biases);
      memset (&weights->convs[i], 0, sizeof weights->convs[i]);
    }
}

/* Walks the top-level variables, reading `layers`, `meta` and `normalization` (the first of
 * each, as the matio reader) and skipping the others by their byte counts. */
static bool
read_file (Reader *r, ImpastoWeights *weights)
{
  unsigned char header[MAT_HEADER_SIZE];
  bool have_layers = false, have_meta = false, have_normalization = false;
  Mean meta_mean = { 0 }, normalization_mean = { 0 };
  const Mean *mean = NULL;
  struct stat st;
  uint64_t size, pos;

  if (fstat (r->fd, &st) != 0)
    return decline (r, "cannot stat the file: %s", strerror (errno));
  if (!S_ISREG (st.st_mode))
    return decline (r, "not a regular file");
  size = (uint64_t) st.st_size;
  if (size < MAT_HEADER_SIZE || !read_fully (r, header, sizeof header))
    return r->declined ? false : decline (r, "shorter than a MAT-file header");
  if (header[126] != 'I' || header[127] != 'M')
    return decline (r, "not a little-endian MAT-file");
  if (le16 (header + 124) != 0x0100)
    return decline (r, "not a MAT v5 file (version 0x%04x)", (unsigned) le16 (header + 124));

  r->in = malloc (IN_CHUNK);
  r->buf = malloc (BUF_SIZE);
  if (r->in == NULL || r->buf == NULL)
    return decline (r, "out of memory");

  pos = MAT_HEADER_SIZE;
  while (pos + 8 <= size)
    {
      unsigned char bytes[8];
      uint32_t type, nbytes;
      uint64_t next;
      Array top;
      bool ok = true;

      if (pread (r->fd, bytes, 8, (off_t) pos) != 8)
        return decline (r, "cannot read a variable's tag");
      type = le32 (bytes);
      nbytes = le32 (bytes + 4);
      if (type == 0 && nbytes == 0)
        break; /* zero padding at the end */
      if (type != MI_MATRIX && type != MI_COMPRESSED)
        return decline (r, "no variable at byte %llu", (unsigned long long) pos);
      next = pos + 8 + nbytes;
      if (type == MI_MATRIX && next % 8 != 0)
        next += 8 - next % 8;
      if (next > size)
        return decline (r, "the file is cut short");

      if (!stream_open (r, pos, nbytes, type == MI_COMPRESSED))
        return false;
      ok = read_array (r, &top, type == MI_COMPRESSED ? UINT64_MAX : 8 + (uint64_t) nbytes);
      if (ok && !have_layers && strcmp (top.name, "layers") == 0)
        {
          bool stopped;

          have_layers = true;
          ok = read_layers (r, &top, weights, &stopped);
          if (ok && !stopped)
            ok = finish_stream (r, top.end);
        }
      else if (ok && !have_meta && strcmp (top.name, "meta") == 0)
        {
          have_meta = true;
          ok = read_meta (r, &top, &meta_mean) && finish_stream (r, top.end);
        }
      else if (ok && !have_normalization && strcmp (top.name, "normalization") == 0)
        {
          have_normalization = true;
          ok = read_normalization (r, &top, &normalization_mean) && finish_stream (r, top.end);
        }
      stream_close (r);
      if (!ok)
        return false;
      pos = next;
    }

  if (!have_layers)
    return decline (r, "no `layers` variable");
  /* meta.normalization first, then a top-level normalization, as the matio reader. */
  if (meta_mean.found)
    mean = &meta_mean;
  else if (normalization_mean.found)
    mean = &normalization_mean;
  if (mean != NULL && mean->from_file)
    {
      memcpy (weights->mean_pixel, mean->pixel, sizeof weights->mean_pixel);
      weights->mean_from_file = true;
    }
  return true;
}

bool
impasto_mat_stream_read (ImpastoWeights *weights,
                         const char *path,
                         char *reason,
                         size_t reason_size)
{
  Reader r = { .fd = -1, .reason = reason, .reason_size = reason_size };
  bool ok;

  if (reason != NULL && reason_size > 0)
    reason[0] = '\0';
  if (weights == NULL || path == NULL)
    return decline (&r, "no weights or no path given");

  r.fd = open (path, O_RDONLY | O_CLOEXEC);
  if (r.fd < 0)
    return decline (&r, "cannot open the file: %s", strerror (errno));
  posix_fadvise (r.fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  ok = read_file (&r, weights);

  stream_close (&r);
  close (r.fd);
  free (r.in);
  free (r.buf);
  if (!ok)
    clear_convs (weights);
  return ok;
}
