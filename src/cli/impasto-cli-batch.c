/* impasto-cli-batch.c
 *
 * The photos of an impasto-cli run and their results' names; see impasto-cli-batch.h.
 *
 * The pattern's placeholders: {content} the photo's file name without its extension, {style}
 * the painting's (with several blended paintings, their names joined by "+"), {n} the photo's
 * number in the batch from 1, padded with zeros to the width of the count; {{ and }} are braces.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-cli"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "impasto-cli-batch.h"
#include "impasto-image.h"

/* The extensions a folder's photos are taken by, lower case. */
static const char * const photo_extensions[] = { ".jpg", ".jpeg", ".png", ".webp" };

static gboolean
is_photo_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  /* Hidden files, such as the "._photo.jpg" copies some systems leave, are not photos. */
  if (name[0] == '.')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (photo_extensions); i++)
    if (g_str_has_suffix (lower, photo_extensions[i])
        && strlen (lower) > strlen (photo_extensions[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The photos of folder @dir, sorted by name (byte order, the same in every language). */
static gboolean
add_folder (GPtrArray   *photos,
            const char  *dir,
            GError     **error)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (folder == NULL)
    return FALSE;
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (is_photo_name (name) && !g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (name));
    }
  if (names->len == 0)
    {
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("--content %s: the folder has no JPEG, PNG or WebP files"), display);
      return FALSE;
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (photos, g_build_filename (dir, g_ptr_array_index (names, i), NULL));
  return TRUE;
}

/* The file name of @path without its last extension. */
static char *
stem (const char *path)
{
  char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return base;
}

/* @pattern with its placeholders filled in; NULL with @error for an unknown one or a lone
 * brace. */
static char *
expand (const char  *pattern,
        const char  *content,
        const char  *style,
        const char  *number,
        GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = pattern; *p != '\0'; p++)
    {
      const char *end;
      g_autofree char *name = NULL;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (out, *p);
          p++;
          continue;
        }
      if (*p == '}')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--output-name “%s” has a “}” that closes nothing (write }} for a "
                         "brace)"), pattern);
          return NULL;
        }
      if (*p != '{')
        {
          g_string_append_c (out, *p);
          continue;
        }
      end = strchr (p, '}');
      if (end == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--output-name “%s” has a “{” that is not closed (write {{ for a "
                         "brace)"), pattern);
          return NULL;
        }
      name = g_strndup (p + 1, end - p - 1);
      if (g_str_equal (name, "content"))
        g_string_append (out, content);
      else if (g_str_equal (name, "style"))
        g_string_append (out, style);
      else if (g_str_equal (name, "n"))
        g_string_append (out, number);
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--output-name “%s”: unknown placeholder {%s} (use {content}, {style} "
                         "or {n})"), pattern, name);
          return NULL;
        }
      p = end;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* {style} for painting @painting (0-based), or for all of them (-1). */
static char *
style_name (char **styles,
            int    painting)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (int i = 0; styles[i] != NULL; i++)
    if (painting < 0 || painting == i)
      {
        g_autofree char *name = stem (styles[i]);

        if (out->len > 0)
          g_string_append_c (out, '+');
        g_string_append (out, name);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
check_flags (char       **contents,
             const char  *output,
             const char  *output_dir,
             const char  *output_name,
             gboolean     each_style,
             const char  *blend_flag,
             gboolean     active,
             GError     **error)
{
  if (active && output != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("several photos, a folder or --each-style write into --output-dir, not "
                     "--output"));
      return FALSE;
    }
  if (active && output_dir == NULL)
    {
      if (g_strv_length (contents) == 1 && !each_style)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                     _("--content %s is a folder: give --output-dir for the results"),
                     contents[0]);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                     _("several photos or --each-style need --output-dir for the results"));
      return FALSE;
    }
  if (output_name != NULL && output_dir == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--output-name needs --output-dir"));
      return FALSE;
    }
  if (each_style && blend_flag != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--each-style paints with one painting at a time: it cannot take %s"),
                   blend_flag);
      return FALSE;
    }
  if (output_name != NULL && (output_name[0] == '\0' || strchr (output_name, '/') != NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--output-name needs a file name without “/”, not “%s”"), output_name);
      return FALSE;
    }
  return TRUE;
}

/* Names every job's result under @output_dir, refusing two results of one name or a result
 * that would replace an input (compared as canonical paths: a link is not followed). */
static gboolean
name_jobs (CliBatch    *self,
           char       **styles,
           const char  *output_dir,
           const char  *pattern,
           GError     **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int digits = 1;

  for (int n = self->n_photos; n >= 10; n /= 10)
    digits++;
  for (int i = 0; i < self->n_photos; i++)
    g_hash_table_add (inputs, g_canonicalize_filename (self->contents[i], NULL));
  for (int i = 0; styles[i] != NULL; i++)
    g_hash_table_add (inputs, g_canonicalize_filename (styles[i], NULL));

  for (int j = 0; j < self->n_jobs; j++)
    {
      CliJob *job = &self->jobs[j];
      g_autofree char *content = stem (job->content);
      g_autofree char *style = style_name (styles, job->painting);
      g_autofree char *number = g_strdup_printf ("%0*d", digits, job->photo);
      g_autofree char *name = expand (pattern, content, style, number, error);
      g_autofree char *canonical = NULL;
      gpointer other;

      if (name == NULL)
        return FALSE;
      job->output = g_build_filename (output_dir, name, NULL);
      canonical = g_canonicalize_filename (job->output, NULL);
      if (g_hash_table_lookup_extended (names, canonical, NULL, &other))
        {
          const CliJob *first = &self->jobs[GPOINTER_TO_INT (other)];
          g_autofree char *display = g_filename_display_name (job->output);
          g_autofree char *first_content = g_filename_display_name (first->content);
          g_autofree char *this_content = g_filename_display_name (job->content);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--output-name “%s” would write %s twice (for %s and for %s): add "
                         "{content}, {style} or {n} to it"), pattern, display, first_content,
                       this_content);
          return FALSE;
        }
      if (g_hash_table_contains (inputs, canonical))
        {
          g_autofree char *display = g_filename_display_name (job->output);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--output-name “%s” would write over the input %s"), pattern, display);
          return FALSE;
        }
      g_hash_table_insert (names, g_steal_pointer (&canonical), GINT_TO_POINTER (j));
    }
  return TRUE;
}

gboolean
impasto_cli_batch_plan (CliBatch    *self,
                        char       **contents,
                        char       **styles,
                        const char  *output,
                        const char  *output_dir,
                        const char  *output_name,
                        gboolean     each_style,
                        const char  *blend_flag,
                        GError     **error)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_free);
  int n_styles = (int) g_strv_length (styles);
  gboolean folder = FALSE;
  int per_photo;

  memset (self, 0, sizeof *self);
  for (int i = 0; contents[i] != NULL; i++)
    folder = folder || g_file_test (contents[i], G_FILE_TEST_IS_DIR);
  self->active = g_strv_length (contents) > 1 || folder || output_dir != NULL || each_style;
  if (!check_flags (contents, output, output_dir, output_name, each_style, blend_flag,
                    self->active, error))
    return FALSE;

  if (!self->active)
    {
      self->contents = g_strdupv (contents);
      self->n_photos = 1;
      self->n_jobs = 1;
      self->jobs = g_new0 (CliJob, 1);
      self->jobs[0] = (CliJob) { self->contents[0], 1, -1, g_strdup (output) };
      return TRUE;
    }

  for (int i = 0; contents[i] != NULL; i++)
    {
      if (g_file_test (contents[i], G_FILE_TEST_IS_DIR))
        {
          if (!add_folder (photos, contents[i], error))
            return FALSE;
        }
      else
        g_ptr_array_add (photos, g_strdup (contents[i]));
    }
  g_ptr_array_add (photos, NULL);
  self->n_photos = (int) photos->len - 1;
  self->contents = (char **) g_ptr_array_free (g_steal_pointer (&photos), FALSE);

  per_photo = each_style ? n_styles : 1;
  self->n_jobs = self->n_photos * per_photo;
  self->jobs = g_new0 (CliJob, self->n_jobs);
  for (int i = 0; i < self->n_photos; i++)
    for (int s = 0; s < per_photo; s++)
      self->jobs[i * per_photo + s] = (CliJob) { self->contents[i], i + 1,
                                                 each_style ? s : -1, NULL };

  if (!name_jobs (self, styles, output_dir,
                  output_name != NULL ? output_name : CLI_BATCH_DEFAULT_NAME, error))
    return FALSE;

  if (g_mkdir_with_parents (output_dir, 0777) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (output_dir);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot make the folder %s for --output-dir: %s"), display,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* The format each name asks for, and no folder in the way. */
  for (int j = 0; j < self->n_jobs; j++)
    if (!impasto_image_check_save_path (self->jobs[j].output, error))
      return FALSE;
  return TRUE;
}

void
impasto_cli_batch_describe (GString *text)
{
  g_string_append_printf (text, _("Batches: give --content several times, or a folder (its "
                                  "JPEG, PNG and WebP files, sorted by name), and --output-dir. "
                                  "The model is read once, each painting's targets are kept "
                                  "from one photo to the next of the same size, and a photo "
                                  "that fails is reported while the others are painted (exit "
                                  "status 1 at the end). --output-name names each result "
                                  "(default %s): {content} is the photo's file name without "
                                  "its extension, {style} the painting's (blended paintings "
                                  "joined by “+”), {n} the photo's number from 1; {{ and }} "
                                  "are braces. A pattern that would give two results one name "
                                  "is refused before anything is painted. --each-style paints "
                                  "every photo with each --style in turn.\n\n"),
                          CLI_BATCH_DEFAULT_NAME);
}

void
impasto_cli_batch_clear (CliBatch *self)
{
  for (int j = 0; j < self->n_jobs; j++)
    g_free (self->jobs[j].output);
  g_clear_pointer (&self->jobs, g_free);
  g_clear_pointer (&self->contents, g_strfreev);
  self->n_jobs = 0;
  self->n_photos = 0;
}
