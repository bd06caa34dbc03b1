#!/usr/bin/env bash
# init's tests run pnpm and bun projects (tests/init: miniatures of real repositories, and a bun
# project installed with its own `bun install`); both come from the npm registry (bun's npm
# package carries the binary). yarn (classic, and berry through a project's yarnPath) comes
# from tests/node. Idempotent.
set -euo pipefail
if ! command -v pnpm >/dev/null 2>&1; then
  npm install -g --no-fund --no-audit pnpm@9
fi
if ! command -v bun >/dev/null 2>&1; then
  npm install -g --no-fund --no-audit bun@1.3
fi
pnpm --version
bun --version
