#!/bin/sh
# check-app-calls.sh SRC/APP
#
# The app's files call each other one way only: for each function a .c file in SRC/APP defines
# without `static` (GNU style: the name at the start of a line, its type on the line before), the
# other .c files there that name it (a call, or a callback handed on) depend on the file that
# defines it; no two files may depend on each other, directly or round a circle. Comments do not
# count. Prints tsort's loop and the calls that close it, and exits 1; exits 0 when all is well.
#
# It reads the code, not the headers: a circle of includes alone is harmless, a circle of calls
# means two files that cannot be understood (or moved) one without the other.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each file without its comments (/* */ and //, across lines), kept under its own name.
for file in "$dir"/*.c; do
  awk '
    {
      line = $0
      out = ""
      while (line != "")
        {
          if (in_comment)
            {
              end = index (line, "*/")
              if (end == 0)
                {
                  line = ""
                  continue
                }
              line = substr (line, end + 2)
              in_comment = 0
              continue
            }
          start = index (line, "/*")
          slashes = index (line, "//")
          if (slashes > 0 && (start == 0 || slashes < start) \
              && substr (line, slashes - 1, 1) != ":")
            {
              out = out substr (line, 1, slashes - 1)
              line = ""
              continue
            }
          if (start == 0)
            {
              out = out line
              line = ""
              continue
            }
          out = out substr (line, 1, start - 1) " "
          line = substr (line, start + 2)
          in_comment = 1
        }
      print out
    }' "$file" > "$work/$(basename "$file")"
done

# "file function" for each function defined without static.
for file in "$work"/*.c; do
  awk -v file="$(basename "$file")" '
    /^[a-z_][a-z0-9_]* \(/ && previous !~ /^static/ && previous !~ /^[ \t]*$/ \
      && previous !~ /[;{}]$/ {
      name = $1
      print file, name
    }
    { previous = $0 }' "$file"
done > "$work/defined"

# "caller owner" for each file that names a function another file defines (one pass).
awk '
  FNR == NR { owner[$2] = $1; next }
  {
    caller = FILENAME
    sub (/.*\//, "", caller)
    line = $0
    while (match (line, /[A-Za-z_][A-Za-z0-9_]*/))
      {
        word = substr (line, RSTART, RLENGTH)
        line = substr (line, RSTART + RLENGTH)
        if ((word in owner) && owner[word] != caller && !((caller, word) in seen))
          {
            seen[caller, word] = 1
            print caller " -> " owner[word] ": " word
          }
      }
  }' "$work/defined" "$work"/*.c > "$work/calls"

for file in "$work"/*.c; do
  name=$(basename "$file")
  echo "$name $name"
done > "$work/pairs"
sed 's/^\([^ ]*\) -> \([^:]*\):.*/\1 \2/' "$work/calls" >> "$work/pairs"

if ! tsort "$work/pairs" > /dev/null 2> "$work/loops"; then
  echo "app files call each other in a circle:" >&2
  sed 's/^tsort: [^ ]*: //' "$work/loops" | awk '!seen[$0]++' >&2
  # The calls between the files of the loop.
  members=$(sed -n 's/^tsort: \([^ :]*\.c\)$/\1/p' "$work/loops" | sort -u)
  for a in $members; do
    for b in $members; do
      grep "^$a -> $b:" "$work/calls" >&2 || true
    done
  done
  exit 1
fi
exit 0
