/* impasto-window-keep.c
 *
 * Keeping a run: Save Run… (win.save-run) puts the current run's history, which otherwise goes
 * with the run (impasto-job-history.c), into a folder the person names: its snapshots and their
 * pictures (hard links where the file system allows, else copies), copies of its photo and
 * paintings (`photo.png`, `painting-1.jpg`, …, so that it depends on nothing else), its records
 * as `history.tsv` (the loss curve, bit for bit) and a `run.ini` as the run's own names them,
 * relative to the folder, not running, with the newest snapshot. Open Run… (win.open-run) takes
 * such a folder back: checked first, then (after "Save the painting?") copied into a new run
 * folder under the cache, never painted into nor removed itself, and continued from its newest
 * snapshot with its photo, paintings, settings and records; a finished run finishes at once,
 * with its whole timeline. Loading a run's pictures and settings and resuming it are shared with
 * the crash restore (impasto-window-history.c calls down here).
 *
 * This file writes no snapshot and paints nothing: the job does. It does not ask the question
 * itself (impasto-window-save.c does, and comes back through win.open-run-folder).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-keep"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "impasto-params-file.h"
#include "impasto-run-settings.h"
#include "impasto-window-private.h"

#define RUN_INFO "run.ini"
#define RUN_HISTORY "history.tsv"

/* Loading a run (shared with the crash restore) ----------------------------------------------- */

/* @name as a path: relative names under @folder. */
static char *
run_path (const char *folder,
          const char *name)
{
  return g_path_is_absolute (name) ? g_strdup (name) : g_build_filename (folder, name, NULL);
}

gboolean
_impasto_window_read_run (const char  *folder,
                          GKeyFile    *info,
                          char       **photo,
                          GStrv       *paintings,
                          GError     **error)
{
  g_autofree char *photo_name = g_key_file_get_string (info, "run", "photo", NULL);
  g_autofree char *name = g_key_file_get_string (info, "snapshot", "name", NULL);
  g_auto(GStrv) painting_names = g_key_file_get_string_list (info, "run", "paintings", NULL,
                                                             NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *snapshot = NULL;
  g_autofree char *photo_path = NULL;

  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (!g_key_file_has_group (info, "Impasto"))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           _("its run.ini has no settings"));
      return FALSE;
    }
  if (name == NULL || *name == '\0' || strchr (name, G_DIR_SEPARATOR) != NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           _("its run.ini names no snapshot"));
      return FALSE;
    }
  snapshot = g_build_filename (folder, name, NULL);
  if (!g_file_test (snapshot, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("its snapshot %s is missing"),
                   name);
      return FALSE;
    }
  photo_path = photo_name != NULL && *photo_name != '\0' ? run_path (folder, photo_name) : NULL;
  if (photo_path == NULL || !g_file_test (photo_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("its photo is missing"));
      return FALSE;
    }
  if (painting_names == NULL || painting_names[0] == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                           _("its run.ini names no painting"));
      return FALSE;
    }
  for (int i = 0; painting_names[i] != NULL; i++)
    {
      g_autofree char *path = *painting_names[i] != '\0' ? run_path (folder, painting_names[i])
                                                         : NULL;

      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("its painting %d is missing"),
                       i + 1);
          return FALSE;
        }
      g_strv_builder_add (builder, path);
    }
  if (photo != NULL)
    *photo = g_steal_pointer (&photo_path);
  if (paintings != NULL)
    *paintings = g_strv_builder_end (builder);
  return TRUE;
}

void
_impasto_window_load_run (ImpastoWindow      *self,
                          const char         *photo,
                          const char * const *paintings,
                          GKeyFile           *info)
{
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (
    (GDestroyNotify) impasto_skipped_setting_free);
  g_autoptr(GFile) photo_file = NULL;
  ImpastoRunSettings settings;
  int n;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (photo != NULL);
  g_return_if_fail (paintings != NULL);

  /* The pictures, as the run had them (replacing those the window had). */
  photo_file = g_file_new_for_path (photo);
  impasto_image_well_load_file (self->content_well, photo_file);
  while ((n = impasto_painting_list_get_n_paintings (self->painting_list)) > 1)
    impasto_painting_list_remove (self->painting_list, n - 1);
  for (int i = 0; paintings[i] != NULL && i < IMPASTO_MAX_PAINTINGS; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paintings[i]);
      ImpastoImageWell *well = i == 0 ? self->style_well
                                      : impasto_painting_list_add (self->painting_list);

      impasto_image_well_load_file (well, file);
    }

  /* Its settings, weights and brush sizes among them. */
  impasto_run_settings_init (&settings);
  if (impasto_run_settings_load_key_file (&settings, info, skipped, NULL))
    impasto_params_apply_run_settings (self->params, &settings, skipped);
  for (guint i = 0; i < skipped->len; i++)
    {
      ImpastoSkippedSetting *setting = g_ptr_array_index (skipped, i);

      g_message ("Loading the run skipped %s: %s", setting->key, setting->reason);
    }
}

/* The values the snapshot's run was painting with, changed live or not (run.ini has those it
 * started with): the controls take them, so that it goes on as it would have. */
static void
impasto_window_take_snapshot_params (ImpastoWindow *self,
                                     const char    *snapshot)
{
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (
    (GDestroyNotify) impasto_skipped_setting_free);
  g_autoptr(GError) error = NULL;
  ImpastoSessionParams params;
  ImpastoRunSettings settings;
  int n = impasto_painting_list_get_n_paintings (self->painting_list);

  if (!impasto_job_read_snapshot_params (snapshot, &params, &error))
    {
      /* The run then fails on the same file, saying why. */
      g_message ("The snapshot's values were not read: %s", error->message);
      return;
    }
  impasto_run_settings_init (&settings);
  settings.alpha = params.alpha;
  settings.beta = params.beta;
  settings.tv = params.tv;
  settings.learning_rate = params.learning_rate;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      settings.content_layers[i] = params.content_layers[i];
      settings.style_layers[i] = params.style_layers[i];
    }
  settings.n_painting_weights = CLAMP (n, 1, IMPASTO_MAX_PAINTINGS);
  for (int i = 0; i < settings.n_painting_weights; i++)
    settings.painting_weights[i] = params.painting_weights[i];
  settings.set = 1u << IMPASTO_RUN_SETTING_ALPHA | 1u << IMPASTO_RUN_SETTING_BETA
                 | 1u << IMPASTO_RUN_SETTING_TV | 1u << IMPASTO_RUN_SETTING_LEARNING_RATE
                 | 1u << IMPASTO_RUN_SETTING_CONTENT_LAYERS
                 | 1u << IMPASTO_RUN_SETTING_STYLE_LAYERS
                 | 1u << IMPASTO_RUN_SETTING_PAINTING_WEIGHTS;
  impasto_params_apply_run_settings (self->params, &settings, skipped);
  for (guint i = 0; i < skipped->len; i++)
    {
      ImpastoSkippedSetting *setting = g_ptr_array_index (skipped, i);

      g_message ("The snapshot's %s was skipped: %s", setting->key, setting->reason);
    }
}

void
_impasto_window_resume_from (ImpastoWindow *self,
                             const char    *folder,
                             GKeyFile      *info)
{
  g_autofree char *name = g_key_file_get_string (info, "snapshot", "name", NULL);

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (folder != NULL && name != NULL);

  g_free (self->resume_folder);
  g_free (self->resume_snapshot);
  self->resume_folder = g_strdup (folder);
  self->resume_snapshot = g_build_filename (folder, name, NULL);
  self->resume_iteration = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
  self->resume_losses = (ImpastoLosses) {
    g_key_file_get_double (info, "snapshot", "loss", NULL),
    g_key_file_get_double (info, "snapshot", "content-loss", NULL),
    g_key_file_get_double (info, "snapshot", "style-loss", NULL),
    g_key_file_get_double (info, "snapshot", "tv-loss", NULL),
  };
  impasto_window_take_snapshot_params (self, self->resume_snapshot);
}

/* Save Run… ----------------------------------------------------------------------------------- */

typedef struct
{
  char *from;          /* the run's folder */
  char *to;            /* the folder to make */
  char *info;          /* the run's run.ini, as text */
  char *photo;         /* the run's photo */
  GStrv paintings;     /* and paintings (paths) */
  GArray *records;     /* of ImpastoJobRecord: the run's history when asked */
} SaveRun;

static void
save_run_free (SaveRun *data)
{
  g_free (data->from);
  g_free (data->to);
  g_free (data->info);
  g_free (data->photo);
  g_strfreev (data->paintings);
  g_clear_pointer (&data->records, g_array_unref);
  g_free (data);
}

/* `photo.png` for `/somewhere/Some Photo.PNG`: @stem with the lower-case extension of @path. */
static char *
copy_name (const char *stem,
           const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *extension = dot != NULL && dot != base && dot[1] != '\0'
                               ? g_ascii_strdown (dot, -1) : NULL;

  return g_strconcat (stem, extension != NULL ? extension : "", NULL);
}

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GError) local_error = NULL;

  if (g_file_copy (source, destination, G_FILE_COPY_NONE, NULL, NULL, NULL, &local_error))
    return TRUE;
  {
    g_autofree char *display = g_filename_display_name (from);

    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Could not copy %s: %s"), display,
                 local_error->message);
  }
  return FALSE;
}

/* Into @temp: the snapshots and pictures, the copies, the records and run.ini. */
static gboolean
save_run_fill (SaveRun     *data,
               const char  *temp,
               GError     **error)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) painting_names = NULL;
  g_autofree char *photo_name = NULL;
  g_autofree char *newest = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *history_path = NULL;
  g_autofree char *text = NULL;
  const ImpastoJobRecord *records = (const ImpastoJobRecord *) (gpointer) data->records->data;
  const ImpastoJobRecord *record = NULL;
  guint n_records = 0;
  gsize length;
  int last;
  int iteration;

  /* The snapshots of the records copied: one the run writes meanwhile has no record here. */
  last = data->records->len > 0 ? records[data->records->len - 1].iteration : 0;
  if (!impasto_job_branch_run_folder (data->from, temp, last, error))
    return FALSE;
  newest = impasto_job_find_newest_snapshot (temp, &iteration);
  if (newest == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                           _("the run keeps no snapshot yet"));
      return FALSE;
    }

  /* The pictures, so that the saved run needs nothing else. */
  photo_name = copy_name ("photo", data->photo);
  {
    g_autofree char *to = g_build_filename (temp, photo_name, NULL);

    if (!copy_file (data->photo, to, error))
      return FALSE;
  }
  for (int i = 0; data->paintings[i] != NULL; i++)
    {
      g_autofree char *stem = g_strdup_printf ("painting-%d", i + 1);
      g_autofree char *name = copy_name (stem, data->paintings[i]);
      g_autofree char *to = g_build_filename (temp, name, NULL);

      if (!copy_file (data->paintings[i], to, error))
        return FALSE;
      g_strv_builder_add (names, name);
    }
  painting_names = g_strv_builder_end (names);

  /* The records up to the newest snapshot: the loss curve a continued run starts with. */
  while (n_records < data->records->len && records[n_records].iteration <= iteration)
    {
      if (records[n_records].iteration == iteration)
        record = &records[n_records];
      n_records++;
    }
  history_path = g_build_filename (temp, RUN_HISTORY, NULL);
  if (!impasto_job_write_records (history_path, records, n_records, error))
    return FALSE;

  /* run.ini: the run's settings, its pictures by their new names, and its newest snapshot. */
  if (!g_key_file_load_from_data (info, data->info, -1, G_KEY_FILE_KEEP_COMMENTS, error))
    return FALSE;
  g_key_file_set_string (info, "run", "photo", photo_name);
  g_key_file_set_string_list (info, "run", "paintings", (const char * const *) painting_names,
                              g_strv_length (painting_names));
  g_key_file_set_boolean (info, "run", "running", FALSE);
  g_key_file_remove_key (info, "run", "pid", NULL);
  g_key_file_set_string (info, "snapshot", "name", newest);
  g_key_file_set_integer (info, "snapshot", "iteration", iteration);
  if (record != NULL)
    {
      g_key_file_set_integer (info, "snapshot", "scale", record->scale);
      g_key_file_set_double (info, "snapshot", "loss", record->losses.total);
      g_key_file_set_double (info, "snapshot", "content-loss", record->losses.content);
      g_key_file_set_double (info, "snapshot", "style-loss", record->losses.style);
      g_key_file_set_double (info, "snapshot", "tv-loss", record->losses.tv_term);
    }
  text = g_key_file_to_data (info, &length, NULL);
  info_path = g_build_filename (temp, RUN_INFO, NULL);
  return g_file_set_contents (info_path, text, (gssize) length, error);
}

/* Worker: the whole folder under a temporary name beside @to, renamed to it at the end. Hard
 * links take no time, but across file systems the snapshots are copied (up to
 * IMPASTO_JOB_MAX_SNAPSHOT_BYTES): too long for the main thread. */
static void
save_run_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SaveRun *data = task_data;
  g_autofree char *parent = g_path_get_dirname (data->to);
  g_autofree char *base = g_path_get_basename (data->to);
  g_autofree char *temp_name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *temp = g_build_filename (parent, temp_name, NULL);
  GError *error = NULL;

  if (g_mkdtemp_full (temp, 0755) == NULL)
    {
      g_autofree char *display = g_filename_display_name (parent);
      int saved_errno = errno;

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               _("Could not make a folder in %s: %s"), display,
                               g_strerror (saved_errno));
      return;
    }
  if (!save_run_fill (data, temp, &error))
    {
      impasto_job_remove_run_folder (temp);
      g_task_return_error (task, error);
      return;
    }
  /* An empty folder of that name is replaced; one that is not empty is refused. */
  if (g_rename (temp, data->to) != 0)
    {
      g_autofree char *display = g_filename_display_name (data->to);
      int saved_errno = errno;

      impasto_job_remove_run_folder (temp);
      if (saved_errno == ENOTEMPTY || saved_errno == EEXIST)
        g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                                 _("the folder %s is not empty"), display);
      else
        g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                                 "%s: %s", display, g_strerror (saved_errno));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_run_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ImpastoWindow *self = IMPASTO_WINDOW (object);
  SaveRun *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save the run: %s"), error->message);

      impasto_window_show_error (self, message);
      return;
    }
  {
    g_autofree char *display = g_filename_display_name (data->to);
    g_autofree char *message = g_strdup_printf (_("Run saved to “%s”"), display);
    g_autoptr(GFile) file = g_file_new_for_path (data->to);
    g_autofree char *uri = g_file_get_uri (file);

    _impasto_window_add_toast_with_button (self, message, _("Show in Files"),
                                           "win.show-in-files", g_variant_new_string (uri), 5,
                                           ADW_TOAST_PRIORITY_NORMAL);
  }
}

/* FALSE with a sentence when @path cannot take a saved run (a file, or a folder with files). */
static gboolean
save_run_target_free (const char  *path,
                      GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GDir) dir = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, _("%s is a file, not a folder"),
                   display);
      return FALSE;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL || g_dir_read_name (dir) != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, _("the folder %s is not empty"),
                   display);
      return FALSE;
    }
  return TRUE;
}

void
_impasto_window_save_run_to (ImpastoWindow *self,
                             const char    *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GArray) snapshots = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *info_path = NULL;
  const ImpastoJobRecord *records;
  const char *from;
  SaveRun *data;
  guint n_records;

  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  from = self->job != NULL ? impasto_job_get_run_folder (self->job) : NULL;
  snapshots = self->job != NULL ? impasto_job_dup_snapshots (self->job) : NULL;
  info_path = from != NULL ? g_build_filename (from, RUN_INFO, NULL) : NULL;
  data = g_new0 (SaveRun, 1);
  task = g_task_new (self, NULL, on_run_saved_cb, NULL);
  g_task_set_source_tag (task, _impasto_window_save_run_to);
  g_task_set_task_data (task, data, (GDestroyNotify) save_run_free);

  if (snapshots == NULL || snapshots->len == 0
      || !g_key_file_load_from_file (info, info_path, G_KEY_FILE_KEEP_COMMENTS, NULL))
    g_set_error_literal (&error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                         _("the run keeps no snapshot yet"));
  else if (save_run_target_free (path, &error))
    {
      g_autofree char *photo = g_key_file_get_string (info, "run", "photo", NULL);
      g_auto(GStrv) paintings = g_key_file_get_string_list (info, "run", "paintings", NULL,
                                                           NULL);
      gboolean pasted = photo == NULL || *photo == '\0' || paintings == NULL
                        || paintings[0] == NULL;

      for (int i = 0; !pasted && paintings[i] != NULL; i++)
        pasted = *paintings[i] == '\0';
      if (pasted)
        g_set_error_literal (&error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                             _("its photo or a painting was pasted, not opened from a file"));
      data->photo = g_steal_pointer (&photo);
      data->paintings = g_steal_pointer (&paintings);
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->from = g_strdup (from);
  data->to = g_canonicalize_filename (path, NULL);
  data->info = g_key_file_to_data (info, NULL, NULL);
  records = impasto_job_get_history (self->job, &n_records);
  data->records = g_array_sized_new (FALSE, FALSE, sizeof (ImpastoJobRecord), n_records);
  g_array_append_vals (data->records, records, n_records);
  g_task_run_in_thread (task, save_run_thread);
}

static void
on_save_chooser_response_cb (ImpastoWindow        *self,
                             int                   response,
                             GtkFileChooserNative *chooser)
{
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response,
                                    _("A run can only be saved to a local folder"));

  if (path != NULL)
    _impasto_window_save_run_to (self, path);
}

static void
impasto_window_save_run_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->chooser != NULL || self->job == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Run"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the suggested name of the folder a run is saved in. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("Painting Run"));
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_save_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Open Run… ----------------------------------------------------------------------------------- */

/* The saved run in @folder, checked: its run.ini, pictures, newest snapshot and records (NULL
 * when it has no history.tsv); FALSE with a sentence saying what is wrong. */
static gboolean
open_run_check (const char  *folder,
                GKeyFile   **info,
                char       **photo,
                GStrv       *paintings,
                GArray     **records,
                GError     **error)
{
  g_autofree char *info_path = g_build_filename (folder, RUN_INFO, NULL);
  g_autofree char *history_path = g_build_filename (folder, RUN_HISTORY, NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (key_file, info_path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("the folder has no readable run.ini (%s)"), local_error->message);
      return FALSE;
    }
  if (!_impasto_window_read_run (folder, key_file, photo, paintings, error))
    return FALSE;
  *records = NULL;
  if (g_file_test (history_path, G_FILE_TEST_EXISTS)
      && (*records = impasto_job_read_records (history_path, error)) == NULL)
    {
      g_clear_pointer (photo, g_free);
      g_clear_pointer (paintings, g_strfreev);
      return FALSE;
    }
  *info = g_steal_pointer (&key_file);
  return TRUE;
}

static void
open_run_refused (ImpastoWindow *self,
                  const char    *reason)
{
  g_autofree char *message = g_strdup_printf (_("Cannot open the run: %s"), reason);

  impasto_window_show_error (self, message);
}

gboolean
_impasto_window_open_run_from (ImpastoWindow *self,
                               const char    *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) info = NULL;
  g_autoptr(GArray) records = NULL;
  g_auto(GStrv) paintings = NULL;
  g_autofree char *photo = NULL;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!open_run_check (path, &info, &photo, &paintings, &records, &error))
    {
      open_run_refused (self, error->message);
      return FALSE;
    }
  g_free (self->open_run_folder);
  self->open_run_folder = g_canonicalize_filename (path, NULL);
  _impasto_window_confirm (self, IMPASTO_AFTER_SAVE_OPEN_RUN);
  return TRUE;
}

/* The opened run starts once its pictures are loaded and the run before it has stopped. */
static void
open_run_maybe_start (ImpastoWindow *self)
{
  if (!self->open_run_pending
      || self->model == NULL
      || impasto_image_well_get_pixbuf (self->content_well) == NULL
      || impasto_image_well_get_pixbuf (self->style_well) == NULL
      || impasto_image_well_get_loading (self->content_well)
      || impasto_painting_list_get_loading (self->painting_list)
      || (self->job != NULL && impasto_job_is_active (self->job)))
    return;
  self->open_run_pending = FALSE;
  if (!_impasto_window_start (self) && self->resume_opened)
    {
      /* Not started (a toast said why): its copy goes, and a later Start starts anew. */
      impasto_job_remove_run_folder (self->resume_folder);
      self->resume_opened = FALSE;
      g_clear_pointer (&self->resume_folder, g_free);
      g_clear_pointer (&self->resume_snapshot, g_free);
      g_clear_pointer (&self->resume_records, g_array_unref);
    }
}

/* The saved run in @folder, checked again, copied into a new run folder and loaded. */
static void
open_run_load (ImpastoWindow *self,
               const char    *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) info = NULL;
  g_autoptr(GArray) records = NULL;
  g_auto(GStrv) paintings = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *copy = NULL;
  int iteration;

  if (!open_run_check (folder, &info, &photo, &paintings, &records, &error))
    {
      open_run_refused (self, error->message);
      return;
    }
  iteration = g_key_file_get_integer (info, "snapshot", "iteration", NULL);
  copy = _impasto_window_new_run_folder ();
  if (!impasto_job_branch_run_folder (folder, copy, iteration, &error))
    {
      open_run_refused (self, error->message);
      return;
    }

  /* What waited for a start is replaced (a branch's own folder goes with it). */
  if ((self->branching || self->resume_opened) && self->resume_folder != NULL)
    impasto_job_remove_run_folder (self->resume_folder);
  self->branching = FALSE;
  g_clear_pointer (&self->resume_records, g_array_unref);

  /* The pictures stay in the saved folder, the person's own; the run paints in the copy. */
  _impasto_window_load_run (self, photo, (const char * const *) paintings, info);
  _impasto_window_resume_from (self, copy, info);
  self->resume_opened = TRUE;
  self->resume_records = g_steal_pointer (&records);
  self->open_run_pending = TRUE;
  open_run_maybe_start (self);
}

/* The run under way has stopped (or any job's state changed), or a picture finished loading. */
static void
on_open_run_progress_cb (ImpastoWindow *self)
{
  if (self->opening_run != NULL && (self->job == NULL || !impasto_job_is_active (self->job)))
    {
      g_autofree char *folder = g_steal_pointer (&self->opening_run);

      open_run_load (self, folder);
      return;
    }
  open_run_maybe_start (self);
}

/* "Save the painting?" answered (or not asked): the run under way, if any, stops first, so
 * that the new pictures and settings do not steer it. */
static void
impasto_window_open_run_folder_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  g_free (self->opening_run);
  self->opening_run = g_strdup (g_variant_get_string (parameter, NULL));
  self->open_run_pending = FALSE;
  _impasto_window_cancel_pending_start (self);
  self->start_when_ready = FALSE;
  if (self->job != NULL && impasto_job_is_active (self->job))
    {
      impasto_job_stop (self->job);
      _impasto_window_update_stats (self);
      _impasto_window_update_actions (self);
      return;
    }
  on_open_run_progress_cb (self);
}

static void
on_open_chooser_response_cb (ImpastoWindow        *self,
                             int                   response,
                             GtkFileChooserNative *chooser)
{
  g_autofree char *path =
    _impasto_window_chooser_answer (self, response, _("A run can only be opened from a folder "
                                                      "on this computer"));

  if (path != NULL)
    _impasto_window_open_run_from (self, path);
}

static void
impasto_window_open_run_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ImpastoWindow *self = IMPASTO_WINDOW (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Open Run"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_open_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_impasto_window_keep_init (ImpastoWindow *self)
{
  g_signal_group_connect_object (self->job_signals, "notify::state",
                                 G_CALLBACK (on_open_run_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_well, "notify::loading",
                           G_CALLBACK (on_open_run_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->painting_list, "notify::loading",
                           G_CALLBACK (on_open_run_progress_cb), self, G_CONNECT_SWAPPED);
}

void
_impasto_window_class_keep_init (ImpastoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.save-run", NULL,
                                   impasto_window_save_run_action);
  gtk_widget_class_install_action (widget_class, "win.open-run", NULL,
                                   impasto_window_open_run_action);
  gtk_widget_class_install_action (widget_class, "win.open-run-folder", "s",
                                   impasto_window_open_run_folder_action);
}
