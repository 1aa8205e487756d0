#!/usr/bin/env bash
# Makes, or reuses, a Python virtual environment for the checks written in Python, and prints its
# path (the only thing on stdout):
#
#   scripts/venv.sh tensorboard   # tensorboard==2.21.0: reads the sweep's event files
#   scripts/venv.sh keras         # tensorflow-cpu==2.21.0
#   scripts/venv.sh torch         # torch==2.13.0+cpu and numpy
#
#   "$(scripts/venv.sh tensorboard)/bin/python" experiments/src/test/python/tensorboard_check.py ...
#
# The venvs live in ${DEPTHSWEEP_VENVS:-~/.cache/depthsweep/venvs}/NAME. A venv whose packages
# import, at the pinned versions, is reused at once; otherwise it is (re)made with pip.
#
# pip offline: pip reads its index and wheel folders from its own configuration (pip.conf,
# PIP_INDEX_URL, PIP_FIND_LINKS, ...). Where its index (pypi.org by default) cannot be reached, pip
# retries every package's page 5 times with back-off, about 90 s for tensorboard, before it falls
# back on the local folders; so the first try gives up on an unreachable index at once
# (--retries 0, a short --timeout) and only where that fails is pip run again with its defaults,
# for a slow or flaky network.
set -euo pipefail

valid='tensorboard, keras, torch'
if (($# != 1)); then
  echo "usage: scripts/venv.sh NAME, NAME one of: $valid" >&2
  exit 64
fi
name=$1
pip_extra=()
case $name in
  tensorboard)
    requirements=(tensorboard==2.21.0)
    module=tensorboard
    ;;
  keras)
    requirements=(tensorflow-cpu==2.21.0)
    module=tensorflow
    ;;
  torch)
    requirements=(torch==2.13.0+cpu numpy)
    module=torch
    # PyPI has no +cpu builds: PyTorch's own index has them.
    pip_extra=(--extra-index-url https://download.pytorch.org/whl/cpu)
    ;;
  *)
    echo "scripts/venv.sh: unknown venv '$name'; valid: $valid" >&2
    exit 64
    ;;
esac

root=${DEPTHSWEEP_VENVS:-$HOME/.cache/depthsweep/venvs}
venv=$root/$name
python=${PYTHON:-python3}

# True when the venv's python imports the module and has every requirement at its version.
complete() {
  [[ -x $venv/bin/python ]] || return 1
  "$venv/bin/python" - "$module" "${requirements[@]}" <<'EOF' 2>/dev/null
import importlib, importlib.metadata, sys
importlib.import_module(sys.argv[1])
for requirement in sys.argv[2:]:
    name, _, version = requirement.partition("==")
    installed = importlib.metadata.version(name)
    if version and installed != version:
        sys.exit(1)
EOF
}

if complete; then
  echo "$venv"
  exit 0
fi

mkdir -p "$root"
# One maker at a time per venv (two CI jobs on one machine); the second then finds it complete.
exec 9>"$venv.lock"
if command -v flock >/dev/null; then
  flock 9
fi
if complete; then
  echo "$venv"
  exit 0
fi

echo "scripts/venv.sh: making $venv (${requirements[*]})" >&2
# A venv that does not run (its python moved or upgraded) is made again from scratch.
if ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pip=("$venv/bin/python" -m pip install --disable-pip-version-check --no-input
  "${pip_extra[@]}" "${requirements[@]}")
if ! "${pip[@]}" --retries 0 --timeout 10 >"$log" 2>&1; then
  echo "scripts/venv.sh: pip failed fast; once more with pip's retries" >&2
  "${pip[@]}" >"$log" 2>&1 || {
    cat "$log" >&2
    echo "scripts/venv.sh: pip could not install ${requirements[*]} into $venv" >&2
    exit 1
  }
fi
complete || {
  cat "$log" >&2
  echo "scripts/venv.sh: $venv still lacks ${requirements[*]} after pip" >&2
  exit 1
}
echo "$venv"
