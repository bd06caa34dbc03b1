"""The baseline of accepted secret findings, keyed by content rather than by position.

One line per accepted finding: rule, path and a hash of the secret, tab-separated and sorted.
No line numbers or timestamps, so edits around a secret leave the file unchanged and two
branches that accept different findings merge without a conflict in all but rare cases; a
new secret on an accepted line has another hash and is still reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from shipyard.security.interface import ScanError

HEADER = (
    "# shipyard secrets baseline: accepted findings, one per line: rule<TAB>path<TAB>secret hash\n"
    "# Update with `shipyard scan secrets --update-baseline`; never holds a secret itself.\n"
)

Entry = tuple[str, str, str]


def load(path: Path) -> set[Entry]:
    """The accepted entries; an absent file is an empty baseline."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScanError(f"cannot read the secrets baseline {path}: {exc}") from None
    entries: set[Entry] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(parts):
            raise ScanError(
                f"{path}:{number}: expected `rule<TAB>path<TAB>secret hash`, got {line!r}",
                hint="regenerate it with `shipyard scan secrets --update-baseline`",
            )
        entries.add((parts[0], parts[1], parts[2]))
    return entries


def save(path: Path, entries: Iterable[Entry]) -> None:
    from shipyard.store import write_atomic  # sqlite3 and friends: not for a pre-commit run

    lines = sorted({"\t".join(e) for e in entries})
    write_atomic(path, HEADER + "".join(f"{line}\n" for line in lines))
