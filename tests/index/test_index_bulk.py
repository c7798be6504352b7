"""Full rebuilds: the bulk writer writes what Whoosh's own writer writes, in one process or
several, in one segment or many, and a failed rebuild leaves the old index in place."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from samverkan.archive.home import Home
from samverkan.index import consistency, indexer, parallel, store
from samverkan.index.bulk import BulkWriter
from samverkan.index.indexer import Indexer, write_agreement
from samverkan.index.schema import build_schema
from samverkan.index.search import Filters, search
from tests.index.conftest import FakeArchive, Records

QUERIES = ('"förbinder sig att"', "trygghet", "brott", "trygghetsvandring", "kvarterspromenader",
           "trygghet NEAR/5 skola", "narko*", "langning~", "")


def _build(folder: Path, records: Records, bulk: bool) -> Any:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = BulkWriter(ix) if bulk else ix.writer(limitmb=8)
    for _, versions in records:
        write_agreement(writer, versions)
    writer.commit()
    return ix.reader()


def _postings(reader: Any, field: str, term: bytes) -> list[tuple[int, float, bytes]]:
    matcher = reader.postings(field, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


def _stats(info: Any) -> tuple[Any, ...]:
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
            info.max_weight(), info.min_id(), info.max_id())


def test_bulk_writer_writes_what_whoosh_writes(tmp_path: Path, index_records: Records) -> None:
    standard = _build(tmp_path / "standard", index_records, bulk=False)
    bulk = _build(tmp_path / "bulk", index_records, bulk=True)
    assert bulk.doc_count_all() == standard.doc_count_all() > 100
    for field in standard.indexed_field_names():
        terms = list(standard.lexicon(field))
        assert list(bulk.lexicon(field)) == terms, field
        for term in terms:
            assert _postings(bulk, field, term) == _postings(standard, field, term), (field, term)
            assert _stats(bulk.term_info(field, term)) == _stats(standard.term_info(field, term))
        assert bulk.field_length(field) == standard.field_length(field)
        for docnum in range(standard.doc_count_all()):
            assert bulk.doc_field_length(docnum, field) == \
                standard.doc_field_length(docnum, field), (field, docnum)
    for docnum in range(standard.doc_count_all()):
        assert bulk.stored_fields(docnum) == standard.stored_fields(docnum)


def _answers(settings: Home) -> list[tuple[int, list[str], dict[str, Any]]]:
    found = []
    for query in QUERIES:
        result = search(settings, query, Filters(all_versions=True), limit=200)
        facets = {k: [(v.value, v.count) for v in vs] for k, vs in result.facets.items()}
        found.append((result.total, sorted(h.pid for h in result.hits), facets))
    return found


def test_rebuilds_in_processes_and_segments_find_the_same(tmp_path: Path,
                                                          index_records: Records,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    archive = FakeArchive(index_records)
    one = Home(home=tmp_path / "one")
    Indexer(one, processes=1).rebuild(index_records)
    expected = _answers(one)
    assert expected[0][0] > 0

    two = Home(home=tmp_path / "two")
    report = Indexer(two, processes=2).rebuild(iter(index_records), total=len(index_records))
    assert report.agreements == len(index_records)
    assert _answers(two) == expected
    assert consistency.check(two, archive) == []

    monkeypatch.setattr(indexer, "SEGMENT_POSTINGS", 2_000)  # a segment every few agreements
    many = Home(home=tmp_path / "many")
    Indexer(many, processes=2).rebuild(index_records)
    with store.open_index(many).searcher() as searcher:
        assert len(list(searcher.reader().leaf_readers())) > 4
    assert _answers(many) == expected
    assert consistency.check(many, archive) == []


def test_failed_parallel_rebuild_keeps_the_old_index(tmp_path: Path,
                                                     index_records: Records) -> None:
    settings = Home(home=tmp_path / "home")
    Indexer(settings).rebuild(index_records)
    before = _answers(settings)
    generation = store.current_generation(settings)

    def broken():  # noqa: ANN202
        yield from index_records[:3]
        raise RuntimeError("arkivet försvann mitt i")

    with pytest.raises(RuntimeError, match="försvann"):
        Indexer(settings, processes=2).rebuild(broken(), total=len(index_records))
    assert store.current_generation(settings) == generation
    assert [p.name for p in settings.index.glob("gen-*")] == [generation.name]
    assert _answers(settings) == before
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("samverkan")]


def test_a_worker_that_fails_aborts_the_rebuild(tmp_path: Path, index_records: Records) -> None:
    settings = Home(home=tmp_path / "home")
    broken = replace(index_records[-1][1][0], pages=(None,))  # not text: analysis fails
    records = [*index_records[:-1], (index_records[-1][0], [broken])]
    with pytest.raises(RuntimeError, match="indexing worker failed"):
        Indexer(settings, processes=2).rebuild(records)
    assert not store.exists(settings)
    assert not list(settings.index.glob("gen-*"))


def test_worker_count_follows_size_and_cores() -> None:
    assert parallel.worker_count(None) == 1
    assert parallel.worker_count(parallel.MIN_AGREEMENTS - 1) == 1
    assert 1 <= parallel.worker_count(10_000) <= parallel.MAX_WORKERS
