"""Run one stage instance: cache lookup, commands in a process group, timeout, log, cache save."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shipyard import proc
from shipyard.pipeline.cache import TreeState, outputs_digest, stage_key
from shipyard.pipeline.model import StageResult, Status
from shipyard.pipeline.plan import Instance
from shipyard.pipeline.stagelog import DEFAULT_CAP, StageLog
from shipyard.redact import Masker
from shipyard.store import Store

CommandHook = Callable[[Instance, str], str]


@dataclass
class Context:
    """What every stage of one run shares."""

    root: Path
    store: Store
    run_id: int
    tree: TreeState
    use_cache: bool = True
    base_env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cancelled: threading.Event = field(default_factory=threading.Event)
    _procs: dict[str, proc.Process[bytes]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    command_hook: CommandHook | None = None
    masker: Masker | None = None  # what stage logs hide (see shipyard.redact)
    guardian: proc.Guardian | None = None  # kills live stage groups if shipyard dies
    token: str = ""  # in every stage's environment: proves a recorded group is ours
    log_cap: int = DEFAULT_CAP  # bytes of a stage's output its log keeps ([store] log-cap-mb)

    def scratch(self) -> Path:
        """A private temporary folder for this run, removed by `cleanup`."""
        path = self.store.dir / "tmp" / str(self.run_id)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def cleanup(self) -> None:
        shutil.rmtree(self.store.dir / "tmp" / str(self.run_id), ignore_errors=True)

    def kill_all(self) -> None:
        self.cancelled.set()
        with self._lock:
            running = list(self._procs.values())
        for p in running:
            proc.kill_group(p)


def run_instance(inst: Instance, ctx: Context) -> StageResult:
    stage = inst.stage
    result = StageResult(inst.name, Status.PASSED, budget=stage.budget, critical=stage.critical)
    cwd = (ctx.root / stage.cwd).resolve()
    env, problem = _environment(inst, ctx, cwd)
    if problem:
        result.status, result.reason = Status.SKIPPED, problem
        return result
    extra = repr(sorted(inst.cell.items()))
    if stage.upstream_outputs:  # what the package stages it needs built (they have finished)
        extra += outputs_digest(ctx.root, stage.upstream_outputs)
    key = stage_key(stage, ctx.tree, env, extra=extra)
    result.cache_key = key if stage.cacheable else None
    if ctx.use_cache and stage.cacheable:
        entry = ctx.store.cache_lookup(key)
        if entry is not None:
            ctx.store.cache_restore(entry, cwd)
            result.status, result.reason = Status.CACHED, "inputs unchanged"
            return result
    log_path = ctx.store.log_path(ctx.run_id, inst.name.replace("/", "_"))
    result.log = str(log_path)
    started = time.monotonic()
    with StageLog(log_path, ctx.masker, ctx.log_cap) as log:
        for command in stage.run:
            if ctx.command_hook is not None:
                command = ctx.command_hook(inst, command)
            log.note(f"$ {command}\n")
            status, code = _run_command(
                inst.name, command, cwd, env, log, ctx, stage.timeout, started
            )
            result.exit_code = code
            if status is not Status.PASSED:
                result.status = status
                break
    result.duration = time.monotonic() - started
    if result.status is Status.TIMEOUT:
        result.reason = f"timed out after {stage.timeout:g}s"
    elif result.status is Status.FAILED:
        result.reason = f"exit code {result.exit_code}"
    elif result.status is Status.CANCELLED:
        result.reason = "cancelled after a critical failure"
    if result.status is Status.PASSED and stage.cacheable and ctx.use_cache:
        ctx.store.cache_save(key, stage.name, stage.cached, cwd)
    return result


def _run_command(
    name: str,
    command: str,
    cwd: Path,
    env: Mapping[str, str],
    log: StageLog,
    ctx: Context,
    timeout: float | None,
    started: float,
) -> tuple[Status, int | None]:
    if ctx.cancelled.is_set():
        return Status.CANCELLED, None
    writer = log.pipe()
    try:
        p = proc.spawn_shell(command, cwd, env, writer)
    finally:
        os.close(writer)  # the stage holds the only write end: its exit ends the log
    with ctx._lock:
        ctx._procs[name] = p
    _watch(ctx, p.pid)
    try:
        while True:
            remaining = None if timeout is None else timeout - (time.monotonic() - started)
            if remaining is not None and remaining <= 0:
                proc.kill_group(p)
                return Status.TIMEOUT, None
            try:
                code = p.wait(timeout=0.05 if remaining is None else min(0.05, remaining))
                break
            except proc.TimeoutExpired:
                if ctx.cancelled.is_set():
                    proc.kill_group(p)
                    return Status.CANCELLED, None
    finally:
        proc.end_group(p.pid)  # background children end with their stage
        _release(ctx, p.pid)
        log.drain()
        with ctx._lock:
            ctx._procs.pop(name, None)
    if ctx.cancelled.is_set() and code != 0:
        return Status.CANCELLED, code
    return (Status.PASSED if code == 0 else Status.FAILED), code


def _watch(ctx: Context, pgid: int) -> None:
    from shipyard.pipeline import groups

    if ctx.guardian is not None:
        ctx.guardian.watch(pgid)
    if ctx.token:
        groups.record(ctx.store, ctx.run_id, pgid, ctx.token)


def _release(ctx: Context, pgid: int) -> None:
    from shipyard.pipeline import groups

    if ctx.token:
        groups.forget(ctx.store, ctx.run_id, pgid)
    if ctx.guardian is not None:
        ctx.guardian.release(pgid)


def _environment(inst: Instance, ctx: Context, cwd: Path) -> tuple[dict[str, str], str]:
    env = dict(ctx.base_env)
    env.update(inst.stage.env)
    env["SHIPYARD_STAGE"] = inst.stage.name
    env["SHIPYARD_RUN_ID"] = str(ctx.run_id)
    if ctx.token:
        env["SHIPYARD_RUN_TOKEN"] = ctx.token
    path = env.get("PATH", os.defpath)
    # node_modules/.bin of the stage's folder, then of each folder up to the project root, as
    # `npm run` does: a workspace package's stage finds the tools hoisted to the root
    folder = cwd
    bins = []
    while True:
        bins.append(folder / "node_modules" / ".bin")
        if folder == ctx.root.resolve() or folder.parent == folder:
            break
        folder = folder.parent
    for bin_dir in reversed(bins):
        if bin_dir.is_dir():
            path = f"{bin_dir}{os.pathsep}{path}"
    for axis, value in inst.cell.items():
        env[f"SHIPYARD_MATRIX_{axis.upper().replace('-', '_')}"] = value
    problem = ""
    if "python" in inst.cell:
        shim, problem = _python_shim(inst.cell["python"], ctx)
        if shim:
            path = f"{shim}{os.pathsep}{path}"
    if not problem and "node" in inst.cell:
        problem = _node_problem(inst.cell["node"])
    if not problem and "os" in inst.cell and not _os_matches(inst.cell["os"]):
        problem = f"runs on {inst.cell['os']} in CI, not on this machine"
    env["PATH"] = path
    if not cwd.is_dir():
        problem = f"cwd {inst.stage.cwd!r} does not exist"
    return env, problem


def _find_python(version: str) -> str | None:
    """An interpreter for `version`: this one, one on PATH that runs, or one pyenv installed."""
    if version == f"{sys.version_info.major}.{sys.version_info.minor}":
        return sys.executable
    found = shutil.which(f"python{version}")
    if found and proc.run([found, "-c", ""], check=False).returncode == 0:
        return found
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(pyenv.glob(f"{version}.*/bin/python{version}")) if pyenv.is_dir() else []
    return str(candidates[-1]) if candidates else None


def _python_shim(version: str, ctx: Context) -> tuple[str | None, str]:
    """A folder whose `python` is the requested version, or why there is none."""
    exe = _find_python(version)
    if exe is None:
        return None, f"python {version} is not installed here (CI runs it)"
    shim = Path(tempfile.mkdtemp(prefix=f"py{version}-", dir=ctx.scratch()))
    for name in ("python", "python3"):
        (shim / name).symlink_to(exe)
    return str(shim), ""


def _node_problem(version: str) -> str:
    node = shutil.which("node")
    if not node:
        return "node is not installed here"
    current = proc.run([node, "--version"], check=False).stdout.strip().lstrip("v")
    if current.split(".")[0] != version.split(".")[0].rstrip("x"):
        return f"node {version} is not the local node ({current}); CI runs it"
    return ""


def _os_matches(name: str) -> bool:
    family = {"linux": "ubuntu", "darwin": "macos", "win32": "windows"}.get(sys.platform, "")
    return name.startswith(family) if family else False
