"""`scan code` on Node projects as jshttp/mime-types has them (found there at 3a1187e): the
project's own ESLint, 8 or 9, run with the flags its major understands and none of its config,
and the coverage reports a test run leaves behind (istanbul's lcov-report scripts, nyc's
data, the state folder) never scanned as the project's code."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.security.conftest import REPO_ROOT

NODE_MODULES = REPO_ROOT / "tests" / "node" / "node_modules"
INJECTION = "var code = process.argv[2]\neval(code)\n"


def _project(root: Path, eslint: str, cache: dict[str, str]) -> None:
    """A CommonJS library with eslint 8's kind of config (which extends a shareable config that
    is not installed: loading it would fail), its eslint installed (8: with npm, as the project
    does; 9: tests/node's), and what `nyc --reporter=lcov --reporter=html` and a shipyard run
    leave behind."""
    package = {"name": "mime-types", "version": "3.0.2"}
    if eslint == "8":
        package["devDependencies"] = {"eslint": "8.57.1"}
    (root / "package.json").write_text(json.dumps(package) + "\n")
    if eslint == "8":
        install = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"]
        done = subprocess.run(
            install, cwd=root, env={**os.environ, **cache}, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
    else:
        (root / "node_modules" / ".bin").mkdir(parents=True)
        (root / "node_modules" / "eslint").symlink_to(NODE_MODULES / "eslint")
        (root / "node_modules" / ".bin" / "eslint").symlink_to("../eslint/bin/eslint.js")
    (root / ".eslintrc.yml").write_text("root: true\nextends:\n  - standard\n")
    (root / "index.js").write_text("'use strict'\n\n" + INJECTION)  # a module parses this
    (root / "legacy.js").write_text("with (Math) { var x = 1 }\nnew Function('a', x)\n")  # a script
    (root / "esm.mjs").write_text("export const f = () => setTimeout('tick()', 1)\n")
    for generated in (
        "coverage/lcov-report/prettify.js",
        "coverage/lcov-report/sorter.js",
        ".nyc_output/processinfo/index.js",
        ".shipyard/reports/x.js",
    ):
        (root / generated).parent.mkdir(parents=True, exist_ok=True)
        (root / generated).write_text(INJECTION)
    (root / "coverage" / "lcov.info").write_text("TN:\nSF:index.js\nend_of_record\n")
    # a source folder that is only called `coverage` (no report in it) is the project's
    (root / "lib" / "coverage").mkdir(parents=True)
    (root / "lib" / "coverage" / "merge.js").write_text(INJECTION)


@pytest.mark.node
@pytest.mark.parametrize("eslint", ["8", "9"])
def test_the_projects_eslint_runs_on_its_code_only(
    tmp_path: Path, eslint: str, registry_cache: dict[str, str]
) -> None:
    _project(tmp_path, eslint, registry_cache)
    res = run_cli("scan", "code", "--format", "json", cwd=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr  # findings, not a tool failure
    scanner = json.loads(res.stdout)["scanners"][0]
    assert scanner["blocking"] == [], scanner
    found = sorted((f["file"], f["line"], f["rule"]) for f in scanner["findings"])
    assert found == [
        ("esm.mjs", 1, "eslint:no-implied-eval"),
        ("index.js", 4, "eslint:no-eval"),
        ("legacy.js", 2, "eslint:no-new-func"),
        ("lib/coverage/merge.js", 2, "eslint:no-eval"),
    ]
