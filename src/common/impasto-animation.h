/* impasto-animation.h
 *
 * A run's film (impasto-film.h) as an animated WebP: @n_frames frames picked evenly from the
 * first kept frame to the run's last picture, scaled to @size pixels on the longest side, each
 * shown for IMPASTO_ANIMATION_FRAME_MS and the last held for IMPASTO_ANIMATION_HOLD_MS, looping.
 * Encoded with libwebp's WebPAnimEncoder (lossy, quality 80); a frame the encoder finds the same
 * as the one before (a run that has settled) is merged into it, so the file can have fewer frames
 * than asked, and says how many it has. The file is written atomically (a temporary file beside
 * it, then renamed): a failed or cancelled export leaves nothing behind and any earlier file at
 * @path as it was.
 *
 * Runs on any thread; the caller reports progress. This file does not choose frames to keep nor
 * show anything.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "impasto-film.h"

G_BEGIN_DECLS

#define IMPASTO_ANIMATION_FRAME_MS 100
#define IMPASTO_ANIMATION_HOLD_MS 2000
/* The bounds of what may be asked for. */
#define IMPASTO_ANIMATION_MIN_FRAMES 2
#define IMPASTO_ANIMATION_MAX_FRAMES 500
#define IMPASTO_ANIMATION_MIN_SIZE 16
#define IMPASTO_ANIMATION_MAX_SIZE 2048

/* Called after each frame is encoded, with the frames done and the frames to do. */
typedef void (*ImpastoAnimationProgress) (int      done,
                                          int      total,
                                          gpointer data);

/* Writes @film as @path (which should end in .webp). @n_frames and @size within the bounds above;
 * @size no larger than the film's frames (smaller frames are not enlarged). *@n_written (may be
 * NULL) is the frames the file has. G_IO_ERROR_CANCELLED when @cancellable (may be NULL) is
 * cancelled; G_IO_ERROR_INVALID_DATA when the film has no frames yet. */
gboolean impasto_animation_write (ImpastoFilm               *film,
                                  const char                *path,
                                  int                        n_frames,
                                  int                        size,
                                  GCancellable              *cancellable,
                                  ImpastoAnimationProgress   progress,
                                  gpointer                   progress_data,
                                  int                       *n_written,
                                  GError                   **error);

G_END_DECLS
