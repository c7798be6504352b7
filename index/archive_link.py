"""The index's link to the archive: rebuild from it, follow its filings, repair drift.

The index never reads archive files itself; it asks an Archive (archive.store) for
VersionRecords. Anything with `agreement_ids()` and `version_records(id)` will do, which keeps
this testable without a real archive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from archive.records import VersionRecord
from index import store
from index.indexer import Indexer, Progress, RebuildReport
from samverkan.config import Settings

log = logging.getLogger(__name__)


class ArchiveLike(Protocol):
    def agreement_ids(self) -> list[str]: ...

    def version_records(self, agreement_id: str) -> list[VersionRecord]: ...


def open_archive(settings: Settings) -> Any:
    from archive import Archive

    return Archive(settings)


def records_of(archive: ArchiveLike, ids: list[str] | None = None
               ) -> Iterator[tuple[str, list[VersionRecord]]]:
    for agreement_id in ids if ids is not None else archive.agreement_ids():
        yield agreement_id, list(archive.version_records(agreement_id))


def rebuild(settings: Settings, archive: ArchiveLike | None = None,
            progress: Progress | None = None) -> RebuildReport:
    """Rebuild the whole index from the archive (a fresh generation, switched atomically)."""
    archive = archive if archive is not None else open_archive(settings)
    ids = list(archive.agreement_ids())
    return Indexer(settings).rebuild(records_of(archive, ids), progress=progress, total=len(ids))


def rebuild_if_unusable(settings: Settings, archive: ArchiveLike | None = None,
                        deep: bool = False) -> bool:
    """Rebuild when the index is missing or damaged; True if it is usable afterwards."""
    problem = store.probe(settings, deep=deep)
    if problem is None:
        return True
    log.warning("search index unusable, rebuilding from the archive: %s", problem)
    try:
        rebuild(settings, archive)
    except Exception:
        log.exception("could not rebuild the search index")
        return False
    return store.probe(settings) is None


def update(settings: Settings, archive: ArchiveLike, agreement_id: str) -> None:
    """Bring one agreement up to date after a filing; rebuild all if the index is unusable."""
    if store.probe(settings) is not None:
        rebuild(settings, archive)
        return
    records = list(archive.version_records(agreement_id))
    indexer = Indexer(settings)
    if records:
        indexer.replace_agreement(agreement_id, records)
    else:
        indexer.remove_agreement(agreement_id)


def attach(settings: Settings, archive: Any) -> Callable[[str], None]:
    """Subscribe the index to one Archive's filings (and repair it now if it is unusable)."""

    def on_filed(agreement_id: str) -> None:
        update(settings, archive, agreement_id)

    archive.subscribe(on_filed)
    rebuild_if_unusable(settings, archive)
    return on_filed


def repair(settings: Settings, archive: ArchiveLike) -> list[str]:
    """Re-index only the agreements whose versions differ between archive and index."""
    if store.probe(settings, deep=True) is not None:
        rebuild(settings, archive)
        return list(archive.agreement_ids())
    indexed = Indexer(settings).indexed_versions()
    by_agreement: dict[str, set[tuple[int, str, bool]]] = {}
    for (agreement_id, version), (sha256, latest) in indexed.items():
        by_agreement.setdefault(agreement_id, set()).add((version, sha256, latest))
    changed: list[str] = []
    archived = set()
    for agreement_id, records in records_of(archive):
        archived.add(agreement_id)
        want = {(r.version, r.sha256, r.is_latest) for r in records}
        if by_agreement.get(agreement_id, set()) != want:
            Indexer(settings).replace_agreement(agreement_id, records)
            changed.append(agreement_id)
    for agreement_id in set(by_agreement) - archived:
        Indexer(settings).remove_agreement(agreement_id)
        changed.append(agreement_id)
    return sorted(changed)
