"""The default secret rules on the provider corpus (data/secret_corpus.toml): every rule has a
true positive it finds and a false positive that raises nothing, and the false positives named
in issues 12 and 19 stay silent."""

from __future__ import annotations

import pytest

from shipyard.security import detect, rules
from tests.security import corpus, planted

CASES = corpus.cases()


@pytest.fixture(scope="module")
def detector() -> detect.Detector:
    return detect.Detector(rules.load_default())


def test_every_default_rule_has_a_true_and_a_false_positive_sample() -> None:
    assert {r.id for r in rules.load_default().rules} == {c.rule for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_true_positive_found_by_its_rule(detector: detect.Detector, case: corpus.Case) -> None:
    wanted = detect.secret_hash(case.secret.encode())
    hits = [h.rule for h in detector.scan(case.tp.encode(), case.file) if h.secret_hash == wanted]
    assert hits == [case.rule], (case.tp, detector.scan(case.tp.encode(), case.file))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_false_positive_raises_nothing(detector: detect.Detector, case: corpus.Case) -> None:
    assert detector.scan(case.fp.encode(), case.file) == [], case.fp


@pytest.mark.parametrize(
    "text",
    [
        "if x_key == y.key:\n",
        "assert settings_key==other.settings_key_name\n",  # a comparison, not an assignment
        "if (api_key === config.api_key) {\n",
        "maxTokens: d1Agent.maxTokens,\n",
        "const token = this.props.sessionToken;\n",
        "SLACK_BOT_TOKEN=xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx\n",
        "SLACK_BOT_TOKEN=xoxb-your-bot-token-here\n",
        "token: xoxp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n",
        "webhook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n",
        # from gitleaks' own false-positive samples (cmd/generate/config/rules/generic.go, gcp.go)
        "monkeys-audio:mx64-uwp=fail\n",
        '<entry key="jetbrains.mps.v8_elimination" value="executed" />\n',
        # an example key published in firebase/firebase-android-sdk (gitleaks allows it too)
        'apiKey: "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs"\n',
    ],
)
def test_named_false_positives_stay_silent(detector: detect.Detector, text: str) -> None:
    assert detector.scan(text.encode(), "app.ts") == []


def test_near_rule_shorthand_and_its_errors() -> None:
    data = {"rules": [{"id": "acme", "near": ["acme"], "secret": "[a-f0-9]{8}"}]}
    acme = detect.Detector(rules.parse(data, "x.toml"))
    assert [h.rule for h in acme.scan(b'ACME_KEY = "0a1b2c3d"\n', "a.py")] == ["acme"]
    assert acme.scan(b'ACME_KEY = "0a1b2c3d4e"\n', "a.py") == []  # longer: another shape
    assert acme.rules.rules[0].keywords == ("acme",)
    with pytest.raises(rules.ScanError, match=r"a rule with `near` needs `secret`"):
        rules.parse({"rules": [{"id": "a", "near": ["acme"]}]}, "x.toml")


def test_forms_found_on_gitleaks_public_samples(detector: detect.Detector) -> None:
    """Shapes that benchmarks/secret_rules.py found missing on gitleaks' own test samples."""
    uuid = "-".join(planted.token(n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
    word = planted.token(14)
    texts = {
        f'SNYK_TOKEN :::= "{uuid}"\n': "snyk-api-token",  # Makefile-style assignment
        f'curl -X GET https://api.example/\n     -H "X-Acme-ApiKey: {uuid}"\n': "curl-auth-header",
        f'token = os.getenv("api_token", "{planted.GENERIC}")\n': "generic-api-key",  # a pair
        # one character away from a published sample key: still a key (built here, so that
        # this file holds no key-shaped string that is not allowed)
        'apiKey: "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyI' + "z" + '"\n': "gcp-api-key",
        f"curl --cacert ca.crt -u elastic:P@{word}$1 https://localhost:9200\n": "curl-auth-user",
        "SLACK_TOKEN=xoxa-2-"
        + "-".join(planted.token(11, "0123456789") for _ in range(3))
        + "-"
        + planted.token(18, "0123456789abcdef")
        + "\n": "slack-legacy-token",
    }
    for text, rule in texts.items():
        assert [h.rule for h in detector.scan(text.encode(), "notes.txt")] == [rule], text
    for text in ("curl -u username:password https://x\n", 'curl -u "$USER:$PASS" https://x\n'):
        assert detector.scan(text.encode(), "notes.txt") == []
