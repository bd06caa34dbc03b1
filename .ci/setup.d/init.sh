#!/usr/bin/env bash
# init's tests run pnpm projects (tests/init: miniatures of real pnpm repositories); pnpm comes
# from the npm registry. Idempotent.
set -euo pipefail
if ! command -v pnpm >/dev/null 2>&1; then
  npm install -g --no-fund --no-audit pnpm@9
fi
pnpm --version
