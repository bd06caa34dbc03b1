"""Source `registry`: what the package registry publishes.

npm registries are read through their JSON API: `latest` must be the newest stable version
(not a pre-release, not an older release: high), and should be the project's version (medium).
PyPI-style indexes are read through the simple API (PEP 503), which has no dist-tags: the
newest final file must be the project's version (medium). An unreadable registry, or one that
does not know the package, is high.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shipyard.config import Table
from shipyard.monitor.fetch import get_json, join, origin
from shipyard.monitor.interface import CheckResult, Context, SourceError
from shipyard.monitor.project import Project, identify
from shipyard.notify.interface import Alert, Severity


@dataclass(frozen=True)
class Registry:
    url: str | None

    def run(self, ctx: Context) -> CheckResult:
        project = identify(ctx.root)
        if project is None or not self.url:
            return CheckResult("registry", True, "no package or no registry url configured")
        try:
            found = (
                _npm(self.url, project) if project.ecosystem == "npm" else _pypi(self.url, project)
            )
        except SourceError as exc:
            alert = Alert(
                Severity.HIGH, "registry", f"registry {origin(self.url)} unreadable", exc.message
            )
            return CheckResult("registry", False, f"data missing: {exc.message}", (alert,))
        return _judge(project, *found)


def _npm(url: str, project: Project) -> tuple[str | None, str | None, dict[str, str]]:
    """(latest tag, newest stable, all dist-tags) from the registry's package document."""
    try:
        doc = get_json(join(url, project.name)).data
    except SourceError as exc:
        if exc.message.startswith("HTTP 404"):
            return None, None, {}
        raise
    tags = doc.get("dist-tags", {}) if isinstance(doc, dict) else None
    versions = (doc.get("versions") or {}) if isinstance(doc, dict) else None
    if not isinstance(tags, dict) or not isinstance(versions, dict):
        raise SourceError(
            f"the answer for {project.name} is not a package document "
            '(an object with "dist-tags" and "versions" objects)'
        )
    latest = tags.get("latest")
    return (
        latest if isinstance(latest, str) else None,
        newest_stable([str(v) for v in versions]),
        {str(k): str(v) for k, v in tags.items()},
    )


def newest_stable(versions: list[str]) -> str | None:
    """The highest SemVer release (no pre-release part) among `versions`."""
    from shipyard.versions import BadVersion, semver_key

    stable: list[tuple[Any, str]] = []
    for v in versions:
        try:
            if "-" not in v:
                stable.append((semver_key(v), v))
        except BadVersion:
            continue
    return max(stable)[1] if stable else None


def _pypi(url: str, project: Project) -> tuple[str | None, str | None, dict[str, str]]:
    from shipyard import http

    try:
        resp = http.request("GET", join(url, "simple", project.name) + "/", label=origin(url))
    except http.OtherOrigin:
        return None, None, {}  # pypiserver's fallback to another index: not on this one
    except http.HttpError as exc:
        raise SourceError(exc.message) from None
    if resp.status == 404:
        return None, None, {}
    if resp.status != 200:
        raise SourceError(f"HTTP {resp.status} from {origin(url)}")
    html = resp.text()
    latest = latest_on_index(html)
    return latest, latest, {}


def latest_on_index(html: str) -> str | None:
    """The highest final version among a PEP 503 simple page's file names."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    versions = []
    for filename in re.findall(r">([^<>]+?\.(?:whl|tar\.gz|zip))</a>", html):
        try:
            if filename.endswith(".whl"):
                versions.append(parse_wheel_filename(filename)[1])
            else:
                versions.append(parse_sdist_filename(filename)[1])
        except (InvalidSdistFilename, InvalidWheelFilename):
            continue
    finals = [v for v in versions if not v.is_prerelease]
    return str(max(finals)) if finals else None


def _judge(
    project: Project, latest: str | None, stable: str | None, tags: dict[str, str]
) -> CheckResult:
    name = project.name
    if latest is None:
        alert = Alert(Severity.HIGH, "registry", f"{name} not found on the registry", "no `latest`")
        return CheckResult(
            "registry", False, "data missing: the registry does not know the package", (alert,)
        )
    alerts = []
    if stable is not None and latest != stable:
        body = f"dist-tag latest points at {latest}; the newest stable release is {stable}"
        alerts.append(
            Alert(Severity.HIGH, "registry", f"{name}: latest is not the newest stable", body)
        )
    if project.version and latest != project.version:
        body = f"the project is at {project.version}; the registry's latest is {latest}"
        alerts.append(
            Alert(
                Severity.MEDIUM,
                "registry",
                f"{name}: latest is {latest}, not {project.version}",
                body,
            )
        )
    shown = ", ".join(f"{k}={v}" for k, v in sorted(tags.items())) or f"latest={latest}"
    detail = "; ".join([a.body for a in alerts] or [f"{name} {shown}"])
    return CheckResult("registry", not alerts, detail, tuple(alerts))


def source(t: Table) -> Registry:
    return Registry(t.str("url"))
