#!/usr/bin/env bash
# The README's commands, run the way a user types them: from the repository root, relative paths,
# default options, Ctrl-C and the rerun that resumes. Where the real command takes hours it is
# shortened by the smoke preset or a size flag, nothing else. Each command is first looked up
# verbatim in README.md, so a README command that changes without this script fails CI.
#
#   .ci/readme-commands.sh        # after mvn verify (or install): the jars must exist
set -euo pipefail
cd "$(dirname "$0")/.."

step() { echo "--- readme: $*"; }
fail() {
  echo "readme-commands: FAILED: $*" >&2
  exit 1
}
# The command as the README prints it; fails if the README no longer does.
says() { grep -qF -- "$1" README.md || fail "README.md no longer says: $1"; }
# Waits until a worker has claimed a cell (up to $1 seconds): training has begun.
await_claim() {
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    compgen -G 'runs/smoke/claims/*.claim' >/dev/null && return 0
    sleep 0.1
  done
  fail "no cell claimed in runs/smoke after $1 s"
}

rm -rf runs/smoke runs/quick runs/he2016 runs/shared runs/evaluate runs/tensorboard
trap 'rm -rf runs/smoke runs/quick runs/he2016 runs/shared runs/evaluate runs/tensorboard' EXIT

# --- On a fresh machine: the main job, Ctrl-C, and the same command again ---------------------
main='mvn -q install -DskipTests && mvn -pl experiments exec:java'
says "$main"
short='--preset smoke --train-limit 10000'
step "$main -Dexec.args=\"$short\", then Ctrl-C"
# A job of its own, as a terminal runs it, and Ctrl-C signals its whole process group. With job
# control on (set -m) the job gets its own group and, unlike a plain `&` in a script, does not
# start with SIGINT ignored; env restores SIGINT's default where CI itself was started with it
# ignored (nohup ... &), which no set -m undoes.
set -m
env --default-signal=INT bash -c "$main -Dexec.args=\"$short\"" >/tmp/readme-main.log 2>&1 &
job=$!
set +m
await_claim 300 # the first cell (longest first: residual-8) takes about 10 s
sleep 2
kill -INT -- "-$job"
code=0
wait "$job" || code=$?
cat /tmp/readme-main.log
((code == 75)) || fail "Ctrl-C: exit $code, not 75"
grep -q "SIGINT: stopping after this step" /tmp/readme-main.log || fail "Ctrl-C was not taken"
grep -qF "Resume: rerun the same command: mvn -pl experiments exec:java -Dexec.args='$short'" \
  /tmp/readme-main.log || fail "the stop line does not give the command to rerun"

step "the same command again: resumes and finishes"
bash -c "$main -Dexec.args=\"$short\"" >/tmp/readme-again.log 2>&1 || {
  cat /tmp/readme-again.log
  fail "the rerun failed"
}
cat /tmp/readme-again.log
grep -qE "resuming from its checkpoint|already finished, skipped" /tmp/readme-again.log ||
  fail "the rerun did not resume"
grep -q "^done: " /tmp/readme-again.log || fail "the rerun did not finish"
[[ $(find runs/smoke/cells -name '*.json' | wc -l) == 4 ]] || fail "runs/smoke lacks a cell"

jar='java -jar experiments/target/depthsweep.jar'
says "$jar"
step "$jar $short: the same folder, nothing left to train"
# shellcheck disable=SC2086 # $jar and $short are several words each, as typed
$jar $short | tee /tmp/readme-jar.log
grep -q "0 of 4 cells to train" /tmp/readme-jar.log || fail "the jar did not find the run"

# --- the shorter sweep, and two workers on one folder ----------------------------------------
quick='mvn -q install -DskipTests && mvn -pl experiments exec:java -Dexec.args="--preset quick --out runs/quick"'
says "$quick"
step "quick, on 1,500 images and depth 4 (its install half ran above, the same command)"
quick_sweep=${quick#*&& }
bash -c "${quick_sweep%\"} --train-limit 1500 --test-limit 500 --depths 4\""
[[ -f runs/quick/results.md ]] || fail "no runs/quick/results.md"

he2016='java -jar experiments/target/depthsweep.jar --preset he2016'
says "$he2016"
step "$he2016 on 1,500 images, depth 4, 1 epoch: 10 steps, the rate /10 after steps 5 and 7"
$he2016 --train-limit 1500 --test-limit 500 --depths 4 --epochs 1 | tee /tmp/readme-he2016.log
grep -qF "SGD momentum 0.9 lr 0.1, /10 after steps 5 and 7" /tmp/readme-he2016.log ||
  fail "he2016 did not train with He et al.'s SGD"
[[ -f runs/he2016/results.md ]] || fail "no runs/he2016/results.md"

workers='java -jar experiments/target/depthsweep.jar --threads 1 --out runs/shared &'
says "$workers"
step "two workers on runs/shared"
$jar --threads 1 --out runs/shared --preset smoke &
first=$!
$jar --threads 1 --out runs/shared --preset smoke &
second=$!
wait "$first" || fail "the first worker failed"
wait "$second" || fail "the second worker failed"
[[ $(find runs/shared/cells -name '*.json' | wc -l) == 4 ]] || fail "runs/shared lacks a cell"

# --- TensorBoard: the paper run's events from its committed cells ------------------------------
export_paper='java -jar experiments/target/depthsweep.jar tensorboard docs/results/paper --out runs/tensorboard'
says "$export_paper"
step "$export_paper"
$export_paper | tee /tmp/readme-tensorboard.log
grep -q "24 cells into runs/tensorboard/paper" /tmp/readme-tensorboard.log || fail "the export"
[[ $(find runs/tensorboard/paper -name 'events.out.tfevents.*' | wc -l) == 25 ]] ||
  fail "runs/tensorboard/paper lacks a cell's or the plots' events"
[[ $(find runs/smoke/tensorboard -name 'events.out.tfevents.*' | wc -l) == 5 ]] ||
  fail "runs/smoke/tensorboard: not one event file per cell (4) and one of plots"

# --- the app -----------------------------------------------------------------------------------
app='java -jar app/target/depthsweep-app.jar'
says "$app predict app/samples"
step "$app predict app/samples"
$app predict app/samples | tee /tmp/readme-predict.log
grep -qE "app/samples/9-ankle-boot.png +Ankle boot" /tmp/readme-predict.log || fail "predict"

says "$app evaluate"
step "$app evaluate"
before=$(git status --porcelain)
$app evaluate | tee /tmp/readme-evaluate.log
grep -q "^accuracy: " /tmp/readme-evaluate.log || fail "evaluate printed no accuracy"
[[ $(git status --porcelain) == "$before" ]] || fail "evaluate wrote into the repository"
ls runs/evaluate/confusion-*.png >/dev/null || fail "evaluate saved no chart"

says "$app predict --model runs/quick --json"
step "$app predict --model runs/quick --json app/samples/7-sneaker.png"
$app predict --model runs/quick --json app/samples/7-sneaker.png | tee /tmp/readme-json.log
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' /tmp/readme-json.log ||
  fail "--json printed no JSON"

echo "readme-commands: every command ran as the README says"
