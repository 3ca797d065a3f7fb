/* impasto-film.c
 *
 * The frames kept for a run's animation (see impasto-film.h): a list of small RGB8 copies taken
 * at a stride of offered frames that doubles each time the list fills up, and the final picture
 * beside it. Pictures are scaled down with gdk-pixbuf, which averages over the area for a
 * reduction. This file does not encode anything.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-film"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "impasto-film.h"
#include "impasto-image.h"

struct _ImpastoFilm
{
  gatomicrefcount ref_count;
  int max_frames;
  int max_side;

  GMutex mutex;          /* guards what follows */
  GPtrArray *kept;       /* of GBytes, (height, width × 3), oldest first */
  GBytes *final;         /* the run's last picture, or NULL */
  guint64 offered;       /* frames offered so far, final ones excepted */
  guint64 stride;        /* of offered frames between two kept ones */
  int width;             /* of every kept frame; 0 before the first */
  int height;
};

ImpastoFilm *
impasto_film_new (int max_frames,
                  int max_side)
{
  ImpastoFilm *film;

  g_return_val_if_fail (max_frames >= 2, NULL);
  g_return_val_if_fail (max_side >= 1, NULL);

  film = g_new0 (ImpastoFilm, 1);
  g_atomic_ref_count_init (&film->ref_count);
  film->max_frames = max_frames;
  film->max_side = max_side;
  g_mutex_init (&film->mutex);
  film->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  film->stride = 1;
  return film;
}

ImpastoFilm *
impasto_film_ref (ImpastoFilm *film)
{
  g_return_val_if_fail (film != NULL, NULL);

  g_atomic_ref_count_inc (&film->ref_count);
  return film;
}

void
impasto_film_unref (ImpastoFilm *film)
{
  g_return_if_fail (film != NULL);

  if (!g_atomic_ref_count_dec (&film->ref_count))
    return;
  g_ptr_array_unref (film->kept);
  g_clear_pointer (&film->final, g_bytes_unref);
  g_mutex_clear (&film->mutex);
  g_free (film);
}

/* With the mutex held: the stride the next offered frame is measured against (twice the
 * present one when the list is full and will be thinned first). */
static guint64
impasto_film_next_stride (ImpastoFilm *film)
{
  return film->kept->len >= (guint) film->max_frames ? film->stride * 2 : film->stride;
}

gboolean
impasto_film_wants (ImpastoFilm *film,
                    gboolean     final)
{
  gboolean wants;

  g_return_val_if_fail (film != NULL, FALSE);

  if (final)
    return TRUE;
  g_mutex_lock (&film->mutex);
  wants = film->offered % impasto_film_next_stride (film) == 0;
  g_mutex_unlock (&film->mutex);
  return wants;
}

/* @rgb at @width × @height as packed RGB8 rows, or NULL when memory ran out. */
static GBytes *
impasto_film_scale (const guint8 *rgb,
                    int           width,
                    int           height,
                    gsize         stride,
                    int           to_width,
                    int           to_height)
{
  g_autoptr(GdkPixbuf) source = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  gsize row = (gsize) to_width * 3;
  guint8 *packed;

  source = gdk_pixbuf_new_from_data (rgb, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                     (int) stride, NULL, NULL);
  if (width == to_width && height == to_height)
    scaled = g_object_ref (source);
  else
    scaled = gdk_pixbuf_scale_simple (source, to_width, to_height, GDK_INTERP_BILINEAR);
  if (scaled == NULL)
    return NULL;
  packed = g_try_malloc (row * to_height);
  if (packed == NULL)
    return NULL;
  for (int y = 0; y < to_height; y++)
    memcpy (packed + y * row,
            gdk_pixbuf_read_pixels (scaled) + (gsize) y * gdk_pixbuf_get_rowstride (scaled), row);
  return g_bytes_new_take (packed, row * to_height);
}

gboolean
impasto_film_offer (ImpastoFilm  *film,
                    const guint8 *rgb,
                    int           width,
                    int           height,
                    gsize         stride,
                    gboolean      final)
{
  g_autoptr(GBytes) frame = NULL;
  gboolean scaled;
  int to_width;
  int to_height;

  g_return_val_if_fail (film != NULL, FALSE);
  g_return_val_if_fail (rgb != NULL && width > 0 && height > 0, FALSE);
  g_return_val_if_fail (stride >= (gsize) width * 3, FALSE);

  if (!impasto_film_wants (film, final))
    {
      g_mutex_lock (&film->mutex);
      film->offered++;
      g_mutex_unlock (&film->mutex);
      return TRUE;
    }

  /* Every frame takes the first one's size, so that the animation has one size. */
  g_mutex_lock (&film->mutex);
  if (film->width == 0)
    impasto_image_fit_size (width, height, MIN (film->max_side, MAX (width, height)),
                            &film->width, &film->height);
  to_width = film->width;
  to_height = film->height;
  g_mutex_unlock (&film->mutex);

  /* Scaled outside the lock: only this thread offers frames. */
  frame = impasto_film_scale (rgb, width, height, stride, to_width, to_height);
  scaled = frame != NULL;

  g_mutex_lock (&film->mutex);
  if (frame != NULL && final)
    {
      g_clear_pointer (&film->final, g_bytes_unref);
      film->final = g_steal_pointer (&frame);
    }
  else if (frame != NULL)
    {
      if (film->kept->len >= (guint) film->max_frames)
        {
          /* Full: keep the frames at even places, the ones on the doubled stride. */
          for (guint i = 1; i < film->kept->len; i++)
            g_ptr_array_remove_index (film->kept, i);
          film->stride *= 2;
        }
      g_ptr_array_add (film->kept, g_steal_pointer (&frame));
      film->offered++;
    }
  g_mutex_unlock (&film->mutex);
  return scaled;
}

int
impasto_film_get_n_frames (ImpastoFilm *film)
{
  int n;

  g_return_val_if_fail (film != NULL, 0);

  g_mutex_lock (&film->mutex);
  n = (int) film->kept->len + (film->final != NULL ? 1 : 0);
  g_mutex_unlock (&film->mutex);
  return n;
}

void
impasto_film_get_frame_size (ImpastoFilm *film,
                             int         *width,
                             int         *height)
{
  g_return_if_fail (film != NULL);

  g_mutex_lock (&film->mutex);
  if (width != NULL)
    *width = film->kept->len > 0 || film->final != NULL ? film->width : 0;
  if (height != NULL)
    *height = film->kept->len > 0 || film->final != NULL ? film->height : 0;
  g_mutex_unlock (&film->mutex);
}

int
impasto_film_get_max_side (ImpastoFilm *film)
{
  g_return_val_if_fail (film != NULL, 0);

  return film->max_side;
}

static void
clear_frame (gpointer data)
{
  ImpastoFilmFrame *frame = data;

  g_clear_pointer (&frame->pixels, g_bytes_unref);
}

GArray *
impasto_film_pick (ImpastoFilm *film,
                   int          n_frames)
{
  GArray *picked = g_array_new (FALSE, TRUE, sizeof (ImpastoFilmFrame));
  int total;

  g_return_val_if_fail (film != NULL, picked);
  g_return_val_if_fail (n_frames >= 1, picked);

  g_array_set_clear_func (picked, clear_frame);
  g_mutex_lock (&film->mutex);
  total = (int) film->kept->len + (film->final != NULL ? 1 : 0);
  n_frames = MIN (n_frames, total);
  for (int j = 0; j < n_frames; j++)
    {
      /* From the first to the last, evenly; a single frame is the last. */
      int index = n_frames == 1 ? total - 1
                                : (int) lround ((double) j * (total - 1) / (n_frames - 1));
      ImpastoFilmFrame frame = { NULL, film->width, film->height };

      frame.pixels = g_bytes_ref (index < (int) film->kept->len
                                  ? g_ptr_array_index (film->kept, index) : film->final);
      g_array_append_val (picked, frame);
    }
  g_mutex_unlock (&film->mutex);
  return picked;
}
