/* test-model-replaced.c
 *
 * A model file replaced while the program runs (a new download, an import, another copy of
 * Impasto rebuilding its cache):
 *
 * - Weights read from a .mat are the engine's own copy: replacing the file by renaming another
 *   over it, or overwriting it in place with text, changes nothing in them, and a network built
 *   on them computes the same features as before.
 * - Weights mapped from a cache file point into the file's pages: impasto_weights_cache_write()
 *   writes the new cache beside it and renames it into place, so the mapping keeps the old file's
 *   pages (the old inode lives on until it is unmapped) and reads the old values, while mapping
 *   the path again gives the new ones. (Cutting a mapped file short in place would make reading
 *   the lost pages fail with SIGBUS; test-weights-cache.c covers how that is detected. Impasto
 *   never truncates a cache in place.)
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "impasto-vgg19-mat.h"
#include "impasto-vgg19.h"
#include "impasto-weights-cache.h"
#include "impasto-weights.h"
#include "test-net.h"
#include "test-scratch.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
assert_same_weights (const ImpastoWeights *a,
                     const ImpastoWeights *b)
{
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *x = &a->convs[i];
      const ImpastoConvWeights *y = &b->convs[i];

      g_assert_cmpint (x->in_channels, ==, y->in_channels);
      g_assert_cmpint (x->out_channels, ==, y->out_channels);
      g_assert_cmpmem (x->filters, 9 * sizeof (float) * x->in_channels * x->out_channels,
                       y->filters, 9 * sizeof (float) * y->in_channels * y->out_channels);
      g_assert_cmpmem (x->biases, sizeof (float) * x->out_channels,
                       y->biases, sizeof (float) * y->out_channels);
    }
}

static gboolean
same_weights (const ImpastoWeights *a,
              const ImpastoWeights *b)
{
  return memcmp (a->convs[0].filters, b->convs[0].filters,
                 9 * sizeof (float) * a->convs[0].in_channels * a->convs[0].out_channels) == 0;
}

/* conv1_1's output for a fixed picture, as a copy. */
static float *
features (const ImpastoWeights *weights)
{
  ImpastoVgg19 *net = NULL;
  ImpastoEngineError error = { 0 };
  g_autofree float *x = g_new (float, 3 * 32 * 32);
  float *out;

  for (int i = 0; i < 3 * 32 * 32; i++)
    x[i] = (float) ((i * 37) % 255) - 120.0f;
  g_assert_cmpint (impasto_vgg19_new (&net, weights, 32, 32, 0, IMPASTO_POOL_MAX, &error), ==,
                   IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_vgg19_forward (net, x, NULL, NULL), ==, IMPASTO_STATUS_OK);
  out = g_memdup2 (impasto_vgg19_features (net, 0, NULL, NULL, NULL),
                   sizeof (float) * 32 * 32 * weights->convs[0].out_channels);
  impasto_vgg19_free (net);
  return out;
}

static void
test_mat_replaced (void)
{
  ImpastoVgg19MatOptions options;
  g_autofree char *path = tmp_path ("net.mat");
  g_autofree char *other = tmp_path ("other.mat");
  ImpastoWeights *loaded = NULL;
  ImpastoWeights *again = NULL;
  ImpastoEngineError error = { 0 };
  g_autofree float *before = NULL;
  g_autofree float *after = NULL;
  gsize n;
  char message[256];

  impasto_vgg19_mat_options_init_tiny (&options);
  options.seed = 11;
  g_assert_true (impasto_vgg19_mat_write (path, &options, NULL, message, sizeof message));
  options.seed = 12;
  g_assert_true (impasto_vgg19_mat_write (other, &options, NULL, message, sizeof message));

  g_assert_cmpint (impasto_weights_load (&loaded, path, &error), ==, IMPASTO_STATUS_OK);
  before = features (loaded);
  n = 32 * 32 * (gsize) loaded->convs[0].out_channels;

  /* Replaced by rename (as a download or a copy does): the loaded weights are unchanged. */
  g_assert_cmpint (g_rename (other, path), ==, 0);
  after = features (loaded);
  g_assert_cmpmem (before, n * sizeof (float), after, n * sizeof (float));
  g_assert_cmpint (impasto_weights_load (&again, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_false (same_weights (loaded, again));
  impasto_weights_free (again);

  /* Overwritten in place with text: still unchanged. */
  g_assert_true (g_file_set_contents (path, "not a network any more", -1, NULL));
  g_clear_pointer (&after, g_free);
  after = features (loaded);
  g_assert_cmpmem (before, n * sizeof (float), after, n * sizeof (float));

  impasto_weights_free (loaded);
}

static void
test_cache_replaced (void)
{
  g_autofree char *path = tmp_path ("net.impasto");
  ImpastoWeights *first = test_net_new ();
  ImpastoWeights *second = test_net_new ();
  ImpastoWeights *mapped = NULL;
  ImpastoWeights *remapped = NULL;
  ImpastoEngineError error = { 0 };
  g_autofree float *before = NULL;
  g_autofree float *after = NULL;
  gsize n;

  g_assert_false (same_weights (first, second));
  g_assert_cmpint (impasto_weights_cache_write (first, NULL, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, path, &error), ==, IMPASTO_STATUS_OK);
  assert_same_weights (mapped, first);
  before = features (mapped);
  n = 32 * 32 * (gsize) mapped->convs[0].out_channels;

  /* Another cache written to the same path while the first is mapped. */
  g_assert_cmpint (impasto_weights_cache_write (second, NULL, path, &error), ==, IMPASTO_STATUS_OK);

  /* The mapping still reads the first file, every value of it. */
  assert_same_weights (mapped, first);
  after = features (mapped);
  g_assert_cmpmem (before, n * sizeof (float), after, n * sizeof (float));

  /* The path now holds the second. */
  g_assert_cmpint (impasto_weights_cache_map (&remapped, NULL, path, &error), ==, IMPASTO_STATUS_OK);
  assert_same_weights (remapped, second);

  impasto_weights_free (remapped);
  impasto_weights_free (mapped);
  impasto_weights_free (first);
  impasto_weights_free (second);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = test_scratch_dir_new ("impasto-test-replaced-XXXXXX");

  g_test_add_func ("/model-replaced/mat", test_mat_replaced);
  g_test_add_func ("/model-replaced/cache", test_cache_replaced);

  status = g_test_run ();
  test_scratch_dir_remove (tmp_dir);
  return status;
}
