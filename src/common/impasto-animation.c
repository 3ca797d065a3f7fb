/* impasto-animation.c
 *
 * The film as an animated WebP (see impasto-animation.h): frames picked from the film, scaled
 * with gdk-pixbuf, imported into WebPPictures and fed to a WebPAnimEncoder with their
 * timestamps; the assembled file is counted with WebPDemux and written with
 * g_file_set_contents_full(), which writes a temporary file and renames it. Nothing touches the
 * disk before the whole animation is encoded, so cancelling leaves nothing behind.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-animation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "impasto-animation.h"
#include "impasto-image.h"

#define QUALITY 80.0f

/* Adds one frame of @frame's pixels at @width × @height to @encoder at @timestamp (ms). */
static gboolean
add_frame (WebPAnimEncoder        *encoder,
           const WebPConfig       *config,
           const ImpastoFilmFrame *frame,
           int                     width,
           int                     height,
           int                     timestamp,
           GError                **error)
{
  const guint8 *rgb = g_bytes_get_data (frame->pixels, NULL);
  g_autoptr(GdkPixbuf) source = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  WebPPicture picture;
  gboolean ok;

  source = gdk_pixbuf_new_from_data (rgb, GDK_COLORSPACE_RGB, FALSE, 8, frame->width,
                                     frame->height, frame->width * 3, NULL, NULL);
  scaled = frame->width == width && frame->height == height
           ? g_object_ref (source)
           : gdk_pixbuf_scale_simple (source, width, height, GDK_INTERP_BILINEAR);
  if (scaled == NULL || !WebPPictureInit (&picture))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Not enough memory to encode the animation"));
      return FALSE;
    }
  picture.width = width;
  picture.height = height;
  picture.use_argb = 1;
  ok = WebPPictureImportRGB (&picture, gdk_pixbuf_read_pixels (scaled),
                             gdk_pixbuf_get_rowstride (scaled))
       && WebPAnimEncoderAdd (encoder, &picture, timestamp, config);
  WebPPictureFree (&picture);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not encode the animation: %s"),
                 WebPAnimEncoderGetError (encoder));
  return ok;
}

gboolean
impasto_animation_write (ImpastoFilm               *film,
                         const char                *path,
                         int                        n_frames,
                         int                        size,
                         GCancellable              *cancellable,
                         ImpastoAnimationProgress   progress,
                         gpointer                   progress_data,
                         int                       *n_written,
                         GError                   **error)
{
  g_autoptr(GArray) frames = NULL;
  WebPAnimEncoderOptions options;
  WebPAnimEncoder *encoder = NULL;
  WebPConfig config;
  WebPData data;
  WebPDemuxer *demuxer;
  int frame_width;
  int frame_height;
  int width;
  int height;
  int timestamp = 0;
  int count;
  gboolean ok = FALSE;

  g_return_val_if_fail (film != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (n_frames >= IMPASTO_ANIMATION_MIN_FRAMES
                        && n_frames <= IMPASTO_ANIMATION_MAX_FRAMES, FALSE);
  g_return_val_if_fail (size >= IMPASTO_ANIMATION_MIN_SIZE && size <= IMPASTO_ANIMATION_MAX_SIZE,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  frames = impasto_film_pick (film, n_frames);
  if (frames->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("There are no frames to make an animation of yet"));
      return FALSE;
    }
  impasto_film_get_frame_size (film, &frame_width, &frame_height);
  if (MAX (frame_width, frame_height) > size)
    impasto_image_fit_size (frame_width, frame_height, size, &width, &height);
  else
    {
      width = frame_width;
      height = frame_height;
    }

  WebPDataInit (&data);
  if (!WebPAnimEncoderOptionsInit (&options) || !WebPConfigInit (&config))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("This libwebp cannot encode animations"));
      return FALSE;
    }
  options.anim_params.loop_count = 0;   /* forever */
  config.quality = QUALITY;
  encoder = WebPAnimEncoderNew (width, height, &options);
  if (encoder == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Not enough memory to encode the animation"));
      return FALSE;
    }

  for (guint i = 0; i < frames->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !add_frame (encoder, &config, &g_array_index (frames, ImpastoFilmFrame, i),
                         width, height, timestamp, error))
        goto out;
      timestamp += i + 1 < frames->len ? IMPASTO_ANIMATION_FRAME_MS : IMPASTO_ANIMATION_HOLD_MS;
      if (progress != NULL)
        progress ((int) i + 1, (int) frames->len, progress_data);
    }
  /* The end of the last frame, then the whole file. */
  if (!WebPAnimEncoderAdd (encoder, NULL, timestamp, NULL)
      || !WebPAnimEncoderAssemble (encoder, &data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not encode the animation: %s"),
                   WebPAnimEncoderGetError (encoder));
      goto out;
    }

  demuxer = WebPDemux (&data);
  count = demuxer != NULL ? (int) WebPDemuxGetI (demuxer, WEBP_FF_FRAME_COUNT) : 0;
  WebPDemuxDelete (demuxer);
  if (count <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not encode the animation: the encoder's file is damaged"));
      goto out;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !g_file_set_contents_full (path, (const char *) data.bytes, (gssize) data.size,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0666, error))
    goto out;
  if (n_written != NULL)
    *n_written = count;
  ok = TRUE;

out:
  WebPDataClear (&data);
  WebPAnimEncoderDelete (encoder);
  return ok;
}
