"""The ownership rules of docs/architecture.md, checked over the AST of every module.

The rules are read from the table in docs/architecture.md ("Layers and owners"), so the page and
the code cannot drift apart: a row whose rule this file does not know fails, and so does any
module outside a concern's home that breaks its rule.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "shipyard"
DOC = ROOT / "docs" / "architecture.md"
STATE = ".shipyard"


def _imports(tree: ast.AST, module: str) -> Iterator[int]:
    """Lines importing `module` or a submodule of it (absolute imports; shipyard has no
    relative ones)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        if any(n == module or n.startswith(module + ".") for n in names):
            yield node.lineno


def _prints(tree: ast.AST) -> Iterator[int]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        ):
            yield node.lineno


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (prose may name the state folder)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _state_paths(tree: ast.AST) -> Iterator[int]:
    """A path built under the state folder by hand, or SHIPYARD_HOME read outside the store."""
    prose = _docstrings(tree)
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if not isinstance(text, str) or id(node) in prose:
            continue
        if text.startswith(STATE + "/") or text == "SHIPYARD_HOME":
            yield node.lineno


RUN_SQL = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN)\s+(?:runs|stage_results|test_cases)\b", re.I)


def _run_sql(tree: ast.AST) -> Iterator[int]:
    """SQL reading or writing the run tables (their CREATE TABLE lives in store.py)."""
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and RUN_SQL.search(text):
            yield node.lineno


def _to_json(tree: ast.AST) -> Iterator[int]:
    """A result turned into plain data under the old name (the one name is `serialize`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "to_json":
            yield node.lineno


CHECKS: dict[str, Callable[[ast.AST], Iterator[int]]] = {
    "`import sqlite3`": lambda tree: _imports(tree, "sqlite3"),
    "`import subprocess`": lambda tree: _imports(tree, "subprocess"),
    "`print(`": _prints,
    "`import shipyard.commands`": lambda tree: _imports(tree, "shipyard.commands"),
    '`".shipyard/…"` literal, `SHIPYARD_HOME`': _state_paths,
    "SQL on `runs`, `stage_results`, `test_cases`": _run_sql,
    "`def to_json`": _to_json,
}


def _rules() -> list[tuple[str, list[str], str]]:
    """(concern, homes, rule) for each row of the checked table in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("| concern | its only home | rule (checked) |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.strip().splitlines()[1:]:
        concern, homes, rule = (c.strip() for c in line.strip().strip("|").split("|"))
        rows.append((concern, re.findall(r"`([^`]+)`", homes), rule))
    return rows


@functools.cache
def _modules() -> list[tuple[str, ast.AST]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_bytes(), filename=str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _at_home(rel: str, homes: list[str]) -> bool:
    return any(rel == h or (h.endswith("/") and rel.startswith(h)) for h in homes)


def violations(rule: str, homes: list[str], modules: list[tuple[str, ast.AST]]) -> list[str]:
    check = CHECKS[rule]
    return [
        f"{rel}:{line}" for rel, tree in modules if not _at_home(rel, homes) for line in check(tree)
    ]


RULES = _rules()


def test_the_page_lists_every_checked_rule_and_only_those() -> None:
    assert sorted(rule for _, _, rule in RULES) == sorted(CHECKS)
    for _, homes, _ in RULES:
        for home in homes:
            assert (PACKAGE / home).exists(), f"docs/architecture.md names a missing home {home}"


@pytest.mark.parametrize(("concern", "homes", "rule"), RULES, ids=[r[0] for r in RULES])
def test_each_concern_has_one_home(concern: str, homes: list[str], rule: str) -> None:
    found = violations(rule, homes, _modules())
    assert found == [], f"{concern} belongs in {', '.join(homes)} only; found {rule} in {found}"


def test_the_checks_see_what_they_forbid() -> None:
    """Each check flags a sample breaking it, and not the same module at its home."""
    sample = ast.parse(
        "import os\n"
        "import sqlite3\n"
        "from subprocess import run\n"
        "from shipyard.commands.run import execute\n"
        "from shipyard import commands\n"
        "def f():\n"
        "    '''.shipyard/ in prose is fine'''\n"
        "    print('x')\n"
        "    return os.environ.get('SHIPYARD_HOME'), '.shipyard/osv', '.shipyard'\n"
        "q = 'SELECT name FROM stage_results WHERE run_id = ?'\n"
        "def to_json():\n"
        "    return {}\n"
    )
    modules = [("pipeline/bad.py", sample)]
    found = {rule: violations(rule, homes, modules) for _, homes, rule in RULES}
    assert found == {
        "`import sqlite3`": ["pipeline/bad.py:2"],
        "`import subprocess`": ["pipeline/bad.py:3"],
        "`print(`": ["pipeline/bad.py:8"],
        "`import shipyard.commands`": ["pipeline/bad.py:4", "pipeline/bad.py:5"],
        '`".shipyard/…"` literal, `SHIPYARD_HOME`': ["pipeline/bad.py:9", "pipeline/bad.py:9"],
        "SQL on `runs`, `stage_results`, `test_cases`": ["pipeline/bad.py:10"],
        "`def to_json`": ["pipeline/bad.py:11"],
    }
    assert violations("`import sqlite3`", ["pipeline/"], modules) == []


def test_the_library_api_is_what_the_readme_documents() -> None:
    from shipyard import api

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in api.__all__:
        assert callable(getattr(api, name))
        assert f"api.{name}" in readme or f"`{name}`" in readme, (
            f"README does not document shipyard.api.{name}"
        )


# the names text-making modules had before one name was chosen (issue 14: "render, report,
# explain, dashboard"); HTML pages are `dashboard`, everything else a family shows is `render`
RENDERER_NAMES = {"report.py", "explain.py"}


def test_each_family_renders_in_one_module_named_render() -> None:
    old = sorted(
        rel
        for rel, _ in _modules()
        if rel.rsplit("/", 1)[-1] in RENDERER_NAMES and not rel.startswith("commands/")
    )  # commands/report.py is `shipyard report`, named for its command
    assert old == [], f"a family's renderer is its render.py; rename {old}"
    renderers = {rel.split("/")[0] for rel, _ in _modules() if rel.endswith("/render.py")}
    assert {"bench", "gates", "pipeline", "release", "security"} <= renderers


def test_every_read_key_is_declared_in_the_schema() -> None:
    """Each literal key a section reader asks config.Table for is declared in shipyard/schema/
    (config.Table raises at the read otherwise; this finds the reads no test reaches)."""
    from shipyard.schema import registry

    declared = {d.key.name for d in registry.declared()}
    methods = {"str", "bool", "int", "number", "duration", "str_list", "str_map", "table", "has"}
    missing = []
    for rel, tree in _modules():
        if rel.startswith("schema/") or rel == "output.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in methods
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.replace("_", "-") not in declared
            ):
                missing.append(f"{rel}:{node.lineno} {node.args[0].value}")
    assert missing == []
