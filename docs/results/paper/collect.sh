#!/usr/bin/env bash
# Copies the paper run's finished cells, protocol.json and log into this folder, to commit, and
# draws results.md, results.csv and the plots from them with this checkout's jar (`merge`: the
# same tables and plots the sweep writes, from the code committed beside them, whichever jar the
# running sweep has). Never checkpoints; models only by hand (the shipped one, see RUN.md).
#
#   mvn -q install -DskipTests && docs/results/paper/collect.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
run=${PAPER_RUN:-$HOME/runs/paper}

mkdir -p "$here/cells"
cp "$run/protocol.json" "$run/sweep.log" "$here/"
cp "$run"/cells/*.json "$here/cells/" 2>/dev/null || true
java -jar "$repo/experiments/target/depthsweep.jar" merge --out "$here" "$here"
ls "$here/cells"
