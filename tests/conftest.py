"""Shared fixtures: real git repositories in temporary folders, and the real CLI.

Writes to the user's real home fail loudly: HOME points into the test's temporary folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Tests send Ctrl-C to shipyard's processes. Started from a background job without job control
# (`(cmd &)` in a script), the suite inherits SIGINT ignored, every child inherits that across
# exec, and Python then installs no KeyboardInterrupt handler: those tests would wait in vain.
# A handler (unlike SIG_IGN) is reset to the default on exec, so each child gets Ctrl-C again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Author")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "author@example.invalid")
    monkeypatch.delenv("SHIPYARD_HOME", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # under `pytest -n`, tools the tests start must not think they are xdist workers
    # (pytest-benchmark switches itself off when it sees these)
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@dataclass
class GitRepo:
    path: Path

    def write(self, rel: str, text: str) -> Path:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return p

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def commit(self, message: str, *paths: str, allow_empty: bool = False) -> str:
        self.git("add", *(paths or ("-A",)))
        extra = ["--allow-empty"] if allow_empty else []
        self.git("commit", "-q", "--no-verify", "-m", message, *extra)
        return self.git("rev-parse", "HEAD").strip()

    def tag(self, name: str, message: str | None = None) -> None:
        if message:
            self.git("tag", "-a", name, "-m", message)
        else:
            self.git("tag", name)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """An empty git repository on branch main."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return GitRepo(path)


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def registry_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """npm's cache and pnpm's store shared by the session's real installs (tests/registry_cache)."""
    from tests.registry_cache import cache_env

    return cache_env(tmp_path_factory)


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> CliResult:
    """Run the real `shipyard` in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CI", None) if env is None or "CI" not in env else None
    cp = subprocess.run(
        [sys.executable, "-m", "shipyard", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return CliResult(cp.returncode, cp.stdout, cp.stderr)


@pytest.fixture
def cli() -> Iterator[type]:
    yield type("Cli", (), {"run": staticmethod(run_cli)})


# --- Scheduling: the longest tests start first, spread over the workers ----------------------
# With `pytest -n N --dist worksteal` (opt-in: see pyproject's addopts) xdist hands worker k
# the k-th of N contiguous slices of the collection; a worker that runs dry steals the tail of the
# fullest queue. So the collection is laid out as N slices of the sizes xdist cuts, each
# balanced by expected time (longest first, each to the lightest slice, LPT) and run longest
# first: a 5-minute test never waits behind another on a busy worker while others idle.
# tests/durations.json holds what each test took (seconds, tests of a second or more, from an
# idle `.ci/run`). Refresh it with
#   SHIPYARD_RECORD_DURATIONS=tests/durations.json python -m pytest -n 4
DURATIONS = Path(__file__).with_name("durations.json")
SLOW_UNKNOWN = 60.0  # a slow test not in durations.json yet: among the first, not the last


def _known_durations() -> dict[str, float]:
    import json

    try:
        data = json.loads(DURATIONS.read_text())
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, int | float)}


def _slices(weights: list[float], workers: int) -> list[list[int]]:
    """Indices of `weights` (sorted longest first) in `workers` slices of the sizes xdist's
    worksteal scheduler cuts (len // workers left, in turn), balanced greedily by weight."""
    sizes, left = [], len(weights)
    for k in range(workers):
        sizes.append(left // (workers - k))
        left -= sizes[-1]
    slices: list[list[int]] = [[] for _ in sizes]
    loads = [0.0] * workers
    for i, w in enumerate(weights):
        k = min((k for k in range(workers) if len(slices[k]) < sizes[k]), key=loads.__getitem__)
        slices[k].append(i)
        loads[k] += w
    return slices


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    known = _known_durations()

    def expected(item: pytest.Item) -> float:
        if item.nodeid in known:
            return known[item.nodeid]
        return SLOW_UNKNOWN if item.get_closest_marker("slow") else 0.0

    items.sort(key=expected, reverse=True)  # stable: equal figures keep collection order
    workerinput = getattr(config, "workerinput", None)  # set in xdist workers only
    if workerinput and config.getoption("dist", "no") == "worksteal":
        slices = _slices([expected(i) for i in items], int(workerinput["workercount"]))
        items[:] = [items[i] for part in slices for i in part]


_spent: dict[str, float] = {}
_record: list[str] = []  # the file to write, on the controller only (not in xdist workers)


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get("SHIPYARD_RECORD_DURATIONS")
    if path and not hasattr(config, "workerinput"):
        _record.append(path)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _record:
        _spent[report.nodeid] = _spent.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _record or not _spent:
        return
    path = _record[0]
    import json

    kept = {k: round(v, 1) for k, v in sorted(_spent.items()) if v >= 1.0}
    Path(path).write_text(json.dumps(kept, indent=0, sort_keys=True) + "\n")
