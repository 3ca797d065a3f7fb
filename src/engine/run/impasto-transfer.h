/* impasto-transfer.h
 *
 * A style-transfer session: the one object the CLI and the window drive. Create it with the
 * images, the size and the layers that are on; it computes the content features and the style
 * Gram matrices once and plans every buffer. Then call impasto_transfer_step() as often as you
 * like. Alpha, beta, gamma (TV), each active layer's weight and the learning rate may change
 * between two steps (impasto_transfer_set_params(), callable from any thread) and take effect at
 * the next step without recomputing targets. Switching a layer on that was off, a new image or a
 * new size needs a new session.
 *
 * The session holds no global state; two can coexist. It never allocates after creation.
 * Iteration semantics: impasto_transfer_evaluate() gives the loss of the current image
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

#include "impasto-status.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef struct _ImpastoTransfer ImpastoTransfer;

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
} ImpastoTransferParams;

/* What is fixed for a session. Pixel buffers are (H, W, 3) interleaved RGB, 0..255, row-major,
 * and are copied at creation. */
typedef struct
{
  int width;
  int height;
  const float *content_rgb;  /* (H, W, 3) */
  const float *style_rgb;    /* (H, W, 3), already resized to width x height */
  const float *init_rgb;     /* (H, W, 3), for IMPASTO_INIT_IMAGE; else NULL */
  ImpastoInit init;
  double noise_ratio;        /* 0.5 */
  uint64_t seed;
  ImpastoPoolMode pool;
  ImpastoOptimizer optimizer;
  int lbfgs_history;         /* 10; ignored for Adam */
} ImpastoTransferConfig;

typedef struct
{
  double total;    /* alpha * content + beta * style + tv * tv_term */
  double content;  /* unweighted: sum over layers of w * E_l, divided by the number of layers */
  double style;    /* likewise */
  double tv_term;  /* unweighted TV */
} ImpastoLosses;

/* The write-up's defaults. */
void impasto_transfer_params_init_default (ImpastoTransferParams *params);
void impasto_transfer_config_init_default (ImpastoTransferConfig *config);

/* Checks values (finite, non-negative, at least one layer on, size within the network's reach)
 * with a message naming the offending parameter. */
ImpastoStatus impasto_transfer_params_validate (const ImpastoTransferParams *params,
                                                ImpastoEngineError *error);

/* Bytes a session of this configuration would allocate (network plan, targets, optimiser). */
size_t impasto_transfer_estimate_bytes (const ImpastoWeights *weights,
                                        const ImpastoTransferConfig *config,
                                        const ImpastoTransferParams *params);

/* Plans, allocates, computes the targets and the initial image. @weights must outlive the
 * session. @should_stop (may be NULL) is polled while the targets are computed and inside every
 * later forward/backward pass. */
ImpastoStatus impasto_transfer_new (ImpastoTransfer **out,
                                    const ImpastoWeights *weights,
                                    const ImpastoTransferConfig *config,
                                    const ImpastoTransferParams *params,
                                    ImpastoShouldStop should_stop,
                                    void *should_stop_data,
                                    ImpastoEngineError *error);

void impasto_transfer_free (ImpastoTransfer *transfer);

/* Thread-safe: the new values are picked up at the start of the next evaluate/step. Returns
 * IMPASTO_STATUS_NEEDS_RESTART, changing nothing, if a layer that was off is switched on. */
ImpastoStatus impasto_transfer_set_params (ImpastoTransfer *transfer,
                                           const ImpastoTransferParams *params,
                                           ImpastoEngineError *error);

/* The losses of the current image (iteration 0, or again after a parameter change). */
ImpastoStatus impasto_transfer_evaluate (ImpastoTransfer *transfer,
                                         ImpastoLosses *losses,
                                         ImpastoEngineError *error);

/* One optimiser update; @losses (may be NULL) receives those of the updated image.
 * IMPASTO_STATUS_CANCELLED leaves a consistent session (the next step recomputes what it needs).
 * IMPASTO_STATUS_NUMERIC (loss or pixels not finite) restores the image from before the step. */
ImpastoStatus impasto_transfer_step (ImpastoTransfer *transfer,
                                     ImpastoLosses *losses,
                                     ImpastoEngineError *error);

/* Updates done so far. */
int impasto_transfer_get_iteration (const ImpastoTransfer *transfer);

void impasto_transfer_get_size (const ImpastoTransfer *transfer, int *width, int *height);

/* Thread-safe copy of the image as of the last finished step, as 8-bit RGB rows of @stride bytes
 * (stride >= 3 * width), clamped to 0..255 and rounded. */
void impasto_transfer_copy_rgb8 (ImpastoTransfer *transfer, uint8_t *rgb, size_t stride);

/* The same as floats (H, W, 3) on the 0..255 scale, unclamped (for tests and for saving frames at
 * full precision). */
void impasto_transfer_copy_rgb (ImpastoTransfer *transfer, float *rgb);
