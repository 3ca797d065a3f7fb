/* test-weights-cache.c
 *
 * Impasto's compact model file (impasto-weights-cache.c), on the tiny test net:
 *
 * - Round trip: write, map, and every filter, bias and the mean are bit-identical; the recorded
 *   source identity comes back; the arrays point into the mapping and are 64-byte aligned.
 * - Parsing from memory gives the same weights, and read_info reads the header alone.
 * - Damage is always found: a byte changed at 200 random places (header, table, payload),
 *   truncation at many lengths, a byte appended, another format version (with the version in the
 *   message), a foreign file, an empty file, NaN weights written into a cache whose checksums are
 *   then made right (validation, not only checksums, must catch it), a layer offset pointing out
 *   of the file with a fixed-up checksum.
 * - Writing replaces an existing file only when complete, and a failed write (missing folder)
 *   leaves nothing behind.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "impasto-vgg19.h"
#include "impasto-weights-cache.h"
#include "test-net.h"
#include "test-scratch.h"

/* Header offsets the tests poke at (see impasto-weights-cache.c). */
#define OFF_VERSION 16
#define OFF_LAYERS 376
#define LAYER_ENTRY_SIZE 64
#define OFF_HEADER_CHECKSUM (IMPASTO_WEIGHTS_CACHE_HEADER_SIZE - 8)
#define OFF_PAYLOAD_CHECKSUM 72

static char *tmp_dir;

static ImpastoModelSource
test_source (void)
{
  ImpastoModelSource source = { 0 };

  source.size = 534000000;
  source.mtime_sec = 1700000000;
  source.mtime_nsec = 123456789;
  source.fingerprint = 0x0123456789abcdefu;
  source.has_md5 = TRUE;
  for (int i = 0; i < 16; i++)
    source.md5[i] = (uint8_t) (0x10 + i);
  g_strlcpy (source.name, "imagenet-vgg-verydeep-19.mat", sizeof source.name);
  return source;
}

static char *
write_cache (const ImpastoWeights *weights, const char *name)
{
  ImpastoModelSource source = test_source ();
  ImpastoEngineError error = { 0 };
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_cmpint (impasto_weights_cache_write (weights, &source, path, &error), ==, IMPASTO_STATUS_OK);
  return path;
}

/* Makes both checksums right again after the test edited @bytes on purpose. */
static void
fix_checksums (guint8 *bytes, size_t size)
{
  uint64_t payload = impasto_weights_cache_checksum (bytes + IMPASTO_WEIGHTS_CACHE_HEADER_SIZE,
                                                     size - IMPASTO_WEIGHTS_CACHE_HEADER_SIZE);
  uint64_t header;

  memcpy (bytes + OFF_PAYLOAD_CHECKSUM, &payload, 8);
  header = impasto_weights_cache_checksum (bytes, OFF_HEADER_CHECKSUM);
  memcpy (bytes + OFF_HEADER_CHECKSUM, &header, 8);
}

/* Parses @bytes from an aligned copy; returns the status and leaves the message in @error. */
static ImpastoStatus
parse_copy (const guint8 *bytes, size_t size, ImpastoEngineError *error)
{
  ImpastoWeights *weights = NULL;
  guint8 *copy = g_malloc (size + 1);
  ImpastoStatus status;

  memcpy (copy, bytes, size);
  status = impasto_weights_cache_parse (&weights, NULL, copy, size, "test cache", error);
  g_assert_true ((status == IMPASTO_STATUS_OK) == (weights != NULL));
  impasto_weights_free (weights);
  g_free (copy);
  return status;
}

static void
test_round_trip (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoWeights *mapped = NULL, *parsed = NULL;
  ImpastoWeightsCacheInfo info, header_info;
  ImpastoModelSource source = test_source ();
  ImpastoEngineError error = { 0 };
  const float mean[3] = { 120.5f, 110.25f, 100.125f };
  char *path;
  char *contents;
  gsize length;

  memcpy (weights->mean_pixel, mean, sizeof mean);
  weights->mean_from_file = true;
  path = write_cache (weights, "round-trip.impasto");

  g_assert_cmpint (impasto_weights_cache_map (&mapped, &info, path, &error), ==, IMPASTO_STATUS_OK);
  test_net_assert_identical (weights, mapped);
  g_assert_nonnull (mapped->mapping);
  g_assert_false (mapped->borrowed);
  g_assert_cmpstr (mapped->source_path, ==, path);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *base = mapped->mapping;
      const char *f = (const char *) mapped->convs[i].filters;

      g_assert_true (f >= base + IMPASTO_WEIGHTS_CACHE_HEADER_SIZE
                     && f < base + mapped->mapping_size);
      g_assert_cmpuint ((uintptr_t) f % 64, ==, 0);
      g_assert_cmpuint ((uintptr_t) mapped->convs[i].biases % 64, ==, 0);
    }
  g_assert_cmpuint (info.version, ==, IMPASTO_WEIGHTS_CACHE_VERSION);
  g_assert_cmpuint (info.source.size, ==, source.size);
  g_assert_cmpint (info.source.mtime_sec, ==, source.mtime_sec);
  g_assert_cmpint (info.source.mtime_nsec, ==, source.mtime_nsec);
  g_assert_cmpuint (info.source.fingerprint, ==, source.fingerprint);
  g_assert_true (info.source.has_md5);
  g_assert_cmpmem (info.source.md5, 16, source.md5, 16);
  g_assert_cmpstr (info.source.name, ==, source.name);

  /* Giving pages back must not change what the weights read. */
  impasto_weights_release_pages (mapped);
  test_net_assert_identical (weights, mapped);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint (impasto_weights_cache_parse (&parsed, NULL, contents, length, "memory",
                                                &error), ==, IMPASTO_STATUS_OK);
  test_net_assert_identical (weights, parsed);
  g_assert_true (parsed->borrowed);

  g_assert_cmpint (impasto_weights_cache_read_info (&header_info, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpuint (header_info.file_size, ==, length);
  g_assert_cmpuint (header_info.payload_checksum, ==, info.payload_checksum);

  impasto_weights_free (parsed);
  g_free (contents);
  impasto_weights_free (mapped);
  impasto_weights_free (weights);
  g_free (path);
}

static void
test_no_source (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoWeights *mapped = NULL;
  ImpastoWeightsCacheInfo info;
  ImpastoEngineError error = { 0 };
  char *path = g_build_filename (tmp_dir, "no-source.impasto", NULL);

  g_assert_cmpint (impasto_weights_cache_write (weights, NULL, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_weights_cache_map (&mapped, &info, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_false (info.source.has_md5);
  g_assert_cmpuint (info.source.size, ==, 0);
  g_assert_cmpstr (info.source.name, ==, "");
  g_assert_false (mapped->mean_from_file);
  test_net_assert_identical (weights, mapped);
  impasto_weights_free (mapped);
  impasto_weights_free (weights);
  g_free (path);
}

static void
test_damage_detected (void)
{
  ImpastoWeights *weights = test_net_new ();
  char *path = write_cache (weights, "damage.impasto");
  guint8 *bytes;
  gsize size;
  ImpastoEngineError error = { 0 };

  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));
  g_assert_cmpint (parse_copy (bytes, size, &error), ==, IMPASTO_STATUS_OK);

  /* One changed byte anywhere: in the header (including unused bytes, which the header checksum
   * covers) or in the payload. */
  for (int trial = 0; trial < 200; trial++)
    {
      size_t at = trial < 100 ? (size_t) g_test_rand_int_range (0, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE)
                              : (size_t) g_test_rand_int_range (IMPASTO_WEIGHTS_CACHE_HEADER_SIZE,
                                                                (gint32) size);
      guint8 saved = bytes[at];

      bytes[at] ^= (guint8) g_test_rand_int_range (1, 256);
      g_assert_cmpint (parse_copy (bytes, size, &error), ==, IMPASTO_STATUS_MODEL);
      g_assert_true (strstr (error.message, "test cache") != NULL);
      bytes[at] = saved;
    }

  /* Cut short anywhere, or with a byte appended. */
  for (size_t cut = 0; cut < size; cut += 1 + size / 97)
    {
      g_assert_cmpint (parse_copy (bytes, cut, &error), ==, IMPASTO_STATUS_MODEL);
    }
  {
    guint8 *longer = g_malloc (size + 8);

    memcpy (longer, bytes, size);
    memset (longer + size, 0, 8);
    g_assert_cmpint (parse_copy (longer, size + 8, &error), ==, IMPASTO_STATUS_MODEL);
    g_assert_nonnull (strstr (error.message, "cut short or appended"));
    g_free (longer);
  }

  g_free (bytes);
  impasto_weights_free (weights);
  g_free (path);
}

static void
test_version_and_foreign (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoWeights *mapped = NULL;
  char *path = write_cache (weights, "version.impasto");
  char *foreign = g_build_filename (tmp_dir, "foreign.impasto", NULL);
  char *empty = g_build_filename (tmp_dir, "empty.impasto", NULL);
  guint8 *bytes;
  gsize size;
  uint32_t version = IMPASTO_WEIGHTS_CACHE_VERSION + 1;
  ImpastoEngineError error = { 0 };

  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));
  memcpy (bytes + OFF_VERSION, &version, 4);
  fix_checksums (bytes, size);
  g_assert_true (g_file_set_contents (path, (char *) bytes, (gssize) size, NULL));
  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, path, &error), ==,
                   IMPASTO_STATUS_MODEL);
  g_assert_null (mapped);
  g_assert_nonnull (strstr (error.message, "format version 2"));

  g_assert_true (g_file_set_contents (foreign, "MATLAB 5.0 MAT-file, this is not ours", -1,
                                      NULL));
  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, foreign, &error), ==,
                   IMPASTO_STATUS_MODEL);
  g_assert_nonnull (strstr (error.message, "not an Impasto model cache"));

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, empty, &error), ==,
                   IMPASTO_STATUS_MODEL);
  g_assert_false (impasto_weights_cache_has_magic ("", 0));

  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, tmp_dir, &error), ==,
                   IMPASTO_STATUS_IO);
  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, "/nonexistent/x.impasto", &error),
                   ==, IMPASTO_STATUS_IO);

  g_free (bytes);
  impasto_weights_free (weights);
  g_free (path);
  g_free (foreign);
  g_free (empty);
}

/* Checksums prove the bytes are the ones written, not that they make sense: a file crafted with
 * right checksums must still be refused for NaNs or offsets outside the file. */
static void
test_crafted_contents (void)
{
  ImpastoWeights *weights = test_net_new ();
  char *path = write_cache (weights, "crafted.impasto");
  guint8 *bytes;
  gsize size;
  uint64_t offset;
  float nan_value = NAN;
  ImpastoEngineError error = { 0 };

  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));

  /* A NaN in conv3_1's first filter. */
  memcpy (&offset, bytes + OFF_LAYERS + 4 * LAYER_ENTRY_SIZE + 32, 8);
  memcpy (bytes + offset, &nan_value, 4);
  fix_checksums (bytes, size);
  g_assert_cmpint (parse_copy (bytes, size, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_nonnull (strstr (error.message, "NaN"));
  g_free (bytes);

  /* conv2_1's biases pointing past the end. */
  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));
  offset = size - 4;
  memcpy (bytes + OFF_LAYERS + 2 * LAYER_ENTRY_SIZE + 40, &offset, 8);
  fix_checksums (bytes, size);
  g_assert_cmpint (parse_copy (bytes, size, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_nonnull (strstr (error.message, "outside the model cache"));
  g_free (bytes);

  /* A channel count that breaks chaining (conv2_1 takes 5 instead of 4 inputs), offsets kept. */
  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));
  {
    uint32_t cin = 5;

    memcpy (bytes + OFF_LAYERS + 2 * LAYER_ENTRY_SIZE + 20, &cin, 4);
  }
  fix_checksums (bytes, size);
  g_assert_cmpint (parse_copy (bytes, size, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_nonnull (strstr (error.message, "do not chain"));
  g_free (bytes);

  impasto_weights_free (weights);
  g_free (path);
}

/* A mapped model file cut short in place by another program: the net refuses to start instead of
 * dying of SIGBUS, and a net made before keeps working (it holds its own copies). */
static void
test_cut_under_mapping (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoWeights *mapped = NULL;
  ImpastoVgg19 *before = NULL, *after = NULL;
  ImpastoEngineError error = { 0 };
  char *path = write_cache (weights, "cut.impasto");
  float *x = g_new0 (float, 3 * 32 * 32);

  g_assert_cmpint (impasto_weights_cache_map (&mapped, NULL, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_weights_check_mapping (mapped, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_vgg19_new (&before, mapped, 32, 32, 15, IMPASTO_POOL_MAX, &error), ==,
                   IMPASTO_STATUS_OK);

  g_assert_cmpint (truncate (path, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE), ==, 0);
  g_assert_cmpint (impasto_weights_check_mapping (mapped, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_nonnull (strstr (error.message, "cut short"));
  g_assert_cmpint (impasto_vgg19_new (&after, mapped, 32, 32, 15, IMPASTO_POOL_MAX, &error), ==,
                   IMPASTO_STATUS_MODEL);
  g_assert_null (after);
  g_assert_cmpint (impasto_vgg19_forward (before, x, NULL, NULL), ==, IMPASTO_STATUS_OK);

  impasto_vgg19_free (before);
  impasto_weights_free (mapped);
  impasto_weights_free (weights);
  g_free (x);
  g_free (path);
}

static void
test_write_is_atomic (void)
{
  ImpastoWeights *weights = test_net_new ();
  ImpastoEngineError error = { 0 };
  char *path = g_build_filename (tmp_dir, "atomic.impasto", NULL);
  char *missing = g_build_filename (tmp_dir, "no-such-folder", "x.impasto", NULL);
  GDir *dir;
  const char *name;
  int files = 0;

  g_assert_true (g_file_set_contents (path, "previous contents", -1, NULL));
  g_assert_cmpint (impasto_weights_cache_write (weights, NULL, path, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_weights_cache_write (weights, NULL, missing, &error), ==,
                   IMPASTO_STATUS_IO);
  g_assert_nonnull (strstr (error.message, "no-such-folder"));

  /* No temporary files left behind in the folder. */
  dir = g_dir_open (tmp_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_null (strstr (name, ".tmp-"));
      files++;
    }
  g_dir_close (dir);
  g_assert_cmpint (files, >, 0);

  impasto_weights_free (weights);
  g_free (path);
  g_free (missing);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = test_scratch_dir_new ("impasto-test-cache-XXXXXX");

  g_test_add_func ("/weights-cache/round-trip", test_round_trip);
  g_test_add_func ("/weights-cache/no-source", test_no_source);
  g_test_add_func ("/weights-cache/damage-detected", test_damage_detected);
  g_test_add_func ("/weights-cache/version-and-foreign", test_version_and_foreign);
  g_test_add_func ("/weights-cache/crafted-contents", test_crafted_contents);
  g_test_add_func ("/weights-cache/cut-under-mapping", test_cut_under_mapping);
  g_test_add_func ("/weights-cache/write-is-atomic", test_write_is_atomic);
  result = g_test_run ();
  test_scratch_dir_remove (tmp_dir);
  return result;
}
