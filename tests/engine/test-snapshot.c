/* test-snapshot.c
 *
 * Snapshots of a run on a tiny random VGG19: continuing from a snapshot taken after step k gives
 * the original run's steps k + 1 .. k + 5 bit for bit (losses, picture, counters), for Adam and
 * L-BFGS (a history small enough that its ring wraps), on a flat run and across a ladder's size
 * step (the snapshot taken just before and just after the advance), with paintings and a region,
 * and painted in tiles; a new beta given when continuing gives the steps of the original run with
 * that beta set live at that point; a damaged, cut-short, wrong-version, foreign or mismatched
 * snapshot is refused with a message and leaves the ladder as it was; random truncations and
 * byte changes are all refused, never read.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "impasto-ladder-snapshot.h"
#include "impasto-ladder.h"
#include "impasto-snapshot-format.h"
#include "impasto-threads.h"
#include "test-net.h"

/* 40 x 30: two sizes with min_side 16, 28 x 21 and 40 x 30. */
#define W 40
#define H 30
#define AFTER 5

typedef struct
{
  ImpastoWeights *weights;
  float *content;
  float *style;
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
  ImpastoLadderConfig ladder;
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->weights = test_net_new ();
  f->content = test_net_picture (W, H, 0.0);
  f->style = test_net_picture (W, H, 2.5);
  impasto_session_config_init_default (&f->config);
  impasto_session_params_init_default (&f->params);
  impasto_ladder_config_init_default (&f->ladder);
  f->config.width = W;
  f->config.height = H;
  f->config.content_rgb = f->content;
  f->config.style_rgb = f->style;
  f->config.seed = 11;
  f->config.lbfgs_history = 3;
  f->ladder.min_side = 16;
  f->ladder.iterations = 20;
  f->ladder.middle_iterations = 20;
  f->ladder.first_iterations = 4;
  f->ladder.window = 3;
  f->ladder.tolerance = 1e-12;
  f->dir = g_dir_make_tmp ("impasto-snapshot-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "run.snapshot", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  impasto_weights_free (f->weights);
  g_free (f->content);
  g_free (f->style);
}

static ImpastoLadder *
new_ladder (Fixture *f)
{
  ImpastoLadder *ladder = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_ladder_new (&ladder, f->weights, &f->ladder, &f->config, &f->params, NULL, NULL,
                          &error) != IMPASTO_STATUS_OK)
    g_error ("ladder: %s", error.message);
  return ladder;
}

static void
step (ImpastoLadder *ladder, ImpastoLosses *losses)
{
  ImpastoEngineError error = { 0 };

  if (impasto_ladder_step (ladder, losses, &error) != IMPASTO_STATUS_OK)
    g_error ("step: %s", error.message);
}

static void
advance (ImpastoLadder *ladder)
{
  ImpastoEngineError error = { 0 };

  g_assert_true (impasto_ladder_size_done (ladder));
  if (impasto_ladder_advance (ladder, &error) != IMPASTO_STATUS_OK)
    g_error ("advance: %s", error.message);
}

/* Where a ladder is, after one of the steps that are compared. */
typedef struct
{
  ImpastoLosses losses;
  int scale;
  int size_steps;
  int budget_steps;
  bool size_done;
  int iteration;
  float rgb[W * H * 3];
} Point;

static void
record (ImpastoLadder *ladder, const ImpastoLosses *losses, Point *point)
{
  memset (point, 0, sizeof *point);
  point->losses = *losses;
  point->scale = impasto_ladder_get_scale (ladder);
  point->size_steps = impasto_ladder_get_size_steps (ladder);
  point->budget_steps = impasto_ladder_get_budget_steps (ladder);
  point->size_done = impasto_ladder_size_done (ladder);
  point->iteration = impasto_session_get_iteration (impasto_ladder_get_session (ladder));
  impasto_ladder_copy_rgb (ladder, point->rgb);
}

static void
assert_same_point (const Point *a, const Point *b)
{
  g_assert_cmpfloat (a->losses.total, ==, b->losses.total);
  g_assert_cmpfloat (a->losses.content, ==, b->losses.content);
  g_assert_cmpfloat (a->losses.style, ==, b->losses.style);
  g_assert_cmpfloat (a->losses.tv_term, ==, b->losses.tv_term);
  g_assert_cmpint (a->scale, ==, b->scale);
  g_assert_cmpint (a->size_steps, ==, b->size_steps);
  g_assert_cmpint (a->budget_steps, ==, b->budget_steps);
  g_assert_cmpint (a->size_done, ==, b->size_done);
  g_assert_cmpint (a->iteration, ==, b->iteration);
  g_assert_cmpmem (a->rgb, sizeof a->rgb, b->rgb, sizeof b->rgb);
}

typedef struct
{
  ImpastoOptimizer optimizer;
  int max_sizes;        /* 1: the flat run */
  int before;           /* steps before the snapshot (at the smallest size) */
  bool advance_before;  /* the snapshot is taken just after the advance */
  bool advance_after;   /* ... just before it */
  bool branch;          /* continued with another beta */
  double tolerance;     /* 0: the fixture's, which never stops a size */
  bool renew;           /* the budget renewed after the first step */
} Case;

/* The steps after the snapshot: the advance if the case has one, then AFTER steps. */
static void
continue_run (ImpastoLadder *ladder, const Case *c, Point *points)
{
  ImpastoLosses losses;

  if (c->advance_after)
    advance (ladder);
  for (int i = 0; i < AFTER; i++)
    {
      step (ladder, &losses);
      record (ladder, &losses, &points[i]);
    }
}

static void
test_continue (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autofree Point *original = g_new0 (Point, AFTER);
  g_autofree Point *continued = g_new0 (Point, AFTER);
  g_autofree Point *unchanged = g_new0 (Point, AFTER);
  ImpastoSessionParams branch = f->params;
  ImpastoEngineError error = { 0 };
  ImpastoLadder *ladder;
  ImpastoLosses losses;

  f->config.optimizer = c->optimizer;
  f->ladder.max_sizes = c->max_sizes;
  if (c->tolerance > 0.0)
    f->ladder.tolerance = c->tolerance;
  branch.beta *= 3.0;

  /* The original run, with the snapshot taken on the way. */
  ladder = new_ladder (f);
  g_assert_cmpint (impasto_ladder_get_n_sizes (ladder), ==, c->max_sizes == 1 ? 1 : 2);
  for (int i = 0; i < c->before; i++)
    {
      step (ladder, &losses);
      if (i == 0 && c->renew)
        impasto_ladder_renew_budget (ladder);
    }
  if (c->advance_before)
    advance (ladder);
  g_assert_cmpint (impasto_ladder_snapshot_write (ladder, f->path, &error), ==,
                   IMPASTO_STATUS_OK);
  if (c->branch)
    g_assert_cmpint (impasto_ladder_set_params (ladder, &branch, &error), ==, IMPASTO_STATUS_OK);
  continue_run (ladder, c, original);
  impasto_ladder_free (ladder);

  /* A new ladder from the same inputs, continued from the snapshot. */
  ladder = new_ladder (f);
  g_assert_cmpint (impasto_ladder_snapshot_read (ladder, f->path, c->branch ? &branch : NULL,
                                                 &error), ==, IMPASTO_STATUS_OK);
  continue_run (ladder, c, continued);
  impasto_ladder_free (ladder);
  for (int i = 0; i < AFTER; i++)
    assert_same_point (&original[i], &continued[i]);
  /* Converged early, not at the end of the budget. */
  if (c->tolerance > 0.0)
    g_assert_true (original[AFTER - 1].size_done
                   && original[AFTER - 1].budget_steps < f->ladder.iterations);

  if (c->branch)
    {
      /* The new beta did change the run: continued without it, the first step differs. */
      ladder = new_ladder (f);
      g_assert_cmpint (impasto_ladder_snapshot_read (ladder, f->path, NULL, &error), ==,
                       IMPASTO_STATUS_OK);
      continue_run (ladder, c, unchanged);
      impasto_ladder_free (ladder);
      g_assert_cmpfloat (unchanged[0].losses.total, !=, continued[0].losses.total);
    }
}

static void
write_bytes (const char *path, const void *bytes, size_t size)
{
  g_assert_true (g_file_set_contents (path, bytes, (gssize) size, NULL));
}

/* The snapshot's size: a header, each array padded to 64 bytes, and the floats (48 bytes a pixel
 * with Adam, 24 (1 + pairs) with L-BFGS), within the bound the format states. */
static void
test_size (Fixture *f, gconstpointer data)
{
  for (int pass = 0; pass < 2; pass++)
    {
      ImpastoEngineError error = { 0 };
      ImpastoSnapshot *snapshot = g_new0 (ImpastoSnapshot, 1);
      ImpastoLadder *ladder;
      ImpastoLosses losses;
      g_autofree char *bytes = NULL;
      gsize size;
      size_t pixels = (size_t) W * H, array = pixels * 3 * sizeof (float), pairs, expected;

      f->config.optimizer = pass == 0 ? IMPASTO_OPTIMIZER_ADAM : IMPASTO_OPTIMIZER_LBFGS;
      f->ladder.max_sizes = 1;
      ladder = new_ladder (f);
      for (int i = 0; i < 6; i++)
        step (ladder, &losses);
      g_assert_cmpint (impasto_ladder_snapshot_write (ladder, f->path, &error), ==,
                       IMPASTO_STATUS_OK);
      g_assert_true (g_file_get_contents (f->path, &bytes, &size, NULL));
      g_assert_cmpint (impasto_snapshot_parse (snapshot, bytes, size, "run", &error), ==,
                       IMPASTO_STATUS_OK);
      pairs = (size_t) snapshot->n_pairs;
      g_assert_cmpuint (pairs, <=, pass == 0 ? 0 : 3);

      /* The header alone gives the same numbers and no arrays; a cut file is refused by it. */
      {
        ImpastoSnapshot *header = g_new0 (ImpastoSnapshot, 1);
        g_autofree char *cut = g_build_filename (f->dir, "cut.snapshot", NULL);

        g_assert_cmpint (impasto_snapshot_load_header (header, f->path, &error), ==,
                         IMPASTO_STATUS_OK);
        g_assert_cmpint (header->iteration, ==, snapshot->iteration);
        g_assert_cmpint (header->steps, ==, snapshot->steps);
        g_assert_cmpint (header->n_pairs, ==, snapshot->n_pairs);
        g_assert_cmpmem (&header->params, sizeof header->params, &snapshot->params,
                         sizeof snapshot->params);
        g_assert_null (header->x);
        write_bytes (cut, bytes, size - 1);
        g_assert_cmpint (impasto_snapshot_load_header (header, cut, &error), ==,
                         IMPASTO_STATUS_INVALID_ARGUMENT);
        g_assert_nonnull (strstr (error.message, "cut short"));
        g_unlink (cut);
        g_free (header);
      }
      if (pass == 1)
        g_assert_cmpuint (pairs, >, 0);
      /* 40 × 30 × 3 floats are a multiple of 64 bytes: no padding after them. */
      expected = IMPASTO_SNAPSHOT_HEADER_SIZE + (pass == 0 ? 4 : 2 + 2 * pairs) * array
                 + (pairs * 8 + 63) / 64 * 64 + ((size_t) f->ladder.window + 1) * 8 / 64 * 64
                 + 64 * (((size_t) f->ladder.window + 1) * 8 % 64 != 0);
      g_assert_cmpuint (size, ==, expected);
      g_assert_cmpuint (size, <=, IMPASTO_SNAPSHOT_HEADER_SIZE + 63 * (6 + 2 * pairs)
                                  + 8 * (f->ladder.window + 1 + pairs)
                                  + (pass == 0 ? 48 : 24 * (1 + pairs)) * pixels);
      impasto_ladder_free (ladder);
      g_free (snapshot);
    }
}

static char *
read_snapshot (Fixture *f, size_t *size)
{
  char *bytes = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (f->path, &bytes, &length, NULL));
  *size = length;
  return bytes;
}

/* A new ladder refuses the snapshot at @path with a message containing @words, and is then as a
 * new ladder: at the smallest size, no steps, the same first step as another new one. */
static void
assert_refused (Fixture *f, const char *path, const char *words, ImpastoStatus expected)
{
  ImpastoEngineError error = { 0 };
  ImpastoLadder *ladder = new_ladder (f);
  ImpastoLadder *fresh = new_ladder (f);
  ImpastoLosses a, b;
  g_autofree float *x = g_new (float, W * H * 3);
  g_autofree float *y = g_new (float, W * H * 3);
  int width, height;

  g_assert_cmpint (impasto_ladder_snapshot_read (ladder, path, NULL, &error), ==, expected);
  if (strstr (error.message, words) == NULL)
    g_error ("expected a message with \"%s\", got \"%s\"", words, error.message);
  g_assert_cmpint (impasto_ladder_get_scale (ladder), ==, 0);
  g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 0);
  step (ladder, &a);
  step (fresh, &b);
  g_assert_cmpfloat (a.total, ==, b.total);
  impasto_ladder_copy_rgb (ladder, x);
  impasto_ladder_copy_rgb (fresh, y);
  /* The ladder's own size, which a mismatched fixture may make smaller than W × H. */
  impasto_ladder_get_size (ladder, 0, &width, &height);
  g_assert_cmpmem (x, (size_t) width * height * 3 * sizeof (float), y,
                   (size_t) width * height * 3 * sizeof (float));
  impasto_ladder_free (ladder);
  impasto_ladder_free (fresh);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  ImpastoEngineError error = { 0 };
  ImpastoLadder *ladder;
  ImpastoLosses losses;
  g_autofree char *bytes = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.snapshot", NULL);
  size_t size;
  uint32_t version = IMPASTO_SNAPSHOT_VERSION + 1;

  f->config.optimizer = IMPASTO_OPTIMIZER_LBFGS;
  f->ladder.max_sizes = 1;
  ladder = new_ladder (f);
  for (int i = 0; i < 3; i++)
    step (ladder, &losses);
  g_assert_cmpint (impasto_ladder_snapshot_write (ladder, f->path, &error), ==,
                   IMPASTO_STATUS_OK);
  /* Written atomically: nothing but the snapshot in the folder, also after writing it again. */
  g_assert_cmpint (impasto_ladder_snapshot_write (ladder, f->path, &error), ==,
                   IMPASTO_STATUS_OK);
  {
    g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);

    g_assert_cmpstr (g_dir_read_name (dir), ==, "run.snapshot");
    g_assert_null (g_dir_read_name (dir));
  }
  impasto_ladder_free (ladder);
  bytes = read_snapshot (f, &size);

  /* Missing, not a snapshot, cut short, another version, damaged header or payload. */
  assert_refused (f, other, "cannot open", IMPASTO_STATUS_IO);
  write_bytes (other, "P6\n40 30\n255\n", 13);
  assert_refused (f, other, "not an Impasto snapshot", IMPASTO_STATUS_INVALID_ARGUMENT);
  write_bytes (other, bytes, 1000);
  assert_refused (f, other, "cut short", IMPASTO_STATUS_INVALID_ARGUMENT);
  write_bytes (other, bytes, size - 4);
  assert_refused (f, other, "cut short", IMPASTO_STATUS_INVALID_ARGUMENT);
  {
    g_autofree char *copy = g_memdup2 (bytes, size);

    memcpy (copy + IMPASTO_SNAPSHOT_MAGIC_SIZE, &version, sizeof version);
    write_bytes (other, copy, size);
    assert_refused (f, other, "format version 2", IMPASTO_STATUS_INVALID_ARGUMENT);
    memcpy (copy, bytes, size);
    copy[100] ^= 1;
    write_bytes (other, copy, size);
    assert_refused (f, other, "damaged", IMPASTO_STATUS_INVALID_ARGUMENT);
    memcpy (copy, bytes, size);
    copy[size - 100] ^= 0x40;
    write_bytes (other, copy, size);
    assert_refused (f, other, "damaged", IMPASTO_STATUS_INVALID_ARGUMENT);
  }

  /* Another run: other pictures, optimiser, size, model, convergence window. */
  f->content[7] += 1.0f;
  assert_refused (f, f->path, "other pictures", IMPASTO_STATUS_INVALID_ARGUMENT);
  f->content[7] -= 1.0f;
  f->config.optimizer = IMPASTO_OPTIMIZER_ADAM;
  assert_refused (f, f->path, "taken with L-BFGS, this run uses Adam",
                  IMPASTO_STATUS_INVALID_ARGUMENT);
  f->config.optimizer = IMPASTO_OPTIMIZER_LBFGS;
  f->config.lbfgs_history = 5;
  assert_refused (f, f->path, "history of 3", IMPASTO_STATUS_INVALID_ARGUMENT);
  f->config.lbfgs_history = 3;
  f->ladder.window = 4;
  assert_refused (f, f->path, "convergence", IMPASTO_STATUS_INVALID_ARGUMENT);
  f->ladder.window = 3;
  f->config.width = W - 8;
  assert_refused (f, f->path, "40×30 picture", IMPASTO_STATUS_INVALID_ARGUMENT);
  f->config.width = W;
  {
    ImpastoWeights *mine = f->weights;

    f->weights = test_net_new ();
    assert_refused (f, f->path, "another model", IMPASTO_STATUS_INVALID_ARGUMENT);
    impasto_weights_free (f->weights);
    f->weights = mine;
  }

  /* A branch that needs new targets is refused as it is live. */
  {
    ImpastoSessionParams on = f->params;

    on.style_layers[1] = 0.2f;
    ladder = new_ladder (f);
    g_assert_cmpint (impasto_ladder_snapshot_read (ladder, f->path, &on, &error), ==,
                     IMPASTO_STATUS_NEEDS_RESTART);
    g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 0);
    /* And the snapshot itself is still good. */
    g_assert_cmpint (impasto_ladder_snapshot_read (ladder, f->path, NULL, &error), ==,
                     IMPASTO_STATUS_OK);
    g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 3);
    impasto_ladder_free (ladder);
  }
}

/* Climbs to the final size (a step at each size below), steps @before, snapshots, then @after
 * steps; a new ladder continued from the snapshot must give the same @after steps, bit for bit.
 * For the configurations test_continue() does not vary. */
static void
assert_continues (Fixture *f, int before, int after)
{
  ImpastoEngineError error = { 0 };
  ImpastoLadder *ladder;
  ImpastoLosses losses;
  int width, height;
  size_t n;
  g_autofree ImpastoLosses *original = g_new0 (ImpastoLosses, after);
  g_autofree float *pictures = NULL;
  g_autofree float *rgb = NULL;

  ladder = new_ladder (f);
  impasto_ladder_get_size (ladder, impasto_ladder_get_n_sizes (ladder) - 1, &width, &height);
  n = (size_t) width * height * 3;
  pictures = g_new (float, n * after);
  rgb = g_new (float, n);
  while (impasto_ladder_get_scale (ladder) < impasto_ladder_get_n_sizes (ladder) - 1)
    {
      step (ladder, &losses);
      advance (ladder);
    }
  for (int i = 0; i < before; i++)
    step (ladder, &losses);
  g_assert_cmpint (impasto_ladder_snapshot_write (ladder, f->path, &error), ==,
                   IMPASTO_STATUS_OK);
  for (int i = 0; i < after; i++)
    {
      step (ladder, &original[i]);
      impasto_ladder_copy_rgb (ladder, pictures + i * n);
    }
  impasto_ladder_free (ladder);

  ladder = new_ladder (f);
  g_assert_cmpint (impasto_ladder_snapshot_read (ladder, f->path, NULL, &error), ==,
                   IMPASTO_STATUS_OK);
  for (int i = 0; i < after; i++)
    {
      step (ladder, &losses);
      impasto_ladder_copy_rgb (ladder, rgb);
      g_assert_cmpfloat (losses.total, ==, original[i].total);
      g_assert_cmpfloat (losses.style, ==, original[i].style);
      g_assert_cmpmem (rgb, n * sizeof (float), pictures + i * n, n * sizeof (float));
    }
  impasto_ladder_free (ladder);
}

/* Two paintings (another brush size, unequal weights) and a region: continued bit for bit; a
 * brush size or a mask that is not the snapshot's is refused. */
static void
test_paintings_and_regions (Fixture *f, gconstpointer data)
{
  g_autofree float *second = test_net_picture (24, 20, 1.0);
  g_autofree float *mask = g_new0 (float, W * H);
  ImpastoPainting paintings[2] = {
    { f->style, W, H, 1.0, false },
    { second, 24, 20, 0.8, false },
  };
  ImpastoRegion region = { mask, W, H, 1, 2.0 };

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W / 2; x++)
      mask[y * W + x] = 1.0f;
  f->config.style_rgb = NULL;
  f->config.paintings = paintings;
  f->config.n_paintings = 2;
  f->config.regions = &region;
  f->config.n_regions = 1;
  f->params.painting_weights[0] = 0.7f;
  f->params.painting_weights[1] = 0.3f;
  f->ladder.max_sizes = 1;
  assert_continues (f, 3, AFTER);

  paintings[1].scale = 0.9;
  assert_refused (f, f->path, "other pictures", IMPASTO_STATUS_INVALID_ARGUMENT);
  paintings[1].scale = 0.8;
  mask[W - 1] = 0.5f;
  assert_refused (f, f->path, "other pictures", IMPASTO_STATUS_INVALID_ARGUMENT);
}

/* A picture painted in tiles (its final size, under a memory budget): continued bit for bit. */
static void
test_tiles (Fixture *f, gconstpointer data)
{
  const int width = 400, height = 330;
  g_autofree float *content = test_net_picture (width, height, 0.0);
  g_autofree float *style = test_net_picture (width, height, 2.5);
  g_autofree float *small = test_net_picture (200, 160, 1.0);
  /* Two paintings, as test-session-tiles.c: with one, a budget a byte short of the whole plan
   * leaves no room for tiles either. */
  ImpastoPainting paintings[2] = {
    { style, width, height, 1.0, false },
    { small, 200, 160, 1.0, false },
  };

  f->config.width = width;
  f->config.height = height;
  f->config.content_rgb = content;
  f->config.style_rgb = NULL;
  f->config.paintings = paintings;
  f->config.n_paintings = 2;
  f->ladder.min_side = 100;
  f->ladder.first_iterations = 1;
  f->ladder.middle_iterations = 1;
  for (int pass = 0; pass < 2; pass++)
    {
      ImpastoLadder *ladder;
      int n_x, n_y;

      f->config.optimizer = pass == 0 ? IMPASTO_OPTIMIZER_ADAM : IMPASTO_OPTIMIZER_LBFGS;
      /* As test-session-tiles.c: a budget the final size fits only in tiles. */
      f->ladder.max_bytes = 0;
      f->ladder.max_bytes = impasto_ladder_estimate_bytes (f->weights, &f->ladder, &f->config,
                                                           &f->params) - 1;
      assert_continues (f, 2, 3);
      ladder = new_ladder (f);
      g_assert_cmpint (impasto_ladder_snapshot_read (ladder, f->path, NULL, NULL), ==,
                       IMPASTO_STATUS_OK);
      impasto_ladder_get_tiles (ladder, &n_x, &n_y);
      g_assert_cmpint (n_x * n_y, >, 1);
      impasto_ladder_free (ladder);
    }
}

/* Every truncation and every changed byte is refused with a message; none is read. */
static void
test_fuzz (Fixture *f, gconstpointer data)
{
  ImpastoEngineError error = { 0 };
  ImpastoLadder *ladder;
  ImpastoLosses losses;
  ImpastoSnapshot *snapshot = g_new0 (ImpastoSnapshot, 1);
  g_autofree char *bytes = NULL;
  g_autofree char *other = g_build_filename (f->dir, "cut.snapshot", NULL);
  size_t size;

  f->config.optimizer = GPOINTER_TO_INT (data);
  f->ladder.max_sizes = 1;
  ladder = new_ladder (f);
  for (int i = 0; i < 4; i++)
    step (ladder, &losses);
  g_assert_cmpint (impasto_ladder_snapshot_write (ladder, f->path, &error), ==,
                   IMPASTO_STATUS_OK);
  bytes = read_snapshot (f, &size);
  g_assert_cmpint (impasto_snapshot_parse (snapshot, bytes, size, "run", &error), ==,
                   IMPASTO_STATUS_OK);

  for (int i = 0; i < 400; i++)
    {
      /* g_malloc's alignment, as the reader's. */
      size_t cut = (size_t) g_test_rand_int_range (0, (gint32) size);
      g_autofree char *copy = g_memdup2 (bytes, cut > 0 ? cut : 1);

      error.message[0] = '\0';
      g_assert_cmpint (impasto_snapshot_parse (snapshot, copy, cut, "run", &error), ==,
                       IMPASTO_STATUS_INVALID_ARGUMENT);
      g_assert_cmpuint (strlen (error.message), >, 0);
    }
  for (int i = 0; i < 400; i++)
    {
      g_autofree char *copy = g_memdup2 (bytes, size);
      /* Half of the changes in the header, where the fields are. */
      size_t at = i % 2 == 0 ? (size_t) g_test_rand_int_range (0, IMPASTO_SNAPSHOT_HEADER_SIZE)
                             : (size_t) g_test_rand_int_range (0, (gint32) size);

      copy[at] ^= (char) g_test_rand_int_range (1, 256);
      error.message[0] = '\0';
      g_assert_cmpint (impasto_snapshot_parse (snapshot, copy, size, "run", &error), ==,
                       IMPASTO_STATUS_INVALID_ARGUMENT);
      g_assert_cmpuint (strlen (error.message), >, 0);
    }
  /* Through the file reader too, a few cuts: refused, the ladder unchanged. */
  for (int i = 0; i < 8; i++)
    {
      size_t cut = (size_t) g_test_rand_int_range (0, (gint32) size);

      write_bytes (other, bytes, cut);
      g_assert_cmpint (impasto_ladder_snapshot_read (ladder, other, NULL, &error), ==,
                       IMPASTO_STATUS_INVALID_ARGUMENT);
      g_assert_cmpint (impasto_ladder_get_size_steps (ladder), ==, 4);
    }
  impasto_ladder_free (ladder);
  g_free (snapshot);
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

static const Case flat_adam = { IMPASTO_OPTIMIZER_ADAM, 1, 3, false, false, false, 0.0, true };
/* 7 steps: with a history of 3 its ring has wrapped, the newest pair is not in the last slot. */
static const Case flat_lbfgs = { IMPASTO_OPTIMIZER_LBFGS, 1, 7, false, false, false };
/* Tolerance 1: the size counts as converged a window after its first image, after the
 * snapshot, from the losses it had recorded before it. */
static const Case converging = { IMPASTO_OPTIMIZER_ADAM, 1, 1, false, false, false, 1.0 };
static const Case before_adam = { IMPASTO_OPTIMIZER_ADAM, IMPASTO_LADDER_MAX_SIZES, 4, false,
                                  true, false };
static const Case before_lbfgs = { IMPASTO_OPTIMIZER_LBFGS, IMPASTO_LADDER_MAX_SIZES, 4, false,
                                   true, false };
static const Case after_adam = { IMPASTO_OPTIMIZER_ADAM, IMPASTO_LADDER_MAX_SIZES, 4, true,
                                 false, false };
static const Case after_lbfgs = { IMPASTO_OPTIMIZER_LBFGS, IMPASTO_LADDER_MAX_SIZES, 4, true,
                                  false, false };
static const Case branch_adam = { IMPASTO_OPTIMIZER_ADAM, 1, 3, false, false, true };
/* The branch measures convergence afresh, as a live change does. */
static const Case branch_converging = { IMPASTO_OPTIMIZER_ADAM, 1, 1, false, false, true, 1.0 };
static const Case branch_lbfgs = { IMPASTO_OPTIMIZER_LBFGS, 1, 7, false, false, true };
static const Case branch_after_lbfgs = { IMPASTO_OPTIMIZER_LBFGS, IMPASTO_LADDER_MAX_SIZES, 4,
                                         true, false, true };

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  ADD ("/snapshot/continue/flat/adam", test_continue, &flat_adam);
  ADD ("/snapshot/continue/flat/lbfgs", test_continue, &flat_lbfgs);
  ADD ("/snapshot/continue/converging", test_continue, &converging);
  ADD ("/snapshot/continue/before-advance/adam", test_continue, &before_adam);
  ADD ("/snapshot/continue/before-advance/lbfgs", test_continue, &before_lbfgs);
  ADD ("/snapshot/continue/after-advance/adam", test_continue, &after_adam);
  ADD ("/snapshot/continue/after-advance/lbfgs", test_continue, &after_lbfgs);
  ADD ("/snapshot/branch/flat/adam", test_continue, &branch_adam);
  ADD ("/snapshot/branch/converging", test_continue, &branch_converging);
  ADD ("/snapshot/branch/flat/lbfgs", test_continue, &branch_lbfgs);
  ADD ("/snapshot/branch/after-advance/lbfgs", test_continue, &branch_after_lbfgs);
  ADD ("/snapshot/paintings-and-regions", test_paintings_and_regions, NULL);
  ADD ("/snapshot/tiles", test_tiles, NULL);
  ADD ("/snapshot/size", test_size, NULL);
  ADD ("/snapshot/refused", test_refused, NULL);
  ADD ("/snapshot/fuzz/adam", test_fuzz, GINT_TO_POINTER (IMPASTO_OPTIMIZER_ADAM));
  ADD ("/snapshot/fuzz/lbfgs", test_fuzz, GINT_TO_POINTER (IMPASTO_OPTIMIZER_LBFGS));
  return g_test_run ();
}
