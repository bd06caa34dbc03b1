"""Lockfile readers on small hand-written files in each format version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipyard.security import npmlocks, packages, pylocks
from shipyard.security.interface import ScanError


def _names(deps: packages.DepSet) -> list[tuple[str, str]]:
    return sorted((p.name, p.version) for p in deps.packages)


def test_pnpm_key_formats(tmp_path: Path) -> None:
    lock = tmp_path / "pnpm-lock.yaml"
    lock.write_text(
        "lockfileVersion: '6.0'\npackages:\n"
        "  /lodash/4.17.11:\n    resolution: {integrity: x}\n"  # v5 style
        "  /minimist@1.2.5:\n    resolution: {integrity: x}\n"  # v6 style
        "  /@types/node@20.1.0(typescript@5.0.0):\n    resolution: {integrity: x}\n"
    )
    assert _names(npmlocks.pnpm_lock(lock, "pnpm-lock.yaml")) == [
        ("@types/node", "20.1.0"),
        ("lodash", "4.17.11"),
        ("minimist", "1.2.5"),
    ]


def test_package_lock_v1_and_links(tmp_path: Path) -> None:
    v1 = tmp_path / "v1.json"
    v1.write_text(
        json.dumps(
            {
                "lockfileVersion": 1,
                "dependencies": {
                    "a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0"}}}
                },
            }
        )
    )
    assert _names(npmlocks.package_lock(v1, "v1.json")) == [("a", "1.0.0"), ("b", "2.0.0")]
    v3 = tmp_path / "v3.json"
    v3.write_text(
        json.dumps(
            {
                "lockfileVersion": 3,
                "packages": {
                    "": {"name": "root"},
                    "node_modules/ws": {"resolved": "packages/ws", "link": True},
                    "node_modules/@scope/x": {"version": "1.2.3"},
                    "node_modules/a/node_modules/b": {"version": "0.1.0"},
                },
            }
        )
    )
    assert _names(npmlocks.package_lock(v3, "v3.json")) == [("@scope/x", "1.2.3"), ("b", "0.1.0")]


def test_yarn_berry(tmp_path: Path) -> None:
    lock = tmp_path / "yarn.lock"
    lock.write_text(
        '__metadata:\n  version: 6\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n\n'
        '"lodash@npm:^4.17.0":\n  version: 4.17.11\n  resolution: "lodash@npm:4.17.11"\n'
    )
    assert _names(npmlocks.yarn_lock(lock, "yarn.lock")) == [("lodash", "4.17.11")]


def test_bad_requirement_is_named(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("requests==2.19.0\nthis is not ( valid\n")
    with pytest.raises(ScanError, match=r"^requirements.txt:2: not a valid requirement: "):
        pylocks.requirements(req, "requirements.txt")


def test_broken_toml_lock_is_named(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock.write_text("[[package]\n")
    with pytest.raises(ScanError, match=r"^poetry.lock: not valid TOML: "):
        pylocks.toml_lock(lock, "poetry.lock")


def test_discover_finds_the_known_files(tmp_path: Path) -> None:
    for name in ("uv.lock", "pylock.dev.toml", "requirements-dev.txt", "package-lock.json"):
        (tmp_path / name).write_text("")
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("")
    assert [p.relative_to(tmp_path).as_posix() for p in packages.discover(tmp_path)] == [
        "uv.lock",
        "package-lock.json",
        "pylock.dev.toml",
        "requirements-dev.txt",
        "requirements/base.txt",
    ]
