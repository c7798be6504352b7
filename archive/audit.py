"""The append-only, hash-chained audit log (audit.jsonl): the archive's source of truth.

Every event (filed, duplicate, quarantined, corrected, ocr_done …) is one JSON line with
seq, UTC time, actor and checksums; `prev` is the SHA-256 of the previous line's bytes, so
editing or removing any line but the last breaks the chain and `fsck` reports it.

Appends happen under an exclusive lock (archive.locking: a thread lock inside the process and
a file lock across processes), so the CLI and the service never interleave.
Each append is a single write to an O_APPEND descriptor followed by fsync. A crash during
that write can leave a torn last line without its newline; it was never acknowledged, so the
next writer moves it aside (audit.jsonl.torn-…) and truncates it away.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from samverkan.archive.fsutil import fsync_dir, json_bytes, utc_now
from samverkan.archive.locking import ReentrantFileLock

GENESIS = "0" * 64
_HEAD_SIZE = 127  # fixed size, so an in-place overwrite never leaves old bytes behind
log = logging.getLogger(__name__)


class LogRewritten(Exception):  # noqa: N818 - a condition, handled by replaying
    """The audit log no longer starts with what was read before: it was edited."""


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def encode(entry: dict[str, Any]) -> bytes:
    return json_bytes(entry, sort_keys=True, separators=(",", ":"))


class AuditLog:
    """Reader and appender of one audit.jsonl; keeps the tail position between reads."""

    def __init__(self, path: Path, lock_path: Path) -> None:
        self.path = path
        self.lock_path = lock_path
        self._lock = ReentrantFileLock(lock_path)
        self._offset = 0
        self._last_start = 0
        self._last_hash = GENESIS
        self._last_seq = 0
        # Entries another process appended that `append` had to read past; the owner of
        # this log (the catalogue) drains them with `take_unseen` so no event is skipped.
        self._unseen: list[dict[str, Any]] = []

    @property
    def head_path(self) -> Path:
        return head_path(self.path)

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """Exclusive across threads and processes; re-entrant within one thread."""
        return self._lock.hold()

    @property
    def holding_lock(self) -> bool:
        """Whether the calling thread holds the lock (only then may a torn tail be repaired)."""
        return self._lock.held_by_this_thread

    @property
    def last_read(self) -> tuple[int, str]:
        """(seq, line hash) of the last entry read or appended: how far this reader got."""
        return self._last_seq, self._last_hash

    def reset(self) -> None:
        """Forget the read position (the next read_new returns every entry)."""
        self._offset = self._last_start = self._last_seq = 0
        self._last_hash = GENESIS
        self._unseen = []

    def read_new(self) -> list[dict[str, Any]]:
        """Entries appended since the last call (complete lines only).

        Raises LogRewritten when the part already read is no longer what it was (someone
        edited the file): the caller then replays from the start, and fsck reports it.
        """
        if not self.path.exists():
            if self._offset:
                raise LogRewritten(str(self.path))
            return []
        with open(self.path, "rb") as source:
            source.seek(self._last_start)
            data = source.read()
        known = self._offset - self._last_start
        if self._offset and (len(data) < known or data[known - 1:known] != b"\n"
                             or line_hash(data[:known - 1]) != self._last_hash):
            raise LogRewritten(str(self.path))
        data = data[known:]
        entries: list[dict[str, Any]] = []
        position = 0
        while True:
            end = data.find(b"\n", position)
            if end < 0:
                break
            line = data[position:end]
            start, position = position, end + 1
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                log.warning("audit log line at byte %d is not JSON", self._offset + start)
                entry = None
            if isinstance(entry, dict):
                entries.append(entry)
                self._last_seq = int(entry.get("seq", self._last_seq + 1))
            self._last_hash = line_hash(line)
            self._last_start = self._offset + start
        self._offset += position
        if position < len(data) and self.holding_lock:
            self._repair_torn_tail(data[position:])
        return entries

    def _repair_torn_tail(self, tail: bytes) -> None:
        """Move an unfinished last line (a crash mid-append) aside and cut it off."""
        aside = self.path.with_name(f"{self.path.name}.torn-{utc_now().replace(':', '')}")
        with open(aside, "wb") as out:
            out.write(tail)
            out.flush()
            os.fsync(out.fileno())
        with open(self.path, "r+b") as log:
            log.truncate(self._offset)
            os.fsync(log.fileno())
        fsync_dir(self.path.parent)

    def append(self, event: str, actor: str, **fields: Any) -> dict[str, Any]:
        """Append one event (after reading any entries other processes added)."""
        with self.locked():
            pending = self.read_new()
            if pending:
                self._unseen.extend(pending)
            entry = {**fields, "event": event, "actor": actor, "time": utc_now(),
                     "seq": self._last_seq + 1, "prev": self._last_hash}
            line = encode(entry)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                size = os.fstat(descriptor).st_size
                payload = memoryview(line + b"\n")
                try:
                    while payload:  # one write in practice; loop only on a short write
                        payload = payload[os.write(descriptor, payload):]
                    os.fsync(descriptor)
                except OSError:  # e.g. a full disk after a short write: no torn last line
                    with contextlib.suppress(OSError):
                        os.ftruncate(descriptor, size)
                        os.fsync(descriptor)
                    raise
            finally:
                os.close(descriptor)
            if created:
                fsync_dir(self.path.parent)
            self._write_head(entry["seq"], line_hash(line))
            self._last_start = self._offset
            self._offset += len(line) + 1
            self._last_hash = line_hash(line)
            self._last_seq = entry["seq"]
            return entry

    def _write_head(self, seq: int, digest: str) -> None:
        """How far the log reached, so cutting off its last lines shows. Overwritten in place
        with one fsync: a torn head reads as missing, which fsck treats as "no head"."""
        record = encode({"seq": seq, "hash": digest}).ljust(_HEAD_SIZE) + b"\n"
        descriptor = os.open(self.head_path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.pwrite(descriptor, record, 0)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def take_unseen(self) -> list[dict[str, Any]]:
        taken, self._unseen = self._unseen, []
        return taken


def head_path(path: Path) -> Path:
    return path.with_name(path.name + ".head")


def verify(path: Path) -> list[str]:
    """Swedish problems with the chain: unreadable lines, broken `prev` links, seq gaps."""
    problems: list[str] = []
    if not path.exists():
        return problems
    previous = GENESIS
    expected_seq = 1
    with open(path, "rb") as source:
        data = source.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        problems.append("granskningsloggens sista rad är ofullständig (avbruten skrivning)")
        lines.pop()
    invalid: set[int] = set()
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
        except ValueError:
            problems.append(f"granskningsloggen rad {number}: inte giltig JSON")
            invalid.add(number)
            previous = line_hash(line)
            expected_seq += 1
            continue
        gap = entry.get("seq") != expected_seq
        if entry.get("prev") != previous:
            problems.extend(_broken_link(number, gap=gap, after_invalid=number - 1 in invalid))
        if gap:
            problems.append(
                f"granskningsloggen rad {number}: löpnummer {entry.get('seq')} där "
                f"{expected_seq} väntades (rader saknas eller har lagts till)")
        previous = line_hash(line)
        expected_seq = int(entry.get("seq", expected_seq)) + 1
    try:
        head = json.loads(head_path(path).read_bytes())
    except (OSError, ValueError):
        head = None
    if head and int(head.get("seq", 0)) >= expected_seq:
        problems.append(
            f"granskningsloggen slutar vid löpnummer {expected_seq - 1}, men den har nått "
            f"{head.get('seq')}: de sista raderna har tagits bort")
    elif head and int(head.get("seq", 0)) == expected_seq - 1 and head.get("hash") != previous:
        problems.append(f"granskningsloggen rad {len(lines)}: raden har ändrats (det är den "
                        "sista raden, och den stämmer inte med loggens huvudfil)")
    return problems


def _broken_link(number: int, *, gap: bool, after_invalid: bool) -> list[str]:
    """What a wrong `prev` on line `number` says. It is the checksum of line n-1 as that was
    written, so line n-1 is the one that changed (fsck used to name line n, the one after the
    edit); with a gap in the sequence numbers lines went missing instead, and a line already
    reported as not JSON is not reported twice. Line 1 has no line before it: a wrong
    `prev` there means that it changed itself."""
    if after_invalid:
        return []
    if gap:
        return [f"granskningsloggen rad {number}: kedjan är bruten före raden (rader saknas "
                "eller har lagts till)"]
    if number == 1:
        return ["granskningsloggen rad 1: raden har ändrats – kedjan är bruten (den första "
                "raden börjar inte kedjan)"]
    return [f"granskningsloggen rad {number - 1}: raden har ändrats – kedjan är bruten (rad "
            f"{number} bär en annan kontrollsumma för den)"]
