/* impasto-fuzz-seeds.c
 *
 * Writes the fuzzers' seed corpora, so that no binary seed is committed:
 *   DIR/weights-mat/    tiny VGG19 .mat files (newer and older layout, compressed or not, double,
 *                       UTF-8 text, no fc layers) from tools/impasto-vgg19-mat
 *   DIR/weights-cache/  the same network as a model cache (impasto_weights_cache_write), with and
 *                       without a recorded source
 *   DIR/snapshot/       snapshots of two 16 × 16 runs on that network (Adam; L-BFGS with a history
 *                       of 2 that has wrapped)
 *   DIR/image/          small PNG (RGB, RGBA), JPEG, BMP, TIFF, ICO and WebP files from
 *                       gdk-pixbuf's savers, and a hand-made two-frame GIF
 *
 *   impasto-fuzz-seeds DIR
 *
 * Every seed is loaded back once (a seed the code refuses would start the fuzzer off the path it
 * should explore). It does not fuzz anything.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "impasto-ladder-snapshot.h"
#include "impasto-snapshot-format.h"
#include "impasto-vgg19-mat.h"
#include "impasto-weights-cache.h"
#include "impasto-weights.h"

static char *
make_dir (const char *parent,
          const char *name)
{
  char *dir = g_build_filename (parent, name, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    g_error ("cannot create %s", dir);
  return dir;
}

static void
write_mat (const char             *dir,
           const char             *name,
           ImpastoVgg19MatOptions *options)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char error[256];

  ImpastoWeights *weights = NULL;
  ImpastoEngineError load_error = { 0 };

  if (!impasto_vgg19_mat_write (path, options, NULL, error, sizeof error))
    g_error ("%s: %s", path, error);
  /* A seed the loader refuses would start the fuzzer off the path it should explore. */
  if (impasto_weights_load (&weights, path, &load_error) != IMPASTO_STATUS_OK)
    g_error ("seed %s does not load: %s", path, load_error.message);
  impasto_weights_free (weights);
}

static void
write_mats (const char *dir)
{
  ImpastoVgg19MatOptions options;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.with_fc = FALSE;
  write_mat (dir, "newer-compressed.mat", &options);

  options.compress = FALSE;
  write_mat (dir, "newer-plain.mat", &options);

  impasto_vgg19_mat_options_init_tiny (&options);
  options.layout = IMPASTO_VGG19_MAT_LAYOUT_OLDER;
  options.mean_shape = IMPASTO_VGG19_MAT_MEAN_PIXEL;
  options.with_fc = FALSE;
  options.compress = FALSE;
  options.biases_as_row = TRUE;
  write_mat (dir, "older-plain.mat", &options);

  impasto_vgg19_mat_options_init_tiny (&options);
  options.as_double = TRUE;
  options.text_utf8 = TRUE;
  options.with_odd_layer = TRUE;
  options.with_mean = FALSE;
  write_mat (dir, "double-utf8-fc.mat", &options);
}

static void
write_caches (const char *dir,
              const char *mat_path)
{
  g_autofree char *plain = g_build_filename (dir, "tiny.impasto", NULL);
  g_autofree char *with_source = g_build_filename (dir, "tiny-source.impasto", NULL);
  ImpastoModelSource source = { 0 };
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_weights_load (&weights, mat_path, &error) != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);
  if (impasto_weights_cache_write (weights, NULL, plain, &error) != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);

  source.size = 123456;
  source.mtime_sec = 1700000000;
  source.mtime_nsec = 42;
  source.has_md5 = TRUE;
  memset (source.md5, 0xab, sizeof source.md5);
  g_strlcpy (source.name, "imagenet-vgg-verydeep-19.mat", sizeof source.name);
  if (impasto_weights_cache_write (weights, &source, with_source, &error) != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);
  impasto_weights_free (weights);

  weights = NULL;
  if (impasto_weights_cache_map (&weights, NULL, with_source, &error) != IMPASTO_STATUS_OK)
    g_error ("seed %s does not load: %s", with_source, error.message);
  impasto_weights_free (weights);
}

/* A 16 × 16 run of a few steps, snapshotted; the snapshot read back. */
static void
write_snapshot (const char *dir, const char *name, const ImpastoWeights *weights,
                ImpastoOptimizer optimizer, int steps)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  float content[16 * 16 * 3], style[16 * 16 * 3];
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
  ImpastoLadderConfig ladder_config;
  ImpastoLadder *ladder = NULL;
  ImpastoSnapshot *snapshot = g_new0 (ImpastoSnapshot, 1);
  ImpastoEngineError error = { 0 };
  void *buffer = NULL;

  for (int i = 0; i < 16 * 16 * 3; i++)
    {
      content[i] = (float) ((i * 37) % 256);
      style[i] = (float) ((i * 91 + 17) % 256);
    }
  impasto_session_config_init_default (&config);
  impasto_session_params_init_default (&params);
  impasto_ladder_config_init_default (&ladder_config);
  config.width = config.height = 16;
  config.content_rgb = content;
  config.style_rgb = style;
  config.optimizer = optimizer;
  config.lbfgs_history = 2;
  ladder_config.min_side = 16;
  ladder_config.window = 2;
  if (impasto_ladder_new (&ladder, weights, &ladder_config, &config, &params, NULL, NULL, &error)
      != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);
  for (int i = 0; i < steps; i++)
    if (impasto_ladder_step (ladder, NULL, &error) != IMPASTO_STATUS_OK)
      g_error ("%s", error.message);
  if (impasto_ladder_snapshot_write (ladder, path, &error) != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);
  if (impasto_snapshot_load (snapshot, &buffer, path, &error) != IMPASTO_STATUS_OK)
    g_error ("seed %s does not load: %s", path, error.message);
  free (buffer);
  g_free (snapshot);
  impasto_ladder_free (ladder);
}

static void
write_snapshots (const char *dir, const char *mat_path)
{
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_weights_load (&weights, mat_path, &error) != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);
  write_snapshot (dir, "adam.snapshot", weights, IMPASTO_OPTIMIZER_ADAM, 2);
  write_snapshot (dir, "lbfgs.snapshot", weights, IMPASTO_OPTIMIZER_LBFGS, 4);
  impasto_weights_free (weights);
}

static void
save_pixbuf (GdkPixbuf  *pixbuf,
             const char *dir,
             const char *name,
             const char *format)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!gdk_pixbuf_save (pixbuf, path, format, &error, NULL))
    g_error ("%s: %s", path, error->message);
}

static void
check_image (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);

  if (pixbuf == NULL)
    g_error ("seed %s does not load: %s", path, error->message);
}

/* A 2x2, two-frame animated GIF: global palette of 4 colours, a NETSCAPE loop extension, then
 * two frames with graphic control extensions, each 4 pixels LZW-coded with a 2-bit minimum. */
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
write_images (const char *dir)
{
  g_autoptr(GdkPixbuf) rgb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 7, 5);
  g_autoptr(GdkPixbuf) rgba = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 6, 4);
  g_autofree char *gif = g_build_filename (dir, "animated.gif", NULL);
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 7; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (rgb) + y * gdk_pixbuf_get_rowstride (rgb) + x * 3;

        p[0] = (guint8) (x * 36);
        p[1] = (guint8) (y * 60);
        p[2] = (guint8) (255 - x * y * 8);
      }
  gdk_pixbuf_fill (rgba, 0x3366cc80);

  save_pixbuf (rgb, dir, "rgb.png", "png");
  save_pixbuf (rgba, dir, "rgba.png", "png");
  save_pixbuf (rgb, dir, "rgb.jpg", "jpeg");
  save_pixbuf (rgb, dir, "rgb.bmp", "bmp");
  save_pixbuf (rgb, dir, "rgb.tiff", "tiff");
  save_pixbuf (rgba, dir, "rgba.ico", "ico");
  /* Only where the WebP loader is installed (webp-pixbuf-loader). */
  {
    GSList *formats = gdk_pixbuf_get_formats ();

    for (GSList *l = formats; l != NULL; l = l->next)
      {
        g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

        if (g_str_equal (name, "webp") && gdk_pixbuf_format_is_writable (l->data))
          save_pixbuf (rgb, dir, "rgb.webp", "webp");
      }
    g_slist_free (formats);
  }

  if (!g_file_set_contents (gif, (const char *) animated_gif, sizeof animated_gif, &error))
    g_error ("%s", error->message);

  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
    const char *name;

    if (listing == NULL)
      g_error ("%s", error->message);
    while ((name = g_dir_read_name (listing)) != NULL)
      check_image (dir, name);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *mat_dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *image_dir = NULL;
  g_autofree char *snapshot_dir = NULL;
  g_autofree char *mat_path = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: impasto-fuzz-seeds DIR\n");
      return 2;
    }

  mat_dir = make_dir (argv[1], "weights-mat");
  cache_dir = make_dir (argv[1], "weights-cache");
  image_dir = make_dir (argv[1], "image");
  snapshot_dir = make_dir (argv[1], "snapshot");

  write_mats (mat_dir);
  mat_path = g_build_filename (mat_dir, "newer-compressed.mat", NULL);
  write_caches (cache_dir, mat_path);
  write_snapshots (snapshot_dir, mat_path);
  write_images (image_dir);
  return 0;
}
