"""git.Repo.default_branch: the one answer to "which branch is the default here"."""

from __future__ import annotations

from pathlib import Path

from shipyard.git import Repo
from tests.conftest import GitRepo, git


def test_default_branch_is_master_on_a_master_repository(tmp_path: Path) -> None:
    path = tmp_path / "r"
    path.mkdir()
    git(path, "init", "-q", "-b", "master")
    r = GitRepo(path)
    r.commit("init", allow_empty=True)
    r.git("switch", "-q", "-c", "feature")
    assert Repo(path).default_branch() == "master"


def test_default_branch_follows_origin_head(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("init", allow_empty=True)
    repo.git("switch", "-q", "-c", "trunk")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.path), str(clone))
    git(clone, "switch", "-q", "-c", "feature")
    assert Repo(clone).default_branch() == "trunk"


def test_default_branch_falls_back_to_the_current_branch(tmp_path: Path) -> None:
    path = tmp_path / "r"
    path.mkdir()
    git(path, "init", "-q", "-b", "develop")
    GitRepo(path).commit("init", allow_empty=True)
    assert Repo(path).default_branch() == "develop"
