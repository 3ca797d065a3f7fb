/* main.c
 *
 * The `impasto` binary: sets up translations and runs ImpastoApplication. Everything else is in
 * the application and window files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "impasto-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ImpastoApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Impasto"));

  app = impasto_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
