#!/usr/bin/env bash
# Starts, or resumes, the `paper` run (all eight seed cells, 25 epochs each) in the background.
#
# The run lives outside the work tree, in $PAPER_RUN (default ~/runs/paper). On a machine that
# has never had it, the folder is rebuilt from what is committed here: protocol.json, the log and
# the finished cells, so only the unfinished cell's progress is lost. The jar is copied out of the
# work tree first, so rebuilding the repository never changes the jar a running sweep uses.
#
#   docs/results/paper/resume.sh          # after: mvn -q install -DskipTests
#   docs/results/paper/resume.sh --depths 32 --variants residual --seeds 2
#                                         # only these cells: ones that finish before the machine goes
#   tail -f ~/runs/paper/sweep.log
#   docs/results/paper/collect.sh         # copies finished results back here, to commit
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
run=${PAPER_RUN:-$HOME/runs/paper}
jar=$(dirname "$run")/depthsweep-paper.jar
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4

if pid=$(cat "$run.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; then
  echo "the paper run is already running (pid $pid); see $run/sweep.log"
  exit 0
fi
mkdir -p "$run/cells"
[ -f "$run/protocol.json" ] || cp "$here/protocol.json" "$run/"
# the log carries on from the committed one, so that collect.sh never copies back a shorter one
[ -f "$run/sweep.log" ] || cp "$here/sweep.log" "$run/"
for cell in "$here"/cells/*.json; do
  [ -e "$cell" ] && [ ! -e "$run/cells/$(basename "$cell")" ] && cp "$cell" "$run/cells/"
done
cp "$repo/experiments/target/depthsweep.jar" "$jar"
[ -f "$tcmalloc" ] || echo "warning: no tcmalloc (apt-get install libtcmalloc-minimal4): slower"

# The first table (seed 0 of every cell, then seeds 1 and 2 of plain-12 and seed 1 of residual-12)
# is committed. Now the error bars: seeds 1 and 2 of every cell, deepest first (they carry the
# finding and the most noise); the cells already committed are skipped. The java pid goes to
# $run.pid, so kill -STOP/-CONT/-TERM "$(cat $run.pid)" reaches the trainer; a stopped run ends
# here, and the next resume.sh carries on where it stopped. The sweep writes its own sweep.log.
# Arguments, if given, replace the cell selection: on a machine lent for a few hours, run the cells
# that fit, since an unfinished cell's checkpoint (tens of MB, not committed) goes with the machine.
preload=""
[ -f "$tcmalloc" ] && preload=$tcmalloc
# shellcheck disable=SC2016 # the inner script expands its own arguments
LD_PRELOAD=$preload nohup bash -c '
  run=$1; jar=$2
  phase() {
    java -XX:+UseSerialGC -Xmn64m -Xmx1g -jar "$jar" --preset paper --checkpoint-every 50 \
      --out "$run" "$@" &
    echo $! > "$run.pid"
    wait $!
  }
  shift 2
  if [ $# -gt 0 ]; then phase "$@"; else phase --depths 50,32,20,12 --seeds 3; fi
' paper "$run" "$jar" "$@" > "$run.console" 2>&1 &
sleep 1
echo "paper run started (pid $(cat "$run.pid")): $run/sweep.log"
