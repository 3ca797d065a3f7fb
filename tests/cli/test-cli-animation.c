/* test-cli-animation.c
 *
 * impasto-cli --animation on a tiny random VGG19: after the run the animated WebP is there,
 * and libwebp's WebPAnimDecoder finds the asked frame count (--animation-frames) at the asked
 * longest side (--animation-size, the aspect kept), as the closing line says, and a size above
 * the picture's keeps the picture's, with no temporary file left beside it. Bad values are
 * refused before the run with exit status 2, a message naming the flag, and nothing written: the
 * companion flags without --animation, a name that is not .webp, a count or size out of range,
 * frames that would not fit the memory bound, and a batch (one run, one animation).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-animation"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <webp/demux.h>

#include "cli-test-util.h"

static char *model_dir;
static char *model_path;

static void
decode (const char *path,
        int        *frames,
        int        *width,
        int        *height)
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
  decoder = WebPAnimDecoderNew (&data, &options);
  g_assert_nonnull (decoder);
  g_assert_true (WebPAnimDecoderGetInfo (decoder, &info));
  *frames = (int) info.frame_count;
  *width = (int) info.canvas_width;
  *height = (int) info.canvas_height;
  WebPAnimDecoderDelete (decoder);
}

static void
test_writes (void)
{
  g_autofree char *dir = cli_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "film.webp", NULL);
  g_autofree char *err = NULL;
  int frames, width, height;
  int status;

  cli_test_write_images (dir);
  /* Adam with large steps: every picked frame differs visibly from the one before, so the
   * encoder merges none. */
  status = cli_test_run (dir, NULL, NULL, &err,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "out.png", "--model", model_path, "--width", "40",
                         "--iterations", "20", "--optimizer", "adam", "--learning-rate", "20",
                         "--animation", "film.webp", "--animation-frames", "6",
                         "--animation-size", "24", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "wrote the animation film.webp: 6 frames, 24 × 19"));
  decode (path, &frames, &width, &height);
  g_assert_cmpint (frames, ==, 6);
  g_assert_cmpint (width, ==, 24);
  g_assert_cmpint (height, ==, 19);
  /* The output, the animation and the two pictures; no temporary file. */
  g_assert_cmpuint (cli_test_count_files (dir), ==, 5);

  /* A size above the picture's keeps the picture's: 40 × 32. */
  g_clear_pointer (&err, g_free);
  status = cli_test_run (dir, NULL, NULL, &err,
                         "--content", "content.png", "--style", "style.png",
                         "--output", "out.png", "--model", model_path, "--width", "40",
                         "--iterations", "6", "--optimizer", "adam", "--learning-rate", "20",
                         "--animation", "film.webp", "--animation-frames", "3",
                         "--animation-size", "400", NULL);
  g_assert_cmpint (status, ==, 0);
  decode (path, &frames, &width, &height);
  g_assert_cmpint (frames, ==, 3);
  g_assert_cmpint (width, ==, 40);
  g_assert_cmpint (height, ==, 32);

  cli_test_dir_free (g_steal_pointer (&dir));
}

static void
assert_refused (const char *dir,
                const char *expected,
                const char *first_flag,
                ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;
  int status;

  g_ptr_array_add (args, (char *) "--content");
  g_ptr_array_add (args, (char *) "content.png");
  g_ptr_array_add (args, (char *) "--style");
  g_ptr_array_add (args, (char *) "style.png");
  g_ptr_array_add (args, (char *) "--output");
  g_ptr_array_add (args, (char *) "out.png");
  g_ptr_array_add (args, (char *) "--model");
  g_ptr_array_add (args, model_path);
  va_start (ap, first_flag);
  for (arg = first_flag; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = cli_test_runv (dir, NULL, NULL, &err, (const char * const *) args->pdata);
  g_assert_cmpint (status, ==, 2);
  if (strstr (err, expected) == NULL)
    g_error ("expected “%s” in: %s", expected, err);
}

static void
test_refused (void)
{
  g_autofree char *dir = cli_test_dir_new ();

  cli_test_write_images (dir);
  assert_refused (dir, "--animation-frames needs --animation FILE.webp",
                  "--animation-frames", "10", NULL);
  assert_refused (dir, "--animation-size needs --animation FILE.webp",
                  "--animation-size", "100", NULL);
  assert_refused (dir, "--animation needs a file name ending in .webp, not “film.gif”",
                  "--animation", "film.gif", NULL);
  assert_refused (dir, "does not exist or is not writable",
                  "--animation", "missing/film.webp", NULL);
  assert_refused (dir, "--animation-frames needs a whole number from 2 to 500, not “1”",
                  "--animation", "film.webp", "--animation-frames", "1", NULL);
  assert_refused (dir, "--animation-size needs a whole number from 16 to 2048, not “big”",
                  "--animation", "film.webp", "--animation-size", "big", NULL);
  assert_refused (dir, "--animation-frames 500 at --animation-size 2048 could keep",
                  "--animation", "film.webp", "--animation-frames", "500",
                  "--animation-size", "2048", NULL);
  /* One run, one animation: a batch is refused before anything is painted. */
  {
    g_autofree char *err = NULL;
    int status = cli_test_run (dir, NULL, NULL, &err, "--content", "content.png",
                               "--content", "style.png", "--style", "style.png",
                               "--output-dir", "painted", "--model", model_path,
                               "--animation", "film.webp", NULL);

    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "--animation writes the animation of one run, not of a batch"));
  }
  /* Nothing written: only the two pictures. */
  g_assert_cmpuint (cli_test_count_files (dir), ==, 3);
  cli_test_dir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  model_path = cli_test_make_tiny_model (&model_dir);
  g_test_add_func ("/cli/animation/writes", test_writes);
  g_test_add_func ("/cli/animation/refused", test_refused);
  result = g_test_run ();
  g_clear_pointer (&model_path, g_free);
  cli_test_dir_free (g_steal_pointer (&model_dir));
  return result;
}
