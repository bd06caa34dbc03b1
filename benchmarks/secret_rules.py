"""Recall and false positives of the default secret rules on the provider corpus.

    python benchmarks/secret_rules.py [GITLEAKS_TOML]

The corpus is tests/security/data/secret_corpus.toml: for each rule a synthetic token of the
provider's documented format in a typical line (true positive) and a look-alike that is not a
secret (false positive). Prints, for shipyard's default rules: recall (the exact secret found)
and the false positives. With the path of gitleaks' own `config/gitleaks.toml`, the same corpus
goes through those rules too (evaluated by shipyard's engine, not the gitleaks binary; rules
RE2 cannot compile are listed and left out), with two recalls: the exact secret, and any hit on
the line (gitleaks' rules often take a wider span as the secret). Goal: recall >= 98 % with no
more false positives than gitleaks' rules.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.security import corpus

from shipyard.security import detect, rules
from shipyard.security.interface import ScanError


def measure(name: str, ruleset: rules.RuleSet) -> None:
    detector = detect.Detector(ruleset)
    cases = corpus.cases()
    exact = anywhere = false = 0
    for case in cases:
        hits = detector.scan(case.tp.encode(), case.file)
        wanted = detect.secret_hash(case.secret.encode())
        exact += any(h.secret_hash == wanted for h in hits)
        anywhere += bool(hits)
        noise = detector.scan(case.fp.encode(), case.file)
        if noise:
            false += 1
            print(f"  {name}: false positive on the {case.rule} sample: {noise[0].rule}")
    n = len(cases)
    print(
        f"{name}: {len(ruleset.rules)} rules, {n} cases: recall {exact / n:.1%} exact secret, "
        f"{anywhere / n:.1%} any hit; false positives {false}/{n}"
    )


def gitleaks(path: Path) -> rules.RuleSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    usable = []
    for raw in data.get("rules", []):
        try:
            rules.parse({"rules": [raw]}, str(path))
            usable.append(raw)
        except ScanError as exc:
            print(f"  gitleaks: rule {raw.get('id')} left out: {exc.message[:90]}")
    return rules.parse({**data, "rules": usable}, str(path))


def main() -> None:
    measure("shipyard", rules.load_default())
    if len(sys.argv) > 1:
        measure("gitleaks", gitleaks(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
