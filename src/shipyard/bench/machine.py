"""The machine fingerprint: results are compared only with runs on the same kind of machine.

The fingerprint hashes what makes timings comparable (OS, architecture, CPU model, core count,
memory size, Python implementation) and not what changes between identical CI runners (host
name, IP). `[bench] machine` or SHIPYARD_BENCH_MACHINE names the machine explicitly instead.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
from pathlib import Path

_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> int:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 0
    return round(pages / 2**30)


def describe() -> dict[str, str]:
    return {
        "os": platform.system().lower(),
        "arch": platform.machine(),
        "cpu": _cpu_model(),
        "cpus": str(os.cpu_count() or 0),
        "memory_gb": str(_memory_gb()),
        "python": platform.python_implementation(),
    }


def fingerprint(override: str | None = None) -> str:
    """A short stable id, such as `linux-x86_64-4c-1a2b3c4d`."""
    named = os.environ.get("SHIPYARD_BENCH_MACHINE") or override
    if named:
        return _SLUG.sub("-", named).strip("-")[:100] or "machine"  # a folder name
    info = describe()
    digest = hashlib.sha256(repr(sorted(info.items())).encode()).hexdigest()[:8]
    return f"{info['os']}-{info['arch']}-{info['cpus']}c-{digest}"
