/* impasto-gray-png.c
 *
 * An 8-bit greyscale PNG writer (see impasto-gray-png.h): signature, IHDR, one IDAT with the
 * zlib stream of the rows (each preceded by filter type 0), IEND; every chunk with its CRC-32.
 * No interlacing, no colour profile, no text chunks.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-gray-png"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <zlib.h>

#include "impasto-gray-png.h"

static void
append_u32 (GByteArray *out,
            guint32     value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, bytes, 4);
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  append_u32 (out, (guint32) length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (out, data, (guint) length);
  crc = crc32 (crc, (const Bytef *) type, 4);
  if (length > 0)
    crc = crc32 (crc, data, (uInt) length);
  append_u32 (out, (guint32) crc);
}

gboolean
impasto_gray_png_save (const guint8  *gray,
                       int            width,
                       int            height,
                       gsize          stride,
                       const char    *path,
                       GError       **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) out = NULL;
  g_autofree guint8 *raw = NULL;
  g_autofree guint8 *packed = NULL;
  guint8 header[13];
  gsize raw_size;
  uLongf packed_size;

  g_return_val_if_fail (gray != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (stride >= (gsize) width, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  raw_size = ((gsize) width + 1) * height;
  raw = g_try_malloc (raw_size);
  packed_size = compressBound ((uLong) raw_size);
  packed = g_try_malloc (packed_size);
  if (raw == NULL || packed == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory to write “%s”"), path);
      return FALSE;
    }
  for (int y = 0; y < height; y++)
    {
      guint8 *row = raw + (gsize) y * (width + 1);

      row[0] = 0;   /* filter: none */
      memcpy (row + 1, gray + (gsize) y * stride, width);
    }
  if (compress2 (packed, &packed_size, raw, (uLong) raw_size, 6) != Z_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not compress “%s”"), path);
      return FALSE;
    }

  header[0] = (guint32) width >> 24;
  header[1] = ((guint32) width >> 16) & 0xff;
  header[2] = ((guint32) width >> 8) & 0xff;
  header[3] = (guint32) width & 0xff;
  header[4] = (guint32) height >> 24;
  header[5] = ((guint32) height >> 16) & 0xff;
  header[6] = ((guint32) height >> 8) & 0xff;
  header[7] = (guint32) height & 0xff;
  header[8] = 8;    /* bit depth */
  header[9] = 0;    /* colour type: greyscale */
  header[10] = 0;   /* compression: deflate */
  header[11] = 0;   /* filter method */
  header[12] = 0;   /* no interlacing */

  out = g_byte_array_sized_new ((guint) packed_size + 64);
  g_byte_array_append (out, signature, sizeof signature);
  append_chunk (out, "IHDR", header, sizeof header);
  append_chunk (out, "IDAT", packed, packed_size);
  append_chunk (out, "IEND", NULL, 0);

  return g_file_set_contents (path, (const char *) out->data, out->len, error);
}
