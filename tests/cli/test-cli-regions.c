/* test-cli-regions.c
 *
 * impasto-cli's painted regions on a tiny random VGG19 at 40 x 32: two complementary masks (the
 * left half for the first --style, the right half for the second, given at half the picture's
 * size) paint a picture of their own, which --region-guides all and a region's weight change,
 * flat and on a ladder of two sizes; one all-white mask for the only painting gives the picture
 * of the run without --region (within one level a pixel: the engine promises float round-off
 * only), flat and on a ladder; a region that keeps the photo paints another picture. Every bad
 * --region or --region-guides is refused with exit status 2, a message naming the flag and the
 * mask, and nothing written: not a picture, a PNG cut short, a missing file, an all-black or fully
 * transparent mask, a painting number out of range or negative or not a number, a bad weight, no
 * ":K", no file before the colon, nine regions, an unknown guides mode.
 *
 * It does not judge the pictures; the engine's tests check the numbers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-regions"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"

static char *model_dir;
static char *model_path;

typedef struct
{
  char *dir;
} Fixture;

/* A @width × @height mask, RGBA; @in (x, y) says which pixels are white and opaque, the others
 * are @out_rgba. */
static void
write_mask (const char     *dir,
            const char     *name,
            int             width,
            int             height,
            gboolean      (*in) (int x, int y, int width),
            const guint8   *out_rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * 4;
        static const guint8 white[4] = { 255, 255, 255, 255 };

        memcpy (p, in != NULL && in (x, y, width) ? white : out_rgba, 4);
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

static gboolean
left_half (int x, int y, int width)
{
  return x < width / 2;
}

static gboolean
right_half (int x, int y, int width)
{
  return x >= width / 2;
}

static gboolean
everywhere (int x, int y, int width)
{
  return TRUE;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  static const guint8 black[4] = { 0, 0, 0, 255 };
  static const guint8 clear[4] = { 255, 255, 255, 0 };
  g_autofree char *notes = NULL;
  g_autofree char *left = NULL;
  g_autofree char *cut = NULL;
  g_autofree gchar *png = NULL;
  gsize size = 0;

  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
  write_mask (fixture->dir, "left.png", 20, 16, left_half, black);
  write_mask (fixture->dir, "right.png", 20, 16, right_half, black);
  write_mask (fixture->dir, "white.png", 20, 16, everywhere, black);
  write_mask (fixture->dir, "black.png", 40, 32, NULL, black);
  /* White, but transparent: out. */
  write_mask (fixture->dir, "clear.png", 40, 32, NULL, clear);

  notes = g_build_filename (fixture->dir, "notes.png", NULL);
  cli_test_write_file (notes, "not a picture\n", 14);
  left = g_build_filename (fixture->dir, "left.png", NULL);
  g_assert_true (g_file_get_contents (left, &png, &size, NULL));
  cut = g_build_filename (fixture->dir, "cut.png", NULL);
  cli_test_write_file (cut, png, size - 20);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  cli_test_dir_free (fixture->dir);
}

/* A short run at the photo's own size (40 × 32) into @output with @extra flags (up to 31,
 * NULL-terminated): flat with Adam, unless @extra says otherwise (the last value of a flag
 * counts). */
static int
paint (Fixture *fixture, const char *output, char **err, const char *const *extra)
{
  const char *args[48] = {
    "--content", "content.png", "--output", output, "--model", model_path, "--size", "40",
    "--iterations", "4", "--scales", "1", "--seed", "3", "--threads", "1",
  };
  int n = 16;

  for (int i = 0; extra[i] != NULL; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  return cli_test_runv (fixture->dir, NULL, NULL, err, args);
}

static GdkPixbuf *
load (Fixture *fixture, const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  return pixbuf;
}

/* The largest difference of one channel of one pixel. */
static int
max_difference (GdkPixbuf *a, GdkPixbuf *b)
{
  int w = gdk_pixbuf_get_width (a), h = gdk_pixbuf_get_height (a);
  int n = gdk_pixbuf_get_n_channels (a);
  int most = 0;

  g_assert_cmpint (w, ==, gdk_pixbuf_get_width (b));
  g_assert_cmpint (h, ==, gdk_pixbuf_get_height (b));
  g_assert_cmpint (n, ==, gdk_pixbuf_get_n_channels (b));
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w * n; x++)
      {
        int d = abs ((int) gdk_pixbuf_read_pixels (a)[y * gdk_pixbuf_get_rowstride (a) + x]
                     - (int) gdk_pixbuf_read_pixels (b)[y * gdk_pixbuf_get_rowstride (b) + x]);

        most = MAX (most, d);
      }
  g_test_message ("largest difference: %d levels", most);
  return most;
}

/* Left for the first painting, right for the second: a picture of its own, neither the blend
 * nor the first painting alone; the guides' mode and a region's weight change it; on a ladder
 * too. */
static void
test_two_regions (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) blend = NULL, first = NULL, regions = NULL, all = NULL, ladder = NULL;
  g_autoptr(GdkPixbuf) ladder_plain = NULL, weighted = NULL;

  g_assert_cmpint (paint (fixture, "blend.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "first.png", NULL,
                          (const char *[]) { "--style", "style.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "regions.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--region", "left.png:1", "--region", "right.png:2",
                                             NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "all.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--region", "left.png:1", "--region", "right.png:2",
                                             "--region-guides", "all", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "weighted.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--region", "left.png:1", "--region",
                                             "right.png:2:3", NULL }), ==, 0);
  /* Two sizes, 28 and 40 px long, with L-BFGS (the ladder's default). */
  g_assert_cmpint (paint (fixture, "ladder.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--region", "left.png:1", "--region", "right.png:2",
                                             "--scales", "2", "--min-size", "28", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "ladder-plain.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--scales", "2", "--min-size", "28", NULL }), ==, 0);
  blend = load (fixture, "blend.png");
  first = load (fixture, "first.png");
  regions = load (fixture, "regions.png");
  all = load (fixture, "all.png");
  weighted = load (fixture, "weighted.png");
  ladder = load (fixture, "ladder.png");
  ladder_plain = load (fixture, "ladder-plain.png");
  g_assert_cmpint (max_difference (regions, blend), >, 1);
  g_assert_cmpint (max_difference (regions, first), >, 1);
  g_assert_cmpint (max_difference (all, regions), >, 1);
  g_assert_cmpint (max_difference (weighted, regions), >, 1);
  g_assert_cmpint (max_difference (ladder, ladder_plain), >, 1);
}

/* One region over the whole picture is the run without regions, flat and on a ladder. */
static void
test_whole_picture (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) plain = NULL, whole = NULL, ladder_plain = NULL, ladder_whole = NULL;

  g_assert_cmpint (paint (fixture, "plain.png", NULL,
                          (const char *[]) { "--style", "style.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "whole.png", NULL,
                          (const char *[]) { "--style", "style.png", "--region", "white.png:1",
                                             NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "ladder-plain.png", NULL,
                          (const char *[]) { "--style", "style.png", "--scales", "2",
                                             "--min-size", "28", "--optimizer", "adam",
                                             NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "ladder-whole.png", NULL,
                          (const char *[]) { "--style", "style.png", "--region", "white.png:1",
                                             "--scales", "2", "--min-size", "28",
                                             "--optimizer", "adam", NULL }), ==, 0);
  plain = load (fixture, "plain.png");
  whole = load (fixture, "whole.png");
  ladder_plain = load (fixture, "ladder-plain.png");
  ladder_whole = load (fixture, "ladder-whole.png");
  g_assert_cmpint (max_difference (plain, whole), <=, 1);
  g_assert_cmpint (max_difference (ladder_plain, ladder_whole), <=, 1);
  /* The ladder is another run: the comparison above is not between two copies of one file. */
  g_assert_cmpint (max_difference (plain, ladder_plain), >, 1);
}

/* The left half keeps the photo: another picture than the plain run. */
static void
test_keep_photo (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) plain = NULL, kept = NULL;

  g_assert_cmpint (paint (fixture, "plain.png", NULL,
                          (const char *[]) { "--style", "style.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "kept.png", NULL,
                          (const char *[]) { "--style", "style.png", "--region", "left.png:0",
                                             NULL }), ==, 0);
  plain = load (fixture, "plain.png");
  kept = load (fixture, "kept.png");
  g_assert_cmpint (max_difference (plain, kept), >, 1);
}

/* Each bad value: exit 2, a message naming the flag (and the mask), no output. */
static void
test_bad_regions (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *args[8];
    const char *flag;
    const char *file;
  } cases[] = {
    { { "--region", "notes.png:1", NULL }, "--region", "notes.png" },
    { { "--region", "cut.png:1", NULL }, "--region", "cut.png" },
    { { "--region", "missing.png:1", NULL }, "--region", "missing.png" },
    { { "--region", "black.png:1", NULL }, "--region", "black.png" },
    { { "--region", "clear.png:1", NULL }, "--region", "clear.png" },
    { { "--region", "left.png:2", NULL }, "--region", "left.png" },
    { { "--region", "left.png:-1", NULL }, "--region", "left.png" },
    { { "--region", "left.png:x", NULL }, "--region", "left.png" },
    { { "--region", "left.png:99999999999", NULL }, "--region", "left.png" },
    { { "--region", "left.png:1:0", NULL }, "--region", "left.png" },
    { { "--region", "left.png:1:-2", NULL }, "--region", "left.png" },
    { { "--region", "left.png:1:abc", NULL }, "--region", "left.png" },
    { { "--region", "left.png:1:inf", NULL }, "--region", "left.png" },
    { { "--region", "left.png:1:", NULL }, "--region", "left.png" },
    { { "--region", "left.png", NULL }, "--region", "left.png" },
    { { "--region", ":1", NULL }, "--region", ":1" },
    /* A bad mask after a good one. */
    { { "--region", "right.png:1", "--region", "black.png:1", NULL }, "--region", "black.png" },
    { { "--region", "left.png:1", "--region-guides", "outside", NULL }, "--region-guides",
      "outside" },
    { { NULL }, "--region", NULL },   /* nine regions, made below */
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = g_build_filename (fixture->dir, "bad.png", NULL);
      const char *args[32] = { "--style", "style.png" };
      guint files = cli_test_count_files (fixture->dir);
      int n = 2;

      if (cases[k].args[0] != NULL)
        for (int i = 0; cases[k].args[i] != NULL; i++)
          args[n++] = cases[k].args[i];
      else
        for (int i = 0; i < 9; i++)
          {
            args[n++] = "--region";
            args[n++] = i % 2 == 0 ? "left.png:1" : "right.png:0";
          }
      args[n] = NULL;

      g_assert_cmpint (paint (fixture, "bad.png", &err, args), ==, 2);
      g_assert_nonnull (strstr (err, cases[k].flag));
      if (cases[k].file != NULL)
        g_assert_nonnull (strstr (err, cases[k].file));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (cli_test_count_files (fixture->dir), ==, files);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  model_path = cli_test_make_tiny_model (&model_dir);
  g_test_add ("/cli/regions/bad", Fixture, NULL, fixture_set_up, test_bad_regions,
              fixture_tear_down);
  g_test_add ("/cli/regions/two", Fixture, NULL, fixture_set_up, test_two_regions,
              fixture_tear_down);
  g_test_add ("/cli/regions/whole-picture", Fixture, NULL, fixture_set_up, test_whole_picture,
              fixture_tear_down);
  g_test_add ("/cli/regions/keep-photo", Fixture, NULL, fixture_set_up, test_keep_photo,
              fixture_tear_down);
  status = g_test_run ();
  g_free (model_path);
  cli_test_dir_free (model_dir);
  return status;
}
