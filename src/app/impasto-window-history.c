/* impasto-window-history.c
 *
 * Nothing lost to a crash: a run keeps its history in a folder under the cache
 * (impasto-job-history.c), which a normal end removes (the run replaced, its window closed). A
 * folder left behind by a process that is gone is a run that did not end normally: on start the
 * window offers to restore the newest such run ("Restore the last painting?"). Restore loads its
 * photo, paintings and settings as run.ini names them and continues the run from its newest
 * snapshot, in the same folder; Discard removes the folder. Folders of processes that are gone
 * with nothing to continue (no snapshot yet, a photo or painting that was pasted) are removed
 * without asking.
 *
 * Loading the run's pictures and settings and resuming it is shared with Open Run…
 * (impasto-window-keep.c).
 *
 * This file does not show the history (impasto-window-timeline.c does), nor restore a run whose
 * pictures have changed since: the snapshot's fingerprint refuses it, and the run fails saying so.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "impasto-window-private.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
process_gone (int pid)
{
  return pid <= 0 || (kill ((pid_t) pid, 0) != 0 && errno == ESRCH);
}

/* Whether every picture run.ini names is a file that is there, and its newest snapshot too. */
static gboolean
run_restorable (const char *folder,
                GKeyFile   *info)
{
  return _impasto_window_read_run (folder, info, NULL, NULL, NULL);
}

char *
_impasto_window_find_lost_run (GKeyFile **info)
{
  g_autofree char *runs = impasto_job_dup_runs_folder ();
  g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (info != NULL, NULL);

  *info = NULL;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* The names begin with the time the run started: the newest last. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = names->len; i-- > 0;)
    {
      g_autofree char *folder = g_build_filename (runs, g_ptr_array_index (names, i), NULL);
      g_autofree char *ini = g_build_filename (folder, "run.ini", NULL);
      g_autoptr(GKeyFile) key_file = g_key_file_new ();

      if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
        continue;
      if (!g_key_file_load_from_file (key_file, ini, G_KEY_FILE_NONE, NULL))
        {
          /* Made, but nothing written in it yet (or not by us): only if nobody is there. */
          if (!g_file_test (ini, G_FILE_TEST_EXISTS))
            g_rmdir (folder);
          continue;
        }
      if (!g_key_file_get_boolean (key_file, "run", "running", NULL)
          || !process_gone (g_key_file_get_integer (key_file, "run", "pid", NULL)))
        continue;
      if (*info == NULL && run_restorable (folder, key_file))
        {
          *info = g_steal_pointer (&key_file);
          return g_steal_pointer (&folder);
        }
      impasto_job_remove_run_folder (folder);
    }
  return NULL;
}

static void
impasto_window_restore_run (ImpastoWindow *self,
                            const char    *folder,
                            GKeyFile      *info)
{
  g_auto(GStrv) paintings = NULL;
  g_autofree char *photo = NULL;

  /* Checked when it was found; gone since: nothing to continue. */
  if (!_impasto_window_read_run (folder, info, &photo, &paintings, NULL))
    {
      impasto_window_show_error (self, _("The last painting cannot be restored: its photo, a "
                                         "painting or its history is gone"));
      impasto_job_remove_run_folder (folder);
      return;
    }

  /* The pictures and settings as the run had them, and on from its newest snapshot, in the
   * same folder, once the pictures are loaded. */
  _impasto_window_load_run (self, photo, (const char * const *) paintings, info);
  _impasto_window_resume_from (self, folder, info);
  impasto_window_start_when_ready (self);
}

static void
on_restore_response_cb (ImpastoWindow    *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  const char *folder = g_object_get_data (G_OBJECT (dialog), "impasto-folder");
  GKeyFile *info = g_object_get_data (G_OBJECT (dialog), "impasto-info");

  if (g_strcmp0 (response, "restore") == 0)
    impasto_window_restore_run (self, folder, info);
  else if (g_strcmp0 (response, "discard") == 0)
    impasto_job_remove_run_folder (folder);
  /* Closed without an answer: asked again at the next start. */
}

gboolean
impasto_window_offer_restore (ImpastoWindow *self)
{
  g_autoptr(GKeyFile) info = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (IMPASTO_IS_WINDOW (self), FALSE);

  if (self->restore_dialog != NULL)
    return TRUE;
  folder = _impasto_window_find_lost_run (&info);
  if (folder == NULL)
    return FALSE;

  body = g_strdup_printf (_("Impasto ended while painting. Restore the photo, the paintings "
                            "and the settings, and go on painting from iteration %d?"),
                          g_key_file_get_integer (info, "snapshot", "iteration", NULL));
  self->restore_dialog =
    ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                _("Restore the Last Painting?"), body));
  adw_message_dialog_add_responses (self->restore_dialog,
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->restore_dialog, "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (self->restore_dialog, "restore",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->restore_dialog, "restore");
  adw_message_dialog_set_close_response (self->restore_dialog, "later");
  g_object_set_data_full (G_OBJECT (self->restore_dialog), "impasto-folder",
                          g_steal_pointer (&folder), g_free);
  g_object_set_data_full (G_OBJECT (self->restore_dialog), "impasto-info",
                          g_steal_pointer (&info), (GDestroyNotify) g_key_file_unref);
  g_object_add_weak_pointer (G_OBJECT (self->restore_dialog),
                             (gpointer *) &self->restore_dialog);
  g_signal_connect_object (self->restore_dialog, "response",
                           G_CALLBACK (on_restore_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->restore_dialog));
  return TRUE;
}
