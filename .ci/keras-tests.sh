#!/usr/bin/env bash
# The seed's own Keras code against depthsweep (issue 42), as the long runs use them, in small:
# peer_keras.py trains plain-4 on a slice of the real data, is killed with kill -9 after its
# first epoch and resumes from Keras's BackupAndRestore at the second; `keras-report` reads what
# it wrote and compares it with a depthsweep run of the same length; bad input gets one line and
# exit 2. About 2 minutes on 2 cores, most of it making the venv the first time.
#
#   .ci/keras-tests.sh     # after mvn verify (or package): the jar must exist
set -euo pipefail
cd "$(dirname "$0")/.."

jar=experiments/target/depthsweep.jar
fail() {
  echo "keras-tests: FAILED: $*" >&2
  exit 1
}
[[ -f $jar ]] || fail "no $jar: build it first (mvn -B -ntp verify)"
python=$(scripts/venv.sh keras)/bin/python
tmp=$(mktemp -d)
trap 'kill -9 "${trainer:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# depthsweep's side: the same net and length
java -jar "$jar" --preset smoke --variants plain --depths 4 --epochs 2 --out "$tmp/ours" \
  > "$tmp/ours.log" 2>&1 || fail "the depthsweep run failed: $(tail -3 "$tmp/ours.log")"

# Keras's side, killed once its first epoch is backed up: a run that outlives a session
run=$tmp/keras/plain-4-seed0
train=("$python" experiments/peer/peer_keras.py train 4 plain --seed 0 --epochs 2
  --train-limit 6000 --test-limit 500 --out "$run")
"${train[@]}" > "$tmp/first.log" 2>&1 &
trainer=$!
for _ in $(seq 600); do
  # epoch 2 begins only after every callback's end of epoch 1: the record and the backup
  grep -q '^epoch 2 begins' "$tmp/first.log" && break
  kill -0 "$trainer" 2>/dev/null || fail "peer_keras.py ended early: $(tail -3 "$tmp/first.log")"
  sleep 0.1
done
grep -q '^epoch 2 begins' "$tmp/first.log" || fail "no second epoch after 60 s"
kill -9 "$trainer"
wait "$trainer" 2>/dev/null || true
[[ ! -f $run/result.json ]] || fail "the run finished before it could be killed: raise --train-limit"
"${train[@]}" > "$tmp/second.log" 2>&1 || fail "the resumed run failed: $(tail -3 "$tmp/second.log")"
[[ $(grep -m1 'begins' "$tmp/second.log") == 'epoch 2 begins' ]] ||
  fail "the rerun did not resume at epoch 2: $(grep 'begins' "$tmp/second.log" | head -2)"
"$python" - "$run" <<'PY' || fail "epochs.json or result.json is not what the report reads"
import json, sys
from pathlib import Path
run = Path(sys.argv[1])
epochs = json.loads((run / "epochs.json").read_text())
result = json.loads((run / "result.json").read_text())
assert [e["epoch"] for e in epochs] == [1, 2], epochs
assert epochs[1]["steps"] == 80, f"the optimizer's step count did not resume: {epochs[1]}"
assert result["epochs"] == 2 and result["final_test_accuracy"] == epochs[1]["test_accuracy"]
assert result["machine"] and result["finished"], result
PY

# the report reads both
java -jar "$jar" keras-report "$run" --against "$tmp/ours" --out "$tmp/report" > "$tmp/report.log" 2>&1 ||
  fail "keras-report failed: $(cat "$tmp/report.log")"
grep -q '^| plain-4 | 1 | ' "$tmp/report/comparison.md" || fail "no plain-4 row in comparison.md"
grep -q '^| plain-4-seed0 | finished, 2 epochs | ' "$tmp/report/comparison.md" ||
  fail "the run is not listed as finished in comparison.md"
[[ -s $tmp/report/accuracy_per_epoch_keras.png ]] || fail "no plot"

# bad input: one line, exit 2
mkdir -p "$tmp/keras/plain-4"
set +e
java -jar "$jar" keras-report "$tmp/keras/plain-4" --against "$tmp/ours" --out "$tmp/report" \
  > "$tmp/bad.log" 2>&1
code=$?
set -e
[[ $code == 2 && $(wc -l < "$tmp/bad.log") == 1 ]] ||
  fail "a misnamed folder gave exit $code and: $(cat "$tmp/bad.log")"
set +e
RUNS=$tmp/runs docs/results/keras/resume.sh plain-4 > "$tmp/bad.log" 2>&1
code=$?
set -e
[[ $code == 2 ]] || fail "resume.sh took a misnamed run (exit $code): $(cat "$tmp/bad.log")"
# the committed report's runs are committed too (CI runs on a clean clone; a runs/ pattern in
# .gitignore once kept them out while comparison.md named them)
for record in $(grep -o 'docs/results/keras/runs/[a-z0-9-]*' docs/results/keras/comparison.md | sort -u); do
  [[ -f $record/epochs.json ]] || fail "comparison.md reads $record, which is not in the repository"
done
echo "keras-tests: passed"
