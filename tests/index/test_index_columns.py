"""Per-segment columns: joined across commits they say what reading the whole index says,
deletions included, and a new process loads them from the cache instead of the segments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from samverkan.archive.home import Home
from samverkan.index import columns
from samverkan.index.columns import Columns, read_columns
from samverkan.index.indexer import Indexer
from samverkan.index.readers import acquire, discard
from tests.index.conftest import Records, make_record


def decoded(found: Columns, reader: Any) -> list[tuple[Any, ...]]:
    """Each live passage's values by name (codes differ between tables, values must not)."""
    names_offsets, names = found.municipality
    county_offsets, counties = found.county
    rows = []
    for doc in range(len(found.passage)):
        if not found.passage[doc] or reader.is_deleted(doc):
            continue
        rows.append((
            doc, found.agreement_ids[found.agreement[doc]], bool(found.latest[doc]),
            int(found.start[doc]), int(found.end[doc]), bool(found.known[doc]),
            found.parties[found.party[doc]], found.kinds[found.kind[doc]],
            [found.municipalities[c] for c in names[names_offsets[doc]:names_offsets[doc + 1]]],
            [found.counties[c] for c in counties[county_offsets[doc]:county_offsets[doc + 1]]]))
    return rows


@pytest.fixture()
def several_commits(indexed: Home, index_records: Records) -> Home:
    """The built index plus two more commits, one replacing an agreement (deletions)."""
    indexer = Indexer(indexed)
    agreement_id, records = index_records[-1]
    newer = make_record(agreement_id, len(records) + 1, records[-1].agreement,
                        records[-1].pages + ("Tillägg om trygghetsvandringar.",))
    old = [make_record(r.agreement_id, r.version, r.agreement, r.pages, latest=False,
                       label=r.label) for r in records]
    indexer.replace_agreement(agreement_id, [*old, newer])
    other_id, other = index_records[0]
    indexer.replace_agreement(other_id, list(other))
    discard(indexed)
    return indexed


def test_joined_segments_say_what_the_whole_index_says(several_commits: Home) -> None:
    with acquire(several_commits) as snapshot:
        reader = snapshot.reader
        assert len(reader.leaf_readers()) >= 2 and reader.has_deletions()
        whole = read_columns(reader)
        joined = snapshot.columns
        assert len(joined.passage) == reader.doc_count_all()
        assert decoded(joined, reader) == decoded(whole, reader)
        assert not joined.passage[[d for d in range(reader.doc_count_all())
                                   if reader.is_deleted(d)]].any()
        for field in ("body", "exact"):
            if field in reader.schema.scorable_names():
                lengths, _ = snapshot._field_lengths(field)
                expected = [reader.doc_field_length(d, field, 0)
                            for d in range(reader.doc_count_all())]
                assert np.array_equal(lengths, np.array(expected, np.float64), equal_nan=True)


def test_a_new_process_reads_the_cache_not_the_segments(several_commits: Home,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with acquire(several_commits) as snapshot:
        before = decoded(snapshot.columns, snapshot.reader)
    discard(several_commits)
    columns._memory.clear()  # as in a process just started

    def no_reading(_reader: Any) -> Columns:
        raise AssertionError("a segment's columns were read again although cached on disk")

    monkeypatch.setattr(columns, "read_columns", no_reading)
    with acquire(several_commits) as snapshot:
        assert decoded(snapshot.columns, snapshot.reader) == before


@pytest.mark.parametrize("damage", [b"not numpy", b"", b"PK\x03\x04 truncated zip"])
def test_a_damaged_cache_file_is_read_again(several_commits: Home, damage: bytes) -> None:
    with acquire(several_commits) as snapshot:
        before = decoded(snapshot.columns, snapshot.reader)
        folder = columns.index_folder(snapshot.reader.leaf_readers()[0][0].storage())
    assert folder is not None
    cached = sorted((folder / columns.CACHE_FOLDER).glob("*.npz"))
    for path in cached:
        path.write_bytes(damage)
    discard(several_commits)
    columns._memory.clear()
    with acquire(several_commits) as snapshot:
        assert decoded(snapshot.columns, snapshot.reader) == before
    assert all(path.stat().st_size > 100 for path in cached)  # written again, whole


def test_warm_up_leaves_nothing_for_the_first_search_to_read(several_commits: Home,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    from samverkan.index.search import search, warm

    discard(several_commits)
    columns._memory.clear()
    for path in several_commits.index.glob(f"*/{columns.CACHE_FOLDER}/*.npz"):
        path.unlink()
    warm(several_commits)

    def no_reading(*_args: Any) -> Any:
        raise AssertionError("the first search after the warm-up read a segment's arrays")

    monkeypatch.setattr(columns, "read_columns", no_reading)
    monkeypatch.setattr(columns.np, "fromiter", no_reading)  # field lengths
    assert search(several_commits, "samverkan").total > 0
    warm(Home(home=tmp_path / "tom"))  # no index, no archive: nothing to warm, no error
