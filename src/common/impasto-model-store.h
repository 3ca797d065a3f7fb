/* impasto-model-store.h
 *
 * Turns a model path that the look-up found into ready weights, as fast as possible. A cache
 * file (impasto-weights-cache.h) is mapped. A MatConvNet .mat is answered from its cache in
 * $XDG_CACHE_HOME/impasto/ when that cache was made from this very file (size, mtime, MD5 when
 * known); otherwise the .mat is read (impasto_weights_load_with_options(): the engine's reader in
 * one pass, checking the whole file unless its MD5 is vouched for; matio only for what that reader
 * declines) and the cache is (re)written for next time. A
 * cache that is truncated, corrupt, foreign or from another format version is reported in the
 * log (g_message) and rebuilt; a cache that cannot be written is a warning, never a failed load.
 * Errors are in the IMPASTO_ERROR domain (impasto-error.h): IMPASTO_ERROR_FILE when a file cannot
 * be read or written, IMPASTO_ERROR_BAD_MODEL (or _NO_MEMORY) when it is not a usable VGG19.
 *
 * This file does not search for the model (impasto-model-path.h) and does not download it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "impasto-weights.h"
#include "impasto-weights-cache.h"

G_BEGIN_DECLS

/* Where a load came from, for messages and `model info`. */
typedef enum
{
  IMPASTO_MODEL_ORIGIN_CACHE_FILE, /* @path itself is a cache file */
  IMPASTO_MODEL_ORIGIN_CACHED,     /* a .mat answered from its cache */
  IMPASTO_MODEL_ORIGIN_IMPORTED,   /* a .mat read (and cached, unless that failed) */
} ImpastoModelOrigin;

/* Called from the loading thread with 0..1 while a .mat is read (from the reader's own count of
 * bytes read), never less than the call before, ending with 1 on success. */
typedef void (*ImpastoModelProgressFunc) (double fraction, gpointer user_data);

/* The cache file used for the .mat at @mat_path: $XDG_CACHE_HOME/impasto/<base>-<hash of the
 * absolute path>.impasto, so that two different .mat files never share one cache. */
char *impasto_model_store_cache_path (const char *mat_path);

/* TRUE when the file at @path starts with the signature of Impasto's own model file (a cache, or
 * one written by `impasto-cli model import --output`); FALSE for anything else or no file. */
gboolean impasto_model_store_is_model_file (const char *path);

/* The identity of the file at @path as a cache records it (size, mtime, fingerprint, name, and
 * @known_md5 when given). FALSE with @error when the file cannot be read. */
gboolean impasto_model_store_source_identity (const char          *path,
                                              const char          *known_md5,
                                              ImpastoModelSource  *source,
                                              GError             **error);

/* Why a cache made from @cached does not belong to the file @source, in English for the log
 * (marked with N_(): pass it through _() to show it to a person), or NULL when it does. */
const char *impasto_model_store_stale_reason (const ImpastoModelSource *cached,
                                              const ImpastoModelSource *source);

/* The MD5 of the .mat behind the model at @path as 32 lower-case hex digits (free it), as the
 * cache records it: a model file's own record, or for a .mat that of its cache when the cache
 * was made from this very file (after impasto_model_store_load() it is). NULL when no cache
 * knows it. */
char *impasto_model_store_get_md5 (const char *path);

/* Loads @path (a .mat or a cache file) as described above. @known_md5 (32 hex digits, may be
 * NULL) is the .mat's MD5 when the caller already knows it (after a verified download). Blocks;
 * call it from a worker thread in the app. @origin (may be NULL) says where the weights came from. */
ImpastoWeights *impasto_model_store_load (const char                *path,
                                          const char                *known_md5,
                                          ImpastoModelProgressFunc   progress,
                                          gpointer                   progress_data,
                                          ImpastoModelOrigin        *origin,
                                          GError                   **error);

/* Reads the .mat at @mat_path as impasto_model_store_load() does and writes its cache to @output
 * (NULL: the default cache path above), computing the .mat's MD5 from the same pass. Returns the
 * path written (free it). */
char *impasto_model_store_import (const char                *mat_path,
                                  const char                *output,
                                  const char                *known_md5,
                                  ImpastoModelProgressFunc   progress,
                                  gpointer                   progress_data,
                                  GError                   **error);

G_END_DECLS
