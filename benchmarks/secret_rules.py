"""Recall and false positives of the default secret rules on the provider corpus.

    python benchmarks/secret_rules.py [GITLEAKS_TOML [GITLEAKS_RULE_SOURCES]]

The corpus is tests/security/data/secret_corpus.toml: for each rule a synthetic token of the
provider's documented format in a typical line (true positive) and a look-alike that is not a
secret (false positive). Prints, for shipyard's default rules: recall (the exact secret found)
and the false positives. With the path of gitleaks' own `config/gitleaks.toml`, the same corpus
goes through those rules too (evaluated by shipyard's engine, not the gitleaks binary; rules
RE2 cannot compile are listed and left out), with two recalls: the exact secret, and any hit on
the line (gitleaks' rules often take a wider span as the secret). Goal: recall >= 98 % with no
more false positives than gitleaks' rules.

With the folder of gitleaks' rule sources too (`cmd/generate/config/rules` of a gitleaks
checkout), the literal samples its own tests use (the `tps` and `fps` string literals, and the
secrets given to `GenerateSampleSecrets`, put in three assignment forms) are read with a rough
parser of those Go files and scanned by both rule sets: a public corpus nobody here wrote.
"""

from __future__ import annotations

import re
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


_LIT = r'(`[^`]*`|"(?:[^"\\\n]|\\.)*")'


def _unquote(literal: str) -> str:
    if literal.startswith("`"):
        return literal[1:-1]
    return literal[1:-1].encode().decode("unicode_escape", "replace")


def go_samples(folder: Path, name: str) -> list[str]:
    """The literal `tps` (or `fps`) samples of gitleaks' rule sources (a rough parse)."""
    found: list[str] = []
    for source in sorted(folder.glob("*.go")):
        text = source.read_text(encoding="utf-8")
        for m in re.finditer(rf"\b{name}\s*:?=\s*", text):
            ends = [
                text.find(s, m.end()) for s in ("return utils.Validate", "\n\tfps ", "\n\ttps ")
            ]
            block = text[m.end() : min([e for e in ends if e != -1] or [len(text)])]
            for g in re.finditer(
                r"GenerateSampleSecrets\(\s*" + _LIT + r"\s*,\s*" + _LIT + r"\s*\)", block
            ):
                ident, secret = _unquote(g.group(1)), _unquote(g.group(2))
                found += [f'{ident}_api_token = "{secret}"', f"{ident.upper()}_TOKEN={secret}"]
                found.append(f'"{ident}Key": "{secret}"')
            found += [
                _unquote(g.group(1)) for g in re.finditer(r"(?m)^\s*" + _LIT + r"\s*,", block)
            ]
            found += [
                _unquote(g.group(1))
                for g in re.finditer(r"\[\]string\{\s*" + _LIT + r"\s*\}", block)
            ]
    return [s for s in found if s.strip()]


def public(name: str, ruleset: rules.RuleSet, folder: Path) -> None:
    detector = detect.Detector(ruleset)
    tps, fps = go_samples(folder, "tps"), go_samples(folder, "fps")
    found = sum(bool(detector.scan(t.encode(), "sample.txt")) for t in tps)
    noisy = sum(bool(detector.scan(f.encode(), "sample.txt")) for f in fps)
    print(
        f"{name} on gitleaks' own samples: recall {found / len(tps):.1%} ({found}/{len(tps)}), "
        f"false positives {noisy}/{len(fps)}"
    )


def main() -> None:
    ours = rules.load_default()
    measure("shipyard", ours)
    if len(sys.argv) > 1:
        theirs = gitleaks(Path(sys.argv[1]))
        measure("gitleaks", theirs)
        if len(sys.argv) > 2:
            public("shipyard", ours, Path(sys.argv[2]))
            public("gitleaks", theirs, Path(sys.argv[2]))


if __name__ == "__main__":
    main()
