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
TEST_NAME=test-cluster
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
# Ports of our own, so the test runs beside a local cluster started by hand.
export SLURM_CTLD_PORT=${SLURM_CTLD_PORT:-16817} SLURM_D_PORT=${SLURM_D_PORT:-16818}
export SLURM_LOCAL_NODES=0 # one node on 127.0.0.1 (test-nodes.sh tests several)
# shellcheck source=deploy/slurm/test-lib.sh
source "$HERE/test-lib.sh"
make_work depthsweep-slurm-test

# --- the array ------------------------------------------------------------------------------

submit() {
  # sbatch hands this environment to the job: RUN, SWEEP_ARGS, DEPTHSWEEP_JAR, ...
  RUN=$RUN SWEEP_ARGS="$BASE_ARGS $CELL_ARGS" DEPTHSWEEP_STOP_BEFORE=$STOP_BEFORE \
    sbatch --parsable --array=0-1 --cpus-per-task=1 --time=$TIME_LIMIT \
    --signal=B:USR1@$SIGNAL_BEFORE --output="$WORK/logs/%A_%a.out" "$HERE/sweep.sbatch"
}

# --- checks ---------------------------------------------------------------------------------

some_task_requeued() { grep -q 'exit 75): requeueing' "$WORK"/logs/*.out; }

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

# --- main -----------------------------------------------------------------------------------

main() {
  set_up "slurmd must"

  local job
  job=$(submit)
  say "submitted array $job: 2 workers, --time=$TIME_LIMIT, warning $SIGNAL_BEFORE s before the end"
  local waited=0
  wait_for_array "$job" "${TEST_DEADLINE:-300}" || waited=1
  say "array ended after $((SECONDS - STARTED)) s; worker logs:"
  sed 's/^/  | /' "$WORK"/logs/*.out | grep -e 'sweep.sbatch' -e 'SIGTERM: stopped' -e resuming -e error || true

  echo "--- checks"
  check "the array ended in time" test "$waited" = 0
  check "both tasks ended with exit 0 (COMPLETED)" tasks_completed 2
  check "a worker stopped with exit 75 and its task was requeued" some_task_requeued
  check "every cell finished exactly once" cells_finished_once
  local cell
  cell=$(interrupted_cell)
  check "a cell was interrupted and resumed (${cell:-none})" test -n "$cell"
  if [[ -n $cell ]]; then
    local variant=${cell%%-*} depth=${cell#*-}
    start_reference --depths "${depth%%-*}" --variants "$variant"
    wait_reference || true
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
