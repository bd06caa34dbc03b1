"""Issue 13: every option that names a file shipyard writes (--output, --html, ...) turns an
OSError (a folder in the way, a file where a folder must be, a parent that cannot be made) into
exit 2 naming the path and the reason, never a traceback. All go through `store.write_atomic`."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator

import pytest

from shipyard.cli import COMMANDS
from tests.conftest import GitRepo
from tests.fuzz.contract import rejected, shipyard

# command line before the path, for every option that writes a file
WRITERS = {
    ("schema", "--output"): ["schema", "--output"],
    ("gate", "--output"): ["gate", "--format", "json", "--output"],
    ("scan secrets", "--output"): ["scan", "secrets", "--format", "json", "--output"],
    ("scan sbom", "--output"): ["scan", "sbom", "--output"],
    ("report", "--output"): ["report", "--html", "--output"],
    ("backup create", "--output"): ["backup", "create", "--output"],
    ("bench history", "--html"): ["bench", "history", "--html"],
}
# writers reached only after work this test does not set up; the same write_atomic serves them
NOT_WALKED = {
    ("scan", "--output"),  # the scan subcommands above
    ("scan deps", "--output"),  # needs an OSV database
    ("scan code", "--output"),  # runs bandit
    ("scan licenses", "--output"),  # same renderer as scan sbom
    ("bench run", "--markdown"),  # runs a benchmark
    ("ci durations", "--output"),  # needs recorded JUnit durations
    ("schema", "--check"),  # reads, never writes
}
# checks the folder itself first, in its own words ("the folder ... does not exist")
OWN_CHECK = {("report", "--output")}
WRITE_WORDS = ("--output", "--html", "--markdown", "--check")


def _options(parser: argparse.ArgumentParser, name: str) -> Iterator[tuple[str, str]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                yield from _options(subparser, f"{name} {sub}")
        else:
            takes_path = action.nargs != 0
            yield from ((name, o) for o in action.option_strings if takes_path and o in WRITE_WORDS)


def test_every_file_writing_option_is_walked() -> None:
    found = set()
    for command, (module, _text) in COMMANDS.items():
        parser = argparse.ArgumentParser()
        importlib.import_module(module).add_arguments(parser)
        found |= set(_options(parser, command))
    assert found == set(WRITERS) | NOT_WALKED


@pytest.fixture
def project(repo: GitRepo) -> GitRepo:
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n\n[gates]\n')
    repo.write("a.txt", "x\n")
    repo.commit("feat: one")
    (repo.path / "folder").mkdir()
    return repo


@pytest.mark.parametrize("writer", list(WRITERS), ids=" ".join)
@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("folder", "it is a folder"),
        ("a.txt/out", "a.txt is a file, not a folder"),
        ("/proc/shipyard-none/out", "/proc/shipyard-none: No such file or directory"),
    ],
)
def test_unwritable_output_is_exit_2(
    project: GitRepo, writer: tuple[str, str], target: str, reason: str
) -> None:
    path = project.path / target
    outcome = shipyard(project.path, *WRITERS[writer], str(path))
    if writer in OWN_CHECK and target != "folder":
        rejected(outcome, path)
    else:
        rejected(outcome, path, "cannot write", reason)
