/* impasto-window-private.h
 *
 * ImpastoWindow's instance struct, shared by the window's files, and the functions they offer
 * each other (and the tests), grouped by the file that defines them, from the top down: a file
 * calls only those of the files below it (tests/app/check-app-calls.sh). Not for other code.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-canvas-view.h"
#include "impasto-download-page.h"
#include "impasto-export-dialog.h"
#include "impasto-image-well.h"
#include "impasto-job.h"
#include "impasto-log-scale-row.h"
#include "impasto-loss-plot.h"
#include "impasto-model.h"
#include "impasto-painting-list.h"
#include "impasto-params.h"
#include "impasto-region-masks.h"
#include "impasto-region-overlay.h"
#include "impasto-region-panel.h"
#include "impasto-timeline.h"
#include "impasto-window.h"

G_BEGIN_DECLS

typedef struct
{
  AdwActionRow *row;
  GtkSpinButton *spin;
  GtkSwitch *toggle;
} ImpastoLayerRow;

/* What the question "Save the painting?" goes on to once the painting is saved or discarded. */
typedef enum
{
  IMPASTO_AFTER_SAVE_NONE,
  IMPASTO_AFTER_SAVE_CLOSE,
  IMPASTO_AFTER_SAVE_START,
  IMPASTO_AFTER_SAVE_RESTART,     /* stop the run under way and start a new one */
  IMPASTO_AFTER_SAVE_BRANCH,      /* continue from the chosen snapshot (branch_from) */
  IMPASTO_AFTER_SAVE_OPEN_RUN,    /* open the saved run in open_run_folder (win.open-run-folder) */
} ImpastoAfterSave;

struct _ImpastoWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children. */
  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  AdwWindowTitle *window_title;
  GtkSpinner *model_spinner;
  GtkProgressBar *model_progress;
  GtkButton *start_button;
  GtkLabel *start_label;
  GtkButton *pause_button;
  GtkButton *stop_button;
  GtkButton *full_size_button;
  GtkButton *save_button;
  AdwFlap *flap;
  ImpastoImageWell *content_well;
  ImpastoPaintingList *painting_list;
  ImpastoImageWell *style_well;      /* the first painting's well, in painting_list */
  AdwComboRow *colors_row;
  GtkLabel *colors_hint;             /* what the chosen colours do */
  ImpastoLogScaleRow *alpha_row;
  ImpastoLogScaleRow *beta_row;
  ImpastoLogScaleRow *tv_row;
  ImpastoLogScaleRow *learning_rate_row;
  AdwExpanderRow *content_layers_row;
  AdwExpanderRow *style_layers_row;
  AdwComboRow *pool_row;
  AdwActionRow *size_row;
  GtkSpinButton *size_spin;
  AdwComboRow *preview_row;
  AdwComboRow *memory_row;
  GtkSpinButton *iterations_spin;
  AdwComboRow *init_row;
  AdwActionRow *noise_row;
  GtkSpinButton *noise_spin;
  GtkSpinButton *seed_spin;
  AdwComboRow *optimizer_row;
  GtkSpinButton *save_every_spin;
  AdwActionRow *save_folder_row;
  GtkStack *canvas_stack;
  ImpastoCanvasView *canvas;         /* the painting, zoomed and compared with the photo */
  GtkWidget *canvas_controls;        /* zoom and compare, in the canvas's corner */
  GtkToggleButton *compare_button;
  GtkButton *hold_button;            /* held down: the photo in place of the painting */
  GtkLabel *zoom_label;
  ImpastoRegionOverlay *region_overlay;   /* the regions over the canvas, in Regions mode */
  GtkWidget *regions_button;
  GtkRevealer *regions_revealer;
  ImpastoRegionPanel *region_panel;
  AdwStatusPage *empty_page;         /* which picture is missing */
  GtkPicture *photo_picture;         /* the photo, before the first frame */
  GtkSpinner *photo_spinner;
  GtkLabel *photo_label;             /* what comes next */
  GtkRevealer *pending_revealer;     /* changes waiting for the next start */
  GtkLabel *pending_label;
  GtkLabel *iteration_label;
  GtkLabel *time_label;
  GtkLabel *loss_label;
  GtkProgressBar *progress_bar;
  ImpastoTimeline *timeline;         /* the loss plot with the run's snapshots under the canvas */
  ImpastoLossPlot *loss_plot;        /* the timeline's plot */
  GtkRevealer *snapshot_revealer;    /* what the chosen snapshot is, and Continue From Here */
  GtkLabel *snapshot_label;
  AdwStatusPage *no_model_page;
  ImpastoDownloadPage *download_page;
  GtkWidget *model_details;          /* where the model was looked for, when it is missing */
  GtkLabel *model_details_label;

  ImpastoLayerRow layer_rows[2][IMPASTO_VGG19_N_CONVS];   /* [ImpastoLayerKind][conv] */

  GSettings *settings;
  ImpastoParams *params;
  ImpastoModel *model;

  /* The current or last run, and the bindings that show it. */
  ImpastoJob *job;
  GPtrArray *job_wells;           /* the wells of the job's paintings, in its order (refs) */
  GBindingGroup *job_bindings;
  GSignalGroup *job_signals;
  gboolean restart_when_stopped;  /* start a new run once the current one has stopped */
  AdwMessageDialog *restart_dialog;
  gboolean restart_declined;      /* "Keep Painting" was chosen for the current run */
  guint steers_seen;              /* records of the job's history looked at for steering */
  guint steer_serial;             /* the params serial of the last of them */

  guint pending_changes;          /* changes needing a new start since it began, one bit each */

  /* Unsaved paintings: a frame is saved when its pixels are those last written to a file; any
   * newer frame is not, nor one whose writing has not finished. */
  GBytes *saved_pixels;
  GBytes *saving_pixels;          /* being written to a file now: not saved until it is */
  AdwMessageDialog *save_dialog;  /* "Save the painting?" */
  ImpastoAfterSave after_save;    /* what a Save chosen there goes on to, once saved */
  gboolean close_confirmed;       /* the painting may go: close without asking */

  /* A run that did not end normally (impasto-window-history.c). */
  AdwMessageDialog *restore_dialog;  /* "Restore the last painting?" */
  char *resume_folder;            /* the next start continues this run: its folder, */
  char *resume_snapshot;          /* its newest snapshot, */
  int resume_iteration;           /* the iteration after which it was taken, and its losses */
  ImpastoLosses resume_losses;
  GArray *resume_records;         /* of ImpastoJobRecord: the continued run's history, or NULL */
  gboolean resume_opened;         /* resume_folder is an opened run's copy: removed if it never
                                   * starts */

  /* Saved runs (impasto-window-keep.c). */
  char *open_run_folder;          /* the saved run to open once "Save the painting?" is answered */
  char *opening_run;              /* the saved run to open once the run under way has stopped */
  gboolean open_run_pending;      /* an opened run starts once its pictures are loaded */

  /* Continue From Here (impasto-window-run.c). */
  char *branch_from;              /* the snapshot chosen to continue from (the job's file), */
  int branch_iteration;           /* and the iteration it was taken after */
  gboolean branching;             /* the next start continues from resume_* as a branch */
  GPtrArray *branch_parent_wells; /* its job_wells */
  ImpastoJob *branch_parent;      /* the run a branch continues: kept until the branch shows
                                   * its first picture (then its folder goes), and shown again
                                   * if the branch fails or is stopped before that */

  GtkFileChooserNative *chooser;  /* model, save, animation, frames folder or settings; one at a
                                   * time */
  ImpastoExportDialog *export_dialog;  /* Export Animation's dialog while it is open; weak */
  GtkMenuButton *presets_button;  /* the Presets menu, rebuilt each time it opens */
  gboolean start_when_ready;
  guint syncing_layers;
  guint folded_idle;
  gboolean sized;                 /* the first layout has re-applied the default size */
  int wanted_width;               /* the default size asked for when mapped */
  int wanted_height;
  GCancellable *calibration;      /* measuring this computer's speed, when not known yet */
  ImpastoRegionMasks *region_masks;  /* the painted regions, at the photo's size */
  gboolean regions_mode;          /* the regions are shown and painted over the canvas */
  gboolean calibration_tried;     /* once a window: a failed measure is not repeated */
  GArray *memory_limits;          /* the memory row's choices in GiB, in its order; 0: Automatic */
};

/* impasto-window-actions.c: installs the win.* actions and their shortcuts (from class_init). */
void     _impasto_window_class_actions_init (ImpastoWindowClass *klass);
/* Whether every control's setting is at its default (Reset to Defaults would do nothing). */
gboolean _impasto_window_controls_are_default (ImpastoWindow *self);

/* impasto-window-presets.c */
/* Installs win.apply-preset, win.save-preset and win.open-settings (from class_init). */
void     _impasto_window_class_presets_init (ImpastoWindowClass *klass);
/* Hands the Presets button its menu, rebuilt each time it opens, and makes the canvas take a
 * dropped picture's settings (from init). */
void     _impasto_window_presets_init       (ImpastoWindow *self);
/* The Presets menu as it would open now: the built-ins, the user's presets, Save…. */
GMenuModel *_impasto_window_presets_menu    (ImpastoWindow *self);
/* Sets the parameters from @preset (a built-in's id or a user preset's name) and says so in a
 * toast, naming what was skipped; FALSE (a toast says why) when it cannot be read. */
gboolean _impasto_window_apply_preset       (ImpastoWindow *self,
                                             const char    *preset);
/* Asks a name for a new preset (Save Settings as Preset…); its Save calls the function below. */
AdwMessageDialog *_impasto_window_ask_preset_name (ImpastoWindow *self);
/* Writes the current parameters as the user preset @name; a toast says it was saved, or why
 * not (a bad name, a failed write). */
gboolean _impasto_window_save_preset        (ImpastoWindow *self,
                                             const char    *name);
/* Reads the settings inside the picture at @path on a worker thread and sets the parameters
 * from them; a toast says so, naming what was skipped, or why nothing was read. */
void     _impasto_window_open_settings_from (ImpastoWindow *self,
                                             const char    *path);

/* impasto-window-history.c */
/* The newest run folder a process that is gone left behind that can be restored, with its
 * run.ini in *@info; NULL if none. Folders of gone processes that cannot be restored are
 * removed on the way. */
char    *_impasto_window_find_lost_run (GKeyFile **info);

/* impasto-window-keep.c */
/* Installs win.save-run, win.open-run and win.open-run-folder (from class_init). */
void     _impasto_window_class_keep_init    (ImpastoWindowClass *klass);
/* Starts an opened run once the run under way has stopped and its pictures are loaded (from
 * init). */
void     _impasto_window_keep_init          (ImpastoWindow *self);
/* Save Run… into the new (or empty) folder @path, on a worker thread: the run's snapshots and
 * their pictures, copies of its photo and paintings, its records (history.tsv) and a run.ini
 * naming them; made under a temporary name beside @path and renamed at the end, so that a
 * failure leaves nothing. A toast says where (with Show in Files), or why not. What the file
 * chooser goes on to. */
void     _impasto_window_save_run_to        (ImpastoWindow *self,
                                             const char    *path);
/* Open Run… of the saved run in @path: checked (a toast says why it cannot be opened, and
 * nothing changes), then, after "Save the painting?" when a painting would be lost, copied into
 * a new run folder under the cache and continued from its newest snapshot with its photo,
 * paintings and settings. What the file chooser goes on to; FALSE when refused. */
gboolean _impasto_window_open_run_from      (ImpastoWindow *self,
                                             const char    *path);
/* The photo and paintings of the run.ini @info of the run in @folder (names relative to @folder
 * or absolute), checked to be files, with its newest snapshot ([snapshot] name, in @folder) and
 * its settings; FALSE with a sentence saying what is missing. */
gboolean _impasto_window_read_run           (const char  *folder,
                                             GKeyFile    *info,
                                             char       **photo,
                                             GStrv       *paintings,
                                             GError     **error);
/* Loads @photo, @paintings and the settings of @info into the window, replacing its own. */
void     _impasto_window_load_run           (ImpastoWindow      *self,
                                             const char         *photo,
                                             const char * const *paintings,
                                             GKeyFile           *info);
/* The next start continues from the snapshot @info's [snapshot] names in @folder, there. */
void     _impasto_window_resume_from        (ImpastoWindow *self,
                                             const char    *folder,
                                             GKeyFile      *info);

/* impasto-window-save.c */
/* A frame is shown that was never saved (running or not). */
gboolean _impasto_window_has_unsaved_painting (ImpastoWindow *self);
/* Does @then (close the window, start a new run) at once when no painting would be lost, else
 * asks first: Save (the file chooser, then @then once written), Discard (@then) or Cancel. */
void     _impasto_window_confirm            (ImpastoWindow    *self,
                                             ImpastoAfterSave  then);
/* Opens the save file chooser for the newest frame (win.save). */
void     _impasto_window_choose_save_file   (ImpastoWindow *self);
/* The save file chooser's answer: closes it and saves to @file (NULL: cancelled). */
void     _impasto_window_save_chosen        (ImpastoWindow *self,
                                             GFile         *file);
/* Writes the newest frame to @path (PNG or JPEG by extension) on a worker thread. */
void     _impasto_window_save_to            (ImpastoWindow *self,
                                             const char    *path);

/* impasto-window-run.c */
/* A new folder name for a run's history under impasto_job_dup_runs_folder(). */
char    *_impasto_window_new_run_folder     (void);
/* Starts a run with the current parameters and pictures; FALSE (nothing started) when one is
 * under way, a picture or the model is missing, or the parameters are invalid (a toast says). */
gboolean _impasto_window_start              (ImpastoWindow *self);
/* The current run is discarded (replaced or its window closed): its history on disk is removed,
 * and that of a run a branch was made from. */
void     _impasto_window_discard_run        (ImpastoWindow *self);
/* Continue From Here: the snapshot in branch_from gets a run folder of its own with the
 * snapshots up to it, and a run continues from it with the current parameters once the run
 * under way (if any) has stopped; the current run stays until the branch shows its first
 * picture. FALSE (a toast says why) when it cannot. */
gboolean _impasto_window_branch             (ImpastoWindow *self);
/* Nothing starts when the current run has stopped: neither a restart nor a branch that waited
 * for it (the branch's folder is removed). */
void     _impasto_window_cancel_pending_start (ImpastoWindow *self);
/* The parameter @change_name changed: the running job, if any, gets it live, restarts (or asks
 * first) or waits with it, by the kind of change (impasto_params_classify()). */
void     _impasto_window_steer              (ImpastoWindow *self,
                                             const char    *change_name);
/* @change (a parameter's name, "content", "style" or "paintings") needs a new run: restart the
 * running job at once if nothing would be lost, else ask; after "Keep Painting" it waits in the
 * notice. */
void     _impasto_window_request_restart    (ImpastoWindow *self,
                                             const char    *change);
/* Painting @index of the list has a new brush size: the job recomputes that painting's targets,
 * if the run paints it. */
void     _impasto_window_steer_painting_scale (ImpastoWindow *self,
                                               int            index);

/* impasto-window-chooser.c */
/* The window's chooser answered @response: it is closed; the chosen file's local path, or NULL
 * when nothing was chosen, or when the place is not on this computer (an error toast then says
 * @not_local). */
char    *_impasto_window_chooser_answer    (ImpastoWindow *self,
                                            int            response,
                                            const char    *not_local);

/* impasto-window-timeline.c (impasto-window-state.c enables its actions) */
/* Installs win.continue-from-here and the timeline's win.timeline-* actions (from class_init). */
void     _impasto_window_class_timeline_init (ImpastoWindowClass *klass);
/* Shows the snapshot chosen on the timeline on the canvas, or the newest picture (from init). */
void     _impasto_window_timeline_init       (ImpastoWindow *self);

/* impasto-window-regions.c */
/* Installs the win.regions-* actions (but win.regions-mode, a property action of the window's)
 * and their shortcuts (from class_init). */
void     _impasto_window_class_regions_init (ImpastoWindowClass *klass);
/* Makes the regions' masks and connects the panel and the overlay to them (from init). */
void     _impasto_window_regions_init       (ImpastoWindow *self);
/* Regions mode on or off: the overlay, the panel and the undo and redo shortcuts. */
void     _impasto_window_set_regions_mode   (ImpastoWindow *self,
                                             gboolean       regions_mode);
/* The photo changed: the masks take its size (a photo gone leaves them as they are). */
void     _impasto_window_regions_sync_photo (ImpastoWindow *self);
/* Hands every region to @job (one not started yet, or the running one): its painting as the
 * job numbers them; a region whose painting the job does not paint is handed over as none. */
void     _impasto_window_send_regions       (ImpastoWindow *self,
                                             ImpastoJob    *job);
/* The pictures at @paths become the regions (what Load Masks does with the chosen files); a
 * toast says why when they cannot, and nothing changes then. */
void     _impasto_window_regions_load       (ImpastoWindow      *self,
                                             const char * const *paths,
                                             int                 n_paths);
/* Saves every region's mask into @folder (what Save Masks does), and says so in a toast. */
void     _impasto_window_regions_save       (ImpastoWindow *self,
                                             const char    *folder);

/* impasto-window-estimate.c */
/* The size row's subtitle: size, memory and time (starting to measure the speed if needed). */
void     _impasto_window_update_estimate    (ImpastoWindow *self);
/* Whether a run of the current pictures and settings fits the memory limit (in tiles if need
 * be) and this computer; FALSE with *@message (to free), a sentence saying why and what to
 * change. TRUE while there is no model. */
gboolean _impasto_window_check_memory       (ImpastoWindow  *self,
                                             char          **message);
/* What the finished or stopped @job measured refines this computer's stored speed. */
void     _impasto_window_record_speed       (ImpastoWindow *self,
                                             ImpastoJob    *job);

/* impasto-window-memory.c */
/* Fills the Memory Limit row's choices and binds it to the `max-memory` parameter (from init,
 * once the parameters have their settings). */
void     _impasto_window_memory_init        (ImpastoWindow *self);

/* impasto-window-export.c */
/* Installs win.export-animation (from class_init). */
void     _impasto_window_class_export_init  (ImpastoWindowClass *klass);
/* Opens the export dialog for the current run's film, to write @path (.webp added if missing);
 * a toast says so when there are not enough frames yet. What the file chooser goes on to. */
void     _impasto_window_export_to          (ImpastoWindow *self,
                                             const char    *path);

/* impasto-window-canvas.c */
/* Installs the win.canvas-* actions (zoom, fit, 100 %, compare) and their shortcuts (from
 * class_init). */
void     _impasto_window_class_canvas_init  (ImpastoWindowClass *klass);
/* Connects the canvas's controls (the zoom buttons, the held photo button) and the region
 * overlay to the canvas view (from init). */
void     _impasto_window_canvas_init        (ImpastoWindow *self);

/* impasto-window-state.c */
/* "850 ms", "2.5 s", "3 min 05 s", "1 h 02 min". */
char    *_impasto_window_format_duration    (double seconds);
/* The painting, the photo with what comes next, or the page saying which picture is missing. */
void     _impasto_window_update_canvas      (ImpastoWindow *self);
/* The run's numbers, progress bar and the title's subtitle (and the canvas). */
void     _impasto_window_update_stats       (ImpastoWindow *self);
/* Which win.* actions are enabled, and the header's Start, Pause/Resume and Stop. */
void     _impasto_window_update_actions     (ImpastoWindow *self);

/* impasto-window-toasts.c (and impasto_window_show_error(), _show_toast(), _show_error_details()
 * in impasto-window.h) */
/* A toast whose button activates @action_name with @target (floating, or NULL). */
void     _impasto_window_add_toast_with_button (ImpastoWindow    *self,
                                                const char       *message,
                                                const char       *button_label,
                                                const char       *action_name,
                                                GVariant         *target,
                                                guint             timeout,
                                                AdwToastPriority  priority);
/* "Saved as “name”", with a Show in Files button (win.show-in-files). */
void     _impasto_window_show_saved         (ImpastoWindow *self,
                                             const char    *path);

G_END_DECLS
