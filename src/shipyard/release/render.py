"""Say why: the commits that decided a version, as text lines or as JSON-ready data."""

from __future__ import annotations

from typing import Any

from shipyard.release.commits import BUMPS, Change
from shipyard.release.decide import Decision


def _level(change: Change, bumps: dict[str, str]) -> str:
    return "major" if change.breaking is not None else bumps.get(change.type, "none")


def lines(decision: Decision, bumps: dict[str, str] | None = None) -> list[str]:
    """`--explain`: the decision, then each change with the bump it asks for, largest first."""
    from shipyard.release.commits import Policy

    table = bumps or Policy().bumps
    n = decision.next
    current = n.current.render(decision.scheme) if n.current else "none"
    out = [f"current: {current}; bump: {n.bump}; {n.reason}"]
    ranked = sorted(decision.analysis.changes, key=lambda c: -BUMPS.index(_level(c, table)))
    for change in ranked:
        scope = f"({change.scope})" if change.scope else ""
        bang = "!" if change.breaking is not None else ""
        out.append(
            f"  {_level(change, table):5}  {change.sha[:7]}  "
            f"{change.type}{scope}{bang}: {change.description}"
        )
    for change in decision.analysis.cancelled:
        out.append(f"  cancelled  {change.sha[:7]}  {change.type}: {change.description}")
    for commit in decision.analysis.nonconforming:
        out.append(f"  not conventional  {commit.sha[:7]}  {commit.subject}")
    return out


def serialize(decision: Decision) -> dict[str, Any]:
    n = decision.next
    return {
        "version": decision.version,
        "tag": decision.tag,
        "release": n.release,
        "current": n.current.render(decision.scheme) if n.current else None,
        "bump": n.bump,
        "channel": n.version.channel,
        "reason": n.reason,
        "scheme": decision.scheme,
        "changes": [
            {
                "sha": c.sha,
                "type": c.type,
                "scope": c.scope,
                "description": c.description,
                "breaking": c.breaking,
            }
            for c in decision.analysis.changes
        ],
        "nonconforming": [
            {"sha": c.sha, "subject": c.subject} for c in decision.analysis.nonconforming
        ],
    }
