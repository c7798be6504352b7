"""Keep the passage index in step with the archive: per agreement, or rebuilt from scratch.

The archive is the truth; the index is derived from its VersionRecords and can always be
rebuilt. Each update replaces all documents of its agreements (every version and the
manifest entries) in a single Whoosh commit under the writer lock, so a crash leaves either
the old or the new state of them, never a mixture. The commit writes one segment with the
bulk writer (index.bulk) and merges small segments into it by tiers (bulk.merge_tiers). A
rebuild writes a fresh generation with the bulk writer, in worker processes when the archive
is large (index.parallel), and switches to it only when it is complete.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass

from whoosh.index import Index
from whoosh.writing import IndexWriter

from samverkan.archive.home import Home
from samverkan.archive.records import VersionRecord
from samverkan.archive.versions import latest_number
from samverkan.index import parallel, store
from samverkan.index.bulk import BulkWriter, merge_tiers
from samverkan.index.errors import IndexUnavailable
from samverkan.index.passages import passages, version_meta
from samverkan.index.schema import DOC_VERSION, passage_document, version_document

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
# Postings a rebuild holds in memory before it writes a segment (~60 bytes each).
SEGMENT_POSTINGS = 6_000_000
RecordSource = Iterable[tuple[str, Sequence[VersionRecord]]]


@dataclass(frozen=True)
class RebuildReport:
    agreements: int
    versions: int
    passages: int
    seconds: float


def write_agreement(writer: IndexWriter, records: Sequence[VersionRecord]) -> int:
    """Every version of one agreement: its manifest entry and its passages."""
    latest = latest_number(records)  # the version searched by default
    written = 0
    for record in sorted(records, key=lambda r: r.version):
        is_latest = record.version == latest
        writer.add_document(**version_document(version_meta(record, is_latest)))
        for passage in passages(record, is_latest):
            writer.add_document(**passage_document(passage))
            written += 1
    return written


def check_ids(agreement_id: str, records: Sequence[VersionRecord]) -> None:
    strangers = {r.agreement_id for r in records} - {agreement_id}
    if strangers:
        raise ValueError(f"versioner av {', '.join(sorted(strangers))} kan inte indexeras som "
                         f"{agreement_id}")


def _build_here(ix: Index, writer: BulkWriter, records_by_agreement: RecordSource,
                progress: Progress | None, total: int | None) -> parallel.Built:
    """A rebuild in this process (small archives): segments of at most SEGMENT_POSTINGS."""
    agreements = versions = written = 0
    try:
        for agreement_id, records in records_by_agreement:
            check_ids(agreement_id, records)
            written += write_agreement(writer, records)
            agreements += 1
            versions += len(records)
            if writer.postings >= SEGMENT_POSTINGS:
                # Bound the memory of a huge rebuild: close this segment, start another.
                writer.commit()
                writer = BulkWriter(ix)
            if progress:
                progress(agreements, total)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    writer.commit()
    return parallel.Built(agreements, versions, written)


class Indexer:
    """The single writer of HOME/index.

    `processes` fixes how many worker processes a rebuild uses (None: by size and cores).
    """

    def __init__(self, settings: Home, lock_timeout: float | None = 600.0,
                 processes: int | None = None):
        self.settings = settings
        self.lock_timeout = lock_timeout
        self.processes = processes

    def _open_for_writing(self) -> Index:
        """The current index; a missing one is created empty, a damaged one is refused."""
        try:
            return store.open_index(self.settings)
        except IndexUnavailable:
            if store.exists(self.settings):
                raise
        ix = store.new_generation(self.settings)
        store.publish(self.settings, ix)
        return ix

    def replace_agreement(self, agreement_id: str, records: Sequence[VersionRecord]) -> int:
        """Index exactly these versions of one agreement (replacing what was there)."""
        return self.replace_agreements([(agreement_id, records)])

    def remove_agreement(self, agreement_id: str) -> None:
        self.replace_agreements([(agreement_id, [])])

    def replace_agreements(self, records_by_agreement: RecordSource) -> int:
        """Index exactly these versions of each agreement (none: remove it), in one commit:
        one new segment, with small segments merged into it by tiers (bulk.merge_tiers)."""
        written = 0
        with store.writer_lock(self.settings, self.lock_timeout):
            ix = self._open_for_writing()
            writer = BulkWriter(ix)
            try:
                for agreement_id, records in records_by_agreement:
                    check_ids(agreement_id, records)
                    writer.delete_by_term("agreement_id", agreement_id)
                    count = write_agreement(writer, records)
                    written += count
                    log.info("indexed %s: %d versions, %d passages", agreement_id,
                             len(records), count)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=merge_tiers)
        return written

    def rebuild(self, records_by_agreement: RecordSource, progress: Progress | None = None,
                total: int | None = None) -> RebuildReport:
        """Build a new generation from the given records and switch to it when complete."""
        started = time.perf_counter()
        if total is None and isinstance(records_by_agreement, Sized):
            total = len(records_by_agreement)
        with store.writer_lock(self.settings, self.lock_timeout):
            ix = store.new_generation(self.settings)
            writer = BulkWriter(ix)
            try:
                workers = parallel.worker_count(total) if self.processes is None \
                    else self.processes
                if workers > 1:
                    built = parallel.build(writer, records_by_agreement, workers,
                                           SEGMENT_POSTINGS, check_ids, progress, total)
                else:
                    built = _build_here(ix, writer, records_by_agreement, progress, total)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                ix.close()
                shutil.rmtree(ix.storage.folder, ignore_errors=True)
                raise
            store.publish(self.settings, ix)
        agreements, versions, written = built.agreements, built.versions, built.passages
        seconds = time.perf_counter() - started
        log.info("rebuilt index: %d agreements, %d versions, %d passages in %.1f s",
                 agreements, versions, written, seconds)
        return RebuildReport(agreements, versions, written, seconds)

    def indexed_versions(self) -> dict[tuple[str, int], tuple[str, bool]]:
        """The manifest: (agreement id, version) -> (sha256, is latest)."""
        ix = store.open_index(self.settings)
        with ix.searcher() as searcher:
            return {
                (doc["agreement_id"], int(doc["version"])): (doc["sha256"], doc["is_latest"] == "1")
                for doc in searcher.documents(doctype=DOC_VERSION)
            }
