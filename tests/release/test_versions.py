"""The version rules on plain data: bumps, channels, counters, promotion, both notations."""

from __future__ import annotations

import pytest
from packaging.version import Version as Pep440

from shipyard.errors import UsageError
from shipyard.release.rules import next_version
from shipyard.versions import check_pep440, parse, require


def vs(*texts: str) -> list:  # type: ignore[type-arg]
    return [parse(t) for t in texts]


def nxt(tags: list, bump: str, channel: str | None = None, new: bool = True, **kw: object) -> str:  # type: ignore[type-arg]
    n = next_version(tags, bump, new, channel, **kw)  # type: ignore[arg-type]
    return n.version.render("semver") + ("" if n.release else " (no release)")


@pytest.mark.parametrize(
    ("text", "semver", "pep440"),
    [
        ("1.2.3", "1.2.3", "1.2.3"),
        ("4.1.0-alpha.1", "4.1.0-alpha.1", "4.1.0a1"),
        ("4.1.0b2", "4.1.0-beta.2", "4.1.0b2"),
        ("4.1.0rc1", "4.1.0-rc.1", "4.1.0rc1"),
        ("6.0.0-beta.10", "6.0.0-beta.10", "6.0.0b10"),
        ("1.2.3-rc1", "1.2.3-rc.1", "1.2.3rc1"),  # spellings PEP 440 normalises
        ("1.2.3.alpha2", "1.2.3-alpha.2", "1.2.3a2"),
        ("1.2.3c1", "1.2.3-rc.1", "1.2.3rc1"),
    ],
)
def test_notations(text: str, semver: str, pep440: str) -> None:
    v = parse(text)
    assert v is not None
    assert (v.render("semver"), v.render("pep440")) == (semver, pep440)
    assert check_pep440(pep440) == str(Pep440(pep440)) == pep440


@pytest.mark.parametrize(
    "text", ["10", "10.5", "1.2", "1.2.3-next.1", "1.2.3.post1", "1.2.3.dev0", "1!1.2.3", "x1.2.3"]
)
def test_not_release_versions(text: str) -> None:
    assert parse(text) is None


def test_ordering_puts_prereleases_before_their_final() -> None:
    order = vs("1.0.0-alpha.2", "1.0.0-beta.1", "1.0.0-rc.0", "1.0.0-rc.1", "1.0.0", "1.0.1")
    assert sorted(reversed(order)) == order


@pytest.mark.parametrize(
    ("bump", "expected"), [("major", "2.0.0"), ("minor", "1.3.0"), ("patch", "1.2.4")]
)
def test_bumps(bump: str, expected: str) -> None:
    assert nxt(vs("1.2.3"), bump) == expected


def test_nothing_to_release_prints_current() -> None:
    assert nxt(vs("1.0.0", "1.2.3"), "none") == "1.2.3 (no release)"


def test_zero_major_option() -> None:
    assert nxt(vs("0.4.2"), "major") == "1.0.0"
    assert nxt(vs("0.4.2"), "major", zero_major=True) == "0.5.0"
    assert nxt(vs("1.4.2"), "major", zero_major=True) == "2.0.0"


def test_channels_and_counters() -> None:
    assert nxt(vs("4.0.3"), "minor", "alpha") == "4.1.0-alpha.1"
    assert nxt(vs("4.0.3", "4.1.0-beta.1"), "minor", "beta") == "4.1.0-beta.2"
    assert nxt(vs("4.0.3", "4.1.0-beta.1"), "minor", "rc") == "4.1.0-rc.1"
    # a breaking change raises the target: the counter restarts
    assert nxt(vs("4.0.3", "4.1.0-rc.3"), "major", "rc") == "5.0.0-rc.1"


def test_history_starting_at_zero() -> None:
    assert nxt(vs("2.0.0", "2.1.0-rc.0"), "minor", "rc") == "2.1.0-rc.1"
    assert nxt(vs("2.0.0"), "minor", "rc", first_pre=0) == "2.1.0-rc.0"


def test_promotion_of_a_prerelease_line() -> None:
    tags = vs("5.2.0", *(f"6.0.0-beta.{i}" for i in range(1, 11)))
    assert nxt(tags, "major") == "6.0.0"
    assert nxt(tags, "none") == "6.0.0"  # no commit since: the line is still promoted


def test_no_new_commit_since_the_prerelease() -> None:
    assert nxt(vs("1.0.0", "1.1.0-rc.1"), "minor", "rc", new=False) == "1.1.0-rc.1 (no release)"


def test_lower_channel_after_higher_is_refused() -> None:
    with pytest.raises(UsageError) as exc:
        nxt(vs("1.0.0", "1.1.0-rc.1"), "minor", "beta")
    assert exc.value.render() == (
        "error: 1.1.0-rc.1 is already released; a beta of 1.1.0 would sort before it\n"
        "  hint: release --channel rc or a final version"
    )


def test_first_release() -> None:
    assert nxt([], "minor") == "0.1.0"
    assert nxt([], "minor", initial=parse("1.0.0")) == "1.0.0"
    assert nxt([], "none") == "0.0.0 (no release)"


def test_require_names_the_bad_value() -> None:
    with pytest.raises(UsageError) as exc:
        require("v1", "BAD")
    assert exc.value.render() == (
        "error: BAD 'v1' is not a release version\n"
        "  hint: write MAJOR.MINOR.PATCH, optionally with -alpha.N, -beta.N or -rc.N (semver) "
        "or aN, bN, rcN (PEP 440)"
    )
