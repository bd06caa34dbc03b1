"""The reader that owns each section, by name: what validates a definition fully.

`shipyard` validates a section when a command needs it; tests and fuzzers call `read(definition,
name)` to run the owner's reader, so a sample is judged exactly as a command would judge it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from shipyard.config import Definition


def _hooks(definition: Definition) -> object:
    from shipyard import hooks

    return hooks.stages_for(definition, "pre-commit"), hooks.staged_commands(definition)


def _release(definition: Definition) -> object:
    from shipyard.release import settings

    return settings.read(definition.section("release"))


def _scan(definition: Definition) -> object:
    from shipyard.security import settings

    return settings.read(definition.section("scan"), definition.root)


def _stages(definition: Definition) -> object:
    return definition.stages, definition.mask  # config.load read them


READERS: dict[str, str | Callable[[Definition], Any]] = {
    "stages": _stages,
    "mask": _stages,
    "gates": "shipyard.gates.settings:load",
    "scan": _scan,
    "bench": "shipyard.bench.settings:load",
    "release": _release,
    "ci": "shipyard.ci.settings:load",
    "monitor": "shipyard.monitor.sources:read",
    "notify": "shipyard.notify.registry:channels",
    "metrics": "shipyard.metrics.targets:load",
    "hooks": _hooks,
    "store": "shipyard.pipeline.session:log_cap",
    "workspace": "shipyard.workspace:from_definition",
}


def read(definition: Definition, name: str) -> object:
    """Validate section `name` of `definition` with its owner's reader (ConfigError if bad)."""
    reader = READERS[name]
    if isinstance(reader, str):
        module, function = reader.split(":")
        reader = getattr(importlib.import_module(module), function)
    return reader(definition)
