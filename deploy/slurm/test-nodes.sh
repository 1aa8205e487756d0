#!/usr/bin/env bash
# CI test of sweep.sbatch on a Slurm cluster of several hosts, all on this machine: a head
# node (slurmctld) and 4 compute nodes (a slurmd each), every node a network, UTS and mount
# namespace of its own with its own hostname and address (local-cluster.sh with
# SLURM_LOCAL_NODES=4). The run folder is shared, as on an NFS cluster.
#
#   deploy/slurm/test-nodes.sh          (as root; installs Slurm, munge, python3 and the data
#                                        where missing; needs Java 17 and the built jar)
#
# Submits a 4-cell sweep as an array of 3 one-CPU workers (one node stays free) with
# --claim-timeout 15, and once each worker is inside a cell (it holds a claim and has written
# a checkpoint) fails three of them at once:
#   - node A dies: every process on it (slurmd, the job, its worker) gets kill -9;
#   - node B hangs: every process on it gets SIGSTOP, until another host has taken its cell
#     over, then SIGCONT (a hung node that comes back);
#   - on node C only the worker's java gets kill -9 (the OOM killer): its task exits 137.
# It checks that
#   - every task ends with exit 0 (Slurm requeues the dead and hung nodes' tasks itself once
#     they have been silent for SlurmdTimeout; sweep.sbatch requeues the task whose java got
#     SIGKILL),
#   - A's and B's cells were taken over by workers on other hosts because their heartbeats
#     were silent for longer than the claim timeout, and C's cell by a worker after its exit 137,
#   - every cell finished exactly once (one finished JSON whose sessions cover its steps without
#     gap or overlap, its last epoch reported once, one saved model, no checkpoint or claim left),
#   - every cell equals a one-process run of the same sweep bit for bit (step losses, per-epoch
#     test accuracies, parameter bytes), and results.csv lists every cell.
# Prints PASS/FAIL per check and in total; exits 1 on failure. Everything it started (daemons,
# namespaces, jobs) is stopped on any exit. 673 s on this project's 2 cores at load 17-19
# (the array 308 s of it; the one-process run alongside is the longest part).
#
# Environment: DEPTHSWEEP_JAR (default experiments/target/depthsweep.jar), TEST_WORK (default: a
# new folder under /tmp; kept on failure or with KEEP=1), TEST_DEADLINE (seconds to wait for the
# array, default 480).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST_NAME=test-nodes
# 4 cells of 80 steps: each takes 10-90 s at 1 thread on this machine's 2 cores (idle to
# busy), so the nodes are failed well inside their first cells.
CLAIM_TIMEOUT=15
BASE_ARGS="--preset smoke --train-limit 6000 --test-limit 200 --precise-bn 2 --epochs 2 --checkpoint-every 5 --claim-timeout $CLAIM_TIMEOUT"
CELL_ARGS="--depths 4,8 --variants plain,residual"
CELLS=(plain-4-seed0 residual-4-seed0 plain-8-seed0 residual-8-seed0)
TASKS=3

STARTED=$SECONDS
# 4 one-CPU compute nodes. A node silent for 30 s is set DOWN and its jobs requeued. A node
# that was DOWN stays DOWN when it comes back (ReturnToService=0): with 2, Slurm 22.05 started
# the hung node's own requeued task on it again the moment it answered, while the old run was
# still there, and failed that task ("Job credential revoked", exit 1, not requeued).
export SLURM_LOCAL_NODES=4 SLURM_LOCAL_CPUS=1 SLURMD_TIMEOUT=30 SLURM_RETURN_TO_SERVICE=0
frozen="" # a node this test has stopped (SIGSTOP), to thaw before cleaning up
# shellcheck source=deploy/slurm/test-lib.sh
source "$HERE/test-lib.sh"
make_work depthsweep-nodes-test

# Called by cleanup before the cluster stops: a frozen node's daemons cannot stop.
before_stop() { [[ -z $frozen ]] || signal_node CONT "$frozen"; }

# signal_node SIGNAL NODE [PID...]: sends SIGNAL to every process on NODE (all started by this
# test), or to the PIDs given (found beforehand, so that several nodes fail at one moment).
signal_node() {
  local signal=$1 node=$2 pid n=0
  shift 2
  # shellcheck disable=SC2046 # one word per PID
  (($#)) || set -- $("$HERE/local-cluster.sh" pids "$node")
  for pid in "$@"; do
    kill -"$signal" "$pid" 2>/dev/null && n=$((n + 1))
  done
  say "$(date +%T) SIG$signal to the $n processes of $node"
}

submit() {
  # sbatch hands this environment to the job: RUN, SWEEP_ARGS, DEPTHSWEEP_JAR, ...
  client env RUN="$RUN" SWEEP_ARGS="$BASE_ARGS $CELL_ARGS" DEPTHSWEEP_JAR="$DEPTHSWEEP_JAR" \
    sbatch --parsable --array=0-$((TASKS - 1)) --cpus-per-task=1 --time=15 \
    --output="$WORK/logs/%A_%a.out" "$HERE/sweep.sbatch"
}

# Prints "HOST PID CELL" for each claim whose cell has a checkpoint: workers inside a cell.
workers_in_cells() {
  local claim holder cell
  for claim in "$RUN"/claims/*.claim; do
    [[ -f $claim ]] || continue
    cell=$(basename "$claim" .claim)
    holder=$(cat "$claim" 2>/dev/null) || continue
    compgen -G "$RUN/checkpoints/$cell*.ckpt" >/dev/null || continue
    echo "${holder%%:*} $(cut -d: -f2 <<<"$holder") $cell"
  done
}

# Waits until TASKS workers on TASKS hosts are each inside a cell; prints their lines.
wait_for_workers() {
  local deadline=$((SECONDS + 240)) lines
  while ((SECONDS < deadline)); do
    lines=$(workers_in_cells)
    if (($(cut -d' ' -f1 <<<"$lines" | sort -u | grep -c .) == TASKS)); then
      echo "$lines"
      return 0
    fi
    sleep 1
  done
  return 1
}

# Is cell $1 now held by a worker on another host than $2, or finished?
taken_over() {
  local holder
  [[ -f $RUN/cells/$1.json ]] && return 0
  holder=$(cat "$RUN/claims/$1.claim" 2>/dev/null) || return 1
  [[ -n $holder && ${holder%%:*} != "$2" ]]
}

# A log line says that a worker on another host than $2 took cell $1 over from a worker on $2,
# whose heartbeat was silent (or, with $3 = any, for either reason).
taken_over_by_other_host() {
  python3 - "$WORK/logs" "$1" "$2" "${3:-silent}" <<'EOF'
import glob, re, sys
logs, cell, host, why = sys.argv[1:]
found = []
for path in glob.glob(f"{logs}/*_*.out"):
    runner = None
    for line in open(path, errors="replace"):
        m = re.search(r"run \d+ of this task on (\S+):", line)
        if m:
            runner = m.group(1)
        m = re.search(rf"{re.escape(cell)}: taking over from worker {re.escape(host)}:\S+, (.*?)\s*$", line)
        if m and (why == "any" or m.group(1).startswith("silent")):
            found.append((runner, m.group(1)))
for runner, reason in found:
    print(f"  {cell}: taken over from {host} by a worker on {runner}: {reason}")
sys.exit(0 if any(r is not None and (why == "any" or r != host) for r, _ in found) else 1)
EOF
}

killed_task_requeued() { grep -q 'exit 137): requeueing' "$WORK"/logs/*_*.out; }

cell_resumed() {
  python3 -c 'import json,sys; sys.exit(0 if len(json.load(open(sys.argv[1]))["sessions"]) > 1 else 1)' \
    "$RUN/cells/$1.json" 2>/dev/null
}

all_same_as_reference() {
  local cell ok=0
  for cell in "${CELLS[@]}"; do
    say "$cell:"
    same_as_reference "$cell" || ok=1
  done
  return "$ok"
}

main() {
  set_up "namespaces, slurmd"

  local job
  job=$(submit)
  say "submitted array $job: $TASKS one-CPU workers on 4 nodes, --claim-timeout $CLAIM_TIMEOUT"
  # The one-process run of the same sweep, meanwhile, to compare every cell with.
  # shellcheck disable=SC2119 # no arguments: the cells of CELL_ARGS
  start_reference

  local workers
  workers=$(wait_for_workers) || {
    say "the workers did not all get inside a cell within 240 s"
    exit 1
  }
  say "workers inside cells (host pid cell):"
  # shellcheck disable=SC2001 # indents every line
  sed 's/^/  /' <<<"$workers"
  local -a a b c
  read -r -a a < <(sed -n 1p <<<"$workers")
  read -r -a b < <(sed -n 2p <<<"$workers")
  read -r -a c < <(sed -n 3p <<<"$workers")
  say "failing them: ${a[0]} dies (kill -9 of all its processes), ${b[0]} hangs (SIGSTOP)," \
    "the worker on ${c[0]} is killed (kill -9 of its java, pid ${c[1]})"
  local -a on_a on_b
  mapfile -t on_a < <("$HERE/local-cluster.sh" pids "${a[0]}")
  mapfile -t on_b < <("$HERE/local-cluster.sh" pids "${b[0]}")
  signal_node KILL "${a[0]}" "${on_a[@]}"
  signal_node STOP "${b[0]}" "${on_b[@]}"
  frozen=${b[0]}
  [[ $(cat "/proc/${c[1]}/comm" 2>/dev/null) == java ]] && kill -KILL "${c[1]}"
  say "$(date +%T) SIGKILL to the worker on ${c[0]} (pid ${c[1]})"

  # The hung node stays frozen until another host has its cell, then comes back.
  local deadline=$((SECONDS + 240))
  until taken_over "${b[2]}" "${b[0]}" || ((SECONDS > deadline)); do sleep 1; done
  signal_node CONT "${b[0]}"
  frozen=""

  local waited=0
  wait_for_array "$job" "${TEST_DEADLINE:-480}" || waited=1
  say "array ended after $((SECONDS - STARTED)) s; nodes now:"
  client sinfo -N -h -o '  %N %T' || true
  say "worker logs:"
  sed 's/^/  | /' "$WORK"/logs/*_*.out |
    grep -e 'sweep.sbatch' -e 'taking over' -e 'has taken this cell over' -e resuming -e error || true
  wait_reference || true

  echo "--- checks"
  check "the array ended in time" test "$waited" = 0
  check "all $TASKS tasks ended with exit 0 (COMPLETED)" tasks_completed "$TASKS"
  check "${a[2]} (dead node ${a[0]}) was taken over on another host after its heartbeat stopped" \
    taken_over_by_other_host "${a[2]}" "${a[0]}"
  check "${b[2]} (hung node ${b[0]}) was taken over on another host after its heartbeat stopped" \
    taken_over_by_other_host "${b[2]}" "${b[0]}"
  check "the task whose java got SIGKILL exited 137 and was requeued" killed_task_requeued
  check "${c[2]} (its java killed on ${c[0]}) was taken over and resumed" \
    taken_over_by_other_host "${c[2]}" "${c[0]}" any
  check "the failed nodes' cells resumed from checkpoints (more than one session)" \
    eval "cell_resumed ${a[2]} && cell_resumed ${b[2]} && cell_resumed ${c[2]}"
  check "every cell finished exactly once" cells_finished_once
  check "every cell equals a one-process run (losses, accuracies, parameters)" all_same_as_reference
  check "results.csv has a row per cell" results_list_all_cells

  local took=$((SECONDS - STARTED))
  if ((failures == 0)); then
    echo "PASS: sweep.sbatch on $SLURM_LOCAL_NODES nodes, a node killed and one hung, $took s"
  else
    echo "FAIL: $failures check(s) failed, $took s"
    exit 1
  fi
}

main "$@"
