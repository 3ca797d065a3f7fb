/* test-icons.c
 *
 * The app's icons load where a desktop loads them. Every SVG under icons/hicolor is laid out in
 * a temporary hicolor theme under the names icons/meson.build installs (the release id, the
 * .Devel id, and each one's -symbolic variant), then loaded at 16, 32, 64 and 128 px twice:
 * through gdk-pixbuf (gdk_pixbuf_new_from_file_at_size, which sniffs the format from the file's
 * first bytes, as the About window, the shell and thumbnailers do) and through GTK's icon theme
 * (lookup, then the paintable drawn at that size by the cairo renderer). A file that either
 * refuses, or that draws nothing, fails; so does GTK's "Failed to load icon" warning, which
 * g_test makes fatal.
 *
 * It does not judge how the icons look; tests/desktop/check-icons.py checks their sizes and
 * colours, and that every icon the window names exists.
 *
 *   test-desktop-icons HICOLOR_SOURCE_DIR RELEASE_APP_ID
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-icons"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

static const int sizes[] = { 16, 32, 64, 128 };

static const char *source_dir;
static const char *release_id;

typedef struct
{
  char *theme_dir;   /* the temporary icons/ folder holding hicolor/ */
  GPtrArray *names;  /* icon names, as GtkIconTheme looks them up */
  GPtrArray *files;  /* the installed file of each name */
} Theme;

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, length, &error);
  g_assert_no_error (error);
}

/* Lays @source_dir's SVGs out as `meson install` does, for both application ids. */
static void
theme_make (Theme *theme)
{
  const char *subdirs[] = { "scalable/apps", "symbolic/apps" };
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *devel_id = g_strconcat (release_id, ".Devel", NULL);

  theme->theme_dir = g_dir_make_tmp ("impasto-icons-XXXXXX", &error);
  g_assert_no_error (error);
  theme->names = g_ptr_array_new_with_free_func (g_free);
  theme->files = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; d < G_N_ELEMENTS (subdirs); d++)
    {
      g_autofree char *from_dir = g_build_filename (source_dir, subdirs[d], NULL);
      g_autofree char *to_dir = g_build_filename (theme->theme_dir, "hicolor", subdirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (from_dir, 0, &error);
      const char *name;

      g_assert_no_error (error);
      g_assert_cmpint (g_mkdir_with_parents (to_dir, 0700), ==, 0);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *from = g_build_filename (from_dir, name, NULL);
          g_autofree char *stem = NULL;

          if (!g_str_has_suffix (name, ".svg"))
            continue;
          stem = g_strndup (name, strlen (name) - strlen (".svg"));

          /* The symbolic icon is installed once per id (icons/meson.build renames it). */
          if (g_str_has_suffix (stem, "-symbolic"))
            {
              const char *ids[] = { release_id, devel_id };

              for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
                {
                  char *icon = g_strconcat (ids[i], "-symbolic", NULL);
                  char *to = g_strconcat (to_dir, "/", icon, ".svg", NULL);

                  copy_file (from, to);
                  g_ptr_array_add (theme->names, icon);
                  g_ptr_array_add (theme->files, to);
                }
            }
          else
            {
              char *to = g_build_filename (to_dir, name, NULL);

              copy_file (from, to);
              g_ptr_array_add (theme->names, g_steal_pointer (&stem));
              g_ptr_array_add (theme->files, to);
            }
        }
    }

  /* A theme needs its index to be looked into; this is hicolor's, cut to the two folders. */
  index = g_strdup ("[Icon Theme]\nName=Hicolor\nComment=Fallback\n"
                    "Directories=scalable/apps,symbolic/apps\n\n"
                    "[scalable/apps]\nSize=128\nMinSize=8\nMaxSize=512\nType=Scalable\n"
                    "Context=Applications\n\n"
                    "[symbolic/apps]\nSize=16\nMinSize=8\nMaxSize=512\nType=Scalable\n"
                    "Context=Applications\n");
  index_path = g_build_filename (theme->theme_dir, "hicolor", "index.theme", NULL);
  g_file_set_contents (index_path, index, -1, &error);
  g_assert_no_error (error);

  /* The release icon, the .Devel icon and a symbolic icon for each. */
  g_assert_cmpuint (theme->names->len, >=, 4);
}

static void
theme_clear (Theme *theme)
{
  for (guint i = 0; i < theme->files->len; i++)
    g_unlink (g_ptr_array_index (theme->files, i));
  {
    g_autofree char *index = g_build_filename (theme->theme_dir, "hicolor", "index.theme", NULL);
    g_autofree char *scalable = g_build_filename (theme->theme_dir, "hicolor", "scalable", "apps",
                                                  NULL);
    g_autofree char *symbolic = g_build_filename (theme->theme_dir, "hicolor", "symbolic", "apps",
                                                  NULL);
    g_autofree char *scalable_up = g_path_get_dirname (scalable);
    g_autofree char *symbolic_up = g_path_get_dirname (symbolic);
    g_autofree char *hicolor = g_path_get_dirname (scalable_up);

    g_unlink (index);
    g_rmdir (scalable);
    g_rmdir (symbolic);
    g_rmdir (scalable_up);
    g_rmdir (symbolic_up);
    g_rmdir (hicolor);
    g_rmdir (theme->theme_dir);
  }
  g_clear_pointer (&theme->names, g_ptr_array_unref);
  g_clear_pointer (&theme->files, g_ptr_array_unref);
  g_clear_pointer (&theme->theme_dir, g_free);
}

/* Fraction of the pixels that are not fully transparent; @data is premultiplied or straight
 * RGBA/BGRA, 4 bytes a pixel with alpha at @alpha. */
static double
coverage (const guchar *data,
          int           width,
          int           height,
          gsize         stride,
          int           channels,
          int           alpha)
{
  guint painted = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (data[y * stride + x * channels + alpha] > 0)
        painted++;
  return (double) painted / (width * height);
}

static void
test_icons_gdk_pixbuf (void)
{
  Theme theme = { 0 };

  theme_make (&theme);
  for (guint i = 0; i < theme.files->len; i++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        const char *file = g_ptr_array_index (theme.files, i);
        g_autoptr(GError) error = NULL;
        g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_size (file, sizes[s], sizes[s],
                                                                         &error);

        g_test_message ("%s at %d px through gdk-pixbuf", file, sizes[s]);
        g_assert_no_error (error);
        g_assert_nonnull (pixbuf);
        g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sizes[s]);
        g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, sizes[s]);
        g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
        g_assert_cmpfloat (coverage (gdk_pixbuf_get_pixels (pixbuf), sizes[s], sizes[s],
                                     gdk_pixbuf_get_rowstride (pixbuf), 4, 3), >, 0.05);
      }
  theme_clear (&theme);
}

static void
test_icons_gtk_theme (void)
{
  g_autoptr(GtkIconTheme) icon_theme = g_object_new (GTK_TYPE_ICON_THEME,
                                                     "display", gdk_display_get_default (),
                                                     NULL);
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GError) error = NULL;
  Theme theme = { 0 };

  gsk_renderer_realize (renderer, NULL, &error);
  g_assert_no_error (error);

  theme_make (&theme);
  {
    const char *path[] = { theme.theme_dir, NULL };
    const char *no_resources[] = { NULL };

    gtk_icon_theme_set_search_path (icon_theme, path);
    gtk_icon_theme_set_resource_path (icon_theme, no_resources);
    gtk_icon_theme_set_theme_name (icon_theme, "hicolor");
  }

  for (guint i = 0; i < theme.names->len; i++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        const char *name = g_ptr_array_index (theme.names, i);
        int size = sizes[s];
        g_autoptr(GtkIconPaintable) icon = NULL;
        g_autoptr(GFile) file = NULL;
        g_autoptr(GFile) expected = g_file_new_for_path (g_ptr_array_index (theme.files, i));
        g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
        g_autoptr(GskRenderNode) node = NULL;
        g_autoptr(GdkTexture) texture = NULL;
        g_autofree guchar *pixels = NULL;

        g_test_message ("%s at %d px through GtkIconTheme", name, size);
        g_assert_true (gtk_icon_theme_has_icon (icon_theme, name));
        icon = gtk_icon_theme_lookup_icon (icon_theme, name, NULL, size, 1,
                                           GTK_TEXT_DIR_LTR, 0);
        g_assert_nonnull (icon);
        /* Our file, not a fallback from another theme or the missing-image icon. */
        file = gtk_icon_paintable_get_file (icon);
        g_assert_nonnull (file);
        g_assert_true (g_file_equal (file, expected));

        gdk_paintable_snapshot (GDK_PAINTABLE (icon), GDK_SNAPSHOT (snapshot), size, size);
        node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
        g_assert_nonnull (node);
        texture = gsk_renderer_render_texture (renderer, node,
                                               &GRAPHENE_RECT_INIT (0, 0, size, size));
        g_assert_cmpint (gdk_texture_get_width (texture), ==, size);
        g_assert_cmpint (gdk_texture_get_height (texture), ==, size);
        pixels = g_malloc (4 * size * size);
        gdk_texture_download (texture, pixels, 4 * size);
        /* gdk_texture_download gives cairo's ARGB32: alpha is byte 3 on little-endian. */
        g_assert_cmpfloat (coverage (pixels, size, size, 4 * size, 4,
                                     G_BYTE_ORDER == G_LITTLE_ENDIAN ? 3 : 0), >, 0.05);
      }

  gsk_renderer_unrealize (renderer);
  theme_clear (&theme);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc != 3)
    {
      g_printerr ("usage: %s HICOLOR_SOURCE_DIR RELEASE_APP_ID\n", argv[0]);
      return 2;
    }
  source_dir = argv[1];
  release_id = argv[2];
  gtk_init ();

  g_test_add_func ("/icons/gdk-pixbuf", test_icons_gdk_pixbuf);
  g_test_add_func ("/icons/gtk-icon-theme", test_icons_gtk_theme);

  return g_test_run ();
}
