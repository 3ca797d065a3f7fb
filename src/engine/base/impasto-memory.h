/* impasto-memory.h
 *
 * 64-byte aligned allocation of the big buffers every engine module plans once (with transparent
 * huge pages asked for, since a first-touch 4 KiB page costs ~10 us on the machines we measured).
 * The thread count lives in impasto-threads.h. Tensors themselves are plain float arrays whose shape is commented where
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
