/* impasto-resources-private.h
 *
 * Registers the window's GResource bundle (templates, style sheet, shortcuts window) once. The
 * bundle is linked into a static library, where a constructor could be dropped by the linker,
 * so every class that loads a template calls this from its class_init.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void impasto_resources_ensure (void);

G_END_DECLS
