/* impasto-bench-report.h
 *
 * What impasto-bench says beside its own numbers, so that figures from different machines can be
 * told apart and compared with PyTorch in the same run: this CPU's cache sizes, the minor page
 * faults of a stretch of work, and PyTorch's seconds per iteration for the same sizes, from
 * tools/bench-pytorch.py run as a child.
 *
 * Not a test: nothing here asserts a speed.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

/* "L1d 48 KiB, L2 2 MiB, L3 105 MiB" (each cache of CPU 0 as sysfs lists it), or "unknown". */
void impasto_bench_print_caches (FILE *out);

/* Minor page faults of this process so far. */
long impasto_bench_minor_faults (void);

/* Runs `/usr/bin/python3 SCRIPT --threads T --iterations N --warmup W --regions R WxH ...` with
 * glibc malloc kept from giving big buffers back (as the script's header advises, so PyTorch does
 * not page-fault every iteration), echoes its lines prefixed with "pytorch: ", and sets
 * @seconds[i] to the s/iter it printed for size i (0 when it printed none). Returns 0 when the
 * script ran and exited 0. */
int impasto_bench_run_pytorch (const char *script,
                               int threads,
                               int iterations,
                               int warmup,
                               int regions,
                               int n_sizes,
                               const int (*sizes)[2],
                               double *seconds);
