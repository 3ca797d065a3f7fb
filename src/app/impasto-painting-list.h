/* impasto-painting-list.h
 *
 * The paintings a run blends, as a list of picture wells (ImpastoImageWell, which brings the
 * chooser, drop, paste, thumbnail and failure messages), each with a Weight slider (0 to 1, its
 * share of the total shown; hidden while there is one painting, where it means nothing) and a
 * Brush Size slider (0.25 to 2, 1 marked: the painting's strokes relative to the picture).
 *
 * The first painting is always there and can only be replaced; Add Painting (a button, which also
 * takes a drop, and a paste while it has the focus) adds another up to IMPASTO_MAX_PAINTINGS, and
 * each added one has a remove button. A weight cannot take the last painting that counts to 0:
 * it stops just above, and `notice` says why.
 *
 * What changes, for the window to steer a run by: `weights` (every painting's weight, live),
 * `scale-changed` (one painting's brush size, by index), `paintings-changed` (a painting's
 * picture came, was replaced or went with its painting, by index: a new run). `well-added` hands over each new well so
 * that the window shows its messages as for the photo's.
 *
 * With `colors` at IMPASTO_COLORS_HISTOGRAM and a `photo`, each well shows its painting
 * recoloured to the photo's colours (made on a thread, at a thumbnail's size), which is what the
 * run paints from; impasto_image_well_get_pixbuf() still gives the painting as loaded.
 *
 * This file does not keep settings, start runs or decide what a change does to a run.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-choices.h"
#include "impasto-image-well.h"
#include "impasto-params.h"
#include "impasto-types.h"

G_BEGIN_DECLS

#define IMPASTO_TYPE_PAINTING_LIST (impasto_painting_list_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoPaintingList, impasto_painting_list, IMPASTO, PAINTING_LIST,
                      GtkWidget)

GtkWidget        *impasto_painting_list_new             (void);
int               impasto_painting_list_get_n_paintings (ImpastoPaintingList *self);
ImpastoImageWell *impasto_painting_list_get_well        (ImpastoPaintingList *self,
                                                         int                  index);
/* Adds an empty painting at the end (weight and brush size 1) and returns its well; NULL when
 * there are IMPASTO_MAX_PAINTINGS already. */
ImpastoImageWell *impasto_painting_list_add             (ImpastoPaintingList *self);
/* Removes painting @index, which is not the first. */
void              impasto_painting_list_remove          (ImpastoPaintingList *self,
                                                         int                  index);
double            impasto_painting_list_get_weight      (ImpastoPaintingList *self,
                                                         int                  index);
/* Refused (the weight stays just above 0, and `notice` says so) where it would leave every
 * painting at 0. */
void              impasto_painting_list_set_weight      (ImpastoPaintingList *self,
                                                         int                  index,
                                                         double               weight);
/* @index's share of the weights of the paintings that have a picture (0 for one without). */
double            impasto_painting_list_get_share       (ImpastoPaintingList *self,
                                                         int                  index);
double            impasto_painting_list_get_scale       (ImpastoPaintingList *self,
                                                         int                  index);
void              impasto_painting_list_set_scale       (ImpastoPaintingList *self,
                                                         int                  index,
                                                         double               scale);
/* Any painting's picture is being decoded. */
gboolean          impasto_painting_list_get_loading     (ImpastoPaintingList *self);
/* With the keyboard focus in a painting's well, pastes there; on Add Painting, into a new
 * painting. FALSE (nothing done) when the focus is elsewhere. */
gboolean          impasto_painting_list_paste_focused   (ImpastoPaintingList *self);

G_END_DECLS
