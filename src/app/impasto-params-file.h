/* impasto-params-file.h
 *
 * The window's parameters to and from a settings file (impasto-run-settings.h): a preset picked
 * from the menu or the settings inside a picture become property changes of ImpastoParams, so
 * that the controls and a running job follow them as they follow any change; and the current
 * parameters become the settings a preset or a saved picture keeps.
 *
 * This file does not read or write files (src/common does) nor show anything.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-params.h"
#include "impasto-run-settings.h"

G_BEGIN_DECLS

/* Sets each setting @settings holds on @self, notifications held until all are set. A value
 * outside the window's range, and impasto-cli's own settings (width, height, scales, tolerance,
 * style-upscale, threads) when they are not what the window paints with, go to @skipped (may be
 * NULL) with a reason; they leave @self as it was. Painting weights above 1 are scaled down
 * together (the blend is the same). */
void impasto_params_apply_run_settings (ImpastoParams            *self,
                                        const ImpastoRunSettings *settings,
                                        GPtrArray                *skipped);

/* @self's settings of the look, and the paintings' weights and brush sizes when it has any. */
void impasto_params_to_run_settings    (ImpastoParams      *self,
                                        ImpastoRunSettings *settings);

G_END_DECLS
