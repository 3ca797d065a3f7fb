/* impasto-window-toasts.c
 *
 * The window's toasts: errors that stay until dismissed, passing notes, an error with a Details
 * button, and the "Saved as" note with Show in Files. The buttons name win.* actions
 * (impasto-window-actions.c installs them); this file calls no other of the window's files.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-window-toasts"

#include "config.h"

#include <glib/gi18n.h>

#include "impasto-window-private.h"

/* A toast with @message as plain text (not markup). */
static void
add_toast (ImpastoWindow    *self,
           const char       *message,
           guint             timeout,
           AdwToastPriority  priority)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, priority);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
impasto_window_show_error (ImpastoWindow *self,
                           const char    *message)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Errors stay until dismissed: they are what the person has to act on. */
  add_toast (self, message, 0, ADW_TOAST_PRIORITY_HIGH);
}

void
impasto_window_show_toast (ImpastoWindow *self,
                           const char    *message)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  add_toast (self, message, 4, ADW_TOAST_PRIORITY_NORMAL);
}

void
_impasto_window_add_toast_with_button (ImpastoWindow    *self,
                                       const char       *message,
                                       const char       *button_label,
                                       const char       *action_name,
                                       GVariant         *target,
                                       guint             timeout,
                                       AdwToastPriority  priority)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_assert (IMPASTO_IS_WINDOW (self));

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, priority);
  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  if (target != NULL)
    adw_toast_set_action_target_value (toast, target);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
impasto_window_show_error_details (ImpastoWindow *self,
                                    const char    *message,
                                    const char    *details)
{
  g_return_if_fail (IMPASTO_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (details == NULL || g_strcmp0 (details, message) == 0)
    {
      impasto_window_show_error (self, message);
      return;
    }
  /* Translators: the button on an error message that shows the full technical text. */
  _impasto_window_add_toast_with_button (self, message, _("Details"), "win.show-details",
                                         g_variant_new ("(ss)", message, details), 0,
                                         ADW_TOAST_PRIORITY_HIGH);
}

void
_impasto_window_show_saved (ImpastoWindow *self,
                            const char    *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *message = g_strdup_printf (_("Saved as “%s”"), name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  g_assert (IMPASTO_IS_WINDOW (self));

  _impasto_window_add_toast_with_button (self, message, _("Show in Files"),
                                         "win.show-in-files", g_variant_new_string (uri), 5,
                                         ADW_TOAST_PRIORITY_NORMAL);
}
