# ruff: noqa: E501 -- the gitleaks-style rule below keeps its one long regex line
"""Rule files in gitleaks' format and the detector, on plain data."""

from __future__ import annotations

import tomllib

import pytest

from shipyard.security import detect, rules
from shipyard.security.interface import ScanError
from tests.conftest import GitRepo
from tests.security import planted

GITLEAKS_STYLE = """
title = "gitleaks config"
[extend]
useDefault = true

[allowlist]
paths = ['''(?:^|/)fixtures/''']

[[rules]]
id = "acme-key"
regex = '''(?i)[\\w.-]{0,50}?(?:acme)(?:[ \\t\\w.-]{0,20})[\\s'"]{0,3}(?:=|:)[\\x60'"\\s=]{0,5}([a-z0-9]{24})(?:[\\x60'"\\s;]|$)'''
entropy = 3
keywords = ["acme"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''(?i)example''']
[[rules.allowlists]]
condition = "AND"
stopwords = ["zz"]
paths = ['''\\.md$''']

[[rules]]
id = "acme-only-in-env"
regex = '''(ACMEENV_[A-Z0-9]{12})'''
path = '''\\.env$'''
keywords = ["acmeenv_"]

[[rules]]
id = "pkcs12-file"
path = '''(?i)(?:^|/)[^/]+\\.p(?:12|fx)$'''
"""


@pytest.fixture(scope="module")
def detector() -> detect.Detector:
    return detect.Detector(rules.parse(tomllib.loads(GITLEAKS_STYLE), "gitleaks.toml"))


def _rules_hit(d: detect.Detector, text: str, path: str = "a.py") -> list[tuple[str, int]]:
    return [(h.rule, h.line) for h in d.scan(text.encode(), path)]


def test_gitleaks_rule_format(detector: detect.Detector) -> None:
    key = planted.token(24, "abcdefghij0123456789")
    assert _rules_hit(detector, f"x = 1\nacme_key = '{key}'\n") == [("acme-key", 2)]
    assert _rules_hit(detector, f"acme_key = '{key}'  # example\n") == []  # line allowlist
    assert _rules_hit(detector, f"acme_key = '{key}'\n", "fixtures/a.py") == []  # global path
    assert detector.path_allowed("fixtures/a.py")
    zz_key = "zz" + key[2:]
    assert _rules_hit(detector, f"acme = '{zz_key}'\n", "a.py") == [("acme-key", 1)]  # AND
    assert _rules_hit(detector, f"acme = '{zz_key}'\n", "doc.md") == []
    env = "ACMEENV_" + planted.token(12, "ABCDEFGH2345")
    assert _rules_hit(detector, f"X={env}\n", "a.py") == []
    assert _rules_hit(detector, f"X={env}\n", "prod.env") == [("acme-only-in-env", 1)]
    assert [h.rule for h in detector.path_hits("deploy/prod.PFX")] == ["pkcs12-file"]
    assert detector.path_hits("deploy/prod.pfx.md") == []


def test_default_rules_dedupe_generic_and_keep_provider() -> None:
    d = detect.Detector(rules.load_default())
    hits = d.scan(f'aws_secret_key = "{planted.AWS}"\n'.encode(), "a.py")
    assert [(h.rule, h.redacted) for h in hits] == [("aws-access-key-id", "AKIA…(20 chars)")]


def test_entropy_and_redaction() -> None:
    assert detect.entropy(b"aaaa") == 0.0
    assert detect.entropy(b"abcd") == 2.0
    assert detect.redact(b"short") == "…(5 chars)"
    assert detect.redact(b"12345678") == "12…(8 chars)"


def test_rule_without_id_or_regex_is_an_error() -> None:
    with pytest.raises(ScanError, match=r"^x.toml: rules\[0\]: missing `id`$"):
        rules.parse({"rules": [{"regex": "a"}]}, "x.toml")
    with pytest.raises(ScanError, match=r"^x.toml: rules\[0\] \(r\): missing `regex`$"):
        rules.parse({"rules": [{"id": "r"}]}, "x.toml")


def test_every_default_rule_compiles() -> None:
    for rule in rules.load_default().rules:
        assert rule.regex.groups >= 0, rule.id


@pytest.mark.parametrize("kind", ["missing", "folder", "second entry missing"])
def test_rule_file_of_the_definition_missing_or_unreadable(repo: GitRepo, kind: str) -> None:
    """`[scan.secrets] rules`: a file that is not there (or a folder) names the key and the file."""
    from tests.fuzz.contract import rejected, shipyard

    repo.write("ok.toml", '[[rules]]\nid = "r"\nregex = "x"\n')
    names = {"missing": ["x.toml"], "folder": ["d"], "second entry missing": ["ok.toml", "x.toml"]}
    (repo.path / "d").mkdir()
    listed = ", ".join(f'"{n}"' for n in names[kind])
    repo.write("shipyard.toml", f'[stages.a]\nrun = "true"\n\n[scan.secrets]\nrules = [{listed}]\n')
    outcome = shipyard(repo.path, "scan", "secrets")
    bad = repo.path / names[kind][-1]
    entry = f"entry {len(names[kind])}"
    rejected(outcome, repo.path / "shipyard.toml", "scan.secrets.rules", entry, str(bad))
