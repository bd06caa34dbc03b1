#!/usr/bin/env bash
# Tools the security tests need beyond pyproject: bandit (the Python analyzer `shipyard scan
# code` runs) and the official SARIF 2.1.0 JSON schema, which ships in the npm package
# @microsoft/jest-sarif. Idempotent; runs inside CI's virtual environment.
set -euo pipefail
python -m pip install -q bandit
dest="$(python -c 'import sys; print(sys.prefix)')/share/shipyard-tests"
if [ ! -s "$dest/sarif-schema-2.1.0.json" ]; then
  mkdir -p "$dest"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack -q @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
  tar -xzf "$tmp"/microsoft-jest-sarif-*.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$dest/sarif-schema-2.1.0.json"
  rm -rf "$tmp"
fi
