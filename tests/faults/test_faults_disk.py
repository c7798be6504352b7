"""A full disk and a read-only archive during intake: a clear error, nothing half-written,
nothing quarantined for the disk's sake, and intake resumes by itself when the disk is back.

The archive folder is a small tmpfs mounted for the test (needs root; skipped with the
reason otherwise), so the watcher meets real ENOSPC and EROFS from the kernel.
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import procs
from tests.faults.conftest import agreement_files, archived_shas, fsck, quarantined, sha256, waiting

TMPFS_SIZE = "16m"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture()
def small_archive(fresh_home: Path) -> Iterator[Path]:
    """HOME/archive on its own small tmpfs; unmounted afterwards whatever happens."""
    folder = fresh_home / "archive"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for the archive needs root")
    mounted = _mount("-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _mount("-o", "remount,rw", str(folder))
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> Path:
    """Take every free byte of the file system holding `folder`."""
    filler = folder / "fyllnad.bin"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
    finally:
        os.close(descriptor)
    return filler


def _half_written(archive: Path) -> list[Path]:
    """Temporary or partial files left in the archive (anything not a finished object)."""
    suspects = []
    for path in archive.rglob("*"):
        name = path.name
        if path.is_file() and (name.endswith((".tmp", ".part")) or name.startswith(".tmp")
                               or ".tmp" in name):
            suspects.append(path)
    return suspects


def _assert_waiting_untouched(home: Path, files: list[tuple[str, bytes]]) -> None:
    inbox = {p.name: p.read_bytes() for p in waiting(home)}
    for name, data in files:
        assert inbox.get(name) == data, f"{name} left the inbox while the archive could not take it"
    names = {q.filename for q in quarantined(home)}
    assert not names & {name for name, _ in files}, "quarantined for a disk fault"


def _log_mentions(log: Path, *words: str) -> bool:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return any(word.lower() in text.lower() for word in words)


def _log_lines(log: Path) -> int:
    return len(log.read_text(encoding="utf-8", errors="replace").splitlines()) if log.exists() else 0


# While the disk stays broken the watcher must say so and wait, not retry in a tight loop:
# a log growing by thousands of traceback lines a minute fills what little disk is left.
FAULT_SECONDS = 3.0
MAX_LOG_LINES_DURING_FAULT = 60


@pytest.mark.slow
def test_disk_full_then_read_only_then_back(fresh_home: Path, small_archive: Path, watcher,
                                            tmp_path: Path) -> None:
    files = agreement_files(9, seed=404, pdf_every=3)
    first, during_full, during_ro = files[:3], files[3:6], files[6:9]
    inbox = fresh_home / "inbox"
    log = tmp_path / "watch.log"
    process = watcher()
    for name, data in first:
        (inbox / name).write_bytes(data)
    procs.wait_until(lambda: not waiting(fresh_home), 60, 0.1, "the first files to be filed")

    # 1. Disk full.
    filler = _fill(small_archive)
    for name, data in during_full:
        (inbox / name).write_bytes(data)
    procs.wait_until(lambda: _log_mentions(log, "utrymme"), 30, 0.2,
                     "the watcher to report the full disk in Swedish («… utrymme …»)")
    lines = _log_lines(log)
    time.sleep(FAULT_SECONDS)  # a few rescans against the full disk
    assert process.poll() is None, "the watcher died on a full disk"
    assert _log_lines(log) - lines <= MAX_LOG_LINES_DURING_FAULT, (
        f"{_log_lines(log) - lines} log lines in {FAULT_SECONDS} s of full disk")
    _assert_waiting_untouched(fresh_home, during_full)
    filler.unlink()
    assert not _half_written(small_archive), _half_written(small_archive)
    procs.wait_until(lambda: not waiting(fresh_home), 60, 0.2, "intake to resume after space returned")

    # 2. Read-only archive.
    remounted = _mount("-o", "remount,ro", str(small_archive))
    assert remounted.returncode == 0, remounted.stderr
    for name, data in during_ro:
        (inbox / name).write_bytes(data)
    procs.wait_until(lambda: _log_mentions(log, "skrivskydd"), 30, 0.2,
                     "the watcher to report the read-only archive in Swedish («… skrivskydd …»)")
    lines = _log_lines(log)
    time.sleep(FAULT_SECONDS)
    assert process.poll() is None, "the watcher died on a read-only archive"
    assert _log_lines(log) - lines <= MAX_LOG_LINES_DURING_FAULT, (
        f"{_log_lines(log) - lines} log lines in {FAULT_SECONDS} s of read-only archive")
    _assert_waiting_untouched(fresh_home, during_ro)
    remounted = _mount("-o", "remount,rw", str(small_archive))
    assert remounted.returncode == 0, remounted.stderr
    procs.wait_until(lambda: not waiting(fresh_home), 60, 0.2, "intake to resume when writable")
    procs.stop(process)

    counts = Counter(archived_shas(fresh_home))
    for name, data in files:
        assert counts[sha256(data)] == 1, f"{name} archived {counts[sha256(data)]} times"
    assert not _half_written(small_archive)
    result = fsck(fresh_home)
    assert result.returncode == 0, result.stdout + result.stderr
