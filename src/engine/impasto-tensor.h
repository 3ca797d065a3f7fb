/* impasto-tensor.h
 *
 * The few pieces of memory and thread plumbing every engine module shares: 64-byte aligned
 * allocation of big planned buffers (with transparent huge pages asked for, since a first-touch
 * 4 KiB page costs ~10 us on the machines we measured), and the single place that sets how many
 * threads BLAS may use. Tensors themselves are plain float arrays whose shape is commented where
 * they are declared, (C, H, W) unless stated otherwise.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#define IMPASTO_ALIGNMENT 64

/* Zero-filled, 64-byte aligned, NULL on failure or overflow. Free with impasto_free_buffer(). */
float *impasto_alloc_floats (size_t n);
/* The same without touching the pages: for a caller that must fill parts of the buffer before
 * others are touched (to keep the peak memory down), and then zeroes the rest itself. */
float *impasto_alloc_floats_untouched (size_t n);
void impasto_free_buffer (void *buffer);

/* Rounds @n floats up so that consecutive sub-buffers stay 64-byte aligned. */
size_t impasto_align_floats (size_t n);

/* Sets the number of threads the engine uses (BLAS included); 0 means all cores. Only the worker
 * thread that runs the engine calls BLAS, so this is called from there before a run. */
void impasto_set_threads (int n_threads);
int impasto_get_threads (void);
