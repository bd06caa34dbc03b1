"""`shipyard release` preflight: clean tree, release branch, nothing to release; records."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from shipyard.release import records
from shipyard.store import Store
from tests.conftest import GitRepo, git, run_cli


def _project(repo: GitRepo) -> None:
    repo.write("shipyard.toml", "[release]\npublish = []\n")
    repo.write(".gitignore", ".shipyard/\n")
    repo.commit("feat: one")
    repo.tag("v1.0.0", "one")


def test_dirty_tree_is_refused(repo: GitRepo) -> None:
    _project(repo)
    repo.write("notes.txt", "draft\n")
    r = run_cli("release", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        "error: the work tree is not clean: notes.txt\n"
        "  hint: commit or stash these changes, then release\n",
    )


def test_other_branch_is_refused(repo: GitRepo) -> None:
    _project(repo)
    repo.git("checkout", "-q", "-b", "feature/x")
    r = run_cli("release", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        "error: feature/x is not a release branch (main, master, [0-9]*.x, [0-9]*.[0-9]*.x)\n"
        "  hint: check out a release branch, or add this one to release.branches\n",
    )


def test_nothing_to_release(repo: GitRepo) -> None:
    _project(repo)
    repo.commit("docs: words", allow_empty=True)
    r = run_cli("release", cwd=repo.path)
    assert (r.returncode, r.stdout, r.stderr) == (
        0,
        "",
        "no release: no commit since the last release warrants one\n",
    )


def test_local_release_without_publishers_is_recorded(repo: GitRepo) -> None:
    _project(repo)
    repo.commit("fix: two", allow_empty=True)
    r = run_cli("release", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert '"outcome": "released"' in r.stdout
    assert repo.git("tag", "--points-at", "HEAD").split() == ["v1.0.1"]
    rows = records.releases(Store(repo.path))
    assert [(x["version"], x["channel"], x["dist_tag"], x["tag"], x["outcome"]) for x in rows] == [
        ("1.0.1", "stable", "latest", "v1.0.1", "released")
    ]
    assert rows[0]["commit_sha"] == repo.git("rev-parse", "HEAD").strip()


def test_maintenance_release_gets_its_own_dist_tag(repo: GitRepo) -> None:
    _project(repo)
    repo.git("branch", "1.x")
    repo.commit("feat!: two", allow_empty=True)
    repo.tag("v2.0.0", "two")
    repo.git("checkout", "-q", "1.x")
    repo.commit("fix: backport", allow_empty=True)
    r = run_cli("release", "--dry-run", cwd=repo.path)
    assert r.stdout.splitlines()[:2] == [
        "1.0.1",
        "dry run: would release 1.0.1 as v1.0.1 (dist-tag release-1.x)",
    ]
    repo.git("checkout", "-q", "main")
    repo.commit("feat: three", allow_empty=True)
    repo.tag("v2.1.0", "three")
    repo.git("checkout", "-q", "-b", "2.0.x", "v2.0.0")
    repo.commit("fix: on the 2.0 line", allow_empty=True)
    r = run_cli("release", "--dry-run", cwd=repo.path)
    assert r.stdout.splitlines()[1] == (
        "dry run: would release 2.0.1 as v2.0.1 (dist-tag release-2.0.x)"
    )


def test_rollback_arguments_are_checked(repo: GitRepo) -> None:
    _project(repo)
    r = run_cli("rollback", "1.0.0", "--to", "1.0.0", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        "error: BAD and --to are the same version (1.0.0)\n"
        "  hint: name the good version the channel should point to\n",
    )


def test_killed_between_commit_and_tag_resumes(repo: GitRepo) -> None:
    _project(repo)
    repo.commit("feat: two", allow_empty=True)
    killed = run_cli("release", cwd=repo.path, env={"SHIPYARD_RELEASE_KILL_AFTER": "commit"})
    assert killed.returncode == -9
    assert repo.git("log", "-1", "--format=%s").strip() == "chore(release): 1.1.0"
    assert repo.git("tag", "--points-at", "HEAD") == ""
    dry = run_cli("release", "--dry-run", cwd=repo.path)
    assert dry.stdout.splitlines()[1] == (
        "dry run: would release 1.1.0 as v1.1.0 (dist-tag latest), resuming the release "
        "commit at HEAD"
    )
    again = run_cli("release", cwd=repo.path)
    assert (again.returncode, again.stdout) == (0, "1.1.0\n"), again.stderr
    assert "✓ tag: v1.1.0" in again.stderr and "✓ commit" not in again.stderr
    assert repo.git("log", "--format=%s").splitlines() == [
        "chore(release): 1.1.0",
        "feat: two",
        "feat: one",
    ]
    outcomes = [r["outcome"] for r in records.releases(Store(repo.path))]
    # the killed run could not finish its record; the next release closes it as killed
    assert outcomes == ["killed", "released"]


def test_signed_tag_and_push_to_remote(repo: GitRepo, tmp_path: Path) -> None:
    _project(repo)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    repo.git("remote", "add", "origin", str(remote))
    key = tmp_path / "signing"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", str(key))
    repo.write("shipyard.toml", "[release]\npublish = []\nsign-tags = true\n")
    repo.commit("fix: sign it")
    r = run_cli("release", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "✓ tag: v1.0.1 (signed)" in r.stderr
    assert "-----BEGIN SSH SIGNATURE-----" in repo.git("cat-file", "-p", "v1.0.1")
    assert "✓ push: main and v1.0.1 to origin" in r.stderr
    pushed = git(remote, "for-each-ref", "--format=%(refname)")
    assert pushed.split() == ["refs/heads/main", "refs/tags/v1.0.1"]
    assert git(remote, "rev-parse", "main") == repo.git("rev-parse", "HEAD")
    assert "– github: the GitHub repository is unknown" in r.stderr


def test_empty_repository(repo: GitRepo) -> None:
    r = run_cli("release", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {repo.path} has no commit yet\n  hint: commit your work, then release\n",
    )
    v = run_cli("version", cwd=repo.path)
    assert (v.returncode, v.stdout, v.stderr) == (
        0,
        "0.0.0\n",
        "no release: no release and no commits; 0.0.0 is the current version\n",
    )


def test_terminated_during_stages_changes_nothing(repo: GitRepo) -> None:
    _project(repo)
    repo.write(
        "shipyard.toml",
        '[stages.slow]\nrun = "touch started && sleep 60"\nrelease = true\n\n'
        "[release]\npublish = []\n",
    )
    repo.write(".gitignore", ".shipyard/\nstarted\n")
    repo.commit("fix: slow tests")
    head = repo.git("rev-parse", "HEAD")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "release"],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not (repo.path / "started").exists() and proc.poll() is None:
        time.sleep(0.05)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert repo.git("rev-parse", "HEAD") == head and repo.git("tag").split() == ["v1.0.0"]
    rows = records.releases(Store(repo.path))
    assert [(r["version"], r["outcome"]) for r in rows] == [("1.0.1", "failed")]


def test_failure_as_json_and_in_the_store(repo: GitRepo) -> None:
    _project(repo)
    repo.write(
        "shipyard.toml", '[stages.t]\nrun = "false"\nrelease = true\n\n[release]\npublish = []\n'
    )
    repo.commit("fix: red")
    r = run_cli("release", "--json", cwd=repo.path)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert (data["version"], data["outcome"], data["error"]) == (
        "1.0.1",
        "failed",
        "release stages failed: t; see `shipyard runs`",
    )
    assert data["steps"] == [{"name": "test", "status": "failed", "detail": [data["error"]]}]
    assert r.stderr == (
        "error: release 1.0.1 failed: release stages failed: t; see `shipyard runs`\n"
        "  hint: nothing left this machine; the release commit and tag were removed\n"
    )
    row = records.releases(Store(repo.path))[0]
    assert (row["outcome"], json.loads(row["steps"])) == ("failed", data["steps"])
