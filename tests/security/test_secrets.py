"""`shipyard scan secrets` end to end: the planted corpus, redaction, baseline, allow comments,
--staged, --history, skipped files and rule files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.security import planted


def _plant(repo: GitRepo) -> None:
    for path, (content, _rule, _secret) in planted.CORPUS.items():
        repo.write(path, content)


def _scan(cwd: Path, *args: str) -> tuple[int, dict]:
    res = run_cli("scan", "secrets", "--format", "json", *args, cwd=cwd)
    assert res.returncode in (0, 1), res.stderr
    return res.returncode, json.loads(res.stdout)


def _findings(report: dict) -> list[dict]:
    return report["scanners"][0]["findings"]


def test_every_planted_secret_is_found_and_redacted(repo: GitRepo) -> None:
    _plant(repo)
    repo.commit("add the app")
    rc, report = _scan(repo.path)
    assert rc == 1
    found = {(f["file"], f["rule"]) for f in _findings(report)}
    for path, (_content, rule, _secret) in planted.CORPUS.items():
        assert (path, rule) in found, (path, rule, found)
    assert len(found) == len(planted.CORPUS)
    table = run_cli("scan", "secrets", cwd=repo.path)
    sarif = run_cli("scan", "secrets", "--format", "sarif", cwd=repo.path)
    for _path, (_content, _rule, secret) in planted.CORPUS.items():
        for text in (json.dumps(report), table.stdout, table.stderr, sarif.stdout):
            assert secret not in text
            assert secret[4:20] not in text  # not even a long piece of it


def test_line_number_and_redacted_form(repo: GitRepo) -> None:
    repo.write("src/app.py", planted.CORPUS["src/app.py"][0])
    _rc, report = _scan(repo.path)
    (finding,) = _findings(report)
    assert finding["line"] == 3
    assert finding["detail"]["secret"] == "ghp_…(40 chars)"
    assert finding["severity"] == "high"


def test_baseline_survives_moves_but_not_a_new_secret(repo: GitRepo) -> None:
    repo.write("src/app.py", planted.CORPUS["src/app.py"][0])
    res = run_cli("scan", "secrets", "--update-baseline", cwd=repo.path)
    assert res.returncode == 0 and "1 accepted finding" in res.stdout
    baseline_text = (repo.path / ".secrets-baseline.tsv").read_text()
    assert planted.GITHUB not in baseline_text
    repo.write("src/app.py", "# moved down\n\n\n" + planted.CORPUS["src/app.py"][0])
    rc, report = _scan(repo.path)
    assert rc == 0 and report["scanners"][0]["suppressed"] == 1
    other = "ghp_" + planted.token(36)
    repo.write("src/app.py", f'TOKEN = "{other}"\n')
    rc, report = _scan(repo.path)
    assert rc == 1 and _findings(report)[0]["rule"] == "github-pat"
    assert (repo.path / ".secrets-baseline.tsv").read_text() == baseline_text


def test_inline_allow_comment_silences_one_line(repo: GitRepo) -> None:
    repo.write("a.py", f'KEY = "{planted.GITHUB}"  # shipyard:allow\nB = "{planted.NPM}"\n')
    rc, report = _scan(repo.path)
    assert rc == 1
    assert [f["rule"] for f in _findings(report)] == ["npm-access-token"]
    assert report["scanners"][0]["suppressed"] == 1


def test_staged_reads_only_added_lines(repo: GitRepo) -> None:
    repo.write("old.py", f'A = "{planted.GITHUB}"\nx = 1\n')
    repo.commit("old secret, accepted long ago")
    repo.write("old.py", f'A = "{planted.GITHUB}"\nx = 2\nB = "{planted.NPM}"\n')
    repo.write("new.py", "print('clean')\n")
    repo.git("add", "-A")
    rc, report = _scan(repo.path, "--staged")
    assert rc == 1
    assert [(f["file"], f["line"], f["rule"]) for f in _findings(report)] == [
        ("old.py", 3, "npm-access-token")
    ]


def test_history_finds_deleted_secret_with_its_commit(repo: GitRepo) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("start")
    repo.write("mail.py", f'SENDGRID = "{planted.SENDGRID}"\n')
    introduced = repo.commit("add mail")
    repo.write("mail.py", f'# tweak\nSENDGRID = "{planted.SENDGRID}"\n')
    repo.commit("tweak")
    repo.git("rm", "-q", "mail.py")
    repo.commit("remove the key")
    rc, tree = _scan(repo.path)
    assert rc == 0 and _findings(tree) == []
    rc, report = _scan(repo.path, "--history")
    assert rc == 1
    (finding,) = _findings(report)
    assert (finding["rule"], finding["file"], finding["commit"]) == (
        "sendgrid-api-key",
        "mail.py",
        introduced,
    )


def test_gitleaks_rule_file_adds_a_rule(repo: GitRepo) -> None:
    repo.write(
        "extra.toml",
        "[[rules]]\nid = 'acme-token'\ndescription = 'ACME token'\n"
        "regex = '''\\b(acme_[a-z0-9]{20})\\b'''\nkeywords = ['acme_']\n"
        "[rules.allowlist]\nstopwords = ['acme_00000']\n",
    )
    repo.write("a.py", "T = 'acme_k3j4h5g6f7d8s9a0q1w2'\nU = 'acme_00000aaaaabbbbbccccc'\n")
    rc, report = _scan(repo.path, "--rules", "extra.toml")
    assert rc == 1
    assert [(f["rule"], f["line"]) for f in _findings(report)] == [("acme-token", 1)]


def test_bad_rule_file_is_named_with_the_reason(repo: GitRepo) -> None:
    repo.write("bad.toml", "[[rules]]\nid = 'x'\nregex = '''(?<=a)b'''\n")
    res = run_cli("scan", "secrets", "--rules", "bad.toml", cwd=repo.path)
    assert res.returncode == 2
    assert res.stderr.startswith(
        "error: bad.toml: rules[0] (x).regex: the regular expression does not compile with RE2: "
    )
    assert "hint: RE2 has no look-around or back-references" in res.stderr


def test_malformed_baseline_is_named(repo: GitRepo) -> None:
    repo.write(".secrets-baseline.tsv", "github-pat only-two\n")
    res = run_cli("scan", "secrets", cwd=repo.path)
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == (
        f"error: {repo.path / '.secrets-baseline.tsv'}:1: expected "
        "`rule<TAB>path<TAB>secret hash`, got 'github-pat only-two'"
    )


def test_worker_processes_find_the_same_as_one_process(repo: GitRepo) -> None:
    # once in several CI runs this hung: workers were forked from shipyard itself, inheriting
    # its SIGTERM handler, so the pool's teardown raised KeyboardInterrupt inside workers
    # (a traceback each, and a queue lock that could stay held: the hang)
    for i in range(230):  # above the size at which scans fan out to workers
        repo.write(f"pkg/m{i:03}.py", f"VALUE_{i} = {i}\n")
    first = repo.commit("many files")
    repo.write("pkg/m150.py", f'TOKEN = "{planted.GITLAB}"\n')
    second = repo.commit("a token")
    for mode in ((), ("--history",)):
        runs = [
            run_cli("scan", "secrets", "--format", "json", *mode, "--jobs", jobs, cwd=repo.path)
            for jobs in ("1", "2")
        ]
        assert [(r.returncode, r.stderr) for r in runs] == [(1, ""), (1, "")]
        reports = [json.loads(r.stdout) for r in runs]
        assert reports[0] == reports[1]
        (finding,) = _findings(reports[0])
        assert (finding["file"], finding["line"], finding["commit"]) == (
            "pkg/m150.py",
            1,
            second if mode else None,
        )
    assert first != second


def test_pkcs12_bundle_is_a_secret_by_its_name(repo: GitRepo) -> None:
    """A binary, encrypted .p12 / .pfx has no pattern to match: its name is the finding, in
    the working tree, in what is staged and in history (gitleaks' pkcs12-file rule)."""
    bundle = bytes(range(256)) * 8  # binary: a NUL byte, nothing any text rule could match
    repo.write("README.md", "certs\n")
    (repo.path / "certs").mkdir()
    (repo.path / "certs" / "signing.P12").write_bytes(bundle)
    (repo.path / "certs" / "notes.p12.txt").write_bytes(b"how to make a .p12\n")
    repo.git("add", "-A")
    rc, staged = _scan(repo.path, "--staged")
    assert rc == 1
    assert [(f["rule"], f["file"], f["severity"]) for f in _findings(staged)] == [
        ("pkcs12-file", "certs/signing.P12", "critical")
    ]
    introduced = repo.commit("add the signing bundle")
    rc, tree = _scan(repo.path)
    assert rc == 1 and [f["file"] for f in _findings(tree)] == ["certs/signing.P12"]
    repo.git("rm", "-q", "certs/signing.P12")
    (repo.path / "legacy.pfx").write_bytes(bundle)
    repo.commit("swap the bundle")
    rc, history = _scan(repo.path, "--history")
    assert rc == 1
    assert sorted((f["file"], f["commit"]) for f in _findings(history)) == [
        ("certs/signing.P12", introduced),
        ("legacy.pfx", repo.git("rev-parse", "HEAD").strip()),
    ]
    repo.write("shipyard.toml", '[scan.secrets]\nexclude = ["*.pfx"]\n')
    rc, excluded = _scan(repo.path)
    assert rc == 0 and _findings(excluded) == []


def test_workers_come_from_a_clean_process_not_a_fork_of_shipyard(tmp_path: Path) -> None:
    """A child forked from a process with threads can hang on a lock another thread held; the
    pool's workers are forked from a fork server instead, with default signal handling."""
    import signal
    import threading

    from shipyard.security import parallel

    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)  # a thread, as a run has
    busy.start()
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as shipyard's cli sets one
    try:
        pool = parallel._pool(parallel.Job((), tmp_path, None), 2)
        try:
            parents = {pool.apply(os.getppid) for _ in range(4)}
            handlers = {pool.apply(signal.getsignal, (signal.SIGTERM,)) for _ in range(4)}
            pool.close()
        finally:
            pool.join()
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop.set()
    assert os.getpid() not in parents and len(parents) == 1  # the fork server
    assert handlers == {signal.SIG_DFL}


@pytest.mark.slow  # a 32 MB blob is written and read back through git
def test_history_streams_a_large_blob_instead_of_reading_it_whole(
    repo: GitRepo, tmp_path: Path
) -> None:
    filler = b"x = 'just some code'\n" * ((32 << 20) // 21)  # 32 MB: eight 4 MB windows
    (repo.path / "big.py").write_bytes(filler + f'T = "{planted.GITHUB}"\n'.encode())
    repo.commit("a large file with a token at its end")
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["git", "init", "-q", str(small)], check=True)
    measure = (
        "import resource, sys\n"
        "from shipyard.cli import main\n"
        "rc = main(['scan', 'secrets', '--history', '--format', 'json', '--jobs', '1'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    peaks = []
    for where in (small, repo.path):
        done = subprocess.run(
            [sys.executable, "-c", measure], cwd=where, capture_output=True, text=True
        )
        peaks.append(int(done.stderr.split()[-1]))  # KiB
    report = json.loads(done.stdout)
    (finding,) = _findings(report)
    assert (finding["file"], finding["line"]) == ("big.py", filler.count(b"\n") + 1)
    assert report["scanners"][0]["stats"]["bytes"] > 32 << 20
    assert peaks[1] - peaks[0] < 24 << 10, peaks  # reading it whole added 64 MB


def test_staged_file_names_git_quotes(repo: GitRepo) -> None:
    repo.write("naïve dir/ünïcode file.py", f'T = "{planted.NPM}"\n')
    repo.git("add", "-A")
    _rc, report = _scan(repo.path, "--staged")
    assert [f["file"] for f in _findings(report)] == ["naïve dir/ünïcode file.py"]


def test_configured_exclude_and_extra_rules(repo: GitRepo) -> None:
    repo.write("fixtures/keys.py", f'T = "{planted.GITHUB}"\n')
    repo.write("app.py", "X = 'acme_k3j4h5g6f7d8s9a0q1w2'\n")
    repo.write(
        "rules.toml",
        "[[rules]]\nid = 'acme'\nregex = '''(acme_[a-z0-9]{20})'''\nkeywords = ['acme_']\n",
    )
    repo.write(
        "shipyard.toml", '[scan.secrets]\nexclude = ["fixtures/*"]\nrules = ["rules.toml"]\n'
    )
    _rc, report = _scan(repo.path)
    assert [(f["rule"], f["file"]) for f in _findings(report)] == [("acme", "app.py")]
