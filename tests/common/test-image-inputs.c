/* test-image-inputs.c
 *
 * impasto_image_load() and impasto_image_load_at_size() on the files people actually drop:
 * empty files; JPEGs and PNGs cut short (also a JPEG whose EXIF thumbnail ends before the cut,
 * and a progressive one), which decoders would otherwise fill with grey; a JPEG whose frame
 * header declares 60000 x 60000 pixels; 16-bit RGB and grey PNGs; a CMYK JPEG; animated GIF and
 * WebP (the first frame); file names that are not UTF-8; a file deleted, turned into a folder or
 * a pipe, or left as a dangling symlink between being chosen and being loaded; and decoding a
 * JPEG straight at 1/2, 1/4 or 1/8 of its size for a working size: the sizes chosen, EXIF
 * orientation kept, and a 4000 x 3000 JPEG whose peak memory while decoding for 500 pixels stays
 * far below what the full picture needs.
 *
 * The CMYK, progressive and animated WebP files come from tests/data (make-image-cases.sh made
 * them: gdk-pixbuf writes none of the three); everything else is written here. It does not test
 * saving (test-image.c does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-image-inputs"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-image.h"

static char *dir;

static char *
path_in (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static char *
data_path (const char *name)
{
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", name, NULL);
}

static const guint8 *
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  return gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
         + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);
}

/* A @width x @height RGB picture: red rising to the right, green rising downwards. */
static GdkPixbuf *
make_gradient (int width,
               int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
                    + (gsize) x * 3;

        p[0] = (guint8) (x * 255 / MAX (width - 1, 1));
        p[1] = (guint8) (y * 255 / MAX (height - 1, 1));
        p[2] = 64;
      }
  return pixbuf;
}

static GBytes *
encode (GdkPixbuf  *pixbuf,
        const char *format)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
write_bytes (const char   *path,
             const guint8 *data,
             gsize         size)
{
  cli_test_write_file (path, data, size);
}

/* impasto_image_load (@path) fails with @domain/@code and a one-line message naming @name. */
static void
assert_load_fails (const char *path,
                   GQuark      domain,
                   int         code,
                   const char *name,
                   const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = impasto_image_load (path, &error);

  g_assert_null (pixbuf);
  g_assert_error (error, domain, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\n'));
  if (name != NULL && strstr (error->message, name) == NULL)
    g_error ("“%s” not named in: %s", name, error->message);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("“%s” not in: %s", words, error->message);
}

static GdkPixbuf *
load_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = impasto_image_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  g_assert_cmpint (gdk_pixbuf_get_n_channels (pixbuf), ==, 3);
  g_assert_cmpint (gdk_pixbuf_get_bits_per_sample (pixbuf), ==, 8);
  return pixbuf;
}

static void
test_empty (void)
{
  g_autofree char *png = path_in ("empty.png");
  g_autofree char *jpg = path_in ("empty.jpg");

  write_bytes (png, NULL, 0);
  write_bytes (jpg, NULL, 0);
  assert_load_fails (png, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE, "empty.png",
                     "empty");
  assert_load_fails (jpg, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE, "empty.jpg",
                     "empty");
}

static void
test_text_as_image (void)
{
  static const char text[] = "Dear Ann, the photos are attached.\n";
  const char *names[] = { "letter.jpg", "letter.png", "letter.webp", "letter.gif" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = path_in (names[i]);

      write_bytes (path, (const guint8 *) text, sizeof text - 1);
      assert_load_fails (path, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE, names[i],
                         NULL);
    }
}

/* Writes the first @keep bytes of @bytes to @name and expects a "cut short" refusal. */
static void
assert_cut_refused (GBytes     *bytes,
                    gsize       keep,
                    const char *name)
{
  g_autofree char *path = path_in (name);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (keep, <, size);
  write_bytes (path, data, keep);
  assert_load_fails (path, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TRUNCATED, name, "cut short");
  g_unlink (path);
}

static void
test_truncated_jpeg (void)
{
  g_autoptr(GdkPixbuf) picture = make_gradient (64, 48);
  g_autoptr(GBytes) jpeg = encode (picture, "jpeg");
  g_autofree char *progressive_path = data_path ("progressive.jpg");
  g_autofree char *progressive = NULL;
  g_autoptr(GBytes) progressive_bytes = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &size);

  assert_cut_refused (jpeg, size / 2, "half.jpg");
  assert_cut_refused (jpeg, size * 9 / 10, "most.jpg");
  assert_cut_refused (jpeg, size - 2, "no-end-marker.jpg");
  assert_cut_refused (jpeg, 200, "headers-only.jpg");

  /* Bytes after the end marker (cameras append their own data) do not matter. */
  {
    g_autofree char *path = path_in ("trailing.jpg");
    g_autoptr(GByteArray) out = g_byte_array_new ();
    g_autoptr(GdkPixbuf) loaded = NULL;

    g_byte_array_append (out, data, (guint) size);
    g_byte_array_append (out, (const guint8 *) "TRAILER\xff\xd8", 9);
    write_bytes (path, out->data, out->len);
    loaded = load_ok (path);
    g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 64);
  }

  /* An APP1 segment holding a complete little JPEG (an EXIF thumbnail, with its own end marker)
   * before the main picture, which is then cut: still cut short. */
  {
    g_autoptr(GByteArray) out = g_byte_array_new ();
    g_autoptr(GBytes) with_thumbnail = NULL;
    g_autoptr(GdkPixbuf) small = make_gradient (8, 8);
    g_autoptr(GBytes) thumbnail = encode (small, "jpeg");
    gsize thumbnail_size = 0;
    const guint8 *thumbnail_data = g_bytes_get_data (thumbnail, &thumbnail_size);
    guint16 length = (guint16) (2 + 6 + thumbnail_size);
    guint8 app1[4] = { 0xff, 0xe1, (guint8) (length >> 8), (guint8) length };
    g_autofree char *path = path_in ("thumbnail-whole.jpg");
    g_autoptr(GdkPixbuf) loaded = NULL;

    g_assert_cmpuint (thumbnail_size, <, 60000);
    g_byte_array_append (out, data, 2);
    g_byte_array_append (out, app1, 4);
    g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
    g_byte_array_append (out, thumbnail_data, (guint) thumbnail_size);
    g_byte_array_append (out, data + 2, (guint) (size - 2));
    with_thumbnail = g_byte_array_free_to_bytes (g_steal_pointer (&out));

    write_bytes (path, g_bytes_get_data (with_thumbnail, NULL), g_bytes_get_size (with_thumbnail));
    loaded = load_ok (path);
    g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 64);
    assert_cut_refused (with_thumbnail, g_bytes_get_size (with_thumbnail) - 100,
                        "thumbnail-cut.jpg");
  }

  /* Progressive: ten scans, complete, then cut after a few of them. */
  g_assert_true (g_file_get_contents (progressive_path, &progressive, &size, NULL));
  {
    g_autoptr(GdkPixbuf) loaded = load_ok (progressive_path);

    g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 48);
    g_assert_cmpint (gdk_pixbuf_get_height (loaded), ==, 32);
  }
  progressive_bytes = g_bytes_new (progressive, size);
  assert_cut_refused (progressive_bytes, size / 2, "progressive-cut.jpg");
  assert_cut_refused (progressive_bytes, size - 2, "progressive-no-end.jpg");
}

static void
test_truncated_png (void)
{
  g_autoptr(GdkPixbuf) picture = make_gradient (64, 48);
  g_autoptr(GBytes) png = encode (picture, "png");
  gsize size = g_bytes_get_size (png);

  assert_cut_refused (png, size / 2, "half.png");
  assert_cut_refused (png, size - 12, "no-iend.png");
  assert_cut_refused (png, 40, "header-only.png");
}

/* Patches the first SOF0 frame header of @jpeg to declare @width x @height. */
static GByteArray *
jpeg_with_size (GBytes  *jpeg,
                guint16  width,
                guint16  height)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, data, (guint) size);
  for (gsize i = 2; i + 9 < size; i++)
    if (out->data[i] == 0xff && out->data[i + 1] == 0xc0)
      {
        out->data[i + 5] = (guint8) (height >> 8);
        out->data[i + 6] = (guint8) height;
        out->data[i + 7] = (guint8) (width >> 8);
        out->data[i + 8] = (guint8) width;
        return out;
      }
  g_assert_not_reached ();
}

static void
test_jpeg_bomb (void)
{
  g_autoptr(GdkPixbuf) picture = make_gradient (16, 16);
  g_autoptr(GBytes) jpeg = encode (picture, "jpeg");
  g_autoptr(GByteArray) bomb = jpeg_with_size (jpeg, 60000, 60000);
  g_autoptr(GByteArray) widest = jpeg_with_size (jpeg, 65500, 16);
  g_autofree char *bomb_path = path_in ("bomb.jpg");
  g_autofree char *widest_path = path_in ("widest.jpg");
  int width = 0;
  int height = 0;

  write_bytes (bomb_path, bomb->data, bomb->len);
  write_bytes (widest_path, widest->data, widest->len);
  g_assert_nonnull (gdk_pixbuf_get_file_info (bomb_path, &width, &height));
  g_assert_cmpint (width, ==, 60000);
  g_assert_cmpint (height, ==, 60000);

  assert_load_fails (bomb_path, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE, "bomb.jpg",
                     "60000");
  assert_load_fails (widest_path, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE,
                     "widest.jpg", "65500");

  /* Also when only a reduced size was asked for. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkPixbuf) pixbuf = impasto_image_load_at_size (bomb_path,
                                                              IMPASTO_IMAGE_LONGEST_SIDE, 64,
                                                              &error);

    g_assert_null (pixbuf);
    g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_TOO_LARGE);
  }
}

static void
test_sixteen_bit_png (void)
{
  g_autofree char *rgb_path = path_in ("rgb16.png");
  g_autofree char *grey_path = path_in ("grey16.png");
  guint8 rgb[4 * 3 * 3 * 2];
  guint8 grey[4 * 3 * 2];
  g_autoptr(GdkPixbuf) rgb_loaded = NULL;
  g_autoptr(GdkPixbuf) grey_loaded = NULL;

  /* Sample (x, y, c) = high byte 30 x + 10 y + 60 c, low byte 0xab (dropped on the way to 8). */
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 4; x++)
      {
        for (int c = 0; c < 3; c++)
          {
            rgb[((y * 4 + x) * 3 + c) * 2] = (guint8) (30 * x + 10 * y + 60 * c);
            rgb[((y * 4 + x) * 3 + c) * 2 + 1] = 0xab;
          }
        grey[(y * 4 + x) * 2] = (guint8) (50 * x + 20 * y);
        grey[(y * 4 + x) * 2 + 1] = 0x7f;
      }
  cli_test_write_png (rgb_path, 4, 3, 16, 2, rgb, NULL, 0, NULL, 0);
  cli_test_write_png (grey_path, 4, 3, 16, 0, grey, NULL, 0, NULL, 0);

  rgb_loaded = load_ok (rgb_path);
  grey_loaded = load_ok (grey_path);
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 4; x++)
      {
        const guint8 *p = pixel_at (rgb_loaded, x, y);
        const guint8 *q = pixel_at (grey_loaded, x, y);

        for (int c = 0; c < 3; c++)
          {
            g_assert_cmpint (ABS (p[c] - (30 * x + 10 * y + 60 * c)), <=, 1);
            g_assert_cmpint (ABS (q[c] - (50 * x + 20 * y)), <=, 1);
          }
      }
}

static void
test_cmyk_jpeg (void)
{
  g_autofree char *path = data_path ("cmyk.jpg");
  g_autoptr(GdkPixbuf) loaded = load_ok (path);
  const guint8 *left;
  const guint8 *right;

  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_height (loaded), ==, 16);
  /* Left half red, right half blue, not inverted or shifted (Adobe CMYK is stored inverted). */
  left = pixel_at (loaded, 4, 8);
  right = pixel_at (loaded, 27, 8);
  g_assert_cmpint (left[0], >, 200);
  g_assert_cmpint (left[1], <, 60);
  g_assert_cmpint (left[2], <, 60);
  g_assert_cmpint (right[0], <, 60);
  g_assert_cmpint (right[1], <, 60);
  g_assert_cmpint (right[2], >, 200);
}

/* A 2x2, two-frame animated GIF: the first frame is red, green / blue, white; the second the
 * reverse. Each frame is 4 pixels LZW-coded with a 2-bit minimum code size. */
static const guint8 animated_gif[] = {
  'G', 'I', 'F', '8', '9', 'a', 2, 0, 2, 0, 0xf1, 0, 0,
  0xff, 0, 0,  0, 0xff, 0,  0, 0, 0xff,  0xff, 0xff, 0xff,
  0x21, 0xff, 0x0b, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0', 3, 1, 0, 0, 0,
  0x21, 0xf9, 4, 0, 10, 0, 0, 0,
  0x2c, 0, 0, 0, 0, 2, 0, 2, 0, 0, 2, 3, 0x44, 0x34, 0x05, 0,
  0x21, 0xf9, 4, 0, 10, 0, 0, 0,
  0x2c, 0, 0, 0, 0, 2, 0, 2, 0, 0, 2, 3, 0x9c, 0x02, 0x05, 0,
  0x3b,
};

static void
test_animations (void)
{
  g_autofree char *gif_path = path_in ("animated.gif");
  g_autofree char *webp_path = data_path ("animated.webp");
  g_autoptr(GdkPixbufAnimation) animation = NULL;
  g_autoptr(GdkPixbuf) gif = NULL;
  g_autoptr(GdkPixbuf) webp = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *p;

  write_bytes (gif_path, animated_gif, sizeof animated_gif);
  /* gdk-pixbuf really sees an animation in both. */
  animation = gdk_pixbuf_animation_new_from_file (gif_path, &error);
  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_animation_is_static_image (animation));
  g_clear_object (&animation);
  animation = gdk_pixbuf_animation_new_from_file (webp_path, &error);
  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_animation_is_static_image (animation));

  gif = load_ok (gif_path);
  g_assert_cmpint (gdk_pixbuf_get_width (gif), ==, 2);
  p = pixel_at (gif, 0, 0);   /* the first frame's red, not the second frame's white */
  g_assert_cmpint (p[0], ==, 255);
  g_assert_cmpint (p[1], ==, 0);
  g_assert_cmpint (p[2], ==, 0);
  p = pixel_at (gif, 1, 1);
  g_assert_cmpint (p[0], ==, 255);
  g_assert_cmpint (p[1], ==, 255);
  g_assert_cmpint (p[2], ==, 255);

  webp = load_ok (webp_path);
  g_assert_cmpint (gdk_pixbuf_get_width (webp), ==, 20);
  g_assert_cmpint (gdk_pixbuf_get_height (webp), ==, 10);
  p = pixel_at (webp, 10, 5);  /* red, not the second frame's blue */
  g_assert_cmpint (p[0], >, 200);
  g_assert_cmpint (p[2], <, 60);

  /* A WebP cut short is refused before its decoder sees it (webp-pixbuf-loader 0.2.1 emits
   * criticals on a cut animation). */
  {
    g_autofree char *contents = NULL;
    gsize size = 0;
    g_autoptr(GBytes) bytes = NULL;

    g_assert_true (g_file_get_contents (webp_path, &contents, &size, NULL));
    bytes = g_bytes_new (contents, size);
    assert_cut_refused (bytes, size / 2, "animated-cut.webp");
  }
}

static void
test_non_utf8_names (void)
{
  /* "café" and "Bild-ü" in Latin-1: invalid UTF-8 file names. */
  g_autofree char *photo = path_in ("caf\xe9.png");
  g_autofree char *text = path_in ("Bild-\xfc.jpg");
  g_autoptr(GdkPixbuf) picture = make_gradient (12, 10);
  g_autoptr(GBytes) png = encode (picture, "png");
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (g_utf8_validate (photo, -1, NULL));
  write_bytes (photo, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  loaded = load_ok (photo);
  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 12);

  write_bytes (text, (const guint8 *) "not a picture", 13);
  g_assert_null (impasto_image_load (text, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE);
  /* The message is valid UTF-8 and still shows the readable part of the name. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "Bild-"));
  g_assert_nonnull (strstr (error->message, ".jpg"));
}

static void
test_gone_before_loading (void)
{
  g_autoptr(GdkPixbuf) picture = make_gradient (12, 10);
  g_autoptr(GBytes) png = encode (picture, "png");
  g_autofree char *deleted = path_in ("chosen-then-deleted.png");
  g_autofree char *folder = path_in ("chosen-then-folder.png");
  g_autofree char *pipe = path_in ("chosen-then-pipe.png");
  g_autofree char *dangling = path_in ("chosen-link.png");
  g_autofree char *target = path_in ("link-target.png");
  g_autofree char *locked = path_in ("chosen-then-locked.png");

  /* Each was a good picture when it was chosen. */
  write_bytes (deleted, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  write_bytes (folder, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  write_bytes (pipe, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  write_bytes (target, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  write_bytes (locked, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_assert_cmpint (symlink (target, dangling), ==, 0);
  g_object_unref (load_ok (dangling));

  g_assert_cmpint (g_unlink (deleted), ==, 0);
  assert_load_fails (deleted, G_FILE_ERROR, G_FILE_ERROR_NOENT, "chosen-then-deleted.png", NULL);

  g_assert_cmpint (g_unlink (folder), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  assert_load_fails (folder, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "chosen-then-folder.png", NULL);

  g_assert_cmpint (g_unlink (pipe), ==, 0);
  g_assert_cmpint (mkfifo (pipe, 0644), ==, 0);
  /* Refused without opening it (opening a pipe would block until someone writes). */
  assert_load_fails (pipe, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
                     "chosen-then-pipe.png", "not a regular file");

  g_assert_cmpint (g_unlink (target), ==, 0);
  assert_load_fails (dangling, G_FILE_ERROR, G_FILE_ERROR_NOENT, "chosen-link.png", NULL);

  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  if (geteuid () != 0)
    assert_load_fails (locked, G_FILE_ERROR, G_FILE_ERROR_ACCES, "chosen-then-locked.png", NULL);
  else
    g_object_unref (load_ok (locked));  /* root reads it anyway: no permission to take away */
  g_assert_cmpint (g_chmod (locked, 0644), ==, 0);
}

/* A JPEG of @picture with EXIF Orientation 6 (turn 90 degrees clockwise to be upright). */
static GByteArray *
rotated_jpeg (GdkPixbuf *picture)
{
  static const guint8 exif[] = {
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 6, 0, 0, 0, 0, 0, 0, 0,
  };
  g_autoptr(GBytes) jpeg = encode (picture, "jpeg");
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, exif, sizeof exif);
  g_byte_array_append (out, data + 2, (guint) (size - 2));
  return out;
}

static GdkPixbuf *
load_at (const char      *path,
         ImpastoImageFit  fit,
         int              side)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = impasto_image_load_at_size (path, fit, side, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  return pixbuf;
}

static void
assert_size (GdkPixbuf *pixbuf,
             int        width,
             int        height)
{
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

static void
test_load_at_size (void)
{
  g_autoptr(GdkPixbuf) picture = make_gradient (400, 300);
  g_autoptr(GBytes) png = encode (picture, "png");
  g_autoptr(GBytes) jpeg = encode (picture, "jpeg");
  g_autoptr(GByteArray) rotated = rotated_jpeg (picture);
  g_autofree char *png_path = path_in ("400x300.png");
  g_autofree char *jpeg_path = path_in ("400x300.jpg");
  g_autofree char *rotated_path = path_in ("400x300-rotated.jpg");

  write_bytes (png_path, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  write_bytes (jpeg_path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  write_bytes (rotated_path, rotated->data, rotated->len);

  /* A JPEG: the smallest of 1/1, 1/2, 1/4, 1/8 whose side is still at least the one asked for. */
  {
    g_autoptr(GdkPixbuf) eighth = load_at (jpeg_path, IMPASTO_IMAGE_LONGEST_SIDE, 50);
    g_autoptr(GdkPixbuf) quarter = load_at (jpeg_path, IMPASTO_IMAGE_LONGEST_SIDE, 100);
    g_autoptr(GdkPixbuf) half = load_at (jpeg_path, IMPASTO_IMAGE_SHORTEST_SIDE, 100);
    g_autoptr(GdkPixbuf) whole = load_at (jpeg_path, IMPASTO_IMAGE_LONGEST_SIDE, 333);
    g_autoptr(GdkPixbuf) not_enlarged = load_at (jpeg_path, IMPASTO_IMAGE_SHORTEST_SIDE, 1000);
    const guint8 *p;

    assert_size (eighth, 50, 38);
    assert_size (quarter, 100, 75);
    assert_size (half, 200, 150);
    assert_size (whole, 400, 300);
    assert_size (not_enlarged, 400, 300);

    /* Still the same picture: red grows to the right, green downwards. */
    p = pixel_at (quarter, 95, 5);
    g_assert_cmpint (p[0], >, 200);
    g_assert_cmpint (p[1], <, 40);
    p = pixel_at (quarter, 5, 70);
    g_assert_cmpint (p[0], <, 40);
    g_assert_cmpint (p[1], >, 200);
  }

  /* Other formats cannot be decoded smaller: whole, for the caller to resample once. */
  {
    g_autoptr(GdkPixbuf) whole = load_at (png_path, IMPASTO_IMAGE_LONGEST_SIDE, 100);

    assert_size (whole, 400, 300);
  }

  /* EXIF orientation survives the reduced decode: stored 400 x 300, upright 300 x 400. */
  {
    g_autoptr(GdkPixbuf) upright = load_at (rotated_path, IMPASTO_IMAGE_LONGEST_SIDE, 100);
    g_autoptr(GdkPixbuf) covered = load_at (rotated_path, IMPASTO_IMAGE_SHORTEST_SIDE, 60);
    const guint8 *p;

    assert_size (upright, 75, 100);
    assert_size (covered, 75, 100);
    /* Turned clockwise: the stored top row (green 0) is now the right column, and the stored
     * right edge (red 255) is now the bottom row. */
    p = pixel_at (upright, 70, 50);
    g_assert_cmpint (p[1], <, 40);
    p = pixel_at (upright, 37, 96);
    g_assert_cmpint (p[0], >, 200);
  }
}

/* The process's peak resident size in kB (VmHWM). */
static long
peak_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return strtol (line + 6, NULL, 10);
}

/* Runs in a subprocess: decodes the 4000 x 3000 JPEG and checks how much the peak resident size
 * grew meanwhile (the peak is reset first through /proc/self/clear_refs, so whatever the process
 * touched before, sanitizer set-up included, does not hide the growth). Full size needs 36 MB of
 * pixels; a decode for 500 pixels needs under 1 MB. */
static void
measure_decode (gboolean reduced)
{
  g_autofree char *path = g_build_filename (g_getenv ("IMPASTO_TEST_IMAGE_DIR"), "4000x3000.jpg",
                                            NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  long before;
  long grew_kb;

  {
    FILE *clear_refs = fopen ("/proc/self/clear_refs", "w");

    g_assert_nonnull (clear_refs);
    g_assert_cmpint (fputs ("5", clear_refs), >=, 0);
    g_assert_cmpint (fclose (clear_refs), ==, 0);
  }
  before = peak_kb ();
  if (reduced)
    pixbuf = impasto_image_load_at_size (path, IMPASTO_IMAGE_LONGEST_SIDE, 500, &error);
  else
    pixbuf = impasto_image_load (path, &error);
  g_assert_no_error (error);
  grew_kb = peak_kb () - before;
  g_test_message ("peak resident size grew by %ld kB", grew_kb);
  if (reduced)
    {
      assert_size (pixbuf, 500, 375);
      g_assert_cmpint (grew_kb, <, 12 * 1024);
    }
  else
    {
      assert_size (pixbuf, 4000, 3000);
      g_assert_cmpint (grew_kb, >, 30 * 1024);
    }
}

static void
test_big_photo (void)
{
  g_autofree char *path = path_in ("4000x3000.jpg");

  if (g_test_subprocess ())
    {
      measure_decode (g_strcmp0 (g_getenv ("IMPASTO_TEST_BIG_MODE"), "reduced") == 0);
      return;
    }

  /* Written here, in the parent, so that the children's peak size starts low. */
  {
    g_autoptr(GdkPixbuf) picture = make_gradient (4000, 3000);
    g_autoptr(GError) error = NULL;

    gdk_pixbuf_save (picture, path, "jpeg", &error, "quality", "80", NULL);
    g_assert_no_error (error);
  }

  g_setenv ("IMPASTO_TEST_BIG_MODE", "full", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("IMPASTO_TEST_BIG_MODE", "reduced", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  gboolean own_dir = FALSE;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The subprocesses of /image-inputs/big-photo share their parent's folder. */
  dir = g_strdup (g_getenv ("IMPASTO_TEST_IMAGE_DIR"));
  if (dir == NULL || !g_test_subprocess ())
    {
      g_free (dir);
      dir = cli_test_dir_new ();
      own_dir = TRUE;
      g_setenv ("IMPASTO_TEST_IMAGE_DIR", dir, TRUE);
    }

  g_test_add_func ("/image-inputs/empty", test_empty);
  g_test_add_func ("/image-inputs/text-as-image", test_text_as_image);
  g_test_add_func ("/image-inputs/truncated-jpeg", test_truncated_jpeg);
  g_test_add_func ("/image-inputs/truncated-png", test_truncated_png);
  g_test_add_func ("/image-inputs/jpeg-bomb", test_jpeg_bomb);
  g_test_add_func ("/image-inputs/16-bit-png", test_sixteen_bit_png);
  g_test_add_func ("/image-inputs/cmyk-jpeg", test_cmyk_jpeg);
  g_test_add_func ("/image-inputs/animations", test_animations);
  g_test_add_func ("/image-inputs/non-utf8-names", test_non_utf8_names);
  g_test_add_func ("/image-inputs/gone-before-loading", test_gone_before_loading);
  g_test_add_func ("/image-inputs/load-at-size", test_load_at_size);
  g_test_add_func ("/image-inputs/big-photo", test_big_photo);

  status = g_test_run ();
  if (own_dir)
    cli_test_dir_free (dir);
  else
    g_free (dir);
  return status;
}
