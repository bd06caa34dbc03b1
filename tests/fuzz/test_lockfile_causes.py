"""One test per lockfile and advisory root cause of issue 13, through the real `scan deps`:
malformed OSV records, damaged archives and odd lockfiles are named errors (exit 2)."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shipyard.security import npmlocks, pylocks
from shipyard.security.interface import ScanError
from tests.fuzz.contract import rejected, shipyard

NOW = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def advisory(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "GHSA-test-0001",
        "modified": NOW,
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "requests"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20"}]}
                ],
                "versions": ["2.19.0"],
            }
        ],
    }
    record.update(changes)
    return record


def database(tmp_path: Path, record: Any) -> Path:
    db = tmp_path / "db"
    db.mkdir(exist_ok=True)
    (db / "GHSA-test-0001.json").write_text(json.dumps(record))
    return db


def affected(**changes: Any) -> list[Any]:
    entry: dict[str, Any] = {"package": {"ecosystem": "PyPI", "name": "requests"}}
    entry.update(changes)
    return [entry]


BAD_RECORDS = [
    ({"affected": ["x"]}, "`affected[0]` is not an object"),
    ({"affected": 5}, "`affected` is not a list"),
    ({"affected": affected(versions=5)}, "`affected[0].versions` is not a list of strings"),
    ({"affected": affected(ranges=[{"events": [{}]}])}, "`affected[0].ranges[0].events[0]`"),
    ({"affected": affected(ranges=[{"events": [{"fixed": 2}]}])}, "events[0]"),
    ({"affected": affected(ranges=[{"events": 1}])}, "`affected[0].ranges[0].events` is not"),
    ({"affected": affected(ranges=["x"])}, "`affected[0].ranges` is not a list of objects"),
    ({"affected": affected(package=[1])}, "`affected[0].package` is not an object"),
    ({"severity": "HIGH"}, "`severity` is not a list of objects"),
    ({"database_specific": "x"}, "`database_specific` is not an object"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_RECORDS)
def test_malformed_osv_record_is_named(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.19.0\n")
    db = database(tmp_path, advisory(**changes))
    outcome = shipyard(tmp_path, "scan", "deps", "--db", str(db))
    rejected(outcome, db / "GHSA-test-0001.json", message)


def test_the_valid_record_finds_the_vulnerability(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.19.0\n")
    db = database(tmp_path, advisory())
    outcome = shipyard(tmp_path, "scan", "deps", "--db", str(db))
    assert outcome.code == 1 and "GHSA-test-0001" in outcome.stdout, outcome


def test_deeply_nested_advisory(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.19.0\n")
    db = tmp_path / "db"
    db.mkdir()
    (db / "DEEP.json").write_text('{"id": "X", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    rejected(shipyard(tmp_path, "scan", "deps", "--db", str(db)), db / "DEEP.json", "nested")


def test_corrupt_member_of_the_advisory_zip(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.19.0\n")
    archive = tmp_path / "PyPI-all.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("GHSA-test-0001.json", json.dumps(advisory()) * 20)
    data = bytearray(archive.read_bytes())
    data[60:70] = b"\x00" * 10  # inside the member's compressed data: CRC or inflate fails
    archive.write_bytes(bytes(data))
    outcome = shipyard(tmp_path, "scan", "deps", "--db", str(archive))
    rejected(outcome, f"{archive}!GHSA-test-0001.json", "damaged member")


def test_pnpm_packages_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "pnpm-lock.yaml").write_text("lockfileVersion: '9.0'\npackages: 5\n")
    with pytest.raises(ScanError, match="`packages` is not a mapping"):
        npmlocks.pnpm_lock(tmp_path / "pnpm-lock.yaml", "pnpm-lock.yaml")


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_package_lock_v1(tmp_path: Path, depth: int) -> None:
    """300 levels (600 of JSON) are read with a stack; 3,000 are refused by name."""
    lock = tmp_path / "package-lock.json"
    # written by hand: json.dumps itself recurses
    text = "".join(f'{{"p{i}": {{"version": "1.0.0", "dependencies": ' for i in range(depth))
    lock.write_text('{"lockfileVersion": 1, "dependencies": ' + text + "{}" + "}}" * depth + "}")
    if depth < 1000:  # the old recursive walk needed a frame per level
        assert len(npmlocks.package_lock(lock, "package-lock.json").packages) == depth
    else:
        with pytest.raises(ScanError, match=r"package-lock\.json: JSON nested too deeply"):
            npmlocks.package_lock(lock, "package-lock.json")


def test_unknown_package_lock_layout_is_an_error(tmp_path: Path) -> None:
    lock = tmp_path / "package-lock.json"
    lock.write_text('{"lockfileVersion": 4, "pkgs": {"node_modules/a": {"version": "1.0.0"}}}')
    rejected(
        shipyard(tmp_path, "scan", "deps", "--db", str(tmp_path)),
        "package-lock.json",
        "unknown package-lock layout",
    )


def test_requirement_continued_on_the_last_line_is_kept(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("flask==2.0.0\nrequests==2.19.0 \\\n")
    found = pylocks.requirements(req, "requirements.txt")
    assert [(p.name, p.version) for p in found.packages] == [
        ("flask", "2.0.0"),
        ("requests", "2.19.0"),
    ]
    req.write_text("requests==2.19.0 \\\n    --hash=sha256:abc \\\n")
    assert [p.name for p in pylocks.requirements(req, "r").packages] == ["requests"]


def test_non_utf8_lockfile_names_the_byte(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"requests==2.19.0\n# caf\xe9\n")
    outcome = shipyard(tmp_path, "scan", "deps", "--db", str(database(tmp_path, advisory())))
    rejected(outcome, "requirements.txt", "byte offset 22", "line 2")
