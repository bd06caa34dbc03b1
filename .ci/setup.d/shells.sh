#!/usr/bin/env bash
# The shells the completion tests source `shipyard completion bash|zsh|fish` in. Idempotent.
set -euo pipefail
if command -v zsh >/dev/null && command -v fish >/dev/null; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq zsh fish >/dev/null
