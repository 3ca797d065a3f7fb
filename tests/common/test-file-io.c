/* test-file-io.c
 *
 * impasto_checksum_fd(), the read loop behind every MD5 of a file (the download's verification
 * and .part resume, the model store's MD5 of a .mat), against g_compute_checksum_for_data() on
 * the same bytes: sizes around its 1 MiB chunk, a start part-way into the file, the head it
 * keeps (also filled over short reads from a pipe), a cancellation and a read that fails.
 * impasto_md5_hex() against GLib's hex string. impasto_write_all(): every byte written through
 * short writes to a pipe, and a full disk (/dev/full) reported with errno.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "impasto-file-io.h"

static char *dir;

/* Writes @size pseudo-random bytes to a new file; returns them. */
static guint8 *
write_file (const char *path,
            gsize       size)
{
  GRand *rand = g_rand_new_with_seed ((guint32) size);
  guint8 *bytes = g_malloc (MAX (size, 1));

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, (char *) bytes, (gssize) size, NULL));
  return bytes;
}

static void
test_sizes (void)
{
  static const gsize sizes[] = { 0, 1, 127, 128, 129, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
                                 3 * (1 << 20) + 7 };
  g_autofree char *path = g_build_filename (dir, "data", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *bytes = write_file (path, sizes[i]);
      g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_MD5, bytes, sizes[i]);
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
      ImpastoChecksumRead read;
      int fd = g_open (path, O_RDONLY, 0);

      g_assert_cmpint (fd, >=, 0);
      memset (&read, 0xaa, sizeof read);
      g_assert_true (impasto_checksum_fd (checksum, fd, NULL, &read));
      close (fd);
      g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected);
      g_assert_cmpuint (read.size, ==, sizes[i]);
      g_assert_cmpuint (read.head_len, ==, MIN (sizes[i], sizeof read.head));
      g_assert_cmpmem (read.head, read.head_len, bytes, MIN (sizes[i], sizeof read.head));
    }
}

/* From the descriptor's offset on, added to what the checksum already holds: the .part resume
 * checksums the file, the download then goes on feeding the same checksum. */
static void
test_offset_and_running_checksum (void)
{
  g_autofree char *path = g_build_filename (dir, "offset", NULL);
  gsize size = 2 * (1 << 20) + 333;
  g_autofree guint8 *bytes = write_file (path, size);
  g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_MD5, bytes, size);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  ImpastoChecksumRead read;
  int fd = g_open (path, O_RDONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_checksum_update (checksum, bytes, 1000);
  g_assert_cmpint (lseek (fd, 1000, SEEK_SET), ==, 1000);
  g_assert_true (impasto_checksum_fd (checksum, fd, NULL, &read));
  close (fd);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected);
  g_assert_cmpuint (read.size, ==, size - 1000);
  g_assert_cmpmem (read.head, read.head_len, bytes + 1000, sizeof read.head);
}

typedef struct
{
  int fd;
  const guint8 *bytes;
} PipeWriter;

/* Writes the bytes in pieces smaller than the head, with pauses, so that reads return short. */
static gpointer
write_in_pieces (gpointer data)
{
  PipeWriter *writer = data;
  static const gsize pieces[] = { 5, 30, 1, 60, 40, 200, 4000 };
  gsize offset = 0;

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_assert_cmpint (write (writer->fd, writer->bytes + offset, pieces[i]), ==, pieces[i]);
      offset += pieces[i];
      g_usleep (5000);
    }
  close (writer->fd);
  return NULL;
}

/* The head is filled across several short reads (a pipe), as it would be from a slow file. */
static void
test_short_reads (void)
{
  guint8 bytes[5 + 30 + 1 + 60 + 40 + 200 + 4000];
  g_autofree char *expected = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  ImpastoChecksumRead read;
  PipeWriter writer;
  GThread *thread;
  int fds[2];

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) (i * 7 + 3);
  expected = g_compute_checksum_for_data (G_CHECKSUM_MD5, bytes, sizeof bytes);
  g_assert_cmpint (pipe (fds), ==, 0);
  writer.fd = fds[1];
  writer.bytes = bytes;
  thread = g_thread_new ("writer", write_in_pieces, &writer);

  g_assert_true (impasto_checksum_fd (checksum, fds[0], NULL, &read));
  g_thread_join (thread);
  close (fds[0]);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected);
  g_assert_cmpuint (read.size, ==, sizeof bytes);
  g_assert_cmpmem (read.head, read.head_len, bytes, sizeof read.head);
}

/* The hex form of a digest is GLib's own string for it. */
static void
test_md5_hex (void)
{
  for (guint size = 0; size < 300; size += 37)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
      guint8 data[300];
      guint8 digest[16];
      gsize length = sizeof digest;
      char hex[33];

      for (guint i = 0; i < size; i++)
        data[i] = (guint8) (i * size);
      g_checksum_update (checksum, data, size);
      g_checksum_get_digest (checksum, digest, &length);
      memset (hex, 'x', sizeof hex);
      impasto_md5_hex (digest, hex);
      g_checksum_reset (checksum);
      g_checksum_update (checksum, data, size);
      g_assert_cmpstr (hex, ==, g_checksum_get_string (checksum));
    }
}

/* Reads everything from a pipe until it closes. */
static gpointer
read_all_of_pipe (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  GByteArray *received = g_byte_array_new ();
  guint8 buffer[1000];
  ssize_t n;

  /* Small reads, so that the writer's pipe fills and its writes come back short. */
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_byte_array_append (received, buffer, (guint) n);
  g_assert_cmpint (n, ==, 0);
  close (fd);
  return received;
}

static void
test_write_all (void)
{
  /* Larger than a pipe's 64 KiB buffer. */
  gsize size = 3 * (1 << 20) + 11;
  g_autofree guint8 *bytes = g_malloc (size);
  GByteArray *received;
  GThread *reader;
  int fds[2];
  int full;

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) (i * 31 + 1);
  g_assert_cmpint (pipe (fds), ==, 0);
  reader = g_thread_new ("reader", read_all_of_pipe, GINT_TO_POINTER (fds[0]));
  g_assert_true (impasto_write_all (fds[1], bytes, size));
  close (fds[1]);
  received = g_thread_join (reader);
  g_assert_cmpmem (received->data, received->len, bytes, size);
  g_byte_array_unref (received);

  g_assert_true (impasto_write_all (1, bytes, 0));   /* nothing to write: not even a call */

  full = g_open ("/dev/full", O_WRONLY, 0);
  if (full < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  errno = 0;
  g_assert_false (impasto_write_all (full, bytes, 100));
  g_assert_cmpint (errno, ==, ENOSPC);
  close (full);
}

static void
test_cancelled (void)
{
  g_autofree char *path = g_build_filename (dir, "cancelled", NULL);
  g_autofree guint8 *bytes = write_file (path, 3 * (1 << 20));
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ImpastoChecksumRead read;
  int fd = g_open (path, O_RDONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_cancellable_cancel (cancellable);
  errno = 0;
  g_assert_false (impasto_checksum_fd (checksum, fd, cancellable, &read));
  g_assert_cmpint (errno, ==, ECANCELED);
  /* It stops after the chunk in hand, not at the end of the file. */
  g_assert_cmpuint (read.size, <, 3 * (1 << 20));
  close (fd);
}

static void
test_read_error (void)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  ImpastoChecksumRead read;
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY, 0);

  g_assert_cmpint (fd, >=, 0);
  errno = 0;
  g_assert_false (impasto_checksum_fd (checksum, fd, NULL, &read));
  g_assert_cmpint (errno, ==, EISDIR);
  g_assert_cmpuint (read.size, ==, 0);
  close (fd);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("impasto-checksum-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/file-io/checksum/sizes", test_sizes);
  g_test_add_func ("/file-io/checksum/offset-and-running-checksum", test_offset_and_running_checksum);
  g_test_add_func ("/file-io/checksum/short-reads", test_short_reads);
  g_test_add_func ("/file-io/checksum/cancelled", test_cancelled);
  g_test_add_func ("/file-io/md5-hex", test_md5_hex);
  g_test_add_func ("/file-io/write-all", test_write_all);
  g_test_add_func ("/file-io/checksum/read-error", test_read_error);

  status = g_test_run ();

  {
    static const char * const names[] = { "data", "offset", "cancelled" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
    g_free (dir);
  }
  return status;
}
