"""Background OCR: a worker thread with a queue, so scans do not hold up other intake.

The queue holds checksums of originals that are already stored with a "received" event, so
losing the queue (a stop, a crash) loses nothing: the watcher re-queues every pending scan
at start-up and at each rescan.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from samverkan.archive.errors import StorageError, storage_kind
from samverkan.archive.results import FilingResult

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from samverkan.archive.analysis import Analysis
    from samverkan.archive.intake import Prepared
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)


class OcrWorker:
    def __init__(self, archive: Archive, *,
                 on_result: Callable[[FilingResult], None] | None = None) -> None:
        self.archive = archive
        self.on_result = on_result
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._queued: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.busy = threading.Event()

    def start(self) -> None:
        if self._thread is None:
            # Daemon: a stop does not wait for a long OCR job; the scan stays pending.
            self._thread = threading.Thread(target=self._run, name="ocr-worker", daemon=True)
            self._thread.start()

    def submit(self, sha256: str) -> None:
        with self._lock:
            if sha256 in self._queued:
                return
            self._queued.add(sha256)
        self._queue.put(sha256)

    def idle(self) -> bool:
        with self._lock:
            return not self._queued

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while True:
            sha256 = self._queue.get()
            if sha256 is None:
                return
            self.busy.set()
            try:
                result = self.archive.complete_pending(sha256)
                if result is not None and self.on_result is not None:
                    self.on_result(result)
            except Exception as error:  # the scan stays pending; retried at the next rescan
                kind = storage_kind(error)
                if kind is None:
                    log.exception("OCR of %s failed", sha256)
                else:
                    log.error("%s: textigenkänningen av %s… görs när det går att skriva i "
                              "arkivet igen", StorageError(sha256, kind,
                                                           self.archive.settings.archive).reason,
                              sha256[:12])
            finally:
                with self._lock:
                    self._queued.discard(sha256)
                self.busy.clear()


class AnalysisPool:
    """Worker processes for analysis.analyse_in_worker (a pure function of the bytes).

    A worker that dies (a hostile file, memory) only fails that file's analysis, which then
    goes to quarantine; the pool is rebuilt for the next ones.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.capacity = workers * 2
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self._executor is None:
            # forkserver: no fork of a process that runs observer and OCR threads.
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker, initargs=(os.getpid(),))
        return self._executor

    def submit(self, prepared: Prepared) -> Future[Analysis]:
        from samverkan.archive.analysis import analyse_in_worker

        try:
            return self._pool().submit(analyse_in_worker, prepared.data,
                                       prepared.job.filename, prepared.scratch)
        except RuntimeError:  # a broken pool refuses work: start a fresh one
            self._executor = None
            return self._pool().submit(analyse_in_worker, prepared.data,
                                       prepared.job.filename, prepared.scratch)

    def outcome(self, future: Future[Analysis]) -> Analysis | Exception:
        """The Analysis, or the exception that stands for it (the pool is then renewed)."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool as error:
            self._executor = None
            return RuntimeError(f"analysen avbröts: arbetsprocessen dog ({error})")
        except Exception as error:
            return error

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _start_worker(owner: int) -> None:
    """Ctrl-C reaches the whole process group; the watcher, not its workers, handles it. A
    SIGKILL reaches the watcher alone: its workers then end by themselves (archive.lifeline)."""
    import signal

    from samverkan.archive import lifeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline.die_with(owner)
