"""`shipyard ci comment`: one pull-request comment, created then edited in place, against a local
stand-in of GitHub's issue-comments API (tests/ci/github_comments.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ci.github_comments import REPOSITORY, TOKEN, github_comments
from tests.conftest import run_cli


def _env(url: str, token: str = TOKEN) -> dict[str, str]:
    return {"GITHUB_TOKEN": token, "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_API_URL": url}


def test_comment_is_created_once_then_edited_past_the_first_page(tmp_path: Path) -> None:
    body = tmp_path / "bench.md"
    body.write_text("### ❌ Benchmarks regressed\n")
    with github_comments() as gh:
        gh.seed(7, 150)  # the marker must be found on the second page of 100
        first = run_cli(
            "ci", "comment", str(body), "--pr", "7", "--name", "bench", "--json",
            cwd=tmp_path, env=_env(gh.url),
        )  # fmt: skip
        assert first.returncode == 0, first.stderr
        created = json.loads(first.stdout)
        assert created["schema_version"] == 1 and created["action"] == "created"
        gh.seed(7, 60)  # more discussion after the bot's comment
        body.write_text("### ✅ Benchmarks ok\n")
        second = run_cli(
            "ci", "comment", str(body), "--pr", "7", "--name", "bench", cwd=tmp_path,
            env=_env(gh.url),
        )  # fmt: skip
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("updated comment https://github.com/acme/actpy/pull/7")
        ours = [c for c in gh.comments[7] if c["body"].startswith("<!-- shipyard:bench -->")]
        assert [c["id"] for c in ours] == [created["id"]]
        assert ours[0]["body"] == "<!-- shipyard:bench -->\n### ✅ Benchmarks ok\n"
        assert len(gh.comments[7]) == 211 and gh.violations == []
        pages = [t for m, t, _ in gh.requests if m == "GET"]
        assert pages[:2] == [
            f"/repos/{REPOSITORY}/issues/7/comments?per_page=100",
            f"/repos/{REPOSITORY}/issues/7/comments?per_page=100&page=2",
        ]
        # another marker is another comment
        third = run_cli(
            "ci", "comment", str(body), "--pr", "7", "--name", "coverage", cwd=tmp_path,
            env=_env(gh.url),
        )  # fmt: skip
        assert third.stdout.startswith("created comment"), third.stderr


def test_comment_errors_say_what_to_do(tmp_path: Path) -> None:
    body = tmp_path / "bench.md"
    body.write_text("x\n")
    with github_comments() as gh:
        denied = run_cli(
            "ci", "comment", str(body), "--pr", "7", cwd=tmp_path,
            env=_env(gh.url, token="ghs-wrong-token-value"),
        )  # fmt: skip
        assert denied.returncode == 1
        assert "GitHub answered HTTP 401" in denied.stderr and "Bad credentials" in denied.stderr
        assert "pull-requests: write" in denied.stderr
        assert "ghs-wrong-token-value" not in denied.stderr + denied.stdout
        assert "Traceback" not in denied.stderr
    no_token = run_cli(
        "ci", "comment", str(body), "--pr", "7", cwd=tmp_path,
        env={"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": REPOSITORY},
    )  # fmt: skip
    assert no_token.returncode == 2 and "error: GITHUB_TOKEN not set" in no_token.stderr
    bad_pr = run_cli("ci", "comment", str(body), "--pr", "x7", cwd=tmp_path)
    assert bad_pr.returncode == 2 and "expected a pull request number, got 'x7'" in bad_pr.stderr
    missing = run_cli(
        "ci", "comment", str(tmp_path / "nope.md"), "--pr", "7", cwd=tmp_path,
        env=_env("http://127.0.0.1:9"),
    )  # fmt: skip
    assert missing.returncode == 2 and "nope.md" in missing.stderr
    unreachable = run_cli(
        "ci", "comment", str(body), "--pr", "7", cwd=tmp_path, env=_env("http://127.0.0.1:9")
    )
    assert unreachable.returncode == 1 and "cannot reach http://127.0.0.1:9" in unreachable.stderr
