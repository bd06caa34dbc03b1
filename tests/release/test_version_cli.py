"""`shipyard version` on real git repositories with real tags."""

from __future__ import annotations

import json

import pytest

from tests.conftest import GitRepo, run_cli


def version(repo: GitRepo, *args: str) -> tuple[str, str]:
    r = run_cli("version", *args, cwd=repo.path)
    assert r.returncode == 0, r.stderr
    return r.stdout, r.stderr


def test_next_version_from_last_tag(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0", "one")
    repo.commit("fix(core): two", allow_empty=True)
    repo.commit("Update the readme", allow_empty=True)
    out, _ = version(repo, "--explain")
    lines = out.splitlines()
    assert lines[0] == "1.0.1"
    assert lines[1] == "current: 1.0.0; bump: patch; final release"
    assert lines[2].startswith("  patch  ") and lines[2].endswith("  fix(core): two")
    assert lines[3].startswith("  not conventional  ") and lines[3].endswith("Update the readme")


def test_nothing_to_release(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.2.0")
    repo.commit("chore: tidy", allow_empty=True)
    repo.commit("docs: words", allow_empty=True)
    assert version(repo) == (
        "1.2.0\n",
        "no release: no commit since the last release warrants one; 1.2.0 is the current version\n",
    )


def test_maintenance_branch_sees_its_own_line(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0")
    repo.git("branch", "1.x")
    repo.commit("feat!: two", allow_empty=True)
    repo.tag("v2.0.0")
    repo.commit("feat: three", allow_empty=True)
    repo.tag("v2.1.0")
    repo.git("checkout", "-q", "1.x")
    repo.commit("fix: backport", allow_empty=True)
    assert version(repo)[0] == "1.0.1\n"
    repo.git("checkout", "-q", "main")
    repo.commit("fix: on main", allow_empty=True)
    assert version(repo)[0] == "2.1.1\n"


def test_floating_and_foreign_tags_are_ignored(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.4.0")
    repo.commit("fix: two", allow_empty=True)
    for tag in ("v1", "v1.4", "latest", "1.9.0", "v1.9.0-next.1", "v2.0.0.post1"):
        repo.tag(tag)
    repo.commit("fix: three", allow_empty=True)
    assert version(repo)[0] == "1.4.1\n"


def test_prerelease_counters_from_rc0_history(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0")
    repo.commit("feat: two", allow_empty=True)
    repo.tag("v1.1.0-rc.0")
    repo.commit("fix: three", allow_empty=True)
    assert version(repo, "--channel", "rc")[0] == "1.1.0-rc.1\n"
    r = run_cli("version", "--channel", "beta", cwd=repo.path)
    assert (r.returncode, r.stdout, r.stderr) == (
        2,
        "",
        "error: 1.1.0-rc.0 is already released; a beta of 1.1.0 would sort before it\n"
        "  hint: release --channel rc or a final version\n",
    )


def test_promotion_and_breaking_restart(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v5.2.0")
    repo.commit("feat!: two", allow_empty=True)
    for i in range(1, 11):
        repo.tag(f"v6.0.0-beta.{i}")
        repo.commit(f"fix: beta fix {i}", allow_empty=True)
    assert version(repo, "--channel", "beta")[0] == "6.0.0-beta.11\n"
    assert version(repo)[0] == "6.0.0\n"


def test_python_project_uses_pep440_and_custom_tag_format(repo: GitRepo) -> None:
    repo.write(
        "pyproject.toml",
        '[project]\nname = "x"\nversion = "0.3.0"\n\n'
        '[tool.shipyard.release]\ntag-format = "release-{version}"\n',
    )
    repo.commit("feat: one")
    repo.tag("release-0.3.0")
    repo.tag("v9.9.9")  # another format: not a release tag here
    repo.commit("feat: two", allow_empty=True)
    assert version(repo, "--channel", "alpha")[0] == "0.4.0a1\n"
    repo.tag("release-0.4.0a1")
    repo.commit("fix: three", allow_empty=True)
    assert version(repo, "--channel", "alpha")[0] == "0.4.0a2\n"
    assert version(repo)[0] == "0.4.0\n"


def test_squash_revert_and_merge_on_real_history(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0")
    risky = repo.commit("feat: risky", allow_empty=True)
    # what `git revert` writes (an empty commit cannot be reverted by git itself)
    repo.commit(f'Revert "feat: risky"\n\nThis reverts commit {risky}.', allow_empty=True)
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("fix: on a branch", allow_empty=True)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic")
    out, _ = version(repo, "--explain")
    assert out.splitlines()[0] == "1.0.1"
    assert sum("cancelled" in line for line in out.splitlines()) == 2
    repo.commit("Squashed PR (#7)\n\n* feat(ui): a\n\n* fix: b", allow_empty=True)
    assert version(repo)[0] == "1.1.0\n"


def test_json(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    import json

    data = json.loads(version(repo, "--json")[0])
    assert (data["version"], data["tag"], data["release"], data["current"]) == (
        "0.1.0",
        "v0.1.0",
        True,
        None,
    )


def test_config_errors_name_the_key(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[release]\ntag-format = "v"\n')
    repo.commit("feat: one")
    file = repo.path / "shipyard.toml"
    r = run_cli("version", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {file}: release.tag-format: expected exactly one {{version}}, got 'v'\n",
    )
    repo.write("shipyard.toml", '[release.types]\ndocs = "huge"\n')
    r = run_cli("version", cwd=repo.path)
    assert r.stderr == (
        f"error: {file}: release.types.docs: expected one of none, patch, minor, major, "
        "got 'huge'\n"
    )
    repo.write("shipyard.toml", '[release]\ntag-fromat = "v{version}"\n')
    r = run_cli("version", cwd=repo.path)
    assert r.stderr == (
        f"error: {file}: release.tag-fromat: unknown key\n"
        "  hint: did you mean 'tag-format'? (see docs/configuration.md)\n"
    )


def test_outside_git(tmp_path: object) -> None:
    from pathlib import Path

    where = Path(str(tmp_path))
    r = run_cli("version", cwd=where)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {where} is not inside a git repository\n"
        "  hint: versions come from git tags and commits: run `git init` and commit first\n",
    )


def at(monkeypatch: pytest.MonkeyPatch, when: int) -> None:
    """Date the next commits and tags at `when` (Unix time), as a real history would be."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, f"@{when} +0000")


# which tag `git describe` calls nearest after the merge depends on the commit dates: a
# backport on 1.x dated after the 2.0.0 release (the common case) made the 2.0.1 fix invisible
@pytest.mark.parametrize(
    "backport_later", [True, False], ids=["backport-later", "backport-earlier"]
)
def test_merged_maintenance_line_does_not_hide_the_newest_release(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch, backport_later: bool
) -> None:
    t0 = 1_700_000_000
    at(monkeypatch, t0)
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0")
    repo.git("branch", "1.x")
    at(monkeypatch, t0 + (100 if backport_later else 300))
    repo.commit("feat!: two", allow_empty=True)
    repo.tag("v2.0.0")
    repo.git("checkout", "-q", "1.x")
    at(monkeypatch, t0 + (300 if backport_later else 100))
    repo.commit("fix: backport", allow_empty=True)
    repo.tag("v1.0.1")
    repo.git("checkout", "-q", "main")
    at(monkeypatch, t0 + 400)
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch '1.x'", "1.x")
    assert version(repo) == ("2.0.1\n", "")  # the backported fix is new on main's line
    out, _ = version(repo, "--explain")
    assert "current: 2.0.0; bump: patch" in out and "fix: backport" in out
    repo.tag("v2.0.1")
    at(monkeypatch, t0 + 500)
    repo.commit("feat: three", allow_empty=True)
    assert version(repo)[0] == "2.1.0\n"


def test_bare_number_tags_are_releases(repo: GitRepo) -> None:
    """A Python library tagged `8.4.2` (no `v`), with no tag-format configured."""
    repo.write("pyproject.toml", '[project]\nname = "lib"\nversion = "8.4.2"\n')
    repo.commit("feat: first")
    repo.tag("8.4.1")
    repo.commit("fix: second", allow_empty=True)
    repo.tag("8.4.2", "8.4.2")
    repo.tag("8.4")  # a floating tag is not a release
    repo.commit("feat: third", allow_empty=True)
    out, _ = version(repo, "--explain")
    assert out.splitlines()[:2] == ["8.5.0", "current: 8.4.2; bump: minor; final release"]
    assert json.loads(version(repo, "--json")[0])["tag"] == "8.5.0"


def test_v_tags_win_over_bare_ones_and_a_configured_format_wins_over_both(repo: GitRepo) -> None:
    repo.commit("feat: first", allow_empty=True)
    repo.tag("1.0.0")
    repo.commit("feat: second", allow_empty=True)
    repo.tag("v2.0.0")
    repo.commit("fix: third", allow_empty=True)
    assert version(repo)[0] == "2.0.1\n"
    repo.write("shipyard.toml", '[release]\ntag-format = "{version}"\n')
    repo.commit("fix: fourth")
    assert version(repo)[0] == "1.1.0\n"  # 1.0.0, then feat: second and the fixes
