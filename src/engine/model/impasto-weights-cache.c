/* impasto-weights-cache.c
 *
 * Writes and reads Impasto's compact model file (format in impasto-weights-cache.h). Reading is a
 * parse of bytes that are already in memory (a mapping, or a fuzzer's buffer): every field is read
 * with memcpy from a checked offset, every size is checked against the buffer before a pointer is
 * formed, and the weights then point straight into the buffer. Writing streams the layers into a
 * temporary file, maps it back to checksum the payload, writes the header last, fsyncs and renames.
 *
 * The file is little-endian on disk and this code assumes a little-endian host (x86-64, aarch64);
 * it does not decide where caches live or whether one belongs to a given .mat.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "impasto-weights-cache.h"

_Static_assert (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                "the cache format is little-endian and read without byte swapping");

const char impasto_weights_cache_magic[IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE] = "IMPASTO-VGG19\n\x1a";

/* Header field offsets. The table holds IMPASTO_VGG19_N_CONVS entries of LAYER_ENTRY_SIZE. */
enum
{
  OFF_MAGIC = 0,
  OFF_VERSION = 16,          /* u32 */
  OFF_HEADER_SIZE = 20,      /* u32 */
  OFF_FILE_SIZE = 24,        /* u64 */
  OFF_N_LAYERS = 32,         /* u32 */
  OFF_FLAGS = 36,            /* u32: FLAG_* */
  OFF_MEAN = 40,             /* 3 x f32 */
  OFF_PAYLOAD_OFFSET = 56,   /* u64 */
  OFF_PAYLOAD_SIZE = 64,     /* u64 */
  OFF_PAYLOAD_CHECKSUM = 72, /* u64 */
  OFF_SOURCE_SIZE = 80,      /* u64 */
  OFF_SOURCE_MTIME = 88,     /* i64 seconds, i64 nanoseconds */
  OFF_SOURCE_MD5 = 104,      /* 16 bytes */
  OFF_SOURCE_NAME = 120,     /* 256 bytes, NUL-terminated */
  OFF_LAYERS = 376,
  LAYER_ENTRY_SIZE = 64,     /* name[16], u32 cout, cin, kh, kw, u64 filter and bias offsets */
  OFF_SOURCE_FINGERPRINT = OFF_LAYERS + IMPASTO_VGG19_N_CONVS * LAYER_ENTRY_SIZE, /* u64 */
  OFF_HEADER_CHECKSUM = IMPASTO_WEIGHTS_CACHE_HEADER_SIZE - 8,
};

enum
{
  FLAG_MEAN_FROM_FILE = 1u << 0,
  FLAG_SOURCE_MD5 = 1u << 1,
};

#define PAYLOAD_ALIGN 64
/* Far above VGG19's 512, as in the .mat loader. */
#define MAX_CHANNELS 65536

_Static_assert (OFF_SOURCE_FINGERPRINT + 8 <= OFF_HEADER_CHECKSUM,
                "the layer table fits in the header");

static size_t
align_up (size_t n, size_t to)
{
  return (n + to - 1) / to * to;
}

uint64_t
impasto_weights_cache_checksum (const void *data, size_t size)
{
  /* Four independent lanes keep the multiplier busy (about a word per cycle); each lane is a
   * multiply-xor-shift mix, so any changed bit changes the result. */
  const unsigned char *bytes = data;
  uint64_t lane[4] = { 0x243f6a8885a308d3u, 0x13198a2e03707344u, 0xa4093822299f31d0u,
                       0x082efa98ec4e6c89u };
  const uint64_t k = 0x9e3779b97f4a7c15u;
  size_t words = size / 8;
  size_t i = 0;
  uint64_t h;

  for (; i + 4 <= words; i += 4)
    for (int j = 0; j < 4; j++)
      {
        uint64_t w;

        memcpy (&w, bytes + 8 * (i + j), 8);
        lane[j] = (lane[j] ^ w) * k;
        lane[j] ^= lane[j] >> 29;
      }
  for (; i < words; i++)
    {
      uint64_t w;

      memcpy (&w, bytes + 8 * i, 8);
      lane[0] = (lane[0] ^ w) * k;
      lane[0] ^= lane[0] >> 29;
    }
  for (size_t b = words * 8; b < size; b++)
    {
      lane[1] = (lane[1] ^ bytes[b]) * k;
      lane[1] ^= lane[1] >> 29;
    }

  h = (uint64_t) size * k;
  for (int j = 0; j < 4; j++)
    {
      h = (h ^ lane[j]) * k;
      h ^= h >> 31;
    }
  return h;
}

bool
impasto_weights_cache_has_magic (const void *data, size_t size)
{
  return data != NULL && size >= IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE
         && memcmp (data, impasto_weights_cache_magic, IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE) == 0;
}

/* Little readers and writers of header fields (the header is a byte array, not a struct, so that
 * padding and alignment never matter). */

static uint32_t
get_u32 (const unsigned char *p, size_t off)
{
  uint32_t v;

  memcpy (&v, p + off, sizeof v);
  return v;
}

static uint64_t
get_u64 (const unsigned char *p, size_t off)
{
  uint64_t v;

  memcpy (&v, p + off, sizeof v);
  return v;
}

static void
put_u32 (unsigned char *p, size_t off, uint32_t v)
{
  memcpy (p + off, &v, sizeof v);
}

static void
put_u64 (unsigned char *p, size_t off, uint64_t v)
{
  memcpy (p + off, &v, sizeof v);
}

/* Checks the header alone: magic, version, its own checksum and size fields. */
static ImpastoStatus
parse_header (ImpastoWeightsCacheInfo *info,
              const unsigned char     *header,
              size_t                   available,
              const char              *what,
              ImpastoEngineError            *error)
{
  uint32_t version;

  memset (info, 0, sizeof *info);
  if (available < IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE || !impasto_weights_cache_has_magic (header,
                                                                                       available))
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: not an Impasto model cache (the file does not start with its "
                              "signature)", what);
  if (available < IMPASTO_WEIGHTS_CACHE_HEADER_SIZE)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache is cut short (%zu bytes, the header alone is "
                              "%d)", what, available, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE);

  version = get_u32 (header, OFF_VERSION);
  if (version != IMPASTO_WEIGHTS_CACHE_VERSION)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache has format version %u; this Impasto reads "
                              "version %d", what, version, IMPASTO_WEIGHTS_CACHE_VERSION);
  if (impasto_weights_cache_checksum (header, OFF_HEADER_CHECKSUM)
      != get_u64 (header, OFF_HEADER_CHECKSUM))
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache's header is damaged (its checksum does not "
                              "match)", what);
  if (get_u32 (header, OFF_HEADER_SIZE) != IMPASTO_WEIGHTS_CACHE_HEADER_SIZE
      || get_u32 (header, OFF_N_LAYERS) != IMPASTO_VGG19_N_CONVS
      || get_u64 (header, OFF_PAYLOAD_OFFSET) != IMPASTO_WEIGHTS_CACHE_HEADER_SIZE
      || get_u64 (header, OFF_FILE_SIZE)
         != get_u64 (header, OFF_PAYLOAD_OFFSET) + get_u64 (header, OFF_PAYLOAD_SIZE))
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache's header is inconsistent", what);

  info->version = version;
  info->file_size = get_u64 (header, OFF_FILE_SIZE);
  info->payload_size = get_u64 (header, OFF_PAYLOAD_SIZE);
  info->payload_checksum = get_u64 (header, OFF_PAYLOAD_CHECKSUM);
  info->source.size = get_u64 (header, OFF_SOURCE_SIZE);
  info->source.mtime_sec = (int64_t) get_u64 (header, OFF_SOURCE_MTIME);
  info->source.mtime_nsec = (int64_t) get_u64 (header, OFF_SOURCE_MTIME + 8);
  info->source.fingerprint = get_u64 (header, OFF_SOURCE_FINGERPRINT);
  info->source.has_md5 = (get_u32 (header, OFF_FLAGS) & FLAG_SOURCE_MD5) != 0;
  memcpy (info->source.md5, header + OFF_SOURCE_MD5, sizeof info->source.md5);
  memcpy (info->source.name, header + OFF_SOURCE_NAME, sizeof info->source.name);
  info->source.name[sizeof info->source.name - 1] = '\0';
  return IMPASTO_STATUS_OK;
}

/* Points conv @i's arrays into @data after checking that they lie inside it. */
static ImpastoStatus
parse_layer (ImpastoConvWeights  *conv,
             int                  i,
             const unsigned char *data,
             size_t               size,
             const char          *what,
             ImpastoEngineError        *error)
{
  const unsigned char *entry = data + OFF_LAYERS + (size_t) i * LAYER_ENTRY_SIZE;
  const char *expected = impasto_vgg19_conv_name (i);
  char name[17];
  uint32_t cout = get_u32 (entry, 16);
  uint32_t cin = get_u32 (entry, 20);
  uint64_t filter_offset = get_u64 (entry, 32);
  uint64_t bias_offset = get_u64 (entry, 40);
  uint64_t filter_bytes, bias_bytes;

  memcpy (name, entry, 16);
  name[16] = '\0';
  if (strcmp (name, expected) != 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache's layer %d is not %s", what, i + 1, expected);
  if (get_u32 (entry, 24) != 3 || get_u32 (entry, 28) != 3)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s in the model cache is not a 3x3 convolution", what,
                              expected);
  if (cout == 0 || cin == 0 || cout > MAX_CHANNELS || cin > MAX_CHANNELS)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s in the model cache has %u input and %u output "
                              "channels", what, expected, cin, cout);

  filter_bytes = 9 * (uint64_t) cin * cout * sizeof (float);
  bias_bytes = (uint64_t) cout * sizeof (float);
  if (filter_offset % sizeof (float) != 0 || bias_offset % sizeof (float) != 0
      || filter_offset < IMPASTO_WEIGHTS_CACHE_HEADER_SIZE
      || bias_offset < IMPASTO_WEIGHTS_CACHE_HEADER_SIZE
      || filter_offset > size || filter_bytes > size - filter_offset
      || bias_offset > size || bias_bytes > size - bias_offset)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: layer %s lies outside the model cache", what, expected);

  conv->out_channels = (int) cout;
  conv->in_channels = (int) cin;
  conv->filters = (float *) (void *) (data + filter_offset);
  conv->biases = (float *) (void *) (data + bias_offset);
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_weights_cache_parse (ImpastoWeights          **out,
                             ImpastoWeightsCacheInfo  *info,
                             const void               *data,
                             size_t                    size,
                             const char               *what,
                             ImpastoEngineError             *error)
{
  const unsigned char *bytes = data;
  ImpastoWeightsCacheInfo local_info;
  ImpastoWeights *weights;
  ImpastoStatus status;

  if (out == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_cache_parse: no output given");
  *out = NULL;
  if (what == NULL)
    what = "model cache";
  if (info == NULL)
    info = &local_info;
  if (data == NULL || ((uintptr_t) data) % sizeof (float) != 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_cache_parse: data missing or misaligned");

  status = parse_header (info, bytes, size, what, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  if (info->file_size != size)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache is %zu bytes but its header says %llu "
                              "(cut short or appended to)", what, size,
                              (unsigned long long) info->file_size);
  if (impasto_weights_cache_checksum (bytes + IMPASTO_WEIGHTS_CACHE_HEADER_SIZE,
                                      info->payload_size) != info->payload_checksum)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache's weights are damaged (their checksum does "
                              "not match)", what);

  weights = calloc (1, sizeof *weights);
  if (weights == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory", what);
  weights->borrowed = true;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      status = parse_layer (&weights->convs[i], i, bytes, size, what, error);
      if (status != IMPASTO_STATUS_OK)
        {
          impasto_weights_free (weights);
          return status;
        }
    }
  memcpy (weights->mean_pixel, bytes + OFF_MEAN, sizeof weights->mean_pixel);
  weights->mean_from_file = (get_u32 (bytes, OFF_FLAGS) & FLAG_MEAN_FROM_FILE) != 0;

  status = impasto_weights_validate (weights, what, error);
  if (status != IMPASTO_STATUS_OK)
    {
      impasto_weights_free (weights);
      return error != NULL ? (error->status = IMPASTO_STATUS_MODEL) : IMPASTO_STATUS_MODEL;
    }
  *out = weights;
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_weights_cache_map (ImpastoWeights          **out,
                           ImpastoWeightsCacheInfo  *info,
                           const char               *path,
                           ImpastoEngineError             *error)
{
  struct stat st;
  void *mapping;
  ImpastoStatus status;
  int fd;

  if (out == NULL || path == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_cache_map: no %s given",
                              out == NULL ? "output" : "path");
  *out = NULL;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open: %s", path,
                              strerror (errno));
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;

      close (fd);
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: %s", path,
                                S_ISREG (st.st_mode) ? strerror (saved) : "not a regular file");
    }
  if ((uint64_t) st.st_size < IMPASTO_WEIGHTS_CACHE_HEADER_SIZE)
    {
      unsigned char head[IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE];
      ssize_t n = pread (fd, head, sizeof head, 0);

      close (fd);
      if (n < 0)
        return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot read: %s", path,
                                  strerror (errno));
      return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                                impasto_weights_cache_has_magic (head, (size_t) n)
                                ? "%s: the model cache is cut short"
                                : "%s: not an Impasto model cache", path);
    }

  /* MAP_POPULATE reads the file in up front (one pass, from the page cache when warm) instead of
   * a page fault for every 4 KiB that the checksum then touches. */
  mapping = mmap (NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (mapping == MAP_FAILED)
    {
      int saved = errno;

      close (fd);
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot map: %s", path,
                                strerror (saved));
    }

  status = impasto_weights_cache_parse (out, info, mapping, (size_t) st.st_size, path, error);
  if (status != IMPASTO_STATUS_OK)
    {
      munmap (mapping, (size_t) st.st_size);
      close (fd);
      return status;
    }
  /* The descriptor stays open with the weights, to notice the file shrinking under the mapping
   * (impasto_weights_check_mapping). */
  (*out)->borrowed = false;
  (*out)->mapping = mapping;
  (*out)->mapping_size = (size_t) st.st_size;
  (*out)->mapping_fd = fd;
  (*out)->source_path = strdup (path);
  return IMPASTO_STATUS_OK;
}

ImpastoStatus
impasto_weights_cache_read_info (ImpastoWeightsCacheInfo *info,
                                 const char              *path,
                                 ImpastoEngineError            *error)
{
  unsigned char header[IMPASTO_WEIGHTS_CACHE_HEADER_SIZE];
  struct stat st;
  ssize_t n;
  ImpastoStatus status;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot open: %s", path,
                              strerror (errno));
  n = pread (fd, header, sizeof header, 0);
  if (n < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      close (fd);
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot read: %s", path,
                                strerror (saved));
    }
  close (fd);

  status = parse_header (info, header, (size_t) n, path, error);
  if (status != IMPASTO_STATUS_OK)
    return status;
  if (info->file_size != (uint64_t) st.st_size)
    return impasto_engine_error_set (error, IMPASTO_STATUS_MODEL,
                              "%s: the model cache is %lld bytes but its header says %llu "
                              "(cut short or appended to)", path, (long long) st.st_size,
                              (unsigned long long) info->file_size);
  return IMPASTO_STATUS_OK;
}

/* Writes all of @size bytes at the file's position. */
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

/* Pads the file with zeros up to @to. */
static bool
pad_to (int fd, size_t *position, size_t to)
{
  static const char zeros[PAYLOAD_ALIGN];

  if (to <= *position)
    return true;
  if (!write_all (fd, zeros, to - *position))
    return false;
  *position = to;
  return true;
}

/* Writes the layers from the header's end and fills in the table; returns the file size or 0. */
static size_t
write_payload (int fd, unsigned char *header, const ImpastoWeights *weights)
{
  size_t position = IMPASTO_WEIGHTS_CACHE_HEADER_SIZE;

  if (lseek (fd, (off_t) position, SEEK_SET) < 0)
    return 0;
  for (int i = 0; i < IMPASTO_VGG19_N_CONVS; i++)
    {
      const ImpastoConvWeights *conv = &weights->convs[i];
      unsigned char *entry = header + OFF_LAYERS + (size_t) i * LAYER_ENTRY_SIZE;
      size_t filter_bytes = 9 * (size_t) conv->in_channels * conv->out_channels * sizeof (float);
      size_t bias_bytes = (size_t) conv->out_channels * sizeof (float);

      strncpy ((char *) entry, impasto_vgg19_conv_name (i), 16);
      put_u32 (entry, 16, (uint32_t) conv->out_channels);
      put_u32 (entry, 20, (uint32_t) conv->in_channels);
      put_u32 (entry, 24, 3);
      put_u32 (entry, 28, 3);

      put_u64 (entry, 32, position);
      if (!write_all (fd, conv->filters, filter_bytes))
        return 0;
      position += filter_bytes;
      if (!pad_to (fd, &position, align_up (position, PAYLOAD_ALIGN)))
        return 0;

      put_u64 (entry, 40, position);
      if (!write_all (fd, conv->biases, bias_bytes))
        return 0;
      position += bias_bytes;
      if (!pad_to (fd, &position, align_up (position, PAYLOAD_ALIGN)))
        return 0;
    }
  return position;
}

static void
fill_source (unsigned char *header, const ImpastoModelSource *source, uint32_t *flags)
{
  if (source == NULL)
    return;
  put_u64 (header, OFF_SOURCE_SIZE, source->size);
  put_u64 (header, OFF_SOURCE_MTIME, (uint64_t) source->mtime_sec);
  put_u64 (header, OFF_SOURCE_MTIME + 8, (uint64_t) source->mtime_nsec);
  put_u64 (header, OFF_SOURCE_FINGERPRINT, source->fingerprint);
  if (source->has_md5)
    {
      memcpy (header + OFF_SOURCE_MD5, source->md5, sizeof source->md5);
      *flags |= FLAG_SOURCE_MD5;
    }
  memcpy (header + OFF_SOURCE_NAME, source->name,
          strnlen (source->name, sizeof source->name - 1));
}

ImpastoStatus
impasto_weights_cache_write (const ImpastoWeights     *weights,
                             const ImpastoModelSource *source,
                             const char               *path,
                             ImpastoEngineError             *error)
{
  static const char suffix[] = ".tmp-XXXXXX";
  unsigned char header[IMPASTO_WEIGHTS_CACHE_HEADER_SIZE] = { 0 };
  uint32_t flags = 0;
  char *temp_path;
  void *mapping;
  size_t file_size;
  int fd, saved;
  ImpastoStatus status;

  if (weights == NULL || path == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_INVALID_ARGUMENT,
                              "impasto_weights_cache_write: no %s given",
                              weights == NULL ? "weights" : "path");
  status = impasto_weights_validate (weights, path, error);
  if (status != IMPASTO_STATUS_OK)
    return status;

  temp_path = malloc (strlen (path) + sizeof suffix);
  if (temp_path == NULL)
    return impasto_engine_error_set (error, IMPASTO_STATUS_OUT_OF_MEMORY, "%s: out of memory", path);
  strcpy (temp_path, path);
  strcat (temp_path, suffix);
  fd = mkostemp (temp_path, O_CLOEXEC);
  if (fd < 0)
    {
      saved = errno;
      free (temp_path);
      return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot create: %s", path,
                                strerror (saved));
    }

  file_size = write_payload (fd, header, weights);
  if (file_size == 0)
    goto failed;

  /* The payload checksum, over what is actually in the file. */
  mapping = mmap (NULL, file_size, PROT_READ, MAP_SHARED, fd, 0);
  if (mapping == MAP_FAILED)
    goto failed;
  put_u64 (header, OFF_PAYLOAD_CHECKSUM,
           impasto_weights_cache_checksum ((const char *) mapping
                                           + IMPASTO_WEIGHTS_CACHE_HEADER_SIZE,
                                           file_size - IMPASTO_WEIGHTS_CACHE_HEADER_SIZE));
  munmap (mapping, file_size);

  memcpy (header + OFF_MAGIC, impasto_weights_cache_magic, IMPASTO_WEIGHTS_CACHE_MAGIC_SIZE);
  put_u32 (header, OFF_VERSION, IMPASTO_WEIGHTS_CACHE_VERSION);
  put_u32 (header, OFF_HEADER_SIZE, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE);
  put_u64 (header, OFF_FILE_SIZE, file_size);
  put_u32 (header, OFF_N_LAYERS, IMPASTO_VGG19_N_CONVS);
  memcpy (header + OFF_MEAN, weights->mean_pixel, sizeof weights->mean_pixel);
  if (weights->mean_from_file)
    flags |= FLAG_MEAN_FROM_FILE;
  put_u64 (header, OFF_PAYLOAD_OFFSET, IMPASTO_WEIGHTS_CACHE_HEADER_SIZE);
  put_u64 (header, OFF_PAYLOAD_SIZE, file_size - IMPASTO_WEIGHTS_CACHE_HEADER_SIZE);
  fill_source (header, source, &flags);
  put_u32 (header, OFF_FLAGS, flags);
  put_u64 (header, OFF_HEADER_CHECKSUM,
           impasto_weights_cache_checksum (header, OFF_HEADER_CHECKSUM));

  if (pwrite (fd, header, sizeof header, 0) != (ssize_t) sizeof header)
    goto failed;
  /* mkostemp made it private; a model file is as readable as any other file the user writes. */
  if (fchmod (fd, 0644) != 0)
    goto failed;
  if (fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (rename (temp_path, path) != 0)
    goto failed;
  free (temp_path);
  return IMPASTO_STATUS_OK;

failed:
  saved = errno != 0 ? errno : EIO;
  if (fd >= 0)
    close (fd);
  unlink (temp_path);
  free (temp_path);
  return impasto_engine_error_set (error, IMPASTO_STATUS_IO, "%s: cannot write the model cache: %s", path,
                            strerror (saved));
}
