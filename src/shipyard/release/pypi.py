"""PyPI: `python -m build` + `twine check`, the simple index to resume, `twine upload`.

The token goes to twine through TWINE_PASSWORD, never argv. PyPI's upload API cannot yank a
release, so a rollback prints the procedure for the web interface instead.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from shipyard.release.interface import Built, PublishError, Target, run
from shipyard.release.settings import Pypi


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class PypiPublisher:
    name = "pypi"

    def __init__(self, conf: Pypi, work: Path) -> None:
        self.conf = conf
        self.work = work

    def applies(self, root: Path) -> bool:
        return self._name(root) is not None

    def package(self, root: Path) -> str:
        return self._name(root) or ""

    def _name(self, root: Path) -> str | None:
        path = root / "pyproject.toml"
        if not path.is_file():
            return None
        name = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {}).get("name")
        return name if isinstance(name, str) else None

    def _token(self) -> str:
        # twine's own variable still works for projects that already set it
        return os.environ.get(self.conf.token_env) or os.environ.get("TWINE_PASSWORD", "")

    def build(self, target: Target) -> Built:
        out = self.work / "dist"
        shutil.rmtree(out, ignore_errors=True)
        args = [sys.executable, "-m", "build", "--outdir", str(out)]
        if not self.conf.isolation:
            args.append("--no-isolation")
        run(args, target.root)
        files = sorted(out.iterdir())
        run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)], target.root)
        built = Built(self._name(target.root) or "", files)
        built.summary = [f"{f.name}: {f.stat().st_size} bytes, twine check passed" for f in files]
        wrong = [f.name for f in files if f"-{target.version}" not in f.name]
        if wrong:
            raise PublishError(
                f"the build made {', '.join(wrong)}, not version {target.version}",
                hint="is the version in pyproject.toml dynamic and not listed "
                "in release.version-files?",
            )
        return built

    def _listed(self, package: str) -> str:
        url = f"{self.conf.index_url.rstrip('/')}/{normalize(package)}/"
        from shipyard import http

        try:
            resp = http.request("GET", url, timeout=30)
        except http.OtherOrigin:
            return ""  # the index sends packages it does not hold elsewhere: not listed here
        except http.HttpError as exc:
            raise PublishError(
                f"cannot read the index: {exc.message}",
                hint="is release.pypi.index-url right and the index up?",
            ) from None
        if resp.status == 404:
            return ""
        if resp.status != 200:
            raise PublishError(f"{http.redact_url(url)} answered {resp.status}")
        return resp.text()

    def published(self, target: Target, built: Built) -> bool:
        """True when every built file is on the index already (else upload the missing)."""
        page = self._listed(built.package)
        return all(f.name in page for f in built.files)

    def publish(self, target: Target, built: Built) -> None:
        env = {
            **os.environ,
            "TWINE_USERNAME": self.conf.username,
            "TWINE_PASSWORD": self._token(),
            "TWINE_NON_INTERACTIVE": "1",
        }
        page = self._listed(built.package)
        missing = [str(f) for f in built.files if f.name not in page]
        run(
            [
                sys.executable,
                "-m",
                "twine",
                "upload",
                "--disable-progress-bar",
                "--repository-url",
                self.conf.repository_url,
                *missing,
            ],
            target.root,
            env,
            [self._token()],
        )

    def rollback(self, root: Path, bad: str, good: str, dist_tag: str, dry_run: bool) -> list[str]:
        name = self._name(root) or "PACKAGE"
        index = urlsplit(self.conf.index_url)
        host = index.netloc.split("@")[-1]
        if host not in ("pypi.org", "test.pypi.org"):
            where = http_redact(self.conf.index_url)
            return [
                f"{where} is not PyPI: remove or yank {name} {bad} with that index's own tools:",
                f"  1. pypiserver: delete the {normalize(name)} {bad} files from its packages "
                "folder (or `curl -X DELETE` them with `-a update` rights); devpi: "
                f"`devpi remove {name}=={bad}`; Artifactory / Nexus / CodeArtifact: their "
                "delete-version action",
                f"  2. check with `pip index versions {name} --index-url {where}` that "
                f"{good} is the newest left",
                f"  3. if {good} is older than {bad}, release a fix as the next version so that "
                "upgrades move forward",
            ]
        return [
            f"PyPI cannot yank through its upload API; yank {name} {bad} by hand:",
            f"  1. open https://{host}/manage/project/{normalize(name)}/release/{bad}/",
            f'  2. choose Options → Yank, and give the reason ("broken; use {good}")',
            f"  3. pip then skips {bad} unless it is pinned with =={bad}; {good} is what "
            "`pip install` picks",
            f"  4. if {good} is older than {bad}, release a fix as the next version so that "
            "upgrades move forward",
        ]


def http_redact(url: str) -> str:
    """The URL without credentials (an index URL may carry a user and token)."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.split("@")[-1]).geturl()
