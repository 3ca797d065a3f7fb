/* impasto-cpu.h
 *
 * What the CPU runs, for the kernels that have code for several instruction sets (the Winograd
 * convolution, the pooling's backward): asked of GCC's CPU model, which is set up before main()
 * and only read here, so any thread may ask at any time. Always false off x86.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>

/* AVX-512F. */
bool impasto_cpu_has_avx512 (void);

/* AVX2 and FMA. */
bool impasto_cpu_has_avx2_fma (void);
