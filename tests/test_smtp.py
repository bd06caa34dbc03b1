"""E-mail alerts against a real SMTP server (aiosmtpd) on 127.0.0.1, with real certificates
(trustme): STARTTLS by default with verification, no password over plain text."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GitRepo, run_cli
from tests.monitor.servers import Mailbox, free_port


class Logins:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        assert isinstance(data, LoginPassword)
        self.seen.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"mail-pass-123")


@contextmanager
def smtp(tls: ssl.SSLContext | None, logins: Logins) -> Iterator[tuple[int, Mailbox]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=tls,
        authenticator=logins,
        auth_require_tls=tls is not None,
    )
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


@pytest.fixture
def ca(tmp_path: Path) -> Any:
    import trustme

    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    return authority


def server_context(authority: Any) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(ctx)
    return ctx


def project(repo: GitRepo, port: int, extra: str) -> None:
    repo.write(
        "shipyard.toml",
        f"""[stages.build]
run = "exit 1"
[notify.email]
host = "127.0.0.1"
port = {port}
from = "ci@example.invalid"
to = ["team@example.invalid"]
username = "ci"
{extra}
""",
    )
    repo.commit("init")
    run_cli("run", cwd=repo.path)


ENV = {"SMTP_PASSWORD": "mail-pass-123"}


def test_starttls_is_the_default_and_verifies_against_the_configured_ca(
    repo: GitRepo, ca: Any, tmp_path: Path
) -> None:
    logins = Logins()
    with smtp(server_context(ca), logins) as (port, box):
        project(repo, port, f'ca-file = "{tmp_path / "ca.pem"}"')
        r = run_cli("monitor", "--notify", cwd=repo.path, env=ENV)
    assert "email: sent: [critical] pipeline failed on main" in r.stdout, r.stdout + r.stderr
    assert logins.seen == [("ci", "mail-pass-123")]
    assert len(box.messages) == 1


def test_a_certificate_from_an_unknown_ca_is_rejected_before_the_password(
    repo: GitRepo, ca: Any
) -> None:
    logins = Logins()
    with smtp(server_context(ca), logins) as (port, box):
        project(repo, port, "")  # system CAs only: trustme's CA is not among them
        r = run_cli("monitor", "--notify", cwd=repo.path, env=ENV)
    assert r.returncode == 1
    assert "email: error: e-mail to team@example.invalid via 127.0.0.1" in r.stdout
    assert "CERTIFICATE_VERIFY_FAILED" in r.stdout
    assert (logins.seen, box.messages) == ([], [])
    assert "mail-pass-123" not in r.stdout + r.stderr


def test_a_server_without_starttls_gets_no_mail_by_default(repo: GitRepo) -> None:
    logins = Logins()
    with smtp(None, logins) as (port, box):
        project(repo, port, "")
        r = run_cli("monitor", "--notify", cwd=repo.path, env=ENV)
    assert "the server does not offer STARTTLS" in r.stdout
    assert (logins.seen, box.messages) == ([], [])


def test_a_password_over_plain_text_is_a_config_error_unless_insecure(repo: GitRepo) -> None:
    logins = Logins()
    with smtp(None, logins) as (port, box):
        project(repo, port, "starttls = false")
        refused = run_cli("monitor", "--notify", cwd=repo.path, env=ENV)
        assert refused.returncode == 2
        assert refused.stderr == (
            f"error: {repo.path / 'shipyard.toml'}: notify.email.starttls: is false, so the "
            "password would cross the network in plain text\n"
            "  hint: keep starttls = true (the default), or set insecure = true to accept that\n"
        )
        repo.write(
            "shipyard.toml",
            repo.path.joinpath("shipyard.toml").read_text() + "insecure = true\n",
        )
        allowed = run_cli("monitor", "--notify", cwd=repo.path, env=ENV)
    assert "email: sent:" in allowed.stdout, allowed.stdout + allowed.stderr
    assert logins.seen == [("ci", "mail-pass-123")] and len(box.messages) == 1
