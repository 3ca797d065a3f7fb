/* test-vgg19.c
 *
 * The whole feature network on a tiny random VGG19: every layer's forward output against a
 * composition of the naive conv and pooling; the backward pass to the image against central
 * finite differences taken only where the ReLU/max-pool pattern stays the same across the step
 * (so the network is exactly linear there); the backward starting at the deepest loss layer;
 * layer names; size limits and cancellation.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-conv.h"
#include "impasto-relu.h"
#include "impasto-pooling.h"
#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-vgg19.h"
#include "test-net.h"

static void
test_names (void)
{
  g_assert_cmpint (impasto_vgg19_conv_index ("conv1_1"), ==, 0);
  g_assert_cmpint (impasto_vgg19_conv_index ("conv4_2"), ==, 9);
  g_assert_cmpint (impasto_vgg19_conv_index ("relu4_2"), ==, 9);
  g_assert_cmpint (impasto_vgg19_conv_index ("conv5_4"), ==, 15);
  g_assert_cmpint (impasto_vgg19_conv_index ("conv6_1"), ==, -1);
  g_assert_cmpint (impasto_vgg19_conv_index ("pool1"), ==, -1);
  g_assert_cmpint (impasto_vgg19_conv_index ("relu"), ==, -1);
  g_assert_cmpint (impasto_vgg19_conv_index (""), ==, -1);
  g_assert_cmpstr (impasto_vgg19_conv_name (13), ==, "conv5_2");
  g_assert_null (impasto_vgg19_conv_name (16));
}

static float *
to_planes (const float *rgb, int width, int height, const float *mean)
{
  size_t plane = (size_t) width * height;
  float *x = g_new (float, 3 * plane);

  for (size_t p = 0; p < plane; p++)
    for (int c = 0; c < 3; c++)
      x[c * plane + p] = rgb[p * 3 + c] - mean[c];
  return x;
}

static void
check_forward (ImpastoPoolMode mode)
{
  const int width = 37, height = 22;
  ImpastoWeights *weights = test_net_new ();
  float *rgb = test_net_picture (width, height, 0.3);
  float *x = to_planes (rgb, width, height, weights->mean_pixel);
  ImpastoVgg19 *net = NULL;
  float *ref_in = g_memdup2 (x, sizeof (float) * 3 * width * height);
  int h = height, w = width;

  g_assert_cmpint (impasto_vgg19_new (&net, weights, height, width, 15, mode, NULL), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_vgg19_forward (net, x, NULL, NULL), ==, IMPASTO_STATUS_OK);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *cw = &weights->convs[i];
      ImpastoConvDims dims;
      size_t size;
      float *ref_out;
      const float *got;
      int c, gh, gw;
      double scale = 0;

      if (i > 0 && impasto_vgg19_conv_block (i) != impasto_vgg19_conv_block (i - 1))
        {
          float *pooled = g_new (float, (size_t) cw->in_channels * (h / 2) * (w / 2));
          impasto_pooling_forward (pooled, ref_in, cw->in_channels, h, w, mode);
          g_free (ref_in);
          ref_in = pooled;
          h /= 2;
          w /= 2;
        }
      dims = (ImpastoConvDims) { cw->in_channels, cw->out_channels, h, w };
      size = (size_t) cw->out_channels * h * w;
      ref_out = g_new (float, size);
      impasto_conv2d_forward_naive (ref_out, ref_in, cw->filters, cw->biases, &dims);
      impasto_relu_forward (ref_out, size);

      got = impasto_vgg19_features (net, i, &c, &gh, &gw);
      g_assert_cmpint (c, ==, cw->out_channels);
      g_assert_cmpint (gh, ==, h);
      g_assert_cmpint (gw, ==, w);
      for (size_t k = 0; k < size; k++)
        scale = MAX (scale, fabs (ref_out[k]));
      for (size_t k = 0; k < size; k++)
        /* Winograd rounds to ~1e-5 of a layer's range per conv, compounding over 16 layers. */
        if (fabs (got[k] - ref_out[k]) > 1e-4 * scale + 1e-5 * fabs (ref_out[k]))
          g_error ("%s element %zu: got %.9g, want %.9g", impasto_vgg19_conv_name (i), k,
                   got[k], ref_out[k]);
      g_free (ref_in);
      ref_in = ref_out;
    }
  g_assert_cmpint (h, ==, 22 / 16);
  g_assert_cmpint (w, ==, 37 / 16);

  g_free (ref_in);
  impasto_vgg19_free (net);
  g_free (x);
  g_free (rgb);
  impasto_weights_free (weights);
}

static void
test_forward_max (void)
{
  check_forward (IMPASTO_POOL_MAX);
}

static void
test_forward_avg (void)
{
  check_forward (IMPASTO_POOL_AVG);
}

/* L(x) = sum over the chosen layers of <r_i, features_i(x)> in double. */
typedef struct
{
  ImpastoVgg19 *net;
  int deepest;
  float *r[IMPASTO_VGG19_N_CONVS];
  size_t sizes[IMPASTO_VGG19_N_CONVS];
  guint64 pattern;  /* of the last probe_loss() */
} Probe;

/* Which side of every ReLU and which element of every max-pool window the pass took: within one
 * such pattern the network is exactly linear in the image. */
static guint64
activation_pattern (Probe *probe)
{
  guint64 hash = 14695981039346656037ull;

  for (int i = 0; i <= probe->deepest; i++)
    {
      int c, h, w;
      const float *f = impasto_vgg19_features (probe->net, i, &c, &h, &w);
      gboolean pooled = i < probe->deepest
                        && impasto_vgg19_conv_block (i + 1) != impasto_vgg19_conv_block (i);

      for (size_t k = 0; k < (size_t) c * h * w; k++)
        hash = (hash ^ (f[k] > 0.0f)) * 1099511628211ull;
      if (pooled)
        for (int ch = 0; ch < c; ch++)
          for (int y = 0; y + 1 < h; y += 2)
            for (int x = 0; x + 1 < w; x += 2)
              {
                const float *p = f + ((size_t) ch * h + y) * w + x;
                float m[4] = { p[0], p[1], p[w], p[w + 1] };
                int best = 0;
                for (int j = 1; j < 4; j++)
                  if (m[j] > m[best])
                    best = j;
                hash = (hash ^ (guint64) best) * 1099511628211ull;
              }
    }
  return hash;
}

static double
probe_loss (Probe *probe, const float *x)
{
  double sum = 0;

  g_assert_cmpint (impasto_vgg19_forward (probe->net, x, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (probe->r[i] != NULL)
      {
        const float *f = impasto_vgg19_features (probe->net, i, NULL, NULL, NULL);
        for (size_t k = 0; k < probe->sizes[i]; k++)
          sum += (double) probe->r[i][k] * f[k];
      }
  probe->pattern = activation_pattern (probe);
  return sum;
}

static void
check_backward (ImpastoPoolMode mode, ImpastoWeights *weights)
{
  const int width = 34, height = 19, deepest = 13;
  const int layers[] = { 2, 7, 13 };
  float *rgb = test_net_picture (width, height, 1.1);
  float *x = to_planes (rgb, width, height, weights->mean_pixel);
  size_t n = (size_t) 3 * width * height;
  float *grad = g_new0 (float, n);
  Probe probe = { 0 };
  double gmax = 0;

  g_assert_cmpint (impasto_vgg19_new (&probe.net, weights, height, width, deepest, mode, NULL),
                   ==, IMPASTO_STATUS_OK);
  probe.deepest = deepest;
  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      int i = layers[l], c, h, w;
      impasto_vgg19_conv_size (i, height, width, &h, &w);
      c = weights->convs[i].out_channels;
      probe.sizes[i] = (size_t) c * h * w;
      probe.r[i] = g_new (float, probe.sizes[i]);
      for (size_t k = 0; k < probe.sizes[i]; k++)
        probe.r[i][k] = (float) g_test_rand_double_range (-1, 1);
    }

  probe_loss (&probe, x);
  g_assert_cmpint (impasto_vgg19_backward (probe.net, grad, (const float *const *) probe.r,
                                           NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (size_t k = 0; k < n; k++)
    gmax = MAX (gmax, fabs (grad[k]));
  g_assert_cmpfloat (gmax, >, 0);

  /* Central differences pixel by pixel, with the step shrunk until the ReLU/max-pool pattern at
   * x - h, x and x + h is the same: the network is then exactly linear along the step and the
   * quotient differs from the gradient by float32 rounding only (a few 1e-3 of the largest
   * component at h = 0.5, growing as 1/h). Pixels where no step keeps the pattern are skipped. */
  {
    guint64 here;
    int checked = 0;

    probe_loss (&probe, x);
    here = probe.pattern;
    /* Up to 200 random pixels, until 40 have been checked: near a kink no step keeps the
     * pattern, and some nets (the narrow one) have many kinks. */
    for (int trial = 0; trial < 200 && checked < 40; trial++)
      {
        size_t k = (size_t) g_test_rand_int_range (0, (gint32) n);
        float keep = x[k];

        for (float h = 0.5f; h >= 0.06f; h *= 0.5f)
          {
            double up, down, numeric;
            guint64 pattern_up;

            x[k] = keep + h;
            up = probe_loss (&probe, x);
            pattern_up = probe.pattern;
            x[k] = keep - h;
            down = probe_loss (&probe, x);
            x[k] = keep;
            if (pattern_up != here || probe.pattern != here)
              continue;
            numeric = (up - down) / (2 * h);
            /* Rounding noise grows as 1/h; Winograd's transforms make it about 1e-3 of the
             * largest component at h = 0.5. A wiring mistake errs by the order of gmax. */
            if (fabs (numeric - grad[k]) > 1e-2 * gmax * (0.5 / h))
              g_error ("pixel %zu: analytic %.9g, numeric %.9g (largest %.3g)", k, grad[k],
                       numeric, gmax);
            checked++;
            break;
          }
      }
    g_test_message ("%d pixels checked", checked);
    g_assert_cmpint (checked, >=, 20);
  }

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    g_free (probe.r[i]);
  impasto_vgg19_free (probe.net);
  g_free (grad);
  g_free (x);
  g_free (rgb);
  impasto_weights_free (weights);
}

static void
test_backward_max (void)
{
  check_backward (IMPASTO_POOL_MAX, test_net_new ());
}

static void
test_backward_avg (void)
{
  check_backward (IMPASTO_POOL_AVG, test_net_new ());
}

/* A net where convs narrow inside a block (conv1_2 6 -> 4, conv3_3 8 -> 6), so the backward pass
 * cannot keep gradients in dead outputs and ping-pongs between its own two buffers instead. */
static void
test_backward_narrowing (void)
{
  static const int channels[IMPASTO_VGG19_N_CONVS + 1] = {
    3, 6, 4, 6, 6, 8, 8, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  };

  check_backward (IMPASTO_POOL_MAX, test_net_new_with (channels));
}

/* A net planned deeper than the losses gives the same gradient as one planned to the loss. */
static void
test_backward_starts_at_deepest_loss (void)
{
  const int width = 32, height = 32;
  ImpastoWeights *weights = test_net_new ();
  float *rgb = test_net_picture (width, height, 2.0);
  float *x = to_planes (rgb, width, height, weights->mean_pixel);
  size_t n = (size_t) 3 * width * height;
  float *g_deep = g_new0 (float, n), *g_short = g_new0 (float, n);
  const float *dfeat[IMPASTO_VGG19_N_CONVS] = { NULL };
  ImpastoVgg19 *deep = NULL, *shallow = NULL;
  float *r;
  int h, w;

  impasto_vgg19_conv_size (3, height, width, &h, &w);
  r = g_new (float, (size_t) weights->convs[3].out_channels * h * w);
  for (int k = 0; k < weights->convs[3].out_channels * h * w; k++)
    r[k] = (float) g_test_rand_double_range (-1, 1);
  dfeat[3] = r;

  g_assert_cmpint (impasto_vgg19_new (&deep, weights, height, width, 15, IMPASTO_POOL_MAX, NULL),
                   ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_vgg19_new (&shallow, weights, height, width, 3, IMPASTO_POOL_MAX,
                                      NULL), ==, IMPASTO_STATUS_OK);
  g_assert_cmpuint (impasto_vgg19_plan_bytes (weights, height, width, 3), <,
                    impasto_vgg19_plan_bytes (weights, height, width, 15));
  impasto_vgg19_forward (deep, x, NULL, NULL);
  impasto_vgg19_forward (shallow, x, NULL, NULL);
  impasto_vgg19_backward (deep, g_deep, dfeat, NULL, NULL);
  impasto_vgg19_backward (shallow, g_short, dfeat, NULL, NULL);
  g_assert_cmpmem (g_deep, n * sizeof (float), g_short, n * sizeof (float));

  impasto_vgg19_free (deep);
  impasto_vgg19_free (shallow);
  g_free (r); g_free (g_deep); g_free (g_short); g_free (x); g_free (rgb);
  impasto_weights_free (weights);
}

/* Shared filters: nets of two sizes reading one set give, bit for bit, the features and the
 * input gradient of nets with their own; filters of other weights, or stopping below the net's
 * deepest layer, are refused. */
static void
test_shared_filters (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoWeights *other = test_net_new ();
  ImpastoVgg19Filters *filters = NULL, *shallow = NULL;
  ImpastoEngineError error = { 0 };
  const int sizes[][2] = { { 32, 24 }, { 45, 34 } };

  g_assert_cmpint (impasto_vgg19_filters_new (&filters, weights, 15, &error), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpuint (impasto_vgg19_filters_bytes (weights, 3), <,
                    impasto_vgg19_filters_bytes (weights, 15));
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int width = sizes[k][0], height = sizes[k][1];
      float *rgb = test_net_picture (width, height, 1.0 + k);
      float *x = to_planes (rgb, width, height, weights->mean_pixel);
      size_t n = (size_t) 3 * width * height;
      float *g_own = g_new0 (float, n), *g_shared = g_new0 (float, n);
      const float *dfeat[IMPASTO_VGG19_N_CONVS] = { NULL };
      ImpastoVgg19 *own = NULL, *shared = NULL;
      float *r;
      int h, w, c;

      impasto_vgg19_conv_size (12, height, width, &h, &w);
      c = weights->convs[12].out_channels;
      r = g_new (float, (size_t) c * h * w);
      for (int i = 0; i < c * h * w; i++)
        r[i] = (float) g_test_rand_double_range (-1, 1);
      dfeat[12] = r;

      g_assert_cmpint (impasto_vgg19_new (&own, weights, height, width, 12, IMPASTO_POOL_MAX,
                                          NULL), ==, IMPASTO_STATUS_OK);
      g_assert_cmpint (impasto_vgg19_new_with_filters (&shared, weights, filters, height, width,
                                                       12, IMPASTO_POOL_MAX, NULL), ==,
                       IMPASTO_STATUS_OK);
      g_assert_cmpint (impasto_vgg19_forward (own, x, NULL, NULL), ==, IMPASTO_STATUS_OK);
      g_assert_cmpint (impasto_vgg19_forward (shared, x, NULL, NULL), ==, IMPASTO_STATUS_OK);
      for (int i = 0; i <= 12; i++)
        {
          int fc, fh, fw;
          const float *a = impasto_vgg19_features (own, i, &fc, &fh, &fw);
          const float *b = impasto_vgg19_features (shared, i, NULL, NULL, NULL);

          g_assert_cmpmem (a, (size_t) fc * fh * fw * sizeof (float), b,
                           (size_t) fc * fh * fw * sizeof (float));
        }
      impasto_vgg19_backward (own, g_own, dfeat, NULL, NULL);
      impasto_vgg19_backward (shared, g_shared, dfeat, NULL, NULL);
      g_assert_cmpmem (g_own, n * sizeof (float), g_shared, n * sizeof (float));
      /* Sharing leaves the filters out of the net's own allocation. */
      impasto_vgg19_free (own);
      impasto_vgg19_free (shared);
      g_free (r); g_free (g_own); g_free (g_shared); g_free (x); g_free (rgb);
    }

  {
    ImpastoVgg19 *net = NULL;

    g_assert_cmpint (impasto_vgg19_filters_new (&shallow, weights, 3, &error), ==,
                     IMPASTO_STATUS_OK);
    g_assert_false (impasto_vgg19_filters_serve (shallow, weights, 4));
    g_assert_true (impasto_vgg19_filters_serve (shallow, weights, 3));
    g_assert_false (impasto_vgg19_filters_serve (filters, other, 3));
    g_assert_false (impasto_vgg19_filters_serve (NULL, weights, 0));
    g_assert_cmpint (impasto_vgg19_new_with_filters (&net, weights, shallow, 32, 32, 4,
                                                     IMPASTO_POOL_MAX, &error), ==,
                     IMPASTO_STATUS_INVALID_ARGUMENT);
    g_assert_null (net);
    g_assert_cmpint (impasto_vgg19_new_with_filters (&net, other, filters, 32, 32, 4,
                                                     IMPASTO_POOL_MAX, &error), ==,
                     IMPASTO_STATUS_INVALID_ARGUMENT);
    {
      ImpastoVgg19Filters *bad = NULL;

      g_assert_cmpint (impasto_vgg19_filters_new (&bad, weights, 16, &error), ==,
                       IMPASTO_STATUS_INVALID_ARGUMENT);
      g_assert_null (bad);
    }
    impasto_vgg19_filters_free (shallow);
  }
  impasto_vgg19_filters_free (filters);
  impasto_weights_free (weights);
  impasto_weights_free (other);
}

static bool
stop_now (void *data)
{
  return TRUE;
}

static void
test_size_and_cancel (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoVgg19 *net = NULL;
  ImpastoEngineError error = { 0 };
  float x[3 * 16 * 16] = { 0 };

  g_assert_cmpint (impasto_vgg19_new (&net, weights, 15, 40, 15, IMPASTO_POOL_MAX, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_null (net);
  g_assert_nonnull (strstr (error.message, "too small"));
  g_assert_cmpint (impasto_vgg19_new (&net, weights, 16, 16, 15, IMPASTO_POOL_MAX, &error), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_vgg19_forward (net, x, stop_now, NULL), ==, IMPASTO_STATUS_CANCELLED);
  impasto_vgg19_free (net);
  impasto_weights_free (weights);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add_func ("/vgg19/names", test_names);
  g_test_add_func ("/vgg19/forward-max", test_forward_max);
  g_test_add_func ("/vgg19/forward-avg", test_forward_avg);
  g_test_add_func ("/vgg19/backward-max", test_backward_max);
  g_test_add_func ("/vgg19/backward-avg", test_backward_avg);
  g_test_add_func ("/vgg19/backward-narrowing", test_backward_narrowing);
  g_test_add_func ("/vgg19/backward-starts-at-deepest-loss", test_backward_starts_at_deepest_loss);
  g_test_add_func ("/vgg19/size-and-cancel", test_size_and_cancel);
  g_test_add_func ("/vgg19/shared-filters", test_shared_filters);
  return g_test_run ();
}
