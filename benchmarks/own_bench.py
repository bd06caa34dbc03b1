"""The performance figures of issue 17 at a size shipyard's own `bench` stage can afford, as
CPU seconds in github-action-benchmark's `customSmallerIsBetter` format, so that a regression in
any of them is caught by `shipyard bench run` ([tool.shipyard.bench.perf] in pyproject.toml).

    python benchmarks/own_bench.py OUT.json [--runs 3]

Series (median CPU of `runs`, children included): `plan-1000-stages`, `run-1000-stages`,
`generate-1000-stages`, `cache-keys-20000-untracked` (warm), `secrets-staged-10-files`,
`version-2000-commits`, `changelog-full-2000-commits`. The full-size figures are the other
scripts' (pipeline_scale.py, cache_keys.py, secrets_staged.py, release_real.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import wall_and_cpu
from cache_keys import tree
from pipeline_scale import chain
from release_history import configured
from secrets_staged import staged_repo

ROOT = Path(__file__).resolve().parents[1]
SHIPYARD = [sys.executable, "-m", "shipyard"]


def figures(work: Path, runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    stages = work / "stages"
    chain(stages, 1000)
    for name, args in {
        "plan-1000-stages": ["run", "--dry-run"],
        "run-1000-stages": ["run", "--no-cache", "-j", "2", "--json"],
        "generate-1000-stages": ["ci", "generate"],
    }.items():
        shutil.rmtree(stages / ".github", ignore_errors=True)
        out[name] = wall_and_cpu([*SHIPYARD, *args], cwd=stages, runs=runs)[1]
    keys = work / "keys"
    keys.mkdir()
    tree(keys, 20_000)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=keys, check=True)
    (keys / ".git/info/exclude").write_text(".shipyard/\n")
    run = [*SHIPYARD, "run", "--json"]
    out["cache-keys-20000-untracked"] = wall_and_cpu(run, cwd=keys, runs=runs)[1]
    staged = staged_repo(ROOT, work)
    scan = [*SHIPYARD, "scan", "secrets", "--staged"]
    out["secrets-staged-10-files"] = wall_and_cpu(scan, cwd=staged, runs=runs, ok=(0, 1))[1]
    history = configured(work / "history", 2_000, 200)
    out["version-2000-commits"] = wall_and_cpu([*SHIPYARD, "version"], cwd=history, runs=runs)[1]
    full = [*SHIPYARD, "changelog", "--full", "--stdout"]
    out["changelog-full-2000-commits"] = wall_and_cpu(full, cwd=history, runs=runs)[1]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        found = figures(Path(tmp), opts.runs)
    entries = [{"name": k, "unit": "s", "value": max(v, 1e-6)} for k, v in found.items()]
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(entries, indent=1) + "\n")
    for e in entries:
        print(f"{e['name']:<32} {e['value']:.3f} s CPU")


if __name__ == "__main__":
    main()
