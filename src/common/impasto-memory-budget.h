/* impasto-memory-budget.h
 *
 * The memory a run may use, as the CLI's --max-memory and the window take it: a size written as
 * "6G", "1.5g", "800M", "512KiB", "2TB" or plain bytes ("1073741824"). The units are binary
 * whatever their spelling (K = 2^10, M = 2^20, G = 2^30, T = 2^40 bytes), case-insensitive, with
 * an optional trailing "B" or "iB"; a space may stand between the number and the unit. A budget
 * is at least 64 MiB and at most 16 TiB. Without one given, the budget is three quarters of this
 * computer's memory (none when that cannot be told).
 *
 * It only reads and checks the text: it does not name the flag or the setting the text came from
 * (the caller prefixes that), and does not decide what a run does with its budget (the engine's
 * ladder plans the tiles).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The smallest and the largest budget, in bytes. */
#define IMPASTO_MEMORY_BUDGET_MIN (G_GUINT64_CONSTANT (64) << 20)
#define IMPASTO_MEMORY_BUDGET_MAX (G_GUINT64_CONSTANT (16) << 40)

/* @text as bytes (rounded to the nearest byte) into *@bytes. FALSE, with a G_OPTION_ERROR_BAD_VALUE
 * that quotes @text and says what is wrong (not a size, an unknown unit, below or above the
 * limits), when it is not a budget; *@bytes is then left alone. */
gboolean impasto_memory_budget_parse   (const char  *text,
                                        guint64     *bytes,
                                        GError     **error);

/* The default budget on a computer with @memory bytes (impasto_run_estimate_available_memory()):
 * three quarters of it, rounded down; 0 (no budget) when @memory is 0 (unknown). */
guint64  impasto_memory_budget_default (guint64 memory);

G_END_DECLS
