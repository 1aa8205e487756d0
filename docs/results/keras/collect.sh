#!/usr/bin/env bash
# Copies the Keras runs' records (epochs.json, result.json; never the backups) from ~/runs/keras
# into docs/results/keras/runs, to commit, and redraws the comparison with the `paper` run.
#
#   mvn -q install -DskipTests && docs/results/keras/collect.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
runs=${RUNS:-$HOME/runs}/keras

for run in "$runs"/*/; do
  [ -f "$run/epochs.json" ] || continue
  name=$(basename "$run")
  mkdir -p "$here/runs/$name"
  cp "$run/epochs.json" "$here/runs/$name/"
  [ ! -f "$run/result.json" ] || cp "$run/result.json" "$here/runs/$name/"
done
# from the repository's root, so that the page shows the command with paths a reader can rerun
cd "$repo"
runs_here=()
for run in docs/results/keras/runs/*; do [ -d "$run" ] && runs_here+=("$run"); done
java -jar experiments/target/depthsweep.jar keras-report "${runs_here[@]}" \
  --against docs/results/paper --out docs/results/keras
