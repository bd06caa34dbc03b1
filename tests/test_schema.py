"""The JSON Schema of the definition (`shipyard schema`) and the readers agree.

Both come from the declarations in shipyard/schema/: every declared key is tried with a valid
value, a value of the wrong type, one outside its choices and one outside its range, against the
schema (jsonschema, draft 2020-12) and against the section's own reader; every ```toml example
of docs/ and README.md is accepted by both; a sample of bad definitions is rejected by both.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shipyard import config
from shipyard.errors import ConfigError
from shipyard.schema import document, readers, registry
from shipyard.schema.model import Group, Key, Undeclared
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
BASE: dict[str, Any] = {"stages": {"name": {"run": "true"}}}
SECRETS = {"SLACK_WEBHOOK": "http://127.0.0.1:9/", "DISCORD_WEBHOOK": "http://127.0.0.1:9/"}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = document.document()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(autouse=True)
def _channel_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**SECRETS, "GITHUB_TOKEN": "t", "SMTP_PASSWORD": "p"}.items():
        monkeypatch.setenv(name, value)


def _reader_accepts(tmp_path: Path, data: dict[str, Any]) -> str | None:
    """None when every section's reader accepts `data`, else the reader's message."""
    try:
        definition = config.parse(data, tmp_path / "shipyard.toml")
        for name in data:
            readers.read(definition, name)
    except ConfigError as exc:
        return str(exc)
    return None


def _schema_accepts(validator: jsonschema.Draft202012Validator, data: dict[str, Any]) -> bool:
    return validator.is_valid(data)


def _trials() -> list[tuple[str, dict[str, Any], bool]]:
    """(what, definition, valid?) for every declared key: its sample, then bad values."""
    out: list[tuple[str, dict[str, Any], bool]] = []

    def walk(group: Group, path: list[str], data: dict[str, Any], at: dict[str, Any]) -> None:
        children = [*group.keys, *([group.entries] if group.entries else [])]
        for key in children:
            name = group.sample_name if key is group.entries else key.name
            where = ".".join([*path, "*" if key is group.entries else name])
            for value, valid, why in _values(key):
                trial = copy.deepcopy(data)
                if valid:
                    _at(trial, path).update(key.companions or {})
                _at(trial, path)[name] = value
                out.append((f"{where} = {value!r} ({why})", trial, valid))
            if key.group is not None:  # a table, tables, or a value that may be a table
                inner = copy.deepcopy(data)
                table = dict(key.group.example)
                holder = _at(inner, path)
                holder[name] = (
                    [table] if key.kind == "tables" else {**holder.get(name, {}), **table}
                )
                walk(key.group, [*path, name] + (["0"] if key.kind == "tables" else []), inner, {})

    for name in registry.SECTIONS:
        walk(Group("top", keys=(registry.section(name),)), [], copy.deepcopy(BASE), {})
    return out


def _at(data: dict[str, Any], path: list[str]) -> dict[str, Any]:
    for part in path:
        data = data[int(part)] if isinstance(data, list) else data.setdefault(part, {})
    return data


def _values(key: Key) -> list[tuple[Any, bool, str]]:
    out: list[tuple[Any, bool, str]] = [(key.sample(), True, "its sample")]
    wrong = "x" if key.kind in ("table", "tables", "string-map") else {"nested": {}}
    out.append((wrong, False, "wrong type"))
    if key.choices:
        bad = "not-a-choice"
        out.append(([bad] if key.kind == "strings" else bad, False, "not a choice"))
        out.extend((c, True, "a choice") for c in key.choices[1:])
    if key.minimum is not None:
        out.append((key.minimum - 1, False, "below the minimum"))
    if key.maximum is not None:
        out.append((key.maximum + 1, False, "above the maximum"))
    return out


TRIALS = _trials()


def test_every_declared_key_is_judged_alike_by_schema_and_reader(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    assert len(TRIALS) > 500  # every section, every key
    disagree = []
    for what, data, valid in TRIALS:
        by_schema = _schema_accepts(validator, data)
        problem = _reader_accepts(tmp_path, data)
        if by_schema != valid or (problem is None) != valid:
            disagree.append(f"{what}: expected {valid}, schema {by_schema}, reader {problem}")
    assert not disagree, "\n".join(disagree)


def _toml_examples() -> list[tuple[str, str]]:
    found = []
    for path in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for n, block in enumerate(re.findall(r"```toml\n(.*?)```", text, re.S)):
            found.append((f"{path.name}#{n + 1}", block))
    return found


def _definitions(block: str) -> list[dict[str, Any]]:
    """The definitions a documented block shows: a block of `key = value` lines without a
    table is a set of alternatives for one stage (`when = ...` four ways)."""
    if re.search(r"^\[", block, re.M):
        return [tomllib.loads(block)]
    lines = [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return [{"stages": {"example": {"run": "true", **tomllib.loads(ln)}}} for ln in lines]


def test_every_documented_example_is_accepted(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    examples = _toml_examples()
    assert len(examples) >= 7
    pyproject = jsonschema.Draft202012Validator(document.document("pyproject"))
    for where, block in examples:
        for data in _definitions(block):
            errors = [e.message for e in validator.iter_errors(data)]
            assert not errors, (where, errors)
            assert pyproject.is_valid({"tool": {"shipyard": data}, "project": {"name": "x"}})
            # the readers too, with the stages the examples name
            named = {"lint", "typecheck", "unit", "example"} - set(data.get("stages", {}))
            full = {
                **data,
                "stages": {**{s: {"run": "true"} for s in named}, **data.get("stages", {})},
            }
            assert _reader_accepts(tmp_path, full) is None, where


BAD = [  # (definition, what) that both the reader and the schema reject
    ({"stages": {"a b": {"run": "true"}}}, "a stage name with a space"),
    ({"stages": {"a": {"run": []}}}, "a stage without commands"),
    ({"stages": {"a": {"run": "true", "timeout": "3 minutes"}}}, "a malformed duration"),
    ({"stages": {"a": {"run": "true", "shard": 0}}}, "a shard count of 0"),
    ({"stages": {"a": {"run": "true", "when": "nightly"}}}, "an unknown trigger"),
    ({"stages": {"a": {"run": "true", "reports": {"junit-xml": "j.xml"}}}}, "a report kind"),
    ({"stages": {"a": {"run": "true", "env": {"1X": "y"}}}}, "an environment name"),
    ({"stages": {"a": {"run": "true", "matrix": {"python": []}}}}, "an empty axis"),
    ({"stages": {"a": {"run": "true", "runn": "x"}}}, "a misspelt key"),
    ({"gates": True}, "gates = true"),
    ({"gates": {"coverage": {"lines": 101}}}, "a percentage above 100"),
    ({"gates": {"lint": {"warnings": "base"}}}, "a count that is not baseline"),
    ({"gates": {"bundle": {"total": "5 parsecs"}}}, "a size without its unit"),
    ({"gates": {"stale-reports": "ignore"}}, "stale-reports"),
    ({"release": {"tag-format": "v{version}-{version}"}}, "two {version}"),
    ({"release": {"types": {"feat": "huge"}}}, "a bump level"),
    ({"ci": {"schedules": {"security": "weekly"}}}, "a cron of one field"),
    ({"ci": {"secrets": ["GITHUB_TOKEN"]}}, "a GITHUB_ secret"),
    ({"ci": {"dependabot": {"ignore": [{"versions": ["1"]}]}}}, "an ignore rule without name"),
    ({"ci": {"workflows": {"deploy": ["name"]}}}, "an unknown workflow"),
    ({"bench": {"b": {"runs": 5}}}, "a benchmark without command or results"),
    ({"bench": {"warn": "twenty"}}, "a malformed percentage"),
    ({"notify": {"github": {"repo": "just-a-name"}}}, "a repo without owner"),
    ({"notify": {"email": {"host": "h", "to": ["t"]}}}, "an e-mail channel without from"),
    ({"metrics": {"success-rate": 120}}, "a rate above 100 %"),
    ({"store": {"log-cap-mb": 0}}, "a log cap of 0"),
    ({"hooks": {"staged": {"*.py": " "}}}, "an empty staged command"),
    ({"workspace": {"mode": "lockstep"}}, "a workspace mode"),
    ({"scan": {"deps": {"fail-on": "severe"}}}, "a severity"),
    ({"stagez": {}}, "an unknown section"),
    ({"ci": {"warn-only": True, "warn_only": True}}, "an unknown key in both spellings"),
    ({"gates": {"warn-only": True, "warn_only": False}}, "one key in both spellings"),
]


@pytest.mark.parametrize("data, what", BAD, ids=[w for _, w in BAD])
def test_bad_definitions_are_rejected_by_both(
    tmp_path: Path, validator: jsonschema.Draft202012Validator, data: dict[str, Any], what: str
) -> None:
    full = {**BASE, **data} if "stages" not in data else data
    assert _reader_accepts(tmp_path, full) is not None, what
    assert not validator.is_valid(full), what


def test_old_spellings_are_accepted_by_both(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    data = {**BASE, "gates": {"warn_only": True, "coverage": {"changed_lines": 70}}}
    assert _reader_accepts(tmp_path, data) is None
    assert validator.is_valid(data)
    described = document.document()["properties"]["gates"]["anyOf"][1]["properties"]
    assert described["warn_only"]["deprecated"] is True


def test_a_key_read_but_not_declared_is_a_bug_named_at_once(tmp_path: Path) -> None:
    spec = registry.group("store")
    table = config.Table({"log-cap-mb": 5}, tmp_path / "shipyard.toml", "store", spec)
    with pytest.raises(Undeclared, match=r"store\.log-size is read but not declared"):
        table.int("log-size")
    with pytest.raises(Undeclared, match=r"declared as .integer. but read with Table\.str"):
        table.str("log-cap-mb")
    with pytest.raises(Undeclared, match="the reader's default is 50, the declaration's 100"):
        table.int("log-cap-mb", 50)
    assert table.int("log-cap-mb") == 5  # default and range come from the declaration
    empty = config.Table({}, tmp_path / "shipyard.toml", "store", spec)
    assert empty.int("log-cap-mb") == 100


def test_the_published_schemas_are_current_and_the_command_checks_them(tmp_path: Path) -> None:
    for kind, name in document.FILES.items():
        published = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert published == document.text(kind), f"run `shipyard schema --output schema/{name}`"
    declared = {d.path for d in registry.declared()}
    assert {
        "stages.*.timeout",
        "gates.coverage.changed-lines",
        "ci.dependabot.ignore[].ecosystem",
    } <= declared
    stale = tmp_path / "old.json"
    stale.write_text("{}\n", encoding="utf-8")
    r = run_cli("schema", "--check", str(stale), "--json", cwd=tmp_path)
    assert r.returncode == 1 and json.loads(r.stdout)["up_to_date"] is False
    r = run_cli("schema", "--pyproject", "--output", str(stale), cwd=tmp_path)
    assert r.returncode == 0 and json.loads(stale.read_text())["$id"].endswith(
        "pyproject.schema.json"
    )
