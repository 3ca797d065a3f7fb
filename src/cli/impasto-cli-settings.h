/* impasto-cli-settings.h
 *
 * impasto-cli's --preset NAME|FILE and --settings-from PICTURE: the settings file read (what it
 * cannot take is a warning naming each key), then handed to the flags as if typed, but only to
 * the flags that were not typed: explicit flags win wherever they stand on the command line.
 *
 * It does not check the values against each other (the flags' own checks do, once filled in) and
 * does not write pictures.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-run-settings.h"

/* Reads @preset or @picture (one of them, the other NULL) into @settings; each skipped key is
 * printed as a warning. FALSE with @error (exit status 2) when neither can be read at all: an
 * unknown preset (the message lists the presets), a picture without settings. */
gboolean impasto_cli_settings_load (const char          *preset,
                                    const char          *picture,
                                    ImpastoRunSettings  *settings,
                                    GError             **error);

/* Fills each flag in @flags (indexed by ImpastoRunSetting; NULL entries are flags that take no
 * text) that was not typed, with @settings' value; @upscale for style-upscale. The output's size:
 * when any of --size, --width and --height was typed, none comes from @settings. The paintings'
 * weights and brush sizes only when they fit the @n_styles typed --style (else a warning).
 * @init_image_typed keeps the file's `init` off. @what names the source in warnings. */
void     impasto_cli_settings_fill (const ImpastoRunSettings  *settings,
                                    char                     **flags[IMPASTO_RUN_SETTING_N],
                                    gboolean                  *upscale,
                                    int                        n_styles,
                                    gboolean                   init_image_typed,
                                    const char                *what);
