"""Post-build validation (the plan's "Post-Build Checks"), run as `shipyard validate`.

Python: the newest wheel in DIST is unpacked into a throw-away folder and imported by the
*project's* interpreter (the active virtual environment, else `.venv/`, else `python3` on
PATH), which sees the project's installed dependencies; shipyard need not be installed there,
and nothing is downloaded. A console script is called through its entry point with
`--version`. Node: the entry is imported with `node`, the emitted `.d.ts` files are checked
with `tsc --noEmit`, and a declared bin is run as `./dist/...`, as a user's shell would.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from shipyard import output, proc
from shipyard.errors import ToolError


class Results:
    """Each check's label, verdict and detail; printed as it happens unless `quiet` (--json)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.checks: list[dict[str, object]] = []

    def add(self, label: str, ok: bool, detail: str = "", output_text: str = "") -> bool:
        self.checks.append({"check": label, "ok": ok, "detail": detail})
        if not self.quiet:
            output.out(f"validate: {label}: {'ok' if ok else f'FAILED ({detail})'}")
            if output_text:
                output.out(output_text)
        return ok

    def note(self, text: str, failed: str | None = None) -> bool:
        """A line of its own; `failed` names the check it fails (no wheel, no dist)."""
        if failed is not None:
            self.checks.append({"check": failed, "ok": False, "detail": text})
        if not self.quiet:
            output.out(f"validate: {text}")
        return failed is None


RESULTS = Results()  # the CLI replaces it with a quiet one for --json


def _check(label: str, args: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> bool:
    try:
        cp = proc.run(
            args,
            cwd=cwd,
            env=None if env is None else {**os.environ, **env},
            check=False,
            input="",  # nothing to read: a tool that waits for input gets end-of-file
            timeout=120,
        )
    except (OSError, ToolError, proc.TimeoutExpired) as exc:
        return RESULTS.add(label, False, str(exc))
    if cp.returncode == 0:
        return RESULTS.add(label, True)
    return RESULTS.add(label, False, f"exit {cp.returncode}", (cp.stdout + cp.stderr).rstrip())


def project_python(root: Path) -> str:
    """The interpreter the project's dependencies are installed in."""
    venv = os.environ.get("VIRTUAL_ENV")
    for candidate in (Path(venv) / "bin" / "python" if venv else None, root / ".venv/bin/python"):
        if candidate is not None and candidate.is_file():
            return str(candidate)
    return shutil.which("python3") or shutil.which("python") or sys.executable


def unpack_wheel(wheel: Path, into: Path) -> dict[str, str]:
    """Install `wheel` into the folder `into` (no pip); its console scripts, name -> entry."""
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(into)  # nosec B202 - our own freshly built wheel, into a private folder
    for data in into.glob("*.data"):
        for scheme in ("purelib", "platlib"):
            for item in (data / scheme).glob("*") if (data / scheme).is_dir() else ():
                item.rename(into / item.name)
    scripts: dict[str, str] = {}
    for entry_points in into.glob("*.dist-info/entry_points.txt"):
        parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(entry_points.read_text())
        if parser.has_section("console_scripts"):
            scripts.update({k: v.strip() for k, v in parser.items("console_scripts")})
    return scripts


def _entry_call(entry: str, name: str) -> str:
    module, _, attr = entry.partition(":")
    target = attr.split("[")[0].strip() or "main"
    return (
        f"import sys; sys.argv[0] = {name!r}; import {module.strip()} as m; "
        f"f = m\nfor part in {target!r}.split('.'): f = getattr(f, part)\nsys.exit(f())"
    )


def python(dist: Path, imports: list[str], clis: list[str], root: Path) -> bool:
    wheels = sorted(dist.glob("*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        return RESULTS.note(f"no wheel in {dist}/", failed="wheel")
    py = project_python(root)
    RESULTS.note(f"{wheels[-1].name} with {py}")
    with tempfile.TemporaryDirectory(prefix="shipyard-validate-") as tmp:
        site = Path(tmp) / "site"
        scripts = unpack_wheel(wheels[-1], site)
        env = {"PYTHONPATH": str(site), "PYTHONNOUSERSITE": "1"}
        ok = True
        for name in imports:
            # the module must come from the wheel, not from a source tree or an editable install
            code = (
                f"import {name}, sys; f = {name}.__file__ or ''; "
                f"sys.exit(0 if f.startswith({str(site)!r}) else 'imported from ' + f)"
            )
            ok = _check(f"import {name}", [py, "-c", code], Path(tmp), env) and ok
        for cli in clis:
            if cli not in scripts:
                RESULTS.add(cli, False, f"the wheel declares no console script {cli!r}")
                ok = False
                continue
            args = [py, "-c", _entry_call(scripts[cli], cli), "--version"]
            ok = _check(f"{cli} --version", args, Path(tmp), env) and ok
        return ok


def _tsc(root: Path) -> str | None:
    local = root / "node_modules" / ".bin" / "tsc"
    return str(local) if local.exists() else shutil.which("tsc")


def _check_types(root: Path, dts: str) -> bool:
    """`tsc --noEmit` on one emitted declaration file, as a consumer's compiler reads it.

    The libraries are tsc's defaults for the target (with DOM, which declares the globals that
    Node also has, such as EventTarget); only the types the file references itself are loaded
    (`types: []`): pulling in every `@types/*` package costs seconds and would hide a missing
    `/// <reference>`."""
    tsc = _tsc(root)
    if tsc is None:
        return RESULTS.add(f"tsc --noEmit {dts}", False, "tsc not found: install typescript")
    options = {
        "noEmit": True,
        "strict": True,
        "target": "es2022",
        "lib": ["es2022", "dom"],  # tsc's default: EventTarget, AbortSignal, … (tinybench)
        "module": "esnext",
        "moduleResolution": "bundler",
        "skipDefaultLibCheck": True,
        "types": [],
    }
    with tempfile.TemporaryDirectory(prefix="shipyard-tsc-") as tmp:
        config = Path(tmp) / "tsconfig.json"
        files = [str((root / dts).resolve())]
        config.write_text(json.dumps({"compilerOptions": options, "files": files}))
        return _check(f"tsc --noEmit {dts}", [tsc, "-p", str(config)], root)


def _pnp_env(root: Path) -> dict[str, str] | None:
    """Yarn Plug'n'Play has no node_modules: node finds the dependencies through the
    workspace's `.pnp.cjs` require hook and `.pnp.loader.mjs` ESM loader (as `yarn node`)."""
    for folder in (root.resolve(), *root.resolve().parents):
        hook = folder / ".pnp.cjs"
        if hook.is_file():
            options = [os.environ.get("NODE_OPTIONS", ""), f"--require {hook}"]
            loader = folder / ".pnp.loader.mjs"
            if loader.is_file():
                options.append(f"--experimental-loader {loader.as_uri()}")
            return {"NODE_OPTIONS": " ".join(o for o in options if o)}
    return None


def node(dist: Path, imports: list[str], clis: list[str], types: list[str], root: Path) -> bool:
    if not dist.is_dir():
        return RESULTS.note(f"{dist}/ was not built", failed="dist")
    env = _pnp_env(root)
    ok = True
    for entry in imports:
        url = (root / entry).resolve().as_uri()
        script = f"import({url!r}).catch(e => {{ console.error(e); process.exit(1) }})"
        ok = _check(f"import {entry}", ["node", "-e", script], root, env) and ok
    for dts in types:
        ok = _check_types(root, dts) and ok
    for cli in clis:
        # as a user's shell runs it: needs the `#!` line and the executable bit
        path = cli if cli.startswith(("./", "/")) else f"./{cli}"
        ok = _check(f"{path} --version", [path, "--version"], root, env) and ok
    return ok
