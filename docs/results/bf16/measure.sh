#!/usr/bin/env bash
# Measures oneDNN's BF16 math mode (ONEDNN_DEFAULT_FPMATH_MODE=BF16) against its default, strict
# FP32, on this machine: which convolution kernels run, training and inference speed in
# alternating rounds, where the time goes, and whether training changes at all. The variable is
# read by oneDNN inside the engine, so it is set in the environment of each run.
#
#   mvn -q install -DskipTests
#   docs/results/bf16/measure.sh /tmp/bf16     # about 15 min on 2 cores; needs Fashion-MNIST
#
# Run it on a quiet machine (pause other training with kill -STOP). speed.md, "Reduced
# precision", has what it printed on the AMD EPYC Zen 5.
set -euo pipefail

out=${1:?usage: measure.sh OUTPUT_FOLDER}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
jar=${JAR:-$repo/experiments/target/depthsweep.jar}
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
preload=$([ -f "$tcmalloc" ] && echo "$tcmalloc" || true)
mkdir -p "$out"

# with MODE COMMAND...: runs COMMAND with oneDNN's default math mode set to MODE.
with() {
  local mode=$1
  shift
  ONEDNN_DEFAULT_FPMATH_MODE=$mode LD_PRELOAD=$preload "$@"
}

# 1. The kernels: one residual-50 step with oneDNN's log on, per mode.
for mode in STRICT BF16 ANY; do
  with $mode env ONEDNN_VERBOSE=1 java -jar "$jar" bench --models residual-50 --steps 1 --warmup 0 2>&1 |
    grep '^onednn_verbose.*,exec,.*convolution' |
    awk -F, '{ split($12, attr, " "); print $6 ", " $7 ", " attr[2] }' | sort | uniq -c \
    > "$out/verbose-$mode.txt"
  echo "== convolution kernels, $mode (count, kernel, math mode)"
  cat "$out/verbose-$mode.txt"
done

# 2. Speed: five alternating rounds, one JSON line per model and round.
for round in 1 2 3 4 5; do
  for mode in STRICT BF16; do
    with $mode java -jar "$jar" bench --models plain-12,residual-50 --json |
      sed "s/^{/{\"mode\":\"$mode\",\"round\":$round,/"
  done
done > "$out/speed.jsonl"
python3 - "$out/speed.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for model in ("plain-12", "residual-50"):
    for key in ("train_images_per_s", "infer_images_per_s"):
        strict = [r[key] for r in rows if r["name"] == model and r["mode"] == "STRICT"]
        bf16 = [r[key] for r in rows if r["name"] == model and r["mode"] == "BF16"]
        ratios = [b / s for s, b in zip(strict, bf16)]
        print(f"{model} {key}: strict {statistics.median(strict):.0f}, BF16"
              f" {statistics.median(bf16):.0f}, BF16/strict {statistics.median(ratios):.3f}"
              f" (rounds {min(ratios):.3f}-{max(ratios):.3f})")
EOF

# 3. Where the time goes, per mode.
for mode in STRICT BF16; do
  with $mode java -jar "$jar" bench --models plain-12,residual-50 --profile "$out/profile-$mode" \
    > "$out/profile-$mode.txt"
done

# 4. Training: one full epoch of plain-12 and residual-12 per mode; same step losses, same
#    accuracies, same weights means the mode changed no arithmetic.
for mode in STRICT BF16; do
  with $mode java -jar "$jar" --depths 12 --epochs 1 --out "$out/train-$mode" > /dev/null
done
for cell in plain-12-seed0 residual-12-seed0; do
  if cmp -s "$out/train-STRICT/models/$cell/"*.params "$out/train-BF16/models/$cell/"*.params; then
    echo "$cell: identical weights after one epoch in both modes"
  else
    grep -h '"finalTestAccuracy"\|"finalPreciseBnAccuracy"' "$out"/train-*/cells/$cell.json
    echo "$cell: the weights differ between the modes"
  fi
done
