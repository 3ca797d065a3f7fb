/* impasto-download-page.c
 *
 * The download part of the "no model" page (see impasto-download-page.h). One ImpastoDownload at
 * a time; its progress properties drive the bar and the numbers, and its end picks the stack page:
 * the offer again after a cancel (with a note on what is kept), the message and Retry after a
 * failure, "loading" after success, when `downloaded` says so to whoever loads the model (the
 * window, which asks the application).
 *
 * This file does not fetch anything itself, touch the model store, or know the window or the
 * application above it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-download-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-download-page.h"
#include "impasto-network-words.h"
#include "impasto-resources-private.h"

#define SCHEMA_ID "org.impasto.Impasto"

struct _ImpastoDownloadPage
{
  GtkWidget parent_instance;

  /* Template children. */
  GtkStack *stack;
  GtkButton *download_button;
  GtkLabel *note_label;
  GtkLabel *source_label;
  GtkProgressBar *progress_bar;
  GtkLabel *progress_label;
  GtkButton *cancel_button;
  GtkLabel *error_label;
  GtkExpander *details_expander;
  GtkLabel *details_label;
  GtkButton *retry_button;
  GtkWidget *credits_clamp;
  GtkLabel *credits_label;

  ImpastoDownload *download;
  GCancellable *cancellable;
  ImpastoDownloadPageState state;
  gboolean disposed;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_DOWNLOAD,
  N_PROPS
};

enum {
  DOWNLOADED,
  N_SIGNALS
};

G_DEFINE_ENUM_TYPE (ImpastoDownloadPageState, impasto_download_page_state,
                    G_DEFINE_ENUM_VALUE (IMPASTO_DOWNLOAD_PAGE_OFFER, "offer"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_DOWNLOAD_PAGE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_DOWNLOAD_PAGE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (IMPASTO_DOWNLOAD_PAGE_DONE, "done"))

G_DEFINE_FINAL_TYPE (ImpastoDownloadPage, impasto_download_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
impasto_download_page_set_state (ImpastoDownloadPage      *self,
                                 ImpastoDownloadPageState  state)
{
  static const char * const pages[] = { "offer", "running", "failed", "done" };

  g_assert (IMPASTO_IS_DOWNLOAD_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, pages[state]);
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Says on the offer page how much an earlier, interrupted download left. */
static void
impasto_download_page_update_note (ImpastoDownloadPage *self)
{
  g_autofree char *path = impasto_download_default_path ();
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  GStatBuf st;

  if (g_stat (part, &st) == 0 && st.st_size > 0)
    {
      g_autofree char *size = g_format_size_full ((guint64) st.st_size, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: a size, e.g. "123.4 MiB". */
      g_autofree char *text = g_strdup_printf (_("%s from an earlier download are kept; "
                                                 "Download goes on from there."), size);

      gtk_label_set_label (self->note_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);
    }
}

static void
on_download_progress_cb (ImpastoDownloadPage *self,
                         GParamSpec          *pspec,
                         ImpastoDownload     *download)
{
  guint64 done = impasto_download_get_bytes_done (download);
  guint64 total = impasto_download_get_bytes_total (download);
  g_autofree char *text = NULL;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) done / total));
  else
    gtk_progress_bar_pulse (self->progress_bar);

  text = impasto_download_format_progress (done, total, impasto_download_get_rate (download),
                                           impasto_download_get_seconds_left (download));
  gtk_label_set_label (self->progress_label, text);
}

/* @message in a person's words; @details, the technical text behind it, shows on request. */
static void
impasto_download_page_show_error (ImpastoDownloadPage *self,
                                  const char          *message,
                                  const char          *details)
{
  gtk_label_set_label (self->error_label, message);
  gtk_label_set_label (self->details_label, details != NULL ? details : "");
  gtk_expander_set_expanded (self->details_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_expander), details != NULL);
  impasto_download_page_set_state (self, IMPASTO_DOWNLOAD_PAGE_FAILED);
  gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

static void
impasto_download_page_run_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(ImpastoDownloadPage) self = user_data;
  ImpastoDownload *download = IMPASTO_DOWNLOAD (object);
  g_autoptr(GError) error = NULL;

  impasto_download_run_finish (download, result, &error);
  if (self->disposed)
    return;
  g_clear_object (&self->cancellable);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          impasto_download_page_update_note (self);
          impasto_download_page_set_state (self, IMPASTO_DOWNLOAD_PAGE_OFFER);
          gtk_widget_grab_focus (GTK_WIDGET (self->download_button));
        }
      else if (g_error_matches (error, IMPASTO_DOWNLOAD_ERROR, IMPASTO_DOWNLOAD_ERROR_NETWORK)
               && impasto_download_get_network_cause (download) != NULL)
        {
          /* The system's words ("Error resolving …: Name or service not known") go under
           * Details; the page says what it means. */
          const char *words = impasto_network_words (impasto_download_get_network_cause (download));
          g_autofree char *message = NULL;

          if (impasto_download_get_bytes_done (download) > 0)
            /* Translators: %s is what went wrong, e.g. "No internet connection". */
            message = g_strdup_printf (_("%s. What has arrived is kept, and Retry goes on from "
                                         "there."), words);
          else
            message = g_strdup (words);
          impasto_download_page_show_error (self, message, error->message);
        }
      else
        {
          impasto_download_page_show_error (self, error->message, NULL);
        }
      return;
    }

  /* Whoever listens loads it, which imports it into the cache (with its own progress) and
   * replaces this page. */
  impasto_download_page_set_state (self, IMPASTO_DOWNLOAD_PAGE_DONE);
  g_signal_emit (self, signals[DOWNLOADED], 0, impasto_download_get_path (download),
                 impasto_download_get_md5 (download));
}

/* The model-url and model-md5 settings, if this build's schema has them. */
static void
read_settings (char **url,
               char **md5)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema =
    source != NULL ? g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;

  *url = NULL;
  *md5 = NULL;
  if (schema == NULL)
    return;
  settings = g_settings_new (SCHEMA_ID);
  if (g_settings_schema_has_key (schema, "model-url"))
    *url = g_settings_get_string (settings, "model-url");
  if (g_settings_schema_has_key (schema, "model-md5"))
    *md5 = g_settings_get_string (settings, "model-md5");
}

void
impasto_download_page_start (ImpastoDownloadPage *self)
{
  g_autofree char *settings_url = NULL;
  g_autofree char *settings_md5 = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *source = NULL;
  g_auto(GStrv) md5s = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (IMPASTO_IS_DOWNLOAD_PAGE (self));

  if (self->state == IMPASTO_DOWNLOAD_PAGE_RUNNING)
    return;

  read_settings (&settings_url, &settings_md5);
  url = impasto_download_resolve_url (NULL, settings_url);
  md5s = impasto_download_parse_md5s (settings_md5, &error);
  if (md5s == NULL || !impasto_download_check_url (url, &error))
    {
      impasto_download_page_show_error (self, error->message, NULL);
      return;
    }
  path = impasto_download_default_path ();

  if (self->download != NULL)
    g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);
  self->download = impasto_download_new (url, path, (const char * const *) md5s);
  g_signal_connect_object (self->download, "notify::bytes-done",
                           G_CALLBACK (on_download_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->download, "notify::bytes-total",
                           G_CALLBACK (on_download_progress_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD]);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  /* Translators: the server's name, e.g. "www.vlfeat.org". */
  source = g_strdup_printf (_("Downloading from %s"),
                            uri != NULL && g_uri_get_host (uri) != NULL
                            ? g_uri_get_host (uri) : url);
  gtk_label_set_label (self->source_label, source);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), url);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->progress_label, _("Connecting…"));

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  impasto_download_page_set_state (self, IMPASTO_DOWNLOAD_PAGE_RUNNING);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  impasto_download_run_async (self->download, self->cancellable, impasto_download_page_run_cb,
                              g_object_ref (self));
}

void
impasto_download_page_cancel (ImpastoDownloadPage *self)
{
  g_return_if_fail (IMPASTO_IS_DOWNLOAD_PAGE (self));

  g_cancellable_cancel (self->cancellable);
}

static void
on_download_button_clicked_cb (ImpastoDownloadPage *self,
                               GtkButton           *button)
{
  impasto_download_page_start (self);
}

static void
on_cancel_button_clicked_cb (ImpastoDownloadPage *self,
                             GtkButton           *button)
{
  impasto_download_page_cancel (self);
}

const char *
impasto_download_page_get_network_credits (void)
{
  return _("VGG19 was trained by Karen Simonyan and Andrew Zisserman (Visual Geometry Group, "
           "University of Oxford) and made public for research; Impasto uses the conversion "
           "that <a href=\"https://www.vlfeat.org/matconvnet/pretrained/\">MatConvNet</a> "
           "publishes, which asks that the original authors be credited. Its licence is "
           "quoted differently by different sources: the "
           "<a href=\"https://www.robots.ox.ac.uk/~vgg/research/very_deep/\">VGG project "
           "page</a> is cited for Creative Commons Attribution 4.0 (CC BY 4.0), the Caffe Model "
           "Zoo entry for the same weights for CC BY-NC 4.0 (non-commercial use only). Check "
           "which terms apply to your use. This is why the network (about 510 MB) is not part "
           "of Impasto and is downloaded once instead.");
}

static void
impasto_download_page_dispose (GObject *object)
{
  ImpastoDownloadPage *self = (ImpastoDownloadPage *) object;

  /* A running download stops and keeps its .part; its callback finds the page gone. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->download != NULL)
    g_signal_handlers_disconnect_by_data (self->download, self);
  g_clear_object (&self->download);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_DOWNLOAD_PAGE);

  G_OBJECT_CLASS (impasto_download_page_parent_class)->dispose (object);
}

static void
impasto_download_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ImpastoDownloadPage *self = IMPASTO_DOWNLOAD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DOWNLOAD:
      g_value_set_object (value, self->download);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_download_page_class_init (ImpastoDownloadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_download_page_dispose;
  object_class->get_property = impasto_download_page_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, IMPASTO_TYPE_DOWNLOAD_PAGE_STATE,
                       IMPASTO_DOWNLOAD_PAGE_OFFER,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DOWNLOAD] =
    g_param_spec_object ("download", NULL, NULL, IMPASTO_TYPE_DOWNLOAD,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The file is in place and verified; the arguments are its path and its MD5 (32 hex
   * digits), which spares the import reading it again to compute that. */
  signals[DOWNLOADED] =
    g_signal_new ("downloaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  impasto_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/impasto/Impasto/impasto-download-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, download_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, details_expander);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, credits_clamp);
  gtk_widget_class_bind_template_child (widget_class, ImpastoDownloadPage, credits_label);
  gtk_widget_class_bind_template_callback (widget_class, on_download_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
}

static void
impasto_download_page_init (ImpastoDownloadPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_label_set_markup (self->credits_label, impasto_download_page_get_network_credits ());
  impasto_download_page_update_note (self);
}

GtkWidget *
impasto_download_page_new (void)
{
  return g_object_new (IMPASTO_TYPE_DOWNLOAD_PAGE, NULL);
}

ImpastoDownloadPageState
impasto_download_page_get_state (ImpastoDownloadPage *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD_PAGE (self), IMPASTO_DOWNLOAD_PAGE_OFFER);

  return self->state;
}

ImpastoDownload *
impasto_download_page_get_download (ImpastoDownloadPage *self)
{
  g_return_val_if_fail (IMPASTO_IS_DOWNLOAD_PAGE (self), NULL);

  return self->download;
}
