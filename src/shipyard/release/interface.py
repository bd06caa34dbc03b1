"""The publisher family: what npm and PyPI have in common for a release, and its error.

A `Publisher` builds and verifies a package locally, tells whether a version is already on
its registry (so a re-run resumes instead of publishing twice), publishes it, and moves a
channel back for a rollback. Transport and tool errors become `PublishError`, with every
secret removed from the message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from shipyard import proc
from shipyard.errors import ToolError


class PublishError(ToolError):
    """A build, verification, registry or API step failed."""


@dataclass(frozen=True)
class Target:
    """Where and as what one release goes."""

    root: Path
    version: str  # in the publisher's own notation
    dist_tag: str  # npm dist-tag; for PyPI only informative
    work: Path  # a private folder for build output
    # a monorepo package: every workspace package's version (name -> version), which npm
    # writes over `workspace:` ranges in the published package.json, as `pnpm publish` does
    workspace: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Built:
    """What a local build produced: files to upload and lines that describe them."""

    package: str
    files: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


class Publisher(Protocol):
    name: str

    def applies(self, root: Path) -> bool: ...

    def package(self, root: Path) -> str:
        """The package's name on its registry."""
        ...

    def build(self, target: Target) -> Built: ...

    def published(self, target: Target, built: Built) -> bool: ...

    def publish(self, target: Target, built: Built) -> None: ...

    def rollback(self, root: Path, bad: str, good: str, dist_tag: str, dry_run: bool) -> list[str]:
        """Undo a bad release; returns the lines saying what was (or would be) done."""
        ...


def redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def run(
    args: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    secrets: Sequence[str] = (),
    check: bool = True,
) -> proc.Completed:
    """`proc.run` whose output and errors never carry a secret (tokens go in `env`)."""
    r = proc.run(args, cwd=cwd, env=env, check=False)
    clean = proc.Completed(
        r.args, r.returncode, redact(r.stdout, secrets), redact(r.stderr, secrets)
    )
    if check and r.returncode != 0:
        detail = (clean.stderr or clean.stdout).strip().splitlines()[-3:]
        raise PublishError(
            redact(f"`{' '.join(r.args)}` exited with {r.returncode}", secrets)
            + (": " + " / ".join(detail) if detail else "")
        )
    return clean
