/* impasto-mat-format.h
 *
 * The constants of the version-5 MAT-file format (The MathWorks, "MAT-File Format": MATLAB -v6
 * and -v7, what MatConvNet publishes) and the decoding of its 8-byte tags, shared by everything
 * in Impasto that looks at such a file: the reader (impasto-mat-reader.c), the loader's messages
 * (impasto-weights.c) and the tests that build files by hand.
 *
 * A file is a 128-byte header (text, then at 124 the version 0x0100 and at 126 'I' 'M' in the
 * writer's byte order), then data elements: an 8-byte tag (type, byte count) and the data padded
 * to 8 bytes, or a "small" element whose tag holds type and count in 4 bytes and up to 4 bytes
 * of data. A variable is an miMATRIX (array flags, dimensions, name, then its data, cells or
 * fields); an miCOMPRESSED element is a zlib stream holding one miMATRIX.
 *
 * This header does not read files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IMPASTO_MAT_HEADER_SIZE 128
#define IMPASTO_MAT_VERSION_5 0x0100   /* -v6, -v7 */
#define IMPASTO_MAT_VERSION_73 0x0200  /* -v7.3: HDF5 with a MAT header */

/* Data types of data elements. */
enum
{
  IMPASTO_MI_INT8 = 1,
  IMPASTO_MI_UINT8 = 2,
  IMPASTO_MI_INT16 = 3,
  IMPASTO_MI_UINT16 = 4,
  IMPASTO_MI_INT32 = 5,
  IMPASTO_MI_UINT32 = 6,
  IMPASTO_MI_SINGLE = 7,
  IMPASTO_MI_DOUBLE = 9,
  IMPASTO_MI_INT64 = 12,
  IMPASTO_MI_UINT64 = 13,
  IMPASTO_MI_MATRIX = 14,
  IMPASTO_MI_COMPRESSED = 15,
  IMPASTO_MI_UTF8 = 16,
  IMPASTO_MI_UTF16 = 17,
  IMPASTO_MI_UTF32 = 18,
};

/* Array classes: the low byte of an array's flags. */
enum
{
  IMPASTO_MX_CELL = 1,
  IMPASTO_MX_STRUCT = 2,
  IMPASTO_MX_OBJECT = 3,
  IMPASTO_MX_CHAR = 4,
  IMPASTO_MX_SPARSE = 5,
  IMPASTO_MX_DOUBLE = 6,
  IMPASTO_MX_SINGLE = 7,
  IMPASTO_MX_INT8 = 8,
  IMPASTO_MX_UINT8 = 9,
  IMPASTO_MX_UINT64 = 15,
};

#define IMPASTO_MAT_FLAG_COMPLEX 0x0800u

/* A decoded tag. */
typedef struct
{
  uint32_t type;
  uint32_t nbytes;
  bool small;             /* the data sits in the tag itself ... */
  unsigned char data[4];  /* ... namely here */
} ImpastoMatTag;

/* The 32-bit value at @p, stored little-endian, or big-endian when @swap. */
static inline uint32_t
impasto_mat_u32 (const unsigned char *p, bool swap)
{
  if (swap)
    return (uint32_t) p[3] | (uint32_t) p[2] << 8 | (uint32_t) p[1] << 16 | (uint32_t) p[0] << 24;
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static inline uint16_t
impasto_mat_u16 (const unsigned char *p, bool swap)
{
  return swap ? (uint16_t) (p[1] | p[0] << 8) : (uint16_t) (p[0] | p[1] << 8);
}

/* Decodes the 8 bytes of a tag; a small element's data is copied into @tag->data. */
static inline void
impasto_mat_tag_decode (ImpastoMatTag *tag, const unsigned char bytes[8], bool swap)
{
  uint32_t first = impasto_mat_u32 (bytes, swap);

  if (first >> 16 != 0)
    {
      tag->small = true;
      tag->type = first & 0xffffu;
      tag->nbytes = first >> 16;
      memcpy (tag->data, bytes + 4, 4);
    }
  else
    {
      tag->small = false;
      tag->type = first;
      tag->nbytes = impasto_mat_u32 (bytes + 4, swap);
    }
}

/* Bytes after @nbytes of data up to the next 8-byte boundary. */
static inline uint32_t
impasto_mat_padding (uint64_t nbytes)
{
  return (uint32_t) ((8 - nbytes % 8) % 8);
}

/* Bytes per stored value of data type @type (text types included), 0 for an unknown type. */
static inline size_t
impasto_mat_type_size (uint32_t type)
{
  switch (type)
    {
    case IMPASTO_MI_INT8: case IMPASTO_MI_UINT8: case IMPASTO_MI_UTF8: return 1;
    case IMPASTO_MI_INT16: case IMPASTO_MI_UINT16: case IMPASTO_MI_UTF16: return 2;
    case IMPASTO_MI_INT32: case IMPASTO_MI_UINT32: case IMPASTO_MI_SINGLE:
    case IMPASTO_MI_UTF32: return 4;
    case IMPASTO_MI_DOUBLE: case IMPASTO_MI_INT64: case IMPASTO_MI_UINT64: return 8;
    default: return 0;
    }
}
