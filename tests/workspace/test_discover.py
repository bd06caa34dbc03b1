"""Workspace discovery on real-shaped monorepos (layouts of npm workspaces, pnpm, yarn classic
and uv workspaces), read from their manifests only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipyard import config, workspace
from shipyard.errors import UsageError


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _npm(
    root: Path, rel: str, name: str, deps: dict[str, str] | None = None, **extra: object
) -> None:
    body = {"name": name, "version": "1.0.0", "dependencies": deps or {}, **extra}
    _write(root, f"{rel}/package.json", json.dumps(body))


def test_npm_workspaces_with_three_packages_in_dependency_order(tmp_path: Path) -> None:
    _write(tmp_path, "package.json", json.dumps({"private": True, "workspaces": ["packages/*"]}))
    _npm(tmp_path, "packages/cli", "@acme/cli", {"@acme/core": "^1.0.0", "chalk": "^5"})
    _npm(tmp_path, "packages/core", "@acme/core", {"@acme/utils": "^1.0.0"})
    _npm(tmp_path, "packages/utils", "@acme/utils", {})
    _npm(tmp_path, "packages/utils/node_modules/x", "x", {})  # installed, not a member
    _npm(tmp_path, "packages/core/test/fixture", "fixture", {})  # below a member: not matched
    ws = workspace.discover(tmp_path)
    assert ws is not None and ws.kind == "npm"
    assert [(p.name, p.folder, p.registry) for p in ws.packages] == [
        ("@acme/utils", "packages/utils", "npm"),
        ("@acme/core", "packages/core", "npm"),
        ("@acme/cli", "packages/cli", "npm"),
    ]
    assert ws.get("@acme/cli").needs == ("@acme/core",)  # chalk is not a workspace package
    assert [p.name for p in ws.affected(["packages/utils/index.js"])] == [
        "@acme/utils",
        "@acme/core",
        "@acme/cli",
    ]
    assert [p.name for p in ws.affected(["packages/cli/bin.js", "README.md"])] == ["@acme/cli"]


def test_pnpm_workspace_yaml_with_exclusions(tmp_path: Path) -> None:
    _write(tmp_path, "package.json", json.dumps({"name": "root", "private": True}))
    _write(
        tmp_path,
        "pnpm-workspace.yaml",
        "packages:\n  - 'packages/*'\n  - 'playground/**'\n  - '!**/test/**'\n",
    )
    _npm(tmp_path, "packages/vite", "vite", {})
    _npm(tmp_path, "packages/create-vite", "create-vite", {}, private=False)
    _npm(tmp_path, "playground/alias", "@vitejs/test-alias", {"vite": "workspace:*"}, private=True)
    _npm(tmp_path, "playground/test/skip", "skipped", {})
    ws = workspace.discover(tmp_path)
    assert ws is not None and ws.kind == "pnpm"
    names = [p.name for p in ws.packages]
    assert set(names) == {"vite", "create-vite", "@vitejs/test-alias"}
    assert names.index("vite") < names.index("@vitejs/test-alias")
    assert ws.get("@vitejs/test-alias").private


def test_yarn_classic_workspaces_object_form(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "package.json",
        json.dumps({"private": True, "workspaces": {"packages": ["libs/*"], "nohoist": []}}),
    )
    _write(tmp_path, "yarn.lock", "")
    _npm(tmp_path, "libs/a", "a", {})
    ws = workspace.discover(tmp_path)
    assert ws is not None and ws.kind == "yarn"
    assert [p.name for p in ws.packages] == ["a"]


def test_uv_workspace_members_and_the_root_project(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "albatross"\nversion = "0.1.0"\ndependencies = ["bird-feeder"]\n\n'
        '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/seeds"]\n\n'
        "[tool.uv.sources]\nbird-feeder = { workspace = true }\n",
    )
    _write(
        tmp_path,
        "packages/bird-feeder/pyproject.toml",
        '[project]\nname = "Bird_Feeder"\nversion = "1.0.0"\ndependencies = ["tqdm>=4", "seeds"]\n',
    )
    _write(tmp_path, "packages/seeds/pyproject.toml", '[project]\nname = "seeds"\n')
    ws = workspace.discover(tmp_path)
    assert ws is not None and ws.kind == "uv"
    assert [(p.name, p.folder, p.registry) for p in ws.packages] == [
        ("bird-feeder", "packages/bird-feeder", "pypi"),
        ("albatross", ".", "pypi"),
    ]
    assert ws.owner("packages/bird-feeder/src/x.py") == ws.get("bird-feeder")
    assert ws.owner("src/albatross/__init__.py") == ws.get("albatross")


def test_definition_packages_list_wins(tmp_path: Path) -> None:
    _write(tmp_path, "shipyard.toml", '[workspace]\npackages = ["tools/*"]\n')
    _npm(tmp_path, "tools/one", "one", {})
    _write(tmp_path, "tools/two/pyproject.toml", '[project]\nname = "two"\n')
    ws = workspace.from_definition(config.load(tmp_path))
    assert ws is not None and ws.kind == "shipyard"
    assert {(p.name, p.registry) for p in ws.packages} == {("one", "npm"), ("two", "pypi")}


def test_repeated_names_are_kept_apart_and_named_when_asked_for(tmp_path: Path) -> None:
    # vite's pnpm workspace holds test fixtures that share a name (`mylib` twice)
    _write(tmp_path, "pnpm-workspace.yaml", "packages: ['packages/**']\n")
    _npm(tmp_path, "packages/app", "app", {"mylib": "1"})
    _npm(tmp_path, "packages/fixtures/one", "mylib", {})
    _npm(tmp_path, "packages/fixtures/two", "mylib", {})
    _write(tmp_path, "packages/fixtures/bom/package.json", '\ufeff{"name": "bom"}')
    ws = workspace.discover(tmp_path)
    assert ws is not None
    folders = [p.folder for p in ws.packages]
    assert folders.index("packages/app") > folders.index("packages/fixtures/two")
    assert ws.get("bom").folder == "packages/fixtures/bom"
    with pytest.raises(UsageError, match=r"two workspace packages are named 'mylib' \("):
        ws.get("mylib")
    assert [p.name for p in ws.affected(["packages/fixtures/two/x.js"])] == ["mylib", "app"]


def test_single_package_repository_is_no_workspace(tmp_path: Path) -> None:
    _npm(tmp_path, ".", "lonely", {})
    assert workspace.discover(tmp_path) is None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {
                "package.json": '{"workspaces": ["p/*"]}',
                "p/a/package.json": '{"name": "a", "dependencies": {"b": "1"}}',
                "p/b/package.json": '{"name": "b", "dependencies": {"a": "1"}}',
            },
            "workspace packages depend on each other in a cycle: a -> b -> a",
        ),
        ({"package.json": '{"workspaces": "p/*"}'}, "workspaces must be a list of folder globs"),
        ({"pnpm-workspace.yaml": "packages: [\n"}, "cannot read the workspace manifest"),
        ({"package.json": "[1]"}, "expected a table / object at the top level"),
    ],
)
def test_bad_workspace_manifests_are_clear_errors(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for rel, text in files.items():
        _write(tmp_path, rel, text)
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        workspace.discover(tmp_path)
