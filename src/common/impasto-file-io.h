/* impasto-file-io.h
 *
 * The read and write loops on a file descriptor that src/common shares: feeding a file into a
 * GChecksum (the download's verification, its resume of a .part file, the model store's MD5 of a
 * .mat) and writing all of a buffer (the download's .part, a saved picture). The engine, which
 * has no GLib, keeps its own write loop for the model file (impasto-weights-cache.c).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What impasto_checksum_fd() read. */
typedef struct
{
  guint64 size;              /* bytes read and checksummed */
  guint8 head[128];          /* the first bytes read (a file's header, to look at afterwards) */
  gsize head_len;
} ImpastoChecksumRead;

/* Reads @fd from its current offset to the end into @checksum, a megabyte at a time, retrying
 * EINTR. Returns FALSE when a read fails (errno is left set) or @cancellable (may be NULL) is
 * cancelled (errno is ECANCELED); @read_out (may be NULL) has what was read either way. Does not
 * close @fd. */
gboolean impasto_checksum_fd (GChecksum           *checksum,
                              int                  fd,
                              GCancellable        *cancellable,
                              ImpastoChecksumRead *read_out);

/* @digest as 32 lower-case hex digits and a NUL, the form g_checksum_get_string() gives. */
void impasto_md5_hex (const guint8 digest[16],
                      char         hex[33]);

/* Writes all @size bytes of @data at @fd's position, retrying EINTR and short writes. Returns
 * FALSE with errno set when a write fails. */
gboolean impasto_write_all (int           fd,
                            const guint8 *data,
                            gsize         size);

G_END_DECLS
