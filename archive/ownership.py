"""One inbox watcher per HOME: the process that takes files from HOME/inbox owns the intake.

Two watchers on one HOME both see every dropped file; one files it and the other, finding it
filed, logs a false "dubblett". So a watcher (`samverkan watch`, `samverkan serve`) holds an
exclusive flock on HOME/run/intake.lock for as long as it runs and writes its PID to
HOME/run/intake.pid, which only serves the refusal message of a second one. The kernel
drops the lock when the process ends, however it ends, so a SIGKILL never leaves a lock that
blocks the next start; a stale PID file is never read while no one holds the lock.

Others only look (`owner`): `samverkan file` then leaves files lying in the inbox to the
watcher. A look takes a shared lock for an instant, so `acquire` retries for a moment
before it calls the intake taken.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from samverkan.archive.fsutil import atomic_write
from samverkan.archive.home import Home

LOCK_NAME = "intake.lock"
PID_NAME = "intake.pid"
RETRY_SECONDS = 1.0  # how long `acquire` outwaits a process that only looks
_POLL_SECONDS = 0.02


class IntakeBusy(Exception):  # noqa: N818 - a condition the shell words for its users
    """Another process already takes files from this HOME's inbox."""

    def __init__(self, home: Path, pid: int | None) -> None:
        self.home = home
        self.pid = pid
        who = f"processen med PID {pid}" if pid else "en annan process"
        self.reason = (f"inkorgen i {home} bevakas redan av {who} (`samverkan watch` eller "
                       "`samverkan serve`); bara en process åt gången får ta filer ur en "
                       "inkorg. Stoppa den först, eller använd en annan HOME")
        super().__init__(self.reason)


class IntakeLock:
    """The exclusive right to take files from one HOME's inbox, held until `release`."""

    def __init__(self, home: Home) -> None:
        self.folder = home.runtime
        self.home = home.home
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, retry_seconds: float = RETRY_SECONDS) -> None:
        """Take the intake, or raise IntakeBusy naming the process that has it."""
        if self._fd is not None:
            return
        descriptor = _open(self.folder)
        deadline = time.monotonic() + retry_seconds
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise IntakeBusy(self.home, _read_pid(self.folder)) from None
                time.sleep(_POLL_SECONDS)
        self._fd = descriptor
        atomic_write(self.folder / PID_NAME, f"{os.getpid()}\n".encode("ascii"))

    def release(self) -> None:
        """Give the intake up (the PID file goes first, so it never names a former owner
        while the lock is free to take)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            (self.folder / PID_NAME).unlink()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> IntakeLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()


def owner(home: Home) -> int | None:
    """The PID of the process that takes files from the inbox now (0 when its PID file is
    not there yet or unreadable); None when none does."""
    if not (home.runtime / LOCK_NAME).exists():
        return None
    descriptor = _open(home.runtime)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(home.runtime) or 0
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return None
    finally:
        os.close(descriptor)


def _open(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    return os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def _read_pid(folder: Path) -> int | None:
    try:
        text = (folder / PID_NAME).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
