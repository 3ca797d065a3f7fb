/* impasto-types.h
 *
 * Forward declarations of the window's types, so that headers can name each other without
 * including each other. No code lives here.
 *
 * Copyright 2026 The Impasto authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ImpastoApplication  ImpastoApplication;
typedef struct _ImpastoFrame        ImpastoFrame;
typedef struct _ImpastoImageWell    ImpastoImageWell;
typedef struct _ImpastoJob          ImpastoJob;
typedef struct _ImpastoLogScaleRow  ImpastoLogScaleRow;
typedef struct _ImpastoLossPlot     ImpastoLossPlot;
typedef struct _ImpastoModel        ImpastoModel;
typedef struct _ImpastoParams       ImpastoParams;
typedef struct _ImpastoWindow       ImpastoWindow;

G_END_DECLS
