/* impasto-cli-model-download.c
 *
 * `impasto-cli model download [--url URL] [--md5 SUM[,SUM]] [--output FILE] [--quiet]`: fetches
 * MatConvNet's imagenet-vgg-verydeep-19.mat (impasto-download.h does the work), with a progress
 * line on a terminal, then imports it into the model cache so that the first run starts at once.
 * Ctrl+C stops and keeps the .part; the same command resumes it.
 *
 * Exit codes: 0 done (or already there and verified), 1 the download or the import failed
 * (network, server, checksum, disk), 2 bad usage, 130 interrupted (the .part is kept).
 *
 * This file does not read GSettings: the window's model-url setting is the window's. The URL is
 * --url, else IMPASTO_MODEL_URL, else MatConvNet's address.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "impasto-cli.h"
#include "impasto-download.h"
#include "impasto-model-path.h"
#include "impasto-model-store.h"

typedef struct
{
  ImpastoDownload *download;
  GMainLoop *loop;
  GCancellable *cancellable;
  GError *error;
  gboolean progress;       /* a progress line on stderr (a terminal, not --quiet) */
  gboolean progress_shown; /* a progress line waits for its newline */
  gboolean interrupted;
} Run;

static int
fail (Run        *run,
      int         exit_code,
      const char *message)
{
  if (run != NULL && run->progress_shown)
    {
      g_printerr ("\n");
      run->progress_shown = FALSE;
    }
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return exit_code;
}

static void
on_progress_cb (ImpastoDownload *download,
                GParamSpec      *pspec,
                Run             *run)
{
  g_autofree char *text = NULL;

  if (!run->progress)
    return;

  text = impasto_download_format_progress (impasto_download_get_bytes_done (download),
                                           impasto_download_get_bytes_total (download),
                                           impasto_download_get_rate (download),
                                           impasto_download_get_seconds_left (download));
  /* Pad so that a shorter line covers a longer one. */
  g_printerr ("\r%s %-60s", _("Downloading:"), text);
  run->progress_shown = TRUE;
}

static gboolean
on_sigint_cb (gpointer user_data)
{
  Run *run = user_data;

  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_download_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Run *run = user_data;

  impasto_download_run_finish (IMPASTO_DOWNLOAD (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
on_import_progress (double   fraction,
                    gpointer user_data)
{
  /* From the loader's thread; one short write per call. */
  g_printerr ("\r%s %3.0f%%", _("Importing into the model cache…"), 100.0 * fraction);
}

/* Which file @md5 says it is: a published one, or the one the user's --md5 or setting named. */
static const char *
md5_origin (const char *md5)
{
  const char *published = impasto_download_published_name (md5);

  return published != NULL ? published : _("the expected sum");
}

/* Makes sure the cache holds the downloaded .mat. Returns the exit code. */
static int
import_model (Run        *run,
              const char *path,
              const char *md5,
              gboolean    quiet)
{
  ImpastoModelProgressFunc progress = run->progress ? on_import_progress : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *cache = NULL;

  if (impasto_download_get_was_present (run->download))
    {
      /* Already there: loading refreshes the cache only if it is missing or stale. */
      ImpastoWeights *weights =
        impasto_model_store_load (path, md5, progress, NULL, NULL, &error);

      if (weights != NULL)
        {
          impasto_weights_free (weights);
          cache = impasto_model_store_cache_path (path);
        }
    }
  else
    {
      cache = impasto_model_store_import (path, NULL, md5, progress, NULL, &error);
    }

  if (run->progress)
    g_printerr ("\n");

  if (cache == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” was downloaded and verified, but it cannot be used: %s"),
                         display, error->message);

      return fail (NULL, EXIT_RUNTIME, message);
    }

  if (!quiet)
    {
      g_autofree char *cache_display = g_filename_display_name (cache);

      g_print (_("Imported into the model cache: %s\n"), cache_display);
    }
  return EXIT_OK;
}

int
impasto_cli_model_download (int    argc,
                            char **argv)
{
  g_autofree char *url_option = NULL;
  g_autofree char *md5_option = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) remaining = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url_option,
      N_("Fetch from this address instead (a mirror); IMPASTO_MODEL_URL does the same"),
      N_("URL") },
    { "md5", 0, 0, G_OPTION_ARG_STRING, &md5_option,
      N_("Accept a file with this MD5 instead of the two published ones (several: SUM,SUM)"),
      N_("SUM") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to put the .mat (a file, or a folder for imagenet-vgg-verydeep-19.mat)"),
      N_("PATH") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only errors"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &remaining, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(ImpastoDownload) download = NULL;
  g_autofree char *description = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  g_auto(GStrv) md5s = NULL;
  Run run = { 0 };
  guint sigint_source;
  int exit_code;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Downloads VGG19 as published by MatConvNet "
                                  "(imagenet-vgg-verydeep-19.mat, about 510 MB), checks its MD5 "
                                  "and imports it into the model cache. An interrupted download "
                                  "goes on where it stopped when the command is run again."));
  description = g_strdup_printf (_("The network is by Karen Simonyan and Andrew Zisserman, "
                                   "Visual Geometry Group, University of Oxford, in MatConvNet's "
                                   "conversion; see the README on its licence.\n\n"
                                   "Default address: %s\n"
                                   "Default folder: %s\n"
                                   "Accepted MD5 sums: %s (newer), %s (older)"),
                                 IMPASTO_DOWNLOAD_DEFAULT_URL,
                                 "$XDG_DATA_HOME/impasto/",
                                 IMPASTO_DOWNLOAD_MD5_NEWER, IMPASTO_DOWNLOAD_MD5_OLDER);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (NULL, EXIT_BAD_INPUT, error->message);
  if (remaining != NULL && remaining[0] != NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("unexpected argument “%s” (the address goes after --url)"),
                         remaining[0]);

      return fail (NULL, EXIT_BAD_INPUT, message);
    }

  url = impasto_download_resolve_url (url_option, NULL);
  if (!impasto_download_check_url (url, &error))
    return fail (NULL, EXIT_BAD_INPUT, error->message);

  md5s = impasto_download_parse_md5s (md5_option, &error);
  if (md5s == NULL)
    return fail (NULL, EXIT_BAD_INPUT, error->message);

  if (output == NULL || output[0] == '\0')
    path = impasto_download_default_path ();
  else if (g_file_test (output, G_FILE_TEST_IS_DIR) || g_str_has_suffix (output, G_DIR_SEPARATOR_S))
    path = g_build_filename (output, IMPASTO_MODEL_FILE_NAME, NULL);
  else
    path = g_strdup (output);
  display = g_filename_display_name (path);

  download = impasto_download_new (url, path, (const char * const *) md5s);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();

  run.download = download;
  run.loop = loop;
  run.cancellable = cancellable;
  run.progress = !quiet && isatty (STDERR_FILENO);

  if (!quiet)
    g_print (_("Downloading %s\n  to %s\n"), url, display);

  g_signal_connect (download, "notify::bytes-done", G_CALLBACK (on_progress_cb), &run);
  g_signal_connect (download, "notify::bytes-total", G_CALLBACK (on_progress_cb), &run);
  sigint_source = g_unix_signal_add (SIGINT, on_sigint_cb, &run);

  impasto_download_run_async (download, cancellable, on_download_done_cb, &run);
  g_main_loop_run (loop);

  g_source_remove (sigint_source);
  /* From here on Ctrl+C ends the program at once, as usual. */
  signal (SIGINT, SIG_DFL);
  g_signal_handlers_disconnect_by_data (download, &run);

  if (run.error != NULL)
    {
      g_autoptr(GError) run_error = g_steal_pointer (&run.error);

      if (g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *part = g_filename_display_name (impasto_download_get_part_path (download));
          g_autofree char *saved =
            g_format_size_full (impasto_download_get_bytes_done (download),
                                G_FORMAT_SIZE_IEC_UNITS);
          g_autofree char *message =
            g_strdup_printf (_("stopped; %s are kept in “%s”. Run the same command again to go "
                               "on from there."),
                             saved, part);

          return fail (&run, EXIT_INTERRUPTED, message);
        }

      exit_code = g_error_matches (run_error, IMPASTO_DOWNLOAD_ERROR,
                                   IMPASTO_DOWNLOAD_ERROR_INVALID)
                  ? EXIT_BAD_INPUT : EXIT_RUNTIME;
      return fail (&run, exit_code, run_error->message);
    }

  if (run.progress_shown)
    g_printerr ("\n");
  run.progress_shown = FALSE;

  if (!quiet)
    {
      const char *md5 = impasto_download_get_md5 (download);

      if (impasto_download_get_was_present (download))
        g_print (_("Already there and verified: %s (MD5 %s, %s)\n"), display, md5,
                 md5_origin (md5));
      else
        g_print (_("Downloaded and verified: %s (MD5 %s, %s)\n"), display, md5,
                 md5_origin (md5));
    }

  return import_model (&run, path, impasto_download_get_md5 (download), quiet);
}
