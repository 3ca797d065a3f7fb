/* impasto-wheel-guard.c
 *
 * See impasto-wheel-guard.h. GtkRange and GtkSpinButton react to the wheel through a
 * GtkEventControllerScroll of their own, in the bubble phase. Until the focus is within the
 * owner, those controllers are switched to GTK_PHASE_NONE: the event then bubbles on to the
 * GtkScrolledWindow around them, with its kinetic scrolling intact. A focus controller on the
 * owner switches them back while the person works in the row.
 *
 * It does not move values itself, and it leaves the keyboard and dragging alone.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-wheel-guard"

#include "config.h"

#include "impasto-wheel-guard.h"

#define GUARD_KEY "impasto-wheel-guard"

static void
set_phase (GtkWidget           *widget,
           GtkPropagationPhase  phase)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      /* Only the widget's own wheel handling; not a guard's focus controller. */
      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        gtk_event_controller_set_propagation_phase (controller, phase);
    }
}

static void
on_focus_enter_cb (GtkWidget *widget)
{
  set_phase (widget, GTK_PHASE_BUBBLE);
}

static void
on_focus_leave_cb (GtkWidget *widget)
{
  set_phase (widget, GTK_PHASE_NONE);
}

void
impasto_wheel_guard_attach (GtkWidget *widget,
                            GtkWidget *focus_owner)
{
  GtkEventController *focus;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (!focus_owner || GTK_IS_WIDGET (focus_owner));
  g_return_if_fail (g_object_get_data (G_OBJECT (widget), GUARD_KEY) == NULL);

  g_object_set_data (G_OBJECT (widget), GUARD_KEY, GINT_TO_POINTER (1));

  if (focus_owner == NULL)
    focus_owner = widget;

  set_phase (widget, GTK_PHASE_NONE);

  focus = gtk_event_controller_focus_new ();
  gtk_event_controller_set_name (focus, GUARD_KEY);
  g_signal_connect_object (focus, "enter", G_CALLBACK (on_focus_enter_cb), widget,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave_cb), widget,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (focus_owner, focus);
}
