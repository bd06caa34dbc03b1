"""The lint stage init writes checks and never rewrites the tree, even where the project's
ruff configuration says `fix = true` (as some real projects do); where the pre-commit hook pins
ruff, init says which ruff to install (pypa/build at b317437: its hook pins v0.16.3, and a
newer ruff's ICN001 failed the lint stage on code the hook passes)."""

from __future__ import annotations

import json
import tomllib

from tests.conftest import GitRepo, run_cli

PYPROJECT = """\
[project]
name = "fixme"
version = "0.1.0"

[tool.ruff]
fix = true

[tool.ruff.lint]
select = ["F"]
"""


def test_ruff_fix_true_does_not_rewrite_the_tree(repo: GitRepo) -> None:
    repo.write("pyproject.toml", PYPROJECT)
    source = "import os\n\n\ndef f() -> int:\n    return 1\n"
    repo.write("fixme.py", source)
    repo.write(
        ".pre-commit-config.yaml",
        "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v6.0.0\n"
        "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "    rev: 65dbdb59d2f2d9c3bdc343c566821ad3319ddaa3 # frozen: v0.16.3\n"
        "    hooks:\n      - id: ruff-check\n        args: [--fix]\n",
    )
    repo.write("tox.toml", 'env_list = ["3.12"]\n')  # tox 4.21's TOML form
    repo.write("tests/test_f.py", "from fixme import f\n\n\ndef test_f():\n    assert f()\n")
    repo.commit("feat: code with an unused import")
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert (
        "note: ruff: the pre-commit hook pins v0.16.3: the lint stage runs the ruff on PATH, "
        "so install that one (pip install ruff==0.16.3) (.pre-commit-config.yaml)"
    ) in r.stderr
    repo.commit("ci: shipyard")
    stages = tomllib.loads((repo.path / "pyproject.toml").read_text())["tool"]["shipyard"]["stages"]
    assert ".pre-commit-config.yaml" in stages["lint"]["inputs"]  # a new pin misses the cache
    assert "tox.toml" in stages["unit"]["inputs"]
    r = run_cli("run", "--json", "lint", cwd=repo.path)
    data = json.loads(r.stdout)
    assert [(s["name"], s["status"]) for s in data["stages"]] == [("lint", "failed")]
    assert (repo.path / "fixme.py").read_text() == source  # not "fixed" behind our back
    assert repo.git("status", "--porcelain") == ""  # ruff.json and .shipyard/ are ignored
    assert data["gates_passed"] is False
    report = json.loads((repo.path / "ruff.json").read_text())
    assert [f["code"] for f in report] == ["F401"]
