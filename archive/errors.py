"""Errors the archive raises; the message is Swedish because a registrar reads it."""

from __future__ import annotations

import errno
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


# errno values that mean "the archive's disk cannot take writes now" (not the file's fault).
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS}


def storage_kind(error: BaseException) -> str | None:
    """"full" or "read_only" when an OSError (or its cause) is the disk's fault, else None."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            if current.errno in _FULL:
                return "full"
            if current.errno in _READ_ONLY:
                return "read_only"
        current = current.__cause__ or current.__context__
    return None


class StorageError(Exception):
    """The archive's disk is full or read-only: the file waits where it is and is retried.

    Not a refusal of the file (it is never quarantined for this); the message names the
    file and the problem in Swedish for the registrar reading the service log.
    """

    def __init__(self, path: Path | str, kind: str, where: Path | str,
                 detail: str = "") -> None:
        self.path = Path(path)
        self.kind = kind
        self.where = Path(where)
        if kind == "full":
            problem = f"Inget utrymme kvar på disken ({self.where})"
            after = "tas när det finns plats igen"
        else:
            problem = f"Arkivet är skrivskyddat ({self.where})"
            after = "tas när arkivet går att skriva i igen"
        self.detail = detail  # the system's own words (often English), for programs
        self.reason = problem
        super().__init__(f"{self.reason}: {self.path.name} ligger kvar och {after}")
