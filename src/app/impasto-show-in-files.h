/* impasto-show-in-files.h
 *
 * "Show in Files": opens the file manager at a file, with the file selected where the file
 * manager can do that.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @file in the file manager, on behalf of @parent. Errors are logged, not shown: the
 * person can still find the file by its name. */
void impasto_show_in_files (GtkWindow *parent,
                            GFile     *file);

G_END_DECLS
