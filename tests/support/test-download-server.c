/* test-download-server.c
 *
 * The loopback HTTP server of the download tests (see test-download-server.h): a thread that
 * accepts one connection at a time with blocking GIO calls, reads the request head, answers and
 * closes. The knobs are read under a mutex at the start of each response.
 *
 * It does not keep connections alive, parse request bodies or speak anything but GET.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-download-server"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "impasto-vgg19-mat.h"
#include "test-download-server.h"

#define PAGE "<!DOCTYPE html>\n<html><head><title>Mirror</title></head>" \
             "<body><p>Click here to download the model.</p></body></html>\n"

struct _TestDownloadServer
{
  GBytes *body;
  GSocketListener *listener;
  GCancellable *cancellable;
  GThread *thread;
  guint16 port;
  gint stopping;

  GMutex lock;
  guint64 cut_next;
  gboolean ignore_range;
  gsize pace_chunk;
  guint pace_delay;
  GArray *requests; /* TestDownloadRequest */
};

static void
request_clear (gpointer data)
{
  test_download_request_clear (data);
}

void
test_download_request_clear (TestDownloadRequest *request)
{
  g_clear_pointer (&request->path, g_free);
}

static gboolean
send_text (GOutputStream *out,
           const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

/* Sends @data[0..size) at the configured pace; returns the bytes that went out. */
static guint64
send_body (TestDownloadServer *self,
           GOutputStream      *out,
           const guint8       *data,
           gsize               size,
           gsize               chunk,
           guint               delay)
{
  guint64 sent = 0;

  if (chunk == 0)
    chunk = size;
  while (sent < size && !g_atomic_int_get (&self->stopping))
    {
      gsize n = MIN (chunk, size - sent);
      gsize written = 0;

      if (!g_output_stream_write_all (out, data + sent, n, &written, NULL, NULL))
        return sent + written;
      if (!g_output_stream_flush (out, NULL, NULL))
        return sent + written;
      sent += n;
      if (delay > 0 && sent < size)
        g_usleep (delay);
    }
  return sent;
}

static void
handle (TestDownloadServer *self,
        GSocketConnection  *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
  g_autofree char *request_line = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *head = NULL;
  TestDownloadRequest record = { NULL, -1, 0, 0 };
  const guint8 *body;
  gsize body_size;
  const char *content_type = "application/octet-stream";
  guint64 start = 0;
  guint64 cut;
  gboolean ignore_range;
  gsize chunk;
  guint delay;

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (data, NULL, NULL, NULL);
  if (request_line == NULL)
    return;
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (data, NULL, NULL, NULL);

      if (line == NULL || line[0] == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Range:", 6) == 0)
        {
          const char *value = strstr (line, "bytes=");

          if (value != NULL)
            record.range_start = g_ascii_strtoll (value + 6, NULL, 10);
        }
    }

  parts = g_strsplit (request_line, " ", 3);
  record.path = g_strdup (parts[0] != NULL && parts[1] != NULL ? parts[1] : "");

  g_mutex_lock (&self->lock);
  cut = self->cut_next;
  ignore_range = self->ignore_range;
  chunk = self->pace_chunk;
  delay = self->pace_delay;
  g_mutex_unlock (&self->lock);

  body = g_bytes_get_data (self->body, &body_size);
  if (g_str_equal (record.path, "/model.mat"))
    ;
  else if (g_str_equal (record.path, "/model-as-html.mat"))
    content_type = "text/html; charset=utf-8";
  else if (g_str_equal (record.path, "/page.html") || g_str_equal (record.path, "/html-body.mat"))
    {
      body = (const guint8 *) PAGE;
      body_size = strlen (PAGE);
      if (g_str_equal (record.path, "/page.html"))
        content_type = "text/html";
      ignore_range = TRUE;
    }
  else
    body = NULL;

  if (body == NULL)
    {
      record.status = 404;
      head = g_strdup ("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 10\r\nConnection: close\r\n\r\nNot found\n");
      send_text (out, head);
    }
  else if (record.range_start >= 0 && !ignore_range
           && (guint64) record.range_start >= body_size)
    {
      record.status = 416;
      head = g_strdup_printf ("HTTP/1.1 416 Range Not Satisfiable\r\n"
                              "Content-Range: bytes */%" G_GSIZE_FORMAT "\r\n"
                              "Content-Length: 0\r\nConnection: close\r\n\r\n", body_size);
      send_text (out, head);
    }
  else
    {
      gsize length;

      if (record.range_start >= 0 && !ignore_range)
        {
          start = (guint64) record.range_start;
          record.status = 206;
          head = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\nContent-Type: %s\r\n"
                                  "Content-Length: %" G_GUINT64_FORMAT "\r\n"
                                  "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GSIZE_FORMAT
                                  "/%" G_GSIZE_FORMAT "\r\n"
                                  "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n",
                                  content_type, body_size - start, start, body_size - 1,
                                  body_size);
        }
      else
        {
          record.status = 200;
          head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
                                  "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                  "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n",
                                  content_type, body_size);
        }

      length = body_size - start;
      if (cut > 0 && cut < length)
        {
          length = cut;
          g_mutex_lock (&self->lock);
          self->cut_next = 0;
          g_mutex_unlock (&self->lock);
        }

      if (send_text (out, head))
        record.bytes_sent = send_body (self, out, body + start, length, chunk, delay);
    }

  g_mutex_lock (&self->lock);
  g_array_append_val (self->requests, record);
  g_mutex_unlock (&self->lock);
}

static gpointer
server_thread (gpointer data)
{
  TestDownloadServer *self = data;

  while (!g_atomic_int_get (&self->stopping))
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_listener_accept (self->listener, NULL, self->cancellable, NULL);

      if (connection == NULL)
        continue;
      handle (self, connection);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  return NULL;
}

TestDownloadServer *
test_download_server_new (GBytes *body)
{
  TestDownloadServer *self = g_new0 (TestDownloadServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->body = g_bytes_ref (body);
  self->cancellable = g_cancellable_new ();
  self->listener = g_socket_listener_new ();
  self->requests = g_array_new (FALSE, TRUE, sizeof (TestDownloadRequest));
  g_array_set_clear_func (self->requests, request_clear);
  g_mutex_init (&self->lock);

  g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_assert_cmpuint (self->port, >, 0);

  self->thread = g_thread_new ("download-server", server_thread, self);
  return self;
}

void
test_download_server_free (TestDownloadServer *self)
{
  g_atomic_int_set (&self->stopping, 1);
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->thread);
  g_socket_listener_close (self->listener);
  g_object_unref (self->listener);
  g_object_unref (self->cancellable);
  g_array_unref (self->requests);
  g_bytes_unref (self->body);
  g_mutex_clear (&self->lock);
  g_free (self);
}

char *
test_download_server_url (TestDownloadServer *self,
                          const char         *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", self->port, path);
}

void
test_download_server_cut_next (TestDownloadServer *self,
                               guint64             bytes)
{
  g_mutex_lock (&self->lock);
  self->cut_next = bytes;
  g_mutex_unlock (&self->lock);
}

void
test_download_server_set_ignore_range (TestDownloadServer *self,
                                       gboolean            ignore)
{
  g_mutex_lock (&self->lock);
  self->ignore_range = ignore;
  g_mutex_unlock (&self->lock);
}

void
test_download_server_set_pace (TestDownloadServer *self,
                               gsize               chunk,
                               guint               delay_us)
{
  g_mutex_lock (&self->lock);
  self->pace_chunk = chunk;
  self->pace_delay = delay_us;
  g_mutex_unlock (&self->lock);
}

guint
test_download_server_get_n_requests (TestDownloadServer *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->requests->len;
  g_mutex_unlock (&self->lock);
  return n;
}

void
test_download_server_get_request (TestDownloadServer  *self,
                                  guint                index,
                                  TestDownloadRequest *request)
{
  g_mutex_lock (&self->lock);
  g_assert_cmpuint (index, <, self->requests->len);
  *request = g_array_index (self->requests, TestDownloadRequest, index);
  request->path = g_strdup (request->path);
  g_mutex_unlock (&self->lock);
}

char *
test_download_md5 (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_MD5, bytes);
}

GBytes *
test_download_tiny_mat (void)
{
  ImpastoVgg19MatOptions options;
  g_autofree char *dir = g_dir_make_tmp ("impasto-download-mat-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tiny.mat", NULL);
  g_autoptr(GError) error = NULL;
  char message[256] = "";
  char *contents = NULL;
  gsize size = 0;

  g_assert_nonnull (dir);
  impasto_vgg19_mat_options_init_tiny (&options);
  if (!impasto_vgg19_mat_write (path, &options, NULL, message, sizeof message))
    g_error ("cannot write the tiny .mat: %s", message);
  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  /* More than a few read chunks, so that a cut halfway is a real half. */
  g_assert_cmpuint (size, >, 16 * 1024);
  return g_bytes_new_take (contents, size);
}

void
test_download_unset_proxies (void)
{
  static const char * const names[] = {
    "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
    "no_proxy", "NO_PROXY",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
}
