"""False positives on real code: installed packages' sources (rich, jinja2, packaging, yaml,
jsonschema) must raise no more findings than detect-secrets raises on the same tree."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

DETECT_SECRETS = "import sys; from detect_secrets.main import main; sys.exit(main())"
PACKAGES = ("rich", "jinja2", "packaging", "yaml", "jsonschema")


@pytest.mark.slow
def test_no_more_findings_than_detect_secrets(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for name in PACKAGES:
        source = Path(importlib.import_module(name).__file__ or "").parent
        shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    ours = run_cli("scan", "secrets", "--format", "json", cwd=tree)
    assert ours.returncode in (0, 1), ours.stderr
    report = json.loads(ours.stdout)["scanners"][0]
    assert report["stats"]["files"] > 150
    detect = subprocess.run(
        [sys.executable, "-c", DETECT_SECRETS, "scan", "--all-files"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = sum(len(v) for v in json.loads(detect.stdout)["results"].values())
    assert len(report["findings"]) <= theirs, report["findings"]
