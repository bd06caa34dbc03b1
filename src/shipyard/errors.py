"""The user-facing error family.

Every error a user can cause or meet is a `ShipyardError`; `cli.main` is the one boundary that
turns them into a message on stderr and an exit code. Each message says what went wrong, where,
and (in `hint`) what to do next.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class ShipyardError(Exception):
    """Base of every error shipyard reports to the user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(ShipyardError):
    """Bad command-line usage or input the user must fix (exit 2)."""


class ConfigError(ShipyardError):
    """The pipeline definition is wrong: names the file, the key path and the expectation."""

    def __init__(self, path: object, key: str, expected: str, hint: str | None = None) -> None:
        where = f"{path}: {key}" if key else f"{path}"
        super().__init__(f"{where}: {expected}", hint)
        self.path = str(path)
        self.key = key
        self.expected = expected


class InputError(ShipyardError):
    """A file shipyard reads (report, lockfile, results) is missing or malformed (exit 2)."""


class ToolError(ShipyardError):
    """An external tool shipyard needs is missing or failed unexpectedly (exit 3)."""

    exit_code = EXIT_INTERNAL


class CheckFailed(ShipyardError):
    """A check ran and failed; the report was already printed (exit 1)."""

    exit_code = EXIT_CHECK_FAILED
