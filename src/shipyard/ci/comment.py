"""One pull-request comment kept up to date: what `shipyard ci comment` posts from a CI job.

A comment carries a hidden marker (`<!-- shipyard:NAME -->`); posting again finds the comment
with that marker and edits it (`PATCH /repos/{repo}/issues/comments/{id}`) instead of adding a
new one on every push, else creates it (`POST /repos/{repo}/issues/{number}/comments`). The
token only ever goes into the Authorization header; errors carry GitHub's status and message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shipyard.errors import ShipyardError

API_VERSION = "2022-11-28"
MAX_BODY = 65536  # GitHub refuses longer comment bodies
MAX_PAGES = 20  # 100 comments a page
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class CommentError(ShipyardError):
    """GitHub did not take the comment (exit 1: the step failed, the input was fine)."""

    exit_code = 1


@dataclass(frozen=True)
class Posted:
    action: str  # "created" | "updated"
    id: int
    url: str


def marker(name: str) -> str:
    return f"<!-- shipyard:{name} -->"


def body_with_marker(text: str, name: str) -> str:
    """The comment's text: the marker first, cut to GitHub's limit with a note."""
    head = marker(name) + "\n"
    if len(head) + len(text) <= MAX_BODY:
        return head + text
    note = "\n\n… (cut to GitHub's comment size; the job summary has it all)\n"
    return head + text[: MAX_BODY - len(head) - len(note)] + note


@dataclass(frozen=True)
class PullRequestComments:
    api: str  # https://api.github.com, GITHUB_API_URL on a runner
    repository: str  # owner/name
    number: int
    token: str

    def _call(self, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        from shipyard import http

        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": API_VERSION,
        }
        try:
            resp = http.request(method, url, json=body, headers=headers, timeout=30)
        except http.HttpError as exc:
            raise CommentError(f"cannot reach {self.api}: {exc.message}", exc.hint) from None
        if not resp.ok:
            raise CommentError(
                f"GitHub answered HTTP {resp.status} to {method} {http.redact_url(url)}: "
                f"{_message(resp)}",
                hint=_hint(resp.status),
            )
        try:
            return resp.json(), resp.headers.get("link", "")
        except http.HttpError as exc:
            raise CommentError(exc.message) from None

    def find(self, name: str) -> int | None:
        """The id of the comment holding the marker, if one was posted before."""
        url: str | None = (
            f"{self.api}/repos/{self.repository}/issues/{self.number}/comments?per_page=100"
        )
        for _ in range(MAX_PAGES):
            if url is None:
                break
            page, link = self._call("GET", url)
            for item in page if isinstance(page, list) else []:
                text = item.get("body") if isinstance(item, dict) else None
                if isinstance(text, str) and text.startswith(marker(name)):
                    return int(item["id"])
            found = _NEXT.search(link)
            url = found.group(1) if found else None
        return None

    def post(self, text: str, name: str) -> Posted:
        body = {"body": body_with_marker(text, name)}
        existing = self.find(name)
        if existing is None:
            url = f"{self.api}/repos/{self.repository}/issues/{self.number}/comments"
            data, _ = self._call("POST", url, body)
            action = "created"
        else:
            url = f"{self.api}/repos/{self.repository}/issues/comments/{existing}"
            data, _ = self._call("PATCH", url, body)
            action = "updated"
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise CommentError(f"GitHub's answer to {action} the comment has no comment id")
        return Posted(action, data["id"], str(data.get("html_url", "")))


def _message(resp: Any) -> str:
    try:
        data = resp.json()
    except ShipyardError:
        return str(resp.text()[:200])
    return str(data.get("message", "")) if isinstance(data, dict) else str(data)[:200]


def _hint(status: int) -> str | None:
    if status in (401, 403):
        return (
            "the job's token needs `pull-requests: write` (a pull request from a fork gets "
            "a read-only token: the generated workflow skips the comment there)"
        )
    if status == 404:
        return "check GITHUB_REPOSITORY and the pull request number"
    return None
