"""Scanners fail closed: each test reproduces a way a scanner used to call unscanned input clean
(issue 12) and checks the gate now fails, or reads the input after all."""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shipyard.security import detect, rules
from tests.conftest import GitRepo, run_cli
from tests.security import planted
from tests.security.conftest import DATA


def _report(cwd: Path, *args: str) -> tuple[int, dict]:
    res = run_cli("scan", *args, "--format", "json", cwd=cwd)
    assert res.returncode in (0, 1), res.stderr
    return res.returncode, json.loads(res.stdout)["scanners"][0]


def test_large_minified_bundle_is_scanned_not_skipped(repo: GitRepo) -> None:
    # a 3.2 MB one-line bundle, as a bundler writes it, with an AWS key two thirds in
    chunk = "function a(b){return b.map(function(c){return c*2})};var x=[1,2,3];"
    filler = chunk * (3_200_000 // len(chunk))
    middle = len(filler) * 2 // 3
    bundle = filler[:middle] + f'var k="{planted.AWS}";' + filler[middle:]
    repo.write("dist/app.min.js", bundle)
    assert (repo.path / "dist/app.min.js").stat().st_size > 3_200_000
    rc, report = _report(repo.path, "secrets")
    assert rc == 1
    assert [(f["rule"], f["file"], f["line"]) for f in report["findings"]] == [
        ("aws-access-key-id", "dist/app.min.js", 1)
    ]
    assert report["skipped"] == []


def test_nul_byte_before_a_token_does_not_hide_it(repo: GitRepo) -> None:
    (repo.path / "dump.txt").write_bytes(b"header\0\1\2\n" + f"t={planted.GITHUB}\n".encode())
    rc, report = _report(repo.path, "secrets")
    assert rc == 1
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("github-pat", 2)]


def test_streaming_windows_find_what_one_pass_finds() -> None:
    detector = detect.Detector(rules.load_default())
    lines = [f"filler line {i} with nothing in it" for i in range(400)]
    for at, secret in ((3, planted.GITHUB), (57, planted.NPM), (58, planted.AWS)):
        lines[at] = f'token = "{secret}"'
    lines[200] = planted.PRIVATE_KEY.strip()  # longer than a window's step: must stay whole
    data = "\n".join(lines).encode()
    whole = detector.scan(data, "a.txt")
    assert len(whole) == 4
    for window in (1000, 2048, 4096):
        hits, size = detector.scan_stream(io.BytesIO(data), "a.txt", window, overlap=700)
        assert (hits, size) == (whole, len(data)), window


def test_unreadable_entry_fails_the_secrets_gate_unless_excluded(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    os.mkfifo(tmp_path / "pipe")  # found by the walk of a folder that is not a repository
    res = run_cli("scan", "secrets", cwd=tmp_path)
    assert res.returncode == 1
    assert "secrets: skipped 1 (1 not a regular file)" in res.stdout
    assert "secrets: FAILED (0 finding(s)): 1 file(s) could not be scanned" in res.stdout
    (tmp_path / "shipyard.toml").write_text('[scan.secrets]\nexclude = ["pipe"]\n')
    assert run_cli("scan", "secrets", cwd=tmp_path).returncode == 0


def test_size_limit_from_the_definition_skips_without_failing(repo: GitRepo) -> None:
    repo.write("big.txt", "x" * 200 + planted.GITHUB)
    repo.write("shipyard.toml", "[scan.secrets]\nmax-file-size = 100\n")
    rc, report = _report(repo.path, "secrets")
    assert rc == 0
    assert report["skipped"] == [
        {"what": "big.txt", "reason": "larger than max-file-size (100 bytes)", "allowed": True}
    ]


def test_symlink_is_read_as_its_target_text_never_followed(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(f'T = "{planted.GITHUB}"\n')
    os.symlink(outside, repo.path / "link.txt")
    rc, report = _report(repo.path, "secrets")
    assert (rc, report["findings"], report["skipped"]) == (0, [], [])


def test_code_scan_fails_when_no_analyzer_ran(tmp_path: Path, sarif_schema: dict[str, Any]) -> None:
    (tmp_path / "README.md").write_text("# docs only\n")
    res = run_cli("scan", "code", cwd=tmp_path)
    assert res.returncode == 1
    assert "code: FAILED (0 finding(s)): no analyzer ran" in res.stdout
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "index.js").write_text("eval(process.argv[2]);\n")
    res = run_cli("scan", "code", "--format", "sarif", cwd=tmp_path)
    assert res.returncode == 1
    document = json.loads(res.stdout)
    jsonschema.validate(document, sarif_schema)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts[0] == (  # a whole sentence: it once read "… eslint is not" as if cut off
        "package.json found but eslint is not installed (no node_modules/.bin/eslint): "
        "run `npm install --save-dev eslint`"
    )


@pytest.mark.slow  # loads the 2,661-record PyPI database twice
def test_unchecked_dependencies_make_sarif_unsuccessful(
    tmp_path: Path, pypi_db: Path, sarif_schema: dict[str, Any]
) -> None:
    shutil.copy(DATA / "lockfiles" / "package-lock.json", tmp_path / "package-lock.json")
    res = run_cli("scan", "deps", "--db", str(pypi_db), "--format", "sarif", cwd=tmp_path)
    assert res.returncode == 1
    document = json.loads(res.stdout)
    jsonschema.validate(document, sarif_schema)
    (run,) = document["runs"]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is False
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {(n["level"], n["descriptor"]["id"]) for n in notes} == {("error", "not-checked")}
    assert "not checked: lodash 4.17.11 (package-lock.json): the database has no npm " in (
        " ".join(n["message"]["text"] for n in notes)
    )
    (tmp_path / "shipyard.toml").write_text(
        '[scan.deps]\nallow-unchecked = ["lodash", "minimist", "left-pad"]\n'
    )
    res = run_cli("scan", "deps", "--db", str(pypi_db), "--format", "sarif", cwd=tmp_path)
    assert res.returncode == 0
    invocation = json.loads(res.stdout)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert {n["level"] for n in invocation["toolExecutionNotifications"]} == {"note"}


@pytest.mark.slow  # loads the 2,661-record PyPI database twice
def test_stale_database_fails_by_its_newest_record_not_its_file_time(
    tmp_path: Path, stale_pypi_db: Path
) -> None:
    db = tmp_path / "PyPI-all.zip"
    shutil.copy(stale_pypi_db, db)  # the copy's mtime is now; its newest record is 2024-10-10
    (tmp_path / "requirements.txt").write_text("PyYAML==6.0.2\n")
    res = run_cli("scan", "deps", "--db", str(db), cwd=tmp_path)
    assert res.returncode == 1
    assert (
        "deps: FAILED (0 finding(s)): the advisory database is stale: its newest record is "
        "from 2024-10-10, "
    ) in res.stdout
    assert "(limit 7.0 days, [scan.deps] max-age); run `shipyard scan db update`" in res.stdout
    fresh = tmp_path / "fresh"  # newest record three days old: within the default 7 days
    fresh.mkdir()
    for name, days in (("OLD-1", 400), ("NEW-1", 3)):
        stamp = datetime.now(UTC) - timedelta(days=days)
        record = {
            "id": name,
            "modified": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "affected": [{"package": {"ecosystem": "PyPI", "name": "other"}, "versions": ["1"]}],
        }
        (fresh / f"{name}.json").write_text(json.dumps(record))
    assert run_cli("scan", "deps", "--db", "fresh", cwd=tmp_path).returncode == 0
    (tmp_path / "shipyard.toml").write_text('[scan.deps]\nmax-age = "48h"\n')
    res = run_cli("scan", "deps", "--db", "fresh", cwd=tmp_path)
    assert res.returncode == 1
    assert "3.0 days ago (limit 2.0 days, [scan.deps] max-age)" in res.stdout
