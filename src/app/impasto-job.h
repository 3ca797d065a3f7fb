/* impasto-job.h
 *
 * One style-transfer run on a GLib worker thread. The job is made on the main thread from the
 * decoded photo, its paintings (each with a brush size) and a snapshot of the parameters; impasto_job_run_async() then resizes the
 * pictures, builds the engine's ladder of sizes (impasto-ladder.h: the picture painted coarse to
 * fine, from a smallest size up to the final one) and steps it in a GTask thread until the final
 * size is done or it is stopped. A preview stops at a lower size and rests there (state
 * PREVIEWED) until impasto_job_paint_full_size() carries it on up the ladder, new values are
 * handed over (it paints them at that size) or it is stopped. Frames are always at the final
 * size, resampled up while the run is lower, so the canvas keeps its size and sharpens. Frames reach the main thread through an ImpastoLatestSlot (newest frame
 * only, at most about ten a second, every iteration when iterations are slower) and become the
 * `texture`, `iteration` and loss properties. α, β, TV, layer weights, the paintings' weights and
 * the learning rate can be changed while it runs (impasto_job_set_params()) and are used from the
 * next iteration on, as is a painting's brush size (impasto_job_set_painting_scale()) and a
 * painted region (impasto_job_set_region(): only that region's guides are recomputed);
 * pausing makes the worker wait on a condition variable between iterations.
 *
 * The worker never touches GTK, GSettings or the job's properties; everything it shares with the
 * main thread is behind the frame slot, the parameter hand-off, a mutex or an atomic. This file
 * does not decide when a run must restart (the window does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gtk/gtk.h>

#include "impasto-colors.h"
#include "impasto-film.h"
#include "impasto-latest-slot.h"
#include "impasto-session.h"
#include "impasto-types.h"

G_BEGIN_DECLS

/* At most this many milliseconds between two frames sent to the screen when iterations are fast. */
#define IMPASTO_JOB_FRAME_INTERVAL_MS 100
/* The run's film (impasto_job_get_film()): at most this many frames besides the last, at most
 * this long on their longest side, so at most 101 × 480² × 3 bytes, about 67 MiB. */
#define IMPASTO_JOB_FILM_FRAMES 100
#define IMPASTO_JOB_FILM_SIDE 480

typedef enum
{
  IMPASTO_JOB_READY,      /* made, not started */
  IMPASTO_JOB_PREPARING,  /* resizing the pictures and computing the targets */
  IMPASTO_JOB_RUNNING,
  IMPASTO_JOB_PAUSED,
  IMPASTO_JOB_FINISHED,   /* all iterations done */
  IMPASTO_JOB_STOPPED,    /* stopped by the user; the last picture stays */
  IMPASTO_JOB_FAILED,
  IMPASTO_JOB_PREVIEWED,  /* the preview's size is painted; waits for Paint Full Size or Stop */
} ImpastoJobState;

#define IMPASTO_TYPE_JOB_STATE (impasto_job_state_get_type ())
GType impasto_job_state_get_type (void);

/* One iteration as the worker ran it: the parameters in force and the losses that came out. */
typedef struct
{
  int iteration;          /* steps at all sizes; 0 is the starting image */
  int scale;              /* the size it ran at: 0-based on the ladder */
  int width;              /* that size */
  int height;
  guint params_serial;    /* the impasto_job_set_params() serial in force; 1 is the initial set */
  double alpha;
  double beta;
  double tv;
  double learning_rate;
  ImpastoLosses losses;
  double ms;              /* wall time of this step; 0 for iteration 0 */
} ImpastoJobRecord;

/* The largest brush size a run keeps pixels for (a painting is decoded no larger than this
 * times the picture's longest side, or its own brush size if that is larger). */
#define IMPASTO_JOB_MAX_BRUSH_SIZE 2.0

/* One painting of a run: its picture (referenced, read by the worker; never changed after
 * loading) and its brush size (the painting's longest side over the picture's, > 0). Its weight
 * is in the parameters (painting_weights), which change live. */
typedef struct
{
  GdkPixbuf *pixbuf;
  double scale;
} ImpastoJobPainting;

/* The painting a run keeps of @pixbuf for a picture of @width × @height (pixels NULL): its own
 * size, but no larger than the largest brush size can use; for the run and its memory estimate. */
void impasto_job_plan_painting (GdkPixbuf       *pixbuf,
                                double           scale,
                                int              width,
                                int              height,
                                ImpastoPainting *painting);

/* The snapshot a job is made from; copied. */
typedef struct
{
  ImpastoSessionParams params;
  ImpastoSessionConfig config;  /* width, height and the pixel pointers are ignored */
  int size;                      /* longest side of the output */
  int min_side;                  /* longest side of the ladder's smallest size; 0: 128 */
  int preview_side;              /* stop at the largest size this long or shorter; 0: none */
  int iterations;                /* the final size's budget; the lower sizes' follow from it */
  int save_every;                /* also write every Nth picture into @save_folder; 0 never */
  const char *save_folder;
  int threads;                   /* for impasto_set_threads(); 0 all cores */
  guint64 max_bytes;             /* the memory budget: sizes that need more are painted in
                                  * tiles, a run that cannot fit even so is refused; 0 none */
  ImpastoColors colors;          /* luminance and histogram prepare the inputs; swap and
                                  * luminance give the shown and saved picture the photo's
                                  * chroma */
  const char *run_folder;        /* keep the run's history there (snapshots and run.ini, see
                                  * impasto-job-history.c); NULL: none */
  const char *run_info;          /* GKeyFile text written as the folder's run.ini, with the
                                  * newest snapshot added; NULL: only the snapshot */
  int max_snapshots;             /* at most this many kept; 0: IMPASTO_JOB_MAX_SNAPSHOTS */
  double snapshot_interval;      /* a snapshot at least this often, in seconds; 0:
                                  * IMPASTO_JOB_SNAPSHOT_INTERVAL_S (a test makes a long run's
                                  * history in a short one with a small value) */
  guint64 max_snapshot_bytes;    /* and at most this many bytes (the newest is always kept);
                                  * 0: IMPASTO_JOB_MAX_SNAPSHOT_BYTES */
  const char *resume_snapshot;   /* continue from this snapshot of a run of the same pictures
                                  * and settings instead of starting; NULL: start */
  int resume_iteration;          /* the iterations (at all sizes) it was taken after */
  ImpastoLosses resume_losses;   /* and its losses, shown until the next step */
  const ImpastoJobRecord *prior_records;  /* the history (impasto_job_get_history()) of the run
                                           * continued, copied: those before @resume_iteration
                                           * start this job's history, with params_serial 0
                                           * (not a serial of this job: its own start at 1), and
                                           * the snapshots it takes over get their scale and
                                           * loss from them; ignored without @resume_snapshot */
  guint n_prior_records;
} ImpastoJobSettings;

/* A snapshot the run has kept on disk: it continues the run after @iteration. */
typedef struct
{
  int iteration;                 /* steps at all sizes */
  int scale;                     /* the size step it was painting, 0-based on the ladder; -1
                                  * for one found in the folder of a continued run without a
                                  * prior record of @iteration */
  double loss;                   /* the total loss after @iteration; NAN for one found in the
                                  * folder of a continued run without a prior record */
  guint64 bytes;                 /* of the snapshot and its picture */
  char *path;
  char *picture;                 /* the picture after @iteration beside it, an RGB PNG at the
                                  * final size in the painted colours (`snapshot-000120.png`);
                                  * NULL when it has none */
} ImpastoJobSnapshot;

/* The bounds of a run's history on disk (impasto-job-history.c says why). */
#define IMPASTO_JOB_MAX_SNAPSHOTS 24
#define IMPASTO_JOB_MAX_SNAPSHOT_BYTES (G_GUINT64_CONSTANT (512) << 20)
#define IMPASTO_JOB_SNAPSHOT_INTERVAL_S 60

#define IMPASTO_TYPE_JOB (impasto_job_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoJob, impasto_job, IMPASTO, JOB, GObject)

/* @content and the paintings (1 .. IMPASTO_MAX_PAINTINGS) are referenced, not copied: a decoded
 * GdkPixbuf is never changed after loading, so the worker may read it while the main thread goes
 * on. */
ImpastoJob                  *impasto_job_new                (ImpastoModel             *model,
                                                             GdkPixbuf                *content,
                                                             const ImpastoJobPainting *paintings,
                                                             int                       n_paintings,
                                                             const ImpastoJobSettings *settings);
void                         impasto_job_run_async          (ImpastoJob          *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
/* FALSE with G_IO_ERROR_CANCELLED after impasto_job_stop(). */
gboolean                     impasto_job_run_finish         (ImpastoJob    *self,
                                                             GAsyncResult  *result,
                                                             GError       **error);
void                         impasto_job_stop               (ImpastoJob *self);
void                         impasto_job_set_paused         (ImpastoJob *self,
                                                             gboolean    paused);
/* Hands new live values to the worker; returns their serial (see ImpastoJobRecord). The caller
 * has validated them and checked that no layer is switched on that the run started without.
 * Values the run still cannot take (all of its paintings at weight 0) are refused by the worker
 * with a warning; it goes on with the values it had. */
guint                        impasto_job_set_params         (ImpastoJob                  *self,
                                                             const ImpastoSessionParams  *params);
/* How many iterations the worker had finished when the values with @serial were handed over
 * (-1 if there is no such serial): those values are used from the iteration after the one under
 * way at that moment, at the latest @return + 2. */
int                          impasto_job_get_params_set_at  (ImpastoJob *self,
                                                             guint       serial);
/* The newest values handed over (or the initial ones). */
void                         impasto_job_get_params         (ImpastoJob            *self,
                                                             ImpastoSessionParams  *params);
const ImpastoSessionParams  *impasto_job_get_initial_params (ImpastoJob *self);
/* The fixed part of the run (width, height and pixels are not filled in). */
const ImpastoSessionConfig  *impasto_job_get_config         (ImpastoJob *self);
void                         impasto_job_set_iterations     (ImpastoJob *self,
                                                             int         iterations);
int                          impasto_job_get_iterations     (ImpastoJob *self);
/* The sizes of the run's ladder, smallest first, and the size of the newest frame's picture. */
int                          impasto_job_get_n_scales       (ImpastoJob *self);
void                         impasto_job_get_scale_size     (ImpastoJob *self,
                                                             int         scale,
                                                             int        *width,
                                                             int        *height);
int                          impasto_job_get_scale          (ImpastoJob *self);
/* The tile grid the newest frame's size is painted in: 1 x 1 when whole (and before the first
 * frame). */
void                         impasto_job_get_tiles          (ImpastoJob *self,
                                                             int        *n_x,
                                                             int        *n_y);
/* The size the run stops at: n - 1, or lower for a preview. */
int                          impasto_job_get_last_scale     (ImpastoJob *self);
/* A preview stops at the largest size whose longest side is at most @side (0: paint the full
 * size). Lowering it below the size under way stops after that size. */
void                         impasto_job_set_preview_side   (ImpastoJob *self,
                                                             int         side);
/* The run stops below the final size. */
gboolean                     impasto_job_is_preview         (ImpastoJob *self);
/* Carries a preview on up the ladder from where it is, to the full size. */
void                         impasto_job_paint_full_size    (ImpastoJob *self);
/* How much of the planned work is done, 0 .. 1: each size's budget weighted by its pixels. */
double                       impasto_job_get_progress       (ImpastoJob *self);
int                          impasto_job_get_n_paintings    (ImpastoJob *self);
/* A new brush size for painting @index: the worker recomputes that painting's targets (one
 * forward pass over it) before its next iteration (a resting preview paints it at once; a paused
 * run on resuming); the other paintings' are kept. A size the engine refuses becomes a warning,
 * and the brush size reads back as the one in force. */
void                         impasto_job_set_painting_scale (ImpastoJob *self,
                                                             int         index,
                                                             double      scale);
double                       impasto_job_get_painting_scale (ImpastoJob *self,
                                                             int         index);
/* Any thread: forward passes the worker has run over paintings so far (a weight moved adds
 * none; a brush size adds one). */
int                          impasto_job_get_painting_passes (ImpastoJob *self);
/* Region @index (0 .. IMPASTO_MAX_REGIONS - 1) becomes @mask (@height rows of @width bytes,
 * 255 = in; copied; any size, the engine resamples it) for @painting (0-based among the job's
 * paintings, or IMPASTO_REGION_KEEP_PHOTO) with @weight (> 0), or none (@mask NULL). The worker
 * sets it between two iterations, without a restart: only that region's guides are recomputed,
 * no painting's targets. Set before the run starts, while it prepares or while it is paused, it
 * is in force from the next iteration painted; of several values handed over for one region
 * before the worker looks, the newest wins. A region the engine refuses becomes a warning, and
 * the run goes on with the regions it had. Regions in the settings' config are set so too. */
void                         impasto_job_set_region         (ImpastoJob   *self,
                                                             int           index,
                                                             const guint8 *mask,
                                                             int           width,
                                                             int           height,
                                                             int           painting,
                                                             double        weight);
/* Any thread: regions the worker has set on its run so far (each hand-over taken counts once;
 * one the engine refused does not). */
int                          impasto_job_get_region_sets    (ImpastoJob *self);
/* Whether @colors can replace the run's without new targets: between none and swap only. */
gboolean                     impasto_job_can_set_colors     (ImpastoJob    *self,
                                                             ImpastoColors  colors);
/* The shown picture (the texture, and what is saved from it) takes the photo's chroma or not,
 * at once, whatever the worker is doing; frames saved into a folder from now on likewise. */
void                         impasto_job_set_colors         (ImpastoJob    *self,
                                                             ImpastoColors  colors);
ImpastoColors                impasto_job_get_colors         (ImpastoJob *self);
void                         impasto_job_set_save_every     (ImpastoJob *self,
                                                             int         save_every,
                                                             const char *folder);
ImpastoJobState              impasto_job_get_state          (ImpastoJob *self);
gboolean                     impasto_job_is_active          (ImpastoJob *self);
/* The iteration (steps at all sizes) of the newest frame shown; -1 before the first. */
int                          impasto_job_get_iteration      (ImpastoJob *self);
/* Any thread: iterations the worker has finished, shown or not. */
int                          impasto_job_get_worker_iteration (ImpastoJob *self);
GdkTexture                  *impasto_job_get_texture        (ImpastoJob *self);
/* The frames kept for the run's animation (impasto-film.h): the worker offers each frame it
 * sends to the screen, in the colours shown; the run's last picture ends it. Any thread. */
ImpastoFilm                 *impasto_job_get_film           (ImpastoJob *self);
/* The newest frame's RGB8 rows at the final size, for saving; NULL before the first frame. */
GBytes                      *impasto_job_get_pixels         (ImpastoJob *self,
                                                             int        *width,
                                                             int        *height,
                                                             gsize      *stride);
const ImpastoLosses         *impasto_job_get_losses         (ImpastoJob *self);
double                       impasto_job_get_ms_per_iteration (ImpastoJob *self);
/* The rest of the size under way and the sizes above it up to the last one, at the time an
 * iteration takes now in proportion to their pixels: an upper bound, as a size may converge. */
double                       impasto_job_get_seconds_left   (ImpastoJob *self);
/* Every iteration delivered so far, in order (frames may be dropped, records never are). */
const ImpastoJobRecord      *impasto_job_get_history        (ImpastoJob *self,
                                                             guint      *n_records);
/* Any thread: the snapshots kept on disk so far, oldest first (an array of ImpastoJobSnapshot
 * that owns its paths; free it with g_array_unref()). Empty without a run folder. */
GArray                      *impasto_job_dup_snapshots      (ImpastoJob *self);
/* Main thread: the picture of @snapshot (one of impasto_job_dup_snapshots()) as the texture
 * would show it: at the final size, with the photo's chroma if the colours say so now. An error
 * when it has no picture or its file is unreadable or not the job's final size. */
GdkTexture                  *impasto_job_load_snapshot_texture (ImpastoJob                *self,
                                                                const ImpastoJobSnapshot  *snapshot,
                                                                GError                   **error);
/* Any thread: a new run folder @to_folder (made with its parents, 0700; an empty folder that
 * exists will do) holding the snapshots of @from_folder after at most @iteration iterations and
 * their pictures, hard links where the file system allows, else copies; nothing else (no
 * run.ini: a job continued from one of them in @to_folder takes them over, and writes run.ini
 * as soon as it has read its snapshot). A snapshot @from_folder's run drops meanwhile is left
 * out. On error nothing of what it made is left, and the message names the file. */
gboolean                     impasto_job_branch_run_folder  (const char  *from_folder,
                                                             const char  *to_folder,
                                                             int          iteration,
                                                             GError     **error);
/* Any thread: the name of the newest snapshot in @folder (the most iterations) and its
 * iteration in *@iteration, or NULL when it holds none. */
char                        *impasto_job_find_newest_snapshot (const char *folder,
                                                               int        *iteration);
/* Any thread: @records (in order of iteration) as the text file @path, written atomically: a
 * header line, then one line a record with its iteration, size step, width, height, α, β, TV
 * weight, learning rate, the four losses and the step's milliseconds, tab-separated, the
 * numbers with 17 significant digits so that they read back bit for bit. */
gboolean                     impasto_job_write_records      (const char              *path,
                                                             const ImpastoJobRecord  *records,
                                                             guint                    n_records,
                                                             GError                 **error);
/* Any thread: the records of such a file (an array of ImpastoJobRecord, params_serial 0), or
 * NULL with an error naming the line that is not one, or iterations out of order. */
GArray                      *impasto_job_read_records       (const char  *path,
                                                             GError     **error);
/* The iteration the run starts from: the snapshot's it continues, or 0. */
int                          impasto_job_get_start_iteration (ImpastoJob *self);
/* The run folder of the settings, or NULL. */
const char                  *impasto_job_get_run_folder     (ImpastoJob *self);
/* Main thread: the run is discarded: its folder and everything in it are removed, now and, if
 * the worker is still writing, as soon as it has written; no snapshot is written after. */
void                         impasto_job_delete_run_folder  (ImpastoJob *self);
/* Any thread: the values in force (α, β, the layers' and paintings' weights, ...) in the
 * snapshot at @path: what its run was painting with, changed live or not. FALSE (@error says
 * why) when it cannot be read or is no snapshot. */
gboolean                     impasto_job_read_snapshot_params (const char            *path,
                                                               ImpastoSessionParams  *params,
                                                               GError               **error);
/* Any thread: removes a run folder no job paints into (its files, then the folder); what is
 * already gone is no error. */
void                         impasto_job_remove_run_folder  (const char *folder);
/* Whether the worker would write a snapshot after @steps iterations, @seconds after the last
 * one: at 1, 2, 5, 10, 20, 50, ... and at least every IMPASTO_JOB_SNAPSHOT_INTERVAL_S. */
gboolean                     impasto_job_snapshot_due       (int    steps,
                                                             double seconds);
/* Of @iterations (increasing, @n of them, the first and last kept), the one to drop to keep a
 * spread: the one whose neighbours are closest together. -1 if @n < 3. */
int                          impasto_job_snapshot_to_drop   (const int *iterations,
                                                             int        n);
/* The folder runs are kept in: $XDG_CACHE_HOME/impasto/runs. */
char                        *impasto_job_dup_runs_folder    (void);

/* Frames that reached the main thread. */
guint                        impasto_job_get_n_frames       (ImpastoJob *self);
/* The frames' hand-over (for its counters). */
ImpastoLatestSlot           *impasto_job_get_frame_slot     (ImpastoJob *self);

G_END_DECLS
