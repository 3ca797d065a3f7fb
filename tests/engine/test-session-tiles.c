/* test-session-tiles.c
 *
 * Sessions and ladders painted in tiles, on a tiny random VGG19: a session in tiles follows the
 * whole session's trajectory (its painting seen at the picture's size is tiled too, a smaller one
 * fits one window); the window picked from a budget is whole when everything fits, the largest
 * that fits otherwise, and a budget too small even for tiles is refused with the estimate; a
 * ladder under a budget paints its small sizes whole and its final size in tiles, within the
 * budget it estimates, the final size with the largest window that fits beside the size below at
 * that one's smallest; regions that would need tiles are refused.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "impasto-ladder-windows.h"
#include "impasto-ladder.h"
#include "impasto-session-private.h"
#include "impasto-session.h"
#include "impasto-tile-grid.h"
#include "test-net.h"

#define W 400
#define H 330
#define STEPS 4

typedef struct
{
  ImpastoWeights *weights;
  float *content;
  float *painting;
  float *small;     /* 200 × 160 */
  ImpastoPainting paintings[2];
  ImpastoSessionConfig config;
  ImpastoSessionParams params;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->weights = test_net_new ();
  f->content = test_net_picture (W, H, 0.0);
  f->painting = test_net_picture (W, H, 2.5);
  f->small = test_net_picture (200, 160, 1.0);
  /* Far from the paintings' statistics: the losses are not small differences of large numbers. */
  for (size_t i = 0; i < (size_t) W * H * 3; i++)
    f->content[i] = 0.3f * f->content[i] + 80.0f;
  f->paintings[0] = (ImpastoPainting) { f->painting, W, H, 1.0, false };
  f->paintings[1] = (ImpastoPainting) { f->small, 200, 160, 1.0, false };
  impasto_session_config_init_default (&f->config);
  impasto_session_params_init_default (&f->params);
  f->config.width = W;
  f->config.height = H;
  f->config.content_rgb = f->content;
  f->config.paintings = f->paintings;
  f->config.n_paintings = 2;
  f->config.seed = 5;
  /* No max-pool ties for round-off to tip (test-tiles.c says why). */
  f->config.pool = IMPASTO_POOL_AVG;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_free (f->content);
  g_free (f->painting);
  g_free (f->small);
  impasto_weights_free (f->weights);
}

static void
trajectory (Fixture *f, double *losses, int *n_x, int *n_y)
{
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };

  if (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL, &error))
    g_error ("session: %s", error.message);
  impasto_session_get_tiles (session, n_x, n_y);
  for (int i = 0; i < STEPS; i++)
    {
      ImpastoLosses l;

      g_assert_cmpint (impasto_session_step (session, &l, NULL), ==, IMPASTO_STATUS_OK);
      losses[i] = l.total;
    }
  impasto_session_free (session);
}

static void
test_session_in_tiles (Fixture *f, gconstpointer data)
{
  double whole[STEPS], tiled[STEPS];
  int n_x, n_y;

  trajectory (f, whole, &n_x, &n_y);
  g_assert_cmpint (n_x * n_y, ==, 1);
  f->config.tile_window = 288;
  trajectory (f, tiled, &n_x, &n_y);
  g_test_message ("%d×%d tiles; losses after %d steps: %.9g tiled, %.9g whole", n_x, n_y, STEPS,
                  tiled[STEPS - 1], whole[STEPS - 1]);
  g_assert_cmpint (n_x * n_y, >=, 4);
  for (int i = 0; i < STEPS; i++)
    g_assert_cmpfloat (fabs (tiled[i] - whole[i]), <=, 1e-4 * whole[i]);
  g_assert_cmpfloat (whole[STEPS - 1], <, whole[0]);
  /* A window as large as the picture is the whole picture. */
  f->config.tile_window = W;
  trajectory (f, tiled, &n_x, &n_y);
  g_assert_cmpint (n_x * n_y, ==, 1);
}

static void
test_plan_window (Fixture *f, gconstpointer data)
{
  ImpastoEngineError error = { 0 };
  size_t whole, bytes, smaller, smallest, budget;
  int window;

  whole = impasto_session_estimate_bytes (f->weights, &f->config, &f->params);
  g_assert_cmpint (impasto_session_plan_window (f->weights, &f->config, &f->params, whole,
                                                &window, &bytes, &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (window, ==, 0);
  g_assert_cmpuint (bytes, ==, whole);

  /* The smallest window: 16 pixels owned beyond a halo of 96 on each side, with room for the
   * window to be shortened to the picture's side modulo 16. */
  f->config.tile_window = 224;
  smallest = impasto_session_estimate_bytes (f->weights, &f->config, &f->params);
  f->config.tile_window = 0;
  g_assert_cmpuint (smallest, <, whole);

  /* Half way between: tiles, the largest window that fits. */
  budget = smallest + (whole - smallest) / 2;
  g_assert_cmpint (impasto_session_plan_window (f->weights, &f->config, &f->params, budget,
                                                &window, &bytes, &error), ==, IMPASTO_STATUS_OK);
  g_test_message ("whole %zu bytes, smallest window %zu; in a budget of %zu: window %d, %zu "
                  "bytes", whole, smallest, budget, window, bytes);
  g_assert_cmpint (window, >=, 224);
  g_assert_cmpint (window % 16, ==, 0);
  g_assert_cmpuint (bytes, <=, budget);
  f->config.tile_window = window + 16;
  g_assert_cmpuint (impasto_session_estimate_bytes (f->weights, &f->config, &f->params), >,
                    budget);
  f->config.tile_window = 0;

  /* Too small even for the smallest window. */
  smaller = smallest - 1;
  g_assert_cmpint (impasto_session_plan_window (f->weights, &f->config, &f->params, smaller,
                                                &window, NULL, &error), ==,
                   IMPASTO_STATUS_OUT_OF_MEMORY);
  g_assert_nonnull (strstr (error.message, "even in tiles"));

  /* 16384 pixels wide: the smallest window would need more tiles than a grid may have, so the
   * search starts at a wider one (only sizes are read here). */
  f->config.width = 16384;
  f->config.n_paintings = 0;
  f->config.style_rgb = f->painting;
  whole = impasto_session_estimate_bytes (f->weights, &f->config, &f->params);
  g_assert_cmpint (impasto_session_plan_window (f->weights, &f->config, &f->params, whole - 1,
                                                &window, &bytes, &error), ==, IMPASTO_STATUS_OK);
  g_test_message ("16384×330: whole %zu bytes; window %d, %zu bytes", whole, window, bytes);
  g_assert_cmpint (window, >, 224);
  g_assert_cmpuint (bytes, <, whole);
}

static void
test_ladder_under_budget (Fixture *f, gconstpointer data)
{
  ImpastoLadderConfig lc;
  ImpastoLadder *ladder = NULL;
  ImpastoEngineError error = { 0 };
  size_t whole, budget, bytes;
  int n_x, n_y;

  impasto_ladder_config_init_default (&lc);
  lc.min_side = 100;
  impasto_ladder_config_set_budgets (&lc, 2);
  whole = impasto_ladder_estimate_bytes (f->weights, &lc, &f->config, &f->params);
  /* A budget the final size fits only in tiles. */
  budget = whole - 1;
  lc.max_bytes = budget;
  g_assert_cmpint (impasto_ladder_plan_tiles (f->weights, &lc, &f->config, &f->params, &n_x, &n_y,
                                              &bytes, &error), ==, IMPASTO_STATUS_OK);
  g_test_message ("ladder: whole %zu bytes, budget %zu: final size in %d×%d tiles, %zu bytes",
                  whole, budget, n_x, n_y, bytes);
  g_assert_cmpint (n_x * n_y, >, 1);
  g_assert_cmpuint (bytes, <=, budget);
  g_assert_cmpuint (impasto_ladder_estimate_bytes (f->weights, &lc, &f->config, &f->params), ==,
                    bytes);

  g_assert_cmpint (impasto_ladder_new (&ladder, f->weights, &lc, &f->config, &f->params, NULL,
                                       NULL, &error), ==, IMPASTO_STATUS_OK);
  impasto_ladder_get_tiles (ladder, &n_x, &n_y);
  g_assert_cmpint (n_x * n_y, ==, 1);
  /* A region given at a size painted whole is refused at once, as the final size is tiled. */
  {
    float *mask = g_new0 (float, W * H);
    ImpastoRegion region = { mask, W, H, 0, 1.0 };

    mask[0] = 1.0f;
    g_assert_cmpint (impasto_ladder_set_region (ladder, 0, &region, &error), ==,
                     IMPASTO_STATUS_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error.message, "regions are not painted in tiles"));
    g_assert_cmpint (impasto_ladder_get_n_regions (ladder), ==, 0);
    g_free (mask);
  }
  while (!impasto_ladder_done (ladder))
    {
      g_assert_cmpint (impasto_ladder_step (ladder, NULL, &error), ==, IMPASTO_STATUS_OK);
      if (impasto_ladder_size_done (ladder) && !impasto_ladder_done (ladder))
        g_assert_cmpint (impasto_ladder_advance (ladder, &error), ==, IMPASTO_STATUS_OK);
    }
  impasto_ladder_get_tiles (ladder, &n_x, &n_y);
  g_assert_cmpint (n_x * n_y, >, 1);
  impasto_ladder_free (ladder);

  /* Too small a budget: refused before anything large is allocated, with the estimate. */
  lc.max_bytes = whole / 4;
  g_assert_cmpint (impasto_ladder_new (&ladder, f->weights, &lc, &f->config, &f->params, NULL,
                                       NULL, &error), ==, IMPASTO_STATUS_OUT_OF_MEMORY);
  g_assert_null (ladder);
  g_assert_nonnull (strstr (error.message, "a 400×330 picture needs about"));
  g_assert_nonnull (strstr (error.message, "even in tiles"));
  g_assert_cmpuint (impasto_ladder_estimate_bytes (f->weights, &lc, &f->config, &f->params), ==,
                    0);
}

/* The windows of two other plans under @max_bytes (for @n sizes): the final size first with the
 * largest window beside the size below at its smallest, each size below with what the one above
 * leaves (@final_first); or from the smallest size up, each with what the one below leaves.
 * FALSE when that plan does not fit. */
static gboolean
other_plan (const ImpastoWeights *weights, size_t max_bytes, const ImpastoSessionConfig *config,
            const ImpastoSessionParams *params, int n, const int *widths, const int *heights,
            gboolean final_first, int *windows)
{
  size_t room = max_bytes - _impasto_ladder_copies_bytes (config, n), next = 0;
  ImpastoEngineError error = { 0 };

  for (int j = 0; j < n; j++)
    {
      int k = final_first ? n - 1 - j : j;
      ImpastoSessionConfig size = *config;
      size_t reserve = final_first && k == n - 1
                       ? _impasto_ladder_least_session_bytes (weights, config, params,
                                                              widths[k - 1], heights[k - 1])
                       : next;
      size_t bytes;

      if (reserve >= room)
        return FALSE;
      size.width = widths[k];
      size.height = heights[k];
      size.tile_window = 0;
      if (impasto_session_plan_window (weights, &size, params, room - reserve, &windows[k],
                                       &bytes, &error) != IMPASTO_STATUS_OK)
        return FALSE;
      next = bytes;
    }
  return TRUE;
}

/* Under a budget the plan of windows fits (each pair of neighbouring sizes beside the copies),
 * the final size has no larger a window than fits beside the size below at its smallest, and
 * the plan costs no more time (_impasto_ladder_plan_cost()) than planning the final size first
 * with all it can have, or the sizes from the smallest up (which left the final size a far
 * smaller window: 2048 x 1536 under 2 GiB in 29 x 21 tiles). */
static void
test_ladder_final_first (Fixture *f, gconstpointer data)
{
  ImpastoLadderConfig lc;
  ImpastoEngineError error = { 0 };
  /* Planned only (nothing is painted): a picture large enough that the size below the final
   * one needs tiles too under the tighter budgets. */
  ImpastoSessionConfig config = f->config;
  ImpastoSessionConfig final;
  int widths[IMPASTO_LADDER_MAX_SIZES], heights[IMPASTO_LADDER_MAX_SIZES];
  int windows[IMPASTO_LADDER_MAX_SIZES], other[IMPASTO_LADDER_MAX_SIZES];
  size_t whole, copies, least, bytes, final_bytes, peak;
  int n, n_x, n_y, most_window, planned = 0, others = 0;

  config.width = 4 * W;
  config.height = 4 * H;
  final = config;
  impasto_ladder_config_init_default (&lc);
  lc.min_side = 100;
  impasto_ladder_config_set_budgets (&lc, 2);
  n = impasto_ladder_plan_sizes (config.width, config.height, lc.min_side, lc.max_sizes, widths,
                                 heights);
  g_assert_cmpint (n, >=, 3);
  whole = impasto_ladder_estimate_bytes (f->weights, &lc, &config, &f->params);
  copies = _impasto_ladder_copies_bytes (&config, n);
  least = _impasto_ladder_least_session_bytes (f->weights, &config, &f->params,
                                               widths[n - 2], heights[n - 2]);
  /* Budgets from just under the whole ladder's down to the least it can be planned in. */
  for (int share = 999; share > 0; share -= 16)
    {
      double cost;

      lc.max_bytes = whole / 1000 * share;
      if (impasto_ladder_plan_tiles (f->weights, &lc, &config, &f->params, &n_x, &n_y, &bytes,
                                     &error) != IMPASTO_STATUS_OK)
        break;
      planned++;
      g_assert_cmpuint (bytes, <=, lc.max_bytes);
      g_assert_cmpint (_impasto_ladder_plan_windows (f->weights, lc.max_bytes, &config,
                                                     &f->params, n, widths, heights, windows,
                                                     &peak, &error), ==, IMPASTO_STATUS_OK);
      g_assert_cmpuint (peak, ==, bytes);
      cost = _impasto_ladder_plan_cost (&config, &f->params, n, widths, heights, windows);
      g_assert_cmpint (impasto_session_plan_window (f->weights, &final, &f->params,
                                                    lc.max_bytes - copies - least, &most_window,
                                                    &final_bytes, &error), ==, IMPASTO_STATUS_OK);
      g_test_message ("budget %zu: final size in %d×%d tiles (window %d, at most %d), cost %.2f",
                      lc.max_bytes, n_x, n_y, windows[n - 1], most_window, cost);
      if (most_window > 0)
        g_assert_true (windows[n - 1] > 0 && windows[n - 1] <= most_window);
      for (int final_first = 0; final_first <= 1; final_first++)
        if (other_plan (f->weights, lc.max_bytes, &config, &f->params, n, widths, heights,
                        final_first, other))
          {
            double other_cost = _impasto_ladder_plan_cost (&config, &f->params, n, widths,
                                                           heights, other);

            g_test_message ("  %s: cost %.2f", final_first ? "final first" : "smallest first",
                            other_cost);
            g_assert_cmpfloat (cost, <=, other_cost + 1e-9);
            others++;
          }
    }
  g_assert_cmpint (planned, >=, 3);
  g_assert_cmpint (others, >=, planned);
}

static void
test_regions_refused (Fixture *f, gconstpointer data)
{
  float *mask = g_new0 (float, W * H);
  ImpastoRegion region = { mask, W, H, 0, 1.0 };
  ImpastoSession *session = NULL;
  ImpastoEngineError error = { 0 };

  mask[0] = 1.0f;
  f->config.regions = &region;
  f->config.n_regions = 1;
  f->config.tile_window = 288;
  g_assert_cmpint (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL,
                                        &error), ==, IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "regions are not painted in tiles"));
  /* Mid-run too. */
  f->config.n_regions = 0;
  g_assert_cmpint (impasto_session_new (&session, f->weights, &f->config, &f->params, NULL, NULL,
                                        &error), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (impasto_session_set_region (session, 0, &region, &error), ==,
                   IMPASTO_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "regions are not painted in tiles"));
  impasto_session_free (session);
  g_free (mask);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/session-tiles/session-in-tiles", test_session_in_tiles);
  ADD ("/session-tiles/plan-window", test_plan_window);
  ADD ("/session-tiles/ladder-under-budget", test_ladder_under_budget);
  ADD ("/session-tiles/ladder-final-first", test_ladder_final_first);
  ADD ("/session-tiles/regions-refused", test_regions_refused);
  return g_test_run ();
}
