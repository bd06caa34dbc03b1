"""Split a test stage over N runners: `shipyard run unit --shard K/N` runs part K.

pytest is split by test files, balanced on the durations recorded in the run store (longest
first onto the least-loaded part; plain file counts when there is no history); vitest and jest
split themselves through their own `--shard=K/N`. Every runner computes the same split from the
same inputs, so the split is deterministic: ties break on the file name. In CI, where each
runner has its own store, a durations file committed to the repository (named by the
`SHIPYARD_SHARD_DURATIONS` environment variable) replaces the store so that all runners agree.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Sequence
from pathlib import Path

from shipyard.config import Stage
from shipyard.errors import InputError
from shipyard.pipeline import globs
from shipyard.store import Store

PYTEST_FILES = (
    "tests/**/test_*.py",
    "tests/**/*_test.py",
    "test/**/test_*.py",
    "test/**/*_test.py",
)
DURATIONS_ENV = "SHIPYARD_SHARD_DURATIONS"
_OPERATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")"})
# pytest options whose value is the next word (so that word is not a test path)
_VALUE_OPTS = (
    "-k -m -p -c -o -W -r -n --rootdir --junitxml --junit-xml --basetemp --confcutdir --deselect"
    " --ignore --ignore-glob --maxfail --durations --tb --cov --cov-report --cov-config"
    " --cov-fail-under --log-level --import-mode --dist --timeout --override-ini"
)
_PYTEST_VALUE_OPTS = frozenset(_VALUE_OPTS.split())
# words after which a program name is being run, not passed as an argument
_LAUNCHERS = frozenset({"-m", "run", "exec", "npx", "pnpx", "bunx", "yarn", "pnpm", "--", "time"})


def split(files: list[str], durations: dict[str, float], n: int) -> list[list[str]]:
    """`files` in `n` parts of near-equal recorded duration; each file in exactly one part.

    Files without history weigh the mean of the known ones (1.0 when none is known, which makes
    the split a balanced count).
    """
    if n < 1:
        raise ValueError(f"cannot split into {n} parts")
    known = [durations[f] for f in files if f in durations]
    default = sum(known) / len(known) if known else 1.0
    weight = {f: durations.get(f, default) for f in dict.fromkeys(files)}
    parts: list[list[str]] = [[] for _ in range(n)]
    loads = [0.0] * n
    for f in sorted(weight, key=lambda f: (-weight[f], f)):
        i = min(range(n), key=lambda j: (loads[j], len(parts[j]), j))
        parts[i].append(f)
        loads[i] += weight[f]
    return [sorted(p) for p in parts]


def _runs(words: list[str], i: int, names: tuple[str, ...]) -> bool:
    """True when words[i] is one of `names` in the place of a program, not an argument
    (`pip install pytest` does not run pytest; `python -m pytest`, `npx vitest` do)."""
    if os.path.basename(words[i]) not in names:
        return False
    before = words[i - 1] if i else ""
    return (
        not before
        or before in _OPERATORS
        or before in _LAUNCHERS
        or ("=" in before and not before.startswith("-"))
    )


def runner_of(command: str) -> str | None:
    """'pytest', 'vitest', 'jest' or 'npm' for a command that runs them, else None."""
    return _runner_at(_words(command))[1]


def _runner_at(words: list[str]) -> tuple[int, str | None]:
    for i, word in enumerate(words):
        if _runs(words, i, ("pytest", "py.test", "vitest", "jest")):
            base = os.path.basename(word)
            return i, "pytest" if base == "py.test" else base
        if _runs(words, i, ("npm",)) and words[i + 1 : i + 2] in (["test"], ["t"], ["run"]):
            return i, "npm"
    return len(words), None


def shard_command(command: str, k: int, n: int, files: list[str]) -> str:
    """The command that runs part K of N: pytest gets the part's files in place of its test
    paths; vitest and jest (directly or through an npm script) get `--shard=K/N`."""
    if not 1 <= k <= n:
        raise ValueError(f"shard {k}/{n}: K must be between 1 and N")
    runner = runner_of(command)
    if runner in ("vitest", "jest", "npm"):
        extra = [f"--shard={k}/{n}"] if runner != "npm" else ["--", f"--shard={k}/{n}"]
        words = _words(command)
        if not _OPERATORS.intersection(words):
            return " ".join([command, *extra])
        at = _runner_at(words)[0]
        end = next((i for i in range(at, len(words)) if words[i] in _OPERATORS), len(words))
        return " ".join(_requote(w) for w in [*words[:end], *extra, *words[end:]])
    if runner != "pytest":
        return command
    if not files:
        # pytest with no path would run the whole suite: this part must run nothing
        return f"echo 'shard {k}/{n}: no test files to run'"
    words = _words(command)
    end, paths = _pytest_segment(words)
    kept = [w for i, w in enumerate(words[:end]) if i not in paths]
    return " ".join(_requote(w) for w in [*kept, *files, *words[end:]])


def pytest_paths(command: str) -> list[str]:
    """The test paths named on a pytest command line (positional words after `pytest`)."""
    words = _words(command)
    return [words[i] for i in sorted(_pytest_segment(words)[1])]


def _pytest_segment(words: list[str]) -> tuple[int, set[int]]:
    """(end of the pytest word's shell segment, indices of its path words)."""
    start = _runner_at(words)[0]
    paths: set[int] = set()
    skip = False
    end = start + 1
    for end in range(start + 1, len(words) + 1):
        word = words[end] if end < len(words) else ""
        if end == len(words) or word in _OPERATORS:
            break
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _PYTEST_VALUE_OPTS
        elif "::" not in word:
            paths.add(end)
    return min(end, len(words)), paths


def _requote(word: str) -> str:
    """Words are put back as written where that is safe, so `$VAR` still expands."""
    if word in _OPERATORS or (word and not any(c in word for c in " \t\n'\"\\;&|<>()")):
        return word
    return shlex.quote(word)


def discover(cwd: Path, roots: Sequence[str] = ()) -> list[str]:
    """pytest test files under the stage's folder (or under the paths its command names)."""
    patterns = [f"{r.rstrip('/')}/**/test_*.py" for r in roots if not r.endswith(".py")]
    patterns += [f"{r.rstrip('/')}/**/*_test.py" for r in roots if not r.endswith(".py")]
    patterns += [r for r in roots if r.endswith(".py")]
    patterns = patterns or list(PYTEST_FILES)
    found = []
    for path in cwd.rglob("*.py"):
        rel = path.relative_to(cwd).as_posix()
        if not any(
            part in (".venv", "node_modules", ".git", ".shipyard") for part in rel.split("/")
        ):
            found.append(rel)
    return globs.select(found, patterns)


def durations_from_store(
    store: Store, stage: str, files: Sequence[str] | None = None, cwd: str = "."
) -> dict[str, float]:
    """Seconds per test file (relative to the stage's `cwd`): the mean over its last five runs.

    With `files`, only runs that recorded every one of them count, and none at all means no
    history: the runs of single shards record a part of the files each, and letting them in
    would change the split between `--shard 1/N` and `--shard 2/N`.
    """
    from shipyard.pipeline import history

    runs: dict[int, dict[str, float]] = {}
    for run_id, file, seconds in history.seconds_per_test_file(store, stage):
        runs.setdefault(run_id, {})[_relative(file, cwd)] = float(seconds)
    usable = [r for r in runs.values() if files is None or set(files) <= r.keys()]
    per_file: dict[str, list[float]] = {}
    for run in usable:
        for file, seconds in run.items():
            if len(per_file.setdefault(file, [])) < 5:
                per_file[file].append(seconds)
    return {f: sum(v) / len(v) for f, v in per_file.items()}


def durations_from_file(path: Path) -> dict[str, float]:
    """A committed durations file: a JSON object of test file -> seconds."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as exc:
        raise InputError(
            f"{path}: not a JSON durations file ({exc})",
            hint="regenerate it with `shipyard ci durations STAGE`",
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in data.values()
    ):
        raise InputError(
            f"{path}: expected a JSON object of test file -> seconds",
            hint="regenerate it with `shipyard ci durations STAGE`",
        )
    return {str(k): float(v) for k, v in data.items()}


def apply(stage: Stage, command: str, k: int, n: int, root: Path, store: Store) -> str:
    """What the runner calls for each command of a sharded stage under `--shard K/N`."""
    if runner_of(command) != "pytest":
        return shard_command(command, k, n, [])
    cwd = root / stage.cwd
    files = discover(cwd, pytest_paths(command))
    env_file = os.environ.get(DURATIONS_ENV)
    if env_file:
        durations = {
            _relative(f, stage.cwd): s for f, s in durations_from_file(root / env_file).items()
        }
    else:
        durations = durations_from_store(store, stage.name, files, stage.cwd)
    return shard_command(command, k, n, split(files, durations, n)[k - 1])


def _relative(path: str, cwd: str) -> str:
    """Recorded paths may be relative to the project root; test files are relative to cwd."""
    prefix = "" if cwd in (".", "") else cwd.strip("/") + "/"
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


def _words(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: leave the command to the shell as it is
        return command.split()
