/* impasto-lbfgs.h
 *
 * L-BFGS with a backtracking line search, the paper's optimiser, over a flat float vector (the
 * picture's pixels, (3, H, W)). Its buffers are allocated once at creation; a step never
 * allocates. The state worth carrying from one picture size to the next is none: the curvature
 * pairs belong to one size, so a caller moving to another size creates a new one (or, at the same
 * size, calls impasto_lbfgs_reset()). Reductions run in double so that a 3-megapixel image does
 * not lose the small terms.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>

#include "impasto-status.h"

/* Evaluates the loss at @x and writes its gradient to @grad. */
typedef ImpastoStatus (*ImpastoEvalFunc) (void *data, const float *x, float *grad, double *loss);

typedef struct _ImpastoLbfgs ImpastoLbfgs;

/* @history pairs are kept (10 is usual). */
ImpastoStatus impasto_lbfgs_new (ImpastoLbfgs **out, size_t n, int history);
void impasto_lbfgs_free (ImpastoLbfgs *lbfgs);

/* Forgets the curvature pairs, e.g. after the loss function changed. */
void impasto_lbfgs_reset (ImpastoLbfgs *lbfgs);

/* The history as it stands, for a snapshot of the run: its capacity, the pairs held, and pair
 * @k (0 the oldest .. impasto_lbfgs_get_n_pairs() - 1 the newest): s and y, n floats each, and
 * rho = 1 / y^T s. Nothing else outlives a step (the line search begins afresh at every one). */
int impasto_lbfgs_get_history (const ImpastoLbfgs *lbfgs);
int impasto_lbfgs_get_n_pairs (const ImpastoLbfgs *lbfgs);
void impasto_lbfgs_get_pair (const ImpastoLbfgs *lbfgs,
                             int k,
                             const float **s,
                             const float **y,
                             double *rho);

/* Appends a pair (copied) as the newest, the oldest falling out when the history is full: after
 * impasto_lbfgs_reset(), pushing a history's pairs oldest first rebuilds it, and the next steps
 * are those the original would have taken, bit for bit. No allocation. */
void impasto_lbfgs_push_pair (ImpastoLbfgs *lbfgs, const float *s, const float *y, double rho);

/* One iteration from @x, whose loss @loss and gradient @grad the caller has already evaluated.
 * On return x, loss and grad describe the accepted point, whose loss is never higher than the
 * one it started from. @learning_rate scales the first trial step (1.0 is the usual choice).
 * Returns IMPASTO_STATUS_OK, also when no step along any direction lowered the loss (a minimum,
 * for float: the point stays where it was), or an @eval error other than IMPASTO_STATUS_NUMERIC
 * (the point is then the last accepted one; a NUMERIC trial only counts as rejected). */
ImpastoStatus impasto_lbfgs_step (ImpastoLbfgs *lbfgs,
                                  float *x,
                                  double *loss,
                                  float *grad,
                                  double learning_rate,
                                  ImpastoEvalFunc eval,
                                  void *data);
