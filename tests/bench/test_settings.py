"""The `[bench]` section: defaults, presets, and each bad key's exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard import config
from shipyard.bench import settings
from shipyard.bench.interface import Direction
from shipyard.errors import ConfigError


def load(tmp_path: Path, text: str) -> settings.Settings:
    (tmp_path / "shipyard.toml").write_text(text)
    return settings.load(config.load(tmp_path))


def test_defaults_and_a_command_benchmark(tmp_path: Path) -> None:
    s = load(tmp_path, '[bench.start]\ncommand = "mycli --version"\n')
    assert (s.base, s.results, s.pool, s.history, s.remeasure) == ("main", ".bench", 10, 30, 2)
    assert s.calibrate and s.machine is None
    (b,) = s.benches
    assert (b.name, b.command, b.runs, b.warmup, b.cold, b.imported) == (
        "start",
        "mycli --version",
        10,
        1,
        False,
        False,
    )
    assert (b.thresholds.warn, b.thresholds.fail) == (0.2, 0.5)
    assert b.targets == {}


def test_settings_thresholds_and_targets(tmp_path: Path) -> None:
    s = load(
        tmp_path,
        """
[bench]
base = "develop"
calibrate = false
pool = 5
warn = "10%"
fail = 0.3
[bench.cold]
preset = "cold-start"
command = "mycli --help"
[bench.mem]
command = "mycli idle"
max-memory = "64MiB"
target = "150ms"
fail = "+80%"
[bench.py]
results = "out/bench.json"
format = "pytest-benchmark"
direction = "bigger"
target = 2.5
""",
    )
    cold, mem, py = s.benches
    assert s.base == "develop" and s.pool == 5 and not s.calibrate
    assert cold.cold and cold.warmup == 0 and cold.targets == {"wall": 1.0}
    assert cold.thresholds.warn == 0.1 and cold.thresholds.fail == 0.3
    assert mem.targets == {"wall": 0.15, "peak_rss": 64 * 1024**2}
    assert mem.thresholds.fail == 0.8
    assert py.imported and py.direction is Direction.BIGGER and py.targets == {"wall": 2.5}


def test_warm_start_and_idle_memory_presets(tmp_path: Path) -> None:
    s = load(
        tmp_path,
        '[bench.w]\ncommand = "x"\npreset = "warm-start"\n'
        '[bench.m]\ncommand = "x"\npreset = "idle-memory"\n',
    )
    assert s.benches[0].targets == {"wall": 0.2} and s.benches[0].warmup == 3
    assert s.benches[1].targets == {"peak_rss": 100e6}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[bench.a]\nruns = 3\n",
            "bench.a.command: missing: a command to measure, or results + format to import",
        ),
        (
            '[bench.a]\nresults = "r.json"\n',
            "bench.a.format: missing: the format of the results file",
        ),
        (
            '[bench.a]\ncommand = "x"\nformat = "vitest"\n',
            "bench.a.results: missing: the vitest results file to read",
        ),
        (
            '[bench.a]\nresults = "r.json"\nformat = "junit"\n',
            "bench.a.format: expected one of pytest-benchmark, vitest, hyperfine, "
            "customSmallerIsBetter, customBiggerIsBetter, got 'junit'",
        ),
        (
            '[bench.a]\ncommand = "x"\nwarn = "lots"\n',
            'bench.a.warn: expected a percentage such as "20%" or a fraction such as 0.2, '
            "got 'lots'",
        ),
        (
            '[bench.a]\ncommand = "x"\nwarn = "60%"\n',
            "bench.a.fail: must be at least warn (60%), got 50%",
        ),
        (
            '[bench.a]\ncommand = "x"\nmax-memory = "lots"\n',
            'bench.a.max-memory: expected a size such as "100MB" or a number of bytes, '
            "got 'lots'",
        ),
        (
            '[bench.a]\ncommand = "x"\ntarget = "soon"\n',
            'bench.a.target: expected a duration such as "90s", "3m" or "1m30s" '
            "(at most 30 days), got 'soon'",
        ),
        ('[bench.a]\ncommand = "x"\nrunz = 3\n', "bench.a.runz: unknown key"),
        ("[bench]\npool = 0\n", "bench.pool: expected an integer >= 1, got 0"),
        (
            "[bench]\nalpha = 0.7\n",
            "bench.alpha: expected a significance level between 0 and 0.5, got 0.7",
        ),
        (
            '[bench.a]\ncommand = "x"\ndirection = "up"\n',
            "bench.a.direction: expected one of smaller, bigger, got 'up'",
        ),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    assert info.value.message == f"{tmp_path / 'shipyard.toml'}: {message}"
