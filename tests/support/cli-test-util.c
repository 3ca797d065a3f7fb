/* cli-test-util.c
 *
 * Helpers for the impasto-cli tests: scratch folders, generated images, and g_spawn_sync() around
 * the program with its exit code decoded.
 *
 * It does not assert anything about the CLI's behaviour.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cli-test-util"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "cli-test-util.h"

const char *
cli_test_program (void)
{
  const char *program = g_getenv ("IMPASTO_CLI");

  g_assert_nonnull (program);
  return program;
}

char *
cli_test_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("impasto-test-cli-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    {
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
}

void
cli_test_dir_free (char *dir)
{
  remove_tree (dir);
  g_free (dir);
}

guint
cli_test_count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

void
cli_test_write_file (const char *path,
                     const void *data,
                     gsize       size)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
}

/* @kind 0: a smooth gradient (the photo); 1: stripes (the painting). */
static GdkPixbuf *
make_image (int width,
            int height,
            int kind)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * 3;

        if (kind == 0)
          {
            p[0] = (guint8) (x * 255 / width);
            p[1] = (guint8) (y * 255 / height);
            p[2] = (guint8) (96 + (x + y) % 64);
          }
        else
          {
            gboolean stripe = ((x + 2 * y) / 4) % 2 == 0;

            p[0] = stripe ? 230 : 30;
            p[1] = stripe ? 180 : 60;
            p[2] = stripe ? 40 : 200;
          }
      }

  return pixbuf;
}

void
cli_test_write_images (const char *dir)
{
  g_autoptr(GdkPixbuf) content = make_image (40, 32, 0);
  g_autoptr(GdkPixbuf) style = make_image (40, 32, 1);
  g_autoptr(GdkPixbuf) style_large = make_image (48, 40, 1);
  g_autofree char *content_path = g_build_filename (dir, "content.png", NULL);
  g_autofree char *style_path = g_build_filename (dir, "style.png", NULL);
  g_autofree char *jpeg_path = g_build_filename (dir, "style.jpg", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_save (content, content_path, "png", &error, NULL);
  g_assert_no_error (error);
  gdk_pixbuf_save (style, style_path, "png", &error, NULL);
  g_assert_no_error (error);
  gdk_pixbuf_save (style_large, jpeg_path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
}

int
cli_test_runv (const char         *cwd,
               char              **envp,
               char              **out,
               char              **err,
               const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *command = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) cli_test_program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  command = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running: %s", command);

  g_spawn_sync (cwd, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &out_text, &err_text, &wait_status, &error);
  g_assert_no_error (error);

  if (err_text != NULL && err_text[0] != '\0')
    g_test_message ("stderr: %s", err_text);

  if (out != NULL)
    *out = g_steal_pointer (&out_text);
  if (err != NULL)
    *err = g_steal_pointer (&err_text);

  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  if (WIFSIGNALED (wait_status))
    return 1000 + WTERMSIG (wait_status);
  return -1;
}

int
cli_test_run (const char  *cwd,
              char       **envp,
              char       **out,
              char       **err,
              const char  *first_arg,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cli_test_runv (cwd, envp, out, err, (const char * const *) args->pdata);
}

char **
cli_test_environ_without_model (const char *data_home)
{
  char **envp = g_get_environ ();

  envp = g_environ_unsetenv (envp, "IMPASTO_MODEL");
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data_home, TRUE);
  return envp;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 be[4] = { (guint8) (value >> 24), (guint8) (value >> 16), (guint8) (value >> 8),
                   (guint8) value };

  g_byte_array_append (out, be, 4);
}

void
cli_test_png_chunk (GByteArray   *out,
                    const char   *type,
                    const guint8 *data,
                    guint32       size)
{
  guint32 crc = (guint32) crc32 (0, (const Bytef *) type, 4);

  if (size > 0)
    crc = (guint32) crc32 (crc, data, size);
  append_be32 (out, size);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (size > 0)
    g_byte_array_append (out, data, size);
  append_be32 (out, crc);
}

void
cli_test_write_png (const char   *path,
                    guint32       width,
                    guint32       height,
                    guint8        bit_depth,
                    guint8        colour_type,
                    const guint8 *samples,
                    const guint8 *palette,
                    guint32       palette_size,
                    const guint8 *alpha,
                    guint32       alpha_size)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint channels = colour_type == 2 ? 3 : 1;
  gsize row = (gsize) width * channels * (bit_depth / 8);
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *compressed = NULL;
  uLongf compressed_size;
  const guint8 ihdr[13] = {
    (guint8) (width >> 24), (guint8) (width >> 16), (guint8) (width >> 8), (guint8) width,
    (guint8) (height >> 24), (guint8) (height >> 16), (guint8) (height >> 8), (guint8) height,
    bit_depth, colour_type, 0, 0, 0,   /* compression, filter and interlace: the only ones */
  };

  g_assert_true (bit_depth == 8 || bit_depth == 16);
  g_assert_true (colour_type == 0 || colour_type == 2 || colour_type == 3);
  for (guint32 y = 0; y < height; y++)
    {
      guint8 filter = 0;

      g_byte_array_append (raw, &filter, 1);
      g_byte_array_append (raw, samples + y * row, (guint) row);
    }
  compressed_size = compressBound (raw->len);
  compressed = g_malloc (compressed_size);
  g_assert_cmpint (compress (compressed, &compressed_size, raw->data, raw->len), ==, Z_OK);

  g_byte_array_append (out, signature, sizeof signature);
  cli_test_png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  if (palette != NULL)
    cli_test_png_chunk (out, "PLTE", palette, palette_size);
  if (alpha != NULL)
    cli_test_png_chunk (out, "tRNS", alpha, alpha_size);
  cli_test_png_chunk (out, "IDAT", compressed, (guint32) compressed_size);
  cli_test_png_chunk (out, "IEND", NULL, 0);
  cli_test_write_file (path, out->data, out->len);
}

char *
cli_test_make_tiny_model (char **dir)
{
  const char *tool = g_getenv ("IMPASTO_MAKE_VGG19");
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *path;
  int wait_status = 0;

  g_assert_nonnull (tool);
  *dir = cli_test_dir_new ();
  path = g_build_filename (*dir, "tiny-vgg19.mat", NULL);
  {
    const char *argv[] = { tool, "--output", path, "--tiny", "--seed", "7", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                  &wait_status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("impasto-make-vgg19 failed: %s\n%s", error->message, err);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}
