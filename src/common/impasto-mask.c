/* impasto-mask.c
 *
 * Region masks as files; see impasto-mask.h. Reading goes through impasto-image.c (alpha kept).
 * Writing builds the PNG itself (signature, IHDR of colour type 0 at 8 bits, the rows with filter
 * byte 0 deflated by GIO's zlib compressor in IDAT chunks of at most 1 MiB, IEND, each chunk with
 * its CRC-32), because gdk-pixbuf writes RGB and RGBA only, and hands the bytes to
 * g_file_set_contents_full() to replace the file atomically.
 *
 * It does not write other formats or bit depths: a mask is 8 bits of grey.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-mask"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "impasto-image.h"
#include "impasto-mask.h"

#define IDAT_MAX (1024 * 1024)

float *
impasto_mask_from_pixbuf (GdkPixbuf *pixbuf)
{
  const guint8 *pixels;
  gboolean alpha;
  float *mask;
  int width;
  int height;
  int stride;
  int n_channels;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (gdk_pixbuf_get_colorspace (pixbuf) == GDK_COLORSPACE_RGB, NULL);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, NULL);

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  g_return_val_if_fail (n_channels == (alpha ? 4 : 3), NULL);

  mask = g_try_malloc_n ((gsize) width * (gsize) height, sizeof (float));
  if (mask == NULL)
    return NULL;

  pixels = gdk_pixbuf_read_pixels (pixbuf);
  for (int y = 0; y < height; y++)
    {
      const guint8 *p = pixels + (gsize) y * stride;
      float *out = mask + (gsize) y * width;

      for (int x = 0; x < width; x++, p += n_channels)
        {
          /* In thousandths, exact: white is 255000, so an opaque white pixel is exactly 1. */
          guint32 luminance = 299u * p[0] + 587u * p[1] + 114u * p[2];

          out[x] = alpha ? (float) ((double) luminance * p[3] / (1000.0 * 255.0 * 255.0))
                         : (float) (luminance / (1000.0 * 255.0));
        }
    }

  return mask;
}

float *
impasto_mask_load (const char  *path,
                   int         *width,
                   int         *height,
                   GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  float *mask;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (width != NULL && height != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pixbuf = impasto_image_load_with_alpha (path, error);
  if (pixbuf == NULL)
    return NULL;

  mask = impasto_mask_from_pixbuf (pixbuf);
  if (mask == NULL)
    {
      g_autofree char *display_name = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                   _("Not enough memory to read the mask %s"), display_name);
      return NULL;
    }

  *width = gdk_pixbuf_get_width (pixbuf);
  *height = gdk_pixbuf_get_height (pixbuf);
  return mask;
}

gboolean
impasto_mask_covers (const float *mask,
                     gsize        n)
{
  g_return_val_if_fail (mask != NULL || n == 0, FALSE);

  for (gsize i = 0; i < n; i++)
    if (mask[i] > IMPASTO_MASK_MIN_IN)
      return TRUE;
  return FALSE;
}

/* CRC-32 of PNG (ISO 3309, polynomial 0xedb88320), by a table made once. */
static guint32 crc_table[256];

static void
crc_table_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          crc_table[n] = c;
        }
      g_once_init_leave (&done, 1);
    }
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            gsize         size)
{
  for (gsize i = 0; i < size; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, bytes, 4);
}

/* Length, @type, @data and the CRC over type and data. */
static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         size)
{
  guint32 crc = 0xffffffffu;

  append_be32 (out, (guint32) size);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (size > 0)
    g_byte_array_append (out, data, (guint) size);
  crc = crc_update (crc, (const guint8 *) type, 4);
  crc = crc_update (crc, data, size);
  append_be32 (out, crc ^ 0xffffffffu);
}

/* @data as one zlib stream (what IDAT holds). */
static GBytes *
deflate_bytes (const guint8  *data,
               gsize          size,
               GError       **error)
{
  g_autoptr(GZlibCompressor) compressor =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) stream =
    g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (stream, data, size, NULL, NULL, error)
      || !g_output_stream_close (stream, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

gboolean
impasto_mask_save (const float  *mask,
                   int           width,
                   int           height,
                   const char   *path,
                   GError      **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char *display_name = NULL;
  g_autofree char *lower = NULL;
  g_autofree guint8 *rows = NULL;
  g_autoptr(GBytes) compressed = NULL;
  g_autoptr(GByteArray) png = NULL;
  g_autoptr(GError) local_error = NULL;
  GByteArray *ihdr;
  const guint8 *idat;
  gsize idat_size;
  gsize row_size;

  g_return_val_if_fail (mask != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_filename_display_name (path);
  lower = g_ascii_strdown (path, -1);
  if (!g_str_has_suffix (lower, ".png"))
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT,
                   _("Cannot save the mask %s: the file name must end in .png"), display_name);
      return FALSE;
    }

  row_size = (gsize) width + 1;
  rows = g_try_malloc_n (row_size, (gsize) height);
  if (rows == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                   _("Not enough memory to save the mask %s"), display_name);
      return FALSE;
    }
  for (int y = 0; y < height; y++)
    {
      guint8 *row = rows + (gsize) y * row_size;
      const float *in = mask + (gsize) y * width;

      row[0] = 0;   /* filter: none */
      for (int x = 0; x < width; x++)
        {
          /* NaN is out. */
          float value = in[x] > 0.0f ? MIN (in[x], 1.0f) : 0.0f;

          row[x + 1] = (guint8) lrintf (value * 255.0f);
        }
    }

  compressed = deflate_bytes (rows, row_size * height, &local_error);
  if (compressed == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("Could not write %s: %s"), display_name, local_error->message);
      return FALSE;
    }
  g_clear_pointer (&rows, g_free);

  crc_table_init ();
  png = g_byte_array_new ();
  g_byte_array_append (png, signature, sizeof signature);

  ihdr = g_byte_array_new ();
  append_be32 (ihdr, (guint32) width);
  append_be32 (ihdr, (guint32) height);
  /* 8 bits, grey, deflate, adaptive filtering (each row's own byte), not interlaced. */
  g_byte_array_append (ihdr, (const guint8 []) { 8, 0, 0, 0, 0 }, 5);
  append_chunk (png, "IHDR", ihdr->data, ihdr->len);
  g_byte_array_unref (ihdr);

  idat = g_bytes_get_data (compressed, &idat_size);
  for (gsize offset = 0; offset < idat_size; offset += IDAT_MAX)
    append_chunk (png, "IDAT", idat + offset, MIN (IDAT_MAX, idat_size - offset));
  append_chunk (png, "IEND", NULL, 0);

  if (!g_file_set_contents_full (path, (const char *) png->data, png->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0666, &local_error))
    {
      g_set_error (error, G_FILE_ERROR,
                   local_error->domain == G_FILE_ERROR ? local_error->code : G_FILE_ERROR_FAILED,
                   _("Could not write %s: %s"), display_name, local_error->message);
      return FALSE;
    }

  return TRUE;
}
