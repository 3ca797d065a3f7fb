/* test-reference-blend.c
 *
 * Several paintings blended, against PyTorch: tools/make-reference.py writes
 * tests/data/reference-tiny-blend.bin, a tiny VGG19 with random weights, a photo of 36 x 24 and
 * two paintings of their own sizes (36 x 20 and 18 x 30) with weights 0.7 and 0.3, brush size 1.
 * Per style layer l its float64 target is A_l = sum_i w_i / sum(w) * (M_l / M_i,l) * F_i F_i^T,
 * M_l and M_i,l the positions of the picture's and of painting i's features at l. Here a session
 * given the two paintings must plan each at its own size (so no resampler is involved), and
 * agree with the dump on the blended targets, the losses and the gradient at the init image and
 * a 10-step Adam trajectory, within tolerances of roughly ten times what a float32 PyTorch run of
 * the same math drifts from the float64 reference. Every check reports its observed error with
 * g_test_message.
 *
 * The gradient is the session's own: after the first Adam update its first moment is
 * (1 - beta1) * g at the init image, exactly in float32, so g is read back from it.
 *
 * It does not test the blend's other properties (weights 1, 0; a weight moved mid-run; a new
 * brush size: test-paintings.c does) nor the resampling of paintings.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>

#include "reference-dump.h"
#include "impasto-gram-set.h"
#include "impasto-session.h"
#include "impasto-threads.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

#define REF_FILE "reference-tiny-blend.bin"
#define REF_N_STEPS 10
#define REF_N_PAINTINGS 2

/* Tolerances. What the script reports for this dump, float32 against float64: blended targets
 * 1.1e-7 of the layer's max, features 3.5e-7 of the layer's max, losses 2.3e-7, gradient 4.9e-7
 * of max|g| and NMSE 3.6e-13, trajectory losses 4.5e-6, final image 1.5e-4 (0..255 scale). The
 * limits are those of test-reference.c, where the same drifts hold. */
#define TARGET_ATOL_OF_MAX 1e-5   /* atol = this * max|ref| of the layer */
#define TARGET_RTOL 1e-5
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
  ImpastoPoolMode pool;
  const float *content_rgb;  /* (H, W, 3) */
  const float *init_rgb;     /* (H, W, 3) */
  ImpastoPainting paintings[REF_N_PAINTINGS];
  ImpastoSessionParams params;
  ImpastoWeights *weights;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer user_data)
{
  const double *weights;
  const double *scales;
  const gint32 *upscale;
  int rgb_dims[3];

  fixture->records = ref_load (REF_FILE);
  fixture->height = ref_int (fixture->records, "height");
  fixture->width = ref_int (fixture->records, "width");
  fixture->weights = ref_weights_new (fixture->records, &fixture->pool, NULL);
  ref_params_load (fixture->records, &fixture->params);

  rgb_dims[0] = fixture->height;
  rgb_dims[1] = fixture->width;
  rgb_dims[2] = 3;
  fixture->content_rgb = ref_floats (fixture->records, "content_rgb", 3, rgb_dims);
  fixture->init_rgb = ref_floats (fixture->records, "init_rgb", 3, rgb_dims);

  weights = ref_doubles (fixture->records, "painting_weights", REF_N_PAINTINGS);
  scales = ref_doubles (fixture->records, "painting_scales", REF_N_PAINTINGS);
  upscale = ref_ints (fixture->records, "painting_upscale", REF_N_PAINTINGS);
  for (int i = 0; i < REF_N_PAINTINGS; i++)
    {
      g_autofree char *size_name = g_strdup_printf ("painting%d_size", i);
      g_autofree char *rgb_name = g_strdup_printf ("painting%d_rgb", i);
      const gint32 *size = ref_ints (fixture->records, size_name, 2);
      ImpastoPainting *p = &fixture->paintings[i];

      p->width = size[0];
      p->height = size[1];
      p->rgb = ref_floats (fixture->records, rgb_name, 3,
                           (const int[]) { p->height, p->width, 3 });
      p->scale = scales[i];
      p->upscale = upscale[i] != 0;
      fixture->params.painting_weights[i] = (float) weights[i];
    }
}

static void
fixture_teardown (Fixture *fixture, gconstpointer user_data)
{
  g_clear_pointer (&fixture->weights, impasto_weights_free);
  g_clear_pointer (&fixture->records, g_hash_table_unref);
}

static ImpastoSession *
new_session (const Fixture *fixture)
{
  ImpastoSessionConfig config;
  ImpastoSession *session = NULL;
  ImpastoEngineError error;

  impasto_session_config_init_default (&config);
  config.width = fixture->width;
  config.height = fixture->height;
  config.content_rgb = fixture->content_rgb;
  config.paintings = fixture->paintings;
  config.n_paintings = REF_N_PAINTINGS;
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

/* Each painting is seen at its own size: the reference does not resample. */
static void
test_plan (Fixture *fixture, gconstpointer user_data)
{
  for (int i = 0; i < REF_N_PAINTINGS; i++)
    {
      const ImpastoPainting *p = &fixture->paintings[i];
      int w = 0, h = 0;

      impasto_painting_plan_size (p->width, p->height, fixture->width, fixture->height, p->scale,
                                  p->upscale, &w, &h);
      g_assert_cmpint (w, ==, p->width);
      g_assert_cmpint (h, ==, p->height);
    }
  /* Both paintings differ from the picture in size, so the scaling to its positions counts. */
  g_assert_cmpint (fixture->paintings[0].height, !=, fixture->height);
  g_assert_cmpint (fixture->paintings[1].width, !=, fixture->width);
}

/* The blended Gram matrices at each style layer, and no others. */
static void
test_targets (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);
  const ImpastoGramSet *set = impasto_session_get_style_targets (session);

  g_assert_nonnull (set);
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, REF_N_PAINTINGS);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      g_autofree char *name = g_strdup_printf ("target.%s", impasto_vgg19_conv_name (i));
      const float *ref;
      size_t n, nn;
      double ref_max = 0;

      g_assert_cmpint (impasto_gram_set_has_layer (set, i), ==,
                       fixture->params.style_layers[i] != 0);
      if (fixture->params.style_layers[i] == 0)
        {
          g_assert_false (g_hash_table_contains (fixture->records, name));
          continue;
        }
      n = (size_t) set->channels[i];
      nn = n * n;
      ref = ref_floats (fixture->records, name, 2, (const int[]) { (int) n, (int) n });
      for (size_t k = 0; k < nn; k++)
        ref_max = MAX (ref_max, fabs (ref[k]));
      ref_check_close (name, set->grams[i], ref, nn, TARGET_ATOL_OF_MAX * ref_max, TARGET_RTOL,
                       0);
    }
  impasto_session_free (session);
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
  /* The steps ran no new forward pass over the paintings. */
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, REF_N_PAINTINGS);
  impasto_session_free (session);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  g_test_add ("/reference-blend/plan", Fixture, NULL, fixture_setup, test_plan,
              fixture_teardown);
  g_test_add ("/reference-blend/targets", Fixture, NULL, fixture_setup, test_targets,
              fixture_teardown);
  g_test_add ("/reference-blend/losses", Fixture, NULL, fixture_setup, test_losses,
              fixture_teardown);
  g_test_add ("/reference-blend/gradient", Fixture, NULL, fixture_setup, test_gradient,
              fixture_teardown);
  g_test_add ("/reference-blend/adam", Fixture, NULL, fixture_setup, test_adam,
              fixture_teardown);
  return g_test_run ();
}
