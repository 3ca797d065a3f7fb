/* impasto-bench-report.c
 *
 * impasto-bench's cache sizes, page faults and PyTorch run; see the header.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "impasto-bench-report.h"

/* The first line of @path without its newline into @buf; 0 when it cannot be read. */
static int
read_line (const char *path, char *buf, size_t size)
{
  FILE *f = fopen (path, "r");
  int ok = f != NULL && fgets (buf, (int) size, f) != NULL;

  if (f != NULL)
    fclose (f);
  if (ok)
    buf[strcspn (buf, "\n")] = '\0';
  return ok;
}

void
impasto_bench_print_caches (FILE *out)
{
  int printed = 0;

  for (int i = 0; i < 8; i++)
    {
      char path[128], level[16], type[32], size[32];
      const char *dir = "/sys/devices/system/cpu/cpu0/cache/index";

      snprintf (path, sizeof path, "%s%d/level", dir, i);
      if (!read_line (path, level, sizeof level))
        break;
      snprintf (path, sizeof path, "%s%d/type", dir, i);
      if (!read_line (path, type, sizeof type))
        break;
      snprintf (path, sizeof path, "%s%d/size", dir, i);
      if (!read_line (path, size, sizeof size))
        break;
      if (strcmp (type, "Instruction") == 0)
        continue;
      fprintf (out, "%sL%s%s %s", printed ? ", " : "", level,
               strcmp (type, "Data") == 0 ? "d" : "", size);
      printed = 1;
    }
  fprintf (out, "%s\n", printed ? "" : "unknown");
}

long
impasto_bench_minor_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

int
impasto_bench_run_pytorch (const char *script, int threads, int iterations, int warmup,
                           int regions, int n_sizes, const int (*sizes)[2], double *seconds)
{
  char command[4096];
  char line[1024];
  size_t used;
  FILE *pipe;
  int status;

  for (int i = 0; i < n_sizes; i++)
    seconds[i] = 0.0;
  used = (size_t) snprintf (command, sizeof command,
                            "MALLOC_MMAP_THRESHOLD_=17179869184 "
                            "MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824 "
                            "/usr/bin/python3 '%s' --threads %d --iterations %d --warmup %d "
                            "--regions %d", script, threads, iterations, warmup, regions);
  for (int i = 0; i < n_sizes && used < sizeof command; i++)
    used += (size_t) snprintf (command + used, sizeof command - used, " %dx%d", sizes[i][0],
                               sizes[i][1]);
  if (used >= sizeof command || strchr (script, '\'') != NULL)
    return 1;

  fflush (stdout);
  pipe = popen (command, "r");
  if (pipe == NULL)
    return 1;
  while (fgets (line, sizeof line, pipe) != NULL)
    {
      int w, h;
      double s;
      char *at;

      printf ("pytorch: %s", line);
      fflush (stdout);
      at = strstr (line, " s/iter");
      if (sscanf (line, "%dx%d", &w, &h) != 2 || at == NULL)
        continue;
      while (at > line && at[-1] == ' ')
        at--;
      while (at > line && at[-1] != ' ')
        at--;
      s = strtod (at, NULL);
      for (int i = 0; i < n_sizes; i++)
        if (sizes[i][0] == w && sizes[i][1] == h && seconds[i] == 0.0)
          {
            seconds[i] = s;
            break;
          }
    }
  status = pclose (pipe);
  return status == 0 ? 0 : 1;
}
