/* cli-test-util.h
 *
 * What the impasto-cli tests share: the paths of the programs under test (from the environment
 * meson sets), scratch folders, small generated images, and running the CLI to completion with
 * its exit code and output captured.
 *
 * It does not check anything about the CLI itself; the test programs do.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* $IMPASTO_CLI, asserted to be set. */
const char *cli_test_program (void);

/* A new scratch folder, and its removal with every file in it. */
char *cli_test_dir_new (void);
void cli_test_dir_free (char *dir);

/* Number of entries in @dir. */
guint cli_test_count_files (const char *dir);

/* Writes content.png (40 x 32), style.png (40 x 32) and style.jpg (48 x 40) into @dir. */
void cli_test_write_images (const char *dir);

/* Writes @size bytes to @path. */
void cli_test_write_file (const char *path, const void *data, gsize size);

/* Runs the CLI in folder @cwd with the NULL-terminated arguments and @envp (NULL: inherit).
 * Returns the exit code, or 1000 + the signal number if it was killed. @out and @err may be
 * NULL. */
int cli_test_run (const char *cwd, char **envp, char **out, char **err, const char *first_arg, ...)
  G_GNUC_NULL_TERMINATED;
int cli_test_runv (const char *cwd, char **envp, char **out, char **err,
                   const char * const *args);

/* The current environment without IMPASTO_MODEL, with XDG_DATA_HOME set to @data_home. */
char **cli_test_environ_without_model (const char *data_home);

G_END_DECLS
