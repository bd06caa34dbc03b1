#!/usr/bin/env bash
# What tests/ci's run of shipyard's own build workflow needs beyond pyproject: the wheels of
# shipyard's build backend (pyproject's [build-system] requires and what they require). On a
# GitHub runner `python -m build` fetches them from PyPI into its isolated environment; the act
# runner's pip reads only a local index, so the test gives it this folder as PIP_FIND_LINKS.
# Idempotent; runs inside CI's virtual environment, before the project is installed (so it reads
# the requirements from pyproject.toml, not from what is installed).
set -euo pipefail
dest="$(python -c 'import sys; print(sys.prefix)')/share/shipyard-tests/build-wheels"
if ! ls "$dest"/hatchling-*.whl >/dev/null 2>&1; then
  mkdir -p "$dest"
  python - "$dest" <<'PY'
import subprocess, sys, tomllib
requires = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]
subprocess.run(
    [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", sys.argv[1], *requires],
    check=True,
)
PY
fi
ls "$dest"
