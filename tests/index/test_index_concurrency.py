"""Searches stay correct while the single writer commits and merges, in threads and processes.

The web service files uploads in two worker threads and the inbox watcher in a third, each
filing re-indexing its agreement, while request threads search; a CLI process may file at
the same time. Whoosh's refresh() shared segment readers between the old and the new
searcher and closing the old one broke the new one (ReaderClosed, AssertionError in
whoosh/matching/binary.py); a searcher must also never be read by two threads at once.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh.reading import ReaderClosed

from samverkan import opening
from samverkan.archive.home import Home
from samverkan.archive.records import VersionRecord
from samverkan.index import archive_link, archive_plugin, consistency, engine, readers, store
from samverkan.index.indexer import Indexer
from samverkan.index.search import Filters, forget, search
from samverkan.index.similar import similar
from tests.index.conftest import FakeArchive, Records, make_record

FILINGS_PER_WRITER = 4
SUBPROCESS_FILINGS = 4
MAX_SECONDS = 15.0

QUERIES = (
    ("trygghet", Filters(municipalities=("Mark",))),
    ('"förbinder sig att"', Filters()),
    ("brott*", Filters(year=2023)),
    ("trygghet NEAR/5 skola", Filters()),
    ("kvarterspromenader", Filters(all_versions=True)),
    ('"våld i nära relationer" OR narkotika', Filters(county="Skåne")),
    ("", Filters(municipalities=("Trelleborg", "Mora"))),
)


def _revision(archive: FakeArchive, agreement_id: str, number: int, tag: str):  # noqa: ANN202
    old = archive.records[agreement_id][-1]
    return replace(old, version=old.version + 1, is_latest=True,
                   sha256=f"{tag}{number:04d}".ljust(64, "0"),
                   pages=(*old.pages, f"Tillägg {number}: kvarterspromenader i {tag}."))


def _other_process(home: str, rounds: int) -> None:
    settings = Home(home=Path(home))
    for number in range(rounds):
        record = make_record("SV-PROC-0001", 1, None, (
            f"Omgång {number}: en annan process skriver om kvarterspromenader.",))
        Indexer(settings).replace_agreement("SV-PROC-0001", [record])


def test_searches_while_filings_commit_and_merge(indexed: Home, index_records: Records,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # No gathering window: every filing commits as soon as the writer is free, as many
    # commits (and merges) as possible while the searches run.
    monkeypatch.setattr(archive_plugin, "WINDOW_SECONDS", 0.0)
    archive = FakeArchive(index_records)
    archive.settings = indexed
    opening.follow(archive)
    ids = archive.agreement_ids()
    errors: list[str] = []
    searches = [0]
    writers_done = threading.Event()

    def writer(offset: int) -> None:
        try:
            for number in range(FILINGS_PER_WRITER):
                agreement_id = ids[(2 * number + offset) % len(ids)]
                archive.file(_revision(archive, agreement_id, number, f"T{offset}"))
        except Exception:
            errors.append(traceback.format_exc())

    def reader(offset: int) -> None:
        deadline = time.monotonic() + MAX_SECONDS
        turn = offset
        while not writers_done.is_set() and time.monotonic() < deadline:
            query, filters = QUERIES[turn % len(QUERIES)]
            try:
                if turn % 5 == 4:
                    similar(indexed, "Genomföra en årlig trygghetsmätning", limit=3)
                else:
                    search(indexed, query, filters, limit=5, collapse=turn % 2 == 0)
                searches[0] += 1
            except Exception:
                errors.append(traceback.format_exc())
            turn += 1

    process = multiprocessing.get_context("fork").Process(
        target=_other_process, args=(str(indexed.home), SUBPROCESS_FILINGS))
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    threads += [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    process.start()
    for thread in threads:
        thread.start()
    for thread in threads[:2]:
        thread.join(MAX_SECONDS * 4)
    process.join(MAX_SECONDS * 4)
    archive.close()  # the last batch
    writers_done.set()
    for thread in threads[2:]:
        thread.join(MAX_SECONDS * 2)

    assert errors == [], errors[0]
    assert process.exitcode == 0
    assert searches[0] > 20
    # What the other process wrote last is what its archive would hold.
    archive.records["SV-PROC-0001"] = [make_record("SV-PROC-0001", 1, None, (
        f"Omgång {SUBPROCESS_FILINGS - 1}: en annan process skriver om kvarterspromenader.",))]
    assert consistency.check(indexed, archive) == []
    # Every writer's last revision is searchable, and only the latest version by default.
    found = search(indexed, "kvarterspromenader", Filters(), limit=50)
    assert {h.agreement_id for h in found.hits} >= {
        ids[(2 * (FILINGS_PER_WRITER - 1) + k) % len(ids)] for k in range(2)}
    assert all(h.is_latest for h in found.hits)


def test_an_old_snapshot_stays_readable_until_released(indexed: Home,
                                                       index_records: Records) -> None:
    archive = FakeArchive(index_records)
    lease = readers.acquire(indexed)
    old = lease.snapshot
    before = old.postings("exact", "trygghetsvandringar")[0].copy()
    for number in range(6):  # enough commits for Whoosh to merge and delete old segments
        agreement_id = archive.agreement_ids()[number % 3]
        archive.file(_revision(archive, agreement_id, number, "S"))
        archive_link.update(indexed, archive, agreement_id)
    with readers.acquire(indexed) as fresh:
        assert fresh is not old
        assert len(fresh.postings("exact", "tillägg")[0]) >= 6
    # The old snapshot is still whole: uncached postings, stored fields and positions.
    assert len(old.postings("exact", "tillägg")[0]) == 0
    assert len(old.postings("exact", "nattvandringar")[0]) >= 1
    assert old.stored(int(before[0]))["pid"]
    assert len(engine.evaluate(old, _phrase("våld i nära relationer"))[0]) >= 1
    lease.release()
    with pytest.raises(ReaderClosed):
        old.reader.doc_count_all()  # closed once the last search let go of it


def _phrase(text: str):  # noqa: ANN202
    from samverkan.index.query import parse

    return parse(f'"{text}"')


def test_a_read_error_is_retried_on_a_reopened_index(indexed: Home,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    expected = search(indexed, "trygghetsvandringar", limit=5).total
    generation = store.current_generation(indexed)
    failures = [0]
    original = engine.Snapshot.postings

    def flaky(self: engine.Snapshot, field: str, text: str):  # noqa: ANN202
        if failures[0] == 0:
            failures[0] += 1
            raise ReaderClosed("segment closed under the search")
        return original(self, field, text)

    forget(indexed)
    monkeypatch.setattr(engine.Snapshot, "postings", flaky)
    assert search(indexed, "trygghetsvandringar", limit=5).total == expected
    assert failures[0] == 1
    assert store.current_generation(indexed) == generation  # reopened, not rebuilt


class PausingArchive(FakeArchive):
    """Reading versions can be held up (the real archive reads them from disk)."""

    def __init__(self, records: Records):
        super().__init__(records)
        self.pause_in: str | None = None  # the thread whose next read waits
        self.has_read = threading.Event()
        self.go_on = threading.Event()

    def version_records(self, agreement_id: str) -> list[VersionRecord]:
        found = super().version_records(agreement_id)
        if threading.current_thread().name == self.pause_in:
            self.pause_in = None
            self.has_read.set()
            self.go_on.wait(30)
        return found


def test_two_filings_of_one_agreement_are_indexed_in_order(indexed: Home,
                                                           index_records: Records) -> None:
    """Filing A reads the agreement's versions, filing B adds one and indexes; A's older view
    must not overwrite B's (the records are read under the writer lock)."""
    archive = PausingArchive(index_records)
    agreement_id = archive.agreement_ids()[0]

    def file_and_index(number: int) -> None:
        record = _revision(archive, agreement_id, number, "R")
        archive.records[agreement_id] = [*(replace(r, is_latest=False)
                                           for r in archive.records[agreement_id]), record]
        archive_link.update(indexed, archive, agreement_id)

    archive.pause_in = "filing-a"
    first = threading.Thread(target=file_and_index, args=(1,), name="filing-a")
    first.start()
    assert archive.has_read.wait(30)
    second = threading.Thread(target=file_and_index, args=(2,), name="filing-b")
    second.start()
    second.join(0.5)  # without the lock B finishes here, before A writes its older view
    archive.go_on.set()
    first.join(60)
    second.join(60)
    assert consistency.check(indexed, archive) == []
    assert [v for v, _, _ in sorted(archive_link.indexed_versions(indexed)[agreement_id])][-1] \
        == archive.version_records(agreement_id)[-1].version


def test_a_commit_is_seen_although_the_folder_listing_is_remembered(
        indexed: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search lists the generation folder's commits only when its mtime moved; a commit
    (here from a second writer, as from another process) moves it, and the next search
    opens the new commit."""
    monkeypatch.setattr(store, "SETTLED_NS", -1)  # remember every listing at once
    assert search(indexed, "zebrakorsning").total == 0
    with readers.acquire(indexed) as first:
        pass
    assert search(indexed, "trygghet").total  # the same snapshot, from the remembered listing
    with readers.acquire(indexed) as again:
        assert again is first
    record = make_record("SV-ZZZZ-0001", 1, None, ("Kommunen bygger en zebrakorsning.",))
    Indexer(indexed).replace_agreements([("SV-ZZZZ-0001", [record])])
    assert search(indexed, "zebrakorsning").total == 1
