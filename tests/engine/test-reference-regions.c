/* test-reference-regions.c
 *
 * Painted regions (Gatys et al. 2017, §4) against PyTorch: tools/make-reference.py writes
 * tests/data/reference-tiny-regions.bin ("inside" guides, max pooling) and
 * reference-tiny-regions-all.bin ("all" guides, average pooling), each a tiny VGG19 with random
 * weights, a photo of 36 x 24, the blend dump's two paintings of their own sizes (36 x 20 and
 * 18 x 30, weights 0.7 and 0.3, brush size 1) and three soft masks at the picture's size: region
 * 1 -> painting 1 (weight 1.5), region 2 -> painting 2 (weight 1), region 3 keeps the photo; the
 * default region (1 - the largest mask) takes the blend with weight 1. The script's float64
 * reference finds each guide by pooling the mask through the network's shape (min or max over
 * each neuron's receptive field, clipped to the picture), checks that against the field formula,
 * scales it to unit root mean square, and takes the style loss of a layer as
 * Σ s_r E_r over the regions with a painting that cover some pixel and have a guide at that
 * layer, E_r the Gram loss of the guided features against the region's painting's Gram matrices
 * (scaled to the picture's positions), the shares s_r ∝ w_r × the mean square of r's guide before
 * normalisation; a guide with nothing above 1e-6 is absent: no loss there, no share. With inside guides region 1 and the default region have no guide at
 * conv4_1 and conv5_1, and region 2's (floor 3/64) is 1 everywhere there.
 *
 * Here the engine's guides (ImpastoRegionGuides), the blended targets, and a session given the
 * regions must agree with the dump on the losses and the gradient at the init image and a 10-step
 * Adam trajectory, within tolerances of roughly ten times what a float32 PyTorch run of the same
 * math drifts from the float64 reference. The same session without regions must give the dump's
 * style loss without them, which differs from the one with them by far more than the tolerance.
 * Every check reports its observed error with g_test_message.
 *
 * It does not test masks of another size (the resampler), masks set mid-run or the ladder
 * (test-regions.c does).
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>

#include "reference-dump.h"
#include "impasto-gram-set.h"
#include "impasto-region-guides.h"
#include "impasto-session.h"
#include "impasto-threads.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

#define REF_N_PAINTINGS 2
#define REF_N_REGIONS 3

/* Tolerances. What the script reports, float32 against float64, for the inside (all) dump:
 * normalised guides 6.8e-8 (9.4e-8) of the guide's max, blended targets 5.2e-7 (1.8e-7) of the
 * layer's max, losses 1.8e-7 (3.8e-7), gradient 3.3e-7 (4.5e-7) of max|g| and NMSE 1.8e-13
 * (1.2e-13), trajectory losses 5.9e-6 (5.1e-6), final image 1.1e-4 (8.1e-5) on the 0..255 scale.
 * The limits are those of test-reference-blend.c, where the same drifts hold. */
#define GUIDE_ATOL_OF_MAX 1e-5    /* atol = this * max|ref| of the guide */
#define GUIDE_RTOL 1e-5
#define TARGET_ATOL_OF_MAX 1e-5   /* atol = this * max|ref| of the layer */
#define TARGET_RTOL 1e-5
#define LOSS_RTOL 1e-5
#define GRAD_ATOL_OF_MAX 1e-4     /* atol = this * max|g| */
#define GRAD_RTOL 1e-4
#define GRAD_NMSE 1e-8
#define TRAJECTORY_LOSS_RTOL 1e-4
#define FINAL_IMAGE_ATOL 1e-2     /* on the 0..255 scale */
/* The style loss without regions must differ from the one with them by more than this (relative):
 * a hundred times the loss tolerance, so that regions ignored cannot pass. */
#define REGIONS_MATTER_RTOL (100 * LOSS_RTOL)

typedef struct
{
  GHashTable *records;
  int height;
  int width;
  ImpastoPoolMode pool;
  ImpastoGuideMode guide_mode;
  const float *content_rgb;  /* (H, W, 3) */
  const float *init_rgb;     /* (H, W, 3) */
  const float *masks;        /* (REF_N_REGIONS, H, W) */
  ImpastoPainting paintings[REF_N_PAINTINGS];
  ImpastoRegion regions[REF_N_REGIONS];
  ImpastoSessionParams params;
  ImpastoWeights *weights;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer user_data)
{
  const char *file = user_data;
  const double *weights;
  const double *scales;
  const gint32 *upscale;
  const gint32 *region_paintings;
  const double *region_weights;
  int rgb_dims[3];
  int guide_mode;

  fixture->records = ref_load (file);
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

  guide_mode = ref_int (fixture->records, "guide_mode");
  g_assert_true (guide_mode == 0 || guide_mode == 1);
  fixture->guide_mode = guide_mode == 0 ? IMPASTO_GUIDE_INSIDE : IMPASTO_GUIDE_ALL;
  fixture->masks = ref_floats (fixture->records, "region_masks", 3,
                               (const int[]) { REF_N_REGIONS, fixture->height, fixture->width });
  region_paintings = ref_ints (fixture->records, "region_paintings", REF_N_REGIONS);
  region_weights = ref_doubles (fixture->records, "region_weights", REF_N_REGIONS);
  for (int r = 0; r < REF_N_REGIONS; r++)
    {
      /* The masks are at the picture's size: no resampler is involved. */
      fixture->regions[r] = (ImpastoRegion) {
        fixture->masks + (size_t) r * fixture->height * fixture->width,
        fixture->width,
        fixture->height,
        region_paintings[r] < 0 ? IMPASTO_REGION_KEEP_PHOTO : region_paintings[r],
        region_weights[r],
      };
    }
}

static void
fixture_teardown (Fixture *fixture, gconstpointer user_data)
{
  g_clear_pointer (&fixture->weights, impasto_weights_free);
  g_clear_pointer (&fixture->records, g_hash_table_unref);
}

/* A session on the dump's problem, with its regions or (@with_regions false) without. */
static ImpastoSession *
new_session (const Fixture *fixture, gboolean with_regions)
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
  if (with_regions)
    {
      config.regions = fixture->regions;
      config.n_regions = REF_N_REGIONS;
      config.guide_mode = fixture->guide_mode;
    }

  impasto_engine_error_clear (&error);
  if (impasto_session_new (&session, fixture->weights, &config, &fixture->params, NULL, NULL,
                           &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_new: %s", error.message);
  return session;
}

/* The dump's record name of slot @slot's guide at conv @index. */
static char *
guide_name (int slot, int index)
{
  if (slot == IMPASTO_REGION_DEFAULT)
    return g_strdup_printf ("guide_default.%s", impasto_vgg19_conv_name (index));
  return g_strdup_printf ("guide%d.%s", slot, impasto_vgg19_conv_name (index));
}

/* Each region's guides and the default region's: present where the reference has them, and
 * equal to them. */
static void
test_guides (Fixture *fixture, gconstpointer user_data)
{
  ImpastoRegionGuides *guides = NULL;
  const gint32 *covers = ref_ints (fixture->records, "region_covers", REF_N_REGIONS + 1);
  bool style_layers[IMPASTO_VGG19_N_CONVS];
  int n_absent = 0, n_present = 0;

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    style_layers[i] = fixture->params.style_layers[i] != 0;
  g_assert_cmpint (impasto_region_guides_new (&guides, fixture->weights, fixture->height,
                                              fixture->width, style_layers, fixture->guide_mode),
                   ==, IMPASTO_STATUS_OK);
  for (int r = 0; r < REF_N_REGIONS; r++)
    impasto_region_guides_set_mask (guides, r, fixture->regions[r].mask);

  for (int k = 0; k <= REF_N_REGIONS; k++)
    {
      int slot = k == REF_N_REGIONS ? IMPASTO_REGION_DEFAULT : k;

      g_assert_cmpint (impasto_region_guides_covers (guides, slot), ==, covers[k] != 0);
      for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
        {
          g_autofree char *name = guide_name (slot, i);
          const float *got = impasto_region_guides_get (guides, slot, i);
          const float *ref;
          int h, w;
          size_t n;
          double ref_max = 0;

          if (!style_layers[i])
            {
              g_assert_null (got);
              continue;
            }
          if (!g_hash_table_contains (fixture->records, name))
            {
              g_test_message ("%s: absent", name);
              g_assert_null (got);
              n_absent++;
              continue;
            }
          g_assert_nonnull (got);
          n_present++;
          impasto_vgg19_conv_size (i, fixture->height, fixture->width, &h, &w);
          ref = ref_floats (fixture->records, name, 2, (const int[]) { h, w });
          n = (size_t) h * w;
          for (size_t p = 0; p < n; p++)
            ref_max = MAX (ref_max, fabs (ref[p]));
          ref_check_close (name, got, ref, n, GUIDE_ATOL_OF_MAX * ref_max, GUIDE_RTOL, 0);
        }
    }
  /* Both kinds of slot occur in the inside dump; in the all dump every guide is present. */
  g_test_message ("%d guides present, %d absent", n_present, n_absent);
  g_assert_cmpint (n_present, >, 0);
  if (fixture->guide_mode == IMPASTO_GUIDE_INSIDE)
    g_assert_cmpint (n_absent, >, 0);
  impasto_region_guides_free (guides);
}

/* The default region's target: the blended Gram matrices at each style layer. */
static void
test_targets (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture, TRUE);
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
        continue;
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
  ImpastoSession *session = new_session (fixture, TRUE);

  ref_check_session_losses (session, fixture->records, LOSS_RTOL);
  impasto_session_free (session);
}

/* Without the regions the session gives the reference's style loss without them, far from the
 * one with them: the other checks could not pass with the regions ignored. */
static void
test_regions_matter (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture, FALSE);
  double with_regions = ref_double (fixture->records, "loss.style");
  double without = ref_double (fixture->records, "loss.style_no_regions");
  ImpastoLosses losses;
  ImpastoEngineError error;

  impasto_engine_error_clear (&error);
  if (impasto_session_evaluate (session, &losses, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_evaluate: %s", error.message);
  ref_check_scalar ("style without regions", losses.style, without, LOSS_RTOL);
  g_test_message ("style with regions %.9g, without %.9g: rel difference %.3g", with_regions,
                  without, fabs (with_regions - without) / fabs (with_regions));
  g_assert_cmpfloat (fabs (with_regions - without), >, REGIONS_MATTER_RTOL * fabs (with_regions));
  impasto_session_free (session);
}

/* The session's gradient at the init image. */
static void
test_gradient (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture, TRUE);

  ref_check_session_gradient (session, fixture->records, GRAD_ATOL_OF_MAX, GRAD_RTOL, GRAD_NMSE);
  impasto_session_free (session);
}

/* Ten Adam steps: the losses after each update and the final image. */
static void
test_adam (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture, TRUE);

  ref_check_session_adam (session, fixture->records, TRAJECTORY_LOSS_RTOL, FINAL_IMAGE_ATOL);
  /* The steps ran no new forward pass over the paintings. */
  g_assert_cmpint (impasto_session_get_painting_passes (session), ==, REF_N_PAINTINGS);
  impasto_session_free (session);
}

static void
add_tests (const char *kind, const char *file)
{
  static const struct
  {
    const char *name;
    void (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "guides", test_guides },
    { "targets", test_targets },
    { "losses", test_losses },
    { "regions-matter", test_regions_matter },
    { "gradient", test_gradient },
    { "adam", test_adam },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reference-regions/%s/%s", kind, tests[i].name);

      g_test_add (path, Fixture, file, fixture_setup, tests[i].func, fixture_teardown);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  add_tests ("inside", "reference-tiny-regions.bin");
  add_tests ("all", "reference-tiny-regions-all.bin");
  return g_test_run ();
}
