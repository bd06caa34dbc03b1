"""Licences and the CycloneDX SBOM of a 634-package npm lockfile, beside `npm ls` reading the
same lockfile, in one go.

Run: python benchmarks/licenses_sbom.py [--runs 5] [--packages 634]
Goal (issue 17): licences + SBOM < 5 s. The lockfile is synthetic (package-lock v3, the shape
npm 9+ writes, with a licence per package), so the figure does not depend on a network install.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import tempfile
from pathlib import Path

from _common import median_ms, report, require, time_command

LICENSES = ["MIT", "ISC", "Apache-2.0", "BSD-3-Clause", "BSD-2-Clause", "(MIT OR Apache-2.0)"]


def lockfile(n: int) -> dict[str, object]:
    packages: dict[str, object] = {"": {"name": "app", "version": "1.0.0", "dependencies": {}}}
    for i in range(n):
        name = f"@scope{i % 7}/pkg-{i}" if i % 5 == 0 else f"pkg-{i}"
        packages[f"node_modules/{name}"] = {
            "version": f"{i % 9}.{i % 13}.{i % 4}",
            "resolved": f"https://registry.example.invalid/{name}/-/{i}.tgz",
            "integrity": "sha512-" + "A" * 86 + "==",
            "license": LICENSES[i % len(LICENSES)],
        }
    return {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": packages}


def cpu_seconds(args: list[str], cwd: Path, runs: int) -> float:
    """Median user + system CPU of the command's process tree: steadier than wall time on a
    loaded machine."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, cwd=cwd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--packages", type=int, default=634)
    args = parser.parse_args()
    shipyard = require("shipyard", "pip install .")
    npm = require("npm", "install Node.js")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0"}))
        (root / "package-lock.json").write_text(json.dumps(lockfile(args.packages)))
        runs = {"runs": args.runs, "warmup": 1, "cwd": root}
        licenses = time_command([shipyard, "scan", "licenses"], **runs)  # type: ignore[arg-type]
        sbom = time_command(
            [shipyard, "scan", "sbom", "--output", str(root / "sbom.json")],
            **runs,  # type: ignore[arg-type]
        )
        anchor = time_command([npm, "ls", "--all", "--package-lock-only"], **runs)  # type: ignore[arg-type]
        cpu = {
            "licences": cpu_seconds([shipyard, "scan", "licenses"], root, args.runs),
            "SBOM": cpu_seconds([shipyard, "scan", "sbom", "--output", "s.json"], root, args.runs),
            "npm ls": cpu_seconds([npm, "ls", "--all", "--package-lock-only"], root, args.runs),
        }
    report(f"shipyard scan licenses ({args.packages} packages)", licenses)
    report(f"shipyard scan sbom ({args.packages} packages)", sbom)
    report("npm ls --all --package-lock-only (anchor)", anchor)
    both = median_ms(licenses) + median_ms(sbom)
    print(f"licences + SBOM: {both / 1000:.2f} s (goal < 5 s)")
    print(f"ratio (licences + SBOM) / npm ls: {both / median_ms(anchor):.2f} (wall)")
    print("CPU seconds, median: " + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    total = cpu["licences"] + cpu["SBOM"]
    print(f"licences + SBOM CPU: {total:.2f} s; ratio to npm ls CPU: {total / cpu['npm ls']:.2f}")


if __name__ == "__main__":
    main()
