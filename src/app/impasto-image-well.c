/* impasto-image-well.c
 *
 * A picture well (see impasto-image-well.h). Files are decoded with impasto_image_load() in a
 * GTask thread, which also makes the thumbnail; a texture (dropped from a browser, or pasted) is
 * downloaded on the main thread, which is a memcpy, and flattened onto white in the thread, as
 * impasto_image_load() does for files with alpha. A newer request makes older results stale: they
 * are dropped when they arrive. A drop and a paste hand over the same kinds of value (a file list
 * or a texture) and take the same path into the well (impasto_image_well_take_value()).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-image-well"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-choices.h"
#include "impasto-image.h"
#include "impasto-image-well.h"
#include "impasto-resources-private.h"

/* Longest side of the thumbnail, in pixels; twice the well's size for HiDPI screens. */
#define THUMBNAIL_SIZE 320

struct _ImpastoImageWell
{
  GtkWidget parent_instance;

  GtkButton *button;
  GtkWidget *placeholder_box;
  GtkPicture *picture;
  GtkSpinner *spinner;
  GtkLabel *title_label;
  GtkLabel *name_label;
  GtkLabel *placeholder_label;

  GdkPixbuf *pixbuf;
  GdkTexture *thumbnail;     /* the loaded picture as the well shows it, or NULL */
  GdkPixbuf *shown;          /* shown instead of it (impasto_image_well_set_shown_pixbuf()) */
  GFile *file;
  GFile *failed_file;        /* the file of the last failed load, or NULL */
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  guint serial;
  gboolean loading;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_PLACEHOLDER,
  PROP_PIXBUF,
  PROP_FILE,
  PROP_LOADING,
  N_PROPS
};

enum {
  FAILED,
  NOTICE,
  PASTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (ImpastoImageWell, impasto_image_well, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  guint serial;
  GFile *file;          /* NULL for a texture */
  guint8 *argb;         /* downloaded texture, premultiplied native-endian ARGB32, or NULL */
  int width;
  int height;
  GdkPixbuf *pixbuf;    /* result */
  GdkPixbuf *thumbnail; /* result */
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->file);
  g_clear_pointer (&load->argb, g_free);
  g_clear_object (&load->pixbuf);
  g_clear_object (&load->thumbnail);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
impasto_image_well_set_loading (ImpastoImageWell *self,
                                gboolean          loading)
{
  g_assert (IMPASTO_IS_IMAGE_WELL (self));

  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Worker: ARGB32 premultiplied (cairo's layout) onto white, as RGB. */
static GdkPixbuf *
flatten_argb (const guint8 *argb,
              int           width,
              int           height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels;
  int rowstride;

  if (pixbuf == NULL)
    return NULL;

  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < height; y++)
    {
      const guint32 *src = (const guint32 *) (gconstpointer) (argb + (gsize) y * width * 4);
      guint8 *dst = pixels + (gsize) y * rowstride;

      for (int x = 0; x < width; x++)
        {
          guint32 p = src[x];
          guint a = p >> 24;

          /* Premultiplied: colour + (1 - alpha) * white. */
          dst[3 * x + 0] = (guint8) MIN (255u, ((p >> 16) & 0xff) + 255u - a);
          dst[3 * x + 1] = (guint8) MIN (255u, ((p >> 8) & 0xff) + 255u - a);
          dst[3 * x + 2] = (guint8) MIN (255u, (p & 0xff) + 255u - a);
        }
    }
  return pixbuf;
}

static void
impasto_image_well_load_thread (GTask        *task,
                                gpointer      source_object,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  Load *load = task_data;
  GError *error = NULL;
  int width;
  int height;

  if (load->file != NULL)
    {
      g_autofree char *path = g_file_get_path (load->file);

      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (load->file);

          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                   _("“%s” is not a file on this computer; save it first"),
                                   uri);
          return;
        }
      /* Never more than the largest working size (the "size" setting's maximum): a big JPEG is
       * decoded straight to it, not at full size. */
      load->pixbuf = impasto_image_load_at_size (path, IMPASTO_IMAGE_LONGEST_SIDE,
                                                 IMPASTO_SIZE_MAX, &error);
    }
  else
    {
      load->pixbuf = flatten_argb (load->argb, load->width, load->height);
      g_clear_pointer (&load->argb, g_free);
      if (load->pixbuf == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                             _("Not enough memory for this picture"));
    }

  if (load->pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  impasto_image_fit_size (gdk_pixbuf_get_width (load->pixbuf),
                          gdk_pixbuf_get_height (load->pixbuf),
                          THUMBNAIL_SIZE, &width, &height);
  if (width >= gdk_pixbuf_get_width (load->pixbuf))
    load->thumbnail = g_object_ref (load->pixbuf);
  else
    load->thumbnail = gdk_pixbuf_scale_simple (load->pixbuf, width, height,
                                               GDK_INTERP_BILINEAR);
  if (load->thumbnail == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s",
                               _("Not enough memory for this picture"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
impasto_image_well_load_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  ImpastoImageWell *self = IMPASTO_IMAGE_WELL (object);
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = NULL;

  if (load->serial != self->serial)
    return;

  /* Done loading is said together with the new picture, not before it: whoever looks when the
   * loading ends (a start waiting for the pictures) sees the new one, not the one it replaces. */
  g_object_freeze_notify (G_OBJECT (self));
  impasto_image_well_set_loading (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_set_object (&self->failed_file, load->file);
          g_signal_emit (self, signals[FAILED], 0, error->message);
        }
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  texture = gdk_texture_new_for_pixbuf (load->thumbnail);
  g_set_object (&self->thumbnail, texture);
  /* What was shown instead belonged to the previous picture. */
  g_clear_object (&self->shown);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), TRUE);
  gtk_widget_set_opacity (self->placeholder_box, 0.0);

  if (load->file != NULL)
    name = g_file_get_basename (load->file);
  else
    name = g_strdup (_("Pasted picture"));
  gtk_label_set_label (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->file, load->file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_set_object (&self->pixbuf, load->pixbuf);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXBUF]);
  g_object_thaw_notify (G_OBJECT (self));
  g_object_thaw_notify (G_OBJECT (self));
}

static void
impasto_image_well_start_load (ImpastoImageWell *self,
                               Load             *load)
{
  g_autoptr(GTask) task = NULL;

  g_assert (IMPASTO_IS_IMAGE_WELL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load->serial = ++self->serial;
  impasto_image_well_set_loading (self, TRUE);

  task = g_task_new (self, self->cancellable, impasto_image_well_load_cb, NULL);
  g_task_set_source_tag (task, impasto_image_well_start_load);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, impasto_image_well_load_thread);
}

void
impasto_image_well_load_file (ImpastoImageWell *self,
                              GFile            *file)
{
  Load *load;

  g_return_if_fail (IMPASTO_IS_IMAGE_WELL (self));
  g_return_if_fail (G_IS_FILE (file));

  load = g_new0 (Load, 1);
  load->file = g_object_ref (file);
  impasto_image_well_start_load (self, load);
}

void
impasto_image_well_load_texture (ImpastoImageWell *self,
                                 GdkTexture       *texture)
{
  Load *load;
  int width;
  int height;

  g_return_if_fail (IMPASTO_IS_IMAGE_WELL (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  if (width > IMPASTO_IMAGE_MAX_SIDE || height > IMPASTO_IMAGE_MAX_SIDE
      || (gint64) width * height > IMPASTO_IMAGE_MAX_PIXELS)
    {
      g_autofree char *message =
        g_strdup_printf (_("The picture is too large (%d×%d pixels)"), width, height);

      g_signal_emit (self, signals[FAILED], 0, message);
      return;
    }

  load = g_new0 (Load, 1);
  load->width = width;
  load->height = height;
  load->argb = g_try_malloc ((gsize) width * height * 4);
  if (load->argb == NULL)
    {
      load_free (load);
      g_signal_emit (self, signals[FAILED], 0, _("Not enough memory for this picture"));
      return;
    }
  gdk_texture_download (texture, load->argb, (gsize) width * 4);
  impasto_image_well_start_load (self, load);
}

static void
on_chooser_response_cb (ImpastoImageWell     *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        impasto_image_well_load_file (self, file);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

/* well.open: the file chooser. */
static void
impasto_image_well_open_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  ImpastoImageWell *self = IMPASTO_IMAGE_WELL (widget);
  g_autoptr(GtkFileFilter) images = NULL;
  g_autofree char *title = NULL;
  GtkRoot *root;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Translators: %s is "Photo" or "Painting". */
  title = g_strdup_printf (_("Choose the %s"), gtk_label_get_label (self->title_label));
  self->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  images = gtk_file_filter_new ();
  gtk_file_filter_set_name (images, _("Pictures"));
  gtk_file_filter_add_pixbuf_formats (images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), images);

  if (self->file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->file);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), parent, NULL);
    }

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

gboolean
impasto_image_well_take_value (ImpastoImageWell *self,
                               const GValue     *value)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_WELL (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      if (files == NULL)
        return FALSE;
      impasto_image_well_load_file (self, files->data);
      g_slist_free (files);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE) && g_value_get_object (value) != NULL)
    {
      impasto_image_well_load_texture (self, g_value_get_object (value));
      return TRUE;
    }

  return FALSE;
}

static gboolean
on_drop_cb (ImpastoImageWell *self,
            const GValue     *value,
            double            x,
            double            y,
            GtkDropTarget    *target)
{
  return impasto_image_well_take_value (self, value);
}

/* A paste on its way: the well, what was asked of the clipboard, and the well's serial then (a
 * newer load, or the well's dispose, makes the paste stale). */
typedef struct
{
  ImpastoImageWell *self;
  GType type;
  guint serial;
} Paste;

static void
paste_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Paste *paste = user_data;
  g_autoptr(ImpastoImageWell) self = paste->self;
  GType type = paste->type;
  guint serial = paste->serial;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  g_free (paste);
  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  if (serial != self->serial)
    return;
  if (value == NULL || !impasto_image_well_take_value (self, value))
    g_signal_emit (self, signals[FAILED], 0,
                   type == GDK_TYPE_TEXTURE ? _("The picture on the clipboard could not be read")
                                            : _("The clipboard could not be read"));
  else
    g_signal_emit (self, signals[PASTED], 0);
}

/* well.paste: a file or a picture from the clipboard. */
static void
impasto_image_well_paste_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  ImpastoImageWell *self = IMPASTO_IMAGE_WELL (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);
  /* In order of preference: a copied file keeps its name and folder. */
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (gdk_content_formats_contain_gtype (formats, types[i]))
      {
        Paste *paste = g_new0 (Paste, 1);

        paste->self = g_object_ref (self);
        paste->type = types[i];
        paste->serial = self->serial;
        gdk_clipboard_read_value_async (clipboard, types[i], G_PRIORITY_DEFAULT, NULL, paste_cb,
                                        paste);
        return;
      }

  g_signal_emit (self, signals[NOTICE], 0, _("There is no picture on the clipboard"));
}

static void
impasto_image_well_dispose (GObject *object)
{
  ImpastoImageWell *self = (ImpastoImageWell *) object;
  GtkWidget *child;

  /* Loads still in flight find a newer serial and drop their result. */
  self->serial++;
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPASTO_TYPE_IMAGE_WELL);
  /* The unnamed label box is ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (impasto_image_well_parent_class)->dispose (object);
}

static void
impasto_image_well_finalize (GObject *object)
{
  ImpastoImageWell *self = (ImpastoImageWell *) object;

  g_clear_object (&self->pixbuf);
  g_clear_object (&self->thumbnail);
  g_clear_object (&self->shown);
  g_clear_object (&self->file);
  g_clear_object (&self->failed_file);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (impasto_image_well_parent_class)->finalize (object);
}

static void
impasto_image_well_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ImpastoImageWell *self = IMPASTO_IMAGE_WELL (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, gtk_label_get_label (self->title_label));
      break;

    case PROP_PLACEHOLDER:
      g_value_set_string (value, gtk_label_get_label (self->placeholder_label));
      break;

    case PROP_PIXBUF:
      g_value_set_object (value, self->pixbuf);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_image_well_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ImpastoImageWell *self = IMPASTO_IMAGE_WELL (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      gtk_label_set_label (self->title_label, g_value_get_string (value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, g_value_get_string (value),
                                      -1);
      break;

    case PROP_PLACEHOLDER:
      gtk_label_set_label (self->placeholder_label, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
impasto_image_well_class_init (ImpastoImageWellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = impasto_image_well_dispose;
  object_class->finalize = impasto_image_well_finalize;
  object_class->get_property = impasto_image_well_get_property;
  object_class->set_property = impasto_image_well_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PLACEHOLDER] =
    g_param_spec_string ("placeholder", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PIXBUF] =
    g_param_spec_object ("pixbuf", NULL, NULL, GDK_TYPE_PIXBUF,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A picture could not be used; the argument is a sentence to show. */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Something to tell that is not a failure (the clipboard holds no picture); the argument is a
   * sentence to show. */
  signals[NOTICE] =
    g_signal_new ("notice",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /* A paste was taken (the picture itself may still be decoding): with the focus elsewhere,
   * which well it went to is not obvious, so the window says it. */
  signals[PASTED] =
    g_signal_new ("pasted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "well.open", NULL,
                                   impasto_image_well_open_action);
  gtk_widget_class_install_action (widget_class, "well.paste", NULL,
                                   impasto_image_well_paste_action);

  impasto_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/impasto/Impasto/impasto-image-well.ui");
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, button);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, placeholder_box);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, picture);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, title_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, name_label);
  gtk_widget_class_bind_template_child (widget_class, ImpastoImageWell, placeholder_label);
  gtk_widget_class_set_css_name (widget_class, "imagewell");
}

static void
impasto_image_well_init (ImpastoImageWell *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  gtk_widget_init_template (GTK_WIDGET (self));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->button), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
impasto_image_well_new (void)
{
  return g_object_new (IMPASTO_TYPE_IMAGE_WELL, NULL);
}

GdkPixbuf *
impasto_image_well_get_pixbuf (ImpastoImageWell *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_WELL (self), NULL);

  return self->pixbuf;
}

GFile *
impasto_image_well_get_file (ImpastoImageWell *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_WELL (self), NULL);

  return self->file;
}

gboolean
impasto_image_well_get_loading (ImpastoImageWell *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_WELL (self), FALSE);

  return self->loading;
}

GFile *
impasto_image_well_get_failed_file (ImpastoImageWell *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_WELL (self), NULL);

  return self->failed_file;
}

void
impasto_image_well_set_shown_pixbuf (ImpastoImageWell *self,
                                     GdkPixbuf        *shown)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_if_fail (IMPASTO_IS_IMAGE_WELL (self));
  g_return_if_fail (shown == NULL || GDK_IS_PIXBUF (shown));

  /* Nothing loaded: nothing to show instead. */
  if (self->thumbnail == NULL)
    return;
  if (!g_set_object (&self->shown, shown))
    return;

  if (shown != NULL)
    texture = gdk_texture_new_for_pixbuf (shown);
  gtk_picture_set_paintable (self->picture,
                             GDK_PAINTABLE (texture != NULL ? texture : self->thumbnail));
}

GdkPixbuf *
impasto_image_well_get_shown_pixbuf (ImpastoImageWell *self)
{
  g_return_val_if_fail (IMPASTO_IS_IMAGE_WELL (self), NULL);

  return self->shown;
}

void
impasto_image_well_cancel_load (ImpastoImageWell *self)
{
  g_return_if_fail (IMPASTO_IS_IMAGE_WELL (self));

  if (!self->loading)
    return;
  g_cancellable_cancel (self->cancellable);
  /* A load that already finished on its thread is told apart by its serial. */
  self->serial++;
  impasto_image_well_set_loading (self, FALSE);
}
