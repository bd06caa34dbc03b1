"""`ci generate` refuses, with exit 2 and the key, what would not run as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.ci import generate
from shipyard.errors import ConfigError
from tests.conftest import GitRepo, run_cli

STAGE = '[stages.unit]\nrun = "pytest"\n'


BAD = [
    (
        STAGE + '\n[ci]\ninstall = ["pip install ${{ github.head_ref }}"]\n',
        "shipyard.toml: ci.install[0]: contains `${{`",
    ),
    (STAGE + '\n[ci]\nshipyard = "shipyard==${{ x }}"\n', "shipyard.toml: ci.shipyard:"),
    (STAGE + '\n[ci]\npublish = "echo ${{ secrets.X }}"\n', "shipyard.toml: ci.publish:"),
    (
        STAGE + 'matrix = { os = ["linux", "windows"] }\n',
        "shipyard.toml: stages.unit.matrix.os: 'windows': Windows runners are not supported",
    ),
    (STAGE + '\n[ci]\nrunner = "windows-latest"\n', "ci.runner: 'windows-latest': Windows"),
    (
        STAGE + 'matrix = { python = ["3.12; rm -rf /"] }\n',
        "stages.unit.matrix.python: '3.12; rm -rf /' is not a version",
    ),
    (
        STAGE + 'when = { on = ["push"], changed = [" src/**"] }\n',
        "stages.unit.when.changed: ' src/**' is not a branch or path pattern",
    ),
    (
        STAGE + 'when = { on = ["push"], branches = ["${{ github.ref }}"] }\n',
        "stages.unit.when.branches:",
    ),
    (STAGE + '\n[ci]\nosv_mirror = "ftp://x"\n', "ci.osv_mirror: expected an http(s) URL"),
    (
        STAGE + '\n[ci]\nuse-action = "shipyard-dev/shipyard@v1"\n',
        "ci.use-action: expected false or an action pinned to a full commit SHA",
    ),
    (
        STAGE + '\n[ci.stage-install]\nlint = ["npm ci"]\n',
        "ci.stage-install.lint: names no stage (stages: unit)",
    ),
    (
        STAGE + '\n[ci.stage-install]\nunit = ["npm ci ${{ inputs.x }}"]\n',
        "ci.stage-install.unit[0]: contains `${{`",
    ),
]


def test_a_bad_value_is_exit_2_naming_the_key_and_writes_nothing(repo: GitRepo) -> None:
    repo.write("shipyard.toml", BAD[0][0])
    r = run_cli("ci", "generate", cwd=repo.path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert BAD[0][1] in r.stderr and "Traceback" not in r.stderr
    assert not (Path(repo.path) / ".github").exists()  # nothing written


@pytest.mark.parametrize(("definition", "expected"), BAD[1:])
def test_bad_values_are_configuration_errors(repo: GitRepo, definition: str, expected: str) -> None:
    """In process (the CLI path is the test above): the error the CLI would print."""
    repo.write("shipyard.toml", definition)
    with pytest.raises(ConfigError) as caught:
        generate.render_all(generate.load_project(repo.path))
    assert expected in caught.value.render()


def test_good_values_pass(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml",
        STAGE + 'matrix = { python = ["3.11", "3.13"], node = ["20.x", "lts/*"], os = ["macos"] }\n'
        'when = { on = ["push"], changed = ["src/**", "!docs/**"], branches = ["release/*"] }\n',
    )
    r = run_cli("ci", "generate", cwd=repo.path)
    assert r.returncode == 0, r.stderr


def test_use_action_true_is_this_versions_tag_with_a_warning(repo: GitRepo) -> None:
    """`use-action = true`, the first releases' spelling, still generates (no exit 2 without a
    deprecation period): the action at this version's tag, and a warning that says how to pin."""
    from shipyard import __version__

    repo.write("shipyard.toml", STAGE + "\n[ci]\nuse-action = true\n")
    r = run_cli("ci", "generate", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    tag = f"shipyard-dev/shipyard@v{__version__}"
    assert f"shipyard.toml: ci.use-action: true means {tag}, a tag" in r.stderr, r.stderr
    assert r.stderr.count("warning:") == 1
    assert "@<commit SHA>" in r.stderr and "next major release" in r.stderr
    assert f"uses: {tag}\n" in (Path(repo.path) / ".github/workflows/test.yml").read_text()
