/* impasto-params-handoff.c
 *
 * A mutex-guarded mailbox of one ImpastoSessionParams with serial numbers (see the header).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-params-handoff"

#include "config.h"

#include "impasto-params-handoff.h"

void
impasto_params_handoff_init (ImpastoParamsHandoff        *self,
                             const ImpastoSessionParams  *initial)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (initial != NULL);

  g_mutex_init (&self->mutex);
  self->params = *initial;
  self->serial = 1;
  self->taken = 1;
}

void
impasto_params_handoff_clear (ImpastoParamsHandoff *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_clear (&self->mutex);
}

guint
impasto_params_handoff_put (ImpastoParamsHandoff        *self,
                            const ImpastoSessionParams  *params)
{
  guint serial;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (params != NULL, 0);

  g_mutex_lock (&self->mutex);
  self->params = *params;
  serial = ++self->serial;
  g_mutex_unlock (&self->mutex);

  return serial;
}

gboolean
impasto_params_handoff_take (ImpastoParamsHandoff  *self,
                             ImpastoSessionParams  *params,
                             guint                 *serial)
{
  gboolean newer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  newer = self->serial != self->taken;
  if (newer)
    {
      *params = self->params;
      self->taken = self->serial;
      if (serial != NULL)
        *serial = self->serial;
    }
  g_mutex_unlock (&self->mutex);

  return newer;
}

guint
impasto_params_handoff_peek (ImpastoParamsHandoff  *self,
                             ImpastoSessionParams  *params)
{
  guint serial;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  if (params != NULL)
    *params = self->params;
  serial = self->serial;
  g_mutex_unlock (&self->mutex);

  return serial;
}
