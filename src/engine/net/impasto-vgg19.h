/* impasto-vgg19.h
 *
 * VGG19's feature layers as a plan over preallocated buffers: names, the forward pass from the
 * mean-subtracted image up to the deepest layer any loss uses, and the backward pass that gives
 * the gradient with respect to the input image only (no weight gradients), starting at the
 * deepest loss layer. Loss gradients are injected at each conv layer's ReLU output.
 *
 * Network: five blocks of 3x3 convs (pad 1, stride 1) + bias + ReLU (2, 2, 4, 4, 4 convs) with a
 * 2x2 stride-2 pool after each of the first four (max by default, average as an option; output
 * size floor(n/2)). "conv4_2" names the ReLU output of that conv, as the method's write-up does;
 * "relu4_2" is accepted as the same layer.
 *
 * The net allocates all of its activations, gradients and scratch once in impasto_vgg19_new();
 * forward and backward never allocate. To stay small, the backward pass keeps its gradients in
 * activation buffers that are no longer needed (a conv's ReLU output, once its ReLU mask has been
 * applied, takes the gradient for the conv below it), so after a backward pass the features are
 * no longer those of the image: run forward again before reading them.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "impasto-parallel.h"
#include "impasto-pooling.h"
#include "impasto-status.h"
#include "impasto-vgg19-layers.h"

/* The spatial size of conv @index's output for an @height x @width input (floor pooling). */
void impasto_vgg19_conv_size (int index, int height, int width, int *out_height, int *out_width);

/* Multiply-adds x 2 of one forward pass of convs 0..@deepest at this size with these weights'
 * channels (@channels as in impasto_weights_new). Used for GFLOP/s figures. */
double impasto_vgg19_forward_flops (const int *channels, int deepest, int height, int width);

/* True if both dimensions survive four poolings (each conv sees at least 1x1). */
bool impasto_vgg19_size_ok (int height, int width);

typedef struct _ImpastoWeights ImpastoWeights;
typedef struct _ImpastoVgg19 ImpastoVgg19;
typedef struct _ImpastoVgg19Filters ImpastoVgg19Filters;

/* Polled between layers (and inside big ones); true stops the pass with IMPASTO_STATUS_CANCELLED. */
typedef bool (*ImpastoShouldStop) (void *data);

/* Plans a net for (3, @height, @width) inputs that runs convs 0..@deepest and allocates all of its
 * buffers. @weights must outlive the net. */
ImpastoStatus impasto_vgg19_new (ImpastoVgg19 **out,
                                 const ImpastoWeights *weights,
                                 int height,
                                 int width,
                                 int deepest,
                                 ImpastoPoolMode pool,
                                 ImpastoEngineError *error);

/* As impasto_vgg19_new(), reading the filters from @filters (see below; NULL: its own) instead of
 * transforming them: what a net of another size already has, without the time and the memory.
 * @filters must serve @weights up to @deepest, and outlive the net. */
ImpastoStatus impasto_vgg19_new_with_filters (ImpastoVgg19 **out,
                                              const ImpastoWeights *weights,
                                              const ImpastoVgg19Filters *filters,
                                              int height,
                                              int width,
                                              int deepest,
                                              ImpastoPoolMode pool,
                                              ImpastoEngineError *error);

void impasto_vgg19_free (ImpastoVgg19 *net);

/* The Winograd-domain filters and bias copies of convs 0..@deepest of @weights (which must
 * outlive them), made once and read by any number of nets of any size: a ladder's sizes, and
 * every run of a window. About 16/9 of the raw filters' size (143 MB for all of VGG19's). Not
 * changed after creation, so nets on several threads may read them at once. */
ImpastoStatus impasto_vgg19_filters_new (ImpastoVgg19Filters **out,
                                         const ImpastoWeights *weights,
                                         int deepest,
                                         ImpastoEngineError *error);
void impasto_vgg19_filters_free (ImpastoVgg19Filters *filters);
/* Bytes impasto_vgg19_filters_new() allocates. */
size_t impasto_vgg19_filters_bytes (const ImpastoWeights *weights, int deepest);
/* Whether @filters (may be NULL) are of @weights and reach layer @deepest. */
bool impasto_vgg19_filters_serve (const ImpastoVgg19Filters *filters,
                                  const ImpastoWeights *weights,
                                  int deepest);

/* The net's worker threads, for other work between its passes (the losses' matrix products). */
ImpastoParallel *impasto_vgg19_get_parallel (ImpastoVgg19 *net);

/* Bytes impasto_vgg19_new() would allocate, without allocating. */
size_t impasto_vgg19_plan_bytes (const ImpastoWeights *weights, int height, int width, int deepest);

/* @image: (3, H, W), RGB on the 0..255 scale minus the mean pixel. */
ImpastoStatus impasto_vgg19_forward (ImpastoVgg19 *net,
                                     const float *image,
                                     ImpastoShouldStop should_stop,
                                     void *data);

/* The ReLU output of conv @index from the last forward: (C, H, W), sizes through the pointers
 * (any of which may be NULL). @index must be <= deepest. */
const float *impasto_vgg19_features (const ImpastoVgg19 *net,
                                     int index,
                                     int *channels,
                                     int *height,
                                     int *width);

/* Adds the losses' gradient with respect to conv @index's ReLU output into @dfeatures (C, H, W),
 * if any loss reads that layer, and says whether it added anything (the backward pass may have
 * applied the ReLU's mask to @dfeatures already, and must apply it again to what was added).
 * Called by the backward pass, deepest layer first, while impasto_vgg19_features (@index) still
 * holds the forward pass's values. */
typedef bool (*ImpastoAddGradient) (int index, float *dfeatures, void *data);

/* Backward from the losses to the image, starting at conv @start (the deepest layer a loss reads;
 * <= deepest): @add_gradient is called once for every conv from @start down to 0 with the
 * gradient buffer of that layer, and adds its losses' part. The result is ADDED into @dimage
 * (3, H, W). Must follow a forward on the same image; destroys the features (see above). */
ImpastoStatus impasto_vgg19_backward_from (ImpastoVgg19 *net,
                                           float *dimage,
                                           int start,
                                           ImpastoAddGradient add_gradient,
                                           void *add_data,
                                           ImpastoShouldStop should_stop,
                                           void *data);

/* The same with the gradients given as arrays: @dfeatures[i] is the gradient with respect to conv
 * i's ReLU output, (C, H, W), or NULL where no loss reads that layer. */
ImpastoStatus impasto_vgg19_backward (ImpastoVgg19 *net,
                                      float *dimage,
                                      const float *const dfeatures[IMPASTO_VGG19_N_CONVS],
                                      ImpastoShouldStop should_stop,
                                      void *data);
