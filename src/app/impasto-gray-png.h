/* impasto-gray-png.h
 *
 * Writes 8-bit greyscale pictures as PNG files (colour type 0, bit depth 8), which gdk-pixbuf
 * cannot: its PNG writer only writes RGB or RGBA. A region's mask is saved so, white = in, and
 * any image viewer or editor opens it. Written with zlib (which the engine links already), every
 * row unfiltered, and atomically (g_file_set_contents()).
 *
 * It does not read PNG files: masks are read by gdk-pixbuf like any picture.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @height rows of @width bytes, @stride bytes apart, to @path. */
gboolean impasto_gray_png_save (const guint8  *gray,
                                int            width,
                                int            height,
                                gsize          stride,
                                const char    *path,
                                GError       **error);

G_END_DECLS
