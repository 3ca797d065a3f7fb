/* impasto-show-in-files.c
 *
 * See impasto-show-in-files.h. GTK 4.10 has GtkFileLauncher for this; on GTK 4.8 the file
 * manager is asked over D-Bus (org.freedesktop.FileManager1.ShowItems, which Files, Dolphin,
 * Nemo and others implement), and when nothing answers there (no such file manager, or a Flatpak
 * without access to that name), the file's folder is opened with gtk_show_uri(), which goes
 * through the OpenURI portal inside a Flatpak.
 *
 * It does not open the file itself, and it does not wait for the file manager.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-show-in-files"

#include "config.h"

#include "impasto-show-in-files.h"

#if GTK_CHECK_VERSION (4, 10, 0)

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_open_containing_folder_finish (GTK_FILE_LAUNCHER (object), result,
                                                        &error))
    g_message ("Could not show the file in the file manager: %s", error->message);
}

void
impasto_show_in_files (GtkWindow *parent,
                       GFile     *file)
{
  g_autoptr(GtkFileLauncher) launcher = NULL;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_FILE (file));

  launcher = gtk_file_launcher_new (file);
  gtk_file_launcher_open_containing_folder (launcher, parent, NULL, launched_cb, NULL);
}

#else

typedef struct
{
  GtkWindow *parent;  /* weak */
  GFile *file;
} ShowItems;

static void
show_items_free (ShowItems *show)
{
  g_clear_weak_pointer (&show->parent);
  g_clear_object (&show->file);
  g_free (show);
}

static void
show_items_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ShowItems *show = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (show->file);
      g_autofree char *uri = folder != NULL ? g_file_get_uri (folder) : NULL;

      g_debug ("No file manager to select the file (%s); opening its folder", error->message);
      if (uri != NULL)
        gtk_show_uri (show->parent, uri, GDK_CURRENT_TIME);
    }
  show_items_free (show);
}

void
impasto_show_in_files (GtkWindow *parent,
                       GFile     *file)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  ShowItems *show;
  const char *uris[2] = { NULL, NULL };

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_FILE (file));

  show = g_new0 (ShowItems, 1);
  g_set_weak_pointer (&show->parent, parent);
  show->file = g_object_ref (file);
  uri = g_file_get_uri (file);
  uris[0] = uri;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (file);
      g_autofree char *folder_uri = folder != NULL ? g_file_get_uri (folder) : NULL;

      if (folder_uri != NULL)
        gtk_show_uri (parent, folder_uri, GDK_CURRENT_TIME);
      show_items_free (show);
      return;
    }

  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, show_items_cb, show);
}

#endif
