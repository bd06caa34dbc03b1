"""`shipyard monitor` against real servers: SMTP, webhooks, GitHub's issues API, pypiserver,
and `shipyard serve` itself."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.monitor.servers import FakeGitHub, free_port, http_server, smtp_server

FAILING = '[stages.build]\nrun = "exit 1"\n'


def definition(repo: GitRepo, extra: str, stages: str = FAILING) -> None:
    repo.write("shipyard.toml", stages + extra)


@pytest.mark.slow
def test_failed_pipeline_alerts_by_mail_and_chat_once_then_resolves(repo: GitRepo) -> None:
    app = FakeGitHub()
    with smtp_server() as (port, box), http_server(app) as base:
        definition(
            repo,
            f"""
[notify.email]
host = "127.0.0.1"
port = {port}
from = "ci@example.invalid"
to = ["team@example.invalid"]
starttls = false
[notify.slack]
min-severity = "critical"
""",
        )
        repo.commit("init")
        env = {"SLACK_WEBHOOK": f"{base}/hooks/T000/B000/very-secret-path"}
        assert run_cli("run", cwd=repo.path).returncode == 1
        r = run_cli("monitor", "--notify", cwd=repo.path, env=env)
        assert r.returncode == 1
        assert "email: sent: [critical] pipeline failed on main" in r.stdout
        assert "slack: sent: [critical] pipeline failed on main" in r.stdout
        assert box.messages[0]["Subject"] == "[critical] pipeline failed on main"
        assert "build" in box.messages[0].get_payload()
        hook = [q for q in app.requests if q.path.startswith("/hooks/")]
        assert hook[0].body["text"].startswith("🔴 *critical* pipeline failed on main")

        again = run_cli("monitor", "--notify", cwd=repo.path, env=env)
        assert "email: repeat-suppressed" in again.stdout and len(box.messages) == 1

        repo.write(
            "shipyard.toml",
            repo.path.joinpath("shipyard.toml").read_text().replace("exit 1", "true"),
        )
        assert run_cli("run", cwd=repo.path).returncode == 0
        assert run_cli("monitor", "--notify", cwd=repo.path, env=env).returncode == 0
        repo.write(
            "shipyard.toml",
            repo.path.joinpath("shipyard.toml")
            .read_text()
            .replace('run = "true"', 'run = "exit 1"'),
        )
        run_cli("run", cwd=repo.path)
        run_cli("monitor", "--notify", cwd=repo.path, env=env)
        assert len(box.messages) == 2  # resolved, then broken again: a new alert


def test_github_issue_is_opened_once_with_the_documented_request(repo: GitRepo) -> None:
    app = FakeGitHub()
    with http_server(app) as base:
        definition(
            repo, f'[notify.github]\nrepo = "acme/tool"\napi = "{base}"\n[monitor]\nrepeat = "0s"\n'
        )
        repo.commit("init")
        run_cli("run", cwd=repo.path)
        env = {"GITHUB_TOKEN": "gh-token-secret"}
        r = run_cli("monitor", "--notify", "--json", cwd=repo.path, env=env)
        assert [d["outcome"] for d in json.loads(r.stdout)["deliveries"]] == ["sent"]
        post = next(q for q in app.requests if q.method == "POST")
        assert post.headers["x-github-api-version"] == "2022-11-28"
        assert post.body["title"] == "[critical] pipeline failed on main"
        assert post.body["labels"] == ["shipyard-alert"]
        # the alert is due again at once (repeat = 0s), but its issue is still open
        again = run_cli("monitor", "--notify", "--json", cwd=repo.path, env=env)
        assert [d["outcome"] for d in json.loads(again.stdout)["deliveries"]] == ["sent"]
        assert len(app.issues) == 1
        assert "gh-token-secret" not in r.stdout + r.stderr


def test_channel_failure_is_reported_without_the_secret(repo: GitRepo) -> None:
    port = free_port()  # nothing listens here
    definition(repo, "[notify.slack]\n")
    repo.commit("init")
    run_cli("run", cwd=repo.path)
    env = {"SLACK_WEBHOOK": f"http://127.0.0.1:{port}/hooks/T1/B1/s3cr3t-token"}
    r = run_cli("monitor", "--notify", cwd=repo.path, env=env)
    assert r.returncode == 1
    assert f"slack: error: slack webhook failed: http://127.0.0.1:{port} unreachable" in r.stdout
    assert "s3cr3t-token" not in r.stdout + r.stderr


def test_missing_secret_is_a_config_error(repo: GitRepo) -> None:
    definition(repo, "[notify.slack]\n")
    r = run_cli("monitor", "--notify", cwd=repo.path, env={"SLACK_WEBHOOK": ""})
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {repo.path / 'shipyard.toml'}: notify.slack.url-env: environment variable "
        "SLACK_WEBHOOK is not set\n  hint: export SLACK_WEBHOOK=… (the secret is read from "
        "the environment only)\n",
    )


@pytest.fixture
def served(repo: GitRepo) -> Iterator[str]:
    port = free_port()
    p = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "serve", "--port", str(port)],
        cwd=repo.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/health"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, p.stderr.read() if p.poll() else "no answer"
            time.sleep(0.1)
    try:
        yield url
    finally:
        p.terminate()
        p.communicate(timeout=10)


def test_serve_answers_health_and_monitor_checks_it(repo: GitRepo, served: str) -> None:
    repo.write("pyproject.toml", '[project]\nname = "demo-svc"\nversion = "4.5.6"\n')
    with urllib.request.urlopen(served, timeout=5) as resp:
        data = json.loads(resp.read())
    assert data["status"] == "ok" and data["memory"]["max_rss_kb"] > 0
    # the project's version, not shipyard's (which has its own key)
    assert (data["name"], data["version"]) == ("demo-svc", "4.5.6")
    assert data["shipyard_version"] == run_cli("--version", cwd=repo.path).stdout.split()[1]
    repo.write("package.json", '{"name": "@acme/web", "version": "2.0.0-rc.1"}')
    with urllib.request.urlopen(served, timeout=5) as resp:
        assert json.loads(resp.read())["version"] == "2.0.0-rc.1"  # package.json wins
    down = f"http://127.0.0.1:{free_port()}/health"
    definition(
        repo,
        f'[monitor.health]\nurls = ["{served}", "{down}"]\n',
        stages='[stages.a]\nrun = "true"\n',
    )
    r = run_cli("monitor", "--only", "health", "--json", cwd=repo.path)
    out = json.loads(r.stdout)
    assert r.returncode == 1
    assert [c["name"] for c in out["checks"]] == ["health"]
    assert [a["title"] for a in out["alerts"]] == [f"{down} is unhealthy"]
    assert out["checks"][0]["detail"] == f"{served}: ok; {down}: DOWN"


def test_registry_check_against_a_real_pypiserver(repo: GitRepo, tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    packages.mkdir()
    for name in (
        "demo_pkg-1.2.2.tar.gz",
        "demo_pkg-1.2.2-py3-none-any.whl",
        "demo_pkg-1.3.0rc1.tar.gz",
    ):
        (packages / name).write_bytes(b"x")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-a",
            ".",
            "-P",
            ".",
            str(packages),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/simple/", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        repo.write("pyproject.toml", '[project]\nname = "demo-pkg"\nversion = "1.2.3"\n')
        definition(
            repo, f'[monitor.registry]\nurl = "{url}"\n', stages='[stages.a]\nrun = "true"\n'
        )
        r = run_cli("monitor", "--only", "registry", "--json", cwd=repo.path)
        out = json.loads(r.stdout)
        assert r.returncode == 0  # medium: reported, not failing
        assert out["alerts"][0]["title"] == "demo-pkg: latest is 1.2.2, not 1.2.3"
        assert out["alerts"][0]["severity"] == "medium"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_only_runs_one_check_while_the_other_tables_are_still_validated(repo: GitRepo) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    definition(
        repo,
        f'[monitor.registry]\nurl = "{down}"\n[monitor.health]\nurls = ["{down}/health"]\n',
    )
    repo.write("package.json", '{"name": "demo", "version": "1.0.0"}')
    repo.commit("init")
    r = run_cli("monitor", "--only", "health", "--json", cwd=repo.path)
    assert r.returncode == 1, r.stderr
    assert [c["name"] for c in json.loads(r.stdout)["checks"]] == ["health"]
    repo.write(
        "shipyard.toml",
        repo.path.joinpath("shipyard.toml").read_text().replace("url =", "ulr ="),
    )
    bad = run_cli("monitor", "--only", "health", cwd=repo.path)
    assert bad.returncode == 2
    assert "monitor.registry.ulr: unknown key" in bad.stderr and "did you mean 'url'" in bad.stderr


@pytest.mark.slow
def test_discussions_channel_opens_one_discussion_through_graphql(repo: GitRepo) -> None:
    app = FakeGitHub()
    with http_server(app) as base:
        definition(
            repo,
            f'[notify.discussions]\nrepo = "acme/tool"\napi = "{base}"\ncategory = "alerts"\n'
            '[monitor]\nrepeat = "0s"\n',
        )
        repo.commit("init")
        run_cli("run", cwd=repo.path)
        env = {"GITHUB_TOKEN": "gh-token-secret"}
        r = run_cli("monitor", "--notify", "--json", cwd=repo.path, env=env)
        assert [d["outcome"] for d in json.loads(r.stdout)["deliveries"]] == ["sent"]
        assert app.discussions[0]["title"] == "[critical] pipeline failed on main"
        assert app.discussions[0]["categoryId"] == "DIC_alerts"
        again = run_cli("monitor", "--notify", "--json", cwd=repo.path, env=env)
        assert [d["outcome"] for d in json.loads(again.stdout)["deliveries"]] == ["sent"]
        assert len(app.discussions) == 1  # still open: not opened twice
        app.discussions[0]["closed"] = True
        run_cli("monitor", "--notify", cwd=repo.path, env=env)
        assert len(app.discussions) == 2

        definition(
            repo,
            f'[notify.discussions]\nrepo = "acme/tool"\napi = "{base}"\ncategory = "Ideas"\n'
            '[monitor]\nrepeat = "0s"\n',
        )
        bad = run_cli("monitor", "--notify", cwd=repo.path, env=env)
        assert (
            "discussions: error: acme/tool has no discussion category 'Ideas' (it has: "
            "General, Alerts)" in bad.stdout
        )
        assert "gh-token-secret" not in r.stdout + bad.stdout + bad.stderr


def test_pipeline_failure_rate_and_duration_over_recorded_runs(repo: GitRepo) -> None:
    definition(repo, '[monitor.pipeline]\nmin-runs = 3\nduration = "1ms"\n')
    repo.commit("init")
    assert run_cli("run", cwd=repo.path).returncode == 1
    two = run_cli("monitor", "--json", cwd=repo.path)
    assert "failure rate" not in two.stdout  # 1 run: below min-runs, no rate yet
    definition(
        repo,
        '[monitor.pipeline]\nmin-runs = 3\nduration = "1ms"\n',
        '[stages.build]\nrun = "true"\n',
    )
    run_cli("run", cwd=repo.path)
    run_cli("run", cwd=repo.path)
    r = run_cli("monitor", "--json", cwd=repo.path)
    out = json.loads(r.stdout)
    assert r.returncode == 1  # high
    assert [(a["severity"], a["title"]) for a in out["alerts"]] == [
        ("high", "pipeline failure rate above 5% on main"),
        ("medium", "pipeline slower than 1ms on main"),
    ]
    assert out["alerts"][0]["body"] == "33% of the last 3 runs failed"
    assert out["checks"][0]["detail"].startswith("run 3 on main passed; failure rate 33% over 3")
