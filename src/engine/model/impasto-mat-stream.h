/* impasto-mat-stream.h
 *
 * The fast path of the model loader: reads the 16 convolutions and the mean pixel of MatConvNet's
 * imagenet-vgg-verydeep-19.mat (MAT v5, compressed or not, both published layouts) in one
 * streaming pass, inflating the `layers` variable in large chunks and only up to conv5_4, and
 * skipping every variable it does not need by its byte count. impasto_weights_load() tries it
 * first and uses matio when it declines.
 *
 * It either fills the weights with exactly what the matio reader would give (same values, same
 * layout, same mean arithmetic) or declines with a short reason; it never reports a broken file
 * itself (matio's path does, with the user-facing messages). It does not validate chaining or
 * finiteness (impasto_weights_validate() does, for both readers), does not read MAT v7.3 (HDF5)
 * or big-endian files, and never prints.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-weights.h"

/* Reads @path into @weights, which the caller has zeroed and given the default mean. Returns
 * true with all 16 convs filled (malloc'd, freed by impasto_weights_free()) and the mean set when
 * the file has one; or false with a reason in @reason (may be NULL) and no arrays left in
 * @weights. Never crashes, hangs or over-allocates on a damaged file: every size is checked
 * against the bytes that remain. */
bool impasto_mat_stream_read (ImpastoWeights *weights,
                              const char *path,
                              char *reason,
                              size_t reason_size);
