"""archive.read against crafted backup archives: each manifest and member shipyard never writes
is refused with its reason (exit 2 material), and what a damaged one lacks is a problem."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from shipyard import archive
from shipyard.errors import InputError

GOOD = b"bundle bytes"


def _entry(data: bytes) -> dict[str, object]:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _write(path: Path, members: list[tuple[str, bytes | tarfile.TarInfo]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            if isinstance(data, tarfile.TarInfo):
                tar.addfile(data)
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _manifest(files: Mapping[str, object], **extra: object) -> bytes:
    return json.dumps({"format": archive.FORMAT, "files": files, **extra}).encode()


def _link(name: str, kind: bytes, target: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


OK_MANIFEST = _manifest({archive.BUNDLE: _entry(GOOD)})


@pytest.mark.parametrize(
    ("members", "why"),
    [
        ([(archive.BUNDLE, GOOD)], "the first member is not MANIFEST.json"),
        ([(archive.MANIFEST, b"{not json")], "MANIFEST.json is not JSON"),
        ([(archive.MANIFEST, b"[1]")], "MANIFEST.json is not an object"),
        (
            [(archive.MANIFEST, json.dumps({"format": 1, "files": {}}).encode())],
            "MANIFEST.json does not list a checksum for every member",
        ),
        (
            [(archive.MANIFEST, _manifest({}, artifacts=["dist", "a/.GIT/hooks"]))],
            "MANIFEST.json: artifacts must be relative paths outside .git/",
        ),
        (
            [
                (
                    archive.MANIFEST,
                    _manifest({"artifacts/other/x": _entry(b"x")}, artifacts=["dist"]),
                )
            ],
            "MANIFEST.json: the entry 'artifacts/other/x' is not a member shipyard writes",
        ),
        (
            [(archive.MANIFEST, _manifest({"elsewhere/x": _entry(b"x")}))],
            "MANIFEST.json: the entry 'elsewhere/x' is not a member shipyard writes",
        ),
        (
            [(archive.MANIFEST, OK_MANIFEST), ("x", _link("x", tarfile.SYMTYPE, "/etc"))],
            "the member x is a symbolic link to /etc",
        ),
        (
            [(archive.MANIFEST, OK_MANIFEST), ("h", _link("h", tarfile.LNKTYPE, "repo.bundle"))],
            "the member h is a hard link to repo.bundle",
        ),
        (
            [(archive.MANIFEST, OK_MANIFEST), ("f", _link("f", tarfile.FIFOTYPE, ""))],
            "the member f is a device or special file",
        ),
        (
            [(archive.MANIFEST, OK_MANIFEST), ("extra.txt", b"x")],
            "the member extra.txt is not in MANIFEST.json",
        ),
        (
            [(archive.MANIFEST, OK_MANIFEST), (archive.BUNDLE, GOOD), (archive.BUNDLE, GOOD)],
            "the member repo.bundle appears twice",
        ),
    ],
)
def test_refused(
    tmp_path: Path, members: list[tuple[str, bytes | tarfile.TarInfo]], why: str
) -> None:
    path = _write(tmp_path / "b.tar.gz", members)
    with pytest.raises(InputError) as exc:
        archive.read(path, tmp_path / "out")
    assert exc.value.message == f"{path}: {why}"


def test_member_limit(tmp_path: Path) -> None:
    files = {f"artifacts/dist/{i}": _entry(b"") for i in range(3)}
    members: list[tuple[str, bytes | tarfile.TarInfo]] = [
        (archive.MANIFEST, _manifest(files, artifacts=["dist"]))
    ]
    members += [(name, b"") for name in files]
    path = _write(tmp_path / "b.tar.gz", members)
    with pytest.raises(InputError) as exc:
        archive.read(path, tmp_path / "out", archive.Limits(max_members=2))
    assert exc.value.message == f"{path}: more than 2 members"
    got = archive.read(path, tmp_path / "out2")
    assert got.problems == [] and sorted(got.files) == sorted(files)


def test_what_is_missing_or_wrong_is_a_problem_not_a_refusal(tmp_path: Path) -> None:
    files = {
        archive.BUNDLE: _entry(GOOD),
        archive.DB_NAME: _entry(b"db"),
        "artifacts/dist/w": {"size": 1, "sha256": hashlib.sha256(b"v").hexdigest()},
    }
    members: list[tuple[str, bytes | tarfile.TarInfo]] = [
        (archive.MANIFEST, _manifest(files, artifacts=["dist"])),
        ("artifacts", _dir()),
    ]
    members += [(archive.BUNDLE, b"bundle bytez"), ("artifacts/dist/w", b"w")]
    path = _write(tmp_path / "b.tar.gz", members)
    got = archive.read(path, tmp_path / "out")
    assert got.problems == [
        "repo.bundle: checksum mismatch",
        "artifacts/dist/w: checksum mismatch",
        "shipyard.db: missing",
    ]
    assert (tmp_path / "out" / archive.BUNDLE).read_bytes() == b"bundle bytez"


def _dir() -> tarfile.TarInfo:
    info = tarfile.TarInfo("artifacts")
    info.type = tarfile.DIRTYPE
    return info


def test_missing_or_truncated_archive(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        archive.read(tmp_path / "none.tar.gz", tmp_path / "out")
    assert exc.value.message == f"{tmp_path / 'none.tar.gz'}: no such backup archive"
    good = _write(tmp_path / "b.tar.gz", [(archive.MANIFEST, OK_MANIFEST), (archive.BUNDLE, GOOD)])
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[:-30])
    with pytest.raises(InputError) as exc:
        archive.read(cut, tmp_path / "out3")
    assert exc.value.message.startswith(f"{cut}: damaged archive (")
