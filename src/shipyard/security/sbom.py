"""`shipyard scan sbom`: a CycloneDX 1.6 JSON SBOM of the Python and npm dependency sets, made
with cyclonedx-python-lib and validated against the CycloneDX schema before it is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output
from shipyard.errors import ToolError
from shipyard.security.packages import Package
from shipyard.store import write_atomic

if TYPE_CHECKING:
    from shipyard.security.registry import ScanRequest


def build(project: str, packages: list[Package]) -> str:
    """The SBOM as JSON text."""
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.license import LicenseExpression
    from cyclonedx.output.json import JsonV1Dot6
    from packageurl import PackageURL

    bom = Bom()
    root = Component(name=project, type=ComponentType.APPLICATION, bom_ref=f"project:{project}")
    bom.metadata.component = root
    components = []
    for p in packages:
        purl = PackageURL("pypi" if p.ecosystem == "PyPI" else "npm", *_npm_name(p), p.version)
        licenses = [LicenseExpression(p.license)] if p.license and _spdx(p.license) else []
        component = Component(
            name=p.name,
            version=p.version,
            type=ComponentType.LIBRARY,
            purl=purl,
            bom_ref=str(purl),
            licenses=licenses,
        )
        bom.components.add(component)
        components.append(component)
    bom.register_dependency(root, components)  # a complete graph: the project needs them all
    return str(JsonV1Dot6(bom).output_as_string(indent=2))


def validate(text: str) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        raise ToolError(f"the SBOM does not validate against CycloneDX 1.6: {error.data}")


def run(request: ScanRequest, dest: Path, quiet: bool = False) -> int:
    from shipyard.security.deps import collect

    deps = collect(request.root, request.dep_files, request.installed)
    text = build(request.root.name, deps.packages)
    validate(text)
    write_atomic(dest, text + "\n")
    if not quiet:
        output.out(f"wrote CycloneDX 1.6 SBOM with {len(deps.packages)} component(s) to {dest}")
    return 0


def _npm_name(p: Package) -> tuple[str | None, str]:
    if p.ecosystem == "npm" and p.name.startswith("@") and "/" in p.name:
        scope, name = p.name.split("/", 1)
        return scope, name
    return None, p.name


def _spdx(expression: str) -> bool:
    from license_expression import (
        ExpressionError,
        get_spdx_licensing,
    )

    try:
        return not get_spdx_licensing().validate(expression).errors
    except ExpressionError:
        return False
