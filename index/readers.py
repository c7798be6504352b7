"""Read snapshots of the index that stay valid while the single writer commits and merges.

One Snapshot (index.engine) per HOME is shared by every thread of the process: it holds a
Whoosh searcher opened on one commit of the index, the postings and columns read from it,
and a lock around every Whoosh call. Each search takes the current snapshot with
`acquire()`; when a commit (an upload, the watcher, another process) or a rebuild made it
old, a new searcher is opened from scratch and becomes current. The old one is closed only
when the last search using it has finished, and never shares a reader with its successor:
Whoosh's `refresh()` hands segment readers to the new searcher, and closing the old searcher
then closed them under the new one's feet (the ReaderClosed and AssertionError failures in
the web service).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from samverkan.archive.home import Home
from samverkan.index import store
from samverkan.index.engine import Snapshot

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Entry:
    folder: Path
    ix: Any  # whoosh Index, to ask for its latest generation
    generation: int
    snapshot: Snapshot
    users: int = 0
    retired: bool = False
    # The generation folder's (inode, mtime) when its commits were last listed, and the
    # latest commit then: a commit adds a file, which changes the folder's mtime.
    listed: tuple[tuple[int, int], int] | None = None


# Snapshots kept open per process, one per HOME (the service has one; tests make many).
MAX_HOMES = 8

_lock = threading.Lock()
_current: OrderedDict[str, _Entry] = OrderedDict()
_opening: dict[str, threading.Lock] = {}


def _key(settings: Home) -> str:
    return str(settings.index)


def _fresh(entry: _Entry | None, folder: Path | None) -> TypeGuard[_Entry]:
    """Whether `entry` still shows the current commit of the current generation."""
    if entry is None or entry.retired or folder is None or entry.folder != folder:
        return False
    try:
        return _latest_commit(entry) == entry.generation
    except OSError:  # the generation folder went away (a rebuild switched generations)
        return False


def _latest_commit(entry: _Entry) -> int:
    """Whoosh's latest generation in the entry's folder; the folder is listed again only
    when its mtime moved (a stat instead of a listing on every search)."""
    status = os.stat(entry.folder)
    key = (status.st_ino, status.st_mtime_ns)
    if entry.listed is not None and entry.listed[0] == key:
        return entry.listed[1]
    latest: int = entry.ix.latest_generation()
    if time.time_ns() - status.st_mtime_ns > store.SETTLED_NS:
        entry.listed = (key, latest)
    return latest


def _close(entry: _Entry) -> None:
    try:
        entry.snapshot.close()
    except Exception:  # closing a reader of deleted files may fail; nothing is lost
        log.debug("closing an old index snapshot failed", exc_info=True)


def _open(settings: Home) -> _Entry:
    """A new entry on the latest commit (IndexUnavailable when it cannot be opened)."""
    ix = store.open_index(settings)
    # Read before opening: a commit in between then only causes one more reopen.
    latest = ix.latest_generation()
    searcher = ix.searcher()
    try:
        generation = searcher.reader().generation()
        if not isinstance(generation, int):  # an index without segments has no generation
            generation = latest
        snapshot = Snapshot(searcher)
    except BaseException:
        searcher.close()
        raise
    return _Entry(folder=Path(ix.storage.folder), ix=ix, generation=generation,
                  snapshot=snapshot)


def _take(settings: Home) -> _Entry:
    key = _key(settings)
    folder = store.current_generation(settings)
    with _lock:
        entry = _current.get(key)
        if _fresh(entry, folder):
            entry.users += 1
            _current.move_to_end(key)
            return entry
        opening = _opening.setdefault(key, threading.Lock())
    # One thread opens the new searcher; the others wait for it instead of opening their own.
    with opening:
        folder = store.current_generation(settings)
        with _lock:
            entry = _current.get(key)
            if _fresh(entry, folder):
                entry.users += 1
                return entry
        fresh = _open(settings)
        with _lock:
            old = _current.pop(key, None)
            _current[key] = fresh
            fresh.users += 1
            if old is not None:
                _retire(old)
            while len(_current) > MAX_HOMES:
                _retire(_current.popitem(last=False)[1])
        return fresh


def _retire(entry: _Entry) -> None:
    """Mark an entry as superseded; close it now if no search uses it (call under _lock)."""
    entry.retired = True
    if entry.users == 0:
        _close(entry)


def _give_back(entry: _Entry) -> None:
    with _lock:
        entry.users -= 1
        if entry.retired and entry.users == 0:
            _close(entry)


class Lease:
    """The use of one snapshot by one search; `with acquire(settings) as snapshot: ...`."""

    def __init__(self, entry: _Entry):
        self._entry: _Entry | None = entry
        self.snapshot = entry.snapshot

    def __enter__(self) -> Snapshot:
        return self.snapshot

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def release(self) -> None:
        if self._entry is not None:
            _give_back(self._entry)
            self._entry = None


def acquire(settings: Home) -> Lease:
    """The current snapshot, kept open until released (IndexUnavailable if it cannot open)."""
    return Lease(_take(settings))


def discard(settings: Home, snapshot: Snapshot | None = None) -> None:
    """Stop using the current snapshot (or only `snapshot`, if it is still current): the next
    search opens the index again. For read errors and for an index replaced on disk."""
    with _lock:
        entry = _current.get(_key(settings))
        if entry is None or (snapshot is not None and entry.snapshot is not snapshot):
            return
        del _current[_key(settings)]
        _retire(entry)
