#!/usr/bin/env bash
# Starts, or resumes, the seed's own Keras code on the `paper` protocol (issue 42), one training at
# a time in the background: resume.sh [RUN...], RUN like plain-50-seed0.
#
# With no RUN, the runs in the issue's order: plain-50 seeds 0-2, plain-12 seeds 0-2, residual-50
# seed 0. Each lives in $RUNS/keras/RUN (RUNS defaults to ~/runs); a run with a result.json is done
# and skipped, and a stopped one carries on from Keras's BackupAndRestore in RUN/backup when this
# script runs again (the epoch it was in starts over). On a machine lent for a few hours, name the
# runs that fit: a run's backup is not committed, so a new machine starts it over.
#
#   scripts/venv.sh keras                           # once: tensorflow-cpu 2.21 in a venv
#   docs/results/keras/resume.sh                    # or: resume.sh plain-12-seed0
#   tail -f ~/runs/keras.console
#   docs/results/keras/collect.sh                   # copies finished runs back, to commit
#
# It will not start beside another long run of ~/runs (its pid file names a live process): two
# trainings on 2 cores slow each other. ~/runs/keras.pid holds the training's pid, so kill
# -STOP/-CONT/-TERM "$(cat ~/runs/keras.pid)" reaches it; a stopped run ends the list there, and
# the next resume.sh carries on.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
runs=${RUNS:-$HOME/runs}
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
default_runs=(plain-50-seed0 plain-50-seed1 plain-50-seed2 plain-12-seed0 plain-12-seed1
  plain-12-seed2 residual-50-seed0)
selected=("$@")
((${#selected[@]})) || selected=("${default_runs[@]}")
for name in "${selected[@]}"; do
  [[ $name =~ ^(plain|residual)-[0-9]+-seed[0-9]+$ ]] || {
    echo "'$name' is not a run: name runs like plain-50-seed0 (VARIANT-DEPTH-seedS)" >&2
    exit 2
  }
done
for pidfile in "$runs"/*.pid; do
  if [ -f "$pidfile" ] && pid=$(cat "$pidfile") && kill -0 "$pid" 2>/dev/null; then
    echo "$(basename "$pidfile" .pid) is running (pid $pid): one training at a time on 2 cores;" \
      "start this when it ends, or stop it with kill -TERM $pid" >&2
    exit 75
  fi
done
python=$("$repo/scripts/venv.sh" keras)/bin/python
mkdir -p "$runs/keras"
# the script is copied out of the work tree, so that editing the repository never changes a run
cp "$repo/experiments/peer/peer_keras.py" "$runs/keras/peer_keras.py"
preload=""
if [ -f "$tcmalloc" ]; then preload=$tcmalloc; else
  echo "warning: no tcmalloc (apt-get install libtcmalloc-minimal4): slower"
fi

# shellcheck disable=SC2016 # the inner script expands its own arguments
LD_PRELOAD=$preload nohup bash -c '
  runs=$1; python=$2
  shift 2
  for name in "$@"; do
    out=$runs/keras/$name
    [ -f "$out/result.json" ] && continue
    [[ $name =~ ^(plain|residual)-([0-9]+)-seed([0-9]+)$ ]]
    variant=${BASH_REMATCH[1]} depth=${BASH_REMATCH[2]} seed=${BASH_REMATCH[3]}
    echo "$(date -u +%FT%TZ) $name: starts"
    "$python" "$runs/keras/peer_keras.py" train "$depth" "$variant" --seed "$seed" --epochs 25 \
      --out "$out" &
    echo $! > "$runs/keras.pid"
    if ! wait $!; then
      echo "$(date -u +%FT%TZ) $name: stopped; resume.sh carries on from its backup"
      exit 1
    fi
    echo "$(date -u +%FT%TZ) $name: done"
  done
' keras "$runs" "$python" "${selected[@]}" >> "$runs/keras.console" 2>&1 &
echo "Keras runs started in the background: $runs/keras.console (the training's pid: $runs/keras.pid)"
