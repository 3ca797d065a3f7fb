/* fuzz-weights-mat.c
 *
 * libFuzzer harness for the .mat model loader: the input is the whole file, loaded twice, with
 * impasto_weights_load() (the reader reads as far as the weights need) and with the whole file
 * checked in the reader's one pass (what the model store does for a file whose MD5 it does not
 * know). Each load must return IMPASTO_STATUS_OK with sound weights or an error with a message,
 * and never crash, hang or read out of bounds. Seeds are tiny VGG19 .mat files written by
 * impasto-fuzz-seeds (both layouts, compressed or not).
 *
 * matio and HDF5 are not instrumented: the fuzzer's coverage is our loader's, and a crash inside
 * matio is matio's (see README, "Hardening", for what we do about those).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "impasto-weights.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char path[64];
  int fd;

  fd = fuzz_memfd_new (data, size, path, sizeof path);
  if (fd < 0)
    return 0;

  for (int whole = 0; whole < 2; whole++)
    {
      ImpastoWeightsLoadOptions options = { .check_whole_file = whole };
      ImpastoWeights *weights = NULL;
      ImpastoEngineError error = { 0 };
      ImpastoStatus status = impasto_weights_load_with_options (&weights, path, &options,
                                                                &error);

      if (status == IMPASTO_STATUS_OK)
        {
          if (weights == NULL)
            abort ();
          fuzz_touch_weights (weights);
          impasto_weights_free (weights);
        }
      else if (weights != NULL || error.message[0] == '\0'
               || memchr (error.message, '\0', sizeof error.message) == NULL)
        abort ();  /* a failure must leave *out NULL and say why */
    }

  close (fd);
  return 0;
}
