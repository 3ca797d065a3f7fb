/* impasto-job-private.h
 *
 * What the job's two files share: the job's fields (impasto-job.c is the object and its main
 * thread, impasto-job-worker.c the GTask thread that paints), and the worker's entry point. See
 * impasto-job.c for which thread touches which field.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "impasto-job.h"
#include "impasto-ladder.h"
#include "impasto-film.h"
#include "impasto-params-handoff.h"

G_BEGIN_DECLS

/* A region handed over to the worker and not yet taken: a mask, or none (@mask NULL). */
typedef struct
{
  float *mask;                   /* (height, width), 0..1 */
  int width;
  int height;
  int painting;                  /* the job's painting, or IMPASTO_REGION_KEEP_PHOTO */
  double weight;
} ImpastoJobRegion;

struct _ImpastoJob
{
  GObject parent_instance;

  /* Fixed at creation; the worker reads them. */
  ImpastoModel *model;
  GdkPixbuf *content;
  GdkPixbuf *paintings[IMPASTO_MAX_PAINTINGS];
  int n_paintings;
  ImpastoColors run_colors;      /* what the targets were prepared for */
  ImpastoSessionParams initial_params;
  ImpastoSessionConfig config;
  int size;
  int threads;
  int n_scales;                  /* the ladder's sizes, smallest first, as the worker plans them */
  int widths[IMPASTO_LADDER_MAX_SIZES];
  int heights[IMPASTO_LADDER_MAX_SIZES];
  ImpastoLadderConfig ladder_config;   /* min side, sizes, tolerance; the worker's budgets come
                                        * from @iterations */

  /* Shared with the worker. */
  ImpastoParamsHandoff handoff;
  ImpastoLatestSlot *slot;       /* of ImpastoFrame, with ImpastoJobRecord records */
  GCancellable *cancellable;
  GMutex run_mutex;
  GCond run_cond;
  gboolean paused;               /* guarded by @run_mutex */
  int save_every;                /* guarded by @run_mutex */
  char *save_folder;             /* guarded by @run_mutex */
  int iterations;                /* atomic */
  int worker_iteration;          /* atomic */
  int last_scale;                /* atomic: the size to stop at */
  guint pokes;                   /* guarded by @run_mutex: a change a resting worker looks at */
  double brush_sizes[IMPASTO_MAX_PAINTINGS];  /* guarded by @run_mutex */
  guint brush_changes;           /* guarded by @run_mutex: a bit per painting to redo */
  int painting_passes;           /* atomic: forward passes over paintings so far */
  ImpastoJobRegion regions[IMPASTO_MAX_REGIONS];  /* guarded by @run_mutex: the newest of each
                                                   * region not yet taken */
  guint region_changes;          /* guarded by @run_mutex: a bit per region to set */
  int region_sets;               /* atomic: regions the worker has set on its ladder */
  int colors;                    /* atomic ImpastoColors: what the shown and saved pictures take */
  ImpastoFilm *film;             /* the frames kept for the animation; thread-safe itself */

  /* Main thread. */
  ImpastoJobState state;
  gboolean prepared;             /* the first frame arrived */
  gboolean started;
  GdkTexture *texture;
  GBytes *pixels;                /* as shown: @plain, with the photo's chroma if @colors says so */
  GBytes *plain;                 /* the painted picture as the worker sent it */
  GBytes *photo;                 /* the photo at the picture's size, RGB rows of width × 3 */
  int width;
  int height;
  gsize stride;
  int iteration;
  ImpastoLadderConfig plan_config;     /* @ladder_config with the budgets of @iterations, for
                                        * progress and time left */
  int scale;                     /* of the newest frame */
  int budget_steps;              /* its steps against that size's budget */
  int tiles_x;                   /* its tile grid: 1 x 1 when painted whole */
  int tiles_y;
  gboolean resting;              /* the newest frame is a finished preview's */
  ImpastoLosses losses;
  double ms_per_iteration;
  char *warning;
  GArray *history;               /* of ImpastoJobRecord */
  GArray *set_at;                /* [serial - 1]: worker iterations done at hand-over */
  guint n_frames;

  /* The run's history on disk (impasto-job-history.c). Fixed at creation: */
  char *run_folder;              /* NULL: none */
  GKeyFile *run_info;            /* then the worker's only */
  int max_snapshots;
  guint64 max_snapshot_bytes;
  char *resume_snapshot;
  int resume_iteration;
  ImpastoLosses resume_losses;
  /* Guarded by @history_mutex: */
  GMutex history_mutex;
  GArray *snapshots;             /* of ImpastoJobSnapshot, oldest first */
  gboolean discarded;            /* the folder is deleted; write nothing more */
  /* The worker's: */
  gint64 last_snapshot;          /* monotonic µs; 0 none */
  double snapshot_interval;      /* seconds: at least this often */
  gboolean snapshot_failed;      /* said once */
  gboolean picture_failed;       /* a snapshot's picture could not be written: said once */
};

/* Worker: whether a snapshot is due after @steps iterations (or, if @force, whether the newest
 * is not of @steps already). Allocates nothing: called after every iteration. */
gboolean _impasto_job_history_due (ImpastoJob *self,
                                   int         steps,
                                   gboolean    force);
/* Worker: writes a snapshot of @ladder after @steps iterations (with @losses) into the run folder
 * with its picture @rgb (the final size, @width × @height, rows of @width × 3 bytes; NULL: none
 * could be made), keeps the history within its bounds and rewrites run.ini. A failure becomes a
 * warning in *@warning, once. */
void _impasto_job_history_write (ImpastoJob          *self,
                                 ImpastoLadder       *ladder,
                                 int                  steps,
                                 const ImpastoLosses *losses,
                                 const guint8        *rgb,
                                 int                  width,
                                 int                  height,
                                 char               **warning);
/* Worker, once it has continued from the snapshot of the settings: if that snapshot is in the
 * run folder, run.ini names it at once (a branched folder has none until then), so that the run
 * can be restored before it writes a snapshot of its own. */
void _impasto_job_history_resumed (ImpastoJob     *self,
                                   ImpastoLadder  *ladder,
                                   char          **warning);
/* Worker, at its end: removes what it wrote if the run was discarded meanwhile. */
void _impasto_job_history_finish (ImpastoJob *self);
void _impasto_job_history_init (ImpastoJob *self);
/* Main thread, at creation: a continued run takes over the snapshots already in its folder (up
 * to where it continues) with their pictures, so that the bounds count them; their scale and loss
 * come from the record of their iteration among @records (in order of iteration), if any. */
void _impasto_job_history_adopt (ImpastoJob             *self,
                                 const ImpastoJobRecord *records,
                                 guint                   n_records);
void _impasto_job_history_clear (ImpastoJob *self);

/* The GTask thread function of a run: prepares the ladder and paints until the last size is
 * done, the run is stopped or fails (impasto_job_run_async() starts it). */
void _impasto_job_worker (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable);

G_END_DECLS
