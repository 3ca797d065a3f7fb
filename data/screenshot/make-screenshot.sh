#!/bin/sh
# make-screenshot.sh
#
# Makes data/screenshots/impasto-running.png: the real window under Xvfb, mid-run, on two
# pictures generated here with ImageMagick (a simple landscape as the photo, a swirl as the
# painting). The window draws itself into a PNG with its own renderer (impasto-app-probe
# --screenshot), so the picture is exactly the window whatever the window manager.
#
# The model: IMPASTO_SCREENSHOT_MODEL=/path/to/imagenet-vgg-verydeep-19.mat if you have it (the
# real network gives a real painting); otherwise a full-size VGG19 with random weights, which
# shifts colours and textures but does not paint like the real thing. The run starts from the
# photo with a strong style weight, so that 25 iterations already show something.
#
# With --regions it makes data/screenshots/impasto-regions.png instead: the same run in Regions
# mode, with two regions painted once the run has begun (the photo kept in the middle, the
# painting weighted twice along the top), their colours over the canvas and their panel beside it.
#
# With --timeline it makes data/screenshots/impasto-timeline.png: the run 60 iterations in, with
# the snapshot after iteration 10 chosen on the timeline under the canvas (the canvas shows it,
# the bar above the timeline offers Continue From Here).
#
# Usage: data/screenshot/make-screenshot.sh [BUILD_DIR] [--dark | --regions | --timeline]
# Needs: xvfb-run, ImageMagick's convert, a build with the app (ninja -C BUILD_DIR).
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/_build}
style_arg=${2:-}
output=$root/data/screenshots/impasto-running.png
if [ "$style_arg" = "--dark" ]; then
  output=$root/data/screenshots/impasto-running-dark.png
elif [ "$style_arg" = "--regions" ]; then
  output=$root/data/screenshots/impasto-regions.png
elif [ "$style_arg" = "--timeline" ]; then
  output=$root/data/screenshots/impasto-timeline.png
fi
# Larger for the regions, so that their panel shows whole beside the sidebar and the canvas (the
# sidebar folds away when the canvas and the panel ask for more than the window has).
width=1180
height=760
if [ "$style_arg" = "--regions" ]; then
  width=1400
  height=860
fi
probe=$build/tests/app/impasto-app-probe

if [ ! -x "$probe" ]; then
  echo "make-screenshot.sh: $probe is missing; build first (ninja -C $build)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

convert -size 640x480 gradient:'#6fa8dc'-'#fce5cd' \
  -fill '#ffd966' -draw "circle 480,120 480,170" \
  -fill '#6aa84f' -draw "ellipse 160,520 420,200 0,360" \
  -fill '#38761d' -draw "ellipse 560,540 360,220 0,360" \
  -fill '#b45f06' -draw "rectangle 250,300 390,400" \
  -fill '#990000' -draw "polygon 235,300 320,230 405,300" \
  -fill '#fff2cc' -draw "rectangle 300,340 340,400" \
  -fill '#783f04' -draw "rectangle 520,300 535,380" \
  -fill '#274e13' -draw "circle 527,280 527,230" \
  "$tmp/photo.png"
convert -size 600x600 -seed 7 plasma:'#f1c232'-'#0b5394' -swirl 540 -blur 0x1 \
  "$tmp/painting.png"

if [ -n "${IMPASTO_SCREENSHOT_MODEL:-}" ]; then
  set -- --model "$IMPASTO_SCREENSHOT_MODEL"
else
  set -- --random
fi
if [ "$style_arg" = "--dark" ] || [ "$style_arg" = "--regions" ]; then
  set -- "$@" "$style_arg"
fi
after=25
if [ "$style_arg" = "--timeline" ]; then
  # Later in the run, looking back at the snapshot after iteration 10 on the timeline.
  set -- "$@" --scrub 10
  after=60
fi

mkdir -p "$(dirname "$output")"
env GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory \
    GSK_RENDERER=cairo GTK_A11Y=none LANG=C.UTF-8 \
  xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$probe" "$@" --size 256 --after "$after" --width "$width" --height "$height" \
    "--set=init='content'" --set beta=20000.0 --set learning-rate=4.0 \
    --screenshot "$output" "$tmp/photo.png" "$tmp/painting.png"
