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

/* Appends a PNG chunk (length, @type, @data, CRC over type and data) to @out. */
void cli_test_png_chunk (GByteArray *out, const char *type, const guint8 *data, guint32 size);

/* Writes a PNG of @width x @height at @bit_depth (8 or 16) and @colour_type (0 grey, 2 RGB, 3
 * palette) from unfiltered rows of @samples (big-endian at 16 bits), built by hand so that
 * depths and types gdk-pixbuf never writes can be tested. @palette and @alpha (may be NULL)
 * become PLTE and tRNS. */
void cli_test_write_png (const char   *path,
                         guint32       width,
                         guint32       height,
                         guint8        bit_depth,
                         guint8        colour_type,
                         const guint8 *samples,
                         const guint8 *palette,
                         guint32       palette_size,
                         const guint8 *alpha,
                         guint32       alpha_size);

/* Runs the CLI in folder @cwd with the NULL-terminated arguments and @envp (NULL: inherit).
 * Returns the exit code, or 1000 + the signal number if it was killed. @out and @err may be
 * NULL. */
int cli_test_run (const char *cwd, char **envp, char **out, char **err, const char *first_arg, ...)
  G_GNUC_NULL_TERMINATED;
int cli_test_runv (const char *cwd, char **envp, char **out, char **err,
                   const char * const *args);

/* Writes a tiny random VGG19 (tools/impasto-make-vgg19 --tiny --seed 7, from
 * $IMPASTO_MAKE_VGG19) into a new scratch folder (*@dir, for cli_test_dir_free()); returns its
 * path. */
char *cli_test_make_tiny_model (char **dir);

/* The current environment without IMPASTO_MODEL, with XDG_DATA_HOME set to @data_home. */
char **cli_test_environ_without_model (const char *data_home);

G_END_DECLS
