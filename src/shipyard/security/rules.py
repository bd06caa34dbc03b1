"""Secret rules: load rule files (shipyard's or gitleaks' TOML format) and compile them with RE2.

RE2 runs in time linear in the input, so no rule can backtrack for minutes on a crafted or
minified file, and it speaks the Go syntax gitleaks' rules are written in. Every expression
works on bytes, so offsets line up with the file as stored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard.security.interface import ScanError

# What `near` + `secret` expand to: one of the names (with up to 20 more identifier characters:
# `adobe_client_id`), closing quotes, an assignment operator of some language (`=`, `:`, `:=`,
# `=>`, `||`, `?=`, a `,` or `(` between a name and its value), opening quotes, the secret, and
# a character that ends a value, so that a longer run of characters is not taken for a key.
ASSIGNED = (
    r"(?i)(?:{near})[\w.-]{{0,20}}[\s'\"\x60\]]{{0,3}}"
    r"(?:=|:{{1,3}}=?|=>|\|\|=?|\?\?=?|\?=|,|\()[\s'\"\x60=(]{{0,5}}"
    r"((?:{secret}))(?:[\s'\"\x60;,)\]}}<&]|\\[nrt]|$)"
)
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


@dataclass(frozen=True)
class Allow:
    """One allowlist table. Its criteria are alternatives, or all required (condition AND)."""

    regexes: tuple[Any, ...] = ()  # compiled RE2 patterns
    target: str = "secret"  # what `regexes` look at: "secret", "match" or "line"
    stopwords: tuple[bytes, ...] = ()  # lower-case; a secret containing one is allowed
    paths: tuple[Any, ...] = ()  # compiled RE2 patterns over the path
    all_of: bool = False

    def allows(self, secret: bytes, match: bytes, line: bytes, path: str) -> bool:
        text = {"match": match, "line": line}.get(self.target, secret)
        checks = []
        if self.regexes:
            checks.append(any(r.search(text) for r in self.regexes))
        if self.stopwords:
            low = secret.lower()
            checks.append(any(w in low for w in self.stopwords))
        if self.paths:
            checks.append(self.allows_path(path))
        return bool(checks) and (all(checks) if self.all_of else any(checks))

    def allows_path(self, path: str) -> bool:
        raw = path.encode()
        return any(r.search(raw) for r in self.paths)


@dataclass(frozen=True)
class Allowlist:
    entries: tuple[Allow, ...] = ()

    def allows(self, secret: bytes, match: bytes, line: bytes, path: str) -> bool:
        return any(a.allows(secret, match, line, path) for a in self.entries)

    def allows_path(self, path: str) -> bool:
        """The whole file is allowed (a path-only criterion of an OR table)."""
        return any(a.paths and not a.all_of and a.allows_path(path) for a in self.entries)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    pattern: str  # RE2 syntax; compiled on first use (see `regex`)
    keywords: tuple[str, ...]
    entropy: float = 0.0
    secret_group: int | None = None
    allowlist: Allowlist = field(default_factory=Allowlist)
    path: Any = None  # compiled RE2 pattern: the rule only applies to matching paths
    _compiled: list[Any] = field(default_factory=list, compare=False, repr=False)

    @property
    def regex(self) -> Any:
        """The compiled pattern. The default rules compile when first woken, which keeps a
        pre-commit `--staged` run from compiling dozens of patterns it never uses."""
        if not self._compiled:
            self._compiled.append(compile_re2(self.pattern, f"rule {self.id}: regex"))
        return self._compiled[0]


@dataclass(frozen=True)
class PathRule:
    """A file that is a secret by its name (a PKCS#12 bundle): found whatever its content."""

    id: str
    description: str
    path: Any  # compiled RE2 pattern over the repository-relative path

    def matches(self, path: str) -> bool:
        return bool(self.path.search(path.encode()))


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    allowlist: Allowlist
    path_rules: tuple[PathRule, ...] = ()

    def extend(self, other: RuleSet) -> RuleSet:
        """Rules of `other` replace ours with the same id (so users can tune one rule)."""
        mine = {r.id: r for r in self.rules}
        mine.update({r.id: r for r in other.rules})
        by_path = {r.id: r for r in self.path_rules}
        by_path.update({r.id: r for r in other.path_rules})
        merged = Allowlist(self.allowlist.entries + other.allowlist.entries)
        return RuleSet(tuple(mine.values()), merged, tuple(by_path.values()))


def compile_re2(pattern: str, where: str) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # a bad pattern becomes our error message, not RE2's log line
    try:
        return re2.compile(pattern.encode(), options)
    except re2.error as exc:
        raise ScanError(
            f"{where}: the regular expression does not compile with RE2: {exc}",
            hint="RE2 has no look-around or back-references; rewrite the pattern",
        ) from None


def load_default() -> RuleSet:
    """shipyard's own rules (rules/default.toml)."""
    # a plain path: importlib.resources costs more to import than the whole file takes to read
    text = (Path(__file__).parent / "rules" / "default.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text), "shipyard default rules", eager=False)


def load_file(path: Path) -> RuleSet:
    from shipyard import textfile

    text = textfile.read_text(path)  # missing, a folder, not UTF-8: named with the offset
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScanError(f"{path}: not a valid TOML rule file: {exc}") from None
    except RecursionError:
        raise ScanError(f"{path}: not a valid TOML rule file: nested too deeply") from None
    return parse(data, str(path))


def load(extra: Sequence[Path] = ()) -> RuleSet:
    rules = load_default()
    for path in extra:
        rules = rules.extend(load_file(path))
    return rules


def parse(data: dict[str, Any], source: str, eager: bool = True) -> RuleSet:
    """Rules from a parsed rule file; `eager` compiles every pattern now, so that a bad one
    is reported with its file and rule (the tested defaults compile lazily)."""
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ScanError(f"{source}: `rules` must be an array of tables ([[rules]])")
    rules = [_rule(r, f"{source}: rules[{i}]", eager) for i, r in enumerate(raw_rules)]
    glob = _allowlists(data, source)
    return RuleSet(
        tuple(r for r in rules if isinstance(r, Rule)),
        glob,
        tuple(r for r in rules if isinstance(r, PathRule)),
    )


def _rule(raw: Any, where: str, eager: bool) -> Rule | PathRule:
    if not isinstance(raw, dict):
        raise ScanError(f"{where}: expected a table")
    rid = raw.get("id")
    regex = raw.get("regex")
    if not isinstance(rid, str) or not rid:
        raise ScanError(f"{where}: missing `id`")
    where = f"{where} ({rid})"
    if (not isinstance(regex, str) or not regex) and raw.get("near"):
        regex, default_keywords = _assigned(raw, where)
        raw = {"keywords": default_keywords, **raw}
    if not isinstance(regex, str) or not regex:
        if isinstance(raw.get("path"), str) and raw["path"]:  # the file itself is the secret
            description = str(raw.get("description", rid))
            return PathRule(rid, description, compile_re2(raw["path"], f"{where}.path"))
        raise ScanError(f"{where}: missing `regex`")
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ScanError(f"{where}: `keywords` must be a list of strings")
    group = raw.get("secretGroup")
    return Rule(
        id=rid,
        description=str(raw.get("description", rid)),
        pattern=regex,
        _compiled=[compile_re2(regex, f"{where}.regex")] if eager else [],
        keywords=tuple(k.lower() for k in keywords if k),
        entropy=float(raw.get("entropy", 0.0)),
        secret_group=int(group) if isinstance(group, int) and group > 0 else None,
        allowlist=_allowlists(raw, where),
        path=compile_re2(raw["path"], f"{where}.path") if raw.get("path") else None,
    )


def _assigned(raw: dict[str, Any], where: str) -> tuple[str, list[str]]:
    """The expression and default keywords of a `near` + `secret` rule."""
    near, secret = raw.get("near"), raw.get("secret")
    if not isinstance(near, list) or not near or not all(isinstance(n, str) for n in near):
        raise ScanError(f"{where}: `near` must be a non-empty list of names")
    if not isinstance(secret, str) or not secret:
        raise ScanError(f"{where}: a rule with `near` needs `secret` (the secret's shape)")
    words = [n.lower() for n in near if set(n.lower()) <= _WORD]
    return ASSIGNED.format(near="|".join(near), secret=secret), words


def _allowlists(raw: dict[str, Any], where: str) -> Allowlist:
    """gitleaks has `[allowlist]` (older) and `[[allowlists]]` (8.21+); both are read."""
    tables: list[Any] = []
    if isinstance(raw.get("allowlist"), dict):
        tables.append(raw["allowlist"])
    if isinstance(raw.get("allowlists"), list):
        tables.extend(raw["allowlists"])
    entries = []
    for t in tables:
        entries.append(
            Allow(
                regexes=tuple(
                    compile_re2(p, f"{where}.allowlist.regexes") for p in _strings(t, "regexes")
                ),
                target=str(t.get("regexTarget", "secret")),
                stopwords=tuple(w.lower().encode() for w in _strings(t, "stopwords")),
                paths=tuple(
                    compile_re2(p, f"{where}.allowlist.paths") for p in _strings(t, "paths")
                ),
                all_of=str(t.get("condition", "OR")).upper() == "AND",
            )
        )
    return Allowlist(tuple(entries))


def _strings(table: Any, key: str) -> Iterable[str]:
    value = table.get(key, []) if isinstance(table, dict) else []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
