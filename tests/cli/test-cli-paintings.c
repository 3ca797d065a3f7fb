/* test-cli-paintings.c
 *
 * impasto-cli's painter's controls on a tiny random VGG19 at 40 x 32: several --style blended
 * (weights 1,0 give exactly the first painting's picture; other weights and another
 * --style-scale give another one), --preserve-colors luminance and swap writing the photo's
 * chroma (YIQ, computed here from the files), histogram changing the picture, and every bad
 * value of the new flags refused with exit status 2, a message naming the flag, and nothing
 * written.
 *
 * It does not judge the pictures; the engine's tests check the numbers.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-paintings"

#include "config.h"

#include <math.h>
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

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = cli_test_dir_new ();
  cli_test_write_images (fixture->dir);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  cli_test_dir_free (fixture->dir);
}

/* A short flat run at the photo's own size (40 × 32) into @output with @extra flags (up to 31,
 * NULL-terminated). */
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

static gboolean
same_pixels (GdkPixbuf *a, GdkPixbuf *b)
{
  int h = gdk_pixbuf_get_height (a);
  int row = gdk_pixbuf_get_width (a) * gdk_pixbuf_get_n_channels (a);

  g_assert_cmpint (gdk_pixbuf_get_width (a), ==, gdk_pixbuf_get_width (b));
  g_assert_cmpint (h, ==, gdk_pixbuf_get_height (b));
  for (int y = 0; y < h; y++)
    if (memcmp (gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a),
                gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b), row) != 0)
      return FALSE;
  return TRUE;
}

/* Weights 1,0 are the first painting alone, bit for bit; 0.5,0.5 and a brush size of 0.5 are
 * other pictures. */
static void
test_blend (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) alone = NULL, first = NULL, blend = NULL, brush = NULL;

  g_assert_cmpint (paint (fixture, "alone.png", NULL,
                          (const char *[]) { "--style", "style.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "first.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--style-weights", "1,0", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "blend.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style", "style.jpg",
                                             "--style-weights", "0.5,0.5", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "brush.png", NULL,
                          (const char *[]) { "--style", "style.png", "--style-scale", "0.5",
                                             NULL }), ==, 0);
  alone = load (fixture, "alone.png");
  first = load (fixture, "first.png");
  blend = load (fixture, "blend.png");
  brush = load (fixture, "brush.png");
  g_assert_true (same_pixels (alone, first));
  g_assert_false (same_pixels (alone, blend));
  g_assert_false (same_pixels (alone, brush));
}

static void
yiq_chroma (const guint8 *p, double *i, double *q)
{
  *i = 0.596 * p[0] - 0.274 * p[1] - 0.322 * p[2];
  *q = 0.211 * p[0] - 0.523 * p[1] + 0.312 * p[2];
}

/* The picture's I and Q are the photo's wherever no channel was clamped: within 0.61, what
 * rounding each channel to 8 bits can move them (0.5 × (0.596 + 0.274 + 0.322)). */
static void
assert_photo_chroma (GdkPixbuf *picture, GdkPixbuf *photo, GdkPixbuf *plain)
{
  int w = gdk_pixbuf_get_width (picture), h = gdk_pixbuf_get_height (picture);
  int checked = 0;
  double plain_off = 0.0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *a = gdk_pixbuf_read_pixels (picture) + y * gdk_pixbuf_get_rowstride (picture)
                          + x * gdk_pixbuf_get_n_channels (picture);
        const guint8 *b = gdk_pixbuf_read_pixels (photo) + y * gdk_pixbuf_get_rowstride (photo)
                          + x * gdk_pixbuf_get_n_channels (photo);
        const guint8 *c = gdk_pixbuf_read_pixels (plain) + y * gdk_pixbuf_get_rowstride (plain)
                          + x * gdk_pixbuf_get_n_channels (plain);
        double ia, qa, ib, qb, ic, qc;

        yiq_chroma (b, &ib, &qb);
        yiq_chroma (c, &ic, &qc);
        plain_off = fmax (plain_off, fmax (fabs (ic - ib), fabs (qc - qb)));
        if (a[0] == 0 || a[0] == 255 || a[1] == 0 || a[1] == 255 || a[2] == 0 || a[2] == 255)
          continue;
        yiq_chroma (a, &ia, &qa);
        g_assert_cmpfloat_with_epsilon (ia, ib, 0.61);
        g_assert_cmpfloat_with_epsilon (qa, qb, 0.61);
        checked++;
      }
  /* Most pixels were checked, and the plain run's chroma is not the photo's (else this proves
   * nothing). */
  g_assert_cmpint (checked, >, w * h / 2);
  g_assert_cmpfloat (plain_off, >, 5.0);
}

static void
test_keep_chroma (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) photo = load (fixture, "content.png");
  g_autoptr(GdkPixbuf) plain = NULL, swapped = NULL, luminance = NULL, histogram = NULL;

  g_assert_cmpint (paint (fixture, "plain.png", NULL,
                          (const char *[]) { "--style", "style.png", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "swap.png", NULL,
                          (const char *[]) { "--style", "style.png", "--preserve-colors", "swap",
                                             NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "luminance.png", NULL,
                          (const char *[]) { "--style", "style.png", "--preserve-colors",
                                             "luminance", NULL }), ==, 0);
  g_assert_cmpint (paint (fixture, "histogram.png", NULL,
                          (const char *[]) { "--style", "style.png", "--preserve-colors",
                                             "histogram", NULL }), ==, 0);
  plain = load (fixture, "plain.png");
  swapped = load (fixture, "swap.png");
  luminance = load (fixture, "luminance.png");
  histogram = load (fixture, "histogram.png");
  assert_photo_chroma (swapped, photo, plain);
  assert_photo_chroma (luminance, photo, plain);
  g_assert_false (same_pixels (luminance, swapped));
  g_assert_false (same_pixels (histogram, plain));
}

/* Each bad value: exit 2, a message naming the flag, no output. */
static void
test_bad_flags (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *args[8];
    const char *flag;
  } cases[] = {
    { { "--style", "style.png", "--style", "style.jpg", "--style-weights", "1", NULL },
      "--style-weights" },
    { { "--style", "style.png", "--style-weights", "1,1", NULL }, "--style-weights" },
    { { "--style", "style.png", "--style", "style.jpg", "--style-weights", "1,-1", NULL },
      "--style-weights" },
    { { "--style", "style.png", "--style", "style.jpg", "--style-weights", "0,0", NULL },
      "--style-weights" },
    { { "--style", "style.png", "--style-weights", "nan", NULL }, "--style-weights" },
    { { "--style", "style.png", "--style-scale", "0", NULL }, "--style-scale" },
    { { "--style", "style.png", "--style-scale", "-1", NULL }, "--style-scale" },
    { { "--style", "style.png", "--style-scale", "1e6", NULL }, "--style-scale" },
    { { "--style", "style.png", "--style", "style.jpg", "--style-scale", "1,1,1", NULL },
      "--style-scale" },
    { { "--style", "style.png", "--preserve-colors", "yes", NULL }, "--preserve-colors" },
    { { NULL }, NULL },   /* nine paintings, made below */
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = g_build_filename (fixture->dir, "bad.png", NULL);
      const char *const *extra = cases[k].args;
      const char *nine[24];
      int n = 0;

      /* The last case: nine paintings, one over the limit. */
      if (cases[k].flag == NULL)
        {
          for (int i = 0; i < 9; i++)
            {
              nine[n++] = "--style";
              nine[n++] = "style.png";
            }
          nine[n] = NULL;
          extra = nine;
        }
      g_assert_cmpint (paint (fixture, "bad.png", &err, extra), ==, 2);
      g_assert_nonnull (strstr (err, cases[k].flag != NULL ? cases[k].flag : "--style"));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  model_path = cli_test_make_tiny_model (&model_dir);
  g_test_add ("/cli/paintings/blend", Fixture, NULL, fixture_set_up, test_blend,
              fixture_tear_down);
  g_test_add ("/cli/paintings/keep-chroma", Fixture, NULL, fixture_set_up, test_keep_chroma,
              fixture_tear_down);
  g_test_add ("/cli/paintings/bad-flags", Fixture, NULL, fixture_set_up, test_bad_flags,
              fixture_tear_down);
  status = g_test_run ();
  g_free (model_path);
  cli_test_dir_free (model_dir);
  return status;
}
