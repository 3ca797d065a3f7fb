/* impasto-session-regions.c
 *
 * A session's painted regions: each region's mask resampled to the picture's size and handed to
 * the objective's guides, and its painting's kept Gram matrices named as its target (the
 * paintings' targets are never recomputed for a region). The first region enables the
 * objective's regions, which plans their memory once; a mask of another size is resampled in
 * buffers held for the duration of the call.
 *
 * It does not decide what a region means (impasto-objective.h says) nor read image files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "impasto-memory.h"
#include "impasto-resample.h"
#include "impasto-session-private.h"

/* The largest side a mask may have (as a painting's). */
#define MAX_MASK_SIDE (1 << 15)

ImpastoStatus
impasto_region_validate (const ImpastoRegion *region,
                         int index,
                         int n_paintings,
                         ImpastoEngineError *error)
{
  if (region->mask == NULL || region->width < 1 || region->height < 1
      || region->width > MAX_MASK_SIDE || region->height > MAX_MASK_SIDE)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "region %d has no usable mask", index + 1);
  if (region->painting != IMPASTO_REGION_KEEP_PHOTO
      && (region->painting < 0 || region->painting >= n_paintings))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "region %d names painting %d, and there %s %d",
                                     index + 1, region->painting + 1,
                                     n_paintings == 1 ? "is" : "are", n_paintings);
  if (!isfinite (region->weight) || region->weight <= 0.0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "the weight of region %d must be a positive number, not %g",
                                     index + 1, region->weight);
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_session_config_validate_regions (const ImpastoSessionConfig *config,
                                          ImpastoEngineError *error)
{
  int n_paintings = config->n_paintings > 0 ? config->n_paintings : 1;

  if (config->n_regions < 0 || config->n_regions > IMPASTO_MAX_REGIONS
      || (config->n_regions > 0 && config->regions == NULL))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "a picture takes at most %d regions, not %d",
                                     IMPASTO_MAX_REGIONS, config->n_regions);
  if ((unsigned) config->guide_mode > IMPASTO_GUIDE_ALL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "unknown kind of region guide");
  for (int i = 0; i < config->n_regions; i++)
    {
      ImpastoStatus status = impasto_region_validate (&config->regions[i], i, n_paintings, error);

      if (status != IMPASTO_STATUS_OK)
        return status;
    }
  return IMPASTO_STATUS_OK;
}

size_t
_impasto_session_regions_estimate_bytes (const ImpastoWeights *weights,
                                         const ImpastoSessionConfig *config,
                                         const bool *style_layers)
{
  size_t peak = 0;

  if (config->n_regions <= 0)
    return 0;
  /* One mask resampled at a time. */
  for (int i = 0; i < config->n_regions; i++)
    {
      const ImpastoRegion *r = &config->regions[i];
      size_t bytes = ((size_t) config->width * config->height
                      + impasto_resample_scratch_floats (r->height, config->width, 1))
                     * sizeof (float);

      if (bytes > peak)
        peak = bytes;
    }
  return impasto_objective_regions_estimate_bytes (weights, config->height, config->width,
                                                   style_layers)
         + peak;
}

/* Hands @region (valid) to the objective as region @index. */
static ImpastoStatus
apply_region (ImpastoSession *self, int index, const ImpastoRegion *region,
              ImpastoEngineError *error)
{
  ImpastoRegionGuides *guides;
  float *resized = NULL, *scratch = NULL;
  const float *mask = region->mask;
  ImpastoStatus status;

  if (self->tiled != NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "regions are not painted in tiles: %d×%d is painted in "
                                     "%d×%d tiles", self->width, self->height, self->grid.x.n,
                                     self->grid.y.n);
  status = impasto_objective_enable_regions (self->objective, self->guide_mode);
  if (status != IMPASTO_STATUS_OK)
    return impasto_engine_error_set (error, status, "not enough memory for regions at %d×%d",
                                     self->width, self->height);
  if (region->width != self->width || region->height != self->height)
    {
      resized = impasto_alloc_floats ((size_t) self->width * self->height);
      scratch = impasto_alloc_floats (impasto_resample_scratch_floats (region->height,
                                                                       self->width, 1));
      if (resized == NULL || scratch == NULL)
        {
          impasto_free_buffer (resized);
          impasto_free_buffer (scratch);
          return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                           "not enough memory for the mask of region %d",
                                           index + 1);
        }
      impasto_resample (resized, scratch, region->mask, region->width, region->height,
                        self->width, self->height, 1);
      mask = resized;
    }
  guides = impasto_objective_get_region_guides (self->objective);
  impasto_region_guides_set_mask (guides, index, mask);
  impasto_free_buffer (resized);
  impasto_free_buffer (scratch);

  impasto_objective_set_region_target (self->objective, index,
                                       region->painting == IMPASTO_REGION_KEEP_PHOTO
                                       ? NULL : &self->painting_grams[region->painting],
                                       region->weight);
  self->region_set[index] = true;
  self->region_paintings[index] = region->painting;
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
_impasto_session_apply_config_regions (ImpastoSession *self,
                                       const ImpastoSessionConfig *config,
                                       ImpastoEngineError *error)
{
  for (int i = 0; i < config->n_regions; i++)
    {
      ImpastoStatus status = apply_region (self, i, &config->regions[i], error);

      if (status != IMPASTO_STATUS_OK)
        return status;
    }
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_session_set_region (ImpastoSession *self,
                            int index,
                            const ImpastoRegion *region,
                            ImpastoEngineError *error)
{
  ImpastoStatus status;

  if (index < 0 || index >= IMPASTO_MAX_REGIONS)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "there is no region %d: a picture has at most %d",
                                     index + 1, IMPASTO_MAX_REGIONS);
  if (region == NULL)
    {
      ImpastoRegionGuides *guides = self->objective != NULL
                                    ? impasto_objective_get_region_guides (self->objective) : NULL;

      /* No region there: nothing changes, and the optimiser keeps what it knows. */
      if (!self->region_set[index])
        return IMPASTO_STATUS_OK;
      if (guides != NULL)
        {
          impasto_region_guides_set_mask (guides, index, NULL);
          impasto_objective_set_region_target (self->objective, index, NULL, 0.0);
        }
      self->region_set[index] = false;
    }
  else
    {
      if ((status = impasto_region_validate (region, index, self->n_paintings, error)))
        return status;
      if ((status = apply_region (self, index, region, error)))
        return status;
    }
  /* The loss function changed: what we knew about it is stale. */
  self->grad_valid = false;
  if (self->lbfgs != NULL)
    impasto_lbfgs_reset (self->lbfgs);
  return IMPASTO_STATUS_OK;
}

int
impasto_session_get_guide_passes (const ImpastoSession *self, int index)
{
  ImpastoRegionGuides *guides = self->objective != NULL
                                ? impasto_objective_get_region_guides (self->objective) : NULL;

  IMPASTO_CHECK (index >= 0 && index <= IMPASTO_MAX_REGIONS);
  return guides != NULL ? impasto_region_guides_get_passes (guides, index) : 0;
}
