/* impasto-cli.h
 *
 * What the parts of impasto-cli share: the program name used in messages, the exit codes, and the
 * entry points of the `model` subcommands (impasto-cli model import|info|download).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#define PROGRAM_NAME "impasto-cli"

enum
{
  EXIT_OK = 0,
  EXIT_RUNTIME = 1,     /* the run or the download failed: memory, numbers, network, disk */
  EXIT_BAD_INPUT = 2,   /* a bad flag, image or model: nothing was written */
  EXIT_INTERRUPTED = 130,
};

/* `impasto-cli model ...`; @argv[0] is "model". Returns the exit code. */
int impasto_cli_model_main (int argc, char **argv);

/* `impasto-cli model download ...`; @argv[0] is "download". Returns the exit code. */
int impasto_cli_model_download (int argc, char **argv);
