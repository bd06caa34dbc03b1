"""Small OSV records for the KPI and monitor tests, in the OSV schema.

PYSEC-2018-49 is the real PyPI advisory for PyYAML's unsafe `load` (CVE-2017-18342), as in
OSV's PyPI all.zip (its `modified` time set by the test), with the CVSS v3.1 vector GitHub's
advisory GHSA-rprw-h62v-c2w7 gives it (9.8, critical). The second record is made up,
published `days_ago` before the test runs, so that a period boundary falls between the two.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def _stamp(days_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pyyaml_2018(modified_days_ago: float = 0.5) -> dict[str, object]:
    """`modified` is recent by default, as in a freshly synced database (freshness is the
    newest record's `modified`)."""
    return {
        "id": "PYSEC-2018-49",
        "published": "2018-06-27T12:29:00Z",
        "modified": _stamp(modified_days_ago),
        "aliases": ["CVE-2017-18342", "GHSA-rprw-h62v-c2w7"],
        "summary": "PyYAML yaml.load() can execute arbitrary code",
        "severity": [{"type": "CVSS_V3", "score": CRITICAL}],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "pyyaml"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.1"}]}
                ],
            }
        ],
    }


def recent(
    package: str, fixed: str, days_ago: float, ident: str = "TEST-2026-1"
) -> dict[str, object]:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    return {
        "id": ident,
        "published": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "modified": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": f"{package}: a made-up critical advisory for the tests",
        "severity": [{"type": "CVSS_V3", "score": CRITICAL}],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": package},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }


def write(folder: Path, *records: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        (folder / f"{record['id']}.json").write_text(json.dumps(record))
    return folder
