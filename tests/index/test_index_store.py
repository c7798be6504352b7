"""The index follows the archive: incremental updates, drift found, damage detected and healed."""

from __future__ import annotations

import multiprocessing
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from samverkan import opening
from samverkan.archive.home import Home
from samverkan.index import archive_link, consistency, store
from samverkan.index.indexer import Indexer
from samverkan.index.search import Filters, forget, search
from tests.index.conftest import FakeArchive, Records, make_record


@pytest.fixture()
def archive(index_records: Records) -> FakeArchive:
    return FakeArchive(index_records)


@pytest.fixture(scope="module")
def template_home(tmp_path_factory: pytest.TempPathFactory, index_records: Records) -> Path:
    """One index built through archive_link (with progress), copied for each test."""
    settings = Home(home=tmp_path_factory.mktemp("template"))
    seen: list[tuple[int, int | None]] = []
    report = archive_link.rebuild(settings, FakeArchive(index_records),
                                  progress=lambda done, total: seen.append((done, total)))
    assert report.agreements == len(index_records) == seen[-1][0] == seen[-1][1]
    assert report.passages > 100
    return settings.home


@pytest.fixture()
def indexed(tmp_path: Path, template_home: Path, archive: FakeArchive,
            monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.setattr(archive_link, "open_archive", lambda settings: archive)
    shutil.copytree(template_home, tmp_path / "home")
    settings = Home(home=tmp_path / "home")
    forget(settings)
    return settings


def _finds(settings: Home, query: str) -> int:
    return search(settings, query, Filters(), limit=5).total


def test_fresh_index_matches_archive(indexed: Home, archive: FakeArchive) -> None:
    assert consistency.check(indexed, archive) == []
    assert store.probe(indexed, deep=True) is None


def test_filing_updates_the_index_incrementally(indexed: Home, archive: FakeArchive) -> None:
    archive.settings = indexed
    opening.follow(archive)
    old = archive.version_records("SV-GVL0-2016")[0]
    new = replace(make_record("SV-GVL0-2016", 2, old.agreement, (
        "Reviderad överenskommelse: parterna inför gemensamma kvarterspromenader i Gävle.",)),
        is_latest=True)
    archive.file(new)
    assert _finds(indexed, "kvarterspromenader") == 1
    hits = search(indexed, "langning", Filters(), limit=10).hits
    assert hits and all(h.version == 2 for h in hits)
    assert {h.version for h in search(indexed, "langning", Filters(all_versions=True)).hits} \
        == {1, 2}
    assert consistency.check(indexed, archive) == []


def test_drift_is_reported_and_repaired(indexed: Home, archive: FakeArchive) -> None:
    records = archive.records
    records["SV-UME0-2019"] = [replace(records["SV-UME0-2019"][0], sha256="0" * 64)]
    extra = make_record("SV-NEW0-0001", 1, None, ("Ny text om grannsamverkan i Umeå.",))
    records["SV-NEW0-0001"] = [extra]
    gone = records.pop("SV-LND0-2024")
    problems = consistency.check(indexed, archive)
    text = "\n".join(problems)
    assert "saknar version 1 av SV-NEW0-0001" in text
    assert "SV-LND0-2024" in text and "inte finns i arkivet" in text
    assert "annan kontrollsumma" in text and "SV-UME0-2019" in text
    assert "samverkan reindex" in problems[-1]
    changed = archive_link.repair(indexed, archive)
    assert set(changed) == {"SV-UME0-2019", "SV-NEW0-0001", "SV-LND0-2024"}
    assert consistency.check(indexed, archive) == []
    assert _finds(indexed, "grannsamverkan") >= 1
    assert gone and _finds(indexed, '"lunds centrum"') == 0


def test_deleted_index_is_detected_and_rebuilt_on_search(indexed: Home,
                                                         archive: FakeArchive) -> None:
    before = _finds(indexed, '"förbinder sig att"')
    shutil.rmtree(indexed.index)
    problems = consistency.check(indexed, archive)
    assert problems and "saknas" in problems[0]
    assert _finds(indexed, '"förbinder sig att"') == before
    assert consistency.check(indexed, archive) == []


def _damage(folder: Path) -> None:
    files = sorted((p for p in folder.rglob("*") if p.is_file()),
                   key=lambda p: p.stat().st_size, reverse=True)
    for path in files[:3]:
        data = bytearray(path.read_bytes())
        for offset in range(0, len(data), max(1, len(data) // 64)):
            data[offset] ^= 0xFF
        path.write_bytes(bytes(data[: max(1, len(data) // 2)]))


def test_corrupt_index_is_detected_and_rebuilt(indexed: Home, archive: FakeArchive) -> None:
    before = _finds(indexed, "trygghetsvandringar")
    forget(indexed)
    _damage(indexed.index)
    problems = consistency.check(indexed, archive)
    assert problems and "Sökindexet" in problems[0]
    assert _finds(indexed, "trygghetsvandringar") == before
    assert consistency.check(indexed, archive) == []


def test_damaged_pointer_and_old_format(indexed: Home, archive: FakeArchive) -> None:
    (indexed.index / store.POINTER).write_text("{ inte json", encoding="utf-8")
    assert "skadat" in consistency.check(indexed, archive)[0]
    archive_link.rebuild(indexed, archive)
    pointer = indexed.index / store.POINTER
    pointer.write_text(pointer.read_text().replace(f'"schema": {store.SCHEMA_VERSION}', '"schema": 0'))
    assert "äldre format" in (store.probe(indexed) or "")


def test_failed_rebuild_keeps_the_old_index(indexed: Home, archive: FakeArchive) -> None:
    before = _finds(indexed, "nattvandringar")
    generation = store.current_generation(indexed)

    def broken():
        yield from archive_link.records_of(archive, archive.agreement_ids()[:2])
        raise RuntimeError("arkivet försvann mitt i")

    with pytest.raises(RuntimeError):
        Indexer(indexed).rebuild(broken())
    assert store.current_generation(indexed) == generation
    assert _finds(indexed, "nattvandringar") == before
    assert [p.name for p in indexed.index.glob("gen-*")] == [generation.name]


def test_empty_archive_needs_no_index(fresh_settings: Home) -> None:
    assert consistency.check(fresh_settings, FakeArchive([])) == []


def _writer(home: str, agreement_id: str, rounds: int) -> None:
    settings = Home(home=Path(home))
    for round_number in range(rounds):
        record = make_record(agreement_id, 1, None, (
            f"Omgång {round_number}: samtidig skrivning från {agreement_id} om kameraövervakning.",))
        Indexer(settings).replace_agreement(agreement_id, [record])


def test_two_processes_write_without_corrupting(fresh_settings: Home) -> None:
    Indexer(fresh_settings).rebuild([])
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(str(fresh_settings.home), aid, 6))
               for aid in ("SV-PRC0-0001", "SV-PRC0-0002")]
    for worker in workers:
        worker.start()
    _writer(str(fresh_settings.home), "SV-PRC0-0003", 6)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert store.probe(fresh_settings, deep=True) is None
    indexed = Indexer(fresh_settings).indexed_versions()
    assert sorted(aid for aid, _ in indexed) == ["SV-PRC0-0001", "SV-PRC0-0002", "SV-PRC0-0003"]
    assert search(fresh_settings, "kameraövervakning", limit=10).total == 3
    assert search(fresh_settings, '"omgång 5"', limit=10).total == 3


def test_empty_index_searches_and_reports_nothing(fresh_settings: Home) -> None:
    Indexer(fresh_settings).rebuild([])
    result = search(fresh_settings, "trygghet", Filters(), limit=5)
    assert result.total == 0 and result.hits == [] and result.facets["municipality"] == []
    assert search(fresh_settings, "", Filters(), collapse=True).total == 0
    from samverkan.index.similar import boilerplate, similar

    assert boilerplate(fresh_settings) == []
    assert similar(fresh_settings, "trygghetsvandringar i centrum").hits == []


def test_the_index_follows_an_archive_once(indexed: Home, index_records: Records) -> None:
    archive = FakeArchive(index_records, indexed)
    opening.follow(archive)
    opening.follow(archive)  # e.g. the service attaching again after a restart of its loop
    assert [name for name, _ in archive.plugins.list_name_plugin()] == ["sökindexet"]
