/* impasto-recolor-preview.c
 *
 * The recoloured painting for a well (see impasto-recolor-preview.h): reduce both pictures,
 * turn them into the engine's float RGB, match the painting's mean and covariance to the
 * photo's, clamp back to 8 bits. One GTask thread per preview.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-recolor-preview"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "impasto-colors.h"
#include "impasto-image.h"
#include "impasto-recolor-preview.h"

typedef struct
{
  GdkPixbuf *painting;
  GdkPixbuf *photo;
} Preview;

static void
preview_free (Preview *preview)
{
  g_clear_object (&preview->painting);
  g_clear_object (&preview->photo);
  g_free (preview);
}

/* @pixbuf with its longest side at most IMPASTO_RECOLOR_PREVIEW_SIZE, as floats; NULL if memory
 * runs out. */
static float *
reduced_floats (GdkPixbuf *pixbuf,
                int       *width,
                int       *height)
{
  g_autoptr(GdkPixbuf) reduced = NULL;
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);

  if (MAX (w, h) > IMPASTO_RECOLOR_PREVIEW_SIZE)
    impasto_image_fit_size (w, h, IMPASTO_RECOLOR_PREVIEW_SIZE, &w, &h);
  reduced = impasto_image_scale (pixbuf, w, h);
  if (reduced == NULL)
    return NULL;
  *width = w;
  *height = h;
  return impasto_image_to_rgb_floats (reduced);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Preview *preview = task_data;
  g_autofree float *painting = NULL;
  g_autofree float *photo = NULL;
  g_autofree guint8 *rgb = NULL;
  GdkPixbuf *result;
  int width, height, photo_width, photo_height;
  size_t n;

  painting = reduced_floats (preview->painting, &width, &height);
  photo = reduced_floats (preview->photo, &photo_width, &photo_height);
  n = (size_t) width * height;
  rgb = painting != NULL && photo != NULL ? g_try_malloc (n * 3) : NULL;
  if (rgb == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s",
                               _("Not enough memory for this picture"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  impasto_colors_match_histogram (painting, n, photo, (size_t) photo_width * photo_height);
  for (size_t i = 0; i < n * 3; i++)
    rgb[i] = (guint8) CLAMP (lrintf (painting[i]), 0, 255);

  result = impasto_image_from_rgb8 (rgb, width, height, (gsize) width * 3);
  if (result == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s",
                             _("Not enough memory for this picture"));
  else
    g_task_return_pointer (task, result, g_object_unref);
}

void
impasto_recolor_preview_async (GdkPixbuf           *painting,
                               GdkPixbuf           *photo,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Preview *preview;

  g_return_if_fail (GDK_IS_PIXBUF (painting));
  g_return_if_fail (GDK_IS_PIXBUF (photo));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  preview = g_new0 (Preview, 1);
  preview->painting = g_object_ref (painting);
  preview->photo = g_object_ref (photo);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, impasto_recolor_preview_async);
  g_task_set_task_data (task, preview, (GDestroyNotify) preview_free);
  g_task_run_in_thread (task, preview_thread);
}

GdkPixbuf *
impasto_recolor_preview_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == impasto_recolor_preview_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
