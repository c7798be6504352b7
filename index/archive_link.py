"""The index's link to the archive: rebuild from it, follow its filings, repair drift.

The index never reads archive files itself; it asks an Archive (archive.store) for
VersionRecords. Anything with `agreement_ids()` and `version_records(id)` will do, which keeps
this testable without a real archive.

Every command and service that changes the archive registers the index on it
(index.archive_plugin): each filing, correction, quarantine retry or finished OCR then
re-indexes its agreement, at once or in one commit with the rest of its batch (update_many).
Opening the archive for changes also rebuilds an unusable index and catches up with versions
filed while nothing followed it (a process killed between filing and indexing, or before its
batch was indexed), by comparing the index's manifest with the archive's list of versions -
cheap, it reads no texts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from samverkan.archive.home import Home
from samverkan.archive.records import VersionRecord
from samverkan.archive.versions import StoredVersion, latest_number
from samverkan.index import store
from samverkan.index.indexer import Indexer, Progress, RebuildReport

if TYPE_CHECKING:
    from samverkan.archive.store import Archive

log = logging.getLogger(__name__)

VersionKey = tuple[int, str, bool]  # (version, sha256, is latest)


class ArchiveLike(Protocol):
    def agreement_ids(self) -> list[str]: ...

    def version_records(self, agreement_id: str) -> list[VersionRecord]: ...

    def stored_versions(self) -> dict[str, list[StoredVersion]]: ...


def open_archive(settings: Home) -> Archive:
    """The archive, for a search that finds the index unusable and rebuilds it by itself."""
    from samverkan.archive.store import Archive

    return Archive(settings)


def records_of(archive: ArchiveLike, ids: list[str] | None = None
               ) -> Iterator[tuple[str, list[VersionRecord]]]:
    for agreement_id in ids if ids is not None else archive.agreement_ids():
        yield agreement_id, list(archive.version_records(agreement_id))


def archived_versions(archive: ArchiveLike) -> dict[str, set[VersionKey]]:
    """(version, sha256, latest) of every archived version, per agreement (no texts read)."""
    found: dict[str, set[VersionKey]] = {}
    for agreement_id, stored in archive.stored_versions().items():
        latest = latest_number(stored)
        found[agreement_id] = {(version, sha256, version == latest) for version, sha256 in stored}
    return found


def indexed_versions(settings: Home) -> dict[str, set[VersionKey]]:
    """The index's manifest in the same shape as archived_versions."""
    found: dict[str, set[VersionKey]] = {}
    for (agreement_id, version), (sha256, latest) in Indexer(settings).indexed_versions().items():
        found.setdefault(agreement_id, set()).add((version, sha256, latest))
    return found


def rebuild(settings: Home, archive: ArchiveLike | None = None,
            progress: Progress | None = None) -> RebuildReport:
    """Rebuild the whole index from the archive (a fresh generation, switched atomically)."""
    archive = archive if archive is not None else open_archive(settings)
    with store.writer_lock(settings):
        ids = list(archive.agreement_ids())
        return Indexer(settings).rebuild(records_of(archive, ids), progress=progress,
                                         total=len(ids))


def rebuild_if_unusable(settings: Home, archive: ArchiveLike | None = None,
                        deep: bool = False) -> bool:
    """Rebuild when the index is missing or damaged; True if it is usable afterwards."""
    problem = store.probe(settings, deep=deep)
    if problem is None:
        return True
    with store.writer_lock(settings):
        problem = store.probe(settings, deep=deep)  # another thread may have rebuilt it
        if problem is None:
            return True
        log.warning("search index unusable, rebuilding from the archive: %s", problem)
        try:
            rebuild(settings, archive)
        except Exception:
            log.exception("could not rebuild the search index")
            return False
    return store.probe(settings) is None


def update(settings: Home, archive: ArchiveLike, agreement_id: str) -> None:
    """Bring one agreement up to date after a filing; rebuild all if the index is unusable."""
    update_many(settings, archive, [agreement_id])


def update_many(settings: Home, archive: ArchiveLike, agreement_ids: Iterable[str]) -> None:
    """Bring these agreements up to date in one commit (a batch of filings); rebuild all if
    the index is unusable.

    The records are read under the writer lock: two filings of one agreement in different
    threads then cannot write their views of it in the wrong order.
    """
    ids = list(dict.fromkeys(agreement_ids))
    if not ids:
        return
    indexer = Indexer(settings)
    with store.writer_lock(settings, indexer.lock_timeout):
        if store.probe(settings) is not None:
            rebuild(settings, archive)
            return
        indexer.replace_agreements(records_of(archive, ids))


def catch_up(settings: Home, archive: ArchiveLike) -> list[str]:
    """Re-index the agreements whose versions differ between the archive and the index's
    manifest (after filings nobody indexed); returns their ids."""
    with store.writer_lock(settings):
        indexed = indexed_versions(settings)
        archived = archived_versions(archive)
        changed = sorted(aid for aid in archived.keys() | indexed.keys()
                         if archived.get(aid, set()) != indexed.get(aid, set()))
        if changed:
            Indexer(settings).replace_agreements(records_of(archive, changed))
    if changed:
        log.warning("search index caught up with the archive: %s", ", ".join(changed))
    return changed


def repair(settings: Home, archive: ArchiveLike) -> list[str]:
    """Re-index only the agreements whose versions differ between archive and index."""
    if store.probe(settings, deep=True) is not None:
        rebuild(settings, archive)
        return list(archive.agreement_ids())
    return catch_up(settings, archive)
