/* impasto-resources.c
 *
 * See impasto-resources-private.h. Nothing else lives here.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-resources"

#include "config.h"

#include "impasto-resources.h"
#include "impasto-resources-private.h"

void
impasto_resources_ensure (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      impasto_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}
