"""`[release]`: versions, tags, changelog and publishing (docs/release.md)."""

from __future__ import annotations

from shipyard.release.commits import BUMPS
from shipyard.release.settings import DEFAULT_BRANCHES, Github, Pypi
from shipyard.schema.model import Group, Key
from shipyard.schema.types import ONE_VERSION as _ONE_VERSION

NPM = Group(
    "npm publishing",
    keys=(
        Key("registry", "string", "the registry (default: npm's own configuration)"),
        Key("access", "string", "npm publish --access", example="public"),
        Key("token-env", "string", "the environment variable holding the token", "NPM_TOKEN"),
    ),
)
PYPI = Group(
    "PyPI publishing",
    keys=(
        Key("repository-url", "string", f"the upload URL (default {Pypi.repository_url})"),
        Key(
            "index-url",
            "string",
            f"the simple index (default: beside repository-url, else {Pypi.index_url})",
        ),
        Key("username", "string", "the upload user", "__token__"),
        Key("token-env", "string", "the environment variable holding the token", "PYPI_TOKEN"),
        Key("build-isolation", "boolean", "python -m build in an isolated environment", True),
    ),
)
GITHUB = Group(
    "the GitHub release",
    keys=(
        Key("api-url", "string", "the REST API", Github.api_url),
        Key("release", "boolean", "create a GitHub release", True),
        Key("token-env", "string", "the environment variable holding the token", "GITHUB_TOKEN"),
    ),
)

RELEASE = Group(
    "versions from conventional commits, tags, changelog, publishing",
    keys=(
        Key(
            "tag-format",
            "string",
            "tag names, with one {version} (default: the format existing tags use)",
            json=_ONE_VERSION,
            example="v{version}",
        ),
        Key(
            "scheme",
            "string",
            "version scheme",
            "auto",
            choices=("auto", "semver", "pep440"),
        ),
        Key("branches", "strings", "branches releases are made from", tuple(DEFAULT_BRANCHES)),
        Key(
            "types",
            "string-map",
            "commit type -> the bump it makes",
            json={"additionalProperties": {"enum": list(BUMPS)}},
        ),
        Key("allow-missing-space", "boolean", "read `feat:x` as `feat: x`", False),
        Key("merge-commits", "boolean", "merge commits count", False),
        Key("squash-bullets", "boolean", "read the bullets of a squash merge as commits", True),
        Key("major-version-zero", "boolean", "breaking changes bump the minor while at 0.x", False),
        Key("first-prerelease", "integer", "the number of the first pre-release", 1, minimum=0),
        Key("changelog", "string", "the changelog file", "CHANGELOG.md"),
        Key("changelog-template", "string", "a Jinja2 template for the changelog"),
        Key("sections", "string-map", "commit type -> changelog heading"),
        Key("version-files", "strings", "more files whose version is bumped"),
        Key("sign-tags", "boolean", "sign the release tags", False),
        Key(
            "commit-message", "string", "the release commit's message", "chore(release): {version}"
        ),
        Key("remote", "string", "the remote pushed to", "origin"),
        Key("push", "boolean", "push the release commit and tag", True),
        Key("repository", "string", "owner/name on GitHub (default: from the remote's URL)"),
        Key(
            "publish",
            "strings",
            "the publishers (default: every one the project fits)",
            choices=("npm", "pypi"),
        ),
        Key("npm", "table", NPM.description, group=NPM),
        Key("pypi", "table", PYPI.description, group=PYPI),
        Key("github", "table", GITHUB.description, group=GITHUB),
    ),
)
SECTION = Key("release", "table", RELEASE.description, group=RELEASE)
