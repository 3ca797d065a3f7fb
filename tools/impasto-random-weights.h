/* impasto-random-weights.h
 *
 * A VGG19 with the real layer widths and random weights, made in memory, for the benchmarks that
 * need the real amount of work without the real network: He-uniform filters from a fixed seed,
 * zero biases. Not for tests (they write their own tiny networks) and not a model file (see
 * impasto-make-vgg19 for a .mat).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-weights.h"

/* The same weights on every call. NULL with @error set when memory runs out. */
ImpastoWeights *impasto_random_weights_new (ImpastoEngineError *error);
