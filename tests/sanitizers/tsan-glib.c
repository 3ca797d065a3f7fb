/* tsan-glib.c
 *
 * Linked into the window's test programs in a ThreadSanitizer build (-Db_sanitize=thread) only.
 * GLib and GTK are not instrumented, and GLib 2.74 locks a GMutex with futexes and atomics of its
 * own, which ThreadSanitizer cannot see: every field that Impasto's worker and main thread share
 * under a GMutex, or hand over through a GTask, an idle callback or a reference count, would be
 * reported as a race. This file defines the GLib functions Impasto (and GIO/GTK) call through
 * the dynamic linker with the same names; each calls GLib's own through dlsym (RTLD_NEXT), so the
 * locking is unchanged, and tells ThreadSanitizer about the ordering it provides:
 *
 *   lock / trylock / cond wake-up   acquire the mutex          unlock / cond wait   release it
 *   g_task_run_in_thread            release the task; the thread function acquires it first
 *   g_task_return_*                 release the task           g_task_propagate_*  acquire it
 *   g_idle_add*, g_timeout_add*     release, and the callback acquires before it runs
 *   g_object_unref, g_bytes_unref   release then acquire (the last unref frees what others used)
 *
 * Calls inside libglib itself do not go through the dynamic linker and stay invisible; they only
 * touch GLib's own data, which is not instrumented either. This is annotation, not suppression: a
 * race on data no lock, task or callback orders is still reported.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <dlfcn.h>
#include <stdlib.h>

#include <gio/gio.h>

void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

/* GLib's own @name as real_@name, looked up once (atomically: any thread may be first). */
#define REAL(name) \
  static __typeof__ (name) *name##_cache; \
  __typeof__ (name) *real_##name = __atomic_load_n (&name##_cache, __ATOMIC_ACQUIRE); \
  if (real_##name == NULL) \
    { \
      real_##name = (__typeof__ (name) *) dlsym (RTLD_NEXT, #name); \
      __atomic_store_n (&name##_cache, real_##name, __ATOMIC_RELEASE); \
    }

/* Mutexes. */

void
g_mutex_lock (GMutex *mutex)
{
  REAL (g_mutex_lock);
  real_g_mutex_lock (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  gboolean locked;

  REAL (g_mutex_trylock);
  locked = real_g_mutex_trylock (mutex);
  if (locked)
    __tsan_acquire (mutex);
  return locked;
}

void
g_mutex_unlock (GMutex *mutex)
{
  REAL (g_mutex_unlock);
  __tsan_release (mutex);
  real_g_mutex_unlock (mutex);
}

void
g_rec_mutex_lock (GRecMutex *mutex)
{
  REAL (g_rec_mutex_lock);
  real_g_rec_mutex_lock (mutex);
  __tsan_acquire (mutex);
}

void
g_rec_mutex_unlock (GRecMutex *mutex)
{
  REAL (g_rec_mutex_unlock);
  __tsan_release (mutex);
  real_g_rec_mutex_unlock (mutex);
}

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  REAL (g_cond_wait);
  __tsan_release (mutex);
  real_g_cond_wait (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  gboolean signalled;

  REAL (g_cond_wait_until);
  __tsan_release (mutex);
  signalled = real_g_cond_wait_until (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return signalled;
}

/* GTask: a thread's result is read by the callback on the main thread. */

void
g_task_return_pointer (GTask          *task,
                       gpointer        result,
                       GDestroyNotify  result_destroy)
{
  REAL (g_task_return_pointer);
  __tsan_release (task);
  real_g_task_return_pointer (task, result, result_destroy);
}

void
g_task_return_boolean (GTask    *task,
                       gboolean  result)
{
  REAL (g_task_return_boolean);
  __tsan_release (task);
  real_g_task_return_boolean (task, result);
}

void
g_task_return_int (GTask  *task,
                   gssize  result)
{
  REAL (g_task_return_int);
  __tsan_release (task);
  real_g_task_return_int (task, result);
}

void
g_task_return_error (GTask  *task,
                     GError *error)
{
  REAL (g_task_return_error);
  __tsan_release (task);
  real_g_task_return_error (task, error);
}

void
g_task_return_new_error (GTask       *task,
                         GQuark       domain,
                         gint         code,
                         const char  *format,
                         ...)
{
  va_list args;

  __tsan_release (task);
  va_start (args, format);
  g_task_return_error (task, g_error_new_valist (domain, code, format, args));
  va_end (args);
}

gpointer
g_task_propagate_pointer (GTask   *task,
                          GError **error)
{
  gpointer result;

  REAL (g_task_propagate_pointer);
  result = real_g_task_propagate_pointer (task, error);
  __tsan_acquire (task);
  return result;
}

gboolean
g_task_propagate_boolean (GTask   *task,
                          GError **error)
{
  gboolean result;

  REAL (g_task_propagate_boolean);
  result = real_g_task_propagate_boolean (task, error);
  __tsan_acquire (task);
  return result;
}

gssize
g_task_propagate_int (GTask   *task,
                      GError **error)
{
  gssize result;

  REAL (g_task_propagate_int);
  result = real_g_task_propagate_int (task, error);
  __tsan_acquire (task);
  return result;
}

/* A task's thread function runs after what the thread that queued it did before. The thread
 * pool hands it over through GLib's own queue; the function is wrapped to acquire the task. */

static GQuark
thread_func_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("impasto-tsan-thread-func");
  return quark;
}

static void
thread_func_run (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GTaskThreadFunc func = (GTaskThreadFunc) g_object_get_qdata (G_OBJECT (task),
                                                               thread_func_quark ());

  __tsan_acquire (task);
  func (task, source_object, task_data, cancellable);
}

void
g_task_run_in_thread (GTask           *task,
                      GTaskThreadFunc  task_func)
{
  REAL (g_task_run_in_thread);
  g_object_set_qdata (G_OBJECT (task), thread_func_quark (), (gpointer) task_func);
  __tsan_release (task);
  real_g_task_run_in_thread (task, thread_func_run);
}

void
g_task_run_in_thread_sync (GTask           *task,
                           GTaskThreadFunc  task_func)
{
  REAL (g_task_run_in_thread_sync);
  g_object_set_qdata (G_OBJECT (task), thread_func_quark (), (gpointer) task_func);
  __tsan_release (task);
  real_g_task_run_in_thread_sync (task, thread_func_run);
  __tsan_acquire (task);
}

/* Main-loop callbacks added from another thread run after what that thread did before adding. */

typedef struct
{
  GSourceFunc func;
  gpointer data;
  GDestroyNotify notify;
} Handover;

static gboolean
handover_run (gpointer user_data)
{
  Handover *handover = user_data;

  __tsan_acquire (handover);
  return handover->func (handover->data);
}

static void
handover_free (gpointer user_data)
{
  Handover *handover = user_data;

  if (handover->notify != NULL)
    handover->notify (handover->data);
  free (handover);
}

static Handover *
handover_new (GSourceFunc    func,
              gpointer       data,
              GDestroyNotify notify)
{
  Handover *handover = malloc (sizeof *handover);

  if (handover == NULL)
    abort ();
  handover->func = func;
  handover->data = data;
  handover->notify = notify;
  __tsan_release (handover);
  return handover;
}

guint
g_idle_add_full (gint           priority,
                 GSourceFunc    function,
                 gpointer       data,
                 GDestroyNotify notify)
{
  REAL (g_idle_add_full);
  return real_g_idle_add_full (priority, handover_run, handover_new (function, data, notify),
                               handover_free);
}

guint
g_idle_add (GSourceFunc function,
            gpointer    data)
{
  return g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, function, data, NULL);
}

guint
g_timeout_add_full (gint           priority,
                    guint          interval,
                    GSourceFunc    function,
                    gpointer       data,
                    GDestroyNotify notify)
{
  REAL (g_timeout_add_full);
  return real_g_timeout_add_full (priority, interval, handover_run,
                                  handover_new (function, data, notify), handover_free);
}

guint
g_timeout_add (guint       interval,
               GSourceFunc function,
               gpointer    data)
{
  return g_timeout_add_full (G_PRIORITY_DEFAULT, interval, function, data, NULL);
}

void
g_main_context_invoke_full (GMainContext   *context,
                            gint            priority,
                            GSourceFunc     function,
                            gpointer        data,
                            GDestroyNotify  notify)
{
  REAL (g_main_context_invoke_full);
  real_g_main_context_invoke_full (context, priority, handover_run,
                                   handover_new (function, data, notify), handover_free);
}

void
g_main_context_invoke (GMainContext *context,
                       GSourceFunc   function,
                       gpointer      data)
{
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, function, data, NULL);
}

/* Reference counts: whoever drops the last reference frees what the others used. */

void
(g_object_unref) (gpointer object)
{
  REAL (g_object_unref);
  __tsan_release (object);
  __tsan_acquire (object);
  real_g_object_unref (object);
}

void
g_bytes_unref (GBytes *bytes)
{
  REAL (g_bytes_unref);
  if (bytes != NULL)
    {
      __tsan_release (bytes);
      __tsan_acquire (bytes);
    }
  real_g_bytes_unref (bytes);
}
