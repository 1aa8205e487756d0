#!/usr/bin/env bash
# Starts, or resumes, the `paper` run in the background (see ../resume.sh). With no flags, the cells
# still missing of the error bars: seeds 0-2 of every cell, deepest first; committed cells are
# skipped.
#
#   docs/results/paper/resume.sh          # after: mvn -q install -DskipTests
#   docs/results/paper/resume.sh --depths 32 --variants residual --seeds 2
set -euo pipefail
if [ $# -gt 0 ]; then
  exec "$(dirname "$0")/../resume.sh" paper "$@"
fi
exec "$(dirname "$0")/../resume.sh" paper --depths 50,32,20,12 --seeds 3
