#!/usr/bin/env bash
# Copies a long run's finished cells, protocol.json and log into docs/results/PRESET, to commit,
# and draws results.md, results.csv and the plots from them with this checkout's jar (`merge`: the
# same tables and plots the sweep writes, from the code committed beside them, whichever jar the
# running sweep has). Never checkpoints; models only by hand (the shipped one, see paper/RUN.md).
#
#   mvn -q install -DskipTests && docs/results/collect.sh he2016
set -euo pipefail

preset=${1:?usage: collect.sh PRESET, e.g. collect.sh he2016}
results=$(cd "$(dirname "$0")" && pwd)
here=$results/$preset
repo=$(cd "$results/../.." && pwd)
run=${RUNS:-$HOME/runs}/$preset

mkdir -p "$here/cells"
cp "$run/protocol.json" "$run/sweep.log" "$here/"
cp "$run"/cells/*.json "$here/cells/" 2>/dev/null || true
java -jar "$repo/experiments/target/depthsweep.jar" merge --out "$here" "$here"
ls "$here/cells"
