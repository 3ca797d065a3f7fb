/* impasto-download-page.h
 *
 * What the "no model" page shows under its title: a Download button next to "Choose File…",
 * where the network comes from and how its licence is quoted; while downloading, a progress bar
 * with bytes, rate and time left and a Cancel button; after a failure, the message and Retry
 * (which resumes). The address is the model-url setting (or IMPASTO_MODEL_URL, or MatConvNet's);
 * the accepted MD5 sums are the model-md5 setting, or the two published ones. The file goes to
 * $XDG_DATA_HOME/impasto/. When it is in place and verified the page emits `downloaded` with its
 * path and MD5; the window connects it and asks the application to load the file.
 *
 * This file does not download (impasto-download.h does) or load the model, and knows nothing
 * of the window or the application above it.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "impasto-download.h"
#include "impasto-types.h"

G_BEGIN_DECLS

typedef enum
{
  IMPASTO_DOWNLOAD_PAGE_OFFER,   /* the Download button (after a cancel too) */
  IMPASTO_DOWNLOAD_PAGE_RUNNING, /* progress and Cancel */
  IMPASTO_DOWNLOAD_PAGE_FAILED,  /* the error and Retry */
  IMPASTO_DOWNLOAD_PAGE_DONE,    /* in place and verified; the model is loading */
} ImpastoDownloadPageState;

#define IMPASTO_TYPE_DOWNLOAD_PAGE_STATE (impasto_download_page_state_get_type ())
GType impasto_download_page_state_get_type (void);

#define IMPASTO_TYPE_DOWNLOAD_PAGE (impasto_download_page_get_type ())

G_DECLARE_FINAL_TYPE (ImpastoDownloadPage, impasto_download_page, IMPASTO, DOWNLOAD_PAGE,
                      GtkWidget)

GtkWidget                *impasto_download_page_new          (void);
/* Starts (or resumes) the download; what the Download and Retry buttons do. */
void                      impasto_download_page_start        (ImpastoDownloadPage *self);
/* Stops it and keeps what arrived; what Cancel does. */
void                      impasto_download_page_cancel       (ImpastoDownloadPage *self);
ImpastoDownloadPageState  impasto_download_page_get_state    (ImpastoDownloadPage *self);
/* The current or last download, or NULL before the first. */
ImpastoDownload          *impasto_download_page_get_download (ImpastoDownloadPage *self);

/* Where the network comes from and how its licence is quoted, as Pango markup with links: shown
 * on this page and in the About window's legal section. */
const char               *impasto_download_page_get_network_credits (void);

G_END_DECLS
