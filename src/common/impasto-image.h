/* impasto-image.h
 *
 * Image files at the edge of the engine, shared by the CLI and the window: decoding with
 * gdk-pixbuf (EXIF orientation applied, alpha flattened onto white unless asked to keep it, first
 * frame of animations), resampling to the working size, conversion to the engine's float RGB, and
 * atomic saving (temporary file, fsync, rename) as PNG or JPEG chosen by the file name's
 * extension.
 * GLib + gdk-pixbuf only; no GTK, no engine calls.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

#define IMPASTO_IMAGE_ERROR (impasto_image_error_quark ())

typedef enum
{
  IMPASTO_IMAGE_ERROR_NOT_AN_IMAGE,
  IMPASTO_IMAGE_ERROR_TOO_LARGE,
  IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT,
  IMPASTO_IMAGE_ERROR_TRUNCATED,
} ImpastoImageError;

/* How impasto_image_load_at_size() reads its @side. */
typedef enum
{
  IMPASTO_IMAGE_LONGEST_SIDE,   /* the longest side stays at least @side (a working size) */
  IMPASTO_IMAGE_SHORTEST_SIDE,  /* the shortest side stays at least @side (to cover a box) */
} ImpastoImageFit;

/* Limits on what impasto_image_load() decodes, checked on the declared size before any pixel is
 * allocated (decompression bombs). */
#define IMPASTO_IMAGE_MAX_SIDE   16384
#define IMPASTO_IMAGE_MAX_PIXELS 100000000

GQuark impasto_image_error_quark (void);

/* Decodes @path upright (EXIF applied), RGB without alpha (flattened onto white). A JPEG, PNG
 * or WebP file that is cut short is IMPASTO_IMAGE_ERROR_TRUNCATED (decoders would otherwise fill
 * the missing part with grey). */
GdkPixbuf *impasto_image_load (const char *path, GError **error);

/* The same, but a JPEG larger than needed is decoded straight at 1/2, 1/4 or 1/8 of its size by
 * libjpeg (a 100-megapixel photo never exists at full size in memory): the smallest of those
 * whose longest (IMPASTO_IMAGE_LONGEST_SIDE) or shortest (IMPASTO_IMAGE_SHORTEST_SIDE) side is
 * still at least @side. The result is never smaller than asked for, so the caller resamples it
 * once to the exact working size. Other formats are decoded whole. */
GdkPixbuf *impasto_image_load_at_size (const char       *path,
                                       ImpastoImageFit   fit,
                                       int               side,
                                       GError          **error);

/* As impasto_image_load(), but alpha is kept: RGBA (8 bits, 4 channels) when the file has it,
 * else RGB. For pictures whose transparency means something (a region's mask). */
GdkPixbuf *impasto_image_load_with_alpha (const char *path, GError **error);

/* The working size for an image of @width x @height whose longest side becomes @longest_side,
 * aspect kept, each side at least 1. */
void impasto_image_fit_size (int width, int height, int longest_side, int *out_width,
                             int *out_height);

/* @pixbuf resampled to exactly @width x @height (a new reference to @pixbuf if it already has
 * that size: images whose size matches are not resampled). NULL if memory runs out. */
GdkPixbuf *impasto_image_scale (GdkPixbuf *pixbuf, int width, int height);

/* Interleaved (H, W, 3) floats on the 0..255 scale, g_free() it; alpha, if any, is ignored.
 * NULL if memory runs out. */
float *impasto_image_to_rgb_floats (GdkPixbuf *pixbuf);

/* 8-bit RGB rows from the engine, wrapped as a pixbuf that owns a copy. NULL if memory runs out. */
GdkPixbuf *impasto_image_from_rgb8 (const guint8 *rgb, int width, int height, gsize stride);

/* Writes @pixbuf to @path atomically: PNG or JPEG (quality 95) by extension (.png, .jpg, .jpeg,
 * case-insensitive); anything else is IMPASTO_IMAGE_ERROR_UNSUPPORTED_FORMAT before any file is
 * touched. A failure leaves whatever was at @path untouched and no temporary file behind. */
gboolean impasto_image_save (GdkPixbuf *pixbuf, const char *path, GError **error);

/* The same, and for a PNG @text (may be NULL; ASCII, as gdk-pixbuf turns what Latin-1 cannot
 * spell into '?') in a tEXt chunk named @text_key (1 to 79 ASCII letters), which
 * gdk_pixbuf_get_option (pixbuf, "tEXt::KEY") reads back. gdk-pixbuf's JPEG saver writes no
 * comment, so a JPEG gets no text. */
gboolean impasto_image_save_with_text (GdkPixbuf   *pixbuf,
                                       const char  *path,
                                       const char  *text_key,
                                       const char  *text,
                                       GError     **error);

/* The one save path from the engine's pixels to a file: @height rows of @width 8-bit RGB pixels,
 * @stride bytes apart, written as impasto_image_save() writes (PNG or JPEG by extension,
 * atomically). The rows are wrapped, not copied, and only read while this runs. The CLI, the
 * window's Save and the frames a run saves all come here. */
gboolean impasto_image_save_rgb8 (const guint8  *rgb,
                                  int            width,
                                  int            height,
                                  gsize          stride,
                                  const char    *path,
                                  GError       **error);
/* The same, with @text for a PNG as impasto_image_save_with_text() writes it. */
gboolean impasto_image_save_rgb8_with_text (const guint8  *rgb,
                                            int            width,
                                            int            height,
                                            gsize          stride,
                                            const char    *path,
                                            const char    *text_key,
                                            const char    *text,
                                            GError       **error);

/* Checks, without writing anything, that impasto_image_save() could write @path: a supported
 * extension and an existing folder we may write into. For refusing bad output names before a
 * long run rather than after it. */
gboolean impasto_image_check_save_path (const char *path, GError **error);

G_END_DECLS
