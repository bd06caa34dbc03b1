"""Bad benchmark input on real `bench run` histories: exit 2 naming the file (D2-D6)."""

from __future__ import annotations

import json

import pytest

from tests.bench import controlled
from tests.bench.test_cli import ENV
from tests.conftest import GitRepo, run_cli


@pytest.mark.parametrize("raw", ["0", "-1", "NaN", "Infinity"])
def test_values_must_be_positive_and_finite(repo: GitRepo, raw: str) -> None:
    controlled.setup(repo)
    controlled.put(repo, raw)
    result = controlled.run(repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    if raw in ("0", "-1"):
        assert first == f"error: values.json: [0].value: expected a positive number, got {raw}"
    else:
        assert first.startswith("error: values.json: [0].value: expected a number, got ")
    assert not (repo.path / ".bench").exists()


def test_a_history_file_with_a_zero_sample_is_refused_by_name(repo: GitRepo) -> None:
    """D2: a value <= 0 in the history used to turn a 10x regression into 'ok'."""
    controlled.setup(repo)
    controlled.history(repo, [100, 101])
    folder = repo.path / ".bench" / "testbox"
    first = sorted(folder.iterdir())[0]
    data = json.loads(first.read_text())
    data["series"][0]["samples"][1] = 0
    first.write_text(json.dumps(data))
    controlled.put(repo, 1000)
    result = controlled.run(repo)
    rel = first.relative_to(repo.path).as_posix()
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {rel}: series[0].samples: expected a positive number, got 0",
        "  hint: benchmark values are compared as ratios: times, sizes and rates are above 0",
    ]


def test_non_utf8_files_exit_2_naming_the_file(repo: GitRepo) -> None:
    """D3: a non-UTF-8 history file (or results file) was a traceback."""
    controlled.setup(repo)
    controlled.history(repo, [100])
    first = next((repo.path / ".bench" / "testbox").iterdir())
    first.write_bytes(first.read_bytes().replace(b'"api/t"', b'"api\xff"', 1))
    controlled.put(repo, 100)
    result = controlled.run(repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    rel = first.relative_to(repo.path).as_posix()
    assert result.stderr.splitlines()[0].startswith(f"error: {rel}: not UTF-8 text (byte ")
    first.unlink()
    (repo.path / "values.json").write_bytes(b'[{"name": "\xe9", "value": 1}]')
    result = controlled.run(repo)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith("error: values.json: not UTF-8 text")


@pytest.mark.slow
def test_another_machines_file_is_not_this_machines_baseline(repo: GitRepo) -> None:
    """D4: a file recording machine 'bigbox', put into testbox's folder, gave a false x3 fail."""
    controlled.setup(repo)
    runs = controlled.history(repo, [100, 101, 99])
    assert [controlled.verdict(d)["status"] for _, d in runs] == ["new", "ok", "ok"]
    folder = repo.path / ".bench" / "testbox"
    mine = sorted(folder.iterdir())[-1]
    data = json.loads(mine.read_text())
    data["machine"] = "bigbox"
    data["series"][0]["samples"] = [33.0, 33.1, 33.2]
    foreign = folder / mine.name.replace("Z.json", "1Z.json")
    foreign.write_text(json.dumps(data))
    repo.commit("copied by hand")
    controlled.put(repo, 100)
    result = controlled.run(repo, "--json")
    assert result.returncode == 0, result.stdout
    out = json.loads(result.stdout)
    assert controlled.verdict(out)["status"] == "ok"
    rel = foreign.relative_to(repo.path).as_posix()
    assert out["warnings"] == [
        "1 result file(s) in .bench/testbox/ record another machine (bigbox), not used as "
        f"this machine's baseline: {rel}"
    ]
    md = repo.path / "pr.md"
    controlled.run(repo, "--no-record", "--markdown", str(md))
    assert md.read_text().startswith("### ⚠️ Benchmarks: warnings\n")
    hist = run_cli("bench", "history", "--json", cwd=repo.path, env=ENV)
    data = json.loads(hist.stdout)
    assert [p["machine"] for p in data["other_machines"]] == ["bigbox"]
    points = data["series"][0]["points"]  # the three runs and the last one, with verdicts
    assert [p["status"] for p in points] == ["new", "ok", "ok", "ok"]
    text = run_cli("bench", "history", cwd=repo.path, env=ENV)
    assert text.returncode == 0 and "record another machine (bigbox)" in text.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ref", "nosuch"), "error: --ref nosuch: no such branch, tag or commit in "),
        (("--limit", "0"), "argument --limit: expected at least 1 run, got 0"),
        (("--limit", "-5"), "argument --limit: expected at least 1 run, got -5"),
        (("--limit", "many"), "argument --limit: expected a number of runs, got 'many'"),
    ],
)
def test_history_refuses_a_missing_ref_and_an_empty_limit(
    repo: GitRepo, args: tuple[str, ...], message: str
) -> None:
    """D5: `--ref nosuch` said '0 runs' with exit 0; `--limit 0` and `-5` were ignored."""
    controlled.setup(repo)
    result = run_cli("bench", "history", *args, cwd=repo.path, env=ENV)
    assert result.returncode == 2 and message in result.stderr, result.stderr


@pytest.mark.slow
def test_the_pr_comment_heading_reflects_a_warning_row(repo: GitRepo) -> None:
    """D6: the heading said '✅ Benchmarks' above a row that warns."""
    controlled.setup(repo)
    controlled.recorded(repo, [100, 101, 99, 100, 102, 98])
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("slower", allow_empty=True)
    controlled.put(repo, 130)
    md = repo.path / "pr.md"
    rc, data = controlled.run_json(repo, "--markdown", str(md))
    assert rc == 0 and controlled.verdict(data)["status"] == "warn"
    text = md.read_text()
    assert text.startswith("### ⚠️ Benchmarks: warnings\n") and "| ⚠️ warn" in text
    controlled.put(repo, 60)
    controlled.run_json(repo, "--markdown", str(md))
    assert md.read_text().startswith("### 🚀 Benchmarks improved\n")
