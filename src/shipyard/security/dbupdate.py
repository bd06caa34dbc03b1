"""`shipyard scan db update`: download OSV's per-ecosystem `all.zip` files where the network
allows, into the configured database folder, atomically (a failed download leaves the old file).
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from shipyard import output
from shipyard.security.interface import ScanError
from shipyard.security.settings import Settings
from shipyard.store import write_atomic

BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com"
ECOSYSTEMS = ("PyPI", "npm")
MAX_ARCHIVE = 1024 * 1024 * 1024  # OSV's npm all.zip is a few hundred MB
OFFLINE_HINT = "without network, copy OSV all.zip files into the folder and pass --db"


def run(
    root: Path,
    settings: Settings,
    dest: Path | None,
    ecosystems: list[str],
    url: str | None,
    as_json: bool = False,
) -> int:
    folder = dest if dest is not None else settings.db[0]
    folder = folder if folder.is_absolute() else root / folder
    written: list[dict[str, object]] = []
    for eco in ecosystems or ECOSYSTEMS:
        data = fetch(f"{(url or BASE_URL).rstrip('/')}/{eco}/all.zip")
        try:
            count = len(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise ScanError(f"the download for {eco} is not a zip archive") from None
        write_atomic(folder / f"{eco}.zip", data)
        written.append({"ecosystem": eco, "advisories": count, "path": str(folder / f"{eco}.zip")})
        if not as_json:
            output.out(f"{eco}: {count} advisories -> {folder / f'{eco}.zip'}")
    if as_json:
        output.json_out({"folder": str(folder), "databases": written})
    return 0


def fetch(url: str) -> bytes:
    """One advisory archive through shipyard.http (deadline, retries, same-origin redirects)."""
    from shipyard import http

    try:
        resp = http.request("GET", url, timeout=300, max_bytes=MAX_ARCHIVE)
    except http.HttpError as exc:
        raise ScanError(f"cannot download: {exc.message}", hint=OFFLINE_HINT) from None
    if resp.status != 200:
        raise ScanError(
            f"cannot download {http.redact_url(url)}: HTTP {resp.status} {resp.reason}",
            hint=OFFLINE_HINT,
        )
    return resp.body
