/* impasto-picture-colors.c
 *
 * The photo's chroma on 8-bit frames; see impasto-picture-colors.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto"

#include "config.h"

#include <string.h>

#include "impasto-colors-inputs.h"
#include "impasto-picture-colors.h"

void
impasto_rgb8_keep_chroma (guint8       *rgb,
                          int           width,
                          int           height,
                          gsize         stride,
                          const guint8 *photo,
                          gsize         photo_stride)
{
  g_autofree float *row = NULL;
  g_autofree float *photo_row = NULL;

  g_return_if_fail (rgb != NULL && photo != NULL && width > 0 && height > 0);

  row = g_new (float, (gsize) width * 3);
  photo_row = g_new (float, (gsize) width * 3);
  for (int y = 0; y < height; y++)
    {
      guint8 *dst = rgb + (gsize) y * stride;
      const guint8 *src = photo + (gsize) y * photo_stride;

      for (int k = 0; k < width * 3; k++)
        {
          row[k] = dst[k];
          photo_row[k] = src[k];
        }
      impasto_colors_keep_chroma_rgb8 (row, photo_row, (size_t) width, dst);
    }
}

GBytes *
impasto_pixbuf_to_rgb8_bytes (GdkPixbuf *pixbuf)
{
  int width, height, channels;
  gsize rowstride;
  const guint8 *pixels;
  guint8 *rgb;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  rowstride = (gsize) gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  rgb = g_try_malloc ((gsize) width * height * 3);
  if (rgb == NULL)
    return NULL;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      memcpy (rgb + ((gsize) y * width + x) * 3, pixels + y * rowstride + (gsize) x * channels, 3);
  return g_bytes_new_take (rgb, (gsize) width * height * 3);
}
