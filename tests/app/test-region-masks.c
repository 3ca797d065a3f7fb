/* test-region-masks.c
 *
 * ImpastoRegionMasks without a window: the soft brush's falloff, a stroke raising a mask and the
 * eraser lowering it (without build-up within a stroke, and with no gaps between far dabs), undo
 * and redo giving back the exact bytes, the history's bound, `changed` naming the regions a
 * change touches, at most IMPASTO_MAX_REGIONS, new sizes resampling the masks, and the PNG files:
 * saved greyscale (colour type 0), loaded back the same, loaded from another size resized, read
 * as the CLI reads masks (transparent is out), and a file that is no picture refused with its
 * name and nothing changed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-region-masks"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "impasto-region-masks.h"

#define W 64
#define H 48

static void
on_changed_cb (ImpastoRegionMasks *masks,
               int                 index,
               GArray             *seen)
{
  g_array_append_val (seen, index);
}

static ImpastoRegionMasks *
masks_new (GArray **seen)
{
  ImpastoRegionMasks *masks = impasto_region_masks_new ();

  impasto_region_masks_set_size (masks, W, H);
  if (seen != NULL)
    {
      *seen = g_array_new (FALSE, FALSE, sizeof (int));
      g_signal_connect (masks, "changed", G_CALLBACK (on_changed_cb), *seen);
    }
  return masks;
}

static guint8
at (ImpastoRegionMasks *masks,
    int                 index,
    int                 x,
    int                 y)
{
  return impasto_region_masks_get_mask (masks, index)[y * impasto_region_masks_get_width (masks)
                                                      + x];
}

static void
stroke (ImpastoRegionMasks *masks,
        int                 index,
        ImpastoBrushMode    mode,
        double              radius,
        double              softness,
        double              x0,
        double              y0,
        double              x1,
        double              y1)
{
  impasto_region_masks_begin_stroke (masks, index, mode, radius, softness);
  impasto_region_masks_add_dab (masks, x0, y0);
  impasto_region_masks_add_dab (masks, x1, y1);
  impasto_region_masks_end_stroke (masks);
}

static void
test_brush_alpha (void)
{
  g_assert_cmpfloat (impasto_region_masks_brush_alpha (10, 0.5, 0), ==, 1.0);
  g_assert_cmpfloat (impasto_region_masks_brush_alpha (10, 0.5, 5), ==, 1.0);
  g_assert_cmpfloat (impasto_region_masks_brush_alpha (10, 0.5, 10), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (impasto_region_masks_brush_alpha (10, 0.5, 7.5), 0.5, 1e-12);
  /* Falls off monotonically. */
  for (double d = 5; d < 10; d += 0.25)
    g_assert_cmpfloat (impasto_region_masks_brush_alpha (10, 0.5, d + 0.25), <=,
                       impasto_region_masks_brush_alpha (10, 0.5, d));
  /* Hard: in up to the radius. */
  g_assert_cmpfloat (impasto_region_masks_brush_alpha (4, 0.0, 3.99), ==, 1.0);
  /* All soft: only the centre is fully in. */
  g_assert_cmpfloat (impasto_region_masks_brush_alpha (4, 1.0, 2.0), <, 1.0);
  g_assert_cmpfloat (impasto_region_masks_brush_alpha (4, 1.0, 2.0), >, 0.0);
}

static void
test_stroke_and_eraser (void)
{
  g_autoptr(ImpastoRegionMasks) masks = NULL;
  g_autoptr(GArray) seen = NULL;

  masks = masks_new (&seen);
  g_assert_cmpint (impasto_region_masks_add (masks, 1), ==, 0);
  g_assert_cmpint (impasto_region_masks_add (masks, IMPASTO_REGION_KEEP_PHOTO), ==, 1);
  g_assert_cmpint (seen->len, ==, 2);
  g_assert_false (impasto_region_masks_covers (masks, 0));
  g_array_set_size (seen, 0);

  /* A hard stroke from left to right along y = 20: no gaps although the dabs are far apart. */
  impasto_region_masks_begin_stroke (masks, 0, IMPASTO_BRUSH_PAINT, 4.0, 0.0);
  impasto_region_masks_add_dab (masks, 5.5, 20.5);
  impasto_region_masks_add_dab (masks, 55.5, 20.5);
  g_assert_true (impasto_region_masks_in_stroke (masks));
  /* Not per dab. */
  g_assert_cmpint (seen->len, ==, 0);
  impasto_region_masks_end_stroke (masks);
  g_assert_false (impasto_region_masks_in_stroke (masks));
  g_assert_cmpint (seen->len, ==, 1);
  g_assert_cmpint (g_array_index (seen, int, 0), ==, 0);
  for (int x = 5; x <= 55; x++)
    g_assert_cmpint (at (masks, 0, x, 20), ==, 255);
  g_assert_cmpint (at (masks, 0, 30, 30), ==, 0);
  g_assert_cmpint (at (masks, 0, 30, 10), ==, 0);
  /* The other region is untouched. */
  g_assert_false (impasto_region_masks_covers (masks, 1));

  /* A soft dab: full in the middle, partly in at its edge, and the same whether dabbed once or
   * over and over in one stroke. */
  impasto_region_masks_begin_stroke (masks, 1, IMPASTO_BRUSH_PAINT, 8.0, 1.0);
  impasto_region_masks_add_dab (masks, 32.5, 32.5);
  impasto_region_masks_end_stroke (masks);
  {
    guint8 once = at (masks, 1, 37, 32);

    g_assert_cmpint (at (masks, 1, 32, 32), ==, 255);
    g_assert_cmpint (once, >, 0);
    g_assert_cmpint (once, <, 255);
    impasto_region_masks_undo (masks);
    impasto_region_masks_begin_stroke (masks, 1, IMPASTO_BRUSH_PAINT, 8.0, 1.0);
    for (int k = 0; k < 10; k++)
      impasto_region_masks_add_dab (masks, 32.5, 32.5);
    impasto_region_masks_end_stroke (masks);
    g_assert_cmpint (at (masks, 1, 37, 32), ==, once);
    /* A second stroke builds up. */
    impasto_region_masks_begin_stroke (masks, 1, IMPASTO_BRUSH_PAINT, 8.0, 1.0);
    impasto_region_masks_add_dab (masks, 32.5, 32.5);
    impasto_region_masks_end_stroke (masks);
    g_assert_cmpint (at (masks, 1, 37, 32), >, once);
  }

  /* The eraser lowers, softly at its edge. */
  g_array_set_size (seen, 0);
  stroke (masks, 0, IMPASTO_BRUSH_ERASE, 3.0, 0.5, 30.5, 20.5, 30.5, 20.5);
  g_assert_cmpint (at (masks, 0, 30, 20), ==, 0);
  g_assert_cmpint (at (masks, 0, 10, 20), ==, 255);
  g_assert_cmpint (seen->len, ==, 1);

  /* A stroke that changes nothing is no step and no change. */
  g_array_set_size (seen, 0);
  stroke (masks, 0, IMPASTO_BRUSH_ERASE, 3.0, 0.5, 30.5, 40.5, 40.5, 40.5);
  g_assert_cmpint (seen->len, ==, 0);
  impasto_region_masks_undo (masks);
  g_assert_cmpint (at (masks, 0, 30, 20), ==, 255);
}

static void
test_undo_redo (void)
{
  g_autoptr(ImpastoRegionMasks) masks = masks_new (NULL);
  g_autofree guint8 *empty = NULL;
  g_autofree guint8 *first = NULL;
  g_autofree guint8 *second = NULL;
  gsize n = (gsize) W * H;

  impasto_region_masks_add (masks, 0);
  empty = g_memdup2 (impasto_region_masks_get_mask (masks, 0), n);
  g_assert_false (impasto_region_masks_can_undo (masks));

  stroke (masks, 0, IMPASTO_BRUSH_PAINT, 6.0, 0.4, 10, 10, 40, 30);
  first = g_memdup2 (impasto_region_masks_get_mask (masks, 0), n);
  stroke (masks, 0, IMPASTO_BRUSH_ERASE, 5.0, 0.2, 20, 5, 25, 40);
  second = g_memdup2 (impasto_region_masks_get_mask (masks, 0), n);
  g_assert_true (memcmp (first, second, n) != 0);
  g_assert_true (impasto_region_masks_can_undo (masks));
  g_assert_false (impasto_region_masks_can_redo (masks));
  /* Only the touched rectangles are kept. */
  g_assert_cmpuint (impasto_region_masks_get_history_bytes (masks), <, 4 * n);

  impasto_region_masks_undo (masks);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, first, n);
  impasto_region_masks_undo (masks);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, empty, n);
  g_assert_false (impasto_region_masks_can_undo (masks));
  /* Nothing more to undo: nothing changes. */
  impasto_region_masks_undo (masks);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, empty, n);

  impasto_region_masks_redo (masks);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, first, n);
  impasto_region_masks_redo (masks);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, second, n);
  g_assert_false (impasto_region_masks_can_redo (masks));

  /* A new stroke after an undo drops what could be redone. */
  impasto_region_masks_undo (masks);
  stroke (masks, 0, IMPASTO_BRUSH_PAINT, 2.0, 0.0, 60, 40, 62, 44);
  g_assert_false (impasto_region_masks_can_redo (masks));

  /* Adding a region keeps the history; removing one clears it. */
  impasto_region_masks_add (masks, 0);
  g_assert_true (impasto_region_masks_can_undo (masks));
  impasto_region_masks_remove (masks, 1);
  g_assert_false (impasto_region_masks_can_undo (masks));
  g_assert_cmpuint (impasto_region_masks_get_history_bytes (masks), ==, 0);
}

static void
test_history_bound (void)
{
  g_autoptr(ImpastoRegionMasks) masks = impasto_region_masks_new ();
  gsize n = (gsize) IMPASTO_REGION_MASKS_MAX_SIDE * IMPASTO_REGION_MASKS_MAX_SIDE;
  gsize limit = IMPASTO_REGION_MASKS_UNDO_BYTES;

  impasto_region_masks_set_size (masks, IMPASTO_REGION_MASKS_MAX_SIDE,
                                 IMPASTO_REGION_MASKS_MAX_SIDE);
  impasto_region_masks_add (masks, 0);
  /* Whole-picture strokes, painting and erasing by turns: each keeps 2 × n bytes. */
  for (int k = 0; k < (int) (limit / (2 * n)) + 6; k++)
    stroke (masks, 0, k % 2 == 0 ? IMPASTO_BRUSH_PAINT : IMPASTO_BRUSH_ERASE, 2000.0, 0.0,
            512, 512, 512, 512);
  g_assert_cmpuint (impasto_region_masks_get_history_bytes (masks), <=, limit);
  g_assert_true (impasto_region_masks_can_undo (masks));
}

static void
test_regions_and_sizes (void)
{
  g_autoptr(ImpastoRegionMasks) masks = NULL;
  g_autoptr(GArray) seen = NULL;
  int width;
  int height;

  masks = masks_new (&seen);
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    g_assert_cmpint (impasto_region_masks_add (masks, i % 2), ==, i);
  g_assert_cmpint (impasto_region_masks_add (masks, 0), ==, -1);
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, IMPASTO_MAX_REGIONS);

  stroke (masks, 3, IMPASTO_BRUSH_PAINT, 5.0, 0.0, 10, 10, 10, 10);
  impasto_region_masks_set_weight (masks, 5, 2.5);
  impasto_region_masks_set_painting (masks, 5, IMPASTO_REGION_KEEP_PHOTO);

  /* Removing region 2 moves the others down and names every index from 2 on. */
  g_array_set_size (seen, 0);
  impasto_region_masks_remove (masks, 2);
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, IMPASTO_MAX_REGIONS - 1);
  g_assert_cmpint (seen->len, ==, IMPASTO_MAX_REGIONS - 2);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpint (g_array_index (seen, int, i), ==, 2 + (int) i);
  g_assert_true (impasto_region_masks_covers (masks, 2));
  g_assert_cmpfloat (impasto_region_masks_get_weight (masks, 4), ==, 2.5);
  g_assert_cmpint (impasto_region_masks_get_painting (masks, 4), ==, IMPASTO_REGION_KEEP_PHOTO);
  g_assert_cmpint (impasto_region_masks_get_painting (masks, 3), ==, 0);

  /* A new size resamples the masks: the dab is where it was, in proportion. */
  impasto_region_masks_set_size (masks, W * 2, H * 2);
  g_assert_cmpint (at (masks, 2, 20, 20), ==, 255);
  g_assert_cmpint (at (masks, 2, 100, 80), ==, 0);
  g_assert_false (impasto_region_masks_can_undo (masks));

  impasto_region_masks_plan_size (4000, 3000, &width, &height);
  g_assert_cmpint (width, ==, IMPASTO_REGION_MASKS_MAX_SIDE);
  g_assert_cmpint (height, ==, 768);
  impasto_region_masks_plan_size (300, 200, &width, &height);
  g_assert_cmpint (width, ==, 300);
  g_assert_cmpint (height, ==, 200);

  /* No picture: no regions. */
  g_array_set_size (seen, 0);
  impasto_region_masks_set_size (masks, 0, 0);
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 0);
  g_assert_cmpint (seen->len, ==, IMPASTO_MAX_REGIONS - 1);
  g_assert_cmpint (impasto_region_masks_add (masks, 0), ==, -1);
}

static void
test_save_and_load (void)
{
  g_autoptr(ImpastoRegionMasks) masks = masks_new (NULL);
  g_autoptr(ImpastoRegionMasks) other = NULL;
  g_autoptr(GArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("impasto-region-masks-XXXXXX", &error);
  g_autofree char *path1 = NULL;
  g_autofree char *path2 = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *big = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *before = NULL;
  gsize length;
  gsize n = (gsize) W * H;

  g_assert_no_error (error);
  impasto_region_masks_add (masks, 0);
  impasto_region_masks_add (masks, 1);
  stroke (masks, 0, IMPASTO_BRUSH_PAINT, 7.0, 0.6, 10, 10, 50, 12);
  stroke (masks, 1, IMPASTO_BRUSH_PAINT, 9.0, 0.3, 30, 40, 30, 40);
  g_assert_cmpint (impasto_region_masks_save (masks, dir, &error), ==, 2);
  g_assert_no_error (error);

  path1 = g_build_filename (dir, "region-1.png", NULL);
  path2 = g_build_filename (dir, "region-2.png", NULL);
  /* Greyscale, 8 bits: IHDR's bit depth and colour type. */
  g_assert_true (g_file_get_contents (path1, &contents, &length, &error));
  g_assert_cmpuint (length, >, 33);
  g_assert_cmpmem (contents + 12, 4, "IHDR", 4);
  g_assert_cmpint (contents[24], ==, 8);
  g_assert_cmpint (contents[25], ==, 0);

  /* Back, the same bytes, in a fresh model of the same size. */
  other = masks_new (&seen);
  {
    const char *paths[] = { path1, path2 };

    g_assert_true (impasto_region_masks_load (other, paths, 2, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (impasto_region_masks_get_n_regions (other), ==, 2);
  g_assert_cmpmem (impasto_region_masks_get_mask (other, 0), n,
                   impasto_region_masks_get_mask (masks, 0), n);
  g_assert_cmpmem (impasto_region_masks_get_mask (other, 1), n,
                   impasto_region_masks_get_mask (masks, 1), n);
  g_assert_cmpint (seen->len, ==, 2);

  /* A picture of another size is resized: a white 4×3 picture is all in. */
  {
    g_autoptr(GdkPixbuf) white = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 3);
    const char *paths[] = { NULL };

    gdk_pixbuf_fill (white, 0xffffffff);
    big = g_build_filename (dir, "white.png", NULL);
    g_assert_true (gdk_pixbuf_save (white, big, "png", &error, NULL));
    paths[0] = big;
    g_assert_true (impasto_region_masks_load (other, paths, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpint (impasto_region_masks_get_n_regions (other), ==, 1);
    for (int y = 0; y < H; y += 7)
      for (int x = 0; x < W; x += 5)
        g_assert_cmpint (at (other, 0, x, y), ==, 255);
  }

  /* As the CLI reads masks: transparent is out, whatever its colour. */
  {
    g_autoptr(GdkPixbuf) clear = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 4, 3);
    g_autofree char *see_through = g_build_filename (dir, "clear.png", NULL);
    const char *paths[] = { see_through };

    gdk_pixbuf_fill (clear, 0xffffff00);
    g_assert_true (gdk_pixbuf_save (clear, see_through, "png", &error, NULL));
    g_assert_true (impasto_region_masks_load (other, paths, 1, &error));
    g_assert_no_error (error);
    g_assert_false (impasto_region_masks_covers (other, 0));
    g_assert_cmpint (g_unlink (see_through), ==, 0);
  }

  /* Not a picture: an error naming it, and nothing changes, even with a good file before it. */
  bad = g_build_filename (dir, "notes.png", NULL);
  g_assert_true (g_file_set_contents (bad, "not a picture at all", -1, &error));
  before = g_memdup2 (impasto_region_masks_get_mask (masks, 0), n);
  {
    const char *paths[] = { path2, bad };

    g_assert_false (impasto_region_masks_load (masks, paths, 2, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "notes.png"));
    g_clear_error (&error);
  }
  g_assert_cmpint (impasto_region_masks_get_n_regions (masks), ==, 2);
  g_assert_cmpmem (impasto_region_masks_get_mask (masks, 0), n, before, n);
  g_assert_true (impasto_region_masks_can_undo (masks));

  /* Too many files. */
  {
    const char *paths[IMPASTO_MAX_REGIONS + 1];

    for (int i = 0; i <= IMPASTO_MAX_REGIONS; i++)
      paths[i] = path1;
    g_assert_false (impasto_region_masks_load (masks, paths, IMPASTO_MAX_REGIONS + 1, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  g_assert_cmpint (g_unlink (path1), ==, 0);
  g_assert_cmpint (g_unlink (path2), ==, 0);
  g_assert_cmpint (g_unlink (bad), ==, 0);
  g_assert_cmpint (g_unlink (big), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/region-masks/brush-alpha", test_brush_alpha);
  g_test_add_func ("/region-masks/stroke-and-eraser", test_stroke_and_eraser);
  g_test_add_func ("/region-masks/undo-redo", test_undo_redo);
  g_test_add_func ("/region-masks/history-bound", test_history_bound);
  g_test_add_func ("/region-masks/regions-and-sizes", test_regions_and_sizes);
  g_test_add_func ("/region-masks/save-and-load", test_save_and_load);

  return g_test_run ();
}
