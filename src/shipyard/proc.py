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

# What callers need of the subprocess module, so that only this module (and git.py) import it:
Process = subprocess.Popen  # the type of a started child, for annotations
TimeoutExpired = subprocess.TimeoutExpired  # raised by Process.wait(timeout) and run(timeout)


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
    errors: str = "replace",
) -> Completed:
    """Run a command to completion and capture its output as text (`errors="surrogateescape"`
    keeps bytes that are not UTF-8, such as file names, round-trippable by os.fsencode)."""
    try:
        cp = subprocess.run(
            list(args),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            input=input,
            capture_output=True,
            text=True,
            errors=errors,
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


def _processes() -> list[tuple[int, int, str]]:
    """(pid, process group, state) of every process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "
        if len(fields) > 2:
            found.append((int(entry.name), int(fields[2]), fields[0]))
    return found


def group_alive(pgid: int) -> bool:
    """Whether a process group still has a live (not zombie) member."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not Path("/proc").is_dir():
        return True
    return any(g == pgid and state != "Z" for _, g, state in _processes())


def group_members(pgid: int, marker: str) -> list[int]:
    """The live members of group `pgid` whose environment holds `marker` (NAME=value): a
    recorded group id may since have been reused by someone else's processes."""
    wanted = marker.encode()
    members = []
    for pid, group, state in _processes():
        if group != pgid or state == "Z":
            continue
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if wanted in env:
            members.append(pid)
    return members


def kill_pids(pids: Sequence[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


GUARD = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
groups = set()
for line in sys.stdin:
    sign, pgid = line[:1], int(line[1:])
    (groups.add if sign == "+" else groups.discard)(pgid)
for sig in (signal.SIGTERM, signal.SIGKILL):
    for pgid in groups:
        try:
            os.killpg(pgid, sig)
        except OSError:
            pass
    if sig == signal.SIGTERM and groups:
        time.sleep(1)
"""


class Guardian:
    """A process in its own session that kills the run's live stage groups once shipyard's end
    of its pipe closes: at the run's end (nothing is left then) or when shipyard is killed."""

    def __init__(self) -> None:
        import sys
        import threading

        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", GUARD],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _say(self, line: str) -> None:
        with self._lock, contextlib.suppress(BrokenPipeError, ValueError):
            assert self.proc.stdin is not None
            self.proc.stdin.write(line.encode())
            self.proc.stdin.flush()

    def watch(self, pgid: int) -> None:
        self._say(f"+{pgid}\n")

    def release(self, pgid: int) -> None:
        self._say(f"-{pgid}\n")

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        self.proc.wait()


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
