/* test-scratch.h
 *
 * A scratch folder for an engine test program: made before the tests run, and removed with the
 * files in it when they are done. Header-only, like test-net.h.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* A new folder named after @prefix ("impasto-test-NAME-XXXXXX"); free with
 * test_scratch_dir_remove(). */
static inline char *
test_scratch_dir_new (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (prefix, &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes the files in @dir (there are no subfolders), @dir itself, and frees the name. */
static inline void
test_scratch_dir_remove (char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}
