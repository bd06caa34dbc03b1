"""Alerts as GitHub Discussions, through the GraphQL API's `createDiscussion` mutation.

One query finds the repository's node id, the category's id (by name or slug) and the recent
discussions; a discussion with the same title that is still open is not opened twice. GraphQL
reports failures as `errors` in a 200 answer: those become NotifyError too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shipyard.notify.http import request
from shipyard.notify.interface import Alert, NotifyError, Severity

LOOKUP = """
query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    id
    discussionCategories(first: 50) { nodes { id name slug } }
    discussions(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { title closed }
    }
  }
}
"""

CREATE = """
mutation($input: CreateDiscussionInput!) {
  createDiscussion(input: $input) { discussion { id url } }
}
"""


@dataclass
class GitHubDiscussions:
    repo: str  # owner/name
    token: str
    category: str = "General"
    api: str = "https://api.github.com"
    min_severity: Severity = Severity.HIGH
    name: str = "discussions"

    def _graphql(self, query: str, variables: dict[str, Any], what: str) -> dict[str, Any]:
        answer = request(
            "POST",
            f"{self.api.rstrip('/')}/graphql",
            {"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.token}"},
            what=what,
        )
        if not isinstance(answer, dict) or answer.get("errors") or "data" not in answer:
            errors = answer.get("errors") if isinstance(answer, dict) else None
            first = errors[0].get("message", "?") if errors else "no data in the answer"
            raise NotifyError(f"{what} failed: GraphQL error: {first}")
        return dict(answer["data"])

    def send(self, alert: Alert) -> None:
        owner, name = self.repo.split("/", 1)
        data = self._graphql(LOOKUP, {"owner": owner, "name": name}, "reading GitHub Discussions")
        repository = data.get("repository") or {}
        if not repository:
            raise NotifyError(f"reading GitHub Discussions failed: no repository {self.repo}")
        wanted = self.category.lower()
        categories = repository["discussionCategories"]["nodes"]
        category = next(
            (c for c in categories if wanted in (c["name"].lower(), c["slug"].lower())), None
        )
        if category is None:
            known = ", ".join(c["name"] for c in categories) or "none"
            raise NotifyError(
                f"{self.repo} has no discussion category {self.category!r} (it has: {known})"
            )
        title = f"[{alert.severity}] {alert.title}"
        recent = repository["discussions"]["nodes"]
        if any(d["title"] == title and not d["closed"] for d in recent):
            return  # already open: one discussion per problem
        body = f"{alert.body}\n\n<!-- shipyard-alert {alert.fingerprint} -->"
        variables = {
            "input": {
                "repositoryId": repository["id"],
                "categoryId": category["id"],
                "title": title,
                "body": body,
            }
        }
        self._graphql(CREATE, variables, "opening a GitHub discussion")
