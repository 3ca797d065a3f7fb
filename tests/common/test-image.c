/* test-image.c
 *
 * Unit tests for src/common/impasto-image.c: the working-size arithmetic, resampling only when
 * needed, EXIF orientation (a JPEG with a hand-written APP1 segment, since gdk-pixbuf's JPEG saver
 * writes no EXIF), alpha flattened onto white, grey and palette PNGs (written by hand) arriving
 * as RGB, the decompression-bomb guard (a PNG whose IHDR declares 60000 x 60000 pixels, with its
 * CRC computed here), readable errors for files that are missing or not images, and atomic
 * saving that never destroys the previous file.
 *
 * It does not test the engine or the CLI (test-cli-*.c do).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-image"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-image.h"

/* An RGB or RGBA pixbuf filled by @fill. */
static GdkPixbuf *
make_pixbuf (int      width,
             int      height,
             gboolean alpha,
             void   (*fill) (int x, int y, guint8 *pixel))
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      fill (x, y, pixels + (gsize) y * stride + (gsize) x * n_channels);

  return pixbuf;
}

static void
fill_gradient (int     x,
               int     y,
               guint8 *pixel)
{
  pixel[0] = (guint8) (x * 6);
  pixel[1] = (guint8) (y * 7);
  pixel[2] = (guint8) (128 + x - y);
}

/* Red on the left half, blue on the right (for a 40-pixel-wide image). */
static void
fill_red_blue (int     x,
               int     y,
               guint8 *pixel)
{
  pixel[0] = x < 20 ? 255 : 0;
  pixel[1] = 0;
  pixel[2] = x < 20 ? 0 : 255;
}

static const guint8 *
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  return gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
         + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);
}

static void
test_fit_size (void)
{
  static const struct
  {
    int width, height, longest, out_width, out_height;
  } cases[] = {
    { 40, 32, 32, 32, 26 },      /* 25.6 rounds up */
    { 32, 40, 32, 26, 32 },
    { 100, 100, 512, 512, 512 }, /* upscaled: the longest side becomes the size */
    { 1024, 768, 512, 512, 384 },
    { 3, 2, 2, 2, 1 },           /* 1.33 rounds down */
    { 1000, 1, 512, 512, 1 },    /* never below 1 */
    { 1, 1000, 16, 1, 16 },
    { 641, 480, 512, 512, 383 }, /* 383.4 */
    { 16384, 16383, 16384, 16384, 16383 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int w = 0;
      int h = 0;

      impasto_image_fit_size (cases[i].width, cases[i].height, cases[i].longest, &w, &h);
      g_assert_cmpint (w, ==, cases[i].out_width);
      g_assert_cmpint (h, ==, cases[i].out_height);
    }
}

static void
test_scale (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (40, 32, FALSE, fill_gradient);
  g_autoptr(GdkPixbuf) same = impasto_image_scale (pixbuf, 40, 32);
  g_autoptr(GdkPixbuf) smaller = impasto_image_scale (pixbuf, 20, 13);

  /* The same object, not a resampled copy. */
  g_assert_true (same == pixbuf);
  g_assert_cmpint (G_OBJECT (pixbuf)->ref_count, ==, 2);

  g_assert_nonnull (smaller);
  g_assert_true (smaller != pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (smaller), ==, 20);
  g_assert_cmpint (gdk_pixbuf_get_height (smaller), ==, 13);
}

static void
test_rgb_round_trip (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (7, 5, FALSE, fill_gradient);
  g_autoptr(GdkPixbuf) back = NULL;
  g_autofree float *rgb = impasto_image_to_rgb_floats (pixbuf);
  guint8 bytes[5][7 * 3 + 3];  /* a stride wider than the row */

  g_assert_nonnull (rgb);
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 7; x++)
      {
        const guint8 *p = pixel_at (pixbuf, x, y);

        for (int c = 0; c < 3; c++)
          {
            g_assert_cmpfloat (rgb[(y * 7 + x) * 3 + c], ==, (float) p[c]);
            bytes[y][x * 3 + c] = p[c];
          }
      }

  back = impasto_image_from_rgb8 (&bytes[0][0], 7, 5, sizeof bytes[0]);
  g_assert_nonnull (back);
  g_assert_false (gdk_pixbuf_get_has_alpha (back));
  for (int y = 0; y < 5; y++)
    g_assert_cmpmem (pixel_at (back, 0, y), 7 * 3, pixel_at (pixbuf, 0, y), 7 * 3);
}

static void
fill_alpha (int     x,
            int     y,
            guint8 *pixel)
{
  /* Column 0 transparent red, 1 half-transparent black, 2 opaque green. */
  static const guint8 colours[3][4] = {
    { 255, 0, 0, 0 },
    { 0, 0, 0, 128 },
    { 0, 200, 0, 255 },
  };

  memcpy (pixel, colours[x % 3], 4);
}

static void
test_alpha_onto_white (void)
{
  char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "alpha.png", NULL);
  g_autoptr(GdkPixbuf) source = make_pixbuf (3, 2, TRUE, fill_alpha);
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *p;

  gdk_pixbuf_save (source, path, "png", &error, NULL);
  g_assert_no_error (error);

  loaded = impasto_image_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_get_has_alpha (loaded));
  g_assert_cmpint (gdk_pixbuf_get_n_channels (loaded), ==, 3);

  p = pixel_at (loaded, 0, 1);
  g_assert_cmpint (p[0], ==, 255);
  g_assert_cmpint (p[1], ==, 255);
  g_assert_cmpint (p[2], ==, 255);

  /* 255 * (255 - 128) / 255 = 127 */
  p = pixel_at (loaded, 1, 0);
  g_assert_cmpint (p[0], ==, 127);
  g_assert_cmpint (p[1], ==, 127);
  g_assert_cmpint (p[2], ==, 127);

  p = pixel_at (loaded, 2, 1);
  g_assert_cmpint (p[0], ==, 0);
  g_assert_cmpint (p[1], ==, 200);
  g_assert_cmpint (p[2], ==, 0);

  cli_test_dir_free (dir);
}

/* A JPEG of @pixbuf with an EXIF APP1 segment whose IFD0 holds Orientation = @orientation,
 * inserted right after the SOI marker. */
static void
write_jpeg_with_orientation (GdkPixbuf  *pixbuf,
                             const char *path,
                             guint16     orientation)
{
  static const guint8 exif_head[] = {
    0xff, 0xe1,                    /* APP1 */
    0x00, 0x22,                    /* length: 2 + 6 + 8 + 2 + 12 + 4 = 34 */
    'E', 'x', 'i', 'f', 0, 0,
    'I', 'I', 0x2a, 0x00,          /* little-endian TIFF header */
    0x08, 0x00, 0x00, 0x00,        /* IFD0 at offset 8 */
    0x01, 0x00,                    /* one entry */
    0x12, 0x01,                    /* tag 0x0112 Orientation */
    0x03, 0x00,                    /* type SHORT */
    0x01, 0x00, 0x00, 0x00,        /* count 1 */
  };
  g_autoptr(GError) error = NULL;
  g_autofree gchar *jpeg = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize size = 0;
  guint8 value[8] = { 0 };

  gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &size, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (size, >, 2);
  g_assert_cmpint ((guint8) jpeg[0], ==, 0xff);
  g_assert_cmpint ((guint8) jpeg[1], ==, 0xd8);

  value[0] = (guint8) (orientation & 0xff);   /* the SHORT, left-justified, then padding */
  value[1] = (guint8) (orientation >> 8);
  /* value[4..7]: offset of the next IFD = 0 */

  g_byte_array_append (out, (const guint8 *) jpeg, 2);
  g_byte_array_append (out, exif_head, sizeof exif_head);
  g_byte_array_append (out, value, sizeof value);
  g_assert_cmpuint (sizeof exif_head + sizeof value, ==, 2 + 0x22);
  g_byte_array_append (out, (const guint8 *) jpeg + 2, (guint) (size - 2));

  cli_test_write_file (path, out->data, out->len);
}

static void
test_exif_orientation (void)
{
  char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "rotated.jpg", NULL);
  g_autofree char *plain_path = g_build_filename (dir, "plain.jpg", NULL);
  g_autoptr(GdkPixbuf) source = make_pixbuf (40, 20, FALSE, fill_red_blue);
  g_autoptr(GdkPixbuf) raw = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) plain = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *top;
  const guint8 *bottom;

  /* 6: the stored image must be turned 90 degrees clockwise to be upright. */
  write_jpeg_with_orientation (source, path, 6);

  /* The crafted file is one gdk-pixbuf itself reads as rotated. */
  raw = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gdk_pixbuf_get_option (raw, "orientation"), ==, "6");
  g_assert_cmpint (gdk_pixbuf_get_width (raw), ==, 40);

  loaded = impasto_image_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 20);
  g_assert_cmpint (gdk_pixbuf_get_height (loaded), ==, 40);

  /* Turned clockwise, the left (red) half ends up on top and the blue half below. */
  top = pixel_at (loaded, 10, 5);
  bottom = pixel_at (loaded, 10, 34);
  g_assert_cmpint (top[0], >, 200);
  g_assert_cmpint (top[2], <, 60);
  g_assert_cmpint (bottom[0], <, 60);
  g_assert_cmpint (bottom[2], >, 200);

  /* Without the tag nothing turns. */
  gdk_pixbuf_save (source, plain_path, "jpeg", &error, NULL);
  g_assert_no_error (error);
  plain = impasto_image_load (plain_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (plain), ==, 40);
  g_assert_cmpint (gdk_pixbuf_get_height (plain), ==, 20);

  cli_test_dir_free (dir);
}

static void
put_be32 (guint8  *p,
          guint32  value)
{
  p[0] = (guint8) (value >> 24);
  p[1] = (guint8) (value >> 16);
  p[2] = (guint8) (value >> 8);
  p[3] = (guint8) value;
}

/* A PNG that declares @width x @height 8-bit RGB pixels but holds a single byte of image data:
 * signature, IHDR, an IDAT with one stored deflate block (libpng announces the size when it
 * reaches the first IDAT), IEND. */
static void
write_png_header_only (const char *path,
                       guint32     width,
                       guint32     height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 empty_iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  /* zlib header, final stored block of LEN 1 / NLEN ~1, the byte 0, Adler-32 of it (1, 1). */
  static const guint8 idat[12] = { 0x78, 0x01, 0x01, 0x01, 0x00, 0xfe, 0xff, 0x00,
                                   0x00, 0x01, 0x00, 0x01 };
  guint8 ihdr[13] = { 0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) iend = g_byte_array_new ();

  put_be32 (ihdr, width);
  put_be32 (ihdr + 4, height);
  ihdr[8] = 8;    /* bit depth */
  ihdr[9] = 2;    /* colour type: RGB */
  ihdr[10] = 0;   /* compression */
  ihdr[11] = 0;   /* filter */
  ihdr[12] = 0;   /* interlace */

  /* The well-known IEND chunk checks the CRC code itself. */
  cli_test_png_chunk (iend, "IEND", NULL, 0);
  g_assert_cmpmem (iend->data, iend->len, empty_iend, sizeof empty_iend);

  g_byte_array_append (out, signature, sizeof signature);
  cli_test_png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  cli_test_png_chunk (out, "IDAT", idat, sizeof idat);
  cli_test_png_chunk (out, "IEND", NULL, 0);
  cli_test_write_file (path, out->data, out->len);
}

static void
test_grey_and_palette (void)
{
  /* Palette: 0 opaque red, 1 transparent green, 2 half-transparent blue. */
  static const guint8 palette[9] = { 255, 0, 0, 0, 255, 0, 0, 0, 255 };
  static const guint8 palette_alpha[3] = { 255, 0, 128 };
  char *dir = cli_test_dir_new ();
  g_autofree char *grey_path = g_build_filename (dir, "grey.png", NULL);
  g_autofree char *palette_path = g_build_filename (dir, "palette.png", NULL);
  g_autoptr(GdkPixbuf) grey = NULL;
  g_autoptr(GdkPixbuf) indexed = NULL;
  g_autoptr(GError) error = NULL;
  guint8 pixels[6 * 4];
  const guint8 *p;

  for (int i = 0; i < 6 * 4; i++)
    pixels[i] = (guint8) (i * 10);
  cli_test_write_png (grey_path, 6, 4, 8, 0, pixels, NULL, 0, NULL, 0);

  grey = impasto_image_load (grey_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (grey), ==, 3);
  g_assert_cmpint (gdk_pixbuf_get_width (grey), ==, 6);
  g_assert_cmpint (gdk_pixbuf_get_height (grey), ==, 4);
  for (int y = 0; y < 4; y++)
    for (int x = 0; x < 6; x++)
      {
        p = pixel_at (grey, x, y);
        g_assert_cmpint (p[0], ==, (y * 6 + x) * 10);
        g_assert_cmpint (p[1], ==, p[0]);
        g_assert_cmpint (p[2], ==, p[0]);
      }

  for (int i = 0; i < 6 * 4; i++)
    pixels[i] = (guint8) (i % 3);
  cli_test_write_png (palette_path, 6, 4, 8, 3, pixels, palette, sizeof palette, palette_alpha,
                      sizeof palette_alpha);

  indexed = impasto_image_load (palette_path, &error);
  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_get_has_alpha (indexed));
  p = pixel_at (indexed, 0, 0);   /* opaque red */
  g_assert_cmpint (p[0], ==, 255);
  g_assert_cmpint (p[1], ==, 0);
  g_assert_cmpint (p[2], ==, 0);
  p = pixel_at (indexed, 1, 0);   /* transparent: white */
  g_assert_cmpint (p[0], ==, 255);
  g_assert_cmpint (p[1], ==, 255);
  g_assert_cmpint (p[2], ==, 255);
  p = pixel_at (indexed, 2, 0);   /* half blue over white */
  g_assert_cmpint (p[0], ==, 127);
  g_assert_cmpint (p[1], ==, 127);
  g_assert_cmpint (p[2], ==, 255);

  cli_test_dir_free (dir);
}

static void
test_decompression_bomb (void)
{
  static const struct
  {
    guint32 width;
    guint32 height;
  } sizes[] = {
    { 60000, 60000 },  /* 3.6 gigapixels */
    { 20000, 100 },    /* one side too long */
    { 12000, 10000 },  /* 120 megapixels, both sides allowed */
  };
  char *dir = cli_test_dir_new ();

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("bomb-%u.png", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      int width = 0;
      int height = 0;

      write_png_header_only (path, sizes[i].width, sizes[i].height);

      /* The file really declares that size to gdk-pixbuf. */
      g_assert_nonnull (gdk_pixbuf_get_file_info (path, &width, &height));
      g_assert_cmpint (width, ==, (int) sizes[i].width);
      g_assert_cmpint (height, ==, (int) sizes[i].height);

      pixbuf = impasto_image_load (path, &error);
      g_assert_null (pixbuf);
      g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE);
      g_assert_nonnull (strstr (error->message, name));
    }

  cli_test_dir_free (dir);
}

static void
test_not_an_image (void)
{
  char *dir = cli_test_dir_new ();
  g_autofree char *text = g_build_filename (dir, "photo.jpg", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  cli_test_write_file (text, "This is not a picture.\n", 23);
  pixbuf = impasto_image_load (text, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE);
  g_assert_nonnull (strstr (error->message, "photo.jpg"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  pixbuf = impasto_image_load (missing, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "missing.png"));
  g_clear_error (&error);

  pixbuf = impasto_image_load (dir, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_clear_error (&error);

  /* A small declared size but no pixel data: refused by the decoder, not by the size guard. */
  write_png_header_only (truncated, 8, 8);
  pixbuf = impasto_image_load (truncated, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE);
  g_assert_nonnull (strstr (error->message, "truncated.png"));

  cli_test_dir_free (dir);
}

static void
assert_file_contents (const char *path,
                      const char *expected,
                      gsize       expected_size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, expected, expected_size);
}

static void
test_save_unsupported_keeps_old (void)
{
  static const char old[] = "the previous file";
  char *dir = cli_test_dir_new ();
  g_autofree char *gif = g_build_filename (dir, "out.gif", NULL);
  g_autofree char *bmp = g_build_filename (dir, "new.bmp", NULL);
  g_autofree char *bare = g_build_filename (dir, "noextension", NULL);
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (8, 8, FALSE, fill_gradient);
  g_autoptr(GError) error = NULL;

  cli_test_write_file (gif, old, sizeof old);

  g_assert_false (impasto_image_save (pixbuf, gif, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT);
  g_assert_nonnull (strstr (error->message, "out.gif"));
  g_clear_error (&error);
  assert_file_contents (gif, old, sizeof old);

  g_assert_false (impasto_image_save (pixbuf, bmp, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT);
  g_clear_error (&error);

  g_assert_false (impasto_image_check_save_path (bare, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT);
  g_clear_error (&error);

  /* Nothing created: no new file, no temporary file. */
  g_assert_cmpuint (cli_test_count_files (dir), ==, 1);

  cli_test_dir_free (dir);
}

static void
test_save_replaces (void)
{
  static const char old[] = "the previous file";
  char *dir = cli_test_dir_new ();
  g_autofree char *png = g_build_filename (dir, "out.png", NULL);
  g_autofree char *jpeg = g_build_filename (dir, "out.JPEG", NULL);
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (9, 7, FALSE, fill_gradient);
  g_autoptr(GdkPixbuf) png_back = NULL;
  g_autoptr(GdkPixbuf) jpeg_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png_name = NULL;
  g_autofree char *jpeg_name = NULL;
  GdkPixbufFormat *format;
  GStatBuf st;

  cli_test_write_file (png, old, sizeof old);
  g_assert_cmpint (g_chmod (png, 0640), ==, 0);

  g_assert_true (impasto_image_check_save_path (png, &error));
  g_assert_no_error (error);
  g_assert_true (impasto_image_save (pixbuf, png, &error));
  g_assert_no_error (error);
  g_assert_true (impasto_image_save (pixbuf, jpeg, &error));
  g_assert_no_error (error);

  /* Exactly the two outputs: no temporary file left. */
  g_assert_cmpuint (cli_test_count_files (dir), ==, 2);

  /* The permissions of the replaced file are kept. */
  g_assert_cmpint (g_stat (png, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  /* gdk_pixbuf_format_get_name() returns a copy. */
  format = gdk_pixbuf_get_file_info (png, NULL, NULL);
  g_assert_nonnull (format);
  png_name = gdk_pixbuf_format_get_name (format);
  g_assert_cmpstr (png_name, ==, "png");
  format = gdk_pixbuf_get_file_info (jpeg, NULL, NULL);
  g_assert_nonnull (format);
  jpeg_name = gdk_pixbuf_format_get_name (format);
  g_assert_cmpstr (jpeg_name, ==, "jpeg");

  /* PNG is lossless. */
  png_back = impasto_image_load (png, &error);
  g_assert_no_error (error);
  for (int y = 0; y < 7; y++)
    g_assert_cmpmem (pixel_at (png_back, 0, y), 9 * 3, pixel_at (pixbuf, 0, y), 9 * 3);

  jpeg_back = impasto_image_load (jpeg, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (jpeg_back), ==, 9);
  g_assert_cmpint (gdk_pixbuf_get_height (jpeg_back), ==, 7);

  cli_test_dir_free (dir);
}

static void
test_save_missing_folder (void)
{
  char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "no-such-folder", "out.png", NULL);
  g_autofree char *folder_path = g_build_filename (dir, "folder.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (4, 4, FALSE, fill_gradient);
  g_autoptr(GError) error = NULL;

  g_assert_false (impasto_image_check_save_path (path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_false (impasto_image_save (pixbuf, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "out.png"));
  g_clear_error (&error);

  /* A folder with an image's name is not replaced, and no temporary file is left. */
  g_assert_cmpint (g_mkdir (folder_path, 0755), ==, 0);
  g_assert_false (impasto_image_check_save_path (folder_path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_clear_error (&error);
  g_assert_false (impasto_image_save (pixbuf, folder_path, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_test (folder_path, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (cli_test_count_files (dir), ==, 1);
  g_assert_cmpint (g_rmdir (folder_path), ==, 0);

  cli_test_dir_free (dir);
}

/* The save path from the engine's rows: a stride wider than the row, read back exactly (PNG); an
 * unsupported name writes nothing. */
static void
test_save_rgb8 (void)
{
  char *dir = cli_test_dir_new ();
  g_autofree char *png = g_build_filename (dir, "rows.png", NULL);
  g_autofree char *gif = g_build_filename (dir, "rows.gif", NULL);
  g_autoptr(GdkPixbuf) back = NULL;
  g_autoptr(GError) error = NULL;
  guint8 rows[4][5 * 3 + 2];

  for (int y = 0; y < 4; y++)
    for (gsize i = 0; i < sizeof rows[0]; i++)
      rows[y][i] = (guint8) (y * 40 + i * 7);

  g_assert_true (impasto_image_save_rgb8 (&rows[0][0], 5, 4, sizeof rows[0], png, &error));
  g_assert_no_error (error);
  back = impasto_image_load (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (back), ==, 5);
  g_assert_cmpint (gdk_pixbuf_get_height (back), ==, 4);
  for (int y = 0; y < 4; y++)
    g_assert_cmpmem (pixel_at (back, 0, y), 5 * 3, rows[y], 5 * 3);

  g_assert_false (impasto_image_save_rgb8 (&rows[0][0], 5, 4, sizeof rows[0], gif, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT);
  g_assert_cmpuint (cli_test_count_files (dir), ==, 1);
  cli_test_dir_free (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/fit-size", test_fit_size);
  g_test_add_func ("/image/scale", test_scale);
  g_test_add_func ("/image/rgb-round-trip", test_rgb_round_trip);
  g_test_add_func ("/image/alpha-onto-white", test_alpha_onto_white);
  g_test_add_func ("/image/exif-orientation", test_exif_orientation);
  g_test_add_func ("/image/grey-and-palette", test_grey_and_palette);
  g_test_add_func ("/image/decompression-bomb", test_decompression_bomb);
  g_test_add_func ("/image/not-an-image", test_not_an_image);
  g_test_add_func ("/image/save-unsupported-keeps-old", test_save_unsupported_keeps_old);
  g_test_add_func ("/image/save-replaces", test_save_replaces);
  g_test_add_func ("/image/save-rgb8", test_save_rgb8);
  g_test_add_func ("/image/save-missing-folder", test_save_missing_folder);

  return g_test_run ();
}
