/* impasto-colors.h
 *
 * The colour math of "keep the photo's colours", after Gatys, Bethge, Hertzmann and Shechtman
 * 2017, "Controlling Perceptual Factors in Neural Style Transfer", section 5: luminance-only
 * transfer (5.1), the painting recoloured to the photo's mean and covariance (5.2), and the swap
 * of the result's chroma for the photo's that the peers call original_colors.
 *
 * Luminance and chroma are those of YIQ (NTSC):
 *   Y = 0.299 R + 0.587 G + 0.114 B
 *   I = 0.596 R - 0.274 G - 0.322 B
 *   Q = 0.211 R - 0.523 G + 0.312 B
 * and RGB is brought back with the exact inverse of that matrix, computed in double, so a round
 * trip is exact to float round-off. Y's weights sum to 1 and I's and Q's to 0, so a grey picture
 * has I = Q = 0 and its Y is its grey.
 *
 * Every picture is float RGB interleaved, (n_pixels, 3), on the 0..255 scale of the session's
 * pictures; sums and matrices are in double. Nothing here allocates, prints or keeps state, so
 * any thread may call it. Nothing here clamps to 0..255: a clamp would undo the statistics just
 * matched (the mean and covariance of 5.2, the exact chroma of the swap), and the network takes
 * values outside 0..255 anyway; a caller that makes an 8-bit picture clamps then.
 *
 * It does not decide when which function runs (the session and the ladder do), does not resize,
 * and does not touch the network's mean subtraction.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef enum
{
  /* the painting's colours */
  IMPASTO_COLORS_NONE,
  /* Gatys et al. 2017 §5.1: paint luminance only, then the photo's chroma */
  IMPASTO_COLORS_LUMINANCE,
  /* §5.2: the painting recoloured to the photo's mean and covariance first */
  IMPASTO_COLORS_HISTOGRAM,
  /* the result's luminance with the photo's chroma, on the shown picture only */
  IMPASTO_COLORS_SWAP,
} ImpastoColors;

/* What impasto_colors_match_histogram() adds to the diagonal of both covariances (0..255 scale,
 * so a variance of 1e-5 is a standard deviation of 0.003 of one 8-bit step).
 *
 * It only matters where the painting has (almost) no variance in some colour direction, e.g. a
 * grey painting: there Sigma_s^(-1/2) would be infinite, and with eps it is at most eps^(-1/2)
 * ~ 316. The price is exact: the recoloured painting's covariance is
 *   Sigma_c + eps I - eps (Sigma_c + eps I)^(1/2) (Sigma_s + eps I)^(-1) (Sigma_c + eps I)^(1/2),
 * short of the photo's by about eps * lambda_c / (lambda_s + eps) along a direction where the
 * photo has variance lambda_c and the painting lambda_s. For ordinary pictures (lambda of tens to
 * thousands) that is below 1e-6 of the variances; a painting with no variance in a direction
 * cannot be given any there, which is the right answer. 1e-5 sits far above the round-off of a
 * double eigenvalue of such a covariance (about 3 * 255^2 * 2^-52 ~ 4e-11, which could otherwise
 * come out negative) and far below the variance of 8-bit quantisation (1/12).
 * (The ports of the authors' match_color use 1e-5 on the 0..1 scale, i.e. 0.65 here, which
 * would shift ordinary covariances by up to a few 1e-3 relative.) */
#define IMPASTO_COLORS_EPSILON 1e-5

/* "none", "luminance", "histogram", "swap" <-> the enum. to_string returns NULL for a value
 * outside the enum. from_string takes exactly those lower-case words (no spaces, no other
 * case) and returns false for anything else, NULL included, leaving *@colors untouched then;
 * @colors may be NULL to only check a name. */
const char *impasto_colors_to_string (ImpastoColors colors);
bool impasto_colors_from_string (const char *name, ImpastoColors *colors);

/* Y = 0.299 R + 0.587 G + 0.114 B written into all three channels, in place.
 * @rgb: (n_pixels, 3) */
void impasto_colors_to_luminance (float *rgb, size_t n_pixels);

/* In place: @rgb (already grey, Y in all three channels) gets the mean and the standard deviation
 * (population) of the luminance of @reference (a colour picture, n_ref pixels):
 * y' = (y - mu_s) * sigma_c / sigma_s + mu_c. A constant @rgb (sigma_s == 0: all its values equal)
 * becomes the reference's mean. Should @rgb not be grey, its luminance is used, and the result is
 * grey all the same. @n_ref must be at least 1.
 * @rgb: (n_pixels, 3); @reference: (n_ref, 3) */
void impasto_colors_match_luminance (float       *rgb,
                                     size_t       n_pixels,
                                     const float *reference,
                                     size_t       n_ref);

/* Paper §5.2, in place on @rgb (the painting): x' = A (x - mu_s) + mu_c with
 * A = (Sigma_c + eps I)^(1/2) (Sigma_s + eps I)^(-1/2), symmetric square roots, eps =
 * IMPASTO_COLORS_EPSILON, s the painting and c the photo @reference. Then A Sigma_s A^T equals
 * Sigma_c up to the eps term said above, and the mean equals mu_c. Not clamped. @n_ref must be at
 * least 1.
 * @rgb: (n_pixels, 3); @reference: (n_ref, 3) */
void impasto_colors_match_histogram (float       *rgb,
                                     size_t       n_pixels,
                                     const float *reference,
                                     size_t       n_ref);

/* In place on @rgb: keep its luminance Y and take the photo's chroma I and Q, pixel by pixel.
 * @photo has the same n_pixels. Not clamped.
 * @rgb: (n_pixels, 3); @photo: (n_pixels, 3) */
void impasto_colors_keep_chroma (float *rgb, const float *photo, size_t n_pixels);

/* The mean (3) and covariance (3x3, row-major, population: divided by n) of a picture, in double,
 * in two passes (mean first) so that a constant picture has a covariance of exactly 0. Zeros
 * for n_pixels == 0.
 * @rgb: (n_pixels, 3) */
void impasto_colors_statistics (const float *rgb, size_t n_pixels, double mean[3], double cov[9]);

/* The symmetric square root of a symmetric positive definite 3x3 matrix @m (row-major) and the
 * inverse of that root, from its cyclic Jacobi eigen-decomposition in double: V diag(sqrt l) V^T
 * and V diag(1 / sqrt l) V^T. An eigenvalue that round-off leaves slightly below zero counts as
 * zero in @root; @inverse_root is then infinite there, so callers that need it add eps I first. */
void impasto_colors_sym_sqrt (const double m[9], double root[9], double inverse_root[9]);
