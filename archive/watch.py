"""The inbox watcher: takes every complete file dropped in HOME/inbox, once.

Events (watchdog; inotify, or polling for network shares) only say *where to look*; what is
taken is decided by the file itself: complete when it was closed after writing, or when its
size and mtime have not changed for `quiet_seconds`. A full rescan at start-up and every
`rescan_seconds` finds whatever arrived while the service was down or events were lost.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.archive.errors import ArchiveError, StorageError, storage_kind
from samverkan.archive.intake import NotReady, Prepared
from samverkan.archive.ownership import IntakeLock
from samverkan.archive.results import FilingResult
from samverkan.archive.worker import AnalysisPool, OcrWorker

if TYPE_CHECKING:
    from concurrent.futures import Future

    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

    from samverkan.archive.analysis import Analysis
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)

# Scanner, NAS, Office and OS clutter: never taken, never quarantined, left where it is.
CLUTTER_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "@eadir", "#recycle", "$recycle.bin",
                 ".trashes", ".fseventsd", ".spotlight-v100", ".appledouble", "#snapshot",
                 ".snapshot", "lost+found"}
# A full or read-only archive disk: wait this long before the next try, doubling each time.
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
CLUTTER_PATTERNS = ("._*", "~$*", ".~lock*", "*.tmp", "*.temp", "*.part", "*.partial",
                    "*.crdownload", "*.download", "*.swp", "*~", ".*")


def is_clutter(name: str) -> bool:
    """Whether a name is clutter to ignore (hidden files count: editors' and rsync's temps)."""
    lowered = name.lower()
    return lowered in CLUTTER_NAMES or any(fnmatch.fnmatchcase(lowered, pattern)
                                           for pattern in CLUTTER_PATTERNS)


def signature(path: Path) -> tuple[int, ...] | None:
    """What changes while an item is still being written (None when it has gone)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not os.path.isdir(path) or os.path.islink(path):
        return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode)
    count = total = latest = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                child = os.lstat(os.path.join(folder, name))
            except FileNotFoundError:
                continue
            count += 1
            total += child.st_size
            latest = max(latest, child.st_mtime_ns)
        if count > 10_000:
            break
    return (count, total, latest, info.st_mtime_ns)


@dataclass
class Candidate:
    signature: tuple[int, ...] | None
    since: float
    closed_signature: tuple[int, ...] | None = None


class InboxWatcher:
    """Watch HOME/inbox and file what is complete; OCR of scans runs in a worker thread."""

    def __init__(self, archive: Archive, *, polling: bool | None = None,
                 on_result: Callable[[FilingResult], None] | None = None,
                 workers: int | None = None, intake: IntakeLock | None = None) -> None:
        self.archive = archive
        self.settings = archive.settings
        self.inbox = self.settings.inbox
        self.on_result = on_result
        self.polling = self.settings.polling if polling is None else polling
        self.worker = OcrWorker(archive, on_result=self._report)
        # Analysis (text, references, recognition) of several files at once in worker
        # processes; only with the project's own reader, which a worker can load itself.
        if workers is None:
            workers = self.settings.intake_workers
            if workers is None:
                workers = min(2, os.cpu_count() or 1)
        self.pool = AnalysisPool(workers) if workers > 1 and archive.default_recogniser \
            else None
        self._inflight: dict[Path, tuple[Prepared, Future[Analysis]]] = {}
        self._candidates: dict[Path, Candidate] = {}
        self._taken: dict[Path, tuple[int, ...] | None] = {}
        self._events: list[tuple[Path, bool]] = []
        self._events_lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self._last_rescan = 0.0
        self._stop = threading.Event()
        self._running = False
        self.observer_kind = "none"
        self.actor = "inkorgen"
        self._backoff = 0.0  # seconds of the current wait after a disk fault (0: none)
        self._retry_at = 0.0  # monotonic time of the next try after a disk fault
        # The right to take files from this inbox (ownership); a caller may have taken it.
        self._intake = intake if intake is not None else IntakeLock(self.settings)

    # -- life cycle --------------------------------------------------------------------------

    def claim_home(self) -> None:
        """Become the one process that takes files from this HOME's inbox (ownership.
        IntakeBusy when another one does); `start` does it, a caller may do it earlier to
        refuse before anything else starts. Given up when the watcher stops."""
        self._intake.acquire()

    def start(self) -> None:
        self.claim_home()
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._recover()
        self.archive.set_background(self.worker.submit)
        self.worker.start()
        self._start_observer()
        self.rescan()

    def stop(self) -> None:
        """Ask a running loop to end (safe from any thread); shut down if none is running."""
        self._stop.set()
        if not self._running:
            self._shutdown()

    def _shutdown(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
        self.archive.set_background(None)
        self.worker.stop()
        for path in list(self._inflight):  # finish what was claimed, so nothing waits on a
            try:  # claim this process still holds
                self._harvest(path, block=True)
            except StorageError as error:  # the file stays in the inbox; recovery later
                log.error("%s: filen «%s» ligger kvar i inkorgen", error.reason,
                          error.path.name)
        if self.pool is not None:
            self.pool.close()
        self._intake.release()

    def run(self, stop: threading.Event | None = None) -> None:
        """Blocking loop until `stop` is set or stop() is called (the CLI does so on
        SIGINT/SIGTERM, the service from its own thread)."""
        self._running = True
        failures = 0
        try:
            self.start()
            while not self._stop.is_set() and not (stop is not None and stop.is_set()):
                pause = self.tick
                try:
                    self.step()
                    failures = 0
                except Exception as error:  # the watcher keeps running; retried later
                    failures += 1
                    pause = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (failures - 1))
                    if failures == 1:
                        log.exception("inbox step failed")
                    else:
                        log.error("inbox step failed again (%s: %s); next try in %.0f s",
                                  type(error).__name__, error, pause)
                    self._last_rescan = time.monotonic()
                (stop or self._stop).wait(pause)
        finally:
            self._running = False
            self._shutdown()

    @property
    def tick(self) -> float:
        return max(0.02, min(0.25, self.settings.quiet_seconds / 4))

    def _start_observer(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                closed = event.event_type == "closed"
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    if raw:
                        watcher._note(Path(os.fsdecode(raw)), closed)

        choices = [("polling", PollingObserver)] if self.polling else [
            ("native", Observer), ("polling", PollingObserver)]
        for kind, factory in choices:
            observer = factory(timeout=max(0.1, min(1.0, self.settings.quiet_seconds))) \
                if kind == "polling" else factory()
            try:
                observer.schedule(Handler(), str(self.inbox), recursive=True)
                observer.start()
            except OSError as error:  # e.g. inotify limits, or a share without events
                log.warning("%s file watching failed (%s); trying the next", kind, error)
                continue
            self._observer, self.observer_kind = observer, kind
            return
        log.warning("no file watching available; relying on periodic rescans")

    # -- events and scanning -----------------------------------------------------------------

    def _note(self, path: Path, closed: bool) -> None:
        """From the observer thread: remember the top-level inbox entry the event concerns."""
        try:
            relative = path.relative_to(self.inbox)
        except ValueError:
            return
        if not relative.parts or any(is_clutter(part) for part in relative.parts):
            return
        top = self.inbox / relative.parts[0]
        with self._events_lock:
            self._events.append((top, closed and len(relative.parts) == 1))

    # -- a full or read-only archive disk ----------------------------------------------------

    @property
    def held_up(self) -> bool:
        """Whether intake is waiting out a disk fault (files stay in the inbox meanwhile)."""
        return self._backoff > 0 and time.monotonic() < self._retry_at

    def _disk_fault(self, error: StorageError) -> None:
        """Say once per try, in Swedish, why nothing is taken, and wait longer each time."""
        self._backoff = min(BACKOFF_MAX, self._backoff * 2 or BACKOFF_FIRST)
        self._retry_at = time.monotonic() + self._backoff
        log.error("%s: filen «%s» ligger kvar i inkorgen och tas när det går att skriva i "
                  "arkivet igen (nytt försök om %.0f s)", error.reason, error.path.name,
                  self._backoff)

    def _disk_back(self) -> None:
        if self._backoff:
            log.info("Arkivet går att skriva i igen; intaget fortsätter")
            self._backoff = 0.0

    def _recover(self) -> bool:
        """Finish or undo claims left by crashes or disk faults; False on a disk fault."""
        try:
            done = self.archive.recover()
        except OSError as error:
            kind = storage_kind(error)
            if kind is None:
                raise
            self._disk_fault(StorageError(self.settings.archive / "journal", kind,
                                          self.settings.archive, error.strerror or ""))
            return False
        for item in done:
            log.info("recovery: %s", item)
        return True

    def rescan(self) -> None:
        """Look at every entry in the inbox, and re-queue scans still waiting for OCR."""
        self._last_rescan = time.monotonic()
        try:
            entries = sorted(self.inbox.iterdir())
        except FileNotFoundError:
            self.inbox.mkdir(parents=True, exist_ok=True)
            entries = []
        now = time.monotonic()
        for entry in entries:
            if not is_clutter(entry.name) and entry not in self._candidates:
                self._candidates[entry] = Candidate(signature(entry), now)
        if self._backoff:
            return  # OCR would only fail on the same disk; retried once it is back
        for sha256 in self.archive.pending_ocr():
            self.worker.submit(sha256)

    def step(self) -> list[FilingResult]:
        """One round: take in events, rescan when due, file what is ready."""
        now = time.monotonic()
        with self._events_lock:
            events, self._events = self._events, []
        for path, closed in events:
            candidate = self._candidates.get(path)
            current = signature(path)
            if candidate is None:
                candidate = self._candidates[path] = Candidate(current, now)
            elif current != candidate.signature:
                candidate.signature, candidate.since = current, now
            if closed:
                candidate.closed_signature = current
        if now - self._last_rescan >= self.settings.rescan_seconds:
            self.rescan()
        results: list[FilingResult] = []
        if self.held_up:
            return results
        if self._backoff and not self._recover():  # claims the fault left behind first
            return results
        try:
            self._take_ready(now, results)
        except StorageError as error:
            self._disk_fault(error)
        return results

    def _take_ready(self, now: float, results: list[FilingResult]) -> None:
        for path in list(self._inflight):
            result = self._harvest(path, block=False)
            if result is not None:
                results.append(result)
        for path in sorted(self._candidates):
            if path in self._inflight:
                continue
            if self.pool is not None and len(self._inflight) >= self.pool.capacity:
                break
            result = self._consider(path, now)
            if result is not None:
                results.append(result)

    def _consider(self, path: Path, now: float) -> FilingResult | None:
        candidate = self._candidates[path]
        current = signature(path)
        if current is None:
            self._candidates.pop(path, None)
            self._taken.pop(path, None)
            return None
        if path in self._taken and self._taken[path] == current:
            self._candidates.pop(path, None)
            return None
        if current != candidate.signature:
            candidate.signature, candidate.since = current, now
            return None
        closed = candidate.closed_signature is not None and candidate.closed_signature == current
        if not closed and now - candidate.since < self.settings.quiet_seconds:
            return None
        try:
            prepared = self.archive.intake.prepare(path, origin="inbox", actor=self.actor)
        except NotReady:
            candidate.signature, candidate.since = signature(path), time.monotonic()
            candidate.closed_signature = None
            return None
        except ArchiveError as error:  # it vanished between look and take
            log.info("skipped %s: %s", path, error)
            self._candidates.pop(path, None)
            return None
        if isinstance(prepared, Prepared) and self.pool is not None:
            self._inflight[path] = (prepared, self.pool.submit(prepared))
            return None
        if isinstance(prepared, Prepared):
            prepared = self.archive.intake.finish(prepared)
        return self._done(path, prepared)

    def _harvest(self, path: Path, *, block: bool) -> FilingResult | None:
        """Commit a finished analysis from the pool (waiting for it when `block`)."""
        prepared, future = self._inflight[path]
        if not block and not future.done():
            return None
        del self._inflight[path]
        assert self.pool is not None
        # A StorageError leaves the file in the inbox (still a candidate) for the next try.
        return self._done(path, self.archive.intake.commit(prepared, self.pool.outcome(future)))

    def _done(self, path: Path, result: FilingResult) -> FilingResult:
        self._disk_back()
        self._candidates.pop(path, None)
        after = signature(path)
        if after is not None:
            self._taken[path] = after  # could not be removed: do not take it again
        self._report(result)
        return result

    def _report(self, result: FilingResult) -> None:
        log.info("%s", result.summary_sv())
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:
                log.exception("on_result callback failed")

    def settle(self, timeout: float = 60.0) -> bool:
        """Run steps until the inbox is empty (bar clutter) and no OCR is queued (for tests
        and `samverkan watch --once`); True if settled in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.step()
            waiting = [p for p in self._candidates if p not in self._taken]
            if not waiting and not self._inflight and self.worker.idle() and not any(
                    not is_clutter(p.name) and p not in self._taken
                    for p in self.inbox.iterdir()):
                return True
            time.sleep(self.tick)
        return False


Watcher = InboxWatcher
