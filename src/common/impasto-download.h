/* impasto-download.h
 *
 * Fetches MatConvNet's imagenet-vgg-verydeep-19.mat over HTTP(S) with libsoup 3, for the
 * window's "Download" button and `impasto-cli model download`. The file is written to
 * `<output>.part` beside its final name and renamed into place only once it is complete and its
 * MD5 is one of the expected sums, so a half-written or wrong file never sits where the model
 * look-up would find it. An interrupted or cancelled download keeps its .part, and the next run
 * resumes it with an HTTP Range request (a server that ignores the range is read from the start
 * again). A checksum mismatch deletes the .part; an answer that is HTML or does not start like a
 * MATLAB file is refused before anything is written; a full disk keeps the .part for a retry.
 *
 * The work runs on a worker thread with its own SoupSession; the progress properties (bytes done,
 * total, rate, seconds left) change on the main context that started the run, at most about ten
 * times a second.
 *
 * This file does not import the downloaded file into the model cache (impasto-model-store.h does)
 * and does not decide where the model is looked for (impasto-model-path.h).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* MatConvNet's published address of the file: its "Pretrained models" page
 * (https://www.vlfeat.org/matconvnet/pretrained/) links models/imagenet-vgg-verydeep-19.mat;
 * older scripts use the http:// form of the same address. */
#define IMPASTO_DOWNLOAD_DEFAULT_URL \
  "https://www.vlfeat.org/matconvnet/models/imagenet-vgg-verydeep-19.mat"

/* The environment variable that replaces the URL (for mirrors and tests). */
#define IMPASTO_DOWNLOAD_URL_ENV "IMPASTO_MODEL_URL"

/* The MD5 sums of the two published versions of the file: newer, then older (MatConvNet beta16). */
#define IMPASTO_DOWNLOAD_MD5_NEWER "106118b7cf60435e6d8e04f6a6dc3657"
#define IMPASTO_DOWNLOAD_MD5_OLDER "8ee3263992981a1d26e73b3ca028a123"

/* "MatConvNet's newer published file" (or older), translated, when @md5 (32 lower-case hex
 * digits, may be NULL) is one of the two sums above; NULL otherwise. */
const char *impasto_download_published_name (const char *md5);

#define IMPASTO_DOWNLOAD_ERROR (impasto_download_error_quark ())

typedef enum
{
  IMPASTO_DOWNLOAD_ERROR_INVALID,     /* a bad URL or MD5 was given */
  IMPASTO_DOWNLOAD_ERROR_NETWORK,     /* no connection, or it was lost; a retry resumes */
  IMPASTO_DOWNLOAD_ERROR_HTTP,        /* the server answered with an error status */
  IMPASTO_DOWNLOAD_ERROR_NOT_A_MODEL, /* the server sent a web page or another kind of file */
  IMPASTO_DOWNLOAD_ERROR_CHECKSUM,    /* complete, but the MD5 is not an expected one */
  IMPASTO_DOWNLOAD_ERROR_DISK_FULL,   /* no space left; the .part is kept for a retry */
  IMPASTO_DOWNLOAD_ERROR_IO,          /* another local file error */
} ImpastoDownloadError;

#define IMPASTO_TYPE_DOWNLOAD (impasto_download_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoDownload, impasto_download, IMPASTO, DOWNLOAD, GObject)

GQuark impasto_download_error_quark (void);

/* The URL to fetch from: @explicit_url (the CLI's --url) if given, else IMPASTO_MODEL_URL, else
 * @settings_url (the model-url setting), else the default. Empty strings count as not given. */
char *impasto_download_resolve_url (const char *explicit_url,
                                    const char *settings_url);

/* Checks an http:// or https:// URL; FALSE with IMPASTO_DOWNLOAD_ERROR_INVALID otherwise. */
gboolean impasto_download_check_url (const char  *url,
                                     GError     **error);

/* Parses one or more MD5 sums (32 hex digits each, separated by commas or spaces) into a
 * lower-case NULL-terminated array. "" or NULL give the two known sums. */
char **impasto_download_parse_md5s (const char  *text,
                                    GError     **error);

/* $XDG_DATA_HOME/impasto/imagenet-vgg-verydeep-19.mat, where a download goes by default. */
char *impasto_download_default_path (void);

/* Downloads @url to @path (through @path.part). @md5s (NULL: the two known sums) are the
 * accepted MD5 sums, lower-case hex. */
ImpastoDownload *impasto_download_new (const char         *url,
                                       const char         *path,
                                       const char * const *md5s);

const char         *impasto_download_get_url          (ImpastoDownload *self);
const char         *impasto_download_get_path         (ImpastoDownload *self);
/* @path with ".part" appended. */
const char         *impasto_download_get_part_path    (ImpastoDownload *self);
const char * const *impasto_download_get_md5s         (ImpastoDownload *self);
gboolean            impasto_download_get_running      (ImpastoDownload *self);
/* Bytes in the file so far, including a resumed prefix. */
guint64             impasto_download_get_bytes_done   (ImpastoDownload *self);
/* The whole file's size, or 0 while unknown. */
guint64             impasto_download_get_bytes_total  (ImpastoDownload *self);
/* Where this run started: the size of the .part it resumed, else 0. */
guint64             impasto_download_get_resumed_from (ImpastoDownload *self);
/* Bytes a second over the last few seconds, 0 while unknown. */
double              impasto_download_get_rate         (ImpastoDownload *self);
/* Seconds until done at the current rate, or -1 while unknown. */
double              impasto_download_get_seconds_left (ImpastoDownload *self);
/* After a successful run: the MD5 of the file at @path, which is one of @md5s. */
const char         *impasto_download_get_md5          (ImpastoDownload *self);
/* After a successful run: TRUE if the file was already in place and verified, so nothing was
 * fetched. */
gboolean            impasto_download_get_was_present  (ImpastoDownload *self);
/* After a run that failed with IMPASTO_DOWNLOAD_ERROR_NETWORK: the system's error behind it
 * (G_RESOLVER_ERROR, G_IO_ERROR_*, G_TLS_ERROR…), for telling people what happened in their
 * words; NULL otherwise. */
const GError       *impasto_download_get_network_cause (ImpastoDownload *self);

/* Runs the download on a worker thread. Cancelling @cancellable stops it, keeps the .part and
 * finishes with G_IO_ERROR_CANCELLED. One run at a time. */
void     impasto_download_run_async  (ImpastoDownload     *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean impasto_download_run_finish (ImpastoDownload  *self,
                                      GAsyncResult     *result,
                                      GError          **error);

/* "12.3 MB of 510.0 MB · 4.2 MB/s · about 2 minutes left", for the progress line and the window;
 * parts that are unknown are left out. */
char *impasto_download_format_progress (guint64 done,
                                        guint64 total,
                                        double  rate,
                                        double  seconds_left);

G_END_DECLS
