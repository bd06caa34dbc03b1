"""Changelog sections: rendering, in-place insertion, `--full`, templates, links."""

from __future__ import annotations

from shipyard.release.changelog import HEADER, Release, insert, render, replace_all
from shipyard.release.commits import Change
from shipyard.release.settings import SECTIONS
from tests.conftest import GitRepo, run_cli

CHANGES = [
    Change("a" * 40, "fix", "core", "repair x"),
    Change("b" * 40, "feat", None, "add y"),
    Change("c" * 40, "feat", "api", "new shape", breaking="the API moved"),
    Change("d" * 40, "chore", None, "tidy"),
]


def test_render_groups_breaking_first_with_links() -> None:
    rel = Release(
        "2.0.0", "v2.0.0", "2026-11-27", "v1.4.0", CHANGES, "https://github.com/acme/demo"
    )
    assert render(rel, SECTIONS) == (
        "## [2.0.0](https://github.com/acme/demo/compare/v1.4.0...v2.0.0) (2026-11-27)\n\n"
        "### ⚠ BREAKING CHANGES\n\n"
        f"* **api:** the API moved ([ccccccc](https://github.com/acme/demo/commit/{'c' * 40}))\n"
        "\n### Features\n\n"
        f"* add y ([bbbbbbb](https://github.com/acme/demo/commit/{'b' * 40}))\n"
        f"* **api:** new shape ([ccccccc](https://github.com/acme/demo/commit/{'c' * 40}))\n"
        "\n### Bug Fixes\n\n"
        f"* **core:** repair x ([aaaaaaa](https://github.com/acme/demo/commit/{'a' * 40}))\n\n"
    )


def test_render_without_remote_or_changes() -> None:
    rel = Release("1.0.1", "v1.0.1", "2026-11-27", None, [CHANGES[3]])
    assert render(rel, SECTIONS) == "## [1.0.1] (2026-11-27)\n\nNo user-facing changes.\n\n"


def test_insert_keeps_earlier_text_and_replaces_same_version() -> None:
    old = "# History\n\nHand-written intro.\n\n## 1.0.0 (2020-01-01)\n\n* old *text*  kept\n"
    new = insert(old, "## [1.1.0] (2026-11-27)\n\n* x\n\n", "1.1.0")
    assert new == (
        "# History\n\nHand-written intro.\n\n## [1.1.0] (2026-11-27)\n\n* x\n\n"
        "## 1.0.0 (2020-01-01)\n\n* old *text*  kept\n"
    )
    again = insert(new, "## [1.1.0] (2026-11-28)\n\n* y\n\n", "1.1.0")
    assert again == new.replace("2026-11-27)\n\n* x", "2026-11-28)\n\n* y")
    assert insert(None, "## [0.1.0] (d)\n\n", "0.1.0") == HEADER + "\n## [0.1.0] (d)\n\n"
    assert insert("## 0.1.0\n", "## [0.2.0] (d)\n\n", "0.2.0") == "## [0.2.0] (d)\n\n## 0.1.0\n"


def test_replace_all_keeps_the_header() -> None:
    old = "# Mine\n\n## 1.0.0\n\nstale\n"
    assert replace_all(old, ["## [1.0.0] (d)\n\n"]) == "# Mine\n\n## [1.0.0] (d)\n\n"


def test_template_replaces_default() -> None:
    rel = Release("1.0.1", "v1.0.1", "2026-11-27", None, CHANGES[:1])
    tpl = (
        "# {{ release.version }}\n"
        "{% for title, lines in groups %}{{ title }}: {{ lines|length }}\n{% endfor %}"
    )
    assert render(rel, SECTIONS, tpl) == "# 1.0.1\nBug Fixes: 1\n\n"


def _history(repo: GitRepo) -> None:
    repo.git("remote", "add", "origin", "git@github.com:acme/demo.git")
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0", "one")
    repo.commit("fix: two", allow_empty=True)
    repo.tag("v1.0.1-rc.1", "two")
    repo.commit("fix: three", allow_empty=True)
    repo.tag("v1.0.1", "three")
    repo.commit("feat(cli): four", allow_empty=True)


def test_cli_updates_in_place(repo: GitRepo) -> None:
    _history(repo)
    repo.write("CHANGELOG.md", "# Changelog\n\nMy words.\n\n## 1.0.1\n\nhand-made\n")
    r = run_cli("changelog", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    text = (repo.path / "CHANGELOG.md").read_text()
    assert text.startswith(
        "# Changelog\n\nMy words.\n\n## [1.1.0](https://github.com/acme/demo/compare/"
        "v1.0.1...v1.1.0) ("
    )
    assert "### Features\n\n* **cli:** four ([" in text
    assert text.endswith(")\n\n## 1.0.1\n\nhand-made\n")


def test_cli_full_and_stdout(repo: GitRepo) -> None:
    _history(repo)
    r = run_cli("changelog", "--full", "--stdout", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    heads = [line for line in r.stdout.splitlines() if line.startswith("## ")]
    assert [h.split(")")[0] for h in heads] == [
        "## [1.1.0](https://github.com/acme/demo/compare/v1.0.1...v1.1.0",
        "## [1.0.1](https://github.com/acme/demo/compare/v1.0.0...v1.0.1",
        "## [1.0.1-rc.1](https://github.com/acme/demo/compare/v1.0.0...v1.0.1-rc.1",
        "## [1.0.0](https://github.com/acme/demo/releases/tag/v1.0.0",
    ]
    final = r.stdout.split("## [1.0.1](")[1].split("## [1.0.1-rc.1]")[0]
    assert "* two (" in final and "* three (" in final  # the final lists its pre-releases' too
    assert not (repo.path / "CHANGELOG.md").exists()


def test_cli_nothing_to_add(repo: GitRepo) -> None:
    repo.commit("feat: one", allow_empty=True)
    repo.tag("v1.0.0")
    r = run_cli("changelog", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        0,
        "no release: no commit since the last release warrants one; CHANGELOG.md is unchanged\n",
    )


def test_cli_template(repo: GitRepo) -> None:
    _history(repo)
    repo.write("shipyard.toml", '[release]\nchangelog-template = "tpl/section.md.j2"\n')
    r = run_cli("changelog", "--stdout", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: the changelog template {repo.path / 'tpl/section.md.j2'} does not exist\n"
        "  hint: fix release.changelog-template or create the file\n",
    )
    repo.write(
        "tpl/section.md.j2",
        "## {{ release.version }}\n{% for c in release.changes %}- {{ c.description }}\n"
        "{% endfor %}",
    )
    r = run_cli("changelog", "--stdout", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n\n")[-1] == "## 1.1.0\n- four\n"
