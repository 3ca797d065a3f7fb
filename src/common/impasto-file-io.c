/* impasto-file-io.c
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "impasto-file-io.h"

#define CHUNK_SIZE (1 << 20)

gboolean
impasto_checksum_fd (GChecksum           *checksum,
                     int                  fd,
                     GCancellable        *cancellable,
                     ImpastoChecksumRead *read_out)
{
  guint8 *buffer = g_malloc (CHUNK_SIZE);
  ImpastoChecksumRead done = { 0 };
  gboolean ok = TRUE;
  int saved_errno;

  g_return_val_if_fail (checksum != NULL, FALSE);
  g_return_val_if_fail (fd >= 0, FALSE);

  for (;;)
    {
      ssize_t n = read (fd, buffer, CHUNK_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      if (done.head_len < sizeof done.head)
        {
          gsize take = MIN (sizeof done.head - done.head_len, (gsize) n);

          memcpy (done.head + done.head_len, buffer, take);
          done.head_len += take;
        }
      g_checksum_update (checksum, buffer, n);
      done.size += (guint64) n;
      if (g_cancellable_is_cancelled (cancellable))
        {
          errno = ECANCELED;
          ok = FALSE;
          break;
        }
    }

  /* free() may change errno (before glibc 2.33), and the caller reads it. */
  saved_errno = errno;
  g_free (buffer);
  if (read_out != NULL)
    *read_out = done;
  errno = saved_errno;
  return ok;
}

void
impasto_md5_hex (const guint8 digest[16],
                 char         hex[33])
{
  static const char digits[] = "0123456789abcdef";

  for (int i = 0; i < 16; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  hex[32] = '\0';
}

gboolean
impasto_write_all (int           fd,
                   const guint8 *data,
                   gsize         size)
{
  while (size > 0)
    {
      gssize n = write (fd, data, MIN (size, (gsize) G_MAXSSIZE));

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}
