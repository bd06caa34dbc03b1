"""Dependents' ranges after a release (release/ranges.py): plain ranges move with their
operator kept; protocol, union, tag and peer ranges stay."""

from __future__ import annotations

import json

import pytest

from shipyard.release import ranges


@pytest.mark.parametrize(
    ("spec", "new"),
    [
        ("^1.0.0", "^2.0.0"),
        ("~1.0.0", "~2.0.0"),
        ("1.0.0", "2.0.0"),
        (">=1.0.0", ">=2.0.0"),
        ("workspace:^1.0.0", "workspace:^2.0.0"),
        ("workspace:*", "workspace:*"),
        ("workspace:^", "workspace:^"),
        ("*", "*"),
        ("^1.0.0 || ^2.0.0-beta.1", "^1.0.0 || ^2.0.0-beta.1"),
        ("latest", "latest"),
        ("file:../core", "file:../core"),
    ],
)
def test_npm_specs(spec: str, new: str) -> None:
    assert ranges.npm_spec(spec, "2.0.0") == new


def test_package_json_keeps_indent_and_peers() -> None:
    text = json.dumps(
        {
            "name": "@acme/cli",
            "dependencies": {"@acme/core": "^1.0.0", "chalk": "^5.0.0"},
            "peerDependencies": {"@acme/core": "^1.0.0"},
        },
        indent=4,
    )
    out = json.loads(ranges.package_json(text, {"@acme/core": "1.1.0"}))
    assert out["dependencies"] == {"@acme/core": "^1.1.0", "chalk": "^5.0.0"}
    assert out["peerDependencies"] == {"@acme/core": "^1.0.0"}
    assert ranges.package_json(text, {"@acme/core": "1.1.0"}).startswith('{\n    "name"')
    assert ranges.package_json(text, {"other": "1.0.0"}) == text  # untouched byte for byte
    with_bom = ranges.package_json("\ufeff" + text, {"@acme/core": "1.1.0"})  # as in vite
    assert with_bom.startswith('\ufeff{\n    "name"') and '"^1.1.0"' in with_bom


def test_python_requirements() -> None:
    versions = {"acme-core": "1.1.0"}
    assert ranges.requirement("acme-core>=1.0.0", versions) == "acme-core>=1.1.0"
    assert (
        ranges.requirement("Acme_Core[fast] >= 1.0, <2", versions) == "Acme_Core[fast] >= 1.1.0, <2"
    )
    assert ranges.requirement("acme-core~=1.0", versions) == "acme-core~=1.1.0"
    assert ranges.requirement("acme-core", versions) == "acme-core"
    assert ranges.requirement("acme-extra>=1.0", versions) == "acme-extra>=1.0"
    text = '[project]\nname = "x"\n# kept\ndependencies = ["acme-core>=1.0.0", "rich"]\n'
    out = ranges.pyproject(text, versions)
    assert out == '[project]\nname = "x"\n# kept\ndependencies = ["acme-core>=1.1.0", "rich"]\n'


def test_dependency_groups_and_poetry_tables() -> None:
    versions = {"acme-core": "1.1.0"}
    text = (
        '[dependency-groups]\ndev = ["acme-core>=1.0.0", {include-group = "lint"}]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\nAcme_Core = "~1.0.0"\n\n'
        '[tool.poetry.group.test.dependencies]\nacme-core = {version = "^1.0.0", extras = ["x"]}\n'
        'acme-extra = {path = "../extra"}\n'
    )
    out = ranges.pyproject(text, versions)
    assert 'dev = ["acme-core>=1.1.0", {include-group = "lint"}]' in out
    assert 'Acme_Core = "~1.1.0"' in out and 'python = "^3.10"' in out
    assert 'acme-core = {version = "^1.1.0", extras = ["x"]}' in out
    assert 'acme-extra = {path = "../extra"}' in out
    assert ranges.pyproject(text, {"acme-extra": "2.0.0"}) == text


def test_workspace_ranges_resolved_for_publishing() -> None:
    versions = {"@acme/core": "1.5.0", "@acme/utils": "2.0.1"}
    text = json.dumps(
        {
            "name": "@acme/cli",
            "dependencies": {
                "@acme/core": "workspace:*",
                "@acme/utils": "workspace:^",
                "left-pad": "^1.3.0",
                "utils-alias": "workspace:@acme/utils@~",
            },
            "devDependencies": {"@acme/utils": "workspace:~"},
            "peerDependencies": {"@acme/core": "workspace:^1.2.0"},
        },
        indent=2,
    )
    out = json.loads(ranges.published(text, versions))
    assert out["dependencies"] == {
        "@acme/core": "1.5.0",
        "@acme/utils": "^2.0.1",
        "left-pad": "^1.3.0",
        "utils-alias": "npm:@acme/utils@~2.0.1",
    }
    assert out["devDependencies"] == {"@acme/utils": "~2.0.1"}
    assert out["peerDependencies"] == {"@acme/core": "^1.2.0"}  # explicit: as written
    plain = json.dumps({"name": "x", "dependencies": {"@acme/core": "^1.0.0"}})
    assert ranges.published(plain, versions) == plain
    for bad in ("workspace:*", "workspace:../core"):
        with pytest.raises(ValueError, match="workspace:"):
            ranges.published(json.dumps({"dependencies": {"@acme/nope": bad}}), versions)
