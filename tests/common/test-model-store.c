/* test-model-store.c
 *
 * The model store (src/common/impasto-model-store.c) with tiny .mat files written by
 * tools/impasto-vgg19-mat.c, each test case in its own fresh $XDG_CACHE_HOME
 * (G_TEST_OPTION_ISOLATE_DIRS):
 *
 * - The first load of a .mat reads it with matio and writes the cache; the second is answered
 *   from the cache; both give weights bit-identical to impasto_weights_load(), and the imported
 *   weights are served from the mapped cache.
 * - A cache damaged at a random byte (header or weights, 12 places), cut short, or of another
 *   format version is reported in the log, rebuilt, and the weights are right.
 * - A cache from another .mat of the same size and modification time is not used for this one.
 * - A .mat rewritten in place (same size) makes its cache out of date.
 * - A stand-alone model file written by import loads directly, wherever it is.
 * - A cache folder that cannot be written costs a warning, not the load.
 * - Missing and broken files give errors and leave no cache behind; progress ends at 1.
 * - The MD5 a saved picture records comes from the cache, and only while it is the .mat's.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "impasto-error.h"
#include "impasto-model-store.h"
#include "impasto-vgg19-mat.h"
#include "test-net.h"

#define STORE_DOMAIN "impasto-model-store"

static char *
write_mat_full (const char *name, guint64 seed, gboolean compress, int fc6)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "models", NULL);
  char *path = g_build_filename (dir, name, NULL);
  ImpastoVgg19MatOptions options;
  char error[512] = "";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  impasto_vgg19_mat_options_init_tiny (&options);
  options.seed = seed;
  options.compress = compress;
  if (fc6 > 0)
    options.fc_channels[0] = fc6;
  if (!impasto_vgg19_mat_write (path, &options, NULL, error, sizeof error))
    g_error ("cannot write %s: %s", path, error);
  return path;
}

static char *
write_mat_with (const char *name, guint64 seed, gboolean compress)
{
  return write_mat_full (name, seed, compress, 0);
}

static char *
write_mat (const char *name, guint64 seed)
{
  return write_mat_with (name, seed, TRUE);
}

static ImpastoWeights *
matio_load (const char *path)
{
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_weights_load (&weights, path, &error) != IMPASTO_STATUS_OK)
    g_error ("%s", error.message);
  return weights;
}

/* Loads @path through the store, checks the origin and that the weights equal @expected. */
static void
load_expect (const char           *path,
             ImpastoModelOrigin    expected_origin,
             const ImpastoWeights *expected)
{
  g_autoptr(GError) error = NULL;
  ImpastoModelOrigin origin = -1;
  ImpastoWeights *weights = impasto_model_store_load (path, NULL, NULL, NULL, &origin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (weights);
  g_assert_cmpint (origin, ==, expected_origin);
  test_net_assert_identical (expected, weights);
  g_assert_cmpstr (weights->source_path, ==, path);
  impasto_weights_free (weights);
}

static void
test_import_then_cached (void)
{
  g_autofree char *mat = write_mat ("imagenet-vgg-verydeep-19.mat", 1);
  g_autofree char *cache = impasto_model_store_cache_path (mat);
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "impasto", NULL);
  g_autoptr(GError) error = NULL;
  ImpastoWeights *expected = matio_load (mat);
  ImpastoWeights *weights;

  g_assert_true (g_str_has_prefix (cache, cache_dir));
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

  weights = impasto_model_store_load (mat, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  test_net_assert_identical (expected, weights);
  g_assert_nonnull (weights->mapping);    /* served from the cache it just wrote */
  impasto_weights_free (weights);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));

  load_expect (mat, IMPASTO_MODEL_ORIGIN_CACHED, expected);
  load_expect (mat, IMPASTO_MODEL_ORIGIN_CACHED, expected);
  impasto_weights_free (expected);
}

/* Damages the cache of @mat by @edit and checks the load notices, rebuilds and is right. */
static void
expect_rebuilt (const char           *mat,
                const ImpastoWeights *expected,
                const char           *log_pattern)
{
  g_test_expect_message (STORE_DOMAIN, G_LOG_LEVEL_MESSAGE, log_pattern);
  load_expect (mat, IMPASTO_MODEL_ORIGIN_IMPORTED, expected);
  g_test_assert_expected_messages ();
  load_expect (mat, IMPASTO_MODEL_ORIGIN_CACHED, expected);
}

static void
test_damaged_cache_rebuilt (void)
{
  g_autofree char *mat = write_mat ("vgg.mat", 2);
  g_autofree char *cache = impasto_model_store_cache_path (mat);
  ImpastoWeights *expected = matio_load (mat);

  load_expect (mat, IMPASTO_MODEL_ORIGIN_IMPORTED, expected);

  for (int trial = 0; trial < 12; trial++)
    {
      g_autofree guint8 *bytes = NULL;
      gsize size;
      gsize at;

      g_assert_true (g_file_get_contents (cache, (char **) &bytes, &size, NULL));
      at = trial % 2 == 0 ? (gsize) g_test_rand_int_range (0, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE)
                          : (gsize) g_test_rand_int_range (IMPASTO_WEIGHTS_CACHE_HEADER_SIZE,
                                                           (gint32) size);
      bytes[at] ^= (guint8) g_test_rand_int_range (1, 256);
      g_assert_true (g_file_set_contents (cache, (char *) bytes, (gssize) size, NULL));
      g_test_message ("byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " changed", at, size);
      expect_rebuilt (mat, expected, "Model cache * is unusable*rebuilding it");
    }

  /* Cut short. */
  {
    g_autofree char *bytes = NULL;
    gsize size;

    g_assert_true (g_file_get_contents (cache, &bytes, &size, NULL));
    g_assert_true (g_file_set_contents (cache, bytes, (gssize) (size / 2), NULL));
    expect_rebuilt (mat, expected, "Model cache * is unusable*cut short*");
  }

  /* Another format version (checksum made right, so only the version is wrong). */
  {
    g_autofree guint8 *bytes = NULL;
    gsize size;
    guint32 version = IMPASTO_WEIGHTS_CACHE_VERSION + 7;
    guint64 checksum;

    g_assert_true (g_file_get_contents (cache, (char **) &bytes, &size, NULL));
    memcpy (bytes + 16, &version, 4);
    checksum = impasto_weights_cache_checksum (bytes, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE - 8);
    memcpy (bytes + IMPASTO_WEIGHTS_CACHE_HEADER_SIZE - 8, &checksum, 8);
    g_assert_true (g_file_set_contents (cache, (char *) bytes, (gssize) size, NULL));
    expect_rebuilt (mat, expected, "Model cache * is unusable*format version 8*");
  }

  impasto_weights_free (expected);
}

static void
set_mtime (const char *path,
           time_t      when)
{
  struct utimbuf times = { when, when };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

static void
test_foreign_cache_not_used (void)
{
  /* Uncompressed, so that both files have the same size. */
  g_autofree char *mat_a = write_mat_with ("a.mat", 3, FALSE);
  g_autofree char *mat_b = write_mat_with ("b.mat", 4, FALSE);
  g_autofree char *cache_a = impasto_model_store_cache_path (mat_a);
  g_autofree char *cache_b = impasto_model_store_cache_path (mat_b);
  g_autofree char *contents = NULL;
  ImpastoWeights *expected_a = matio_load (mat_a);
  ImpastoWeights *expected_b = matio_load (mat_b);
  GStatBuf st_a, st_b;
  gsize size;

  g_assert_cmpstr (cache_a, !=, cache_b);
  set_mtime (mat_a, 1700000000);
  set_mtime (mat_b, 1700000000);
  g_assert_cmpint (g_stat (mat_a, &st_a), ==, 0);
  g_assert_cmpint (g_stat (mat_b, &st_b), ==, 0);
  /* Same size and time: only the content tells them apart. */
  g_assert_cmpint (st_a.st_size, ==, st_b.st_size);

  load_expect (mat_b, IMPASTO_MODEL_ORIGIN_IMPORTED, expected_b);
  g_assert_true (g_file_get_contents (cache_b, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (cache_a, contents, (gssize) size, NULL));

  expect_rebuilt (mat_a, expected_a, "Model cache * is out of date (it was made from another*");
  load_expect (mat_b, IMPASTO_MODEL_ORIGIN_CACHED, expected_b);

  impasto_weights_free (expected_a);
  impasto_weights_free (expected_b);
}

static void
test_changed_mat (void)
{
  g_autofree char *mat = write_mat_with ("changing.mat", 5, FALSE);
  ImpastoWeights *before = matio_load (mat);
  ImpastoWeights *after;

  load_expect (mat, IMPASTO_MODEL_ORIGIN_IMPORTED, before);
  g_free (write_mat_with ("changing.mat", 6, FALSE));
  set_mtime (mat, 1600000000);
  after = matio_load (mat);
  expect_rebuilt (mat, after, "Model cache * is out of date*");

  impasto_weights_free (before);
  impasto_weights_free (after);
}

static void
test_model_file (void)
{
  g_autofree char *mat = write_mat ("source.mat", 7);
  g_autofree char *output = g_build_filename (g_get_user_data_dir (), "vgg19.impasto", NULL);
  g_autofree char *written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = impasto_model_store_cache_path (mat);
  ImpastoWeights *expected = matio_load (mat);

  written = impasto_model_store_import (mat, output, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, output);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

  /* The model file works without its source. */
  g_assert_cmpint (g_unlink (mat), ==, 0);
  load_expect (output, IMPASTO_MODEL_ORIGIN_CACHE_FILE, expected);

  /* Importing a model file is refused with a message. */
  g_assert_null (impasto_model_store_import (output, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, IMPASTO_ERROR, IMPASTO_ERROR_BAD_MODEL);
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);

  impasto_weights_free (expected);
}

static void
record_progress (double   fraction,
                 gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_progress_and_md5 (void)
{
  g_autofree char *mat = write_mat ("progress.mat", 8);
  g_autofree char *cache = impasto_model_store_cache_path (mat);
  g_autofree char *expected_md5 = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoWeightsCacheInfo info;
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeights *weights;
  double last = 0.0;
  gsize size;

  weights = impasto_model_store_load (mat, NULL, record_progress, &last, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  impasto_weights_free (weights);

  /* The cache records the .mat's MD5, computed during the import. */
  g_assert_true (g_file_get_contents (mat, &contents, &size, NULL));
  expected_md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (guint8 *) contents, size);
  g_assert_cmpint (impasto_weights_cache_read_info (&info, cache, &engine_error), ==, IMPASTO_STATUS_OK);
  g_assert_true (info.source.has_md5);
  {
    char hex[33];

    for (int i = 0; i < 16; i++)
      g_snprintf (hex + 2 * i, 3, "%02x", info.source.md5[i]);
    g_assert_cmpstr (hex, ==, expected_md5);
  }

  /* What a saved picture records: the MD5 from the cache, while the cache is this file's. */
  {
    g_autofree char *md5 = impasto_model_store_get_md5 (mat);
    g_autofree char *other = write_mat ("no-cache.mat", 9);
    g_autofree char *none = impasto_model_store_get_md5 (other);

    g_assert_cmpstr (md5, ==, expected_md5);
    g_assert_null (none);
    g_free (write_mat ("progress.mat", 10));
    set_mtime (mat, 1600000000);
    g_clear_pointer (&md5, g_free);
    md5 = impasto_model_store_get_md5 (mat);
    g_assert_null (md5);
  }
}

static void
test_unwritable_cache (void)
{
  g_autofree char *mat = write_mat ("vgg.mat", 9);
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "impasto", NULL);
  g_autoptr(GError) error = NULL;
  ImpastoWeights *expected = matio_load (mat);
  ImpastoWeights *weights;

  /* A file where the folder should be. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0755), ==, 0);
  g_assert_true (g_file_set_contents (cache_dir, "in the way", -1, NULL));

  g_test_expect_message (STORE_DOMAIN, G_LOG_LEVEL_WARNING, "Could not write the model cache*");
  weights = impasto_model_store_load (mat, NULL, NULL, NULL, NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  test_net_assert_identical (expected, weights);
  g_assert_null (weights->mapping);
  impasto_weights_free (weights);
  impasto_weights_free (expected);
}

/* The streaming reader stops at fc6, before the end of the compressed `layers` stream: a
 * broken Adler-32 there goes unseen by it. A file that is not a published one must still be
 * refused (the store checks all of its compressed data), unless the caller vouches for its MD5. */
static void
test_unpublished_file_checked (void)
{
  /* fc6 over 1 MiB, as in the real file (7x7x8x1024 floats): the reader stops before it. */
  g_autofree char *mat = write_mat_full ("checked.mat", 10, TRUE, 1024);
  g_autofree guint8 *bytes = NULL;
  gsize size, offset = 128;
  int unseen = 0;

  g_assert_true (g_file_get_contents (mat, (char **) &bytes, &size, NULL));
  while (offset + 8 <= size)
    {
      guint32 type, length;
      g_autofree char *copy_path = g_build_filename (g_get_user_data_dir (), "models",
                                                     "damaged.mat", NULL);
      g_autofree char *md5 = NULL;
      g_autoptr(GError) error = NULL;
      ImpastoWeights *weights = NULL;
      ImpastoEngineError engine_error = { 0 };

      memcpy (&type, bytes + offset, 4);
      memcpy (&length, bytes + offset + 4, 4);
      g_assert_cmpuint (type, ==, 15);   /* miCOMPRESSED: the writer compresses every variable */
      g_assert_cmpuint (offset + 8 + length, <=, size);

      /* The variable's last byte is the last byte of its zlib stream's Adler-32. */
      bytes[offset + 8 + length - 1] ^= 0x5a;
      g_assert_true (g_file_set_contents (copy_path, (char *) bytes, (gssize) size, NULL));
      bytes[offset + 8 + length - 1] ^= 0x5a;
      offset += 8 + length;

      if (impasto_weights_load_with_reader (&weights, copy_path, IMPASTO_WEIGHTS_READER_FAST,
                                            &engine_error) != IMPASTO_STATUS_OK)
        continue;
      impasto_weights_free (weights);
      unseen++;

      g_assert_null (impasto_model_store_load (copy_path, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, IMPASTO_ERROR, IMPASTO_ERROR_BAD_MODEL);
      g_test_message ("refused: %s", error->message);
      g_clear_error (&error);

      {
        g_autofree char *contents = NULL;
        gsize length2;

        g_assert_true (g_file_get_contents (copy_path, &contents, &length2, NULL));
        md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (guint8 *) contents, length2);
      }
      weights = impasto_model_store_load (copy_path, md5, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      impasto_weights_free (weights);
    }
  /* At least the `layers` variable's damage is one the streaming reader cannot see. */
  g_assert_cmpint (unseen, >=, 1);
}

static void
test_bad_files (void)
{
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "missing.mat", NULL);
  g_autofree char *text = g_build_filename (g_get_user_data_dir (), "text.mat", NULL);
  g_autofree char *cache = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (impasto_model_store_load (missing, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "missing.mat"));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0755), ==, 0);
  g_assert_true (g_file_set_contents (text, "this is not a network\n", -1, NULL));
  g_assert_null (impasto_model_store_load (text, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, IMPASTO_ERROR, IMPASTO_ERROR_BAD_MODEL);
  g_assert_nonnull (strstr (error->message, "text.mat"));
  g_clear_error (&error);
  cache = impasto_model_store_cache_path (text);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

  g_assert_null (impasto_model_store_load (g_get_user_data_dir (), NULL, NULL, NULL, NULL,
                                           &error));
  g_assert_error (error, IMPASTO_ERROR, IMPASTO_ERROR_FILE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model-store/import-then-cached", test_import_then_cached);
  g_test_add_func ("/model-store/damaged-cache-rebuilt", test_damaged_cache_rebuilt);
  g_test_add_func ("/model-store/foreign-cache-not-used", test_foreign_cache_not_used);
  g_test_add_func ("/model-store/changed-mat", test_changed_mat);
  g_test_add_func ("/model-store/model-file", test_model_file);
  g_test_add_func ("/model-store/progress-and-md5", test_progress_and_md5);
  g_test_add_func ("/model-store/unwritable-cache", test_unwritable_cache);
  g_test_add_func ("/model-store/unpublished-file-checked", test_unpublished_file_checked);
  g_test_add_func ("/model-store/bad-files", test_bad_files);
  return g_test_run ();
}
