#!/usr/bin/env bash
# Starts, or resumes, a long run of one preset in the background: resume.sh PRESET [sweep flags].
#
# The run lives outside the work tree, in $RUNS/PRESET (RUNS defaults to ~/runs). On a machine that
# has never had it, the folder is rebuilt from what is committed in docs/results/PRESET: its
# protocol.json, the log and the finished cells, so only the unfinished cell's progress is lost.
# The jar is copied out of the work tree first, so rebuilding the repository never changes the jar
# a running sweep uses.
#
#   docs/results/resume.sh he2016                    # after: mvn -q install -DskipTests
#   docs/results/resume.sh he2016 --depths 12 --variants residual
#                                   # only these cells: ones that finish before the machine goes
#   tail -f ~/runs/he2016/sweep.log
#   docs/results/collect.sh he2016  # copies finished results back, to commit
#
# The java pid goes to ~/runs/PRESET.pid, so kill -STOP/-CONT/-TERM "$(cat ~/runs/he2016.pid)"
# reaches the trainer; a stopped run ends there, and the next resume.sh carries on where it stopped.
# Flags, if given, replace the preset's cell selection: on a machine lent for a few hours, run the
# cells that fit, since an unfinished cell's checkpoint (tens of MB, not committed) goes with it.
set -euo pipefail

preset=${1:?usage: resume.sh PRESET [sweep flags], e.g. resume.sh he2016}
shift
results=$(cd "$(dirname "$0")" && pwd)
here=$results/$preset
repo=$(cd "$results/../.." && pwd)
runs=${RUNS:-$HOME/runs}
run=$runs/$preset
jar=$runs/depthsweep-$preset.jar
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4

if pid=$(cat "$run.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; then
  echo "the $preset run is already running (pid $pid); see $run/sweep.log"
  exit 0
fi
mkdir -p "$run/cells"
# the log carries on from the committed one, so that collect.sh never copies back a shorter one
for file in protocol.json sweep.log; do
  [ -f "$run/$file" ] || [ ! -f "$here/$file" ] || cp "$here/$file" "$run/"
done
for cell in "$here"/cells/*.json; do
  [ -e "$cell" ] && [ ! -e "$run/cells/$(basename "$cell")" ] && cp "$cell" "$run/cells/"
done
cp "$repo/experiments/target/depthsweep.jar" "$jar"
preload=""
if [ -f "$tcmalloc" ]; then preload=$tcmalloc; else
  echo "warning: no tcmalloc (apt-get install libtcmalloc-minimal4): slower"
fi

# shellcheck disable=SC2016 # the inner script expands its own arguments
LD_PRELOAD=$preload nohup bash -c '
  run=$1; jar=$2; preset=$3
  shift 3
  java -XX:+UseSerialGC -Xmn64m -Xmx1g -jar "$jar" --preset "$preset" --checkpoint-every 50 \
    --out "$run" "$@" &
  echo $! > "$run.pid"
  wait $!
' "$preset" "$run" "$jar" "$preset" "$@" > "$run.console" 2>&1 &
sleep 1
echo "$preset run started (pid $(cat "$run.pid")): $run/sweep.log"
