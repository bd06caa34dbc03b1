"""The provider test corpus (data/secret_corpus.toml), expanded into text to scan.

Each case has a true positive (`tp`: the secret marked with [[ ]]) and a false positive (`fp`)
for one default rule. Placeholders such as `{hex:32}` become random characters from a fixed
seed, so the same corpus comes out on every run and no secret-shaped string sits in the file.
Used by tests/security/test_corpus.py and benchmarks/secret_rules.py.
"""

from __future__ import annotations

import random
import re
import string
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).parent / "data" / "secret_corpus.toml"
CLASSES = {
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "alnum": string.ascii_letters + string.digits,
    "lower": string.ascii_lowercase + string.digits,
    "upper": string.ascii_uppercase + string.digits,
    "digits": string.digits,
    "alpha": string.ascii_letters,
    "b64": string.ascii_letters + string.digits + "+/",
    "url": string.ascii_letters + string.digits + "_-",
    "b32": string.ascii_uppercase + "234567",
    "bech": "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
}
_PLACEHOLDER = re.compile(r"\{(?:(" + "|".join(CLASSES) + r"):(\d+)|uuid)\}")


@dataclass(frozen=True)
class Case:
    rule: str
    file: str
    tp: str  # text holding one secret
    secret: str  # the secret in `tp`
    fp: str  # text that holds none


def expand(template: str, rng: random.Random) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        return "".join(rng.choice(CLASSES[m.group(1)]) for _ in range(int(m.group(2))))

    return _PLACEHOLDER.sub(one, template)


def cases(seed: int = 20261201) -> list[Case]:
    rng = random.Random(seed)
    out = []
    for raw in tomllib.loads(PATH.read_text(encoding="utf-8"))["case"]:
        tp = expand(raw["tp"], rng)
        before, rest = tp.split("[[", 1)
        secret, after = rest.split("]]", 1)
        out.append(
            Case(
                raw["rule"],
                raw.get("file", "config.env"),
                before + secret + after,
                secret,
                expand(raw["fp"], rng),
            )
        )
    return out
