"""Changelog sections as text: render one release, insert it on top, regenerate them all.

Keep a Changelog / conventional-changelog style: a `## [version](compare link) (date)` heading,
breaking changes first, then one group per type (Features, Bug Fixes, …), each line linking
its commit when the web URL of the repository is known. A Jinja2 template can replace the
default; it gets the same data. Pure text in, text out; no git here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.release.commits import Change

HEADER = (
    "# Changelog\n\nAll notable changes to this project are documented in this file. "
    "It follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/) and is written by "
    "`shipyard changelog` from [Conventional Commits](https://www.conventionalcommits.org/).\n"
)
_SECTION = re.compile(r"^## ", re.MULTILINE)


@dataclass
class Release:
    """The data of one changelog section (also what a custom template receives)."""

    version: str
    tag: str
    date: str
    previous_tag: str | None
    changes: list[Change] = field(default_factory=list)
    web_url: str | None = None  # https://github.com/owner/name

    @property
    def compare_url(self) -> str | None:
        if not self.web_url:
            return None
        if self.previous_tag is None:
            return f"{self.web_url}/releases/tag/{self.tag}"
        return f"{self.web_url}/compare/{self.previous_tag}...{self.tag}"

    def link(self, sha: str) -> str:
        short = sha[:7]
        return f"[{short}]({self.web_url}/commit/{sha})" if self.web_url else short


def groups(release: Release, titles: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(title, bullet lines) in display order: breaking changes, then `titles`' order."""
    out: list[tuple[str, list[str]]] = []
    breaking = [c for c in release.changes if c.breaking is not None]
    if breaking:
        out.append(("⚠ BREAKING CHANGES", [_line(c, release, c.breaking or "") for c in breaking]))
    for kind, title in titles.items():
        lines = [_line(c, release, c.description) for c in release.changes if c.type == kind]
        if lines:
            out.append((title, lines))
    return out


def _render_template(template: str, name: str, release: Release, titles: dict[str, str]) -> str:
    """The user's Jinja2 template rendered; any error in it names the file (and the line)."""
    import jinja2

    from shipyard.errors import UsageError

    env = jinja2.Environment(keep_trailing_newline=True, autoescape=False)  # nosec B701 - Markdown, not HTML
    try:
        return env.from_string(template).render(release=release, groups=groups(release, titles))
    except jinja2.TemplateSyntaxError as exc:
        where = f"{name}: line {exc.lineno}"
        problem = exc.message
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        where, problem = name, f"{type(exc).__name__}: {exc}"
    except RecursionError:
        where, problem = name, "the template recurses without end"
    raise UsageError(
        f"{where}: the changelog template failed: {problem}",
        hint="fix the template (Jinja2; it receives `release` and `groups`), or remove "
        "release.changelog-template to use the built-in one",
    )


_PR = re.compile(r"(?<![\w/\[])#(\d+)\b")


def _line(change: Change, release: Release, text: str) -> str:
    scope = f"**{change.scope}:** " if change.scope else ""
    if release.web_url:  # `(#123)`, as GitHub's squash titles write it, links its pull request
        text = _PR.sub(lambda m: f"[#{m[1]}]({release.web_url}/pull/{m[1]})", text)
    return f"* {scope}{text} ({release.link(change.sha)})"


def render(
    release: Release,
    titles: dict[str, str],
    template: str | None = None,
    template_name: str = "the changelog template",
) -> str:
    """One section, ending with a blank line; `template` is Jinja2 source if given."""
    if template is not None:
        text = _render_template(template, template_name, release, titles)
        return text.rstrip("\n") + "\n\n"
    head = (
        f"[{release.version}]({release.compare_url})"
        if release.compare_url
        else (f"[{release.version}]")
    )
    parts = [f"## {head} ({release.date})\n"]
    for title, lines in groups(release, titles):
        parts.append(f"\n### {title}\n\n" + "\n".join(lines) + "\n")
    if len(parts) == 1:
        parts.append("\nNo user-facing changes.\n")
    return "".join(parts) + "\n"


def split(text: str) -> tuple[str, list[str]]:
    """(the text before the first section, the sections as they are)."""
    starts = [m.start() for m in _SECTION.finditer(text)]
    if not starts:
        return text, []
    bounds = [*starts, len(text)]
    return text[: starts[0]], [text[a:b] for a, b in itertools.pairwise(bounds)]


def insert(existing: str | None, section: str, version: str) -> str:
    """`existing` with `section` on top; a section for the same version is replaced."""
    head, sections = split(existing if existing is not None else HEADER)
    sections = [s for s in sections if _version_of(s) != version]
    return _head(head) + section + "".join(sections)


def _head(text: str) -> str:
    """The text above the sections, kept as it is (a file without any starts right away)."""
    return text.rstrip("\n") + "\n\n" if text.strip() else ""


def _version_of(section: str) -> str | None:
    m = re.match(r"^## \[?([^\]\s(]+)", section)
    return m[1] if m else None


def replace_all(existing: str | None, sections: list[str]) -> str:
    """`--full`: keep the text before the first section, regenerate every section."""
    head, _ = split(existing if existing is not None else HEADER)
    return _head(head) + "".join(sections)


def read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
