#!/usr/bin/env bash
# Copies the paper run's finished cells back here and redraws its tables (see ../collect.sh).
#
#   mvn -q install -DskipTests && docs/results/paper/collect.sh
exec "$(dirname "$0")/../collect.sh" paper "$@"
