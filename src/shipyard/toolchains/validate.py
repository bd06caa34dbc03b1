"""Post-build validation, run as a stage command (`python -m shipyard.toolchains.validate`).

The plan's "Post-Build Checks": the built package imports, and a declared CLI answers
`--version`. For Python the wheel is installed into a throw-away virtual environment (seeing the
current environment's packages, so its dependencies resolve offline); for Node the entry is
imported with `node` and the binary run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def _check(label: str, args: list[str], cwd: Path | None = None) -> bool:
    cp = subprocess.run(args, capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL)
    mark = "ok" if cp.returncode == 0 else f"FAILED (exit {cp.returncode})"
    print(f"validate: {label}: {mark}")
    if cp.returncode != 0:
        print((cp.stdout + cp.stderr).rstrip())
    return cp.returncode == 0


def python(dist: Path, imports: list[str], clis: list[str]) -> bool:
    wheels = sorted(dist.glob("*.whl"))
    if not wheels:
        print(f"validate: no wheel in {dist}/")
        return False
    with tempfile.TemporaryDirectory(prefix="shipyard-validate-") as tmp:
        venv = Path(tmp) / "venv"
        ok = _check(
            "create a virtual environment",
            [sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
        )
        py = str(venv / "bin" / "python")
        ok = ok and _check(
            f"install {wheels[-1].name}",
            [
                py,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--no-index",
                "--force-reinstall",
                str(wheels[-1]),
            ],
        )
        for name in imports:
            ok = _check(f"import {name}", [py, "-c", f"import {name}"], cwd=Path(tmp)) and ok
        for cli in clis:
            ok = _check(f"{cli} --version", [str(venv / "bin" / cli), "--version"]) and ok
        return ok


def node(dist: Path, imports: list[str], clis: list[str]) -> bool:
    if not dist.is_dir():
        print(f"validate: {dist}/ was not built")
        return False
    ok = True
    for entry in imports:
        url = Path(entry).resolve().as_uri()
        ok = (
            _check(
                f"import {entry}",
                [
                    "node",
                    "-e",
                    f"import({url!r}).catch(e => {{ console.error(e); process.exit(1) }})",
                ],
            )
            and ok
        )
    for cli in clis:
        ok = _check(f"{cli} --version", ["node", cli, "--version"]) and ok
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shipyard.toolchains.validate")
    parser.add_argument("kind", choices=["python", "node"])
    parser.add_argument("dist", type=Path)
    parser.add_argument("--import", dest="imports", action="append", default=[])
    parser.add_argument("--cli", dest="clis", action="append", default=[])
    args = parser.parse_args(argv)
    check = python if args.kind == "python" else node
    return 0 if check(args.dist, args.imports, args.clis) else 1


if __name__ == "__main__":
    sys.exit(main())
