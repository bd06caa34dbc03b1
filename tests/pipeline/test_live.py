"""On a terminal, `shipyard run` shows the running stages live; in a pipe, plain lines."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from tests.conftest import GitRepo


def run_in_pty(repo: GitRepo, *args: str) -> str:
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="40")
    p = subprocess.Popen(
        [sys.executable, "-m", "shipyard", *args],
        cwd=repo.path,
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
    )
    os.close(child)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                data = os.read(main, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif p.poll() is not None:
            break
    p.wait(timeout=10)
    os.close(main)
    return b"".join(chunks).decode(errors="replace")


def test_live_progress_on_a_terminal(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.slow]\nrun = "sleep 1"\nbudget = "5s"\n')
    repo.commit("init")
    screen = run_in_pty(repo, "run")
    assert "⠿ slow" in screen and "/ 5.0s" in screen  # elapsed against budget, redrawn
    assert "✓ slow passed" in screen
    assert "\x1b[" in screen  # a live display uses terminal control sequences
