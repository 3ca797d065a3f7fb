/* impasto-session.h
 *
 * A painting session: the one object the CLI and the window drive. Create it with the images,
 * the size and the layers that are on; it plans the network, computes the objective's targets
 * (content features, the style's Gram set) once and sets up the optimiser. Then call
 * impasto_session_step() as often as you like. Alpha, beta, gamma (TV), each active layer's
 * weight and the learning rate may change between two steps (impasto_session_set_params()) and
 * take effect at once, without recomputing targets. Switching a layer on that was off, a new
 * image or a new size needs a new session (impasto_session_params_need_restart() says which).
 *
 * One thread drives a session: every function here is called by that thread, between steps.
 * The session takes no locks; a caller that hands values or pictures to other threads does so
 * itself. The session holds no global state; two can coexist. It never allocates after creation.
 * Iteration semantics: impasto_session_evaluate() gives the loss of the current image
 * ("iteration 0"); each step makes one update and reports the loss of the updated image, so the
 * k-th step's losses are those after k updates. Each Adam step costs one forward and one backward.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impasto-objective.h"
#include "impasto-region-guides.h"
#include "impasto-status.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef struct _ImpastoSession ImpastoSession;
typedef struct _ImpastoStyleCache ImpastoStyleCache;   /* impasto-style-cache.h */

/* Paintings a session blends at most. */
#define IMPASTO_MAX_PAINTINGS 8

/* One painting, at its own pixels; the session resizes it to its brush size. */
typedef struct
{
  const float *rgb;   /* (height, width, 3), 0..255 */
  int width;
  int height;
  double scale;       /* brush size: its longest side becomes scale × the picture's longest; 1 */
  bool upscale;       /* may be made larger than its own pixels; false */
} ImpastoPainting;

/* ImpastoRegion.painting of a region that keeps the photo: no style there, content only. */
#define IMPASTO_REGION_KEEP_PHOTO (-1)

/* One painted region (Gatys et al. 2017, §4, spatial control): where a painting goes. The mask is
 * carried down to every style layer as a guide (ImpastoGuideMode), normalised to unit root mean
 * square; the region's Gram matrices are those of the features weighted by its guide, compared
 * with its painting's Gram matrices (of the whole painting). Pixels in no region (1 - the largest
 * of the masks) form the default region, whose target is the paintings' weighted blend: what the
 * picture would get without regions. The style loss of a layer is the sum over the regions with a
 * painting (and the default region, weight 1) that have a neuron at that layer of a share × the
 * usual Gram loss, the shares in proportion to weight × how much of the layer the region holds
 * (impasto-objective.h): so a pixel's style is as strong as without regions, one region covering
 * the whole picture is the run without regions, and a mask one level short of white is almost
 * the white mask. Where no region has a neuron at a layer (a small region at a coarse size), the
 * default region's guides made the "all" way keep that layer's style. */
typedef struct
{
  const float *mask;  /* (height, width), 0..1, 1 = in (soft edges allowed); any size, resampled
                       * to the picture's; read during the call that takes it only */
  int width;
  int height;
  int painting;       /* 0-based index into the paintings, or IMPASTO_REGION_KEEP_PHOTO */
  double weight;      /* > 0, finite; 1 */
} ImpastoRegion;

typedef enum
{
  IMPASTO_OPTIMIZER_ADAM,
  IMPASTO_OPTIMIZER_LBFGS,
} ImpastoOptimizer;

typedef enum
{
  IMPASTO_INIT_NOISE,   /* noise_ratio * uniform(-20, 20) + (1 - noise_ratio) * content */
  IMPASTO_INIT_CONTENT,
  IMPASTO_INIT_STYLE,
  IMPASTO_INIT_IMAGE,   /* init_rgb */
} ImpastoInit;

/* What may change between steps. A layer weight of 0 means "off". */
typedef struct
{
  double alpha;           /* content weight, 1 */
  double beta;            /* style weight, 500 */
  double tv;              /* total-variation weight gamma, 0 */
  double learning_rate;   /* 1.0 on the 0..255 scale */
  float content_layers[IMPASTO_VGG19_N_CONVS]; /* conv4_2, conv5_2: 0.5 */
  float style_layers[IMPASTO_VGG19_N_CONVS];   /* conv1_1 ... conv5_1: 0.2 */
  /* Each painting's share of the style target, >= 0, not all 0 over the session's paintings;
   * normalised to sum 1 (1 each: equal). A change recombines the kept Gram matrices: no forward
   * pass. */
  float painting_weights[IMPASTO_MAX_PAINTINGS];
} ImpastoSessionParams;

/* What is fixed for a session. Pixel buffers are (H, W, 3) interleaved RGB, 0..255, row-major,
 * and are copied at creation. */
typedef struct
{
  int width;
  int height;
  const float *content_rgb;  /* (H, W, 3) */
  /* The paintings, each at its own size (the session resizes each to its brush size, the
   * pixels are read during impasto_session_new() only). With none, @style_rgb is the one
   * painting, already at width x height. */
  const ImpastoPainting *paintings;
  int n_paintings;           /* 0 .. IMPASTO_MAX_PAINTINGS */
  const float *style_rgb;    /* (H, W, 3); only when n_paintings is 0 */
  const float *init_rgb;     /* (H, W, 3), for IMPASTO_INIT_IMAGE; else NULL */
  ImpastoInit init;
  double noise_ratio;        /* 0.5 */
  uint64_t seed;
  ImpastoPoolMode pool;
  ImpastoOptimizer optimizer;
  int lbfgs_history;         /* 10; ignored for Adam */
  /* Transformed filters made before (impasto_vgg19_filters_new(); they must outlive the
   * session), used when they are of these weights and reach the deepest layer the losses read:
   * no transform at creation, 16/9 of the filters' size less memory. NULL: its own. */
  const ImpastoVgg19Filters *filters;
  /* Painted regions, 0 .. IMPASTO_MAX_REGIONS (0: none, the whole picture is one region); more
   * may be set later (impasto_session_set_region()). */
  const ImpastoRegion *regions;
  int n_regions;
  ImpastoGuideMode guide_mode;  /* how masks reach the layers; IMPASTO_GUIDE_INSIDE */
  /* 0: the picture is evaluated whole. Else in tiles of at most this side
   * (impasto-tiled-objective.h): the same losses and gradient in the memory of one tile's
   * network (and the picture's own buffers); a picture that fits one such tile is whole. Regions
   * are not painted in tiles. impasto_session_plan_window() picks it from a memory budget. */
  int tile_window;
  /* Paintings' targets kept from earlier sessions (impasto-style-cache.h): each painting is
   * looked up before its Gram matrices are computed, and stored once computed. NULL: none. */
  ImpastoStyleCache *style_cache;
} ImpastoSessionConfig;

/* The write-up's defaults. */
void impasto_session_params_init_default (ImpastoSessionParams *params);

/* The size a painting of @painting_width × @painting_height is seen at for a picture of
 * @picture_width × @picture_height: its longest side round(@scale × the picture's longest side),
 * no longer than its own unless @upscale, aspect kept (the other side rounded, at least 1); a
 * shorter side under 16 (what VGG19 needs) is raised to 16 with the longer side in proportion. */
void impasto_painting_plan_size (int painting_width,
                                 int painting_height,
                                 int picture_width,
                                 int picture_height,
                                 double scale,
                                 bool upscale,
                                 int *width,
                                 int *height);

/* Checks one painting (pixels, size, brush size finite and > 0, the planned size within the
 * session's limits), naming it by @index (0-based) in the message. */
ImpastoStatus impasto_painting_validate (const ImpastoPainting *painting,
                                         int index,
                                         int picture_width,
                                         int picture_height,
                                         ImpastoEngineError *error);

/* The deepest conv any loss of @params reads (-1 if none): how far the network runs. */
int impasto_session_params_deepest_layer (const ImpastoSessionParams *params);
void impasto_session_config_init_default (ImpastoSessionConfig *config);

/* Checks values (finite, non-negative, at least one layer on) with a message naming the
 * offending parameter. The one check of parameters: the session applies it to what it is given,
 * and callers that want to refuse values before they reach a session call it too. */
ImpastoStatus impasto_session_params_validate (const ImpastoSessionParams *params,
                                               ImpastoEngineError *error);

/* Whether a session created with @running can take @wanted, or needs new targets: true if
 * @wanted switches on a content or style layer that is off in @running. If so and @error is not
 * NULL, it says which layer (IMPASTO_STATUS_NEEDS_RESTART). */
bool impasto_session_params_need_restart (const ImpastoSessionParams *running,
                                          const ImpastoSessionParams *wanted,
                                          ImpastoEngineError *error);

/* Bytes a session of this configuration would allocate (network plan, targets, optimiser). */
size_t impasto_session_estimate_bytes (const ImpastoWeights *weights,
                                        const ImpastoSessionConfig *config,
                                        const ImpastoSessionParams *params);

/* Plans, allocates, computes the targets and the initial image. @weights must outlive the
 * session. @should_stop (may be NULL) is polled while the targets are computed and inside every
 * later forward/backward pass. */
ImpastoStatus impasto_session_new (ImpastoSession **out,
                                    const ImpastoWeights *weights,
                                    const ImpastoSessionConfig *config,
                                    const ImpastoSessionParams *params,
                                    ImpastoShouldStop should_stop,
                                    void *should_stop_data,
                                    ImpastoEngineError *error);

void impasto_session_free (ImpastoSession *session);

/* The new values are in force from the next evaluate or step. Returns
 * IMPASTO_STATUS_NEEDS_RESTART, changing nothing, if a layer that was off at creation is switched
 * on, and IMPASTO_STATUS_INVALID_ARGUMENT, changing nothing, for values that do not validate. */
ImpastoStatus impasto_session_set_params (ImpastoSession *session,
                                           const ImpastoSessionParams *params,
                                           ImpastoEngineError *error);

/* The losses of the current image (iteration 0, or again after a parameter change). */
ImpastoStatus impasto_session_evaluate (ImpastoSession *session,
                                         ImpastoLosses *losses,
                                         ImpastoEngineError *error);

/* One optimiser update; @losses (may be NULL) receives those of the updated image.
 * IMPASTO_STATUS_CANCELLED leaves a consistent session (the next step recomputes what it needs).
 * IMPASTO_STATUS_NUMERIC (loss or pixels not finite) restores the image from before the step. */
ImpastoStatus impasto_session_step (ImpastoSession *session,
                                     ImpastoLosses *losses,
                                     ImpastoEngineError *error);

/* A new brush size or new pixels for painting @index (0-based, < the config's n_paintings):
 * its targets are computed anew (one forward pass, at its new size), the others' are kept and
 * the blend is redone; in force from the next evaluate or step. Allocates for the duration of
 * the call. On an error the session keeps the painting it had. */
ImpastoStatus impasto_session_set_painting (ImpastoSession *session,
                                            int index,
                                            const ImpastoPainting *painting,
                                            ImpastoEngineError *error);

/* Checks one region (a mask of usable size, a painting index within @n_paintings or
 * IMPASTO_REGION_KEEP_PHOTO, a positive finite weight), naming it by @index (0-based). An empty
 * mask is valid (the region covers nothing). */
ImpastoStatus impasto_region_validate (const ImpastoRegion *region,
                                       int index,
                                       int n_paintings,
                                       ImpastoEngineError *error);

/* The tile window for @config under a memory budget of @budget bytes: 0 if the whole picture fits
 * (impasto_session_estimate_bytes() with tile_window 0), else the largest window (a multiple of
 * 16) whose estimate fits. IMPASTO_STATUS_OUT_OF_MEMORY, with a message giving the smallest
 * estimate, if none does; IMPASTO_STATUS_INVALID_ARGUMENT if the picture needs tiles and has
 * regions. @bytes (may be NULL) receives the estimate of what was chosen. */
ImpastoStatus impasto_session_plan_window (const ImpastoWeights *weights,
                                           const ImpastoSessionConfig *config,
                                           const ImpastoSessionParams *params,
                                           size_t budget,
                                           int *tile_window,
                                           size_t *bytes,
                                           ImpastoEngineError *error);

/* The tiles the session paints in: 1 × 1 when it is whole. */
void impasto_session_get_tiles (const ImpastoSession *session, int *n_x, int *n_y);

/* Checks @config's regions (their count, each with impasto_region_validate() against the config's
 * paintings, the guide mode). */
ImpastoStatus impasto_session_config_validate_regions (const ImpastoSessionConfig *config,
                                                       ImpastoEngineError *error);

/* Region @index (0 .. IMPASTO_MAX_REGIONS - 1) becomes @region (its mask resampled to the
 * picture's size), or none (NULL). Only that region's guides are recomputed (and the default
 * region's, which is what the others leave); no painting's targets are, no forward pass runs: in
 * force from the next evaluate or step, the run goes on. The first region of a session allocates
 * the guides of all regions (for the duration of the session); later calls allocate only for the
 * duration of the call. On an error the session keeps the regions it had. */
ImpastoStatus impasto_session_set_region (ImpastoSession *session,
                                          int index,
                                          const ImpastoRegion *region,
                                          ImpastoEngineError *error);

/* How many times region @index's guides have been computed (IMPASTO_MAX_REGIONS: the default
 * region's), for tests: a stroke in one region leaves the others' counts alone. */
int impasto_session_get_guide_passes (const ImpastoSession *session, int index);

/* Forward passes the session has run over paintings (to compute their targets) since creation. */
int impasto_session_get_painting_passes (const ImpastoSession *session);

/* The style targets in force: per layer the paintings' Gram matrices blended with their weights. */
const ImpastoGramSet *impasto_session_get_style_targets (const ImpastoSession *session);

/* Updates done so far. */
int impasto_session_get_iteration (const ImpastoSession *session);

void impasto_session_get_size (const ImpastoSession *session, int *width, int *height);

/* A copy of the current image (as of the last step) as 8-bit RGB rows of @stride bytes
 * (stride >= 3 * width), clamped to 0..255 and rounded. */
void impasto_session_copy_rgb8 (const ImpastoSession *session, uint8_t *rgb, size_t stride);

/* The same as floats (H, W, 3) on the 0..255 scale, unclamped (for tests and for saving frames at
 * full precision). */
void impasto_session_copy_rgb (const ImpastoSession *session, float *rgb);

/* Adam's state, for carrying it to another size: the moments m and v, each (3, H, W) in the
 * picture's layout, and the step count. IMPASTO_STATUS_INVALID_ARGUMENT (and NULLs) for an
 * L-BFGS session, whose history belongs to its size. */
ImpastoStatus impasto_session_get_adam_state (const ImpastoSession *session,
                                              const float **m,
                                              const float **v,
                                              long *t);

/* Starts Adam from moments brought from another size, already resampled to this session's
 * (3, H, W) (impasto_adam_import(): v kept >= 0), and step count @t. Call it before the first
 * step. IMPASTO_STATUS_INVALID_ARGUMENT for an L-BFGS session. */
ImpastoStatus impasto_session_import_adam_state (ImpastoSession *session,
                                                 const float *m,
                                                 const float *v,
                                                 long t);
