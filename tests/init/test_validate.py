"""`shipyard validate`: the post-build checks, on a real wheel with a dependency and on a real
Node build (tsc from tests/node, a bin run as ./dist/...)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.samples import NODE_MODULES

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "demo-dep"
version = "0.3.0"
dependencies = ["tomlkit"]

[project.scripts]
demo-dep = "demo_dep.cli:main"
"""


@pytest.fixture(scope="module")
def wheel_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A src-layout package that imports its dependency (tomlkit) at import time."""
    root = tmp_path_factory.mktemp("wheel") / "demo"
    (root / "src" / "demo_dep").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "src" / "demo_dep" / "__init__.py").write_text("import tomlkit\n")
    (root / "src" / "demo_dep" / "cli.py").write_text(
        "import sys\n\ndef main() -> int:\n    if '--version' in sys.argv:\n"
        "        print('0.3.0')\n    return 0\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            "dist",
            ".",
        ],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


def test_a_wheel_with_a_dependency_imports_with_the_projects_interpreter(
    wheel_project: Path,
) -> None:
    env = {"VIRTUAL_ENV": sys.prefix}  # the project's environment has tomlkit installed
    r = run_cli(
        "validate",
        "python",
        "dist",
        "--import",
        "demo_dep",
        "--cli",
        "demo-dep",
        cwd=wheel_project,
        env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[1:] == [
        "validate: import demo_dep: ok",
        "validate: demo-dep --version: ok",
    ]
    assert f"with {Path(sys.prefix) / 'bin' / 'python'}" in r.stdout.splitlines()[0]


@pytest.mark.slow
def test_a_missing_dependency_in_the_project_environment_fails(
    wheel_project: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    r = run_cli(
        "validate",
        "python",
        "dist",
        "--import",
        "demo_dep",
        "--cli",
        "nope",
        cwd=wheel_project,
        env={"VIRTUAL_ENV": str(bare)},
    )
    assert r.returncode == 1
    assert "validate: import demo_dep: FAILED (exit 1)" in r.stdout
    assert "No module named 'tomlkit'" in r.stdout
    assert "validate: nope: FAILED (the wheel declares no console script 'nope')" in r.stdout


def test_no_wheel(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    r = run_cli("validate", "python", "dist", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (
        1,
        "validate: no wheel in " + str(tmp_path / "dist") + "/\n",
    )


@pytest.mark.node
def test_node_types_and_bin(repo: GitRepo) -> None:
    if not NODE_MODULES.is_dir():
        pytest.fail("tests/node/node_modules is missing: run `npm ci` in tests/node (.ci/run does)")
    (repo.path / "node_modules").symlink_to(NODE_MODULES)
    repo.write("package.json", '{"type": "module"}\n')
    repo.write("dist/index.js", "export const add = (a, b) => a + b;\n")
    repo.write(  # the globals a consumer's default libraries have (tinybench's types use them)
        "dist/index.d.ts",
        "export declare const add: (a: number, b: number) => number;\n"
        "export declare class Bench extends EventTarget { signal?: AbortSignal }\n",
    )
    cli = repo.write("dist/cli.js", "#!/usr/bin/env node\nconsole.log('1.0.0');\n")
    cli.chmod(0o755)
    args = (
        "validate",
        "node",
        "dist",
        "--import",
        "dist/index.js",
        "--types",
        "dist/index.d.ts",
        "--cli",
        "dist/cli.js",
    )
    r = run_cli(*args, cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == [
        "validate: import dist/index.js: ok",
        "validate: tsc --noEmit dist/index.d.ts: ok",
        "validate: ./dist/cli.js --version: ok",
    ]
    repo.write("dist/index.d.ts", "export declare const add: Missing;\n")
    cli.chmod(0o644)  # `node dist/cli.js` would work; a user's shell would not run it
    r = run_cli(*args, cwd=repo.path)
    assert r.returncode == 1
    assert "validate: tsc --noEmit dist/index.d.ts: FAILED (exit 2)" in r.stdout
    assert "Cannot find name 'Missing'" in r.stdout
    assert "validate: ./dist/cli.js --version: FAILED" in r.stdout
    assert os.access(cli, os.X_OK) is False


@pytest.mark.node
def test_node_checks_under_yarn_plug_n_play(repo: GitRepo) -> None:
    """Berry's Plug'n'Play install has no node_modules: the entry's import and the bin find
    their dependency through .pnp.cjs / .pnp.loader.mjs (a `portal:` package: no registry)."""
    cli = NODE_MODULES / "@yarnpkg" / "cli-dist"
    if not cli.is_dir():
        pytest.fail("tests/node/node_modules is missing: run `npm ci` in tests/node (.ci/run does)")
    (repo.path / ".yarn" / "releases").mkdir(parents=True)
    (repo.path / ".yarn" / "releases" / "yarn.cjs").write_bytes(
        (cli / "bin" / "yarn.js").read_bytes()
    )
    repo.write(".yarnrc.yml", "yarnPath: .yarn/releases/yarn.cjs\nenableGlobalCache: false\n")
    repo.write("vendor/dep/package.json", '{"name": "dep", "version": "1.0.0", "main": "i.js"}')
    repo.write("vendor/dep/i.js", "exports.answer = 42\n")
    repo.write(
        "package.json",
        '{"name": "p", "version": "1.0.0", "type": "module",'
        ' "dependencies": {"dep": "portal:./vendor/dep"}}',
    )
    repo.write("dist/index.js", "import dep from 'dep'\nexport const answer = dep.answer\n")
    repo.write(
        "dist/cli.js", "#!/usr/bin/env node\nimport dep from 'dep'\nconsole.log(dep.answer)\n"
    )
    (repo.path / "dist" / "cli.js").chmod(0o755)
    env = {**os.environ, "CI": "", "YARN_ENABLE_TELEMETRY": "0"}
    done = subprocess.run(
        ["node", ".yarn/releases/yarn.cjs", "install"],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo.path / ".pnp.cjs").is_file() and not (repo.path / "node_modules").exists()
    r = run_cli(
        "validate",
        "node",
        "dist",
        "--import",
        "dist/index.js",
        "--cli",
        "dist/cli.js",
        cwd=repo.path,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "validate: import dist/index.js: ok" in r.stdout + r.stderr
    assert "validate: ./dist/cli.js --version: ok" in r.stdout + r.stderr
