"""Index batches in a process of their own, so a long filing run keeps its core for filing.

Indexing a batch (passages, Swedish analysis, postings) costs about as much CPU as filing
it, and a flusher thread shares the filing process's GIL: `samverkan file` of 400 PDFs ran
at the sum of both. With a second core, one worker process writes the batches instead; it
keeps its own read-only view of the archive (the audit log tells it what was filed) and
takes the index's writer lock like any other writer. The follower waits for each batch in
its flusher thread, so what the index owes (`pending`, `settle`, closing) is unchanged.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from samverkan.archive.home import Home

if TYPE_CHECKING:
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)

# The worker's archives, one per HOME, kept between batches (refreshing reads only the
# log's new tail, where opening again would replay all of it).
_archives: dict[Home, Archive] = {}


def index_batch(settings: Home, agreement_ids: list[str]) -> int:
    """In the worker: bring these agreements up to date in the index, in one commit."""
    from samverkan.archive.store import Archive
    from samverkan.index import archive_link

    archive = _archives.get(settings)
    if archive is None:
        archive = _archives[settings] = Archive(settings, recogniser=None)
    archive_link.update_many(settings, archive, agreement_ids)
    return len(agreement_ids)


def _start_worker(owner: int) -> None:
    """The worker ends when the filing process does, even on SIGKILL (archive.lifeline).
    Not through PR_SET_PDEATHSIG: that follows the thread that started the worker, here a
    flusher thread that ends between batches."""
    from samverkan.archive import lifeline

    lifeline.watch_owner(owner)


def worthwhile() -> bool:
    """Whether a second core is there to index on (on one, a process only adds start-up)."""
    return (os.cpu_count() or 1) >= 2


class BatchProcess:
    """One worker process, started on the first batch and ended by `close`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.batches = 0  # written by the worker (for tests and benches)

    def index(self, settings: Home, agreement_ids: list[str]) -> None:
        """Index one batch in the worker and wait for it (raises what the worker raised)."""
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker, initargs=(os.getpid(),))
            pool = self._pool
        try:
            pool.submit(index_batch, settings, list(agreement_ids)).result()
            self.batches += 1
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
