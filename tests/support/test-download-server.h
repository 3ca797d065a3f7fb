/* test-download-server.h
 *
 * A tiny HTTP/1.1 server for the download tests, listening on 127.0.0.1 on a free port in a
 * thread of its own, so that a test can drive the client on its main thread or run impasto-cli
 * as a child process. It serves one body and misbehaves on request: it cuts a response off after
 * some bytes (closing the connection), ignores Range, sends slowly, or answers HTML. It records
 * every request (path, the Range asked for, status, body bytes sent) for the tests to check.
 *
 * Paths: /model.mat (the body, honouring "Range: bytes=N-" with 206, 416 past the end),
 * /page.html (a web page, text/html), /html-body.mat (a web page sent as
 * application/octet-stream), /model-as-html.mat (the body, but labelled text/html); anything
 * else is 404. Every response closes its connection.
 *
 * This is test support: it asserts nothing about the client and is not a general server.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TestDownloadServer TestDownloadServer;

typedef struct
{
  char *path;
  gint64 range_start;   /* from "Range: bytes=N-", or -1 without one */
  guint status;
  guint64 bytes_sent;   /* body bytes written */
} TestDownloadRequest;

TestDownloadServer *test_download_server_new (GBytes *body);
void test_download_server_free (TestDownloadServer *self);

/* "http://127.0.0.1:PORT@path". */
char *test_download_server_url (TestDownloadServer *self,
                                const char         *path);

/* The next response of a body stops after @bytes body bytes and the connection is closed (with
 * the full Content-Length announced). One-shot; 0 turns it off. */
void test_download_server_cut_next (TestDownloadServer *self,
                                    guint64             bytes);

/* Answer 200 with the whole body even when a Range was asked for. */
void test_download_server_set_ignore_range (TestDownloadServer *self,
                                            gboolean            ignore);

/* Send the body @chunk bytes at a time with @delay_us between chunks; 0 sends at once. */
void test_download_server_set_pace (TestDownloadServer *self,
                                    gsize               chunk,
                                    guint               delay_us);

guint test_download_server_get_n_requests (TestDownloadServer *self);

/* A copy of request @index (free with test_download_request_clear()). */
void test_download_server_get_request (TestDownloadServer  *self,
                                       guint                index,
                                       TestDownloadRequest *request);
void test_download_request_clear (TestDownloadRequest *request);

/* The MD5 of @bytes as lower-case hex. */
char *test_download_md5 (GBytes *bytes);

/* Writes a tiny VGG19 .mat (tools/impasto-vgg19-mat.h) to a temporary file and returns it. */
GBytes *test_download_tiny_mat (void);

/* Removes http_proxy and friends from the environment so that 127.0.0.1 is reached directly. */
void test_download_unset_proxies (void);

G_END_DECLS
