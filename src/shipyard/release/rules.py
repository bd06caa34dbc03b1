"""The version rules of docs/release.md: from the reachable releases and the bump the commits
warrant, the next version (final or pre-release) and whether to release at all. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shipyard.errors import UsageError
from shipyard.versions import CHANNELS, Version

DIST_TAGS = {None: "latest", "alpha": "alpha", "beta": "beta", "rc": "next"}


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
