"""One package cache per test session for the tests that run a project's own install from the
npm registry (the one network these machines have).

Every test gets a new HOME, where npm and pnpm keep their caches by default, so each install
would download everything again. These settings point npm's cache and pnpm's store at one folder
that every xdist worker of the session shares (both are safe under concurrent installs): a
package is downloaded once a session, and every later install of it is offline-fast.
"""

from __future__ import annotations

import pytest


def cache_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment an install runs with: the session's npm cache and pnpm store, and npm
    told to trust the metadata it cached earlier in the session."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if base.name.startswith("popen-gw") else base) / "registry-cache"
    root.mkdir(exist_ok=True)
    return {
        "npm_config_cache": str(root / "npm"),
        "npm_config_prefer_offline": "true",
        "npm_config_store_dir": str(root / "pnpm-store"),
        "npm_config_cache_dir": str(root / "pnpm-cache"),  # pnpm's metadata
    }
