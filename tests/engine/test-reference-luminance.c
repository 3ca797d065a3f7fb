/* test-reference-luminance.c
 *
 * Luminance-only transfer (Gatys et al. 2017, section 5.1) against PyTorch:
 * tools/make-reference.py writes tests/data/reference-tiny-luminance.bin, a tiny VGG19 with
 * random weights, a colour photo and a colour painting of 36 x 24, their grey versions (Y =
 * 0.299 R + 0.587 G + 0.114 B in all three channels, the painting's Y matched to the photo's mean
 * and population standard deviation), and, in float64, the losses and gradient of the grey
 * problem at a noise init and a 10-step Adam trajectory from it. Here the engine's colour
 * functions must make the same grey pictures (within 1e-3 on the 0..255 scale), and a session
 * given those pictures (the grey painting as a one-painting list) must agree with the dump on the
 * losses, the gradient and the trajectory, within tolerances of roughly ten times what a float32
 * PyTorch run of the same math drifts from the float64 reference.
 *
 * It does not test the recolouring of the result with the photo's chroma, nor the other colour
 * modes (the colour module's own tests do).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>

#include "reference-dump.h"
#include "impasto-colors.h"
#include "impasto-session.h"
#include "impasto-threads.h"
#include "impasto-weights.h"

#define REF_FILE "reference-tiny-luminance.bin"
#define REF_N_STEPS 10

/* Tolerances. What the script reports for this dump, float32 against float64: losses 4.0e-7,
 * gradient 2.6e-7 of max|g| and NMSE 1.5e-13, trajectory losses 4.9e-6, final image 1.8e-4
 * (0..255 scale). The limits are those of test-reference.c, where the same drifts hold. The grey
 * pictures are float32 values up to 255 (an ulp of 1.5e-5), computed here from the same float32
 * colour pictures: 1e-3 leaves room for sums in another order and nothing more. */
#define GREY_ATOL 1e-3            /* on the 0..255 scale */
#define LOSS_RTOL 1e-5
#define GRAD_ATOL_OF_MAX 1e-4     /* atol = this * max|g| */
#define GRAD_RTOL 1e-4
#define GRAD_NMSE 1e-8
#define TRAJECTORY_LOSS_RTOL 1e-4
#define FINAL_IMAGE_ATOL 1e-2     /* on the 0..255 scale */

typedef struct
{
  GHashTable *records;
  int height;
  int width;
  size_t n_pixels;
  ImpastoPoolMode pool;
  const float *photo_rgb;     /* (H, W, 3), colour */
  const float *painting_rgb;  /* (H, W, 3), colour */
  const float *init_rgb;      /* (H, W, 3) */
  float *grey_photo;          /* (H, W, 3), made here by the colour functions */
  float *grey_painting;       /* (H, W, 3), likewise */
  ImpastoSessionParams params;
  ImpastoWeights *weights;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer user_data)
{
  size_t n;
  int rgb_dims[3];

  fixture->records = ref_load (REF_FILE);
  fixture->height = ref_int (fixture->records, "height");
  fixture->width = ref_int (fixture->records, "width");
  fixture->n_pixels = (size_t) fixture->height * (size_t) fixture->width;
  fixture->weights = ref_weights_new (fixture->records, &fixture->pool, NULL);
  ref_params_load (fixture->records, &fixture->params);

  rgb_dims[0] = fixture->height;
  rgb_dims[1] = fixture->width;
  rgb_dims[2] = 3;
  fixture->photo_rgb = ref_floats (fixture->records, "content_rgb", 3, rgb_dims);
  fixture->painting_rgb = ref_floats (fixture->records, "style_rgb", 3, rgb_dims);
  fixture->init_rgb = ref_floats (fixture->records, "init_rgb", 3, rgb_dims);

  /* What the luminance mode does before a run: both pictures grey, the painting's luminance
   * matched to the photo's. */
  n = 3 * fixture->n_pixels;
  fixture->grey_photo = g_memdup2 (fixture->photo_rgb, n * sizeof (float));
  impasto_colors_to_luminance (fixture->grey_photo, fixture->n_pixels);
  fixture->grey_painting = g_memdup2 (fixture->painting_rgb, n * sizeof (float));
  impasto_colors_to_luminance (fixture->grey_painting, fixture->n_pixels);
  impasto_colors_match_luminance (fixture->grey_painting, fixture->n_pixels, fixture->photo_rgb,
                                  fixture->n_pixels);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer user_data)
{
  g_clear_pointer (&fixture->grey_photo, g_free);
  g_clear_pointer (&fixture->grey_painting, g_free);
  g_clear_pointer (&fixture->weights, impasto_weights_free);
  g_clear_pointer (&fixture->records, g_hash_table_unref);
}

static ImpastoSession *
new_session (const Fixture *fixture)
{
  ImpastoSessionConfig config;
  ImpastoPainting painting = {
    .rgb = fixture->grey_painting,
    .width = fixture->width,
    .height = fixture->height,
    .scale = 1.0,
    .upscale = false,
  };
  ImpastoSession *session = NULL;
  ImpastoEngineError error;

  impasto_session_config_init_default (&config);
  config.width = fixture->width;
  config.height = fixture->height;
  config.content_rgb = fixture->grey_photo;
  config.paintings = &painting;
  config.n_paintings = 1;
  config.init_rgb = fixture->init_rgb;
  config.init = IMPASTO_INIT_IMAGE;
  config.pool = fixture->pool;
  config.optimizer = IMPASTO_OPTIMIZER_ADAM;

  impasto_engine_error_clear (&error);
  if (impasto_session_new (&session, fixture->weights, &config, &fixture->params, NULL, NULL,
                           &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_new: %s", error.message);
  return session;
}

/* The colour functions make the dump's grey photo and matched grey painting. */
static void
test_grey (Fixture *fixture, gconstpointer user_data)
{
  size_t n = 3 * fixture->n_pixels;
  const int dims[3] = { fixture->height, fixture->width, 3 };
  const float *ref_photo = ref_floats (fixture->records, "luminance.content_rgb", 3, dims);
  const float *ref_painting = ref_floats (fixture->records, "luminance.style_rgb", 3, dims);
  const double *stats = ref_doubles (fixture->records, "luminance.stats", 4);
  double sum = 0, sum2 = 0, mean, sd;

  ref_check_close ("grey photo", fixture->grey_photo, ref_photo, n, GREY_ATOL, 0, 0);
  ref_check_close ("grey painting matched to the photo", fixture->grey_painting, ref_painting, n,
                   GREY_ATOL, 0, 0);

  /* The matched painting has the photo's luminance mean and standard deviation, which differ
   * from its own: the matching did something. */
  for (size_t p = 0; p < fixture->n_pixels; p++)
    {
      sum += fixture->grey_painting[3 * p];
      sum2 += (double) fixture->grey_painting[3 * p] * fixture->grey_painting[3 * p];
    }
  mean = sum / (double) fixture->n_pixels;
  sd = sqrt (sum2 / (double) fixture->n_pixels - mean * mean);
  ref_check_scalar ("matched mean", mean, stats[0], 1e-5);
  ref_check_scalar ("matched standard deviation", sd, stats[1], 1e-4);
  g_assert_cmpfloat (fabs (stats[0] - stats[2]), >, 1.0);
  g_assert_cmpfloat (fabs (stats[1] - stats[3]), >, 1.0);
}

/* The losses at the init image. */
static void
test_losses (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);

  ref_check_session_losses (session, fixture->records, LOSS_RTOL);
  impasto_session_free (session);
}

/* The session's gradient at the init image. */
static void
test_gradient (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);

  ref_check_session_gradient (session, fixture->records, GRAD_ATOL_OF_MAX, GRAD_RTOL, GRAD_NMSE);
  impasto_session_free (session);
}

/* Ten Adam steps: the losses after each update and the final image. */
static void
test_adam (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);

  g_assert_cmpint (ref_get (fixture->records, "adam.losses", REF_F64, 2)->dims[0], ==,
                   REF_N_STEPS);
  ref_check_session_adam (session, fixture->records, TRAJECTORY_LOSS_RTOL, FINAL_IMAGE_ATOL);
  impasto_session_free (session);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add ("/reference-luminance/grey", Fixture, NULL, fixture_setup, test_grey,
              fixture_teardown);
  g_test_add ("/reference-luminance/losses", Fixture, NULL, fixture_setup, test_losses,
              fixture_teardown);
  g_test_add ("/reference-luminance/gradient", Fixture, NULL, fixture_setup, test_gradient,
              fixture_teardown);
  g_test_add ("/reference-luminance/adam", Fixture, NULL, fixture_setup, test_adam,
              fixture_teardown);
  return g_test_run ();
}
