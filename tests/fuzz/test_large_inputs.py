"""Large inputs are streamed (issue 13): the failed stage's tail is read from the end of its
log, a stage log is capped with a note, and big reports are read in bounded memory.
The figures for a 1 GB log and a 200 MB Cobertura are in benchmarks/large_inputs.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shipyard.pipeline.render import tail_lines
from tests.fuzz.contract import rejected, shipyard


def test_tail_lines_from_the_end(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("".join(f"line {i}\n" for i in range(100_000)) + "last without newline")
    lines, total = tail_lines(log, 3, block=64)
    assert lines == ["line 99998", "line 99999", "last without newline"]
    assert total == 100_001
    log.write_text("one\ntwo\n")
    assert tail_lines(log, 60) == (["one", "two"], 2)
    log.write_text("")
    assert tail_lines(log, 60) == ([], 0)


def _peak_rss_mb(code: str) -> float:
    """Peak RSS of a fresh interpreter running `code`, in MB."""
    script = f"import resource\n{code}\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return int(out.split()[-1]) / 1024


def test_tail_of_a_big_log_takes_little_memory(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    with open(log, "wb") as fh:
        row = b"x" * 99 + b"\n"
        for _ in range(16):
            fh.write(row * 40_000)  # 64 MB in all
        fh.write(b"the error at the end\n")
    base = _peak_rss_mb("from shipyard.pipeline.render import tail_lines")
    peak = _peak_rss_mb(
        "from shipyard.pipeline.render import tail_lines\n"
        f"lines, total = tail_lines(__import__('pathlib').Path({str(log)!r}), 60)\n"
        "assert lines[-1] == 'the error at the end' and total == 640_001"
    )
    assert peak - base < 32, (base, peak)  # reading it whole costs several times 64 MB


def test_stage_log_is_capped_with_a_note_and_keeps_the_end(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text(
        '[stages.noisy]\nrun = "yes 0123456789012345678901234567890123456789 | head -c 3000000;'
        ' echo; echo the real error; exit 3"\n\n[store]\nlog-cap-mb = 1\n'
    )
    outcome = shipyard(tmp_path, "run")
    assert outcome.code == 1, outcome.stderr
    log = next((tmp_path / ".shipyard" / "logs").rglob("noisy.log"))
    size = log.stat().st_size
    assert 1024 * 1024 < size < 1024 * 1024 + 300 * 1024
    text = log.read_text()
    assert "[shipyard: this log is capped at 1 MB ([store] log-cap-mb)" in text
    assert text.rstrip().endswith("the real error")
    assert "the real error" in outcome.stdout + outcome.stderr  # the failure's tail shows it


def test_log_cap_setting_is_checked(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text('[stages.a]\nrun = "true"\n\n[store]\nlog-cap-mb = 0\n')
    rejected(shipyard(tmp_path, "run"), tmp_path / "shipyard.toml", "store.log-cap-mb")
    (tmp_path / "shipyard.toml").write_text('[stages.a]\nrun = "true"\n\n[store]\nlogcap = 1\n')
    rejected(shipyard(tmp_path, "run"), tmp_path / "shipyard.toml", "store.logcap: unknown key")


def test_big_cobertura_is_streamed(tmp_path: Path) -> None:
    """360,000 lines (12 MB): the per-line elements are pruned as they end and the hits are
    kept as arrays; the tree or sets of ints cost about 3.5 MB per MB of report."""
    report = tmp_path / "coverage.xml"
    with open(report, "w") as fh:
        fh.write('<coverage lines-valid="1" lines-covered="1"><packages><package><classes>\n')
        lines = "".join(f'<line number="{n}" hits="{n % 3}"/>\n' for n in range(1, 601))
        for c in range(599):
            fh.write(f'<class filename="f{c}.py"><methods/><lines>{lines}</lines></class>\n')
        fh.write('<class filename="big.py"><lines>')  # one class of 120,000 lines
        fh.write("".join(f'<line number="{n}" hits="1"/>\n' for n in range(1, 120_001)))
        fh.write("</lines></class></classes></package></packages></coverage>\n")
    code = (
        "from pathlib import Path\nfrom shipyard.gates import registry\n"
        f"kind, cov = registry.read('coverage', Path({str(report)!r}), Path({str(tmp_path)!r}))\n"
        "assert len(cov.files) == 600\n"
        "assert sum(len(h.measured) for h in cov.files.values()) == 599 * 600 + 120_000\n"
        "assert sum(len(h.uncovered) for h in cov.files.values()) == 599 * 200"
    )
    base = _peak_rss_mb("from shipyard.gates import registry")
    peak = _peak_rss_mb(code)
    assert peak - base < 16, (base, peak)
