"""A stage's log: the stage writes into a pipe, and a reader thread masks every line (secret
values, credentials in URLs) before it reaches the log file, which only its owner can read
(0600). Nothing unmasked is ever stored, even when shipyard is killed mid-stage."""

from __future__ import annotations

import os
import select
import threading
from pathlib import Path
from types import TracebackType

from shipyard.redact import Masker

CHUNK = 65536
LONG_LINE = 256 * 1024  # past this, a line without a newline is written in parts
DEFAULT_CAP = 100 * 1024 * 1024  # bytes a stage log keeps from its start ([store] log-cap-mb)
TAIL_KEPT = 256 * 1024  # past the cap, the last bytes are still kept: that is where errors are


class StageLog:
    def __init__(self, path: Path, masker: Masker | None, cap: int = DEFAULT_CAP) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an older, looser file keeps no wider mode
        self.file = os.fdopen(fd, "wb")
        self.masker = masker or Masker()
        self.cap = cap
        self.written = 0
        self.dropped = 0
        self._tail = bytearray()  # the latest output past the cap
        self._reader: threading.Thread | None = None
        self._stop = threading.Event()

    def __enter__(self) -> StageLog:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.drain()
        self._close_capped()
        self.file.close()

    def note(self, text: str) -> None:
        self.file.write(self.masker.data(text.encode()))
        self.file.flush()

    def pipe(self) -> int:
        """A write end for the next command's output (the caller closes its copy after the
        spawn); the previous command's reader must have been drained."""
        read_fd, write_fd = os.pipe()
        self._stop.clear()
        self._reader = threading.Thread(target=self._pump, args=(read_fd,), daemon=True)
        self._reader.start()
        return write_fd

    def drain(self, grace: float = 2.0) -> None:
        """Wait for the command's output to end (every writer gone), then stop reading even if a
        process that escaped its group still holds the pipe."""
        if self._reader is None:
            return
        self._reader.join(grace)
        self._stop.set()
        self._reader.join()
        self._reader = None

    def _pump(self, fd: int) -> None:
        buf = b""
        try:
            while True:
                ready, _, _ = select.select([fd], [], [], 0.1)
                if not ready:
                    if self._stop.is_set():
                        break
                    continue
                data = os.read(fd, CHUNK)
                if not data:
                    break
                buf = self._write_lines(buf + data)
        finally:
            os.close(fd)
            if buf:
                self._write(buf)

    def _write_lines(self, buf: bytes) -> bytes:
        cut = buf.rfind(b"\n") + 1
        if cut:
            self._write(buf[:cut])
            buf = buf[cut:]
        if len(buf) > LONG_LINE:
            keep = min(self.masker.longest, len(buf))  # a secret may straddle the cut
            self._write(buf[: len(buf) - keep])
            buf = buf[len(buf) - keep :]
        return buf

    def _write(self, data: bytes) -> None:
        data = self.masker.data(data)
        room = self.cap - self.written
        if room > 0:
            self.file.write(data[:room])
            self.file.flush()
            self.written += min(room, len(data))
            data = data[room:]
        if data:  # past the cap: remember only the latest output
            self.dropped += len(data)
            self._tail += data
            del self._tail[: max(0, len(self._tail) - TAIL_KEPT)]

    def _close_capped(self) -> None:
        """Past the cap, the log ends with a note of what was dropped, then the last output."""
        if not self.dropped:
            return
        kept = len(self._tail)
        cut = self._tail.find(b"\n") + 1 if kept < self.dropped else 0
        self.file.write(
            f"\n[shipyard: this log is capped at {self.cap // (1024 * 1024)} MB "
            f"([store] log-cap-mb): {self.dropped - kept + cut} bytes of output dropped; "
            f"the last {kept - cut} bytes follow]\n".encode()
        )
        self.file.write(bytes(self._tail[cut:]))
        self.file.flush()
