"""Send alerts to the channels that want them, once: an alert already sent is sent again only
after `repeat` (default 24h), and a problem that clears is marked resolved in the store."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from shipyard.notify.interface import Alert, Channel, NotifyError
from shipyard.store import Store

MIGRATIONS = (
    """
    CREATE TABLE alerts (
        fingerprint TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        severity TEXT NOT NULL,
        title TEXT NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        last_sent REAL,
        resolved REAL
    );
    """,
)


@dataclass(frozen=True)
class Delivery:
    alert: Alert
    channel: str
    outcome: str  # sent, repeat-suppressed, below-threshold, error: ...


def deliver(
    store: Store,
    alerts: Sequence[Alert],
    channels: Sequence[Channel],
    sources: Sequence[str],
    repeat: float,
    now: float | None = None,
) -> list[Delivery]:
    now = time.time() if now is None else now
    store.ensure_schema("monitor", MIGRATIONS)
    out: list[Delivery] = []
    for alert in alerts:
        row = store.db.execute(
            "SELECT last_sent, resolved FROM alerts WHERE fingerprint = ?", (alert.fingerprint,)
        ).fetchone()
        fresh = (
            row is None
            or row["resolved"] is not None
            or row["last_sent"] is None
            or now - row["last_sent"] >= repeat
        )
        sent = False
        for channel in channels:
            if alert.severity < channel.min_severity:
                out.append(Delivery(alert, channel.name, "below-threshold"))
            elif not fresh:
                out.append(Delivery(alert, channel.name, "repeat-suppressed"))
            else:
                try:
                    channel.send(alert)
                    sent = True
                    out.append(Delivery(alert, channel.name, "sent"))
                except NotifyError as exc:
                    out.append(Delivery(alert, channel.name, f"error: {exc.message}"))
        _record(store, alert, now, sent)
    _resolve(store, {a.fingerprint for a in alerts}, sources, now)
    return out


def _record(store: Store, alert: Alert, now: float, sent: bool) -> None:
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT(fingerprint) DO "
            "UPDATE SET last_seen = excluded.last_seen, severity = excluded.severity, "
            "last_sent = COALESCE(excluded.last_sent, alerts.last_sent), resolved = NULL",
            (
                alert.fingerprint,
                alert.source,
                str(alert.severity),
                alert.title,
                now,
                now,
                now if sent else None,
            ),
        )


def _resolve(store: Store, active: set[str], sources: Sequence[str], now: float) -> None:
    marks = ",".join("?" * len(sources)) or "''"
    with store.transaction() as tx:
        rows = tx.execute(
            f"SELECT fingerprint FROM alerts WHERE resolved IS NULL AND source IN ({marks})",
            list(sources),
        ).fetchall()
        for (fp,) in rows:
            if fp not in active:
                tx.execute("UPDATE alerts SET resolved = ? WHERE fingerprint = ?", (now, fp))
