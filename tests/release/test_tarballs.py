"""release/tarballs.py: the packed package.json is rewritten inside a real `npm pack` tarball,
every other member kept byte for byte, the repository's own manifest never touched."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from shipyard.release import tarballs


def _members(tarball: Path) -> dict[str, bytes]:
    with tarfile.open(tarball, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def test_the_manifest_is_rewritten_in_the_tarball_only(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    manifest = '{"name": "a", "version": "1.0.0", "dependencies": {"b": "workspace:^"}}\n'
    (pkg / "package.json").write_text(manifest)
    (pkg / "index.js").write_text("module.exports = 1;\n")
    out = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", str(tmp_path)],
        cwd=pkg,
        capture_output=True,
        text=True,
        check=True,
    )
    tarball = tmp_path / json.loads(out.stdout)[0]["filename"]
    before = _members(tarball)
    tarballs.replace_manifest(tarball, lambda text: text.replace("workspace:^", "^2.0.0"))
    after = _members(tarball)
    assert json.loads(after["package/package.json"])["dependencies"] == {"b": "^2.0.0"}
    assert after["package/index.js"] == before["package/index.js"]
    assert set(after) == set(before)
    assert (pkg / "package.json").read_text() == manifest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-1.0.0.tgz", "pkg"]  # no temp left


def test_a_tarball_without_a_manifest_is_refused_and_kept(tmp_path: Path) -> None:
    tarball = tmp_path / "x.tgz"
    src = tmp_path / "index.js"
    src.write_text("1\n")
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(src, arcname="package/index.js")
    kept = tarball.read_bytes()
    with pytest.raises(ValueError, match=r"no package/package\.json"):
        tarballs.replace_manifest(tarball, str.upper)
    assert tarball.read_bytes() == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.js", "x.tgz"]
