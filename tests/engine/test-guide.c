/* test-guide.c
 *
 * A region's mask carried down to VGG19's layers: the receptive fields against fields found by
 * following each neuron's inputs layer by layer; the "inside" guide is 1 exactly where a neuron's
 * field lies inside a 0/1 mask and "all" where it touches it; the separable guide against the
 * naive one on soft masks; unit root mean square; the guided Gram loss against its definition,
 * against the unguided loss for a guide of 1, and its gradient against central finite
 * differences; the guided features gathered at the guide's positions and scattered back.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-guide.h"
#include "impasto-receptive-field.h"
#include "impasto-style-loss.h"
#include "impasto-vgg19.h"
#include "impasto-vgg19-layers.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

/* The input pixels [first[y], last[y]] each neuron of conv @index sees along an axis of @length,
 * found by following the layers: a 3x3 conv with padding 1 sees its neighbours (those that
 * exist), a 2x2 stride-2 pool its two inputs. Returns the layer's length. */
static int
naive_fields (int index, int length, int *first, int *last)
{
  int n = length;

  for (int y = 0; y < n; y++)
    first[y] = last[y] = y;
  for (int i = 0; i <= index; i++)
    {
      int next_first[512], next_last[512];

      if (i > 0 && impasto_vgg19_conv_block (i) != impasto_vgg19_conv_block (i - 1))
        {
          n /= 2;
          for (int y = 0; y < n; y++)
            {
              next_first[y] = MIN (first[2 * y], first[2 * y + 1]);
              next_last[y] = MAX (last[2 * y], last[2 * y + 1]);
            }
          memcpy (first, next_first, (size_t) n * sizeof (int));
          memcpy (last, next_last, (size_t) n * sizeof (int));
        }
      for (int y = 0; y < n; y++)
        {
          next_first[y] = first[MAX (y - 1, 0)];
          next_last[y] = last[MIN (y + 1, n - 1)];
        }
      memcpy (first, next_first, (size_t) n * sizeof (int));
      memcpy (last, next_last, (size_t) n * sizeof (int));
    }
  return n;
}

static void
test_receptive_fields (void)
{
  ImpastoReceptiveField field;

  /* By hand: conv1_1 sees 3 pixels; conv5_1 1 + 2·2 + 1 + 2·4 + 2 + 4·8 + 4 + 4·16 + 8 + 32 = 156
   * (1, two convs of 2 each, pool1 1, two convs of 4, pool2 2, ...). */
  impasto_vgg19_receptive_field (0, &field);
  g_assert_cmpint (field.size, ==, 3);
  g_assert_cmpint (field.jump, ==, 1);
  impasto_vgg19_receptive_field (12, &field);
  g_assert_cmpint (field.size, ==, 156);
  g_assert_cmpint (field.jump, ==, 16);

  for (int length = 16; length <= 300; length += 37)
    for (int index = 0; index < N_CONVS; index++)
      {
        int first[512], last[512], n;
        int out_h, out_w;

        n = naive_fields (index, length, first, last);
        impasto_vgg19_conv_size (index, length, length, &out_h, &out_w);
        g_assert_cmpint (n, ==, out_h);
        impasto_vgg19_receptive_field (index, &field);
        for (int y = 0; y < n; y++)
          {
            int a = field.start + y * field.jump, b = a + field.size - 1;

            g_assert_cmpint (MAX (a, 0), ==, first[y]);
            g_assert_cmpint (MIN (b, length - 1), ==, last[y]);
          }
      }
}

/* A 0/1 mask: a disc and a rectangle. */
static float *
blob_mask (int width, int height)
{
  float *mask = g_new0 (float, (size_t) width * height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double dx = x - 0.3 * width, dy = y - 0.4 * height;

        if (dx * dx + dy * dy < 0.09 * width * width
            || (x > 0.55 * width && y > 0.2 * height && y < 0.9 * height))
          mask[(size_t) y * width + x] = 1.0f;
      }
  return mask;
}

static void
test_inside_and_all (void)
{
  const int width = 150, height = 120;
  float *mask = blob_mask (width, height);
  float *scratch = g_new (float, (size_t) width * height);

  for (int index = 0; index < N_CONVS; index++)
    {
      int fy0[512], fy1[512], fx0[512], fx1[512], h, w, ones = 0;
      float *inside, *all;

      h = naive_fields (index, height, fy0, fy1);
      w = naive_fields (index, width, fx0, fx1);
      inside = g_new (float, (size_t) h * w);
      all = g_new (float, (size_t) h * w);
      impasto_guide_at_layer (inside, scratch, mask, height, width, index, IMPASTO_GUIDE_INSIDE);
      impasto_guide_at_layer (all, scratch, mask, height, width, index, IMPASTO_GUIDE_ALL);
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            bool every = true, some = false;

            for (int i = fy0[y]; i <= fy1[y]; i++)
              for (int j = fx0[x]; j <= fx1[x]; j++)
                {
                  bool in = mask[(size_t) i * width + j] > 0.5f;

                  every &= in;
                  some |= in;
                }
            g_assert_cmpfloat (inside[(size_t) y * w + x], ==, every ? 1.0f : 0.0f);
            g_assert_cmpfloat (all[(size_t) y * w + x], ==, some ? 1.0f : 0.0f);
            ones += every;
          }
      /* The deep layers' fields are larger than the blobs: nothing is inside there. */
      if (index < 4)
        g_assert_cmpint (ones, >, 0);
      g_free (inside);
      g_free (all);
    }
  g_free (mask);
  g_free (scratch);
}

static void
test_separable_matches_naive (void)
{
  const int width = 61, height = 47;
  float *mask = g_new (float, (size_t) width * height);
  float *scratch = g_new (float, (size_t) width * height);

  for (size_t p = 0; p < (size_t) width * height; p++)
    mask[p] = (float) g_test_rand_double_range (0.0, 1.0);
  for (int mode = IMPASTO_GUIDE_INSIDE; mode <= IMPASTO_GUIDE_ALL; mode++)
    for (int index = 0; index < N_CONVS; index++)
      {
        int h, w;
        float *fast, *naive;

        impasto_vgg19_conv_size (index, height, width, &h, &w);
        g_assert_cmpuint (impasto_guide_scratch_floats (index, height, width), <=,
                          (size_t) width * height);
        fast = g_new (float, (size_t) h * w);
        naive = g_new (float, (size_t) h * w);
        impasto_guide_at_layer (fast, scratch, mask, height, width, index, mode);
        impasto_guide_at_layer_naive (naive, mask, height, width, index, mode);
        g_assert_cmpmem (fast, (size_t) h * w * sizeof (float), naive,
                         (size_t) h * w * sizeof (float));
        g_free (fast);
        g_free (naive);
      }
  g_free (mask);
  g_free (scratch);
}

static void
test_normalise (void)
{
  float guide[6] = { 0.0f, 1.0f, 0.5f, 0.0f, 2.0f, 0.25f };
  float zeros[3] = { 0.0f, 1e-8f, 0.0f };
  double sum = 0.0;

  g_assert_true (impasto_guide_normalise (guide, 6));
  for (int i = 0; i < 6; i++)
    sum += (double) guide[i] * guide[i];
  g_assert_cmpfloat_with_epsilon (sum / 6.0, 1.0, 1e-6);
  /* Proportions kept. */
  g_assert_cmpfloat_with_epsilon (guide[4] / guide[1], 2.0, 1e-6);
  g_assert_false (impasto_guide_normalise (zeros, 3));
  g_assert_cmpfloat (zeros[1], ==, 0.0f);
}

/* The guided loss through the fast pieces: F ∘ T into the usual loss, F ∘ T² into its gradient. */
static double
guided_loss (float *dfeat, const float *feat, const float *guide, const float *target,
             size_t c, size_t m, double scale)
{
  float *guided = g_new (float, c * m), *diff = g_new (float, c * c);
  double e;

  impasto_guide_features (guided, feat, guide, c, m, 1);
  e = impasto_style_loss (NULL, diff, guided, target, c, m, 0.0);
  impasto_guide_features (guided, feat, guide, c, m, 2);
  impasto_style_loss_backward (dfeat, diff, guided, c, m, scale);
  g_free (guided);
  g_free (diff);
  return e;
}

static void
test_guided_loss (void)
{
  const size_t c = 5, m = 23;
  float feat[5 * 23], guide[23], ones[23], target[25];
  float d_fast[5 * 23] = { 0 }, d_naive[5 * 23] = { 0 }, d_plain[5 * 23] = { 0 };
  double fast, naive, plain;

  for (size_t i = 0; i < c * m; i++)
    feat[i] = (float) g_test_rand_double_range (0.0, 2.0);
  for (size_t p = 0; p < m; p++)
    {
      guide[p] = p % 4 == 0 ? 0.0f : (float) g_test_rand_double_range (0.2, 1.5);
      ones[p] = 1.0f;
    }
  for (size_t i = 0; i < c; i++)
    for (size_t j = 0; j <= i; j++)
      target[i * c + j] = target[j * c + i] = (float) g_test_rand_double_range (0.0, 20.0);

  fast = guided_loss (d_fast, feat, guide, target, c, m, 3.0);
  naive = impasto_guided_style_loss_naive (d_naive, feat, guide, target, c, m, 3.0);
  g_assert_cmpfloat (fabs (fast - naive), <=, 1e-5 * fabs (naive));
  for (size_t i = 0; i < c * m; i++)
    g_assert_cmpfloat (fabs (d_fast[i] - d_naive[i]), <=, 1e-6 + 1e-4 * fabs (d_naive[i]));

  /* A guide of 1 is the loss without a guide. */
  naive = impasto_guided_style_loss_naive (d_naive, feat, ones, target, c, m, 0.0);
  plain = impasto_style_loss_naive (d_plain, feat, target, c, m, 0.0);
  g_assert_cmpfloat (fabs (plain - naive), <=, 1e-12 * fabs (plain));

  /* The gradient against central differences of the loss in double. */
  memset (d_naive, 0, sizeof d_naive);
  impasto_guided_style_loss_naive (d_naive, feat, guide, target, c, m, 1.0);
  for (size_t i = 0; i < c * m; i += 7)
    {
      const float eps = 1e-2f;
      float saved = feat[i];
      double up, down, numeric;

      feat[i] = saved + eps;
      up = impasto_guided_style_loss_naive (NULL, feat, guide, target, c, m, 0.0);
      feat[i] = saved - eps;
      down = impasto_guided_style_loss_naive (NULL, feat, guide, target, c, m, 0.0);
      feat[i] = saved;
      numeric = (up - down) / (2.0 * eps);
      g_assert_cmpfloat (fabs (numeric - d_naive[i]), <=, 1e-4 * fabs (numeric) + 1e-7);
    }
}

/* Gathering the guided features at the guide's positions gives the same Gram matrix as the
 * guided features everywhere (impasto_guide_features(), the reference), and scattering puts each
 * value back at its position, threaded or not. */
static void
test_gather_and_scatter (void)
{
  const size_t c = 7, m = 300;
  float *feat = g_new (float, c * m), *guide = g_new (float, m), *full = g_new (float, c * m);
  float *compact = g_new (float, c * m), *back = g_new0 (float, c * m);
  float gram_full[49], gram_compact[49];
  uint32_t positions[300];
  ImpastoParallel *pool = impasto_parallel_new (2);
  size_t n;

  for (size_t i = 0; i < c * m; i++)
    feat[i] = (float) g_test_rand_double_range (0.0, 3.0);
  for (size_t p = 0; p < m; p++)
    guide[p] = p % 3 == 0 || p > 250 ? 0.0f : (float) g_test_rand_double_range (0.1, 2.0);
  n = impasto_guide_positions (positions, guide, m);
  g_assert_cmpuint (n, ==, 167);  /* 0 .. 250 less the 84 multiples of 3 */
  for (int power = 1; power <= 2; power++)
    for (int threaded = 0; threaded <= 1; threaded++)
      {
        impasto_guide_features (full, feat, guide, c, m, power);
        impasto_guide_gather (compact, feat, guide, positions, n, c, m, power,
                              threaded ? pool : NULL);
        impasto_gram_naive (gram_full, full, c, m);
        impasto_gram_naive (gram_compact, compact, c, n);
        for (int i = 0; i < 49; i++)
          g_assert_cmpfloat (fabs (gram_full[i] - gram_compact[i]), <=, 1e-5 * fabs (gram_full[i]));
        memset (back, 0, c * m * sizeof (float));
        impasto_guide_scatter_add (back, compact, positions, n, c, m, threaded ? pool : NULL);
        impasto_guide_scatter_add (back, compact, positions, n, c, m, threaded ? pool : NULL);
        for (size_t i = 0; i < c * m; i++)
          g_assert_cmpfloat (back[i], ==, 2.0f * full[i]);
      }
  impasto_parallel_free (pool);
  g_free (feat);
  g_free (guide);
  g_free (full);
  g_free (compact);
  g_free (back);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/guide/receptive-fields", test_receptive_fields);
  g_test_add_func ("/guide/inside-and-all", test_inside_and_all);
  g_test_add_func ("/guide/separable-matches-naive", test_separable_matches_naive);
  g_test_add_func ("/guide/normalise", test_normalise);
  g_test_add_func ("/guide/guided-loss", test_guided_loss);
  g_test_add_func ("/guide/gather-and-scatter", test_gather_and_scatter);
  return g_test_run ();
}
