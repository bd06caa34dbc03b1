"""Write the proposed definition into a project: a new `shipyard.toml`, a new
`[tool.shipyard]` appended to pyproject.toml (the rest kept byte for byte), the parts an
existing definition lacks (`--update`), or a replacement (`--force`). The result is parsed and
validated before anything is written."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard import config
from shipyard.errors import EXIT_INTERNAL, ShipyardError
from shipyard.store import write_atomic
from shipyard.toolchains import render
from shipyard.toolchains.compose import Plan

HEADER = (
    "# shipyard pipeline definition, written by `shipyard init` (keys: docs/configuration.md).\n"
    "# Stages run in dependency order with `shipyard run`; `shipyard init --explain` says why\n"
    "# each was chosen.\n"
)


class ProposalError(ShipyardError):
    """init proposed a definition that does not validate: a bug in init (exit 3)."""

    exit_code = EXIT_INTERNAL


@dataclass(frozen=True)
class Target:
    path: Path
    prefix: str  # "tool.shipyard." in pyproject.toml

    @property
    def label(self) -> str:
        return "[tool.shipyard] in pyproject.toml" if self.prefix else self.path.name


def target(root: Path, plan: Plan) -> Target:
    existing = config.find_definition(root)
    if existing is not None:
        return Target(existing, "tool.shipyard." if existing.name == config.PYPROJECT else "")
    if "python" in plan.languages and (root / config.PYPROJECT).is_file():
        return Target(root / config.PYPROJECT, "tool.shipyard.")
    return Target(root / config.DEFINITION_FILE, "")


def defined(t: Target) -> bool:
    """Whether the target file already holds a definition."""
    return config.find_definition(t.path.parent) == t.path


def _present(path: Path, prefix: str) -> tuple[set[str], set[str]]:
    """The stage names and sections an existing definition has."""
    data: Any = tomllib.loads(path.read_text()) if path.is_file() else {}
    if prefix:
        data = data.get("tool", {}).get("shipyard", {})
    stages = data.get("stages", {}) if isinstance(data, dict) else {}
    return set(stages), set(data) - {"stages"} if isinstance(data, dict) else set()


def missing(t: Target, plan: Plan) -> list[render.Part]:
    """The parts of the proposal the definition at `t` lacks."""
    stages, sections = _present(t.path, t.prefix)
    text = t.path.read_text() if t.path.is_file() else ""
    out = []
    for part in render.parts(plan, t.prefix):
        if part.key.startswith("stages."):
            if part.key.removeprefix("stages.") not in stages:
                out.append(part)
        elif part.key not in sections and not (part.example and part.text in text):
            out.append(part)
    return out


def new_text(t: Target, plan: Plan, force: bool) -> str:
    """The file's text with the whole proposal (replacing an old definition with `force`)."""
    body = render.text(render.parts(plan, t.prefix))
    if not t.prefix:
        return HEADER + "\n" + body
    before = t.path.read_text()
    if force and defined(t):
        import tomlkit

        doc = tomlkit.parse(before)
        del doc["tool"]["shipyard"]
        before = tomlkit.dumps(doc)
    sep = "" if before.endswith("\n") else "\n"
    return before + sep + "\n" + HEADER + "\n" + body


def updated_text(t: Target, parts: list[render.Part]) -> str:
    before = t.path.read_text()
    sep = "" if before.endswith("\n") else "\n"
    note = "# added by `shipyard init --update`\n"
    return before + sep + "\n" + note + render.text(parts)


def check(t: Target, text: str) -> None:
    """Refuse to write a definition shipyard itself would reject."""
    from shipyard.gates import collect, settings

    try:
        data: Any = tomllib.loads(text)
        if t.prefix:
            data = data["tool"]["shipyard"]
        definition = config.parse(data, t.path, config.Table(data, t.path, t.prefix.rstrip(".")))
        cfg = settings.load(definition)
        collect.check_explicit(definition, cfg, collect.sources(definition))
    except (tomllib.TOMLDecodeError, ShipyardError) as exc:
        detail = exc.render() if isinstance(exc, ShipyardError) else str(exc)
        raise ProposalError(
            f"the definition init proposes for {t.path.name} does not validate: {detail}",
            hint="this is a bug in shipyard init; please report it with the project's layout",
        ) from None


def write(t: Target, text: str) -> None:
    check(t, text)
    write_atomic(t.path, text)
