"""The one place that starts subprocesses.

`run` is for short tool calls whose output we read; `spawn` starts a stage command in its own
process group so that a timeout or Ctrl-C can kill the whole tree (see `kill_group`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from shipyard.errors import ToolError


@dataclass(frozen=True)
class Completed:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


class ProcessError(ToolError):
    """A command exited non-zero; keeps the command, return code and both streams."""

    def __init__(self, result: Completed) -> None:
        cmd = " ".join(result.args)
        detail = (result.stderr or result.stdout).strip().splitlines()
        tail = f": {detail[-1]}" if detail else ""
        super().__init__(f"`{cmd}` exited with {result.returncode}{tail}")
        self.result = result


def run(
    args: Sequence[str],
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    input: str | None = None,
    timeout: float | None = None,
) -> Completed:
    """Run a command to completion and capture its output as text."""
    try:
        cp = subprocess.run(
            list(args),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            input=input,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ToolError(
            f"`{args[0]}` was not found", hint=f"install {args[0]} or put it on PATH"
        ) from exc
    result = Completed(tuple(args), cp.returncode, cp.stdout, cp.stderr)
    if check and cp.returncode != 0:
        raise ProcessError(result)
    return result


def stream(args: Sequence[str], cwd: Path | str) -> subprocess.Popen[bytes]:
    """Start a long-lived command to talk to through binary pipes (e.g. `git cat-file --batch`)."""
    try:
        return subprocess.Popen(
            list(args),
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise ToolError(
            f"`{args[0]}` was not found", hint=f"install {args[0]} or put it on PATH"
        ) from exc


def spawn_shell(
    command: str, cwd: Path, env: Mapping[str, str], log: int
) -> subprocess.Popen[bytes]:
    """Start `command` through the shell in a new session, output to the file descriptor `log`."""
    return subprocess.Popen(
        ["/bin/sh", "-c", command],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_group(proc: subprocess.Popen[bytes], grace: float = 2.0) -> None:
    """Stop a process started by `spawn_shell` and everything it started: TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # the leader is gone; make sure no child of the group is left behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        return


def group_alive(pgid: int) -> bool:
    """Whether a process group still has a live (not zombie) member."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return True
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def end_group(pgid: int, grace: float = 2.0) -> None:
    """Make sure nothing of the group `pgid` is left (background children of a finished
    stage): TERM, up to `grace` seconds, then KILL, and wait until the group is gone."""
    import time

    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        if not group_alive(pgid):
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and group_alive(pgid):
            time.sleep(0.02)
