/* test-reference.c
 *
 * The engine against PyTorch: tools/make-reference.py builds a tiny VGG19 (the real topology with
 * 4..8 channels) with random weights and writes, in float64 math, the features of all 16 convs,
 * the losses and the image gradient at an init image and a 10-step Adam trajectory, for max
 * pooling (tests/data/reference-tiny-max.bin) and for average pooling with other loss parameters
 * (tests/data/reference-tiny-avg.bin). Here the engine recomputes each of them in float32 and
 * must agree within tolerances set at roughly ten times what a float32 PyTorch run of the same
 * math drifts from the float64 reference (the script prints those figures when it runs). Every
 * check reports its observed error with g_test_message, so `--verbose` or the TAP log shows how
 * much headroom is left.
 *
 * This file reads the dumps only; it never needs PyTorch. It does not test the L-BFGS optimiser
 * (test-optim.c does) nor real VGG19 weights.
 *
 * Dump format, little-endian (the script's header documents the same):
 *   header: 8 bytes magic "IMPREF1\0", uint32 version (1), uint32 number of records
 *   record: char name[32] (NUL-padded), uint32 dtype (0 float32, 1 float64, 2 int32),
 *           uint32 ndim (0..4), int32 dims[4] (unused ones 0), then prod(dims) elements.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "impasto-content-loss.h"
#include "impasto-style-loss.h"
#include "impasto-tv-loss.h"
#include "impasto-memory.h"
#include "impasto-threads.h"
#include "impasto-session.h"
#include "impasto-vgg19.h"
#include "impasto-weights.h"

#define REF_MAGIC "IMPREF1"
#define REF_VERSION 1
#define REF_NAME_SIZE 32
#define REF_HEADER_SIZE 16
#define REF_RECORD_HEADER_SIZE (REF_NAME_SIZE + 4 + 4 + 4 * 4)
#define REF_N_STEPS 10

/* Tolerances; see the file comment. The float32-vs-float64 figures the script reports for these
 * dumps are about 1e-6 (features, relative to the layer's max), 7e-7 (losses), 2e-6 of max|g| and
 * NMSE 5e-12 (gradient), 4e-6 (trajectory losses) and 1.5e-4 (final image), and the engine showed
 * the same when this test was written. Putting Adam's epsilon after the bias correction instead
 * of TensorFlow's way moves the final image by 0.9 (max dump) and 0.1 (avg dump). */
#define FEATURE_ATOL_OF_MAX 1e-5  /* atol = this * max|ref| of the layer */
#define FEATURE_RTOL 1e-5
#define LOSS_RTOL 1e-5
#define GRAD_ATOL_OF_MAX 1e-4     /* atol = this * max|g| */
#define GRAD_RTOL 1e-4
#define GRAD_NMSE 1e-8
#define TRAJECTORY_LOSS_RTOL 1e-4
#define FINAL_IMAGE_ATOL 1e-2     /* on the 0..255 scale */
#define FINAL_IMAGE_RTOL 0.0

typedef enum
{
  REF_F32 = 0,
  REF_F64 = 1,
  REF_I32 = 2,
} RefType;

typedef struct
{
  RefType type;
  int ndim;
  int dims[4];
  size_t n;        /* elements */
  gpointer data;   /* n elements of type, host byte order */
} RefRecord;

typedef struct
{
  GHashTable *records; /* name -> RefRecord */

  /* What every case needs, taken from the records. */
  int height;
  int width;
  ImpastoPoolMode pool;
  int channels[IMPASTO_VGG19_N_CONVS + 1];
  const float *mean;         /* (3) */
  const float *content_rgb;  /* (H, W, 3) */
  const float *style_rgb;    /* (H, W, 3) */
  const float *init_rgb;     /* (H, W, 3) */
  ImpastoSessionParams params;
  ImpastoWeights *weights;
} Fixture;

static void
ref_record_free (gpointer p)
{
  RefRecord *r = p;

  g_free (r->data);
  g_free (r);
}

static guint32
read_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

/* Parses the dump into a table of records; fails the test with a message if it is malformed. */
static GHashTable *
ref_load (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GHashTable *records;
  const guint8 *p;
  const guint8 *end;
  guint32 n_records;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("cannot read the reference dump: %s", error->message);
  g_assert_cmpuint (length, >=, REF_HEADER_SIZE);
  g_assert_cmpmem (contents, 8, REF_MAGIC, 8);
  p = (const guint8 *) contents;
  end = p + length;
  g_assert_cmpuint (read_u32 (p + 8), ==, REF_VERSION);
  n_records = read_u32 (p + 12);
  p += REF_HEADER_SIZE;

  records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ref_record_free);
  for (guint32 k = 0; k < n_records; k++)
    {
      RefRecord *r = g_new0 (RefRecord, 1);
      char name[REF_NAME_SIZE + 1] = { 0 };
      size_t elem_size;
      guint32 dtype;

      g_assert_cmpint (end - p, >=, REF_RECORD_HEADER_SIZE);
      memcpy (name, p, REF_NAME_SIZE);
      dtype = read_u32 (p + REF_NAME_SIZE);
      g_assert_cmpuint (dtype, <=, REF_I32);
      r->type = (RefType) dtype;
      r->ndim = (int) read_u32 (p + REF_NAME_SIZE + 4);
      g_assert_cmpint (r->ndim, >=, 0);
      g_assert_cmpint (r->ndim, <=, 4);
      r->n = 1;
      for (int d = 0; d < 4; d++)
        {
          r->dims[d] = (int) read_u32 (p + REF_NAME_SIZE + 8 + 4 * d);
          if (d < r->ndim)
            {
              g_assert_cmpint (r->dims[d], >, 0);
              r->n *= (size_t) r->dims[d];
            }
        }
      p += REF_RECORD_HEADER_SIZE;
      elem_size = r->type == REF_F64 ? 8 : 4;
      g_assert_cmpuint ((size_t) (end - p), >=, r->n * elem_size);

      r->data = g_malloc (r->n * elem_size);
      if (elem_size == 8)
        {
          guint64 *out = r->data;
          for (size_t i = 0; i < r->n; i++)
            {
              guint64 v;
              memcpy (&v, p + 8 * i, 8);
              out[i] = GUINT64_FROM_LE (v);
            }
        }
      else
        {
          guint32 *out = r->data;
          for (size_t i = 0; i < r->n; i++)
            out[i] = read_u32 (p + 4 * i);
        }
      p += r->n * elem_size;

      g_assert_false (g_hash_table_contains (records, name));
      g_hash_table_insert (records, g_strdup (name), r);
    }
  g_assert_true (p == end);
  return records;
}

/* The record @name, which must have @type and @ndim dimensions; the dims go to @dims (may be
 * NULL). */
static const RefRecord *
ref_get (const Fixture *fixture, const char *name, RefType type, int ndim)
{
  const RefRecord *r = g_hash_table_lookup (fixture->records, name);

  if (r == NULL)
    g_error ("the reference dump has no record \"%s\"", name);
  if (r->type != type || r->ndim != ndim)
    g_error ("record \"%s\": type %d with %d dims, expected type %d with %d",
             name, r->type, r->ndim, type, ndim);
  return r;
}

static const float *
ref_floats (const Fixture *fixture, const char *name, int ndim, const int *dims)
{
  const RefRecord *r = ref_get (fixture, name, REF_F32, ndim);

  for (int d = 0; d < ndim; d++)
    if (dims != NULL && dims[d] >= 0 && r->dims[d] != dims[d])
      g_error ("record \"%s\": dimension %d is %d, expected %d", name, d, r->dims[d], dims[d]);
  return r->data;
}

static double
ref_double (const Fixture *fixture, const char *name)
{
  return *(const double *) ref_get (fixture, name, REF_F64, 0)->data;
}

static int
ref_int (const Fixture *fixture, const char *name)
{
  return *(const gint32 *) ref_get (fixture, name, REF_I32, 0)->data;
}

static void
fixture_setup (Fixture *fixture, gconstpointer user_data)
{
  const char *file = user_data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", file, NULL);
  const float *filters[IMPASTO_VGG19_N_CONVS];
  const float *biases[IMPASTO_VGG19_N_CONVS];
  const RefRecord *r;
  ImpastoEngineError error;
  int rgb_dims[3];
  const float *cw;
  const float *sw;

  fixture->records = ref_load (path);
  fixture->height = ref_int (fixture, "height");
  fixture->width = ref_int (fixture, "width");
  fixture->pool = ref_int (fixture, "pool") == 0 ? IMPASTO_POOL_MAX : IMPASTO_POOL_AVG;

  r = ref_get (fixture, "channels", REF_I32, 1);
  g_assert_cmpint (r->dims[0], ==, IMPASTO_VGG19_N_CONVS + 1);
  memcpy (fixture->channels, r->data, sizeof fixture->channels);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *conv = impasto_vgg19_conv_name (i);
      g_autofree char *fname = g_strdup_printf ("%s.filters", conv);
      g_autofree char *bname = g_strdup_printf ("%s.biases", conv);
      const int fdims[4] = { fixture->channels[i + 1], fixture->channels[i], 3, 3 };
      const int bdims[1] = { fixture->channels[i + 1] };

      filters[i] = ref_floats (fixture, fname, 4, fdims);
      biases[i] = ref_floats (fixture, bname, 1, bdims);
    }
  fixture->mean = ref_floats (fixture, "mean_pixel", 1, (const int[]) { 3 });

  rgb_dims[0] = fixture->height;
  rgb_dims[1] = fixture->width;
  rgb_dims[2] = 3;
  fixture->content_rgb = ref_floats (fixture, "content_rgb", 3, rgb_dims);
  fixture->style_rgb = ref_floats (fixture, "style_rgb", 3, rgb_dims);
  fixture->init_rgb = ref_floats (fixture, "init_rgb", 3, rgb_dims);

  impasto_session_params_init_default (&fixture->params);
  fixture->params.alpha = ref_double (fixture, "alpha");
  fixture->params.beta = ref_double (fixture, "beta");
  fixture->params.tv = ref_double (fixture, "tv");
  fixture->params.learning_rate = ref_double (fixture, "learning_rate");
  cw = ref_floats (fixture, "content_layers", 1, (const int[]) { IMPASTO_VGG19_N_CONVS });
  sw = ref_floats (fixture, "style_layers", 1, (const int[]) { IMPASTO_VGG19_N_CONVS });
  memcpy (fixture->params.content_layers, cw, sizeof fixture->params.content_layers);
  memcpy (fixture->params.style_layers, sw, sizeof fixture->params.style_layers);

  /* The optimiser constants the dump was made with must be the engine's. */
  g_assert_cmpfloat (ref_double (fixture, "adam.beta1"), ==, 0.9);
  g_assert_cmpfloat (ref_double (fixture, "adam.beta2"), ==, 0.999);
  g_assert_cmpfloat (ref_double (fixture, "adam.epsilon"), ==, 1e-8);

  impasto_engine_error_clear (&error);
  if (impasto_weights_new (&fixture->weights, fixture->channels, filters, biases, fixture->mean,
                           &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_weights_new: %s", error.message);
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat (fixture->weights->mean_pixel[c], ==, fixture->mean[c]);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer user_data)
{
  g_clear_pointer (&fixture->weights, impasto_weights_free);
  g_clear_pointer (&fixture->records, g_hash_table_unref);
}

/* (H, W, 3) interleaved RGB to (3, H, W), minus @mean if not NULL. */
static float *
rgb_to_chw (const float *rgb, int height, int width, const float *mean)
{
  size_t hw = (size_t) height * (size_t) width;
  float *chw = g_new (float, 3 * hw);

  for (size_t p = 0; p < hw; p++)
    for (size_t c = 0; c < 3; c++)
      chw[c * hw + p] = rgb[3 * p + c] - (mean != NULL ? mean[c] : 0.0f);
  return chw;
}

static float *
chw_to_rgb (const float *chw, int height, int width)
{
  size_t hw = (size_t) height * (size_t) width;
  float *rgb = g_new (float, 3 * hw);

  for (size_t p = 0; p < hw; p++)
    for (size_t c = 0; c < 3; c++)
      rgb[3 * p + c] = chw[c * hw + p];
  return rgb;
}

/* Checks |got - ref| <= atol + rtol * |ref| elementwise and, if @nmse_max > 0, that
 * sum (got - ref)^2 / sum ref^2 <= @nmse_max. Reports the observed errors either way; a failure
 * marks the test failed without aborting, so the remaining checks still report. */
static gboolean
check_close (const char *what,
             const float *got,
             const float *ref,
             size_t n,
             double atol,
             double rtol,
             double nmse_max)
{
  double max_abs = 0, max_rel = 0, ref_max = 0, num = 0, den = 0, nmse;
  size_t worst = 0, n_bad = 0;
  gboolean ok;

  for (size_t i = 0; i < n; i++)
    {
      double e = fabs ((double) got[i] - (double) ref[i]);

      if (!(e <= atol + rtol * fabs ((double) ref[i])))
        n_bad++;
      if (!(e <= max_abs))
        {
          max_abs = e;
          worst = i;
        }
      if (ref[i] != 0)
        max_rel = MAX (max_rel, e / fabs ((double) ref[i]));
      ref_max = MAX (ref_max, fabs ((double) ref[i]));
      num += e * e;
      den += (double) ref[i] * (double) ref[i];
    }
  nmse = den > 0 ? num / den : num;
  ok = n_bad == 0 && (nmse_max <= 0 || nmse <= nmse_max);

  g_test_message ("%s: max abs err %.3g (%.3g of max|ref| %.4g; at %zu: got %.9g, ref %.9g), "
                  "max rel err %.3g, NMSE %.3g", what, max_abs,
                  ref_max > 0 ? max_abs / ref_max : 0.0, ref_max, worst, got[worst], ref[worst],
                  max_rel, nmse);
  if (!ok)
    g_test_fail_printf ("%s: %zu of %zu values outside atol %.3g + rtol %.3g * |ref| "
                        "(worst at %zu: got %.9g, ref %.9g, ratio %.6g), NMSE %.3g (limit %.3g)",
                        what, n_bad, n, atol, rtol, worst, got[worst], ref[worst],
                        ref[worst] != 0 ? got[worst] / ref[worst] : 0.0, nmse, nmse_max);
  return ok;
}

static gboolean
check_scalar (const char *what, double got, double ref, double rtol)
{
  double e = fabs (got - ref);
  gboolean ok = e <= rtol * fabs (ref);

  g_test_message ("%s: got %.12g, ref %.12g, rel err %.3g", what, got, ref,
                  ref != 0 ? e / fabs (ref) : e);
  if (!ok)
    g_test_fail_printf ("%s: got %.12g, reference %.12g (ratio %.9g, rel err %.3g > %.3g)",
                        what, got, ref, ref != 0 ? got / ref : 0.0,
                        ref != 0 ? e / fabs (ref) : e, rtol);
  return ok;
}

static void
check_losses (const char *what, const ImpastoLosses *got, const double ref[4], double rtol)
{
  g_autofree char *t = g_strdup_printf ("%s total", what);
  g_autofree char *c = g_strdup_printf ("%s content", what);
  g_autofree char *s = g_strdup_printf ("%s style", what);
  g_autofree char *v = g_strdup_printf ("%s tv", what);

  check_scalar (t, got->total, ref[0], rtol);
  check_scalar (c, got->content, ref[1], rtol);
  check_scalar (s, got->style, ref[2], rtol);
  check_scalar (v, got->tv_term, ref[3], rtol);
}

static int
deepest_layer (const ImpastoSessionParams *params)
{
  int deepest = -1;

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    if (params->content_layers[i] != 0 || params->style_layers[i] != 0)
      deepest = i;
  return deepest;
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
  config.style_rgb = fixture->style_rgb;
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

/* (a) The ReLU output of every conv for the content image. */
static void
test_features (Fixture *fixture, gconstpointer user_data)
{
  int height = fixture->height, width = fixture->width;
  g_autofree float *image = rgb_to_chw (fixture->content_rgb, height, width, fixture->mean);
  ImpastoVgg19 *net = NULL;
  ImpastoEngineError error;

  impasto_engine_error_clear (&error);
  if (impasto_vgg19_new (&net, fixture->weights, height, width, IMPASTO_VGG19_N_CONVS - 1,
                         fixture->pool, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_vgg19_new: %s", error.message);
  g_assert_cmpint (impasto_vgg19_forward (net, image, NULL, NULL), ==, IMPASTO_STATUS_OK);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *conv = impasto_vgg19_conv_name (i);
      g_autofree char *name = g_strdup_printf ("features.%s", conv);
      int c = 0, h = 0, w = 0;
      const float *got = impasto_vgg19_features (net, i, &c, &h, &w);
      const float *ref = ref_floats (fixture, name, 3, (const int[]) { c, h, w });
      size_t n = (size_t) c * (size_t) h * (size_t) w;
      double ref_max = 0;

      g_assert_cmpint (c, ==, fixture->channels[i + 1]);
      for (size_t k = 0; k < n; k++)
        ref_max = MAX (ref_max, fabs (ref[k]));
      check_close (name, got, ref, n, FEATURE_ATOL_OF_MAX * ref_max, FEATURE_RTOL, 0);
    }
  impasto_vgg19_free (net);
}

/* (b) The session's losses at the init image. */
static void
test_losses (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);
  size_t n = (size_t) fixture->height * (size_t) fixture->width * 3;
  g_autofree float *rgb = g_new (float, n);
  const double ref[4] = {
    ref_double (fixture, "loss.total"),
    ref_double (fixture, "loss.content"),
    ref_double (fixture, "loss.style"),
    ref_double (fixture, "loss.tv"),
  };
  ImpastoLosses losses;
  ImpastoEngineError error;

  /* The session may keep the image mean-subtracted: allow the round trip's float rounding. */
  impasto_session_copy_rgb (session, rgb);
  check_close ("image before any step", rgb, fixture->init_rgb, n, 1e-4, 0, 0);
  g_assert_cmpint (impasto_session_get_iteration (session), ==, 0);

  impasto_engine_error_clear (&error);
  if (impasto_session_evaluate (session, &losses, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_evaluate: %s", error.message);
  check_losses ("evaluate", &losses, ref, LOSS_RTOL);
  impasto_session_free (session);
}

/* (c) The gradient of the total loss with respect to the image, assembled from the public
 * pieces (net, losses) the way the session does: content targets from the content image's
 * features, style Grams from the style image's, each layer's dE scaled by its weight, the
 * division by the number of active layers and alpha or beta, plus gamma * dTV. */
static void
test_gradient (Fixture *fixture, gconstpointer user_data)
{
  const ImpastoSessionParams *p = &fixture->params;
  int height = fixture->height, width = fixture->width;
  size_t hw = (size_t) height * (size_t) width;
  int deepest = deepest_layer (p);
  g_autofree float *content = rgb_to_chw (fixture->content_rgb, height, width, fixture->mean);
  g_autofree float *style = rgb_to_chw (fixture->style_rgb, height, width, fixture->mean);
  g_autofree float *image = rgb_to_chw (fixture->init_rgb, height, width, fixture->mean);
  g_autofree float *raw = rgb_to_chw (fixture->init_rgb, height, width, NULL);
  g_autofree float *dimage = g_new0 (float, 3 * hw);
  g_autofree float *grad_rgb = NULL;
  float *targets[IMPASTO_VGG19_N_CONVS] = { NULL };
  float *grams[IMPASTO_VGG19_N_CONVS] = { NULL };
  float *dfeat[IMPASTO_VGG19_N_CONVS] = { NULL };
  const float *ref_grad;
  double content_loss = 0, style_loss = 0, tv_loss, total, gmax = 0;
  int n_content = 0, n_style = 0;
  ImpastoVgg19 *net = NULL;
  ImpastoEngineError error;

  g_assert_cmpint (deepest, >=, 0);
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      n_content += p->content_layers[i] != 0;
      n_style += p->style_layers[i] != 0;
    }
  g_assert_cmpint (n_content, >, 0);
  g_assert_cmpint (n_style, >, 0);

  impasto_engine_error_clear (&error);
  if (impasto_vgg19_new (&net, fixture->weights, height, width, deepest, fixture->pool,
                         &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_vgg19_new: %s", error.message);

  /* Targets. */
  g_assert_cmpint (impasto_vgg19_forward (net, content, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i <= deepest; i++)
    if (p->content_layers[i] != 0)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
        targets[i] = g_memdup2 (f, (size_t) c * h * w * sizeof (float));
      }
  g_assert_cmpint (impasto_vgg19_forward (net, style, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i <= deepest; i++)
    if (p->style_layers[i] != 0)
      {
        int c, h, w;
        const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
        grams[i] = g_new (float, (size_t) c * c);
        impasto_gram (grams[i], f, (size_t) c, (size_t) h * w);
      }

  /* Losses and their gradients at the init image. */
  g_assert_cmpint (impasto_vgg19_forward (net, image, NULL, NULL), ==, IMPASTO_STATUS_OK);
  for (int i = 0; i <= deepest; i++)
    {
      int c, h, w;
      const float *f = impasto_vgg19_features (net, i, &c, &h, &w);
      size_t n = (size_t) c, m = (size_t) h * w;

      if (p->content_layers[i] == 0 && p->style_layers[i] == 0)
        continue;
      dfeat[i] = g_new0 (float, n * m);
      if (p->content_layers[i] != 0)
        content_loss += p->content_layers[i]
                        * impasto_content_loss (dfeat[i], f, targets[i], n, m,
                                                p->alpha * p->content_layers[i] / n_content);
      if (p->style_layers[i] != 0)
        {
          g_autofree float *scratch = g_new (float, n * n);
          style_loss += p->style_layers[i]
                        * impasto_style_loss (dfeat[i], scratch, f, grams[i], n, m,
                                              p->beta * p->style_layers[i] / n_style);
        }
    }
  content_loss /= n_content;
  style_loss /= n_style;
  tv_loss = impasto_tv_loss (dimage, raw, 3, height, width, p->tv);
  total = p->alpha * content_loss + p->beta * style_loss + p->tv * tv_loss;

  g_assert_cmpint (impasto_vgg19_backward (net, dimage, (const float *const *) dfeat, NULL, NULL),
                   ==, IMPASTO_STATUS_OK);

  check_scalar ("pieces total", total, ref_double (fixture, "loss.total"), LOSS_RTOL);
  check_scalar ("pieces content", content_loss, ref_double (fixture, "loss.content"), LOSS_RTOL);
  check_scalar ("pieces style", style_loss, ref_double (fixture, "loss.style"), LOSS_RTOL);
  check_scalar ("pieces tv", tv_loss, ref_double (fixture, "loss.tv"), LOSS_RTOL);

  grad_rgb = chw_to_rgb (dimage, height, width);
  ref_grad = ref_floats (fixture, "grad_rgb", 3, (const int[]) { height, width, 3 });
  for (size_t k = 0; k < 3 * hw; k++)
    gmax = MAX (gmax, fabs (ref_grad[k]));
  check_close ("d total / d image", grad_rgb, ref_grad, 3 * hw, GRAD_ATOL_OF_MAX * gmax,
               GRAD_RTOL, GRAD_NMSE);

  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      g_free (targets[i]);
      g_free (grams[i]);
      g_free (dfeat[i]);
    }
  impasto_vgg19_free (net);
}

/* (d) Ten Adam steps: the losses after each update and the final image. */
static void
test_adam (Fixture *fixture, gconstpointer user_data)
{
  ImpastoSession *session = new_session (fixture);
  const RefRecord *r = ref_get (fixture, "adam.losses", REF_F64, 2);
  const double *ref_losses = r->data;
  size_t n = (size_t) fixture->height * (size_t) fixture->width * 3;
  g_autofree float *rgb = g_new (float, n);
  const float *ref_final;

  g_assert_cmpint (r->dims[0], ==, REF_N_STEPS);
  g_assert_cmpint (r->dims[1], ==, 4);
  for (int k = 0; k < REF_N_STEPS; k++)
    {
      g_autofree char *what = g_strdup_printf ("step %d", k + 1);
      ImpastoLosses losses;
      ImpastoEngineError error;

      impasto_engine_error_clear (&error);
      if (impasto_session_step (session, &losses, &error) != IMPASTO_STATUS_OK)
        g_error ("impasto_session_step %d: %s", k + 1, error.message);
      check_losses (what, &losses, ref_losses + 4 * k, TRAJECTORY_LOSS_RTOL);
    }
  g_assert_cmpint (impasto_session_get_iteration (session), ==, REF_N_STEPS);

  impasto_session_copy_rgb (session, rgb);
  ref_final = ref_floats (fixture, "adam.final_rgb", 3,
                          (const int[]) { fixture->height, fixture->width, 3 });
  check_close ("image after 10 steps", rgb, ref_final, n, FINAL_IMAGE_ATOL, FINAL_IMAGE_RTOL, 0);
  impasto_session_free (session);
}

int
main (int argc, char **argv)
{
  static const char *const dumps[][2] = {
    { "max", "reference-tiny-max.bin" },
    { "avg", "reference-tiny-avg.bin" },
  };

  g_test_init (&argc, &argv, NULL);
  impasto_set_threads (0);
  for (size_t d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autofree char *features = g_strdup_printf ("/reference/%s/features", dumps[d][0]);
      g_autofree char *losses = g_strdup_printf ("/reference/%s/losses", dumps[d][0]);
      g_autofree char *gradient = g_strdup_printf ("/reference/%s/gradient", dumps[d][0]);
      g_autofree char *adam = g_strdup_printf ("/reference/%s/adam", dumps[d][0]);

      g_test_add (features, Fixture, dumps[d][1], fixture_setup, test_features, fixture_teardown);
      g_test_add (losses, Fixture, dumps[d][1], fixture_setup, test_losses, fixture_teardown);
      g_test_add (gradient, Fixture, dumps[d][1], fixture_setup, test_gradient, fixture_teardown);
      g_test_add (adam, Fixture, dumps[d][1], fixture_setup, test_adam, fixture_teardown);
    }
  return g_test_run ();
}
