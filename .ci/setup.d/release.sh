#!/usr/bin/env bash
# What the release tests need beyond pyproject: `wheel`, because the sample Python package is
# built with `python -m build --no-isolation` (no network) by setuptools < 70, whose bdist_wheel
# lives in the wheel package. Node, npm and Verdaccio come from tests/node. Idempotent.
set -euo pipefail
python -c 'import wheel' 2>/dev/null || python -m pip install -q wheel
command -v npm >/dev/null || { echo "npm is needed by tests/release" >&2; exit 1; }
