#!/bin/bash
# bench-before-after.sh BEFORE_BENCH AFTER_BENCH [ROUNDS]
#
# One sitting of the speed comparison the README's Benchmarks give: two builds of impasto-bench
# (say a git worktree of the commit before a change, and this one), ROUNDS (3) interleaved rounds
# at 128×128, 256×256, 512×512 and 1024×768, then the after build with --pytorch twice, then its
# forced AVX2 path with --pytorch. Every line says which round and build it is from. Interleaving
# spreads a noisy machine's swings over both builds; nothing here decides what is faster.
set -u
before=$1
after=$2
rounds=${3:-3}
sizes=("--iterations 15 --warmup 3 128x128 256x256" "--iterations 5 --warmup 2 512x512"
       "--iterations 3 --warmup 1 1024x768")
for r in $(seq "$rounds"); do
  for who in before after; do
    bin=$before
    [ "$who" = after ] && bin=$after
    for args in "${sizes[@]}"; do
      # shellcheck disable=SC2086
      "$bin" $args 2>&1 | grep -E '^(cpu|threads| *[0-9]+x[0-9]+ )' | sed "s/^/round $r $who: /"
    done
  done
done
for r in 1 2; do
  "$after" --iterations 5 --warmup 2 --pytorch 128x128 256x256 512x512 1024x768 2>&1 \
    | grep -vE '^\s*$' | sed "s/^/pytorch round $r: /"
done
"$after" --path avx2 --iterations 5 --warmup 2 --pytorch 128x128 512x512 1024x768 2>&1 \
  | grep -vE '^\s*$' | sed "s/^/avx2: /"
