"""Every action the generated workflows use, pinned to the full commit SHA of a release tag.

A tag can be moved; a commit SHA cannot, so a pinned workflow runs exactly the code reviewed
here. The tag is written beside the SHA as a comment, which Dependabot's github-actions updater
reads and keeps in step when it proposes a newer pin. Each SHA below is the commit its release
tag points to, checked against the upstream repositories' published workflows.
"""

from __future__ import annotations

from shipyard.ci.emit import Commented

# action -> (commit SHA of the tag, tag)
PINS: dict[str, tuple[str, str]] = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/setup-node": ("49933ea5288caeca8642d1e84afbd3f7d6820020", "v4.4.0"),
    "actions/cache": ("5a3ec84eff668545956fd18022155c47e93e2684", "v4.2.3"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
    "github/codeql-action": ("ff0a06e83cb2de871e5a09832bc6a81e7276941f", "v3.28.18"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
    # these two checked against the tags of a clone of the upstream repository
    "codecov/codecov-action": ("671740ac38dd9b0130fbe1cec585b89eea48d3de", "v5.5.2"),
    "actions/dependency-review-action": ("2031cfc080254a8a887f58cffee85186f0e49e48", "v4.9.0"),
}


def uses(action: str) -> Commented:
    """`owner/repo[/path]@SHA # tag` for an action in the table (a KeyError names a new one)."""
    owner, repo = action.split("/")[:2]
    sha, tag = PINS[f"{owner}/{repo}"]
    return Commented(f"{action}@{sha}", tag)
