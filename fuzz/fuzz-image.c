/* fuzz-image.c
 *
 * libFuzzer harness for image decoding, impasto_image_load(): the input is a whole image file
 * of any format gdk-pixbuf knows. The loader must return an upright 8-bit RGB pixbuf within the
 * size limits or an error with a message, and never crash. gdk-pixbuf and its loaders (libpng,
 * libjpeg, libwebp, ...) are not instrumented, so the coverage the fuzzer sees is ours; a crash
 * inside them is theirs.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "impasto-image.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GdkPixbuf *pixbuf;
  GError *error = NULL;
  char path[64];
  int fd;

  fd = fuzz_memfd_new (data, size, path, sizeof path);
  if (fd < 0)
    return 0;

  pixbuf = impasto_image_load (path, &error);
  if (pixbuf != NULL)
    {
      int width = gdk_pixbuf_get_width (pixbuf);
      int height = gdk_pixbuf_get_height (pixbuf);

      if (error != NULL || gdk_pixbuf_get_has_alpha (pixbuf)
          || gdk_pixbuf_get_n_channels (pixbuf) != 3
          || width <= 0 || height <= 0 || width > IMPASTO_IMAGE_MAX_SIDE
          || height > IMPASTO_IMAGE_MAX_SIDE)
        abort ();
      /* Reads every pixel. */
      g_free (impasto_image_to_rgb_floats (pixbuf));
      g_object_unref (pixbuf);
    }
  else
    {
      if (error == NULL || error->message == NULL || error->message[0] == '\0')
        abort ();
      g_error_free (error);
    }

  close (fd);
  return 0;
}
