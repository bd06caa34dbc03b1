"""The shared report: SARIF valid against the official 2.1.0 schema with stable fingerprints,
the CycloneDX SBOM valid against its schema, the gates, licences and the code analyzers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shipyard.security import gates, licenses
from shipyard.security.interface import Finding, ScanResult, Severity, Skipped
from shipyard.security.packages import Package
from shipyard.security.settings import Settings
from tests.conftest import GitRepo, run_cli
from tests.security import planted
from tests.security.conftest import DATA, REPO_ROOT


def test_sarif_is_valid_and_fingerprints_survive_a_move(
    repo: GitRepo, sarif_schema: dict[str, Any], npm_db: Path
) -> None:
    repo.write("src/app.py", planted.CORPUS["src/app.py"][0])
    shutil.copy(DATA / "lockfiles" / "package-lock.json", repo.path / "package-lock.json")
    res = run_cli(
        "scan", "--format", "sarif", "--output", "out.sarif", "--db", str(npm_db), cwd=repo.path
    )
    assert res.returncode == 1, res.stderr
    assert "wrote sarif report to out.sarif" in res.stdout
    first = json.loads((repo.path / "out.sarif").read_text())
    jsonschema.validate(first, sarif_schema)
    runs = {r["tool"]["driver"]["name"]: r for r in first["runs"]}
    assert set(runs) == {"shipyard-secrets", "shipyard-deps", "shipyard-code", "shipyard-licenses"}
    (secret,) = runs["shipyard-secrets"]["results"]
    assert secret["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    repo.write("src/app.py", "\n\n" + planted.CORPUS["src/app.py"][0])
    run_cli("scan", "secrets", "--format", "sarif", "--output", "again.sarif", cwd=repo.path)
    results = json.loads((repo.path / "again.sarif").read_text())["runs"][0]["results"]
    (moved,) = [r for r in results if r["ruleId"] == "github-pat"]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert moved["partialFingerprints"] == secret["partialFingerprints"]
    # the full scan writes the SBOM too: under the state folder, not in the project root
    assert (repo.path / ".shipyard/reports/sbom.cdx.json").is_file()
    assert not (repo.path / "sbom.cdx.json").exists()


def test_sbom_is_valid_cyclonedx(tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    shutil.copy(DATA / "lockfiles" / "package-lock.json", tmp_path / "package-lock.json")
    shutil.copy(DATA / "lockfiles" / "uv.lock", tmp_path / "uv.lock")
    res = run_cli("scan", "sbom", "--output", "bom.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "wrote CycloneDX 1.6 SBOM with 10 component(s) to bom.json" in res.stdout
    text = (tmp_path / "bom.json").read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert bom["specVersion"] == "1.6"
    purls = {c["purl"] for c in bom["components"]}
    assert {"pkg:npm/lodash@4.17.11", "pkg:pypi/requests@2.19.0"} <= purls
    left_pad = next(c for c in bom["components"] if c["name"] == "left-pad")
    assert left_pad["licenses"] == [{"expression": "WTFPL"}]


def _finding(scanner: str, severity: Severity, rule: str = "r") -> Finding:
    return Finding(scanner, rule, severity, "m")


def test_gates_follow_the_settings() -> None:
    s = Settings()
    assert gates.failing(_finding("secrets", Severity.LOW), s)
    assert gates.failing(_finding("deps", Severity.MODERATE), s)
    assert not gates.failing(_finding("deps", Severity.LOW), s)
    assert gates.failing(_finding("deps", Severity.UNKNOWN), s)  # counted as high by default
    assert not gates.failing(
        _finding("deps", Severity.UNKNOWN), Settings(unknown_severity=Severity.LOW)
    )
    assert not gates.failing(_finding("code", Severity.MODERATE), s)
    assert gates.failing(_finding("code", Severity.HIGH), s)
    assert gates.failing(_finding("licenses", Severity.HIGH, "license-denied"), s)
    assert not gates.failing(_finding("licenses", Severity.MODERATE, "license-unknown"), s)
    unchecked = ScanResult("deps", skipped=[Skipped("left-pad 1.3.0 (x)", "why")])
    assert not gates.evaluate(unchecked, s).passed
    assert gates.evaluate(unchecked, Settings(allow_unchecked=frozenset({"left-pad"}))).passed


def test_licence_policy_on_spdx_expressions() -> None:
    pkg = Package("npm", "p", "1.0.0", "package-lock.json")
    deny = ["GPL-3.0-only", "AGPL-3.0-only"]
    assert licenses.check(pkg, "MIT", (), deny) is None
    assert licenses.check(pkg, "MIT OR GPL-3.0-only", (), deny) is None  # MIT can be chosen
    denied = licenses.check(pkg, "MIT AND GPL-3.0-only", (), deny)
    assert denied is not None and denied.message == "p 1.0.0: MIT AND GPL-3.0-only is denied"
    allow = ["MIT", "Apache-2.0"]
    assert licenses.check(pkg, "Apache-2.0 WITH LLVM-exception", allow, ()) is None
    not_allowed = licenses.check(pkg, "WTFPL", allow, ())
    assert not_allowed is not None and not_allowed.rule == "license-denied"
    assert not_allowed.message == "p 1.0.0: WTFPL is not in the allow list"
    assert licenses.check(pkg, "MIT License", allow, ()) is None  # a trove classifier name
    unknown = licenses.check(pkg, None, allow, ())
    assert unknown is not None and unknown.rule == "license-unknown"


def test_licenses_command_denies_from_the_lockfile(tmp_path: Path) -> None:
    shutil.copy(DATA / "lockfiles" / "package-lock.json", tmp_path / "package-lock.json")
    (tmp_path / "shipyard.toml").write_text('[scan.licenses]\ndeny = ["WTFPL"]\n')
    res = run_cli("scan", "licenses", cwd=tmp_path)
    assert res.returncode == 1
    assert "left-pad 1.3.0: WTFPL is denied" in res.stdout
    assert "licenses: FAILED (1 finding(s)): 1 finding(s) at or above the gate" in res.stdout


def test_bandit_findings_are_normalised(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
    )
    res = run_cli("scan", "code", "--format", "json", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    findings = json.loads(res.stdout)["scanners"][0]["findings"]
    assert {f["rule"]: f["severity"] for f in findings} == {
        "bandit:B602": "high",
        "bandit:B404": "low",
    }
    finding = next(f for f in findings if f["rule"] == "bandit:B602")
    assert (finding["rule"], finding["severity"], finding["file"], finding["line"]) == (
        "bandit:B602",
        "high",
        "app.py",
        5,
    )


def test_unknown_config_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text("[scan.secrets]\nbaselin = 'x'\n")
    res = run_cli("scan", "secrets", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.startswith(
        f"error: {tmp_path / 'shipyard.toml'}: scan.secrets.baselin: unknown key\n"
        "  hint: did you mean 'baseline'?"
    )


def test_bandit_password_findings_are_redacted(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(f'password = "{planted.GENERIC}"\n')
    res = run_cli("scan", "code", "--format", "json", cwd=tmp_path)
    (finding,) = json.loads(res.stdout)["scanners"][0]["findings"]
    assert finding["rule"] == "bandit:B105"
    assert planted.GENERIC not in res.stdout
    assert finding["message"] == f"Possible hardcoded password: '{planted.GENERIC[:4]}…(32 chars)'"


@pytest.mark.node
def test_eslint_security_rules_on_node_code(tmp_path: Path) -> None:
    (tmp_path / "node_modules").symlink_to(REPO_ROOT / "tests" / "node" / "node_modules")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "index.js").write_text(
        "const code = process.argv[2];\neval(code);\nexport const f = new Function('a', code);\n"
    )
    res = run_cli("scan", "--format", "json", "code", cwd=tmp_path)  # option before sub-command
    assert res.returncode == 1, res.stderr
    findings = json.loads(res.stdout)["scanners"][0]["findings"]
    assert [(f["rule"], f["line"], f["severity"]) for f in findings] == [
        ("eslint:no-eval", 2, "high"),
        ("eslint:no-new-func", 3, "high"),
    ]


def test_installed_environment_licences_and_vulnerabilities(tmp_path: Path, pypi_db: Path) -> None:
    site = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages"
    for name, version, header in (
        ("requests", "2.19.0", "License: Apache 2.0"),
        ("copyleft", "1.0", "License-Expression: GPL-3.0-only"),
        ("classic", "2.0", "Classifier: License :: OSI Approved :: MIT License"),
    ):
        info = site / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{header}\n"
        )
    (tmp_path / "shipyard.toml").write_text('[scan.licenses]\ndeny = ["GPL-3.0-only"]\n')
    res = run_cli("scan", "licenses", "--format", "json", cwd=tmp_path)
    findings = json.loads(res.stdout)["scanners"][0]["findings"]
    assert [f["message"] for f in findings] == ["copyleft 1.0: GPL-3.0-only is denied"]
    res = run_cli(
        "scan", "deps", "--installed", "--db", str(pypi_db), "--format", "sarif", cwd=tmp_path
    )
    assert res.returncode == 1
    results = json.loads(res.stdout)["runs"][0]["results"]
    assert "PYSEC-2018-28" in {r["ruleId"] for r in results}
    assert all("locations" not in r for r in results)  # site-packages is outside the repo


def test_output_needs_a_file_format(tmp_path: Path) -> None:
    res = run_cli("scan", "secrets", "--output", "x.json", cwd=tmp_path)
    assert (res.returncode, res.stderr) == (
        2,
        "error: --output writes a report file: add --format json or --format sarif\n",
    )


def test_clean_project_passes_every_gate(repo: GitRepo) -> None:
    repo.write("app.py", "def add(a, b):\n    return a + b\n")
    res = run_cli("scan", cwd=repo.path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.splitlines() == [
        "secrets: passed (0 finding(s))",
        "deps: passed (0 finding(s))",
        "code: passed (0 finding(s))",
        "licenses: passed (0 finding(s))",
    ]
    assert res.stderr == f"warning: deps: no dependency files found in {repo.path}\n"
    bom = json.loads((repo.path / ".shipyard/reports/sbom.cdx.json").read_text())
    assert bom.get("components", []) == [] and bom["metadata"]["component"]["name"] == "repo"


def test_full_scan_reports_a_scanner_that_could_not_run(
    repo: GitRepo, sarif_schema: dict[str, Any]
) -> None:
    repo.write("requirements.txt", "requests==2.19.0\n")
    repo.write("app.py", planted.CORPUS["src/app.py"][0])
    res = run_cli("scan", cwd=repo.path)
    assert res.returncode == 2
    assert "secrets: FAILED (1 finding(s)): 1 finding(s) at or above the gate" in res.stdout
    assert (
        f"deps: ERROR (0 finding(s)): could not run: no advisory database at "
        f"{repo.path / '.shipyard/osv'} (hint: run `shipyard scan db update`, or pass --db "
        "with an OSV all.zip or folder)"
    ) in res.stdout
    res = run_cli("scan", "--format", "sarif", cwd=repo.path)
    document = json.loads(res.stdout)
    jsonschema.validate(document, sarif_schema)
    deps = next(r for r in document["runs"] if r["tool"]["driver"]["name"] == "shipyard-deps")
    assert deps["invocations"][0]["executionSuccessful"] is False
