"""Where the index lives on disk, how it is opened, checked and replaced, and the writer lock.

HOME/index/CURRENT names the generation folder in use (HOME/index/gen-000007). A rebuild
writes a new generation beside the old one and switches CURRENT with an atomic rename, so a
crash mid-rebuild leaves the previous index in place and searches never see a half-built one.
Within a generation Whoosh itself commits atomically (new segments, then a new TOC file).
Writers take one lock per HOME (archive.locking: a thread lock inside the process and a file
lock on HOME/run/index.lock between processes), so the service and the CLI never write at once.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from samverkan.archive.home import Home
from samverkan.archive.locking import LockBusy, ReentrantFileLock
from samverkan.index.errors import IndexBusy, IndexUnavailable
from samverkan.index.schema import DOC_VERSION, SCHEMA_VERSION, build_schema

POINTER = "CURRENT"
_PREFIX = "gen-"


def _pointer(settings: Home) -> Path:
    return settings.index / POINTER


# CURRENT as last read, per pointer file: its identity (inode, times, size) and what it named.
# Every search asks; publish() replaces the file by a rename, so a new pointer is a new file.
# A file or folder changed within the last few seconds may change again within the same tick
# of the file system's clock, unseen in its times, so what was read of it is not remembered
# (the rule git applies to its index). Three seconds cover file systems that keep times in
# 2-second steps (FAT, some SMB mounts). Here for CURRENT, in index.readers for a generation
# folder.
SETTLED_NS = 3_000_000_000
_read_pointers: dict[str, tuple[tuple[int, ...], Path | None]] = {}


def current_generation(settings: Home) -> Path | None:
    """The generation folder CURRENT names, or None when there is no index."""
    pointer = _pointer(settings)
    try:
        status = os.stat(pointer)
    except OSError:
        return None
    identity = (status.st_ino, status.st_mtime_ns, status.st_ctime_ns, status.st_size)
    known = _read_pointers.get(str(pointer))
    if known is not None and known[0] == identity:
        return known[1]
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("generation") if isinstance(data, dict) else None
    found = settings.index / name if isinstance(name, str) and name.startswith(_PREFIX) \
        and "/" not in name else None
    if time.time_ns() - status.st_ctime_ns > SETTLED_NS:  # no change hides in its tick
        if len(_read_pointers) >= 64:
            _read_pointers.clear()
        _read_pointers[str(pointer)] = (identity, found)
    return found


def exists(settings: Home) -> bool:
    """Whether an index was ever built here (it may still be damaged)."""
    return _pointer(settings).exists()


def _pointer_schema(settings: Home) -> int | None:
    try:
        return int(json.loads(_pointer(settings).read_text(encoding="utf-8")).get("schema"))
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def open_index(settings: Home) -> Index:
    """The current index; IndexUnavailable (Swedish reason) when missing, corrupt or outdated."""
    folder = current_generation(settings)
    if folder is None:
        if _pointer(settings).exists():
            raise IndexUnavailable(f"Sökindexet i {settings.index} är skadat: {POINTER} går "
                                   "inte att läsa. Kör `samverkan reindex`.")
        raise IndexUnavailable(f"Sökindexet saknas i {settings.index}. Kör `samverkan reindex`.")
    if _pointer_schema(settings) != SCHEMA_VERSION:
        raise IndexUnavailable("Sökindexet har ett äldre format och måste byggas om "
                               "(`samverkan reindex`).")
    try:
        # Without mmap: a mapped compound segment kept every page a search touched in the
        # process (and Whoosh copied parts of it besides): 446 MB RSS at 2,000 agreements
        # after a few searches, against 100 MB reading the files, at the same speed.
        return FileStorage(str(folder), supports_mmap=False).open_index()
    except Exception as error:  # whoosh raises many kinds on damaged files
        raise IndexUnavailable(f"Sökindexet i {folder} går inte att öppna ({_describe(error)}). "
                               "Kör `samverkan reindex`.") from error


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def probe(settings: Home, deep: bool = False) -> str | None:
    """None when the index opens and reads; otherwise a Swedish description of the problem.

    `deep` also reads every manifest document and walks each field's term list once, which
    finds truncated or missing segment files that merely opening would not notice. Without
    it the check is cheap enough to run before every update (it reads one manifest entry).
    """
    try:
        ix = open_index(settings)
    except IndexUnavailable as error:
        return str(error)
    try:
        with ix.searcher() as searcher:
            searcher.doc_count_all()
            reader = searcher.reader()
            for _ in searcher.documents(doctype=DOC_VERSION):
                if not deep:
                    break
            if deep:
                for fieldname in ("exact", "lemma", "parts", "pairs", "agreement_id"):
                    for _ in reader.lexicon(fieldname):
                        pass
                for docnum in range(reader.doc_count_all()):
                    if not reader.is_deleted(docnum):
                        reader.stored_fields(docnum)
    except Exception as error:
        return (f"Sökindexet i {settings.index} är skadat ({_describe(error)}). "
                "Kör `samverkan reindex`.")
    return None


def new_generation(settings: Home) -> Index:
    """An empty index in a fresh generation folder (not yet current)."""
    settings.index.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[len(_PREFIX):]) for p in settings.index.glob(f"{_PREFIX}*")
               if p.name[len(_PREFIX):].isdigit()]
    folder = settings.index / f"{_PREFIX}{max(numbers, default=0) + 1:06d}"
    folder.mkdir()
    return whoosh_index.create_in(str(folder), build_schema())


def publish(settings: Home, ix: Index) -> None:
    """Make `ix` the current index (atomic rename) and delete older generations."""
    folder = Path(ix.storage.folder)
    pointer = _pointer(settings)
    temporary = pointer.with_suffix(".tmp")
    temporary.write_text(json.dumps({"generation": folder.name, "schema": SCHEMA_VERSION}),
                         encoding="utf-8")
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)
    directory = os.open(settings.index, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    for other in settings.index.glob(f"{_PREFIX}*"):
        if other.name != folder.name:
            shutil.rmtree(other, ignore_errors=True)


@contextmanager
def writer_lock(settings: Home, timeout: float | None = 600.0) -> Iterator[None]:
    """Exclusive right to write the index of this HOME, across threads and processes.

    Re-entrant within a thread, so that reading the archive and writing its records can
    happen under one hold (no other writer can slip an older state in between).
    """
    lock = ReentrantFileLock.shared(settings.runtime / "index.lock")
    try:
        lock.acquire(timeout)
    except LockBusy as busy:
        if busy.other_process:
            raise IndexBusy("Sökindexet uppdateras av ett annat program (till exempel "
                            "`samverkan reindex`); försök igen om en stund.") from None
        raise IndexBusy("Sökindexet uppdateras redan av en annan del av tjänsten; "
                        "försök igen.") from None
    try:
        yield
    finally:
        lock.release()
