/* impasto-cli-paintings.c
 *
 * The paintings of an impasto-cli run; see impasto-cli-paintings.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "impasto-cli-paintings.h"
#include "impasto-colors-inputs.h"
#include "impasto-image.h"

/* "0.7,0.3" into @values: exactly @n finite numbers, each > 0 when @positive, else >= 0. */
static gboolean
parse_list (const char  *flag,
            const char  *text,
            int          n,
            gboolean     positive,
            gboolean     one_for_all,
            double      *values,
            GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  int count = (int) g_strv_length (items);

  if (count != n && !(one_for_all && count == 1))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   g_dngettext (GETTEXT_PACKAGE, "%s needs %d number (one per --style), not %d",
                                "%s needs %d numbers (one per --style), not %d", n),
                   flag, n, count);
      return FALSE;
    }
  for (int i = 0; i < count; i++)
    {
      const char *item = g_strstrip (items[i]);
      char *end = NULL;
      double value;

      errno = 0;
      value = g_ascii_strtod (item, &end);
      if (item[0] == '\0' || end == NULL || *end != '\0' || errno == ERANGE || !isfinite (value)
          || (positive ? value <= 0.0 : value < 0.0))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       positive ? _("%s needs numbers greater than 0, not “%s”")
                                : _("%s needs numbers of at least 0, not “%s”"),
                       flag, item);
          return FALSE;
        }
      values[i] = value;
    }
  for (int i = count; i < n; i++)
    values[i] = values[0];
  return TRUE;
}

gboolean
impasto_cli_paintings_parse (CliPaintings          *self,
                             char                 **paths,
                             const char            *weights,
                             const char            *scales,
                             gboolean               upscale,
                             const char            *colors,
                             ImpastoSessionParams  *params,
                             GError               **error)
{
  double values[IMPASTO_MAX_PAINTINGS];

  self->paths = paths;
  self->n = paths != NULL ? (int) g_strv_length (paths) : 0;
  self->upscale = upscale;
  if (self->n > IMPASTO_MAX_PAINTINGS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--style is given %d times; at most %d paintings can be blended"), self->n,
                   IMPASTO_MAX_PAINTINGS);
      return FALSE;
    }

  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    self->scales[i] = 1.0;
  if (weights != NULL && self->n > 0)
    {
      gboolean any = FALSE;

      if (!parse_list ("--style-weights", weights, self->n, FALSE, FALSE, values, error))
        return FALSE;
      for (int i = 0; i < self->n; i++)
        {
          params->painting_weights[i] = (float) values[i];
          any = any || params->painting_weights[i] > 0.0f;
        }
      if (!any)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--style-weights are all 0: at least one painting must count"));
          return FALSE;
        }
    }
  if (scales != NULL && self->n > 0
      && !parse_list ("--style-scale", scales, self->n, TRUE, TRUE, self->scales, error))
    return FALSE;

  self->colors = IMPASTO_COLORS_NONE;
  if (colors != NULL && !impasto_colors_from_string (colors, &self->colors))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--preserve-colors needs none, luminance, histogram or swap, not “%s”"),
                   colors);
      return FALSE;
    }
  return TRUE;
}

gboolean
impasto_cli_paintings_load (CliPaintings          *self,
                            int                    width,
                            int                    height,
                            ImpastoSessionConfig  *config,
                            GError               **error)
{
  int longest = MAX (width, height);

  for (int i = 0; i < self->n; i++)
    {
      double side = round (self->scales[i] * longest);
      int w, h;

      /* Asked for, whether or not the painting has the pixels: a brush this large is a typo. */
      if (side > IMPASTO_IMAGE_MAX_SIDE)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--style-scale %g would make painting %d %.0f pixels long, over the "
                         "limit of %d"), self->scales[i], i + 1, side, IMPASTO_IMAGE_MAX_SIDE);
          return FALSE;
        }
      /* Never decoded much larger than it will be seen (a JPEG at 1/2, 1/4 … of its size)… */
      self->pixbufs[i] = impasto_image_load_at_size (self->paths[i], IMPASTO_IMAGE_LONGEST_SIDE,
                                                     MAX (16, (int) side), error);
      if (self->pixbufs[i] == NULL)
        return FALSE;
      /* … and kept at most as large as it is seen (the session's resampling then only rounds).
       * Only the sizes for now, for the memory check. */
      w = gdk_pixbuf_get_width (self->pixbufs[i]);
      h = gdk_pixbuf_get_height (self->pixbufs[i]);
      if (MAX (w, h) > side)
        impasto_image_fit_size (w, h, MAX ((int) side, 16), &w, &h);
      self->paintings[i] = (ImpastoPainting) { NULL, w, h, self->scales[i], self->upscale };
    }
  config->paintings = self->paintings;
  config->n_paintings = self->n;
  config->style_rgb = NULL;
  return TRUE;
}

gboolean
impasto_cli_paintings_prepare (CliPaintings  *self,
                               float         *content_rgb,
                               int            width,
                               int            height)
{
  size_t pixels[IMPASTO_MAX_PAINTINGS];

  for (int i = 0; i < self->n; i++)
    {
      ImpastoPainting *painting = &self->paintings[i];
      g_autoptr(GdkPixbuf) scaled = impasto_image_scale (self->pixbufs[i], painting->width,
                                                         painting->height);

      self->rgb[i] = scaled != NULL ? impasto_image_to_rgb_floats (scaled) : NULL;
      if (self->rgb[i] == NULL)
        return FALSE;
      pixels[i] = (size_t) painting->width * painting->height;
      painting->rgb = self->rgb[i];
      g_clear_object (&self->pixbufs[i]);
    }
  impasto_colors_prepare_inputs (self->colors, content_rgb, (size_t) width * height, self->rgb,
                                 pixels, self->n);
  return TRUE;
}

void
impasto_cli_paintings_select (CliPaintings          *self,
                              const CliPaintings    *all,
                              int                    index,
                              ImpastoSessionParams  *params)
{
  g_return_if_fail (index >= 0 && index < all->n);

  memset (self, 0, sizeof *self);
  self->n = 1;
  self->paths = all->paths + index;
  self->scales[0] = all->scales[index];
  self->upscale = all->upscale;
  self->colors = all->colors;
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    params->painting_weights[i] = 1.0f;
}

void
impasto_cli_paintings_clear (CliPaintings *self)
{
  for (int i = 0; i < IMPASTO_MAX_PAINTINGS; i++)
    {
      g_clear_object (&self->pixbufs[i]);
      g_clear_pointer (&self->rgb[i], g_free);
    }
}
