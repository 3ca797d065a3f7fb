/* impasto-mat-check.h
 *
 * A structural check of a version-5 MAT-file (MATLAB -v6/-v7, what MatConvNet publishes) before
 * matio reads it. matio 1.5.23 trusts the sizes inside a file: a damaged or hostile file of a few
 * kilobytes can make it allocate gigabytes (a cell or struct that claims millions of elements),
 * recurse without bound, or crash while inflating or parsing a damaged compressed variable. This
 * walk reads every data element's tag, inflates every compressed variable with zlib (so its
 * checksum is verified), and requires each element to fit inside its parent, every cell or struct
 * to hold as many elements as it declares, and numeric data to be exactly as long as its
 * dimensions say. It never allocates in proportion to what the file claims.
 *
 * It does not interpret the variables (impasto-weights.c does) and does not read v7.3 (HDF5)
 * files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>

#include "impasto-status.h"

/* Nesting deeper than this (cells in structs in cells ...) is refused; VGG19's files nest 4. */
#define IMPASTO_MAT_CHECK_MAX_DEPTH 32
/* More arrays than this in one file is refused; VGG19's files hold a few thousand. */
#define IMPASTO_MAT_CHECK_MAX_ARRAYS 1000000

/* Walks the MAT-file at @path as described above. IMPASTO_STATUS_MODEL with a message naming
 * @path and the variable when the structure is damaged, IMPASTO_STATUS_IO when the file cannot
 * be read, IMPASTO_STATUS_OUT_OF_MEMORY for the walker's own two buffers. */
ImpastoStatus impasto_mat_check (const char *path, ImpastoEngineError *error);

/* The same, polling @should_stop (may be NULL) between chunks of compressed data: true stops the
 * walk with IMPASTO_STATUS_CANCELLED. For a check run beside other work that may make it moot. */
ImpastoStatus impasto_mat_check_cancellable (const char *path,
                                             bool (*should_stop) (void *data),
                                             void *data,
                                             ImpastoEngineError *error);
