"""Versions, the one owner: release versions in semver (npm) and PEP 440 (Python), and the
order of any published version of an ecosystem (for vulnerability ranges).

A release version is `major.minor.patch` with an optional pre-release `(channel, number)`; only
the channels alpha, beta and rc exist. The same value renders as `4.1.0-rc.1` (semver) or
`4.1.0rc1` (PEP 440, checked with `packaging`). `key` orders versions the way an ecosystem does
(PEP 440 for PyPI, SemVer 2.0 for npm), including labels a release never carries. Pure
functions, no I/O; release, security and metrics all import this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shipyard.errors import UsageError

CHANNELS = ("alpha", "beta", "rc")
_PEP440_LABEL = {"alpha": "a", "beta": "b", "rc": "rc"}
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(alpha|beta|rc)\.(0|[1-9]\d*))?$"
)
_PEP440 = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:(a|b|rc)(0|[1-9]\d*))?$")
_FROM_PEP440 = {"a": "alpha", "b": "beta", "rc": "rc"}
_ANY_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int
    # sorts after every pre-release of the same release: (3, 0) > (channel index, n)
    pre_key: tuple[int, int] = (3, 0)

    @property
    def channel(self) -> str | None:
        return None if self.pre_key[0] == 3 else CHANNELS[self.pre_key[0]]

    @property
    def number(self) -> int:
        return self.pre_key[1]

    @property
    def final(self) -> Version:
        return Version(self.major, self.minor, self.patch)

    @property
    def is_pre(self) -> bool:
        return self.channel is not None

    def pre(self, channel: str, number: int) -> Version:
        return Version(self.major, self.minor, self.patch, (CHANNELS.index(channel), number))

    def bump(self, level: str, zero_major: bool = False) -> Version:
        """The next final version; with `zero_major`, breaking changes on 0.x bump the minor."""
        if level == "major" and zero_major and self.major == 0:
            level = "minor"
        if level == "major":
            return Version(self.major + 1, 0, 0)
        if level == "minor":
            return Version(self.major, self.minor + 1, 0)
        if level == "patch":
            return Version(self.major, self.minor, self.patch + 1)
        return self

    def render(self, scheme: str) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        if self.channel is None:
            return base
        if scheme == "pep440":
            return f"{base}{_PEP440_LABEL[self.channel]}{self.number}"
        return f"{base}-{self.channel}.{self.number}"


def parse(text: str) -> Version | None:
    """A release version in either notation, or None (floating `10`, `10.5`, other labels)."""
    for pattern, labels in ((_SEMVER, None), (_PEP440, _FROM_PEP440)):
        m = pattern.match(text)
        if m is None:
            continue
        v = Version(int(m[1]), int(m[2]), int(m[3]))
        if m[4]:
            v = v.pre(labels[m[4]] if labels else m[4], int(m[5]))
        return v
    return _parse_pep440(text)


def _parse_pep440(text: str) -> Version | None:
    """Other spellings PEP 440 normalises (`1.2.3-rc1`, `1.2.3.rc1`, `1.2.3c1`), via packaging."""
    if not text[:1].isdigit():
        return None
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440

    try:
        v = Pep440(text)
    except InvalidVersion:
        return None
    if len(v.release) != 3 or v.epoch or v.post is not None or v.dev is not None or v.local:
        return None  # floating (10, 10.5) and post / dev / local versions are not releases
    final = Version(*v.release)
    return final.pre(_FROM_PEP440[v.pre[0]], v.pre[1]) if v.pre else final


def require(text: str, what: str) -> Version:
    v = parse(text)
    if v is None:
        raise UsageError(
            f"{what} {text!r} is not a release version",
            hint="write MAJOR.MINOR.PATCH, optionally with -alpha.N, -beta.N or -rc.N (semver) "
            "or aN, bN, rcN (PEP 440)",
        )
    return v


def check_pep440(text: str) -> str:
    """`text` normalised by `packaging`, so a PEP 440 version we render is one pip accepts."""
    from packaging.version import Version as Pep440

    return str(Pep440(text))


class BadVersion(ValueError):
    """A version string that the ecosystem's rules cannot order."""


def key(ecosystem: str, version: str) -> Any:
    """A sort key for `version` in `ecosystem` (PyPI: PEP 440, else SemVer 2.0); raises
    BadVersion when it does not parse."""
    if ecosystem == "PyPI":
        from packaging.version import InvalidVersion
        from packaging.version import Version as Pep440

        try:
            return Pep440(version)
        except InvalidVersion:
            raise BadVersion(version) from None
    return semver_key(version)


def semver_key(version: str) -> tuple[Any, ...]:
    m = _ANY_SEMVER.match(version.strip())
    if m is None:
        raise BadVersion(version)
    core = tuple(int(g) for g in m.groups()[:3])
    pre = m.group(4)
    if pre is None:
        return (*core, 1, ())  # a release sorts after every pre-release of it
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*core, 0, parts)
