/* impasto-choices.c
 *
 * The nick tables of the painting's enums (see impasto-choices.h). Nothing else.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-choices"

#include "config.h"

#include "impasto-choices.h"

G_DEFINE_ENUM_TYPE (ImpastoOptimizer, impasto_optimizer,
                    G_DEFINE_ENUM_VALUE (IMPASTO_OPTIMIZER_ADAM, "adam"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_OPTIMIZER_LBFGS, "lbfgs"))

G_DEFINE_ENUM_TYPE (ImpastoInit, impasto_init,
                    G_DEFINE_ENUM_VALUE (IMPASTO_INIT_NOISE, "noise"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_INIT_CONTENT, "content"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_INIT_STYLE, "style"))

G_DEFINE_ENUM_TYPE (ImpastoPoolMode, impasto_pool_mode,
                    G_DEFINE_ENUM_VALUE (IMPASTO_POOL_MAX, "max"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_POOL_AVG, "avg"))

G_DEFINE_ENUM_TYPE (ImpastoColors, impasto_colors,
                    G_DEFINE_ENUM_VALUE (IMPASTO_COLORS_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_COLORS_LUMINANCE, "luminance"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_COLORS_HISTOGRAM, "histogram"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_COLORS_SWAP, "swap"))
