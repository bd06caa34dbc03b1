"""Monitor sources given answers of the wrong shape by a local HTTP stand-in (issue 13): an
answer that is a list, a string, or holds wrong types inside is missing data (the check fails
and says so) or exit 2, never a traceback, never a passing check."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import GitRepo
from tests.fuzz.contract import shipyard
from tests.monitor.servers import Recorded, Routes, http_server

SHAPES: list[Any] = [
    [],
    "ok",
    {"dist-tags": [], "versions": "1.0.0", "name": 5},  # registry document, wrong types inside
    [{"created_at": 5, "number": "1"}],  # issues, wrong types inside
    [{"created_at": "yesterday"}],
    {"status": ["ok"], "version": 5},  # health, wrong types inside
    {"downloads": "many"},  # downloads, wrong types inside
]

SOURCES = {
    "registry": lambda base: f'[monitor.registry]\nurl = "{base}"\n',
    "issues": lambda base: f'[monitor.issues]\nrepo = "acme/tool"\napi = "{base}"\n',
    "health": lambda base: f'[monitor.health]\nurls = ["{base}/health"]\n',
    "downloads": lambda base: (
        f'[monitor.downloads]\necosystem = "npm"\npackage = "web"\nurl = "{base}"\n'
    ),
}


class AnyPath(Routes):
    def __init__(self, body: Any) -> None:
        super().__init__()
        self.body = body

    def answer(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        return 200, self.body, {}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_monitor_answers_of_the_wrong_shape(repo: GitRepo, source: str) -> None:
    repo.write("package.json", '{"name": "web", "version": "1.0.0"}')
    for body in SHAPES:
        if source == "issues" and body == []:
            continue  # a valid answer there: no issues at all
        app = AnyPath(body)
        with http_server(app) as base:
            repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n\n' + SOURCES[source](base))
            r = shipyard(repo.path, "monitor", "--only", source, "--json")  # no traceback, 0-2
        assert app.requests, "the stand-in was asked"
        if r.code != 2:
            check = json.loads(r.stdout)["checks"][0]
            assert check["ok"] is False, (body, check)


@pytest.mark.parametrize("body", [[], ["x"], "ok", 5])
def test_release_github_client_on_an_answer_that_is_not_an_object(body: Any) -> None:
    """A 200 / 201 answer that is a list or a scalar is a PublishError naming the shape."""
    from shipyard.release.github import GithubReleases
    from shipyard.release.interface import PublishError

    app = AnyPath(body)
    with http_server(app) as base:
        client = GithubReleases(base, "acme/tool", "t0ken")
        for call in (
            lambda: client.find("v1.0.0"),
            lambda: client.create("v1.0.0", "v1.0.0", "notes", False, True),
        ):
            with pytest.raises(PublishError) as err:
                call()
            assert "expected a JSON object" in err.value.message, err.value.message
    assert len(app.requests) == 2
