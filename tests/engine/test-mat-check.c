/* test-mat-check.c
 *
 * The structural check of the model's reader (impasto-mat-reader.c, whole-file scope, weights
 * left alone), which runs before matio, and through it the loader:
 *
 * - Every variant of a good file passes (both layouts, compressed or not, double, UTF-8 text, a
 *   non-ASCII layer, fc layers), so the check never refuses what matio and the loader accept.
 * - Files made by hand that once made matio allocate gigabytes or crash are refused, quickly,
 *   with a message naming the file and the variable: a cell that declares 50 million elements but
 *   holds one, a struct that declares more fields than it holds, an empty variable followed by an
 *   end marker and then garbage (found by fuzz/fuzz-weights-mat), cells nested 40 deep (8 deep
 *   passes), a compressed variable cut short, and a zip bomb (300 MB of zeros in 300 kB).
 * - Bit flips: 400 seeded single-bit flips anywhere after the header of a compressed tiny VGG19.
 *   matio 1.5.23 crashes on about one such file in a few thousand; each flip here must be refused
 *   by the check (zlib's checksum catches damage in the compressed data), or be harmless and load
 *   bit for bit the same weights. 200 flips of an uncompressed file must each be refused or load
 *   (possibly other numbers): no crash either way, which the sanitizer builds check.
 *
 * It does not test what the loader makes of a good file (test-weights.c does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

#include "impasto-mat-format.h"
#include "impasto-mat-reader.h"
#include "impasto-vgg19-mat.h"
#include "impasto-weights.h"
#include "test-scratch.h"

static char *tmp_dir;

/* The reader's check alone, over the whole file: what runs before matio. */
static ImpastoStatus
mat_check (const char         *path,
           ImpastoEngineError *error)
{
  ImpastoMatReadOptions options = { .whole_file = true };

  return impasto_mat_read (NULL, path, &options, error);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* The 128-byte header of a little-endian version-5 MAT-file. */
static GByteArray *
mat_new (void)
{
  GByteArray *out = g_byte_array_new ();
  guint8 header[128];

  memset (header, ' ', 116);
  memcpy (header, "MATLAB 5.0 MAT-file, test-mat-check", 35);
  memset (header + 116, 0, 8);
  header[124] = 0x00;
  header[125] = 0x01;
  header[126] = 'I';
  header[127] = 'M';
  g_byte_array_append (out, header, sizeof header);
  return out;
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint32 le = GUINT32_TO_LE (value);

  g_byte_array_append (out, (const guint8 *) &le, 4);
}

/* A whole element: tag, data, zero padding to 8 bytes. */
static void
put_element (GByteArray *out,
             guint32     type,
             const void *data,
             guint32     nbytes)
{
  static const guint8 zeros[8];

  put_u32 (out, type);
  put_u32 (out, nbytes);
  if (nbytes > 0)
    g_byte_array_append (out, data, nbytes);
  g_byte_array_append (out, zeros, (8 - nbytes % 8) % 8);
}

/* Array flags, dimensions @rows x @cols and @name: the start of every miMATRIX's content. */
static void
put_matrix_head (GByteArray *out,
                 guint32     class_type,
                 guint32     rows,
                 guint32     cols,
                 const char *name)
{
  guint32 flags[2] = { GUINT32_TO_LE (class_type), 0 };
  gint32 dims[2] = { (gint32) GUINT32_TO_LE (rows), (gint32) GUINT32_TO_LE (cols) };

  put_element (out, IMPASTO_MI_UINT32, flags, sizeof flags);
  put_element (out, IMPASTO_MI_INT32, dims, sizeof dims);
  put_element (out, IMPASTO_MI_INT8, name, (guint32) strlen (name));
}

/* Wraps @content as an miMATRIX element. */
static void
put_matrix (GByteArray       *out,
            const GByteArray *content)
{
  put_element (out, IMPASTO_MI_MATRIX, content->data, content->len);
}

/* A 1x1 double array named @name. */
static GByteArray *
scalar_content (const char *name)
{
  GByteArray *content = g_byte_array_new ();
  double value = 1.5;

  put_matrix_head (content, IMPASTO_MX_DOUBLE, 1, 1, name);
  put_element (content, IMPASTO_MI_DOUBLE, &value, sizeof value);
  return content;
}

/* A 1x1 cell holding a 1x1 cell ... @depth cells deep around a scalar. */
static GByteArray *
nested_cells (int         depth,
              const char *name)
{
  GByteArray *content;
  GByteArray *inner;

  if (depth == 0)
    return scalar_content (name);
  inner = nested_cells (depth - 1, "");
  content = g_byte_array_new ();
  put_matrix_head (content, IMPASTO_MX_CELL, 1, 1, name);
  put_matrix (content, inner);
  g_byte_array_unref (inner);
  return content;
}

static char *
save (GByteArray *file,
      const char *name)
{
  char *path = tmp_path (name);

  g_assert_true (g_file_set_contents (path, (const char *) file->data, file->len, NULL));
  return path;
}

/* Both the check and the whole loader refuse @path as damaged, naming it and @words. */
static void
assert_refused (const char *path,
                const char *words)
{
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error = { 0 };
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (mat_check (path, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_nonnull (strstr (error.message, path));
  g_assert_nonnull (strstr (error.message, "damaged"));
  if (strstr (error.message, words) == NULL)
    g_error ("expected “%s” in: %s", words, error.message);

  impasto_engine_error_clear (&error);
  g_assert_cmpint (impasto_weights_load (&weights, path, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_null (weights);
  g_assert_nonnull (strstr (error.message, words));
  /* Refused up front, not after inflating or allocating what the file claims (generous for
   * sanitizer builds on a busy machine). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static char *
write_tiny (const char *name,
            gboolean    compress)
{
  ImpastoVgg19MatOptions options;
  char *path = tmp_path (name);
  char error[256];

  impasto_vgg19_mat_options_init_tiny (&options);
  options.compress = compress;
  if (!impasto_vgg19_mat_write (path, &options, NULL, error, sizeof error))
    g_error ("%s: %s", path, error);
  return path;
}

static void
test_good_files (void)
{
  for (int variant = 0; variant < 16; variant++)
    {
      ImpastoVgg19MatOptions options;
      g_autofree char *path = tmp_path ("good.mat");
      ImpastoEngineError error = { 0 };
      char message[256];

      impasto_vgg19_mat_options_init_tiny (&options);
      options.compress = variant & 1;
      options.layout = (variant & 2) ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                     : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
      options.as_double = (variant & 4) != 0;
      options.text_utf8 = (variant & 8) != 0;
      options.with_odd_layer = (variant & 8) != 0;
      options.biases_as_row = (variant & 4) != 0;
      options.mean_shape = (variant & 2) ? IMPASTO_VGG19_MAT_MEAN_IMAGE
                                         : IMPASTO_VGG19_MAT_MEAN_VECTOR;
      if (!impasto_vgg19_mat_write (path, &options, NULL, message, sizeof message))
        g_error ("%s: %s", path, message);
      if (mat_check (path, &error) != IMPASTO_STATUS_OK)
        g_error ("variant %d refused: %s", variant, error.message);
      g_unlink (path);
    }

  /* Nested 8 deep: fine for the check (the loader then finds no `layers`). */
  {
    g_autoptr(GByteArray) file = mat_new ();
    g_autoptr(GByteArray) cells = nested_cells (8, "deep");
    g_autofree char *path = NULL;
    ImpastoEngineError error = { 0 };

    put_matrix (file, cells);
    path = save (file, "nested-8.mat");
    g_assert_cmpint (mat_check (path, &error), ==, IMPASTO_STATUS_OK);
  }
}

static void
test_huge_cell (void)
{
  g_autoptr(GByteArray) file = mat_new ();
  g_autoptr(GByteArray) cell = g_byte_array_new ();
  g_autoptr(GByteArray) element = scalar_content ("");
  g_autofree char *path = NULL;

  put_matrix_head (cell, IMPASTO_MX_CELL, 1, 50000000, "layers");
  put_matrix (cell, element);
  put_matrix (file, cell);
  path = save (file, "huge-cell.mat");
  assert_refused (path, "declares more elements than it holds");
}

static void
test_huge_struct (void)
{
  g_autoptr(GByteArray) file = mat_new ();
  g_autoptr(GByteArray) st = g_byte_array_new ();
  g_autoptr(GByteArray) field = scalar_content ("");
  g_autofree char *path = NULL;
  static const char names[2 * 8] = "name\0\0\0\0type\0\0\0\0";
  guint32 name_length = GUINT32_TO_LE (8);

  /* A 1000x1000 struct array with two fields, holding one field's value. */
  put_matrix_head (st, IMPASTO_MX_STRUCT, 1000, 1000, "meta");
  put_element (st, IMPASTO_MI_INT32, &name_length, 4);
  put_element (st, IMPASTO_MI_INT8, names, sizeof names);
  put_matrix (st, field);
  put_matrix (file, st);
  path = save (file, "huge-struct.mat");
  assert_refused (path, "declares more fields than it holds");
}

static void
test_garbage_after_end (void)
{
  /* What fuzz/fuzz-weights-mat found (matio then tried to allocate 1.6 GB): an empty variable,
   * the all-zero end marker, then bytes that matio goes on to read as more variables. */
  static const guint8 garbage[] = { 0, 0, 0, 0, 0, 0, 0xfa, 0x44, 1, 0, 0, 0, 0, 0, 0x81, 0x60,
                                    0xb6, 0xb2, 0x14, 0xbc, 0xa2, 0x57, 0x12, 0xfa };
  g_autoptr(GByteArray) file = mat_new ();
  g_autofree char *path = NULL;

  put_u32 (file, IMPASTO_MI_MATRIX);
  put_u32 (file, 0);
  put_u32 (file, 0);
  put_u32 (file, 0);
  g_byte_array_append (file, garbage, sizeof garbage);
  path = save (file, "garbage.mat");
  assert_refused (path, "data after the end");
}

static void
test_deep_nesting (void)
{
  g_autoptr(GByteArray) file = mat_new ();
  g_autoptr(GByteArray) cells = nested_cells (40, "layers");
  g_autofree char *path = NULL;

  put_matrix (file, cells);
  path = save (file, "nested-40.mat");
  assert_refused (path, "nest too deeply");
}

/* @content deflated into one miCOMPRESSED element of @file, cut to @keep of its bytes. */
static void
put_compressed (GByteArray       *file,
                const GByteArray *element,
                gdouble           keep)
{
  uLongf size = compressBound (element->len);
  g_autofree guint8 *packed = g_malloc (size);
  guint32 kept;

  g_assert_cmpint (compress2 (packed, &size, element->data, element->len, 6), ==, Z_OK);
  kept = (guint32) (size * keep);
  put_u32 (file, IMPASTO_MI_COMPRESSED);
  put_u32 (file, kept);
  g_byte_array_append (file, packed, kept);
}

static void
test_compressed_cut_short (void)
{
  g_autoptr(GByteArray) file = mat_new ();
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GByteArray) element = g_byte_array_new ();
  g_autofree guint8 *values = g_malloc (4096);
  g_autofree char *path = NULL;

  for (int i = 0; i < 4096; i++)
    values[i] = (guint8) g_test_rand_int ();
  put_matrix_head (content, IMPASTO_MX_UINT8, 64, 64, "layers");
  put_element (content, IMPASTO_MI_UINT8, values, 4096);
  put_matrix (element, content);
  put_compressed (file, element, 0.5);
  path = save (file, "compressed-cut.mat");
  assert_refused (path, "cut short");
}

static void
test_zip_bomb (void)
{
  const guint32 n = 300u << 20;
  g_autoptr(GByteArray) file = mat_new ();
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GByteArray) packed = g_byte_array_new ();
  g_autofree guint8 *zeros = g_malloc0 (1 << 20);
  g_autofree char *path = NULL;
  guint8 out[65536];
  z_stream z = { 0 };
  guint32 content_size;
  gsize header_len;

  /* miMATRIX tag, head and the uint8 data tag; the 300 MB of zeros are streamed in. */
  put_matrix_head (head, IMPASTO_MX_UINT8, 1, n, "layers");
  content_size = head->len + 8 + n;
  g_assert_cmpint (deflateInit (&z, 9), ==, Z_OK);
  {
    g_autoptr(GByteArray) start = g_byte_array_new ();

    put_u32 (start, IMPASTO_MI_MATRIX);
    put_u32 (start, content_size);
    g_byte_array_append (start, head->data, head->len);
    put_u32 (start, IMPASTO_MI_UINT8);
    put_u32 (start, n);
    header_len = start->len;
    z.next_in = start->data;
    z.avail_in = start->len;
    while (z.avail_in > 0)
      {
        z.next_out = out;
        z.avail_out = sizeof out;
        g_assert_cmpint (deflate (&z, Z_NO_FLUSH), ==, Z_OK);
        g_byte_array_append (packed, out, sizeof out - z.avail_out);
      }
  }
  g_assert_cmpuint (header_len, >, 0);
  for (guint32 done = 0; done < n; done += 1 << 20)
    {
      gboolean last = done + (1 << 20) >= n;
      int ret;

      z.next_in = zeros;
      z.avail_in = 1 << 20;
      do
        {
          z.next_out = out;
          z.avail_out = sizeof out;
          ret = deflate (&z, last ? Z_FINISH : Z_NO_FLUSH);
          g_assert_cmpint (ret, !=, Z_STREAM_ERROR);
          g_byte_array_append (packed, out, sizeof out - z.avail_out);
        }
      while (z.avail_out == 0 || (last && ret != Z_STREAM_END));
    }
  deflateEnd (&z);
  g_assert_cmpuint (packed->len, <, 1 << 20);

  put_u32 (file, IMPASTO_MI_COMPRESSED);
  put_u32 (file, packed->len);
  g_byte_array_append (file, packed->data, packed->len);
  path = save (file, "bomb.mat");
  assert_refused (path, "inflates to far more");
}

/* Flips @n seeded bits after the 128-byte header of a tiny network; each damaged file must be
 * refused, or (@must_match) load the very same weights, or (otherwise) load at all. */
static void
flip_bits (gboolean compress,
           int      n)
{
  g_autofree char *path = write_tiny ("flip-source.mat", compress);
  g_autofree char *damaged_path = tmp_path ("flipped.mat");
  g_autofree char *contents = NULL;
  ImpastoWeights *original = NULL;
  ImpastoEngineError error = { 0 };
  GRand *rand = g_rand_new_with_seed (2026);
  gsize size = 0;
  int refused = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpint (impasto_weights_load (&original, path, &error), ==, IMPASTO_STATUS_OK);

  for (int i = 0; i < n; i++)
    {
      gsize bit = 128 * 8 + (gsize) g_rand_int_range (rand, 0, (gint32) ((size - 128) * 8));
      ImpastoWeights *weights = NULL;
      ImpastoStatus status;

      contents[bit / 8] ^= (char) (1 << (bit % 8));
      g_assert_true (g_file_set_contents (damaged_path, contents, (gssize) size, NULL));
      contents[bit / 8] ^= (char) (1 << (bit % 8));

      impasto_engine_error_clear (&error);
      status = impasto_weights_load (&weights, damaged_path, &error);
      if (status != IMPASTO_STATUS_OK)
        {
          g_assert_null (weights);
          g_assert_cmpstr (error.message, !=, "");
          refused++;
          continue;
        }
      if (compress)
        for (int k = 0; k < IMPASTO_VGG19_N_CONVS; k++)
          {
            const ImpastoConvWeights *a = &original->convs[k];
            const ImpastoConvWeights *b = &weights->convs[k];

            g_assert_cmpint (a->out_channels, ==, b->out_channels);
            g_assert_cmpmem (a->filters, 9 * sizeof (float) * a->in_channels * a->out_channels,
                             b->filters, 9 * sizeof (float) * b->in_channels * b->out_channels);
          }
      impasto_weights_free (weights);
    }
  g_test_message ("%s: %d of %d flips refused", compress ? "compressed" : "plain", refused, n);
  /* Most flips of a compressed file hit the deflate stream: refused. */
  if (compress)
    g_assert_cmpint (refused, >, n * 9 / 10);

  impasto_weights_free (original);
  g_rand_free (rand);
  g_unlink (damaged_path);
  g_unlink (path);
}

static void
test_bit_flips (void)
{
  flip_bits (TRUE, 400);
  flip_bits (FALSE, 200);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = test_scratch_dir_new ("impasto-test-mat-check-XXXXXX");

  g_test_add_func ("/mat-check/good-files", test_good_files);
  g_test_add_func ("/mat-check/huge-cell", test_huge_cell);
  g_test_add_func ("/mat-check/huge-struct", test_huge_struct);
  g_test_add_func ("/mat-check/garbage-after-end", test_garbage_after_end);
  g_test_add_func ("/mat-check/deep-nesting", test_deep_nesting);
  g_test_add_func ("/mat-check/compressed-cut-short", test_compressed_cut_short);
  g_test_add_func ("/mat-check/zip-bomb", test_zip_bomb);
  g_test_add_func ("/mat-check/bit-flips", test_bit_flips);

  status = g_test_run ();
  test_scratch_dir_remove (tmp_dir);
  return status;
}
