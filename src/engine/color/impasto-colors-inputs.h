/* impasto-colors-inputs.h
 *
 * What a colour choice (impasto-colors.h) does to a run, in one place for the CLI and the window:
 * which inputs it changes before the run (luminance: the photo and the paintings made grey, each
 * painting's luminance matched to the photo's; histogram: each painting recoloured to the photo's
 * mean and covariance), and whether the picture shown and saved takes the photo's chroma
 * (luminance and swap). Swap changes nothing before the run, so it can be switched on and off
 * while the picture paints; luminance and histogram need new targets.
 *
 * It does not resample, decode or clamp: the pictures are floats at the sizes the caller has.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-colors.h"

/* Whether the run's inputs differ under @colors (a change to or from it needs a new run). */
bool impasto_colors_changes_inputs (ImpastoColors colors);

/* Whether the shown and saved picture takes the photo's chroma under @colors. */
bool impasto_colors_keeps_photo_chroma (ImpastoColors colors);

/* Prepares the inputs for @colors, in place: @content (n_content pixels, RGB 0..255) and each of
 * the @n_paintings paintings (@paintings[i], @n_pixels[i] pixels). The paintings are matched to
 * the photo as it was given (its colours), then the photo itself is made grey. NONE and SWAP
 * change nothing. */
void impasto_colors_prepare_inputs (ImpastoColors colors,
                                    float *content,
                                    size_t n_content,
                                    float *const *paintings,
                                    const size_t *n_pixels,
                                    int n_paintings);

/* @rgb (n_pixels × 3 floats, 0..255) with the photo's chroma (impasto_colors_keep_chroma(), in
 * place), then clamped and rounded into @out (n_pixels × 3 bytes), as the session's 8-bit copies
 * are: what a picture shown or saved with the photo's colours is. */
void impasto_colors_keep_chroma_rgb8 (float *rgb,
                                      const float *photo,
                                      size_t n_pixels,
                                      uint8_t *out);
