/* impasto-colors.c
 *
 * YIQ luminance and chroma, the luminance match of paper §5.1, the mean-and-covariance match of
 * §5.2 and the 3x3 symmetric square roots it needs (cyclic Jacobi), all in double with float
 * pictures in and out. Straight loops over pixels: the pictures are at most a few megapixels and
 * these run once per size or once per shown frame, far from the cost of one network pass.
 *
 * It does not allocate and does not clamp (see impasto-colors.h).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "impasto-colors.h"
#include "impasto-status.h"

/* RGB -> YIQ, row-major: rows Y, I, Q. */
static const double yiq_from_rgb[9] = {
  0.299, 0.587, 0.114,
  0.596, -0.274, -0.322,
  0.211, -0.523, 0.312,
};

/* Sweeps of cyclic Jacobi: a 3x3 converges in 4 to 6; the cap only bounds NaN input. */
#define JACOBI_SWEEPS_MAX 50

static const char *const names[] = {
  [IMPASTO_COLORS_NONE] = "none",
  [IMPASTO_COLORS_LUMINANCE] = "luminance",
  [IMPASTO_COLORS_HISTOGRAM] = "histogram",
  [IMPASTO_COLORS_SWAP] = "swap",
};

#define N_NAMES (sizeof names / sizeof names[0])

const char *
impasto_colors_to_string (ImpastoColors colors)
{
  if ((unsigned) colors >= N_NAMES)
    return NULL;
  return names[colors];
}

bool
impasto_colors_from_string (const char   *name,
                            ImpastoColors *colors)
{
  if (name == NULL)
    return false;
  for (size_t k = 0; k < N_NAMES; k++)
    if (strcmp (name, names[k]) == 0)
      {
        if (colors != NULL)
          *colors = (ImpastoColors) k;
        return true;
      }
  return false;
}

/* The luminance of pixel @p (3 floats), in double. */
static double
luminance (const float *p)
{
  return yiq_from_rgb[0] * p[0] + yiq_from_rgb[1] * p[1] + yiq_from_rgb[2] * p[2];
}

void
impasto_colors_to_luminance (float  *rgb,
                             size_t  n_pixels)
{
  IMPASTO_CHECK (rgb != NULL || n_pixels == 0);

  for (size_t i = 0; i < n_pixels; i++)
    {
      float y = (float) luminance (rgb + i * 3);

      rgb[i * 3] = y;
      rgb[i * 3 + 1] = y;
      rgb[i * 3 + 2] = y;
    }
}

/* Mean and population standard deviation of the luminance of @rgb (n >= 1), two passes. Sets
 * *@constant when every pixel has the same luminance. */
static void
luminance_statistics (const float *rgb,
                      size_t       n,
                      double      *mean,
                      double      *std,
                      bool        *constant)
{
  double first = luminance (rgb);
  double sum = 0.0;
  double squares = 0.0;

  *constant = true;
  for (size_t i = 0; i < n; i++)
    {
      double y = luminance (rgb + i * 3);

      sum += y;
      if (y != first)
        *constant = false;
    }
  *mean = sum / (double) n;
  for (size_t i = 0; i < n; i++)
    {
      double d = luminance (rgb + i * 3) - *mean;

      squares += d * d;
    }
  *std = sqrt (squares / (double) n);
}

void
impasto_colors_match_luminance (float       *rgb,
                                size_t       n_pixels,
                                const float *reference,
                                size_t       n_ref)
{
  double mu_s, sigma_s, mu_c, sigma_c;
  bool constant_s, constant_c;

  IMPASTO_CHECK (reference != NULL && n_ref > 0);
  IMPASTO_CHECK (rgb != NULL || n_pixels == 0);
  if (n_pixels == 0)
    return;

  luminance_statistics (reference, n_ref, &mu_c, &sigma_c, &constant_c);
  luminance_statistics (rgb, n_pixels, &mu_s, &sigma_s, &constant_s);
  for (size_t i = 0; i < n_pixels; i++)
    {
      double y = luminance (rgb + i * 3);
      float matched = (float) (constant_s ? mu_c : (y - mu_s) * (sigma_c / sigma_s) + mu_c);

      rgb[i * 3] = matched;
      rgb[i * 3 + 1] = matched;
      rgb[i * 3 + 2] = matched;
    }
}

void
impasto_colors_statistics (const float *rgb,
                           size_t       n_pixels,
                           double       mean[3],
                           double       cov[9])
{
  double sum[3] = { 0.0, 0.0, 0.0 };
  double m[6] = { 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }; /* 00 01 02 11 12 22 */

  IMPASTO_CHECK (rgb != NULL || n_pixels == 0);

  for (size_t i = 0; i < n_pixels; i++)
    for (int c = 0; c < 3; c++)
      sum[c] += rgb[i * 3 + c];
  for (int c = 0; c < 3; c++)
    mean[c] = n_pixels > 0 ? sum[c] / (double) n_pixels : 0.0;
  for (size_t i = 0; i < n_pixels; i++)
    {
      double d0 = rgb[i * 3] - mean[0];
      double d1 = rgb[i * 3 + 1] - mean[1];
      double d2 = rgb[i * 3 + 2] - mean[2];

      m[0] += d0 * d0;
      m[1] += d0 * d1;
      m[2] += d0 * d2;
      m[3] += d1 * d1;
      m[4] += d1 * d2;
      m[5] += d2 * d2;
    }
  for (int k = 0; k < 6; k++)
    m[k] = n_pixels > 0 ? m[k] / (double) n_pixels : 0.0;
  cov[0] = m[0];
  cov[1] = cov[3] = m[1];
  cov[2] = cov[6] = m[2];
  cov[4] = m[3];
  cov[5] = cov[7] = m[4];
  cov[8] = m[5];
}

/* One Jacobi rotation zeroing a[p][q] (p < q) of the symmetric @a, accumulated into the columns
 * of @v (Numerical Recipes' formulation, with t the smaller root for stability). */
static void
jacobi_rotate (double *a,
               double *v,
               int     p,
               int     q)
{
  double apq = a[p * 3 + q];
  double app = a[p * 3 + p];
  double aqq = a[q * 3 + q];
  double theta, t, c, s;

  if (apq == 0.0)
    return;
  if (fabs (apq) <= 1e-300 + 1e-18 * (fabs (app) + fabs (aqq)))
    {
      /* below the round-off of the diagonal: drop it, so the sweeps end */
      a[p * 3 + q] = a[q * 3 + p] = 0.0;
      return;
    }
  theta = (aqq - app) / (2.0 * apq);
  if (fabs (theta) > 1e150)
    t = 0.5 / theta;
  else
    t = (theta >= 0.0 ? 1.0 : -1.0) / (fabs (theta) + sqrt (theta * theta + 1.0));
  c = 1.0 / sqrt (t * t + 1.0);
  s = t * c;

  a[p * 3 + p] = app - t * apq;
  a[q * 3 + q] = aqq + t * apq;
  a[p * 3 + q] = a[q * 3 + p] = 0.0;
  for (int r = 0; r < 3; r++)
    {
      if (r != p && r != q)
        {
          double arp = a[r * 3 + p];
          double arq = a[r * 3 + q];

          a[r * 3 + p] = a[p * 3 + r] = c * arp - s * arq;
          a[r * 3 + q] = a[q * 3 + r] = s * arp + c * arq;
        }
    }
  for (int r = 0; r < 3; r++)
    {
      double vrp = v[r * 3 + p];
      double vrq = v[r * 3 + q];

      v[r * 3 + p] = c * vrp - s * vrq;
      v[r * 3 + q] = s * vrp + c * vrq;
    }
}

/* m = V diag(values) V^T, eigenvectors in the columns of @vectors (row-major). */
static void
jacobi_eigen (const double m[9],
              double       values[3],
              double       vectors[9])
{
  double a[9];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        a[i * 3 + j] = 0.5 * (m[i * 3 + j] + m[j * 3 + i]);
        vectors[i * 3 + j] = i == j ? 1.0 : 0.0;
      }
  for (int sweep = 0; sweep < JACOBI_SWEEPS_MAX; sweep++)
    {
      if (a[1] == 0.0 && a[2] == 0.0 && a[5] == 0.0)
        break;
      jacobi_rotate (a, vectors, 0, 1);
      jacobi_rotate (a, vectors, 0, 2);
      jacobi_rotate (a, vectors, 1, 2);
    }
  for (int k = 0; k < 3; k++)
    values[k] = a[k * 3 + k];
}

void
impasto_colors_sym_sqrt (const double m[9],
                         double       root[9],
                         double       inverse_root[9])
{
  double values[3], v[9], r[3], ir[3];

  jacobi_eigen (m, values, v);
  for (int k = 0; k < 3; k++)
    {
      r[k] = sqrt (values[k] > 0.0 ? values[k] : 0.0);
      ir[k] = 1.0 / r[k];
    }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        double sum_r = 0.0, sum_ir = 0.0;

        for (int k = 0; k < 3; k++)
          {
            sum_r += v[i * 3 + k] * r[k] * v[j * 3 + k];
            sum_ir += v[i * 3 + k] * ir[k] * v[j * 3 + k];
          }
        root[i * 3 + j] = sum_r;
        inverse_root[i * 3 + j] = sum_ir;
      }
}

void
impasto_colors_match_histogram (float       *rgb,
                                size_t       n_pixels,
                                const float *reference,
                                size_t       n_ref)
{
  double mu_s[3], cov_s[9], mu_c[3], cov_c[9];
  double root_c[9], inverse_root_c[9], root_s[9], inverse_root_s[9];
  double a[9];

  IMPASTO_CHECK (reference != NULL && n_ref > 0);
  IMPASTO_CHECK (rgb != NULL || n_pixels == 0);
  if (n_pixels == 0)
    return;

  impasto_colors_statistics (rgb, n_pixels, mu_s, cov_s);
  impasto_colors_statistics (reference, n_ref, mu_c, cov_c);
  for (int k = 0; k < 3; k++)
    {
      cov_s[k * 3 + k] += IMPASTO_COLORS_EPSILON;
      cov_c[k * 3 + k] += IMPASTO_COLORS_EPSILON;
    }
  impasto_colors_sym_sqrt (cov_c, root_c, inverse_root_c);
  impasto_colors_sym_sqrt (cov_s, root_s, inverse_root_s);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        double sum = 0.0;

        for (int k = 0; k < 3; k++)
          sum += root_c[i * 3 + k] * inverse_root_s[k * 3 + j];
        a[i * 3 + j] = sum;
      }

  for (size_t i = 0; i < n_pixels; i++)
    {
      float *p = rgb + i * 3;
      double d0 = p[0] - mu_s[0];
      double d1 = p[1] - mu_s[1];
      double d2 = p[2] - mu_s[2];

      for (int c = 0; c < 3; c++)
        p[c] = (float) (a[c * 3] * d0 + a[c * 3 + 1] * d1 + a[c * 3 + 2] * d2 + mu_c[c]);
    }
}

/* The inverse of yiq_from_rgb, by its adjugate, in double. */
static void
rgb_from_yiq (double inverse[9])
{
  const double *m = yiq_from_rgb;
  double det;

  inverse[0] = m[4] * m[8] - m[5] * m[7];
  inverse[1] = m[2] * m[7] - m[1] * m[8];
  inverse[2] = m[1] * m[5] - m[2] * m[4];
  inverse[3] = m[5] * m[6] - m[3] * m[8];
  inverse[4] = m[0] * m[8] - m[2] * m[6];
  inverse[5] = m[2] * m[3] - m[0] * m[5];
  inverse[6] = m[3] * m[7] - m[4] * m[6];
  inverse[7] = m[1] * m[6] - m[0] * m[7];
  inverse[8] = m[0] * m[4] - m[1] * m[3];
  det = m[0] * inverse[0] + m[1] * inverse[3] + m[2] * inverse[6];
  for (int k = 0; k < 9; k++)
    inverse[k] /= det;
}

void
impasto_colors_keep_chroma (float       *rgb,
                            const float *photo,
                            size_t       n_pixels)
{
  const double *m = yiq_from_rgb;
  double inverse[9];

  IMPASTO_CHECK ((rgb != NULL && photo != NULL) || n_pixels == 0);

  rgb_from_yiq (inverse);
  for (size_t i = 0; i < n_pixels; i++)
    {
      float *p = rgb + i * 3;
      const float *c = photo + i * 3;
      double y = m[0] * p[0] + m[1] * p[1] + m[2] * p[2];
      double in_phase = m[3] * c[0] + m[4] * c[1] + m[5] * c[2];
      double quadrature = m[6] * c[0] + m[7] * c[1] + m[8] * c[2];

      for (int k = 0; k < 3; k++)
        p[k] = (float) (inverse[k * 3] * y + inverse[k * 3 + 1] * in_phase
                        + inverse[k * 3 + 2] * quadrature);
    }
}
