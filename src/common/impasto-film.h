/* impasto-film.h
 *
 * The frames of a run kept for its animation (impasto-animation.h), in bounded memory: at most
 * @max_frames small copies of the picture, each at most @max_side pixels on its longest side, as
 * 8-bit RGB. Frames are offered as the run goes (the window offers each frame it shows, the CLI
 * each iteration); the film keeps every offered frame until it is full, then drops every other
 * kept frame and from then on keeps only every second offered frame, and so on, so that what is
 * kept always spans the whole run evenly. The run's last picture, offered as final, is always
 * kept, as one frame more. So a film holds at most (@max_frames + 1) × @max_side² × 3 bytes.
 *
 * Thread-safe: a worker thread offers frames while the main thread picks frames to encode. This
 * file keeps frames only; it does not encode them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ImpastoFilm ImpastoFilm;

/* One frame picked from a film: @height rows of @width × 3 bytes (RGB8, no padding). */
typedef struct
{
  GBytes *pixels;
  int width;
  int height;
} ImpastoFilmFrame;

/* @max_frames >= 2, @max_side >= 1. */
ImpastoFilm *impasto_film_new            (int max_frames,
                                          int max_side);
ImpastoFilm *impasto_film_ref            (ImpastoFilm *film);
void         impasto_film_unref          (ImpastoFilm *film);

/* Whether the next frame offered would be kept; a caller whose copy of the picture costs
 * something asks first. A final frame is always kept. */
gboolean     impasto_film_wants          (ImpastoFilm *film,
                                          gboolean     final);
/* Offers a picture of @height rows of @width RGB8 pixels, @stride bytes apart (read, not kept):
 * kept (scaled down to the film's side) if the film wants it. @final: the run's last picture;
 * nothing should be offered after it. Returns FALSE only when memory ran out (nothing kept). */
gboolean     impasto_film_offer          (ImpastoFilm  *film,
                                          const guint8 *rgb,
                                          int           width,
                                          int           height,
                                          gsize         stride,
                                          gboolean      final);
/* The frames kept now, the final one included. */
int          impasto_film_get_n_frames   (ImpastoFilm *film);
/* The size of the kept frames (0 × 0 while there are none). */
void         impasto_film_get_frame_size (ImpastoFilm *film,
                                          int         *width,
                                          int         *height);
int          impasto_film_get_max_side   (ImpastoFilm *film);
/* @n_frames (>= 1) frames picked evenly from first to last, each once: at most as many as are
 * kept. Frees with g_array_unref(). Empty while nothing is kept. */
GArray      *impasto_film_pick           (ImpastoFilm *film,
                                          int          n_frames);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImpastoFilm, impasto_film_unref)

G_END_DECLS
