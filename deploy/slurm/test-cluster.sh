#!/usr/bin/env bash
# CI test of sweep.sbatch on a one-node Slurm cluster (local-cluster.sh) on this machine.
#
#   deploy/slurm/test-cluster.sh        (as root; installs Slurm, munge, python3 and the data
#                                        where missing; needs Java 17 and the built jar)
#
# Submits a 4-cell sweep on slices of the real Fashion-MNIST as an array of 2 one-CPU workers
# with a 1-minute time limit, so workers are stopped (SIGTERM, checkpoint, exit 75), requeued
# and resumed, and checks that
#   - both tasks end with exit 0 and at least one was requeued after exit 75,
#   - every cell finished exactly once: one finished JSON, sessions covering steps 0..end
#     without gap or overlap, one saved model, no checkpoint or claim left over,
#   - an interrupted cell (more than one session) equals a single-process run of that cell:
#     step losses, per-epoch test accuracies and the saved parameters' bytes,
#   - results.csv has a row per cell.
# Prints PASS/FAIL per check and in total; exits 1 on failure. About 2 minutes on 2 busy cores.
#
# Environment: DEPTHSWEEP_JAR (default experiments/target/depthsweep.jar), TEST_WORK (default: a
# new folder under /tmp; kept on failure or with KEEP=1), TEST_DEADLINE (seconds to wait for the
# array, default 300).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=/usr/share/datasets/fashion-mnist
# The sweep: 4 cells of 200 steps, over 50 s of training per worker at 1 thread even on a quiet
# machine (with 100 steps a quiet machine finished before the first stop), so every task is
# stopped at least once (the reference
# run uses 1 thread too): more than one run of a task, so at least one cell is interrupted.
BASE_ARGS="--preset smoke --train-limit 15000 --test-limit 200 --precise-bn 2 --epochs 2 --checkpoint-every 5"
CELL_ARGS="--depths 4,8 --variants plain,residual"
CELLS=(plain-4-seed0 residual-4-seed0 plain-8-seed0 residual-8-seed0)
# --time is in minutes: 1 is the shortest. Slurm's warning (--signal=B:USR1@40) came 32-51 s
# before the end in our trials, so each run of a task trains for 9-28 s; sweep.sbatch's own
# backstop timer fires 30 s before the end if the warning does not come.
TIME_LIMIT=1
SIGNAL_BEFORE=40
STOP_BEFORE=30

STARTED=$SECONDS
WORK=${TEST_WORK:-$(mktemp -d /tmp/depthsweep-slurm-test.XXXXXX)}
mkdir -p "$WORK"
chmod 755 "$WORK" # mktemp's 0700 would keep munged (user munge) from its socket folder inside
RUN=$WORK/run
REFERENCE=$WORK/reference
export SLURM_STATE=$WORK/slurm
# Ports of our own, so the test runs beside a local cluster started by hand.
export SLURM_CTLD_PORT=${SLURM_CTLD_PORT:-16817} SLURM_D_PORT=${SLURM_D_PORT:-16818}
export SLURM_CONF=$SLURM_STATE/etc/slurm.conf
reference_pid=""
failures=0
declare -A task_state=()

say() { echo "test-cluster: $*"; }
check() { # check NAME COMMAND...: runs a check, prints PASS/FAIL
  local name=$1
  shift
  if "$@"; then
    echo "PASS  $name"
  else
    echo "FAIL  $name"
    failures=$((failures + 1))
  fi
}

# --- setup ----------------------------------------------------------------------------------

install_needs() {
  local -a packages=()
  [[ -f $DATA/t10k-labels-idx1-ubyte.gz ]] || packages+=(dataset-fashion-mnist)
  command -v python3 >/dev/null || packages+=(python3)
  ((${#packages[@]})) || return 0
  say "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; }
}

# The jar may be rebuilt while we run: both runs use one copy.
copy_jar() {
  local jar=${DEPTHSWEEP_JAR:-$ROOT/experiments/target/depthsweep.jar}
  [[ -f $jar ]] || {
    say "no jar at $jar: build it first (mvn -q install -DskipTests)"
    exit 1
  }
  command -v java >/dev/null || {
    say "java not found: install Java 17"
    exit 1
  }
  cp "$jar" "$WORK/depthsweep.jar"
  export DEPTHSWEEP_JAR=$WORK/depthsweep.jar
}

cleanup() {
  local rc=$?
  if [[ -n $reference_pid ]]; then kill -TERM "$reference_pid" 2>/dev/null || true; fi
  "$HERE/local-cluster.sh" stop || true
  if ((rc == 0)) && [[ -z ${KEEP:-} && -z ${TEST_WORK:-} ]]; then
    rm -rf "$WORK"
  else
    say "logs and run folders kept in $WORK"
  fi
}

# --- the array ------------------------------------------------------------------------------

submit() {
  mkdir -p "$WORK/logs"
  # sbatch hands this environment to the job: RUN, SWEEP_ARGS, DEPTHSWEEP_JAR, ...
  RUN=$RUN SWEEP_ARGS="$BASE_ARGS $CELL_ARGS" DEPTHSWEEP_STOP_BEFORE=$STOP_BEFORE \
    sbatch --parsable --array=0-1 --cpus-per-task=1 --time=$TIME_LIMIT \
    --signal=B:USR1@$SIGNAL_BEFORE --output="$WORK/logs/%A_%a.out" "$HERE/sweep.sbatch"
}

# Polls squeue until every task has ended (sbatch --wait notices up to 10 s late), printing
# each task's state changes and keeping the last one seen in task_state.
wait_for_array() {
  local job=$1 deadline=$((SECONDS + ${TEST_DEADLINE:-300})) lines task state active
  while ((SECONDS < deadline)); do
    lines=$(squeue -h -r -t all -j "$job" -o '%i %T' 2>/dev/null) || lines=""
    active=0
    while read -r task state _; do
      [[ -n $task ]] || continue
      if [[ ${task_state[$task]:-} != "$state" ]]; then
        say "$(date +%T) task $task: $state"
        task_state[$task]=$state
      fi
      case $state in
        COMPLETED | FAILED | CANCELLED | TIMEOUT | OUT_OF_MEMORY | NODE_FAIL | BOOT_FAIL | DEADLINE | PREEMPTED) ;;
        *) active=1 ;;
      esac
    done <<<"$lines"
    if ((!active)) && ((${#task_state[@]} > 0)); then
      return 0
    fi
    sleep 1
  done
  say "array $job still running after ${TEST_DEADLINE:-300} s"
  return 1
}

# --- checks ---------------------------------------------------------------------------------

tasks_completed() {
  local task ok=0
  for task in "${!task_state[@]}"; do
    [[ ${task_state[$task]} == COMPLETED ]] || {
      say "task $task ended ${task_state[$task]}"
      ok=1
    }
  done
  ((${#task_state[@]} == 2)) && ((ok == 0))
}

some_task_requeued() { grep -q 'exit 75): requeueing' "$WORK"/logs/*.out; }

# One finished JSON per cell whose sessions cover its steps once, whose last epoch the workers'
# logs report once, one model, nothing left over.
cells_finished_once() {
  python3 - "$RUN" "$WORK/logs" "${CELLS[@]}" <<'EOF'
import glob, json, os, re, sys
run, logs, cells = sys.argv[1], sys.argv[2], sys.argv[3:]
ok = True
text = "".join(open(f, errors="replace").read() for f in glob.glob(f"{logs}/*_*.out"))
def fail(msg):
    global ok
    ok = False
    print("  " + msg)
found = sorted(f[:-5] for f in os.listdir(f"{run}/cells") if f.endswith(".json"))
if found != sorted(cells):
    fail(f"cells/: {found}, expected {sorted(cells)}")
for cell in cells:
    try:
        d = json.load(open(f"{run}/cells/{cell}.json"))
    except OSError:
        continue
    total = len(d["stepLosses"])
    spans = [(s["fromStep"], s["toStep"]) for s in d["sessions"]]
    contiguous = all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    if d["status"] != "finished" or not spans or spans[0][0] != 0 or not contiguous or spans[-1][1] != total:
        fail(f"{cell}: status {d['status']}, sessions {spans}, {total} step losses")
    epochs = len(d["epochs"])
    ends = len(re.findall(rf"\] {re.escape(cell)} epoch {epochs}/{epochs}:", text))
    if ends != 1:
        fail(f"{cell}: the workers' logs report its last epoch {ends} times")
    models = os.listdir(f"{run}/models/{cell}") if os.path.isdir(f"{run}/models/{cell}") else []
    if len([m for m in models if m.endswith(".params")]) != 1:
        fail(f"{cell}: models/{cell} holds {models}")
    print(f"  {cell}: {d['status']}, sessions (steps) {spans}")
for leftover in ("checkpoints", "claims"):
    path = f"{run}/{leftover}"
    if os.path.isdir(path) and os.listdir(path):
        fail(f"{leftover}/ not empty: {os.listdir(path)}")
sys.exit(0 if ok else 1)
EOF
}

# Prints the first cell that ran in more than one session (stopped and resumed).
interrupted_cell() {
  python3 - "$RUN" "${CELLS[@]}" <<'EOF'
import json, sys
run, cells = sys.argv[1], sys.argv[2:]
for cell in cells:
    try:
        if len(json.load(open(f"{run}/cells/{cell}.json"))["sessions"]) > 1:
            print(cell)
            break
    except OSError:
        pass
EOF
}

# Trains one cell in one process, at the workers' thread count, into $REFERENCE.
run_reference() {
  local cell=$1 variant depth threads
  variant=${cell%%-*}
  depth=${cell#*-}
  depth=${depth%%-*}
  # --threads where the jar has it, else the engine's properties (what sweep.sbatch does).
  if java -jar "$DEPTHSWEEP_JAR" --help 2>&1 | grep -q -- --threads; then
    threads=(--threads 1)
  else
    threads=(-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1)
  fi
  local -a cmd=(java -XX:+UseSerialGC -Xmn64m -Xmx1g)
  [[ ${threads[0]} == -D* ]] && cmd+=("${threads[@]}")
  cmd+=(-jar "$DEPTHSWEEP_JAR" --out "$REFERENCE")
  [[ ${threads[0]} == --threads ]] && cmd+=("${threads[@]}")
  # shellcheck disable=SC2206 # the flags are words
  cmd+=($BASE_ARGS --depths "$depth" --variants "$variant")
  say "reference: ${cmd[*]}"
  "${cmd[@]}" >"$WORK/logs/reference.out" 2>&1 &
  reference_pid=$!
  wait "$reference_pid"
  reference_pid=""
}

# Step losses, per-epoch test accuracies and parameter bytes equal the uninterrupted run's.
same_as_reference() {
  local cell=$1
  python3 - "$RUN/cells/$cell.json" "$REFERENCE/cells/$cell.json" <<'EOF' || return 1
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
ok = True
for key in ("stepLosses",):
    if a[key] != b[key]:
        ok = False
        diff = next(i for i, (x, y) in enumerate(zip(a[key], b[key])) if x != y) if len(a[key]) == len(b[key]) else "length"
        print(f"  {key} differ (first at step {diff})")
for key in ("testAccuracy", "preciseBnTestAccuracy"):
    x, y = [e[key] for e in a["epochs"]], [e[key] for e in b["epochs"]]
    if x != y:
        ok = False
        print(f"  {key} per epoch: {x} vs {y}")
print(f"  {len(a['stepLosses'])} step losses, test accuracy per epoch {[e['testAccuracy'] for e in a['epochs']]}")
sys.exit(0 if ok else 1)
EOF
  local params ref
  for params in "$RUN/models/$cell"/*.params; do
    ref=$REFERENCE/models/$cell/$(basename "$params")
    cmp -s "$params" "$ref" || {
      say "  $(basename "$params") differs from the reference's"
      return 1
    }
  done
}

results_list_all_cells() {
  python3 - "$RUN/results.csv" "${CELLS[@]}" <<'EOF'
import csv, sys
path, cells = sys.argv[1], sys.argv[2:]
rows = {f"{r['variant']}-{r['depth']}-seed{r['seed']}" for r in csv.DictReader(open(path))}
print(f"  results.csv rows: {sorted(rows)}")
sys.exit(0 if rows == set(cells) else 1)
EOF
}

# --- main -----------------------------------------------------------------------------------

main() {
  [[ $(id -u) == 0 ]] || {
    say "run as root (slurmd must)"
    exit 1
  }
  trap cleanup EXIT
  install_needs
  copy_jar
  "$HERE/local-cluster.sh" start

  local job
  job=$(submit)
  say "submitted array $job: 2 workers, --time=$TIME_LIMIT, warning $SIGNAL_BEFORE s before the end"
  local waited=0
  wait_for_array "$job" || waited=1
  say "array ended after $((SECONDS - STARTED)) s; worker logs:"
  sed 's/^/  | /' "$WORK"/logs/*.out | grep -e 'sweep.sbatch' -e 'SIGTERM: stopped' -e resuming -e error || true

  echo "--- checks"
  check "the array ended in time" test "$waited" = 0
  check "both tasks ended with exit 0 (COMPLETED)" tasks_completed
  check "a worker stopped with exit 75 and its task was requeued" some_task_requeued
  check "every cell finished exactly once" cells_finished_once
  local cell
  cell=$(interrupted_cell)
  check "a cell was interrupted and resumed (${cell:-none})" test -n "$cell"
  if [[ -n $cell ]]; then
    run_reference "$cell"
    check "$cell equals a single-process run (losses, accuracies, parameters)" \
      same_as_reference "$cell"
  fi
  check "results.csv has a row per cell" results_list_all_cells

  local took=$((SECONDS - STARTED))
  if ((failures == 0)); then
    echo "PASS: sweep.sbatch on Slurm, $took s"
  else
    echo "FAIL: $failures check(s) failed, $took s"
    exit 1
  fi
}

main "$@"
