/* impasto-choices.h
 *
 * The painting's choices and limits, written once: the optimiser, starting image, pooling and
 * colours as GEnum types whose nicks ("adam", "lbfgs"; "noise", "content", "style"; "max", "avg";
 * "none", "luminance", "histogram", "swap") are the
 * CLI's flag values and the GSettings schema's choices, and the range of the working size. The
 * window's parameter model, the picture wells, the CLI and the schema test use these; the schema
 * (data/org.impasto.Impasto.gschema.xml) is XML and repeats them, which tests/app/test-params.c
 * checks.
 *
 * This file does not parse, validate or store settings.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "impasto-colors.h"
#include "impasto-session.h"

G_BEGIN_DECLS

/* The longest side of a painting, in pixels (the "size" setting's range). */
#define IMPASTO_SIZE_MIN 16
#define IMPASTO_SIZE_MAX 16384

/* ImpastoOptimizer, ImpastoInit (without IMPASTO_INIT_IMAGE, which takes a picture rather than a
 * word), ImpastoPoolMode and ImpastoColors of the engine, with their nicks. */
#define IMPASTO_TYPE_OPTIMIZER (impasto_optimizer_get_type ())
#define IMPASTO_TYPE_INIT      (impasto_init_get_type ())
#define IMPASTO_TYPE_POOL_MODE (impasto_pool_mode_get_type ())
#define IMPASTO_TYPE_COLORS    (impasto_colors_get_type ())

GType impasto_optimizer_get_type (void);
GType impasto_init_get_type (void);
GType impasto_pool_mode_get_type (void);
GType impasto_colors_get_type (void);

G_END_DECLS
