"""Indexing apart from filing: a lone change is searchable at once, a burst is indexed in a
few commits, closing the archive writes what waits, and a process that dies before its
batch loses nothing (the next opening catches up from the archive).

No timings are asserted: the windows are set so that a batch is written only when the test
says so (closing), or the test waits for the flusher without a time bound that matters.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan import opening
from samverkan.archive.home import Home
from samverkan.archive.plugins import register
from samverkan.index import archive_link, archive_plugin, bulk, consistency, store
from samverkan.index.archive_plugin import IndexFollower
from samverkan.index.indexer import Indexer
from samverkan.index.search import Filters, search
from tests.index.conftest import FakeArchive, Records, make_record

BURST = 20
NEVER = 3600.0  # a window no test waits out: batches are written when the test closes


def _followed(settings: Home, records: Records, window: float) -> tuple[FakeArchive,
                                                                         IndexFollower]:
    archive = FakeArchive(records, settings)
    follower = IndexFollower(window=window)
    register(archive.plugins, follower)
    archive.open_for_changes()
    return archive, follower


def _new_agreement(number: int):  # noqa: ANN202
    return make_record(f"SV-B{number:03d}-{number:04d}", 1, None, (
        f"Överenskommelse {number}: gemensamma kvarterspromenader i stadsdel {number}.",))


def agreement_files(folder: Path, count: int, seed: int = 9) -> list[str]:
    """`count` generated agreements as text files (bench.corpus), for `samverkan file`."""
    from bench.corpus import plan

    paths = []
    for number, item in enumerate(plan(count, seed=seed, scan_share=0.0)[:count]):
        path = folder / f"avtal-{number}.txt"
        path.write_text("\f".join(item["pages"]), encoding="utf-8")
        paths.append(str(path))
    return paths


def _finds(settings: Home, query: str) -> set[str]:
    return {hit.agreement_id for hit in search(settings, query, Filters(), limit=100).hits}


@pytest.fixture()
def commits(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The agreements of every index commit made through Indexer.replace_agreements."""
    made: list[list[str]] = []
    original = Indexer.replace_agreements

    def counted(self: Indexer, records_by_agreement):  # noqa: ANN001, ANN202
        batch = list(records_by_agreement)
        made.append([agreement_id for agreement_id, _ in batch])
        return original(self, batch)

    monkeypatch.setattr(Indexer, "replace_agreements", counted)
    return made


def test_a_lone_change_is_searchable_at_once(indexed: Home, index_records: Records,
                                             commits: list[list[str]]) -> None:
    archive, follower = _followed(indexed, index_records, window=NEVER)
    archive.file(_new_agreement(1))
    assert commits == [[_new_agreement(1).agreement_id]]
    assert follower.pending() == 0
    assert _finds(indexed, "kvarterspromenader") == {_new_agreement(1).agreement_id}


def test_a_burst_is_indexed_in_few_commits_and_closing_writes_the_rest(
        indexed: Home, index_records: Records, commits: list[list[str]]) -> None:
    archive, follower = _followed(indexed, index_records, window=NEVER)
    filed = [_new_agreement(number) for number in range(BURST)]
    for record in filed:
        archive.file(record)
    # The first was indexed as it came; the rest wait for their batch.
    assert commits == [[filed[0].agreement_id]]
    assert follower.pending() == BURST - 1 == opening.index_lag(archive)
    assert _finds(indexed, "kvarterspromenader") == {filed[0].agreement_id}

    archive.close()
    assert len(commits) == 2 < BURST
    assert commits[1] == [record.agreement_id for record in filed[1:]]
    assert follower.pending() == 0 == opening.index_lag(archive)
    assert _finds(indexed, "kvarterspromenader") == {record.agreement_id for record in filed}
    assert consistency.check(indexed, archive) == []
    archive.close()  # again: nothing waits, nothing is written
    assert len(commits) == 2


def test_the_flusher_writes_a_burst_without_closing(indexed: Home, index_records: Records,
                                                    commits: list[list[str]]) -> None:
    archive, follower = _followed(indexed, index_records, window=0.05)
    filed = [_new_agreement(number) for number in range(BURST)]
    for record in filed:
        archive.file(record)
    assert follower.settle(timeout=120)  # the bound only guards against a hang
    assert follower.pending() == 0
    assert 2 <= len(commits) < BURST
    assert [aid for batch in commits for aid in batch] == [r.agreement_id for r in filed]
    assert _finds(indexed, "kvarterspromenader") == {record.agreement_id for record in filed}


def test_changes_to_one_agreement_are_indexed_once_in_their_latest_state(
        indexed: Home, index_records: Records, commits: list[list[str]]) -> None:
    archive, _ = _followed(indexed, index_records, window=NEVER)
    archive.file(_new_agreement(7))
    first = archive.version_records(_new_agreement(7).agreement_id)[0]
    for version in range(2, 5):
        archive.file(replace(first, version=version, sha256=str(version) * 64,
                             pages=(f"Version {version}: nattvandringar i stadsdelen.",)))
    archive.close()
    assert commits[1:] == [[first.agreement_id]]
    hits = search(indexed, "stadsdelen", Filters(all_versions=True), limit=50).hits
    assert {hit.version for hit in hits if hit.agreement_id == first.agreement_id} == {1, 2, 3, 4}
    hits = search(indexed, "stadsdelen", Filters(), limit=50).hits
    assert {hit.version for hit in hits if hit.agreement_id == first.agreement_id} == {4}
    assert consistency.check(indexed, archive) == []


def test_a_process_that_dies_before_its_batch_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Home(home=tmp_path / "home")
    texts = agreement_files(tmp_path, 3, seed=5)
    monkeypatch.setattr(archive_plugin, "WINDOW_SECONDS", NEVER)
    archive = opening.open_archive(home, follow_changes=True)
    # The process "dies" before any batch is written: what waits is dropped, as in a kill.
    monkeypatch.setattr(IndexFollower, "_write",
                        lambda self, archive, ids: self._done_writing())
    filed = [archive.file(path, actor="test").agreement_id for path in texts]
    assert opening.index_lag(archive) >= 1
    archive.close()
    missing = set(archive_link.archived_versions(archive)) - \
        set(archive_link.indexed_versions(home))
    assert missing and missing <= set(filed)

    monkeypatch.undo()
    reopened = opening.open_archive(home, follow_changes=True)
    assert archive_link.indexed_versions(home) == archive_link.archived_versions(reopened)
    assert consistency.check(home, reopened) == []
    for agreement_id in set(filed):
        hits = search(home, "", Filters(), limit=100).hits
        assert agreement_id in {hit.agreement_id for hit in hits}


def test_samverkan_file_writes_its_batch_before_it_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from samverkan.cli import cli

    monkeypatch.setattr(archive_plugin, "WINDOW_SECONDS", NEVER)
    home = tmp_path / "home"
    paths = agreement_files(tmp_path, 3)
    result = CliRunner().invoke(cli, ["--home", str(home), "file", "--by", "test", *paths])
    assert result.exit_code == 0, result.output
    settings = Home(home=home)
    archive = opening.open_archive(settings)
    assert archive_link.indexed_versions(settings) == archive_link.archived_versions(archive)


def test_batch_segments_merge_by_tiers_and_find_what_a_rebuild_finds(
        tmp_path: Path, index_records: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuilt = Home(home=tmp_path / "rebuilt")
    Indexer(rebuilt).rebuild(index_records)
    monkeypatch.setattr(bulk, "MAX_SEGMENTS", 3)
    monkeypatch.setattr(bulk, "TIER_FACTOR", 2)
    batched = Home(home=tmp_path / "batched")
    segments = []
    for agreement_id, records in index_records:  # one commit per agreement: many segments
        Indexer(batched).replace_agreements([(agreement_id, records)])
        segments.append(len(store.open_index(batched)._segments()))
    # Some agreements again, so that merged segments carry deletions.
    Indexer(batched).replace_agreements(index_records[:3])
    assert max(segments) <= bulk.MAX_SEGMENTS + 1 < len(index_records)
    assert consistency.check(batched, FakeArchive(index_records)) == []
    for query in ('"förbinder sig att"', "trygghet", "brott*", "trygghet NEAR/5 skola",
                  "kvarterspromenader", ""):
        for filters in (Filters(), Filters(all_versions=True)):
            one = search(rebuilt, query, filters, limit=200)
            other = search(batched, query, filters, limit=200)
            assert other.total == one.total, query
            if one.total <= len(one.hits):  # beyond the page, ties may order differently
                assert sorted(h.pid for h in other.hits) == sorted(h.pid for h in one.hits)


def test_a_long_samverkan_file_run_indexes_its_batches_in_a_worker_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files: the batches are written by index.background's worker (its own archive
    view, the index's writer lock), and the run still ends with everything indexed."""
    from samverkan.cli import cli
    from samverkan.commands import archiving
    from samverkan.index import background

    monkeypatch.setattr(archiving, "BATCH_RUN_FILES", 4)
    monkeypatch.setattr(archive_plugin, "worthwhile", lambda: True)
    monkeypatch.setattr(archive_plugin, "WINDOW_SECONDS", NEVER)  # closing writes the batch
    written: list[list[str]] = []
    original = background.BatchProcess.index

    def recorded(self: background.BatchProcess, settings: Home, ids: list[str]) -> None:
        original(self, settings, ids)
        written.append(list(ids))

    monkeypatch.setattr(background.BatchProcess, "index", recorded)
    home = tmp_path / "home"
    paths = agreement_files(tmp_path, 8)
    result = CliRunner().invoke(cli, ["--home", str(home), "file", "--by", "test", *paths])
    assert result.exit_code == 0, result.output
    assert written, "no batch was written by the worker process"
    settings = Home(home=home)
    archive = opening.open_archive(settings)
    assert archive_link.indexed_versions(settings) == archive_link.archived_versions(archive)
    assert len(archive.agreement_ids()) >= 4
