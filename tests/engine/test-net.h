/* test-net.h
 *
 * A tiny random VGG19 for the engine tests: the real topology with a few channels per layer, so
 * a whole network runs on a 32x32 image in milliseconds. Header-only; each test binary that
 * includes it gets its own copy.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <math.h>

#include "impasto-weights.h"

static const int test_net_channels[IMPASTO_VGG19_N_CONVS + 1] = {
  3, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
};

/* He-scaled uniform filters and small positive biases, from GLib's seeded test RNG, with
 * @channels as impasto_weights_new() takes them. */
static inline ImpastoWeights *
test_net_new_with (const int *channels)
{
  float *filters[IMPASTO_VGG19_N_CONVS], *biases[IMPASTO_VGG19_N_CONVS];
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      int cin = channels[i], cout = channels[i + 1];
      size_t n = (size_t) cout * cin * 9;
      double bound = sqrt (6.0 / (9.0 * cin));

      filters[i] = g_new (float, n);
      biases[i] = g_new (float, cout);
      for (size_t k = 0; k < n; k++)
        filters[i][k] = (float) g_test_rand_double_range (-bound, bound);
      for (int k = 0; k < cout; k++)
        biases[i][k] = (float) g_test_rand_double_range (0.0, 0.1);
    }
  if (impasto_weights_new (&weights, channels, (const float *const *) filters,
                           (const float *const *) biases, NULL, &error) != IMPASTO_STATUS_OK)
    g_error ("tiny net: %s", error.message);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      g_free (filters[i]);
      g_free (biases[i]);
    }
  return weights;
}

static inline ImpastoWeights *
test_net_new (void)
{
  return test_net_new_with (test_net_channels);
}

/* Asserts that two sets of weights are the same bit for bit: channels, filters, biases, mean. */
static inline void
test_net_assert_identical (const ImpastoWeights *a, const ImpastoWeights *b)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *x = &a->convs[i], *y = &b->convs[i];
      size_t n = 9 * (size_t) x->in_channels * x->out_channels;

      g_assert_cmpint (x->in_channels, ==, y->in_channels);
      g_assert_cmpint (x->out_channels, ==, y->out_channels);
      g_assert_cmpmem (x->filters, n * sizeof (float), y->filters, n * sizeof (float));
      g_assert_cmpmem (x->biases, x->out_channels * sizeof (float), y->biases,
                       y->out_channels * sizeof (float));
    }
  g_assert_cmpmem (a->mean_pixel, sizeof a->mean_pixel, b->mean_pixel, sizeof b->mean_pixel);
  g_assert_cmpint (a->mean_from_file, ==, b->mean_from_file);
}

/* (H, W, 3) smooth-ish test picture on the 0..255 scale. */
static inline float *
test_net_picture (int width, int height, double phase)
{
  float *rgb = g_new (float, (size_t) width * height * 3);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        rgb[((size_t) y * width + x) * 3 + c] =
          (float) (127.5 + 100.0 * sin (phase + 0.31 * x * (c + 1) + 0.17 * y * (3 - c))
                   + g_test_rand_double_range (-20, 20));
  return rgb;
}
