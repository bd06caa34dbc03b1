#!/usr/bin/env bash
# What tests/ci's run of shipyard's own build workflow needs beyond pyproject: the wheels of
# shipyard's build backend (hatchling and what it requires). On a GitHub runner `python -m
# build` fetches them from PyPI into its isolated environment; the act runner's pip reads only
# a local index, so the test gives it this folder as PIP_FIND_LINKS. Idempotent; runs inside
# CI's virtual environment.
set -euo pipefail
dest="$(python -c 'import sys; print(sys.prefix)')/share/shipyard-tests/build-wheels"
version="$(python -c 'import importlib.metadata as m; print(m.version("hatchling"))')"
if ! ls "$dest"/hatchling-"$version"-*.whl >/dev/null 2>&1; then
  mkdir -p "$dest"
  python -m pip download -q --only-binary=:all: -d "$dest" "hatchling==$version"
fi
ls "$dest"
