"""`shipyard backup`: archive, verify, restore into a new folder, mirror to a bare remote."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

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
    runs = json.loads(run_cli("runs", "--json", cwd=dest).stdout)
    assert [r["result"] for r in runs] == ["passed"]  # the run history came back too


def test_a_tampered_archive_does_not_verify_or_restore(repo: GitRepo, tmp_path: Path) -> None:
    project(repo)
    archive = tmp_path / "b.tar.gz"
    run_cli("backup", "create", "-o", str(archive), cwd=repo.path)
    work = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    (work / "shipyard.db").write_bytes(b"garbage")
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for p in sorted(work.iterdir()):
            tar.add(p, arcname=p.name)
    r = run_cli("backup", "verify", str(bad), cwd=tmp_path)
    assert (r.returncode, r.stderr) == (
        1,
        f"error: {bad} does not verify: shipyard.db: "
        "checksum mismatch; shipyard.db: file is not a "
        "database\n",
    )
    r = run_cli("backup", "restore", str(bad), "--to", str(tmp_path / "r"), cwd=tmp_path)
    assert r.returncode == 1 and not (tmp_path / "r").exists()
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
