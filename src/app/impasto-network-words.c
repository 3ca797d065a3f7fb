/* impasto-network-words.c
 *
 * See impasto-network-words.h. One switch from error domains and codes to sentences; it does not
 * look at messages, which are the system's and in its language, nor does it ask the network
 * monitor, which can be wrong behind a captive portal.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-network-words"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-network-words.h"

const char *
impasto_network_words (const GError *cause)
{
  if (cause == NULL)
    return _("The connection was lost");

  /* The name of the server could not be looked up: almost always no connection at all. */
  if (cause->domain == G_RESOLVER_ERROR)
    return _("No internet connection");

  if (cause->domain == G_TLS_ERROR)
    return _("A secure connection to the server could not be made");

  if (cause->domain == G_IO_ERROR)
    switch (cause->code)
      {
      case G_IO_ERROR_NETWORK_UNREACHABLE:
      case G_IO_ERROR_HOST_UNREACHABLE:
      case G_IO_ERROR_HOST_NOT_FOUND:
        return _("No internet connection");

      case G_IO_ERROR_CONNECTION_REFUSED:
        return _("The download server is not answering");

      case G_IO_ERROR_TIMED_OUT:
        return _("The connection timed out");

      case G_IO_ERROR_CONNECTION_CLOSED:   /* also G_IO_ERROR_BROKEN_PIPE */
      case G_IO_ERROR_PARTIAL_INPUT:
        return _("The connection was lost");

      case G_IO_ERROR_PROXY_FAILED:
      case G_IO_ERROR_PROXY_AUTH_FAILED:
      case G_IO_ERROR_PROXY_NEED_AUTH:
      case G_IO_ERROR_PROXY_NOT_ALLOWED:
        return _("The network's proxy did not let the download through");

      default:
        break;
      }

  return _("The connection failed");
}
