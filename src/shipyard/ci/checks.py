"""What the definition may put into a workflow: values that GitHub, a runner and the shell
will read as the user meant them.

A value copied into a `run:` script must not hold `${{`: GitHub would expand it before the
shell runs (template injection). Matrix values, branch and path filters become YAML strings
that GitHub and actionlint check: they are validated here, so a bad one is a configuration
error naming its key instead of a workflow that fails on GitHub. Windows runners are refused:
the stage runner starts commands with `/bin/sh` and stops them by process group (POSIX only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shipyard.config import Definition, Stage
from shipyard.errors import ConfigError

EXPRESSION = "${{"
AXES = ("python", "node", "os")
VERSION = re.compile(r"[0-9][0-9A-Za-z.*+-]*|lts/[*A-Za-z0-9-]+|latest|pypy[0-9.-]*|node")
LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# what actionlint accepts in `branches` / `paths` filters, without spaces at the ends
FILTER = re.compile(r"[^\s\x00-\x1f][^\x00-\x1f]*(?<=\S)|\S")
WINDOWS_HINT = (
    "stages run with /bin/sh and are stopped by process group, which Windows runners do not "
    "have: use linux or macos runners"
)


def plain(file: object, key: str, value: str) -> str:
    """A user value copied into a `run:` script: no expression GitHub would expand."""
    if EXPRESSION in value:
        raise ConfigError(
            file,
            key,
            f"contains `${{{{`, which GitHub would expand inside the script: {value!r}",
            hint="pass the value through an environment variable, or remove the expression",
        )
    if "\n" in value and key.endswith("shipyard"):
        raise ConfigError(file, key, "expected one line (a pip requirement)")
    return value


def stage_key(definition: Definition, stage: Stage, rest: str) -> str:
    prefix = "tool.shipyard." if definition.file.name == "pyproject.toml" else ""
    return f"{prefix}stages.{stage.name}.{rest}"


def check_stages(definition: Definition) -> None:
    for stage in definition.stages.values():
        for axis, values in stage.matrix.items():
            key = stage_key(definition, stage, f"matrix.{axis}")
            if axis not in AXES and not LABEL.fullmatch(axis):
                raise ConfigError(definition.file, key, "axis names use letters, digits, '-', '_'")
            for value in values:
                _matrix_value(definition, key, axis, value)
        for what, values in (("changed", stage.when.changed), ("branches", stage.when.branches)):
            _filters(definition.file, stage_key(definition, stage, f"when.{what}"), values)


def _matrix_value(definition: Definition, key: str, axis: str, value: str) -> None:
    if axis == "os":
        runner(definition.file, key, value)
        return
    pattern = VERSION if axis in ("python", "node") else LABEL
    if not pattern.fullmatch(value):
        example = '["3.11", "3.12"]' if axis == "python" else '["20", "22.x"]'
        raise ConfigError(
            definition.file, key, f"{value!r} is not a version (expected e.g. {example})"
        )


def runner(file: object, key: str, value: str) -> str:
    """A runner label (or a matrix `os` value): no Windows, no expression, no spaces."""
    if value.lower().startswith(("windows", "win")):
        raise ConfigError(file, key, f"{value!r}: Windows runners are not supported", WINDOWS_HINT)
    if not LABEL.fullmatch(value):
        raise ConfigError(
            file, key, f"{value!r} is not a runner label (expected e.g. linux, macos, ubuntu-24.04)"
        )
    return value


def _filters(file: object, key: str, values: Iterable[str]) -> None:
    for value in values:
        if EXPRESSION in value or not FILTER.fullmatch(value):
            raise ConfigError(
                file,
                key,
                f"{value!r} is not a branch or path pattern (no spaces at the ends, no control "
                "characters, no `${{`)",
            )
