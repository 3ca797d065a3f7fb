/* impasto-winograd.h
 *
 * 3x3 convolution, pad 1, stride 1, cross-correlation, forward and backward-to-input, with
 * Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray 2015): the same contract and the same
 * results (up to float rounding) as impasto_conv2d_forward/backward_naive in impasto-conv.h, with
 * 4x fewer multiplications. The image is cut into 6x6 input tiles at stride 4; per block of tiles
 * each input channel's tiles become V = B^T d B, 36 matrix products
 * M_xi (Cout, tiles) = U_xi (Cout, Cin) V_xi (Cin, tiles) mix the channels, and A^T M A gives
 * 4x4 output pixels per tile. The filters U = G g G^T are transformed once per network by
 * impasto_winograd_prepare(); the backward pass uses the same U, transposed (see the .c file).
 *
 * The 36 products run on our AVX-512 micro-kernel when the CPU has AVX-512F, else on OpenBLAS's
 * sgemm, called single-threaded from each of the pool's threads: BLAS itself must be set to one
 * thread while these functions run on such a CPU (see the .c file).
 *
 * Nothing is allocated by forward or backward: the transformed filters and the per-thread
 * workspaces are buffers the caller plans once, sized by the _floats() queries.
 *
 * Not here: strides, other kernel sizes, weight gradients, ReLU's backward (the caller masks the
 * gradient), pooling, and choosing the number of threads (the pool's owner does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#include "impasto-conv.h"
#include "impasto-parallel.h"

/* Which compiled code runs: the transforms (AVX-512 or x86-64 baseline) and the 36 products. */
typedef enum
{
  IMPASTO_WINOGRAD_AUTO = 0,    /* AVX512 if the CPU has AVX-512F, else AVX2 if it has AVX2
                                 * and FMA, else BASELINE */
  IMPASTO_WINOGRAD_AVX512,      /* AVX-512 transforms and our packed micro-kernel */
  IMPASTO_WINOGRAD_AVX512_BLAS, /* AVX-512 transforms, single-threaded cblas_sgemm per thread */
  IMPASTO_WINOGRAD_BASELINE,    /* baseline transforms and BLAS: CPUs without AVX2 */
  IMPASTO_WINOGRAD_AVX2,        /* the portable transforms compiled for AVX2 and FMA, and our
                                 * packed micro-kernel with AVX2: CPUs without AVX-512 */
  IMPASTO_WINOGRAD_AVX2_BLAS,   /* the same transforms, single-threaded cblas_sgemm per thread */
  IMPASTO_WINOGRAD_NAIVE,       /* baseline transforms, plain loops over the micro-kernel's
                                 * layout: the reference for the micro-kernel */
} ImpastoWinogradPath;

/* Chooses the path for all later calls and returns the one actually used: AUTO resolves by CPU,
 * the AVX-512 paths become BASELINE on a CPU without AVX-512F, and the AVX2 ones do on one
 * without AVX2 and FMA. The default is AUTO. For
 * tests and benchmarks: call it only while no convolution runs. */
ImpastoWinogradPath impasto_winograd_set_path (ImpastoWinogradPath path);

/* "avx512", "avx512+blas", "avx2", "avx2+blas", "baseline+blas" or "naive": what the calls use
 * now. */
const char *impasto_winograd_path_name (void);

/* Floats of transformed filters for a Cin -> Cout layer: 36 * Cout * Cin (4x the 3x3 filters). */
size_t impasto_winograd_filter_floats (int in_channels, int out_channels);

/* u (36, Cout, Cin) = G g G^T for every filter g = weight[co][ci] of weight (Cout, Cin, 3, 3):
 * 36 matrices U_xi (Cout, Cin) row-major, xi = 6 * i + j for the transformed tap (i, j).
 * The same u serves forward and backward, on every path. Double precision inside, so u is the
 * float nearest to the exact transform. */
void impasto_winograd_prepare (float *u,
                               const float *weight,
                               int in_channels,
                               int out_channels);

/* Floats of scratch forward and backward need with a pool of @n_threads threads (pass
 * impasto_parallel_get_n_threads (pool); a pool with more threads needs more) on the current path:
 * one block workspace per thread, at most ~4.5 MiB each with our micro-kernel, ~16 MiB with BLAS.
 * Size it after any impasto_winograd_set_path(). It must be 64-byte aligned, as
 * impasto_alloc_floats() makes it. */
size_t impasto_winograd_scratch_floats (const ImpastoConvDims *dims, int n_threads);

/* out (Cout, H, W) = conv(inp (Cin, H, W), weight) + bias (Cout), where u (36, Cout, Cin) came
 * from impasto_winograd_prepare (u, weight, Cin, Cout). @bias may be NULL (no bias), @pool NULL
 * (everything on the caller's thread). */
void impasto_winograd_forward (float *out,
                               const float *inp,
                               const float *u,
                               const float *bias,
                               const ImpastoConvDims *dims,
                               float *scratch,
                               ImpastoParallel *pool);

/* The same followed by ReLU in the same pass: out = max (conv + bias, 0). Saves the separate
 * impasto_relu_forward() sweep over the layer's output. */
void impasto_winograd_forward_relu (float *out,
                                    const float *inp,
                                    const float *u,
                                    const float *bias,
                                    const ImpastoConvDims *dims,
                                    float *scratch,
                                    ImpastoParallel *pool);

/* Touches OpenBLAS's packing buffers on every thread of @pool as far as the convolutions (on the
 * paths that use OpenBLAS) and the style losses' Gram matrices and gradients (on every path) of a
 * network whose widest layer has @channels and whose largest has @positions (H × W) can use
 * them, once per process (again only for more threads, channels or positions), so that no page
 * of them is first touched in the iteration loop. Costs a few large products (for VGG19). */
void impasto_winograd_warm_blas (ImpastoParallel *pool, int channels, size_t positions);

/* dinp (Cin, H, W) += d(conv)/d(inp)^T dout (Cout, H, W), with the same u as the forward. */
void impasto_winograd_backward (float *dinp,
                                const float *dout,
                                const float *u,
                                const ImpastoConvDims *dims,
                                float *scratch,
                                ImpastoParallel *pool);

/* The same through the ReLU that follows the conv: dinp += d(conv)/d(inp)^T (dout masked where
 * @relu, the ReLU's output (Cout, H, W), is above 0). The mask is applied as the input phase
 * reads dout (on every path, the AVX-512 gathers included), which saves
 * impasto_relu_backward()'s separate sweep; @dout is left as it is. With @relu NULL, the same as
 * impasto_winograd_backward(). */
void impasto_winograd_backward_relu (float *dinp,
                                     const float *dout,
                                     const float *relu,
                                     const float *u,
                                     const ImpastoConvDims *dims,
                                     float *scratch,
                                     ImpastoParallel *pool);
