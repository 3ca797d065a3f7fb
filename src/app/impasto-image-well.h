/* impasto-image-well.h
 *
 * A well for one picture (the photo or the painting): it shows a thumbnail and takes a picture
 * by click or the `well.open` action (a file chooser, which goes through the portal under
 * Flatpak), by drag and drop of a file or of an image dragged from a browser, by the `well.paste`
 * action (a copied file or picture), or from impasto_image_well_load_file() and
 * impasto_image_well_load_texture() (the command line, restored settings). Decoding happens on a
 * worker thread; `loading` is TRUE meanwhile and `pixbuf` changes when a picture is ready. A
 * picture that cannot be read emits `failed` with a sentence to show, and the previous picture
 * stays; a paste with no picture on the clipboard emits `notice`, a paste taken emits `pasted`.
 * It can show another picture than the one it loaded (the painting in the photo's colours, say),
 * while `pixbuf` stays the loaded one.
 *
 * This file does not keep settings, start runs, or decide which well a window's shortcut means.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-types.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_IMAGE_WELL (impasto_image_well_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoImageWell, impasto_image_well, IMPASTO, IMAGE_WELL, GtkWidget)

GtkWidget  *impasto_image_well_new          (void);
void        impasto_image_well_load_file    (ImpastoImageWell *self,
                                             GFile            *file);
void        impasto_image_well_load_texture (ImpastoImageWell *self,
                                             GdkTexture       *texture);
/* A file list (its first file) or a texture, as a drop or a paste hands them over; FALSE (and
 * nothing happens) for anything else. */
gboolean    impasto_image_well_take_value   (ImpastoImageWell *self,
                                             const GValue     *value);
/* The decoded picture (upright RGB), or NULL. */
GdkPixbuf  *impasto_image_well_get_pixbuf   (ImpastoImageWell *self);
/* Where the picture came from; NULL for a pasted or dropped image. */
GFile      *impasto_image_well_get_file     (ImpastoImageWell *self);
/* The file whose loading last failed (the "failed" signal's), or NULL. */
GFile      *impasto_image_well_get_failed_file (ImpastoImageWell *self);
gboolean    impasto_image_well_get_loading  (ImpastoImageWell *self);
/* Forgets a picture being decoded: it will not arrive, and `loading` goes FALSE. */
void        impasto_image_well_cancel_load  (ImpastoImageWell *self);
/* Shows @shown (the picture recoloured, say) in place of the loaded picture, which
 * impasto_image_well_get_pixbuf() still returns; NULL shows the loaded picture again. Ignored
 * while no picture is loaded; the next picture loaded drops it. */
void        impasto_image_well_set_shown_pixbuf (ImpastoImageWell *self,
                                                 GdkPixbuf        *shown);
/* What impasto_image_well_set_shown_pixbuf() set, or NULL when the loaded picture shows. */
GdkPixbuf  *impasto_image_well_get_shown_pixbuf (ImpastoImageWell *self);

G_END_DECLS
