/* test-widgets.c
 *
 * The window's own widgets on their own: the logarithmic slider row (the slider moves in decades
 * and rounds to two digits, the entry takes exact numbers in either decimal style, refuses
 * nonsense without losing the value, and the far left means 0 where allowed); the picture well
 * (a file decodes off the main thread into an upright RGB picture, a non-picture fails with a
 * sentence and keeps the old picture, a texture with transparency is flattened onto white; its
 * well.paste takes a copied file or picture the way a drop does, and the window's Paste forwards
 * to the well it means); and the loss plot (draws a job's history).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-widgets"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "impasto-image-well.h"
#include "impasto-job.h"
#include "impasto-log-scale-row.h"
#include "impasto-loss-plot.h"
#include "impasto-window-private.h"
#include "impasto-network-words.h"
#include "test-app-support.h"

static void
test_log_scale_row (void)
{
  g_autoptr(ImpastoLogScaleRow) row = g_object_ref_sink (IMPASTO_LOG_SCALE_ROW (
    g_object_new (IMPASTO_TYPE_LOG_SCALE_ROW, "lower", 1.0, "upper", 1e6, "value", 500.0,
                  "title", "β", NULL)));
  GtkRange *scale = impasto_log_scale_row_get_scale (row);
  GtkEntry *entry = impasto_log_scale_row_get_entry (row);
  double value = 0.0;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "500");
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (scale), log10 (500.0), 1e-9);

  /* The slider: decades, rounded to two significant digits. */
  gtk_range_set_value (scale, log10 (12345.0));
  g_assert_cmpfloat (impasto_log_scale_row_get_value (row), ==, 12000.0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "12000");

  /* The entry: exact, in C or a comma decimal, with exponents. */
  g_assert_true (impasto_log_scale_row_parse (row, " 2.5e3 ", &value));
  g_assert_cmpfloat (value, ==, 2500.0);
  g_assert_true (impasto_log_scale_row_parse (row, "1234.5", &value));
  g_assert_cmpfloat (value, ==, 1234.5);
  g_assert_false (impasto_log_scale_row_parse (row, "lots", &value));
  g_assert_false (impasto_log_scale_row_parse (row, "-3", &value));
  g_assert_false (impasto_log_scale_row_parse (row, "0", &value));
  g_assert_false (impasto_log_scale_row_parse (row, "nan", &value));

  gtk_editable_set_text (GTK_EDITABLE (entry), "1234.5");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpfloat (impasto_log_scale_row_get_value (row), ==, 1234.5);
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (scale), log10 (1234.5), 1e-9);

  gtk_editable_set_text (GTK_EDITABLE (entry), "lots");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpfloat (impasto_log_scale_row_get_value (row), ==, 1234.5);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));

  /* Beyond the slider's range the exact value stays; the slider sits at its end. */
  impasto_log_scale_row_set_value (row, 1e9);
  g_assert_cmpfloat (impasto_log_scale_row_get_value (row), ==, 1e9);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 6.0);
}

static void
test_log_scale_row_zero (void)
{
  g_autoptr(ImpastoLogScaleRow) row = g_object_ref_sink (IMPASTO_LOG_SCALE_ROW (
    g_object_new (IMPASTO_TYPE_LOG_SCALE_ROW, "lower", 1e-4, "upper", 100.0,
                  "zero-allowed", TRUE, "value", 0.5, NULL)));
  GtkRange *scale = impasto_log_scale_row_get_scale (row);
  GtkAdjustment *adjustment = gtk_range_get_adjustment (scale);
  double value = 1.0;

  g_assert_true (impasto_log_scale_row_parse (row, "0", &value));
  g_assert_cmpfloat (value, ==, 0.0);

  gtk_range_set_value (scale, gtk_adjustment_get_lower (adjustment));
  g_assert_cmpfloat (impasto_log_scale_row_get_value (row), ==, 0.0);
  gtk_range_set_value (scale, -4.0);
  g_assert_cmpfloat (impasto_log_scale_row_get_value (row), ==, 1e-4);
  impasto_log_scale_row_set_value (row, 0.0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, gtk_adjustment_get_lower (adjustment));
}

typedef struct
{
  guint n_pixbufs;
  char *failure;
} WellState;

static void
on_pixbuf_cb (ImpastoImageWell *well,
              GParamSpec       *pspec,
              WellState        *state)
{
  state->n_pixbufs++;
}

static void
on_failed_cb (ImpastoImageWell *well,
              const char       *message,
              WellState        *state)
{
  g_free (state->failure);
  state->failure = g_strdup (message);
}

static gboolean
well_idle (gpointer data)
{
  return !impasto_image_well_get_loading (data);
}

static void
test_image_well (void)
{
  g_autoptr(ImpastoImageWell) well = g_object_ref_sink (IMPASTO_IMAGE_WELL (
    impasto_image_well_new ()));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("impasto-well-XXXXXX", &error);
  g_autofree char *photo = NULL;
  g_autofree char *text = g_build_filename (dir, "notes.png", NULL);
  g_autoptr(GFile) photo_file = NULL;
  g_autoptr(GFile) text_file = g_file_new_for_path (text);
  WellState state = { 0 };
  GdkPixbuf *pixbuf;

  g_assert_no_error (error);
  photo = test_app_write_picture (dir, "photo.png", 50, 30, 0.3);
  photo_file = g_file_new_for_path (photo);
  g_file_set_contents (text, "this is not a picture", -1, &error);
  g_assert_no_error (error);

  g_signal_connect (well, "notify::pixbuf", G_CALLBACK (on_pixbuf_cb), &state);
  g_signal_connect (well, "failed", G_CALLBACK (on_failed_cb), &state);

  impasto_image_well_load_file (well, photo_file);
  g_assert_true (impasto_image_well_get_loading (well));
  test_app_wait_until (well_idle, well, 10, "the photo to decode");
  g_assert_cmpuint (state.n_pixbufs, ==, 1);
  pixbuf = impasto_image_well_get_pixbuf (well);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 50);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 30);
  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  g_assert_true (g_file_equal (impasto_image_well_get_file (well), photo_file));

  /* Not a picture: a sentence, and the photo stays. */
  impasto_image_well_load_file (well, text_file);
  test_app_wait_until (well_idle, well, 10, "the text file to fail");
  g_assert_nonnull (state.failure);
  g_assert_nonnull (strstr (state.failure, "notes.png"));
  g_assert_cmpuint (state.n_pixbufs, ==, 1);
  g_assert_true (impasto_image_well_get_pixbuf (well) == pixbuf);

  /* A texture (dropped from a browser, pasted): half-transparent red on white is pink. */
  {
    guint8 rgba[4 * 4 * 4];
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GdkTexture) texture = NULL;
    const guint8 *p;

    for (int i = 0; i < 16; i++)
      {
        rgba[4 * i + 0] = 255;
        rgba[4 * i + 1] = 0;
        rgba[4 * i + 2] = 0;
        rgba[4 * i + 3] = 128;
      }
    bytes = g_bytes_new (rgba, sizeof rgba);
    texture = gdk_memory_texture_new (4, 4, GDK_MEMORY_R8G8B8A8, bytes, 16);
    impasto_image_well_load_texture (well, texture);
    test_app_wait_until (well_idle, well, 10, "the texture to convert");
    g_assert_cmpuint (state.n_pixbufs, ==, 2);
    pixbuf = impasto_image_well_get_pixbuf (well);
    g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
    g_assert_null (impasto_image_well_get_file (well));
    p = gdk_pixbuf_read_pixels (pixbuf);
    g_assert_cmpint (p[0], ==, 255);
    g_assert_cmpint (abs ((int) p[1] - 127), <=, 1);
    g_assert_cmpint (abs ((int) p[2] - 127), <=, 1);
  }

  g_free (state.failure);
  g_unlink (photo);
  g_unlink (text);
  g_rmdir (dir);
}

typedef struct
{
  guint n_notices;
} NoticeState;

static void
on_notice_cb (ImpastoImageWell *well,
              const char       *message,
              NoticeState      *state)
{
  state->n_notices++;
}

typedef struct
{
  WellState *state;
  ImpastoImageWell *well;
  guint n_pixbufs;
} PixbufWait;

static gboolean
pixbufs_arrived (gpointer data)
{
  PixbufWait *wait = data;

  return wait->state->failure != NULL
         || (wait->state->n_pixbufs >= wait->n_pixbufs
             && !impasto_image_well_get_loading (wait->well));
}

static gboolean
has_action (GType       type,
            const char *name)
{
  GtkWidgetClass *klass = g_type_class_peek (type);
  const GVariantType *parameter_type;
  const char *property;
  const char *found;
  GType owner;

  for (guint i = 0;
       gtk_widget_class_query_action (klass, i, &owner, &found, &parameter_type, &property);
       i++)
    if (g_str_equal (found, name))
      return TRUE;
  return FALSE;
}

static GdkTexture *
red_texture (void)
{
  guint8 rgba[2 * 2 * 4];
  g_autoptr(GBytes) bytes = NULL;

  for (int i = 0; i < 4; i++)
    {
      rgba[4 * i + 0] = 255;
      rgba[4 * i + 1] = 0;
      rgba[4 * i + 2] = 0;
      rgba[4 * i + 3] = 255;
    }
  bytes = g_bytes_new (rgba, sizeof rgba);
  return gdk_memory_texture_new (2, 2, GDK_MEMORY_R8G8B8A8, bytes, 8);
}

/* The well owns its open and paste (well.* actions) and takes a paste the way it takes a drop:
 * a copied file keeps its name, a copied picture has none, text is no picture (a notice, nothing
 * changes), and a value that is neither a file nor a picture is refused. */
static void
test_image_well_paste (void)
{
  g_autoptr(ImpastoImageWell) well = g_object_ref_sink (IMPASTO_IMAGE_WELL (
    impasto_image_well_new ()));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (well));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("impasto-paste-XXXXXX", &error);
  g_autofree char *photo = NULL;
  g_autoptr(GFile) photo_file = NULL;
  g_autoptr(GdkTexture) texture = red_texture ();
  WellState state = { 0 };
  NoticeState notices = { 0 };
  PixbufWait wait;
  GValue text = G_VALUE_INIT;

  g_assert_no_error (error);
  g_assert_true (has_action (IMPASTO_TYPE_IMAGE_WELL, "well.open"));
  g_assert_true (has_action (IMPASTO_TYPE_IMAGE_WELL, "well.paste"));
  photo = test_app_write_picture (dir, "copied.png", 24, 16, 0.5);
  photo_file = g_file_new_for_path (photo);
  g_signal_connect (well, "notify::pixbuf", G_CALLBACK (on_pixbuf_cb), &state);
  g_signal_connect (well, "failed", G_CALLBACK (on_failed_cb), &state);
  g_signal_connect (well, "notice", G_CALLBACK (on_notice_cb), &notices);

  /* Text only: a notice, no load. */
  gdk_clipboard_set_text (clipboard, "just words");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL));
  g_assert_cmpuint (notices.n_notices, ==, 1);
  g_assert_false (impasto_image_well_get_loading (well));

  /* A copied file. */
  {
    GSList *files = g_slist_prepend (NULL, photo_file);
    GdkFileList *list = gdk_file_list_new_from_list (files);

    g_slist_free (files);
    gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, list);
    g_boxed_free (GDK_TYPE_FILE_LIST, list);
  }
  gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL);
  wait = (PixbufWait) { &state, well, 1 };
  test_app_wait_until (pixbufs_arrived, &wait, 10, "the pasted file to decode");
  g_assert_null (state.failure);
  g_assert_cmpuint (state.n_pixbufs, ==, 1);
  g_assert_nonnull (impasto_image_well_get_file (well));
  g_assert_true (g_file_equal (impasto_image_well_get_file (well), photo_file));
  g_assert_cmpint (gdk_pixbuf_get_width (impasto_image_well_get_pixbuf (well)), ==, 24);

  /* A copied picture. */
  gdk_clipboard_set_texture (clipboard, texture);
  gtk_widget_activate_action (GTK_WIDGET (well), "well.paste", NULL);
  wait = (PixbufWait) { &state, well, 2 };
  test_app_wait_until (pixbufs_arrived, &wait, 10, "the pasted picture to convert");
  g_assert_cmpuint (state.n_pixbufs, ==, 2);
  g_assert_null (impasto_image_well_get_file (well));
  g_assert_cmpint (gdk_pixbuf_get_width (impasto_image_well_get_pixbuf (well)), ==, 2);
  g_assert_null (state.failure);
  g_assert_cmpuint (notices.n_notices, ==, 1);

  /* What a drop or a paste hands over must be a file list or a picture. */
  g_value_init (&text, G_TYPE_STRING);
  g_value_set_static_string (&text, "file:///not/taken");
  g_assert_false (impasto_image_well_take_value (well, &text));
  g_value_unset (&text);
  g_assert_false (impasto_image_well_get_loading (well));

  g_unlink (photo);
  g_rmdir (dir);
}

/* The window's Paste (Ctrl+V) forwards to the well it means: the photo first, then the empty
 * painting; the well does the rest. */
static void
test_window_paste_forwards (void)
{
  ImpastoWindow *window = g_object_new (IMPASTO_TYPE_WINDOW, NULL);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  g_autoptr(GdkTexture) texture = red_texture ();
  WellState content = { 0 };
  WellState style = { 0 };
  PixbufWait wait;

  g_signal_connect (window->content_well, "notify::pixbuf", G_CALLBACK (on_pixbuf_cb), &content);
  g_signal_connect (window->style_well, "notify::pixbuf", G_CALLBACK (on_pixbuf_cb), &style);
  gdk_clipboard_set_texture (clipboard, texture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL));
  wait = (PixbufWait) { &content, window->content_well, 1 };
  test_app_wait_until (pixbufs_arrived, &wait, 10, "the photo to be pasted");
  g_assert_cmpuint (style.n_pixbufs, ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  wait = (PixbufWait) { &style, window->style_well, 1 };
  test_app_wait_until (pixbufs_arrived, &wait, 10, "the painting to be pasted");
  g_assert_cmpuint (content.n_pixbufs, ==, 1);
  g_assert_nonnull (impasto_image_well_get_pixbuf (window->style_well));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
job_done (gpointer data)
{
  return !impasto_job_is_active (data) && impasto_job_get_state (data) != IMPASTO_JOB_READY;
}

static void
test_loss_plot (void)
{
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(GdkPixbuf) content = test_app_picture_new (32, 32, 0.0);
  g_autoptr(GdkPixbuf) style = test_app_picture_new (32, 32, 1.0);
  g_autoptr(ImpastoJob) job = NULL;
  g_autoptr(GtkWidget) plot = g_object_ref_sink (impasto_loss_plot_new ());
  g_autoptr(GtkSnapshot) empty = gtk_snapshot_new ();
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  ImpastoJobSettings settings = { 0 };

  impasto_session_params_init_default (&settings.params);
  impasto_session_config_init_default (&settings.config);
  settings.size = 32;
  settings.iterations = 20;
  job = impasto_job_new (model, content, &(ImpastoJobPainting) { style, 1.0 }, 1, &settings);
  impasto_job_run_async (job, NULL, NULL, NULL);
  test_app_wait_until (job_done, job, 30, "the run");

  gtk_widget_measure (plot, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
  gtk_widget_measure (plot, GTK_ORIENTATION_VERTICAL, -1, NULL, NULL, NULL, NULL);
  gtk_widget_allocate (plot, 300, 150, -1, NULL);

  /* Nothing to draw without a job... */
  GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, empty);
  g_assert_null (gtk_snapshot_to_node (empty));

  /* ...and a drawing with one. */
  impasto_loss_plot_set_job (IMPASTO_LOSS_PLOT (plot), job);
  g_assert_true (impasto_loss_plot_get_job (IMPASTO_LOSS_PLOT (plot)) == job);
  GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, snapshot);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);

  /* The finished run reaches the right edge: the x axis ends at its last iteration. */
  {
    guint n;
    const ImpastoJobRecord *records = impasto_job_get_history (job, &n);

    g_assert_cmpuint (n, >, 0);
    g_assert_cmpint (records[n - 1].iteration, ==, 20);
    g_assert_cmpint (impasto_loss_plot_get_x_max (IMPASTO_LOSS_PLOT (plot)), ==, 20);
  }

  /* Labels sit on decades only ("10" and a superscript exponent), evenly: every decade, or
   * every k-th counted from 10⁰. */
  {
    g_auto(GStrv) labels = impasto_loss_plot_dup_decade_labels (IMPASTO_LOSS_PLOT (plot));
    static const char *const superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻";

    g_assert_nonnull (labels);
    g_assert_cmpuint (g_strv_length (labels), >=, 1);
    for (guint i = 0; labels[i] != NULL; i++)
      {
        const char *exponent = labels[i] + 2;

        g_assert_true (g_str_has_prefix (labels[i], "10"));
        g_assert_cmpint (*exponent, !=, '\0');
        for (const char *c = exponent; *c != '\0'; c = g_utf8_next_char (c))
          {
            char buffer[8] = { 0 };

            g_unichar_to_utf8 (g_utf8_get_char (c), buffer);
            g_assert_nonnull (strstr (superscripts, buffer));
          }
      }
  }

  /* Steering marks are recorded once each, drawn, and go with the job. */
  {
    g_autoptr(GtkSnapshot) marked = gtk_snapshot_new ();
    g_autoptr(GskRenderNode) marked_node = NULL;
    const int *steers;
    guint n_steers;

    impasto_loss_plot_mark_steer (IMPASTO_LOSS_PLOT (plot), 5);
    impasto_loss_plot_mark_steer (IMPASTO_LOSS_PLOT (plot), 12);
    impasto_loss_plot_mark_steer (IMPASTO_LOSS_PLOT (plot), 5);
    steers = impasto_loss_plot_get_steers (IMPASTO_LOSS_PLOT (plot), &n_steers);
    g_assert_cmpuint (n_steers, ==, 2);
    g_assert_cmpint (steers[0], ==, 5);
    g_assert_cmpint (steers[1], ==, 12);
    GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, marked);
    marked_node = gtk_snapshot_to_node (marked);
    g_assert_nonnull (marked_node);
    impasto_loss_plot_set_job (IMPASTO_LOSS_PLOT (plot), NULL);
    impasto_loss_plot_get_steers (IMPASTO_LOSS_PLOT (plot), &n_steers);
    g_assert_cmpuint (n_steers, ==, 0);
  }

  /* A taller plot than the old 72 px strip. */
  {
    int minimum, natural;

    gtk_widget_measure (plot, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
    g_assert_cmpint (natural, >=, 140);
  }
}

/* The system's network errors in a person's words. */
static void
test_network_words (void)
{
  struct
  {
    GQuark domain;
    int code;
    const char *words;
  } cases[] = {
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No internet connection" },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "No internet connection" },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "No internet connection" },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "No internet connection" },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "The download server is not answering" },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The connection timed out" },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The connection was lost" },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
      "A secure connection to the server could not be made" },
    { G_IO_ERROR, G_IO_ERROR_PROXY_FAILED, "The network's proxy did not let the download through" },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "The connection failed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code,
                                                     "Error resolving “www.vlfeat.org”");

      g_assert_cmpstr (impasto_network_words (error), ==, cases[i].words);
    }
  g_assert_cmpstr (impasto_network_words (NULL), ==, "The connection was lost");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_app_seed_speed ();
  gtk_init ();
  adw_init ();

  g_test_add_func ("/widgets/log-scale-row", test_log_scale_row);
  g_test_add_func ("/widgets/log-scale-row-zero", test_log_scale_row_zero);
  g_test_add_func ("/widgets/image-well", test_image_well);
  g_test_add_func ("/widgets/image-well-paste", test_image_well_paste);
  g_test_add_func ("/widgets/window-paste-forwards", test_window_paste_forwards);
  g_test_add_func ("/widgets/loss-plot", test_loss_plot);
  g_test_add_func ("/widgets/network-words", test_network_words);

  return g_test_run ();
}
