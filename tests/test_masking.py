"""Secrets never leave shipyard: masked values in terminal output, JSON, stage logs (0600), the
GitHub Actions ::add-mask:: commands, and credentials in URLs."""

from __future__ import annotations

import pytest

from shipyard.redact import Masker, secret_values, url, urls_in
from tests.conftest import GitRepo, run_cli

TOKEN = "ghp_R3alLookingT0kenValue1234567890ab"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (
            "https://x-access-token:ghp_abc123@github.com/o/r.git",
            "https://x-access-token:***@github.com/o/r.git",
        ),
        ("https://ghp_Abc123Def456@github.com/o/r", "https://***@github.com/o/r"),
        ("ssh://git@github.com/o/r", "ssh://git@github.com/o/r"),
        (
            "https://h.example/p?access_token=abc&page=2",
            "https://h.example/p?access_token=***&page=2",
        ),
        ("https://h.example/plain", "https://h.example/plain"),
    ],
)
def test_url_credentials_are_masked(given: str, shown: str) -> None:
    assert url(given) == shown
    assert urls_in(f"dep @ git+{given} ok").startswith("dep @ git+" + shown.split("?")[0])


def test_secret_values_follow_the_names_and_the_mask_list() -> None:
    env = {
        "NPM_TOKEN": "npm_tok_1234",
        "AWS_SECRET": "aws/secret",
        "DB_DSN": "postgres://u:p@h/db",
        "SSH_KEY": "-----BEGIN-----\nline-two-of-key\n-----END-----",
        "SIGNING_PASSWORD": "pw12",
        "MY_KEY": "1",  # too short to hide without hiding ordinary output
        "PATH": "/usr/bin",
        "CUSTOM": "custom-value",
        "KEYBOARD": "us-intl",
    }
    values = secret_values(env, ["CUSTOM"])
    assert set(values) >= {"npm_tok_1234", "aws/secret", "postgres://u:p@h/db", "pw12"}
    assert {"custom-value", "line-two-of-key"} <= set(values)
    assert not {"1", "/usr/bin", "us-intl"} & set(values)
    masked = Masker(values).text("a npm_tok_1234 b pw12 c line-two-of-key")
    assert masked == "a *** b *** c ***"


STAGES = f"""
mask = ["DEPLOY_ID"]
[stages.leak]
run = [
  "echo token=$GITHUB_TOKEN id=$DEPLOY_ID dep=https://x-access-token:{TOKEN}@github.com/o/r",
  "exit 1",
]
"""


def test_a_stage_that_echoes_secrets_shows_and_stores_them_masked(repo: GitRepo) -> None:
    repo.write("shipyard.toml", STAGES)
    repo.commit("init")
    env = {"GITHUB_TOKEN": TOKEN, "DEPLOY_ID": "deploy-id-9876"}
    r = run_cli("run", cwd=repo.path, env=env)
    assert r.returncode == 1
    assert "token=*** id=*** dep=https://x-access-token:***@github.com/o/r" in r.stdout
    logs = list((repo.path / ".shipyard" / "logs").glob("*/leak.log"))
    assert len(logs) == 1
    text = logs[0].read_text()
    assert "token=*** id=*** dep=https://x-access-token:***@github.com/o/r" in text
    assert (logs[0].stat().st_mode & 0o777) == 0o600
    j = run_cli("run", "--json", "--no-cache", cwd=repo.path, env=env)
    for out in (r.stdout + r.stderr, j.stdout + j.stderr, text):
        assert TOKEN not in out and "deploy-id-9876" not in out


def test_in_github_actions_the_runner_is_asked_to_mask_them(repo: GitRepo) -> None:
    repo.write("shipyard.toml", STAGES)
    repo.commit("init")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": TOKEN, "DEPLOY_ID": "deploy-id-9876"}
    r = run_cli("run", "--json", cwd=repo.path, env=env)
    assert f"::add-mask::{TOKEN}" in r.stderr.splitlines()
    assert "::add-mask::deploy-id-9876" in r.stderr.splitlines()
    assert "::add-mask::" not in r.stdout  # JSON on stdout stays parseable


def test_deps_scan_never_shows_a_token_from_a_requirement_url(repo: GitRepo) -> None:
    from tests.security.conftest import SHARED_OSV

    repo.write(
        "shipyard.toml",
        '[stages.deps]\nrun = "shipyard scan deps --db {db} --format json"\n'.replace(
            "{db}", str(SHARED_OSV / "PyPI-all.zip")
        ),
    )
    repo.write(
        "requirements.txt",
        f"requests==2.0.0\nprivpkg @ git+https://x-access-token:{TOKEN}@github.com/acme/p.git\n",
    )
    repo.commit("init")
    db = str(SHARED_OSV / "PyPI-all.zip")
    shown = [
        run_cli("scan", "deps", "--db", db, cwd=repo.path),
        run_cli("scan", "deps", "--db", db, "--format", "json", cwd=repo.path),
        run_cli(
            "scan", "deps", "--db", db, "--format", "sarif", "--output", "r.sarif", cwd=repo.path
        ),
        run_cli("run", cwd=repo.path),
    ]
    assert "privpkg" in shown[0].stdout  # the requirement is reported, its token is not
    stored = [p.read_text() for p in repo.path.glob(".shipyard/logs/*/deps.log")]
    assert len(stored) == 1
    stored.append(repo.path.joinpath("r.sarif").read_text())
    for text in [r.stdout + r.stderr for r in shown] + stored:
        assert TOKEN not in text
