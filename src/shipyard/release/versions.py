"""Release versions: parse and render semver (npm) and PEP 440 (Python), and compute the next one.

A version is `major.minor.patch` with an optional pre-release `(channel, number)`; only the
channels alpha, beta and rc exist. The same value renders as `4.1.0-rc.1` (semver) or
`4.1.0rc1` (PEP 440, checked with `packaging`). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shipyard.errors import UsageError

CHANNELS = ("alpha", "beta", "rc")
DIST_TAGS = {None: "latest", "alpha": "alpha", "beta": "beta", "rc": "next"}
_PEP440_LABEL = {"alpha": "a", "beta": "b", "rc": "rc"}
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(alpha|beta|rc)\.(0|[1-9]\d*))?$"
)
_PEP440 = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:(a|b|rc)(0|[1-9]\d*))?$")
_FROM_PEP440 = {"a": "alpha", "b": "beta", "rc": "rc"}


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


@dataclass(frozen=True)
class Next:
    """The outcome of the version rules: what to release, from what, and whether at all."""

    current: Version | None  # the newest release reachable from HEAD
    version: Version  # the next version (== current when nothing warrants a release)
    release: bool
    bump: str
    reason: str


def next_version(
    tags: Iterable[Version],
    bump: str,
    new_since_last: bool,
    channel: str | None,
    zero_major: bool = False,
    initial: Version | None = None,
    first_pre: int = 1,
) -> Next:
    """Apply the rules in docs/release.md to the reachable release versions and the bump.

    `bump` is what the commits since the last final release warrant; `new_since_last` says
    whether any releasable commit came after the newest release (final or pre-release).
    """
    known = sorted(tags)
    current = known[-1] if known else None
    finals = [v for v in known if not v.is_pre]
    base = finals[-1] if finals else None
    if base is None and bump == "none" and current is None:
        return Next(None, initial or Version(0, 0, 0), False, bump, "no release and no commits")
    if base is None and current is None and initial is not None and initial > Version(0, 0, 0):
        target = initial.final  # first release: the version the project already declares
    else:
        target = (base or Version(0, 0, 0)).bump(bump, zero_major)
    pres = [v for v in known if v.is_pre and (base is None or v > base)]
    # a pre-release line already aimed higher (by hand, or by an earlier breaking change)
    target = max([target, *(v.final for v in pres)])
    if bump == "none" and not pres:
        return Next(
            current, current or target, False, bump, "no commit since the last release warrants one"
        )
    if channel is None:
        return Next(current, target, True, bump, "final release")
    line = [v for v in pres if v.final == target]
    same = [v for v in line if v.channel == channel]
    later = [v for v in line if v.pre_key[0] > CHANNELS.index(channel)]
    if later:
        raise UsageError(
            f"{later[-1].render('semver')} is already released; a {channel} of "
            f"{target.render('semver')} would sort before it",
            hint=f"release --channel {later[-1].channel} or a final version",
        )
    if same and not new_since_last:
        return Next(
            current, same[-1], False, bump, f"no new commit since {channel} {same[-1].number}"
        )
    number = same[-1].number + 1 if same else first_pre
    return Next(
        current, target.pre(channel, number), True, bump, f"{channel} of {target.render('semver')}"
    )
