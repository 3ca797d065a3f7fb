/* test-mat-reader.c
 *
 * The model's one MAT-v5 reader (impasto-mat-reader.c) as a single pass, on a tiny compressed
 * VGG19 whose fc6 is over 1 MiB (so that, as in the real file, the weights-only scope stops
 * before it):
 *
 * - Progress: the callback's counts never go down, never pass the total, the total is the file's
 *   size and the last call reports all of it, in both scopes and through the loader.
 * - In the whole-file scope the input callback sees every byte of the file exactly once and in
 *   order (what the model store computes the MD5 from), and the weights are bit for bit those of
 *   the weights-only scope.
 * - Cancelling through the progress callback or through should_stop stops the read with
 *   IMPASTO_STATUS_CANCELLED and leaves no weights.
 * - A damaged compressed stream of a file read whole is refused in that one pass: a wrong
 *   Adler-32 at the end of any variable's zlib stream, and a `layers` stream cut short inside fc6
 *   (the file's tags made to agree), which the weights-only scope does not see and takes.
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

/* What the callbacks saw. */
typedef struct
{
  int calls;
  guint64 last_done;
  guint64 total;
  int cancel_at;          /* return false at this call (1-based); 0: never */
  GByteArray *input;
} Seen;

static bool
on_progress (uint64_t done,
             uint64_t total,
             void    *data)
{
  Seen *seen = data;

  seen->calls++;
  g_assert_cmpuint (done, >=, seen->last_done);
  g_assert_cmpuint (done, <=, total);
  if (seen->total != 0)
    g_assert_cmpuint (total, ==, seen->total);
  seen->total = total;
  seen->last_done = done;
  return seen->cancel_at == 0 || seen->calls < seen->cancel_at;
}

static void
on_input (const void *bytes,
          size_t      size,
          void       *data)
{
  Seen *seen = data;

  g_byte_array_append (seen->input, bytes, (guint) size);
}

static bool
stop_now (void *data)
{
  return TRUE;
}

static char *
write_network (const char *name)
{
  ImpastoVgg19MatOptions options;
  char *path = g_build_filename (tmp_dir, name, NULL);
  char error[256];

  impasto_vgg19_mat_options_init_tiny (&options);
  options.compress = TRUE;
  options.fc_channels[0] = 1024; /* 7x7x8x1024 floats: over 1 MiB, as in the real file */
  if (!impasto_vgg19_mat_write (path, &options, NULL, error, sizeof error))
    g_error ("%s: %s", path, error);
  return path;
}

static ImpastoStatus
load (const char *path, gboolean whole, Seen *seen, ImpastoWeights **weights,
      ImpastoEngineError *error)
{
  ImpastoWeightsLoadOptions options = {
    .reader = IMPASTO_WEIGHTS_READER_AUTO,
    .check_whole_file = whole,
    .progress = on_progress,
    .progress_data = seen,
    .input = seen->input != NULL ? on_input : NULL,
    .input_data = seen,
  };

  *weights = NULL;
  impasto_engine_error_clear (error);
  return impasto_weights_load_with_options (weights, path, &options, error);
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
  g_assert_cmpmem (a->mean_pixel, sizeof a->mean_pixel, b->mean_pixel, sizeof b->mean_pixel);
}

static void
test_progress_and_input (void)
{
  g_autofree char *path = write_network ("progress.mat");
  g_autofree char *contents = NULL;
  ImpastoEngineError error = { 0 };
  ImpastoWeights *whole = NULL, *fast = NULL;
  Seen seen_whole = { 0 }, seen_fast = { 0 };
  gsize size;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  seen_whole.input = g_byte_array_new ();

  g_assert_cmpint (load (path, TRUE, &seen_whole, &whole, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (seen_whole.calls, >, 1);
  g_assert_cmpuint (seen_whole.total, ==, size);
  g_assert_cmpuint (seen_whole.last_done, ==, size);
  /* Every byte once, in order. */
  g_assert_cmpmem (seen_whole.input->data, seen_whole.input->len, contents, size);

  g_assert_cmpint (load (path, FALSE, &seen_fast, &fast, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpuint (seen_fast.total, ==, size);
  g_assert_cmpuint (seen_fast.last_done, ==, size);
  assert_same_weights (whole, fast);

  /* The check alone (what runs before matio) also hands over every byte once. */
  {
    ImpastoMatReadOptions options = { .whole_file = true, .input = on_input };
    Seen seen = { 0 };

    seen.input = g_byte_array_new ();
    options.input_data = &seen;
    g_assert_cmpint (impasto_mat_read (NULL, path, &options, &error), ==, IMPASTO_STATUS_OK);
    g_assert_cmpmem (seen.input->data, seen.input->len, contents, size);
    g_byte_array_unref (seen.input);
  }

  impasto_weights_free (whole);
  impasto_weights_free (fast);
  g_byte_array_unref (seen_whole.input);
  g_unlink (path);
}

static void
test_cancel (void)
{
  g_autofree char *path = write_network ("cancel.mat");
  ImpastoEngineError error = { 0 };

  for (int whole = 0; whole < 2; whole++)
    {
      ImpastoWeights *weights = NULL;
      ImpastoMatNetwork bare = { 0 };
      Seen seen = { .cancel_at = 1 };
      ImpastoMatReadOptions options = { .whole_file = whole, .progress = on_progress,
                                        .progress_data = &seen };

      /* Through the progress callback: the first report stops it. */
      g_assert_cmpint (load (path, whole, &seen, &weights, &error), ==, IMPASTO_STATUS_CANCELLED);
      g_assert_null (weights);
      g_assert_cmpint (seen.calls, ==, 1);
      g_assert_cmpuint (seen.last_done, <, seen.total);

      /* The reader itself leaves no arrays behind. */
      seen = (Seen) { .cancel_at = 1 };
      impasto_engine_error_clear (&error);
      g_assert_cmpint (impasto_mat_read (&bare, path, &options, &error), ==,
                       IMPASTO_STATUS_CANCELLED);
      g_assert_cmpint (seen.calls, ==, 1);
      for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
        g_assert_null (bare.convs[i].filters);

      /* Through should_stop. */
      {
        ImpastoWeightsLoadOptions stop = { .check_whole_file = whole, .should_stop = stop_now };

        impasto_engine_error_clear (&error);
        g_assert_cmpint (impasto_weights_load_with_options (&weights, path, &stop, &error), ==,
                         IMPASTO_STATUS_CANCELLED);
        g_assert_null (weights);
      }
    }
  g_unlink (path);
}

/* @path is refused by the whole-file load, which never hands over more than the file. */
static void
assert_refused_whole (const char *path,
                      const char *words)
{
  ImpastoEngineError error = { 0 };
  ImpastoWeights *weights = NULL;
  Seen seen = { 0 };
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  seen.input = g_byte_array_new ();
  g_assert_cmpint (load (path, TRUE, &seen, &weights, &error), ==, IMPASTO_STATUS_MODEL);
  g_assert_null (weights);
  g_test_message ("refused: %s", error.message);
  g_assert_nonnull (strstr (error.message, path));
  g_assert_nonnull (strstr (error.message, "damaged"));
  if (strstr (error.message, words) == NULL)
    g_error ("expected “%s” in: %s", words, error.message);
  g_assert_cmpuint (seen.input->len, <=, (guint64) st.st_size);
  g_byte_array_unref (seen.input);
}

static void
test_damaged_stream (void)
{
  g_autofree char *path = write_network ("intact.mat");
  g_autofree char *damaged = g_build_filename (tmp_dir, "damaged.mat", NULL);
  g_autofree guint8 *bytes = NULL;
  gsize size, offset = IMPASTO_MAT_HEADER_SIZE;
  int unseen = 0, variables = 0;

  g_assert_true (g_file_get_contents (path, (char **) &bytes, &size, NULL));

  /* A wrong Adler-32 at the end of each compressed variable. */
  while (offset + 8 <= size)
    {
      guint32 type, length;
      ImpastoWeights *weights = NULL;
      ImpastoEngineError error = { 0 };

      memcpy (&type, bytes + offset, 4);
      memcpy (&length, bytes + offset + 4, 4);
      g_assert_cmpuint (type, ==, IMPASTO_MI_COMPRESSED);
      g_assert_cmpuint (offset + 8 + length, <=, size);
      bytes[offset + 8 + length - 1] ^= 0x5a;
      g_assert_true (g_file_set_contents (damaged, (char *) bytes, (gssize) size, NULL));
      bytes[offset + 8 + length - 1] ^= 0x5a;
      offset += 8 + length;
      variables++;

      assert_refused_whole (damaged, "compressed data is corrupt");
      if (impasto_weights_load_with_reader (&weights, damaged, IMPASTO_WEIGHTS_READER_FAST,
                                            &error) == IMPASTO_STATUS_OK)
        unseen++;
      impasto_weights_free (weights);
    }
  g_assert_cmpint (variables, >=, 2);
  /* At least `layers`' checksum is beyond what the weights-only scope reads. */
  g_assert_cmpint (unseen, >=, 1);

  /* `layers` cut short inside fc6: its zlib stream ends early, the tags agree with the file. */
  {
    guint32 length, kept;
    ImpastoWeights *weights = NULL;
    ImpastoEngineError error = { 0 };
    g_autoptr(GByteArray) cut = g_byte_array_new ();

    memcpy (&length, bytes + IMPASTO_MAT_HEADER_SIZE + 4, 4);
    kept = length - length / 8;
    g_byte_array_append (cut, bytes, IMPASTO_MAT_HEADER_SIZE + 4);
    g_byte_array_append (cut, (const guint8 *) &kept, 4);
    g_byte_array_append (cut, bytes + IMPASTO_MAT_HEADER_SIZE + 8, kept);
    g_byte_array_append (cut, bytes + IMPASTO_MAT_HEADER_SIZE + 8 + length,
                         (guint) (size - IMPASTO_MAT_HEADER_SIZE - 8 - length));
    g_assert_true (g_file_set_contents (damaged, (char *) cut->data, cut->len, NULL));

    assert_refused_whole (damaged, "cut short");
    g_assert_cmpint (impasto_weights_load_with_reader (&weights, damaged,
                                                       IMPASTO_WEIGHTS_READER_FAST, &error),
                     ==, IMPASTO_STATUS_OK);
    impasto_weights_free (weights);
  }

  g_unlink (damaged);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = test_scratch_dir_new ("impasto-test-mat-reader-XXXXXX");

  g_test_add_func ("/mat-reader/progress-and-input", test_progress_and_input);
  g_test_add_func ("/mat-reader/cancel", test_cancel);
  g_test_add_func ("/mat-reader/damaged-stream", test_damaged_stream);
  status = g_test_run ();
  test_scratch_dir_remove (tmp_dir);
  return status;
}
