/* impasto-frame.c
 *
 * Making and freeing a frame (see impasto-frame.h). Nothing else.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-frame"

#include "config.h"

#include "impasto-frame.h"

ImpastoFrame *
impasto_frame_new (void)
{
  return g_new0 (ImpastoFrame, 1);
}

void
impasto_frame_free (ImpastoFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->pixels, g_bytes_unref);
  g_clear_pointer (&frame->warning, g_free);
  g_free (frame);
}
