/* impasto-image.c
 *
 * Image files at the edge of the engine. Loading checks the declared size with
 * gdk_pixbuf_get_file_info() before any pixel is decoded (so a small file that claims to be
 * 60000 x 60000 pixels is refused instead of exhausting memory), checks that a JPEG, PNG or WebP
 * file is complete (their decoders fill a cut-off picture with grey and report success), decodes
 * a JPEG through a GdkPixbufLoader whose size-prepared handler asks libjpeg for no more pixels
 * than the working size needs (1/2, 1/4 or 1/8 of the full size), turns the picture upright from its
 * EXIF orientation and flattens alpha onto white (or keeps it, for masks). Saving encodes to
 * memory first, then writes a temporary file in the destination folder, syncs it and renames it
 * over the destination, so a failed save never destroys what was there.
 *
 * This file does not know about the engine, threads or GTK, and it does not guess formats from
 * contents when saving: the extension decides.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-image"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "impasto-file-io.h"
#include "impasto-image.h"

G_DEFINE_QUARK (impasto-image-error-quark, impasto_image_error)

static gboolean
check_declared_size (const char  *display_name,
                     int          width,
                     int          height,
                     GError     **error)
{
  if (width > IMPASTO_IMAGE_MAX_SIDE
      || height > IMPASTO_IMAGE_MAX_SIDE
      || (gint64) width * height > IMPASTO_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE,
                   _("%s is too large: %d × %d pixels (the limit is %d pixels a side and %d "
                     "megapixels)"),
                   display_name, width, height, IMPASTO_IMAGE_MAX_SIDE,
                   IMPASTO_IMAGE_MAX_PIXELS / 1000000);
      return FALSE;
    }

  return TRUE;
}

/* A new RGB pixbuf: @src's colours composited over white. NULL if memory runs out. */
static GdkPixbuf *
flatten_onto_white (GdkPixbuf *src)
{
  GdkPixbuf *dst;
  const guint8 *src_pixels;
  guint8 *dst_pixels;
  int width;
  int height;
  int src_stride;
  int dst_stride;

  g_assert (gdk_pixbuf_get_has_alpha (src));
  g_assert (gdk_pixbuf_get_n_channels (src) == 4);

  width = gdk_pixbuf_get_width (src);
  height = gdk_pixbuf_get_height (src);
  dst = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (dst == NULL)
    return NULL;

  src_pixels = gdk_pixbuf_read_pixels (src);
  src_stride = gdk_pixbuf_get_rowstride (src);
  dst_pixels = gdk_pixbuf_get_pixels (dst);
  dst_stride = gdk_pixbuf_get_rowstride (dst);

  for (int y = 0; y < height; y++)
    {
      const guint8 *s = src_pixels + (gsize) y * src_stride;
      guint8 *d = dst_pixels + (gsize) y * dst_stride;

      for (int x = 0; x < width; x++)
        {
          guint alpha = s[3];

          for (int c = 0; c < 3; c++)
            d[c] = (guint8) ((s[c] * alpha + 255 * (255 - alpha) + 127) / 255);
          s += 4;
          d += 3;
        }
    }

  return dst;
}

static void
set_out_of_memory (GError     **error,
                   const char  *display_name)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
               _("Not enough memory to decode %s"), display_name);
}

static void
set_truncated (GError     **error,
               const char  *display_name)
{
  g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TRUNCATED,
               _("%s is cut short: part of the picture is missing (an unfinished download or "
                 "copy?)"), display_name);
}

/* Reads exactly @size bytes at the current position; FALSE at the end of the file. */
static gboolean
read_exactly (FILE   *file,
              guint8 *buffer,
              gsize   size)
{
  return fread (buffer, 1, size, file) == size;
}

/* A JPEG is complete when, after its first start-of-scan (found by walking the marker segments
 * from SOI, which steps over an EXIF thumbnail and its own end marker), the entropy-coded data
 * runs into an EOI marker. Progressive JPEGs have several scans; the walk goes on through them. */
static gboolean
jpeg_is_complete (FILE *file)
{
  guint8 b[2];
  gboolean in_scan = FALSE;
  gboolean seen_scan = FALSE;
  int c;

  if (!read_exactly (file, b, 2) || b[0] != 0xff || b[1] != 0xd8)
    return TRUE; /* not what we check: the decoder decides */

  for (;;)
    {
      int marker;

      if (in_scan)
        {
          /* Entropy-coded data: 0xff 0x00 is a stuffed byte, 0xff 0xd0-d7 a restart marker. */
          do
            {
              while ((c = getc (file)) != EOF && c != 0xff)
                ;
              if (c == EOF)
                return FALSE;
              while ((c = getc (file)) == 0xff)
                ;
              if (c == EOF)
                return FALSE;
            }
          while (c == 0x00 || (c >= 0xd0 && c <= 0xd7));
          marker = c;
        }
      else
        {
          if ((c = getc (file)) != 0xff)
            return c == EOF ? FALSE : TRUE; /* damaged, not short: the decoder decides */
          while ((c = getc (file)) == 0xff)
            ;
          if (c == EOF)
            return FALSE;
          marker = c;
        }

      if (marker == 0xd9)
        return seen_scan;
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;
      if (!read_exactly (file, b, 2))
        return FALSE;
      {
        long length = (long) ((guint) b[0] << 8 | b[1]);

        if (length < 2)
          return TRUE; /* damaged: the decoder decides */
        if (fseek (file, length - 2, SEEK_CUR) != 0)
          return FALSE;
      }
      in_scan = marker == 0xda;
      seen_scan = seen_scan || in_scan;
    }
}

/* A PNG is complete when its chunks lead, within the file, to IEND. */
static gboolean
png_is_complete (FILE  *file,
                 gint64 file_size)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 head[8];
  gint64 position = 8;

  if (!read_exactly (file, head, 8) || memcmp (head, signature, 8) != 0)
    return TRUE;

  while (position + 12 <= file_size)
    {
      guint32 length;

      if (fseeko (file, position, SEEK_SET) != 0 || !read_exactly (file, head, 8))
        return FALSE;
      length = (guint32) head[0] << 24 | (guint32) head[1] << 16 | (guint32) head[2] << 8
               | head[3];
      if (memcmp (head + 4, "IEND", 4) == 0)
        return TRUE;
      position += 12 + (gint64) length;
    }
  return FALSE;
}

/* A WebP (RIFF) file is complete when it is as long as its RIFF header says. */
static gboolean
webp_is_complete (FILE  *file,
                  gint64 file_size)
{
  guint8 head[12];
  guint32 riff_size;

  if (!read_exactly (file, head, 12) || memcmp (head, "RIFF", 4) != 0
      || memcmp (head + 8, "WEBP", 4) != 0)
    return TRUE;
  riff_size = (guint32) head[4] | (guint32) head[5] << 8 | (guint32) head[6] << 16
              | (guint32) head[7] << 24;
  return file_size >= 8 + (gint64) riff_size;
}

/* FALSE when a JPEG, PNG or WebP file (known by its first bytes, whatever its name) is cut short;
 * other formats, and files that cannot be read here, are left to the decoder. */
static gboolean
file_is_complete (const char *path,
                  gint64      file_size)
{
  static const guint8 png_signature[4] = { 0x89, 'P', 'N', 'G' };
  gboolean complete = TRUE;
  guint8 magic[4] = { 0 };
  FILE *file = g_fopen (path, "rb");

  if (file == NULL)
    return TRUE;
  if (read_exactly (file, magic, 4) && fseek (file, 0, SEEK_SET) == 0)
    {
      if (magic[0] == 0xff && magic[1] == 0xd8 && magic[2] == 0xff)
        complete = jpeg_is_complete (file);
      else if (memcmp (magic, png_signature, 4) == 0)
        complete = png_is_complete (file, file_size);
      else if (memcmp (magic, "RIFF", 4) == 0)
        complete = webp_is_complete (file, file_size);
    }
  fclose (file);
  return complete;
}

typedef struct
{
  ImpastoImageFit fit;
  int side;               /* 0: no reduction */
  gboolean keep_alpha;    /* RGBA stays RGBA instead of being flattened onto white */
} SizeRequest;

/* The size a JPEG of @width x @height is decoded at for @request: the smallest of its full, half,
 * quarter and eighth sizes (what libjpeg decodes directly, rounding up) that still has the
 * requested side, so that the caller's one resampling step starts from enough pixels. */
static void
requested_size (const SizeRequest *request,
                int                width,
                int                height,
                int               *out_width,
                int               *out_height)
{
  *out_width = width;
  *out_height = height;
  if (request->side <= 0 || width <= 0 || height <= 0)
    return;

  for (int denominator = 8; denominator >= 2; denominator /= 2)
    {
      int w = (width + denominator - 1) / denominator;
      int h = (height + denominator - 1) / denominator;
      int side = request->fit == IMPASTO_IMAGE_LONGEST_SIDE ? MAX (w, h) : MIN (w, h);

      if (side >= request->side)
        {
          *out_width = w;
          *out_height = h;
          return;
        }
    }
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  const SizeRequest *request = user_data;
  int target_width;
  int target_height;

  requested_size (request, width, height, &target_width, &target_height);
  if (target_width != width || target_height != height)
    gdk_pixbuf_loader_set_size (loader, target_width, target_height);
}

/* Decodes the JPEG @path with a loader that asks for @request's size, which libjpeg decodes
 * directly at 1/2, 1/4 or 1/8 of the full size (nothing is resampled here). */
static GdkPixbuf *
decode_jpeg_scaled (const char         *path,
                    const SizeRequest  *request,
                    GError            **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) close_error = NULL;
  g_autofree guint8 *buffer = g_malloc (65536);
  gboolean ok = TRUE;
  GdkPixbuf *pixbuf;
  FILE *file;
  size_t n;

  loader = gdk_pixbuf_loader_new_with_type ("jpeg", error);
  if (loader == NULL)
    return NULL;
  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      (void) gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), (gpointer) request);
  while (ok && (n = fread (buffer, 1, 65536, file)) > 0)
    ok = gdk_pixbuf_loader_write (loader, buffer, n, error);
  if (ok && ferror (file))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_IO, g_strerror (EIO));
      ok = FALSE;
    }
  fclose (file);

  /* Always closed (a loader finalized open complains); its error only matters if all went well. */
  if (!gdk_pixbuf_loader_close (loader, ok ? error : &close_error))
    ok = FALSE;
  if (!ok)
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                           _("no picture in the file"));
      return NULL;
    }
  return g_object_ref (pixbuf);
}

/* Decodes @path, a JPEG at @request's reduced size. Other formats are decoded whole: their
 * decoders cannot produce fewer pixels (a GdkPixbufLoader would decode them whole and scale at the
 * end), and gdk_pixbuf_new_from_file() also notices a PNG whose pixel data runs out, which the
 * incremental PNG loader does not. */
static GdkPixbuf *
decode (const char         *path,
        GdkPixbufFormat    *format,
        const SizeRequest  *request,
        GError            **error)
{
  g_autofree char *format_name = gdk_pixbuf_format_get_name (format);

  if (request->side > 0 && g_str_equal (format_name, "jpeg"))
    return decode_jpeg_scaled (path, request, error);

  /* The first frame of an animation, like every gdk-pixbuf caller gets. */
  return gdk_pixbuf_new_from_file (path, error);
}

static GdkPixbuf *
load (const char         *path,
      const SizeRequest  *request,
      GError            **error)
{
  g_autofree char *display_name = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbufFormat *format;
  GStatBuf st;
  int width = -1;
  int height = -1;

  display_name = g_filename_display_name (path);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not open %s: %s"), display_name, g_strerror (saved_errno));
      return NULL;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("%s is a folder, not an image"), display_name);
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
                   _("%s is not a regular file, so it cannot be read as an image"), display_name);
      return NULL;
    }

  if (g_access (path, R_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not read %s: %s"), display_name, g_strerror (saved_errno));
      return NULL;
    }

  if (st.st_size == 0)
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
                   _("%s is empty"), display_name);
      return NULL;
    }

  if (!file_is_complete (path, (gint64) st.st_size))
    {
      set_truncated (error, display_name);
      return NULL;
    }

  /* Reads only as much of the file as the loader needs to announce the size. */
  format = gdk_pixbuf_get_file_info (path, &width, &height);
  if (format == NULL)
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
                   _("%s is not a picture Impasto can open"), display_name);
      return NULL;
    }

  if (width > 0 && height > 0 && !check_declared_size (display_name, width, height, error))
    return NULL;

  decoded = decode (path, format, request, &local_error);
  if (decoded == NULL)
    {
      if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY))
        set_out_of_memory (error, display_name);
      else if (local_error != NULL && local_error->domain == G_FILE_ERROR)
        g_set_error (error, G_FILE_ERROR, local_error->code, _("Could not read %s: %s"),
                     display_name, local_error->message);
      else
        g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
                     _("%s is damaged or not a picture Impasto can open (%s)"),
                     display_name, local_error != NULL ? local_error->message : _("no details"));
      return NULL;
    }

  /* A loader that did not announce its size above is checked now, before any copy is made. */
  if (!check_declared_size (display_name, gdk_pixbuf_get_width (decoded),
                            gdk_pixbuf_get_height (decoded), error))
    return NULL;

  if (gdk_pixbuf_get_colorspace (decoded) != GDK_COLORSPACE_RGB
      || gdk_pixbuf_get_bits_per_sample (decoded) != 8
      || gdk_pixbuf_get_n_channels (decoded) != (gdk_pixbuf_get_has_alpha (decoded) ? 4 : 3))
    {
      g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
                   _("%s uses a pixel layout that is not supported"), display_name);
      return NULL;
    }

  upright = gdk_pixbuf_apply_embedded_orientation (decoded);
  if (upright == NULL)
    {
      set_out_of_memory (error, display_name);
      return NULL;
    }

  if (gdk_pixbuf_get_has_alpha (upright) && !request->keep_alpha)
    {
      GdkPixbuf *flat = flatten_onto_white (upright);

      if (flat == NULL)
        set_out_of_memory (error, display_name);
      return flat;
    }

  return g_steal_pointer (&upright);
}

GdkPixbuf *
impasto_image_load (const char  *path,
                    GError     **error)
{
  SizeRequest request = { IMPASTO_IMAGE_LONGEST_SIDE, 0 };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load (path, &request, error);
}

GdkPixbuf *
impasto_image_load_with_alpha (const char  *path,
                               GError     **error)
{
  SizeRequest request = { IMPASTO_IMAGE_LONGEST_SIDE, 0, TRUE };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load (path, &request, error);
}

GdkPixbuf *
impasto_image_load_at_size (const char       *path,
                            ImpastoImageFit   fit,
                            int               side,
                            GError          **error)
{
  SizeRequest request = { fit, side };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (fit == IMPASTO_IMAGE_LONGEST_SIDE || fit == IMPASTO_IMAGE_SHORTEST_SIDE,
                        NULL);
  g_return_val_if_fail (side > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load (path, &request, error);
}

void
impasto_image_fit_size (int  width,
                        int  height,
                        int  longest_side,
                        int *out_width,
                        int *out_height)
{
  gint64 w;
  gint64 h;

  g_return_if_fail (width > 0);
  g_return_if_fail (height > 0);
  g_return_if_fail (longest_side > 0);
  g_return_if_fail (out_width != NULL);
  g_return_if_fail (out_height != NULL);

  /* Integer rounding to nearest: (a * b + c / 2) / c. */
  if (width >= height)
    {
      w = longest_side;
      h = ((gint64) height * longest_side * 2 + width) / (2 * (gint64) width);
    }
  else
    {
      h = longest_side;
      w = ((gint64) width * longest_side * 2 + height) / (2 * (gint64) height);
    }

  *out_width = (int) MAX (w, 1);
  *out_height = (int) MAX (h, 1);
}

GdkPixbuf *
impasto_image_scale (GdkPixbuf *pixbuf,
                     int        width,
                     int        height)
{
  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (width > 0, NULL);
  g_return_val_if_fail (height > 0, NULL);

  if (gdk_pixbuf_get_width (pixbuf) == width && gdk_pixbuf_get_height (pixbuf) == height)
    return g_object_ref (pixbuf);

  /* BILINEAR integrates over each output pixel's footprint when shrinking, which is what a
   * photo reduced to a few hundred pixels needs; HYPER is much slower for little gain. */
  return gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
}

float *
impasto_image_to_rgb_floats (GdkPixbuf *pixbuf)
{
  const guint8 *pixels;
  float *rgb;
  float *out;
  int width;
  int height;
  int stride;
  int n_channels;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, NULL);
  g_return_val_if_fail (gdk_pixbuf_get_n_channels (pixbuf) >= 3, NULL);

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);

  rgb = g_try_new (float, (gsize) width * (gsize) height * 3);
  if (rgb == NULL)
    return NULL;

  out = rgb;
  for (int y = 0; y < height; y++)
    {
      const guint8 *p = pixels + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        {
          out[0] = p[0];
          out[1] = p[1];
          out[2] = p[2];
          out += 3;
          p += n_channels;
        }
    }

  return rgb;
}

GdkPixbuf *
impasto_image_from_rgb8 (const guint8 *rgb,
                         int           width,
                         int           height,
                         gsize         stride)
{
  GdkPixbuf *pixbuf;
  guint8 *pixels;
  int dst_stride;

  g_return_val_if_fail (rgb != NULL, NULL);
  g_return_val_if_fail (width > 0, NULL);
  g_return_val_if_fail (height > 0, NULL);
  g_return_val_if_fail (stride >= (gsize) width * 3, NULL);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (pixbuf == NULL)
    return NULL;

  pixels = gdk_pixbuf_get_pixels (pixbuf);
  dst_stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < height; y++)
    memcpy (pixels + (gsize) y * dst_stride, rgb + (gsize) y * stride, (gsize) width * 3);

  return pixbuf;
}

/* "png", "jpeg" or NULL, from @path's extension. */
static const char *
format_for_path (const char *path)
{
  const char *base = strrchr (path, G_DIR_SEPARATOR);
  const char *dot;

  base = base != NULL ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return NULL;

  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return "png";
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return "jpeg";

  return NULL;
}

static void
set_unsupported_format (GError     **error,
                        const char  *display_name)
{
  g_set_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT,
               _("Cannot save %s: the file name must end in .png, .jpg or .jpeg"), display_name);
}

static void
set_write_error (GError     **error,
                 const char  *display_name,
                 int          saved_errno)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Could not write %s: %s"), display_name, g_strerror (saved_errno));
}

gboolean
impasto_image_check_save_path (const char  *path,
                               GError     **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *display_dir = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_filename_display_name (path);
  if (format_for_path (path) == NULL)
    {
      set_unsupported_format (error, display_name);
      return FALSE;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("Cannot save %s: it is a folder"), display_name);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  display_dir = g_filename_display_name (dir);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("Cannot save %s: the folder %s does not exist"), display_name, display_dir);
      return FALSE;
    }

  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot save %s: the folder %s is not writable (%s)"),
                   display_name, display_dir, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Best effort: makes the rename itself durable. */
static void
sync_directory (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      (void) fsync (fd);
      (void) close (fd);
    }
}

gboolean
impasto_image_save (GdkPixbuf   *pixbuf,
                    const char  *path,
                    GError     **error)
{
  return impasto_image_save_with_text (pixbuf, path, NULL, NULL, error);
}

gboolean
impasto_image_save_with_text (GdkPixbuf   *pixbuf,
                              const char  *path,
                              const char  *text_key,
                              const char  *text,
                              GError     **error)
{
  static char *jpeg_keys[] = { (char *) "quality", NULL };
  static char *jpeg_values[] = { (char *) "95", NULL };
  g_autofree char *png_key = NULL;
  char *png_keys[2] = { NULL, NULL };
  char *png_values[2] = { NULL, NULL };
  g_autofree char *display_name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree gchar *buffer = NULL;
  gsize buffer_size = 0;
  const char *format;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_filename_display_name (path);
  format = format_for_path (path);
  if (format == NULL)
    {
      set_unsupported_format (error, display_name);
      return FALSE;
    }

  /* gdk-pixbuf's JPEG saver writes no comment: the text goes into PNGs only. */
  if (text_key != NULL && text != NULL && g_str_equal (format, "png"))
    {
      png_key = g_strconcat ("tEXt::", text_key, NULL);
      png_keys[0] = png_key;
      png_values[0] = (char *) text;
    }

  /* Encoded in memory first: an encoder failure touches no file at all. */
  if (!gdk_pixbuf_save_to_bufferv (pixbuf, &buffer, &buffer_size, format,
                                   g_str_equal (format, "jpeg") ? jpeg_keys : png_keys,
                                   g_str_equal (format, "jpeg") ? jpeg_values : png_values,
                                   error))
    return FALSE;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_name = g_strdup_printf (".%s.XXXXXX", base);
  tmp_path = g_build_filename (dir, tmp_name, NULL);

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_write_error (error, display_name, errno);
      return FALSE;
    }

  /* Replacing a file keeps its permissions, as g_file_replace() does. */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    (void) fchmod (fd, st.st_mode & 07777);

  if (!impasto_write_all (fd, (const guint8 *) buffer, buffer_size) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      (void) close (fd);
      (void) g_unlink (tmp_path);
      set_write_error (error, display_name, saved_errno);
      return FALSE;
    }

  if (close (fd) != 0)
    {
      int saved_errno = errno;

      (void) g_unlink (tmp_path);
      set_write_error (error, display_name, saved_errno);
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      (void) g_unlink (tmp_path);
      set_write_error (error, display_name, saved_errno);
      return FALSE;
    }

  sync_directory (dir);

  return TRUE;
}

gboolean
impasto_image_save_rgb8 (const guint8  *rgb,
                         int            width,
                         int            height,
                         gsize          stride,
                         const char    *path,
                         GError       **error)
{
  return impasto_image_save_rgb8_with_text (rgb, width, height, stride, path, NULL, NULL, error);
}

gboolean
impasto_image_save_rgb8_with_text (const guint8  *rgb,
                                   int            width,
                                   int            height,
                                   gsize          stride,
                                   const char    *path,
                                   const char    *text_key,
                                   const char    *text,
                                   GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_return_val_if_fail (rgb != NULL, FALSE);
  g_return_val_if_fail (width > 0, FALSE);
  g_return_val_if_fail (height > 0, FALSE);
  g_return_val_if_fail (stride >= (gsize) width * 3 && stride <= G_MAXINT, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Only read while encoding, so the caller's rows can be used as they are. */
  pixbuf = gdk_pixbuf_new_from_data (rgb, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                     (int) stride, NULL, NULL);
  return impasto_image_save_with_text (pixbuf, path, text_key, text, error);
}
