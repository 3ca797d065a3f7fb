/* impasto-cli-progress.c
 *
 * What impasto-cli says while it paints; see impasto-cli-progress.h.
 *
 * The time left in a batch is this picture's (from the ladder's work left at the pace so far),
 * then each picture still to come at the mean time of those finished (or, before any finished,
 * at this picture's expected time): an estimate, as photos of other shapes take other times.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "impasto-cli.h"
#include "impasto-cli-progress.h"

/* "\033[K": erase from the cursor to the end of the line (ECMA-48 EL). */
#define CLEAR_TO_END "\033[K"

void
impasto_cli_progress_init (CliProgress *self,
                           gboolean     quiet)
{
  memset (self, 0, sizeof *self);
  self->quiet = quiet;
  self->terminal = !quiet && isatty (STDERR_FILENO);
  g_strlcpy (self->label, PROGRAM_NAME, sizeof self->label);
}

void
impasto_cli_progress_set_batch (CliProgress *self,
                                int          n_jobs,
                                gboolean     per_painting)
{
  self->n_jobs = n_jobs;
  self->per_painting = per_painting;
}

/* "photo 2/3", or "picture 2/6" when a picture is a photo with one painting. */
static void
format_count (const CliProgress *self,
              char              *buffer,
              gsize              size)
{
  if (self->per_painting)
    g_snprintf (buffer, size, _("picture %d/%d"), self->job, self->n_jobs);
  else
    g_snprintf (buffer, size, _("photo %d/%d"), self->job, self->n_jobs);
}

void
impasto_cli_progress_start_job (CliProgress *self,
                                int          job)
{
  self->job = job;
  self->job_start = g_get_monotonic_time ();
  if (self->n_jobs > 0)
    {
      char count[64];

      format_count (self, count, sizeof count);
      g_snprintf (self->label, sizeof self->label, "%s: %s", PROGRAM_NAME, count);
    }
}

void
impasto_cli_progress_end_job (CliProgress *self,
                              gboolean     painted)
{
  if (painted)
    {
      self->done_seconds += (double) (g_get_monotonic_time () - self->job_start) / G_USEC_PER_SEC;
      self->done_jobs++;
    }
}

const char *
impasto_cli_progress_label (CliProgress *self)
{
  return self->label;
}

void
impasto_cli_progress_clear (CliProgress *self)
{
  if (self->shown)
    g_printerr ("\r" CLEAR_TO_END);
  self->shown = FALSE;
}

void
impasto_cli_progress_print (CliProgress *self,
                            gboolean     always,
                            const char  *text)
{
  if (self->quiet && !always)
    return;
  impasto_cli_progress_clear (self);
  g_printerr ("%s", text);
}

static void
format_duration (char   *buffer,
                 gsize   size,
                 double  seconds)
{
  gint64 s = (gint64) (seconds + 0.5);

  if (s >= 3600)
    g_snprintf (buffer, size, "%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60),
                (int) (s % 60));
  else
    g_snprintf (buffer, size, "%d:%02d", (int) (s / 60), (int) (s % 60));
}

/* Columns of the terminal on stderr; 0 when it does not say. */
static int
terminal_columns (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) != 0)
    return 0;
  return size.ws_col;
}

/* @line cut to @columns - 1 display columns (a wide character takes two), so that the cursor
 * never wraps to a new line and the carriage return finds the line's start. */
static void
fit_to_terminal (GString *line,
                 int      columns)
{
  int width = 0;

  if (columns <= 1 || !g_utf8_validate (line->str, line->len, NULL))
    return;
  for (const char *p = line->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (width + w > columns - 1)
        {
          g_string_truncate (line, p - line->str);
          return;
        }
      width += w;
    }
}

void
impasto_cli_progress_show (CliProgress             *self,
                           const CliProgressStatus *status,
                           gboolean                 force)
{
  g_autoptr(GString) line = NULL;
  gint64 now = g_get_monotonic_time ();
  char eta[32] = "-";

  if (!self->terminal)
    return;
  if (!force && now - self->last_draw < G_USEC_PER_SEC / 10)
    return;
  self->last_draw = now;

  if (status->ms_left >= 0.0)
    {
      double left = status->ms_left / 1000.0;

      if (self->n_jobs > 0 && self->job < self->n_jobs)
        {
          double elapsed = (double) (now - self->job_start) / G_USEC_PER_SEC;
          double each = self->done_jobs > 0 ? self->done_seconds / self->done_jobs
                                             : elapsed + left;

          left += each * (self->n_jobs - self->job);
        }
      format_duration (eta, sizeof eta, left);
    }

  line = g_string_new (NULL);
  if (self->n_jobs > 0)
    {
      char count[64];

      format_count (self, count, sizeof count);
      g_string_append_printf (line, "%s  ", count);
    }
  if (status->n_sizes > 1)
    g_string_append_printf (line, _("size %d/%d %d × %d  iteration %d/%d  loss %.6g  "
                                    "%.1f ms/iter  ETA %s   "),
                            status->scale + 1, status->n_sizes, status->width, status->height,
                            status->iteration, status->iterations, status->loss,
                            status->ms_per_iteration, eta);
  else
    g_string_append_printf (line, _("iteration %d/%d  loss %.6g  %.1f ms/iter  ETA %s   "),
                            status->iteration, status->iterations, status->loss,
                            status->ms_per_iteration, eta);
  if (status->tiles_x * status->tiles_y > 1)
    g_string_append_printf (line, _("%d × %d tiles   "), status->tiles_x, status->tiles_y);

  /* Trailing blanks are left to the clearing, then the whole line in one write. */
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  fit_to_terminal (line, terminal_columns ());
  g_string_prepend_c (line, '\r');
  g_string_append (line, CLEAR_TO_END);
  g_printerr ("%s", line->str);
  self->shown = TRUE;
}

void
impasto_cli_progress_summary (CliProgress *self,
                              int          painted,
                              int          failed,
                              gboolean     interrupted,
                              const char  *output_dir,
                              double       seconds)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *display = g_filename_display_name (output_dir);

  g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE,
                                             "%s: wrote %d of %d picture into %s in %.1f s",
                                             "%s: wrote %d of %d pictures into %s in %.1f s",
                                             self->n_jobs),
                          PROGRAM_NAME, painted, self->n_jobs, display, seconds);
  if (failed > 0)
    g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "; %d failed (said above)",
                                               "; %d failed (said above)", failed), failed);
  if (interrupted)
    g_string_append (line, _("; stopped by Ctrl+C"));
  g_string_append_c (line, '\n');
  impasto_cli_progress_print (self, failed > 0, line->str);
}
