/* impasto-resample.h
 *
 * Separable bicubic resampling of float pictures, for the ladder of sizes: the photo and the
 * painting brought to each size, the picture and Adam's moments carried from one size to the
 * next. The kernel is Keys' cubic convolution with a = -0.5 (Catmull-Rom). Sample centres are
 * aligned (the centre of output pixel i sits at (i + 0.5) * in / out - 0.5 in the input), edges
 * repeat the border pixel, and when shrinking the kernel is stretched by the factor (as PIL's
 * and ImageMagick's resize do), so that a 4x smaller picture averages instead of aliasing. The
 * weights of each output pixel are normalised to sum to 1 and summed in double, so a constant
 * picture stays exactly constant, and resampling to the same size is the identity.
 *
 * It does not allocate: the caller passes a scratch buffer (impasto_resample_scratch_floats()).
 * It does not clamp: a bicubic overshoots near edges, and a caller that needs a range clamps.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

/* Floats of scratch impasto_resample() needs for these sizes. */
size_t impasto_resample_scratch_floats (int src_height, int dst_width, int channels);

/* dst (dst_height, dst_width, channels) = src (src_height, src_width, channels) resampled;
 * channels are interleaved (channels = 1 for one plane of a (C, H, W) buffer). @scratch holds
 * impasto_resample_scratch_floats() floats. Sides must be at least 1. */
void impasto_resample (float       *dst,
                       float       *scratch,
                       const float *src,
                       int          src_width,
                       int          src_height,
                       int          dst_width,
                       int          dst_height,
                       int          channels);

/* The same, straight from the definition: each output pixel a 2-D weighted sum in double, no
 * scratch. The reference of the tests; slow. */
void impasto_resample_naive (float       *dst,
                             const float *src,
                             int          src_width,
                             int          src_height,
                             int          dst_width,
                             int          dst_height,
                             int          channels);
