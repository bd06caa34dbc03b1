"""The plan's health checks, each returning the alerts it raises (an empty list = healthy).

pipeline: the latest run on the base branch failed (critical: "build failures").
registry: the package's `latest` is not the version in the project (medium), or the registry
  cannot be read (high). npm registries are read through their JSON API, PyPI-style indexes
  through the simple API.
health: a URL does not answer 200 with a JSON `status` of "ok" (critical).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shipyard.config import Definition, Table
from shipyard.notify.interface import Alert, Severity
from shipyard.store import Store


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    alerts: tuple[Alert, ...] = ()


def pipeline(definition: Definition, t: Table, store: Store) -> CheckResult:
    branch = t.str("branch", "main") or "main"
    row = store.db.execute(
        "SELECT id, result, commit_sha FROM runs WHERE branch = ? AND result != 'running' "
        "ORDER BY id DESC LIMIT 1",
        (branch,),
    ).fetchone()
    if row is None:
        return CheckResult("pipeline", True, f"no run recorded on {branch}")
    if row["result"] == "passed":
        return CheckResult("pipeline", True, f"run {row['id']} on {branch} passed")
    failed = [
        r["name"]
        for r in store.db.execute(
            "SELECT name FROM stage_results WHERE run_id = ? AND status IN ('failed', 'timeout')",
            (row["id"],),
        )
    ]
    title = f"pipeline {row['result']} on {branch}"
    body = f"run {row['id']} at {(row['commit_sha'] or '')[:10]}: {', '.join(failed) or '-'}"
    return CheckResult(
        "pipeline", False, body, (Alert(Severity.CRITICAL, "pipeline", title, body),)
    )


def _get(url: str) -> tuple[int, bytes]:
    req = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "shipyard"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _project_version(root: Path) -> tuple[str, str, str] | None:
    """(ecosystem, name, version) of the project, from package.json or pyproject.toml."""
    pkg = root / "package.json"
    if pkg.is_file():
        data = json.loads(pkg.read_text())
        return "npm", data.get("name", ""), data.get("version", "")
    py = root / "pyproject.toml"
    if py.is_file():
        import tomllib

        project = tomllib.loads(py.read_text()).get("project", {})
        return "pypi", project.get("name", ""), str(project.get("version", ""))
    return None


def _latest_on_index(html: str) -> str | None:
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


def registry(definition: Definition, t: Table, store: Store) -> CheckResult:
    found = _project_version(definition.root)
    url = t.str("url")
    if found is None or not url:
        return CheckResult("registry", True, "no package or no registry url configured")
    eco, name, version = found
    try:
        if eco == "npm":
            status, body = _get(f"{url.rstrip('/')}/{name.replace('/', '%2F')}")
            latest = json.loads(body).get("dist-tags", {}).get("latest") if status == 200 else None
        else:
            status, body = _get(f"{url.rstrip('/')}/simple/{name}/")
            latest = _latest_on_index(body.decode(errors="replace")) if status == 200 else None
    except (OSError, ValueError) as exc:
        alert = Alert(Severity.HIGH, "registry", f"registry {url} unreadable", str(exc))
        return CheckResult("registry", False, str(exc), (alert,))
    if latest is None:
        alert = Alert(Severity.HIGH, "registry", f"{name} not found on {url}", f"HTTP {status}")
        return CheckResult("registry", False, f"HTTP {status}", (alert,))
    if latest != version:
        body_text = f"the project is at {version}; the registry's latest is {latest}"
        alert = Alert(
            Severity.MEDIUM, "registry", f"{name}: latest is {latest}, not {version}", body_text
        )
        return CheckResult("registry", False, body_text, (alert,))
    return CheckResult("registry", True, f"{name} {latest} is latest")


def health(definition: Definition, t: Table, store: Store) -> CheckResult:
    alerts = []
    details = []
    for url in t.str_list("urls"):
        try:
            status, body = _get(url)
            state = json.loads(body).get("status") if status == 200 else None
        except (OSError, ValueError) as exc:
            status, state = 0, f"unreachable ({exc})"
        if state != "ok":
            alerts.append(
                Alert(
                    Severity.CRITICAL,
                    "health",
                    f"{url} is unhealthy",
                    f"HTTP {status}, status {state!r}",
                )
            )
        details.append(f"{url}: {'ok' if state == 'ok' else 'DOWN'}")
    return CheckResult("health", not alerts, "; ".join(details) or "no url", tuple(alerts))


Check = Callable[[Definition, Table, Store], CheckResult]
CHECKS: dict[str, Check] = {"pipeline": pipeline, "registry": registry, "health": health}
