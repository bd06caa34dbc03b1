"""Peak memory for large inputs (issue 13): the failed stage's tail of a 1 GB log, and reading
a 200 MB Cobertura report. Each is measured in a fresh interpreter, against the same
interpreter importing the same modules (the anchor), and printed as MB above it.

    python benchmarks/large_inputs.py [--log-mb 1024] [--cobertura-mb 200]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def peak_mb(code: str) -> float:
    script = f"import resource\n{code}\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def write_log(path: Path, megabytes: int) -> None:
    row = b"some output of a noisy stage, one line after another, " * 2 + b"\n"
    block = row * (1024 * 1024 // len(row))
    with open(path, "wb") as fh:
        for _ in range(megabytes):
            fh.write(block)
        fh.write(b"FAILED: the error at the end\n")


def write_cobertura(path: Path, megabytes: int) -> None:
    with open(path, "w") as fh:
        fh.write('<?xml version="1.0" ?>\n<coverage lines-valid="1" lines-covered="1">')
        fh.write("<sources><source>.</source></sources><packages><package><classes>\n")
        written, c = 0, 0
        while written < megabytes * 1024 * 1024:
            lines = "".join(f'<line number="{n}" hits="{n % 3}"/>\n' for n in range(1, 400))
            chunk = f'<class filename="pkg/m{c}.py"><methods/><lines>\n{lines}</lines></class>\n'
            fh.write(chunk)
            written += len(chunk)
            c += 1
        fh.write("</classes></package></packages></coverage>\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--log-mb", type=int, default=1024)
    parser.add_argument("--cobertura-mb", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp, "stage.log")
        write_log(log, args.log_mb)
        anchor = peak_mb("from shipyard.pipeline.render import tail_lines")
        peak = peak_mb(
            f"from pathlib import Path\nfrom shipyard.pipeline.render import tail_lines\n"
            f"print(tail_lines(Path({str(log)!r}), 60)[0][-1])"
        )
        print(f"tail of a {args.log_mb} MB log: peak {peak:.0f} MB ({peak - anchor:+.0f} MB)")
        log.unlink()
        xml = Path(tmp, "coverage.xml")
        write_cobertura(xml, args.cobertura_mb)
        anchor = peak_mb("from shipyard.gates import registry")
        peak = peak_mb(
            "from pathlib import Path\nfrom shipyard.gates import registry\n"
            f"kind, cov = registry.read('coverage', Path({str(xml)!r}), Path({tmp!r}))\n"
            "print(len(cov.files), 'files')"
        )
        print(
            f"a {args.cobertura_mb} MB Cobertura report: peak {peak:.0f} MB "
            f"({peak - anchor:+.0f} MB)"
        )


if __name__ == "__main__":
    main()
