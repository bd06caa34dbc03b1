"""init on Node projects beyond vitest: mocha (under nyc or c8, JUnit from mocha's own xunit
reporter), jest (JUnit through jest-junit, suggested when absent), and libraries that tsc alone
builds; a newer tag style wins over a longer older history."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.init import node_layouts
from tests.init.flow import (
    ci_install,
    init,
    needs_node,
)

MOCHA_XUNIT = " --reporter xunit --reporter-option output=junit.xml"


def _proposal(repo: GitRepo) -> dict[str, object]:
    r = run_cli("init", "--print", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    return tomllib.loads(r.stdout)


def test_mocha_under_nyc_gets_junit_and_lcov(repo: GitRepo) -> None:
    node_layouts.mime_types(repo)
    stages = _proposal(repo)["stages"]
    assert isinstance(stages, dict)
    # the script's spec kept, its spec reporter replaced; nyc from the devDependencies
    assert stages["unit"]["run"] == (
        "nyc --reporter=lcov --reporter=text-summary --report-dir=coverage mocha test/test.js"
        + MOCHA_XUNIT
    )
    assert stages["unit"]["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
    explain = run_cli("init", "--explain", cwd=repo.path).stdout
    assert "package manager: npm (install: `npm install`)\n    from no lockfile" in explain
    # 2.1.x has more tags, but the newest releases say `v`
    assert "release tags: v{version}, versions semver\n    from tag v3.0.2" in explain


def test_jest_without_jest_junit_is_told_to_add_it(repo: GitRepo) -> None:
    repo.write(
        "package.json",
        json.dumps({"name": "j", "version": "1.0.0", "devDependencies": {"jest": "^29"}}),
    )
    repo.write("jest.config.js", "module.exports = { testEnvironment: 'node' }\n")
    repo.commit("feat: j")
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "note: JUnit: jest-junit is not a devDependency: add it (npm i -D jest-junit)" in (
        r.stderr
    )
    unit = tomllib.loads((repo.path / "shipyard.toml").read_text())["stages"]["unit"]
    assert unit["run"] == (
        "jest --ci --coverage --coverageReporters=lcov --coverageReporters=text-summary "
        "--reporters=default --reporters=jest-junit"
    )
    assert unit["env"] == {"JEST_JUNIT_OUTPUT_FILE": "junit.xml"}
    assert unit["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}


JEST_LIBRARY = """\
'use strict'

exports.words = function words (text) {
  return text.split(/\\s+/).filter(Boolean)
}

exports.initials = function initials (text) {
  return exports.words(text).map(function (w) { return w[0].toUpperCase() }).join('')
}

exports.truncate = function truncate (text, length) {
  if (text.length <= length) {
    return text
  }
  return text.slice(0, length - 1) + '…'
}
"""


@pytest.mark.node
@pytest.mark.slow
@pytest.mark.timeout(900)  # a real install from the registry: its wall time is the network's
def test_jest_project_end_to_end(repo: GitRepo, registry_cache: dict[str, str]) -> None:
    """The shape `jest --init` leaves (jest.config.js, CommonJS, no transform) with jest-junit
    added as init says; its committed package-lock.json (tests/init/data/jest: `npm install
    --package-lock-only` with npm 11 on 2026-12-02), installed with the `npm ci` init names."""
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": "word-tools",
                "version": "2.3.0",
                "main": "index.js",
                "scripts": {"test": "jest"},
                "devDependencies": {"jest": "29.7.0", "jest-junit": "16.0.0"},
            },
            indent=2,
        )
        + "\n",
    )
    lock = Path(__file__).parent / "data" / "jest" / "package-lock.json"
    repo.write("package-lock.json", lock.read_text())
    repo.write("jest.config.js", "module.exports = {\n  testEnvironment: 'node',\n}\n")
    repo.write(".gitignore", "node_modules/\ncoverage/\n")
    repo.write("index.js", JEST_LIBRARY)
    repo.write(  # initials() and truncate() untested: coverage seeded below 80 %
        "index.test.js",
        "const { words } = require('./index')\n\n"
        "test('words', () => {\n  expect(words(' a  b ')).toEqual(['a', 'b'])\n})\n",
    )
    repo.commit("feat: word tools")
    repo.tag("v2.3.0")
    r = run_cli("init", cwd=repo.path, env=registry_cache)
    assert r.returncode == 0 and "jest-junit is not a devDependency" not in r.stderr, r.stderr
    repo.commit("feat: the whole pipeline, from shipyard init")
    d = tomllib.loads((repo.path / "shipyard.toml").read_text())
    assert d["stages"]["unit"]["run"].startswith("jest --ci --coverage")
    assert ci_install(repo, registry_cache) == "npm ci"
    r = run_cli("run", "--json", "unit", cwd=repo.path, env=registry_cache, timeout=600)
    unit = json.loads(r.stdout)["stages"][0]
    assert unit["status"] == "passed", Path(unit["log"]).read_text()[-3000:]
    assert r.returncode == 1 and json.loads(r.stdout)["gates_passed"] is False
    junit = (repo.path / "junit.xml").read_text()  # jest-junit's, at the path the env names
    assert '<testsuites name="jest tests" tests="1" failures="0"' in junit, junit
    history = run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path)
    gates = {g["gate"]: g for g in json.loads(history.stdout)["evaluations"][0]["gates"]}
    assert gates["tests.failures"]["status"] == "passed", gates["tests.failures"]
    assert gates["coverage.functions"]["status"] == "failed", gates["coverage.functions"]
    assert gates["coverage.lines"]["status"] == "failed", gates["coverage.lines"]
    # only the project's code is measured (jest leaves its test file out)
    lcov = (repo.path / "coverage" / "lcov.info").read_text()
    assert [line[3:] for line in lcov.splitlines() if line.startswith("SF:")] == ["index.js"]


@pytest.mark.node
@pytest.mark.slow
def test_tsc_only_library_builds_and_validates(repo: GitRepo) -> None:
    """No bundler and no build script: tsc builds with tsconfig.build.json (outDir in the
    file it extends, comments and path aliases around it), and the output is validated."""
    needs_node()
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": "tiny-ts",
                "version": "1.0.0",
                "main": "lib/index.js",  # (types are checked by test_validate.py)
                "devDependencies": {"typescript": "^5.6.0"},
            }
        ),
    )
    repo.write(
        "tsconfig.json",
        '{\n  // the editor\'s config\n  "compilerOptions": {\n    "strict": true,\n'
        '    "declaration": true,\n    "outDir": "lib",\n    "module": "commonjs",\n'
        '    "target": "es2022",\n    "types": [],\n    "paths": { "@/*": ["./src/*"] },\n'
        "  },\n}\n",
    )
    repo.write(
        "tsconfig.build.json",
        '{ "extends": "./tsconfig.json", "include": ["src"] }\n',
    )
    repo.write("src/index.ts", "export const add = (a: number, b: number): number => a + b\n")
    (repo.path / "node_modules").symlink_to(node_layouts.NODE_MODULES)
    repo.commit("feat: add")
    d = init(repo)
    build = d["stages"]["build"]
    assert build["run"] == [
        "tsc -p tsconfig.build.json",
        "shipyard validate node lib --import lib/index.js",
    ]
    assert build["outputs"] == ["lib"] and build["reports"] == {"bundle": "lib"}
    assert d["stages"]["typecheck"]["run"] == "tsc --noEmit"
    r = run_cli("run", "--json", "build", cwd=repo.path, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    log = Path(json.loads(r.stdout)["stages"][0]["log"]).read_text()
    assert "validate: import lib/index.js: ok" in log
    assert (repo.path / "lib" / "index.js").is_file()
    assert repo.git("status", "--porcelain") == ""  # lib/ went into .gitignore


@pytest.mark.node
@pytest.mark.slow
def test_mocha_project_end_to_end(repo: GitRepo) -> None:
    needs_node()
    node_layouts.mime_types(repo, coverage="c8")
    d = init(repo)
    assert d["stages"]["unit"]["run"] == (
        "c8 --reporter=lcov --reporter=text-summary --reports-dir=coverage mocha test/test.js"
        + MOCHA_XUNIT
    )
    assert d["release"]["tag-format"] == "v{version}"
    r = run_cli("run", "--json", "unit", cwd=repo.path, timeout=600)
    assert r.returncode == 1 and json.loads(r.stdout)["gates_passed"] is False, r.stderr
    junit = (repo.path / "junit.xml").read_text()
    assert 'tests="1" failures="0"' in junit  # mocha's xunit, read by the tests gate
    status = json.loads(run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path).stdout)
    gates = {g["gate"]: g["status"] for g in status["evaluations"][0]["gates"]}
    assert gates["tests.failures"] == "passed", gates
    assert gates["coverage.functions"] == "failed" and gates["coverage.lines"] == "failed"


def test_a_workspace_built_from_its_root_keeps_its_root_stages(repo: GitRepo) -> None:
    """changesets/changesets at 5322174b: one root `tsdown` build and one root `vitest` over
    packages without scripts of their own, a private docs site with its own build, and a
    pnpm-workspace.yaml whose other lists (minimumReleaseAgeExclude, …) are not packages."""
    repo.write(
        "package.json",
        json.dumps(
            {
                "private": True,
                "name": "@changesets/repo",
                "type": "module",
                "packageManager": "pnpm@11.13.1",
                "scripts": {"build": "tsdown", "lint": "eslint", "test": "vitest"},
                "devDependencies": {"tsdown": "^0.21", "vitest": "^4", "eslint": "^9"},
            }
        ),
    )
    repo.write(
        "pnpm-workspace.yaml",
        "packages:\n  - packages/*\n  - site\n\nminimumReleaseAgeExclude:\n  - vite@8.2.0\n",
    )
    repo.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")
    repo.write("tsconfig.json", '{ "compilerOptions": { "noEmit": true, "strict": true } }\n')
    for name in ("parse", "types"):
        repo.write(
            f"packages/{name}/package.json",
            json.dumps(
                {
                    "name": f"@changesets/{name}",
                    "version": "1.0.0",
                    "type": "module",
                    "exports": {".": "./dist/index.mjs"},
                    "dependencies": {"@changesets/types": "workspace:^"} if name == "parse" else {},
                }
            ),
        )
    repo.write(
        "site/package.json",
        json.dumps(
            {
                "name": "@changesets/docs",
                "private": True,
                "scripts": {"dev": "vitepress dev", "build": "vitepress build"},
            }
        ),
    )
    repo.commit("feat: changesets")
    d = _proposal(repo)
    stages = d["stages"]
    assert isinstance(stages, dict)
    assert list(stages) == [
        "lint",
        "typecheck",
        "build",
        "unit",
        "site-build",
        "security",
        "secrets",
    ]
    assert stages["build"]["run"] == "pnpm run build"  # the root builds every package
    # the docs site: its own build, nothing to import or measure
    assert stages["site-build"] == {
        "run": "pnpm run build",
        "cwd": "site",
        "inputs": stages["site-build"]["inputs"],
        "budget": "3m",
        "release": True,
    }
    explain = run_cli("init", "--explain", cwd=repo.path).stdout
    assert "monorepo: workspaces packages/*, site\n" in explain


def test_a_yarn_berry_pnp_workspace_runs_its_tools_through_yarn(repo: GitRepo) -> None:
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": "root",
                "private": True,
                "packageManager": "yarn@4.18.1",
                "workspaces": ["packages/*"],
                "scripts": {"test": "yarn workspaces foreach -A run test"},
                "devDependencies": {"vitest": "^3", "@vitest/coverage-v8": "^3"},
            }
        ),
    )
    repo.write(".yarnrc.yml", "enableGlobalCache: true\n")  # no nodeLinker: Plug'n'Play
    repo.write("yarn.lock", "__metadata:\n  version: 8\n")
    repo.write(
        "packages/a/package.json",
        json.dumps(
            {
                "name": "a",
                "version": "1.0.0",
                "main": "dist/index.js",
                "scripts": {"test": "vitest run"},
            }
        ),
    )
    repo.commit("feat: a")
    stages = _proposal(repo)["stages"]
    assert isinstance(stages, dict)
    assert "unit" not in stages  # the root's test script only runs each package's
    assert stages["a-unit"]["run"].startswith("yarn vitest run --reporter=default")
    assert stages["a-unit"]["inputs"][-1] == "../../yarn.lock"
    explain = run_cli("init", "--explain", cwd=repo.path).stdout
    assert "package manager: yarn (install: `yarn install --immutable`)" in explain


def test_a_published_root_beside_an_examples_workspace_keeps_its_checks(repo: GitRepo) -> None:
    """tinylibs/tinybench at a9fb852: the root is the library (tsup, exports), and its only
    workspace is a private `examples` folder with no scripts or tools of its own."""
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": "tinybench",
                "version": "4.0.1",
                "type": "module",
                "scripts": {
                    "build": "tsup",
                    "test": "vitest --retry=5 --run",
                    "lint": "eslint --cache src test examples eslint.config.js",  # at 52fb2be
                },
                "exports": {".": {"types": "./dist/index.d.ts", "default": "./dist/index.js"}},
                "devDependencies": {"tsup": "^8.4.0", "vitest": "^3.1.2", "eslint": "^9.39.5"},
            }
        ),
    )
    repo.write("pnpm-workspace.yaml", "packages:\n  - examples\n")
    repo.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")
    repo.write(
        "examples/package.json",
        json.dumps(
            {
                "name": "examples",
                "version": "0.0.0",
                "scripts": {"example:simple": "tsx src/simple.ts"},
                "devDependencies": {"tsx": "^4.19.4"},
            }
        ),
    )
    repo.commit("feat: bench")
    stages = _proposal(repo)["stages"]
    assert isinstance(stages, dict)
    assert list(stages) == ["lint", "build", "unit", "security", "secrets"]
    # the targets its lint script names (`eslint .` linted dist/ and .shipyard/), no --cache
    targets = "src test examples eslint.config.js"
    assert stages["lint"]["run"] == [
        f"eslint -f json -o eslint.json {targets} || true",
        f"eslint {targets}",
    ]
    assert stages["build"]["run"] == [
        "pnpm run build",
        "shipyard validate node dist --import ./dist/index.js --types ./dist/index.d.ts",
    ]
    assert stages["build"]["reports"] == {"bundle": "dist"}
    explain = run_cli("init", "--explain", cwd=repo.path).stdout
    assert "per-package stages: none (no package has scripts or tools of its own)" in explain
    assert "examples: " not in explain.replace("workspaces examples", "")
