/* impasto-params.h
 *
 * The painting's parameters as one GObject with a property per setting, so that widgets bind to
 * it and GSettings persists it (each property has the schema key of the same name). It turns its
 * values into the engine's ImpastoSessionParams (what may change while a run goes on) and
 * ImpastoSessionConfig (what is fixed for a run), and says which kind of change a property is:
 * live (takes effect at the next iteration), restart (needs new targets) or run (iterations and
 * frame saving, which the running job simply adopts). The paintings' weights and brush sizes are
 * here too, one value a painting in the painting list's order (`painting-weights` is live; a
 * brush size changes one painting's targets, which the window hands the job by index).
 *
 * This file does not start runs or talk to widgets; the window decides what to do with a change.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "impasto-choices.h"
#include "impasto-ladder.h"
#include "impasto-session.h"
#include "impasto-types.h"

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_LAYER_CONTENT,
  IMPASTO_LAYER_STYLE,
} ImpastoLayerKind;

typedef enum
{
  IMPASTO_PARAMS_CHANGE_NONE,     /* not a parameter of the painting */
  IMPASTO_PARAMS_CHANGE_LIVE,     /* α, β, TV, learning rate, layer weights, painting weights */
  IMPASTO_PARAMS_CHANGE_RESTART,  /* size, smallest size, optimiser, start, noise, seed, pooling */
  IMPASTO_PARAMS_CHANGE_RUN,      /* iterations, preview size, saving frames */
} ImpastoParamsChange;

/* The window paints on a ladder of sizes, where L-BFGS reaches the flat run's loss about ten
 * times sooner than Adam (README, Benchmarks); every other default is the engine's. */
#define IMPASTO_PARAMS_OPTIMIZER IMPASTO_OPTIMIZER_LBFGS

/* A painting's weight, relative to the others' (0 leaves it out; not all may be 0). */
#define IMPASTO_PAINTING_WEIGHT_MAX 1.0
/* A painting's brush size: its scale relative to the picture's (larger is coarser). */
#define IMPASTO_PAINTING_SCALE_MIN 0.25
#define IMPASTO_PAINTING_SCALE_MAX 2.0

#define IMPASTO_TYPE_PARAMS (impasto_params_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoParams, impasto_params, IMPASTO, PARAMS, GObject)

ImpastoParams       *impasto_params_new                 (void);
/* Reads every property from @settings once and writes each change back. */
void                 impasto_params_bind_settings       (ImpastoParams *self,
                                                         GSettings     *settings);
void                 impasto_params_get_transfer_params (ImpastoParams         *self,
                                                         ImpastoSessionParams  *params);
/* The fixed part; width, height and the pixel pointers are left 0 and NULL. */
void                 impasto_params_get_config          (ImpastoParams         *self,
                                                         ImpastoSessionConfig  *config);
double               impasto_params_get_layer_weight    (ImpastoParams    *self,
                                                         ImpastoLayerKind  kind,
                                                         int               index);
/* 0 switches the layer off. */
void                 impasto_params_set_layer_weight    (ImpastoParams    *self,
                                                         ImpastoLayerKind  kind,
                                                         int               index,
                                                         double            weight);
int                  impasto_params_get_size            (ImpastoParams *self);
/* Longest side a preview stops at; 0: paint the full size. */
int                  impasto_params_get_preview_size    (ImpastoParams *self);
/* Longest side of the smallest size the painting starts at. */
int                  impasto_params_get_min_size        (ImpastoParams *self);
int                  impasto_params_get_iterations      (ImpastoParams *self);
/* The ladder of sizes a run climbs: the smallest size, the budgets from the iterations and the
 * memory budget. */
void                 impasto_params_get_ladder_config   (ImpastoParams       *self,
                                                         ImpastoLadderConfig *ladder_config);
/* The memory a run may use, in bytes (`max-memory`, which is in GiB): with 0 there, three
 * quarters of this computer's memory (impasto_memory_budget_default()); 0 when that cannot be
 * told. The ladder config above carries it as its max_bytes. */
guint64              impasto_params_get_max_bytes       (ImpastoParams *self);
int                  impasto_params_get_save_every      (ImpastoParams *self);
const char          *impasto_params_get_save_folder     (ImpastoParams *self);
/* Painting @index's weight and brush size, 1 when the settings give none for it. */
double               impasto_params_get_painting_weight (ImpastoParams *self,
                                                         int            index);
double               impasto_params_get_painting_scale  (ImpastoParams *self,
                                                         int            index);
/* Whose colours the picture has (`preserve-colors`): going between none and swap is live, any
 * other change needs a new run; the window decides, as it knows both ends of the change. */
ImpastoColors        impasto_params_get_colors          (ImpastoParams *self);
/* The deepest layer any loss reads (-1 if none), which decides the cost of an iteration. */
int                  impasto_params_get_deepest_layer   (ImpastoParams *self);

ImpastoParamsChange  impasto_params_classify            (const char *property_name);
/* TRUE if going from @running to @wanted switches on a layer that was off: the engine then needs
 * new targets and a new run. */
gboolean             impasto_params_needs_new_targets   (const ImpastoSessionParams  *running,
                                                         const ImpastoSessionParams  *wanted);

G_END_DECLS
