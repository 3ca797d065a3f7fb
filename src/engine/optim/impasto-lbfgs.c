/* impasto-lbfgs.c
 *
 * L-BFGS over the image's pixels: the two-loop recursion with the usual s^T y / y^T y initial
 * scaling and a backtracking line search on the Armijo condition, so an accepted iteration never
 * raises the loss; when no step lowers it, the history is dropped and steepest descent tried, and
 * failing that the point stays where it was. Steepest-descent steps, which have no curvature to
 * scale them, are also expanded while the loss keeps falling.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-lbfgs.h"
#include "impasto-memory.h"

#define ARMIJO_C1 1e-4
#define MAX_BACKTRACKS 30
#define MAX_EXPANSIONS 10

struct _ImpastoLbfgs
{
  size_t n;
  int history;     /* capacity */
  int count;       /* pairs held */
  int newest;      /* index of the newest pair in the ring */
  float *s;        /* (history, n) x_{k+1} - x_k */
  float *y;        /* (history, n) g_{k+1} - g_k */
  double *rho;     /* (history) 1 / y^T s */
  double *alpha;   /* (history) two-loop scratch */
  float *d;        /* (n) search direction */
  float *x0;       /* (n) start of the line search */
  float *g0;       /* (n) gradient there */
};

static double
dot (const float *a, const float *b, size_t n)
{
  double sum = 0.0;
  for (size_t i = 0; i < n; i++)
    sum += (double) a[i] * b[i];
  return sum;
}

ImpastoStatus
impasto_lbfgs_new (ImpastoLbfgs **out, size_t n, int history)
{
  ImpastoLbfgs *self;

  *out = NULL;
  if (history < 1)
    history = 1;
  self = calloc (1, sizeof *self);
  if (self == NULL)
    return IMPASTO_STATUS_OUT_OF_MEMORY;
  self->n = n;
  self->history = history;
  self->s = impasto_alloc_floats (n * (size_t) history);
  self->y = impasto_alloc_floats (n * (size_t) history);
  self->rho = calloc ((size_t) history, sizeof (double));
  self->alpha = calloc ((size_t) history, sizeof (double));
  self->d = impasto_alloc_floats (n);
  self->x0 = impasto_alloc_floats (n);
  self->g0 = impasto_alloc_floats (n);
  if (!self->s || !self->y || !self->rho || !self->alpha || !self->d || !self->x0 || !self->g0)
    {
      impasto_lbfgs_free (self);
      return IMPASTO_STATUS_OUT_OF_MEMORY;
    }
  impasto_lbfgs_reset (self);
  *out = self;
  return IMPASTO_STATUS_OK;
}

void
impasto_lbfgs_free (ImpastoLbfgs *self)
{
  if (self == NULL)
    return;
  impasto_free_buffer (self->s);
  impasto_free_buffer (self->y);
  free (self->rho);
  free (self->alpha);
  impasto_free_buffer (self->d);
  impasto_free_buffer (self->x0);
  impasto_free_buffer (self->g0);
  free (self);
}

void
impasto_lbfgs_reset (ImpastoLbfgs *self)
{
  self->count = 0;
  self->newest = -1;
}

int
impasto_lbfgs_get_history (const ImpastoLbfgs *self)
{
  return self->history;
}

int
impasto_lbfgs_get_n_pairs (const ImpastoLbfgs *self)
{
  return self->count;
}

void
impasto_lbfgs_get_pair (const ImpastoLbfgs *self, int k, const float **s, const float **y,
                        double *rho)
{
  /* The ring holds the newest at self->newest, the oldest count - 1 slots before it. */
  int j = (self->newest - (self->count - 1 - k) + self->history) % self->history;

  *s = self->s + (size_t) j * self->n;
  *y = self->y + (size_t) j * self->n;
  *rho = self->rho[j];
}

void
impasto_lbfgs_push_pair (ImpastoLbfgs *self, const float *s, const float *y, double rho)
{
  int slot = (self->newest + 1) % self->history;

  memcpy (self->s + (size_t) slot * self->n, s, self->n * sizeof (float));
  memcpy (self->y + (size_t) slot * self->n, y, self->n * sizeof (float));
  self->rho[slot] = rho;
  self->newest = slot;
  if (self->count < self->history)
    self->count++;
}

/* d = -H g by the two-loop recursion; with no history, steepest descent scaled so that the
 * largest component moves by 1 (one grey level on the 0..255 scale). */
static void
compute_direction (ImpastoLbfgs *self, const float *g)
{
  const size_t n = self->n;
  float *d = self->d;

  for (size_t i = 0; i < n; i++)
    d[i] = -g[i];

  if (self->count == 0)
    {
      float gmax = 0.0f;
      for (size_t i = 0; i < n; i++)
        gmax = fmaxf (gmax, fabsf (g[i]));
      if (gmax > 0.0f)
        for (size_t i = 0; i < n; i++)
          d[i] /= gmax;
      return;
    }

  for (int k = 0; k < self->count; k++)
    {
      int j = (self->newest - k + self->history) % self->history;
      const float *s = self->s + (size_t) j * n;
      const float *y = self->y + (size_t) j * n;
      double a = self->rho[j] * dot (s, d, n);

      self->alpha[j] = a;
      for (size_t i = 0; i < n; i++)
        d[i] -= (float) a * y[i];
    }

  {
    const float *s = self->s + (size_t) self->newest * n;
    const float *y = self->y + (size_t) self->newest * n;
    float gamma = (float) (dot (s, y, n) / dot (y, y, n));
    for (size_t i = 0; i < n; i++)
      d[i] *= gamma;
  }

  for (int k = self->count - 1; k >= 0; k--)
    {
      int j = (self->newest - k + self->history) % self->history;
      const float *s = self->s + (size_t) j * n;
      const float *y = self->y + (size_t) j * n;
      double b = self->rho[j] * dot (y, d, n);

      for (size_t i = 0; i < n; i++)
        d[i] += (float) (self->alpha[j] - b) * s[i];
    }
}

/* After steepest descent's first trial step was accepted at once: keep doubling the step while
 * the loss keeps falling. Without curvature pairs (none yet, or the loss is locally concave, where
 * s^T y < 0 rejects them) the unit step is only a guess and can be orders of magnitude short. */
static ImpastoStatus
expand (ImpastoLbfgs *self, float *x, double *loss, float *grad, double step,
        ImpastoEvalFunc eval, void *data)
{
  const size_t n = self->n;
  const double slope = dot (self->g0, self->d, n);
  const double f0 = *loss;

  for (int k = 0; k < MAX_EXPANSIONS; k++)
    {
      double trial = 2.0 * step, f = 0.0;
      ImpastoStatus status;

      for (size_t i = 0; i < n; i++)
        x[i] = self->x0[i] + (float) trial * self->d[i];
      status = eval (data, x, grad, &f);
      if (status == IMPASTO_STATUS_OK && isfinite (f) && f < *loss
          && f <= f0 + ARMIJO_C1 * trial * slope)
        {
          *loss = f;
          step = trial;
          continue;
        }
      if (status != IMPASTO_STATUS_OK && status != IMPASTO_STATUS_NUMERIC)
        return status;
      /* Back to the best point, evaluated once more so that the last evaluation the caller saw
       * is the accepted point (the session reads its loss terms from there). */
      for (size_t i = 0; i < n; i++)
        x[i] = self->x0[i] + (float) step * self->d[i];
      status = eval (data, x, grad, &f);
      if (status != IMPASTO_STATUS_OK)
        return status;
      *loss = f;
      break;
    }
  return IMPASTO_STATUS_OK;
}

/* Backtracking along d from x0 until the Armijo condition holds. On success x, loss and grad
 * hold the new point. On failure x holds x0 again and loss/grad are unchanged. */
static ImpastoStatus
line_search (ImpastoLbfgs *self,
             float *x,
             double *loss,
             float *grad,
             double step,
             ImpastoEvalFunc eval,
             void *data,
             int *accepted)
{
  const size_t n = self->n;
  const double f0 = *loss;
  const double slope = dot (self->g0, self->d, n);

  *accepted = 0;
  if (!(slope < 0.0))
    return IMPASTO_STATUS_OK;

  for (int attempt = 0; attempt < MAX_BACKTRACKS; attempt++, step *= 0.5)
    {
      double f = 0.0;
      ImpastoStatus status;

      for (size_t i = 0; i < n; i++)
        x[i] = self->x0[i] + (float) step * self->d[i];
      status = eval (data, x, grad, &f);
      if (status != IMPASTO_STATUS_OK && status != IMPASTO_STATUS_NUMERIC)
        {
          memcpy (x, self->x0, n * sizeof (float));
          memcpy (grad, self->g0, n * sizeof (float));
          return status;
        }
      if (status == IMPASTO_STATUS_OK && isfinite (f) && f <= f0 + ARMIJO_C1 * step * slope)
        {
          *loss = f;
          *accepted = 1;
          if (attempt == 0 && self->count == 0)
            return expand (self, x, loss, grad, step, eval, data);
          return IMPASTO_STATUS_OK;
        }
    }

  memcpy (x, self->x0, n * sizeof (float));
  memcpy (grad, self->g0, n * sizeof (float));
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_lbfgs_step (ImpastoLbfgs *self,
                    float *x,
                    double *loss,
                    float *grad,
                    double learning_rate,
                    ImpastoEvalFunc eval,
                    void *data)
{
  const size_t n = self->n;
  ImpastoStatus status;
  int accepted = 0;

  memcpy (self->x0, x, n * sizeof (float));
  memcpy (self->g0, grad, n * sizeof (float));

  compute_direction (self, self->g0);
  status = line_search (self, x, loss, grad, learning_rate, eval, data, &accepted);
  if (status != IMPASTO_STATUS_OK)
    return status;

  if (!accepted && self->count > 0)
    {
      /* The curvature model misled us: start again from steepest descent. */
      impasto_lbfgs_reset (self);
      compute_direction (self, self->g0);
      status = line_search (self, x, loss, grad, learning_rate, eval, data, &accepted);
      if (status != IMPASTO_STATUS_OK)
        return status;
    }

  if (!accepted)
    return IMPASTO_STATUS_OK; /* nothing lowers the loss: stay put */

  {
    int slot = (self->newest + 1) % self->history;
    float *s = self->s + (size_t) slot * n;
    float *y = self->y + (size_t) slot * n;
    double sy = 0.0, yy = 0.0;

    /* The curvature first, the pair written only if it is kept: with a full history the slot is
     * the oldest pair's, which a rejected pair must not overwrite. */
    for (size_t i = 0; i < n; i++)
      {
        float si = x[i] - self->x0[i];
        float yi = grad[i] - self->g0[i];

        sy += (double) si * yi;
        yy += (double) yi * yi;
      }
    /* Keep only pairs with positive curvature, so H stays positive definite. */
    if (sy > 1e-10 * yy && yy > 0.0)
      {
        for (size_t i = 0; i < n; i++)
          {
            s[i] = x[i] - self->x0[i];
            y[i] = grad[i] - self->g0[i];
          }
        self->rho[slot] = 1.0 / sy;
        self->newest = slot;
        if (self->count < self->history)
          self->count++;
      }
  }
  return IMPASTO_STATUS_OK;
}
