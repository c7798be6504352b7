"""The catalogue database: listings read it, it follows every change of the log, and
whatever state it is found in (missing, behind, edited) the listing is the log's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from samverkan.archive import store as store_module
from samverkan.archive.catalogue_db import CatalogueDB, catalogue_db_path, log_position
from samverkan.archive.fsck import fsck
from samverkan.archive.home import Home
from samverkan.archive.listing import read_listing
from samverkan.archive.recognise import Recognition
from samverkan.archive.store import Archive
from samverkan.archive.versions import latest_of
from samverkan.docgen.record import from_record
from tests.archive.conftest import agreement_text, fake_recogniser, pdf_of


def modelling_recogniser(pages: list[str]) -> Recognition:
    """The grouping tests' fake reader, with the model a real reader would give as well."""
    found = fake_recogniser(pages)
    return Recognition(record=found.record, agreement=from_record(found.record, "test"))


def _file(archive: Archive, folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_bytes(pdf_of(text))
    return archive.file(path, actor="test").agreement_id


def _replayed(settings: Home) -> list[tuple[str, int, int, str, tuple[str, ...], str]]:
    """The listing as the log gives it, through the version records (no database)."""
    archive = Archive(settings, recogniser=None)
    rows = []
    for agreement_id in archive.agreement_ids():
        records = archive.version_records(agreement_id)
        latest = latest_of(records)
        assert latest is not None
        model = latest.agreement
        rows.append((agreement_id, len(records), latest.version, latest.label,
                     tuple(model.parties.municipalities) if model else (),
                     model.period.label_sv if model else ""))
    return rows


def _listed(settings: Home) -> list[tuple[str, int, int, str, tuple[str, ...], str]]:
    return [(row.agreement_id, row.versions, row.version, row.label,
             row.summary.municipalities, row.summary.period) for row in read_listing(settings)]


@pytest.fixture()
def archive(archive_factory) -> Archive:  # type: ignore[no-untyped-def]
    return archive_factory(modelling_recogniser)


@pytest.fixture()
def filed(archive: Archive, tmp_path: Path) -> Archive:
    folder = tmp_path / "in"
    folder.mkdir()
    _file(archive, folder, "mark.pdf", agreement_text("Mark", "Borås", "2022–2024"))
    _file(archive, folder, "mark2.pdf",
          agreement_text("Mark", "Borås", "2022–2024", extra="Reviderad bilaga."))
    _file(archive, folder, "ale.pdf", agreement_text("Ale", "Kungälv", "2021–2023"))
    _file(archive, folder, "tjorn.pdf", agreement_text("Tjörn", "Stenungsund", "2025"))
    return archive


def test_listing_reads_the_database_not_the_log(filed: Archive, settings: Home,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _replayed(settings)
    assert len(expected) == 3 and any(count == 2 for _, count, *_ in expected)
    assert all(municipalities and period for *_, municipalities, period in expected)

    def no_replay(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the listing replayed the log although the database is current")

    monkeypatch.setattr(store_module, "Archive", no_replay)
    assert _listed(settings) == expected
    assert {row.summary.title for row in read_listing(settings)} >= {"Ale – LPO Kungälv, 2021–2023"}


def test_a_missing_database_is_rebuilt_from_the_log(filed: Archive, settings: Home) -> None:
    expected = _replayed(settings)
    catalogue_db_path(settings).unlink()
    assert _listed(settings) == expected
    assert CatalogueDB(catalogue_db_path(settings)).is_current(settings.archive / "audit.jsonl")


def test_a_filing_whose_database_write_failed_is_listed_all_the_same(
        archive: Archive, settings: Home, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the process died between the audit append and the database commit."""
    _file(archive, tmp_path, "a.pdf", agreement_text("Ale", "Kungälv", "2021–2023"))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(CatalogueDB, "sync", broken)
    result = _file(archive, tmp_path, "b.pdf", agreement_text("Mark", "Borås", "2022–2024"))
    monkeypatch.undo()
    assert result in {row.agreement_id for row in read_listing(settings)}
    assert _listed(settings) == _replayed(settings)


def test_corrections_and_moves_change_both_agreements_rows(filed: Archive,
                                                           settings: Home) -> None:
    mark = next(row for row in read_listing(settings) if "Mark" in row.summary.municipalities)
    ale = next(row for row in read_listing(settings) if "Ale" in row.summary.municipalities)
    filed.correct(mark.agreement_id, 1, actor="test", dnr="KS 2024/1")
    assert [r.dnr for r in CatalogueDB(catalogue_db_path(settings)).versions_of(
        mark.agreement_id)] == ["KS 2024/1", None]
    filed.correct(mark.agreement_id, 2, actor="test", move_to=ale.agreement_id)
    listed = {row.agreement_id: row for row in read_listing(settings)}
    assert listed[ale.agreement_id].versions == 2
    assert listed[mark.agreement_id].versions == 1
    assert listed[mark.agreement_id].dnr == "KS 2024/1"
    assert _listed(settings) == _replayed(settings)


def test_another_process_filing_is_seen(filed: Archive, settings: Home, tmp_path: Path) -> None:
    other = Archive(settings, recogniser=modelling_recogniser)
    _file(other, tmp_path, "ny.pdf", agreement_text("Orust", "Stenungsund", "2024–2026"))
    assert {"Orust"} <= {m for row in filed.listing() for m in row.summary.municipalities}
    assert _listed(settings) == _replayed(settings)


def test_fsck_rebuilds_a_database_changed_behind_the_archive(filed: Archive,
                                                             settings: Home) -> None:
    with sqlite3.connect(catalogue_db_path(settings)) as connection:
        connection.execute("UPDATE versions SET label = 'utkast', dnr = 'påhittat'")
    report = fsck(filed, extra_checks=False)
    assert report.ok, report.problems
    assert any("katalogdatabasen" in note and "byggts om" in note for note in report.notes)
    assert _listed(settings) == _replayed(settings)
    assert fsck(filed, extra_checks=False).notes == []


def test_fsck_without_recovery_reports_a_changed_database(filed: Archive,
                                                          settings: Home) -> None:
    with sqlite3.connect(catalogue_db_path(settings)) as connection:
        connection.execute("DELETE FROM versions WHERE is_latest = 0")
    report = fsck(filed, recover=False, extra_checks=False)
    assert any("katalogdatabasen" in problem and "1 versionsrad skiljer" in problem
               for problem in report.problems)


def test_log_position_is_the_last_complete_line(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    assert log_position(log).seq == 0
    long_line = '{"seq": 1, "x": "' + "å" * 100_000 + '"}'
    log.write_text(long_line + "\n" + '{"seq": 2}\n' + '{"seq": 3, "torn', encoding="utf-8")
    assert log_position(log).seq == 2
    log.write_text(long_line + "\n", encoding="utf-8")
    assert log_position(log).seq == 1


def test_an_empty_home_lists_nothing_without_replaying(settings: Home,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "Archive", None)
    assert read_listing(settings) == []


def test_a_damaged_database_is_rebuilt(filed: Archive, settings: Home) -> None:
    expected = _replayed(settings)
    catalogue_db_path(settings).write_bytes(b"not a database" * 100)
    assert _listed(settings) == expected
    assert CatalogueDB(catalogue_db_path(settings)).is_current(settings.archive / "audit.jsonl")


def test_the_listing_needs_no_database_at_all(filed: Archive, settings: Home,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that can be neither read nor written (a read-only disk): the archive
    lists from its catalogue in memory, the same rows."""
    expected = filed.listing()

    def unusable(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(CatalogueDB, "_connected", unusable)
    assert Archive(settings, recogniser=None).listing() == expected


def test_a_listing_is_never_behind_when_the_database_cannot_be_written(
        filed: Archive, settings: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads work, writes fail (a database file of another user, a read-only remount)."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(CatalogueDB, "sync", refused)
    monkeypatch.setattr(CatalogueDB, "rebuild", refused)
    new = _file(filed, tmp_path, "orust.pdf", agreement_text("Orust", "Stenungsund", "2024"))
    assert new in {row.agreement_id for row in filed.listing()}
    assert new in {row.agreement_id for row in read_listing(settings)}


def test_listing_and_filing_in_two_threads_do_not_wait_for_each_other(
        filed: Archive, settings: Home, tmp_path: Path) -> None:
    """The web lists while the watcher files, with the database behind the log (another
    process appended): each takes the audit lock before the archive's own lock."""
    import threading

    errors: list[BaseException] = []
    stop = threading.Event()

    def list_forever() -> None:
        try:
            while not stop.is_set():
                filed.db.discard()  # behind: every listing goes through the lock
                filed.listing()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    lister = threading.Thread(target=list_forever, daemon=True)
    lister.start()
    filer = threading.Thread(target=lambda: [
        _file(filed, tmp_path, f"k{n}.pdf", agreement_text(f"Kommun{n}", "Borås", "2023"))
        for n in range(6)], daemon=True)
    filer.start()
    filer.join(timeout=120)
    stop.set()
    lister.join(timeout=120)
    assert not filer.is_alive() and not lister.is_alive(), "listing and filing deadlocked"
    assert errors == []
    assert _listed(settings) == _replayed(settings)


def test_a_database_of_another_version_is_rebuilt(filed: Archive, settings: Home) -> None:
    expected = _replayed(settings)
    with sqlite3.connect(catalogue_db_path(settings)) as connection:
        connection.execute("UPDATE meta SET value = '0.old' WHERE key = 'schema'")
        connection.execute("ALTER TABLE versions RENAME TO versions_old")
        connection.execute("CREATE TABLE versions (sha256 TEXT PRIMARY KEY, gammal TEXT)")
    assert _listed(settings) == expected


def test_a_power_cut_that_left_rows_half_written_is_mended_on_opening(
        filed: Archive, settings: Home) -> None:
    """The position says current, the rows do not (no fsync): a process opening the
    archive to change it compares and rebuilds."""
    with sqlite3.connect(catalogue_db_path(settings)) as connection:
        connection.execute("DELETE FROM versions WHERE agreement_id = "
                           "(SELECT min(agreement_id) FROM versions)")
    Archive(settings, recogniser=None).open_for_changes()
    assert _listed(settings) == _replayed(settings)


def test_all_versions_from_the_database_equal_the_projection(filed: Archive, settings: Home,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Every version with its summary (the national overview's input): the database's one
    query, a database missing, and no usable database at all give the same rows."""
    from samverkan.archive.listing import read_all_versions

    found = read_all_versions(settings)
    assert [(row.agreement_id, row.version) for row in found] == sorted(
        (row.agreement_id, row.version) for row in found)
    assert len(found) == 4 and sum(row.is_latest for row in found) == 3
    assert all(row.summary.municipalities for row in found)
    latest = {row.agreement_id: row for row in found if row.is_latest}
    assert {row.agreement_id: row for row in filed.listing()} == latest
    catalogue_db_path(settings).unlink()
    assert read_all_versions(settings) == found

    def unusable(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(CatalogueDB, "_connected", unusable)
    assert Archive(settings, recogniser=None).all_versions() == found
