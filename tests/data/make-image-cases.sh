#!/bin/sh
# make-image-cases.sh: writes the three image files that tests/common/test-image-inputs.c cannot
# write itself (gdk-pixbuf saves neither CMYK nor progressive JPEG nor animated WebP), with
# ImageMagick 6 (Debian 12's imagemagick package; not needed to run the tests):
#   cmyk.jpg          32 x 16, left half red, right half blue, stored as CMYK (Adobe APP14)
#   progressive.jpg   48 x 32, a red-to-blue gradient, progressive (several scans)
#   animated.webp     20 x 10, two frames: red, then blue, looping
# Run from this folder: sh make-image-cases.sh
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
convert -size 16x16 xc:red xc:blue +append -colorspace CMYK -quality 95 -strip cmyk.jpg
convert -size 32x48 gradient:red-blue -rotate 90 -interlace JPEG -quality 90 -strip progressive.jpg
convert -delay 10 -size 20x10 xc:red xc:blue -loop 0 -strip animated.webp
