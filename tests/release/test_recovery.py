"""Issue 15's "also fix" list: a release killed after writing its files, then committed by
hand, resumes; killed runs are closed in the store; the PyPI rollback text names the
configured index; `#N` links the pull request in changelogs."""

from __future__ import annotations

import json
from pathlib import Path

from shipyard.release.changelog import Release, render
from shipyard.release.commits import Change
from shipyard.release.pypi import PypiPublisher
from shipyard.release.settings import SECTIONS, Pypi
from tests.conftest import GitRepo, run_cli


def test_release_files_committed_by_hand_resume_and_killed_run_is_closed(repo: GitRepo) -> None:
    repo.write("package.json", json.dumps({"name": "demo", "version": "1.0.0"}, indent=2) + "\n")
    repo.write("shipyard.toml", "[release]\npublish = []\npush = false\n")
    repo.write(".gitignore", ".shipyard/\n")
    repo.commit("feat: first")
    repo.tag("v1.0.0", "1.0.0")
    repo.write("index.js", "module.exports = 1;\n")
    repo.commit("feat: more")
    killed = run_cli("release", cwd=repo.path, env={"SHIPYARD_RELEASE_KILL_AFTER": "files"})
    assert killed.returncode != 0
    assert json.loads((repo.path / "package.json").read_text())["version"] == "1.1.0"
    repo.commit("chore: the release files, committed by hand")
    r = run_cli("release", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "commit: the release files are committed already (HEAD): 1.1.0" in r.stderr
    assert repo.git("tag", "--points-at", "HEAD").split() == ["v1.1.0"]
    assert (
        repo.git("log", "-1", "--format=%s").strip()
        == "chore: the release files, committed by hand"
    )
    from shipyard.release import records
    from shipyard.store import Store

    outcomes = [row["outcome"] for row in records.releases(Store(repo.path))]
    assert outcomes == ["killed", "released"]


def test_pypi_rollback_names_the_configured_index(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "Demo_Pkg"\nversion = "1.1.0"\n')
    local = PypiPublisher(Pypi(index_url="http://shipper:s3cret@127.0.0.1:8080/simple/"), tmp_path)
    lines = local.rollback(tmp_path, "1.1.0", "1.0.0", "latest", True)
    assert lines[0] == (
        "http://127.0.0.1:8080/simple/ is not PyPI: remove or yank Demo_Pkg 1.1.0 with that "
        "index's own tools:"
    )
    assert "s3cret" not in "\n".join(lines) and "pypi.org" not in "\n".join(lines)
    test = PypiPublisher(Pypi(index_url="https://test.pypi.org/simple/"), tmp_path)
    text = "\n".join(test.rollback(tmp_path, "1.1.0", "1.0.0", "latest", True))
    assert "https://test.pypi.org/manage/project/demo-pkg/release/1.1.0/" in text


def test_pull_request_numbers_link_the_pull_request() -> None:
    change = Change("a" * 40, "fix", None, "keep #1 and (#123) apart, not a#2 or x/#3")
    linked = render(
        Release("1.0.1", "v1.0.1", "2026-12-02", None, [change], "https://github.com/a/b"), SECTIONS
    )
    assert "[#1](https://github.com/a/b/pull/1)" in linked
    assert "([#123](https://github.com/a/b/pull/123))" in linked
    assert "a#2" in linked and "x/#3" in linked and "/pull/2" not in linked
    plain = render(Release("1.0.1", "v1.0.1", "2026-12-02", None, [change]), SECTIONS)
    assert "keep #1 and (#123) apart" in plain
