"""What a tsconfig says about the build: whether tsc emits JavaScript, and where to.

tsconfig files are JSON with comments and trailing commas; only the two keys init needs are
read (`outDir`, `noEmit`), following one relative `extends`, so a comment or a path alias in the
file never makes detection fail."""

from __future__ import annotations

import re
from pathlib import Path

BUILD_CONFIGS = ("tsconfig.build.json", "tsconfig.lib.json", "tsconfig.json")
_STRING_KEY = r'"{key}"\s*:\s*"([^"]*)"'


def _text(path: Path) -> str:
    """The file without its whole-line comments ('' when it cannot be read)."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(ln for ln in lines if not ln.lstrip().startswith(("//", "/*", "*")))


def _key(root: Path, config: str, key: str) -> str | None:
    """A string or boolean key of `config`, or of the config it extends."""
    for _ in range(2):  # the file itself, then one relative `extends`
        text = _text(root / config)
        found = re.search(_STRING_KEY.format(key=key), text)
        if found:
            return found.group(1)
        flag = re.search(rf'"{key}"\s*:\s*(true|false)', text)
        if flag:
            return flag.group(1)
        parent = re.search(_STRING_KEY.format(key="extends"), text)
        if parent is None or not parent.group(1).startswith("."):
            return None
        config = str(Path(config).parent / parent.group(1))
    return None


def build_config(root: Path) -> str:
    """The tsconfig a library builds with (a tsconfig.build.json first)."""
    return next((c for c in BUILD_CONFIGS if (root / c).is_file()), "tsconfig.json")


def emits(root: Path) -> bool:
    """Whether `tsc` alone builds the project: its build config emits into an outDir."""
    config = build_config(root)
    if not (root / config).is_file():
        return False
    return _key(root, config, "noEmit") != "true" and bool(_key(root, config, "outDir"))


def out_dir(root: Path, command: str) -> str | None:
    """The folder a tsc build command writes (None when the command is not tsc)."""
    words = command.split()
    if "tsc" not in words:
        return None
    config = "tsconfig.json"
    for flag in ("-p", "--project"):
        if flag in words[:-1]:
            config = words[words.index(flag) + 1]
    if (root / config).is_dir():
        config = str(Path(config) / "tsconfig.json")
    found = _key(root, config, "outDir")
    return found.strip("/").removeprefix("./") if found else None
