#!/usr/bin/env bash
# Copies the paper run's finished results into this folder, to commit: the cells' JSON,
# protocol.json, the tables, the plots and the log. Never checkpoints; models only by hand (the
# shipped one, see RUN.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
run=${PAPER_RUN:-$HOME/runs/paper}

mkdir -p "$here/cells"
cp "$run/protocol.json" "$here/"
cp "$run"/cells/*.json "$here/cells/" 2>/dev/null || true
for file in results.md results.csv sweep.log "$run"/*.png; do
  file=$(basename "$file")
  [ -f "$run/$file" ] && cp "$run/$file" "$here/"
done
ls "$here/cells"
