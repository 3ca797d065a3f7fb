/* impasto-colors-inputs.c
 *
 * A colour choice applied to a run's inputs; see impasto-colors-inputs.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "impasto-colors-inputs.h"

bool
impasto_colors_changes_inputs (ImpastoColors colors)
{
  return colors == IMPASTO_COLORS_LUMINANCE || colors == IMPASTO_COLORS_HISTOGRAM;
}

bool
impasto_colors_keeps_photo_chroma (ImpastoColors colors)
{
  return colors == IMPASTO_COLORS_LUMINANCE || colors == IMPASTO_COLORS_SWAP;
}

void
impasto_colors_prepare_inputs (ImpastoColors colors,
                               float *content,
                               size_t n_content,
                               float *const *paintings,
                               const size_t *n_pixels,
                               int n_paintings)
{
  switch (colors)
    {
    case IMPASTO_COLORS_LUMINANCE:
      /* Gatys et al. 2017, §5.1: the paintings' luminance, matched to the photo's mean and
       * variance, is what the run sees; the photo's chroma comes back at the end. */
      for (int i = 0; i < n_paintings; i++)
        {
          impasto_colors_to_luminance (paintings[i], n_pixels[i]);
          impasto_colors_match_luminance (paintings[i], n_pixels[i], content, n_content);
        }
      impasto_colors_to_luminance (content, n_content);
      break;

    case IMPASTO_COLORS_HISTOGRAM:
      /* §5.2: the paintings recoloured to the photo's mean and covariance first. */
      for (int i = 0; i < n_paintings; i++)
        impasto_colors_match_histogram (paintings[i], n_pixels[i], content, n_content);
      break;

    case IMPASTO_COLORS_NONE:
    case IMPASTO_COLORS_SWAP:
    default:
      break;
    }
}

void
impasto_colors_keep_chroma_rgb8 (float *rgb, const float *photo, size_t n_pixels, uint8_t *out)
{
  impasto_colors_keep_chroma (rgb, photo, n_pixels);
  for (size_t k = 0; k < n_pixels * 3; k++)
    out[k] = rgb[k] <= 0.0f ? 0 : rgb[k] >= 255.0f ? 255 : (uint8_t) lrintf (rgb[k]);
}
