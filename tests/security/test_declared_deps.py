"""Declared-but-unlocked dependencies: when shipyard can say what a project brings without
running its code or asking pip, and the reason it gives when it cannot (which fails the gate).

Every case here is decided before any resolver runs, so none of them starts pip or npm."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.security.interface import ScanError
from shipyard.security.packages import DepSet
from shipyard.security.resolve import local_project, unlocked

SETUP_PY = "from setuptools import setup\nsetup()\n"


def _project(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _reasons(found: DepSet) -> list[tuple[str, str]]:
    return [(s.what, s.reason) for s in found.unchecked]


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({"setup.py": SETUP_PY}, "setup.py may declare dependencies, which only running it"),
        (
            {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "*"\n'},
            "Poetry dependencies without poetry.lock: run `poetry lock` and commit it",
        ),
        (
            {"pyproject.toml": '[project]\nname = "x"\ndynamic = ["dependencies"]\n'},
            "the dependencies are dynamic: lock them",
        ),
        ({"README.md": "hi\n"}, "not a Python project (no pyproject.toml, setup.cfg or setup.py"),
    ],
)
def test_local_project_that_cannot_be_read(tmp_path: Path, files: dict[str, str], why: str) -> None:
    folder = _project(tmp_path / "lib", files)
    found = local_project(folder, "-e ./lib", "requirements.txt:3", set())
    assert found.packages == []
    [(what, reason)] = _reasons(found)
    assert what == "-e ./lib (requirements.txt:3)"
    assert reason.startswith(why)


def test_local_archive_or_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "lib.tar.gz").write_bytes(b"\x1f\x8b")
    archive = local_project(tmp_path / "lib.tar.gz", "./lib.tar.gz", "r.txt:1", set())
    assert _reasons(archive) == [
        (
            "./lib.tar.gz (r.txt:1)",
            "a local archive: its dependencies are not read (lock them, or unpack it)",
        )
    ]
    gone = local_project(tmp_path / "nope", "-e ./nope", "r.txt:2", set())
    assert _reasons(gone) == [
        ("-e ./nope (r.txt:2)", f"local project not found at {tmp_path}/nope")
    ]


@pytest.mark.parametrize(
    "files",
    [
        # pip-compile's output pins what the project declares: nothing is left to resolve
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["Requests_Toolbelt>=1"]\n'
            '[project.optional-dependencies]\ncli = ["click"]\n'
        },
        {
            "setup.cfg": "[options]\ninstall_requires =\n    requests_toolbelt\n    # a comment\n"
            "    click\n",
            "setup.py": SETUP_PY,
        },
        # a build configuration only (no [project]): nothing declared
        {"pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'},
        {"setup.cfg": "[metadata]\nname = x\n"},  # setup.cfg without setup.py: what it says
    ],
)
def test_local_project_fully_pinned_needs_no_resolver(
    tmp_path: Path, files: dict[str, str]
) -> None:
    folder = _project(tmp_path / "lib", files)
    found = local_project(folder, "-e ./lib", "r.txt:1", {"requests-toolbelt", "click"})
    assert (found.packages, found.unchecked) == ([], [])


@pytest.mark.parametrize(
    ("files", "source", "why"),
    [
        (
            {"Pipfile": '[packages]\nrequests = "*"\nmylib = {path = "./mylib"}\n'},
            "Pipfile (declared)",
            "mylib: not a registry requirement pip can resolve here",
        ),
        (
            {"pyproject.toml": '[project]\nname = "x"\ndynamic = ["dependencies"]\n'},
            "pyproject.toml (declared)",
            "the dependencies are dynamic: lock them (uv lock, pip lock, requirements)",
        ),
        (
            {"setup.py": SETUP_PY},
            "setup.py (declared)",
            "setup.py may declare dependencies, which only running it would tell: lock them "
            '(uv pip compile, pip-compile, pip lock), or allow-unchecked = ["setup.py"]',
        ),
    ],
)
def test_unlocked_project_reasons(
    tmp_path: Path, files: dict[str, str], source: str, why: str
) -> None:
    root = _project(tmp_path / "p", files)
    found = unlocked(root, [root / n for n in files])
    assert _reasons(found) == [(source, why)]


def test_locked_or_empty_projects_resolve_nothing(tmp_path: Path) -> None:
    locked = _project(
        tmp_path / "locked",
        {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["requests"]\n', "uv.lock": ""},
    )
    assert unlocked(locked, [locked / "uv.lock"]).unchecked == []  # the lock is read instead
    bare = _project(tmp_path / "bare", {"package.json": '{"name": "x", "scripts": {}}'})
    found = unlocked(bare, [])
    assert (found.packages, found.unchecked) == ([], [])  # no dependencies: npm is not asked


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", "[project\n", "pyproject.toml: not readable TOML"),
        ("package.json", "[1, 2]", "package.json: expected a JSON object at the top level"),
        ("package.json", "{oops", "package.json: not readable JSON"),
        ("setup.cfg", "[options\ninstall_requires = x\n", "setup.cfg: not readable"),
    ],
)
def test_unreadable_manifest_is_named(tmp_path: Path, name: str, text: str, message: str) -> None:
    root = _project(tmp_path / "p", {name: text})
    with pytest.raises(ScanError) as exc:
        unlocked(root, [])
    assert exc.value.message.startswith(message)
