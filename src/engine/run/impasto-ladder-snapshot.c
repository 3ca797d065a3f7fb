/* impasto-ladder-snapshot.c
 *
 * A ladder's snapshot: what it and its session hold between two steps, gathered into an
 * ImpastoSnapshot (pointing at the ladder's own buffers, nothing copied) and written; read back,
 * checked against the ladder that is to continue, and installed into a new session of the
 * snapshot's size, which then replaces the ladder's current one.
 *
 * It does not parse or lay out bytes (impasto-snapshot-format.c does) and it does not compute
 * targets itself: the new session does, as when the ladder moves to a size.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "impasto-ladder-snapshot.h"
#include "impasto-ladder-private.h"
#include "impasto-lbfgs.h"
#include "impasto-memory.h"
#include "impasto-session-private.h"
#include "impasto-snapshot-format.h"
#include "impasto-weights-cache.h"

static uint64_t
fold (uint64_t sum, const void *data, size_t bytes)
{
  uint64_t pair[2] = { sum, impasto_weights_cache_checksum (data, bytes) };

  return impasto_weights_cache_checksum (pair, sizeof pair);
}

static uint64_t
model_checksum (const ImpastoWeights *weights)
{
  uint64_t sum = 0;

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];
      int32_t channels[2] = { conv->in_channels, conv->out_channels };

      sum = fold (sum, channels, sizeof channels);
      sum = fold (sum, conv->filters, 9 * sizeof (float) * (size_t) conv->in_channels
                                      * (size_t) conv->out_channels);
      sum = fold (sum, conv->biases, sizeof (float) * (size_t) conv->out_channels);
    }
  return fold (sum, weights->mean_pixel, sizeof weights->mean_pixel);
}

/* The pictures and what says how they are used: the photo, the painting (or each painting of the
 * list with its brush size), the regions, and the start. */
static uint64_t
inputs_checksum (const ImpastoLadder *self)
{
  const ImpastoSessionConfig *config = &self->config;
  size_t n = (size_t) 3 * config->width * config->height;
  uint64_t sum = 0;
  struct
  {
    int32_t init;
    int32_t n_paintings;
    uint64_t seed;
    double noise_ratio;
  } start = { config->init, self->n_paintings, config->seed, config->noise_ratio };

  sum = fold (sum, &start, sizeof start);
  sum = fold (sum, self->content, n * sizeof (float));
  if (self->style != NULL)
    sum = fold (sum, self->style, n * sizeof (float));
  if (self->init != NULL)
    sum = fold (sum, self->init, n * sizeof (float));
  for (int i = 0; i < self->n_paintings; i++)
    {
      const ImpastoPainting *p = &self->paintings[i];
      struct
      {
        int32_t width;
        int32_t height;
        double scale;
        int32_t upscale;
        int32_t pad;
      } shape = { p->width, p->height, p->scale, p->upscale, 0 };

      sum = fold (sum, &shape, sizeof shape);
      sum = fold (sum, p->rgb, (size_t) 3 * p->width * p->height * sizeof (float));
    }
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    {
      const ImpastoRegion *r = &self->regions[i];
      struct
      {
        int32_t index;
        int32_t width;
        int32_t height;
        int32_t painting;
        double weight;
      } shape = { i, r->width, r->height, r->painting, r->weight };

      if (self->region_masks[i] == NULL)
        continue;
      sum = fold (sum, &shape, sizeof shape);
      sum = fold (sum, self->region_masks[i], (size_t) r->width * r->height * sizeof (float));
    }
  return sum;
}

static int
lbfgs_capacity (const ImpastoLadder *self)
{
  if (self->config.optimizer != IMPASTO_OPTIMIZER_LBFGS)
    return 0;
  return self->config.lbfgs_history > 0 ? self->config.lbfgs_history : 10;
}

/* The fingerprint of @self's run. */
static void
describe_run (const ImpastoLadder *self, ImpastoSnapshot *s)
{
  s->final_width = self->config.width;
  s->final_height = self->config.height;
  s->n_sizes = self->n_sizes;
  for (int i = 0; i < self->n_sizes; i++)
    {
      s->widths[i] = self->widths[i];
      s->heights[i] = self->heights[i];
      s->tile_windows[i] = self->windows[i];
    }
  s->window = self->ladder_config.window;
  s->tolerance = self->ladder_config.tolerance;
  s->optimizer = self->config.optimizer;
  s->lbfgs_history = lbfgs_capacity (self);
  s->pool = self->config.pool;
  s->guide_mode = self->config.guide_mode;
  s->model_checksum = model_checksum (self->weights);
  s->inputs_checksum = inputs_checksum (self);
}

ImpastoStatus
impasto_ladder_snapshot_write (ImpastoLadder *self, const char *path, ImpastoEngineError *error)
{
  const ImpastoSession *session = self->session;
  ImpastoSnapshot *s = calloc (1, sizeof *s);
  ImpastoStatus status;

  if (s == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  describe_run (self, s);
  s->scale = self->scale;
  s->last_scale = self->last_scale;
  s->steps = self->steps;
  s->budget_from = self->budget_from;
  s->base = self->base;
  s->converged = self->converged;
  s->iterations = self->ladder_config.iterations;
  s->middle_iterations = self->ladder_config.middle_iterations;
  s->first_iterations = self->ladder_config.first_iterations;
  s->created = session->created;
  s->params = session->params;
  s->width = session->width;
  s->height = session->height;
  s->iteration = session->iteration;
  s->grad_valid = session->grad_valid;
  s->losses = session->losses;
  s->x = session->x;
  s->grad = session->grad;
  s->recent = self->recent;
  if (session->lbfgs != NULL)
    {
      /* The rho of pair k goes to a small array of its own: the ring keeps them in slot order. */
      static const double none = 0.0;
      double *rho;

      s->n_pairs = impasto_lbfgs_get_n_pairs (session->lbfgs);
      rho = malloc ((size_t) (s->n_pairs > 0 ? s->n_pairs : 1) * sizeof (double));
      if (rho == NULL)
        {
          free (s);
          return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
        }
      for (int k = 0; k < s->n_pairs && k < IMPASTO_SNAPSHOT_MAX_PAIRS; k++)
        impasto_lbfgs_get_pair (session->lbfgs, k, &s->s[k], &s->y[k], &rho[k]);
      s->rho = s->n_pairs > 0 ? rho : &none;
      status = impasto_snapshot_write (s, path, error);
      free (rho);
    }
  else
    {
      s->adam_t = session->adam.t;
      s->m = session->adam.m;
      s->v = session->adam.v;
      status = impasto_snapshot_write (s, path, error);
    }
  free (s);
  return status;
}

/* Whether @s is a snapshot of @self's run; if not, says what differs. */
static ImpastoStatus
check_run (const ImpastoLadder *self, const ImpastoSnapshot *s, const char *path,
           ImpastoEngineError *error)
{
  static const char *const optimizers[] = { "Adam", "L-BFGS" };
  ImpastoSnapshot *mine = calloc (1, sizeof *mine);
  ImpastoStatus status = IMPASTO_STATUS_INVALID_ARGUMENT;

  if (mine == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  describe_run (self, mine);
  if (s->final_width != mine->final_width || s->final_height != mine->final_height)
    impasto_engine_error_set (error, status, "%s: the snapshot is of a %d×%d picture, this run "
                              "paints %d×%d", path, s->final_width, s->final_height,
                              mine->final_width, mine->final_height);
  else if (s->n_sizes != mine->n_sizes
           || memcmp (s->widths, mine->widths, sizeof s->widths) != 0
           || memcmp (s->heights, mine->heights, sizeof s->heights) != 0)
    impasto_engine_error_set (error, status, "%s: the snapshot's run climbs %d sizes, this one "
                              "%d or others (a different smallest size or number of sizes)",
                              path, s->n_sizes, mine->n_sizes);
  else if (memcmp (s->tile_windows, mine->tile_windows, sizeof s->tile_windows) != 0)
    impasto_engine_error_set (error, status, "%s: the snapshot's run was painted in other tiles "
                              "(another memory budget)", path);
  else if (s->optimizer != mine->optimizer)
    impasto_engine_error_set (error, status, "%s: the snapshot was taken with %s, this run uses "
                              "%s", path, optimizers[s->optimizer],
                              optimizers[mine->optimizer]);
  else if (s->lbfgs_history != mine->lbfgs_history)
    impasto_engine_error_set (error, status, "%s: the snapshot keeps an L-BFGS history of %d "
                              "pairs, this run %d", path, s->lbfgs_history,
                              mine->lbfgs_history);
  else if (s->window != mine->window || s->tolerance != mine->tolerance)
    impasto_engine_error_set (error, status, "%s: the snapshot's run measures convergence "
                              "otherwise (window %d, tolerance %g; this run %d, %g)", path,
                              s->window, s->tolerance, mine->window, mine->tolerance);
  else if (s->pool != mine->pool || s->guide_mode != mine->guide_mode)
    impasto_engine_error_set (error, status, "%s: the snapshot's run pools or guides its "
                              "regions otherwise", path);
  else if (s->model_checksum != mine->model_checksum)
    impasto_engine_error_set (error, status, "%s: the snapshot was taken with another model",
                              path);
  else if (s->inputs_checksum != mine->inputs_checksum)
    impasto_engine_error_set (error, status, "%s: the snapshot was taken with other pictures "
                              "(photo, paintings, brush sizes, regions or start); continue it "
                              "with the ones it was taken with", path);
  else
    status = IMPASTO_STATUS_OK;
  free (mine);
  return status;
}

/* The snapshot's own values, against the ladder it belongs to (the format checked its counts). */
static ImpastoStatus
check_state (const ImpastoLadder *self, const ImpastoSnapshot *s, const char *path,
             ImpastoEngineError *error)
{
  ImpastoEngineError ignored;

  if (s->width != self->widths[s->scale] || s->height != self->heights[s->scale]
      || s->last_scale < 0 || s->last_scale >= self->n_sizes || s->steps < 0
      || s->budget_from < 0 || s->budget_from > s->steps || s->base < -1 || s->base > s->steps
      || s->iteration < 0 || s->iterations < 0 || s->middle_iterations < 0
      || s->first_iterations < 0
      || impasto_session_params_validate (&s->created, &ignored) != IMPASTO_STATUS_OK
      || impasto_session_params_validate (&s->params, &ignored) != IMPASTO_STATUS_OK
      || impasto_session_params_need_restart (&s->created, &s->params, NULL))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%s: the snapshot is damaged (its run's state is "
                                     "inconsistent)", path);
  return IMPASTO_STATUS_OK;
}

/* @session, new at the snapshot's size with the parameters it was opened with, takes the
 * snapshot's parameters in force, then its picture, cached gradient and optimiser. */
static ImpastoStatus
install_state (ImpastoSession *session, const ImpastoSnapshot *s, ImpastoEngineError *error)
{
  ImpastoStatus status = impasto_session_set_params (session, &s->params, error);

  if (status != IMPASTO_STATUS_OK)
    return status;
  memcpy (session->x, s->x, session->n * sizeof (float));
  memcpy (session->grad, s->grad, session->n * sizeof (float));
  session->grad_valid = s->grad_valid;
  session->losses = s->losses;
  session->iteration = s->iteration;
  if (session->lbfgs != NULL)
    {
      impasto_lbfgs_reset (session->lbfgs);
      for (int k = 0; k < s->n_pairs; k++)
        impasto_lbfgs_push_pair (session->lbfgs, s->s[k], s->y[k], s->rho[k]);
    }
  else
    {
      /* As they were, bit for bit: not impasto_adam_import(), which is for moments resampled
       * from another size. */
      memcpy (session->adam.m, s->m, session->n * sizeof (float));
      memcpy (session->adam.v, s->v, session->n * sizeof (float));
      session->adam.t = s->adam_t;
    }
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_ladder_snapshot_read (ImpastoLadder *self, const char *path,
                              const ImpastoSessionParams *params, ImpastoEngineError *error)
{
  ImpastoSnapshot *s = calloc (1, sizeof *s);
  ImpastoSession *session = NULL;
  const float *mean = self->weights->mean_pixel;
  float *rgb = NULL, *current = NULL, *scratch = NULL;
  void *buffer = NULL;
  bool branch;
  size_t plane;
  ImpastoStatus status;

  if (s == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "out of memory");
  if (params != NULL && (status = impasto_session_params_validate (params, error)))
    goto out;
  status = impasto_snapshot_load (s, &buffer, path, error);
  if (status != IMPASTO_STATUS_OK)
    goto out;
  if ((status = check_run (self, s, path, error)) || (status = check_state (self, s, path, error)))
    goto out;
  branch = params != NULL && memcmp (params, &s->params, sizeof *params) != 0;

  /* The new session starts from the snapshot's picture (its exact floats are put in below). */
  plane = (size_t) s->width * s->height;
  rgb = impasto_alloc_floats (3 * plane);
  if (rgb == NULL
      || _impasto_ladder_plan_copies (self, s->scale, &current, &scratch) != IMPASTO_STATUS_OK)
    {
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "not enough memory to continue at %d×%d", s->width,
                                         s->height);
      goto out;
    }
  for (size_t p = 0; p < plane; p++)
    for (int c = 0; c < 3; c++)
      rgb[p * 3 + c] = s->x[c * plane + p] + mean[c];

  status = _impasto_ladder_open_size (self, s->scale, rgb, &s->created, &session, error);
  if (status == IMPASTO_STATUS_OK)
    status = install_state (session, s, error);
  /* A branch: new values, set as impasto_ladder_set_params() would have set them live. */
  if (status == IMPASTO_STATUS_OK && branch)
    status = impasto_session_set_params (session, params, error);
  if (status != IMPASTO_STATUS_OK)
    goto out;

  _impasto_ladder_install_size (self, s->scale, session, current, scratch);
  session = NULL;
  current = scratch = NULL;
  self->last_scale = s->last_scale;
  self->steps = s->steps;
  self->budget_from = s->budget_from;
  self->base = s->base;
  self->converged = s->converged;
  memcpy (self->recent, s->recent, ((size_t) s->window + 1) * sizeof (double));
  self->ladder_config.iterations = s->iterations;
  self->ladder_config.middle_iterations = s->middle_iterations;
  self->ladder_config.first_iterations = s->first_iterations;
  self->params = s->params;
  if (branch)
    {
      /* As impasto_ladder_set_params(): a new loss function, measured afresh. */
      self->params = *params;
      self->base = -1;
      self->converged = false;
    }

out:
  impasto_session_free (session);
  impasto_free_buffer (rgb);
  impasto_free_buffer (current);
  impasto_free_buffer (scratch);
  free (buffer);
  free (s);
  return status;
}
