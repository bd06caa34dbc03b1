"""Render the CI files of a sample project in-process, and read them back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from shipyard.ci import generate


def files(root: Path) -> dict[str, str]:
    return {f.path: f.text for f in generate.render_all(generate.load_project(root))}


def workflow(root: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load(files(root)[f".github/workflows/{name}.yml"])
    data["on"] = data.pop(True)  # YAML 1.1 readers take the key `on` for a boolean
    return dict(data)


def steps(root: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path, text in files(root).items():
        if path.startswith(".github/workflows/"):
            for job in yaml.safe_load(text)["jobs"].values():
                out += [(path, s) for s in job["steps"]]
    return out
