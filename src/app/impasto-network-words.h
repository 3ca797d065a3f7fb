/* impasto-network-words.h
 *
 * What went wrong with a connection, said as a person would ("No internet connection"), from the
 * system's error (GResolver, GIO, TLS). The technical message stays available beside it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A short sentence for @cause, translated; never NULL. */
const char *impasto_network_words (const GError *cause);

G_END_DECLS
