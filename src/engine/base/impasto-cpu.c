/* impasto-cpu.c
 *
 * What the CPU runs; see impasto-cpu.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "impasto-cpu.h"

#if defined(__x86_64__) || defined(__i386__)

bool
impasto_cpu_has_avx512 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx512f");
}

bool
impasto_cpu_has_avx2_fma (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
}

#else

bool
impasto_cpu_has_avx512 (void)
{
  return false;
}

bool
impasto_cpu_has_avx2_fma (void)
{
  return false;
}

#endif
