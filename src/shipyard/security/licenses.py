"""`shipyard scan licenses`: every dependency's licence, parsed as an SPDX expression and
checked against the allow / deny policy of `[scan.licenses]`.

An expression passes when some choice it offers (an OR) avoids every denied licence and, when
an allow list is set, uses allowed licences only. Python licences come from installed metadata
(lockfiles carry none), npm ones from package-lock.json or node_modules/*/package.json.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard.security.interface import Finding, ScanResult, Severity, fingerprint
from shipyard.security.packages import Package

# Trove classifiers and common free-text names that map to one SPDX id
ALIASES = {
    "MIT License": "MIT",
    "Apache Software License": "Apache-2.0",
    "Apache 2.0": "Apache-2.0",
    "Apache License 2.0": "Apache-2.0",
    "ISC License (ISCL)": "ISC",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "The Unlicense (Unlicense)": "Unlicense",
    "BSD 3-Clause": "BSD-3-Clause",
}


@dataclass
class LicenseScanner:
    allow: Sequence[str] = ()
    deny: Sequence[str] = ()
    files: tuple[Path, ...] = ()
    installed: tuple[Path, ...] = ()
    name: str = "licenses"

    def scan(self, root: Path) -> ScanResult:
        from shipyard.security.deps import collect

        result = ScanResult("licenses")
        installed = self.installed or _venv(root)
        packages = collect(root, self.files, installed).packages
        for package in packages:
            expression = package.license or _node_license(root, package)
            finding = check(package, expression, self.allow, self.deny)
            if finding is not None:
                result.findings.append(finding)
        result.stats["packages"] = len(packages)
        return result


@functools.cache
def spdx() -> Any:
    """The SPDX licence table, built once per process (building it costs ~0.1 s; it used to be
    rebuilt for every package, which made a 634-package lockfile take minutes)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    """A parsed licence expression; most packages of a tree share a handful of them."""
    return spdx().parse(text, validate=False)


def check(
    package: Package, expression: str | None, allow: Sequence[str], deny: Sequence[str]
) -> Finding | None:
    """A finding when the licence is denied, not allowed or unknown; None when it passes."""
    from license_expression import ExpressionError

    text = ALIASES.get((expression or "").strip(), (expression or "").strip())
    where = f"{package.name} {package.version}"
    if not text:
        return _finding(package, "license-unknown", f"{where}: no licence declared")
    try:
        parsed = parse(text)
    except ExpressionError as exc:
        return _finding(package, "license-unknown", f"{where}: licence {text!r} is not SPDX: {exc}")
    allowed = {a.lower() for a in allow}
    denied = {d.lower() for d in deny}
    if not _ok(parsed, allowed, denied):
        why = "denied" if not _ok(parsed, set(), denied) else "not in the allow list"
        return _finding(package, "license-denied", f"{where}: {text} is {why}")
    return None


def _ok(node: Any, allowed: set[str], denied: set[str]) -> bool:
    from license_expression import AND, OR

    if isinstance(node, OR):
        return any(_ok(arg, allowed, denied) for arg in node.args)
    if isinstance(node, AND):
        return all(_ok(arg, allowed, denied) for arg in node.args)
    key = str(getattr(getattr(node, "license_symbol", node), "key", node)).lower()
    return key not in denied and (not allowed or key in allowed)


def _finding(package: Package, rule: str, message: str) -> Finding:
    severity = Severity.HIGH if rule == "license-denied" else Severity.MODERATE
    return Finding(
        "licenses",
        rule,
        severity,
        message,
        package.source,
        fingerprint=fingerprint("license", rule, package.ecosystem, package.name, package.version),
        detail={"package": package.name, "version": package.version},
    )


def _node_license(root: Path, package: Package) -> str | None:
    if package.ecosystem != "npm":
        return None
    try:
        data = json.loads((root / "node_modules" / package.name / "package.json").read_text())
    except (OSError, ValueError):
        return None
    value = data.get("license")
    return value if isinstance(value, str) else None


def _venv(root: Path) -> tuple[Path, ...]:
    for venv in (root / ".venv", root / "venv"):
        found = sorted(venv.glob("lib/python*/site-packages"))
        if found:
            return (found[-1],)
    return ()
