"""Python multi-package layouts (shipyard/workspace_python.py) on real-shaped samples
(tests/monorepo/shapes.py): a hatch workspace and a poetry path-dependency layout give each
package's name, folder, registry and internal dependencies, then per-package versions and a
release whose files move the poetry versions and ranges."""

from __future__ import annotations

import pytest

from shipyard import workspace
from shipyard.errors import UsageError
from tests.conftest import GitRepo, run_cli
from tests.monorepo import shapes


def _summary(ws: workspace.Workspace) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(p.name, p.folder, p.registry, p.needs) for p in ws.packages]


def test_hatch_workspace_members_features_excludes_and_hatch_toml(repo: GitRepo) -> None:
    shapes.hatch_three(repo)
    ws = workspace.discover(repo.path)
    assert ws is not None and ws.kind == "hatch"
    found = _summary(ws)
    assert sorted(found) == [
        ("acme-cli", "packages/cli", "pypi", ("acme-core",)),
        ("acme-core", "packages/core", "pypi", ()),
        ("acme-lint", "tools/acme-lint", "pypi", ()),
        ("acme-plugin", "plugins/acme-plugin", "pypi", ("acme-core",)),  # Acme_Core[fast]
        ("acme-suite", ".", "pypi", ("acme-cli",)),
    ]
    names = [f[0] for f in found]  # dependency order
    assert names.index("acme-core") < names.index("acme-cli") < names.index("acme-suite")
    for name in ("acme-core", "acme-cli", "acme-plugin", "acme-lint", "acme-suite"):
        repo.tag(f"{name}@2.0.0", name)
    repo.write("packages/core/src/acme_core.py", "X = 2\n")
    repo.commit("fix(core): x")
    r = run_cli("version", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert set(r.stdout.splitlines()) == {
        "acme-core 2.0.1",
        "acme-cli 2.0.1",
        "acme-plugin 2.0.1",
        "acme-suite 2.0.1",
    }
    # a member that is neither a glob nor {path = ...}: the file and key path
    repo.write("hatch.toml", "[envs.tools]\nworkspace.members = [{features = []}]\n")
    with pytest.raises(UsageError, match=r"hatch.toml: envs.tools.workspace.members\[0\]"):
        workspace.discover(repo.path)
    repo.write("hatch.toml", '[envs.tools]\nworkspace.members = ["../elsewhere"]\n')
    with pytest.raises(UsageError, match="outside the workspace root"):
        workspace.discover(repo.path)


def test_poetry_path_dependencies_versions_and_release_files(repo: GitRepo) -> None:
    shapes.poetry_three(repo)
    ws = workspace.discover(repo.path)
    assert ws is not None and ws.kind == "poetry"
    assert _summary(ws) == [  # the package-mode = false root is no package
        ("acme-models", "libs/models", "pypi", ()),
        ("acme-auth", "libs/auth", "pypi", ("acme-models",)),  # a dev group, by version
        ("acme-api", "services/api", "pypi", ("acme-auth", "acme-models")),
    ]
    assert [p.version for p in ws.packages] == ["0.3.0", "0.1.0", "1.2.0"]
    # a path dependency outside the repository is a local dependency, not a member (nor an error)
    api_toml = repo.path / "services/api/pyproject.toml"
    api_text = api_toml.read_text()
    api_toml.write_text(api_text + 'vendored = {path = "../../../outside", develop = true}\n')
    assert _summary(workspace.discover(repo.path)) == _summary(ws)
    api_toml.write_text(api_text)
    repo.write("libs/models/src/mod.py", "X = 2\n")
    repo.commit("feat(models): a field")
    r = run_cli("version", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "acme-models 0.4.0\nacme-auth 0.1.1\nacme-api 1.2.1\n"
    # a local release (nothing to publish, no remote): versions and ranges move in the files
    repo.write("shipyard.toml", "[release]\npublish = []\n")
    repo.commit("chore: release locally")
    r = run_cli("release", cwd=repo.path, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.split() == ["acme-models@0.4.0", "acme-auth@0.1.1", "acme-api@1.2.1"]
    models = (repo.path / "libs/models/pyproject.toml").read_text()
    api = (repo.path / "services/api/pyproject.toml").read_text()
    auth = (repo.path / "libs/auth/pyproject.toml").read_text()
    assert 'version = "0.4.0"' in models
    assert 'version = "1.2.1"' in api and 'acme-models = "^0.4.0"' in api
    assert 'path = "../../libs/auth"' in api  # a path dependency has no range to move
    assert 'version = "0.1.1"' in auth and 'acme-models = {version = "^0.4.0"}' in auth
    assert "a field" in (repo.path / "libs/models/CHANGELOG.md").read_text()


def test_uv_members_and_exclude_globs(repo: GitRepo) -> None:
    shapes.uv_three(repo)
    text = (repo.path / "pyproject.toml").read_text()
    (repo.path / "pyproject.toml").write_text(
        text.replace(
            'members = ["packages/*"]', 'members = ["packages/*"]\nexclude = ["**/*-extra"]'
        )
    )
    repo.write("packages/scratch/README.md", "no pyproject: not a member\n")
    ws = workspace.discover(repo.path)
    assert ws is not None and ws.kind == "uv"
    assert _summary(ws) == [
        ("acme-core", "packages/acme-core", "pypi", ()),
        ("acme-app", ".", "pypi", ("acme-core",)),
    ]


PNPM_YAMLS = [
    "packages:\n  - 'packages/*'\n  - 'playground/**'\n  - docs\n\nhoistPattern:\n  - postcss\n",
    "packages:\n- 'a/*'\n- \"b/**\"  # c\n\ncatalog:\n  x: 1\n",
    "# c\npackages: # the list\n  - a # one\n  # gap\n  - '!b/c'\n  -  b c \n  - a#b\n",
    "packages: ['a/*', 'b']\n",  # flow style, anchors, keys, nesting: PyYAML reads them
    "packages:\n  - &x a\n  - *x\n",
    "packages:\n  - 'it''s'\n",
    "---\npackages:\n  - a\n",
    "packages:\n  - a\n  - ? b\n",
    "packages:\n  - a: b\n",
    "packages:\n  - a\n    - b\n",
    "packages:\n  - a\n  - - b\n",
    "packages:\n  - 'a\n    b'\n",
    "onlyBuiltDependencies:\n  - esbuild\n",
    "packages:\n",
]


@pytest.mark.parametrize("text", PNPM_YAMLS)
def test_pnpm_workspace_yaml_reads_as_pyyaml_does(text: str) -> None:
    import yaml

    from shipyard.workspace import _pnpm_yaml

    assert _pnpm_yaml(text).get("packages") == (yaml.safe_load(text) or {}).get("packages")
