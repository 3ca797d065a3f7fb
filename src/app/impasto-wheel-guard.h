/* impasto-wheel-guard.h
 *
 * Keeps a slider or spin button in a scrolled sidebar from taking the mouse wheel while the
 * person only means to scroll: the wheel goes to the scrolled window until the control (or the
 * row it belongs to) has the keyboard focus, as in GNOME Settings.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @widget's own scroll handling (a GtkRange's or GtkSpinButton's) waits until the focus is
 * within @focus_owner (@widget itself when NULL). */
void impasto_wheel_guard_attach (GtkWidget *widget,
                                 GtkWidget *focus_owner);

G_END_DECLS
