"""The search index as a follower of the archive (archive.plugins): it re-indexes each
changed agreement, catches up when the archive is opened for changes, and reports drift to
fsck. The shell registers it on the archives it opens (samverkan.opening).

Indexing follows filing in batches. A change after a quiet moment (nothing indexed by this
follower in the last `window` seconds, no batch being written) is indexed at once, in the
thread that filed it, so a single filing is searchable when `file` returns. Changes that
come faster wait, in order, for a flusher thread that indexes all of them in one commit a
window after the last write ended: one Whoosh commit per batch, at most about one a second,
instead of one per file. Closing the archive (Archive.close) indexes whatever still waits.
Nothing waiting is lost if the process dies first: the archive's audit log has the filings,
and the next opening catches the index up with them (archive_link.catch_up).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from samverkan.archive.plugins import hookimpl
from samverkan.index import archive_link, consistency
from samverkan.index.background import BatchProcess, worthwhile

if TYPE_CHECKING:
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)

WINDOW_SECONDS = 1.0


class IndexFollower:
    """Keeps HOME/index in step with the archive it is registered on.

    With `catch_up=False` it follows new changes only and leaves repairing to `reindex`
    (fsck reports drift instead of hiding it). `window` is how long changes that come in a
    burst gather before they are indexed together.
    """

    name = "sökindexet"

    def __init__(self, *, catch_up: bool = True, window: float | None = None,
                 batches_in_process: bool = False) -> None:
        self.catch_up = catch_up
        self.window = WINDOW_SECONDS if window is None else window
        # Batches written by a worker process (index.background), for long filing runs
        # on a machine with a core to spare; a lone change is still indexed in place.
        self._process = BatchProcess() if batches_in_process and worthwhile() else None
        self._state = threading.Condition()
        self._pending: dict[str, None] = {}  # ids waiting for the next batch, in order
        self._archive: Archive | None = None  # whose changes wait
        self._writing = 0  # agreements being indexed now (0: nothing is)
        self._last_indexed = float("-inf")  # when this follower last finished indexing
        self._flusher: threading.Thread | None = None

    @hookimpl
    def archive_opened(self, archive: Archive) -> None:
        if not self.catch_up:
            return
        if archive_link.rebuild_if_unusable(archive.settings, archive):
            archive_link.catch_up(archive.settings, archive)

    @hookimpl
    def archive_changed(self, archive: Archive, agreement_id: str) -> None:
        with self._state:
            quiet = (not self._writing and not self._pending
                     and time.monotonic() - self._last_indexed >= self.window)
            if not quiet:
                self._wait_for_batch(archive, agreement_id)
                return
            self._writing = 1
        try:
            archive_link.update(archive.settings, archive, agreement_id)
        finally:
            self._done_writing()

    @hookimpl
    def archive_closing(self, archive: Archive) -> None:
        """Index everything still waiting now, after any batch being written."""
        with self._state:
            while self._writing:
                self._state.wait()
            ids = self._take_batch()
        if ids:
            self._write(archive, ids)
        if self._process is not None:
            self._process.close()

    @hookimpl
    def fsck_problems(self, archive: Archive) -> list[str]:
        return consistency.check(archive.settings, archive)

    def pending(self) -> int:
        """How far behind the archive the index is: agreements changed in this process
        that are waiting for, or being written in, a batch."""
        with self._state:
            return len(self._pending) + self._writing

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until nothing changed in this process waits for the index (a flusher writes
        it); False if `timeout` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state:
            while self._pending or self._writing:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._state.wait(left)
        return True

    # -- batches ---------------------------------------------------------------------------

    def _wait_for_batch(self, archive: Archive, agreement_id: str) -> None:
        """Queue one change (the state lock is held) and make sure a flusher will write it."""
        self._pending[agreement_id] = None
        self._archive = archive
        if self._flusher is None or not self._flusher.is_alive():
            self._flusher = threading.Thread(target=self._flush_loop, daemon=True,
                                             name="samverkan-index-batches")
            self._flusher.start()

    def _take_batch(self) -> list[str]:
        """The waiting ids, now marked as being written (the state lock is held)."""
        ids = list(self._pending)
        self._pending.clear()
        self._writing = len(ids)
        return ids

    def _done_writing(self) -> None:
        with self._state:
            self._writing = 0
            self._last_indexed = time.monotonic()
            self._state.notify_all()

    def _write(self, archive: Archive, ids: list[str]) -> None:
        try:
            if self._process is not None:
                self._process.index(archive.settings, ids)
            else:
                archive_link.update_many(archive.settings, archive, ids)
        except Exception:
            # The filings are in the audit log; the next opening indexes them (catch_up).
            log.exception("could not index %d changed agreements (%s); the index catches up "
                          "when the archive is next opened", len(ids), ", ".join(ids))
        finally:
            self._done_writing()

    def _flush_loop(self) -> None:
        """The flusher thread: a window after the last write ended, index all that wait;
        ends when nothing waits."""
        while True:
            with self._state:
                while True:
                    if not self._pending:
                        self._flusher = None
                        return
                    delay = self._last_indexed + self.window - time.monotonic()
                    if delay <= 0 and not self._writing:
                        break
                    self._state.wait(delay if delay > 0 else None)
                archive = self._archive
                ids = self._take_batch()
            if archive is not None:
                self._write(archive, ids)
