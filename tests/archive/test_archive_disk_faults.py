"""A full or read-only archive disk: a Swedish reason, the file waits, nothing half-done.

Faults are injected where the archive writes (no tmpfs needed); tests/faults/
test_faults_disk.py meets the real kernel errors on a small tmpfs.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path

import pytest

from samverkan.archive import watch
from samverkan.archive.audit import AuditLog
from samverkan.archive.errors import StorageError, storage_kind
from samverkan.archive.fsck import fsck
from samverkan.archive.journal import Journal
from samverkan.archive.objects import ObjectStore
from samverkan.archive.store import Archive
from samverkan.archive.watch import InboxWatcher
from tests.archive.conftest import agreement_text, pdf_of


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def disk_error(code: int, where: object = "/arkiv/objects/ab/.tmp-1-x.tmp") -> OSError:
    return OSError(code, os.strerror(code), str(where))


def test_storage_kind_reads_errno_and_causes() -> None:
    assert storage_kind(disk_error(errno.ENOSPC)) == "full"
    assert storage_kind(disk_error(errno.EDQUOT)) == "full"
    assert storage_kind(disk_error(errno.EROFS)) == "read_only"
    assert storage_kind(disk_error(errno.EACCES)) is None
    assert storage_kind(ValueError("x")) is None
    try:
        try:
            raise disk_error(errno.ENOSPC)
        except OSError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert storage_kind(outer) == "full"
    full = StorageError("/inkorg/avtal.pdf", "full", "/hem/archive")
    assert "utrymme" in str(full) and "avtal.pdf" in str(full)
    assert "skrivskydd" in str(StorageError("a.pdf", "read_only", "/hem/archive"))


def test_full_disk_while_storing_keeps_the_file_waiting(archive: Archive, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = put(tmp_path, "avtal.pdf", pdf_of(agreement_text()))
    before = source.read_bytes()

    def full(self: ObjectStore, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
        raise disk_error(errno.ENOSPC, self.objects / "ab" / ".tmp-1-x.tmp")

    with monkeypatch.context() as patch:
        patch.setattr(ObjectStore, "put", full)
        with pytest.raises(StorageError) as raised:
            archive.file(source, actor="Eva")
    message = str(raised.value)
    assert "Inget utrymme kvar på disken" in message and "avtal.pdf" in message
    assert str(archive.settings.archive) in message and ".tmp" not in message
    assert source.read_bytes() == before
    assert not archive.quarantined() and not list(archive.iter_versions())
    assert archive.journal.live(), "the claim is kept for recovery"
    assert archive.recover()  # the claim without stored file is closed: it waits
    assert not archive.journal.live()
    result = archive.file(source, actor="Eva")
    assert result.status == "new" and len(list(archive.iter_versions())) == 1
    assert not fsck(archive).problems


def test_read_only_log_after_storing_is_finished_by_recovery(
        archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = put(tmp_path, "avtal.pdf", pdf_of(agreement_text()))
    append = AuditLog.append

    def read_only(self: AuditLog, event: str, actor: str, **fields: object) -> dict:
        if event == "filed":
            raise disk_error(errno.EROFS, self.path)
        return append(self, event, actor, **fields)

    with monkeypatch.context() as patch:
        patch.setattr(AuditLog, "append", read_only)
        with pytest.raises(StorageError) as raised:
            archive.file(source, actor="Eva")
    assert "skrivskyddat" in str(raised.value)
    assert not archive.quarantined()
    assert not fsck(archive).problems  # the stored original is covered by its claim
    archive.recover()  # resumes: the stored original is filed, once
    assert len(list(archive.iter_versions())) == 1 and not archive.journal.live()
    assert archive.file(source, actor="Eva").status == "duplicate"
    assert not fsck(archive).problems


def test_torn_audit_line_is_cut_back(archive: Archive, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A short write then ENOSPC leaves no half line at the end of the audit log."""
    archive.file(put(tmp_path, "a.pdf", pdf_of(agreement_text())), actor="Eva")
    log_path = archive.audit.path
    size = log_path.stat().st_size
    real_write = os.write

    def short_then_full(descriptor: int, data: bytes) -> int:
        if os.fstat(descriptor).st_ino == log_path.stat().st_ino:
            if os.fstat(descriptor).st_size == size:
                return real_write(descriptor, bytes(data[:10]))
            raise disk_error(errno.ENOSPC, log_path)
        return real_write(descriptor, data)

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", short_then_full)
        with pytest.raises(OSError):
            archive.audit.append("exported", "Eva")
    assert log_path.stat().st_size == size
    assert not fsck(archive).problems


def test_watcher_backs_off_and_resumes(archive: Archive, settings, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(watch, "BACKOFF_FIRST", 0.05)
    monkeypatch.setattr(watch, "BACKOFF_MAX", 0.4)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    data = pdf_of(agreement_text())
    dropped = put(settings.inbox, "avtal.pdf", data)
    tries: list[float] = []
    write = Journal._write

    def full(self: Journal, claim) -> None:  # type: ignore[no-untyped-def]
        tries.append(time.monotonic())
        raise disk_error(errno.ENOSPC, self.folder / ".tmp-1-x.tmp")

    watcher = InboxWatcher(archive)
    watcher.start()
    try:
        with monkeypatch.context() as patch, caplog.at_level(logging.INFO, "samverkan.archive.watch"):
            patch.setattr(Journal, "_write", full)
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                watcher.step()
                time.sleep(watcher.tick)
            assert watcher.held_up or watcher._backoff
        # Without backoff a 2 s fault at this tick is ~40 tries; doubling from 0.05 s to a
        # 0.4 s ceiling gives about 7.
        assert 3 <= len(tries) <= 12, len(tries)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors and all(r.exc_info is None for r in errors)  # no tracebacks
        assert all("Inget utrymme kvar på disken" in r.getMessage() and "avtal.pdf" in
                   r.getMessage() for r in errors)
        assert dropped.read_bytes() == data and not archive.quarantined()
        assert Journal._write is write
        assert watcher.settle(30)
    finally:
        watcher.stop()
    assert not dropped.exists()
    (record,) = archive.iter_versions()
    assert record.sha256 and not fsck(archive).problems
