/* impasto-cli-regions.c
 *
 * The painted regions of an impasto-cli run; see impasto-cli-regions.h. A --region value is read
 * from its end, so that a mask's file name may hold colons: MASK:K:WEIGHT when the part before
 * the last colon is a whole number, else MASK:K.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "impasto-cli-regions.h"
#include "impasto-mask.h"

/* An optional sign and at least one digit. */
static gboolean
is_whole_number (const char *text)
{
  const char *p = text;

  if (*p == '+' || *p == '-')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* One --region value into @region (its mask not yet read) and @path. */
static gboolean
parse_one (const char     *spec,
           int             n_paintings,
           char          **path,
           ImpastoRegion  *region,
           GError        **error)
{
  const char *last = strrchr (spec, ':');
  g_autofree char *head = NULL;
  const char *index_text;
  const char *weight_text = NULL;
  char *colon;
  gint64 index;

  if (last == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--region %s: say which painting goes there, as MASK:K (K the number of a "
                     "--style, or 0 to keep the photo)"), spec);
      return FALSE;
    }

  head = g_strndup (spec, last - spec);
  colon = strrchr (head, ':');
  if (colon != NULL && is_whole_number (colon + 1))
    {
      *colon = '\0';
      index_text = colon + 1;
      weight_text = last + 1;
    }
  else
    index_text = last + 1;

  if (head[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--region %s names no mask file before the colon"), spec);
      return FALSE;
    }

  if (!is_whole_number (index_text))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--region %s: “%s” is not a painting's number (write MASK:K or "
                     "MASK:K:WEIGHT, K the number of a --style, or 0 to keep the photo)"),
                   spec, index_text);
      return FALSE;
    }
  if (!g_ascii_string_to_signed (index_text, 10, 0, n_paintings, &index, NULL))
    {
      if (n_paintings == 1)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--region %s: there is no painting %s (with one --style, K is 1; 0 keeps "
                       "the photo)"), spec, index_text);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--region %s: there is no painting %s (K counts the --style flags in "
                       "order, 1 to %d; 0 keeps the photo)"), spec, index_text, n_paintings);
      return FALSE;
    }

  region->weight = 1.0;
  if (weight_text != NULL)
    {
      char *end = NULL;
      double weight;

      errno = 0;
      weight = g_ascii_strtod (weight_text, &end);
      if (weight_text[0] == '\0' || end == NULL || *end != '\0' || errno == ERANGE
          || !isfinite (weight) || weight <= 0.0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--region %s: the weight needs a number greater than 0, not “%s”"),
                       spec, weight_text);
          return FALSE;
        }
      region->weight = weight;
    }

  region->painting = index == 0 ? IMPASTO_REGION_KEEP_PHOTO : (int) index - 1;
  *path = g_steal_pointer (&head);
  return TRUE;
}

gboolean
impasto_cli_regions_parse (CliRegions   *self,
                           char        **specs,
                           const char   *guides,
                           int           n_paintings,
                           GError      **error)
{
  int n = specs != NULL ? (int) g_strv_length (specs) : 0;

  memset (self, 0, sizeof *self);
  self->guide_mode = IMPASTO_GUIDE_INSIDE;

  if (guides != NULL)
    {
      if (g_str_equal (guides, "inside"))
        self->guide_mode = IMPASTO_GUIDE_INSIDE;
      else if (g_str_equal (guides, "all"))
        self->guide_mode = IMPASTO_GUIDE_ALL;
      else
        {
          g_autofree char *names = g_strconcat ("inside", _(" or "), "all", NULL);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("unknown value “%s” for %s (use %s)"), guides, "--region-guides",
                       names);
          return FALSE;
        }
    }

  if (n > IMPASTO_MAX_REGIONS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--region is given %d times; a picture has at most %d regions"), n,
                   IMPASTO_MAX_REGIONS);
      return FALSE;
    }

  for (int i = 0; i < n; i++)
    {
      if (!parse_one (specs[i], n_paintings, &self->paths[i], &self->regions[i], error))
        return FALSE;
      self->n = i + 1;
    }
  return TRUE;
}

gboolean
impasto_cli_regions_load (CliRegions            *self,
                          ImpastoSessionConfig  *config,
                          GError               **error)
{
  for (int i = 0; i < self->n; i++)
    {
      ImpastoRegion *region = &self->regions[i];
      g_autoptr(GError) local_error = NULL;
      int width = 0;
      int height = 0;

      self->masks[i] = impasto_mask_load (self->paths[i], &width, &height, &local_error);
      if (self->masks[i] == NULL)
        {
          /* The message names the file. */
          g_set_error (error, local_error->domain, local_error->code, _("--region: %s"),
                       local_error->message);
          return FALSE;
        }
      if (!impasto_mask_covers (self->masks[i], (gsize) width * height))
        {
          g_autofree char *display_name = g_filename_display_name (self->paths[i]);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--region %s: the mask is empty, all black or fully transparent (white "
                         "marks where the region is)"), display_name);
          return FALSE;
        }
      region->mask = self->masks[i];
      region->width = width;
      region->height = height;
    }

  config->regions = self->n > 0 ? self->regions : NULL;
  config->n_regions = self->n;
  config->guide_mode = self->guide_mode;
  return TRUE;
}

void
impasto_cli_regions_free_masks (CliRegions *self)
{
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    {
      g_clear_pointer (&self->masks[i], g_free);
      self->regions[i].mask = NULL;
    }
}

void
impasto_cli_regions_clear (CliRegions *self)
{
  for (int i = 0; i < IMPASTO_MAX_REGIONS; i++)
    {
      g_clear_pointer (&self->masks[i], g_free);
      g_clear_pointer (&self->paths[i], g_free);
      self->regions[i].mask = NULL;
    }
}
