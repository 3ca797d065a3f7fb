/* impasto-make-vgg19.c
 *
 * Writes a VGG19 with random (He-initialised, seeded) weights in MatConvNet's .mat layout, for
 * trying the engine at full size without the real 550 MB download, and for the CLI tests:
 *
 *   impasto-make-vgg19 --output FILE [--tiny] [--layout newer|older] [--seed N] [--no-fc]
 *                      [--no-compress]
 *
 * By default: the real widths (64 ... 512) with fc6/fc7/fc8 and the softmax, the newer layout,
 * zlib compression and seed 1. --tiny writes widths 4 ... 8 and small fc layers. The pictures
 * such a network makes are meaningless; its shapes and file layout are the real ones.
 *
 * Exit status: 0 on success, 1 if the file cannot be written, 2 on bad arguments.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-vgg19-mat.h"

#define PROGRAM "impasto-make-vgg19"

static const char usage[] =
  "Usage: " PROGRAM " --output FILE [--tiny] [--layout newer|older] [--seed N] [--no-fc]\n"
  "                          [--no-compress]\n"
  "\n"
  "Writes a random-weight VGG19 in MatConvNet's .mat layout.\n"
  "\n"
  "  --output FILE       where to write it (required)\n"
  "  --tiny              widths 3, 4, 4, 6, 6, 8 ... 8 instead of the real 3, 64 ... 512\n"
  "  --layout LAYOUT     newer (meta.normalization, weights cells; default) or older\n"
  "                      (top-level normalization with a 224x224x3 mean image, classes,\n"
  "                      separate filters/biases fields)\n"
  "  --seed N            random seed (default 1)\n"
  "  --no-fc             leave out fc6, fc7, fc8 and the softmax\n"
  "  --no-compress       write without zlib compression\n"
  "  --help              show this help\n";

static int
bad_arguments (const char *message, const char *argument)
{
  fprintf (stderr, PROGRAM ": %s%s%s%s (try --help)\n", message,
           argument ? " '" : "", argument ? argument : "", argument ? "'" : "");
  return 2;
}

/* The value of option @name at argv[*i], as "--name VALUE" or "--name=VALUE"; NULL if argv[*i]
 * is not that option. Sets *missing when the value is absent. */
static const char *
option_value (int argc, char **argv, int *i, const char *name, int *missing)
{
  size_t len = strlen (name);
  const char *arg = argv[*i];

  if (strncmp (arg, name, len) != 0)
    return NULL;
  if (arg[len] == '=')
    return arg + len + 1;
  if (arg[len] != '\0')
    return NULL;
  if (*i + 1 >= argc)
    {
      *missing = 1;
      return NULL;
    }
  (*i)++;
  return argv[*i];
}

int
main (int argc, char **argv)
{
  ImpastoVgg19MatOptions options;
  const char *output = NULL;
  const char *layout = "newer";
  unsigned long long seed = 1;
  int tiny = 0, no_fc = 0, no_compress = 0;
  char error[512];

  for (int i = 1; i < argc; i++)
    {
      const char *value;
      int missing = 0;

      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          fputs (usage, stdout);
          return 0;
        }
      else if (strcmp (argv[i], "--tiny") == 0)
        tiny = 1;
      else if (strcmp (argv[i], "--no-fc") == 0)
        no_fc = 1;
      else if (strcmp (argv[i], "--no-compress") == 0)
        no_compress = 1;
      else if ((value = option_value (argc, argv, &i, "--output", &missing)) != NULL)
        {
          if (value[0] == '\0')
            return bad_arguments ("--output needs a file name", NULL);
          output = value;
        }
      else if ((value = option_value (argc, argv, &i, "--layout", &missing)) != NULL)
        {
          if (strcmp (value, "newer") != 0 && strcmp (value, "older") != 0)
            return bad_arguments ("--layout must be newer or older, not", value);
          layout = value;
        }
      else if ((value = option_value (argc, argv, &i, "--seed", &missing)) != NULL)
        {
          char *end = NULL;

          errno = 0;
          seed = strtoull (value, &end, 0);
          if (value[0] == '\0' || value[0] == '-' || *end != '\0' || errno != 0)
            return bad_arguments ("--seed must be a non-negative integer, not", value);
        }
      else if (missing)
        return bad_arguments ("missing value for", argv[i]);
      else
        return bad_arguments ("unknown argument", argv[i]);
    }
  if (output == NULL)
    return bad_arguments ("--output FILE is required", NULL);

  if (tiny)
    impasto_vgg19_mat_options_init_tiny (&options);
  else
    impasto_vgg19_mat_options_init_real (&options);
  options.layout = strcmp (layout, "older") == 0 ? IMPASTO_VGG19_MAT_LAYOUT_OLDER
                                                 : IMPASTO_VGG19_MAT_LAYOUT_NEWER;
  options.seed = (uint64_t) seed;
  options.with_fc = !no_fc;
  options.compress = !no_compress;

  if (!impasto_vgg19_mat_write (output, &options, NULL, error, sizeof error))
    {
      fprintf (stderr, PROGRAM ": %s\n", error);
      return 1;
    }
  printf ("%s: wrote %s (%s widths, %s layout, %s, %s, seed %llu)\n", PROGRAM, output,
          tiny ? "tiny" : "real", layout, no_fc ? "no fc layers" : "with fc layers",
          no_compress ? "uncompressed" : "compressed", seed);
  return 0;
}
