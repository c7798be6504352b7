"""Errors the archive raises; the message is Swedish because a registrar reads it."""

from __future__ import annotations

from pathlib import Path


class ExtractionError(Exception):
    """A file whose text cannot be read: names the file and the problem in Swedish.

    `kind` is a stable code for programs ("empty", "corrupt", "truncated", "encrypted",
    "unsupported", "unsafe", "too_large", "ocr_failed"); `reason` is the Swedish problem
    without the file name (for quarantine reason files).
    """

    def __init__(self, path: Path | str, reason: str, *, kind: str = "corrupt") -> None:
        self.path = Path(path)
        self.reason = reason
        self.kind = kind
        super().__init__(f"{self.path.name}: {reason}")


class ArchiveError(Exception):
    """A request the archive refuses (unknown agreement, version, quarantine entry …)."""
