#!/usr/bin/env bash
# Checks the offline GPU route end to end on a machine with an NVIDIA GPU and no internet:
# PyTorch's natives from an existing libtorch 2.7.1+cu128 (PYTORCH_LIBRARY_PATH), DJL's JNI
# (linux-x86_64/cu128) from the pytorch-jni jar inside the -Pgpu jars, nothing downloaded.
#
#   mvn -Pgpu -q install -DskipTests          # the -Pgpu jars: no CPU natives inside
#   deploy/gpu/check-gpu.sh /path/to/site-packages/torch/lib
#
# The argument is libtorch 2.7.1+cu128's lib folder, for example the one in
#   pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128
# (python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + "/lib")').
#
# What it checks, each step printing PASS or FAIL:
#   1. the jars hold no CPU natives (so DJL cannot fall back to the CPU build);
#   2. a few training steps of residual-50 with --device gpu (fails if the engine sees no GPU);
#   3. a checkpoint and an exact resume: the same cell is stopped with SIGTERM after its first
#      checkpoint (exit 75) and rerun; its step losses, per-epoch test accuracies and parameters
#      must equal an uninterrupted run's;
#   4. the app on the GPU: bench reports gpu(0), and predict classifies app/samples.
#
# NOT TESTED: written on a machine without a GPU; nobody has run it yet.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'check-gpu: %s\n' "$*"; }
fail() {
  say "FAIL: $*"
  exit 1
}

LIB=${1:-${PYTORCH_LIBRARY_PATH:-}}
[[ -n $LIB ]] || fail "usage: deploy/gpu/check-gpu.sh TORCH_LIB_DIR (libtorch 2.7.1+cu128's lib folder)"
[[ -f $LIB/libtorch.so && -f $LIB/libtorch_cuda.so ]] ||
  fail "$LIB has no libtorch.so and libtorch_cuda.so: name the lib folder of a CUDA build of torch 2.7.1"
command -v nvidia-smi >/dev/null && nvidia-smi -L || say "nvidia-smi not found; trying anyway"

export PYTORCH_LIBRARY_PATH=$LIB PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
JAVA=(java -Dai.djl.offline=true -XX:+UseSerialGC -Xmx2g)
SWEEP=experiments/target/depthsweep.jar
APP=app/target/depthsweep-app.jar
WORK=${WORK:-$(mktemp -d -t depthsweep-gpu-XXXXXX)}
say "working in $WORK"

# 1. No CPU natives in the jars.
for jar in "$SWEEP" "$APP"; do
  [[ -f $jar ]] || fail "no $jar: build with mvn -Pgpu -q install -DskipTests"
  if unzip -l "$jar" | grep -q 'pytorch/cpu.*libtorch_cpu'; then
    fail "$jar holds PyTorch's CPU natives: build it with -Pgpu"
  fi
  unzip -l "$jar" | grep -q 'jnilib/linux-x86_64/cu128/libdjl_torch.so' ||
    fail "$jar has no cu128 JNI (pytorch-jni)"
done
say "PASS 1: no CPU natives in the jars; the cu128 JNI is there"

# 2 and 3. residual-50: 2 epochs of 100 steps, a checkpoint every 5 steps.
ARGS=(--preset smoke --variants residual --depths 50 --train-limit 15000 --test-limit 1000
  --precise-bn 2 --epochs 2 --checkpoint-every 5 --device gpu)
CELL=residual-50-seed0
"${JAVA[@]}" -jar "$SWEEP" "${ARGS[@]}" --out "$WORK/reference" >"$WORK/reference.log" 2>&1 ||
  fail "training on the GPU (see $WORK/reference.log)"
grep -q 'on gpu' "$WORK/reference.log" || fail "the sweep did not say it ran on a GPU ($WORK/reference.log)"
say "PASS 2: residual-50 trained on the GPU"

"${JAVA[@]}" -jar "$SWEEP" "${ARGS[@]}" --out "$WORK/resumed" >"$WORK/stopped.log" 2>&1 &
pid=$!
until [[ -f $WORK/resumed/checkpoints/$CELL.ckpt ]] || ! kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
kill -TERM "$pid" 2>/dev/null || true
rc=0
wait "$pid" || rc=$?
((rc == 75)) || fail "after SIGTERM the sweep exited $rc, not 75 ($WORK/stopped.log)"
"${JAVA[@]}" -jar "$SWEEP" "${ARGS[@]}" --out "$WORK/resumed" >"$WORK/resumed.log" 2>&1 ||
  fail "resuming ($WORK/resumed.log)"
python3 - "$WORK/resumed/cells/$CELL.json" "$WORK/reference/cells/$CELL.json" <<'PY' ||
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
ok = len(a["sessions"]) > 1
print(f"  sessions: {[(s.get('fromStep'), s.get('toStep')) for s in a['sessions']]}")
if a["stepLosses"] != b["stepLosses"]:
    ok = False
    print("  step losses differ from the uninterrupted run's")
for key in ("testAccuracy", "preciseBnTestAccuracy"):
    x, y = [e[key] for e in a["epochs"]], [e[key] for e in b["epochs"]]
    if x != y:
        ok = False
        print(f"  {key} per epoch: {x} vs {y}")
sys.exit(0 if ok else 1)
PY
  fail "the resumed run differs from the uninterrupted one (if two uninterrupted runs differ too, the GPU's kernels are not deterministic)"
for params in "$WORK/reference/models/$CELL"/*.params; do
  cmp -s "$params" "$WORK/resumed/models/$CELL/$(basename "$params")" ||
    fail "the resumed run's parameters differ from the uninterrupted run's"
done
say "PASS 3: stopped by SIGTERM after a checkpoint, resumed, identical to the uninterrupted run"

# 4. The app on the GPU: the zoo's residual-12 and the model just trained.
"${JAVA[@]}" -jar "$APP" bench --warmup 1 --iterations 5 --batches 2 --rounds 1 \
  >"$WORK/bench.log" 2>&1 || fail "app bench ($WORK/bench.log)"
grep -q 'on gpu(0)' "$WORK/bench.log" || fail "the app did not run on gpu(0) ($WORK/bench.log)"
"${JAVA[@]}" -jar "$APP" predict app/samples | tee "$WORK/predict.log" || fail "app predict"
"${JAVA[@]}" -jar "$APP" predict --model "$WORK/reference/models/$CELL" app/samples \
  >"$WORK/predict-trained.log" || fail "app predict with the model trained on the GPU"
say "PASS 4: the app ran on gpu(0) and classified app/samples"
say "all passed; logs in $WORK"
