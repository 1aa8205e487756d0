#!/usr/bin/env bash
# How PyTorch's OpenMP wait setting trades speed on a quiet machine against speed beside another
# job (docs/results/speed.md, "A shared machine"). For each round, one bench process per setting,
# in turn; each process times plain-12 and residual-50 quiet, then with one busy thread beside
# (bench --beside busy-thread), alternating. A value set in the environment wins over
# depthsweep's own, so each setting is given as one:
#   GOMP_SPINCOUNT=0       what OMP_WAIT_POLICY=PASSIVE gives (libgomp sleeps at once)
#   GOMP_SPINCOUNT=10000   depthsweep's own (PyTorchEnvironment)
#   GOMP_SPINCOUNT=300000  libgomp's default without a policy (spins ~300,000 times first)
#
#   mvn -q install -DskipTests && docs/results/shared-machine.sh > shared-machine.txt
#   ROUNDS=5 STEPS=10 SPINCOUNTS="0 10000 300000" docs/results/shared-machine.sh
set -euo pipefail
jar=$(cd "$(dirname "$0")/../.." && pwd)/experiments/target/depthsweep.jar
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -f "$tcmalloc" ] || tcmalloc=""
date -u +"%Y-%m-%dT%H:%MZ"
for round in $(seq "${ROUNDS:-5}"); do
  for spin in ${SPINCOUNTS:-0 10000 300000}; do
    echo "round $round GOMP_SPINCOUNT=$spin"
    GOMP_SPINCOUNT=$spin LD_PRELOAD=$tcmalloc java -jar "$jar" bench --models plain-12,residual-50 \
      --steps "${STEPS:-10}" --warmup 3 --beside busy-thread --json
  done
done
