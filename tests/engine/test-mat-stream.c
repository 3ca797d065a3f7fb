/* test-mat-stream.c
 *
 * The model's .mat reader (impasto-mat-reader.c) against the matio reader, through
 * impasto_weights_load_with_reader (FAST / MATIO / AUTO), on tiny networks:
 *
 * - Every layout and option tools/impasto-vgg19-mat.c writes (newer and older layout, compressed
 *   or not, UTF-16 or UTF-8 text, Coutx1 or 1xCout biases, single or double, the mean as 1x1x3,
 *   1x3, HxWx3 or absent, with and without fc layers, a non-ASCII layer): the fast reader takes
 *   the file (it does not decline) and its weights equal matio's and AUTO's bit for bit, and the
 *   writer's values.
 * - MATLAB's own storage habits, which matio's writer does not produce: a hand-built file in
 *   which pad, stride, dilate and size are doubles stored as uint8 in small data elements, with
 *   logical and empty-cell fields, biases of one value in a small element, 3x3x3 and 3x3
 *   filters (Cout = 1, Cin = Cout = 1). Fast and matio agree there too.
 * - Every corruption the writer makes: AUTO gives matio's refusal, message and all, and FAST
 *   declines (for a NaN, an infinity or broken chaining, with matio's very words about the
 *   weights it read); conv5_4 repeated right after itself is noticed although the fast reader
 *   stops after conv5_4.
 * - fc6 is never inflated: with bytes of fc6's compressed data destroyed, the fast reader still
 *   returns the intact weights (matio's path refuses the file).
 * - Truncations at many offsets and random byte changes: never a crash, never weights that
 *   differ from matio's, and where the fast reader takes a file matio refuses, its weights are
 *   the intact file's (the damage lay in bytes it does not read).
 * - Hand-built hostile files, given to the streaming reader directly: sizes that claim hundreds
 *   of megabytes, a cell of a billion elements, a field-name length of 0, a cut zlib stream:
 *   declined without allocating what they claim.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

#include "impasto-mat-reader.h"
#include "impasto-vgg19-mat.h"
#include "impasto-weights.h"

#define N_CONVS IMPASTO_VGG19_N_CONVS

G_STATIC_ASSERT (IMPASTO_VGG19_MAT_N_CONVS == IMPASTO_VGG19_N_CONVS);

static char *tmp_dir;

/* One load's result. */
typedef struct
{
  ImpastoStatus status;
  ImpastoEngineError error;
  ImpastoWeights *weights;
} Outcome;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
write_net (const char *name, const ImpastoVgg19MatOptions *options, ImpastoVgg19MatNet *written)
{
  char *path = tmp_path (name);
  char error[512] = "";

  if (!impasto_vgg19_mat_write (path, options, written, error, sizeof error))
    g_error ("cannot write %s: %s", path, error);
  return path;
}

static Outcome
load_with (const char *path, ImpastoWeightsReader reader)
{
  Outcome outcome = { 0 };

  outcome.status = impasto_weights_load_with_reader (&outcome.weights, path, reader,
                                                     &outcome.error);
  if (outcome.status == IMPASTO_STATUS_OK)
    g_assert_nonnull (outcome.weights);
  else
    {
      g_assert_null (outcome.weights);
      g_assert_cmpint (outcome.error.status, ==, outcome.status);
      g_assert_cmpuint (strlen (outcome.error.message), >, 0);
    }
  return outcome;
}

static void
outcome_clear (Outcome *outcome)
{
  impasto_weights_free (outcome->weights);
  memset (outcome, 0, sizeof *outcome);
}

/* Bit for bit: shapes, filters, biases, mean and where the mean came from. */
static gboolean
weights_equal (const ImpastoWeights *a, const ImpastoWeights *b)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      const ImpastoConvWeights *x = &a->convs[i], *y = &b->convs[i];
      size_t n;

      if (x->in_channels != y->in_channels || x->out_channels != y->out_channels)
        return FALSE;
      n = 9 * (size_t) x->in_channels * (size_t) x->out_channels;
      if (memcmp (x->filters, y->filters, n * sizeof (float)) != 0
          || memcmp (x->biases, y->biases, (size_t) x->out_channels * sizeof (float)) != 0)
        return FALSE;
    }
  return memcmp (a->mean_pixel, b->mean_pixel, sizeof a->mean_pixel) == 0
         && a->mean_from_file == b->mean_from_file;
}

static void
assert_same_as_written (const ImpastoWeights *weights, const ImpastoVgg19MatNet *written)
{
  for (int i = 0; i < N_CONVS; i++)
    {
      size_t cin = (size_t) written->channels[i];
      size_t cout = (size_t) written->channels[i + 1];

      g_assert_cmpint (weights->convs[i].in_channels, ==, written->channels[i]);
      g_assert_cmpint (weights->convs[i].out_channels, ==, written->channels[i + 1]);
      g_assert_cmpmem (weights->convs[i].filters, 9 * cin * cout * sizeof (float),
                       written->filters[i], 9 * cin * cout * sizeof (float));
      g_assert_cmpmem (weights->convs[i].biases, cout * sizeof (float),
                       written->biases[i], cout * sizeof (float));
    }
  if (written->has_mean)
    {
      g_assert_true (weights->mean_from_file);
      g_assert_cmpmem (weights->mean_pixel, sizeof weights->mean_pixel,
                       written->mean_pixel, sizeof written->mean_pixel);
    }
  else
    {
      g_assert_false (weights->mean_from_file);
      g_assert_cmpfloat (weights->mean_pixel[0], ==, IMPASTO_DEFAULT_MEAN_R);
      g_assert_cmpfloat (weights->mean_pixel[1], ==, IMPASTO_DEFAULT_MEAN_G);
      g_assert_cmpfloat (weights->mean_pixel[2], ==, IMPASTO_DEFAULT_MEAN_B);
    }
}

/* The fast reader takes @path, and FAST, MATIO and AUTO give the same bits. Returns FAST's
 * weights (free them). */
static ImpastoWeights *
assert_fast_taken (const char *path)
{
  Outcome fast = load_with (path, IMPASTO_WEIGHTS_READER_FAST);
  Outcome matio = load_with (path, IMPASTO_WEIGHTS_READER_MATIO);
  Outcome automatic = load_with (path, IMPASTO_WEIGHTS_READER_AUTO);
  ImpastoWeights *weights;

  if (fast.status != IMPASTO_STATUS_OK)
    g_error ("the fast reader did not take %s: %s", path, fast.error.message);
  if (matio.status != IMPASTO_STATUS_OK)
    g_error ("matio did not take %s: %s", path, matio.error.message);
  g_assert_cmpint (automatic.status, ==, IMPASTO_STATUS_OK);
  g_assert_true (weights_equal (fast.weights, matio.weights));
  g_assert_true (weights_equal (automatic.weights, matio.weights));
  g_assert_cmpstr (fast.weights->source_path, ==, path);
  g_assert_cmpstr (automatic.weights->source_path, ==, path);
  g_assert_cmpuint (impasto_weights_size (fast.weights), ==, impasto_weights_size (matio.weights));

  weights = fast.weights;
  fast.weights = NULL;
  outcome_clear (&matio);
  outcome_clear (&automatic);
  return weights;
}

/* Writes @options, checks that the fast reader takes the file and reads the writer's values. */
static void
round_trip (const char *name, const ImpastoVgg19MatOptions *options)
{
  ImpastoVgg19MatNet written;
  char *path = write_net (name, options, &written);
  ImpastoWeights *weights = assert_fast_taken (path);

  assert_same_as_written (weights, &written);
  impasto_weights_free (weights);
  impasto_vgg19_mat_net_clear (&written);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_free (path);
}

static void
test_layouts (void)
{
  for (int variant = 0; variant < 64; variant++)
    {
      ImpastoVgg19MatOptions options;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.layout = (variant & 1) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                     : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
      options.compress = variant & 2;
      options.text_utf8 = variant & 4;
      options.biases_as_row = variant & 8;
      options.as_double = variant & 16;
      options.with_fc = !(variant & 32);
      options.seed = 100 + (uint64_t) variant;
      round_trip ("layout.mat", &options);
    }
}

static void
test_means (void)
{
  static const ImpastoVgg19MatMeanShape shapes[] = {
    IMPASTO_VGG19_MAT_MEAN_AUTO, IMPASTO_VGG19_MAT_MEAN_PIXEL, IMPASTO_VGG19_MAT_MEAN_VECTOR,
    IMPASTO_VGG19_MAT_MEAN_IMAGE,
  };

  for (int variant = 0; variant < 8; variant++)
    for (guint k = 0; k <= G_N_ELEMENTS (shapes); k++)
      {
        ImpastoVgg19MatOptions options;

        impasto_vgg19_mat_options_init_tiny (&options);
        options.layout = (variant & 1) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                       : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
        options.compress = variant & 2;
        options.as_double = variant & 4;
        options.with_fc = FALSE;
        if (k == G_N_ELEMENTS (shapes))
          options.with_mean = FALSE; /* the ImageNet default, mean_from_file false */
        else
          options.mean_shape = shapes[k];
        round_trip ("mean.mat", &options);
      }
}

/* A layer whose type and name are not ASCII (matio reads such files twice): skipped alike. */
static void
test_odd_layer (void)
{
  for (int variant = 0; variant < 8; variant++)
    {
      ImpastoVgg19MatOptions options;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.with_odd_layer = TRUE;
      options.compress = variant & 1;
      options.text_utf8 = variant & 2;
      options.layout = (variant & 4) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                     : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
      options.seed = 200 + (uint64_t) variant;
      round_trip ("odd.mat", &options);
    }
}

/* 3 -> 1 -> 1 ... channels: MATLAB squeezes the filters to 3x3x3 and 3x3, and a single bias
 * fits in a small data element. Hand-made MATLAB-order values check the layout as well. */
static void
test_squeezed (void)
{
  for (int variant = 0; variant < 4; variant++)
    {
      ImpastoVgg19MatOptions options;
      float *matlab[N_CONVS], *biases[N_CONVS];
      ImpastoWeights *weights;
      char error[512] = "";
      char *path = tmp_path ("squeezed.mat");

      impasto_vgg19_mat_options_init_tiny (&options);
      options.channels[0] = 3;
      for (int i = 1; i <= N_CONVS; i++)
        options.channels[i] = 1;
      options.compress = variant & 1;
      options.as_double = variant & 2;
      for (int i = 0; i < N_CONVS; i++)
        {
          int cin = options.channels[i];

          matlab[i] = g_new (float, 9 * cin);
          biases[i] = g_new (float, 1);
          for (int k = 0; k < 9 * cin; k++)
            matlab[i][k] = (float) (100 * i + k) / 64.0f;
          biases[i][0] = (float) i / 8.0f;
        }
      if (!impasto_vgg19_mat_write_matlab (path, &options, (const float *const *) matlab,
                                           (const float *const *) biases, error, sizeof error))
        g_error ("cannot write %s: %s", path, error);
      weights = assert_fast_taken (path);

      /* MATLAB (i, j, c) at i + 3j + 9c is engine [c][i][j]. */
      for (int c = 0; c < 3; c++)
        for (int i = 0; i < 3; i++)
          for (int j = 0; j < 3; j++)
            g_assert_cmpfloat (weights->convs[0].filters[(c * 3 + i) * 3 + j], ==,
                               matlab[0][i + 3 * j + 9 * c]);
      g_assert_cmpfloat (weights->convs[15].biases[0], ==, 15.0f / 8.0f);

      impasto_weights_free (weights);
      for (int i = 0; i < N_CONVS; i++)
        {
          g_free (matlab[i]);
          g_free (biases[i]);
        }
      g_unlink (path);
      g_free (path);
    }
}

/* @path is refused: AUTO gives matio's refusal word for word, and FAST either declines or gives
 * that same refusal (the first check of the file's tags is common to both). With @validation,
 * FAST read the weights and found the very fault matio reports. Returns TRUE when FAST
 * declined. */
static gboolean
assert_same_refusal (const char *path, gboolean validation)
{
  Outcome matio = load_with (path, IMPASTO_WEIGHTS_READER_MATIO);
  Outcome automatic = load_with (path, IMPASTO_WEIGHTS_READER_AUTO);
  Outcome fast = load_with (path, IMPASTO_WEIGHTS_READER_FAST);
  gboolean declined = fast.status == IMPASTO_WEIGHTS_DECLINED;

  g_test_message ("matio: %s | fast: %s", matio.error.message, fast.error.message);
  g_assert_cmpint (matio.status, !=, IMPASTO_STATUS_OK);
  g_assert_cmpint (automatic.status, ==, matio.status);
  g_assert_cmpstr (automatic.error.message, ==, matio.error.message);
  if (!declined)
    {
      g_assert_cmpint (fast.status, ==, matio.status);
      g_assert_cmpstr (fast.error.message, ==, matio.error.message);
    }
  else
    g_assert_nonnull (strstr (fast.error.message, path));
  if (validation)
    {
      g_assert_true (declined);
      g_assert_nonnull (strstr (fast.error.message, matio.error.message));
    }
  outcome_clear (&matio);
  outcome_clear (&automatic);
  outcome_clear (&fast);
  return declined;
}

static void
test_corruptions (void)
{
  static const struct
  {
    ImpastoVgg19MatCorruption corruption;
    int index;
    gboolean validation; /* found by impasto_weights_validate() in weights both readers read */
  } cases[] = {
    { IMPASTO_VGG19_MAT_CORRUPT_NO_LAYERS, 0, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_LAYERS_NOT_CELL, 0, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_FILTER_5X5, 5, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_FILTER_5X5, 15, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN, 0, TRUE },
    { IMPASTO_VGG19_MAT_CORRUPT_BROKEN_CHAIN, 15, TRUE },
    { IMPASTO_VGG19_MAT_CORRUPT_MISSING_CONV, 10, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_MISSING_CONV, 15, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_DUPLICATE_CONV, 3, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_DUPLICATE_CONV, 15, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_NAN_WEIGHT, 7, TRUE },
    { IMPASTO_VGG19_MAT_CORRUPT_INF_BIAS, 12, TRUE },
    { IMPASTO_VGG19_MAT_CORRUPT_BIAS_LENGTH, 4, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_FILTERS_CHAR, 1, FALSE },
    { IMPASTO_VGG19_MAT_CORRUPT_NO_FILTERS, 9, FALSE },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    for (int variant = 0; variant < 8; variant++)
      {
        ImpastoVgg19MatOptions options;
        char *path;

        impasto_vgg19_mat_options_init_tiny (&options);
        options.corruption = cases[k].corruption;
        options.corrupt_index = cases[k].index;
        options.compress = variant & 1;
        options.layout = (variant & 2) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                       : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
        options.as_double = variant & 4;
        path = write_net ("corrupt.mat", &options, NULL);
        assert_same_refusal (path, cases[k].validation);
        g_unlink (path);
        g_free (path);
      }

  /* NaNs in fc6 ... fc8 are read by neither reader. */
  for (int compress = 0; compress < 2; compress++)
    {
      ImpastoVgg19MatOptions options;
      char *path;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.corruption = IMPASTO_VGG19_MAT_CORRUPT_FC_NAN;
      options.compress = compress;
      path = write_net ("fc-nan.mat", &options, NULL);
      impasto_weights_free (assert_fast_taken (path));
      g_unlink (path);
      g_free (path);
    }
}

/* An fc6 of 3 MB, compressed: destroying bytes in its middle leaves the fast reader's weights
 * intact, because it stops before fc6's weights and skips `layers` by its byte count. */
static void
test_fc6_not_inflated (void)
{
  ImpastoVgg19MatOptions options;
  ImpastoVgg19MatNet written;
  ImpastoWeights *intact;
  Outcome fast, matio;
  char *path, *contents;
  gsize size;

  impasto_vgg19_mat_options_init_tiny (&options);
  options.fc_channels[0] = 2048; /* 7x7x8x2048 single: 3.2 MB */
  options.fc_channels[1] = 16;
  options.seed = 77;
  path = write_net ("big-fc6.mat", &options, &written);
  intact = assert_fast_taken (path);
  assert_same_as_written (intact, &written);

  /* `layers` is nearly all fc6: the file's middle lies in fc6's compressed weights. */
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 3000000);
  memset (contents + size / 2, 0x5a, 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) size, NULL));

  fast = load_with (path, IMPASTO_WEIGHTS_READER_FAST);
  g_assert_cmpint (fast.status, ==, IMPASTO_STATUS_OK);
  g_assert_true (weights_equal (fast.weights, intact));
  matio = load_with (path, IMPASTO_WEIGHTS_READER_MATIO);
  g_test_message ("matio: %s", matio.status == IMPASTO_STATUS_OK ? "took it" : matio.error.message);
  g_assert_cmpint (matio.status, ==, IMPASTO_STATUS_MODEL);

  outcome_clear (&fast);
  outcome_clear (&matio);
  impasto_weights_free (intact);
  impasto_vgg19_mat_net_clear (&written);
  g_free (contents);
  g_unlink (path);
  g_free (path);
}

/* Writes @size bytes of @contents to @path. */
static void
put_file (const char *path, const char *contents, gsize size)
{
  GError *error = NULL;

  g_file_set_contents (path, contents, (gssize) size, &error);
  g_assert_no_error (error);
}

static void
test_truncations (void)
{
  for (int variant = 0; variant < 4; variant++)
    {
      ImpastoVgg19MatOptions options;
      char *path, *cut_path, *contents;
      gsize size;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.compress = variant & 1;
      options.layout = (variant & 2) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                     : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
      path = write_net ("whole.mat", &options, NULL);
      cut_path = tmp_path ("cut.mat");
      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));

      for (int k = 0; k <= 120; k++)
        {
          /* The header and the first tags byte by byte, then evenly, then the last bytes. */
          gsize cut = k < 40 ? (gsize) (100 + k) : k < 100 ? size / 60 * (gsize) (k - 40)
                                                           : size - (gsize) (k - 99);

          if (cut >= size)
            continue;
          put_file (cut_path, contents, cut);
          assert_same_refusal (cut_path, FALSE);
        }

      g_free (contents);
      g_unlink (cut_path);
      g_unlink (path);
      g_free (cut_path);
      g_free (path);
    }
}

/* Random byte changes. Whatever FAST returns is either a decline, matio's refusal, matio's very
 * weights, or (where matio refuses because of damage the fast reader never reads) the intact
 * file's weights. */
static void
test_byte_changes (void)
{
  int n_taken = 0, n_declined = 0, n_refused = 0, n_beyond = 0, n_total = 0;

  for (int variant = 0; variant < 8; variant++)
    {
      ImpastoVgg19MatOptions options;
      ImpastoWeights *intact;
      char *path, *changed_path, *contents;
      GRand *rand = g_rand_new_with_seed (4242 + (guint32) variant);
      gsize size;

      impasto_vgg19_mat_options_init_tiny (&options);
      options.compress = variant & 1;
      options.layout = (variant & 2) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                     : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
      options.as_double = variant & 4;
      /* The older layout's 224x224x3 mean image would take most of the changes. */
      options.mean_shape = IMPASTO_VGG19_MAT_MEAN_PIXEL;
      path = write_net ("intact.mat", &options, NULL);
      intact = assert_fast_taken (path);
      changed_path = tmp_path ("changed.mat");
      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));

      for (int k = 0; k < 400; k++)
        {
          char *changed = g_memdup2 (contents, size);
          /* Most are single changes, whose effect on the weights the test can predict. */
          int n_changes = k < 300 ? 1 : 1 + g_rand_int_range (rand, 1, 5);
          Outcome fast, matio, automatic;
          gsize last_at = 0;

          /* Mostly inside the data, sometimes in the header and tags. */
          for (int c = 0; c < n_changes; c++)
            {
              gsize at = (gsize) g_rand_int_range (rand, k % 5 == 0 ? 120 : 128, (gint32) size);

              changed[at] ^= (char) g_rand_int_range (rand, 1, 256);
              last_at = at;
            }
          put_file (changed_path, changed, size);

          fast = load_with (changed_path, IMPASTO_WEIGHTS_READER_FAST);
          matio = load_with (changed_path, IMPASTO_WEIGHTS_READER_MATIO);
          automatic = load_with (changed_path, IMPASTO_WEIGHTS_READER_AUTO);
          n_total++;
          if (fast.status == IMPASTO_STATUS_OK)
            {
              g_assert_cmpint (automatic.status, ==, IMPASTO_STATUS_OK);
              g_assert_true (weights_equal (automatic.weights, fast.weights));
              if (matio.status == IMPASTO_STATUS_OK)
                {
                  g_assert_true (weights_equal (fast.weights, matio.weights));
                  n_taken++;
                }
              else
                {
                  /* Damage where the fast reader does not read. */
                  g_test_message ("fast took a file matio refuses (%s)", matio.error.message);
                  /* With several changes, one may be in a weight and another where only matio
                   * reads: then the fast reader rightly reads the changed weight. */
                  if (n_changes == 1 && !weights_equal (fast.weights, intact))
                    g_error ("a change at byte %zu of %zu (variant %d): the fast reader took "
                             "weights that are neither matio's nor the intact file's", last_at,
                             size, variant);
                  n_beyond++;
                }
            }
          else if (fast.status == IMPASTO_WEIGHTS_DECLINED)
            {
              /* AUTO is the matio reader then. */
              g_assert_cmpint (automatic.status, ==, matio.status);
              if (matio.status == IMPASTO_STATUS_OK)
                g_assert_true (weights_equal (automatic.weights, matio.weights));
              else
                g_assert_cmpstr (automatic.error.message, ==, matio.error.message);
              n_declined++;
            }
          else
            {
              g_assert_cmpint (fast.status, ==, matio.status);
              g_assert_cmpstr (fast.error.message, ==, matio.error.message);
              g_assert_cmpstr (automatic.error.message, ==, matio.error.message);
              n_refused++;
            }
          outcome_clear (&fast);
          outcome_clear (&matio);
          outcome_clear (&automatic);
          g_free (changed);
        }

      impasto_weights_free (intact);
      g_rand_free (rand);
      g_free (contents);
      g_unlink (changed_path);
      g_unlink (path);
      g_free (changed_path);
      g_free (path);
    }
  g_test_message ("%d changed files: fast took %d as matio did, declined %d, refused %d as "
                  "matio did, took %d that matio refuses", n_total, n_taken,
                  n_declined, n_refused, n_beyond);
  g_assert_cmpint (n_taken + n_declined + n_refused + n_beyond, ==, n_total);
}

/* A small MAT v5 writer for files matio's writer does not make: MATLAB's storage habits and
 * hostile sizes. Each function returns one whole miMATRIX element. */

enum
{
  MI_INT8 = 1, MI_UINT8 = 2, MI_INT32 = 5, MI_UINT32 = 6, MI_SINGLE = 7, MI_UINT16 = 4,
  MI_MATRIX = 14, MI_COMPRESSED = 15,
};
enum { MX_CELL = 1, MX_STRUCT = 2, MX_CHAR = 4, MX_DOUBLE = 6, MX_SINGLE = 7, MX_UINT8 = 9 };

static void
put_u32 (GByteArray *out, guint32 value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, bytes, 4);
}

/* A data element: the small format when @n <= 4 and @small_ok, else a tag, the data, padding. */
static void
put_element (GByteArray *out, guint32 type, const void *data, gsize n, gboolean small_ok)
{
  static const guint8 zeros[8] = { 0 };

  if (small_ok && n <= 4 && n > 0)
    {
      put_u32 (out, (guint32) n << 16 | type);
      g_byte_array_append (out, data, (guint) n);
      g_byte_array_append (out, zeros, (guint) (4 - n));
      return;
    }
  put_u32 (out, type);
  put_u32 (out, (guint32) n);
  if (n > 0)
    g_byte_array_append (out, data, (guint) n);
  g_byte_array_append (out, zeros, (guint) ((8 - n % 8) % 8));
}

/* Flags, dimensions and name of an array, into a fresh body. */
static GByteArray *
array_begin (int class_id, guint32 extra_flags, int rank, const guint32 *dims, const char *name)
{
  GByteArray *body = g_byte_array_new ();
  guint32 flags[2] = { (guint32) class_id | extra_flags, 0 };
  gint32 d[8];

  for (int i = 0; i < rank; i++)
    d[i] = (gint32) dims[i];
  put_element (body, MI_UINT32, flags, 8, FALSE);
  put_element (body, MI_INT32, d, (gsize) rank * 4, FALSE);
  put_element (body, MI_INT8, name, strlen (name), TRUE);
  return body;
}

/* Wraps @body (consumed) in its miMATRIX tag; @claim overrides the byte count when not 0. */
static GByteArray *
array_end (GByteArray *body, guint32 claim)
{
  GByteArray *out = g_byte_array_new ();

  put_u32 (out, MI_MATRIX);
  put_u32 (out, claim ? claim : body->len);
  g_byte_array_append (out, body->data, body->len);
  g_byte_array_unref (body);
  return out;
}

/* Appends @element (consumed). */
static void
append (GByteArray *body, GByteArray *element)
{
  g_byte_array_append (body, element->data, element->len);
  g_byte_array_unref (element);
}

static GByteArray *
mat_numeric (int class_id, guint32 storage, int rank, const guint32 *dims, const void *data,
             gsize nbytes, const char *name)
{
  GByteArray *body = array_begin (class_id, 0, rank, dims, name);

  put_element (body, storage, data, nbytes, TRUE);
  return array_end (body, 0);
}

/* A double array of small whole numbers stored as uint8, as MATLAB saves one. */
static GByteArray *
mat_double_u8 (guint32 rows, guint32 cols, const guint8 *values)
{
  guint32 dims[2] = { rows, cols };

  return mat_numeric (MX_DOUBLE, MI_UINT8, 2, dims, values, rows * cols, "");
}

static GByteArray *
mat_text (const char *text)
{
  guint32 dims[2] = { 1, (guint32) strlen (text) };
  guint16 units[64];

  for (gsize i = 0; i < strlen (text); i++)
    units[i] = (guint8) text[i];
  return mat_numeric (MX_CHAR, MI_UINT16, 2, dims, units, strlen (text) * 2, "");
}

static GByteArray *
mat_empty_cell (void)
{
  guint32 dims[2] = { 0, 0 };

  return array_end (array_begin (MX_CELL, 0, 2, dims, ""), 0);
}

/* A 1xN cell of @elements (consumed); its tag claims @extra bytes more than it holds. */
static GByteArray *
mat_cell (const char *name, guint32 n, GByteArray **elements, guint32 extra)
{
  guint32 dims[2] = { 1, n };
  GByteArray *body = array_begin (MX_CELL, 0, 2, dims, name);

  for (guint32 i = 0; i < n; i++)
    append (body, elements[i]);
  return array_end (body, extra ? body->len + extra : 0);
}

/* A 1x1 struct with @n fields named @names and values @values (consumed); its tag claims @extra
 * bytes more than it holds. */
static GByteArray *
mat_struct (const char *name, int n, const char *const *names, GByteArray **values,
            guint32 extra)
{
  guint32 dims[2] = { 1, 1 };
  GByteArray *body = array_begin (MX_STRUCT, 0, 2, dims, name);
  char table[32 * 16] = { 0 };
  guint32 len = 32;

  for (int i = 0; i < n; i++)
    strncpy (table + 32 * i, names[i], 31);
  put_element (body, MI_INT32, &len, 4, TRUE);
  put_element (body, MI_INT8, table, 32 * (gsize) n, FALSE);
  for (int i = 0; i < n; i++)
    append (body, values[i]);
  return array_end (body, extra ? body->len + extra : 0);
}

/* Writes @n variables (consumed) to @path, each compressed when @compress. */
static void
write_mat (const char *path, int n, GByteArray **variables, gboolean compress)
{
  GByteArray *file = g_byte_array_new ();
  guint8 header[128];

  memset (header, ' ', 116);
  memcpy (header, "MATLAB 5.0 MAT-file, test-mat-stream", 36);
  memset (header + 116, 0, 8);
  header[124] = 0x00;
  header[125] = 0x01;
  header[126] = 'I';
  header[127] = 'M';
  g_byte_array_append (file, header, sizeof header);
  for (int i = 0; i < n; i++)
    {
      if (compress)
        {
          uLongf size = compressBound (variables[i]->len);
          guint8 *packed = g_malloc (size);

          g_assert_cmpint (compress2 (packed, &size, variables[i]->data, variables[i]->len, 6),
                           ==, Z_OK);
          put_u32 (file, MI_COMPRESSED);
          put_u32 (file, (guint32) size);
          g_byte_array_append (file, packed, (guint) size);
          g_free (packed);
        }
      else
        g_byte_array_append (file, variables[i]->data, variables[i]->len);
      g_byte_array_unref (variables[i]);
    }
  put_file (path, (const char *) file->data, file->len);
  g_byte_array_unref (file);
}

#define HUGE_DATA (9u * 4096 * 4096 * 4)
#define HUGE_EXTRA (HUGE_DATA + 64)

/* A tiny VGG19 in MATLAB's habits: layers{i} = struct (name, type, weights = {single filters,
 * single biases}, size, pad, stride, dilate as uint8-stored doubles, precious as a logical,
 * opts = {}), a relu after each conv; meta.normalization.averageImage 1x1x3 single. */
static GByteArray *
matlab_layers (const int *channels, guint32 seed, float **engine_filters, float **engine_biases,
               gboolean huge_claim, gboolean huge_cell)
{
  static const char *const conv_fields[] = {
    "name", "type", "weights", "size", "pad", "stride", "dilate", "precious", "opts",
  };
  static const char *const relu_fields[] = { "name", "type", "leak" };
  GByteArray *layers[2 * N_CONVS];
  GRand *rand = g_rand_new_with_seed (seed);
  guint32 n = 0;

  for (int i = 0; i < N_CONVS; i++)
    {
      guint32 cin = (guint32) channels[i], cout = (guint32) channels[i + 1];
      guint32 fdims[4] = { 3, 3, cin, cout };
      guint32 bdims[2] = { cout, 1 };
      int frank = cout == 1 ? (cin == 1 ? 2 : 3) : 4;
      gsize nf = 9 * (gsize) cin * cout;
      float *matlab = g_new (float, nf);
      float *biases = g_new (float, cout);
      guint8 size[4] = { 3, 3, (guint8) cin, (guint8) cout };
      static const guint8 ones[4] = { 1, 1, 1, 1 };
      static const guint8 no[1] = { 0 };
      guint32 one_dims[2] = { 1, 1 };
      GByteArray *weights[2], *values[9];
      guint32 extra = 0;
      char name[16];

      for (gsize k = 0; k < nf; k++)
        matlab[k] = (float) g_rand_double_range (rand, -1, 1);
      for (guint32 k = 0; k < cout; k++)
        biases[k] = (float) g_rand_double_range (rand, -0.1, 0.1);
      engine_filters[i] = g_new (float, nf);
      engine_biases[i] = biases;
      impasto_vgg19_mat_matlab_to_engine (engine_filters[i], matlab, (int) cin, (int) cout);

      weights[0] = mat_numeric (MX_SINGLE, MI_SINGLE, frank, fdims, matlab, nf * 4, "");
      if (huge_claim && i == 3)
        {
          /* Claims 3x3x4096x4096 single (604 MB) whose data never comes; the cell, the struct and
           * `layers` claim as much more as well, so only the data's absence gives it away. */
          guint32 huge[4] = { 3, 3, 4096, 4096 };
          GByteArray *body = array_begin (MX_SINGLE, 0, 4, huge, "");
          guint32 real = body->len + 8 + (guint32) (nf * 4);

          g_byte_array_unref (weights[0]);
          put_u32 (body, MI_SINGLE);
          put_u32 (body, HUGE_DATA);
          g_byte_array_append (body, (const guint8 *) matlab, (guint) (nf * 4));
          weights[0] = array_end (body, real + HUGE_EXTRA);
          extra = HUGE_EXTRA;
        }
      weights[1] = mat_numeric (MX_SINGLE, MI_SINGLE, 2, bdims, biases, cout * 4, "");
      g_snprintf (name, sizeof name, "%s", impasto_vgg19_mat_conv_name (i));
      values[0] = mat_text (name);
      values[1] = mat_text ("conv");
      values[2] = mat_cell ("", 2, weights, extra);
      values[3] = mat_double_u8 (1, 4, size);
      values[4] = mat_double_u8 (1, 4, ones);
      values[5] = mat_double_u8 (1, 2, ones);
      values[6] = mat_double_u8 (1, 1, ones);
      /* precious = false: a logical (uint8 class with the logical flag). */
      values[7] = array_begin (MX_UINT8, 0x0200, 2, one_dims, "");
      put_element (values[7], MI_UINT8, no, 1, TRUE);
      values[7] = array_end (values[7], 0);
      values[8] = mat_empty_cell ();
      layers[n++] = mat_struct ("", 9, conv_fields, values, extra);

      g_snprintf (name, sizeof name, "relu%s", impasto_vgg19_mat_conv_name (i) + 4);
      values[0] = mat_text (name);
      values[1] = mat_text ("relu");
      values[2] = mat_double_u8 (1, 1, no);
      layers[n++] = mat_struct ("", 3, relu_fields, values, 0);
      g_free (matlab);
    }
  g_rand_free (rand);

  if (huge_cell)
    {
      /* A cell that claims a billion elements. */
      guint32 dims[2] = { 1, 1u << 30 };
      GByteArray *body = array_begin (MX_CELL, 0, 2, dims, "layers");

      for (guint32 i = 0; i < n; i++)
        append (body, layers[i]);
      return array_end (body, 0);
    }
  return mat_cell ("layers", n, layers, huge_claim ? HUGE_EXTRA : 0);
}

static GByteArray *
matlab_meta (void)
{
  static const char *const meta_fields[] = { "inputs", "normalization" };
  static const char *const normalization_fields[] = { "interpolation", "averageImage" };
  static const float mean[3] = { 122.5f, 115.25f, 104.0f };
  guint32 dims[3] = { 1, 1, 3 };
  GByteArray *values[2], *meta[2];

  values[0] = mat_text ("bilinear");
  values[1] = mat_numeric (MX_SINGLE, MI_SINGLE, 3, dims, mean, sizeof mean, "");
  meta[0] = mat_empty_cell ();
  meta[1] = mat_struct ("", 2, normalization_fields, values, 0);
  return mat_struct ("meta", 2, meta_fields, meta, 0);
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
test_matlab_habits (void)
{
  static const int tiny[N_CONVS + 1] = { 3, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8 };
  int squeezed[N_CONVS + 1];

  squeezed[0] = 3;
  for (int i = 1; i <= N_CONVS; i++)
    squeezed[i] = 1;

  for (int variant = 0; variant < 4; variant++)
    {
      const int *channels = (variant & 2) ? squeezed : tiny;
      float *filters[N_CONVS], *biases[N_CONVS];
      GByteArray *variables[2];
      ImpastoWeights *weights;
      char *path = tmp_path ("matlab.mat");

      /* meta first: the order of variables must not matter. */
      variables[1] = matlab_layers (channels, 9 + (guint32) variant, filters, biases, FALSE,
                                    FALSE);
      variables[0] = matlab_meta ();
      write_mat (path, 2, variables, variant & 1);
      weights = assert_fast_taken (path);
      for (int i = 0; i < N_CONVS; i++)
        {
          gsize nf = 9 * (gsize) channels[i] * (gsize) channels[i + 1];

          g_assert_cmpmem (weights->convs[i].filters, nf * 4, filters[i], nf * 4);
          g_assert_cmpmem (weights->convs[i].biases, (gsize) channels[i + 1] * 4, biases[i],
                           (gsize) channels[i + 1] * 4);
        }
      g_assert_true (weights->mean_from_file);
      g_assert_cmpfloat (weights->mean_pixel[0], ==, 122.5f);
      g_assert_cmpfloat (weights->mean_pixel[1], ==, 115.25f);
      g_assert_cmpfloat (weights->mean_pixel[2], ==, 104.0f);
      impasto_weights_free (weights);
      free_arrays (filters, biases);
      g_unlink (path);
      g_free (path);
    }
}

/* The streaming reader on its own (without the loader's first check of the file's tags)
 * declines @path with a reason containing @word and leaves no arrays behind; AUTO neither
 * crashes nor takes the file. */
static void
assert_declined (const char *path, const char *word)
{
  ImpastoMatNetwork weights = { 0 };
  ImpastoEngineError error = { 0 };
  const char *reason = error.message;
  Outcome automatic;

  g_assert_cmpint (impasto_mat_read (&weights, path, NULL, &error), !=, IMPASTO_STATUS_OK);
  g_test_message ("fast: %s", reason);
  if (strstr (reason, word) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", reason, word);
  for (int i = 0; i < N_CONVS; i++)
    {
      g_assert_null (weights.convs[i].filters);
      g_assert_null (weights.convs[i].biases);
    }
  automatic = load_with (path, IMPASTO_WEIGHTS_READER_AUTO);
  g_assert_cmpint (automatic.status, !=, IMPASTO_STATUS_OK);
  outcome_clear (&automatic);
}

static void
test_hostile (void)
{
  static const int tiny[N_CONVS + 1] = { 3, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8 };
  char *path = tmp_path ("hostile.mat");

  for (int compress = 0; compress < 2; compress++)
    {
      float *filters[N_CONVS], *biases[N_CONVS];
      GByteArray *variables[2];

      /* conv2_2's filters claim 604 MB that the file cannot hold. */
      variables[0] = matlab_layers (tiny, 1, filters, biases, TRUE, FALSE);
      variables[1] = matlab_meta ();
      write_mat (path, 2, variables, compress);
      free_arrays (filters, biases);
      assert_declined (path, compress ? "claims more data" : "cut short");

      /* `layers` claims 2^30 layers. */
      variables[0] = matlab_layers (tiny, 1, filters, biases, FALSE, TRUE);
      variables[1] = matlab_meta ();
      write_mat (path, 2, variables, compress);
      free_arrays (filters, biases);
      assert_declined (path, "more elements than bytes");
    }

  /* A struct whose field names are 0 bytes long. */
  {
    guint32 dims[2] = { 1, 1 };
    GByteArray *body = array_begin (MX_STRUCT, 0, 2, dims, "");
    GByteArray *variables[1];
    GByteArray *layer;
    guint32 zero = 0;

    put_element (body, MI_INT32, &zero, 4, TRUE);
    put_element (body, MI_INT8, NULL, 0, FALSE);
    layer = array_end (body, 0);
    variables[0] = mat_cell ("layers", 1, &layer, 0);
    write_mat (path, 1, variables, FALSE);
    assert_declined (path, "field names are 0 bytes");
  }

  /* A compressed `layers` whose zlib stream is cut in half (the tag says so: not a short file). */
  {
    float *filters[N_CONVS], *biases[N_CONVS];
    GByteArray *variables[1];
    char *contents;
    gsize size;
    guint32 nbytes;

    variables[0] = matlab_layers (tiny, 3, filters, biases, FALSE, FALSE);
    free_arrays (filters, biases);
    write_mat (path, 1, variables, TRUE);
    g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
    nbytes = (guint32) (size - 136) / 2;
    memcpy (contents + 132, &nbytes, 4);
    put_file (path, contents, 136 + nbytes);
    g_free (contents);
    assert_declined (path, "compressed data ends early");
  }

  g_unlink (path);
  g_free (path);
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("impasto-test-mat-stream-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/mat-stream/layouts", test_layouts);
  g_test_add_func ("/mat-stream/means", test_means);
  g_test_add_func ("/mat-stream/odd-layer", test_odd_layer);
  g_test_add_func ("/mat-stream/squeezed", test_squeezed);
  g_test_add_func ("/mat-stream/matlab-habits", test_matlab_habits);
  g_test_add_func ("/mat-stream/corruptions", test_corruptions);
  g_test_add_func ("/mat-stream/fc6-not-inflated", test_fc6_not_inflated);
  g_test_add_func ("/mat-stream/truncations", test_truncations);
  g_test_add_func ("/mat-stream/byte-changes", test_byte_changes);
  g_test_add_func ("/mat-stream/hostile", test_hostile);

  ret = g_test_run ();

  if (g_rmdir (tmp_dir) != 0)
    g_warning ("cannot remove %s: %s", tmp_dir, g_strerror (errno));
  g_free (tmp_dir);
  return ret;
}
