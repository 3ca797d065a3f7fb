/* test-mask.c
 *
 * Unit tests for src/common/impasto-mask.c: a picture's luminance as the mask (white 1 exactly,
 * black 0, the primaries their weights), alpha multiplying it (transparent = out, also from a
 * file), impasto_mask_covers() on black, transparent and barely lit masks, errors that name the
 * file (not a picture, cut short, missing), and saving: a real 8-bit greyscale PNG (its header
 * read here) that reads back within half a level, values clamped, a noisy mask large enough for
 * several IDAT chunks read back exactly, a name not ending in .png refused before anything is
 * written (the old file stays), and failed saves (no folder, a folder in the way) that name the
 * file and leave no temporary file.
 *
 * It does not test the CLI's --region (test-cli-regions.c does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-mask"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"
#include "impasto-image.h"
#include "impasto-mask.h"

static GdkPixbuf *
make_pixbuf (int width, int height, gboolean alpha, const guint8 *fill)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int n = gdk_pixbuf_get_n_channels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      memcpy (gdk_pixbuf_get_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
              + (gsize) x * n, fill, n);
  return pixbuf;
}

static void
set_pixel (GdkPixbuf *pixbuf, int x, int y, const guint8 *value)
{
  int n = gdk_pixbuf_get_n_channels (pixbuf);

  memcpy (gdk_pixbuf_get_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
          + (gsize) x * n, value, n);
}

static void
test_luminance (void)
{
  static const struct
  {
    guint8 rgb[3];
    double expected;
  } cases[] = {
    { { 255, 255, 255 }, 1.0 },
    { { 0, 0, 0 }, 0.0 },
    { { 255, 0, 0 }, 0.299 },
    { { 0, 255, 0 }, 0.587 },
    { { 0, 0, 255 }, 0.114 },
    { { 128, 128, 128 }, 128.0 / 255.0 },
    { { 10, 200, 30 }, (0.299 * 10 + 0.587 * 200 + 0.114 * 30) / 255.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (3, 2, FALSE, cases[i].rgb);
      g_autofree float *mask = impasto_mask_from_pixbuf (pixbuf);

      for (int k = 0; k < 6; k++)
        g_assert_cmpfloat_with_epsilon (mask[k], cases[i].expected, 1e-6);
    }

  /* White is exactly 1, not 1 - ε. */
  {
    g_autoptr(GdkPixbuf) white = make_pixbuf (1, 1, FALSE, (const guint8 []) { 255, 255, 255 });
    g_autofree float *mask = impasto_mask_from_pixbuf (white);

    g_assert_true (mask[0] == 1.0f);
  }
}

/* Row-major (height, width), each pixel where it was. */
static void
test_layout_and_alpha (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (4, 3, TRUE, (const guint8 []) { 255, 255, 255, 0 });
  g_autofree float *mask = NULL;

  set_pixel (pixbuf, 3, 0, (const guint8 []) { 255, 255, 255, 255 });
  set_pixel (pixbuf, 1, 2, (const guint8 []) { 255, 255, 255, 51 });
  set_pixel (pixbuf, 2, 1, (const guint8 []) { 0, 0, 0, 255 });
  set_pixel (pixbuf, 0, 1, (const guint8 []) { 255, 0, 0, 255 });
  mask = impasto_mask_from_pixbuf (pixbuf);

  for (int i = 0; i < 12; i++)
    {
      double expected = i == 3 ? 1.0 : i == 9 ? 0.2 : i == 4 ? 0.299 : 0.0;

      g_assert_cmpfloat_with_epsilon (mask[i], expected, 1e-6);
    }
  g_assert_true (mask[3] == 1.0f);
}

static char *
write_pixbuf (const char *dir, const char *name, GdkPixbuf *pixbuf)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static void
test_load_and_covers (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autoptr(GdkPixbuf) half = make_pixbuf (6, 4, TRUE, (const guint8 []) { 255, 255, 255, 255 });
  g_autoptr(GdkPixbuf) clear = make_pixbuf (5, 5, TRUE, (const guint8 []) { 255, 255, 255, 0 });
  g_autoptr(GdkPixbuf) black = make_pixbuf (5, 5, FALSE, (const guint8 []) { 0, 0, 0 });
  g_autoptr(GdkPixbuf) dim = make_pixbuf (5, 5, FALSE, (const guint8 []) { 0, 0, 0 });
  g_autofree char *half_path = NULL, *clear_path = NULL, *black_path = NULL, *dim_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *mask = NULL;
  int width = 0, height = 0;

  /* The right half transparent: out, though white. */
  for (int y = 0; y < 4; y++)
    for (int x = 3; x < 6; x++)
      set_pixel (half, x, y, (const guint8 []) { 255, 255, 255, 0 });
  set_pixel (dim, 4, 4, (const guint8 []) { 0, 0, 1 });
  half_path = write_pixbuf (dir, "half.png", half);
  clear_path = write_pixbuf (dir, "clear.png", clear);
  black_path = write_pixbuf (dir, "black.png", black);
  dim_path = write_pixbuf (dir, "dim.png", dim);

  mask = impasto_mask_load (half_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 6);
  g_assert_cmpint (height, ==, 4);
  for (int i = 0; i < 24; i++)
    g_assert_cmpfloat (mask[i], ==, i % 6 < 3 ? 1.0f : 0.0f);
  g_assert_true (impasto_mask_covers (mask, 24));
  g_clear_pointer (&mask, g_free);

  mask = impasto_mask_load (clear_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_false (impasto_mask_covers (mask, 25));
  g_clear_pointer (&mask, g_free);

  mask = impasto_mask_load (black_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_false (impasto_mask_covers (mask, 25));
  g_clear_pointer (&mask, g_free);

  /* One barely blue pixel is in. */
  mask = impasto_mask_load (dim_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_true (impasto_mask_covers (mask, 25));
  g_assert_false (impasto_mask_covers (mask, 24));

  cli_test_dir_free (g_steal_pointer (&dir));
}

static void
assert_load_fails (const char *path, const char *name)
{
  g_autoptr(GError) error = NULL;
  int width = -1, height = -1;
  float *mask = impasto_mask_load (path, &width, &height, &error);

  g_assert_null (mask);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_cmpint (width, ==, -1);
}

static void
test_load_errors (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *text = g_build_filename (dir, "notes.png", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (64, 64, FALSE, (const guint8 []) { 200, 10, 90 });
  g_autofree gchar *png = NULL;
  gsize png_size = 0;
  g_autoptr(GError) error = NULL;

  cli_test_write_file (text, "not a picture\n", 14);
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++)
      set_pixel (pixbuf, x, y, (const guint8 []) { x * 4, y * 4, (x * y) & 0xff });
  gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL);
  g_assert_no_error (error);
  cli_test_write_file (cut, png, png_size / 2);

  assert_load_fails (text, "notes.png");
  assert_load_fails (cut, "cut.png");
  assert_load_fails (missing, "missing.png");
  cli_test_dir_free (g_steal_pointer (&dir));
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The PNG's header, and how many IDAT chunks it has. */
static guint
check_grey_png (const char *path, int width, int height)
{
  g_autofree gchar *data = NULL;
  gsize size = 0;
  gsize offset = 8;
  guint idat = 0;
  const guint8 *p;

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  p = (const guint8 *) data;
  g_assert_cmpmem (p, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (p + 12, 4, "IHDR", 4);
  g_assert_cmpuint (be32 (p + 16), ==, (guint32) width);
  g_assert_cmpuint (be32 (p + 20), ==, (guint32) height);
  g_assert_cmpuint (p[24], ==, 8);   /* bit depth */
  g_assert_cmpuint (p[25], ==, 0);   /* colour type: grey */
  while (offset + 12 <= size)
    {
      guint32 length = be32 (p + offset);

      if (memcmp (p + offset + 4, "IDAT", 4) == 0)
        idat++;
      offset += 12 + length;
    }
  g_assert_cmpuint (offset, ==, size);
  return idat;
}

static void
test_save_round_trip (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "mask.PNG", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree float *read = NULL;
  float mask[7 * 5];
  int width = 0, height = 0;

  for (int i = 0; i < 35; i++)
    mask[i] = (float) i / 34.0f;
  mask[1] = -0.5f;
  mask[2] = 2.0f;
  mask[3] = NAN;
  g_assert_true (impasto_mask_save (mask, 7, 5, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (check_grey_png (path, 7, 5), ==, 1);

  read = impasto_mask_load (path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 7);
  g_assert_cmpint (height, ==, 5);
  for (int i = 0; i < 35; i++)
    {
      double expected = i == 1 || i == 3 ? 0.0 : i == 2 ? 1.0 : mask[i];

      g_assert_cmpfloat_with_epsilon (read[i], expected, 0.5 / 255.0 + 1e-6);
    }
  /* Grey: the three channels alike. */
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 7; x++)
      {
        const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf)
                          + x * gdk_pixbuf_get_n_channels (pixbuf);

        g_assert_cmpuint (p[0], ==, p[1]);
        g_assert_cmpuint (p[1], ==, p[2]);
      }
  cli_test_dir_free (g_steal_pointer (&dir));
}

/* Noise does not compress: 1.2 MB of rows need two IDAT chunks, and every level comes back. */
static void
test_save_large (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "noise.png", NULL);
  const int width = 1200, height = 1000;
  g_autofree float *mask = g_new (float, width * height);
  g_autofree float *read = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  int w = 0, h = 0;

  for (int i = 0; i < width * height; i++)
    mask[i] = (float) g_rand_int_range (rand, 0, 256) / 255.0f;
  g_assert_true (impasto_mask_save (mask, width, height, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (check_grey_png (path, width, height), >=, 2);

  read = impasto_mask_load (path, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
  for (int i = 0; i < width * height; i++)
    g_assert_cmpint (lrintf (read[i] * 255.0f), ==, lrintf (mask[i] * 255.0f));
  cli_test_dir_free (g_steal_pointer (&dir));
}

static void
test_save_errors (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *jpeg = g_build_filename (dir, "mask.jpg", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "gone", "mask.png", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const float mask[4] = { 0.0f, 1.0f, 1.0f, 0.0f };

  /* Refused by its name before anything is written: the old file stays. */
  cli_test_write_file (jpeg, "old", 3);
  g_assert_false (impasto_mask_save (mask, 2, 2, jpeg, &error));
  g_assert_error (error, IMPASTO_IMAGE_ERROR, IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT);
  g_assert_nonnull (strstr (error->message, "mask.jpg"));
  g_assert_true (g_file_get_contents (jpeg, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_clear_error (&error);

  g_assert_false (impasto_mask_save (mask, 2, 2, nowhere, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "mask.png"));
  g_clear_error (&error);

  /* A folder where the file should go: the save fails and leaves no temporary file. */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (impasto_mask_save (mask, 2, 2, folder, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "folder.png"));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (cli_test_count_files (dir), ==, 2);
  cli_test_dir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mask/luminance", test_luminance);
  g_test_add_func ("/mask/layout-and-alpha", test_layout_and_alpha);
  g_test_add_func ("/mask/load-and-covers", test_load_and_covers);
  g_test_add_func ("/mask/load-errors", test_load_errors);
  g_test_add_func ("/mask/save-round-trip", test_save_round_trip);
  g_test_add_func ("/mask/save-large", test_save_large);
  g_test_add_func ("/mask/save-errors", test_save_errors);
  return g_test_run ();
}
