#!/bin/bash
# make-readme-pictures.sh
#
# Makes the README's side-by-side pictures of the painter's controls (issue 14): the colour
# choices, a blend of two paintings and three brush sizes, each painted by the built impasto-cli;
# and the README's recording of a run (issue 18), film.webp: the animation impasto-cli exports
# of one run (--animation), from the noisy start to the last picture.
# The inputs are drawn here with ImageMagick (a flat "photo" of a house under a sun and two
# plasma-fractal "paintings", seeded, so the same on every run) and the tiles are put side by
# side with ImageMagick's montage. Only for the README: nothing in the build or the tests runs it.
#
#   tools/make-readme-pictures.sh BUILD_DIR MODEL OUT_DIR [ITERATIONS]
#
# MODEL is any VGG19 .mat: the pictures in the README were made with a random-weight VGG19 of the
# real shapes (tools/impasto-make-vgg19), as the real network cannot be downloaded where they were
# made, so they show what each control does, not what a painting looks like with the real one.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR MODEL OUT_DIR [ITERATIONS]" >&2
  exit 2
fi
build=$(realpath "$1")
model=$(realpath "$2")
out=$(realpath -m "$3")
iterations=${4:-100}
cli="$build/src/cli/impasto-cli"
# The painted tiles stay in $IMPASTO_PICTURES_WORK when it is set (a second call then only puts
# them side by side again); else in a temporary folder.
if [ -n "${IMPASTO_PICTURES_WORK:-}" ]; then
  work=$IMPASTO_PICTURES_WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
# montage's default font (Helvetica) is often missing: any sans font fontconfig knows.
font=$(fc-match -f '%{file}' sans 2>/dev/null || true)
mkdir -p "$out"
cd "$work"

# The inputs.
convert -size 256x192 gradient:'#7fb2e5'-'#f4e6c8' \
  \( -size 256x192 xc:none -fill '#3f6b2a' -draw "ellipse 128,230 200,90 0,360" \
     -fill '#b5462f' -draw "polygon 70,150 120,105 170,150" \
     -fill '#e8d7b0' -draw "rectangle 80,150 160,190" \
     -fill '#f7d23e' -draw "circle 200,45 200,70" \) -composite photo.png
convert -seed 4 -size 240x240 plasma:'#d9480f'-'#1c3d7a' -swirl 240 -blur 0x1 painting-a.png
convert -seed 9 -size 300x200 plasma:'#f2c14e'-'#2a9d8f' -paint 4 -sharpen 0x2 painting-b.png

paint () {
  local name=$1
  shift
  [ -e "$name.png" ] && return 0
  "$cli" --content photo.png --output "$name.png" --model "$model" --size 256 \
    --iterations "$iterations" --seed 1 "$@"
}

paint none --style painting-a.png
paint luminance --style painting-a.png --preserve-colors luminance
paint histogram --style painting-a.png --preserve-colors histogram
paint swap --style painting-a.png --preserve-colors swap
paint only-b --style painting-b.png
paint blend --style painting-a.png --style painting-b.png --style-weights 0.5,0.5
paint brush-half --style painting-a.png --style-scale 0.5
paint brush-double --style painting-a.png --style-scale 2 --style-upscale
# Three times the iterations, so that the film shows the picture settle.
paint film --style painting-a.png --iterations $((iterations * 3)) --animation "$out/film.webp" \
  --animation-frames 48 --animation-size 256

tiles () {
  local output=$1
  shift
  montage "$@" ${font:+-font "$font"} -geometry 192x144+3+3 -pointsize 13 -background white \
    -quality 88 "$output"
}

tiles "$out/colors.jpg" \
  -label 'photo' photo.png -label 'painting' painting-a.png \
  -label 'none' none.png -label 'luminance' luminance.png \
  -label 'histogram' histogram.png -label 'swap' swap.png
tiles "$out/blend.jpg" \
  -label 'painting A' painting-a.png -label 'painting B' painting-b.png \
  -label 'A alone' none.png -label 'A 0.5, B 0.5' blend.png -label 'B alone' only-b.png
tiles "$out/brush.jpg" \
  -label '--style-scale 0.5' brush-half.png -label '1' none.png \
  -label '2 (--style-upscale)' brush-double.png
echo "wrote $out/colors.jpg, blend.jpg, brush.jpg and film.webp"
