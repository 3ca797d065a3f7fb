#!/bin/sh
# check-engine-includes.sh SRC/ENGINE
#
# The engine's includes point one way: run -> objective, optim -> net -> model -> base (a file
# may include its own part's headers and those of the parts below it, never above or beside), and
# no two modules (a .c with its .h and its -private.h) include each other, directly or round a
# circle. Prints each
# offending include, or tsort's loop, and exits 1; exits 0 when all is well. color (the colour
# math) ranks with model: both stand on base alone.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

dir=$1
status=0
pairs=$(mktemp)
loops=$(mktemp)
trap 'rm -f "$pairs" "$loops"' EXIT

rank ()
{
  case $1 in
    base) echo 0 ;;
    model | color) echo 1 ;;
    net) echo 2 ;;
    objective | optim) echo 3 ;;
    run) echo 4 ;;
    *) echo "check-engine-includes: unknown part $1" >&2; exit 2 ;;
  esac
}

for file in "$dir"/*/*.c "$dir"/*/*.h; do
  part=$(basename "$(dirname "$file")")
  module=$(basename "$file")
  module=${module%.*}
  module=${module%-private}
  echo "$module $module" >> "$pairs"
  for header in $(sed -n 's/^#include "\(impasto-[a-z0-9-]*\)\.h".*/\1/p' "$file"); do
    found=$(ls "$dir"/*/"$header.h" 2> /dev/null || true)
    if [ -z "$found" ]; then
      continue # not an engine header (config.h)
    fi
    header_part=$(basename "$(dirname "$found")")
    if [ "$header_part" != "$part" ] && [ "$(rank "$header_part")" -ge "$(rank "$part")" ]; then
      echo "$part/$(basename "$file") includes $header_part/$header.h" >&2
      status=1
    fi
    if [ "${header%-private}" != "$module" ]; then
      echo "$module ${header%-private}" >> "$pairs"
    fi
  done
done

if ! tsort "$pairs" > /dev/null 2> "$loops"; then
  echo "engine modules include each other in a circle:" >&2
  cat "$loops" >&2
  status=1
fi
exit $status
