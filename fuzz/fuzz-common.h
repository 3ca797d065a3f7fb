/* fuzz-common.h
 *
 * What the libFuzzer harnesses share: handing the fuzzer's bytes to a loader that wants a path
 * (an anonymous memfd, opened again by matio or gdk-pixbuf through /proc/self/fd/N, so nothing
 * touches the disk), and reading every float of loaded weights so that AddressSanitizer sees any
 * pointer that lies outside its buffer.
 *
 * Header-only, for the harnesses in this folder; it checks nothing itself.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "impasto-weights.h"

/* A memfd holding @data; its path is written to @path (at least 32 bytes). -1 on failure. */
static inline int
fuzz_memfd_new (const uint8_t *data,
                size_t         size,
                char          *path,
                size_t         path_size)
{
  int fd = memfd_create ("impasto-fuzz", MFD_CLOEXEC);
  size_t done = 0;

  if (fd < 0)
    return -1;
  while (done < size)
    {
      ssize_t n = write (fd, data + done, size - done);

      if (n <= 0)
        {
          close (fd);
          return -1;
        }
      done += (size_t) n;
    }
  snprintf (path, path_size, "/proc/self/fd/%d", fd);
  return fd;
}

/* Sums every filter and bias so that each one is read (and the sum is used, so it is not
 * optimised away). */
static inline float
fuzz_touch_weights (const ImpastoWeights *weights)
{
  volatile float sum = 0.0f;

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];
      size_t n = (size_t) conv->out_channels * (size_t) conv->in_channels * 9;

      for (size_t k = 0; k < n; k++)
        sum += conv->filters[k];
      for (int k = 0; k < conv->out_channels; k++)
        sum += conv->biases[k];
    }
  return sum + weights->mean_pixel[0] + weights->mean_pixel[1] + weights->mean_pixel[2];
}
