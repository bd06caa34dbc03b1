"""The `[release]` section of the definition, read once into typed settings.

Every key is documented in docs/release.md; unknown keys are errors naming the key path. A
project without a definition file gets the defaults, so `shipyard version` works anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shipyard.config import Table
from shipyard.release.commits import BUMPS, Policy

SECTIONS = {
    "feat": "Features",
    "fix": "Bug Fixes",
    "perf": "Performance Improvements",
    "revert": "Reverts",
}
DEFAULT_BRANCHES = ["main", "master", "[0-9]*.x", "[0-9]*.[0-9]*.x"]


@dataclass(frozen=True)
class Npm:
    registry: str | None = None  # None: npm's own configuration decides
    access: str | None = None
    token_env: str = "NPM_TOKEN"


@dataclass(frozen=True)
class Pypi:
    repository_url: str = "https://upload.pypi.org/legacy/"
    index_url: str = "https://pypi.org/simple/"
    username: str = "__token__"
    token_env: str = "PYPI_TOKEN"
    isolation: bool = True  # python -m build in an isolated environment


@dataclass(frozen=True)
class Github:
    api_url: str = "https://api.github.com"
    release: bool = True
    token_env: str = "GITHUB_TOKEN"


@dataclass(frozen=True)
class Settings:
    tag_format: str | None = None  # None: the format the existing tags use (release/tags.py)
    scheme: str = "auto"
    branches: tuple[str, ...] = tuple(DEFAULT_BRANCHES)
    policy: Policy = field(default_factory=Policy)
    major_version_zero: bool = False
    first_prerelease: int = 1
    changelog: str = "CHANGELOG.md"
    changelog_template: str | None = None
    sections: dict[str, str] = field(default_factory=lambda: dict(SECTIONS))
    version_files: tuple[str, ...] = ()
    sign_tags: bool = False
    commit_message: str = "chore(release): {version}"
    remote: str = "origin"
    push: bool = True
    repository: str | None = None  # owner/name on GitHub; else read from the remote's URL
    publish: tuple[str, ...] | None = None  # None: every publisher the project fits
    npm: Npm = Npm()
    pypi: Pypi = Pypi()
    github: Github = Github()


def read(t: Table) -> Settings:
    """Validate the `[release]` table into `Settings`; errors name the key path."""
    tag_format = t.str("tag-format")
    if tag_format is not None and tag_format.count("{version}") != 1:
        raise t.error("tag-format", f"expected exactly one {{version}}, got {tag_format!r}")
    scheme = t.str("scheme", "auto")
    if scheme not in ("auto", "semver", "pep440"):
        raise t.error("scheme", f'expected "auto", "semver" or "pep440", got {scheme!r}')
    policy = Policy(
        bumps=_bumps(t),
        allow_missing_space=t.bool("allow-missing-space", False),
        merges=t.bool("merge-commits", False),
        squash_bullets=t.bool("squash-bullets", True),
    )
    s = Settings(
        tag_format=tag_format,
        scheme=scheme,
        branches=tuple(t.str_list("branches", DEFAULT_BRANCHES)),
        policy=policy,
        major_version_zero=t.bool("major-version-zero", False),
        first_prerelease=t.int("first-prerelease", 1, minimum=0) or 0,
        changelog=t.str("changelog", "CHANGELOG.md") or "CHANGELOG.md",
        changelog_template=t.str("changelog-template"),
        sections={**SECTIONS, **t.str_map("sections")},
        version_files=tuple(t.str_list("version-files")),
        sign_tags=t.bool("sign-tags", False),
        commit_message=t.str("commit-message", "chore(release): {version}") or "",
        remote=t.str("remote", "origin") or "origin",
        push=t.bool("push", True),
        repository=t.str("repository"),
        publish=tuple(t.str_list("publish")) if t.has("publish") else None,
        npm=_npm(t.table("npm")),
        pypi=_pypi(t.table("pypi")),
        github=_github(t.table("github")),
    )
    for name in s.publish or ():
        if name not in ("npm", "pypi"):
            raise t.error("publish", f'expected "npm" and/or "pypi", got {name!r}')
    t.done()
    return s


def _bumps(t: Table) -> dict[str, str]:
    types = t.str_map("types")
    for name, level in types.items():
        if level not in BUMPS:
            raise t.error(f"types.{name}", f"expected one of {', '.join(BUMPS)}, got {level!r}")
    return {**Policy().bumps, **{k.lower(): v for k, v in types.items()}}


def _npm(t: Table) -> Npm:
    n = Npm(t.str("registry"), t.str("access"), t.str("token-env", "NPM_TOKEN") or "")
    t.done()
    return n


def _pypi(t: Table) -> Pypi:
    upload = t.str("repository-url")
    index = t.str("index-url")
    if upload and not index:
        index = upload.rstrip("/") + "/simple/"  # pypiserver and devpi serve both at one root
    p = Pypi(
        upload or Pypi.repository_url,
        index or Pypi.index_url,
        t.str("username", "__token__") or "",
        t.str("token-env", "PYPI_TOKEN") or "",
        t.bool("build-isolation", True),
    )
    t.done()
    return p


def _github(t: Table) -> Github:
    g = Github(
        (t.str("api-url", Github.api_url) or "").rstrip("/"),
        t.bool("release", True),
        t.str("token-env", "GITHUB_TOKEN") or "",
    )
    t.done()
    return g


def load(root: Path) -> tuple[Settings, Path]:
    """Settings of the project at `root` and the folder holding its definition."""
    from shipyard import config

    if config.find_definition(root) is None:
        return Settings(), root
    definition = config.load(root)
    return read(definition.section("release")), definition.root
