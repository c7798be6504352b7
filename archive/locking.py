"""A lock that is exclusive across threads and processes and re-entrant within one thread.

The archive's audit log and the index writer both need one: the CLI, the inbox watcher and
the web service (with its worker threads) may share a HOME. Threads of one process queue on
a threading.RLock (no polling); processes exclude each other with the `filelock` library's
FileLock on a lock file (flock on Unix, released by the kernel when a process dies). A
thread's first hold takes the file lock, its last release lets it go.

After a fork the child is another process: it must take the file lock itself, and a thread
lock that a parent thread held at the fork would never be released. So every lock starts
over, unheld, in a forked child (filelock likewise refuses an instance inherited across a
fork; a new one is made on the first hold there).
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

_POLL_SECONDS = 0.02  # how often a process waiting for another one retries the file lock


class LockBusy(Exception):  # noqa: N818 - a condition the caller words for its users
    """Not acquired within the timeout; `other_process` says whether another process (rather
    than another thread of this one) held the lock."""

    def __init__(self, path: Path, *, other_process: bool) -> None:
        super().__init__(f"{path} is held by another {'process' if other_process else 'thread'}")
        self.path = path
        self.other_process = other_process


class ReentrantFileLock:
    """Exclusive across threads and processes; re-entrant within one thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reset()
        with _guard:
            _live.add(self)

    def _reset(self) -> None:
        self._local = threading.RLock()
        self._file: FileLock | None = None  # made on first use, so a forked child makes its own
        self._owner: int | None = None

    @classmethod
    def shared(cls, path: Path) -> ReentrantFileLock:
        """This process's one lock for `path`, so that every caller re-enters the same lock."""
        with _guard:
            lock = _shared.get(str(path))
        if lock is None:
            created = cls(path)
            with _guard:
                lock = _shared.setdefault(str(path), created)
        return lock

    @property
    def held_by_this_thread(self) -> bool:
        return self._owner == threading.get_ident()

    def acquire(self, timeout: float | None = None) -> None:
        """Wait at most `timeout` seconds in all (None: as long as it takes), else LockBusy."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._local.acquire(timeout=-1 if timeout is None else max(timeout, 0.0)):
            raise LockBusy(self.path, other_process=False)
        try:
            if self._file is None:
                self._file = FileLock(self.path, thread_local=False, fallback_to_soft=False,
                                      preserve_lock_file=True, poll_interval=_POLL_SECONDS)
            if not self._file.is_locked:  # this thread's first hold: wait for other processes
                self.path.parent.mkdir(parents=True, exist_ok=True)
            remaining = -1.0 if deadline is None else max(deadline - time.monotonic(), 0.0)
            try:
                self._file.acquire(timeout=remaining)  # re-entrant: counts nested holds
            except Timeout:
                raise LockBusy(self.path, other_process=True) from None
            self._owner = threading.get_ident()
        except BaseException:
            self._local.release()
            raise

    def release(self) -> None:
        if self._file is None or not self.held_by_this_thread:
            raise RuntimeError(f"{self.path}: released by a thread that does not hold it")
        try:
            self._file.release()
        finally:
            if not self._file.is_locked:
                self._owner = None
            self._local.release()

    @contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[None]:
        self.acquire(timeout)
        try:
            yield
        finally:
            self.release()


_guard = threading.Lock()
_live: weakref.WeakSet[ReentrantFileLock] = weakref.WeakSet()
_shared: dict[str, ReentrantFileLock] = {}


def _start_over_in_child() -> None:
    global _guard
    _guard = threading.Lock()
    for lock in list(_live):
        lock._reset()


os.register_at_fork(after_in_child=_start_over_in_child)
