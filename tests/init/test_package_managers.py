"""yarn classic, yarn berry (Plug'n'Play) and bun projects, end to end: the maintainer's
install writes the lockfile, init writes the definition, a fresh checkout runs the install
command init names, and `shipyard run` runs the tests with their reports and fails the gates on
the seeded coverage.

These installs are real, from the npm registry (the one network these machines have): mocha
and c8 for the yarn projects, @types/bun for bun. yarn classic comes from tests/node, berry from
the project's own `.yarn/releases` copy (yarnPath, as berry projects commit it), bun from
.ci/setup.d/init.sh."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.init.flow import init, needs_node
from tests.samples import NODE_MODULES
from tests.tools import require

LIBRARY = """\
exports.parse = function parse (text) {
  if (typeof text !== 'string') {
    throw new TypeError('text must be a string')
  }
  return text.split(',').map(function (part) { return part.trim() })
}

exports.format = function format (items) {
  return items.join(', ')
}
"""
LIBRARY_TEST = """\
const assert = require('assert')
const { parse } = require('..')

describe('parse', function () {
  it('splits on commas', function () {
    assert.deepStrictEqual(parse('a, b'), ['a', 'b'])
  })
})
"""
BUN_LIBRARY = """\
export function slug(text: string): string {
  return text.trim().toLowerCase().replace(/\\s+/g, "-")
}

export function title(text: string): string {
  if (!text) {
    return ""
  }
  return text[0].toUpperCase() + text.slice(1)
}
"""
BUN_TEST = """\
import { expect, test } from "bun:test"
import { slug } from "./index"

test("slug", () => {
  expect(slug(" Hello World ")).toBe("hello-world")
})
"""


def _env(repo: GitRepo) -> dict[str, str]:
    """`yarn` is classic's launcher from tests/node (which also holds @yarnpkg/cli-dist, whose
    bin has the same name), as a machine with yarn 1 installed globally has it: it runs berry
    where a project's .yarnrc.yml names its yarnPath."""
    bin_dir = repo.path.parent / "bin"
    bin_dir.mkdir()
    (bin_dir / "yarn").symlink_to(NODE_MODULES / "yarn" / "bin" / "yarn")
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _shell(command: str, repo: GitRepo, env: dict[str, str], laptop: bool = False) -> None:
    """Run `command` in the project; `laptop`: as the maintainer does, outside CI (yarn berry
    refuses to write a lockfile when CI is set, as it must on a runner)."""
    outside = {
        k: v for k, v in os.environ.items() if not (laptop and k in ("CI", "GITHUB_ACTIONS"))
    }
    done = subprocess.run(
        command,
        shell=True,
        cwd=repo.path,
        env={**outside, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-2000:]}"


def _adopt(repo: GitRepo, env: dict[str, str], install: str) -> dict[str, object]:
    """The maintainer's install and commit, then init and a fresh checkout's install."""
    repo.commit("feat: a library, installed")
    explain = run_cli("init", "--explain", cwd=repo.path, env=env).stdout
    found = re.search(r"install: `([^`]+)`", explain)
    assert found and found.group(1) == install, explain
    d = init(repo, env)
    shutil.rmtree(repo.path / "node_modules", ignore_errors=True)  # as a fresh clone has it
    _shell(install, repo, env)
    assert repo.git("status", "--porcelain") == ""
    return d


def _run_fails_on_coverage(repo: GitRepo, env: dict[str, str]) -> None:
    r = run_cli("run", "--json", "unit", cwd=repo.path, env=env, timeout=600)
    data = json.loads(r.stdout)
    unit = data["stages"][0]
    assert unit["status"] == "passed", Path(unit["log"]).read_text()[-3000:]
    assert r.returncode == 1 and data["gates_passed"] is False
    history = run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path)
    gates = {g["gate"]: g for g in json.loads(history.stdout)["evaluations"][0]["gates"]}
    assert gates["tests.failures"]["status"] == "passed", gates["tests.failures"]
    assert gates["coverage.functions"]["status"] == "failed", gates["coverage.functions"]
    # only the project's files are measured (no PnP loader, no test file)
    lcov = (repo.path / "coverage" / "lcov.info").read_text()
    assert re.findall(r"^SF:(.*)$", lcov, re.MULTILINE) in (["index.js"], ["src/index.ts"])


def _mocha_library(repo: GitRepo) -> None:
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": "comma-list",
                "version": "1.4.0",
                "main": "index.js",
                "scripts": {"test": "mocha"},
                "devDependencies": {"mocha": "^11.8.0", "c8": "^10.1.3"},
            },
            indent=2,
        )
        + "\n",
    )
    repo.write(".mocharc.json", '{ "spec": "test/**/*.test.js" }\n')
    repo.write("index.js", LIBRARY)
    repo.write("test/parse.test.js", LIBRARY_TEST)


@pytest.mark.node
@pytest.mark.slow
@pytest.mark.parametrize("line", ["classic", "berry"])
def test_yarn_project_end_to_end(repo: GitRepo, line: str) -> None:
    needs_node()
    env = _env(repo)
    _mocha_library(repo)
    if line == "berry":
        cli = NODE_MODULES / "@yarnpkg" / "cli-dist"
        version = json.loads((cli / "package.json").read_text())["version"]
        release = f".yarn/releases/yarn-{version}.cjs"
        (repo.path / ".yarn" / "releases").mkdir(parents=True)
        shutil.copy(cli / "bin" / "yarn.js", repo.path / release)
        repo.write(".yarnrc.yml", f"yarnPath: {release}\n")
        repo.write(".gitignore", ".yarn/*\n!.yarn/releases\n.pnp.*\nnode_modules/\n")
        data = json.loads((repo.path / "package.json").read_text())
        data["packageManager"] = f"yarn@{version}"
        repo.write("package.json", json.dumps(data, indent=2) + "\n")
    else:
        repo.write(".gitignore", "node_modules/\n")
    _shell("yarn install", repo, env, laptop=True)  # the maintainer's: it writes yarn.lock
    assert (repo.path / "yarn.lock").is_file()
    install = "yarn install --immutable" if line == "berry" else "yarn install --frozen-lockfile"
    d = _adopt(repo, env, install)
    unit = d["stages"]["unit"]  # type: ignore[index]
    c8 = "c8 --reporter=lcov --reporter=text-summary --reports-dir=coverage"
    if line == "berry":  # Plug'n'Play: no node_modules/.bin; the loader is not the project's
        assert not (repo.path / "node_modules").exists()
        assert unit["run"].startswith("yarn c8 --exclude=.pnp.* --exclude=.yarn/** ")
    else:
        assert unit["run"].startswith(c8 + " mocha --reporter xunit")
    assert unit["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
    _run_fails_on_coverage(repo, env)


@pytest.mark.node
@pytest.mark.slow
def test_bun_project_end_to_end(repo: GitRepo) -> None:
    """The shape `bun init` writes: `bun test`, TypeScript run as is, bun.lock."""
    require("bun")  # from the npm registry, by .ci/setup.d/init.sh
    env = _env(repo)
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": "slugs",
                "version": "0.2.0",
                "module": "src/index.ts",
                "type": "module",
                "scripts": {"test": "bun test"},
                "devDependencies": {"@types/bun": "latest"},
            },
            indent=2,
        )
        + "\n",
    )
    repo.write(".gitignore", "node_modules\n")
    repo.write("src/index.ts", BUN_LIBRARY)
    repo.write("src/index.test.ts", BUN_TEST)
    _shell("bun install", repo, env, laptop=True)
    assert (repo.path / "bun.lock").is_file()
    d = _adopt(repo, env, "bun install --frozen-lockfile")
    unit = d["stages"]["unit"]  # type: ignore[index]
    assert unit["run"] == (
        "bun test --reporter=junit --reporter-outfile=junit.xml --coverage "
        "--coverage-reporter=lcov --coverage-reporter=text --coverage-dir=coverage"
    )
    _run_fails_on_coverage(repo, env)
