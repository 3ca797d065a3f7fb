/* impasto-picture-colors.h
 *
 * The photo's chroma on an 8-bit picture, for what the canvas shows and the window saves when the
 * colours are kept (impasto-colors-inputs.h): the picture's luminance with the photo's I and Q
 * (YIQ), rounded and clamped back to 8 bits. The run itself paints floats; this works on the
 * frames it sends, so switching it on and off needs no worker and no restart.
 *
 * It does not scale: the photo is already at the picture's size.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* In place on @rgb (@height rows of @width RGB pixels, @stride bytes apart); @photo likewise with
 * @photo_stride. */
void impasto_rgb8_keep_chroma (guint8       *rgb,
                               int           width,
                               int           height,
                               gsize         stride,
                               const guint8 *photo,
                               gsize         photo_stride);

/* @pixbuf's pixels as RGB rows of width × 3 bytes, alpha dropped; NULL if memory runs out. */
GBytes *impasto_pixbuf_to_rgb8_bytes (GdkPixbuf *pixbuf);

G_END_DECLS
