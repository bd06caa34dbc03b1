"""`shipyard scan sbom`: a CycloneDX 1.6 JSON SBOM of the Python and npm dependency sets, made
with cyclonedx-python-lib and validated against the CycloneDX schema before it is written.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    from cyclonedx.model.dependency import Dependency
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
    # a complete graph: the project needs them all. Built directly: register_dependency()
    # searches the graph for every component (quadratic: 0.7 s for 600 packages).
    bom.dependencies.add(Dependency(root.bom_ref, [Dependency(c.bom_ref) for c in components]))
    bom.dependencies.update(Dependency(c.bom_ref) for c in components)
    return str(JsonV1Dot6(bom).output_as_string(indent=2))


def validate(text: str) -> None:
    """Check the SBOM against the CycloneDX 1.6 JSON schema (strict), as shipped by
    cyclonedx-python-lib."""
    error = next(_validator().iter_errors(json.loads(text)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ToolError(
            f"the SBOM does not validate against CycloneDX 1.6 at {where}: {error.message}"
        )


@functools.cache
def _validator() -> Any:
    """Draft 7 over the library's own schema files, with one change: `uniqueItems` compares
    canonical JSON text in a set. jsonschema's generic check compares every pair of objects,
    which took over a second for 600 components; the verdict is the same."""
    from importlib.resources import files

    from jsonschema import Draft7Validator, ValidationError, validators
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    res = files("cyclonedx.schema") / "_res"

    def load(name: str) -> Any:
        return json.loads((res / name).read_text(encoding="utf-8"))

    def unique_items(validator: Any, unique: bool, instance: Any, schema: Any) -> Any:
        if unique and validator.is_type(instance, "array"):
            seen = {json.dumps(item, sort_keys=True) for item in instance}
            if len(seen) != len(instance):
                yield ValidationError(f"{len(instance) - len(seen)} repeated element(s)")

    prefix = "http://cyclonedx.org/schema/"
    registry = Registry().with_resources(
        (prefix + name, DRAFT7.create_resource(load(name)))
        for name in (
            "spdx.SNAPSHOT.schema.json",
            "cryptography-defs.SNAPSHOT.schema.json",
            "jsf-0.82.SNAPSHOT.schema.json",
        )
    )
    cls = validators.extend(Draft7Validator, {"uniqueItems": unique_items})
    schema = load("bom-1.6.SNAPSHOT.schema.json")  # the library's strict 1.6 schema too
    # no format checker: importing jsonschema's (with rfc3987-syntax present) compiles 38
    # grammars, seconds of start-up, to check URI formats in values shipyard itself wrote
    return cls(schema, registry=registry)


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


@functools.lru_cache(maxsize=4096)
def _spdx(expression: str) -> bool:
    from license_expression import ExpressionError

    from shipyard.security.licenses import spdx

    try:
        return not spdx().validate(expression).errors
    except ExpressionError:
        return False
