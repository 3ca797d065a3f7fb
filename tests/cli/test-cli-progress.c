/* test-cli-progress.c
 *
 * impasto-cli's progress line, on a tiny random VGG19. Under a pseudo-terminal (openpty, raw so
 * that the bytes arrive as written): the line is redrawn in place — each draw a carriage return,
 * the text with "photo k/3", then "clear to the end of the line" — no draw is wider than the
 * terminal, there are no more draws than 10 a second allow (plus those forced at the start and
 * end of each size), and the messages about written pictures wipe it first. In a pipe: no
 * carriage return and no escape, only lines. --quiet: no progress and no report of what was
 * written, while a broken photo is still said.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-progress"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"

#define COLUMNS 60

static char *model_dir;
static char *model_path;

typedef struct
{
  char *dir;
} Fixture;

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_file_get_contents (from, &contents, &size, &error);
  g_assert_no_error (error);
  cli_test_write_file (to, contents, size);
}

/* photos/a.png, photos/b.png, photos/c.png (40 × 32 each) and style.png. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *photos = g_build_filename (fixture->dir = cli_test_dir_new (), "photos",
                                              NULL);
  g_autofree char *content = NULL;
  const char * const names[] = { "a.png", "b.png", "c.png" };

  cli_test_write_images (fixture->dir);
  g_assert_cmpint (g_mkdir (photos, 0755), ==, 0);
  content = g_build_filename (fixture->dir, "content.png", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (photos, names[i], NULL);

      copy_file (content, path);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cli_test_dir_free (fixture->dir);
}

/* Runs the CLI in @dir with its stderr on a raw pseudo-terminal of COLUMNS columns; returns its
 * exit status and what it wrote there (*@seconds: how long it ran). */
static int
run_on_terminal (const char         *dir,
                 const char * const *args,
                 char              **text,
                 double             *seconds)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  struct winsize size = { .ws_row = 24, .ws_col = COLUMNS };
  struct termios raw;
  gint64 start = g_get_monotonic_time ();
  int master = -1;
  int slave = -1;
  int wait_status = 0;
  GPid pid;

  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, &size), ==, 0);
  g_assert_cmpint (tcgetattr (slave, &raw), ==, 0);
  cfmakeraw (&raw);
  g_assert_cmpint (tcsetattr (slave, TCSANOW, &raw), ==, 0);

  g_ptr_array_add (argv, (gpointer) cli_test_program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_fds (dir, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                          NULL, &pid, -1, -1, slave, &error);
  g_assert_no_error (error);
  close (slave);

  /* Until the program has gone and the terminal says so (EIO). */
  for (;;)
    {
      char buffer[4096];
      gssize n = read (master, buffer, sizeof buffer);

      if (n > 0)
        g_string_append_len (output, buffer, n);
      else if (n < 0 && errno == EINTR)
        continue;
      else
        break;
    }
  close (master);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  *seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_test_message ("terminal (%.2f s): %s", *seconds, output->str);

  *text = g_string_free (g_steal_pointer (&output), FALSE);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_terminal (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const args[] = {
    "--content", "photos", "--style", "style.png", "--output-dir", "out", "--model", model_path,
    "--size", "32", "--iterations", "300", NULL,
  };
  g_autofree char *text = NULL;
  g_auto(GStrv) draws = NULL;
  double seconds;
  guint n_draws = 0;

  g_assert_cmpint (run_on_terminal (fixture->dir, args, &text, &seconds), ==, 0);

  /* Drawn in place: a carriage return, the line, then clear to the end of the line. */
  g_assert_nonnull (strstr (text, "\r"));
  g_assert_nonnull (strstr (text, "\033[K"));
  for (int k = 1; k <= 3; k++)
    {
      g_autofree char *counted = g_strdup_printf ("\rphoto %d/3  iteration ", k);
      g_autofree char *wrote = g_strdup_printf ("\r\033[Kimpasto-cli: photo %d/3: wrote out/", k);

      g_assert_nonnull (strstr (text, counted));
      /* The message about the picture first wipes the line. */
      g_assert_nonnull (strstr (text, wrote));
    }

  /* Each draw fits the terminal, and they come no faster than 10 a second, apart from the two
   * forced at each size's start and end (one size here, three photos). */
  draws = g_strsplit (text, "\r", -1);
  for (guint i = 0; draws[i] != NULL; i++)
    {
      const char *end = strstr (draws[i], "\033[K");

      if (!g_str_has_prefix (draws[i], "photo ") || end == NULL)
        continue;
      n_draws++;
      g_assert_cmpint (g_utf8_strlen (draws[i], end - draws[i]), <=, COLUMNS - 1);
      /* Nothing after the clearing but the next draw. */
      g_assert_cmpstr (end, ==, "\033[K");
    }
  g_test_message ("%u draws in %.2f s", n_draws, seconds);
  g_assert_cmpuint (n_draws, >=, 6);
  g_assert_cmpuint (n_draws, <=, 10 * seconds + 2 * 3 + 1);
  g_assert_cmpuint (count (text, "wrote 3 of 3 pictures"), ==, 1);
}

static void
test_pipe (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *err = NULL;
  int status;

  status = cli_test_run (fixture->dir, NULL, NULL, &err, "--content", "photos", "--style",
                         "style.png", "--output-dir", "out", "--model", model_path, "--size",
                         "32", "--iterations", "50", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strchr (err, '\r'));
  g_assert_null (strchr (err, '\033'));
  g_assert_cmpuint (count (err, ": wrote out/"), ==, 3);
  g_assert_nonnull (strstr (err, "photo 3/3: wrote out/c-style.png"));
}

static void
test_quiet (Fixture       *fixture,
            gconstpointer  data)
{
  const char * const args[] = {
    "--content", "photos", "--style", "style.png", "--output-dir", "out", "--model", model_path,
    "--size", "32", "--iterations", "50", "--quiet", NULL,
  };
  g_autofree char *broken = g_build_filename (fixture->dir, "photos", "b.png", NULL);
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  double seconds;

  /* All well: not a word, on a terminal or in a pipe. */
  g_assert_cmpint (run_on_terminal (fixture->dir, args, &text, &seconds), ==, 0);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpint (cli_test_runv (fixture->dir, NULL, NULL, &err, args), ==, 0);
  g_assert_cmpstr (err, ==, "");

  /* A broken photo is still said, with the count of what failed. */
  cli_test_write_file (broken, "not a picture\n", 14);
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_on_terminal (fixture->dir, args, &text, &seconds), ==, 1);
  g_assert_null (strchr (text, '\r'));
  g_assert_nonnull (strstr (text, "photo 2/3: photos/b.png"));
  g_assert_null (strstr (text, ": wrote out/"));
  g_assert_nonnull (strstr (text, "1 failed"));
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  model_path = cli_test_make_tiny_model (&model_dir);

  g_test_add ("/cli/progress/terminal", Fixture, NULL, fixture_set_up, test_terminal,
              fixture_tear_down);
  g_test_add ("/cli/progress/pipe", Fixture, NULL, fixture_set_up, test_pipe,
              fixture_tear_down);
  g_test_add ("/cli/progress/quiet", Fixture, NULL, fixture_set_up, test_quiet,
              fixture_tear_down);

  result = g_test_run ();

  g_clear_pointer (&model_path, g_free);
  cli_test_dir_free (g_steal_pointer (&model_dir));

  return result;
}
