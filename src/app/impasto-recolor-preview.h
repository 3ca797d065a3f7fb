/* impasto-recolor-preview.h
 *
 * A painting recoloured to a photo's colours (Gatys et al. 2017, section 5.2: the 3×3 map that
 * gives it the photo's mean and covariance, impasto_colors_match_histogram()), made on a worker
 * thread at a thumbnail's size, for a painting's well to show what the run will paint from.
 * Both pictures are reduced before their colours are measured, which changes their statistics
 * by little and keeps the work to a few milliseconds.
 *
 * This file does not show anything, nor recolour what a run paints from (the engine does that).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* The longest side of the preview, as the wells' thumbnails. */
#define IMPASTO_RECOLOR_PREVIEW_SIZE 320

/* Recolours @painting (reduced to IMPASTO_RECOLOR_PREVIEW_SIZE) to @photo's colours; both are
 * only read, and kept (referenced) until the result is ready. */
void       impasto_recolor_preview_async  (GdkPixbuf           *painting,
                                           GdkPixbuf           *photo,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* The recoloured painting (8-bit RGB, clamped to 0..255), or NULL with @error set. */
GdkPixbuf *impasto_recolor_preview_finish (GAsyncResult  *result,
                                           GError       **error);

G_END_DECLS
