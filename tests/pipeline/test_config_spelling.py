"""Keys are kebab-case; the old snake_case spelling is read with one warning, both is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard import config
from shipyard.bench import settings as bench_settings
from shipyard.gates import settings as gate_settings
from shipyard.security import settings as scan_settings
from tests.conftest import run_cli

KEBAB = """\
[stages.unit]
run = "true"
matrix = { python_version = ["3.11", "3.12"] }

[gates]
warn-only = true
stale-reports = "fail"

[gates.coverage]
changed-lines = 50

[scan.deps]
fail-on = "high"
max-age = "48h"

[bench.cold_start]
command = "true"
max-memory = "64MiB"
"""


def _load(root: Path) -> tuple[object, ...]:
    definition = config.load(root)
    return (
        gate_settings.load(definition),
        scan_settings.load(root),
        bench_settings.load(definition),
        definition.stages["unit"].matrix,
    )


def test_old_spelling_reads_the_same_and_warns_once_per_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "shipyard.toml"
    file.write_text(KEBAB)
    expected = _load(tmp_path)
    assert capsys.readouterr().err == ""  # kebab-case, and user-named keys as written: silent
    file.write_text(_snake(KEBAB))
    assert _load(tmp_path) == expected
    assert _load(tmp_path) == expected  # a second read does not warn again
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {file}: {key}: the snake_case spelling is deprecated, write {new_key!r} "
        "(kebab-case); the old one stops working in the next major release"
        for key, new_key in [
            ("gates.warn_only", "warn-only"),
            ("gates.stale_reports", "stale-reports"),
            ("gates.coverage.changed_lines", "changed-lines"),
            ("scan.deps.max_age", "max-age"),
            ("scan.deps.fail_on", "fail-on"),
            ("bench.cold_start.max_memory", "max-memory"),
        ]
    ]


def _snake(text: str) -> str:
    for key in ("warn-only", "stale-reports", "changed-lines", "fail-on", "max-age", "max-memory"):
        text = text.replace(f"{key} =", f"{key.replace('-', '_')} =")
    return text


def test_both_spellings_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text(
        '[stages.unit]\nrun = "true"\n[gates]\nwarn-only = true\nwarn_only = false\n'
    )
    r = run_cli("gate", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {tmp_path / 'shipyard.toml'}: gates.warn_only: given twice, as 'warn_only' and "
        "as 'warn-only'\n  hint: keep 'warn-only' (the old spelling 'warn_only' is deprecated)\n",
    )


def test_unknown_keys_suggest_the_kebab_spelling(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text('[stages.a]\nrun = "true"\n[gates]\nwarn_onyl = 1\n')
    definition = config.load(tmp_path)
    with pytest.raises(config.ConfigError) as info:
        gate_settings.load(definition)
    assert info.value.key == "gates.warn_onyl"
    assert info.value.hint == "did you mean 'warn-only'? (see docs/configuration.md)"
