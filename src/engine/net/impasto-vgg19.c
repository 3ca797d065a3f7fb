/* impasto-vgg19.c
 *
 * VGG19's feature layers over one planned allocation. The plan keeps every conv's ReLU output up
 * to the deepest layer any loss reads (the losses and the backward pass both need them) and the
 * pooled maps between blocks; backward runs through two ping-pong gradient buffers sized for the
 * largest activation. Convolutions run as Winograd F(4x4, 3x3) on the net's own thread pool,
 * with the filters transformed once here (the backward reuses them transposed). Nothing is
 * allocated after impasto_vgg19_new().
 *
 * It does not compute losses, weight gradients or anything past the deepest layer asked for.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-relu.h"
#include "impasto-parallel.h"
#include "impasto-pooling.h"
#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"
#include "impasto-winograd.h"

typedef struct
{
  int channels;   /* C of the ReLU output */
  int height;
  int width;
  float *out;     /* (C, H, W) ReLU output */
  float *pooled;  /* (C, H/2, W/2) if a pool follows and feeds a later conv, else NULL */
} Layer;

/* Winograd-domain filters and bias copies for convs 0..deepest, shared by nets of any size. */
struct _ImpastoVgg19Filters
{
  const ImpastoWeights *weights;
  int deepest;
  float *u[IMPASTO_VGG19_N_CONVS];
  float *biases[IMPASTO_VGG19_N_CONVS];
  float *block;
};

struct _ImpastoVgg19
{
  const ImpastoWeights *weights;
  ImpastoPoolMode pool;
  int height;
  int width;
  int deepest;
  Layer layers[IMPASTO_VGG19_N_CONVS];
  float *u[IMPASTO_VGG19_N_CONVS]; /* (36, Cout, Cin) Winograd-domain filters, up to deepest */
  float *biases[IMPASTO_VGG19_N_CONVS]; /* (Cout) copies: the net never reads the weights again */
  bool reuse_outputs; /* within a block no conv narrows, so a dead output holds the gradient of
                       * the conv below (true for VGG19; see plan()) */
  float *grad_a;      /* (largest activation) */
  float *grad_b;      /* (largest input gradient the outputs cannot hold: a pooled one), or
                       * (largest activation) when !reuse_outputs */
  float *scratch;     /* Winograd tile workspace, the largest any layer needs */
  float *block;       /* the one allocation everything above points into */
  ImpastoParallel *threads; /* the convolutions' worker threads */
};

static int
is_block_end (int index)
{
  return index + 1 < IMPASTO_VGG19_N_CONVS
         && impasto_vgg19_conv_block (index + 1) != impasto_vgg19_conv_block (index);
}

void
impasto_vgg19_conv_size (int index, int height, int width, int *out_height, int *out_width)
{
  int h = height, w = width;

  for (int b = 0; b < impasto_vgg19_conv_block (index); b++)
    {
      h /= 2;
      w /= 2;
    }
  if (out_height)
    *out_height = h;
  if (out_width)
    *out_width = w;
}

bool
impasto_vgg19_size_ok (int height, int width)
{
  return height >= 16 && width >= 16;
}

double
impasto_vgg19_forward_flops (const int *channels, int deepest, int height, int width)
{
  double flops = 0.0;

  for (int i = 0; i <= deepest && i < IMPASTO_VGG19_N_CONVS; i++)
    {
      int h, w;
      impasto_vgg19_conv_size (i, height, width, &h, &w);
      flops += 2.0 * 9.0 * channels[i] * channels[i + 1] * (double) h * w;
    }
  return flops;
}

/* True when, for every conv 1..@deepest whose input is not pooled, the input is no wider than
 * the output: the backward pass can then put the gradient with respect to that input into the
 * conv's own (dead) output buffer. */
static bool
can_reuse_outputs (const ImpastoWeights *weights, int deepest)
{
  for (int i = 1; i <= deepest; i++)
    if (!is_block_end (i - 1) && weights->convs[i].in_channels > weights->convs[i].out_channels)
      return false;
  return true;
}

/* Float counts of the filters (transformed, and bias copies) of convs 0..@deepest; with @base
 * non-NULL also points @u and @biases into it. */
static size_t
plan_filters (float **u, float **biases, const ImpastoWeights *weights, int deepest, float *base)
{
  size_t total = 0;

  for (int i = 0; i <= deepest; i++)
    {
      const ImpastoConvWeights *cw = &weights->convs[i];

      if (base != NULL)
        u[i] = base + total;
      total += impasto_align_floats (impasto_winograd_filter_floats (cw->in_channels,
                                                                     cw->out_channels));
      if (base != NULL)
        biases[i] = base + total;
      total += impasto_align_floats ((size_t) cw->out_channels);
    }
  return total;
}

/* Transforms the filters of convs 0..@deepest and copies their biases, then lets the raw filters
 * of a mapped model go back to the page cache: from now on only the copies are read. */
static ImpastoStatus
fill_filters (float **u, float **biases, const ImpastoWeights *weights, int deepest,
              ImpastoEngineError *error)
{
  ImpastoStatus status = impasto_weights_check_mapping (weights, error);

  if (status != IMPASTO_STATUS_OK)
    return status;
  for (int i = 0; i <= deepest; i++)
    {
      impasto_winograd_prepare (u[i], weights->convs[i].filters, weights->convs[i].in_channels,
                                weights->convs[i].out_channels);
      memcpy (biases[i], weights->convs[i].biases,
              (size_t) weights->convs[i].out_channels * sizeof (float));
    }
  impasto_weights_release_pages (weights);
  return IMPASTO_STATUS_OK;
}

/* Float counts of the plan for @n_threads; with @base non-NULL also points the layers into it.
 * Unless @shared gives them, the Winograd filters come first in the block (@u_floats of them), so
 * that they can be filled while the raw weights are in memory and before any activation page is
 * touched.
 *
 * The backward pass needs, besides the activations, grad_a for the gradient with respect to a
 * conv's output (the largest activation) and grad_b for the gradient with respect to a pooled
 * output, which is a quarter of the layer before the pool (see impasto_vgg19_backward_from). */
static size_t
plan (ImpastoVgg19 *net, const ImpastoWeights *weights, int height, int width, int deepest,
      int n_threads, const ImpastoVgg19Filters *shared, float *base, size_t *u_floats)
{
  size_t total = 0, largest = 0, largest_pooled = 0, scratch = 0;
  bool reuse = can_reuse_outputs (weights, deepest);

  if (shared != NULL)
    {
      if (net != NULL)
        for (int i = 0; i <= deepest; i++)
          {
            net->u[i] = shared->u[i];
            net->biases[i] = shared->biases[i];
          }
    }
  else
    total = plan_filters (net != NULL ? net->u : NULL, net != NULL ? net->biases : NULL, weights,
                          deepest, net != NULL ? base : NULL);
  if (u_floats != NULL)
    *u_floats = total;

  for (int i = 0; i <= deepest; i++)
    {
      const ImpastoConvWeights *cw = &weights->convs[i];
      ImpastoConvDims dims;
      int h, w;
      size_t size;

      impasto_vgg19_conv_size (i, height, width, &h, &w);
      size = (size_t) cw->out_channels * h * w;
      dims = (ImpastoConvDims) { cw->in_channels, cw->out_channels, h, w };
      if (impasto_winograd_scratch_floats (&dims, n_threads) > scratch)
        scratch = impasto_winograd_scratch_floats (&dims, n_threads);
      if (size > largest)
        largest = size;

      if (net != NULL)
        net->layers[i] = (Layer) { cw->out_channels, h, w, base ? base + total : NULL, NULL };
      total += impasto_align_floats (size);

      if (is_block_end (i) && i < deepest)
        {
          size_t pooled = (size_t) cw->out_channels * (h / 2) * (w / 2);
          if (net != NULL && base != NULL)
            net->layers[i].pooled = base + total;
          total += impasto_align_floats (pooled);
          if (pooled > largest_pooled)
            largest_pooled = pooled;
        }
    }

  {
    size_t b = impasto_align_floats (reuse ? largest_pooled : largest);

    if (net != NULL && base != NULL)
      {
        net->reuse_outputs = reuse;
        net->grad_a = base + total;
        net->grad_b = base + total + impasto_align_floats (largest);
        net->scratch = base + total + impasto_align_floats (largest) + b;
      }
    total += impasto_align_floats (largest) + b + impasto_align_floats (scratch);
  }
  return total;
}

size_t
impasto_vgg19_plan_bytes (const ImpastoWeights *weights, int height, int width, int deepest)
{
  return plan (NULL, weights, height, width, deepest, impasto_get_threads (), NULL, NULL, NULL)
         * sizeof (float) + sizeof (ImpastoVgg19);
}

size_t
impasto_vgg19_filters_bytes (const ImpastoWeights *weights, int deepest)
{
  return plan_filters (NULL, NULL, weights, deepest, NULL) * sizeof (float)
         + sizeof (ImpastoVgg19Filters);
}

ImpastoStatus
impasto_vgg19_filters_new (ImpastoVgg19Filters **out,
                           const ImpastoWeights *weights,
                           int deepest,
                           ImpastoEngineError *error)
{
  ImpastoVgg19Filters *filters;
  ImpastoStatus status;

  *out = NULL;
  if (deepest < 0 || deepest >= IMPASTO_VGG19_N_CONVS)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "no VGG19 layer number %d", deepest);
  filters = calloc (1, sizeof *filters);
  if (filters != NULL)
    filters->block = impasto_alloc_floats_untouched (plan_filters (NULL, NULL, weights, deepest,
                                                                   NULL));
  if (filters == NULL || filters->block == NULL)
    {
      free (filters);
      return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                       "not enough memory for the network's filters");
    }
  filters->weights = weights;
  filters->deepest = deepest;
  plan_filters (filters->u, filters->biases, weights, deepest, filters->block);
  status = fill_filters (filters->u, filters->biases, weights, deepest, error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_vgg19_filters_free (filters);
      return status;
    }
  *out = filters;
  return IMPASTO_STATUS_OK;
}

void
impasto_vgg19_filters_free (ImpastoVgg19Filters *filters)
{
  if (filters == NULL)
    return;
  impasto_free_buffer (filters->block);
  free (filters);
}

bool
impasto_vgg19_filters_serve (const ImpastoVgg19Filters *filters,
                             const ImpastoWeights *weights,
                             int deepest)
{
  return filters != NULL && filters->weights == weights && filters->deepest >= deepest;
}

ImpastoStatus
impasto_vgg19_new (ImpastoVgg19 **out,
                   const ImpastoWeights *weights,
                   int height,
                   int width,
                   int deepest,
                   ImpastoPoolMode pool,
                   ImpastoEngineError *error)
{
  return impasto_vgg19_new_with_filters (out, weights, NULL, height, width, deepest, pool, error);
}

ImpastoStatus
impasto_vgg19_new_with_filters (ImpastoVgg19 **out,
                                const ImpastoWeights *weights,
                                const ImpastoVgg19Filters *shared,
                                int height,
                                int width,
                                int deepest,
                                ImpastoPoolMode pool,
                                ImpastoEngineError *error)
{
  ImpastoVgg19 *net;
  size_t floats, u_floats;

  *out = NULL;
  if (shared != NULL && !impasto_vgg19_filters_serve (shared, weights, deepest))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the shared filters are of other weights or stop below "
                                     "layer %d", deepest);
  if (deepest < 0 || deepest >= IMPASTO_VGG19_N_CONVS)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "no VGG19 layer number %d", deepest);
  if (!impasto_vgg19_size_ok (height, width))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "an image of %d×%d pixels is too small: VGG19 needs at least "
                              "16×16", width, height);

  net = calloc (1, sizeof *net);
  if (net == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  net->weights = weights;
  net->pool = pool;
  net->height = height;
  net->width = width;
  net->deepest = deepest;

  net->threads = impasto_parallel_new (impasto_get_threads ());
  floats = plan (NULL, weights, height, width, deepest,
                 impasto_parallel_get_n_threads (net->threads), shared, NULL, &u_floats);
  net->block = net->threads != NULL ? impasto_alloc_floats_untouched (floats) : NULL;
  if (net->block == NULL)
    {
      impasto_parallel_free (net->threads);
      free (net);
      return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                "not enough memory for the network at %d×%d (%.0f MiB needed)",
                                width, height, floats * 4.0 / (1 << 20));
    }
  plan (net, weights, height, width, deepest, impasto_parallel_get_n_threads (net->threads),
        shared, net->block, NULL);
  {
    int widest = 0;

    for (int i = 0; i <= deepest; i++)
      widest = net->layers[i].channels > widest ? net->layers[i].channels : widest;
    /* conv1's layers are the largest: the picture's size. */
    impasto_winograd_warm_blas (net->threads, widest, (size_t) height * width);
  }
  /* The net reads only transformed filters and bias copies (its own, or shared ones made
   * before); its own are made before the activations are touched, so that the raw filters of a
   * mapped model, released after, and the activations are never in memory together. Touching the
   * activations now also moves their page faults out of the iteration loop. */
  if (shared == NULL)
    {
      ImpastoStatus status = fill_filters (net->u, net->biases, weights, deepest, error);

      if (status != IMPASTO_STATUS_OK)
        {
          impasto_vgg19_free (net);
          return status;
        }
    }
  memset (net->block + u_floats, 0, (floats - u_floats) * sizeof (float));
  *out = net;
  return IMPASTO_STATUS_OK;
}

void
impasto_vgg19_free (ImpastoVgg19 *net)
{
  if (net == NULL)
    return;
  impasto_free_buffer (net->block);
  impasto_parallel_free (net->threads);
  free (net);
}

ImpastoParallel *
impasto_vgg19_get_parallel (ImpastoVgg19 *net)
{
  return net->threads;
}

static ImpastoConvDims
conv_dims (const ImpastoVgg19 *net, int i)
{
  const ImpastoConvWeights *cw = &net->weights->convs[i];

  return (ImpastoConvDims) { cw->in_channels, cw->out_channels,
                             net->layers[i].height, net->layers[i].width };
}

/* The element-wise passes (pooling, the ReLU mask) split by channel over the net's threads: on
 * their own they were a quarter of an iteration with one core idle. */
typedef struct
{
  float *dst;           /* pool: out or dinp; relu: the gradient */
  const float *src;     /* pool: inp or dout; relu: the ReLU output */
  const float *inp;     /* pool backward: the forward's input */
  int height;
  int width;
  ImpastoPoolMode mode;
} ChannelTask;

static void
pool_forward_task (int c, int thread, void *data)
{
  const ChannelTask *t = data;
  size_t in_plane = (size_t) t->height * t->width;
  size_t out_plane = (size_t) (t->height / 2) * (t->width / 2);

  impasto_pooling_forward (t->dst + c * out_plane, t->src + c * in_plane, 1, t->height, t->width,
                        t->mode);
}

/* The pool's backward through the ReLU whose output the pool's input is (its mask folded in). */
static void
pool_relu_backward_task (int c, int thread, void *data)
{
  const ChannelTask *t = data;
  size_t in_plane = (size_t) t->height * t->width;
  size_t out_plane = (size_t) (t->height / 2) * (t->width / 2);

  impasto_pooling_backward_relu_store (t->dst + c * in_plane, t->src + c * out_plane,
                                       t->inp + c * in_plane, 1, t->height, t->width, t->mode);
}

static void
relu_backward_task (int c, int thread, void *data)
{
  const ChannelTask *t = data;
  size_t plane = (size_t) t->height * t->width;

  impasto_relu_backward (t->dst + c * plane, t->src + c * plane, plane);
}

ImpastoStatus
impasto_vgg19_forward (ImpastoVgg19 *net,
                       const float *image,
                       ImpastoShouldStop should_stop,
                       void *data)
{
  const float *in = image;

  for (int i = 0; i <= net->deepest; i++)
    {
      Layer *layer = &net->layers[i];
      ImpastoConvDims dims = conv_dims (net, i);

      if (should_stop != NULL && should_stop (data))
        return IMPASTO_STATUS_CANCELLED;

      impasto_winograd_forward_relu (layer->out, in, net->u[i], net->biases[i], &dims,
                                     net->scratch, net->threads);

      if (layer->pooled != NULL)
        {
          ChannelTask task = { layer->pooled, layer->out, NULL, layer->height, layer->width,
                               net->pool };
          impasto_parallel_for (net->threads, layer->channels, pool_forward_task, &task);
          in = layer->pooled;
        }
      else
        in = layer->out;
    }
  return IMPASTO_STATUS_OK;
}

const float *
impasto_vgg19_features (const ImpastoVgg19 *net, int index, int *channels, int *height,
                        int *width)
{
  IMPASTO_CHECK (index >= 0 && index <= net->deepest);
  if (channels)
    *channels = net->layers[index].channels;
  if (height)
    *height = net->layers[index].height;
  if (width)
    *width = net->layers[index].width;
  return net->layers[index].out;
}

static void
add_into (float *dst, const float *src, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dst[i] += src[i];
}

static size_t
layer_floats (const Layer *layer)
{
  return (size_t) layer->channels * layer->height * layer->width;
}

ImpastoStatus
impasto_vgg19_backward_from (ImpastoVgg19 *net,
                             float *dimage,
                             int start,
                             ImpastoAddGradient add_gradient,
                             void *add_data,
                             ImpastoShouldStop should_stop,
                             void *data)
{
  float *g;
  bool masked = false;

  IMPASTO_CHECK (start <= net->deepest && add_gradient != NULL);
  if (start < 0)
    return IMPASTO_STATUS_OK;

  /* g: the gradient with respect to conv i's ReLU output. It lives in grad_a, or in the output
   * buffer of conv i + 1, which nothing needs once conv i + 1's ReLU mask has been applied.
   * masked: conv i's ReLU mask has been applied to g already (the pool's backward folds it in),
   * so the conv's backward reads g as it is. */
  g = net->grad_a;
  memset (g, 0, layer_floats (&net->layers[start]) * sizeof (float));
  add_gradient (start, g, add_data);

  for (int i = start; i >= 0; i--)
    {
      const Layer *layer = &net->layers[i];
      const float *relu = masked ? NULL : layer->out;
      ImpastoConvDims dims = conv_dims (net, i);
      size_t in_size = (size_t) dims.in_channels * dims.height * dims.width;

      if (should_stop != NULL && should_stop (data))
        return IMPASTO_STATUS_CANCELLED;

      /* A conv's backward reads g through its ReLU's mask (layer->out > 0) as it goes, unless
       * the output buffer is to hold the result (below). */
      if (i == 0)
        {
          impasto_winograd_backward_relu (dimage, g, relu, net->u[0], &dims, net->scratch,
                                          net->threads);
          break;
        }

      {
        const Layer *prev = &net->layers[i - 1];
        float *dst;

        if (prev->pooled == NULL)
          {
            /* Same block: the input gradient has prev's size. */
            if (net->reuse_outputs)
              {
                /* The output becomes the destination: its ReLU mask is applied to g first, in a
                 * pass of its own, and then the output is dead. */
                ChannelTask task = { g, layer->out, NULL, layer->height, layer->width,
                                     net->pool };

                if (!masked)
                  impasto_parallel_for (net->threads, layer->channels, relu_backward_task,
                                        &task);
                dst = layer->out;   /* in_size <= its size (can_reuse_outputs) */
                memset (dst, 0, in_size * sizeof (float));
                impasto_winograd_backward (dst, g, net->u[i], &dims, net->scratch,
                                           net->threads);
              }
            else
              {
                dst = (g == net->grad_a) ? net->grad_b : net->grad_a;
                memset (dst, 0, in_size * sizeof (float));
                impasto_winograd_backward_relu (dst, g, relu, net->u[i], &dims, net->scratch,
                                                net->threads);
              }
            g = dst;
            masked = false;
          }
        else
          {
            /* The gradient with respect to the pooled output goes into whichever of grad_a and
             * grad_b g is not in (g may also be a dead output), then the pool's backward
             * spreads it over prev's output into the other one, which is as large as any
             * activation, through prev's ReLU (the pool's input is that ReLU's output). */
            float *dpooled = (g == net->grad_b) ? net->grad_a : net->grad_b;
            float *dprev = (dpooled == net->grad_a) ? net->grad_b : net->grad_a;
            ChannelTask task = { dprev, dpooled, prev->out, prev->height, prev->width,
                                 net->pool };

            memset (dpooled, 0, in_size * sizeof (float));
            impasto_winograd_backward_relu (dpooled, g, relu, net->u[i], &dims, net->scratch,
                                            net->threads);
            /* Writes all of dprev: no zeroing pass first. */
            impasto_parallel_for (net->threads, prev->channels, pool_relu_backward_task, &task);
            g = dprev;
            masked = true;
          }
        /* What the losses add has not been through prev's mask. */
        if (add_gradient (i - 1, g, add_data))
          masked = false;
      }
    }
  return IMPASTO_STATUS_OK;
}

typedef struct
{
  const ImpastoVgg19 *net;
  const float *const *dfeatures;
} ArrayGradients;

static bool
add_array_gradient (int index, float *dfeatures, void *data)
{
  const ArrayGradients *arrays = data;

  if (arrays->dfeatures[index] == NULL)
    return false;
  add_into (dfeatures, arrays->dfeatures[index], layer_floats (&arrays->net->layers[index]));
  return true;
}

ImpastoStatus
impasto_vgg19_backward (ImpastoVgg19 *net,
                        float *dimage,
                        const float *const dfeatures[IMPASTO_VGG19_N_CONVS],
                        ImpastoShouldStop should_stop,
                        void *data)
{
  ArrayGradients arrays = { net, dfeatures };
  int start = -1;

  for (int i = net->deepest; i >= 0; i--)
    if (dfeatures[i] != NULL)
      {
        start = i;
        break;
      }
  for (int i = net->deepest + 1; i < IMPASTO_VGG19_N_CONVS; i++)
    IMPASTO_CHECK (dfeatures[i] == NULL);
  return impasto_vgg19_backward_from (net, dimage, start, add_array_gradient, &arrays,
                                      should_stop, data);
}
