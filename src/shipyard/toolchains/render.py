"""The proposed definition as commented TOML, in parts (one per stage or section) so that
`init --update` can add the parts a definition lacks. `prefix` is "tool.shipyard." inside
pyproject.toml and "" in shipyard.toml."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shipyard.gates.settings import MB, SPECS
from shipyard.toolchains.compose import Plan

ABOUT = {
    "lint": "format and lint checks; they never rewrite a file (--check, --no-fix)",
    "typecheck": "the type checker",
    "build": "build the package, then check it: it imports, its CLI answers --version",
    "unit": "unit tests, with the JUnit and coverage reports the gates read",
    "integration": "integration tests",
    "e2e": "end-to-end tests",
    "security": "shipyard scan: secrets, vulnerable dependencies, code, licences (not critical)",
    "secrets": "only from the pre-commit hook (no trigger): secrets in the staged changes",
}
KEY_ORDER = (
    "run",
    "cwd",
    "needs",
    "env",
    "inputs",
    "outputs",
    "reports",
    "when",
    "critical",
    "budget",
    "release",
)
RELEASE_BRANCHES = ("main", "master")


@dataclass(frozen=True)
class Part:
    key: str  # "stages.NAME" or a section name
    text: str
    example: bool = False  # commented out: shown, not in force


def value(v: Any) -> str:
    """One TOML value (strings, numbers, booleans, lists, inline tables)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {value(x)}" for k, x in v.items()) + " }"
    items = [value(x) for x in v]
    one = "[" + ", ".join(items) + "]"
    if len(one) <= 80:
        return one
    return "[\n" + "".join(f"    {i},\n" for i in items) + "]"


def _key(k: str) -> str:
    return k if k.replace("-", "").replace("_", "").isalnum() else json.dumps(k)


def _stage(prefix: str, name: str, table: dict[str, Any]) -> Part:
    base = name.removeprefix("node-")
    if base not in ABOUT:  # a workspace package's stage, "core-build"
        base = base.rsplit("-", 1)[-1]
    where = f" (in {table['cwd']})" if table.get("cwd", ".") != "." else ""
    lines = [f"# {name}: {ABOUT.get(base, 'a stage')}{where}", f"[{prefix}stages.{name}]"]
    for key in sorted(table, key=lambda k: KEY_ORDER.index(k) if k in KEY_ORDER else 99):
        lines.append(f"{key} = {value(table[key])}")
    return Part(f"stages.{name}", "\n".join(lines))


def _figure(spec_default: float | str, unit: str) -> str:
    if unit == "bytes" and isinstance(spec_default, float):
        return value(f"{spec_default / MB:g}MB")
    if isinstance(spec_default, float) and spec_default.is_integer():
        return str(int(spec_default))
    return value(spec_default)


def _gates(prefix: str, plan: Plan) -> Part:
    lines = [
        "# Quality gates, the plan's thresholds: `shipyard run` judges them after the stages",
        "# that write their reports (only this run's reports); `gates = false` turns them off.",
        f"[{prefix}gates]",
        f"base = {value(plan.branch)}",
    ]
    wanted = {
        "coverage": None,
        "tests": ("failures",),
        "lint": ("errors",),
        "typecheck": ("errors",),
        "bundle": None,
    }
    for group, keys in wanted.items():
        specs = [
            s
            for s in SPECS
            if s.gate.startswith(f"{group}.") and (keys is None or s.gate.split(".")[1] in keys)
        ]
        on = specs[0].kind in plan.reports
        mark = "" if on else "# "
        why = "" if on else f"  (no stage writes a {specs[0].kind} report)"
        lines.append(f"{mark}[{prefix}gates.{group}]{why}")
        lines += [f"{mark}{s.key} = {_figure(s.default, s.unit)}" for s in specs]
    return Part("gates", "\n".join(lines))


def _release(prefix: str, plan: Plan) -> Part:
    example = f" (as in {plan.tag.example})" if plan.tag.example else ""
    lines = [
        "# `shipyard release`: runs the stages marked `release = true`, then tags and publishes.",
        f"[{prefix}release]",
        f"tag-format = {value(plan.tag.format)}{'  # ' + example.strip(' ()') if example else ''}",
        f"scheme = {value(plan.scheme)}",
        f"publish = {value(plan.publish)}",
    ]
    if plan.branch not in RELEASE_BRANCHES:
        lines.append(f"branches = {value([plan.branch, '[0-9]*.x'])}")
    return Part("release", "\n".join(lines))


def _hooks(prefix: str, plan: Plan) -> Part:
    return Part(
        "hooks",
        "\n".join(
            [
                "# `shipyard hook install`: the pre-commit hook runs the lint stages on a commit",
                "# and scans the staged changes for secrets.",
                f"[{prefix}hooks]",
                f"pre-commit = {value(plan.pre_commit)}",
            ]
        ),
    )


def _ci(prefix: str, plan: Plan) -> Part | None:
    """Keep the release stages in the push / pull-request workflows too: `ci generate` puts a
    `release = true` stage only in the release workflow unless [ci.workflows] names it."""
    chosen: dict[str, list[str]] = {}
    for name, table in plan.stages.items():
        if table.get("release"):
            kind = "build" if name.removeprefix("node-") == "build" else "test"
            chosen.setdefault(kind, []).append(name)
    if not chosen:
        return None
    lines = [
        "# `shipyard ci generate`: the release stages also run on every push and pull request.",
        f"[{prefix}ci.workflows]",
        *(f"{kind} = {value(names)}" for kind, names in chosen.items()),
    ]
    return Part("ci", "\n".join(lines))


def _bench(prefix: str, plan: Plan) -> Part:
    lines = [
        "# `shipyard bench run`: benchmarks, compared with the base branch's recent runs.",
        f"[{prefix}bench]",
        f"base = {value(plan.branch)}",
    ]
    for name, table in plan.bench.items():
        lines.append(f"[{prefix}bench.{name}]")
        lines += [f"{k} = {value(v)}" for k, v in table.items()]
    return Part("bench", "\n".join(lines))


def _monitoring(prefix: str, plan: Plan) -> list[Part]:
    monitor = [
        "# `shipyard monitor` (health checks, alerts): uncomment to use; docs/monitoring.md.",
        f"# [{prefix}monitor]",
        '# repeat = "24h"',
        f"# [{prefix}monitor.pipeline]",
        f"# branch = {value(plan.branch)}",
        f"# [{prefix}monitor.health]",
        '# urls = ["https://example.invalid/health"]',
    ]
    notify = [
        "# Alert channels; secrets come from environment variables only.",
        f"# [{prefix}notify.slack]",
        '# url-env = "SLACK_WEBHOOK"',
        '# min-severity = "medium"',
        f"# [{prefix}notify.github]",
        '# repo = "OWNER/NAME"',
        '# token-env = "GITHUB_TOKEN"',
    ]
    return [Part("monitor", "\n".join(monitor), True), Part("notify", "\n".join(notify), True)]


def parts(plan: Plan, prefix: str = "") -> list[Part]:
    out = [_stage(prefix, name, table) for name, table in plan.stages.items()]
    out += [_gates(prefix, plan), _release(prefix, plan), _hooks(prefix, plan)]
    ci = _ci(prefix, plan)
    if ci is not None:
        out.append(ci)
    if plan.bench:
        out.append(_bench(prefix, plan))
    return out + _monitoring(prefix, plan)


def text(items: list[Part]) -> str:
    return "\n\n".join(p.text for p in items) + "\n"
