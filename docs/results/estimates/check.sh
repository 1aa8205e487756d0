#!/usr/bin/env bash
# Checks the sweep's first line against the time the cells then take: a real `quick` run of two
# cells (residual-12 and residual-32: a small net and a deep one) in a fresh run folder, so that
# the estimate comes from the speed probe, as on a machine that never ran a sweep. Three ways a
# user starts it: the jar with tcmalloc, the jar on the system malloc, and Maven (exec:java). For
# each it prints the first line, the command's wall time (start to exit: what the estimate is
# for, evaluation and start-up included) and, from the cells' records, their training steps'
# seconds (evaluation excluded).
#
#   mvn -q install -DskipTests && docs/results/estimates/check.sh > estimates.txt
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
jar=$repo/experiments/target/depthsweep.jar
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
cells=(--preset quick --depths 12,32 --variants residual --seeds 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
date -u +"%Y-%m-%dT%H:%MZ"
report() { # the first line's estimate, the wall time, then each cell's training seconds
  grep -m1 "cells to train" "$1/sweep.log"
  echo "  wall: $2 s"
  python3 - "$1" <<'PY'
import glob, json, sys
cells = sorted(glob.glob(sys.argv[1] + "/cells/*.json"))
total = 0
for path in cells:
    cell = json.load(open(path))
    total += cell["trainSeconds"]
    print(f"  {cell['id']}: {cell['trainSeconds']:.0f} s")
print(f"  cells' training: {total:.0f} s ({int(total // 3600)}:{int(total % 3600 // 60):02d}:{int(total % 60):02d})")
PY
}
for how in jar-tcmalloc jar-system maven-system; do
  out=$work/$how
  echo "== $how"
  start=$(date +%s)
  case $how in
    jar-tcmalloc) LD_PRELOAD=$tcmalloc java -jar "$jar" "${cells[@]}" --out "$out" > /dev/null ;;
    jar-system) java -jar "$jar" "${cells[@]}" --out "$out" > /dev/null ;;
    maven-system) (cd "$repo" && mvn -q -pl experiments exec:java \
      -Dexec.args="${cells[*]} --out $out" > /dev/null) ;;
  esac
  report "$out" $(($(date +%s) - start))
done
