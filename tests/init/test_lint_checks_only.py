"""The lint stage init writes checks and never rewrites the tree, even where the project's
ruff configuration says `fix = true` (as some real projects do)."""

from __future__ import annotations

import json

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
    repo.commit("feat: code with an unused import")
    assert run_cli("init", cwd=repo.path).returncode == 0
    repo.commit("ci: shipyard")
    r = run_cli("run", "--json", "lint", cwd=repo.path)
    data = json.loads(r.stdout)
    assert [(s["name"], s["status"]) for s in data["stages"]] == [("lint", "failed")]
    assert (repo.path / "fixme.py").read_text() == source  # not "fixed" behind our back
    assert repo.git("status", "--porcelain") == ""  # ruff.json and .shipyard/ are ignored
    assert data["gates_passed"] is False
    report = json.loads((repo.path / "ruff.json").read_text())
    assert [f["code"] for f in report] == ["F401"]
