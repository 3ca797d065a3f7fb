/* test-window-export.c
 *
 * Export Animation in the window, with the whole application under Xvfb and a tiny random VGG19
 * painting: once the run has kept frames, win.export-animation is enabled; the export dialog
 * (reached as the file chooser would, with a name lacking .webp) offers no more frames nor a
 * larger side than the film kept, encodes the asked 8 frames at 32 px with its progress bar,
 * says so (`exported`, with the frames the file has) and closes, and libwebp's WebPAnimDecoder
 * finds an animation of 32 × 27 lasting 8 frames' time (frames the encoder found the same as the
 * one before are merged into it: their number depends on the run); an export cancelled while it encodes closes the dialog and leaves no file, not even
 * a temporary one. The run goes on meanwhile, and is stopped at the end.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-window-export"

#include "config.h"

#include <webp/demux.h>

#include "impasto-animation.h"
#include "impasto-window-private.h"
#include "test-window-support.h"

typedef struct
{
  TestWindowRun run;
  char *exported_path;
  int exported_frames;
} Test;

static Test test;

static gboolean
film_has_frames (gpointer data)
{
  ImpastoWindow *window = data;

  return window->job != NULL
         && impasto_film_get_n_frames (impasto_job_get_film (window->job)) >= 16;
}

static gboolean
dialog_gone (gpointer data)
{
  return ((ImpastoWindow *) data)->export_dialog == NULL;
}

static void
on_exported_cb (ImpastoExportDialog *dialog,
                const char          *path,
                int                  n_frames,
                Test                *t)
{
  g_free (t->exported_path);
  t->exported_path = g_strdup (path);
  t->exported_frames = n_frames;
}

/* The frames, the size and the animation's length (the last frame's end, ms). */
static void
decode (const char *path,
        int        *frames,
        int        *width,
        int        *height,
        int        *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size;
  WebPData data;
  WebPAnimDecoderOptions options;
  WebPAnimDecoder *decoder;
  WebPAnimInfo info;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  data.bytes = (const uint8_t *) contents;
  data.size = size;
  g_assert_true (WebPAnimDecoderOptionsInit (&options));
  decoder = WebPAnimDecoderNew (&data, &options);
  g_assert_nonnull (decoder);
  g_assert_true (WebPAnimDecoderGetInfo (decoder, &info));
  *frames = (int) info.frame_count;
  *width = (int) info.canvas_width;
  *height = (int) info.canvas_height;
  while (WebPAnimDecoderHasMoreFrames (decoder))
    {
      uint8_t *rgba;

      g_assert_true (WebPAnimDecoderGetNext (decoder, &rgba, length));
    }
  WebPAnimDecoderDelete (decoder);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

/* Whether @name is enabled, asked as GtkActionable asks: a throwaway button's sensitivity. */
static gboolean
action_enabled (ImpastoWindow *window,
                const char    *name)
{
  g_autoptr(GtkWidget) button = g_object_ref_sink (gtk_button_new ());
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), name);
  gtk_widget_set_parent (button, GTK_WIDGET (window->canvas_stack));
  enabled = gtk_widget_get_sensitive (button);
  gtk_widget_unparent (button);
  return enabled;
}

static void
check_export (ImpastoWindow *window)
{
  g_autofree char *asked = g_build_filename (test.run.dir, "film", NULL);
  g_autofree char *path = g_build_filename (test.run.dir, "film.webp", NULL);
  ImpastoExportDialog *dialog;
  GtkAdjustment *frames;
  GtkAdjustment *size;
  int n, width, height, length;

  _impasto_window_export_to (window, asked);
  dialog = window->export_dialog;
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "exported", G_CALLBACK (on_exported_cb), &test);

  /* At most the frames kept (fewer than the 60 offered at first), at most their 48 px. */
  impasto_export_dialog_set_choice (dialog, 500, 2048);
  frames = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (
             gtk_widget_get_template_child (GTK_WIDGET (dialog), IMPASTO_TYPE_EXPORT_DIALOG,
                                            "frames_spin")));
  size = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (
           gtk_widget_get_template_child (GTK_WIDGET (dialog), IMPASTO_TYPE_EXPORT_DIALOG,
                                          "size_spin")));
  g_assert_cmpfloat (gtk_adjustment_get_value (size), ==, 48);
  g_assert_cmpfloat (gtk_adjustment_get_value (frames), <=,
                     impasto_film_get_n_frames (impasto_job_get_film (window->job)));
  g_assert_cmpfloat (gtk_adjustment_get_value (frames), >=, 16);

  impasto_export_dialog_set_choice (dialog, 8, 32);
  impasto_export_dialog_export (dialog);
  g_assert_true (impasto_export_dialog_get_exporting (dialog));
  test_app_wait_until (dialog_gone, window, 60, "the export to finish");
  g_assert_cmpstr (test.exported_path, ==, path);
  decode (path, &n, &width, &height, &length);
  /* 8 frames encoded: 7 of 100 ms and the last held 2 s. The file has them all unless the
   * encoder merged a frame into the one before as the same (a run that moved little in 0.1 s),
   * which keeps the time; tests/common/test-animation.c counts distinct frames exactly. */
  g_assert_cmpint (length, ==, 7 * IMPASTO_ANIMATION_FRAME_MS + IMPASTO_ANIMATION_HOLD_MS);
  g_assert_cmpint (n, ==, test.exported_frames);
  g_assert_cmpint (n, >=, 2);
  g_assert_cmpint (n, <=, 8);
  g_assert_cmpint (width, ==, 32);
  g_assert_cmpint (height, ==, 27);
  /* The photo, the painting and the animation. */
  g_assert_cmpuint (count_files (test.run.dir), ==, 3);
}

static void
check_cancel (ImpastoWindow *window)
{
  g_autofree char *path = g_build_filename (test.run.dir, "cancelled.webp", NULL);
  ImpastoExportDialog *dialog;

  g_clear_pointer (&test.exported_path, g_free);
  _impasto_window_export_to (window, path);
  dialog = window->export_dialog;
  g_signal_connect (dialog, "exported", G_CALLBACK (on_exported_cb), &test);
  impasto_export_dialog_set_choice (dialog, 500, 2048);
  impasto_export_dialog_export (dialog);
  g_assert_true (impasto_export_dialog_get_exporting (dialog));
  /* Cancel (what the button and Escape do) while it encodes: it closes once stopped. */
  impasto_export_dialog_cancel (dialog);
  test_app_wait_until (dialog_gone, window, 60, "the cancelled export to stop");
  g_assert_null (test.exported_path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (test.run.dir), ==, 3);
}

static gboolean
job_stopped (gpointer data)
{
  ImpastoWindow *window = data;

  return !impasto_job_is_active (window->job);
}

static gboolean
test_body (gpointer data)
{
  ImpastoWindow *window = test.run.window;
  g_autofree char *film = NULL;

  test_app_wait_until (film_has_frames, window, 60, "16 frames kept");
  g_assert_true (action_enabled (window, "win.export-animation"));

  check_export (window);
  check_cancel (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  test_app_wait_until (job_stopped, window, 30, "the run to stop");
  film = g_build_filename (test.run.dir, "film.webp", NULL);
  g_unlink (film);
  window->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (window));
  test.run.body_done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_window_export (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.impasto.Impasto");

  test_window_run_init (&test.run);
  /* Small and long, with Adam's large steps: frames keep coming, each unlike the one before. */
  g_settings_set_int (settings, "size", 48);
  g_settings_set_int (settings, "iterations", 100000);
  g_settings_set_enum (settings, "optimizer", IMPASTO_OPTIMIZER_ADAM);
  g_settings_set_double (settings, "learning-rate", 5.0);

  test_window_run (&test.run, test_body, TEST_WINDOW_START);

  test_window_run_clear (&test.run);
  g_clear_pointer (&test.exported_path, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();

  g_test_add_func ("/window/export", test_window_export);

  return g_test_run ();
}
