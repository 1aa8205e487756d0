#!/usr/bin/env bash
# The TensorBoard event files (issue 41), checked with TensorBoard itself: small sweeps, run
# through, stopped with Ctrl-C, killed with kill -9 and resumed, their event files read with
# TensorBoard's strict reader and compared value by value with the cell JSONs, the export
# (`depthsweep tensorboard RUN --out DIR`) compared with the live files, a real TensorBoard server
# (and headless Chromium) on them; and a sweep whose tensorboard folder cannot be written (a file in
# its place, a full disk) must still finish, with one warning. A few minutes on 2 cores.
#
#   .ci/tensorboard-tests.sh      # from anywhere, after mvn verify (or package): the jar must exist
#   DEPTHSWEEP_JAR=/tmp/copy.jar .ci/tensorboard-tests.sh     # another build of the jar
#
# Python: scripts/venv.sh tensorboard (offline from a local wheel folder where pip is so set up);
# the checks are experiments/src/test/python/tensorboard_check.py.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=${DEPTHSWEEP_JAR:-experiments/target/depthsweep.jar}
fail() {
  echo "tensorboard-tests: FAILED: $*" >&2
  exit 1
}
[[ -f $jar ]] || fail "no $jar: build it first (mvn -B -ntp verify)"

# --- timing: each part's seconds, and a table at the end --------------------------------------
parts=()
part_name=
part_start=$SECONDS
all_start=$SECONDS
part() {
  end_part
  part_name=$1
  part_start=$SECONDS
  echo "--- tensorboard: $part_name"
}
end_part() {
  if [[ -n $part_name ]]; then
    parts+=("$(printf '%4d s  %s' $((SECONDS - part_start)) "$part_name")")
    echo "    ($((SECONDS - part_start)) s)"
  fi
  part_name=
}

# --- what the checks need ---------------------------------------------------------------------
part "chromium and the tensorboard venv"
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
venv=$(scripts/venv.sh tensorboard)
check() { "$venv/bin/python" experiments/src/test/python/tensorboard_check.py "$@"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tensorboard-tests.XXXXXX")
pid=
cleanup() {
  # Only the sweep this script started, by its PID.
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

part "the checks themselves, on event files of TensorBoard's own writer"
"$venv/bin/python" experiments/src/test/python/tensorboard_check_test.py >"$tmp/check-test.log" 2>&1 || {
  cat "$tmp/check-test.log"
  fail "tensorboard_check_test.py"
}
tail -n 1 "$tmp/check-test.log"

# The sweeps train on tcmalloc where it is installed, as the README advises: these 4-layer nets
# train about 3x as fast on it as on glibc's malloc (docs/results/ci-time.md).
java=(java)
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[[ ! -f $tcmalloc ]] || java=(env "LD_PRELOAD=$tcmalloc" java)

# Epochs of 10 steps (1,400 images in batches of 150: the last is short), a checkpoint every 2
# steps. A, B and C: two cells (plain-4, residual-4) of 2 epochs, about 15 s a sweep here.
flags=(--preset smoke --depths 4 --train-limit 1400 --test-limit 100 --precise-bn 2
  --checkpoint-every 2 --threads 1)
two=(--variants 'plain,residual' --epochs 2)
# The sweep into $1 with the flags above and $2... (default: two cells of 2 epochs); its output
# appended to $1.log.
sweep() {
  local out=$1
  shift
  (($#)) || set -- "${two[@]}"
  timeout 300 "${java[@]}" -jar "$jar" "${flags[@]}" --out "$out" "$@" >>"$out.log" 2>&1
}
# The same in the background; sets $pid, java's own PID (no timeout in between: kill -9 must
# reach java). A script's `&` starts it with SIGINT ignored: env gives it back its default, as a
# terminal's Ctrl-C finds it (set -m would too, but then bash prints a line for the kill -9).
sweep_background() {
  env --default-signal=INT "${java[@]}" -jar "$jar" "${flags[@]}" "${two[@]}" --out "$1" >>"$1.log" 2>&1 &
  pid=$!
}
# Waits until the background sweep into $1 has saved a checkpoint mid-epoch: steps were trained.
await_checkpoint() {
  local i
  for ((i = 0; i < 1200; i++)); do
    compgen -G "$1/checkpoints/*.ckpt" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || {
      cat "$1.log"
      fail "the sweep into $1 ended before it saved a checkpoint"
    }
    sleep 0.1
  done
  fail "no checkpoint in $1/checkpoints after 120 s"
}
# Sends signal $1 to the background sweep and waits (up to 120 s) for it to end; sets $code to
# its exit code. Stderr is silenced meanwhile: bash says "Killed" of its kill -9 there.
signal_and_wait() {
  local i
  {
    kill "-$1" "$pid"
    for ((i = 0; i < 1200; i++)); do
      kill -0 "$pid" || break
      sleep 0.1
    done
    code=0
    if kill -0 "$pid"; then
      code=hung
    else
      wait "$pid" || code=$?
    fi
  } 2>/dev/null
  [[ $code != hung ]] || fail "the sweep (PID $pid) did not end within 120 s of SIG$1"
  pid=
}
sweep_failed() { # sweep_failed DIR WHAT CODE
  cat "$1.log"
  fail "$2: exit $3"
}
finish() { # finish DIR: rerun the sweep into DIR; it resumes and ends
  sweep "$1" || sweep_failed "$1" "the rerun into $1" $?
  grep -q "resuming from its checkpoint" "$1.log" || {
    cat "$1.log"
    fail "the rerun into $1 did not resume a cell from its checkpoint"
  }
}
# Exactly one warning line that names TensorBoard, and no stack trace, in $1.
one_warning() {
  local warnings
  warnings=$(grep -ci '^warning.*tensorboard' "$1" || true)
  ((warnings == 1)) || {
    cat "$1"
    fail "$2: $warnings warning lines about TensorBoard, not 1"
  }
  if grep -E '^\s+at |Exception|^Caused by' "$1"; then
    fail "$2: a stack trace or exception above (from $1)"
  fi
  grep -i '^warning.*tensorboard' "$1"
}

# --- a. the reference: run through ------------------------------------------------------------
part "a. sweep A, run through"
sweep "$tmp/A" || sweep_failed "$tmp/A" "sweep A" $?
grep -q '^done: ' "$tmp/A.log" || fail "sweep A did not end with done:"

# --- b. Ctrl-C mid-epoch, exit 75, the same command again -------------------------------------
part "b. sweep B: SIGINT mid-epoch (exit 75), then the rerun"
sweep_background "$tmp/B"
await_checkpoint "$tmp/B"
signal_and_wait INT
((code == 75)) || {
  cat "$tmp/B.log"
  fail "SIGINT: exit $code, not 75"
}
stopped=$(grep -o 'SIGINT: stopped with .* at step [0-9,]* of [0-9,]*' "$tmp/B.log") || {
  cat "$tmp/B.log"
  fail "SIGINT: no 'stopped with ... at step' line"
}
echo "    $stopped"
step=${stopped##*at step }
step=${step%% of*}
cell=${stopped#SIGINT: stopped with }
cell=${cell%% at step*}
((step % 10 != 0)) || echo "    note: that is an epoch's end, not mid-epoch; the rerun is checked all the same"
check stopped "$tmp/B" "$cell" "$step"
finish "$tmp/B"

# --- c. kill -9 mid-epoch, the same command again ---------------------------------------------
part "c. sweep C: kill -9 after a checkpoint, then the rerun"
sweep_background "$tmp/C"
await_checkpoint "$tmp/C"
sleep 0.3 # a step or so past the checkpoint: the rerun must drop the events after it
signal_and_wait KILL
((code == 137)) || fail "kill -9: exit $code, not 137"
echo "    killed at: $(find "$tmp/C/tensorboard" -name 'events.out.tfevents.*' -printf '%P %s bytes; ')"
finish "$tmp/C"

# --- the checks -------------------------------------------------------------------------------
part "records and values of A, B, C"
for run in A B C; do
  check records "$tmp/$run"
  check values "$tmp/$run"
done
part "same: A and the resumed B, C (measured speed and memory aside)"
machine=(--ignore epoch/images_per_second --ignore epoch/resident_mb)
check same "$tmp/A/tensorboard" "$tmp/B/tensorboard" "${machine[@]}"
check same "$tmp/A/tensorboard" "$tmp/C/tensorboard" "${machine[@]}"

part "the export of A: the same events as the live ones"
java -jar "$jar" tensorboard "$tmp/A" --out "$tmp/E" >"$tmp/E.log" 2>&1 || {
  cat "$tmp/E.log"
  fail "depthsweep tensorboard $tmp/A --out $tmp/E"
}
check records "$tmp/A" "$tmp/E/A"
check values "$tmp/A" "$tmp/E/A"
check same "$tmp/A/tensorboard" "$tmp/E/A"

part "a TensorBoard server on A, and headless Chromium"
check server "$tmp/A/tensorboard" --browser

# --- bad input: the sweep goes on, with one warning -------------------------------------------
tiny=(--variants plain --epochs 1)
part "(i) a file named tensorboard in the run folder"
sweep "$tmp/D" "${tiny[@]}" || sweep_failed "$tmp/D" "sweep D" $?
rm -rf "$tmp/D/tensorboard"
echo "not a folder" >"$tmp/D/tensorboard"
: >"$tmp/D.log"
sweep "$tmp/D" "${tiny[@]}" --seeds 2 || sweep_failed "$tmp/D" "sweep D with a file named tensorboard" $?
one_warning "$tmp/D.log" "a file named tensorboard"
[[ -f $tmp/D/tensorboard && $(cat "$tmp/D/tensorboard") == "not a folder" ]] ||
  fail "the sweep changed the file named tensorboard"
[[ -f $tmp/D/cells/plain-4-seed1.json ]] || fail "sweep D did not train plain-4-seed1"
java -jar "$jar" tensorboard "$tmp/D" --out "$tmp/DE" >"$tmp/DE.log" 2>&1 || {
  cat "$tmp/DE.log"
  fail "the export of D"
}
check records "$tmp/D" "$tmp/DE/D"
check values "$tmp/D" "$tmp/DE/D"

part "(ii) a full disk under the run's tensorboard folder"
sweep "$tmp/F" "${tiny[@]}" || sweep_failed "$tmp/F" "sweep F" $?
[[ -d $tmp/F/tensorboard ]] || fail "sweep F wrote no $tmp/F/tensorboard folder"
: >"$tmp/F.log"
# A 4 KiB tmpfs on F/tensorboard in a mount namespace of its own: the new cell's events file
# (5 KiB or more) and the plots (200 KiB) cannot be written. Gone when the namespace ends.
if unshare -m sh -c "mount -t tmpfs -o size=4k tmpfs '$tmp/F/tensorboard'" 2>"$tmp/mount.err"; then
  code=0
  # shellcheck disable=SC2016 # expanded by the inner bash
  unshare -m bash -c '
    dir=$1
    shift
    mount -t tmpfs -o size=4k tmpfs "$dir/tensorboard" || exit 99
    code=0
    timeout 300 "$@" || code=$?
    echo "tmpfs at the end: $(df --output=used,size -k "$dir/tensorboard" | tail -n 1 | xargs) (KiB used, size)"
    exit "$code"
  ' full-disk "$tmp/F" "${java[@]}" -jar "$jar" "${flags[@]}" --out "$tmp/F" "${tiny[@]}" --seeds 2 \
    >>"$tmp/F.log" 2>&1 || code=$?
  ((code == 0)) || sweep_failed "$tmp/F" "the sweep on a full disk" "$code"
  one_warning "$tmp/F.log" "a full disk"
  grep '^tmpfs at the end' "$tmp/F.log" | sed 's/^/    /'
  [[ -f $tmp/F/cells/plain-4-seed1.json ]] || fail "sweep F did not train plain-4-seed1"
  java -jar "$jar" tensorboard "$tmp/F" --out "$tmp/FE" >"$tmp/FE.log" 2>&1 || {
    cat "$tmp/FE.log"
    fail "the export of F"
  }
  check records "$tmp/F" "$tmp/FE/F"
  check values "$tmp/F" "$tmp/FE/F"
else
  echo "    skipped: cannot mount a tmpfs in a mount namespace here (unshare -m, root):" \
    "$(head -n 1 "$tmp/mount.err" 2>/dev/null || echo 'unshare -m fails')"
fi
end_part

echo "--- tensorboard: all passed in $((SECONDS - all_start)) s"
printf '    %s\n' "${parts[@]}"
