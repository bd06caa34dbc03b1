"""shipyard releases itself with shipyard: its own `[tool.shipyard.release]`, the CHANGELOG.md
that `shipyard changelog` writes, and the tag-push workflow that `shipyard ci generate` writes,
whose build job (`shipyard release --ci build`) makes packages the real twine accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from shipyard import __version__
from tests.conftest import git, run_cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_pushed_tag_builds_packages_twine_accepts(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("needs shipyard's own git history (a clone)")
    clone = tmp_path / "shipyard"
    git(tmp_path, "clone", "-q", "--no-hardlinks", str(ROOT), str(clone))
    for name in ("pyproject.toml", "CHANGELOG.md"):  # this checkout's versions, committed
        shutil.copy2(ROOT / name, clone / name)
    shutil.copytree(ROOT / ".github", clone / ".github", dirs_exist_ok=True)
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "--allow-empty", "--no-verify", "-m", "test: this checkout")

    # the version comes from the conventional history and the v* tags of [release]
    decided = run_cli("version", "--json", cwd=clone)
    assert decided.returncode == 0, decided.stderr
    next_release = json.loads(decided.stdout)
    assert next_release["scheme"] == "pep440" and next_release["release"] is True
    assert next_release["tag"] == f"v{next_release['version']}"  # [release] tag-format

    # CHANGELOG.md is shipyard changelog's file: its header, then a section per release
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n") and "written by `shipyard changelog`" in changelog
    assert f"## [{__version__}]" in changelog
    preview = run_cli("changelog", "--stdout", cwd=clone)
    assert preview.returncode == 0 and "### Features" in preview.stdout

    # the tag-push workflow is what `ci generate` writes from pyproject (and is up to date)
    assert run_cli("ci", "generate", "--check", cwd=clone).returncode == 0
    workflow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert "v*" in workflow[True]["push"]["tags"]  # PyYAML reads the `on:` key as True
    steps = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert "shipyard release --ci build --dist release-dist" in steps
    assert workflow["jobs"]["publish"]["permissions"]["id-token"] == "write"

    # what its build job does, on the tagged commit
    git(clone, "tag", "-f", "-a", f"v{__version__}", "-m", f"v{__version__}")
    built = run_cli("release", "--ci", "build", "--dist", "dist", cwd=clone, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    packages = sorted((clone / "dist" / "pypi").iterdir())
    assert [p.suffix for p in packages] == [".whl", ".gz"], packages  # wheel and sdist
    twine = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, packages)],
        capture_output=True,
        text=True,
    )
    assert twine.returncode == 0, twine.stdout + twine.stderr
    with zipfile.ZipFile(packages[0]) as wheel:
        meta = wheel.read(f"shipyard-{__version__}.dist-info/METADATA").decode()
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    for label, url in urls.items():
        assert f"Project-URL: {label}, {url}" in meta
    assert "Classifier: Typing :: Typed" in meta and f"Version: {__version__}" in meta
