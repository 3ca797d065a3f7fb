/* impasto-cli-model.c
 *
 * `impasto-cli model import|info|download`: the model from a terminal.
 *
 * - import FILE.mat [--output FILE] reads a MatConvNet .mat once and writes Impasto's compact model
 *   file (by default the cache that every later load of that .mat uses; with --output a
 *   stand-alone file that --model accepts like a .mat).
 * - info [--model PATH] says where the model was found, what its cache is and whether it is
 *   usable, and lists the layers, the mean pixel and the checksums. It writes nothing: when there
 *   is no usable cache it reads the .mat itself (slow) to list the layers.
 * - download is impasto-cli-model-download.c.
 *
 * This file does not run transfers (impasto-cli.c does) and does not parse .mat or cache files
 * itself (the engine and src/common do).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-cli.h"
#include "impasto-download.h"
#include "impasto-error.h"
#include "impasto-file-io.h"
#include "impasto-model-path.h"
#include "impasto-model-store.h"
#include "impasto-weights-cache.h"

static int
fail (int         exit_code,
      const char *message)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return exit_code;
}

static void
show_progress (double   fraction,
               gpointer user_data)
{
  /* Called from the loader's progress thread; stderr writes are atomic enough for one line. */
  g_printerr ("\r%s %3.0f%%", _("Reading the .mat…"), 100.0 * fraction);
}

static GOptionContext *
model_context (const char          *parameter,
               const char          *summary,
               const GOptionEntry  *entries)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

static int
model_import (int    argc,
              char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *md5 = NULL;
  g_auto(GStrv) remaining = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the model file here instead of the cache folder"), N_("FILE") },
    { "md5", 0, 0, G_OPTION_ARG_STRING, &md5,
      N_("The .mat's MD5 when already known (it is computed otherwise)"), N_("SUM") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only errors"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &remaining, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    model_context (_("FILE.mat"),
                   _("Reads a MatConvNet VGG19 .mat once and writes Impasto's compact model "
                     "file, which loads instantly. Without --output it becomes the cache used "
                     "whenever that .mat is loaded."), entries);
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *display = NULL;
  gboolean progress;
  gint64 start;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_BAD_INPUT, error->message);
  if (remaining == NULL || remaining[0] == NULL || remaining[1] != NULL)
    return fail (EXIT_BAD_INPUT, _("give exactly one .mat file to import"));
  if (md5 != NULL && (strlen (md5) != 32 || strspn (md5, "0123456789abcdefABCDEF") != 32))
    return fail (EXIT_BAD_INPUT, _("--md5 takes 32 hexadecimal digits"));

  if (!g_file_test (remaining[0], G_FILE_TEST_IS_REGULAR) || g_access (remaining[0], R_OK) != 0)
    {
      g_autofree char *name = g_filename_display_name (remaining[0]);
      g_autofree char *message = g_strdup_printf (_("cannot read %s"), name);

      return fail (EXIT_BAD_INPUT, message);
    }

  progress = !quiet && isatty (STDERR_FILENO);
  start = g_get_monotonic_time ();
  written = impasto_model_store_import (remaining[0], output, md5,
                                        progress ? show_progress : NULL, NULL, &error);
  if (progress)
    g_printerr ("\n");
  if (written == NULL)
    /* A file that cannot be read or written is the system's trouble; anything else the store
     * refuses is the input's. */
    return fail (error->domain == IMPASTO_ERROR && error->code != IMPASTO_ERROR_FILE
                 ? EXIT_BAD_INPUT : EXIT_RUNTIME,
                 error->message);

  display = g_filename_display_name (written);
  if (!quiet)
    g_print (_("Wrote %s in %.1f s\n"), display,
             (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  return EXIT_OK;
}

static void
print_source (const ImpastoModelSource *source)
{
  if (source->name[0] != '\0')
    g_print ("  %s: %s\n", _("made from"), source->name);
  if (source->size > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (source->mtime_sec);
      g_autofree char *when_text = when != NULL ? g_date_time_format (when, "%F %T") : NULL;

      g_print ("  %s: %" G_GUINT64_FORMAT " %s, %s %s\n", _("source"), source->size,
               _("bytes"), _("modified"), when_text != NULL ? when_text : "?");
    }
  if (source->has_md5)
    {
      char hex[33];
      const char *known;

      impasto_md5_hex (source->md5, hex);
      known = impasto_download_published_name (hex);

      g_print ("  %s: %s%s%s%s\n", _("source MD5"), hex, known != NULL ? " (" : "",
               known != NULL ? known : "", known != NULL ? ")" : "");
    }
}

static void
print_weights (const ImpastoWeights *weights)
{
  g_print ("%s:\n", _("Layers"));
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];

      g_print ("  %-8s 3×3, %4d → %4d\n", impasto_vgg19_conv_name (i), conv->in_channels,
               conv->out_channels);
    }
  g_print ("%s: R %.3f, G %.3f, B %.3f (%s)\n", _("Mean pixel"), weights->mean_pixel[0],
           weights->mean_pixel[1], weights->mean_pixel[2],
           weights->mean_from_file ? _("from the file") : _("ImageNet default: the file has none"));
  {
    g_autofree char *size = g_format_size (impasto_weights_size (weights));

    g_print ("%s: %s\n", _("Weights in memory"), size);
  }
}

/* Prints the cache file at @path; returns its weights when it is usable and matches @source (may
 * be NULL: a stand-alone model file). */
static ImpastoWeights *
print_cache (const char               *path,
             const ImpastoModelSource *source)
{
  g_autofree char *display = g_filename_display_name (path);
  ImpastoEngineError engine_error = { 0 };
  ImpastoWeightsCacheInfo info;
  ImpastoWeights *weights = NULL;
  const char *stale;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print ("%s: %s (%s)\n", _("Cache"), display,
               _("not there yet: the first load or `impasto-cli model import` writes it"));
      return NULL;
    }
  if (impasto_weights_cache_map (&weights, &info, path, &engine_error) != IMPASTO_STATUS_OK)
    {
      g_print ("%s: %s\n  %s: %s\n", _("Cache"), display, _("unusable, will be rebuilt"),
               engine_error.message);
      return NULL;
    }
  g_print ("%s: %s\n", _("Cache"), display);
  g_print ("  %s: %u, %s: %" G_GUINT64_FORMAT " %s, %s: %016" G_GINT64_MODIFIER "x (%s)\n",
           _("format"), info.version, _("size"), info.file_size, _("bytes"), _("checksum"),
           info.payload_checksum, _("verified"));
  print_source (&info.source);
  stale = source != NULL ? impasto_model_store_stale_reason (&info.source, source) : NULL;
  if (stale != NULL)
    {
      g_print ("  %s (%s)\n", _("out of date; the next load rebuilds it"), _(stale));
      impasto_weights_free (weights);
      return NULL;
    }
  return weights;
}

static int
model_info (int    argc,
            char **argv)
{
  g_autofree char *model = NULL;
  const GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model,
      N_("The model to describe (a .mat, a model file or a folder); default: the usual look-up"),
      N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    model_context (NULL,
                   _("Says where the VGG19 model is, whether its cache is usable, and lists its "
                     "layers, mean pixel and checksums. Writes nothing."), entries);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  ImpastoWeights *weights = NULL;
  ImpastoEngineError engine_error = { 0 };

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_BAD_INPUT, error->message);
  if (argc > 1)
    return fail (EXIT_BAD_INPUT, _("model info takes no file names; use --model PATH"));

  path = impasto_model_path_find (model, NULL, &error);
  if (path == NULL)
    return fail (EXIT_BAD_INPUT, error->message);
  display = g_filename_display_name (path);

  if (impasto_model_store_is_model_file (path))
    {
      g_print ("%s: %s (%s)\n", _("Model"), display, _("an Impasto model file"));
      weights = print_cache (path, NULL);
      if (weights == NULL)
        return EXIT_BAD_INPUT;
    }
  else
    {
      g_autofree char *cache_path = impasto_model_store_cache_path (path);
      ImpastoModelSource source;

      if (!impasto_model_store_source_identity (path, NULL, &source, &error))
        return fail (EXIT_BAD_INPUT, error->message);

      g_print ("%s: %s (%s, %" G_GUINT64_FORMAT " %s)\n", _("Model"), display,
               _("MatConvNet .mat"), source.size, _("bytes"));
      weights = print_cache (cache_path, &source);
      if (weights == NULL)
        {
          g_print ("%s\n", _("Reading the .mat to list its layers (this takes a while)…"));
          if (impasto_weights_load (&weights, path, &engine_error) != IMPASTO_STATUS_OK)
            return fail (EXIT_BAD_INPUT, engine_error.message);
        }
    }

  print_weights (weights);
  impasto_weights_free (weights);
  return EXIT_OK;
}

static void
print_model_usage (void)
{
  g_printerr ("%s\n", _("Usage: impasto-cli model COMMAND [OPTION…]"));
  g_printerr ("\n%s\n", _("Commands:"));
  g_printerr ("  download  %s\n", _("Fetch MatConvNet's VGG19 (about 510 MB), verify and import it"));
  g_printerr ("  import    %s\n", _("Turn a .mat into Impasto's instant-loading model file"));
  g_printerr ("  info      %s\n", _("Say where the model is and what is in it"));
  g_printerr ("\n%s\n", _("impasto-cli model COMMAND --help describes a command."));
}

int
impasto_cli_model_main (int    argc,
                        char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_model_usage ();
      return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }
  /* So that each command's --help starts "Usage: impasto-cli model COMMAND". */
  if (strcmp (argv[1], "import") == 0 || strcmp (argv[1], "info") == 0
      || strcmp (argv[1], "download") == 0)
    {
      g_autofree char *name = g_strdup_printf ("%s model %s", PROGRAM_NAME, argv[1]);

      g_set_prgname (name);
    }
  if (strcmp (argv[1], "import") == 0)
    return model_import (argc - 1, argv + 1);
  if (strcmp (argv[1], "info") == 0)
    return model_info (argc - 1, argv + 1);
  if (strcmp (argv[1], "download") == 0)
    return impasto_cli_model_download (argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf (_("unknown model command “%s”"), argv[1]);

    fail (EXIT_BAD_INPUT, message);
    print_model_usage ();
    return EXIT_BAD_INPUT;
  }
}
