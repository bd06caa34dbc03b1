"""Version files: each gets the new version in its own notation, formatting kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipyard.errors import UsageError
from shipyard.release.files import plan
from shipyard.versions import parse

V = parse("2.0.0-rc.1")


def test_every_kind_of_version_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"  # keep me\nversion = "1.9.0"\n\n[tool.x]\nversion = "1.9.0"\n'
    )
    (tmp_path / "package.json").write_text('{\n    "name": "x",\n    "version": "1.9.0"\n}\n')
    (tmp_path / "package-lock.json").write_text(
        json.dumps(
            {
                "name": "x",
                "version": "1.9.0",
                "packages": {"": {"version": "1.9.0"}, "node_modules/y": {"version": "1.9.0"}},
            },
            indent=2,
        )
    )
    (tmp_path / "src" / "x").mkdir(parents=True)
    (tmp_path / "src/x/__init__.py").write_text('"""x."""\n__version__ = "1.9.0"\n')
    (tmp_path / "README.md").write_text("pip install x==1.9.0\nsee 1.9.0 notes\ndep 11.9.0\n")
    assert V is not None
    new = plan(tmp_path, V, ["1.9.0"], ["README.md:pip install"])
    assert new[tmp_path / "pyproject.toml"] == (
        '[project]\nname = "x"  # keep me\nversion = "2.0.0rc1"\n\n[tool.x]\nversion = "1.9.0"\n'
    )
    assert new[tmp_path / "package.json"] == (
        '{\n    "name": "x",\n    "version": "2.0.0-rc.1"\n}\n'
    )
    lock = json.loads(new[tmp_path / "package-lock.json"])
    assert (lock["version"], lock["packages"][""]["version"]) == ("2.0.0-rc.1", "2.0.0-rc.1")
    assert lock["packages"]["node_modules/y"]["version"] == "1.9.0"
    assert new[tmp_path / "src/x/__init__.py"] == '"""x."""\n__version__ = "2.0.0rc1"\n'
    assert new[tmp_path / "README.md"] == ("pip install x==2.0.0rc1\nsee 1.9.0 notes\ndep 11.9.0\n")


def test_dynamic_version_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndynamic = ["version"]\n')
    assert V is not None
    assert plan(tmp_path, V, ["1.0.0"], []) == {}


def test_missing_configured_file(tmp_path: Path) -> None:
    assert V is not None
    with pytest.raises(UsageError) as exc:
        plan(tmp_path, V, [], ["VERSION"])
    assert exc.value.render() == (
        f"error: release.version-files: VERSION does not exist in {tmp_path}\n"
        "  hint: fix the path, or remove the entry"
    )


def test_crlf_files_keep_their_line_ends(tmp_path: Path) -> None:
    """A Windows checkout's manifests stay CRLF (a one-package release wrote them as LF)."""
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\r\nname = "x"\r\nversion = "1.9.0"\r\n')
    (tmp_path / "package.json").write_bytes(b'{\n  "name": "x",\n  "version": "1.9.0"\n}\n')
    assert V is not None
    new = plan(tmp_path, V, ["1.9.0"], [])
    assert new[tmp_path / "pyproject.toml"] == (
        '[project]\r\nname = "x"\r\nversion = "2.0.0rc1"\r\n'
    )
    assert new[tmp_path / "package.json"] == '{\n  "name": "x",\n  "version": "2.0.0-rc.1"\n}\n'
