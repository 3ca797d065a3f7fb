/* impasto-mask.h
 *
 * A painted region's mask as a file, shared by the CLI (--region) and the window (saving and
 * opening regions): any picture gdk-pixbuf reads becomes a float mask, white = in, as its
 * luminance (0.299 R + 0.587 G + 0.114 B) / 255 times its alpha / 255 (transparent = out); a mask
 * is written as an 8-bit greyscale PNG, white = in, which reads back within half a level.
 *
 * It does not resample masks (the engine fits them to the picture) nor decide what an empty mask
 * means (impasto_mask_covers() tells; the caller decides). GLib, GIO and gdk-pixbuf; no GTK.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* A mask value above this counts as in (what the engine counts as covered). */
#define IMPASTO_MASK_MIN_IN 1e-6f

/* @pixbuf (8-bit RGB or RGBA) as a (height, width) mask, 0..1, g_free() it; NULL if memory runs
 * out. */
float *impasto_mask_from_pixbuf (GdkPixbuf *pixbuf);

/* Decodes @path (impasto_image_load_with_alpha(): its guards against huge and truncated files,
 * EXIF orientation) into a (*@height, *@width) mask, g_free() it. Every error names the file. */
float *impasto_mask_load (const char  *path,
                          int         *width,
                          int         *height,
                          GError     **error);

/* Whether any of the @n values of @mask is in (above IMPASTO_MASK_MIN_IN). */
gboolean impasto_mask_covers (const float *mask,
                              gsize        n);

/* Writes @mask ((height, width), values clamped to 0..1) to @path as an 8-bit greyscale PNG,
 * each value round(255 × value), atomically: a failure leaves what was at @path. @path must end
 * in .png (IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT before anything is written). */
gboolean impasto_mask_save (const float  *mask,
                            int           width,
                            int           height,
                            const char   *path,
                            GError      **error);

G_END_DECLS
