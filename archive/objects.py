"""Content-addressed store of originals: objects/ab/cdef… by SHA-256, byte for byte, read-only.

An object is written once (atomically) and never modified, moved or deleted afterwards.
Files derived from it (text, OCR'd copy, recognition) live under derived/ab/cdef…/.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from samverkan.archive.fsutil import atomic_write

_SHA = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ObjectStore:
    """Originals under `root/objects`, derived files under `root/derived`."""

    def __init__(self, root: Path) -> None:
        self.objects = root / "objects"
        self.derived_root = root / "derived"

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError(f"ogiltig kontrollsumma: {sha256!r}")
        return self.objects / sha256[:2] / sha256[2:]

    def derived(self, sha256: str) -> Path:
        """Folder of files derived from one original (created on demand by writers)."""
        if not _SHA.match(sha256):
            raise ValueError(f"ogiltig kontrollsumma: {sha256!r}")
        return self.derived_root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
        """Store `data` (read-only, durable); return its SHA-256 and whether it was new.

        An existing object with the right content is kept as it is; one whose content does
        not match its name (damage) is reported, never overwritten.
        """
        digest = sha256 or sha256_bytes(data)
        target = self.path(digest)
        if target.is_file():
            if sha256_file(target) != digest:
                raise OSError(f"arkivobjektet {digest} är skadat; kör `samverkan fsck`")
            return digest, False
        atomic_write(target, data, mode=0o444)
        return digest, True

    def verify(self, sha256: str) -> str | None:
        """Swedish problem with one stored object, or None when it is intact and read-only."""
        target = self.path(sha256)
        if not target.is_file():
            return f"originalet {sha256} saknas i arkivet"
        if sha256_file(target) != sha256:
            return f"originalet {sha256} har ändrats (kontrollsumman stämmer inte)"
        if os.stat(target).st_mode & 0o222:
            return f"originalet {sha256} är inte skrivskyddat"
        return None

    def iter_shas(self) -> Iterator[str]:
        if not self.objects.is_dir():
            return
        for folder in sorted(self.objects.iterdir()):
            if not folder.is_dir():
                continue
            for item in sorted(folder.iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    candidate = folder.name + item.name
                    if _SHA.match(candidate):
                        yield candidate
