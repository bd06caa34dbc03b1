"""The GitHub release client against the local server that checks GitHub's documented API."""

from __future__ import annotations

import pytest

from shipyard.release.github import GithubReleases
from shipyard.release.interface import PublishError
from tests.release.conftest import GITHUB_TOKEN
from tests.release.github_fake import FakeGithub


def test_create_then_find(github: FakeGithub) -> None:
    api = GithubReleases(github.url, "acme/demo", GITHUB_TOKEN)
    assert api.find("v1.0.0") is None
    url = api.create("v1.0.0", "1.0.0", "* notes\n", prerelease=False, latest=True)
    assert url == "https://github.com/acme/demo/releases/tag/v1.0.0"
    assert api.find("v1.0.0") == url
    body = github.requests[1][3]
    assert body == {
        "tag_name": "v1.0.0",
        "name": "1.0.0",
        "body": "* notes\n",
        "draft": False,
        "prerelease": False,
        "make_latest": "true",
    }
    assert github.violations == []


def test_prerelease_is_never_latest(github: FakeGithub) -> None:
    api = GithubReleases(github.url, "acme/demo", GITHUB_TOKEN)
    api.create("v2.0.0-rc.1", "2.0.0-rc.1", "", prerelease=True, latest=True)
    rel = github.releases["v2.0.0-rc.1"]
    assert (rel["prerelease"], rel["make_latest"]) == (True, "false")


def test_bad_token_is_reported_without_the_token(github: FakeGithub) -> None:
    secret = "ghp_wrong0000000000000000000000000000"
    api = GithubReleases(github.url, "acme/demo", secret)
    with pytest.raises(PublishError) as exc:
        api.create("v1.0.0", "1.0.0", "", prerelease=False, latest=True)
    assert exc.value.render() == (
        "error: GitHub could not create the release in acme/demo: 401 Bad credentials\n"
        "  hint: is GITHUB_TOKEN allowed to write contents?"
    )
    assert secret not in exc.value.render()


def test_unreachable_api() -> None:
    api = GithubReleases("http://127.0.0.1:9", "acme/demo", GITHUB_TOKEN)
    with pytest.raises(PublishError) as exc:
        api.find("v1.0.0")
    assert exc.value.render().startswith("error: cannot reach http://127.0.0.1:9: ")
    assert exc.value.hint == "check release.github.api-url and the network"
