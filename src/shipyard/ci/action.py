"""`[ci] use-action`: the generated jobs run shipyard through shipyard's own GitHub Action
(action.yml at the root of shipyard's repository) instead of installing it in the setup action.

The ref pins a commit (`OWNER/REPO@<40 hex digits>`, what zizmor's unpinned-uses audit asks
of every `uses:`), since whoever holds the repository can move a tag; `true`, the first
releases' spelling, still names this version's tag, with a warning (ci/settings.py). Each
step that runs one plain `shipyard …` command becomes a step that `uses:` the action with that
command (the action splits it on spaces, evaluating nothing); the action's own stage cache stays
off, since the jobs keep theirs.
"""

from __future__ import annotations

import re
from typing import Any

from shipyard import __version__

REPOSITORY = "shipyard-dev/shipyard"  # the public name the docs use (pyproject [project.urls])
REF = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}")
WORD = r"[A-Za-z0-9_./=:,@+-]+"
PLAIN = re.compile(rf"shipyard {WORD}(?: {WORD})*")  # plain words: no shell syntax
SHARD = '"$SHARD/'  # the sharded stage step: its shard number comes from the matrix instead


def default_ref() -> str:
    return f"{REPOSITORY}@v{__version__}"


def adapt(jobs: dict[str, Any], ref: str, python: str) -> dict[str, Any]:
    """`jobs` with every plain shipyard step replaced by the action, and no step of their own
    that installs shipyard."""
    return {name: _job(job, ref, python) for name, job in jobs.items()}


def _job(job: dict[str, Any], ref: str, python: str) -> dict[str, Any]:
    steps = job.get("steps")
    if not steps:
        return job
    version = _python(steps, python)
    kept = [
        new
        for step in steps
        if step.get("name") != "Install shipyard"
        for new in _split(step, ref, version)
    ]
    return {**job, "steps": kept}


def _split(step: dict[str, Any], ref: str, python: str) -> list[dict[str, Any]]:
    """A script of plain lines (`mkdir -p _site` then `shipyard report …`) as one step per
    shipyard line and one per run of other lines, in order; any other step as it is."""
    run = step.get("run")
    lines = run.strip().splitlines() if isinstance(run, str) else []
    if len(lines) < 2 or not all(PLAIN.fullmatch(ln) or "shipyard" not in ln for ln in lines):
        return [_step(step, ref, python)]
    if any(ln.rstrip().endswith(("\\", "&&", "|", "then", "do", "{")) for ln in lines):
        return [step]  # a compound command: left alone
    out: list[dict[str, Any]] = []
    shell: list[str] = []
    for line in lines:
        if not PLAIN.fullmatch(line):
            shell.append(line)
            continue
        if shell:
            out.append(
                {
                    **{k: v for k, v in step.items() if k != "id"},
                    "name": f"{step.get('name', 'run')} (prepare)",
                    "run": "\n".join(shell) + "\n",
                }
            )
            shell = []
        out.append(_step({**step, "run": line}, ref, python))
    if shell:
        out.append({**step, "run": "\n".join(shell) + "\n"})
    return out


def _python(steps: list[dict[str, Any]], default: str) -> str:
    for step in steps:
        wanted = (step.get("with") or {}).get("python-version")
        if isinstance(wanted, str) and wanted:
            return wanted
    return default


def _step(step: dict[str, Any], ref: str, python: str) -> dict[str, Any]:
    run = step.get("run")
    if not isinstance(run, str):
        return step
    env = dict(step.get("env") or {})
    command = run.strip()
    if SHARD in command and "SHARD" in env:
        command = command.replace(SHARD, "${{ matrix.shard }}/").replace('"', "")
        env.pop("SHARD")
    match = PLAIN.fullmatch(command.replace("${{ matrix.shard }}", "0"))
    if match is None:
        return step
    new: dict[str, Any] = {"name": step.get("name", command), "uses": ref}
    new["with"] = {"command": command.removeprefix("shipyard "), "python-version": python}
    new["with"]["cache"] = "false"
    if env:
        new["env"] = env
    return new
