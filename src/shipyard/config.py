"""Load and validate the pipeline definition.

The definition lives in `shipyard.toml` or under `[tool.shipyard]` in pyproject.toml (the first
one found wins, in that order). Stages are validated here; the other sections (`gates`, `bench`,
`release`, `scan`, `ci`, …) are validated by the family that owns them, with the same `Table`
reader, so every error names the file, the key path and what was expected.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from shipyard import numbers
from shipyard.errors import ConfigError, UsageError
from shipyard.schema import registry as _declarations
from shipyard.schema import stages as _stage_keys
from shipyard.schema.model import Group, Key, agree

DEFINITION_FILE = "shipyard.toml"
PYPROJECT = "pyproject.toml"

SECTIONS = frozenset(_declarations.SECTIONS)  # each declared in shipyard/schema/
LISTS = frozenset({"mask"})  # the top-level keys that are lists, not tables
TRIGGERS = _stage_keys.TRIGGERS
DEFAULT_TRIGGERS = ("push", "pr")
REPORT_KINDS = frozenset(_stage_keys.REPORT_KINDS)
_DURATION = re.compile(
    r"^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?"
    r"(?:(\d+(?:\.\d+)?)ms)?$",
    re.ASCII,  # "٣m" (Arabic-Indic digits) is not three minutes
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Input limits (docs/configuration.md, "Input limits"): beyond them a value is a mistake.
MAX_DEFINITION_BYTES = 16 * 1024 * 1024
MAX_NAME_LENGTH = 100  # stage names become file names and YAML keys
MAX_DURATION = 30 * 24 * 3600.0  # 30 days
MAX_SHARDS = 256  # GitHub Actions' limit of jobs in one matrix


def parse_duration(value: object) -> float | None:
    """Seconds for "90s", "3m", "1m30s", "1h", "1d", "250ms" or a number; None if malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
    elif not isinstance(value, str) or not value.strip() or len(value) > 40:
        return None
    else:
        m = _DURATION.match(value.strip())
        if not m or not any(m.groups()):
            return None
        d, h, mi, s, ms = (float(g) if g else 0.0 for g in m.groups())
        seconds = d * 86400 + h * 3600 + mi * 60 + s + ms / 1000
    return seconds if math.isfinite(seconds) and 0 <= seconds <= MAX_DURATION else None


def format_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        minutes, secs = divmod(round(seconds), 60)
        return f"{minutes}m{secs:02d}s"
    # hours and days as a person reads them (not 304946m22s); parse_duration reads them back
    days, rest = divmod(round(seconds / 60), 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d{hours}h" if hours else f"{days}d"
    return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"


# Table has methods named str, bool and int; these aliases keep annotations unambiguous.
Str: TypeAlias = str
Bool: TypeAlias = bool
Int: TypeAlias = int


class Table:
    """A typed reader over one TOML table that remembers where it is, for error messages.

    Read every key you accept, then call `done()`: any key left over is reported as unknown.
    With `spec` (the table's declarations, shipyard/schema/), every key read must be declared
    there with the type read; a default or range the call omits comes from the declaration.
    """

    def __init__(
        self, data: Mapping[Str, Any], file: Path | Str, path: Str, spec: Group | None = None
    ) -> None:
        self.data = data
        self.file = file
        self.path = path
        self.spec = spec
        self._seen: set[Str] = set()

    def _declared(self, name: Str, method: Str | None, exact: Bool = False) -> Key | None:
        if self.spec is None:
            return None
        return self.spec.checked(name, method, self.path or "(top)", exact)

    def _default(self, name: Str, method: Str, default: Any) -> tuple[Key | None, Any]:
        key = self._declared(name, method)
        if key is None:
            return None, default
        return key, agree(key, "default", default, key.default, self.path)

    def _range(self, key: Key | None, minimum: Any, maximum: Any) -> tuple[Any, Any]:
        if key is None:
            return minimum, maximum
        return (
            agree(key, "minimum", minimum, key.minimum, self.path),
            agree(key, "maximum", maximum, key.maximum, self.path),
        )

    def key(self, name: Str) -> Str:
        name = self._spelled(name)
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: Str, expected: Str, hint: Str | None = None) -> ConfigError:
        return ConfigError(self.file, self.key(name), expected, hint)

    def has(self, name: Str) -> Bool:
        self._declared(name, None)
        return any(n in self.data for n in spellings(name))

    def raw(self, name: Str, default: Any = None, exact: Bool = False) -> Any:
        """The value of key `name` (either spelling, see `spellings`); `exact` for names the
        user chose (matrix axes, benchmark names), which are read as written."""
        self._declared(name, None, exact)
        if exact:
            self._seen.add(name)
            return self._checked(name, self.data.get(name, default))
        canonical, legacy = spellings(name)
        self._seen.add(canonical)
        if canonical in self.data and legacy in self.data and canonical != legacy:
            raise self.error(
                legacy,
                f"given twice, as {legacy!r} and as {canonical!r}",
                hint=f"keep {canonical!r} (the old spelling {legacy!r} is deprecated)",
            )
        if legacy in self.data and canonical != legacy:
            _deprecated(self.file, self.key(legacy), canonical)
            return self._checked(legacy, self.data[legacy])
        return self._checked(canonical, self.data.get(canonical, default))

    def _checked(self, name: Str, value: Any) -> Any:
        """NUL in any string the definition gives is refused here, before any reader uses it."""
        strings = value if isinstance(value, list) else [value]
        _no_nul(self, name, (v for v in strings if isinstance(v, Str)))
        return value

    def _spelled(self, name: Str) -> Str:
        """`name` as the file spells it (canonical kebab-case when absent)."""
        canonical, legacy = spellings(name)
        if name in self.data:
            return name
        return legacy if legacy in self.data and canonical not in self.data else canonical

    def str(self, name: Str, default: Str | None = None) -> Str | None:
        default = self._default(name, "str", default)[1]
        value = self.raw(name, default)
        if value is not None and not isinstance(value, Str):
            raise self.error(name, f"expected a string, got {_kind(value)}")
        return value

    def bool(self, name: Str, default: Bool | None = None) -> Bool:
        default = self._default(name, "bool", default)[1]
        if default is None:
            raise TypeError(f"{self.path}.{name}: a boolean key needs a default")
        value = self.raw(name, default)
        if not isinstance(value, Bool):
            raise self.error(name, f"expected true or false, got {_kind(value)}")
        return value

    def int(
        self,
        name: Str,
        default: Int | None = None,
        minimum: Int | None = None,
        maximum: Int | None = None,
    ) -> Int | None:
        key, default = self._default(name, "int", default)
        minimum, maximum = self._range(key, minimum, maximum)
        value = self.raw(name, default)
        if value is None:
            return None
        if isinstance(value, Bool) or not isinstance(value, Int):
            raise self.error(name, f"expected an integer, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise self.error(name, f"expected an integer >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise self.error(name, f"expected an integer <= {maximum}, got {value}")
        return value

    def number(
        self,
        name: Str,
        default: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        unit: Str = "",
    ) -> float | None:
        """A finite number, within [minimum, maximum] when given (`unit` is for the message)."""
        key, default = self._default(name, "number", default)
        minimum, maximum = self._range(key, minimum, maximum)
        value = self.raw(name, default)
        if value is None:
            return None
        if isinstance(value, Bool) or not isinstance(value, Int | float):
            raise self.error(name, f"expected a number, got {_kind(value)}")
        unit = unit or (key.unit if key else "")
        wrong = numbers.problem(value, minimum=minimum, maximum=maximum, unit=unit)
        if wrong:
            raise self.error(name, wrong)
        return float(value)

    def duration(self, name: Str, default: float | None = None) -> float | None:
        default = self._default(name, "duration", default)[1]
        value = self.raw(name)
        if value is None:
            return default
        seconds = parse_duration(value)
        if seconds is None:
            raise self.error(
                name,
                f'expected a duration such as "90s", "3m" or "1m30s" (at most 30 days), '
                f"got {value!r}",
            )
        return seconds

    def str_list(
        self, name: Str, default: list[Str] | None = None, single: Bool = True
    ) -> list[Str]:
        """A list of strings; a lone string is accepted as a one-item list when `single`."""
        default = self._default(name, "str_list", default)[1]
        value = self.raw(name)
        if value is None:
            return list(default or [])
        if single and isinstance(value, Str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, Str) for v in value):
            what = "a string or a list of strings" if single else "a list of strings"
            raise self.error(name, f"expected {what}, got {_kind(value)}")
        return list(value)

    def str_map(self, name: Str) -> dict[Str, Str]:
        self._declared(name, "str_map")
        value = self.raw(name, {})
        if not isinstance(value, dict):
            raise self.error(name, f"expected a table of strings, got {_kind(value)}")
        out: dict[Str, Str] = {}
        for k, v in value.items():
            if isinstance(v, Bool) or not isinstance(v, Str | Int | float):
                raise ConfigError(
                    self.file, f"{self.key(name)}.{k}", f"expected a string, got {_kind(v)}"
                )
            out[k] = str(v)
            if "\0" in k + out[k]:
                raise ConfigError(
                    self.file,
                    f"{self.key(name)}.{k!r}" if "\0" in k else f"{self.key(name)}.{k}",
                    "contains a NUL character (\\u0000): remove it",
                )
        return out

    def table(self, name: Str, exact: Bool = False) -> Table:
        key = self._declared(name, "table", exact)
        value = self.raw(name, {}, exact=exact)
        if not isinstance(value, dict):
            raise self.error(name, f"expected a table, got {_kind(value)}")
        return Table(value, self.file, self.key(name), key.group if key else None)

    def item(self, name: Str, index: Int, value: Mapping[Str, Any]) -> Table:
        """The reader of table `index` of the array of tables `name` ([[ci.dependabot.ignore]])."""
        key = self._declared(name, None)
        return Table(value, self.file, self.key(f"{name}[{index}]"), key.group if key else None)

    def tables(self) -> Iterator[tuple[Str, Table]]:
        """Every sub-table of this table (for `[stages.NAME]`-style sections)."""
        for name, value in self.data.items():
            self._seen.add(name)
            key = self._declared(name, "tables", exact=True)
            if not isinstance(value, dict):
                raise self.error(name, f"expected a table, got {_kind(value)}")
            yield name, Table(value, self.file, self.key(name), key.group if key else None)

    def done(self) -> None:
        unknown = sorted(k for k in self.data if not {k, spellings(k)[0]} & self._seen)
        if unknown:
            raise self.error(unknown[0], "unknown key", hint=_close_hint(unknown[0], self._seen))


def spellings(name: str) -> tuple[str, str]:
    """(canonical kebab-case, deprecated snake_case) spellings of a key: `fail-under`, `fail_under`.

    Keys are kebab-case, as most pyproject tools spell them; the snake_case spelling of the
    first releases is still read, with one warning per key, until the next major release."""
    return name.replace("_", "-"), name.replace("-", "_")


_warned: set[tuple[str, str]] = set()


def _deprecated(file: Path | str, key: str, canonical: str) -> None:
    """Warn once per file and key path that a snake_case key has a new spelling."""
    if (str(file), key) in _warned:
        return
    _warned.add((str(file), key))
    from shipyard import output

    output.err(
        f"warning: {file}: {key}: the snake_case spelling is deprecated, "
        f"write {canonical!r} (kebab-case); the old one stops working in the next major release"
    )


def _close_hint(name: str, known: set[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return (
        f"did you mean {close[0]!r}? (see docs/configuration.md)"
        if close
        else ("see docs/configuration.md for the keys this table accepts")
    )


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


@dataclass(frozen=True)
class When:
    on: tuple[str, ...] = DEFAULT_TRIGGERS
    changed: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    schedule: str | None = None


@dataclass(frozen=True)
class Stage:
    name: str
    run: tuple[str, ...]
    needs: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    budget: float | None = None
    critical: bool = True
    timeout: float | None = None
    when: When = When()
    matrix: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reports: Mapping[str, str] = field(default_factory=dict)
    cwd: str = "."
    shard: int | None = None
    release: bool = False
    description: str = ""
    # `per-package = true` (every workspace package) or a list of package name / folder globs:
    # a template that pipeline/packages.py expands into one `NAME@PACKAGE` stage per package
    per_package: tuple[str, ...] = ()
    needs_upstream: tuple[str, ...] = ()  # `needs = ["^build"]`: the dependencies' instances
    # set on expanded / package stages only (pipeline/packages.py): the package it runs for,
    # the folders of the packages it depends on, the outputs of the package stages it needs
    package: str = ""
    upstream: tuple[str, ...] = ()
    upstream_outputs: tuple[str, ...] = ()

    @property
    def cacheable(self) -> bool:
        return bool(self.inputs)

    @property
    def cached(self) -> tuple[str, ...]:
        """What a cache entry of the stage holds: its outputs, plus the report files no output
        covers. A cache hit must bring its reports back, or the gates of a fresh checkout with a
        restored cache (CI) find none."""
        from shipyard.pipeline import globs

        extra = [
            r
            for r in self.reports.values()
            if not Path(r).is_absolute()
            and ".." not in Path(r).parts
            and not globs.matches(r, self.outputs)
        ]
        return (*self.outputs, *dict.fromkeys(extra))


@dataclass(frozen=True)
class Definition:
    """The validated definition: stages, plus raw sections for the other families."""

    file: Path
    root: Path
    stages: Mapping[str, Stage]
    sections: Mapping[str, Mapping[str, Any]]
    mask: tuple[str, ...] = ()  # more environment variables whose values are hidden

    def section(self, name: str) -> Table:
        """The reader for a top-level section (empty when absent)."""
        prefix = "tool.shipyard." if self.file.name == PYPROJECT else ""
        spec = _declarations.group(name)
        return Table(self.sections.get(name, {}), self.file, prefix + name, spec)


def find_definition(root: Path) -> Path | None:
    own = root / DEFINITION_FILE
    if own.is_file():
        return own
    pyproject = root / PYPROJECT
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool")
        if isinstance(tool, dict) and "shipyard" in tool:
            return pyproject
    return None


def load(root: Path, file: Path | None = None) -> Definition:
    """Load the definition for the project at `root` (or from an explicit `file`)."""
    path = file or find_definition(root)
    if path is None:
        raise UsageError(
            f"no pipeline definition in {root} ({DEFINITION_FILE}, or [tool.shipyard] "
            f"in {PYPROJECT})",
            hint="run `shipyard init` to write one for this project",
        )
    data = _read_toml(path)
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(path, "tool", f"expected a table, got {_kind(tool)}")
        if "shipyard" not in tool:
            raise ConfigError(path, "tool.shipyard", "missing table")
        data = tool["shipyard"]
        top = Table(data, path, "tool.shipyard", _stage_keys.TOP)
    else:
        top = Table(data, path, "", _stage_keys.TOP)
    if not isinstance(data, dict):
        raise ConfigError(path, top.path, f"expected a table, got {_kind(data)}")
    if not data:
        raise ConfigError(
            path,
            top.path,
            "the definition is empty",
            hint="define at least one [stages.NAME] with a `run` command, or run `shipyard init`",
        )
    definition = parse(data, path, top)
    _check_cwds(definition, top.table("stages"))
    for name, value in definition.sections.items():
        if isinstance(value, dict) and _declarations.group(name) is not None:
            _check_numbers(definition.section(name))
    return definition


def _check_numbers(table: Table) -> None:
    """The numeric settings of every section (finite, in range), checked by every command that
    loads the definition, as nox or pre-commit refuse a broken file whatever they are asked;
    the other keys are checked by the section's owner when a command reads it."""
    spec = table.spec
    if spec is None:
        return
    for name, value in table.data.items():
        key = spec.find(name, exact=True)
        if key is None:
            continue
        if key is spec.entries:
            if key.group is not None and isinstance(value, dict):
                _check_numbers(Table(value, table.file, f"{table.path}.{name}", key.group))
        elif key.kind in ("integer", "number", "duration"):
            getattr(table, {"integer": "int"}.get(key.kind, key.kind))(name)
        elif key.kind == "table" and isinstance(value, dict):
            _check_numbers(table.table(name, exact=True))


def parse(data: Mapping[str, Any], path: Path, top: Table | None = None) -> Definition:
    top = top or Table(data, path, "", _stage_keys.TOP)
    top.spec = top.spec or _stage_keys.TOP
    for name, value in data.items():
        if name not in SECTIONS:
            raise top.error(name, "unknown key", hint=_close_hint(name, set(SECTIONS)))
        if name == "gates" and value is False:
            continue  # `gates = false` turns the gates off in `shipyard run`
        if not isinstance(value, dict) and name not in LISTS:
            what = "a table, or false to turn the gates off" if name == "gates" else "a table"
            raise top.error(name, f"expected {what}, got {_kind(value)}")
    stages = {name: _stage(name, t) for name, t in top.table("stages").tables()}
    _check_needs(stages, top.table("stages"))
    mask = tuple(top.str_list("mask"))
    sections = {k: v for k, v in data.items() if k not in ("stages", "mask")}
    return Definition(file=path, root=path.parent, stages=stages, sections=sections, mask=mask)


def _read_toml(path: Path) -> dict[str, Any]:
    from shipyard import textfile

    text = textfile.read_text(path, limit=MAX_DEFINITION_BYTES)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(
            path, "", "invalid TOML: tables or arrays nested too deeply to be a definition"
        ) from None


def _stage(name: str, t: Table) -> Stage:
    if not _NAME.match(name) or len(name) > MAX_NAME_LENGTH:
        raise ConfigError(
            t.file,
            t.path if len(t.path) <= 120 else t.path[:120] + "…",
            f"stage names use letters, digits, '_', '-' and '.' "
            f"(at most {MAX_NAME_LENGTH} characters)",
        )
    run = t.str_list("run")
    if not run:
        raise t.error("run", "missing: a command or a list of commands to run")
    for i, command in enumerate(run):
        if not command.strip():
            raise t.error("run", f"command {i + 1} is empty: give a command to run, or remove it")
    _no_nul(t, "run", run)
    needs = t.str_list("needs")
    stage = Stage(
        name=name,
        run=tuple(run),
        needs=tuple(n for n in needs if not n.startswith("^")),
        inputs=tuple(_globs(t, "inputs")),
        outputs=tuple(_globs(t, "outputs")),
        env=_env(t),
        budget=t.duration("budget"),
        critical=t.bool("critical", True),
        timeout=t.duration("timeout"),
        when=_when(t),
        matrix=_matrix(t.table("matrix")),
        reports=_reports(t),
        cwd=_cwd(t),
        shard=t.int("shard", None, minimum=1, maximum=MAX_SHARDS),
        release=t.bool("release", False),
        description=t.str("description", "") or "",
        per_package=_per_package(t),
        needs_upstream=tuple(n[1:] for n in needs if n.startswith("^")),
    )
    t.done()
    # a per-package stage's paths are relative to each package's folder: they are checked
    # against each real folder once the packages are known (pipeline/packages.py)
    if not stage.per_package:
        _inside_project(t, "inputs", stage.inputs, stage.cwd)
        _inside_project(t, "outputs", stage.outputs, stage.cwd)
    if stage.per_package and t.has("cwd"):
        raise t.error("cwd", "a per-package stage runs in each package's folder: remove cwd")
    if stage.needs_upstream and not stage.per_package:
        raise t.error(
            "needs",
            f"'^{stage.needs_upstream[0]}' (the dependencies' instances) needs a per-package stage",
            hint="add `per-package = true`, or drop the '^'",
        )
    return stage


def _per_package(t: Table) -> tuple[str, ...]:
    """`per-package`: true (every workspace package), false, or package name / folder globs."""
    value = t.raw("per-package", False)
    if value is True:
        return ("*",)
    if value is False:
        return ()
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise t.error(
        "per-package",
        f"expected true, false or a list of package names / folder globs, got {_kind(value)}",
    )


def _inside_project(t: Table, name: str, paths: Iterable[str], cwd: str) -> None:
    """Inputs and outputs are paths of the project, relative to the stage's cwd: the cache
    must never read, write or delete anywhere else, nor copy its own folder into itself."""
    for rel in paths:
        problem = path_problem(name, rel, cwd)
        if problem:
            raise t.error(name, problem)


def path_problem(name: str, rel: str, cwd: str, shown: str | None = None) -> str | None:
    """Why `rel` (an `inputs` or `outputs` path of a stage run in `cwd`) may not be used, or
    None: it must stay inside the project, and outputs must be neither the project nor hold
    .git/ or .shipyard/. `shown` is how the message quotes the path (default: `rel`)."""
    import posixpath

    shown = shown if shown is not None else repr(rel)
    body = rel.removeprefix("!")
    where = posixpath.normpath(posixpath.join(cwd, body))
    if posixpath.isabs(body) or where == ".." or where.startswith("../"):
        return (
            f"{shown} is outside the project: give a path relative to the stage's folder "
            f"({cwd!r}) that stays inside it"
        )
    if rel.startswith("!"):
        return None  # an exclusion takes nothing away from outside
    parts = where.split("/")
    if name == "outputs" and where == ".":
        return (
            f"{shown} is the whole project (.shipyard/ and .git/ included): list the files "
            'or folders the stage writes, such as "dist"'
        )
    if name == "outputs" and posixpath.normpath(body) == ".":
        return f"{shown} is the stage's whole folder: list the files or folders it writes"
    if any(p in (".git", ".shipyard") for p in parts):
        return f"{shown} is inside .git/ or .shipyard/, which shipyard owns"
    return None


def _when(t: Table) -> When:
    raw = t.raw("when")
    if raw is None:
        return When()
    if isinstance(raw, str | list):
        on = t.str_list("when")
        changed: list[str] = []
        branches: list[str] = []
        schedule = None
    else:
        w = t.table("when")
        on = w.str_list("on", list(DEFAULT_TRIGGERS))
        changed = _globs(w, "changed")
        branches = w.str_list("branches")
        schedule = w.str("schedule")
        w.done()
    for trig in on:
        if trig not in TRIGGERS:
            raise t.error(
                "when" if isinstance(raw, str | list) else "when.on",
                f"unknown trigger {trig!r}: expected one of {', '.join(TRIGGERS)}",
            )
    if schedule and "schedule" not in on:
        on = [*on, "schedule"]
    return When(tuple(on), tuple(changed), tuple(branches), schedule)


def _matrix(t: Table) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for axis in list(t.data):
        values = t.raw(axis, exact=True)
        if not _NAME.match(axis) or len(axis) > MAX_NAME_LENGTH:
            raise t.error(axis, "matrix axis names use letters, digits, '_', '-' and '.'")
        if isinstance(values, list) and values and all(_version_value(v) for v in values):
            out[axis] = tuple(str(v) for v in values)
            _no_nul(t, axis, out[axis])
        else:
            raise t.error(axis, 'expected a non-empty list of versions, such as ["3.11", "3.12"]')
    return out


def _version_value(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int) and not isinstance(value, bool)


def _no_nul(t: Table, name: str, values: Iterable[str]) -> None:
    """NUL cannot reach a command line, an environment, a path or a YAML file: every string
    the definition gives is checked here, so no reader meets one later."""
    if any("\0" in v for v in values):
        raise t.error(name, "contains a NUL character (\\u0000): remove it")


def _env(t: Table) -> dict[str, str]:
    env = t.str_map("env")
    for key, value in env.items():
        if not _ENV_NAME.match(key):
            raise ConfigError(
                t.file,
                f"{t.key('env')}.{key[:80]!r}",
                "environment variable names use letters, digits and '_' "
                "and do not start with a digit",
            )
        if "\0" in value:
            raise ConfigError(t.file, f"{t.key('env')}.{key}", "contains a NUL character")
    return env


def _cwd(t: Table) -> str:
    cwd = t.str("cwd")
    if cwd is None:
        return "."
    _no_nul(t, "cwd", [cwd])
    if not cwd.strip():
        raise t.error("cwd", 'expected a folder of the project, such as "." or "frontend"')
    return cwd


def _check_cwds(definition: Definition, t: Table) -> None:
    """A stage's cwd must be a folder: a missing one is a typo, never a reason to skip."""
    for stage in definition.stages.values():
        folder = definition.root / stage.cwd
        try:
            ok = folder.is_dir()
        except OSError:
            ok = False
        if not ok:
            raise ConfigError(
                t.file,
                f"{t.key(stage.name)}.cwd",
                f"no such folder: {stage.cwd!r} (relative to {definition.root})",
                hint="create the folder, or fix the path",
            )


def _globs(t: Table, name: str) -> list[str]:
    """Path globs, each checked: a malformed one would match nothing and cache forever."""
    from shipyard.pipeline.globs import problem

    patterns = t.str_list(name)
    for pattern in patterns:
        wrong = problem(pattern)
        if wrong:
            raise t.error(name, f"bad glob {pattern[:200]!r}: {wrong}")
    return patterns


def _reports(t: Table) -> dict[str, str]:
    reports = t.str_map("reports")
    for kind in reports:
        if kind not in REPORT_KINDS:
            raise ConfigError(
                t.file,
                f"{t.key('reports')}.{kind}",
                f"unknown report kind: expected one of {', '.join(sorted(REPORT_KINDS))}",
            )
    return reports


def _check_needs(stages: Mapping[str, Stage], t: Table) -> None:
    from shipyard.pipeline.graph import CycleError, topo_order

    for stage in stages.values():
        for need in (*stage.needs, *stage.needs_upstream):
            if need not in stages:
                raise ConfigError(
                    t.file,
                    f"{t.key(stage.name)}.needs",
                    f"names no stage: {need!r} (stages: {', '.join(sorted(stages))})",
                )
            if need in stage.needs_upstream and not stages[need].per_package:
                raise ConfigError(
                    t.file,
                    f"{t.key(stage.name)}.needs",
                    f"'^{need}': {need!r} is not a per-package stage (it has no instances "
                    "in the dependencies)",
                    hint=f"write {need!r} without the '^', or make {need!r} per-package",
                )
    try:
        topo_order({s.name: s.needs for s in stages.values()})
    except CycleError as exc:
        raise ConfigError(
            t.file,
            t.path,
            f"the needs form a cycle: {_shown_cycle(exc.cycle)}",
            hint="remove one of these `needs` entries",
        ) from None


def _shown_cycle(cycle: list[str]) -> str:
    """The cycle as `a -> b -> a`, shortened in the middle when it is long."""
    if len(cycle) <= 12:
        return " -> ".join(cycle)
    hidden = len(cycle) - 10
    return " -> ".join([*cycle[:5], f"… ({hidden} more)", *cycle[-5:]])
