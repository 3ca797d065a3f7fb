/* impasto-snapshot-format.c
 *
 * Writes and parses the snapshot file (format in impasto-snapshot-format.h). The header is a
 * byte array filled and read field by field through a cursor that checks its bounds, so padding
 * and alignment never matter; the payload's layout is computed from the header, with every size
 * checked against the bytes there are before a pointer is formed. Writing streams the header and
 * the arrays straight from the caller's buffers into a temporary file, fsyncs it and renames it,
 * as the model cache does (impasto-weights-cache.c).
 *
 * It does not compare a snapshot with a run (impasto-ladder-snapshot.c does), and it assumes a
 * little-endian host, as the model cache does.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "impasto-snapshot-format.h"
#include "impasto-weights-cache.h"

_Static_assert (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                "the snapshot format is little-endian and read without byte swapping");

const char impasto_snapshot_magic[IMPASTO_SNAPSHOT_MAGIC_SIZE] = "IMPASTO-SNAPSHOT";

#define ALIGN 64
#define OFF_CHECKSUM (IMPASTO_SNAPSHOT_HEADER_SIZE - 8)
/* The longest side a run may have (impasto_ladder_new()). */
#define MAX_SIDE (1 << 15)

/* A cursor over the header. Past the end it stops writing and reading, and says so. */
typedef struct
{
  unsigned char *bytes;
  const unsigned char *in;
  size_t at;
  bool overflow;
} Cursor;

static void
put (Cursor *c, const void *value, size_t size)
{
  if (c->overflow || size > OFF_CHECKSUM - c->at)
    {
      c->overflow = true;
      return;
    }
  memcpy (c->bytes + c->at, value, size);
  c->at += size;
}

static void
get (Cursor *c, void *value, size_t size)
{
  if (c->overflow || size > OFF_CHECKSUM - c->at)
    {
      c->overflow = true;
      memset (value, 0, size);
      return;
    }
  memcpy (value, c->in + c->at, size);
  c->at += size;
}

static void
put_i32 (Cursor *c, int value)
{
  int32_t v = value;

  put (c, &v, sizeof v);
}

static int
get_i32 (Cursor *c)
{
  int32_t v;

  get (c, &v, sizeof v);
  return v;
}

static void
put_u64 (Cursor *c, uint64_t value)
{
  put (c, &value, sizeof value);
}

static uint64_t
get_u64 (Cursor *c)
{
  uint64_t v;

  get (c, &v, sizeof v);
  return v;
}

static void
put_f64 (Cursor *c, double value)
{
  put (c, &value, sizeof value);
}

static double
get_f64 (Cursor *c)
{
  double v;

  get (c, &v, sizeof v);
  return v;
}

static void
put_params (Cursor *c, const ImpastoSessionParams *p)
{
  put_f64 (c, p->alpha);
  put_f64 (c, p->beta);
  put_f64 (c, p->tv);
  put_f64 (c, p->learning_rate);
  put (c, p->content_layers, sizeof p->content_layers);
  put (c, p->style_layers, sizeof p->style_layers);
  put (c, p->painting_weights, sizeof p->painting_weights);
}

static void
get_params (Cursor *c, ImpastoSessionParams *p)
{
  memset (p, 0, sizeof *p);
  p->alpha = get_f64 (c);
  p->beta = get_f64 (c);
  p->tv = get_f64 (c);
  p->learning_rate = get_f64 (c);
  get (c, p->content_layers, sizeof p->content_layers);
  get (c, p->style_layers, sizeof p->style_layers);
  get (c, p->painting_weights, sizeof p->painting_weights);
}

/* Everything between the file-level fields and the header's checksum, in one order for both
 * directions: @write chooses put or get. */
static void
code_fields (Cursor *c, ImpastoSnapshot *s, bool write)
{
#define I32(field) (write ? put_i32 (c, (int) (field)) : (void) ((field) = get_i32 (c)))
#define U64(field) (write ? put_u64 (c, (uint64_t) (field)) : (void) ((field) = get_u64 (c)))
#define F64(field) (write ? put_f64 (c, (field)) : (void) ((field) = get_f64 (c)))
  int optimizer = s->optimizer, pool = s->pool, guide = s->guide_mode;
  int converged = s->converged, grad_valid = s->grad_valid;
  int64_t adam_t = s->adam_t;

  I32 (s->final_width);
  I32 (s->final_height);
  I32 (s->n_sizes);
  for (int i = 0; i < IMPASTO_LADDER_MAX_SIZES; i++)
    {
      I32 (s->widths[i]);
      I32 (s->heights[i]);
      I32 (s->tile_windows[i]);
    }
  I32 (s->window);
  F64 (s->tolerance);
  I32 (optimizer);
  I32 (s->lbfgs_history);
  I32 (pool);
  I32 (guide);
  U64 (s->model_checksum);
  U64 (s->inputs_checksum);

  I32 (s->scale);
  I32 (s->last_scale);
  I32 (s->steps);
  I32 (s->budget_from);
  I32 (s->base);
  I32 (converged);
  I32 (s->iterations);
  I32 (s->middle_iterations);
  I32 (s->first_iterations);
  if (write)
    {
      put_params (c, &s->created);
      put_params (c, &s->params);
    }
  else
    {
      get_params (c, &s->created);
      get_params (c, &s->params);
    }

  I32 (s->width);
  I32 (s->height);
  I32 (s->iteration);
  I32 (grad_valid);
  F64 (s->losses.total);
  F64 (s->losses.content);
  F64 (s->losses.style);
  F64 (s->losses.tv_term);
  U64 (adam_t);
  I32 (s->n_pairs);
#undef I32
#undef U64
#undef F64

  if (!write)
    {
      /* Enums as they were written; parse() checks their range. */
      s->optimizer = (ImpastoOptimizer) optimizer;
      s->pool = (ImpastoPoolMode) pool;
      s->guide_mode = (ImpastoGuideMode) guide;
      s->converged = converged != 0;
      s->grad_valid = grad_valid != 0;
      s->adam_t = (long) adam_t;
    }
}

static size_t
align_up (size_t n)
{
  return (n + ALIGN - 1) / ALIGN * ALIGN;
}

/* One array of the payload, in file order. */
typedef struct
{
  const void *data;
  size_t bytes;
} Part;

/* The payload's arrays in file order; their count. @parts holds 6 + 2 * MAX_PAIRS. */
static int
list_parts (const ImpastoSnapshot *s, Part *parts)
{
  size_t n = (size_t) 3 * (size_t) s->width * (size_t) s->height;
  int k = 0;

  parts[k++] = (Part) { s->x, n * sizeof (float) };
  parts[k++] = (Part) { s->grad, n * sizeof (float) };
  if (s->optimizer == IMPASTO_OPTIMIZER_ADAM)
    {
      parts[k++] = (Part) { s->m, n * sizeof (float) };
      parts[k++] = (Part) { s->v, n * sizeof (float) };
    }
  for (int i = 0; i < s->n_pairs; i++)
    {
      parts[k++] = (Part) { s->s[i], n * sizeof (float) };
      parts[k++] = (Part) { s->y[i], n * sizeof (float) };
    }
  parts[k++] = (Part) { s->rho, (size_t) s->n_pairs * sizeof (double) };
  parts[k++] = (Part) { s->recent, ((size_t) s->window + 1) * sizeof (double) };
  return k;
}

static uint64_t
fold (uint64_t sum, uint64_t part)
{
  uint64_t pair[2] = { sum, part };

  return impasto_weights_cache_checksum (pair, sizeof pair);
}

/* The values the header may hold, for both directions: a writer that passes these cannot write
 * what the reader refuses. */
static bool
counts_valid (const ImpastoSnapshot *s)
{
  if (s->final_width < 16 || s->final_height < 16 || s->final_width > MAX_SIDE
      || s->final_height > MAX_SIDE || s->n_sizes < 1 || s->n_sizes > IMPASTO_LADDER_MAX_SIZES
      || s->window < 1 || s->window == INT_MAX || s->scale < 0 || s->scale >= s->n_sizes
      || s->width < 1 || s->height < 1 || s->width > MAX_SIDE || s->height > MAX_SIDE
      || s->n_pairs < 0 || s->n_pairs > IMPASTO_SNAPSHOT_MAX_PAIRS
      || (unsigned) s->optimizer > IMPASTO_OPTIMIZER_LBFGS
      || (s->optimizer == IMPASTO_OPTIMIZER_ADAM && s->n_pairs != 0)
      || (s->optimizer == IMPASTO_OPTIMIZER_LBFGS
          && (s->lbfgs_history < 1 || s->n_pairs > s->lbfgs_history))
      || s->adam_t < 0)
    return false;
  return true;
}

static bool
write_all (int fd, const void *data, size_t size)
{
  const char *p = data;

  while (size > 0)
    {
      ssize_t n = write (fd, p, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      p += n;
      size -= (size_t) n;
    }
  return true;
}

ImpastoStatus
impasto_snapshot_write (const ImpastoSnapshot *snapshot, const char *path,
                        ImpastoEngineError *error)
{
  static const char suffix[] = ".tmp-XXXXXX";
  static const unsigned char zeros[ALIGN];
  unsigned char header[IMPASTO_SNAPSHOT_HEADER_SIZE] = { 0 };
  Part parts[6 + 2 * IMPASTO_SNAPSHOT_MAX_PAIRS];
  char temp_path[PATH_MAX];
  Cursor c = { .bytes = header };
  ImpastoSnapshot fields = *snapshot;
  uint64_t sum = 0, file_size = IMPASTO_SNAPSHOT_HEADER_SIZE;
  uint32_t version = IMPASTO_SNAPSHOT_VERSION, header_size = IMPASTO_SNAPSHOT_HEADER_SIZE;
  int n_parts, fd, saved;

  if (!counts_valid (snapshot))
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%s: this run cannot be written as a snapshot (its sizes "
                                     "or its L-BFGS history of %d pairs are beyond the format's "
                                     "limits)", path, snapshot->n_pairs);
  if (strlen (path) + sizeof suffix > sizeof temp_path)
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: the path is too long", path);

  n_parts = list_parts (snapshot, parts);
  for (int k = 0; k < n_parts; k++)
    {
      sum = fold (sum, impasto_weights_cache_checksum (parts[k].data, parts[k].bytes));
      file_size += align_up (parts[k].bytes);
    }

  put (&c, impasto_snapshot_magic, IMPASTO_SNAPSHOT_MAGIC_SIZE);
  put (&c, &version, sizeof version);
  put (&c, &header_size, sizeof header_size);
  put_u64 (&c, file_size);
  put_u64 (&c, sum);
  code_fields (&c, &fields, true);
  IMPASTO_CHECK (!c.overflow);
  sum = impasto_weights_cache_checksum (header, OFF_CHECKSUM);
  memcpy (header + OFF_CHECKSUM, &sum, sizeof sum);

  strcpy (temp_path, path);
  strcat (temp_path, suffix);
  fd = mkostemp (temp_path, O_CLOEXEC);
  if (fd < 0)
    {
      saved = errno;
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot create: %s", path,
                                       strerror (saved));
    }
  errno = 0;
  if (!write_all (fd, header, sizeof header))
    goto failed;
  for (int k = 0; k < n_parts; k++)
    if (!write_all (fd, parts[k].data, parts[k].bytes)
        || !write_all (fd, zeros, align_up (parts[k].bytes) - parts[k].bytes))
      goto failed;
  /* mkostemp made it private; a snapshot is as readable as any other file the user writes. */
  if (fchmod (fd, 0644) != 0 || fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (rename (temp_path, path) != 0)
    goto failed;
  return IMPASTO_STATUS_OK;

failed:
  saved = errno != 0 ? errno : EIO;
  if (fd >= 0)
    close (fd);
  unlink (temp_path);
  return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot write the snapshot: %s",
                                   path, strerror (saved));
}

/* Reads up to @size bytes; *@got receives how many there were. */
static ImpastoStatus
read_all (int fd, void *data, size_t size, size_t *got, const char *path,
          ImpastoEngineError *error)
{
  unsigned char *p = data;

  *got = 0;
  while (*got < size)
    {
      ssize_t r = read (fd, p + *got, size - *got);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int saved = errno;

          return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot read: %s", path,
                                           strerror (saved));
        }
      if (r == 0)
        break;
      *got += (size_t) r;
    }
  return IMPASTO_STATUS_OK;
}

static ImpastoStatus
damaged (ImpastoEngineError *error, const char *what, const char *why)
{
  return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                   "%s: the snapshot is damaged (%s)", what, why);
}

/* The header alone: magic, version, its checksum and its counts. *@file_size and *@payload_sum
 * receive what it says of the rest. */
static ImpastoStatus
parse_header (ImpastoSnapshot *snapshot, const unsigned char *bytes, size_t size,
              const char *what, uint64_t *file_size, uint64_t *payload_sum,
              ImpastoEngineError *error)
{
  Cursor c = { .in = bytes };
  char magic[IMPASTO_SNAPSHOT_MAGIC_SIZE];
  uint32_t version, header_size;
  uint64_t header_sum;

  memset (snapshot, 0, sizeof *snapshot);
  if (size < IMPASTO_SNAPSHOT_MAGIC_SIZE
      || memcmp (bytes, impasto_snapshot_magic, IMPASTO_SNAPSHOT_MAGIC_SIZE) != 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%s: not an Impasto snapshot (the file does not start with "
                                     "its signature)", what);
  if (size < IMPASTO_SNAPSHOT_HEADER_SIZE)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%s: the snapshot is cut short (%zu bytes, the header alone "
                                     "is %d)", what, size, IMPASTO_SNAPSHOT_HEADER_SIZE);

  get (&c, magic, sizeof magic);
  get (&c, &version, sizeof version);
  if (version != IMPASTO_SNAPSHOT_VERSION)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%s: the snapshot has format version %u; this Impasto reads "
                                     "version %d", what, version, IMPASTO_SNAPSHOT_VERSION);
  memcpy (&header_sum, bytes + OFF_CHECKSUM, sizeof header_sum);
  if (impasto_weights_cache_checksum (bytes, OFF_CHECKSUM) != header_sum)
    return damaged (error, what, "its header's checksum does not match");
  get (&c, &header_size, sizeof header_size);
  *file_size = get_u64 (&c);
  *payload_sum = get_u64 (&c);
  code_fields (&c, snapshot, false);
  if (c.overflow || header_size != IMPASTO_SNAPSHOT_HEADER_SIZE || !counts_valid (snapshot))
    return damaged (error, what, "its header is inconsistent");
  return IMPASTO_STATUS_OK;
}

static ImpastoStatus
wrong_size (ImpastoEngineError *error, const char *what, uint64_t size, uint64_t file_size)
{
  return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                   "%s: the snapshot is cut short or too long (%llu bytes; its "
                                   "header says %llu)", what, (unsigned long long) size,
                                   (unsigned long long) file_size);
}

ImpastoStatus
impasto_snapshot_parse (ImpastoSnapshot *snapshot, const void *data, size_t size,
                        const char *what, ImpastoEngineError *error)
{
  const unsigned char *bytes = data;
  Part parts[6 + 2 * IMPASTO_SNAPSHOT_MAX_PAIRS];
  uint64_t file_size = 0, payload_sum = 0, sum, expected;
  size_t offset;
  int n_parts;
  ImpastoStatus status;

  if ((uintptr_t) data % 8 != 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                                     "%s: the snapshot's bytes are not aligned in memory", what);
  status = parse_header (snapshot, bytes, size, what, &file_size, &payload_sum, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  if (file_size != size)
    return wrong_size (error, what, size, file_size);

  /* The layout from the header: counts_valid() bounds every count, so none of this overflows
   * (at most 3 × 2^30 floats an array, 518 arrays). */
  expected = IMPASTO_SNAPSHOT_HEADER_SIZE;
  offset = IMPASTO_SNAPSHOT_HEADER_SIZE;
  {
    /* Placeholders with the right sizes; the pointers are made below once all fit. */
    ImpastoSnapshot shape = *snapshot;
    static const float f = 0.0f;
    static const double d = 0.0;

    shape.x = shape.grad = shape.m = shape.v = &f;
    for (int i = 0; i < shape.n_pairs; i++)
      shape.s[i] = shape.y[i] = &f;
    shape.rho = shape.recent = &d;
    n_parts = list_parts (&shape, parts);
  }
  for (int k = 0; k < n_parts; k++)
    expected += align_up (parts[k].bytes);
  if (expected != size)
    return damaged (error, what, "its size does not match its header");

  sum = 0;
  for (int k = 0; k < n_parts; k++)
    {
      parts[k].data = bytes + offset;
      sum = fold (sum, impasto_weights_cache_checksum (parts[k].data, parts[k].bytes));
      /* The padding is zeros, so that every byte of the file is checked. */
      for (size_t b = offset + parts[k].bytes; b < offset + align_up (parts[k].bytes); b++)
        if (bytes[b] != 0)
          return damaged (error, what, "its padding is not zeros");
      offset += align_up (parts[k].bytes);
    }
  if (sum != payload_sum)
    return damaged (error, what, "the checksum of its pictures and optimiser state does not "
                                 "match");

  {
    int k = 0;

    snapshot->x = parts[k++].data;
    snapshot->grad = parts[k++].data;
    if (snapshot->optimizer == IMPASTO_OPTIMIZER_ADAM)
      {
        snapshot->m = parts[k++].data;
        snapshot->v = parts[k++].data;
      }
    for (int i = 0; i < snapshot->n_pairs; i++)
      {
        snapshot->s[i] = parts[k++].data;
        snapshot->y[i] = parts[k++].data;
      }
    snapshot->rho = parts[k++].data;
    snapshot->recent = parts[k++].data;
  }
  return IMPASTO_STATUS_OK;
}

/* Opens @path and reads and checks its header into @header (and @snapshot's fields): a regular
 * file whose header is sound and says the file's own size. On success *@fd is open at the end of
 * the header and *@file_size is the file's size. */
static ImpastoStatus
open_with_header (const char *path, uint64_t header[IMPASTO_SNAPSHOT_HEADER_SIZE / 8],
                  ImpastoSnapshot *snapshot, int *fd, uint64_t *file_size,
                  ImpastoEngineError *error)
{
  uint64_t payload_sum = 0;
  struct stat st;
  size_t got;
  int saved;
  ImpastoStatus status;

  memset (snapshot, 0, sizeof *snapshot);
  *fd = open (path, O_RDONLY | O_CLOEXEC);
  if (*fd < 0)
    {
      saved = errno;
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open: %s", path,
                                       strerror (saved));
    }
  if (fstat (*fd, &st) != 0 || !S_ISREG (st.st_mode))
    status = impasto_engine_error_set (error, IMPASTO_STATUS_IO,
                                       "%s: not a regular file that can be read", path);
  else
    status = read_all (*fd, header, IMPASTO_SNAPSHOT_HEADER_SIZE, &got, path, error);
  if (status == IMPASTO_STATUS_OK)
    status = parse_header (snapshot, (const unsigned char *) header, got, path, file_size,
                           &payload_sum, error);
  if (status == IMPASTO_STATUS_OK
      && (*file_size != (uint64_t) st.st_size || *file_size < IMPASTO_SNAPSHOT_HEADER_SIZE))
    status = wrong_size (error, path, (uint64_t) st.st_size, *file_size);
  if (status != IMPASTO_STATUS_OK)
    {
      close (*fd);
      *fd = -1;
    }
  return status;
}

ImpastoStatus
impasto_snapshot_load_header (ImpastoSnapshot *snapshot, const char *path,
                              ImpastoEngineError *error)
{
  uint64_t header[IMPASTO_SNAPSHOT_HEADER_SIZE / 8], file_size = 0;
  int fd;
  ImpastoStatus status = open_with_header (path, header, snapshot, &fd, &file_size, error);

  if (status == IMPASTO_STATUS_OK)
    close (fd);
  return status;
}

ImpastoStatus
impasto_snapshot_load (ImpastoSnapshot *snapshot, void **buffer, const char *path,
                       ImpastoEngineError *error)
{
  uint64_t header[IMPASTO_SNAPSHOT_HEADER_SIZE / 8], file_size = 0;
  unsigned char *data;
  size_t got;
  int fd;
  ImpastoStatus status;

  *buffer = NULL;
  /* The header first: nothing is allocated for a file that is not a snapshot, or not the size
   * its header says. */
  status = open_with_header (path, header, snapshot, &fd, &file_size, error);
  if (status == IMPASTO_STATUS_OK && file_size > SIZE_MAX)
    {
      close (fd);
      status = impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                         "%s: the snapshot is too large to read", path);
    }
  if (status != IMPASTO_STATUS_OK)
    return status;

  /* malloc's alignment (at least 8 on every host the format supports) is what parse needs. */
  data = malloc ((size_t) file_size);
  if (data == NULL)
    {
      close (fd);
      return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY,
                                       "%s: not enough memory to read the snapshot (%llu bytes)",
                                       path, (unsigned long long) file_size);
    }
  memcpy (data, header, sizeof header);
  status = read_all (fd, data + sizeof header, (size_t) file_size - sizeof header, &got, path,
                     error);
  close (fd);
  if (status != IMPASTO_STATUS_OK)
    {
      free (data);
      return status;
    }
  *buffer = data;
  /* A file that shrank while it was read is parsed as what there is, and refused. */
  return impasto_snapshot_parse (snapshot, data, sizeof header + got, path, error);
}
