# Shared by the cluster tests (test-cluster.sh, test-nodes.sh): sourced, not run.
#
# The caller sets HERE (this folder), TEST_NAME, BASE_ARGS (the sweep's flags), CELL_ARGS
# (which cells) and CELLS (their ids), calls make_work, traps EXIT with cleanup, and calls
# `check` for each check.
# shellcheck shell=bash

DATA=/usr/share/datasets/fashion-mnist
reference_pid=""
failures=0
declare -A task_state=()

say() { echo "${TEST_NAME:-test}: $*"; }
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

# A Slurm client (sbatch, squeue, scontrol): on the head node of a cluster of namespaces.
client() {
  if ((${SLURM_LOCAL_NODES:-0} > 0)); then
    "$HERE/local-cluster.sh" on head "$@"
  else
    "$@"
  fi
}

# --- setup ----------------------------------------------------------------------------------

# Makes the test's folder (TEST_WORK, or a new one under /tmp named $1.XXXXXX) and sets WORK,
# RUN, REFERENCE and the cluster's state folder in it.
make_work() {
  WORK=${TEST_WORK:-$(mktemp -d "/tmp/$1.XXXXXX")}
  mkdir -p "$WORK/logs"
  chmod 755 "$WORK" # mktemp's 0700 would keep munged (user munge) from its socket folder inside
  RUN=$WORK/run
  REFERENCE=$WORK/reference
  export SLURM_STATE=$WORK/slurm
  export SLURM_CONF=$SLURM_STATE/etc/slurm.conf
}

# Checks that we run as root ($1 says why), then installs what is missing, copies the jar and
# starts the cluster, with cleanup on exit.
set_up() {
  [[ $(id -u) == 0 ]] || {
    say "run as root ($1)"
    exit 1
  }
  trap cleanup EXIT
  install_needs
  copy_jar
  "$HERE/local-cluster.sh" start
}

# On exit: stops the one-process run, undoes the test's own faults (its before_stop, if it has
# one), stops the cluster; keeps the folder on failure, with KEEP=1 or a TEST_WORK.
cleanup() {
  local rc=$?
  stop_reference
  if declare -F before_stop >/dev/null; then before_stop || true; fi
  "$HERE/local-cluster.sh" stop || true
  if ((rc == 0)) && [[ -z ${KEEP:-} && -z ${TEST_WORK:-} ]]; then
    rm -rf "$WORK"
  else
    say "logs and run folders kept in $WORK"
  fi
}

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

# The jar may be rebuilt while we run: every run uses one copy.
copy_jar() {
  local jar=${DEPTHSWEEP_JAR:-$HERE/../../experiments/target/depthsweep.jar}
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

# --- the array ------------------------------------------------------------------------------

# Polls squeue until every task of array $1 has ended (sbatch --wait notices up to 10 s late),
# printing each task's state changes and keeping the last one seen in task_state. $2: seconds.
wait_for_array() {
  local job=$1 deadline=$((SECONDS + $2)) lines task state active
  while ((SECONDS < deadline)); do
    lines=$(client squeue -h -r -t all -j "$job" -o '%i %T %N' 2>/dev/null) || lines=""
    active=0
    while read -r task state node; do
      [[ -n $task ]] || continue
      if [[ ${task_state[$task]:-} != "$state" ]]; then
        say "$(date +%T) task $task: $state${node:+ on $node}"
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
  say "array $job still running after $2 s"
  return 1
}

# Every one of the $1 tasks seen ended COMPLETED (exit 0).
tasks_completed() {
  local task ok=0
  for task in "${!task_state[@]}"; do
    [[ ${task_state[$task]} == COMPLETED ]] || {
      say "task $task ended ${task_state[$task]}"
      ok=1
    }
  done
  ((${#task_state[@]} == $1)) && ((ok == 0))
}

# --- checks ---------------------------------------------------------------------------------

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

# Starts training cells in one process at 1 thread (the workers' thread count) into
# $REFERENCE: the cells of CELL_ARGS, or those named by --depths D --variants V in "$@".
start_reference() {
  local -a cmd=(java -XX:+UseSerialGC -Xmn64m -Xmx1g -jar "$DEPTHSWEEP_JAR" --out "$REFERENCE" --threads 1)
  # shellcheck disable=SC2206 # the flags are words
  if (($#)); then cmd+=($BASE_ARGS "$@"); else cmd+=($BASE_ARGS $CELL_ARGS); fi
  say "reference: ${cmd[*]}"
  mkdir -p "$WORK/logs"
  "${cmd[@]}" >"$WORK/logs/reference.out" 2>&1 &
  reference_pid=$!
}

# Waits for the one-process run; fails unless it ended with exit 0.
wait_reference() {
  local rc=0
  wait "$reference_pid" || rc=$?
  reference_pid=""
  ((rc == 0)) || say "the reference run failed (exit $rc): see $WORK/logs/reference.out"
  return "$rc"
}

stop_reference() {
  if [[ -n $reference_pid ]]; then kill -TERM "$reference_pid" 2>/dev/null || true; fi
}

# Step losses, per-epoch test accuracies and parameter bytes of cell $1 equal the one-process run's.
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
