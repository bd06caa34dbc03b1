#!/usr/bin/env bash
# What the monitor tests need beyond pyproject: Debian's `chromium`, a real headless browser
# that opens the `shipyard report --html` page (DOM checks, console errors, a screenshot).
# Idempotent; runs as root inside CI's virtual environment.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium
fi
chromium --version
