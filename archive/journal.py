"""Intake claims: a durable note "this process is taking that file" for crash recovery.

A claim is written (atomically) before anything is stored and removed only after the
outcome is in the audit log. The working process holds an flock on its claim file, so a
recovering process can tell a live claim (locked) from one left by a crashed or killed
process (lock free, because the kernel drops flocks when a process dies).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samverkan.archive.fsutil import atomic_write, fsync_dir, json_bytes, utc_now


@dataclass
class Claim:
    claim: str
    origin: str  # "inbox" | "cli" | "quarantine" | "pending"
    source: str
    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    _fd: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"claim": self.claim, "origin": self.origin, "source": self.source, **self.data}


class Journal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def open(self, origin: str, source: Path | str, **data: Any) -> Claim:
        """Write and lock a new claim (call under the archive lock)."""
        claim = Claim(claim=secrets.token_hex(8), origin=origin, source=str(source),
                      data={"opened": utc_now(), "pid": os.getpid(), **data})
        claim.path = self.folder / f"{claim.claim}.json"
        self._write(claim)
        claim._fd = os.open(claim.path, os.O_RDONLY)
        fcntl.flock(claim._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return claim

    def update(self, claim: Claim, **data: Any) -> None:
        """Record progress (the lock is on the claim's name, so re-lock the new file)."""
        claim.data.update(data)
        self._write(claim)
        old = claim._fd
        assert claim.path is not None
        claim._fd = os.open(claim.path, os.O_RDONLY)
        fcntl.flock(claim._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if old is not None:
            os.close(old)

    def close(self, claim: Claim) -> None:
        """The outcome is logged: forget the claim."""
        if claim.path is not None:
            claim.path.unlink(missing_ok=True)
            fsync_dir(self.folder)
        self.release(claim)

    def release(self, claim: Claim) -> None:
        """Drop the lock but keep the claim (recovery will finish it)."""
        if claim._fd is not None:
            os.close(claim._fd)
            claim._fd = None

    def _write(self, claim: Claim) -> None:
        assert claim.path is not None
        atomic_write(claim.path, json_bytes(claim.to_json()))

    @contextlib.contextmanager
    def abandoned(self) -> Iterator[list[Claim]]:
        """Claims whose owner died, locked by us while the caller finishes them."""
        found: list[Claim] = []
        try:
            for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
                try:
                    descriptor = os.open(path, os.O_RDONLY)
                except FileNotFoundError:
                    continue
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(descriptor)
                    continue
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    data = {}
                if not data.get("claim"):
                    os.close(descriptor)
                    path.unlink(missing_ok=True)
                    continue
                found.append(Claim(
                    claim=data.pop("claim"), origin=data.pop("origin", "cli"),
                    source=data.pop("source", ""), data=data, path=path, _fd=descriptor))
            yield found
        finally:
            for claim in found:
                self.release(claim)

    def live(self) -> list[dict[str, Any]]:
        """Claims currently on disk (fsck lists them as work in progress)."""
        found = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            with contextlib.suppress(OSError, ValueError):
                found.append(json.loads(path.read_text(encoding="utf-8")))
        return found
