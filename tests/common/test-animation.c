/* test-animation.c
 *
 * A run's film and its animation (impasto-film.h, impasto-animation.h): the film keeps every
 * frame until full, then thins to an even spread over the whole run within its bound, always
 * with the final picture; picking spreads from the first frame to the last. The written WebP,
 * decoded with libwebp's WebPAnimDecoder, has the asked frame count, size, timing and loop, and
 * looks like the frames; a cancelled export (before, or between two frames) leaves no file and
 * no temporary file, and an earlier file at the path is left as it was; an empty film is
 * refused.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-animation"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <webp/demux.h>

#include "impasto-animation.h"

/* A picture of one flat colour per frame number, with a square that moves: every frame differs
 * from the one before by far more than the encoder's loss. */
static guint8 *
make_frame (int k,
            int width,
            int height,
            gsize *stride)
{
  guint8 *rgb;

  *stride = (gsize) width * 3 + 5;   /* padded rows, as the engine's may be */
  rgb = g_malloc0 (*stride * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = rgb + y * *stride + 3 * x;
        gboolean square = x / 8 == k % (width / 8) && y < height / 2;

        p[0] = (guint8) (k * 37);
        p[1] = square ? 255 : (guint8) (255 - k * 23);
        p[2] = (guint8) (k * 11 + 40);
      }
  return rgb;
}

static void
offer (ImpastoFilm *film,
       int          k,
       gboolean     final)
{
  gsize stride;
  g_autofree guint8 *rgb = make_frame (k, 64, 48, &stride);

  g_assert_true (impasto_film_offer (film, rgb, 64, 48, stride, final));
}

static void
test_film_thinning (void)
{
  g_autoptr(ImpastoFilm) film = impasto_film_new (8, 32);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) three = NULL;
  int width, height;

  impasto_film_get_frame_size (film, &width, &height);
  g_assert_cmpint (width, ==, 0);
  for (int k = 0; k < 8; k++)
    offer (film, k, FALSE);
  g_assert_cmpint (impasto_film_get_n_frames (film), ==, 8);
  impasto_film_get_frame_size (film, &width, &height);
  g_assert_cmpint (width, ==, 32);
  g_assert_cmpint (height, ==, 24);

  /* Full: the ninth thins to frames 0, 2, 4, 6 and is kept (8 is on the stride of 2); then only
   * even frames are taken until it is full again. */
  g_assert_true (impasto_film_wants (film, FALSE));
  offer (film, 8, FALSE);
  g_assert_cmpint (impasto_film_get_n_frames (film), ==, 5);
  g_assert_false (impasto_film_wants (film, FALSE));
  for (int k = 9; k < 30; k++)
    offer (film, k, FALSE);
  g_assert_cmpint (impasto_film_get_n_frames (film), <=, 8);
  g_assert_cmpint (impasto_film_get_n_frames (film), >=, 4);
  g_assert_true (impasto_film_wants (film, TRUE));
  offer (film, 30, TRUE);

  /* Everything kept, first to final, the first frame first and the final one last. */
  all = impasto_film_pick (film, 100);
  g_assert_cmpint (all->len, ==, impasto_film_get_n_frames (film));
  {
    gsize stride;
    g_autofree guint8 *first = make_frame (0, 64, 48, &stride);
    const guint8 *kept = g_bytes_get_data (g_array_index (all, ImpastoFilmFrame, 0).pixels,
                                           NULL);
    const guint8 *last = g_bytes_get_data (g_array_index (all, ImpastoFilmFrame,
                                                          all->len - 1).pixels, NULL);

    g_assert_cmpint (abs (kept[3 * 31] - first[0]), <=, 1);   /* top right: the flat colour */
    g_assert_cmpint (abs (last[3 * 31] - (guint8) (30 * 37)), <=, 1);
  }
  three = impasto_film_pick (film, 3);
  g_assert_cmpint (three->len, ==, 3);
  g_assert_true (g_array_index (three, ImpastoFilmFrame, 0).pixels
                 == g_array_index (all, ImpastoFilmFrame, 0).pixels);
  g_assert_true (g_array_index (three, ImpastoFilmFrame, 2).pixels
                 == g_array_index (all, ImpastoFilmFrame, all->len - 1).pixels);
}

typedef struct
{
  int frames;
  int width;
  int height;
  int loop;
  int last_timestamp;
  guint8 first_pixel[4];
} Decoded;

static void
decode (const char *path,
        Decoded    *decoded)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  WebPData data;
  WebPAnimDecoderOptions options;
  WebPAnimDecoder *decoder;
  WebPAnimInfo info;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  data.bytes = (const uint8_t *) contents;
  data.size = length;
  g_assert_true (WebPAnimDecoderOptionsInit (&options));
  options.color_mode = MODE_RGBA;
  decoder = WebPAnimDecoderNew (&data, &options);
  g_assert_nonnull (decoder);
  g_assert_true (WebPAnimDecoderGetInfo (decoder, &info));
  decoded->frames = (int) info.frame_count;
  decoded->width = (int) info.canvas_width;
  decoded->height = (int) info.canvas_height;
  decoded->loop = (int) info.loop_count;
  for (int i = 0; WebPAnimDecoderHasMoreFrames (decoder); i++)
    {
      uint8_t *rgba;
      int timestamp;

      g_assert_true (WebPAnimDecoderGetNext (decoder, &rgba, &timestamp));
      if (i == 0)
        memcpy (decoded->first_pixel, rgba + 4 * (decoded->width - 1), 4);
      decoded->last_timestamp = timestamp;
    }
  WebPAnimDecoderDelete (decoder);
}

static ImpastoFilm *
make_film (int n)
{
  ImpastoFilm *film = impasto_film_new (64, 64);

  for (int k = 0; k < n - 1; k++)
    offer (film, k, FALSE);
  offer (film, n - 1, TRUE);
  return film;
}

static int progress_calls;

static void
count_progress (int      done,
                int      total,
                gpointer data)
{
  g_assert_cmpint (done, ==, progress_calls + 1);
  g_assert_cmpint (total, ==, GPOINTER_TO_INT (data));
  progress_calls++;
}

static void
test_write_decodes (void)
{
  g_autoptr(ImpastoFilm) film = make_film (20);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("impasto-animation-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.webp", NULL);
  Decoded decoded = { 0 };
  int written = 0;

  g_assert_no_error (error);
  progress_calls = 0;
  g_assert_true (impasto_animation_write (film, path, 7, 40, NULL, count_progress,
                                          GINT_TO_POINTER (7), &written, &error));
  g_assert_no_error (error);
  g_assert_cmpint (progress_calls, ==, 7);
  g_assert_cmpint (written, ==, 7);

  decode (path, &decoded);
  g_assert_cmpint (decoded.frames, ==, 7);
  g_assert_cmpint (decoded.width, ==, 40);
  g_assert_cmpint (decoded.height, ==, 30);
  g_assert_cmpint (decoded.loop, ==, 0);
  /* Six frames of 100 ms, then the last held for 2 s: it ends at 2.6 s. */
  g_assert_cmpint (decoded.last_timestamp, ==,
                   6 * IMPASTO_ANIMATION_FRAME_MS + IMPASTO_ANIMATION_HOLD_MS);
  /* The first frame is frame 0's flat colour (lossy: near it). */
  g_assert_cmpint (abs (decoded.first_pixel[0] - 0), <=, 8);
  g_assert_cmpint (abs (decoded.first_pixel[1] - 255), <=, 8);
  g_assert_cmpint (abs (decoded.first_pixel[2] - 40), <=, 8);

  /* A size larger than the kept frames is not enlarged; fewer kept frames than asked gives
   * every kept frame once. */
  g_assert_true (impasto_animation_write (film, path, 500, 2048, NULL, NULL, NULL, &written,
                                          &error));
  g_assert_no_error (error);
  decode (path, &decoded);
  g_assert_cmpint (decoded.frames, ==, 20);
  g_assert_cmpint (written, ==, 20);
  g_assert_cmpint (decoded.width, ==, 64);
  g_assert_cmpint (decoded.height, ==, 48);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
cancel_after_two (int      done,
                  int      total,
                  gpointer data)
{
  if (done == 2)
    g_cancellable_cancel (data);
}

static int
count_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  int n = 0;

  g_assert_nonnull (listing);
  while (g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

static void
test_cancelled (void)
{
  g_autoptr(ImpastoFilm) film = make_film (12);
  g_autoptr(ImpastoFilm) empty = impasto_film_new (8, 64);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("impasto-animation-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.webp", NULL);
  g_autofree char *contents = NULL;

  g_assert_no_error (error);

  /* Cancelled between two frames: nothing in the folder. */
  g_assert_false (impasto_animation_write (film, path, 10, 64, cancellable, cancel_after_two,
                                           cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (count_files (dir), ==, 0);

  /* Cancelled before it starts, over an earlier file: that file stays as it was, alone. */
  g_file_set_contents (path, "earlier", -1, &error);
  g_assert_no_error (error);
  g_assert_false (impasto_animation_write (film, path, 10, 64, cancellable, NULL, NULL, NULL,
                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "earlier");
  g_assert_cmpint (count_files (dir), ==, 1);

  /* Nothing kept yet: refused, nothing written. */
  g_assert_false (impasto_animation_write (empty, path, 10, 64, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpint (count_files (dir), ==, 1);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/animation/film-thinning", test_film_thinning);
  g_test_add_func ("/animation/write-decodes", test_write_decodes);
  g_test_add_func ("/animation/cancelled", test_cancelled);
  return g_test_run ();
}
