/* reference-dump.h
 *
 * What the engine's PyTorch reference tests (test-reference*.c) share: the reader of the dumps
 * tools/make-reference.py writes, the tiny network and the loss parameters a dump holds, the
 * (H, W, 3) <-> (3, H, W) conversions, and the comparisons with a tolerance that report the
 * observed error with g_test_message and mark the test failed (without aborting) when it is
 * exceeded, so that `--verbose` or the TAP log shows how much headroom is left.
 *
 * It reads dumps only; it never needs PyTorch, and it does not decide tolerances (each test
 * does, from the float32 drift the script reports).
 *
 * Dump format, little-endian (the script's header documents the same):
 *   header: 8 bytes magic "IMPREF1\0", uint32 version (1), uint32 number of records
 *   record: char name[32] (NUL-padded), uint32 dtype (0 float32, 1 float64, 2 int32),
 *           uint32 ndim (0..4), int32 dims[4] (unused ones 0), then prod(dims) elements.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "impasto-objective.h"
#include "impasto-session.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

typedef enum
{
  REF_F32 = 0,
  REF_F64 = 1,
  REF_I32 = 2,
} RefType;

typedef struct
{
  RefType type;
  int ndim;
  int dims[4];
  size_t n;        /* elements */
  gpointer data;   /* n elements of type, host byte order */
} RefRecord;

/* The dump at tests/data/@file as a table name -> RefRecord; fails the test with a message if
 * it is malformed. Free with g_hash_table_unref(). */
GHashTable *ref_load (const char *file);

/* The record @name, which must have @type and @ndim dimensions. */
const RefRecord *ref_get (GHashTable *records, const char *name, RefType type, int ndim);

/* The float32 record @name of @ndim dimensions; where @dims (may be NULL) has an entry >= 0,
 * that dimension must match it. */
const float *ref_floats (GHashTable *records, const char *name, int ndim, const int *dims);

/* The one-dimensional record @name of @n float64 or int32 values. */
const double *ref_doubles (GHashTable *records, const char *name, int n);
const gint32 *ref_ints (GHashTable *records, const char *name, int n);

double ref_double (GHashTable *records, const char *name);
int ref_int (GHashTable *records, const char *name);

/* The dump's tiny network: weights built from its filters, biases and mean pixel, its pooling
 * and (if not NULL) the 17 channel counts. */
ImpastoWeights *ref_weights_new (GHashTable *records,
                                 ImpastoPoolMode *pool,
                                 int channels[IMPASTO_VGG19_N_CONVS + 1]);

/* The engine's defaults with the dump's alpha, beta, tv, learning rate and layer weights; checks
 * that the dump's Adam constants are the engine's. */
void ref_params_load (GHashTable *records, ImpastoSessionParams *params);

/* (H, W, 3) interleaved RGB to (3, H, W), minus @mean if not NULL, and back. */
float *ref_rgb_to_chw (const float *rgb, int height, int width, const float *mean);
float *ref_chw_to_rgb (const float *chw, int height, int width);

/* Checks |got - ref| <= atol + rtol * |ref| elementwise and, if @nmse_max > 0, that
 * sum (got - ref)^2 / sum ref^2 <= @nmse_max. */
gboolean ref_check_close (const char *what,
                          const float *got,
                          const float *ref,
                          size_t n,
                          double atol,
                          double rtol,
                          double nmse_max);

/* |got - ref| <= rtol * |ref|. */
gboolean ref_check_scalar (const char *what, double got, double ref, double rtol);

/* Total, content, style and TV against @ref (those four, in that order). */
void ref_check_losses (const char *what, const ImpastoLosses *got, const double ref[4],
                       double rtol);

/* The checks of a session made from a dump, with Adam and the dump's init image, at iteration 0
 * (each uses a fresh session):
 * - its losses (impasto_session_evaluate()) against loss.total, .content, .style and .tv;
 * - its gradient at the init image against grad_rgb (ref_check_close() with an atol of
 *   @atol_of_max * max|g|): the first moment after one update is (1 - beta1) * g, exactly in
 *   float32, so g is read back from Adam's state;
 * - the losses after each update against adam.losses (as many steps as it has rows) and the
 *   image after the last against adam.final_rgb (absolute, on the 0..255 scale). */
void ref_check_session_losses (ImpastoSession *session, GHashTable *records, double rtol);
void ref_check_session_gradient (ImpastoSession *session,
                                 GHashTable *records,
                                 double atol_of_max,
                                 double rtol,
                                 double nmse_max);
void ref_check_session_adam (ImpastoSession *session,
                             GHashTable *records,
                             double loss_rtol,
                             double image_atol);
