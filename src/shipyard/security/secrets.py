"""`shipyard scan secrets`: the working tree, the staged lines or the whole history.

Findings are keyed by content (rule, path, secret hash), so the baseline and SARIF
fingerprints survive edits; in history each secret is reported once, with the oldest commit
that added it. Worker processes (parallel.py) do the scanning of large trees and histories.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shipyard import output
from shipyard.git import Repo
from shipyard.security import baseline, parallel, sources
from shipyard.security.detect import Detector, Hit
from shipyard.security.interface import (
    Finding,
    ScanError,
    ScanResult,
    Severity,
    Skipped,
    fingerprint,
)


@dataclass(frozen=True)
class SecretOptions:
    mode: str = "tree"  # "tree", "staged" or "history"
    rule_files: tuple[Path, ...] = ()
    baseline: Path | None = None
    exclude: tuple[str, ...] = ()
    max_size: int | None = None  # set by the definition: larger files are skipped, allowed
    jobs: int = 0  # 0: one per CPU


@dataclass
class SecretsScanner:
    options: SecretOptions = field(default_factory=SecretOptions)
    name: str = "secrets"

    def scan(self, root: Path) -> ScanResult:
        from shipyard.security import rules

        detector = Detector(rules.load(self.options.rule_files))
        result = ScanResult("secrets")
        if self.options.mode == "tree":
            found = self._tree(root, detector, result)
        else:
            repo = Repo.find(root)
            if repo is None:
                raise ScanError(
                    f"--{self.options.mode} needs a git repository; {root} is not in one"
                )
            found = (self._staged if self.options.mode == "staged" else self._history)(
                repo, detector, result
            )
        accepted = baseline.load(self.options.baseline) if self.options.baseline else set()
        for finding in found:
            key = (finding.rule, finding.file or "", finding.detail["secret_hash"])
            if key in accepted or finding.detail.get("inline_allow"):
                result.suppressed += 1
            else:
                result.findings.append(finding)
        return result

    def _job(self, root: Path) -> parallel.Job:
        """Absolute paths: the workers' fork server may have started in another folder."""
        rule_files = tuple(p.absolute() for p in self.options.rule_files)
        return parallel.Job(rule_files, root.absolute(), self.options.max_size)

    def _wanted(self, path: str, detector: Detector) -> bool:
        if any(fnmatch.fnmatch(path, pattern) for pattern in self.options.exclude):
            return False
        return not detector.path_allowed(path)

    def _tree(self, root: Path, detector: Detector, result: ScanResult) -> list[Finding]:
        # a name that is not UTF-8 is opened by its bytes and shown with them escaped
        paths = [p for p in sources.tree_files(root) if self._wanted(sources.shown(p), detector)]
        found: list[Finding] = []
        size = 0
        job = self._job(root)
        items = parallel.scan_paths(detector, job, paths, self.options.jobs)
        for real, hits, skipped, nbytes in output.track(items, len(paths), "secrets", "files"):
            size += nbytes
            rel = sources.shown(real)
            if skipped:
                result.skipped.append(
                    dataclasses.replace(skipped, what=sources.shown(skipped.what))
                )
            found += [_finding(rel, h.line, None, h) for h in hits + detector.path_hits(rel)]
        result.stats.update(files=len(paths), bytes=size)
        return found

    def _staged(self, repo: Repo, detector: Detector, result: ScanResult) -> list[Finding]:
        fragments = [f for f in sources.staged(repo) if self._wanted(f.path, detector)]
        result.stats.update(files=len(fragments), bytes=sum(len(f.data) for f in fragments))
        found = [
            _finding(f.path, f.file_line(h.line), None, h)
            for f in fragments
            for h in detector.scan(f.data, f.path)
        ]
        if detector.rules.path_rules:  # a binary bundle adds no line: ask git for the names
            named = [p for p in sources.staged_paths(repo) if self._wanted(p, detector)]
            found += [_finding(p, h.line, None, h) for p in named for h in detector.path_hits(p)]
        return found

    def _history(self, repo: Repo, detector: Detector, result: ScanResult) -> list[Finding]:
        history = sources.history_blobs(repo)
        blobs = [b for b in history.blobs if self._wanted(b[1], detector)]
        found: dict[str, Finding] = {}
        size = 0
        job = self._job(repo.root)
        items = parallel.scan_blobs(detector, job, [(b[1], b[2]) for b in blobs], self.options.jobs)
        for (commit, path, _blob), (_index, hits, skip, nbytes) in zip(blobs, items, strict=True):
            if skip:
                result.skipped.append(Skipped(f"{commit[:12]}:{path}", skip.reason, skip.allowed))
            size += nbytes
            for hit in hits:
                finding = _finding(path, hit.line, commit, hit)
                found.setdefault(finding.fingerprint, finding)  # oldest commit wins
        for commit, path in history.added:  # in commit order: the oldest commit wins
            named = detector.path_hits(path)
            for hit in named if named and self._wanted(path, detector) else ():
                finding = _finding(path, hit.line, commit, hit)
                found.setdefault(finding.fingerprint, finding)
        result.stats.update(blobs=len(blobs), bytes=size)
        return list(found.values())


def _finding(path: str, line: int, commit: str | None, hit: Hit) -> Finding:
    critical = hit.rule in ("private-key", "pkcs12-file")  # a key that signs or decrypts
    severity = Severity.CRITICAL if critical else Severity.HIGH
    detail = {"secret": hit.redacted, "secret_hash": hit.secret_hash}
    if hit.allowed_inline:
        detail["inline_allow"] = "true"
    return Finding(
        scanner="secrets",
        rule=hit.rule,
        severity=severity,
        message=f"{hit.description}: {hit.redacted}",
        file=path,
        line=line,
        commit=commit,
        fingerprint=fingerprint("secret", hit.rule, path, hit.secret_hash),
        detail=detail,
    )


def baseline_entries(findings: Iterable[Finding]) -> list[baseline.Entry]:
    return [(f.rule, f.file or "", f.detail["secret_hash"]) for f in findings]
