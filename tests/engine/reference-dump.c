/* reference-dump.c
 *
 * The PyTorch reference dumps read back, and the comparisons the reference tests share; see
 * reference-dump.h. Everything here fails the running test (g_error for a malformed or missing
 * record, g_test_fail_printf for a value out of tolerance); nothing here is engine code.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-reference"

#include "reference-dump.h"

#include <math.h>
#include <string.h>

#define REF_MAGIC "IMPREF1"
#define REF_VERSION 1
#define REF_NAME_SIZE 32
#define REF_HEADER_SIZE 16
#define REF_RECORD_HEADER_SIZE (REF_NAME_SIZE + 4 + 4 + 4 * 4)

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

GHashTable *
ref_load (const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", file, NULL);
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

const RefRecord *
ref_get (GHashTable *records, const char *name, RefType type, int ndim)
{
  const RefRecord *r = g_hash_table_lookup (records, name);

  if (r == NULL)
    g_error ("the reference dump has no record \"%s\"", name);
  if (r->type != type || r->ndim != ndim)
    g_error ("record \"%s\": type %d with %d dims, expected type %d with %d",
             name, r->type, r->ndim, type, ndim);
  return r;
}

const float *
ref_floats (GHashTable *records, const char *name, int ndim, const int *dims)
{
  const RefRecord *r = ref_get (records, name, REF_F32, ndim);

  for (int d = 0; d < ndim; d++)
    if (dims != NULL && dims[d] >= 0 && r->dims[d] != dims[d])
      g_error ("record \"%s\": dimension %d is %d, expected %d", name, d, r->dims[d], dims[d]);
  return r->data;
}

const double *
ref_doubles (GHashTable *records, const char *name, int n)
{
  const RefRecord *r = ref_get (records, name, REF_F64, 1);

  if (r->dims[0] != n)
    g_error ("record \"%s\": %d values, expected %d", name, r->dims[0], n);
  return r->data;
}

const gint32 *
ref_ints (GHashTable *records, const char *name, int n)
{
  const RefRecord *r = ref_get (records, name, REF_I32, 1);

  if (r->dims[0] != n)
    g_error ("record \"%s\": %d values, expected %d", name, r->dims[0], n);
  return r->data;
}

double
ref_double (GHashTable *records, const char *name)
{
  return *(const double *) ref_get (records, name, REF_F64, 0)->data;
}

int
ref_int (GHashTable *records, const char *name)
{
  return *(const gint32 *) ref_get (records, name, REF_I32, 0)->data;
}

ImpastoWeights *
ref_weights_new (GHashTable *records,
                 ImpastoPoolMode *pool,
                 int channels[IMPASTO_VGG19_N_CONVS + 1])
{
  const float *filters[IMPASTO_VGG19_N_CONVS];
  const float *biases[IMPASTO_VGG19_N_CONVS];
  const gint32 *ch = ref_ints (records, "channels", IMPASTO_VGG19_N_CONVS + 1);
  const float *mean = ref_floats (records, "mean_pixel", 1, (const int[]) { 3 });
  ImpastoWeights *weights = NULL;
  ImpastoEngineError error;
  int own[IMPASTO_VGG19_N_CONVS + 1];

  for (int i = 0; i <= IMPASTO_VGG19_N_CONVS; i++)
    own[i] = ch[i];
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const char *conv = impasto_vgg19_conv_name (i);
      g_autofree char *fname = g_strdup_printf ("%s.filters", conv);
      g_autofree char *bname = g_strdup_printf ("%s.biases", conv);
      const int fdims[4] = { own[i + 1], own[i], 3, 3 };
      const int bdims[1] = { own[i + 1] };

      filters[i] = ref_floats (records, fname, 4, fdims);
      biases[i] = ref_floats (records, bname, 1, bdims);
    }

  impasto_engine_error_clear (&error);
  if (impasto_weights_new (&weights, own, filters, biases, mean, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_weights_new: %s", error.message);
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat (weights->mean_pixel[c], ==, mean[c]);

  if (pool != NULL)
    *pool = ref_int (records, "pool") == 0 ? IMPASTO_POOL_MAX : IMPASTO_POOL_AVG;
  if (channels != NULL)
    memcpy (channels, own, sizeof own);
  return weights;
}

void
ref_params_load (GHashTable *records, ImpastoSessionParams *params)
{
  const float *cw = ref_floats (records, "content_layers", 1,
                                (const int[]) { IMPASTO_VGG19_N_CONVS });
  const float *sw = ref_floats (records, "style_layers", 1,
                                (const int[]) { IMPASTO_VGG19_N_CONVS });

  impasto_session_params_init_default (params);
  params->alpha = ref_double (records, "alpha");
  params->beta = ref_double (records, "beta");
  params->tv = ref_double (records, "tv");
  params->learning_rate = ref_double (records, "learning_rate");
  memcpy (params->content_layers, cw, sizeof params->content_layers);
  memcpy (params->style_layers, sw, sizeof params->style_layers);

  /* The optimiser constants the dump was made with must be the engine's. */
  g_assert_cmpfloat (ref_double (records, "adam.beta1"), ==, 0.9);
  g_assert_cmpfloat (ref_double (records, "adam.beta2"), ==, 0.999);
  g_assert_cmpfloat (ref_double (records, "adam.epsilon"), ==, 1e-8);
}

float *
ref_rgb_to_chw (const float *rgb, int height, int width, const float *mean)
{
  size_t hw = (size_t) height * (size_t) width;
  float *chw = g_new (float, 3 * hw);

  for (size_t p = 0; p < hw; p++)
    for (size_t c = 0; c < 3; c++)
      chw[c * hw + p] = rgb[3 * p + c] - (mean != NULL ? mean[c] : 0.0f);
  return chw;
}

float *
ref_chw_to_rgb (const float *chw, int height, int width)
{
  size_t hw = (size_t) height * (size_t) width;
  float *rgb = g_new (float, 3 * hw);

  for (size_t p = 0; p < hw; p++)
    for (size_t c = 0; c < 3; c++)
      rgb[3 * p + c] = chw[c * hw + p];
  return rgb;
}

/* Reports the observed errors either way; a failure marks the test failed without aborting, so
 * the remaining checks still report. */
gboolean
ref_check_close (const char *what,
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

gboolean
ref_check_scalar (const char *what, double got, double ref, double rtol)
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

void
ref_check_losses (const char *what, const ImpastoLosses *got, const double ref[4], double rtol)
{
  g_autofree char *t = g_strdup_printf ("%s total", what);
  g_autofree char *c = g_strdup_printf ("%s content", what);
  g_autofree char *s = g_strdup_printf ("%s style", what);
  g_autofree char *v = g_strdup_printf ("%s tv", what);

  ref_check_scalar (t, got->total, ref[0], rtol);
  ref_check_scalar (c, got->content, ref[1], rtol);
  ref_check_scalar (s, got->style, ref[2], rtol);
  ref_check_scalar (v, got->tv_term, ref[3], rtol);
}

void
ref_check_session_losses (ImpastoSession *session, GHashTable *records, double rtol)
{
  const double ref[4] = {
    ref_double (records, "loss.total"),
    ref_double (records, "loss.content"),
    ref_double (records, "loss.style"),
    ref_double (records, "loss.tv"),
  };
  ImpastoLosses losses;
  ImpastoEngineError error;

  g_assert_cmpint (impasto_session_get_iteration (session), ==, 0);
  impasto_engine_error_clear (&error);
  if (impasto_session_evaluate (session, &losses, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_evaluate: %s", error.message);
  ref_check_losses ("evaluate", &losses, ref, rtol);
}

void
ref_check_session_gradient (ImpastoSession *session,
                            GHashTable *records,
                            double atol_of_max,
                            double rtol,
                            double nmse_max)
{
  const float one_minus_beta1 = 1.0f - 0.9f;   /* as impasto_adam_step() computes it */
  const float *m = NULL;
  const float *v = NULL;
  const float *ref;
  g_autofree float *g_chw = NULL;
  g_autofree float *grad = NULL;
  ImpastoEngineError error;
  int width, height;
  size_t n;
  long t = 0;
  double gmax = 0;

  impasto_session_get_size (session, &width, &height);
  n = (size_t) height * (size_t) width * 3;
  ref = ref_floats (records, "grad_rgb", 3, (const int[]) { height, width, 3 });

  g_assert_cmpint (impasto_session_get_iteration (session), ==, 0);
  impasto_engine_error_clear (&error);
  if (impasto_session_step (session, NULL, &error) != IMPASTO_STATUS_OK)
    g_error ("impasto_session_step: %s", error.message);
  g_assert_cmpint (impasto_session_get_adam_state (session, &m, &v, &t), ==, IMPASTO_STATUS_OK);
  g_assert_cmpint (t, ==, 1);
  g_chw = g_new (float, n);
  for (size_t k = 0; k < n; k++)
    g_chw[k] = (float) ((double) m[k] / (double) one_minus_beta1);
  grad = ref_chw_to_rgb (g_chw, height, width);

  for (size_t k = 0; k < n; k++)
    gmax = MAX (gmax, fabs (ref[k]));
  ref_check_close ("d total / d image", grad, ref, n, atol_of_max * gmax, rtol, nmse_max);
}

void
ref_check_session_adam (ImpastoSession *session,
                        GHashTable *records,
                        double loss_rtol,
                        double image_atol)
{
  const RefRecord *r = ref_get (records, "adam.losses", REF_F64, 2);
  const double *ref_losses = r->data;
  g_autofree float *rgb = NULL;
  const float *ref_final;
  int width, height, n_steps = r->dims[0];
  size_t n;

  impasto_session_get_size (session, &width, &height);
  n = (size_t) height * (size_t) width * 3;
  g_assert_cmpint (r->dims[1], ==, 4);
  g_assert_cmpint (impasto_session_get_iteration (session), ==, 0);
  for (int k = 0; k < n_steps; k++)
    {
      g_autofree char *what = g_strdup_printf ("step %d", k + 1);
      ImpastoLosses losses;
      ImpastoEngineError error;

      impasto_engine_error_clear (&error);
      if (impasto_session_step (session, &losses, &error) != IMPASTO_STATUS_OK)
        g_error ("impasto_session_step %d: %s", k + 1, error.message);
      ref_check_losses (what, &losses, ref_losses + 4 * k, loss_rtol);
    }
  g_assert_cmpint (impasto_session_get_iteration (session), ==, n_steps);

  rgb = g_new (float, n);
  impasto_session_copy_rgb (session, rgb);
  ref_final = ref_floats (records, "adam.final_rgb", 3, (const int[]) { height, width, 3 });
  ref_check_close ("image after the last step", rgb, ref_final, n, image_atol, 0, 0);
}
