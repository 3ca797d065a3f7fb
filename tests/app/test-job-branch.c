/* test-job-branch.c
 *
 * Branching a run from one of its snapshots (impasto-job-history.c) on the tiny random VGG19
 * (40 × 32, sizes 20 × 16, 28 × 22 and 40 × 32, 40 iterations: 4 + 2 + 40 steps): every
 * snapshot has its picture beside it, at the final size and in the painted colours, and the job
 * loads it as the texture it would show (with the photo's chroma when the colours say so); the
 * bounds on disk count the pictures, and a snapshot dropped takes its picture along. A run folder
 * is branched into a new one with the snapshots up to an iteration (hard links, or copies on
 * another file system), and a folder that cannot be made leaves nothing. A job continued there
 * from a snapshot taken at a lower size and from one at the final size, with Adam and with
 * L-BFGS, has the original run's records before it, takes over the snapshots with their
 * pictures, losses and sizes, writes run.ini as it starts, and paints the rest bit for bit as the
 * original did (also from the finished picture's snapshot); with a new β it paints with that β
 * from the snapshot on, after the same records.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "impasto-test-job-branch"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "impasto-job.h"
#include "test-app-support.h"

#define ITERATIONS 40

typedef struct
{
  gboolean done;
} Run;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  impasto_job_run_finish (IMPASTO_JOB (object), result, NULL);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

static void
run_job (ImpastoJob *job)
{
  Run run = { FALSE };

  impasto_job_run_async (job, NULL, run_cb, &run);
  test_app_wait_until (run_done, &run, 120.0, "the run to end");
  g_assert_cmpint (impasto_job_get_state (job), ==, IMPASTO_JOB_FINISHED);
}

static void
settings_init (ImpastoJobSettings *settings,
               ImpastoOptimizer    optimizer,
               const char         *folder)
{
  *settings = (ImpastoJobSettings) { 0 };
  impasto_session_params_init_default (&settings->params);
  impasto_session_config_init_default (&settings->config);
  settings->config.optimizer = optimizer;
  settings->size = 40;
  settings->min_side = 16;
  settings->iterations = ITERATIONS;
  settings->threads = 1;
  settings->run_folder = folder;
}

static ImpastoJob *
job_new (ImpastoModel             *model,
         const ImpastoJobSettings *settings)
{
  g_autoptr(GdkPixbuf) content = test_app_picture_new (40, 32, 0.0);
  g_autoptr(GdkPixbuf) style = test_app_picture_new (24, 24, 1.7);

  return impasto_job_new (model, content, &(ImpastoJobPainting) { style, 1.0 }, 1, settings);
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (guint64) st.st_size;
}

/* The snapshot of @iteration in @snapshots; fails if there is none. */
static const ImpastoJobSnapshot *
find_snapshot (GArray *snapshots,
               int     iteration)
{
  for (guint i = 0; i < snapshots->len; i++)
    if (g_array_index (snapshots, ImpastoJobSnapshot, i).iteration == iteration)
      return &g_array_index (snapshots, ImpastoJobSnapshot, i);
  g_error ("no snapshot of iteration %d", iteration);
  return NULL;
}

/* @texture's pixels as RGB rows of width × 3 bytes (GTK 4.8 downloads Cairo's ARGB32). */
static GBytes *
texture_rgb (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *argb = g_new (guint32, (gsize) width * height);
  guint8 *rgb = g_malloc ((gsize) width * height * 3);

  gdk_texture_download (texture, (guchar *) argb, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      g_assert_cmphex (argb[i] >> 24, ==, 0xff);
      rgb[3 * i] = (argb[i] >> 16) & 0xff;
      rgb[3 * i + 1] = (argb[i] >> 8) & 0xff;
      rgb[3 * i + 2] = argb[i] & 0xff;
    }
  return g_bytes_new_take (rgb, (gsize) width * height * 3);
}

/* The snapshot's picture as the job loads it, as RGB bytes. */
static GBytes *
load_rgb (ImpastoJob               *job,
          const ImpastoJobSnapshot *snapshot)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = impasto_job_load_snapshot_texture (job, snapshot, &error);

  g_assert_no_error (error);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 40);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 32);
  return texture_rgb (texture);
}

/* The PNG's own pixels, as RGB rows of width × 3 bytes. */
static GBytes *
png_rgb (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);
  int width;
  int height;
  guint8 *rgb;

  g_assert_no_error (error);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  g_assert_cmpint (width, ==, 40);
  g_assert_cmpint (height, ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (pixbuf), ==, 3);
  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  rgb = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    memcpy (rgb + (gsize) y * width * 3,
            gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf),
            (gsize) width * 3);
  return g_bytes_new_take (rgb, (gsize) width * height * 3);
}

/* Everything in @folder is a snapshot with its picture, exactly those of @job's list (no
 * temporary file, no picture without its snapshot); returns their bytes on disk. */
static guint64
check_folder (ImpastoJob *job,
              const char *folder)
{
  g_autoptr(GArray) snapshots = impasto_job_dup_snapshots (job);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint64 total = 0;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_str_equal (name, "run.ini"))
        continue;
      g_assert_true (g_str_has_prefix (name, "snapshot-"));
      g_assert_true (g_str_has_suffix (name, ".impasto-snapshot")
                     || g_str_has_suffix (name, ".png"));
      total += file_size (path);
      files++;
    }
  g_assert_cmpuint (files, ==, 2 * snapshots->len);
  for (guint i = 0; i < snapshots->len; i++)
    {
      const ImpastoJobSnapshot *snapshot = &g_array_index (snapshots, ImpastoJobSnapshot, i);
      g_autofree char *picture = g_strdup_printf ("snapshot-%06d.png", snapshot->iteration);
      g_autofree char *expected = g_build_filename (folder, picture, NULL);

      g_assert_cmpstr (snapshot->picture, ==, expected);
      g_assert_cmpuint (snapshot->bytes, ==,
                        file_size (snapshot->path) + file_size (snapshot->picture));
    }
  return total;
}

static void
test_pictures (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-branch-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "run", NULL);
  g_autofree char *wrong = g_build_filename (tmp, "wrong.png", NULL);
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(ImpastoJob) job = NULL;
  g_autoptr(GArray) snapshots = NULL;
  g_autoptr(GBytes) shown = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  ImpastoJobSettings settings;
  ImpastoJobSnapshot fake;
  const ImpastoJobSnapshot *newest;
  guint64 one;
  guint64 bound;

  g_assert_nonnull (tmp);
  settings_init (&settings, IMPASTO_OPTIMIZER_ADAM, folder);
  settings.colors = IMPASTO_COLORS_SWAP;
  job = job_new (model, &settings);
  run_job (job);

  /* A picture beside every snapshot (1, 2, 5, 10, 20 and the finished one), at the final size. */
  snapshots = impasto_job_dup_snapshots (job);
  g_assert_cmpuint (snapshots->len, ==, 6);
  for (guint i = 0; i < snapshots->len; i++)
    g_bytes_unref (png_rgb (g_array_index (snapshots, ImpastoJobSnapshot, i).picture));
  check_folder (job, folder);

  /* The newest as the job shows its last picture: with the photo's chroma (swap)... */
  newest = &g_array_index (snapshots, ImpastoJobSnapshot, snapshots->len - 1);
  g_assert_cmpint (newest->iteration, ==, impasto_job_get_iteration (job));
  shown = g_bytes_ref (impasto_job_get_pixels (job, NULL, NULL, NULL));
  loaded = load_rgb (job, newest);
  g_assert_true (g_bytes_equal (loaded, shown));
  /* ...and without (none), which is what the file holds. */
  impasto_job_set_colors (job, IMPASTO_COLORS_NONE);
  plain = g_bytes_ref (impasto_job_get_pixels (job, NULL, NULL, NULL));
  g_assert_false (g_bytes_equal (plain, shown));
  g_clear_pointer (&loaded, g_bytes_unref);
  loaded = load_rgb (job, newest);
  g_assert_true (g_bytes_equal (loaded, plain));
  png = png_rgb (newest->picture);
  g_assert_true (g_bytes_equal (png, plain));
  /* An earlier one is another picture. */
  g_clear_pointer (&loaded, g_bytes_unref);
  loaded = load_rgb (job, &g_array_index (snapshots, ImpastoJobSnapshot, 0));
  g_assert_false (g_bytes_equal (loaded, plain));

  /* No picture, or not the run's size: a message, no texture. */
  fake = *newest;
  fake.picture = NULL;
  g_assert_null (impasto_job_load_snapshot_texture (job, &fake, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "no picture"));
  g_clear_error (&error);
  g_free (test_app_write_picture (tmp, "wrong.png", 20, 16, 0.0));
  fake.picture = wrong;
  g_assert_null (impasto_job_load_snapshot_texture (job, &fake, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (error->message, "40×32"));
  g_clear_error (&error);
  g_unlink (wrong);

  /* Bounded in bytes with the pictures counted: room for two and a half of the newest keeps at
   * most that many bytes on disk, and each picture goes with its snapshot. */
  one = newest->bytes;
  g_assert_cmpuint (one, >, file_size (newest->path));
  impasto_job_delete_run_folder (job);
  g_clear_object (&job);
  bound = one * 5 / 2;
  settings.max_snapshot_bytes = bound;
  job = job_new (model, &settings);
  run_job (job);
  g_clear_pointer (&snapshots, g_array_unref);
  snapshots = impasto_job_dup_snapshots (job);
  g_assert_cmpuint (snapshots->len, >=, 2);
  g_assert_cmpuint (snapshots->len, <, 6);
  g_assert_cmpuint (check_folder (job, folder), <=, bound);
  impasto_job_delete_run_folder (job);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_rmdir (tmp);
}

static void
write_file (const char *folder,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The names in @folder, sorted, joined with spaces. */
static char *
list_names (const char *folder)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
check_same_file (const char *from_folder,
                 const char *to_folder,
                 const char *name,
                 gboolean    linked)
{
  g_autofree char *from = g_build_filename (from_folder, name, NULL);
  g_autofree char *to = g_build_filename (to_folder, name, NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  GStatBuf x;
  GStatBuf y;

  g_assert_true (g_file_get_contents (from, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (to, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpint (g_stat (from, &x), ==, 0);
  g_assert_cmpint (g_stat (to, &y), ==, 0);
  g_assert_cmpint (x.st_ino == y.st_ino && x.st_dev == y.st_dev, ==, linked);
}

static void
test_branch_folder (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-branch-XXXXXX", NULL);
  g_autofree char *from = g_build_filename (tmp, "from", NULL);
  g_autofree char *to = g_build_filename (tmp, "a", "b", "to", NULL);
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *too_long = g_build_filename (tmp, "new", long_name, "run", NULL);
  g_autofree char *new = g_build_filename (tmp, "new", NULL);
  g_autofree char *names = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *empty = g_build_filename (tmp, "empty", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_nonnull (tmp);
  g_assert_cmpint (g_mkdir (from, 0700), ==, 0);
  write_file (from, "snapshot-000001.impasto-snapshot", "one");
  write_file (from, "snapshot-000001.png", "picture one");
  write_file (from, "snapshot-000005.impasto-snapshot", "five, no picture");
  write_file (from, "snapshot-000010.impasto-snapshot", "ten");
  write_file (from, "snapshot-000010.png", "picture ten");
  write_file (from, "run.ini", "[snapshot]\nname=snapshot-000010.impasto-snapshot\n");
  write_file (from, ".snapshot-000003.png.Ab12Cd", "a picture being written");
  write_file (from, "snapshot-000004.impasto-snapshot.tmp-Ab12Cd", "a snapshot being written");
  write_file (from, "snapshot-000004.png", "a picture without its snapshot");

  /* Up to 5: the snapshots 1 and 5, and the picture of 1, linked; into new folders. */
  g_assert_true (impasto_job_branch_run_folder (from, to, 5, &error));
  g_assert_no_error (error);
  names = list_names (to);
  g_assert_cmpstr (names, ==,
                   "snapshot-000001.impasto-snapshot snapshot-000001.png "
                   "snapshot-000005.impasto-snapshot");
  check_same_file (from, to, "snapshot-000001.impasto-snapshot", TRUE);
  check_same_file (from, to, "snapshot-000001.png", TRUE);
  check_same_file (from, to, "snapshot-000005.impasto-snapshot", TRUE);
  g_assert_cmpint (g_stat (to, &st), ==, 0);
  g_assert_cmphex (st.st_mode & 0777, ==, 0700);

  /* Into a folder that has something already: refused, and it is left as it was. */
  g_assert_false (impasto_job_branch_run_folder (from, to, 10, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
  g_clear_error (&error);
  g_clear_pointer (&names, g_free);
  names = list_names (to);
  g_assert_cmpstr (names, ==,
                   "snapshot-000001.impasto-snapshot snapshot-000001.png "
                   "snapshot-000005.impasto-snapshot");

  /* An empty folder will do. */
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  g_assert_true (impasto_job_branch_run_folder (from, empty, 100, &error));
  g_assert_no_error (error);
  g_clear_pointer (&names, g_free);
  names = list_names (empty);
  g_assert_cmpstr (names, ==,
                   "snapshot-000001.impasto-snapshot snapshot-000001.png "
                   "snapshot-000005.impasto-snapshot snapshot-000010.impasto-snapshot "
                   "snapshot-000010.png");

  /* On another file system (/dev/shm, when it is one), copies. */
  {
    g_autofree char *shm = g_strdup ("/dev/shm/impasto-branch-XXXXXX");

    if (g_mkdtemp (shm) != NULL)
      {
        g_autofree char *other = g_build_filename (shm, "run", NULL);
        GStatBuf here;
        GStatBuf there;

        g_assert_cmpint (g_stat (tmp, &here), ==, 0);
        g_assert_cmpint (g_stat (shm, &there), ==, 0);
        g_assert_true (impasto_job_branch_run_folder (from, other, 1, &error));
        g_assert_no_error (error);
        g_clear_pointer (&names, g_free);
        names = list_names (other);
        g_assert_cmpstr (names, ==, "snapshot-000001.impasto-snapshot snapshot-000001.png");
        check_same_file (from, other, "snapshot-000001.impasto-snapshot",
                         here.st_dev == there.st_dev);
        check_same_file (from, other, "snapshot-000001.png", here.st_dev == there.st_dev);
        {
          g_autofree char *cmd = g_strdup_printf ("rm -r '%s'", shm);

          g_assert_cmpint (system (cmd), ==, 0);
        }
      }
  }

  /* A folder that cannot be made: an error, and the parent it had made is gone. */
  g_assert_false (impasto_job_branch_run_folder (from, too_long, 5, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG);
  g_clear_error (&error);
  g_assert_false (g_file_test (new, G_FILE_TEST_EXISTS));

  /* A file that cannot be put there: the message names it, and nothing is left, neither the files
   * linked before it nor the folders made. */
  bad = g_build_filename (from, "snapshot-000007.impasto-snapshot", NULL);
  g_assert_cmpint (g_mkdir (bad, 0700), ==, 0);
  {
    g_autofree char *deep = g_build_filename (tmp, "c", "d", "run", NULL);
    g_autofree char *c = g_build_filename (tmp, "c", NULL);

    g_assert_false (impasto_job_branch_run_folder (from, deep, 10, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "snapshot-000007.impasto-snapshot"));
    g_clear_error (&error);
    g_assert_false (g_file_test (c, G_FILE_TEST_EXISTS));
  }
  g_rmdir (bad);

  /* A folder that is not there to branch from. */
  {
    g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
    g_autofree char *somewhere = g_build_filename (tmp, "somewhere", NULL);

    g_assert_false (impasto_job_branch_run_folder (missing, somewhere, 5, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (g_file_test (somewhere, G_FILE_TEST_EXISTS));
  }

  /* Linked files are the same file: removing the original folder leaves the branch whole. */
  {
    g_autofree char *cmd = g_strdup_printf ("rm -r '%s'", from);

    g_assert_cmpint (system (cmd), ==, 0);
  }
  {
    g_autofree char *path = g_build_filename (to, "snapshot-000005.impasto-snapshot", NULL);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "five, no picture");
  }
  {
    g_autofree char *cmd = g_strdup_printf ("rm -r '%s'", tmp);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

/* The record of @iteration among @records. */
static const ImpastoJobRecord *
find_record (const ImpastoJobRecord *records,
             guint                   n,
             int                     iteration)
{
  for (guint i = 0; i < n; i++)
    if (records[i].iteration == iteration)
      return &records[i];
  g_error ("no record of iteration %d", iteration);
  return NULL;
}

/* Job B continued from @original's snapshot after @k in a branch of its folder, with @params
 * (NULL: the same); the picture of the snapshot after @without_picture (0: none) is removed from
 * the branch's folder before. */
static ImpastoJob *
branch_job (ImpastoModel               *model,
            ImpastoJob                 *original,
            ImpastoOptimizer            optimizer,
            int                         k,
            const char                 *folder,
            const ImpastoSessionParams *params,
            int                         without_picture)
{
  const ImpastoJobRecord *records;
  g_autofree char *name = g_strdup_printf ("snapshot-%06d.impasto-snapshot", k);
  g_autofree char *snapshot = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;
  ImpastoJobSettings settings;
  guint n;

  g_assert_true (impasto_job_branch_run_folder (impasto_job_get_run_folder (original), folder, k,
                                                &error));
  g_assert_no_error (error);
  if (without_picture > 0)
    {
      g_autofree char *picture_name = g_strdup_printf ("snapshot-%06d.png", without_picture);
      g_autofree char *picture = g_build_filename (folder, picture_name, NULL);

      g_assert_cmpint (g_unlink (picture), ==, 0);
    }
  records = impasto_job_get_history (original, &n);
  settings_init (&settings, optimizer, folder);
  if (params != NULL)
    settings.params = *params;
  settings.run_info = "[run]\nbranch=true\n";
  settings.resume_snapshot = snapshot;
  settings.resume_iteration = k;
  settings.resume_losses = find_record (records, n, k)->losses;
  settings.prior_records = records;
  settings.n_prior_records = n;
  return job_new (model, &settings);
}

/* @branch took over @original's snapshots up to @k, with their pictures (but the one removed),
 * losses and sizes. */
static void
check_adopted (ImpastoJob *original,
               ImpastoJob *branch,
               int         k,
               int         without_picture)
{
  g_autoptr(GArray) theirs = impasto_job_dup_snapshots (original);
  g_autoptr(GArray) ours = impasto_job_dup_snapshots (branch);
  guint n = 0;

  for (guint i = 0; i < theirs->len; i++)
    if (g_array_index (theirs, ImpastoJobSnapshot, i).iteration <= k)
      n++;
  g_assert_cmpuint (ours->len, ==, n);
  for (guint i = 0; i < ours->len; i++)
    {
      const ImpastoJobSnapshot *snapshot = &g_array_index (ours, ImpastoJobSnapshot, i);
      const ImpastoJobSnapshot *original_snapshot = find_snapshot (theirs, snapshot->iteration);
      g_autofree char *folder = g_path_get_dirname (snapshot->path);

      g_assert_cmpstr (folder, ==, impasto_job_get_run_folder (branch));
      g_assert_cmpint (snapshot->scale, ==, original_snapshot->scale);
      g_assert_cmpfloat (snapshot->loss, ==, original_snapshot->loss);
      if (snapshot->iteration == without_picture)
        {
          g_autoptr(GError) error = NULL;

          g_assert_null (snapshot->picture);
          g_assert_cmpuint (snapshot->bytes, ==, file_size (snapshot->path));
          g_assert_null (impasto_job_load_snapshot_texture (branch, snapshot, &error));
          g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        }
      else
        {
          g_autoptr(GBytes) a = load_rgb (original, original_snapshot);
          g_autoptr(GBytes) b = load_rgb (branch, snapshot);

          g_assert_nonnull (snapshot->picture);
          g_assert_true (g_file_test (snapshot->picture, G_FILE_TEST_IS_REGULAR));
          g_assert_cmpuint (snapshot->bytes, ==, original_snapshot->bytes);
          g_assert_true (g_bytes_equal (a, b));
        }
    }
}

static void
check_branch (ImpastoOptimizer optimizer)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-branch-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "run", NULL);
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(ImpastoJob) original = NULL;
  g_autoptr(GArray) snapshots = NULL;
  const ImpastoJobRecord *records;
  ImpastoJobSettings settings;
  int lower = 0;
  int final_size = 0;
  guint n;

  g_assert_nonnull (tmp);
  settings_init (&settings, optimizer, folder);
  original = job_new (model, &settings);
  run_job (original);
  records = impasto_job_get_history (original, &n);
  g_assert_cmpint (impasto_job_get_n_scales (original), ==, 3);
  g_assert_cmpuint (n, ==, (guint) impasto_job_get_iteration (original) + 1);

  /* The newest snapshot at a lower size, one at the final size before the end, and the
   * finished picture's. */
  snapshots = impasto_job_dup_snapshots (original);
  for (guint i = 0; i + 1 < snapshots->len; i++)
    {
      const ImpastoJobSnapshot *snapshot = &g_array_index (snapshots, ImpastoJobSnapshot, i);

      if (snapshot->scale < 2)
        lower = snapshot->iteration;
      else if (final_size == 0)
        final_size = snapshot->iteration;
    }
  g_assert_cmpint (lower, >, 0);
  g_assert_cmpint (final_size, >, 0);

  for (int which = 0; which < 3; which++)
    {
      int k = which == 0 ? lower : which == 1 ? final_size : (int) n - 1;
      g_autofree char *name = g_strdup_printf ("branch-%d", k);
      g_autofree char *branch_folder = g_build_filename (tmp, name, NULL);
      g_autoptr(ImpastoJob) branch = NULL;
      g_autoptr(GBytes) expected = NULL;
      const ImpastoJobRecord *branched;
      guint n_branched;
      /* At the final size, one of the pictures went missing: that snapshot has none. */
      int without_picture = which == 1 ? 2 : 0;

      branch = branch_job (model, original, optimizer, k, branch_folder, NULL, without_picture);

      /* Before it paints: the original's records before the snapshot, as the run's own. */
      branched = impasto_job_get_history (branch, &n_branched);
      g_assert_cmpuint (n_branched, ==, (guint) k);
      for (guint i = 0; i < n_branched; i++)
        {
          g_assert_cmpint (branched[i].iteration, ==, (int) i);
          g_assert_cmpuint (branched[i].params_serial, ==, 0);
        }
      g_assert_cmpint (impasto_job_get_start_iteration (branch), ==, k);
      check_adopted (original, branch, k, without_picture);

      /* Painted: the same records (no second record of the snapshot's iteration) and the same
       * picture, bit for bit. */
      run_job (branch);
      branched = impasto_job_get_history (branch, &n_branched);
      g_assert_cmpuint (n_branched, ==, n);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpint (branched[i].iteration, ==, records[i].iteration);
          g_assert_cmpint (branched[i].scale, ==, records[i].scale);
          g_assert_cmpint (branched[i].width, ==, records[i].width);
          g_assert_cmpint (branched[i].height, ==, records[i].height);
          g_assert_cmpfloat (branched[i].beta, ==, records[i].beta);
          g_assert_cmpmem (&branched[i].losses, sizeof (ImpastoLosses), &records[i].losses,
                           sizeof (ImpastoLosses));
          g_assert_cmpuint (branched[i].params_serial, ==, i < (guint) k ? 0 : 1);
        }
      expected = g_bytes_ref (impasto_job_get_pixels (original, NULL, NULL, NULL));
      g_assert_true (g_bytes_equal (impasto_job_get_pixels (branch, NULL, NULL, NULL), expected));

      /* Its own snapshots have their pictures too. */
      if (without_picture == 0)
        check_folder (branch, branch_folder);
      /* run.ini names its newest snapshot, with the caller's keys; also when it wrote none of
       * its own (continued from the finished picture: written as it started). */
      {
        g_autoptr(GArray) ours = impasto_job_dup_snapshots (branch);
        const ImpastoJobSnapshot *newest = &g_array_index (ours, ImpastoJobSnapshot,
                                                           ours->len - 1);
        g_autofree char *ini = g_build_filename (branch_folder, "run.ini", NULL);
        g_autofree char *newest_name = g_path_get_basename (newest->path);
        g_autofree char *named = NULL;
        g_autoptr(GKeyFile) info = g_key_file_new ();

        if (k == (int) n - 1)
          g_assert_cmpint (newest->iteration, ==, k);
        g_assert_true (g_key_file_load_from_file (info, ini, G_KEY_FILE_NONE, NULL));
        g_assert_true (g_key_file_get_boolean (info, "run", "branch", NULL));
        named = g_key_file_get_string (info, "snapshot", "name", NULL);
        g_assert_cmpstr (named, ==, newest_name);
        g_assert_cmpint (g_key_file_get_integer (info, "snapshot", "iteration", NULL), ==,
                         newest->iteration);
      }

      /* The branch's folder goes; the original's files, linked from it, stay. */
      impasto_job_delete_run_folder (branch);
      g_assert_false (g_file_test (branch_folder, G_FILE_TEST_EXISTS));
      check_folder (original, folder);
    }

  impasto_job_delete_run_folder (original);
  g_rmdir (tmp);
}

static void
test_branch_adam (void)
{
  check_branch (IMPASTO_OPTIMIZER_ADAM);
}

static void
test_branch_lbfgs (void)
{
  check_branch (IMPASTO_OPTIMIZER_LBFGS);
}

/* Branched with β × 10: the same records before the snapshot, that β from it on, and other
 * losses after it. */
static void
test_branch_beta (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("impasto-branch-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "run", NULL);
  g_autofree char *branch_folder = g_build_filename (tmp, "branch", NULL);
  g_autoptr(ImpastoModel) model = test_app_model_new ();
  g_autoptr(ImpastoJob) original = NULL;
  g_autoptr(ImpastoJob) branch = NULL;
  const ImpastoJobRecord *records;
  const ImpastoJobRecord *branched;
  ImpastoJobSettings settings;
  ImpastoSessionParams params;
  guint n;
  guint n_branched;
  const int k = 5;

  g_assert_nonnull (tmp);
  settings_init (&settings, IMPASTO_OPTIMIZER_ADAM, folder);
  original = job_new (model, &settings);
  run_job (original);
  records = impasto_job_get_history (original, &n);

  params = settings.params;
  params.beta *= 10.0;
  branch = branch_job (model, original, IMPASTO_OPTIMIZER_ADAM, k, branch_folder, &params, 0);
  run_job (branch);
  branched = impasto_job_get_history (branch, &n_branched);
  g_assert_cmpuint (n_branched, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (branched[i].iteration, ==, records[i].iteration);
      g_assert_cmpint (branched[i].scale, ==, records[i].scale);
      if (i < (guint) k)
        {
          g_assert_cmpfloat (branched[i].beta, ==, settings.params.beta);
          g_assert_cmpmem (&branched[i].losses, sizeof (ImpastoLosses), &records[i].losses,
                           sizeof (ImpastoLosses));
        }
      else
        {
          g_assert_cmpfloat (branched[i].beta, ==, params.beta);
          g_assert_cmpfloat (records[i].beta, ==, settings.params.beta);
          /* The snapshot's own record keeps its losses; every step after it differs. */
          if (i == (guint) k)
            g_assert_cmpmem (&branched[i].losses, sizeof (ImpastoLosses), &records[i].losses,
                             sizeof (ImpastoLosses));
          else
            g_assert_cmpfloat (branched[i].losses.total, !=, records[i].losses.total);
        }
    }
  g_assert_false (g_bytes_equal (impasto_job_get_pixels (branch, NULL, NULL, NULL),
                                 impasto_job_get_pixels (original, NULL, NULL, NULL)));

  impasto_job_delete_run_folder (branch);
  impasto_job_delete_run_folder (original);
  g_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/job-branch/pictures", test_pictures);
  g_test_add_func ("/job-branch/folder", test_branch_folder);
  g_test_add_func ("/job-branch/adam", test_branch_adam);
  g_test_add_func ("/job-branch/lbfgs", test_branch_lbfgs);
  g_test_add_func ("/job-branch/beta", test_branch_beta);
  return g_test_run ();
}
