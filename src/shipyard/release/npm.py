"""npm: `npm pack --dry-run` to verify, `npm view` to resume, `npm publish --tag`, rollback.

The token never reaches argv or disk: a private userconfig holds `_authToken=${NPM_TOKEN}`,
which npm expands from the environment itself. `NODE_AUTH_TOKEN` (the name actions/setup-node
and most npm workflows use) is accepted when the configured variable is not set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shipyard.proc import Completed
from shipyard.release import ranges, tarballs
from shipyard.release.interface import Built, PublishError, Target, run
from shipyard.release.settings import Npm

DEFAULT_REGISTRY = "https://registry.npmjs.org/"
ALIAS = "NODE_AUTH_TOKEN"  # accepted beside `release.npm.token-env` (NPM_TOKEN)


class NpmPublisher:
    name = "npm"

    def __init__(self, conf: Npm, work: Path) -> None:
        self.conf = conf
        self.registry = (conf.registry or DEFAULT_REGISTRY).rstrip("/") + "/"
        self.work = work

    def applies(self, root: Path) -> bool:
        manifest = root / "package.json"
        if not manifest.is_file():
            return False
        return not json.loads(manifest.read_text(encoding="utf-8")).get("private", False)

    def package(self, root: Path) -> str:
        return str(json.loads((root / "package.json").read_text(encoding="utf-8"))["name"])

    def _token_env(self) -> str:
        name = self.conf.token_env
        if not os.environ.get(name) and os.environ.get(ALIAS):
            return ALIAS
        return name

    def _token(self) -> str:
        return os.environ.get(self._token_env(), "")

    def _npm(self, root: Path, *args: str, check: bool = True) -> Completed:
        self.work.mkdir(parents=True, exist_ok=True)
        rc = self.work / "npmrc"
        host = urlsplit(self.registry)
        lines = [f"registry={self.registry}"]
        if self._token():
            lines.append(f"//{host.netloc}{host.path}:_authToken=${{{self._token_env()}}}")
        rc.write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {
            **os.environ,
            "npm_config_userconfig": str(rc),
            "npm_config_update_notifier": "false",
            "npm_config_fund": "false",
            "npm_config_audit": "false",
        }
        return run(["npm", *args], root, env, [self._token()], check)

    def build(self, target: Target) -> Built:
        manifest = target.root / "package.json"
        text = manifest.read_text(encoding="utf-8")
        try:
            resolved = ranges.published(text, target.workspace) if target.workspace else text
        except ValueError as exc:
            raise PublishError(f"{manifest}: {exc}", hint="fix the range in package.json") from None
        if resolved == text:
            pack = self._npm(target.root, "pack", "--dry-run", "--json").stdout
            return self._built(json.loads(pack)[0], target, [])
        # `workspace:` ranges: pack as the tree is, then write the real versions into the
        # tarball's package.json (pnpm publish publishes the same); the repository's own
        # package.json is never touched, so a kill at any moment leaves the tree as it was
        dest = target.work / "npm"
        dest.mkdir(parents=True, exist_ok=True)
        out = self._npm(target.root, "pack", "--json", "--pack-destination", str(dest))
        data = json.loads(out.stdout)[0]
        tarball = dest / data["filename"]
        try:
            tarballs.replace_manifest(
                tarball, lambda packed: ranges.published(packed, target.workspace)
            )
        except ValueError as exc:
            raise PublishError(f"{tarball}: {exc}", hint="fix the range in package.json") from None
        built = self._built(data, target, [tarball])
        built.summary[0] += " (workspace: ranges resolved)"
        return built

    def _built(self, data: dict[str, Any], target: Target, files: list[Path]) -> Built:
        files_in = data.get("files", [])
        built = Built(data["name"], files)
        built.summary = [
            f"{data['filename']}: {len(files_in)} files, {data['size']} bytes packed, "
            f"{data['unpackedSize']} unpacked"
        ]
        built.summary += [f"  {f['path']} ({f['size']} B)" for f in files_in]
        if data["version"] != target.version:
            raise PublishError(
                f"npm pack made version {data['version']}, not {target.version}",
                hint="is package.json the one the version was written to?",
            )
        return built

    def published(self, target: Target, built: Built) -> bool:
        spec = f"{built.package}@{target.version}"
        cp = self._npm(target.root, "view", spec, "version", "--json", check=False)
        if cp.returncode == 0:
            return target.version in cp.stdout  # empty when the package has no such version
        if "E404" in cp.stderr or "E404" in cp.stdout:
            return False  # the package itself is not there yet
        raise PublishError(
            f"`npm view {spec}` failed: {(cp.stderr or cp.stdout).strip()[-300:]}",
            hint=f"is the registry {self.registry} up, and the token valid?",
        )

    def publish(self, target: Target, built: Built) -> None:
        # a tarball packed by a build job is published as it is (no lifecycle scripts run)
        args = ["publish", *(str(f) for f in built.files), "--tag", target.dist_tag]
        if self.conf.access:
            args += ["--access", self.conf.access]
        self._npm(target.root, *args)

    def rollback(self, root: Path, bad: str, good: str, dist_tag: str, dry_run: bool) -> list[str]:
        name = json.loads((root / "package.json").read_text(encoding="utf-8"))["name"]
        message = f"{name}@{bad} was rolled back; use {good}"
        steps = [
            ("deprecate", ["deprecate", f"{name}@{bad}", message]),
            ("dist-tag", ["dist-tag", "add", f"{name}@{good}", dist_tag]),
        ]
        lines = []
        for _, args in steps:
            shown = " ".join(a if " " not in a else repr(a) for a in args)
            if not dry_run:
                self._npm(root, *args)
            lines.append(
                f"{'would run' if dry_run else 'ran'}: npm {shown} (registry {self.registry})"
            )
        return lines
