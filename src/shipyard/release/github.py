"""GitHub releases through the REST API (docs.github.com/rest/releases/releases).

`GET /repos/{owner}/{repo}/releases/tags/{tag}` tells whether the release exists (so a re-run
does not create it twice); `POST /repos/{owner}/{repo}/releases` creates it. The token is only
ever put in the Authorization header; errors carry the status and GitHub's message.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from shipyard.release.interface import PublishError, redact

API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class GithubReleases:
    api_url: str  # https://api.github.com, or a GitHub Enterprise / test server
    repository: str  # owner/name
    token: str

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        from shipyard import http

        try:
            resp = http.request(
                method,
                f"{self.api_url}/repos/{self.repository}{path}",
                json=body,
                timeout=30,
                headers={
                    "Accept": "application/vnd.github+json",
                    "Authorization": f"Bearer {self.token}",
                    "X-GitHub-Api-Version": API_VERSION,
                    "User-Agent": "shipyard-release",
                },
            )
        except http.HttpError as exc:
            raise PublishError(
                redact(f"cannot reach {self.api_url}: {exc.message}", [self.token]),
                hint=exc.hint or "check release.github.api-url and the network",
            ) from None
        if not resp.ok or not resp.body.strip():
            return resp.status, _json(resp.body)
        try:
            return resp.status, resp.json(expect=dict)
        except http.HttpError as exc:
            raise PublishError(redact(exc.message, [self.token])) from None

    def find(self, tag: str) -> str | None:
        """The html_url of the release for `tag`, or None when there is none."""
        status, data = self._request("GET", f"/releases/tags/{urllib.parse.quote(tag)}")
        if status == 404:
            return None
        if status != 200:
            raise self._error("read the release", status, data)
        return str(data.get("html_url", ""))

    def create(self, tag: str, name: str, notes: str, prerelease: bool, latest: bool) -> str:
        """Create the release; `latest` marks it as the repository's latest release."""
        body = {
            "tag_name": tag,
            "name": name,
            "body": notes,
            "draft": False,
            "prerelease": prerelease,
            "make_latest": "true" if latest and not prerelease else "false",
        }
        status, data = self._request("POST", "/releases", body)
        if status != 201:
            raise self._error("create the release", status, data)
        return str(data.get("html_url", ""))

    def _error(self, what: str, status: int, data: dict[str, Any]) -> PublishError:
        message = redact(str(data.get("message", "")), [self.token])
        hint = "is GITHUB_TOKEN allowed to write contents?" if status in (401, 403) else None
        return PublishError(
            f"GitHub could not {what} in {self.repository}: {status} {message}", hint=hint
        )


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
