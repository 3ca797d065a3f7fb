/* test-weights.c
 *
 * The VGG19 weight loader (impasto-weights.c) against .mat files written by
 * tools/impasto-vgg19-mat.c into a temporary folder:
 *
 * - Loading: both MatConvNet layouts (newer: weights = {filters, biases} cells and
 *   meta.normalization.averageImage 1x1x3; older: separate filters/biases fields, a top-level
 *   224x224x3 mean image averaged per channel, and classes), compressed and not, text stored as
 *   UTF-16 and as UTF-8, biases as Coutx1 and 1xCout, single and double, the mean as 1x1x3, 1x3
 *   and HxWx3 or absent (ImageNet default, mean_from_file false). The weights must equal what the
 *   writer put in, bit for bit, in the engine layout.
 * - A layer whose type and name are not ASCII (which sends the loader from its selective reads to
 *   ordinary full reads) is skipped, and the weights still match.
 * - fc6/fc7/fc8 are not kept: impasto_weights_size() counts the 16 convs only, and NaNs in the fc
 *   layers do not matter because they are never read.
 * - Refusals, each with the right status and a message naming the file and the problem: missing
 *   file and folder (IO), a text file called .mat, an empty file, truncations inside the header
 *   and at 10/50/90% and near the end, no `layers`, `layers` not a cell, a 5x5 filter, broken
 *   chaining, a missing or repeated conv, NaN and infinite values, wrong bias counts, char filters,
 *   a conv without filters.
 * - impasto_weights_new(): round trip, default and given mean, and its validation failures;
 *   impasto_weights_validate() on a hand-broken object; impasto_weights_free (NULL).
 * - Orientation pin: conv1_1 filters written by hand in MATLAB order with a single 1 at MATLAB
 *   (i, j, c), run through impasto_conv2d_forward_naive() on an input whose values encode their
 *   position: the output must be the input shifted by (i - 1) rows and (j - 1) columns of
 *   channel c, i.e. i runs along image rows. The net is 3 -> 1 -> 1 ... channels, so the files
 *   also carry MATLAB's squeezed 3-D (3x3x3) and 2-D (3x3) filter arrays.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "impasto-conv.h"
#include "impasto-vgg19-mat.h"
#include "impasto-weights.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

G_STATIC_ASSERT (IMPASTO_VGG19_MAT_N_CONVS == IMPASTO_VGG19_N_CONVS);

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Writes a random net with @options to @name in the temporary folder; returns its path. */
static char *
write_net (const char *name, const ImpastoVgg19MatOptions *options, ImpastoVgg19MatNet *written)
{
  char *path = tmp_path (name);
  char error[512] = "";

  if (!impasto_vgg19_mat_write (path, options, written, error, sizeof error))
    g_error ("cannot write %s: %s", path, error);
  return path;
}

static ImpastoWeights *
load_ok (const char *path)
{
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoStatus status = impasto_weights_load (&weights, path, &error);

  if (status != IMPASTO_STATUS_OK)
    g_error ("loading %s failed: %s: %s", path, impasto_status_to_string (status), error.message);
  g_assert_nonnull (weights);
  g_assert_cmpint (error.status, ==, IMPASTO_STATUS_OK);
  return weights;
}

/* Loading @path fails with @expected and a message that names the file and contains @word. */
static void
load_fails (const char *path, ImpastoStatus expected, const char *word)
{
  ImpastoWeights *weights = (ImpastoWeights *) &weights; /* must be reset to NULL */
  ImpastoEngineError error = { 0 };
  ImpastoStatus status = impasto_weights_load (&weights, path, &error);

  g_test_message ("%s", error.message);
  g_assert_cmpint (status, ==, expected);
  g_assert_cmpint (error.status, ==, expected);
  g_assert_null (weights);
  g_assert_nonnull (strstr (error.message, path));
  if (strstr (error.message, word) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", error.message, word);
}

static void
assert_same_as_written (const ImpastoWeights *weights, const ImpastoVgg19MatNet *written)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];
      size_t cin = (size_t) written->channels[i];
      size_t cout = (size_t) written->channels[i + 1];

      g_assert_cmpint (conv->in_channels, ==, written->channels[i]);
      g_assert_cmpint (conv->out_channels, ==, written->channels[i + 1]);
      g_assert_cmpmem (conv->filters, 9 * cin * cout * sizeof (float),
                       written->filters[i], 9 * cin * cout * sizeof (float));
      g_assert_cmpmem (conv->biases, cout * sizeof (float),
                       written->biases[i], cout * sizeof (float));
    }
}

static size_t
conv_bytes (const int *channels)
{
  size_t bytes = 0;

  for (int i = 0; i < N_CONVS; i++)
    bytes += (9 * (size_t) channels[i] + 1) * (size_t) channels[i + 1] * sizeof (float);
  return bytes;
}

/* Writes, loads and compares; checks the mean against what the file holds. */
static void
round_trip (const char *name, const ImpastoVgg19MatOptions *options)
{
  ImpastoVgg19MatNet written;
  char *path = write_net (name, options, &written);
  ImpastoWeights *weights = load_ok (path);

  assert_same_as_written (weights, &written);
  g_assert_cmpstr (weights->source_path, ==, path);
  g_assert_cmpuint (impasto_weights_size (weights), ==, conv_bytes (written.channels));
  if (options->with_mean)
    {
      g_assert_true (weights->mean_from_file);
      for (int c = 0; c < 3; c++)
        g_assert_cmpfloat (weights->mean_pixel[c], ==, written.mean_pixel[c]);
    }
  else
    {
      g_assert_false (weights->mean_from_file);
      g_assert_cmpfloat (weights->mean_pixel[0], ==, IMPASTO_DEFAULT_MEAN_R);
      g_assert_cmpfloat (weights->mean_pixel[1], ==, IMPASTO_DEFAULT_MEAN_G);
      g_assert_cmpfloat (weights->mean_pixel[2], ==, IMPASTO_DEFAULT_MEAN_B);
    }

  impasto_weights_free (weights);
  impasto_vgg19_mat_net_clear (&written);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_free (path);
}

static void
test_newer (void)
{
  ImpastoVgg19MatOptions options;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.seed = 11;
  round_trip ("newer.mat", &options);
  options.compress = false;
  round_trip ("newer-uncompressed.mat", &options);
  options.text_utf8 = true;
  round_trip ("newer-uncompressed-utf8.mat", &options);
  options.compress = true;
  round_trip ("newer-utf8.mat", &options);
}

/* A layer with a non-ASCII type and name cannot be read selectively in every encoding: the
 * loader then reads the file the ordinary way, skips that layer and still gets every bit. */
static void
test_non_ascii_layer (void)
{
  ImpastoVgg19MatOptions options;

  for (int variant = 0; variant < 4; variant++)
    {
      impasto_vgg19_mat_options_init_tiny (&options);
      options.with_odd_layer = true;
      options.compress = variant & 1;
      options.text_utf8 = variant & 2;
      options.seed = 40 + (uint64_t) variant;
      round_trip ("odd-layer.mat", &options);
    }
}

static void
test_newer_mean_values (void)
{
  ImpastoVgg19MatOptions options;
  ImpastoWeights *weights;
  char *path;

  /* The real file's mean, from meta.normalization.averageImage (1x1x3). */
  impasto_vgg19_mat_options_init_tiny (&options);
  path = write_net ("newer-mean.mat", &options, NULL);
  weights = load_ok (path);
  g_assert_true (weights->mean_from_file);
  g_assert_cmpfloat (weights->mean_pixel[0], ==, 123.68f);
  g_assert_cmpfloat (weights->mean_pixel[1], ==, 116.779f);
  g_assert_cmpfloat (weights->mean_pixel[2], ==, 103.939f);
  impasto_weights_free (weights);
  g_unlink (path);
  g_free (path);
}

static void
test_older (void)
{
  ImpastoVgg19MatOptions options;
  ImpastoVgg19MatNet written;
  ImpastoWeights *weights;
  char *path;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.layout = IMPASTO_VGG19_MAT_LAYOUT_OLDER;
  options.seed = 12;
  round_trip ("older.mat", &options);
  options.compress = false;
  round_trip ("older-uncompressed.mat", &options);

  /* The 224x224x3 mean image has a ripple that averages out exactly per channel. */
  options.compress = true;
  path = write_net ("older-mean.mat", &options, &written);
  weights = load_ok (path);
  g_assert_true (weights->mean_from_file);
  g_assert_cmpfloat (weights->mean_pixel[0], ==, 123.68f);
  g_assert_cmpfloat (weights->mean_pixel[1], ==, 116.779f);
  g_assert_cmpfloat (weights->mean_pixel[2], ==, 103.939f);
  impasto_weights_free (weights);
  impasto_vgg19_mat_net_clear (&written);
  g_unlink (path);
  g_free (path);
}

static void
test_mean_shapes (void)
{
  static const ImpastoVgg19MatMeanShape shapes[] = {
    IMPASTO_VGG19_MAT_MEAN_PIXEL, IMPASTO_VGG19_MAT_MEAN_VECTOR, IMPASTO_VGG19_MAT_MEAN_IMAGE,
  };
  ImpastoVgg19MatOptions options;

  for (int layout = 0; layout < 2; layout++)
    for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
      {
        char name[64];

        impasto_vgg19_mat_options_init_tiny (&options);
        options.layout = layout ? IMPASTO_VGG19_MAT_LAYOUT_OLDER : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
        options.mean_shape = shapes[k];
        options.with_fc = false;
        g_snprintf (name, sizeof name, "mean-%d-%u.mat", layout, k);
        round_trip (name, &options);
      }
}

static void
test_no_mean (void)
{
  ImpastoVgg19MatOptions options;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.with_mean = false;
  round_trip ("no-mean-newer.mat", &options);
  options.layout = IMPASTO_VGG19_MAT_LAYOUT_OLDER;
  round_trip ("no-mean-older.mat", &options);
}

static void
test_biases_and_classes (void)
{
  ImpastoVgg19MatOptions options;

  for (int layout = 0; layout < 2; layout++)
    {
      impasto_vgg19_mat_options_init_tiny (&options);
      options.layout = layout ? IMPASTO_VGG19_MAT_LAYOUT_OLDER : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
      options.biases_as_row = true;
      round_trip ("biases-row.mat", &options);
      options.biases_as_row = false;
      round_trip ("biases-column.mat", &options);
      options.as_double = true;
      round_trip ("double.mat", &options);
      options.compress = false;
      round_trip ("double-uncompressed.mat", &options);
    }
}

static void
test_fc_not_kept (void)
{
  ImpastoVgg19MatOptions options;
  ImpastoVgg19MatNet written;
  ImpastoWeights *with_fc, *without_fc;
  char *path_with, *path_without;

  /* Wide fc layers (fc6 alone is 7x7x8x512) so that keeping them would show in the size. */
  impasto_vgg19_mat_options_init_tiny (&options);
  options.fc_channels[0] = 512;
  options.fc_channels[1] = 512;
  options.fc_channels[2] = 100;
  options.seed = 5;
  path_with = write_net ("with-fc.mat", &options, &written);
  options.with_fc = false;
  path_without = write_net ("without-fc.mat", &options, NULL);

  with_fc = load_ok (path_with);
  without_fc = load_ok (path_without);
  assert_same_as_written (with_fc, &written);
  assert_same_as_written (without_fc, &written);
  g_assert_cmpuint (impasto_weights_size (with_fc), ==, conv_bytes (written.channels));
  g_assert_cmpuint (impasto_weights_size (without_fc), ==, conv_bytes (written.channels));

  impasto_weights_free (with_fc);
  impasto_weights_free (without_fc);
  impasto_vgg19_mat_net_clear (&written);
  g_unlink (path_with);
  g_unlink (path_without);
  g_free (path_with);
  g_free (path_without);

  /* NaNs in fc6, fc7 and fc8 are fine: they are never read. */
  for (int compress = 0; compress < 2; compress++)
    {
      ImpastoWeights *weights;
      char *path;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.corruption = IMPASTO_VGG19_MAT_CORRUPT_FC_NAN;
      options.compress = compress;
      path = write_net ("fc-nan.mat", &options, NULL);
      weights = load_ok (path);
      impasto_weights_free (weights);
      g_unlink (path);
      g_free (path);
    }
}

static void
test_not_a_network_file (void)
{
  char *path;

  path = tmp_path ("does-not-exist.mat");
  load_fails (path, IMPASTO_STATUS_IO, "No such file");
  g_free (path);

  load_fails (tmp_dir, IMPASTO_STATUS_IO, "folder");

  path = tmp_path ("notes.mat");
  g_assert_true (g_file_set_contents (path, "These are my notes, not a network.\n"
                                      "They go on for a while so that the file is longer than "
                                      "a MAT-file header, which is 128 bytes long........\n",
                                      -1, NULL));
  load_fails (path, IMPASTO_STATUS_MODEL, "not a MATLAB .mat file");
  g_unlink (path);
  g_free (path);

  path = tmp_path ("short-notes.mat");
  g_assert_true (g_file_set_contents (path, "hello\n", -1, NULL));
  load_fails (path, IMPASTO_STATUS_MODEL, "not a MATLAB .mat file");
  g_unlink (path);
  g_free (path);

  path = tmp_path ("empty.mat");
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  load_fails (path, IMPASTO_STATUS_MODEL, "empty");
  g_unlink (path);
  g_free (path);
}

/* Cuts @source at @length bytes into another file and expects the loader to say so. */
static void
assert_cut_refused (const char *contents, gsize length, const char *word)
{
  char *path = tmp_path ("cut.mat");

  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  load_fails (path, IMPASTO_STATUS_MODEL, word);
  g_unlink (path);
  g_free (path);
}

static void
test_truncated (void)
{
  for (int variant = 0; variant < 4; variant++)
    {
      ImpastoVgg19MatOptions options;
      char *path, *contents;
      gsize size;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.compress = variant & 1;
      if (variant & 2)
        options.layout = IMPASTO_VGG19_MAT_LAYOUT_OLDER;
      path = write_net ("whole.mat", &options, NULL);
      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
      g_assert_cmpuint (size, >, 1000);

      /* Inside the 128-byte header, then inside the first variable's tag. */
      assert_cut_refused (contents, 10, "cut short inside its header");
      assert_cut_refused (contents, 64, "cut short inside its header");
      assert_cut_refused (contents, 127, "cut short inside its header");
      assert_cut_refused (contents, 128, "no variables");
      assert_cut_refused (contents, 131, "cut short");
      assert_cut_refused (contents, 140, "cut short");
      /* 10%, 50%, 90% and the last bytes. */
      assert_cut_refused (contents, size / 10, "cut short");
      assert_cut_refused (contents, size / 2, "cut short");
      assert_cut_refused (contents, size / 10 * 9, "cut short");
      assert_cut_refused (contents, size - 1, "cut short");
      assert_cut_refused (contents, size - 4, "cut short");

      g_free (contents);
      g_unlink (path);
      g_free (path);
    }
}

typedef struct
{
  ImpastoVgg19MatCorruption corruption;
  int index;
  const char *words[2]; /* both must be in the message */
} Corruption;

static void
test_corruptions (void)
{
  static const Corruption cases[] = {
    { IMPASTO_VGG19_MAT_CORRUPT_NO_LAYERS, 0, { "no `layers`", "MatConvNet" } },
    { IMPASTO_VGG19_MAT_CORRUPT_LAYERS_NOT_CELL, 0, { "`layers`", "not a cell" } },
    { IMPASTO_VGG19_MAT_CORRUPT_FILTER_5X5, 5, { "conv3_2", "5×5 filter; VGG19 uses 3×3" } },
    { IMPASTO_VGG19_MAT_CORRUPT_FILTER_5X5, 0, { "conv1_1", "5×5" } },
    { IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN, 2, { "conv2_1", "do not chain" } },
    { IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN, 0, { "conv1_1", "3 (RGB)" } },
    { IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN, 15, { "conv5_4", "do not chain" } },
    { IMPASTO_VGG19_MAT_CORRUPT_MISSING_CONV, 10, { "conv4_3", "missing" } },
    { IMPASTO_VGG19_MAT_CORRUPT_MISSING_CONV, 0, { "conv1_1", "missing" } },
    { IMPASTO_VGG19_MAT_CORRUPT_DUPLICATE_CONV, 3, { "conv2_2", "twice" } },
    { IMPASTO_VGG19_MAT_CORRUPT_NAN_WEIGHT, 7, { "conv3_4", "NaN" } },
    { IMPASTO_VGG19_MAT_CORRUPT_INF_BIAS, 12, { "conv5_1", "infinite" } },
    { IMPASTO_VGG19_MAT_CORRUPT_BIAS_LENGTH, 4, { "conv3_1", "biases" } },
    { IMPASTO_VGG19_MAT_CORRUPT_FILTERS_CHAR, 1, { "conv1_2", "char" } },
    { IMPASTO_VGG19_MAT_CORRUPT_NO_FILTERS, 9, { "conv4_2", "no filters" } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    for (int variant = 0; variant < 4; variant++)
      {
        ImpastoVgg19MatOptions options;
        char *path;

        impasto_vgg19_mat_options_init_tiny (&options);
        options.corruption = cases[k].corruption;
        options.corrupt_index = cases[k].index;
        options.compress = variant & 1;
        options.layout = (variant & 2) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                       : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
        options.as_double = k % 2;
        path = write_net ("corrupt.mat", &options, NULL);
        load_fails (path, IMPASTO_STATUS_MODEL, cases[k].words[0]);
        load_fails (path, IMPASTO_STATUS_MODEL, cases[k].words[1]);
        g_unlink (path);
        g_free (path);
      }
}

/* Random arrays in the engine layout for impasto_weights_new(). */
static void
make_arrays (const int *channels, float **filters, float **biases)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      size_t nf = 9 * (size_t) channels[i] * (size_t) channels[i + 1];

      filters[i] = g_new (float, nf);
      biases[i] = g_new (float, channels[i + 1]);
      for (size_t k = 0; k < nf; k++)
        filters[i][k] = (float) g_test_rand_double_range (-1, 1);
      for (int k = 0; k < channels[i + 1]; k++)
        biases[i][k] = (float) g_test_rand_double_range (-0.1, 0.1);
    }
}

static void
free_arrays (float **filters, float **biases)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      g_free (filters[i]);
      g_free (biases[i]);
    }
}

static void
new_fails (const int *channels, float **filters, float **biases, const char *word)
{
  ImpastoWeights *weights = (ImpastoWeights *) &weights;
  ImpastoEngineError error = { 0 };
  ImpastoStatus status = impasto_weights_new (&weights, channels,
                                              (const float *const *) filters,
                                              (const float *const *) biases, NULL, &error);

  g_test_message ("%s", error.message);
  g_assert_cmpint (status, ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_null (weights);
  if (strstr (error.message, word) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", error.message, word);
}

static void
test_new (void)
{
  ImpastoVgg19MatOptions options;
  float *filters[N_CONVS], *biases[N_CONVS];
  const float mean[3] = { 1.5f, 2.5f, 3.5f };
  ImpastoWeights *weights = NULL;
  ImpastoVgg19MatNet expected = { 0 };
  ImpastoEngineError error = { 0 };
  int channels[N_CONVS + 1];

  impasto_weights_free (NULL);
  g_assert_cmpuint (impasto_weights_size (NULL), ==, 0);

  impasto_vgg19_mat_options_init_tiny (&options);
  memcpy (channels, options.channels, sizeof channels);
  make_arrays (channels, filters, biases);

  /* Copies, default mean. */
  g_assert_cmpint (impasto_weights_new (&weights, channels, (const float *const *) filters,
                                        (const float *const *) biases, NULL, &error),
                   ==, IMPASTO_STATUS_OK);
  memcpy (expected.channels, channels, sizeof channels);
  for (int i = 0; i < N_CONVS; i++)
    {
      expected.filters[i] = filters[i];
      expected.biases[i] = biases[i];
      g_assert_true (weights->convs[i].filters != filters[i]);
    }
  assert_same_as_written (weights, &expected);
  g_assert_false (weights->mean_from_file);
  g_assert_cmpfloat (weights->mean_pixel[0], ==, IMPASTO_DEFAULT_MEAN_R);
  g_assert_cmpfloat (weights->mean_pixel[2], ==, IMPASTO_DEFAULT_MEAN_B);
  g_assert_null (weights->source_path);
  g_assert_cmpuint (impasto_weights_size (weights), ==, conv_bytes (channels));
  g_assert_cmpint (impasto_weights_validate (weights, NULL, &error), ==, IMPASTO_STATUS_OK);

  /* validate() catches a hand-broken chain and a NaN. */
  weights->convs[6].in_channels += 1;
  g_assert_cmpint (impasto_weights_validate (weights, "mine", &error),
                   ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "mine: layer conv3_3"));
  g_assert_nonnull (strstr (error.message, "do not chain"));
  weights->convs[6].in_channels -= 1;
  weights->convs[3].biases[0] = NAN;
  g_assert_cmpint (impasto_weights_validate (weights, "mine", &error),
                   ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "conv2_2 has a bias that is NaN"));
  impasto_weights_free (weights);

  /* A given mean is copied. */
  g_assert_cmpint (impasto_weights_new (&weights, channels, (const float *const *) filters,
                                        (const float *const *) biases, mean, &error),
                   ==, IMPASTO_STATUS_OK);
  g_assert_true (weights->mean_from_file);
  g_assert_cmpmem (weights->mean_pixel, sizeof mean, mean, sizeof mean);
  impasto_weights_free (weights);

  /* Failures. */
  channels[0] = 1;
  new_fails (channels, filters, biases, "conv1_1 takes 1 input channels; VGG19 starts from 3");
  channels[0] = 3;
  channels[5] = 0;
  new_fails (channels, filters, biases, "channel count 5 is 0");
  channels[5] = options.channels[5];
  filters[8][17] = NAN;
  new_fails (channels, filters, biases, "conv4_1 has a weight that is NaN");
  filters[8][17] = INFINITY;
  new_fails (channels, filters, biases, "conv4_1 has a weight that is infinite");
  filters[8][17] = 0;
  biases[15][2] = -INFINITY;
  new_fails (channels, filters, biases, "conv5_4 has a bias that is infinite");
  biases[15][2] = 0;
  {
    float *saved = filters[4];

    filters[4] = NULL;
    new_fails (channels, filters, biases, "conv3_1 has no filters");
    filters[4] = saved;
  }
  g_assert_cmpint (impasto_weights_new (&weights, channels, (const float *const *) filters,
                                        (const float *const *) biases, NULL, NULL),
                   ==, IMPASTO_STATUS_OK);
  impasto_weights_free (weights);

  free_arrays (filters, biases);
}

/* The orientation pin: a single 1 at MATLAB (i, j, c) of conv1_1 and the expected shift. */
static void
check_orientation (int ti, int tj, int tc)
{
  enum { H = 5, W = 6 };
  ImpastoVgg19MatOptions options;
  float *matlab[N_CONVS], *biases[N_CONVS];
  float input[3 * H * W], output[H * W];
  ImpastoConvDims dims = { 3, 1, H, W };
  ImpastoWeights *weights;
  char error[512] = "";
  char *path;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.channels[0] = 3;
  for (int i = 1; i <= N_CONVS; i++)
    options.channels[i] = 1;
  options.with_fc = false;

  for (int i = 0; i < N_CONVS; i++)
    {
      int cin = options.channels[i];

      matlab[i] = g_new0 (float, 9 * cin);
      biases[i] = g_new0 (float, 1);
      matlab[i][1 + 3 * 1] = 1.0f; /* the centre tap of channel 0: an identity */
    }
  /* conv1_1: MATLAB 3x3x3x1 column-major, element (i, j, c, k = 0) at i + 3j + 9c. */
  memset (matlab[0], 0, 27 * sizeof (float));
  matlab[0][ti + 3 * tj + 9 * tc] = 1.0f;

  path = tmp_path ("orientation.mat");
  if (!impasto_vgg19_mat_write_matlab (path, &options, (const float *const *) matlab,
                                       (const float *const *) biases, error, sizeof error))
    g_error ("cannot write %s: %s", path, error);
  weights = load_ok (path);

  /* In the engine layout the 1 sits at [co = 0][ci = c][ky = i][kx = j]. */
  for (int k = 0; k < 27; k++)
    g_assert_cmpfloat (weights->convs[0].filters[k], ==, k == (tc * 3 + ti) * 3 + tj ? 1.0f : 0.0f);

  /* Each input value says where it is: 100 c + 10 y + x + 1 (0 is left for the padding). */
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        input[(c * H + y) * W + x] = (float) (100 * c + 10 * y + x + 1);
  impasto_conv2d_forward_naive (output, input, weights->convs[0].filters, weights->convs[0].biases,
                                &dims);

  /* The tap at MATLAB (i, j) reads row y + i - 1 and column x + j - 1 of channel c. */
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        int sy = y + ti - 1, sx = x + tj - 1;
        float want = (sy < 0 || sy >= H || sx < 0 || sx >= W)
                       ? 0.0f : (float) (100 * tc + 10 * sy + sx + 1);

        g_assert_cmpfloat (output[y * W + x], ==, want);
      }
  /* Spelled out for the first case: the top-middle tap moves the picture down one row. */
  if (ti == 0 && tj == 1 && tc == 0)
    {
      g_assert_cmpfloat (output[0 * W + 2], ==, 0.0f);
      g_assert_cmpfloat (output[1 * W + 2], ==, 3.0f);  /* input row 0, column 2 */
      g_assert_cmpfloat (output[4 * W + 5], ==, 36.0f); /* input row 3, column 5 */
    }
  if (ti == 1 && tj == 0 && tc == 0)
    {
      g_assert_cmpfloat (output[2 * W + 0], ==, 0.0f);
      g_assert_cmpfloat (output[2 * W + 1], ==, 21.0f); /* input row 2, column 0 */
    }

  impasto_weights_free (weights);
  for (int i = 0; i < N_CONVS; i++)
    {
      g_free (matlab[i]);
      g_free (biases[i]);
    }
  g_unlink (path);
  g_free (path);
}

static void
test_orientation (void)
{
  check_orientation (0, 1, 0); /* top row, middle column */
  check_orientation (1, 0, 0); /* middle row, left column */
  check_orientation (2, 2, 2); /* bottom right, blue */
  check_orientation (0, 2, 1); /* top right, green */
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("impasto-test-weights-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/weights/newer", test_newer);
  g_test_add_func ("/weights/non-ascii-layer", test_non_ascii_layer);
  g_test_add_func ("/weights/newer-mean-values", test_newer_mean_values);
  g_test_add_func ("/weights/older", test_older);
  g_test_add_func ("/weights/mean-shapes", test_mean_shapes);
  g_test_add_func ("/weights/no-mean", test_no_mean);
  g_test_add_func ("/weights/biases-and-double", test_biases_and_classes);
  g_test_add_func ("/weights/fc-not-kept", test_fc_not_kept);
  g_test_add_func ("/weights/not-a-network-file", test_not_a_network_file);
  g_test_add_func ("/weights/truncated", test_truncated);
  g_test_add_func ("/weights/corruptions", test_corruptions);
  g_test_add_func ("/weights/new", test_new);
  g_test_add_func ("/weights/orientation", test_orientation);

  ret = g_test_run ();

  /* Every test removes its own files; the folder must be empty now. */
  if (g_rmdir (tmp_dir) != 0)
    g_warning ("cannot remove %s: %s", tmp_dir, g_strerror (errno));
  g_free (tmp_dir);
  return ret;
}
