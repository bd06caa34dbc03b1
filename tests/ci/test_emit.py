"""The YAML writer: whatever it writes, a YAML reader reads back as the same data."""

from __future__ import annotations

import pytest
import yaml

from shipyard.ci.emit import Commented, dump

TRICKY = [
    "yes",
    "No",
    "on",
    "off",
    "true",
    "null",
    "~",
    "",
    " lead",
    "trail ",
    "1.0",
    "12",
    "1e3",
    "0x1F",
    "0o17",
    ".inf",
    "12:30",
    "0 2 * * *",
    "*/6",
    "!v*-rc.*",
    "v*",
    "-x",
    "a: b",
    "a #b",
    "#c",
    "it's",
    'say "hi"',
    "line1\nline2",
    "line\n",
    "${{ matrix.os }}",
    "${{ hashFiles('a', 'b') }}",
    "[x]",
    "{y}",
    "@at",
    "%p",
    "`t`",
    "ends:",
    "tab\there",
    "?q",
    "|pipe",
    ">fold",
    "&anchor",
    "*alias",
    "ümlaut",
]


@pytest.mark.parametrize("text", TRICKY)
def test_strings_survive_a_round_trip(text: str) -> None:
    data = {"value": text, "list": [text], "nested": {"k": text}}
    assert yaml.safe_load(dump(data)) == data


def test_numbers_booleans_null_and_empty_collections() -> None:
    data = {"a": 1, "b": 2.5, "c": True, "d": False, "e": None, "f": {}, "g": []}
    assert yaml.safe_load(dump(data)) == data


def test_lists_of_mappings_and_block_scripts() -> None:
    data = {"steps": [{"name": "x", "run": "echo 1\necho 2\n"}, {"uses": "a/b@c"}]}
    text = dump(data)
    assert text == (
        "steps:\n  - name: x\n    run: |\n      echo 1\n      echo 2\n  - uses: a/b@c\n"
    )
    assert yaml.safe_load(text) == data


def test_a_comment_follows_its_value() -> None:
    text = dump({"uses": Commented("actions/checkout@" + "a" * 40, "v4.2.2")})
    assert text == f"uses: actions/checkout@{'a' * 40} # v4.2.2\n"


def test_on_stays_a_plain_key_and_top_level_keys_are_spaced() -> None:
    assert dump({"name": "x", "on": {"push": {}}}) == "name: x\n\non:\n  push: {}\n"
